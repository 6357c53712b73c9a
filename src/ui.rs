//! The browser shell: the only module that knows about yew, web-sys, gloo and js-sys.
//!
//! Components hold state and render what the core returns; they compute nothing of their
//! own beyond formatting. `tests/tidy.rs` keeps web crates out of every other module.

mod app;
pub mod components;
mod crypto;
mod download;
pub mod hooks;
pub mod pages;
pub mod route;
pub mod state;

pub use app::App;

/// Mounts the app on `<div id="app">`, beside (not over) the crash notice in `index.html`:
/// mounted on `<body>`, Yew replaced the notice, so a panic left a frozen page after all. A
/// panic now shows it (see `static/panic.js`), and its message goes to the console.
pub fn start() {
    console_error_panic_hook::set_once();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<App>::with_root(root).render(),
        None => yew::Renderer::<App>::new().render(),
    };
}
