//! What the RBAC form grants, in plain words: one row per rule and group.

use super::{Names, RbacForm, Scope};
use crate::formats::shell::quote;
use crate::k8s::risk::Rule;

/// One line of the plain-words table: some resources of one group, the verbs allowed on
/// them, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRow {
    /// The API group, `""` for the core group.
    pub group: String,
    /// The resources, as in the rule.
    pub resources: Vec<String>,
    /// The verbs, as in the rule; `*` is every verb.
    pub verbs: Vec<String>,
    /// When not empty, only the objects with these names.
    pub names: Vec<String>,
    /// Where: "in namespace demo", "in every namespace and cluster-wide".
    pub where_: String,
    /// The whole row as a sentence: "Can get, list pods in namespace demo."
    pub sentence: String,
}

impl SummaryRow {
    /// Whether the row allows `verb` (named, or through `*`): for a resources × verbs grid.
    pub fn allows(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == "*" || v == verb)
    }
}

/// The plain-words table: one row per rule and group.
pub(super) fn summary(form: &RbacForm, names: &Names, rules: &[Rule]) -> Vec<SummaryRow> {
    let where_ = match form.scope {
        Scope::Namespace | Scope::BindClusterRole => match names.namespaces.as_slice() {
            [one] => format!("in namespace {one}"),
            many => format!("in namespaces {}", many.join(", ")),
        },
        Scope::Cluster | Scope::BindClusterRoleClusterWide => {
            "in every namespace and cluster-wide".to_string()
        }
    };
    let mut out = Vec::new();
    for rule in rules {
        if !rule.non_resource_urls.is_empty() {
            // Only a ClusterRoleBinding grants non-resource URLs; a RoleBinding ignores them.
            if form.scope.cluster_wide() {
                out.push(url_row(rule));
            }
            continue;
        }
        for group in &rule.api_groups {
            let verbs = if rule.verbs.iter().any(|v| v == "*") {
                "do anything to".to_string()
            } else {
                rule.verbs.join(", ")
            };
            let resources = if rule.resources.iter().any(|r| r == "*") {
                "every resource".to_string()
            } else {
                rule.resources.join(", ")
            };
            let group_words = match group.as_str() {
                "" => String::new(),
                "*" => " in any API group".to_string(),
                g => format!(" (group {g})"),
            };
            let only = if rule.resource_names.is_empty() {
                String::new()
            } else {
                format!(" named {}", rule.resource_names.join(", "))
            };
            out.push(SummaryRow {
                group: group.clone(),
                resources: rule.resources.clone(),
                verbs: rule.verbs.clone(),
                names: rule.resource_names.clone(),
                where_: where_.clone(),
                sentence: format!("Can {verbs} {resources}{group_words}{only} {where_}."),
            });
        }
    }
    if out.is_empty() && form.scope.binds_existing() && !names.role.is_empty() {
        out.push(SummaryRow {
            group: String::new(),
            resources: Vec::new(),
            verbs: Vec::new(),
            names: Vec::new(),
            where_: where_.clone(),
            sentence: format!(
                "Whatever ClusterRole {} grants, {where_}: its rules are in the cluster \
                 (`kubectl describe {}`).",
                names.role,
                // One `TYPE/NAME` word: a role's name may start with '-', but this word never.
                quote(&format!("clusterrole/{}", names.role))
            ),
        });
    }
    out
}

/// A rule of non-resource URLs: requests that are not for an object, such as `/healthz`.
fn url_row(rule: &Rule) -> SummaryRow {
    let verbs = if rule.verbs.iter().any(|v| v == "*") {
        "use any method on".to_string()
    } else {
        rule.verbs.join(", ")
    };
    SummaryRow {
        group: String::new(),
        resources: rule.non_resource_urls.clone(),
        verbs: rule.verbs.clone(),
        names: Vec::new(),
        where_: "on the API server (not in a namespace)".to_string(),
        sentence: format!(
            "Can {verbs} the paths {} (non-resource URLs) on the API server.",
            rule.non_resource_urls.join(", ")
        ),
    }
}
