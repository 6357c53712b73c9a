//! `#/token`: a short-lived token asked for the modern way (`kubectl create token`, a
//! TokenRequest, a projected volume), with the claims it will carry previewed.

use std::rc::Rc;

use web_sys::HtmlSelectElement;

use yew::prelude::*;

use crate::ui::components::{heading, hint, label};

use crate::redact;
use crate::support::time::UnixSeconds;
use crate::token_request::{self, BoundKind, Field, Preview, TokenForm, TokenOutput};
use crate::ui::components::{addr, live};
use crate::ui::components::{
    command_figure, copy_button, field_notes, not_written_for, token_report, TokenReportProps,
};
use crate::ui::download;
use crate::ui::events::{on_check, on_click, on_input, on_text};
use crate::ui::state::{token_field_key, Action, Slice, TokenAction, TokenState};

/// Props of [`token_request`] (`Properties` too, so tests can mount it).
#[derive(Properties, PartialEq, Clone)]
pub struct TokenRequestProps {
    /// The page's slice of the state.
    pub state: Slice<TokenState>,
    /// The **Redact** switch.
    pub redact: bool,
    /// Where the page's actions go.
    pub onaction: Callback<Action>,
}

/// The kinds **Bound object** offers, with the value of their option.
const BOUND: [(Option<BoundKind>, &str); 4] = [
    (None, "none"),
    (Some(BoundKind::Pod), "Pod"),
    (Some(BoundKind::Secret), "Secret"),
    (Some(BoundKind::Node), "Node"),
];

/// `#/token`: the form, the command, the TokenRequest with its `curl`, the Pod manifest and the
/// preview of the claims, live.
pub fn token_request(props: &TokenRequestProps) -> Html {
    // The preview's times count from now; once a minute is enough for "in 1 hour". [`live`]
    // renders the view only when the form, Redact or that minute changes, so the outputs
    // are built once for each.
    let deps = [addr(&props.state), usize::from(props.redact), 0, 0];
    let props = props.clone();
    live(
        60,
        false,
        false,
        deps,
        Rc::new(move |m| view(&props, m.now)),
    )
}

