//! The Access page: pasted RBAC evaluated offline: effective rules, Can I and Who can.

use std::cell::Cell;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::ui::components::{col, heading, hint, label, task_pause, unless_stopped};
use crate::ui::hooks::use_effect_key;

use crate::access::{self, Access, Query, ScopeTable, Subject, SUBJECT_SYNTAX};
use crate::ui::components::{demo_status, finding_item, paste_class, shown, use_screen, Screen};
use crate::ui::components::{more_rows, FileEvent, FileField, ROWS_STEP};
use crate::ui::events::{on_input, on_text, on_value};
use crate::ui::state::{
    AccessAction, AccessState, Action, CanIEdit, CanIForm, DemoState, InspectState, Slice,
};

pub mod escalation;
mod graph;
mod grid;

/// Props of [`AccessPage`].
#[derive(Properties, PartialEq)]
pub struct AccessPageProps {
    /// The page's slice of the state.
    pub state: Slice<AccessState>,
    /// The Inspect page's slice, whose token names the subject when none is typed.
    pub inspect: Slice<InspectState>,
    /// The built-in examples, for the demo RBAC.
    pub demo: Slice<DemoState>,
    /// Where the page's actions go.
    pub onaction: Callback<Action>,
}

/// `#/access`: what can this token do? RBAC evaluated from pasted objects, offline.
#[component]
pub fn AccessPage(props: &AccessPageProps) -> Html {
    let state = &props.state;
    let screen = use_screen();
    let grid_rows = use_state(|| ROWS_STEP / 2);
    let on_more_grid = {
        let grid_rows = grid_rows.clone();
        Callback::from(move |n| grid_rows.set(n))
    };
    let onpolicy = on_text(&props.onaction, |v| AccessAction::SetPolicy(v).into());
    let onsubject = on_value(&props.onaction, |v| AccessAction::SetSubject(v).into());
    let onexample = props.onaction.reform(|_: MouseEvent| Action::LoadDemoRbac);
    let from_token = props.inspect.subject();
    let subject = if state.subject_input.trim().is_empty() {
        from_token.clone().ok_or_else(|| {
            "No subject: inspect a service-account token on the Inspect page, or type one here."
                .to_string()
        })
    } else {
        access::parse_subject(&state.subject_input).map_err(|e| e.to_string())
    };

    // Evaluated when the policy or the subject changes, not on every keystroke in Can I: a
    // cluster's RBAC dump can be megabytes. A subject holding a few thousand rules gets its
    // answer at once; one holding more (a role of 46,629 rules) in parts, a task each, so the
    // page paints and takes input meanwhile.
    // The evaluations asked, and the last one worked out in parts with its number.
    let asked = use_mut_ref(|| (0u64, 0u64, Rc::new(None)));
    let at_once = {
        let state = state.clone();
        let asked = asked.clone();
        use_memo(
            (state.generation, subject.clone().ok()),
            move |(_, subject)| {
                asked.borrow_mut().0 += 1;
                match (&state.policy, subject) {
                    (Some(Ok(policy)), Some(subject)) if policy.work.rules_stored <= AT_ONCE => {
                        Some(access::effective(policy, subject))
                    }
                    _ => None,
                }
            },
        )
    };
    // Set to redraw the page when an answer in parts is ready.
    let drawn = use_state(|| 0usize);
    let effective = match &*asked.borrow() {
        (asked, at, access) if at == asked => access.clone(),
        _ => at_once.clone(),
    };
    let number = asked.borrow().0;
    {
        let (state, subject, drawn) = (state.clone(), subject.clone().ok(), drawn.clone());
        let wanted = at_once.is_none();
        use_effect_key(
            number,
            Box::new(move |number| {
                let alive = Rc::new(Cell::new(true));
                let running = alive.clone();
                spawn_local(async move {
                    let (true, Some(Ok(policy)), Some(subject)) = (wanted, &state.policy, subject)
                    else {
                        return;
                    };
                    let mut pause = task_pause;
                    let parts = access::effective_in_parts(policy, &subject, &mut pause);
                    if let Some(access) = unless_stopped(&running, parts).await {
                        let mut asked = asked.borrow_mut();
                        (asked.1, asked.2) = (number, Rc::new(Some(access)));
                        drawn.set(number as usize);
                    }
                });
                Box::new(move || alive.set(false))
            }),
        );
    }
    let working = effective.is_none() && has_policy_and_subject(state, &subject);

    // The grid: a Can I per cell, worked out when the RBAC, the subject or the grid's own
    // namespace changes, never on a keystroke in Can I.
    let grid = {
        let state = state.clone();
        let namespace = grid_namespace(&state, effective.as_ref().as_ref());
        let effective = effective.clone();
        use_memo(
            (state.generation, subject.clone().ok(), namespace, working),
            move |(_, subject, namespace, _)| match (&state.policy, subject, effective.as_ref()) {
                (Some(Ok(policy)), Some(subject), Some(access)) => {
                    Some(access::grid(policy, subject, namespace, access))
                }
                _ => None,
            },
        )
    };

    // The effective rules' tables, built when the RBAC, the subject, Redact or the rows drawn
    // change, never on a keystroke in Can I or Who can: a subject bound in many namespaces has
    // a table for each.
    let effective_rows = use_state(|| ROWS_STEP);
    let report = {
        let onmore = {
            let rows = effective_rows.clone();
            Callback::from(move |n| rows.set(n))
        };
        let effective = effective.clone();
        use_memo(
            (
                state.generation,
                subject.clone().ok(),
                *effective_rows,
                screen,
                working,
            ),
            move |(_, _, rows, screen, working)| match effective.as_ref() {
                None if *working => hint("Working out the effective rules…"),
                effective => effective_report(effective.as_ref(), *screen, *rows, &onmore),
            },
        )
    };

    // Each answer is worked out when its own query, the policy or the subject changes: typing
    // in one form does not ask the other's question again over a whole cluster's RBAC.
    let can_i = {
        let state = state.clone();
        use_memo(
            (state.generation, subject.clone().ok(), state.can_i.clone()),
            move |(_, subject, _)| can_i_answer(&state, subject.as_ref()),
        )
    };
    let who = {
        let state = state.clone();
        use_memo((state.generation, state.who_can.clone()), move |_| {
            who_can_answer(&state)
        })
    };

    html! {
        <>
            <section class="paste wide" aria-labelledby="access-in-h">
                { heading("access-in-h", "Roles and bindings") }
                { crate::ui::share::access_link(&props.state.0) }
                { label("access-rbac", "Cluster RBAC") }
                <p class="hint" id="access-rbac-hint">
                    { "Paste the output of " }<code>{ "kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml" }</code>
                    { " (or any of those objects as YAML or JSON): a paste up to 4 MiB, a file up to 256 MiB. It is read here and never sent anywhere." }
                </p>
                // Uncontrolled (see `AccessState::filled`): typing changes the field and the
                // state alike, and text the app fills in makes the field anew.
                <textarea key={state.filled.to_string()} id="access-rbac" class={classes!(paste_class(&state.input))} aria-describedby="access-rbac-hint" rows="8" spellcheck="false"
                    autocomplete="off" defaultvalue={state.input.clone()} oninput={onpolicy} />
                <FileField label="Cluster RBAC" textarea="access-rbac" summary={state.file.as_ref().map(|f| AttrValue::from(f.summary.clone()))}
                    onfile={props.onaction.reform(|e: FileEvent| AccessAction::File(e).into())} />
                <div class="actions">
                    <button type="button" onclick={onexample}>{ "Load example: demo RBAC" }</button>
                </div>
                { demo_status(&props.demo) }
                { policy_status(state) }

                <div class="field">
                    { label("access-subject", "Subject") }
                    <p class="hint" id="access-subject-hint">{ SUBJECT_SYNTAX }</p>
                    <input id="access-subject" type="text" spellcheck="false" autocomplete="off"
                        aria-describedby="access-subject-hint" value={state.subject_input.clone()}
                        placeholder={from_token.as_ref().map(|s| s.user.clone()).unwrap_or_else(|| "system:serviceaccount:NAMESPACE:NAME".to_string())}
                        oninput={onsubject} />
                    { match &subject {
                        Ok(s) => html! {
                            <p id="subject-in-use" class="field-note" role="status" aria-label="Subject in use">
                                { format!("Evaluating for {}{} (groups: {})",
                                    s.describe(),
                                    if state.subject_input.trim().is_empty() { ", from the inspected token" } else { "" },
                                    if s.groups.is_empty() { "none".to_string() } else { s.groups.join(", ") }) }
                            </p>
                        },
                        Err(e) => html! { <p class="field-note field-warning">{ e }</p> },
                    } }
                </div>
            </section>

            { can_i_section(state, &props.onaction, &can_i, screen) }
            <graph::AccessGraph state={props.state.clone()} subject={subject.clone().ok()} can_i={can_i.clone()} />

            { who_can(state, &props.onaction, &who) }
            <graph::AccessGraph state={props.state.clone()} subject={None::<Subject>} can_i={can_i.clone()} who={Some(who.clone())} />

            <escalation::EscalationSection state={props.state.clone()} subject={subject.clone().ok()} />

            if let (Some(grid), Some(access)) = (grid.as_ref(), effective.as_ref()) {
                { grid::section(grid, &grid_choices(access), &props.onaction, (*grid_rows, &on_more_grid)) }
            }

            { crate::ui::export::access(&props.state.0, &effective, &can_i) }
            { (*report).clone() }
        </>
    }
}

