use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use super::use_now::current;
use crate::examples::EXAMPLES;
use crate::ui::state::rehearse;

/// Once `painted` (the page's first paint, from [`use_after_paint`](super::use_after_paint)),
/// runs each built-in example through the paste path ([`rehearse`]), one per idle moment, and
/// throws the results away.
///
/// The browser compiles each wasm function the first time it is called, so the first paste
/// after a load did that compiling too: a 51 KiB kubeconfig took ~100 ms to paint instead of
/// ~30 (README, Benchmark). Rehearsed while the user reads the page, the first real paste
/// finds the code compiled. Nothing is shown, stored or sent.
#[hook]
pub fn use_rehearsal(painted: bool) {
    use_effect_with(painted, |&painted| {
        if painted {
            rehearse_from(0);
        }
    });
}

fn rehearse_from(index: usize) {
    let Some(example) = EXAMPLES.get(index) else {
        // For the end-to-end test, which checks that it ran and changed nothing.
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark("tokenscope:rehearsed");
        }
        return;
    };
    when_idle(move || {
        rehearse(example.id, current());
        rehearse_from(index + 1);
    });
}

/// Runs `then` when the browser is idle, or after a short wait where it cannot say.
fn when_idle(then: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback: JsValue = Closure::once_into_js(then);
    let callback = callback.unchecked_ref();
    if window.request_idle_callback(callback).is_err() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback, 50);
    }
}
