//! The Escalation section of the Access page: how far the subject gets from what the pasted
//! objects grant (the shortest path to cluster-admin, or to the Can I request), drawn and
//! listed, the fewest rules to remove to stop it, and one row per pasted workload. The work is
//! the core's ([`crate::access::escalation`]); this only schedules and renders it.
//!
//! A dump's ServiceAccounts, token Secrets and workloads are read with its policy, from a text
//! or a file alike ([`AccessState::objects`]); the workloads table is worked out a few accounts
//! at a time, one task each, after the page has drawn the rest, so a 4 MiB dump does not hold
//! the page in one long task. The path is asked again only when the subject or the target
//! changes, from the objects already read.

use std::cell::Cell;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::ui::components::{heading, hint, more_rows, next_task, picture_view, ROWS_STEP};

use crate::access::escalation::{self, Analysis, Cut, Target, WorkloadTable, MAX_CUT};
use crate::access::{Policy, Query, Subject};
use crate::picture::path::path_picture;
use crate::ui::components::{finding_item, shown};
use crate::ui::state::{AccessState, Slice};

/// Props of [`EscalationSection`].
#[derive(Properties, PartialEq)]
pub struct EscalationProps {
    /// The Access page's slice: the paste and its policy.
    pub state: Slice<AccessState>,
    /// The subject evaluated, when there is one.
    pub subject: Option<Subject>,
}

/// What one paste gives besides its RBAC: its objects and the workloads table.
pub struct Read {
    /// The policy's generation it was worked out for.
    pub generation: u64,
    /// One row per workload.
    pub table: WorkloadTable,
}

