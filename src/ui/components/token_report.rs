//! A decoded token explained: its kind, times, identity, findings, header and claims.

use yew::prelude::*;

use crate::ui::components::{col, heading, hint, para};

use crate::inspect::explain::{Report, Row};
use crate::picture::timeline::timeline;
use crate::redact;
use crate::token::jwt::RawJwt;
use crate::ui::components::{copy_button, finding_item, level_class, picture_view, shown};

/// Props of [`token_report`] (`Properties` too, so tests can mount it).
#[derive(Properties, PartialEq)]
pub struct TokenReportProps {
    /// The decoded token.
    pub jwt: RawJwt,
    /// What the core says about it at the current time; with `redact`, explained from
    /// [`redact::jwt`]'s masked copy.
    pub report: Report,
    /// Show the token's segments and raw JSON masked (the **Redact** switch); the copy
    /// buttons still copy the real JSON.
    pub redact: bool,
    /// The time the report was explained at, where the timeline draws now.
    pub now: i64,
}

/// The details of one decoded token, below its [`token_summary`]: segments, findings, identity,
/// times, header, claims and the raw JSON, in sections a screen reader can jump between (each
/// a region named by its heading).
pub fn token_report(props: &TokenReportProps) -> Html {
    let TokenReportProps {
        jwt: real,
        report,
        redact,
        now,
    } = props;
    let masked = redact.then(|| redact::jwt(real));
    let jwt = masked.as_ref().unwrap_or(real);
    html! {
        <div class="report">
            // A preview of claims has no segments to show.
            if !real.payload_b64.is_empty() {
            <section aria-labelledby="segments-h">
                { heading("segments-h", "Segments") }
                <p class="segments mono">
                    <span class="seg-header" title="header">{ &jwt.header_b64 }</span>
                    <span class="dot">{ "." }</span>
                    <span class="seg-payload" title="payload">{ &jwt.payload_b64 }</span>
                    <span class="dot">{ "." }</span>
                    <span class="seg-signature" title="signature">{ &jwt.signature_b64 }</span>
                </p>
                <p class="legend">
                    <span class="seg-header">{ "header" }</span>{ " · " }
                    <span class="seg-payload">{ "payload" }</span>{ " · " }
                    <span class="seg-signature">{ format!("signature ({} bytes)", jwt.signature.len()) }</span>
                </p>
            </section>
            }

            <section aria-labelledby="findings-h">
                { heading("findings-h", "Findings") }
                <ul class="findings">
                    { for report.findings.iter().map(|f| finding_item(f, None)) }
                </ul>
            </section>

            <section aria-labelledby="identity-h">
                { heading("identity-h", "Identity") }
                { identity(report) }
            </section>

            <section aria-labelledby="times-h">
                { heading("times-h", "Times") }
                { picture_view(&timeline(&report.times, *now).picture(), "token-timeline.svg",
                    if report.times.is_empty() { "The token carries no times (iat, nbf, exp)." } else { "The Times table below says the same in words." }) }
                if !report.times.is_empty() {
                    <table tabindex="0">
                        <thead><tr>{ col("When") }{ col("Claim") }{ col("UTC") }{ col("Relative") }</tr></thead>
                        <tbody>
                            { for report.times.iter().map(|t| html! {
                                <tr><th scope="row">{ t.label }</th><td class="mono">{ shown(t.claim) }</td><td class="mono">{ shown(t.iso.clone()) }</td><td>{ shown(t.relative.clone()) }</td></tr>
                            }) }
                        </tbody>
                    </table>
                }
            </section>

            <section aria-labelledby="header-h">
                { heading("header-h", "Header") }
                { rows_table(&report.header, "Field") }
            </section>

            <section aria-labelledby="claims-h">
                { heading("claims-h", "Claims") }
                { rows_table(&report.claims, "Claim") }
            </section>

            <section aria-labelledby="raw-h">
                { heading("raw-h", "Raw JSON") }
                <div class="raw">
                    <figure>
                        <figcaption>{ "Header " }{ copy_button(real.header_pretty().into(), "Copy header JSON".into()) }</figcaption>
                        <pre class="mono" role="region" tabindex="0" aria-label="Header JSON">{ shown(jwt.header_pretty()) }</pre>
                    </figure>
                    <figure>
                        <figcaption>{ "Payload " }{ copy_button(real.payload_pretty().into(), "Copy payload JSON".into()) }</figcaption>
                        <pre class="mono" role="region" tabindex="0" aria-label="Payload JSON">{ shown(jwt.payload_pretty()) }</pre>
                    </figure>
                </div>
            </section>
        </div>
    }
}

/// What kind of token this is, whether it is valid now, and its lifetime: the first thing a
/// paste shows, beside the field on a wide screen and right under it on a narrow one. A plain
/// function, not a component: the page re-renders it with the report anyway.
pub fn token_summary(report: &Report) -> Html {
    html! {
        <section class="summary" aria-labelledby="summary-h">
            { heading("summary-h", "Summary") }
            <p class={classes!("badge", kind_class(&report.kind.text))}>{ &report.kind.text }</p>
            <p>{ &report.kind.detail }</p>
            <p role="status" aria-live="polite" aria-label="Validity"
                class={classes!("status", level_class(report.status.level))}>
                { &report.status.text }
            </p>
            if let Some(lifetime) = &report.lifetime {
                <p>{ format!("Lifetime: {lifetime} (from iat to exp).") }</p>
            }
        </section>
    }
}

fn kind_class(text: &str) -> &'static str {
    if text.starts_with("Legacy") {
        "kind-legacy"
    } else if text.starts_with("Bound") {
        "kind-bound"
    } else {
        "kind-other"
    }
}

fn rows_table(rows: &[Row], first: &'static str) -> Html {
    html! {
        <table class="rows" tabindex="0">
            <thead><tr><th scope="col">{ first }</th>{ col("Value") }{ col("Meaning") }</tr></thead>
            <tbody>
                { for rows.iter().map(|row| html! {
                    <tr class={classes!((!row.known).then_some("unknown"))}>
                        <th scope="row" class="mono">{ &row.name }</th>
                        <td class="mono value">{ shown(row.value.clone()) }</td>
                        <td>
                            if !row.known { <span class="tag">{ "unknown" }</span>{ " " } }
                            { &row.meaning }
                        </td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn identity(report: &Report) -> Html {
    let Some(id) = &report.identity else {
        return html! {
            { para("The API server's service-account authenticator derives no identity from this token: it names no service account.") }
        };
    };
    html! {
        <>
            { para("If the signature and times check out, the API server treats the bearer as:") }
            <dl class="identity">
                <dt>{ "Username" }</dt><dd class="mono">{ shown(id.username.clone()) }</dd>
                if let Some(uid) = &id.uid {
                    <dt>{ "UID" }</dt><dd class="mono">{ shown(uid.clone()) }</dd>
                }
                <dt>{ "Groups" }</dt>
                <dd><ul>{ for id.groups.iter().map(|g| html! { <li class="mono">{ g }</li> }) }</ul></dd>
                if !id.extra.is_empty() {
                    <dt>{ "Extra" }</dt>
                    <dd><ul>{ for id.extra.iter().map(|(k, v)| html! { <li class="mono">{ format!("{k}: {v}") }</li> }) }</ul></dd>
                }
            </dl>
            { hint("RBAC rules bind to this username or to these groups; the extra fields appear in audit logs and admission.") }
        </>
    }
}
