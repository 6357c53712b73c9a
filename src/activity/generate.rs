//! The least-privilege RBAC for a set of requests: per namespace a Role and a RoleBinding,
//! and for cluster scope and non-resource paths a ClusterRole and a ClusterRoleBinding, with
//! rules grouped the way a person writes them.
//!
//! Grouping: per API group, resources used with the same verbs share one rule. With
//! `resourceNames` asked for (the default), a verb used only on named objects gets its own
//! rule naming them; `create` and `deletecollection` never do (the authorizer sees no name
//! for them). A `list` or `watch` is named only when it selected one object by name.

use super::read::{Decision, Request};
use super::select::Row;
use crate::access::Subject;
use crate::formats::yaml_write;
use crate::k8s::risk::Rule;
use crate::k8s::write::{self, BindingSubject, RoleKind};
use crate::rbac::VERBS;
use crate::support::sort::stable_by;

/// Verbs whose recorded name the authorizer never saw: a create is authorized before its
/// body is read (the audit event's name comes from the body, later), and a deletecollection
/// names no object. A list or watch does carry a name, when it selected one object with
/// `fieldSelector=metadata.name=…`, and the authorizer checks `resourceNames` against it.
const NO_NAMES: [&str; 2] = ["create", "deletecollection"];

/// Verbs always limited to the names used, whatever the options: `impersonate` on every
/// user is every user's permissions.
const ALWAYS_NAMES: [&str; 1] = ["impersonate"];

/// What to grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Also grant the requests the authorizer denied (what the workload is missing).
    pub include_denied: bool,
    /// Limit verbs used only on named objects to those names (`resourceNames`).
    pub resource_names: bool,
}

impl Default for Options {
    /// Denied requests left out, and names kept: a verb used on one object is granted on that
    /// object only, as audit2rbac does by default.
    fn default() -> Options {
        Options {
            include_denied: false,
            resource_names: true,
        }
    }
}

/// Whether a request names `*` anywhere a rule would read it as a wildcard: its verb, API
/// group, resource or subresource, object name or path. In a request `*` is a literal (a
/// request to `/api/v1/namespaces/prod/*` asks for a resource named `*`), and written into a
/// rule it would grant everything, so such a request never makes a rule.
pub fn names_a_wildcard(request: &Request) -> bool {
    [
        request.verb.as_str(),
        &request.api_group,
        &request.resource,
        request.name.as_deref().unwrap_or(""),
        &request.path,
    ]
    .iter()
    .any(|part| part.contains('*'))
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

    /// Who the bindings name: the account, the user, or each of the groups.
    fn subjects(&self) -> Vec<BindingSubject<'_>> {
        match self {
            Grantee::ServiceAccount { namespace, name } => {
                vec![BindingSubject::ServiceAccount { namespace, name }]
            }
            Grantee::User(user) => vec![BindingSubject::User(user)],
            Grantee::Groups(groups) => groups.iter().map(|g| BindingSubject::Group(g)).collect(),
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
    /// Rows left out because their request failed (404, 409, 500, …; see
    /// [`Row::failed`]): only what was allowed and completed makes a rule.
    pub failed: usize,
    /// Requests left out because they name `*` (see [`names_a_wildcard`]).
    pub wildcards: Vec<Request>,
}

/// The rules that grant exactly `requests` (which must share one scope), grouped as the
/// module says: resource rules by API group and first resource, then non-resource rules.
///
/// Sorted lists rather than maps: the work is the same `n log n`, and one copy of the sort
/// (`crate::support::sort`) serves every step, where each map type would add its own code to the page.
pub fn rules_for<'a>(requests: impl Iterator<Item = &'a Request>, names: bool) -> Vec<Rule> {
    rules_counted(requests, names, &mut 0)
}

