//! What a workload-identity token is for: the cloud, the cluster its issuer names, why the API
//! server does not take it, and the trust the cloud needs, written out for this token.

use yew::prelude::*;

use crate::ui::components::heading;

use crate::inspect::cloud::WorkloadIdentity;
use crate::ui::components::{copy_button, finding_item, shown};

/// The section under a token made for a cloud (see [`crate::inspect::cloud::recognise`]).
pub fn cloud_section(found: &WorkloadIdentity) -> Html {
    let facts = [
        (
            "Cloud",
            Some(
                if found.managed {
                    found.cloud.name()
                } else {
                    found.cloud.service()
                }
                .to_string(),
            ),
        ),
        ("Audience", Some(found.audience.clone())),
        (
            "Issuer",
            Some(if found.managed {
                "the cloud's managed issuer".to_string()
            } else {
                "self-managed (not the cloud's own)".to_string()
            }),
        ),
        (
            "AWS partition",
            found.partition.map(|p| p.name().to_string()),
        ),
        ("Region or location", found.region.clone()),
        ("Cluster", found.cluster.clone()),
        ("Project or tenant", found.account.clone()),
        (
            "Service account",
            found
                .service_account
                .as_ref()
                .map(|(ns, name)| format!("{ns}/{name}")),
        ),
    ];
    let trust = &found.trust;
    html! {
        <section class="cloud" aria-labelledby="cloud-h">
            { heading("cloud-h", "Made for a cloud") }
            <p>{ &found.summary }{ " The API server accepts a token only when one of its audiences is the server's own, so a token made for the cloud is not a cluster credential. What it is worth is what the cloud's trust lets it become." }</p>
            <table class="grid" aria-label="Cloud token">
                { for facts.iter().filter_map(|(term, value)| Some(html! {
                    <tr><th scope="row">{ *term }</th><td class="mono">{ shown(value.clone()?) }</td></tr>
                })) }
            </table>
            <ul class="findings">{ for found.findings.iter().map(|f| finding_item(f, None)) }</ul>
            <h3>{ trust.title }</h3>
            <p class="hint">{ &trust.note }</p>
            <div class="actions">{ copy_button(trust.text.clone().into(), (format!("Copy {}", trust.title)).into()) }</div>
            <pre class="mono" role="region" tabindex="0" aria-label={trust.title}>{ shown(trust.text.clone()) }</pre>
        </section>
    }
}
