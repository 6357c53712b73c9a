//! The page's fixed texts in their usual elements: one function each, so the many fixed hints
//! and headings are calls rather than copies of an element's construction in the wasm.

use yew::prelude::*;

/// A hint under a field or a heading: `<p class="hint">`.
pub fn hint(text: &'static str) -> Html {
    html! { <p class="hint">{ text }</p> }
}

/// A section's heading, named by `id` for the section's `aria-labelledby`.
pub fn heading(id: &'static str, text: &'static str) -> Html {
    html! { <h2 {id}>{ text }</h2> }
}

/// A table's column heading.
pub fn col(text: &'static str) -> Html {
    html! { <th scope="col">{ text }</th> }
}

/// The label of the field whose id is `id`.
pub fn label(id: &'static str, text: &'static str) -> Html {
    html! { <label for={id}>{ text }</label> }
}

/// A plain paragraph.
pub fn para(text: &'static str) -> Html {
    html! { <p>{ text }</p> }
}