/// Most distinct rules in a paste for a subject's effective rules to be worked out at once, in
/// the render (a few milliseconds, unless the subject is bound to them in hundreds of
/// namespaces). A bigger paste is worked out in parts: in one task when the subject holds
/// little.
const AT_ONCE: usize = access::ENTRIES_PER_PART / 4;

/// Whether there is a subject and a policy to evaluate it under.
fn has_policy_and_subject(state: &AccessState, subject: &Result<Subject, String>) -> bool {
    matches!((&state.policy, subject), (Some(Ok(_)), Ok(_)))
}

/// The grid's namespace: the one chosen, else the first where the subject has a RoleBinding,
/// else `default`.
fn grid_namespace(state: &AccessState, access: Option<&Access>) -> String {
    let chosen = state.grid_namespace.trim();
    if !chosen.is_empty() {
        return chosen.to_string();
    }
    access
        .and_then(|a| grid_choices(a).into_iter().next())
        .unwrap_or_else(|| "default".to_string())
}

/// The namespaces the grid offers: those where the subject has a RoleBinding (anywhere else
/// it holds only its cluster-wide rules), then `default`.
fn grid_choices(access: &Access) -> Vec<String> {
    let mut choices: Vec<String> = access
        .table
        .iter()
        .filter_map(|t| t.namespace.clone())
        .collect();
    if !choices.iter().any(|n| n == "default") {
        choices.push("default".to_string());
    }
    choices
}

