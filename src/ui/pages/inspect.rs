//! The Inspect page: paste a token in any form, see it decoded, explained and verified.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::ui::components::{heading, hint, label, para};

use crate::inspect::explain::explain_verified;
use crate::redact;
use crate::ui::components::{addr, finding_item, live, shown, Moment};
use crate::ui::components::{
    ca_field, example_buttons, paste_class, signature_panel, token_report, token_summary,
    CaFieldProps, CertPaste, ClientCertSection, ExampleButtonsProps, SignaturePanelProps,
    TokenReportProps,
};
use crate::ui::events::{on_click, on_text};
use crate::ui::route::Route;
use crate::ui::state::{Action, CaState, DemoState, InspectAction, InspectState, Slice};

/// Props of [`inspect`] (`Properties` too, so tests can mount it).
#[derive(Properties, PartialEq, Clone)]
pub struct InspectProps {
    /// The page's slice of the state.
    pub state: Slice<InspectState>,
    /// The **CA certificate** field, shared with the CA and kubeconfig pages.
    pub ca: Slice<CaState>,
    /// The built-in examples.
    pub demo: Slice<DemoState>,
    /// The **Redact** switch.
    pub redact: bool,
    /// Where the page's actions go.
    pub onaction: Callback<Action>,
}

/// `#/inspect`: paste anything that holds a token, see it decoded and explained, live: the
/// times follow the clock, and what is below the fold waits for a paint ([`live`]).
pub fn inspect(props: &InspectProps) -> Html {
    let deps = [
        addr(&props.state),
        addr(&props.ca),
        addr(&props.demo),
        usize::from(props.redact),
    ];
    // A paste into an empty field paints its summary first and the details a frame later;
    // on a cold start the field comes first, and the other panels a frame later.
    let decoded = matches!(props.state.decoded, Some(Ok(_)));
    let props = props.clone();
    live(1, decoded, true, deps, Rc::new(move |m| view(&props, m)))
}

fn view(props: &InspectProps, m: &Moment) -> Html {
    let state = &props.state;
    let now = m.now;
    // With Redact on, the report is explained from a masked copy of the token, so every row,
    // the identity and its extra fields show its uids masked wherever they sit.
    let decoded = match &state.decoded {
        Some(Ok(jwt)) => {
            let masked = props.redact.then(|| redact::jwt(jwt));
            let shown = masked.as_ref().unwrap_or(jwt);
            Some((
                jwt,
                explain_verified(shown, now, state.verification.as_ref()),
            ))
        }
        _ => None,
    };
    let (details, panels) = (m.details, m.panels);
    let ontoken = on_text(&props.onaction, |v| InspectAction::SetToken(v).into());
    let onclear = on_click(&props.onaction, || InspectAction::Clear.into());
    let onchoose = {
        let onaction = props.onaction.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(index) = select.value().parse() {
                onaction.emit(InspectAction::Choose(index).into());
            }
        })
    };

    html! {
        <>
            <section class="paste" aria-labelledby="paste-h">
                { heading("paste-h", "Paste") }
                { label("token", "Token") }
                <p class="hint" id="token-hint">
                    { "A raw JWT, a Bearer header, the base64 from a Secret's data.token, a whole Secret (kubectl get secret -o yaml or -o json), kubectl describe secret output, or a kubeconfig. Nothing you paste leaves this page or is stored." }
                </p>
                <textarea id="token" class={classes!(paste_class(&state.token_input))} aria-describedby="token-hint" rows="6" spellcheck="false"
                    autocomplete="off" autocapitalize="off" value={state.token_input.clone()}
                    placeholder="eyJhbGciOiJSUzI1NiIsImtpZCI6…" oninput={ontoken} />
                <div class="actions">
                    <button type="button" onclick={onclear} disabled={state.token_input.is_empty()}>{ "Clear" }</button>
                </div>
                // Room for the "Recognised" line is kept while the field is empty, so a paste
                // moves nothing below it: the frame then repaints only what changed.
                <div class="found">{ recognised(state, onchoose) }</div>
            </section>

            { match (&decoded, &state.decoded) {
                (Some((_, report)), _) => token_summary(report),
                (None, Some(Err(error))) => html! {
                    <div class="error" role="alert">
                        <strong>{ "The token cannot be decoded. " }</strong>{ shown(error.to_string()) }
                    </div>
                },
                (None, _) if state.recognised.is_none() => empty_state(),
                (None, _) => html! {},
            } }

            // Short, and it changes what the token is: it comes with the summary.
            if let Some((jwt, _)) = decoded.as_ref() {
                { cloud(jwt) }
            }

            // A certificate or a kubeconfig's other sign-ins: who they are, beside the token.
            <ClientCertSection paste={CertPaste::Inspect(state.clone())} ca={props.ca.clone()} {now} onaction={props.onaction.clone()} />

            if panels {
                { example_buttons(&ExampleButtonsProps { demo: props.demo.clone(), onaction: props.onaction.clone() }) }

                { signature_panel(&SignaturePanelProps { state: state.clone(), onaction: props.onaction.clone() }) }

                <section class="ca" aria-labelledby="ca-h">
                    { heading("ca-h", "Cluster CA") }
                    { ca_field(&CaFieldProps { ca: props.ca.clone(), onaction: props.onaction.clone() }) }
                    { ca_summary(&props.ca) }
                </section>
            }

            if let (Some((jwt, report)), true) = (decoded, details) {
                { token_report(&TokenReportProps { jwt: jwt.clone(), report, redact: props.redact, now }) }
                { crate::ui::export::inspect(jwt, now) }
            }

            if panels {
                { decode_in_python() }
            }
        </>
    }
}

