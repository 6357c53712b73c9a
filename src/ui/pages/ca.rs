//! The CA page: a certificate or bundle explained, and how it chains.

use yew::prelude::*;

use crate::ui::components::para;

use crate::ui::components::heading;

use crate::ui::components::{ca_field, ca_report, CaFieldProps, CaReportProps};
use crate::ui::hooks::use_now;
use crate::ui::state::{Action, CaState, Slice};

/// Props of [`Ca`].
#[derive(Properties, PartialEq)]
pub struct CaProps {
    /// The **CA certificate** field and what was read from it.
    pub state: Slice<CaState>,
    /// Where the page's actions go.
    pub onaction: Callback<Action>,
}

/// `#/ca`: the cluster CA certificate or bundle, each certificate explained and the chain
/// checked.
#[component]
pub fn Ca(props: &CaProps) -> Html {
    let state = &props.state;
    let now = use_now();
    html! {
        <>
            <section class="paste" aria-labelledby="ca-page-h">
                { heading("ca-page-h", "Cluster CA") }
                { ca_field(&CaFieldProps { ca: state.clone(), onaction: props.onaction.clone() }) }
            </section>
            <section class="aside" aria-labelledby="ca-why-h">
                { heading("ca-why-h", "Why it matters") }
                { para("Clients trust the API server only if its serving certificate chains to this CA. Pods find it at /var/run/secrets/kubernetes.io/serviceaccount/ca.crt; kubeconfigs embed it as certificate-authority-data.") }
            </section>
            { match &state.bundle {
                Some(Ok(_)) => ca_report(&CaReportProps { ca: state.clone(), now }),
                Some(Err(_)) => html! {},
                None => html! {
                    <section class="empty" aria-labelledby="ca-empty-h">
                        { heading("ca-empty-h", "What you will see") }
                        { para("For each certificate: subject and issuer, serial, validity, key, signature algorithm, names (SANs), key usages, CA and name constraints, critical extensions, key identifiers and fingerprints as openssl prints them; for a bundle, how the certificates chain and whether each signature holds.") }
                    </section>
                },
            } }
        </>
    }
}