fn policy_status(state: &AccessState) -> Html {
    match &state.policy {
        None => html! {},
        Some(Err(e)) => html! { <p class="error" role="alert">{ shown(e.to_string()) }</p> },
        Some(Ok(policy)) => html! {
            <>
                <p class="recognised" role="status" aria-label="Read RBAC">
                    { format!("Read {} roles and {} bindings.", policy.roles.len(), policy.bindings.len()) }
                </p>
                if !policy.notes.is_empty() {
                    <ul class="findings" aria-label="Notes on the pasted RBAC">
                        { for policy.notes.iter().map(|n| finding_item(&n.finding, Some(n.at.clone()))) }
                    </ul>
                }
            </>
        },
    }
}

/// The Can I answer for the form as typed, `None` until a verb and a resource are.
fn can_i_answer(
    state: &AccessState,
    subject: Option<&Subject>,
) -> Option<Result<access::Answer, String>> {
    let CanIForm {
        verb,
        resource,
        namespace,
        name,
    } = &state.can_i;
    match (&state.policy, subject) {
        _ if verb.trim().is_empty() || resource.trim().is_empty() => None,
        (Some(Ok(policy)), Some(subject)) => Some(
            Query::parse(verb, resource, namespace, name)
                .map(|q| access::can_i(policy, subject, &q))
                .map_err(|e| e.to_string()),
        ),
        _ => None,
    }
}

/// The Who can answer for the form as typed, `None` until a verb and a resource are.
fn who_can_answer(state: &AccessState) -> Option<Result<access::WhoCan, String>> {
    let CanIForm {
        verb,
        resource,
        namespace,
        ..
    } = &state.who_can;
    match &state.policy {
        _ if verb.trim().is_empty() || resource.trim().is_empty() => None,
        Some(Ok(policy)) => Some(
            Query::parse(verb, resource, namespace, "")
                .map(|q| access::who_can(policy, &q))
                .map_err(|e| e.to_string()),
        ),
        _ => None,
    }
}

