//! The RBAC page: a least-privilege Role or ClusterRole and its binding, built from a form.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::ui::components::{col, label};

use crate::ui::components::heading;

use crate::k8s::kube;
use crate::rbac::{self, Field, Preset, RbacForm, RbacOutput, Scope, SubjectKind, Warning, VERBS};
use crate::support::error::first_problem;
use crate::ui::components::{copy_button, field_list, finding_item, not_written, shown};
use crate::ui::download;
use crate::ui::events::{on_check, on_click, on_input};
use crate::ui::route::Route;
use crate::ui::state::{rbac_field_key, AccessAction, Action, RbacEdit, Slice, Touched};

/// Props of [`rbac_builder`] (`Properties` too, so tests can mount it).
#[derive(Properties, PartialEq)]
pub struct RbacBuilderProps {
    /// The builder's form.
    pub form: Slice<RbacForm>,
    /// The fields the user edited: an empty one shows its problem as an error only then.
    #[prop_or_default]
    pub touched: Slice<Touched>,
    /// Where the page's actions go.
    pub onaction: Callback<Action>,
}

/// `#/rbac`: least-privilege RBAC for a service account, user or group, in one namespace or
/// several, with the reasons shown.
pub fn rbac_builder(props: &RbacBuilderProps) -> Html {
    let onaction = &props.onaction;
    let form = &*props.form;
    let output = Checked {
        output: rbac::build(form),
        form,
        touched: *props.touched,
    };
    let edit = |make: fn(String) -> RbacEdit| on_input(onaction, make, |make, v| make(v).into());
    let onscope = {
        let onaction = onaction.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let scope = Scope::ALL
                .into_iter()
                .find(|s| scope_id(*s) == select.value());
            if let Some(scope) = scope {
                onaction.emit(RbacEdit::Scope(scope).into());
            }
        })
    };
    let onsubject = {
        let onaction = onaction.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let kind = SubjectKind::ALL
                .into_iter()
                .find(|k| k.kind() == select.value());
            if let Some(kind) = kind {
                onaction.emit(RbacEdit::Subject(kind).into());
            }
        })
    };
    let onshared = on_check(onaction, |on| RbacEdit::SharedRole(on).into());
    let onsecret = on_check(onaction, |on| RbacEdit::TokenSecret(on).into());
    let account = form.subject == SubjectKind::ServiceAccount;
    let (name_field, name_placeholder) = match form.subject {
        SubjectKind::ServiceAccount => (Field::ServiceAccount, "ci-bot"),
        SubjectKind::User => (Field::SubjectName, "jane@example.com"),
        SubjectKind::Group => (Field::SubjectName, "oidc:developers"),
    };
    let onadd = on_click(onaction, || RbacEdit::AddRule.into());
    let ondownload = download::on_save(
        output.file_name.clone(),
        "application/yaml",
        output.yaml.clone(),
    );
    let onaccess = {
        let onaction = onaction.clone();
        let yaml = output.yaml.clone().unwrap_or_default();
        let subject = rbac::access_subject(form);
        Callback::from(move |_: MouseEvent| {
            onaction.emit(
                AccessAction::Show {
                    rbac: yaml.clone(),
                    subject: subject.clone(),
                }
                .into(),
            );
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_hash(Route::Access.href());
            }
        })
    };

    html! {
        <>
            <section class="presets" aria-labelledby="rbac-presets-h">
                { heading("rbac-presets-h", "Start from a preset") }
                <ul class="example-list">
                    { for Preset::ALL.iter().map(|preset| {
                        let preset = *preset;
                        let onclick = onaction.reform(move |_: MouseEvent| RbacEdit::Preset(preset).into());
                        html! { <li><button type="button" {onclick}>{ preset.label() }</button></li> }
                    }) }
                </ul>
            </section>

            <section class="paste wide" aria-labelledby="rbac-form-h">
                { heading("rbac-form-h", "Subject, namespaces and scope") }
                { crate::ui::share::rbac_link(&props.form.0) }
                <div class="field">
                    { label("rbac-subject", "Subject") }
                    <select id="rbac-subject" onchange={onsubject} aria-describedby="rbac-subject-hint">
                        { for SubjectKind::ALL.iter().map(|k| html! {
                            <option value={k.kind()} selected={*k == form.subject}>{ k.kind() }</option>
                        }) }
                    </select>
                    <p class="field-note hint" id="rbac-subject-hint">{ "A service account of any namespace; a user or group exactly as the authenticator names it (a client certificate's CN or O, an OIDC claim)." }</p>
                </div>
                { text_field("rbac-sa", name_field, &form.service_account, name_placeholder, edit(RbacEdit::ServiceAccount), &output) }
                { text_field("rbac-ns", Field::Namespace, &form.namespace, "default, or app1, app2", edit(RbacEdit::Namespace), &output) }
                if account {
                    { text_field("rbac-account-ns", Field::AccountNamespace, &form.account_namespace, "the first namespace", edit(RbacEdit::AccountNamespace), &output) }
                }
                if form.scope == Scope::Namespace {
                    <div class="field check">
                        <input id="rbac-shared" type="checkbox" checked={form.shared_role} onchange={onshared} aria-describedby="rbac-shared-hint" />
                        { label("rbac-shared", "One ClusterRole for every namespace") }
                        <p class="field-note hint" id="rbac-shared-hint">{ "Off: a Role and a RoleBinding in each namespace, so each namespace holds its whole grant and can change it alone. On: one ClusterRole, bound by a RoleBinding in each namespace: fewer objects and one place to edit the rules; a RoleBinding still grants them only in its own namespace." }</p>
                    </div>
                }
                <div class="field">
                    { label("rbac-scope", "Scope") }
                    <select id="rbac-scope" onchange={onscope}>
                        { for Scope::ALL.iter().map(|s| html! {
                            <option value={scope_id(*s)} selected={*s == form.scope}>{ s.label() }</option>
                        }) }
                    </select>
                    { notes(&output, |f| f == Field::Scope) }
                </div>
                if form.scope.binds_existing() {
                    { text_field("rbac-clusterrole", Field::ClusterRole, &form.cluster_role, "view", edit(RbacEdit::ClusterRole), &output) }
                    <datalist id="rbac-clusterroles">
                        { for rbac::BUILTIN_CLUSTER_ROLES.iter().map(|r| html! { <option value={*r} /> }) }
                    </datalist>
                }
                if account {
                <div class="field check">
                    <input id="rbac-secret" type="checkbox" checked={form.token_secret} onchange={onsecret} aria-describedby="rbac-secret-hint" />
                    { label("rbac-secret", "Token Secret") }
                    <p class="field-note hint" id="rbac-secret-hint">{ "Also write a kubernetes.io/service-account-token Secret, which the control plane fills with a token that never expires. Since Kubernetes 1.24 it is no longer created automatically; for short-lived access, kubectl create token NAME --duration=1h is the better way." }</p>
                </div>
                }
            </section>

            if !form.scope.binds_existing() {
                <section class="rules" aria-labelledby="rbac-rules-h">
                    { heading("rbac-rules-h", "Rules") }
                    <p class="hint">{ "Lists separated by commas. The core group is written \"\"; suggestions appear as you type. Paths such as /healthz go in Non-resource URLs, with API groups and Resources empty, at the cluster scope." }</p>
                    <datalist id="rbac-resources">
                        { for kube::suggestions().map(|(name, r)| html! { <option value={name} label={if r.group.is_empty() { "core".to_string() } else { r.group.to_string() }} /> }) }
                    </datalist>
                    <datalist id="rbac-groups">
                        <option value="\"\"" label="core" />
                        { for unique_groups().into_iter().map(|g| html! { <option value={g} /> }) }
                    </datalist>
                    { for form.rules.iter().enumerate().map(|(i, row)| rule_row(onaction, i, row, &output)) }
                    { notes(&output, |f| f == Field::Rules) }
                    <div class="actions"><button type="button" onclick={onadd}>{ "Add rule" }</button></div>
                </section>
            }

            <section class="output" aria-labelledby="rbac-out-h">
                { heading("rbac-out-h", "Manifests") }
                if let Some(yaml) = &output.yaml {
                    <div class="actions">
                        <button type="button" onclick={ondownload}>{ "Download YAML" }</button>
                        { copy_button(yaml.clone().into(), "Copy YAML".into()) }
                        <button type="button" onclick={onaccess}>{ "Show what this grants" }</button>
                        <span class="hint">{ format!("Saved as {}; apply with kubectl apply -f {}", output.file_name, output.file_name) }</span>
                    </div>
                    <pre class="mono" role="region" tabindex="0" aria-label="RBAC YAML">{ shown(yaml.clone()) }</pre>
                } else {
                    { not_written_yet(&output, onaction) }
                }
            </section>

            if output.yaml.is_some() {
                <section class="summary-table" aria-labelledby="rbac-sum-h">
                    { heading("rbac-sum-h", "What the account can do") }
                    { summary(&output) }
                    { warnings(&output.warnings) }
                </section>
                <section class="commands" aria-labelledby="rbac-cmd-h">
                    { heading("rbac-cmd-h", "The same with kubectl") }
                    <figure>
                        <figcaption>{ "kubectl commands " }{ copy_button(output.kubectl_script.clone().into(), "Copy kubectl commands".into()) }</figcaption>
                        <pre class="mono" role="region" tabindex="0" aria-label="kubectl commands">{ shown(output.kubectl_script.clone()) }</pre>
                    </figure>
                </section>
            }
        </>
    }
}

