//! The Escalation section of the Access page: how far the subject gets from what the pasted
//! objects grant (the shortest path to cluster-admin), the fewest rules to remove to stop it,
//! and one row per pasted workload. The work is the core's ([`crate::access::escalation`]); this only
//! renders it, once per paste and subject.

use yew::prelude::*;

use crate::ui::components::{heading, hint};

use crate::access::escalation::{self, Analysis, Cut, Target, WorkloadTable, MAX_CUT};
use crate::access::Subject;
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

/// What one paste and subject give: the analysis and the workloads table.
type Computed = Option<(Analysis, WorkloadTable)>;

/// **Escalation**: the shortest path to cluster-admin, its minimum cut, and the workloads.
#[function_component]
pub fn EscalationSection(props: &EscalationProps) -> Html {
    let state = props.state.clone();
    let computed: std::rc::Rc<Computed> = use_memo(
        (props.state.generation, props.subject.clone()),
        move |(_, subject)| {
            let (Some(Ok(policy)), Some(subject)) = (&state.policy, subject) else {
                return None;
            };
            let objects = escalation::read_objects(&state.input).unwrap_or_default();
            let analysis = escalation::analyse(policy, &objects, subject, &Target::ClusterAdmin);
            let table = escalation::workload_rows(&objects, Some(policy));
            Some((analysis, table))
        },
    );
    let Some((analysis, table)) = computed.as_ref() else {
        return html! {};
    };
    let policy = match &props.state.policy {
        Some(Ok(p)) => p,
        _ => return html! {},
    };
    let g = &analysis.graph;
    html! {
        <section class="escalation" aria-labelledby="escalation-h">
            { heading("escalation-h", "Escalation") }
            { hint("How far this subject gets: each step is a request the pasted RBAC allows it (creating pods, reading legacy token Secrets, requesting tokens, impersonating, binding roles, approving certificates, changing webhooks). Paste ServiceAccounts, token Secrets and workloads (kubectl get serviceaccounts,secrets,pods,deployments,statefulsets,daemonsets,jobs,cronjobs -A -o yaml) with the RBAC to follow pods and tokens.") }
            { match &analysis.path {
                None => html! { <p class="status level-ok" role="status">{ "No path to cluster-admin from what was pasted." }</p> },
                Some(path) if path.is_empty() => html! { <p class="status level-danger" role="status">{ "This subject is cluster-admin already (every verb on every resource cluster-wide, or system:masters)." }</p> },
                Some(path) => html! {
                    <>
                        <p class="status level-danger" role="status">{ format!("Cluster-admin in {} steps:", path.len()) }</p>
                        <ol class="escalation-path">
                            { for path.iter().filter_map(|&e| g.edges.get(e)).map(|e| html! {
                                <li>{ escalation::edge_words(g, policy, e) }</li>
                            }) }
                        </ol>
                    </>
                },
            } }
            if g.partial {
                <p class="field-note field-warning">{ format!("The paste is larger than the search's bounds ({} identities, {} steps): some paths may be missing.", escalation::MAX_NODES, escalation::MAX_EDGES) }</p>
            }
            { cut(analysis) }
            { workloads(table) }
        </section>
    }
}

fn cut(analysis: &Analysis) -> Html {
    match &analysis.cut {
        Cut::Rules(rules) => html! {
            <>
                <h3>{ format!("Remove {} rule{} to break every path", rules.len(), if rules.len() == 1 { "" } else { "s" }) }</h3>
                <ul class="escalation-cut">
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

fn workloads(table: &WorkloadTable) -> Html {
    if table.rows.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h3>{ "Workloads" }</h3>
            <table class="workloads">
                <thead><tr>
                    <th>{ "Namespace" }</th><th>{ "Kind" }</th><th>{ "Name" }</th><th>{ "Service account" }</th>
                    <th>{ "Token" }</th><th>{ "Worst grant" }</th><th>{ "Escalates" }</th><th>{ "Node access" }</th>
                </tr></thead>
                <tbody>
                    { for table.rows.iter().map(|r| html! {
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
            <ul class="hints">
                { for table.rows.iter().filter_map(|r| Some(html! {
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
