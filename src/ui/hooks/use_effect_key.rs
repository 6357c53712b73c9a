//! The one effect hook the app's effects go through.

use yew::prelude::*;

/// What an effect leaves to be done before it runs again, or when its component goes.
pub type Undo = Box<dyn FnOnce()>;

/// Nothing to undo.
pub fn nothing() -> Undo {
    Box::new(|| ())
}

/// Runs `effect` with `key` after the first render and after each render whose `key` differs
/// from the last run's, and what it returned before the next run or when the component goes,
/// as `use_effect_with(key, …)` does. Yew's effect machinery is generic over the effect's
/// closure, so each `use_effect_with` costs the wasm its own copy; through this hook the
/// app's effects share one.
#[hook]
pub fn use_effect_key(key: u64, effect: Box<dyn FnOnce(u64) -> Undo>) {
    use_effect_with(key, move |&key| effect(key));
}
