//! What a form's output section says while its output cannot be written: an error once the
//! user has touched a field in question or asked, else a neutral hint naming what to fill in.

use std::fmt;

use yew::prelude::*;

use crate::support::error::{first_problem, Problem};
use crate::ui::components::shown;

/// `error` is the first problem the user should see as an error (a touched field's, or any
/// once they asked), with how many more; `None` when every problem is still a hint, which then
/// lists `pending` (the fields left to fill in) and offers **Show what is missing**.
pub fn not_written(error: Option<String>, pending: &str, onask: Callback<MouseEvent>) -> Html {
    match error {
        Some(text) => html! {
            <p class="error" role="alert">{ shown(format!("Not written yet: {text}")) }</p>
        },
        None => html! {
            <p class="hint pending">
                { format!("Not written yet: fill in {pending}. ") }
                <button type="button" onclick={onask}>{ "Show what is missing" }</button>
            </p>
        },
    }
}

/// The labels of `fields` for "fill in …": "A", "A and B", "A, B and C", each once.
pub fn field_list(fields: impl IntoIterator<Item = String>) -> String {
    let mut names: Vec<String> = Vec::new();
    for name in fields {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.split_last() {
        None => "the form".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// "Not written yet" for a form whose `errors` are shown as errors where `loud` says (a touched
/// field, or any once the user asked), the first of them named with where the rest are
/// (`elsewhere`), and the fields left to fill in named by `label`.
pub fn not_written_for<F: Copy + fmt::Display>(
    errors: &[Problem<F>],
    loud: impl Fn(F) -> bool,
    label: fn(F) -> &'static str,
    elsewhere: &str,
    onask: Callback<MouseEvent>,
) -> Html {
    let visible: Vec<Problem<F>> = errors.iter().filter(|p| loud(p.field)).cloned().collect();
    let error = (!visible.is_empty()).then(|| first_problem(&visible, elsewhere));
    let pending = field_list(errors.iter().map(|p| label(p.field).to_string()));
    not_written(error, &pending, onask)
}

/// The notes under one field: its errors (as errors once `loud`, else as hints), then each of
/// `others` with its class (warnings, notes), so every form words its fields' problems alike.
pub fn field_notes<F: PartialEq>(
    field: F,
    loud: bool,
    errors: &[Problem<F>],
    others: &[(&[Problem<F>], &'static str)],
) -> Html {
    let list = |list: &[Problem<F>], class: &'static str| -> Html {
        list.iter()
            .filter(|p| p.field == field)
            .map(|p| html! { <p class={classes!("field-note", class)}>{ &p.message }</p> })
            .collect()
    };
    let error = if loud { "field-error" } else { "field-hint" };
    html! { <>{ list(errors, error) }{ for others.iter().map(|(l, class)| list(l, class)) }</> }
}
