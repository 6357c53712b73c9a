//! What `static/boot.js` reports about the service worker, as attributes on `<html>` and an
//! event on `window` each time one changes: whether the app works offline, and whether a
//! newer build has taken over.

use gloo::events::EventListener;
use yew::prelude::*;

use super::use_effect_key;

/// Whether the app works offline, as `static/boot.js` reports it on `<html data-offline="…">`
/// (and announces with a `tokenscope-offline` event).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Offline {
    /// The service worker is still installing, or not reported yet.
    Pending,
    /// A worker controls this page and its cache holds every file of the build: every page
    /// works without network, now and on the next visit.
    Ready,
    /// A worker controls this page, but its cache lacks these files (`data-offline-missing`).
    Incomplete(String),
    /// A worker is installed but does not serve this page (a hard reload bypasses it).
    Uncontrolled,
    /// No service worker here (opened from a file, or an old browser).
    Unavailable,
    /// Registration failed.
    Error,
}

/// The current [`Offline`] state, following the `tokenscope-offline` event.
#[hook]
pub fn use_offline() -> Offline {
    match use_reported("data-offline", "tokenscope-offline").as_str() {
        "ready" => Offline::Ready,
        "incomplete" => Offline::Incomplete(reported("data-offline-missing")),
        "uncontrolled" => Offline::Uncontrolled,
        "unavailable" => Offline::Unavailable,
        "error" => Offline::Error,
        _ => Offline::Pending,
    }
}

/// Whether a newer build's service worker has taken over this page, which still runs the
/// build it loaded (`<html data-update="ready">`, announced by a `tokenscope-update` event).
#[hook]
pub fn use_update() -> bool {
    use_reported("data-update", "tokenscope-update") == "ready"
}

/// The value of `attribute` on `<html>` (empty when absent), read again on each `event`.
#[hook]
fn use_reported(attribute: &'static str, event: &'static str) -> String {
    let state = use_state(|| reported(attribute));
    {
        let state = state.clone();
        use_effect_key(
            0,
            Box::new(move |_| {
                // boot.js may have reported before this component mounted.
                state.set(reported(attribute));
                let listener = web_sys::window().map(|window| {
                    EventListener::new(&window, event, move |_| state.set(reported(attribute)))
                });
                Box::new(move || drop(listener))
            }),
        );
    }
    (*state).clone()
}

fn reported(attribute: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute(attribute))
        .unwrap_or_default()
}