fn can_i_section(
    state: &AccessState,
    onaction: &Callback<Action>,
    answer: &Option<Result<access::Answer, String>>,
    screen: Screen,
) -> Html {
    let field = |edit, value: &str, id, label, placeholder| {
        query_field(
            onaction,
            (edit, AccessAction::CanI),
            value,
            id,
            label,
            placeholder,
        )
    };
    let CanIForm {
        verb,
        resource,
        namespace,
        name,
    } = &state.can_i;
    let answer = answer.as_ref();
    html! {
        <section class="can-i" aria-labelledby="can-i-h">
            { heading("can-i-h", "Can I") }
            { hint("Like kubectl auth can-i VERB RESOURCE -n NAMESPACE, answered from the pasted objects. Resources as kubectl writes them: pods, pods/log, deployments.apps; a non-resource URL starts with /.") }
            <div class="can-i-fields">
                { field(CanIEdit::Verb, verb, "can-verb", "Verb", "get") }
                { field(CanIEdit::Resource, resource, "can-resource", "Resource", "pods") }
                { field(CanIEdit::Namespace, namespace, "can-namespace", "Namespace", "all namespaces") }
                { field(CanIEdit::Name, name, "can-name", "Name", "any") }
            </div>
            <p role="status" aria-live="polite" aria-label="Can I answer"
                class={classes!("status", match &answer { Some(Ok(a)) if a.allowed => "level-ok", Some(_) => "level-danger", None => "level-info" })}>
                { screen.text(match &answer {
                    None if state.policy.is_none() => "Paste roles and bindings above, then ask.".to_string(),
                    None => "Type a verb and a resource.".to_string(),
                    Some(Ok(a)) => a.text.clone(),
                    Some(Err(e)) => format!("No answer: {e}"),
                }) }
            </p>
            if let Some(Ok(a)) = &answer {
                <ul class="hints">{ for a.hints.iter().map(|h| html! { <li>{ shown(h.clone()) }</li> }) }</ul>
            }
        </section>
    }
}

/// Which field of which query: the edit, and the action that carries it to Can I or Who can.
type QueryEdit = (fn(String) -> CanIEdit, fn(CanIEdit) -> AccessAction);

/// One field of a query, Can I's or Who can's: `make` says which field and which query.
fn query_field(
    onaction: &Callback<Action>,
    make: QueryEdit,
    value: &str,
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
) -> Html {
    let oninput = on_input(onaction, make, |(edit, wrap), v| wrap(edit(v)).into());
    let value = value.to_string();
    html! {
        <div class="field">
            <label for={id}>{ label }</label>
            <input {id} type="text" spellcheck="false" autocomplete="off" {value} {placeholder} {oninput} />
        </div>
    }
}

/// **Who can**: every subject the pasted objects allow to make one request, as Can I decides.
fn who_can(
    state: &AccessState,
    onaction: &Callback<Action>,
    answer: &Option<Result<access::WhoCan, String>>,
) -> Html {
    use crate::access::SubjectKind;
    use crate::ui::components::{copy_button, level_class};
    let CanIForm {
        verb,
        resource,
        namespace,
        ..
    } = &state.who_can;
    let field = |edit, value: &str, id, label, placeholder| {
        query_field(
            onaction,
            (edit, AccessAction::WhoCan),
            value,
            id,
            label,
            placeholder,
        )
    };
    let answer = answer.as_ref();
    let scope = |cluster_wide: bool| {
        if cluster_wide {
            "cluster-wide".to_string()
        } else {
            format!("in namespace {}", namespace.trim())
        }
    };
    let kind = |kind: SubjectKind| match kind {
        SubjectKind::User => "User",
        SubjectKind::Group => "Group",
        SubjectKind::ServiceAccount => "ServiceAccount",
    };
    html! {
        <section class="who-can" aria-labelledby="who-can-h">
            { heading("who-can-h", "Who can") }
            { hint("Like kubectl-who-can VERB RESOURCE -n NAMESPACE: every user, group and service account the pasted objects allow, each through the binding and role that allow it. Can I answers Yes for each of them.") }
            <div class="can-i-fields">
                { field(CanIEdit::Verb, verb, "who-verb", "Verb", "get") }
                { field(CanIEdit::Resource, resource, "who-resource", "Resource", "secrets") }
                { field(CanIEdit::Namespace, namespace, "who-namespace", "Namespace", "all namespaces") }
            </div>
            { match &answer {
                None => html! {
                    <p class="status level-info" role="status" aria-label="Who can answer">
                        { if state.policy.is_none() { "Paste roles and bindings above, then ask." } else { "Type a verb and a resource." } }
                    </p>
                },
                Some(Err(e)) => html! { <p class="status level-danger" role="status" aria-label="Who can answer">{ shown(format!("No answer: {e}")) }</p> },
                Some(Ok(who)) => {
                    let copy: String = who.rows.iter().map(|r| format!("{}\t{}\t{}\t{}\t{}\n", kind(r.kind), r.typed(), r.binding, r.role, scope(r.cluster_wide))).collect();
                    html! {
                        <>
                            <p class="status level-info" role="status" aria-label="Who can answer">
                                { match (who.rows.len(), who.more) {
                                    (0, _) => "No pasted binding allows it.".to_string(),
                                    (n, 0) => format!("{n} grant{} allow{} it.", if n == 1 { "" } else { "s" }, if n == 1 { "s" } else { "" }),
                                    (n, more) => format!("{n} grants allow it; {more} more are not listed."),
                                } }
                            </p>
                            <ul class="hints">{ for who.hints.iter().map(|h| html! { <li>{ shown(h.clone()) }</li> }) }</ul>
                            if !who.rows.is_empty() {
                                <div class="actions">{ copy_button(copy.into(), "Copy who can table".into()) }</div>
                                <table class="rows" aria-label="Subjects allowed" tabindex="0">
                                    <thead><tr>
                                        { col("Subject") }{ col("Kind") }{ col("Granted by") }
                                        { col("Role") }{ col("Scope") }{ col("Risk") }{ col("Check") }
                                    </tr></thead>
                                    <tbody>
                                        { for who.rows.iter().map(|r| {
                                            let typed = r.typed();
                                            let onask = onaction.reform({ let typed = typed.clone(); move |_: MouseEvent| AccessAction::AskAs(typed.clone()).into() });
                                            html! {
                                                <tr>
                                                    <td class="mono">{ shown(match &r.namespace { Some(ns) => format!("{ns}/{}", r.name), None => r.name.clone() }) }</td>
                                                    <td>{ shown(kind(r.kind)) }</td>
                                                    <td>{ shown(r.binding.clone()) }</td>
                                                    <td>{ shown(r.role.clone()) }</td>
                                                    <td>{ shown(scope(r.cluster_wide)) }</td>
                                                    <td class={r.risk.as_ref().map(|f| level_class(f.level))}>{ shown(r.risk.as_ref().map(|f| format!("{}: {}", f.level.word(), f.title)).unwrap_or_default()) }</td>
                                                    <td><button type="button" onclick={onask}>{ shown(format!("Ask Can I as {typed}")) }</button></td>
                                                </tr>
                                            }
                                        }) }
                                    </tbody>
                                </table>
                            }
                        </>
                    }
                }
            } }
        </section>
    }
}

