//! The least-privilege RBAC for a set of requests: per namespace a Role and a RoleBinding,
//! and for cluster scope and non-resource paths a ClusterRole and a ClusterRoleBinding, with
//! rules grouped the way a person writes them.
//!
//! Grouping: per API group, resources used with the same verbs share one rule. With
//! `resourceNames` asked for, a verb used only on named objects gets its own rule naming
//! them; `list`, `watch`, `create` and `deletecollection` never do (they name no object, or
//! `resourceNames` would not limit them the way it reads), so `list` and `watch` seen together
//! always stay in one rule.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::read::{Decision, Request};
use super::select::Row;
use crate::access::Subject;
use crate::kube::RBAC_GROUP;
use crate::rbac::VERBS;
use crate::risk::Rule;
use crate::yaml_write;

/// The RBAC API's group and version.
const RBAC_API_VERSION: &str = "rbac.authorization.k8s.io/v1";

/// Verbs `resourceNames` cannot usefully limit: they name no single object.
const NO_NAMES: [&str; 4] = ["list", "watch", "create", "deletecollection"];

/// What to grant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Also grant the requests the authorizer denied (what the workload is missing).
    pub include_denied: bool,
    /// Limit verbs used only on named objects to those names (`resourceNames`).
    pub resource_names: bool,
}

/// Who the bindings name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grantee {
    /// A service account.
    ServiceAccount {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// A user.
    User(String),
    /// Groups (a typed subject of groups only).
    Groups(Vec<String>),
}

impl Grantee {
    /// The grantee for a subject: a service account when its user is one.
    pub fn from_subject(subject: &Subject) -> Grantee {
        let sa = subject
            .user
            .strip_prefix("system:serviceaccount:")
            .and_then(|rest| rest.split_once(':'));
        match sa {
            Some((namespace, name)) if !namespace.is_empty() && !name.is_empty() => {
                Grantee::ServiceAccount {
                    namespace: namespace.to_string(),
                    name: name.to_string(),
                }
            }
            _ if subject.user.is_empty() => Grantee::Groups(subject.groups.clone()),
            _ => Grantee::User(subject.user.clone()),
        }
    }

    /// The grantee with its name masked, for the screen with **Redact** on.
    pub fn redacted(&self) -> Grantee {
        let mask = crate::redact::mask;
        match self {
            Grantee::ServiceAccount { namespace, name } => Grantee::ServiceAccount {
                namespace: namespace.clone(),
                name: mask(name),
            },
            Grantee::User(user) => Grantee::User(mask(user)),
            Grantee::Groups(groups) => Grantee::Groups(groups.iter().map(|g| mask(g)).collect()),
        }
    }

    /// The base of the generated objects' names; `/` and `%`, which object names cannot
    /// hold, become `-`.
    fn base(&self) -> String {
        let raw = match self {
            Grantee::ServiceAccount { name, .. } => name.as_str(),
            Grantee::User(user) => user.as_str(),
            Grantee::Groups(groups) => groups.first().map_or("groups", String::as_str),
        };
        raw.replace(['/', '%'], "-")
    }

    fn subjects(&self) -> Value {
        let other =
            |kind: &str, name: &str| json!({"apiGroup": RBAC_GROUP, "kind": kind, "name": name});
        match self {
            Grantee::ServiceAccount { namespace, name } => {
                json!([{"kind": "ServiceAccount", "name": name, "namespace": namespace}])
            }
            Grantee::User(user) => json!([other("User", user)]),
            Grantee::Groups(groups) => {
                Value::Array(groups.iter().map(|g| other("Group", g)).collect())
            }
        }
    }
}

/// One generated Role (in a namespace) or ClusterRole (`namespace` is `None`), bound by a
/// binding of the same name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedRole {
    /// Where it applies.
    pub namespace: Option<String>,
    /// The role's and the binding's name.
    pub name: String,
    /// Its rules.
    pub rules: Vec<Rule>,
}

/// The generated RBAC.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Generated {
    /// The roles, cluster scope first, then by namespace.
    pub roles: Vec<GeneratedRole>,
    /// The YAML: each role followed by its binding.
    pub yaml: String,
    /// How many rows it grants.
    pub granted: usize,
}

