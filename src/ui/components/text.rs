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

pub use crate::state::ROWS_STEP;

/// Under a table of `total` rows of which `shown` are drawn: how many, and **Show more**,
/// which hands `onmore` the new count.
pub fn more_rows(shown: usize, total: usize, what: &'static str, onmore: &Callback<usize>) -> Html {
    let drawn = shown.min(total);
    if drawn >= total {
        return Html::default();
    }
    let next = (total - drawn).min(ROWS_STEP);
    let onclick = onmore.reform(move |_: MouseEvent| drawn + next);
    html! {
        <p class="note" role="status">
            { format!("Showing {drawn} of {total} {what}. ") }
            <button type="button" {onclick}>{ format!("Show {next} more") }</button>
        </p>
    }
}
