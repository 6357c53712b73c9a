//! The Token request page.

use yew::prelude::*;

/// The Token request page: Make a short-lived token the modern way: a TokenRequest or a projected volume, previewed.
#[component]
pub fn TokenRequest() -> Html {
    html! {
        <section aria-labelledby="token_request-h">
            <h2 id="token_request-h">{ "Token request" }</h2>
            <p>{ "Make a short-lived token the modern way: a TokenRequest or a projected volume, previewed." }</p>
        </section>
    }
}