fn scope_id(scope: Scope) -> &'static str {
    match scope {
        Scope::Namespace => "namespace",
        Scope::Cluster => "cluster",
        Scope::BindClusterRole => "bind",
        Scope::BindClusterRoleClusterWide => "bind-cluster",
    }
}

fn unique_groups() -> Vec<&'static str> {
    let mut groups: Vec<&str> = kube::suggestions()
        .map(|(_, r)| r.group)
        .filter(|g| !g.is_empty())
        .collect();
    crate::support::sort::stable_by(&mut groups, Ord::cmp);
    groups.dedup();
    groups
}

/// The built output, with what tells an error from a hint: a problem of an empty field the
/// user has not edited is a hint, not yet an error.
struct Checked<'a> {
    output: RbacOutput,
    form: &'a RbacForm,
    touched: Touched,
}

impl Checked<'_> {
    /// Whether `field`'s problems show as errors.
    fn loud(&self, field: Field) -> bool {
        let row = field.row().and_then(|i| self.form.rules.get(i));
        let value = match (field, row) {
            (Field::ServiceAccount | Field::SubjectName, _) => &self.form.service_account,
            (Field::AccountNamespace, _) => &self.form.account_namespace,
            (Field::Namespace, _) => &self.form.namespace,
            (Field::ClusterRole, _) => &self.form.cluster_role,
            (Field::ApiGroups(_), Some(row)) => &row.api_groups,
            (Field::Resources(_), Some(row)) => &row.resources,
            (Field::Verbs(_), Some(row)) => &row.verbs,
            (Field::ResourceNames(_), Some(row)) => &row.resource_names,
            _ => "",
        };
        self.touched.has(rbac_field_key(field)) || !value.trim().is_empty()
    }
}

