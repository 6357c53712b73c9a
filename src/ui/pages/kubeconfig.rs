//! The Kubeconfig page: a kubeconfig for the token, checked field by field, with its commands and client code.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::ui::components::{heading, hint, label};

use crate::kubeconfig::{self, Field, KubeconfigForm, KubeconfigOutput};
use crate::redact;
use crate::ui::components::{addr, live, memo, Moment};
use crate::ui::components::{
    ca_field, command_figure, copy_button, field_notes, not_written_for, paste_class, shown,
    CaFieldProps, CertPaste, ClientCertSection,
};
use crate::ui::download;
use crate::ui::events::{on_check, on_click, on_input, on_text};
use crate::ui::state::{
    kubeconfig_field_key, Action, CaState, KubeconfigAction, KubeconfigState, Slice,
};

/// Props of [`kubeconfig_builder`] (`Properties` too, so tests can mount it).
#[derive(Properties, PartialEq, Clone)]
pub struct KubeconfigBuilderProps {
    /// The builder's slice of the state.
    pub state: Slice<KubeconfigState>,
    /// The **CA certificate** field, shared with the Inspect and CA pages.
    pub ca: Slice<CaState>,
    /// The **Redact** switch.
    pub redact: bool,
    /// Where the page's actions go.
    pub onaction: Callback<Action>,
}

/// `#/kubeconfig`: a form that writes a working kubeconfig for a token, live, with the
/// equivalent kubectl commands and a way to test it.
pub fn kubeconfig_builder(props: &KubeconfigBuilderProps) -> Html {
    // Building parses the CA and the token, so it runs once per change of the form, and once
    // a minute for the expiry warning, not on every re-render.
    let deps = [
        addr(&props.state),
        addr(&props.ca),
        usize::from(props.redact),
        0,
    ];
    let props = props.clone();
    live(60, false, false, deps, Rc::new(move |m| view(&props, m)))
}

