use gloo::events::EventListener;
use yew::prelude::*;

/// Whether the app shell is cached for offline use, as `static/boot.js` reports it on
/// `<html data-offline="…">` (and announces with a `tokenscope-offline` event).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offline {
    /// The service worker is still installing, or not reported yet.
    Pending,
    /// The shell is cached: the next visit works without network.
    Ready,
    /// No service worker here (opened from a file, or an old browser).
    Unavailable,
    /// Registration failed.
    Error,
}

/// The current [`Offline`] state, following the `tokenscope-offline` event.
#[hook]
pub fn use_offline() -> Offline {
    let state = use_state(current);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            // boot.js may have reported before this component mounted.
            state.set(current());
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, "tokenscope-offline", move |_| state.set(current()))
            });
            move || drop(listener)
        });
    }
    *state
}

fn current() -> Offline {
    let value = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-offline"))
        .unwrap_or_default();
    match value.as_str() {
        "ready" => Offline::Ready,
        "unavailable" => Offline::Unavailable,
        "error" => Offline::Error,
        _ => Offline::Pending,
    }
}
