//! The one writer of RBAC objects: Roles, ClusterRoles and their bindings as values, keys in
//! the order `kubectl get -o yaml` prints them (alphabetical), so a diff against the cluster
//! shows only real changes. The RBAC builder, Troubleshoot's fix and Activity's generator
//! all write through it, so the three agree on every byte of what they print.

use serde_json::{json, Map, Value};

use crate::k8s::kube::RBAC_GROUP;
use crate::k8s::risk::Rule;

/// The RBAC API's group and version, in every Role, ClusterRole and binding.
pub const RBAC_API_VERSION: &str = "rbac.authorization.k8s.io/v1";

/// Which kind of role a binding refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleKind {
    /// A namespaced `Role`.
    Role,
    /// A `ClusterRole`, bound cluster-wide or in one namespace.
    ClusterRole,
}

impl RoleKind {
    /// The kind as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleKind::Role => "Role",
            RoleKind::ClusterRole => "ClusterRole",
        }
    }
}

/// Who a binding names, as `kubectl create rolebinding --serviceaccount|--user|--group`
/// writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingSubject<'a> {
    /// A service account, with its namespace.
    ServiceAccount {
        /// Its namespace.
        namespace: &'a str,
        /// Its name.
        name: &'a str,
    },
    /// A user, by the exact name the authenticator reports.
    User(&'a str),
    /// A group.
    Group(&'a str),
}

impl BindingSubject<'_> {
    /// The subject as an entry of `subjects`: a service account with its namespace, a user or
    /// group with the RBAC API group.
    pub fn value(&self) -> Value {
        match *self {
            BindingSubject::ServiceAccount { namespace, name } => json!({
                "kind": "ServiceAccount",
                "name": name,
                "namespace": namespace,
            }),
            BindingSubject::User(name) => json!({
                "apiGroup": RBAC_GROUP,
                "kind": "User",
                "name": name,
            }),
            BindingSubject::Group(name) => json!({
                "apiGroup": RBAC_GROUP,
                "kind": "Group",
                "name": name,
            }),
        }
    }
}

/// `metadata` with a name and, for namespaced objects, the namespace.
pub fn metadata(name: &str, namespace: Option<&str>) -> Value {
    let mut meta = Map::new();
    meta.insert("name".into(), name.into());
    if let Some(namespace) = namespace {
        meta.insert("namespace".into(), namespace.into());
    }
    Value::Object(meta)
}

/// A rule as the API server and kubectl write it: keys in alphabetical order, resourceNames
/// only when there are some; a rule of non-resource URLs has only those and its verbs.
pub fn rule_value(rule: &Rule) -> Value {
    let mut out = Map::new();
    if rule.non_resource_urls.is_empty() {
        out.insert("apiGroups".into(), json!(rule.api_groups));
        if !rule.resource_names.is_empty() {
            out.insert("resourceNames".into(), json!(rule.resource_names));
        }
        out.insert("resources".into(), json!(rule.resources));
    } else {
        out.insert("nonResourceURLs".into(), json!(rule.non_resource_urls));
    }
    out.insert("verbs".into(), json!(rule.verbs));
    Value::Object(out)
}

/// A Role in `namespace`, or a ClusterRole when there is none, holding `rules`.
pub fn role(name: &str, namespace: Option<&str>, rules: &[Rule]) -> Value {
    let kind = match namespace {
        Some(_) => RoleKind::Role,
        None => RoleKind::ClusterRole,
    };
    let mut out = header(kind.as_str(), name, namespace);
    out.insert(
        "rules".into(),
        Value::Array(rules.iter().map(rule_value).collect()),
    );
    Value::Object(out)
}

/// A RoleBinding in `namespace`, or a ClusterRoleBinding when there is none, of the role
/// `role_name` (a `role_kind`) to `subjects`.
pub fn binding(
    name: &str,
    namespace: Option<&str>,
    role_kind: RoleKind,
    role_name: &str,
    subjects: &[BindingSubject<'_>],
) -> Value {
    let kind = match namespace {
        Some(_) => "RoleBinding",
        None => "ClusterRoleBinding",
    };
    let mut out = header(kind, name, namespace);
    out.insert(
        "roleRef".into(),
        json!({"apiGroup": RBAC_GROUP, "kind": role_kind.as_str(), "name": role_name}),
    );
    out.insert(
        "subjects".into(),
        Value::Array(subjects.iter().map(BindingSubject::value).collect()),
    );
    Value::Object(out)
}

/// `apiVersion`, `kind` and `metadata` of an RBAC object.
fn header(kind: &str, name: &str, namespace: Option<&str>) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("apiVersion".into(), RBAC_API_VERSION.into());
    out.insert("kind".into(), kind.into());
    out.insert("metadata".into(), metadata(name, namespace));
    out
}