fn view(props: &KubeconfigBuilderProps, m: &Moment) -> Html {
    let state = &props.state;
    // With Redact on, the files and commands on screen are written again from a copy of the
    // form whose token is masked (`redact::kubeconfig`); copy and download still give the
    // working ones. The token and the CA come decoded from the state, and change only with
    // the form's token and the CA's generation.
    let deps = (state.form.clone(), props.ca.generation, m.now, props.redact);
    let built = memo(&m.slot, deps, |(form, _, now, redacting)| {
        let read = state.read(&props.ca);
        let output = kubeconfig::build_from(form, read, *now);
        let shown = redacting.then(|| redact::kubeconfig(&output, *now));
        let code = crate::kubeconfig::snippets::snippets(
            &crate::kubeconfig::snippets::ClientForm::from_kubeconfig(&output),
        );
        (kubeconfig::defaults_from(form, read), output, shown, code)
    });
    let (defaults, output) = (&built.0, &built.1);
    // A problem of an empty field the user has not edited is a hint, not yet an error.
    let loud = |field: Field| {
        state.touched.has(kubeconfig_field_key(field))
            || !field_value(&state.form, &props.ca.input, field)
                .trim()
                .is_empty()
    };
    // What the screen shows of each output: itself, its masked copy, or (should the masked
    // copy fail to be written) nothing.
    let shown = |pick: fn(&KubeconfigOutput) -> &str| -> String {
        match &built.2 {
            None => pick(output).to_string(),
            Some(Some(masked)) => pick(masked).to_string(),
            Some(None) => "Hidden while Redact is on.".to_string(),
        }
    };
    let problems = |field: Field| -> Html {
        field_notes(
            field,
            loud(field),
            &output.errors,
            &[(&output.warnings, "field-warning")],
        )
    };
    let text_field = |field: Field, value: &str, placeholder: &str, hint: &str| -> Html {
        let id = field_id(field);
        let oninput = on_input(&props.onaction, field, |f, v| {
            KubeconfigAction::Edit(f, v).into()
        });
        html! {
            <div class="field">
                <label for={id}>{ field.label() }</label>
                if !hint.is_empty() { <p class="hint">{ hint.to_string() }</p> }
                <input id={id} type="text" spellcheck="false" autocomplete="off"
                    value={value.to_string()} placeholder={placeholder.to_string()} {oninput} />
                { problems(field) }
            </div>
        }
    };
    let ontoken = on_text(&props.onaction, |v| {
        KubeconfigAction::Edit(Field::Token, v).into()
    });
    let onskip = on_check(&props.onaction, |on| {
        KubeconfigAction::SkipTlsVerify(on).into()
    });
    let ondownload = download::on_save(
        output.file_name.clone(),
        "application/yaml",
        output.yaml.clone(),
    );
    let k = &state.form;

    html! {
        <>
            <section class="paste" aria-labelledby="kc-form-h">
                { heading("kc-form-h", "Cluster and credentials") }
                { crate::ui::share::kubeconfig_link(&props.state.0, &props.ca.input) }
                { hint("The token and CA come from the inspector; empty fields use the defaults shown in grey.") }
                { text_field(Field::ClusterName, &k.cluster_name, "e.g. prod", "") }
                { text_field(Field::Server, &k.server, "https://203.0.113.10:6443", "The API server, as in kubectl cluster-info.") }
                <div class="field">
                    { ca_field(&CaFieldProps { ca: props.ca.clone(), onaction: props.onaction.clone() }) }
                    { problems(Field::Ca) }
                </div>
                <div class="field check">
                    <input id="kc-skip" type="checkbox" checked={k.skip_tls_verify} onchange={onskip} />
                    <label for="kc-skip">{ Field::SkipTlsVerify.label() }</label>
                    { problems(Field::SkipTlsVerify) }
                </div>
                { text_field(Field::TlsServerName, &k.tls_server_name, "optional", "Only when the server's certificate names a host other than the URL's (e.g. behind a tunnel).") }
                { text_field(Field::UserName, &k.user_name, &defaults.user_name, "") }
                <div class="field">
                    <label for={field_id(Field::Token)}>{ Field::Token.label() }</label>
                    <textarea id={field_id(Field::Token)} rows="4" spellcheck="false" autocomplete="off"
                        value={k.token.clone()} oninput={ontoken} />
                    { problems(Field::Token) }
                </div>
                { text_field(Field::Namespace, &k.namespace, &defaults.namespace, "") }
                { text_field(Field::ContextName, &k.context_name, &defaults.context_name, "") }
            </section>

            <section class="output" aria-labelledby="kc-out-h">
                { heading("kc-out-h", "Kubeconfig") }
                if let Some(yaml) = &output.yaml {
                    <div class="actions">
                        <button type="button" onclick={ondownload}>{ "Download kubeconfig" }</button>
                        { copy_button(yaml.clone().into(), "Copy kubeconfig".into()) }
                        <span class="hint">{ format!("Saved as {}", output.file_name) }</span>
                    </div>
                    <pre class="mono" role="region" tabindex="0" aria-label="Kubeconfig YAML">{ crate::ui::components::shown(shown(|o| o.yaml.as_deref().unwrap_or_default())) }</pre>
                } else {
                    { not_written_yet(output, loud, &props.onaction) }
                }
            </section>

            if output.yaml.is_some() {
                <section class="commands" aria-labelledby="kc-cmd-h">
                    { heading("kc-cmd-h", "Commands") }
                    { command_figure("The same kubeconfig with kubectl", "kubectl commands", &output.kubectl_script, &shown(|o| &o.kubectl_script)) }
                    { command_figure("Try the token against the API server", "curl command", &output.curl_command, &shown(|o| &o.curl_command)) }
                    { command_figure("What may this token do?", "can-i command", &output.can_i_command, &output.can_i_command) }
                </section>
                { client_code(&built.3) }
            }

            { load_section(state, &props.onaction) }
            // Who the loaded kubeconfig's users are, when they sign in with something else than
            // a token: the same section as Inspect's.
            <ClientCertSection paste={CertPaste::Kubeconfig(state.clone())} ca={props.ca.clone()} now={m.now} onaction={props.onaction.clone()} />
        </>
    }
}

