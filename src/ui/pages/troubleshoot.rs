//! The Troubleshoot page.

use yew::prelude::*;

/// The Troubleshoot page: Paste the error kubectl, curl or a client library gave you, to see why and get the least-privilege fix.
#[component]
pub fn Troubleshoot() -> Html {
    html! {
        <section aria-labelledby="troubleshoot-h">
            <h2 id="troubleshoot-h">{ "Troubleshoot" }</h2>
            <p>{ "Paste the error kubectl, curl or a client library gave you, to see why and get the least-privilege fix." }</p>
        </section>
    }
}