impl std::ops::Deref for Checked<'_> {
    type Target = RbacOutput;

    fn deref(&self) -> &RbacOutput {
        &self.output
    }
}

/// "Not written yet": an error naming the first problem the user should see, or a hint listing
/// the fields to fill in while none of them was touched.
fn not_written_yet(output: &Checked, onaction: &Callback<Action>) -> Html {
    let visible: Vec<_> = output
        .errors
        .iter()
        .filter(|p| output.loud(p.field))
        .cloned()
        .collect();
    let error = (!visible.is_empty()).then(|| first_problem(&visible, "beside the fields"));
    let pending = field_list(output.errors.iter().map(|p| p.field.to_string()));
    not_written(error, &pending, on_click(onaction, || RbacEdit::Ask.into()))
}

/// Errors and warnings for the fields `which` accepts, beside them. They quote only what was
/// typed into the field above them, which the screen shows anyway.
fn notes(output: &Checked, which: impl Fn(Field) -> bool) -> Html {
    let errors = output.errors.iter().filter(|p| which(p.field)).map(|p| {
        let class = if output.loud(p.field) {
            "field-error"
        } else {
            "field-hint"
        };
        html! { <p class={classes!("field-note", class)}>{ &p.message }</p> }
    });
    let warnings = output.warnings.iter().filter(|w| which(w.field)).map(|w| {
        html! { <p class="field-note field-warning">{ format!("{}: {}", w.finding.title, w.finding.why) }</p> }
    });
    html! { <>{ for errors }{ for warnings }</> }
}

fn text_field(
    id: &'static str,
    field: Field,
    value: &str,
    placeholder: &'static str,
    oninput: Callback<InputEvent>,
    output: &Checked,
) -> Html {
    let list = (field == Field::ClusterRole).then_some("rbac-clusterroles");
    html! {
        <div class="field">
            <label for={id}>{ field.label() }</label>
            <input {id} type="text" spellcheck="false" autocomplete="off" list={list}
                value={value.to_string()} {placeholder} {oninput} />
            { notes(output, |f| f == field) }
        </div>
    }
}

