//! Escalation: how far a subject can get from what it is granted, which pods carry which
//! tokens, and the fewest rules to remove to stop it.
//!
//! Access judges one rule at a time; a reviewer asks how far a subject gets. Creating a pod in
//! a namespace whose service account is bound to cluster-admin makes one cluster-admin; so do
//! reading its legacy token Secret, requesting its token, impersonating it, binding a role,
//! approving a client certificate or changing an admission webhook. This module builds the
//! graph of those steps from the pasted RBAC ([`crate::access::Policy`]) and, when pasted,
//! ServiceAccounts, token Secrets and workloads ([`read_objects`]), and answers:
//! - the shortest path from a subject to cluster-admin-equivalent, or to a chosen subject or
//!   Can I request ([`analyse`]);
//! - the minimum cut: the fewest granted rules whose removal breaks every path, each with the
//!   change that removes it;
//! - one row per workload ([`workload_rows`]).
//!
//! Every step out of an identity is a request [`crate::access::can_i`] allows that identity,
//! so Escalation, Can I and Who can never disagree.
//!
//! The parts: `objects` (the non-RBAC objects of a paste), `steps` (what one granted rule
//! allows), `graph` (the nodes and edges, bounded), `paths` (shortest paths and the minimum
//! cut), `fix` (the kubectl change removing one rule), `words` (steps in words), `workloads`
//! (the table).

mod fix;
mod graph;
mod objects;
mod paths;
mod steps;
mod words;
mod workloads;

pub use fix::{fix, rule_json, Fix};
pub use graph::{
    admin_request, build, build_counted, node_of, subject_of, Edge, GrantedRule, Graph, Node,
    Target, MAX_EDGES, MAX_EXPANDED, MAX_NODES,
};
pub use objects::{
    pod_spec, read_objects, Account, Objects, ObjectsError, ObjectsStream, PodSpec, TokenSecret,
    Workload, MAX_OBJECTS_BYTES,
};
pub use paths::{distances, min_cut, path_from, Cut, Distances, MAX_CUT};
pub use steps::{request, Step, StepKind, CLIENT_SIGNER};
pub use words::{edge_words, kind_words, node_words, step_words};
pub use workloads::{
    token_mounted, workload_rows, Mounted, WorkloadRow, WorkloadTable, WorkloadWork,
    ACCOUNTS_PER_STEP, MAX_ACCOUNTS, USES_API_HINT,
};

use crate::access::{Policy, Subject};

/// Everything the page shows for one subject and target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    /// The graph from the subject.
    pub graph: Graph,
    /// The edges of one shortest path to the target (empty: the subject is the target);
    /// `None`: no path.
    pub path: Option<Vec<usize>>,
    /// The fewest granted rules breaking every path.
    pub cut: Cut,
    /// How to remove each rule of the cut, in the cut's order.
    pub fixes: Vec<Fix>,
}

/// The graph from `subject` towards `target`, its shortest path and its minimum cut.
pub fn analyse(policy: &Policy, objects: &Objects, subject: &Subject, target: &Target) -> Analysis {
    let graph = build(policy, objects, std::slice::from_ref(subject), target, &[]);
    let start = graph.start_nodes.first().copied().unwrap_or(usize::MAX);
    let d = distances(&graph);
    let path = path_from(&graph, &d, start);
    let cut = if path.is_none() {
        Cut::NoPath
    } else {
        min_cut(&graph, start)
    };
    let fixes = match &cut {
        Cut::Rules(rules) => rules
            .iter()
            .filter_map(|&g| graph.grants.get(g))
            .map(|g| fix(policy, g))
            .collect(),
        _ => Vec::new(),
    };
    Analysis {
        graph,
        path,
        cut,
        fixes,
    }
}

/// The granted rules of a cut, to remove them and build again.
pub fn cut_rules(analysis: &Analysis) -> Vec<GrantedRule> {
    match &analysis.cut {
        Cut::Rules(rules) => rules
            .iter()
            .filter_map(|&g| analysis.graph.grants.get(g).cloned())
            .collect(),
        _ => Vec::new(),
    }
}