/// The rules that grant exactly `requests` (which must share one scope), grouped as the
/// module says. Resource rules come first, by API group; then non-resource rules.
pub fn rules_for<'a>(requests: impl Iterator<Item = &'a Request>, names: bool) -> Vec<Rule> {
    // (group, resource) -> verb -> the names used, or None for "any object".
    type Names = Option<BTreeSet<String>>;
    let mut resources: BTreeMap<(&str, &str), BTreeMap<&str, Names>> = BTreeMap::new();
    let mut paths: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in requests {
        if r.is_non_resource() {
            paths.entry(&r.path).or_default().insert(&r.verb);
            continue;
        }
        let verbs = resources.entry((&r.api_group, &r.resource)).or_default();
        let named = names && !NO_NAMES.contains(&r.verb.as_str());
        match (verbs.get_mut(r.verb.as_str()), named, &r.name) {
            (Some(None), _, _) => {}
            (Some(Some(set)), true, Some(name)) => {
                set.insert(name.clone());
            }
            (None, true, Some(name)) => {
                verbs.insert(&r.verb, Some(BTreeSet::from([name.clone()])));
            }
            (_, _, _) => {
                verbs.insert(&r.verb, None);
            }
        }
    }
    // (group, resource names or none, verbs) -> resources.
    let mut grouped: BTreeMap<RuleKey<'_>, Vec<String>> = BTreeMap::new();
    for ((group, resource), verbs) in &resources {
        let mut any: Vec<String> = Vec::new();
        let mut by_names: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
        for (verb, names) in verbs {
            match names {
                None => any.push(verb.to_string()),
                Some(set) => by_names
                    .entry(set.iter().cloned().collect())
                    .or_default()
                    .push(verb.to_string()),
            }
        }
        if !any.is_empty() {
            order_verbs(&mut any);
            grouped
                .entry((group, Vec::new(), any))
                .or_default()
                .push(resource.to_string());
        }
        for (names, mut verbs) in by_names {
            order_verbs(&mut verbs);
            grouped
                .entry((group, names, verbs))
                .or_default()
                .push(resource.to_string());
        }
    }
    let mut rules: Vec<Rule> = grouped
        .into_iter()
        .map(|((group, names, verbs), resources)| Rule {
            api_groups: vec![group.to_string()],
            resources,
            verbs,
            resource_names: names,
            non_resource_urls: Vec::new(),
        })
        .collect();
    // By group, then resource, as a person reads them.
    crate::sort::stable_by(&mut rules, |a, b| {
        let key = |r: &Rule| {
            (
                r.api_groups.clone(),
                r.resources.first().cloned(),
                !r.resource_names.is_empty(),
            )
        };
        key(a).cmp(&key(b))
    });
    let mut by_verbs: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for (path, verbs) in paths {
        let mut verbs: Vec<String> = verbs.into_iter().map(str::to_string).collect();
        order_verbs(&mut verbs);
        by_verbs.entry(verbs).or_default().push(path.to_string());
    }
    rules.extend(by_verbs.into_iter().map(|(verbs, urls)| Rule {
        verbs,
        non_resource_urls: urls,
        ..Rule::default()
    }));
    rules
}

/// A rule's API group, resource names (none: any object) and verbs.
type RuleKey<'a> = (&'a str, Vec<String>, Vec<String>);

/// `get, list, watch, create, …` as people write them, then any others by name.
fn order_verbs(verbs: &mut Vec<String>) {
    let rank = |v: &String| VERBS.iter().position(|k| k == v).unwrap_or(VERBS.len());
    crate::sort::stable_by(verbs, |a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
}

/// The Roles, ClusterRoles and bindings that grant every allowed (and unknown) row, and with
/// [`Options::include_denied`] the denied ones too, to `grantee`.
pub fn generate(rows: &[Row], grantee: &Grantee, options: Options) -> Generated {
    let mut scopes: BTreeMap<Option<&str>, Vec<&Request>> = BTreeMap::new();
    let mut granted = 0;
    for row in rows {
        if row.decision == Decision::Denied && !options.include_denied {
            continue;
        }
        granted += 1;
        let r = &row.request;
        let scope = if r.is_non_resource() {
            None
        } else {
            r.namespace.as_deref()
        };
        scopes.entry(scope).or_default().push(r);
    }
    let base = grantee.base();
    let mut roles = Vec::new();
    let mut documents = Vec::new();
    for (namespace, requests) in scopes {
        let rules = rules_for(requests.into_iter(), options.resource_names);
        let name = match (namespace, grantee) {
            (None, Grantee::ServiceAccount { namespace, .. }) => {
                format!("{namespace}:{base}-activity")
            }
            _ => format!("{base}-activity"),
        };
        let (role_kind, binding_kind) = match namespace {
            Some(_) => ("Role", "RoleBinding"),
            None => ("ClusterRole", "ClusterRoleBinding"),
        };
        documents.push(json!({
            "apiVersion": RBAC_API_VERSION,
            "kind": role_kind,
            "metadata": metadata(&name, namespace),
            "rules": rules.iter().map(rule_value).collect::<Vec<_>>(),
        }));
        documents.push(json!({
            "apiVersion": RBAC_API_VERSION,
            "kind": binding_kind,
            "metadata": metadata(&name, namespace),
            "roleRef": {"apiGroup": RBAC_GROUP, "kind": role_kind, "name": name},
            "subjects": grantee.subjects(),
        }));
        roles.push(GeneratedRole {
            namespace: namespace.map(str::to_string),
            name,
            rules,
        });
    }
    Generated {
        yaml: if documents.is_empty() {
            String::new()
        } else {
            yaml_write::documents(&documents)
        },
        roles,
        granted,
    }
}

fn metadata(name: &str, namespace: Option<&str>) -> Value {
    let mut meta = Map::new();
    meta.insert("name".into(), name.into());
    if let Some(namespace) = namespace {
        meta.insert("namespace".into(), namespace.into());
    }
    Value::Object(meta)
}

/// A rule in kubectl's (alphabetical) key order.
fn rule_value(rule: &Rule) -> Value {
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