fn rule_row(
    onaction: &Callback<Action>,
    index: usize,
    row: &rbac::RuleRow,
    output: &Checked,
) -> Html {
    let n = index + 1;
    let input =
        |field: Field, value: &str, list: Option<&'static str>, placeholder: &'static str| {
            let id = format!("rbac-{}-{index}", field_key(field));
            let oninput = on_input(onaction, field, |f, v| RbacEdit::Rule(f, v).into());
            html! {
                <div class="field">
                    <label for={id.clone()}>{ field.label() }</label>
                    <input {id} type="text" spellcheck="false" autocomplete="off" {list}
                        value={value.to_string()} {placeholder} {oninput} />
                </div>
            }
        };
    let onremove = onaction.reform(move |_: MouseEvent| RbacEdit::RemoveRule(index).into());
    let chosen = rbac::split_list(&row.verbs);
    html! {
        <fieldset class="rule">
            <legend>{ format!("Rule {n}") }</legend>
            <div class="rule-fields">
                { input(Field::ApiGroups(index), &row.api_groups, Some("rbac-groups"), "\"\"") }
                { input(Field::Resources(index), &row.resources, Some("rbac-resources"), "pods") }
                { input(Field::Verbs(index), &row.verbs, None, "get, list") }
                { input(Field::ResourceNames(index), &row.resource_names, None, "optional") }
                { input(Field::NonResourceUrls(index), &row.non_resource_urls, None, "/healthz (cluster scope)") }
            </div>
            <div class="verbs" role="group" aria-label={format!("Verbs of rule {n}")}>
                { for VERBS.iter().map(|verb| {
                    let verb: &'static str = verb;
                    let onclick = onaction.reform(move |_: MouseEvent| RbacEdit::ToggleVerb(index, verb).into());
                    let on = chosen.iter().any(|v| v == verb);
                    html! { <button type="button" class="chip" aria-pressed={on.to_string()} {onclick}>{ verb }</button> }
                }) }
            </div>
            { notes(output, |f| f.row() == Some(index)) }
            <button type="button" onclick={onremove}>{ format!("Remove rule {n}") }</button>
        </fieldset>
    }
}

fn field_key(field: Field) -> &'static str {
    match field {
        Field::ApiGroups(_) => "groups",
        Field::Resources(_) => "resources",
        Field::Verbs(_) => "verbs",
        Field::NonResourceUrls(_) => "urls",
        _ => "names",
    }
}

/// Resources × verbs: one row per rule, a column per verb the rules use.
fn summary(output: &RbacOutput) -> Html {
    let mut verbs: Vec<&str> = VERBS
        .iter()
        .copied()
        .filter(|v| output.summary.iter().any(|r| r.allows(v)))
        .collect();
    if output
        .summary
        .iter()
        .any(|r| r.verbs.iter().any(|v| v == "*"))
    {
        verbs.push("*");
    }
    html! {
        <>
            <table class="grid" tabindex="0">
                <caption>{ "Allowed verbs per resource (✓), and where" }</caption>
                <thead>
                    <tr>
                        { col("Resources") }
                        { for verbs.iter().map(|v| html! { <th scope="col">{ *v }</th> }) }
                        { col("Where") }
                    </tr>
                </thead>
                <tbody>
                    { for output.summary.iter().map(|row| {
                        let group = if row.group.is_empty() { String::new() } else { format!(" ({})", row.group) };
                        let names = if row.names.is_empty() { String::new() } else { format!(" named {}", row.names.join(", ")) };
                        html! {
                            <tr>
                                <th scope="row" class="mono">{ shown(format!("{}{group}{names}", row.resources.join(", "))) }</th>
                                { for verbs.iter().map(|v| {
                                    let yes = if *v == "*" { row.verbs.iter().any(|x| x == "*") } else { row.allows(v) };
                                    html! { <td>{ shown(if yes { "✓" } else { "" }) }</td> }
                                }) }
                                <td>{ shown(row.where_.clone()) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <ul class="sentences">
                { for output.summary.iter().map(|r| html! { <li>{ &r.sentence }</li> }) }
            </ul>
        </>
    }
}

fn warnings(list: &[Warning]) -> Html {
    if list.is_empty() {
        return html! { <p class="status level-ok">{ "No risky permissions." }</p> };
    }
    html! {
        <ul class="findings" aria-label="Warnings">
            { for list.iter().map(|w| finding_item(&w.finding, Some(w.field.to_string()))) }
        </ul>
    }
}