/// "Not written yet": an error naming the first problem the user should see, or a hint listing
/// the fields to fill in while none of them was touched.
fn not_written_yet(
    output: &KubeconfigOutput,
    loud: impl Fn(Field) -> bool,
    onaction: &Callback<Action>,
) -> Html {
    let onask = on_click(onaction, || KubeconfigAction::Ask.into());
    not_written_for(&output.errors, loud, Field::label, "below", onask)
}

/// What the form holds for `field` (the CA is the shared field's).
fn field_value<'a>(form: &'a KubeconfigForm, ca: &'a str, field: Field) -> &'a str {
    match field {
        Field::ClusterName => &form.cluster_name,
        Field::Server => &form.server,
        Field::Ca => ca,
        Field::SkipTlsVerify => "",
        Field::TlsServerName => &form.tls_server_name,
        Field::UserName => &form.user_name,
        Field::Token => &form.token,
        Field::Namespace => &form.namespace,
        Field::ContextName => &form.context_name,
    }
}

fn field_id(field: Field) -> &'static str {
    match field {
        Field::ClusterName => "kc-cluster",
        Field::Server => "kc-server",
        Field::Ca => "ca",
        Field::SkipTlsVerify => "kc-skip",
        Field::TlsServerName => "kc-tls-name",
        Field::UserName => "kc-user",
        Field::Token => "kc-token",
        Field::Namespace => "kc-namespace",
        Field::ContextName => "kc-context",
    }
}

fn load_section(state: &KubeconfigState, onaction: &Callback<Action>) -> Html {
    let onload = on_text(onaction, |v| KubeconfigAction::Load(v).into());
    let oncontext = onaction.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        KubeconfigAction::ChooseContext(select.value()).into()
    });
    html! {
        <section class="load" aria-labelledby="kc-load-h">
            { heading("kc-load-h", "Start from an existing kubeconfig") }
            { label("kc-load", "Load kubeconfig") }
            <p class="hint" id="kc-load-hint">{ "Paste a kubeconfig (kubectl config view --raw --minify) to fill the form from one of its contexts, then fix or re-target it. It is read here and never sent anywhere." }</p>
            <textarea id="kc-load" class={classes!(paste_class(&state.load_input))} aria-describedby="kc-load-hint" rows="5" spellcheck="false"
                autocomplete="off" value={state.load_input.clone()} oninput={onload} />
            { match &state.loaded {
                None => html! {},
                Some(Err(error)) => html! { <p class="error" role="alert">{ shown(error.to_string()) }</p> },
                Some(Ok(loaded)) => html! {
                    <>
                        if loaded.contexts.len() > 1 {
                            { label("kc-load-context", "Context") }
                            <select id="kc-load-context" onchange={oncontext}>
                                { for loaded.contexts.iter().map(|c| html! {
                                    <option value={c.clone()} selected={*c == loaded.context}>{ c }</option>
                                }) }
                            </select>
                        }
                        <p class="recognised" role="status" aria-label="Loaded context">{ format!("Loaded context {}", loaded.context) }</p>
                        { for loaded.notes.iter().map(|n| html! { <p class="note">{ shown(format!("{}: {}", n.field, n.message)) }</p> }) }
                    </>
                },
            } }
        </section>
    }
}

/// **Client code**: programs that use this kubeconfig, or the Pod's own token.
fn client_code(code: &[crate::kubeconfig::snippets::Snippet]) -> Html {
    html! {
        <section class="commands" aria-labelledby="kc-client-h">
            { heading("kc-client-h", "Client code") }
            { hint("Programs that use this kubeconfig, or the Pod's own token when they run in the cluster. Each verifies the API server's certificate against the cluster's CA; none turns that check off. A token in a file expires: a long-running process inside a Pod must use the in-cluster loader, which re-reads the token file kubelet renews, rather than reading the token once at start.") }
            { for code.iter().map(crate::ui::components::snippet_figure) }
        </section>
    }
}
