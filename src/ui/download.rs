//! Saving generated text as a file, entirely in the page: a Blob, an object URL and a click
//! on a detached link. Nothing is uploaded; the URL is revoked right after.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// A button's `click` handler that offers `text`, when there is one, as a download named
/// `file_name`: one closure for every download button of text already written.
pub fn on_save(
    file_name: String,
    mime: &'static str,
    text: Option<String>,
) -> yew::Callback<web_sys::MouseEvent> {
    yew::Callback::from(move |_: web_sys::MouseEvent| {
        if let Some(text) = &text {
            let _ = save(&file_name, mime, text);
        }
    })
}

/// Offers `text` as a download named `file_name`. Returns the browser's refusal, if any.
pub fn save(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&text.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser refused to make the file")?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|_| "no object URL")?;
    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no link")?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    let _ = Url::revoke_object_url(&url);
    Ok(())
}
