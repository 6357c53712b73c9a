//! The browser shell: the only module that knows about yew, web-sys, gloo and js-sys.
//!
//! Components hold state and render what the core returns; they compute nothing of their
//! own beyond formatting. `tests/it/tidy.rs` keeps web crates out of every other module.

mod app;
pub mod components;
mod crypto;
mod demo;
mod download;
mod events;
mod export;
mod handover;
pub mod hooks;
pub mod pages;
pub mod route;
pub mod share;
pub mod state;

pub use app::{App, AppProps};
pub use handover::Focus;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `console.error`: where a panic's message goes, before the trap shows the crash notice.
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Mounts the app on `<div id="app">`, beside (not over) the crash notice in `index.html`:
/// mounted on `<body>`, Yew replaced the notice, so a panic left a frozen page after all. A
/// panic now shows it (see `static/panic.js`), and its message goes to the console.
///
/// `#app` holds a static copy of the first render (the shell), so the Token field is on screen
/// before the wasm arrives. Yew replaces it on mount; what was pasted into it, its Redact
/// switch and its focus carry over to the app (`handover`).
pub fn start() {
    std::panic::set_hook(Box::new(|info| console_error(&info.to_string())));
    let document = web_sys::window().and_then(|w| w.document());
    let root = document.as_ref().and_then(|d| d.get_element_by_id("app"));
    let Some(root) = root else {
        yew::Renderer::<App>::new().render();
        return;
    };
    let Some(document) = document else {
        return;
    };
    let props = handover::read(&document, &root);
    yew::Renderer::<App>::with_root_and_props(root, props).render();
}

/// The element of the page with this `id`, if it is a `T`.
pub(crate) fn element_by_id<T: wasm_bindgen::JsCast>(id: &str) -> Option<T> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<T>(e).ok())
}

/// Runs `then` once `millis` have passed. Every timeout of the app is this one closure type,
/// so the wasm holds one copy of the timer's and the closure's glue rather than one per
/// closure.
pub(crate) fn after(millis: u32, then: Box<dyn FnOnce()>) {
    gloo::timers::callback::Timeout::new(millis, then).forget();
}

/// `then` as a JavaScript function to be called once (an animation frame's or an idle
/// callback's), of the one closure type [`after`] uses too.
pub(crate) fn once_js(then: Box<dyn FnOnce()>) -> wasm_bindgen::JsValue {
    wasm_bindgen::closure::Closure::once_into_js(then)
}
