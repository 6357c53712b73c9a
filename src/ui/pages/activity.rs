//! The Activity page.

use yew::prelude::*;

/// The Activity page: What a token did, from the API server's audit events, and exactly the RBAC it needs.
#[component]
pub fn Activity() -> Html {
    html! {
        <section aria-labelledby="activity-h">
            <h2 id="activity-h">{ "Activity" }</h2>
            <p>{ "What a token did, from the API server's audit events, and exactly the RBAC it needs." }</p>
        </section>
    }
}
