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

/// Mounts the app on `<body>`. A panic shows the fallback in `index.html` instead of a
/// frozen page (see `static/panic.js`), and its message goes to the console.
pub fn start() {
    console_error_panic_hook::set_once();
    yew::Renderer::<App>::new().render();
}
