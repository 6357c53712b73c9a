//! The location hash, followed as it changes: the app's route.

use gloo::events::EventListener;
use yew::prelude::*;

use super::use_effect_key;

/// `location.hash` (`#/inspect?example=bound`), following `hashchange`. Pages are read from it
/// with [`crate::ui::route::Route::from_hash`], links' parameters with
/// [`crate::ui::route::param`].
#[hook]
pub fn use_hash() -> String {
    let hash = use_state(current);
    {
        let hash = hash.clone();
        use_effect_key(
            0,
            Box::new(move |_| {
                let listener = web_sys::window().map(|window| {
                    EventListener::new(&window, "hashchange", move |_| hash.set(current()))
                });
                Box::new(move || drop(listener))
            }),
        );
    }
    (*hash).clone()
}

fn current() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}
