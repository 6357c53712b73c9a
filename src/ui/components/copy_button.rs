//! A **Copy** button that puts an output on the clipboard and says so for a moment.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A button that copies `text` and says "Copied" for a moment, named `label` (e.g. "Copy
/// payload JSON"). The clipboard is written through the browser's own API; nothing is stored
/// or sent anywhere.
///
/// A plain function rather than a component with a `use_state`: the moment of "Copied" is
/// the button's own text node, rewritten in place and back, which every render leaves alone
/// (its virtual text stays "Copy"), so twenty buttons cost no component machinery.
pub fn copy_button(text: AttrValue, label: AttrValue) -> Html {
    let onclick = Callback::from(move |e: MouseEvent| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let _promise = window.navigator().clipboard().write_text(&text);
        let word = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|b| b.first_child());
        if let Some(word) = word {
            word.set_text_content(Some("Copied"));
            crate::ui::after(1_500, Box::new(move || word.set_text_content(Some("Copy"))));
        }
    });
    html! {
        <button type="button" class="copy" aria-label={label} {onclick}>{ "Copy" }</button>
    }
}