fn view(props: &TokenRequestProps, now: UnixSeconds) -> Html {
    let state = &props.state;
    // With Redact on, the screen shows outputs written from a copy of the form whose bound
    // uid is masked; copy and download give the real ones.
    let output = token_request::build(&state.form, now);
    let masked_output = props
        .redact
        .then(|| token_request::build(&masked(&state.form), now));
    // The preview explained as the inspector explains a token; with Redact on, from the
    // masked copy the report component shows.
    let report = output.preview.as_ref().map(|preview| {
        if props.redact {
            let jwt = redact::jwt(&preview.jwt);
            Preview {
                jwt,
                ..preview.clone()
            }
            .report(now)
        } else {
            preview.report(now)
        }
    });
    let output = &output;
    let shown = masked_output.as_ref().unwrap_or(output);
    let loud = |field: Field| {
        state.touched.has(token_field_key(field)) || !field_value(state, field).trim().is_empty()
    };
    let problems = |field: Field| -> Html {
        field_notes(
            field,
            loud(field),
            &output.errors,
            &[(&output.warnings, "field-warning"), (&output.notes, "hint")],
        )
    };
    let text_field = |field: Field, placeholder: &str, hint: &str| -> Html {
        let id = field_id(field);
        let oninput = on_input(&props.onaction, field, |f, v| {
            TokenAction::Edit(f, v).into()
        });
        html! {
            <div class="field">
                <label for={id}>{ field.label() }</label>
                if !hint.is_empty() { <p class="hint">{ hint.to_string() }</p> }
                <input id={id} type="text" spellcheck="false" autocomplete="off"
                    value={field_value(state, field).to_string()} placeholder={placeholder.to_string()} {oninput} />
                { problems(field) }
            </div>
        }
    };
    let onbound = props.onaction.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        let kind = BOUND
            .iter()
            .find(|(_, id)| *id == select.value())
            .and_then(|(kind, _)| *kind);
        TokenAction::Bound(kind).into()
    });
    let onaudiences = on_text(&props.onaction, |v| {
        TokenAction::Edit(Field::Audiences, v).into()
    });
    let onautomount = on_check(&props.onaction, |on| TokenAction::Automount(on).into());

    html! {
        <>
            <section class="paste" aria-labelledby="tr-form-h">
                { heading("tr-form-h", "Token request") }
                { crate::ui::share::token_link(&props.state.0) }
                { hint("A short-lived token from the TokenRequest API, as kubectl create token asks for one and as kubelet does for a projected volume. Since Kubernetes 1.24 no Secret holds a never-expiring token by default. Nothing here is sent anywhere.") }
                { text_field(Field::ServiceAccount, "e.g. app", "") }
                { text_field(Field::Namespace, "e.g. default", "") }
                { text_field(Field::Duration, "1h", "kubectl's form: 10m, 1h, 8760h; at least 10 minutes; empty for the API server's default of 1 hour. What the API server does with it is said below.") }
                <div class="field">
                    <label for={field_id(Field::Audiences)}>{ Field::Audiences.label() }</label>
                    { hint("One audience per line, each taken whole (a comma is part of the audience, as kubectl's --audience takes it); empty for the API server's own audience. A token for other audiences does not work against the cluster.") }
                    <textarea id={field_id(Field::Audiences)} rows="2" spellcheck="false" autocomplete="off"
                        value={state.form.audiences.clone()} placeholder="the API server's own" oninput={onaudiences} />
                    { problems(Field::Audiences) }
                </div>
                { text_field(Field::Issuer, "optional, e.g. https://kubernetes.default.svc.cluster.local", "The cluster's --service-account-issuer (the iss of one of its tokens), to check the audiences and fill in the preview.") }
                <div class="field">
                    { label("tr-bound", "Bound object") }
                    { hint("Deleting the object the token is bound to revokes the token.") }
                    <select id="tr-bound" onchange={onbound}>
                        { for BOUND.iter().map(|(kind, id)| html! {
                            <option value={*id} selected={*kind == state.bound_kind}>{ *id }</option>
                        }) }
                    </select>
                </div>
                if state.bound_kind.is_some() {
                    { text_field(Field::BoundName, "name", "") }
                    { text_field(Field::BoundUid, "optional", "The object's uid (kubectl get KIND NAME -o jsonpath='{.metadata.uid}'), so that a same-named object made later cannot keep the token alive.") }
                }
                <fieldset>
                    <legend>{ "Pod with a projected token" }</legend>
                    { text_field(Field::PodName, &output.written.service_account, "") }
                    { text_field(Field::Image, token_request::DEFAULT_IMAGE, "") }
                    <div class="field check">
                        <input id="tr-automount" type="checkbox" checked={state.form.automount} onchange={onautomount} />
                        <label for="tr-automount">{ Field::Automount.label() }</label>
                        { problems(Field::Automount) }
                    </div>
                    { text_field(Field::MountPath, token_request::DEFAULT_MOUNT_PATH, "") }
                    { text_field(Field::TokenPath, token_request::DEFAULT_TOKEN_PATH, "") }
                </fieldset>
                <fieldset>
                    <legend>{ "curl" }</legend>
                    { text_field(Field::Server, "$APISERVER", "") }
                    { text_field(Field::CaFile, token_request::DEFAULT_CA_FILE, "") }
                </fieldset>
            </section>

            <section class="output" aria-labelledby="tr-out-h">
                { heading("tr-out-h", "Outputs") }
                if output.errors.is_empty() {
                    { command_figure("kubectl create token", "kubectl create token command", &output.kubectl_command, &shown.kubectl_command) }
                    { file("TokenRequest", "TokenRequest JSON", &output.request_file_name, "application/json", &output.request_json, &shown.request_json) }
                    { command_figure("Post it with curl", "TokenRequest curl", &output.request_curl, &shown.request_curl) }
                    { file("Pod manifest", "Pod manifest", &output.pod_file_name, "application/yaml", &output.pod_yaml, &shown.pod_yaml) }
                    { command_figure("Try the token inside the Pod", "Pod curl", &output.pod_curl, &shown.pod_curl) }
                } else {
                    { not_written_yet(output, loud, &props.onaction) }
                }
            </section>

            if let (Some(preview), Some(report)) = (&output.preview, &report) {
                <section class="preview" aria-labelledby="tr-preview-h">
                    { heading("tr-preview-h", "Claims preview") }
                    <p class="badge kind-other" role="note" aria-label="Preview notice">{ preview.notice }</p>
                    { token_report(&TokenReportProps { jwt: preview.jwt.clone(), report: report.clone(), redact: props.redact, now }) }
                </section>
            }
        </>
    }
}

