//! Getting the demo files (`examples.json`) in the browser: from the page itself when it
//! carries them (the single-file build, which fetches nothing), else from the app's own folder,
//! where the service worker serves its precached copy offline.

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Response};

use crate::learn::demo::DemoFiles;

/// Where the single-file build puts the demo files: a `<script type="application/json">`.
const INLINE_ID: &str = "tokenscope-examples";
/// The build's file, relative to the page, so the app works under any sub-path.
const URL: &str = "examples.json";

/// The demo files, or a message that says why they could not be had.
pub async fn load() -> Result<Rc<DemoFiles>, String> {
    let text = match super::element_by_id::<Element>(INLINE_ID).and_then(|e| e.text_content()) {
        Some(text) => text,
        None => fetch_text().await?,
    };
    DemoFiles::from_json(&text)
        .map(Rc::new)
        .map_err(|e| e.to_string())
}

async fn fetch_text() -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let failed = |e: JsValue| {
        format!(
            "The examples could not be loaded ({URL}: {}). Reload the page once online.",
            super::crypto::message(e)
        )
    };
    let response: Response = JsFuture::from(window.fetch_with_str(URL))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(failed)?;
    if !response.ok() {
        return Err(format!(
            "The examples could not be loaded ({URL}: HTTP {}). Reload the page.",
            response.status()
        ));
    }
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?;
    text.as_string()
        .ok_or_else(|| format!("The examples could not be loaded ({URL} is not text)."))
}
