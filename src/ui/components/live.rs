//! One component for every view that reads the clock or waits for a paint: the pages are
//! plain functions, and each hands [`Live`] its view, so the wasm holds one copy of a
//! component's machinery and of these hooks instead of one per page (about 400 B of gzip
//! each).

use std::rc::Rc;

use yew::prelude::*;

use crate::support::time::UnixSeconds;
use crate::ui::hooks::{use_after_paint, use_now_every};
use crate::ui::state::Slice;

/// What a view is rendered with: the hooks' answers.
#[derive(Clone, Copy, Debug)]
pub struct Moment {
    /// The current time, refreshed every [`LiveProps::every`] seconds.
    pub now: UnixSeconds,
    /// Whether [`LiveProps::details`] has stayed true across one painted frame.
    pub details: bool,
    /// Whether the view has been painted once, when [`LiveProps::panels`] asks; else false.
    pub panels: bool,
}

/// Props of [`Live`].
#[derive(Properties)]
pub struct LiveProps {
    /// Seconds between the clock's ticks.
    pub every: u32,
    /// What the view's details wait on: true once there is something to detail.
    pub details: bool,
    /// Whether the view has panels that wait for its first paint.
    pub panels: bool,
    /// What the view shows, by address (its slices) and value (its flags): the view renders
    /// again when one of them changes, or the clock or a paint says so, as a component whose
    /// props are these would.
    pub deps: [usize; 4],
    /// The view, a function of the props it was made from and of the [`Moment`].
    pub view: Rc<dyn Fn(Moment) -> Html>,
}

impl PartialEq for LiveProps {
    /// The view is made from what `deps` names, so equal `deps` render the same view.
    fn eq(&self, other: &Self) -> bool {
        (self.every, self.details, self.panels, self.deps)
            == (other.every, other.details, other.panels, other.deps)
    }
}

/// A slice's address, for [`LiveProps::deps`].
pub fn addr<T>(slice: &Slice<T>) -> usize {
    Rc::as_ptr(&slice.0) as usize
}

/// Renders its view with the time and the paints it asks for.
#[component]
pub fn Live(props: &LiveProps) -> Html {
    let now = use_now_every(props.every);
    let details = use_after_paint(props.details);
    let panels = use_after_paint(props.panels);
    (props.view)(Moment {
        now,
        details,
        panels,
    })
}

/// A [`Live`] view: `view` ticks every `every` seconds, with its details after `details` has
/// been painted, and its panels after its first paint when `panels`.
pub fn live(
    every: u32,
    details: bool,
    panels: bool,
    deps: [usize; 4],
    view: Rc<dyn Fn(Moment) -> Html>,
) -> Html {
    html! { <Live {every} {details} {panels} {deps} {view} /> }
}
