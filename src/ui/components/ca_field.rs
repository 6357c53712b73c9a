//! The **CA certificate** field, shared by the Inspect, CA and Kubeconfig pages.

use yew::prelude::*;

use crate::ui::components::label;

use crate::ui::components::{paste_class, shown, text_to, FileField};
use crate::ui::events::on_text;
use crate::ui::state::{Action, CaAction, CaState, Slice};

/// Props of [`ca_field`].
#[derive(PartialEq)]
pub struct CaFieldProps {
    /// The field and what was read from it.
    pub ca: Slice<CaState>,
    /// Where its changes go.
    pub onaction: Callback<Action>,
}

/// The **CA certificate** field, shared by the inspector and the CA page, with the parser's
/// message when it does not read.
pub fn ca_field(props: &CaFieldProps) -> Html {
    let ca = &props.ca;
    let onca = on_text(&props.onaction, |v| CaAction::Set(v).into());
    html! {
        <>
            { label("ca", "CA certificate") }
            <p class="hint" id="ca-hint">
                { "The cluster's ca.crt: PEM (one certificate or a bundle), the base64 in a kubeconfig's certificate-authority-data or a Secret's ca.crt, or base64 DER. Filled in from a pasted Secret or kubeconfig." }
            </p>
            <textarea id="ca" class={classes!(paste_class(&ca.input))} aria-describedby="ca-hint" rows="5" spellcheck="false"
                autocomplete="off" value={ca.input.clone()} oninput={onca} />
            <FileField label="CA certificate" textarea="ca" ontext={text_to(&props.onaction, |v| CaAction::Set(v).into())} />
            if let Some(Err(error)) = &ca.bundle {
                <div class="error" role="alert"><strong>{ "Not a certificate. " }</strong>{ shown(error.to_string()) }</div>
            }
        </>
    }
}
