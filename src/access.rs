//! What can a subject do? The API server's RBAC authorizer, run offline over pasted objects.
//!
//! The evaluator (`#/access`) takes `kubectl get roles,rolebindings,clusterroles,
//! clusterrolebindings -A -o yaml` (or any mix of those objects, as YAML or JSON documents) and
//! a subject (the inspected token's service account, or a typed user or group), and answers two
//! questions the way kube-apiserver would: what the subject may do in each namespace and
//! cluster-wide ([`effective`], like `kubectl auth can-i --list`), and whether one request
//! would be allowed ([`can_i`], like `kubectl auth can-i`), each traced to the binding and role
//! responsible.
//!
//! The semantics follow `plugin/pkg/auth/authorizer/rbac` in Kubernetes:
//! - a ClusterRoleBinding grants its ClusterRole everywhere; a RoleBinding grants a Role of its
//!   own namespace, or a ClusterRole, in its namespace only;
//! - a rule matches when its verbs, API groups and resources (`*`, exact, or `*/sub` for a
//!   subresource) match, and, when it has `resourceNames`, the request names one of them;
//! - non-resource URLs (`/healthz`, `/api/*`) are only checked against ClusterRoleBindings,
//!   because such requests have no namespace;
//! - a binding whose role does not exist grants nothing;
//! - aggregated ClusterRoles (`aggregationRule`) get the rules of every pasted ClusterRole
//!   their label selectors pick, replacing their pasted rules, as the aggregation controller
//!   writes them; when the selectors pick no pasted ClusterRole, the pasted rules count;
//! - `bind` on a ClusterRole is asked in the namespace of the RoleBinding that refers to it,
//!   as the API server's escalation check asks it.
//!
//! Parsing is lenient per object: one broken binding becomes a [`Note`], not a failed paste,
//! because a real cluster dump is hundreds of objects and the rest are still worth evaluating.
//!
//! The parts, each standing only on those before it:
//! - `subject`: who is asking, and how typed subjects read;
//! - `rules`: a role's rules, each distinct rule of the paste stored once;
//! - `model`: roles, bindings, label selectors, notes and the [`Policy`];
//! - `read`: the lenient reader of one object;
//! - `aggregate`: ClusterRole aggregation as the controller settles it;
//! - `parse`: a whole paste, repeats and the notes cap;
//! - `query`: the Can I query language;
//! - `evaluate`: effective rules and their table; `can_i`: one request; `miss`: the nearest
//!   miss of a refused one; `who_can`: every subject allowed one request, through Can I's own
//!   steps.

mod aggregate;
mod can_i;
pub mod escalation; // how far a subject gets: steps to others' rights, shortest paths, minimum cut, workloads
mod evaluate;
pub mod graph; // subject → bindings → roles → rules, collapsed, with the path that grants marked
mod grid;
mod miss;
mod model;
mod parse;
mod query;
mod read;
mod rules;
mod stream;
mod subject;
mod who_can;

pub use aggregate::{MAX_LABEL_CHECKS, MAX_RULE_REFS};
pub use can_i::{can_i, Answer, Asker};
pub(crate) use can_i::{rule_allows, url_matches, verb_matches};
pub use evaluate::{
    effective, effective_in_parts, warnings_with, Access, Grant, ListRow, ScopeTable, Summaries,
    ENTRIES_PER_PART, MAX_TABLE_ENTRIES,
};
pub use grid::{grid, query as grid_query, Cell, Grid, GridRow, GRID_VERBS, MAX_GRID_ROWS};
pub use miss::{nearest_miss, nearest_misses, Miss, RankedMiss};
pub use model::{
    Binding, BindingSubject, ByAccount, LabelSelector, Note, Operator, Policy, Requirement, Role,
    RoleKind, SubjectKind,
};
pub use parse::{parse, parse_with_objects, ParseError, MAX_NOTES, MAX_POLICY_BYTES};
pub use query::{Query, QueryError};
pub use rules::{RuleList, Work};
pub use stream::{PolicyStream, RULES_PER_PART};
pub use subject::{parse_subject, Subject, SubjectError, PRIVILEGED_GROUP, SUBJECT_SYNTAX};
pub use who_can::{who_can, WhoCan, WhoCanRow, MAX_WHO_CAN_ROWS};
