//! The rules of the ClusterRoles every cluster has (`view`, `edit`, `admin`,
//! `cluster-admin`), so binding one shows what it grants without the cluster at hand.

use crate::k8s::kube::RBAC_GROUP;
use crate::k8s::risk::Rule;

const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];
const READ_WRITE: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// One rule of a built-in role: group, resources, verbs.
type Builtin = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// What `view` adds (Kubernetes' `system:aggregate-to-view`): reading most namespaced
/// objects, but not Secrets and not RBAC.
const VIEW: [Builtin; 8] = [
    (
        "",
        &[
            "bindings",
            "configmaps",
            "endpoints",
            "events",
            "limitranges",
            "namespaces",
            "namespaces/status",
            "persistentvolumeclaims",
            "persistentvolumeclaims/status",
            "pods",
            "pods/log",
            "pods/status",
            "replicationcontrollers",
            "replicationcontrollers/scale",
            "replicationcontrollers/status",
            "resourcequotas",
            "resourcequotas/status",
            "serviceaccounts",
            "services",
            "services/status",
        ],
        READ,
    ),
    (
        "apps",
        &[
            "controllerrevisions",
            "daemonsets",
            "daemonsets/status",
            "deployments",
            "deployments/scale",
            "deployments/status",
            "replicasets",
            "replicasets/scale",
            "replicasets/status",
            "statefulsets",
            "statefulsets/scale",
            "statefulsets/status",
        ],
        READ,
    ),
    (
        "autoscaling",
        &[
            "horizontalpodautoscalers",
            "horizontalpodautoscalers/status",
        ],
        READ,
    ),
    (
        "batch",
        &["cronjobs", "cronjobs/status", "jobs", "jobs/status"],
        READ,
    ),
    ("discovery.k8s.io", &["endpointslices"], READ),
    (
        "networking.k8s.io",
        &["ingresses", "ingresses/status", "networkpolicies"],
        READ,
    ),
    (
        "policy",
        &["poddisruptionbudgets", "poddisruptionbudgets/status"],
        READ,
    ),
    ("metrics.k8s.io", &["pods", "nodes"], READ),
];

/// What `edit` adds to `view` (`system:aggregate-to-edit`): writing most objects, reading and
/// writing Secrets, exec and attach into pods, minting and impersonating service accounts'
/// tokens; still no RBAC.
const EDIT: [Builtin; 11] = [
    (
        "",
        &[
            "pods/attach",
            "pods/exec",
            "pods/portforward",
            "pods/proxy",
            "secrets",
            "services/proxy",
        ],
        READ,
    ),
    ("", &["serviceaccounts"], &["impersonate"]),
    (
        "",
        &[
            "pods",
            "pods/attach",
            "pods/exec",
            "pods/portforward",
            "pods/proxy",
        ],
        WRITE,
    ),
    ("", &["pods/eviction"], &["create"]),
    (
        "",
        &[
            "configmaps",
            "events",
            "persistentvolumeclaims",
            "replicationcontrollers",
            "replicationcontrollers/scale",
            "secrets",
            "serviceaccounts",
            "services",
            "services/proxy",
        ],
        WRITE,
    ),
    ("", &["serviceaccounts/token"], &["create"]),
    (
        "apps",
        &[
            "daemonsets",
            "deployments",
            "deployments/rollback",
            "deployments/scale",
            "replicasets",
            "replicasets/scale",
            "statefulsets",
            "statefulsets/scale",
        ],
        WRITE,
    ),
    ("autoscaling", &["horizontalpodautoscalers"], WRITE),
    ("batch", &["cronjobs", "jobs"], WRITE),
    (
        "networking.k8s.io",
        &["ingresses", "networkpolicies"],
        WRITE,
    ),
    ("policy", &["poddisruptionbudgets"], WRITE),
];

/// What `admin` adds to `edit` (`system:aggregate-to-admin`): Roles and RoleBindings in the
/// namespace, and asking what others may do there.
const ADMIN: [Builtin; 2] = [
    (RBAC_GROUP, &["rolebindings", "roles"], READ_WRITE),
    (
        "authorization.k8s.io",
        &["localsubjectaccessreviews"],
        &["create"],
    ),
];

/// The rules of a ClusterRole every cluster has (`view`, `edit`, `admin`, `cluster-admin`), as
/// Kubernetes' bootstrap policy defines them (1.33, without the long-gone `extensions` group).
/// `None` for any other name: its rules live in the cluster, not here.
pub fn builtin_cluster_role(name: &str) -> Option<Vec<Rule>> {
    let to_rules = |table: &[Builtin]| -> Vec<Rule> {
        table
            .iter()
            .map(|(group, resources, verbs)| Rule {
                api_groups: vec![group.to_string()],
                resources: resources.iter().map(|r| r.to_string()).collect(),
                verbs: verbs.iter().map(|v| v.to_string()).collect(),
                resource_names: Vec::new(),
                non_resource_urls: Vec::new(),
            })
            .collect()
    };
    let mut out = Vec::new();
    match name {
        "cluster-admin" => {
            let all = vec!["*".to_string()];
            out.push(Rule {
                api_groups: all.clone(),
                resources: all.clone(),
                verbs: all.clone(),
                ..Rule::default()
            });
            out.push(Rule {
                non_resource_urls: all.clone(),
                verbs: all,
                ..Rule::default()
            });
        }
        "admin" => {
            out.extend(to_rules(&VIEW));
            out.extend(to_rules(&EDIT));
            out.extend(to_rules(&ADMIN));
        }
        "edit" => {
            out.extend(to_rules(&VIEW));
            out.extend(to_rules(&EDIT));
        }
        "view" => out.extend(to_rules(&VIEW)),
        _ => return None,
    }
    Some(out)
}
