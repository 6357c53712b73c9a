//! A **Copy** button that puts an output on the clipboard and says so for a moment.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// Props of [`CopyButton`].
#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// What goes to the clipboard.
    pub text: AttrValue,
    /// The accessible name, e.g. "Copy payload JSON".
    pub label: AttrValue,
}

/// A button that copies `text` and says "Copied" for a moment. The clipboard is written
/// through the browser's own API; nothing is stored or sent anywhere.
#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let copied = use_state(|| false);
    let onclick = {
        let (text, copied) = (props.text.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(window) = web_sys::window() {
                let _promise = window.navigator().clipboard().write_text(&text);
                copied.set(true);
                let copied = copied.clone();
                Timeout::new(1_500, move || copied.set(false)).forget();
            }
        })
    };
    html! {
        <button type="button" class="copy" aria-label={props.label.clone()} {onclick}>
            { if *copied { "Copied" } else { "Copy" } }
        </button>
    }
}

/// A [`CopyButton`] for `text`, named `label`: one function for the many copy buttons, so
/// each is a call rather than a copy of the component's construction.
pub fn copy_button(text: AttrValue, label: AttrValue) -> Html {
    html! { <CopyButton {text} {label} /> }
}
