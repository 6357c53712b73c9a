//! The built-in examples run once through the paste path in idle time after the first paint.

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use super::use_now::current;
use super::{nothing, use_effect_key};
use crate::learn::demo::{DemoFiles, EXAMPLES};
use crate::ui::state::rehearse;

/// Once `painted` (the page's first paint, from [`use_after_paint`](super::use_after_paint)),
/// asks for the demo files in an idle moment (`ahead`, so a later **Load example** is instant
/// too), and once they are here (`demo`) runs each built-in example through the paste path
/// ([`rehearse`]), one per idle moment, throwing the results away.
///
/// The browser compiles each wasm function the first time it is called, so the first paste
/// after a load did that compiling too, and took up to three times as long to paint
/// (docs/benchmarks.md). Rehearsed while the user reads the page, the first real paste finds
/// the code compiled. Nothing is shown, stored or sent.
#[hook]
pub fn use_rehearsal(painted: bool, demo: Option<Rc<DemoFiles>>, ahead: Callback<()>) {
    use_effect_key(
        u64::from(painted),
        Box::new(move |painted| {
            if painted == 1 {
                when_idle(Box::new(move || ahead.emit(())));
            }
            nothing()
        }),
    );
    let ready = painted && demo.is_some();
    use_effect_key(
        u64::from(ready),
        Box::new(move |ready| {
            if let (1, Some(demo)) = (ready, demo) {
                rehearse_from(demo, 0);
            }
            nothing()
        }),
    );
}

fn rehearse_from(demo: Rc<DemoFiles>, index: usize) {
    let Some(example) = EXAMPLES.get(index) else {
        // For the end-to-end test, which checks that it ran and changed nothing.
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark("tokenscope:rehearsed");
        }
        return;
    };
    when_idle(Box::new(move || {
        rehearse(example.id, &demo, current());
        rehearse_from(demo, index + 1);
    }));
}

/// Runs `then` when the browser is idle, or after a short wait where it cannot say.
fn when_idle(then: Box<dyn FnOnce()>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback: JsValue = crate::ui::once_js(then);
    let callback = callback.unchecked_ref();
    if window.request_idle_callback(callback).is_err() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback, 50);
    }
}