/// [`rules_for`], adding to `work` each step of its grouping: every use is visited a fixed
/// number of times, whatever the mix of resources, verbs and names, so the work is linear in
/// the requests (besides the sorts' `n log n` comparisons).
fn rules_counted<'a>(
    requests: impl Iterator<Item = &'a Request>,
    names: bool,
    work: &mut usize,
) -> Vec<Rule> {
    // Each use: group, resource, verb, and the object's name where names may limit the verb.
    let mut uses: Vec<(&str, &str, &str, Option<&str>)> = Vec::new();
    let mut paths: Vec<(&str, &str)> = Vec::new();
    for r in requests {
        *work += 1;
        if r.is_non_resource() {
            paths.push((&r.path, &r.verb));
        } else {
            let verb = r.verb.as_str();
            let named = (names || ALWAYS_NAMES.contains(&verb)) && !NO_NAMES.contains(&verb);
            let name = r.name.as_deref().filter(|_| named);
            uses.push((&r.api_group, &r.resource, &r.verb, name));
        }
    }
    stable_by(&mut uses, |a, b| a.cmp(b));
    uses.dedup();
    // Per resource: its verbs on any object, and its named verbs with their names.
    let mut cells: Vec<(&str, &str, Vec<&str>, Vec<&str>)> = Vec::new();
    let mut i = 0;
    while let Some(&(group, resource, _, _)) = uses.get(i) {
        let same = |u: &(&str, &str, &str, Option<&str>)| u.0 == group && u.1 == resource;
        let end = i + uses
            .get(i..)
            .map_or(0, |rest| rest.iter().take_while(|u| same(u)).count());
        let run = uses.get(i..end).unwrap_or_default();
        *work += run.len();
        let mut any: Vec<&str> = Vec::new();
        let mut named: Vec<(Vec<&str>, &str)> = Vec::new();
        // The run is sorted by verb, so each verb's uses are one slice of it, visited once.
        let mut j = 0;
        while let Some(&(_, _, verb, first_name)) = run.get(j) {
            let n = run
                .get(j..)
                .map_or(0, |rest| rest.iter().take_while(|u| u.2 == verb).count());
            let of_verb = run.get(j..j + n).unwrap_or_default();
            *work += n;
            // `None` sorts first: one use without a name grants the verb on every object.
            match first_name {
                Some(_) => named.push((of_verb.iter().filter_map(|u| u.3).collect(), verb)),
                None => any.push(verb),
            }
            j += n.max(1);
        }
        if !any.is_empty() {
            cells.push((group, resource, Vec::new(), any));
        }
        stable_by(&mut named, |a, b| a.0.cmp(&b.0));
        for (k, (names, verb)) in named.iter().enumerate() {
            *work += names.len() + 1;
            match cells.last_mut() {
                Some(last) if k > 0 && last.2 == *names => last.3.push(verb),
                _ => cells.push((group, resource, names.clone(), vec![verb])),
            }
        }
        i = end;
    }
    for cell in &mut cells {
        order_verbs(&mut cell.3);
    }
    // Resources of one group with the same names and verbs share a rule.
    stable_by(&mut cells, |a, b| (a.0, &a.2, &a.3).cmp(&(b.0, &b.2, &b.3)));
    let mut rules: Vec<Rule> = Vec::new();
    let mut last: Option<(&str, &Vec<&str>, &Vec<&str>)> = None;
    for (group, resource, names, verbs) in &cells {
        *work += names.len() + verbs.len() + 1;
        match rules.last_mut() {
            Some(rule) if last == Some((*group, names, verbs)) => {
                rule.resources.push(resource.to_string());
            }
            _ => rules.push(Rule {
                api_groups: vec![group.to_string()],
                resources: vec![resource.to_string()],
                verbs: strings(verbs),
                resource_names: strings(names),
                non_resource_urls: Vec::new(),
            }),
        }
        last = Some((group, names, verbs));
    }
    // By group, then resource, as a person reads them.
    stable_by(&mut rules, |a, b| {
        let key = |r: &'_ Rule| {
            (
                r.api_groups.first().cloned(),
                r.resources.first().cloned(),
                !r.resource_names.is_empty(),
            )
        };
        key(a).cmp(&key(b))
    });
    // Paths used with the same verbs share a rule.
    stable_by(&mut paths, |a, b| a.cmp(b));
    paths.dedup();
    let mut by_path: Vec<(Vec<&str>, &str)> = Vec::new();
    for &(path, verb) in &paths {
        *work += 1;
        match by_path.last_mut() {
            Some(last) if last.1 == path => last.0.push(verb),
            _ => by_path.push((vec![verb], path)),
        }
    }
    for entry in &mut by_path {
        order_verbs(&mut entry.0);
    }
    stable_by(&mut by_path, |a, b| a.0.cmp(&b.0));
    for (verbs, path) in by_path {
        *work += verbs.len() + 1;
        match rules.last_mut() {
            Some(rule) if !rule.non_resource_urls.is_empty() && rule.verbs == verbs => {
                rule.non_resource_urls.push(path.to_string());
            }
            _ => rules.push(Rule {
                verbs: strings(&verbs),
                non_resource_urls: vec![path.to_string()],
                ..Rule::default()
            }),
        }
    }
    rules
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// `get, list, watch, create, …` as people write them, then any others by name.
fn order_verbs(verbs: &mut Vec<&str>) {
    let rank = |v: &str| VERBS.iter().position(|k| *k == v).unwrap_or(VERBS.len());
    stable_by(verbs, |a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
}

/// The Roles, ClusterRoles and bindings that grant every allowed (and unknown) row, and with
/// [`Options::include_denied`] the denied ones too, to `grantee`; never a row whose request
/// failed, nor one that names `*`.
pub fn generate(rows: &[Row], grantee: &Grantee, options: Options) -> Generated {
    generate_counted(rows, grantee, options).0
}

/// [`generate`], and the steps its grouping took (see [`rules_for`]): a bound on them, linear
/// in the rows, is what keeps a log of many distinct requests from freezing the page.
pub fn generate_counted(rows: &[Row], grantee: &Grantee, options: Options) -> (Generated, usize) {
    let mut work = 0;
    let mut scoped: Vec<(Option<&str>, &Request)> = Vec::new();
    let mut failed = 0;
    let mut wildcards = Vec::new();
    for row in rows {
        if row.decision == Decision::Denied && !options.include_denied {
            continue;
        }
        let r = &row.request;
        if row.failed.is_some() {
            failed += 1;
            continue;
        }
        if names_a_wildcard(r) {
            wildcards.push(r.clone());
            continue;
        }
        let scope = if r.is_non_resource() {
            None
        } else {
            r.namespace.as_deref()
        };
        scoped.push((scope, r));
    }
    let granted = scoped.len();
    // Cluster scope first, then by namespace.
    stable_by(&mut scoped, |a, b| a.0.cmp(&b.0));
    let base = grantee.base();
    let mut roles = Vec::new();
    let mut documents = Vec::new();
    let mut rest = scoped.as_slice();
    while let Some(&(namespace, _)) = rest.first() {
        let n = rest.iter().take_while(|(s, _)| *s == namespace).count();
        let (these, after) = rest.split_at(n);
        rest = after;
        let rules = rules_counted(
            these.iter().map(|(_, r)| *r),
            options.resource_names,
            &mut work,
        );
        let name = match (namespace, grantee) {
            (None, Grantee::ServiceAccount { namespace, .. }) => {
                format!("{namespace}:{base}-activity")
            }
            _ => format!("{base}-activity"),
        };
        let role_kind = match namespace {
            Some(_) => RoleKind::Role,
            None => RoleKind::ClusterRole,
        };
        documents.push(write::role(&name, namespace, &rules));
        documents.push(write::binding(
            &name,
            namespace,
            role_kind,
            &name,
            &grantee.subjects(),
        ));
        roles.push(GeneratedRole {
            namespace: namespace.map(str::to_string),
            name,
            rules,
        });
    }
    let generated = Generated {
        yaml: if documents.is_empty() {
            String::new()
        } else {
            yaml_write::documents(&documents)
        },
        roles,
        granted,
        failed,
        wildcards,
    };
    (generated, work)
}
