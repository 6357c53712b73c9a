//! The Audit page.

use yew::prelude::*;

/// The Audit page: Every long-lived token Secret of a cluster: who can use it, whether it is used, and when it is cleaned up.
#[component]
pub fn Audit() -> Html {
    html! {
        <section aria-labelledby="audit-h">
            <h2 id="audit-h">{ "Audit" }</h2>
            <p>{ "Every long-lived token Secret of a cluster: who can use it, whether it is used, and when it is cleaned up." }</p>
        </section>
    }
}