/// One reading is the same as another only when it is the same reading: comparing a
/// cluster's objects on each render would cost what reading them did.
impl PartialEq for Read {
    fn eq(&self, other: &Read) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Read {
    /// The workloads of `state`'s objects worked out at once, for a renderer with no later
    /// task to work them out in.
    pub fn now(state: &AccessState) -> Option<Read> {
        let Some(Ok(policy)) = &state.policy else {
            return None;
        };
        Some(Read {
            generation: state.generation,
            table: escalation::workload_rows(&state.objects, Some(policy)),
        })
    }
}

/// **Escalation**: reads the paste's objects across tasks, then shows [`EscalationView`].
#[function_component]
pub fn EscalationSection(props: &EscalationProps) -> Html {
    let read = use_state(|| None::<Rc<Read>>);
    {
        let read = read.clone();
        let state = props.state.clone();
        use_effect_with(props.state.generation, move |&generation| {
            let alive = Rc::new(Cell::new(true));
            let running = alive.clone();
            spawn_local(async move {
                if !matches!(state.policy, Some(Ok(_))) {
                    return;
                }
                if let Some(done) = workloads_in_tasks(&state, generation, &running).await {
                    read.set(Some(Rc::new(done)));
                }
            });
            move || alive.set(false)
        });
    }
    let read = (*read)
        .clone()
        .filter(|r| r.generation == props.state.generation);
    html! { <EscalationView state={props.state.clone()} subject={props.subject.clone()} {read} /> }
}

/// Props of [`EscalationView`].
#[derive(Properties, PartialEq)]
pub struct EscalationViewProps {
    /// The Access page's slice: the paste and its policy.
    pub state: Slice<AccessState>,
    /// The subject evaluated, when there is one.
    pub subject: Option<Subject>,
    /// The workloads table, once worked out.
    pub read: Option<Rc<Read>>,
}

/// The shortest path to the target (cluster-admin or the Can I request), its minimum cut, and
/// the workloads, from a paste already read.
#[function_component]
pub fn EscalationView(props: &EscalationViewProps) -> Html {
    let to_request = use_state(|| false);
    // A cluster's workloads run to thousands of rows: drawn 100 at a time, as the effective
    // rules are, since laying out 1,277 rows is one task of over 100 ms.
    let rows = use_state(|| ROWS_STEP);
    let onmore = {
        let rows = rows.clone();
        Callback::from(move |n| rows.set(n))
    };
    let request = (*to_request).then(|| can_i_request(&props.state)).flatten();
    let target = match &request {
        Some(q) => Target::Request(q.clone()),
        None => Target::ClusterAdmin,
    };
    // Asked once the workloads are worked out, in a task after the one that drew the rest of
    // the page, not in it.
    let analysis = {
        let state = props.state.clone();
        let read = props.read.clone();
        use_memo(
            (
                props.state.generation,
                props.subject.clone(),
                target,
                props.read.as_ref().map(|r| Rc::as_ptr(r) as usize),
            ),
            move |(_, subject, target, _)| {
                let (Some(Ok(policy)), Some(_), Some(subject)) = (&state.policy, read, subject)
                else {
                    return None;
                };
                Some(escalation::analyse(policy, &state.objects, subject, target))
            },
        )
    };
    let (Some(Ok(policy)), Some(_)) = (&props.state.policy, &props.subject) else {
        return html! {};
    };
    let pick = |on: bool| {
        let to_request = to_request.clone();
        Callback::from(move |_: Event| to_request.set(on))
    };
    let target_words = match &request {
        Some(q) => format!("{} {} {}", q.verb, q.resource_label(), scope_words(q)),
        None => "cluster-admin".to_string(),
    };
    html! {
        <section class="escalation" aria-labelledby="escalation-h">
            { heading("escalation-h", "Escalation") }
            { hint("How far this subject gets: each step is a request the pasted RBAC allows it (creating pods, reading legacy token Secrets, requesting tokens, impersonating, binding roles, approving certificates, changing webhooks). Paste ServiceAccounts, token Secrets and workloads (kubectl get serviceaccounts,secrets,pods,deployments,statefulsets,daemonsets,jobs,cronjobs -A -o yaml) with the RBAC to follow pods and tokens.") }
            <fieldset class="escalation-target">
                <legend>{ "Path to" }</legend>
                <label><input type="radio" name="escalation-target" checked={!*to_request} onchange={pick(false)} />{ " cluster-admin" }</label>
                <label><input type="radio" name="escalation-target" checked={*to_request} onchange={pick(true)} />{ " the Can I request above" }</label>
            </fieldset>
            if *to_request && request.is_none() {
                <p class="field-note field-warning">{ "Type a verb and a resource in Can I above; until then the path is to cluster-admin." }</p>
            }
            { match analysis.as_ref() {
                None => html! { <p class="status level-info" role="status" aria-label="Escalation">{ "Working out escalation paths…" }</p> },
                Some(analysis) => found(analysis, policy, &target_words),
            } }
            if let Some(read) = &props.read {
                { workloads(&read.table, *rows, &onmore) }
            }
        </section>
    }
}

/// Works out the workloads table of the objects read with the policy a few accounts a task;
/// `None` when the paste changed meanwhile (or holds no policy).
async fn workloads_in_tasks(
    state: &AccessState,
    generation: u64,
    alive: &Cell<bool>,
) -> Option<Read> {
    let Some(Ok(policy)) = &state.policy else {
        return None;
    };
    // Gathering the cluster's accounts and bindings is a task of its own too, not part of
    // the one that draws the page.
    let next = || async {
        next_task().await;
        alive.get()
    };
    if !next().await {
        return None;
    }
    let mut work = escalation::WorkloadWork::new(&state.objects, Some(policy));
    loop {
        if !next().await {
            return None;
        }
        if !work.step() {
            break;
        }
    }
    let table = work.finish();
    Some(Read { generation, table })
}

/// The Can I form's request, when it reads as one.
fn can_i_request(state: &AccessState) -> Option<Query> {
    let f = &state.can_i;
    if f.verb.trim().is_empty() || f.resource.trim().is_empty() {
        return None;
    }
    Query::parse(&f.verb, &f.resource, &f.namespace, &f.name).ok()
}

fn scope_words(q: &Query) -> String {
    match &q.namespace {
        Some(ns) => format!("in namespace {ns}"),
        None => "cluster-wide".to_string(),
    }
}

/// The path (its picture and its list), or why there is none, and the cut.
fn found(analysis: &Analysis, policy: &Policy, target: &str) -> Html {
    let g = &analysis.graph;
    html! {
        <>
            { match &analysis.path {
                None => html! { <p class="status level-ok" role="status" aria-label="Escalation">{ format!("No path to {target} from what was pasted.") }</p> },
                Some(path) if path.is_empty() => html! { <p class="status level-danger" role="status" aria-label="Escalation">{ format!("This subject has {target} already (for cluster-admin: every verb on every resource cluster-wide, or system:masters).") }</p> },
                Some(path) => {
                    let drawn = path_picture(g, policy, path, target);
                    html! {
                        <>
                            <p class="status level-danger" role="status" aria-label="Escalation">{ format!("{} in {} step{}:", capitalised(target), path.len(), if path.len() == 1 { "" } else { "s" }) }</p>
                            { picture_view(&drawn.picture, "escalation-path.svg", "The steps below say the same in words.") }
                            <ol class="escalation-path" aria-label="Escalation path">
                                { for drawn.rows.iter().map(|row| html! { <li>{ shown(row.clone()) }</li> }) }
                            </ol>
                        </>
                    }
                },
            } }
            if g.partial {
                <p class="field-note field-warning">{ format!("The paste is larger than the search's bounds ({} identities, {} steps): some paths may be missing.", escalation::MAX_NODES, escalation::MAX_EDGES) }</p>
            }
            { cut(analysis) }
        </>
    }
}

/// `Cluster-admin`, `Get secrets cluster-wide`.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

fn cut(analysis: &Analysis) -> Html {
    match &analysis.cut {
        Cut::Rules(rules) => html! {
            <>
                <h3>{ format!("Remove {} rule{} to break every path", rules.len(), if rules.len() == 1 { "" } else { "s" }) }</h3>
                <ul class="escalation-cut" aria-label="Rules to remove">
                    { for analysis.fixes.iter().map(|fix| html! {
                        <li>
                            <p>{ fix.traced.clone() }</p>
                            <pre><code>{ fix.rule.clone() }</code></pre>
                            if let Some(patch) = &fix.patch {
                                { hint("Remove the rule (the test fails, changing nothing, if the role changed since the paste):") }
                                <pre><code>{ patch.clone() }</code></pre>
                            }
                            { hint("Or, if nothing else needs the binding, delete it:") }
                            <pre><code>{ fix.unbind.clone() }</code></pre>
                        </li>
                    }) }
                </ul>
            </>
        },
        Cut::TooMany => html! {
            <p class="field-note field-warning">{ format!("More than {MAX_CUT} rules would have to go to break every path: the subject has too many independent ways up.") }</p>
        },
        Cut::NoPath | Cut::AlreadyThere => html! {},
    }
}

/// The workloads table, its first `shown` rows drawn with their advice.
fn workloads(table: &WorkloadTable, shown_rows: usize, onmore: &Callback<usize>) -> Html {
    if table.rows.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h3>{ "Workloads" }</h3>
            <div class="table-scroll">
            <table class="workloads" aria-label="Workloads" tabindex="0">
                <thead><tr>
                    <th>{ "Namespace" }</th><th>{ "Kind" }</th><th>{ "Name" }</th><th>{ "Service account" }</th>
                    <th>{ "Token" }</th><th>{ "Worst grant" }</th><th>{ "Escalates" }</th><th>{ "Node access" }</th>
                </tr></thead>
                <tbody>
                    { for table.rows.iter().take(shown_rows).map(|r| html! {
                        <tr>
                            <td>{ shown(r.namespace.clone()) }</td>
                            <td>{ shown(r.kind.clone()) }</td>
                            <td>{ shown(r.name.clone()) }</td>
                            <td>{ shown(r.account.clone()) }</td>
                            <td title={r.token.why.clone()}>{ shown(if r.token.mounted { "mounted" } else { "not mounted" }) }</td>
                            <td><div>{ worst_cell(r.worst.as_ref()) }</div></td>
                            <td><div>{ escalates_cell(r.escalates.as_deref()) }</div></td>
                            <td>{ shown(if r.node_access.is_empty() { "none".to_string() } else { r.node_access.join(", ") }) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
            { more_rows(shown_rows, table.rows.len(), "workloads", onmore) }
            <ul class="hints">
                { for table.rows.iter().take(shown_rows).filter_map(|r| Some(html! {
                    <li>{ format!("{} {}/{}: {}", r.kind, r.namespace, r.name, r.advice.as_ref()?) }</li>
                })) }
            </ul>
            if table.folded > 0 {
                <p class="hint">{ format!("{} pods, ReplicaSets and Jobs are shown as their controller's row.", table.folded) }</p>
            }
        </>
    }
}

/// A workload's worst grant, as a finding, or a dash.
fn worst_cell(worst: Option<&crate::support::finding::Finding>) -> Html {
    match worst {
        Some(f) => html! { <ul class="findings">{ finding_item(f, None) }</ul> },
        None => html! { "—" },
    }
}

/// Where a workload's account escalates, step by step, or "no".
fn escalates_cell(steps: Option<&[String]>) -> Html {
    match steps {
        Some(steps) => {
            html! { <ol>{ for steps.iter().map(|s| html! { <li>{ shown(s.clone()) }</li> }) }</ol> }
        }
        None => html! { "no" },
    }
}
