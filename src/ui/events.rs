//! Handlers that turn a form control's new value into an action: one function for every
//! control of a kind, so a field costs a function pointer rather than a closure of its own.

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::ui::state::Action;

/// An `<input>`'s `input` handler: `make(x, value)` goes to `onaction`. `x` says which field,
/// where one kind of action serves several.
pub fn on_input<X: Copy + 'static>(
    onaction: &Callback<Action>,
    x: X,
    make: fn(X, String) -> Action,
) -> Callback<InputEvent> {
    let onaction = onaction.clone();
    Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        onaction.emit(make(x, input.value()));
    })
}

/// A `<textarea>`'s `input` handler: `make(value)` goes to `onaction`.
pub fn on_text(onaction: &Callback<Action>, make: fn(String) -> Action) -> Callback<InputEvent> {
    let onaction = onaction.clone();
    Callback::from(move |e: InputEvent| {
        let area: HtmlTextAreaElement = e.target_unchecked_into();
        onaction.emit(make(area.value()));
    })
}

/// A checkbox's `change` handler: `make(checked)` goes to `onaction`.
pub fn on_check(onaction: &Callback<Action>, make: fn(bool) -> Action) -> Callback<Event> {
    let onaction = onaction.clone();
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        onaction.emit(make(input.checked()));
    })
}

/// A button's `click` handler: `make()` goes to `onaction`. One closure for every button whose
/// action holds no data, where `reform` makes one for each.
pub fn on_click(onaction: &Callback<Action>, make: fn() -> Action) -> Callback<MouseEvent> {
    let onaction = onaction.clone();
    Callback::from(move |_: MouseEvent| onaction.emit(make()))
}

/// [`on_input`] for a field with an action of its own.
pub fn on_value(onaction: &Callback<Action>, make: fn(String) -> Action) -> Callback<InputEvent> {
    on_input(onaction, make, |make, value| make(value))
}
