//! The page for an unknown link.

use yew::prelude::*;

use crate::ui::components::heading;

use crate::ui::route::Route;

/// Shown for an unknown `#/…` link, with a way back.
pub fn not_found() -> Html {
    html! {
        <section aria-labelledby="nf-h">
            { heading("nf-h", "No such page") }
            <p>{ "This link points at a page Tokenscope does not have. " }
                <a href={Route::Inspect.href()}>{ "Go to the token inspector" }</a>{ "." }</p>
        </section>
    }
}
