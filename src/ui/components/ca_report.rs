use yew::prelude::*;

use crate::ui::state::{CaState, CheckedLink, Slice};
use crate::x509::{self, KeyIdCheck, Severity};

/// Props of [`CaReport`].
#[derive(Properties, PartialEq)]
pub struct CaReportProps {
    /// The certificates read from **CA certificate**, and how they chain (computed once per
    /// paste), each link with WebCrypto's answer once known. Compared by pointer, not by the
    /// certificates' contents.
    pub ca: Slice<CaState>,
    /// The current time, for validity.
    pub now: i64,
}

/// Each certificate explained, then how they chain and whether each link's signature holds.
#[component]
pub fn CaReport(props: &CaReportProps) -> Html {
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
                            { for cert.findings.iter().map(|f| html! {
                                <li class={if f.severity == Severity::Problem { "level-danger" } else { "level-warning" }}>
                                    <strong>{ &f.title }</strong><p>{ &f.why }</p>
                                </li>
                            }) }
                        </ul>
                    }
                    <table class="rows">
                        <tbody>
                            { for cert.rows.iter().map(|row| html! {
                                <tr><th scope="row">{ row.label }</th><td class="mono value">{ &row.value }</td></tr>
                            }) }
                        </tbody>
                    </table>
                </section>
            }) }
            <section aria-labelledby="chain-h">
                <h2 id="chain-h">{ "Chain" }</h2>
                if props.ca.links.is_empty() {
                    <p>{ "No certificate here names another one of the bundle (or itself) as its issuer." }</p>
                } else {
                    <ul class="chain">
                        { for props.ca.links.iter().map(|CheckedLink { link, result }| html! {
                            <li>
                                <p>{ &link.summary }</p>
                                <p class="hint">{ match link.key_ids {
                                    KeyIdCheck::Match => "Key identifiers match (authority key ID = issuer's subject key ID).",
                                    KeyIdCheck::Mismatch => "Key identifiers do NOT match: the issuer's key is not the one that signed.",
                                    KeyIdCheck::NotStated => "No key identifiers to compare; matched by name.",
                                } }</p>
                                <p class="status">{ match result {
                                    None => "Checking the signature…".to_string(),
                                    Some(Ok(true)) => "Signature verified.".to_string(),
                                    Some(Ok(false)) => "Signature does NOT verify.".to_string(),
                                    Some(Err(why)) => format!("Signature not checked: {why}"),
                                } }</p>
                            </li>
                        }) }
                    </ul>
                }
            </section>
            { for bundle.problems.iter().map(|p| html! { <p class="note">{ format!("Skipped: {p}") }</p> }) }
        </div>
    }
}
