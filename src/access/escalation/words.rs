//! Nodes and steps in plain words, for the page and the workloads table.

use super::graph::{Edge, Graph, Node};
use super::steps::StepKind;
use crate::access::Policy;

/// A node as a reader names it.
pub fn node_words(graph: &Graph, policy: &Policy, node: &Node) -> String {
    match node {
        Node::Start(i) => graph
            .starts
            .get(*i)
            .map_or_else(String::new, |s| s.describe()),
        Node::User(u) => format!("user {u}"),
        Node::Group(g) => format!("group {g}"),
        Node::ServiceAccount { namespace, name } => {
            format!("system:serviceaccount:{namespace}:{name}")
        }
        Node::Kubelet => "a node (its kubelet and every token mounted on it)".to_string(),
        Node::Pods(ns) => format!("a pod of its own in namespace {ns}"),
        Node::Intercept => "every request the API server admits".to_string(),
        Node::Role { place, namespace } => {
            let role = policy
                .roles
                .get(*place)
                .map_or_else(String::new, |r| r.label());
            match namespace {
                None => format!("{role}, bound cluster-wide"),
                Some(ns) => format!("{role}, bound in namespace {ns}"),
            }
        }
        Node::AnyRule => "any rule, written into a ClusterRole it holds".to_string(),
    }
}

/// What a step is, in words.
pub fn kind_words(kind: StepKind) -> &'static str {
    match kind {
        StepKind::CreatePods => "creates a pod",
        StepKind::RunsAs => "the pod runs as",
        StepKind::OnNode => "a privileged or host-path pod takes over its node",
        StepKind::MountedOnNode => "the node holds the mounted token of",
        StepKind::TokenRequest => "requests a token for",
        StepKind::ReadsTokenSecret => "reads the legacy token Secret of",
        StepKind::Impersonates => "impersonates",
        StepKind::NodeProxy => "runs commands in pods through the kubelet API",
        StepKind::Webhook => "changes an admission webhook",
        StepKind::Intercepts => "the webhook changes the pods of",
        StepKind::SignsCertificate => "approves a client certificate naming",
        StepKind::Binds => "binds to itself",
        StepKind::Escalates => "writes into a ClusterRole it holds",
    }
}

/// `creates a pod (create pods in namespace dev) → a pod of its own in namespace dev`.
pub fn edge_words(graph: &Graph, policy: &Policy, edge: &Edge) -> String {
    let to = graph
        .nodes
        .get(edge.to)
        .map_or_else(String::new, |n| node_words(graph, policy, n));
    if edge.step.query.is_none() {
        return format!("{} {to}", kind_words(edge.step.kind));
    }
    format!(
        "{}{} → {to}{}",
        kind_words(edge.step.kind),
        asked(edge),
        allowed_by(graph, edge)
    )
}

/// The step alone, without where it leads: `creates a pod (create pods in namespace dev),
/// allowed by RoleBinding dev/x → ClusterRole edit`, the label of an arrow in a picture.
pub fn step_words(graph: &Graph, edge: &Edge) -> String {
    format!(
        "{}{}{}",
        kind_words(edge.step.kind),
        asked(edge),
        allowed_by(graph, edge)
    )
}

/// The Can I question the step asks, ` (create pods in namespace dev)`, or nothing.
fn asked(edge: &Edge) -> String {
    edge.step.query.as_ref().map_or_else(String::new, |q| {
        let mut s = format!(" ({} {}", q.verb, q.resource_label());
        if let Some(n) = &q.name {
            s.push_str(&format!(" {n:?}"));
        }
        match &q.namespace {
            Some(ns) => s.push_str(&format!(" in namespace {ns})")),
            None => s.push_str(" cluster-wide)"),
        }
        s
    })
}

/// `, allowed by RoleBinding dev/x → ClusterRole edit`, or nothing for a free step.
fn allowed_by(graph: &Graph, edge: &Edge) -> String {
    edge.grant
        .and_then(|g| graph.grants.get(g))
        .map_or_else(String::new, |g| {
            format!(", allowed by {} → {}", g.binding, g.role)
        })
}