fn recognised(state: &InspectState, onchoose: Callback<Event>) -> Html {
    match &state.recognised {
        None => html! {},
        // No token, but not nothing: **Who this is** below reads the certificate.
        Some(Err(_)) if crate::inspect::client_cert::is_certificate(&state.token_input) => html! {
            <p class="recognised" role="status" aria-label="Recognised input">
                { "Recognised: a certificate, not a token. Who this is, below, reads it as a client certificate; a cluster's CA belongs in CA certificate." }
            </p>
        },
        Some(Err(error)) => html! {
            <div class="error" role="alert"><strong>{ "Nothing to decode. " }</strong>{ shown(error.to_string()) }</div>
        },
        Some(Ok(found)) => html! {
            <>
                <p class="recognised" role="status" aria-label="Recognised input">
                    { format!("Recognised: {}", found.form.label()) }
                    if let Some(c) = found.candidates.get(state.chosen).filter(|c| c.label != found.form.label()) {
                        { shown(format!(" — {}", c.label)) }
                    }
                </p>
                if found.candidates.len() > 1 {
                    { label("choose", "Token to inspect") }
                    <select id="choose" onchange={onchoose}>
                        { for found.candidates.iter().enumerate().map(|(i, c)| html! {
                            <option value={i.to_string()} selected={i == state.chosen}>{ &c.label }</option>
                        }) }
                    </select>
                }
                if !found.notes.is_empty() {
                    <ul class="findings" aria-label="Notes on the paste">
                        { for found.notes.iter().map(|n| finding_item(n, None)) }
                    </ul>
                }
            </>
        },
    }
}

fn empty_state() -> Html {
    html! {
        <section class="empty" aria-labelledby="empty-h">
            { heading("empty-h", "What you will see") }
            { para("Paste a token to see its header and claims explained, whether it is a legacy or a bound token, when it expires, the identity the API server derives from it, and what to watch out for.") }
            <p>{ "Get one with " }<code>{ "kubectl create token NAME" }</code>{ ", from a pod at " }<code>{ "/var/run/secrets/kubernetes.io/serviceaccount/token" }</code>{ ", or paste a whole Secret or kubeconfig." }</p>
        </section>
    }
}

fn ca_summary(ca: &CaState) -> Html {
    let Some(Ok(bundle)) = &ca.bundle else {
        return html! {};
    };
    let subjects: Vec<String> = bundle.certs.iter().map(|c| c.subject.clone()).collect();
    html! {
        <p class="note">
            { format!("{} certificate{}: {}. ", subjects.len(), if subjects.len() == 1 { "" } else { "s" }, subjects.join("; ")) }
            <a href={Route::Ca.href()}>{ "See it explained" }</a>
        </p>
    }
}

/// A token made for a cloud: what it is for, and the trust the cloud needs.
fn cloud(jwt: &crate::token::jwt::RawJwt) -> Html {
    match crate::inspect::cloud::recognise(&jwt.payload) {
        Some(found) => crate::ui::components::cloud_section(&found),
        None => html! {},
    }
}

/// **Decode in Python**: the PyJWT 2 way to read a token without verifying it.
fn decode_in_python() -> Html {
    html! {
        <section class="commands" aria-labelledby="pyjwt-h">
            { heading("pyjwt-h", "Decode in Python") }
            { hint("Older tutorials write jwt.decode(token, verify=False), which PyJWT 2 no longer honours. This is the PyJWT 2 way to read a token without verifying it; the token comes from $TOKEN, not from this page.") }
            { crate::ui::components::snippet_figure(&crate::kubeconfig::snippets::pyjwt_decode()) }
        </section>
    }
}
