use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::ui::components::paste_class;
use crate::ui::state::{Action, Shared};

/// Props of [`CaField`].
#[derive(Properties, PartialEq)]
pub struct CaFieldProps {
    /// The app's state and its dispatcher.
    pub state: Shared,
}

/// The **CA certificate** field, shared by the inspector and the CA page, with the parser's
/// message when it does not read.
#[component]
pub fn CaField(props: &CaFieldProps) -> Html {
    let state = &props.state;
    let onca = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::SetCa(area.value()));
        })
    };
    html! {
        <>
            <label for="ca">{ "CA certificate" }</label>
            <p class="hint" id="ca-hint">
                { "The cluster's ca.crt: PEM (one certificate or a bundle), the base64 in a kubeconfig's certificate-authority-data or a Secret's ca.crt, or base64 DER. Filled in from a pasted Secret or kubeconfig." }
            </p>
            <textarea id="ca" class={classes!(paste_class(&state.ca_input))} aria-describedby="ca-hint" rows="5" spellcheck="false"
                autocomplete="off" value={state.ca_input.clone()} oninput={onca} />
            if let Some(Err(error)) = &state.ca {
                <div class="error" role="alert"><strong>{ "Not a certificate. " }</strong>{ error.to_string() }</div>
            }
        </>
    }
}
