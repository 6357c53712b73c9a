//! One component for every view that reads the clock or waits for a paint: the pages are
//! plain functions, and each hands [`Live`] its view, so the wasm holds one copy of a
//! component's machinery and of these hooks instead of one per page (about 400 B of gzip
//! each).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::support::time::UnixSeconds;
use crate::ui::hooks::{use_after_paint, use_now_every};
use crate::ui::state::Slice;

/// What a view is rendered with: the hooks' answers, and a slot for what it keeps between
/// renders ([`memo`]).
pub struct Moment {
    /// The current time, refreshed every [`LiveProps::every`] seconds.
    pub now: UnixSeconds,
    /// Whether [`LiveProps::details`] has stayed true across one painted frame.
    pub details: bool,
    /// Whether the view has been painted once, when [`LiveProps::panels`] asks; else false.
    pub panels: bool,
    /// What the view keeps from one render to the next, of a type only it knows.
    pub slot: Slot,
}

/// A view's memo, kept by its [`Live`] for as long as the view is on screen.
pub type Slot = Rc<RefCell<Option<Box<dyn Any>>>>;

/// `make()`, or the value it made last time if `key` has not changed since, as `use_memo`
/// gives, kept in `slot`.
pub fn memo<K: PartialEq + 'static, V: 'static>(
    slot: &Slot,
    key: K,
    make: impl FnOnce(&K) -> V,
) -> Rc<V> {
    let mut slot = slot.borrow_mut();
    if let Some((kept, value)) = slot.as_ref().and_then(|s| s.downcast_ref::<(K, Rc<V>)>()) {
        if *kept == key {
            return Rc::clone(value);
        }
    }
    let value = Rc::new(make(&key));
    *slot = Some(Box::new((key, Rc::clone(&value))));
    value
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
    pub view: Rc<dyn Fn(&Moment) -> Html>,
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
    let slot = use_mut_ref(|| None);
    (props.view)(&Moment {
        now,
        details,
        panels,
        slot,
    })
}

/// A [`Live`] view: `view` ticks every `every` seconds, with its details after `details` has
/// been painted, and its panels after its first paint when `panels`.
pub fn live(
    every: u32,
    details: bool,
    panels: bool,
    deps: [usize; 4],
    view: Rc<dyn Fn(&Moment) -> Html>,
) -> Html {
    html! { <Live {every} {details} {panels} {deps} {view} /> }
}
