//! Whether the page has painted once since a change: what can wait for the first frame waits.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{nothing, use_effect_key};

/// `true` once `shown` has stayed true across one painted frame; `false` while it is false.
///
/// What appears together with `shown` but below the fold can then wait for the next frame, so
/// the frame that matters lays out and paints only what the user looks at (README, Benchmark):
/// the token report's details wait for its summary, and on a cold start (`shown` always true)
/// the panels under the Token field and the footer wait for the field. While `shown` stays
/// true, changes render at once, so editing a token never makes the details blink.
#[hook]
pub fn use_after_paint(shown: bool) -> bool {
    let painted = use_state_eq(|| false);
    {
        let painted = painted.clone();
        use_effect_key(
            u64::from(shown),
            Box::new(move |shown| {
                if shown == 0 {
                    painted.set(false);
                    return nothing();
                }
                // Animation frame callbacks run before the frame's paint; a task queued from one
                // runs after it, whether the paste came mid-frame or from a frame callback.
                let after = crate::ui::once_js(Box::new(move || {
                    crate::ui::after(0, Box::new(move || painted.set(true)));
                }));
                if let Some(window) = web_sys::window() {
                    let _ = window.request_animation_frame(after.unchecked_ref());
                }
                nothing()
            }),
        );
    }
    shown && *painted
}