/// The effective rules and their risks, the first `rows` rows of each table drawn.
fn effective_report(
    effective: Option<&Access>,
    screen: Screen,
    rows: usize,
    onmore: &Callback<usize>,
) -> Html {
    let Some(access) = effective else {
        return html! {};
    };
    html! {
        <>
            <section class="effective" aria-labelledby="effective-h">
                { heading("effective-h", "Effective rules") }
                { hint("What kubectl auth can-i --list would print, with each rule traced to the binding and role that grant it. Namespaced tables add to the cluster-wide one.") }
                { for access.table.iter().map(|t| scope_table(t, screen, rows, onmore)) }
            </section>
            <section class="access-findings" aria-labelledby="access-risks-h">
                { heading("access-risks-h", "Risks") }
                if access.warnings.is_empty() && access.missing_roles.is_empty() {
                    <p class="status level-ok">{ "Nothing risky in what this subject can do." }</p>
                }
                <ul class="findings">
                    { for access.missing_roles.iter().chain(access.warnings.iter()).map(|f| finding_item(f, None)) }
                </ul>
            </section>
        </>
    }
}

/// One scope's table, its first `rows` rows drawn: a role of 46 629 rules is a table no one
/// reads row by row. Can I answers from every row.
fn scope_table(table: &ScopeTable, screen: Screen, rows: usize, onmore: &Callback<usize>) -> Html {
    let title = match &table.namespace {
        None => "Cluster-wide (every namespace)".to_string(),
        Some(ns) => format!("In namespace {ns}"),
    };
    html! {
        <>
        <table class="rows" tabindex="0">
            <caption>{ screen.text(&title) }</caption>
            <thead><tr>
                { col("Resources") }{ col("Non-resource URLs") }
                { col("Resource names") }{ col("Verbs") }{ col("Granted by") }
            </tr></thead>
            <tbody>
                if table.rows.is_empty() {
                    <tr><td colspan="5">{ "Nothing." }</td></tr>
                }
                // Text nodes through the page's `Screen`, not a component a cell.
                { for table.rows.iter().take(rows).map(|row| html! {
                    <tr>
                        <td class="mono">{ screen.text(&row.resource) }</td>
                        <td class="mono">{ screen.text(&row.non_resource_url) }</td>
                        <td class="mono">{ screen.text(format!("[{}]", row.resource_names.join(" "))) }</td>
                        <td class="mono">{ screen.text(format!("[{}]", row.verbs.join(" "))) }</td>
                        <td>{ screen.text(row.sources.join("; ")) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
        { more_rows(rows, table.rows.len(), "rows; Can I and Who can answer from all of them", onmore) }
        </>
    }
}
