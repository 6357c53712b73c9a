//! The CA page's report: each certificate's findings and rows, then how the bundle chains.

use yew::prelude::*;

use crate::ui::components::para;

use crate::ui::components::heading;

use crate::crypto::x509;
use crate::picture::chain::chain;
use crate::ui::components::{finding_item, picture_view, shown};
use crate::ui::state::{CaState, CheckedLink, Slice};

/// Props of [`ca_report`].
#[derive(PartialEq)]
pub struct CaReportProps {
    /// The certificates read from **CA certificate**, and how they chain (computed once per
    /// paste), each link with WebCrypto's answer once known. Compared by pointer, not by the
    /// certificates' contents.
    pub ca: Slice<CaState>,
    /// The current time, for validity.
    pub now: i64,
}

/// Each certificate explained, then how they chain and whether each link's signature holds.
pub fn ca_report(props: &CaReportProps) -> Html {
    let Some(Ok(bundle)) = &props.ca.bundle else {
        return html! {};
    };
    let report = x509::summarise(&bundle.certs, props.now);
    html! {
        <div class="report ca-report">
            { for report.certs.iter().enumerate().map(|(i, cert)| html! {
                <section aria-labelledby={format!("cert-{i}-h")}>
                    <h2 id={format!("cert-{i}-h")}>{ &cert.title }</h2>
                    if !cert.findings.is_empty() {
                        <ul class="findings" aria-label={format!("Findings for certificate {}", i + 1)}>
                            { for cert.findings.iter().map(|f| finding_item(&f.finding, None)) }
                        </ul>
                    }
                    <table class="rows" tabindex="0">
                        <tbody>
                            { for cert.rows.iter().map(|row| html! {
                                <tr><th scope="row">{ row.label }</th><td class="mono value">{ shown(row.value.clone()) }</td></tr>
                            }) }
                        </tbody>
                    </table>
                </section>
            }) }
            <section aria-labelledby="chain-h">
                { heading("chain-h", "Chain") }
                if props.ca.links.is_empty() {
                    { para("No certificate here names another one of the bundle (or itself) as its issuer.") }
                } else {
                    { picture_view(
                        &chain(&bundle.certs, &props.ca.links.iter().map(|l| (&l.link, l.result.as_ref())).collect::<Vec<_>>(), props.now).picture(),
                        "certificate-chain.svg",
                        "The chain, drawn: each certificate's validity on one time axis (red: not valid now), and a line to the certificate that signed it (green: the signature verified; red: it does not).",
                    ) }
                    <ul class="chain">
                        { for props.ca.links.iter().map(|CheckedLink { link, result }| html! {
                            <li>
                                <p>{ &link.summary }</p>
                                <p class="hint">{ link.key_ids.sentence() }</p>
                                <p class="status">{ x509::signature_status(result.as_ref()) }</p>
                            </li>
                        }) }
                    </ul>
                }
            </section>
            { for bundle.problems.iter().map(|p| html! { <p class="note">{ format!("Skipped: {p}") }</p> }) }
        </div>
    }
}
