//! The CA page: a certificate or bundle explained, and how it chains.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::components::para;

use crate::ui::components::heading;

use crate::support::time::UnixSeconds;
use crate::ui::components::{addr, live};
use crate::ui::components::{ca_field, ca_report, CaFieldProps, CaReportProps};
use crate::ui::state::{Action, CaState, Slice};

/// Props of [`ca`] (`Properties` too, so tests can mount it).
#[derive(Properties, PartialEq, Clone)]
pub struct CaProps {
    /// The **CA certificate** field and what was read from it.
    pub state: Slice<CaState>,
    /// Where the page's actions go.
    pub onaction: Callback<Action>,
}

/// `#/ca`: the cluster CA certificate or bundle, each certificate explained and the chain
/// checked, at a time that follows the clock ([`live`]).
pub fn ca(props: &CaProps) -> Html {
    let deps = [addr(&props.state), 0, 0, 0];
    let props = props.clone();
    live(1, false, false, deps, Rc::new(move |m| view(&props, m.now)))
}

fn view(props: &CaProps, now: UnixSeconds) -> Html {
    let state = &props.state;
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
