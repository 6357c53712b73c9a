//! The **Verification key** field of the token page: the keys read, and the signature's status.

use yew::prelude::*;

use crate::ui::components::{col, label};

use crate::ui::components::heading;

use crate::crypto::keys::{kid_verdict, Plan, VerifyStatus};
use crate::ui::components::{paste_class, shown, text_to, FileField};
use crate::ui::events::on_text;
use crate::ui::state::{Action, InspectAction, InspectState, Slice};

/// Props of [`signature_panel`].
#[derive(PartialEq)]
pub struct SignaturePanelProps {
    /// The Inspect page's slice of the state.
    pub state: Slice<InspectState>,
    /// Where a change of the key goes.
    pub onaction: Callback<Action>,
}

/// The **Verification key** field, the keys read from it with their Kubernetes key IDs, and
/// the one status line that says whether the token's signature holds.
pub fn signature_panel(props: &SignaturePanelProps) -> Html {
    let state = &props.state;
    let onkey = on_text(&props.onaction, |v| InspectAction::SetKey(v).into());
    let token_kid = match &state.decoded {
        Some(Ok(jwt)) => jwt.kid().map(str::to_string),
        _ => None,
    };
    html! {
        <section class="verify" aria-labelledby="verify-h">
            { heading("verify-h", "Signature") }
            { label("key", "Verification key") }
            <p class="hint" id="key-hint">
                { "The cluster's JWKS (" }<code>{ "kubectl get --raw /openid/v1/jwks" }</code>
                { "), the API server's --service-account-key-file public key (PEM), or a certificate. Verified here with your browser's WebCrypto." }
            </p>
            <textarea id="key" class={classes!(paste_class(&state.key_input))} aria-describedby="key-hint" rows="4" spellcheck="false"
                autocomplete="off" value={state.key_input.clone()} oninput={onkey} />
            <FileField label="Verification key" textarea="key" ontext={text_to(&props.onaction, |v| InspectAction::SetKey(v).into())} />
            { keys_view(state, token_kid.as_deref()) }
            { status_line(state) }
        </section>
    }
}

fn keys_view(state: &InspectState, token_kid: Option<&str>) -> Html {
    match &state.keys {
        None => html! {},
        Some(Err(error)) => html! {
            <div class="error" role="alert"><strong>{ "No key read. " }</strong>{ shown(error.to_string()) }</div>
        },
        Some(Ok(set)) => html! {
            <>
                <table class="keys" tabindex="0">
                    <caption>{ "Keys read, with the key ID Kubernetes computes for each (base64url of the SHA-256 of the public key's DER)" }</caption>
                    <thead><tr>
                        { col("Key") }{ col("Type") }
                        { col("Kubernetes key ID") }{ col("Token's kid?") }
                    </tr></thead>
                    <tbody>
                        { for set.keys.iter().map(|key| {
                            html! {
                                <tr>
                                    <th scope="row">{ key.source.to_string() }
                                        if let Some(kid) = key.jwk_kid.as_ref().filter(|k| **k != key.kubernetes_kid) {
                                            <div class="hint">{ "states kid " }<span class="mono">{ kid }</span></div>
                                        }
                                    </th>
                                    <td>{ shown(key.algorithm.to_string()) }</td>
                                    <td class="mono value">{ shown(key.kubernetes_kid.clone()) }</td>
                                    <td>{ shown(kid_verdict(key, token_kid)) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                { for set.problems.iter().map(|p| html! { <p class="note">{ format!("Skipped: {p}") }</p> }) }
            </>
        },
    }
}

fn status_line(state: &InspectState) -> Html {
    let (text, class) = match (&state.verification, &state.plan) {
        (Some(status @ VerifyStatus::Verified { .. }), _) => (status.to_string(), "level-ok"),
        (Some(status), _) => (status.to_string(), "level-danger"),
        (None, Some(Plan::Check { reason, .. })) => {
            (format!("Checking the signature: {reason}…"), "level-info")
        }
        (None, _) if matches!(state.decoded, Some(Ok(_))) => (
            "Not checked: paste a verification key to check the signature.".to_string(),
            "level-info",
        ),
        (None, _) => return html! {},
    };
    html! {
        <p role="status" aria-label="Signature status" class={classes!("status", class)}>{ text }</p>
    }
}
