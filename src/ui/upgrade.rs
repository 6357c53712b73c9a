//! The upgrade from the first-visit app to the full app, which has the pages the first visit
//! leaves out (Troubleshoot, Token request, Audit, Activity).
//!
//! Both are builds of this crate: the first-visit app without the `full` feature, the full app
//! with it (`src/bin/full.rs`). When a page of the full app is first opened, the first-visit
//! app listens for a `tokenscope-handover` event on `window` and adds `upgrade.js` to the page,
//! which loads the full app's glue and wasm (by the names `scripts/postbuild.mjs` writes into it). Starting, the full app notes where the focus is and
//! fires that event; the first-visit app answers, in the same call, by setting
//! `window.tokenscopeHandover` to the user's inputs, a JSON array of texts
//! (`state::AppState::snapshot`), and
//! destroys itself; the full app takes that string, deletes it, replays the inputs into its
//! own reducer and mounts on `#app`. The hand-over lives in memory only, for that moment: never
//! storage, never the URL; the hash, which holds the route, is left as it is.
//!
//! Everything the first-visit app does here counts against the first visit's budget, so it
//! does little: an event listener like the hooks', the texts of the snapshot handed to the
//! browser's `JSON.stringify`. The full app reads the focus and the JSON.

/// The property of `window` the inputs are handed over by, and the event that asks for them.
#[cfg_attr(feature = "full", allow(dead_code))]
const HANDOVER: &str = "tokenscopeHandover";
#[cfg_attr(feature = "full", allow(dead_code))]
const ASK: &str = "tokenscope-handover";

/// Asks for the full app, for a page or a section that only it has; after a failure, it tries
/// again. `<html data-upgrade="loading|failed|done">` (and a `tokenscope-upgrade` event on each
/// change) says how it goes (`hooks::use_upgrade_failed`). The full app has everything already:
/// there it does nothing.
pub fn request() {
    #[cfg(not(feature = "full"))]
    first::request();
}

#[cfg(not(feature = "full"))]
pub(crate) use first::{keep_app, keep_state};

/// In the full app: the first-visit app's state and focus, if it is handing over to this app
/// (it then destroys itself); `None` on a start of its own (the single file).
#[cfg(feature = "full")]
pub(crate) fn take(
    document: &web_sys::Document,
    root: &web_sys::Element,
) -> Option<crate::ui::AppProps> {
    use std::rc::Rc;
    use wasm_bindgen::{JsCast, JsValue};

    use crate::ui::state::{AppState, Slice};

    let window = web_sys::window()?;
    // Read before the first-visit app goes: its page is this app's first render.
    let focus = crate::ui::handover::focused(document, root);
    let event = web_sys::Event::new(ASK).ok()?;
    let _ = window.dispatch_event(&event);
    let key = JsValue::from_str(HANDOVER);
    let text = js_sys::Reflect::get(&window, &key).ok()?.as_string()?;
    let _ = js_sys::Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &key);
    let texts: Vec<String> = serde_json::from_str(&text).ok()?;
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    Some(crate::ui::AppProps {
        early_focus: focus,
        restored: Some(Slice(Rc::new(AppState::replay(&texts)))),
        ..crate::ui::AppProps::default()
    })
}

#[cfg(not(feature = "full"))]
mod first {
    use std::cell::{Cell, RefCell};

    use gloo::events::EventListener;
    use wasm_bindgen::JsValue;
    use yew::{AppHandle, UseReducerHandle};

    use super::{ASK, HANDOVER};
    use crate::ui::state::AppState;
    use crate::ui::App;

    thread_local! {
        /// The mounted app, destroyed when the full app takes over.
        static APP: RefCell<Option<AppHandle<App>>> = const { RefCell::new(None) };
        /// The app's state: what the hand-over carries.
        static STATE: RefCell<Option<UseReducerHandle<AppState>>> = const { RefCell::new(None) };
        /// Whether this app listens for the full app's start.
        static LISTENING: Cell<bool> = const { Cell::new(false) };
    }

    /// Keeps the mounted app's handle, to destroy it when the full app takes over.
    pub(crate) fn keep_app(app: AppHandle<App>) {
        APP.with(|slot| *slot.borrow_mut() = Some(app));
    }

    /// Keeps the app's state, as the reducer's handle (a copy of its pointers).
    pub(crate) fn keep_state(state: &UseReducerHandle<AppState>) {
        STATE.with(|slot| *slot.borrow_mut() = Some(state.clone()));
    }

    pub(super) fn request() {
        let Some(window) = web_sys::window() else {
            return;
        };
        if !LISTENING.with(|l| l.replace(true)) {
            EventListener::new(&window, ASK, |_| hand_over()).forget();
        }
        // A new element each time: a script runs once per element. `upgrade.js` itself does
        // nothing while an earlier copy is still loading.
        let Some(document) = window.document() else {
            return;
        };
        let (Ok(script), Some(body)) = (document.create_element("script"), document.body()) else {
            return;
        };
        let _ = script.set_attribute("src", "upgrade.js");
        let _ = body.append_child(&script);
    }

    /// The full app is starting: the inputs go to `window.tokenscopeHandover`, and this app goes.
    fn hand_over() {
        let Some(state) = STATE.with(|slot| slot.borrow_mut().take()) else {
            return;
        };
        let flat = js_sys::Array::new();
        state.snapshot(&mut |text| {
            flat.push(&text.into());
        });
        if let (Some(window), Ok(json)) = (web_sys::window(), js_sys::JSON::stringify(&flat)) {
            let _ = js_sys::Reflect::set(&window, &JsValue::from_str(HANDOVER), &json);
        }
        if let Some(app) = APP.with(|slot| slot.borrow_mut().take()) {
            app.destroy();
        }
    }
}