/// `form` with the bound uid masked, to write what the screen shows with Redact on.
fn masked(form: &TokenForm) -> TokenForm {
    let mut form = form.clone();
    if let Some(uid) = form.bound.as_mut().and_then(|b| b.uid.as_mut()) {
        *uid = redact::mask(uid);
    }
    form
}

/// "Not written yet": an error naming the first problem the user should see, or a hint listing
/// the fields to fill in while none of them was touched.
fn not_written_yet(
    output: &TokenOutput,
    loud: impl Fn(Field) -> bool,
    onaction: &Callback<Action>,
) -> Html {
    let onask = on_click(onaction, || TokenAction::Ask.into());
    not_written_for(&output.errors, loud, Field::label, "above", onask)
}

/// A file with its copy and download buttons.
fn file(
    title: &str,
    name: &str,
    file_name: &str,
    mime: &'static str,
    text: &str,
    shown: &str,
) -> Html {
    let ondownload = download::on_save(file_name.to_string(), mime, Some(text.to_string()));
    html! {
        <figure>
            <figcaption>
                { title.to_string() }{ " " }
                { copy_button(text.to_string().into(), (format!("Copy {name}")).into()) }{ " " }
                <button type="button" onclick={ondownload}>{ format!("Download {name}") }</button>
                <span class="hint">{ format!(" Saved as {file_name}") }</span>
            </figcaption>
            <pre class="mono" role="region" tabindex="0" aria-label={name.to_string()}>{ crate::ui::components::shown(shown.to_string()) }</pre>
        </figure>
    }
}

/// What the form holds for `field`.
fn field_value(state: &TokenState, field: Field) -> &str {
    let form = &state.form;
    match field {
        Field::ServiceAccount => &form.service_account,
        Field::Namespace => &form.namespace,
        Field::Duration => &form.duration,
        Field::Audiences => &form.audiences,
        Field::Issuer => &form.issuer,
        Field::BoundName => &state.bound_name,
        Field::BoundUid => &state.bound_uid,
        Field::PodName => &form.pod_name,
        Field::Image => &form.image,
        Field::Automount => "",
        Field::MountPath => &form.mount_path,
        Field::TokenPath => &form.token_path,
        Field::Server => &form.server,
        Field::CaFile => &form.ca_file,
    }
}

fn field_id(field: Field) -> &'static str {
    match field {
        Field::ServiceAccount => "tr-sa",
        Field::Namespace => "tr-ns",
        Field::Duration => "tr-duration",
        Field::Audiences => "tr-audiences",
        Field::Issuer => "tr-issuer",
        Field::BoundName => "tr-bound-name",
        Field::BoundUid => "tr-bound-uid",
        Field::PodName => "tr-pod",
        Field::Image => "tr-image",
        Field::Automount => "tr-automount",
        Field::MountPath => "tr-mount",
        Field::TokenPath => "tr-token-file",
        Field::Server => "tr-server",
        Field::CaFile => "tr-ca-file",
    }
}
