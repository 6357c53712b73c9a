//! Building the RBAC objects a service account needs (`#/rbac`), with what they allow said in
//! plain words.
//!
//! Writing RBAC by hand goes wrong in quiet ways: `core` or `v1` where the core group is `""`,
//! `Pods` or `deployments.apps` in `resources` (neither ever matches), a `roleRef` with the
//! wrong `apiGroup`, a binding whose subject lacks its namespace. The API server accepts some
//! of these and the rule then grants nothing; others it refuses. So this module checks every
//! field, says beside which field (and which rule row) what is wrong and why, and writes the
//! objects the way `kubectl create … --dry-run=client -o yaml` does: same keys, same order,
//! same rule grouping (`tests/rbac.rs` compares each preset with kubectl's own output). It
//! also gives the same result as kubectl commands and a table of what the account may do, and
//! warns about what is dangerous to grant through [`crate::risk`], which the access evaluator
//! shares.
//!
//! # Why `serde_json::json!` and not `k8s-openapi`
//! Typed structs from the `k8s-openapi` crate (0.29, feature `v1_33`) would rule out a
//! misspelt field, but they are large in WebAssembly: `ObjectMeta` alone serialises a dozen
//! optional fields, and its timestamps bring a date library along. Measured on a standalone
//! wasm crate (release, `opt-level = "z"`, LTO, `wasm-opt -Oz`) building the same six kinds of
//! object, the typed version was 82,389 bytes gzipped against 19,990 for `json!` with the same
//! `serde_json`: about 62 KB more, four times the 15 KB we allow a feature. (This module as
//! written, called from the app, adds 16,244 bytes gzipped to the release wasm: its code,
//! messages and built-in role tables; measured 279,351 -> 295,595 with a temporary call.) The
//! documents here have at most a dozen fixed keys, written once each in `documents()` in kubectl's
//! (alphabetical) order, and every one is compared with kubectl's output in the tests, which is
//! the check the types would have given.

use std::fmt;

use serde_json::{json, Map, Value};

use crate::error::field_too_long;
use crate::explain::{Finding, Level};
use crate::kube::{self, MAX_FIELD_BYTES, RBAC_GROUP};
use crate::risk::{self, Rule};
use crate::shell::quote;
use crate::yaml_write;

/// The RBAC API's group and version, in every Role, ClusterRole and binding.
const RBAC_API_VERSION: &str = "rbac.authorization.k8s.io/v1";
/// `roleRef.apiGroup`: the group alone, without the version.
/// The longest DNS-1123 subdomain (object names) and label (namespace names).
const MAX_SUBDOMAIN: usize = 253;
const MAX_LABEL: usize = 63;

/// The verbs the form suggests: the ones Kubernetes' own resources check, in the order people
/// think of them, then the three that hand out more than they say.
pub const VERBS: [&str; 11] = [
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "escalate",
    "bind",
    "impersonate",
];

/// Verbs that some built-in resource checks, beyond [`VERBS`]: `proxy` (pods/proxy,
/// services/proxy, nodes/proxy), `use` (PodSecurityPolicy, long gone but still accepted),
/// `approve`, `sign` and `attest` (certificate signing requests), `*`.
const OTHER_KNOWN_VERBS: [&str; 6] = ["proxy", "use", "approve", "sign", "attest", "*"];

/// The ClusterRoles every cluster has, to bind with [`Scope::BindClusterRole`].
pub const BUILTIN_CLUSTER_ROLES: [&str; 4] = ["view", "edit", "admin", "cluster-admin"];

/// Where the permissions apply, and so which objects are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A Role and a RoleBinding: the rules, in the service account's namespace only.
    #[default]
    Namespace,
    /// A ClusterRole and a ClusterRoleBinding: the rules, in every namespace and for
    /// cluster-scoped resources.
    Cluster,
    /// A RoleBinding to an existing ClusterRole (`view`, `edit`, …): that role's rules, in the
    /// service account's namespace only. The rule rows are not used.
    BindClusterRole,
}

impl Scope {
    /// Every scope, in the order the form offers them.
    pub const ALL: [Scope; 3] = [Scope::Namespace, Scope::Cluster, Scope::BindClusterRole];

    /// The label the form shows.
    pub fn label(self) -> &'static str {
        match self {
            Scope::Namespace => "Namespace (Role + RoleBinding)",
            Scope::Cluster => "Cluster (ClusterRole + ClusterRoleBinding)",
            Scope::BindClusterRole => "Existing ClusterRole in the namespace (RoleBinding)",
        }
    }
}

/// One row of the rules editor, as typed: lists separated by commas or white space.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleRow {
    /// API groups; `""` (two double quotes) is the core group, `*` any group.
    pub api_groups: String,
    /// Resources, lower-case plural, `pods/log` for a subresource, `*` for any.
    pub resources: String,
    /// Verbs: `get`, `list`, … (see [`VERBS`]), `*` for any.
    pub verbs: String,
    /// Optional: only the objects with these names.
    pub resource_names: String,
}

impl RuleRow {
    /// An empty row for the core group, which is what people fill in most.
    pub fn core() -> RuleRow {
        RuleRow {
            api_groups: "\"\"".to_string(),
            ..RuleRow::default()
        }
    }
}

/// What the user typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RbacForm {
    /// The service account's name.
    pub service_account: String,
    /// Its namespace (and where a Role and RoleBindings live).
    pub namespace: String,
    /// Where the permissions apply.
    pub scope: Scope,
    /// The ClusterRole to bind, for [`Scope::BindClusterRole`].
    pub cluster_role: String,
    /// The rules, for [`Scope::Namespace`] and [`Scope::Cluster`].
    pub rules: Vec<RuleRow>,
    /// Whether to also write a long-lived token Secret for the account.
    pub token_secret: bool,
}

impl Default for RbacForm {
    /// A namespaced role with one empty core-group row: where most people start.
    fn default() -> RbacForm {
        RbacForm {
            service_account: String::new(),
            namespace: "default".to_string(),
            scope: Scope::Namespace,
            cluster_role: "view".to_string(),
            rules: vec![RuleRow::core()],
            token_secret: false,
        }
    }
}

impl RbacForm {
    /// Adds an empty core-group row at the end.
    pub fn add_row(&mut self) {
        self.rules.push(RuleRow::core());
    }

    /// Removes row `index` (0-based); an index past the end changes nothing.
    pub fn remove_row(&mut self, index: usize) {
        if index < self.rules.len() {
            self.rules.remove(index);
        }
    }
}

/// Buttons that fill the form with a common request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// get and list on pods.
    ReadPods,
    /// Read and write ConfigMaps, as an app that keeps its state in them does.
    ConfigMapStore,
    /// The built-in `view` ClusterRole in the namespace.
    ReadOnlyView,
    /// Create and update deployments, services, configmaps and secrets, as a CI job does.
    CiDeployer,
    /// The built-in `admin` ClusterRole in the namespace.
    NamespaceAdmin,
    /// `cluster-admin` in the namespace: everything there, RBAC included.
    ClusterAdmin,
}

impl Preset {
    /// Every preset, in the order the page shows them.
    pub const ALL: [Preset; 6] = [
        Preset::ReadPods,
        Preset::ConfigMapStore,
        Preset::ReadOnlyView,
        Preset::CiDeployer,
        Preset::NamespaceAdmin,
        Preset::ClusterAdmin,
    ];

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            Preset::ReadPods => "Read pods",
            Preset::ConfigMapStore => "ConfigMap store",
            Preset::ReadOnlyView => "Read-only view",
            Preset::CiDeployer => "CI deployer",
            Preset::NamespaceAdmin => "Namespace admin",
            Preset::ClusterAdmin => "Cluster admin",
        }
    }

    /// The id in deep links: `#/rbac?preset=read-pods`.
    pub fn id(self) -> &'static str {
        match self {
            Preset::ReadPods => "read-pods",
            Preset::ConfigMapStore => "configmap-store",
            Preset::ReadOnlyView => "read-only-view",
            Preset::CiDeployer => "ci-deployer",
            Preset::NamespaceAdmin => "namespace-admin",
            Preset::ClusterAdmin => "cluster-admin",
        }
    }

    /// The preset with this [`Preset::id`].
    pub fn from_id(id: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The form for this preset, keeping the service account and namespace already typed.
    pub fn fill(self, service_account: &str, namespace: &str) -> RbacForm {
        let row = |groups: &str, resources: &str, verbs: &str| RuleRow {
            api_groups: groups.to_string(),
            resources: resources.to_string(),
            verbs: verbs.to_string(),
            resource_names: String::new(),
        };
        let base = RbacForm {
            service_account: service_account.to_string(),
            namespace: namespace.to_string(),
            scope: Scope::Namespace,
            cluster_role: String::new(),
            rules: Vec::new(),
            token_secret: false,
        };
        let bind = |role: &str| RbacForm {
            scope: Scope::BindClusterRole,
            cluster_role: role.to_string(),
            rules: vec![RuleRow::core()],
            ..base.clone()
        };
        const WRITE: &str = "create, update, patch, get, list";
        match self {
            Preset::ReadPods => RbacForm {
                rules: vec![row("\"\"", "pods", "get, list")],
                ..base
            },
            Preset::ConfigMapStore => RbacForm {
                rules: vec![row(
                    "\"\"",
                    "configmaps",
                    "get, list, create, update, patch, delete",
                )],
                ..base
            },
            Preset::ReadOnlyView => bind("view"),
            // Core group first: `kubectl create role` sorts its rules by group.
            Preset::CiDeployer => RbacForm {
                rules: vec![
                    row("\"\"", "services, configmaps, secrets", WRITE),
                    row("apps", "deployments", WRITE),
                ],
                ..base
            },
            Preset::NamespaceAdmin => bind("admin"),
            Preset::ClusterAdmin => bind("cluster-admin"),
        }
    }
}

/// The form's fields, named by their visible labels; rule fields carry their row (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// "Service account".
    ServiceAccount,
    /// "Namespace".
    Namespace,
    /// "Scope".
    Scope,
    /// "ClusterRole", for [`Scope::BindClusterRole`].
    ClusterRole,
    /// The rules editor as a whole (no rows at all).
    Rules,
    /// "API groups" of a row.
    ApiGroups(usize),
    /// "Resources" of a row.
    Resources(usize),
    /// "Verbs" of a row.
    Verbs(usize),
    /// "Resource names" of a row.
    ResourceNames(usize),
    /// "Token Secret".
    TokenSecret,
}

impl Field {
    /// The label the form shows (without the row).
    pub fn label(self) -> &'static str {
        match self {
            Field::ServiceAccount => "Service account",
            Field::Namespace => "Namespace",
            Field::Scope => "Scope",
            Field::ClusterRole => "ClusterRole",
            Field::Rules => "Rules",
            Field::ApiGroups(_) => "API groups",
            Field::Resources(_) => "Resources",
            Field::Verbs(_) => "Verbs",
            Field::ResourceNames(_) => "Resource names",
            Field::TokenSecret => "Token Secret",
        }
    }

    /// The rule row (0-based) the field belongs to, if any.
    pub fn row(self) -> Option<usize> {
        match self {
            Field::ApiGroups(i)
            | Field::Resources(i)
            | Field::Verbs(i)
            | Field::ResourceNames(i) => Some(i),
            _ => None,
        }
    }
}

impl fmt::Display for Field {
    /// "Rule 2, Verbs" for row fields (counting from 1, as people do), the label otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row() {
            Some(i) => write!(f, "Rule {}, {}", i.saturating_add(1), self.label()),
            None => f.write_str(self.label()),
        }
    }
}

/// Something that stops the objects from being written, beside its field.
pub type Problem = crate::error::Problem<Field>;

/// Something written anyway that deserves attention, beside its field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The field it is about.
    pub field: Field,
    /// How serious, what, and why (the same findings the access evaluator shows).
    pub finding: Finding,
}

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

/// Every field longer than [`MAX_FIELD_BYTES`], as a problem that does not quote it.
fn too_long_fields(form: &RbacForm) -> Vec<Problem> {
    let mut fields = vec![
        (Field::ServiceAccount, form.service_account.as_str()),
        (Field::Namespace, form.namespace.as_str()),
        (Field::ClusterRole, form.cluster_role.as_str()),
    ];
    for (i, row) in form.rules.iter().enumerate() {
        fields.push((Field::ApiGroups(i), row.api_groups.as_str()));
        fields.push((Field::Resources(i), row.resources.as_str()));
        fields.push((Field::Verbs(i), row.verbs.as_str()));
        fields.push((Field::ResourceNames(i), row.resource_names.as_str()));
    }
    fields
        .into_iter()
        .filter(|(_, value)| value.len() > MAX_FIELD_BYTES)
        .map(|(field, value)| {
            Problem::new(field, field_too_long(&field, value.len(), MAX_FIELD_BYTES))
        })
        .collect()
}

/// Everything the page shows for a filled-in form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RbacOutput {
    /// The objects as one multi-document YAML file; `None` while there are errors.
    pub yaml: Option<String>,
    /// The same objects as values, in the same order: ServiceAccount, Role or ClusterRole
    /// (not for [`Scope::BindClusterRole`]), the binding, the token Secret (when asked for).
    /// Empty while there are errors.
    pub documents: Vec<Value>,
    /// What stops the objects from being written.
    pub errors: Vec<Problem>,
    /// What the objects grant that deserves attention, most serious first within each field.
    pub warnings: Vec<Warning>,
    /// A bash script that makes the same objects with kubectl; empty while there are errors.
    pub kubectl_script: String,
    /// What the account may do, in plain words (also while there are errors, from the rows
    /// that could be read).
    pub summary: Vec<SummaryRow>,
    /// A file name for the download: `<service account>-rbac.yaml`, only `[a-z0-9.-]`.
    pub file_name: String,
}

/// The names of the objects written, derived from the service account's name.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Names {
    account: String,
    namespace: String,
    /// The Role or ClusterRole (not used when binding an existing ClusterRole).
    role: String,
    binding: String,
    secret: String,
}

fn names(form: &RbacForm) -> Names {
    let account = form.service_account.trim().to_string();
    let namespace = form.namespace.trim().to_string();
    let cluster_role = form.cluster_role.trim();
    let (role, binding) = match form.scope {
        Scope::Namespace => (account.clone(), account.clone()),
        // ClusterRoles have no namespace: `demo:ci` keeps two accounts named `ci` in
        // different namespaces from overwriting each other's role. Colons are allowed in RBAC
        // names and Kubernetes uses them the same way (`system:controller:…`).
        Scope::Cluster => {
            let name = format!("{namespace}:{account}");
            (name.clone(), name)
        }
        Scope::BindClusterRole => (
            cluster_role.to_string(),
            format!("{account}-{cluster_role}"),
        ),
    };
    Names {
        secret: format!("{account}-token"),
        account,
        namespace,
        role,
        binding,
    }
}

/// A row read into lists, as [`risk::Rule`] holds them.
fn parse_row(row: &RuleRow) -> Rule {
    Rule {
        api_groups: split_list(&row.api_groups),
        resources: split_list(&row.resources),
        verbs: split_list(&row.verbs),
        resource_names: split_list(&row.resource_names),
        non_resource_urls: Vec::new(),
    }
}

/// Items separated by commas or white space, in the order typed, without repeats. `""` and
/// `''` are the empty string (the core group); other quotes around an item are dropped, since
/// people copy `"apps"` out of YAML.
pub fn split_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in text.split(|c: char| c == ',' || c.is_whitespace()) {
        if item.is_empty() {
            continue;
        }
        let unquoted = ['"', '\'']
            .iter()
            .find_map(|q| item.strip_prefix(*q).and_then(|s| s.strip_suffix(*q)))
            .unwrap_or(item);
        if !out.iter().any(|o| o == unquoted) {
            out.push(unquoted.to_string());
        }
    }
    out
}

/// The rules the form grants, as the access evaluator reads them: the rows for a Role or
/// ClusterRole (as far as they can be read), or the bound ClusterRole's rules when it is a
/// built-in one ([`builtin_cluster_role`]); empty for any other bound ClusterRole.
pub fn rules(form: &RbacForm) -> Vec<Rule> {
    match form.scope {
        Scope::Namespace | Scope::Cluster => form.rules.iter().map(parse_row).collect(),
        Scope::BindClusterRole => {
            builtin_cluster_role(form.cluster_role.trim()).unwrap_or_default()
        }
    }
}

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
    (
        "rbac.authorization.k8s.io",
        &["rolebindings", "roles"],
        READ_WRITE,
    ),
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

/// Checks the form and, when nothing blocks it, writes the objects, the script and the summary.
pub fn build(form: &RbacForm) -> RbacOutput {
    // A field of megabytes is a paste into the wrong box. Refuse it before any message could
    // quote it: a page laying out a megabyte-long word stops answering.
    let too_long = too_long_fields(form);
    if !too_long.is_empty() {
        return RbacOutput {
            errors: too_long,
            ..RbacOutput::default()
        };
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let names = names(form);

    check_subdomain(Field::ServiceAccount, &names.account, &mut errors);
    check_label(Field::Namespace, &names.namespace, &mut errors);
    let rules = rules(form);
    match form.scope {
        Scope::Namespace | Scope::Cluster => {
            if form.rules.is_empty() {
                errors.push(Problem::new(
                    Field::Rules,
                    "There are no rules: a role grants only what its rules list, so it would \
                     grant nothing. Add a rule, or choose a preset.",
                ));
            }
            for (i, (row, rule)) in form.rules.iter().zip(&rules).enumerate() {
                check_row(i, row, rule, form.scope, &mut errors, &mut warnings);
            }
            if form.scope == Scope::Cluster {
                warnings.push(Warning {
                    field: Field::Scope,
                    finding: Finding {
                        level: Level::Info,
                        title: "Cluster-wide".to_string(),
                        why: "A ClusterRoleBinding grants these rules in every namespace, \
                              kube-system included, now and in namespaces created later. \
                              Choose the namespace scope unless the account really works \
                              across namespaces or on cluster-scoped resources."
                            .to_string(),
                    },
                });
            }
            let namespace = (form.scope == Scope::Namespace).then_some(names.namespace.as_str());
            // The role bound here is the one written above, never the built-in cluster-admin
            // (even for an account named so): only the binding's namespace can be a risk.
            push_findings(
                &mut warnings,
                binding_field(namespace),
                risk::binding_risks("", namespace),
            );
        }
        Scope::BindClusterRole => {
            check_cluster_role(&names.role, &mut errors);
            let namespace = Some(names.namespace.as_str());
            let mut findings = risk::binding_risks(&names.role, namespace);
            // For cluster-admin the binding's warning says it all; the wildcard warnings of
            // its rules would only bury it.
            if names.role != "cluster-admin" {
                for rule in &rules {
                    findings.extend(risk::rule_risks(rule));
                }
            }
            push_findings(&mut warnings, Field::ClusterRole, findings);
        }
    }
    if form.token_secret {
        check_secret_name(&names, &mut errors);
        warnings.push(Warning {
            field: Field::TokenSecret,
            finding: Finding {
                level: Level::Warning,
                title: "Long-lived token".to_string(),
                why: format!(
                    "Since Kubernetes 1.24 a service account no longer gets a token Secret \
                     automatically; this one is made on purpose. Its token never expires: it \
                     works until the Secret is deleted, and anyone who can read Secrets in \
                     {ns} can use it. For short-lived access, \
                     `kubectl create token {sa} --namespace={ns} --duration=1h` is better.",
                    ns = names.namespace,
                    sa = names.account,
                ),
            },
        });
    }
    // Most serious first, and the order of the form within one level (a stable sort).
    crate::sort::stable_by(&mut warnings, |a, b| b.finding.level.cmp(&a.finding.level));

    let mut output = RbacOutput {
        yaml: None,
        documents: Vec::new(),
        errors,
        warnings,
        kubectl_script: String::new(),
        summary: summary(form, &names, &rules),
        file_name: file_name(&names.account),
    };
    if output.errors.is_empty() {
        output.documents = documents(form, &names, &rules);
        output.yaml = Some(yaml_write::documents(&output.documents));
        output.kubectl_script = script(form, &names, &rules, &output.documents);
    }
    output
}

/// Where binding warnings sit: beside the namespace for a RoleBinding (kube-system), beside
/// the scope for a ClusterRoleBinding.
fn binding_field(namespace: Option<&str>) -> Field {
    match namespace {
        Some(_) => Field::Namespace,
        None => Field::Scope,
    }
}

/// Adds findings beside `field`, skipping any title already shown there.
fn push_findings(warnings: &mut Vec<Warning>, field: Field, findings: Vec<Finding>) {
    for finding in findings {
        let seen = warnings
            .iter()
            .any(|w| w.field == field && w.finding.title == finding.title);
        if !seen {
            warnings.push(Warning { field, finding });
        }
    }
}

/// `text` as the page quotes it: in double quotes, with anything invisible escaped.
fn shown(text: &str) -> String {
    format!("{text:?}")
}

/// Why `name` is not a DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`), or `None` if it is.
fn label_fault(name: &str) -> Option<String> {
    if let Some((at, c)) = name
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        let what = if c.is_ascii_uppercase() {
            format!("'{c}' at character {} is upper case", at + 1)
        } else {
            format!("{c:?} at character {} is not allowed", at + 1)
        };
        return Some(what);
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("it starts or ends with '-'".to_string());
    }
    None
}

/// Object names (ServiceAccount, Secret): a DNS-1123 subdomain, as Kubernetes requires
/// (`[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`, at most 253).
fn check_subdomain(field: Field, name: &str, errors: &mut Vec<Problem>) {
    let label = field.label();
    if name.is_empty() {
        errors.push(Problem::new(
            field,
            format!("{label} is empty: every Kubernetes object needs a name (e.g. `ci-deployer`)."),
        ));
        return;
    }
    let bad_char = name
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'));
    let fault = if let Some((at, c)) = bad_char {
        Some(if c.is_ascii_uppercase() {
            format!("'{c}' at character {} is upper case", at + 1)
        } else {
            format!("{c:?} at character {} is not allowed", at + 1)
        })
    } else if name.chars().count() > MAX_SUBDOMAIN {
        Some(format!(
            "it is {} characters long, more than {MAX_SUBDOMAIN}",
            name.chars().count()
        ))
    } else if name.split('.').any(str::is_empty) {
        Some("it starts or ends with '.', or has two dots in a row".to_string())
    } else if name
        .split('.')
        .any(|part| part.starts_with('-') || part.ends_with('-'))
    {
        Some("it starts or ends with '-' (or has '-' next to a '.')".to_string())
    } else {
        None
    };
    if let Some(fault) = fault {
        errors.push(Problem::new(
            field,
            format!(
                "{label} {} is not a valid name: {fault}. Kubernetes requires a DNS-1123 \
                 subdomain: lower-case letters, digits, '-' and '.', starting and ending with \
                 a letter or digit, at most {MAX_SUBDOMAIN} characters.",
                shown(name)
            ),
        ));
    }
}

/// Namespace names: a DNS-1123 label, shorter and without dots.
fn check_label(field: Field, name: &str, errors: &mut Vec<Problem>) {
    let label = field.label();
    if name.is_empty() {
        errors.push(Problem::new(
            field,
            format!("{label} is empty: a service account lives in a namespace (e.g. `default`)."),
        ));
        return;
    }
    let fault = if name.chars().count() > MAX_LABEL {
        Some(format!(
            "it is {} characters long, more than {MAX_LABEL}",
            name.chars().count()
        ))
    } else if let Some(at) = name.find('.') {
        Some(format!(
            "'.' at character {} is not allowed in a namespace",
            name.get(..at).map_or(0, |s| s.chars().count()) + 1
        ))
    } else {
        label_fault(name)
    };
    if let Some(fault) = fault {
        errors.push(Problem::new(
            field,
            format!(
                "{label} {} is not a valid namespace name: {fault}. Kubernetes requires a \
                 DNS-1123 label: lower-case letters, digits and '-', starting and ending with a \
                 letter or digit, at most {MAX_LABEL} characters.",
                shown(name)
            ),
        ));
    }
}

/// The ClusterRole to bind: any RBAC name (a path segment: no `/` or `%`, not `.` or `..`),
/// since roles such as `system:aggregate-to-view` have colons.
fn check_cluster_role(name: &str, errors: &mut Vec<Problem>) {
    let field = Field::ClusterRole;
    let fault = if name.is_empty() {
        Some(
            "ClusterRole is empty: name the ClusterRole to bind, such as `view`, `edit`, `admin` \
             or `cluster-admin`."
                .to_string(),
        )
    } else if name == "." || name == ".." || name.contains(['/', '%']) {
        Some(format!(
            "ClusterRole {} cannot be a role's name: RBAC names are path segments, so they \
             cannot be '.' or '..' or contain '/' or '%'.",
            shown(name)
        ))
    } else if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some(format!(
            "ClusterRole {} has white space or a control character in it: no role is named \
             that way (`kubectl get clusterroles` lists the names).",
            shown(name)
        ))
    } else {
        None
    };
    if let Some(message) = fault {
        errors.push(Problem::new(field, message));
    }
}

/// The token Secret's name, `<account>-token`, must itself be a valid object name.
fn check_secret_name(names: &Names, errors: &mut Vec<Problem>) {
    let len = names.secret.chars().count();
    if !names.account.is_empty() && len > MAX_SUBDOMAIN {
        errors.push(Problem::new(
            Field::TokenSecret,
            format!(
                "The token Secret would be named {}-token, {len} characters: more than the \
                 {MAX_SUBDOMAIN} a DNS-1123 subdomain allows. Shorten the service account's \
                 name to at most {} characters.",
                names.account.chars().take(20).collect::<String>() + "…",
                MAX_SUBDOMAIN - "-token".len()
            ),
        ));
    }
}

/// Checks one rule row; `i` is its 0-based index.
fn check_row(
    i: usize,
    row: &RuleRow,
    rule: &Rule,
    scope: Scope,
    errors: &mut Vec<Problem>,
    warnings: &mut Vec<Warning>,
) {
    let n = i.saturating_add(1);
    // Groups.
    if rule.api_groups.is_empty() {
        let hint = if row.api_groups.trim().is_empty() {
            "is empty"
        } else {
            "holds no group"
        };
        errors.push(Problem::new(
            Field::ApiGroups(i),
            format!(
                "Rule {n}: API groups {hint}. A resource rule needs at least one group; the core \
                 group (pods, services, configmaps, secrets, …) is written \"\" (two double \
                 quotes), others by name (apps, batch, …)."
            ),
        ));
    }
    for group in &rule.api_groups {
        if let Some(message) = group_fault(group) {
            errors.push(Problem::new(
                Field::ApiGroups(i),
                format!("Rule {n}: {message}"),
            ));
        }
    }
    // Resources.
    if rule.resources.is_empty() {
        errors.push(Problem::new(
            Field::Resources(i),
            format!(
                "Rule {n} has no resources: a rule grants its verbs on the resources it lists, \
                 so with none it grants nothing. Add at least one (pods, configmaps, …)."
            ),
        ));
    }
    for resource in &rule.resources {
        if let Some(message) = resource_fault(resource) {
            errors.push(Problem::new(
                Field::Resources(i),
                format!("Rule {n}: {message}"),
            ));
        }
    }
    // Verbs.
    if rule.verbs.is_empty() {
        errors.push(Problem::new(
            Field::Verbs(i),
            format!(
                "Rule {n} has no verbs: a rule grants only the verbs it lists, so with none it \
                 grants nothing. Add at least one (get, list, watch, …)."
            ),
        ));
    }
    for verb in &rule.verbs {
        if verb.chars().any(|c| c.is_ascii_uppercase()) {
            errors.push(Problem::new(
                Field::Verbs(i),
                format!(
                    "Rule {n}: verb {} has upper-case letters. Verbs are compared exactly and \
                     Kubernetes' are lower case, so it would never match: write {}.",
                    shown(verb),
                    shown(&verb.to_ascii_lowercase())
                ),
            ));
        } else if let Some(c) = verb
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '*' || *c == '-'))
        {
            errors.push(Problem::new(
                Field::Verbs(i),
                format!(
                    "Rule {n}: verb {} has {c:?} in it; verbs are single lower-case words such \
                     as get or deletecollection.",
                    shown(verb)
                ),
            ));
        } else if verb.contains('*') && verb != "*" {
            errors.push(Problem::new(
                Field::Verbs(i),
                format!(
                    "Rule {n}: verb {} is not a pattern RBAC knows: `*` matches only on its \
                     own (every verb), never as part of a verb.",
                    shown(verb)
                ),
            ));
        } else if !VERBS.contains(&verb.as_str()) && !OTHER_KNOWN_VERBS.contains(&verb.as_str()) {
            warnings.push(Warning {
                field: Field::Verbs(i),
                finding: Finding {
                    level: Level::Warning,
                    title: format!("Unusual verb {}", shown(verb)),
                    why: format!(
                        "No built-in resource checks the verb {}: the API server stores the \
                         rule, but it grants nothing unless an extension asks for that verb. \
                         Check the spelling (get, list, watch, create, update, patch, delete, \
                         deletecollection).",
                        shown(verb)
                    ),
                },
            });
        }
    }
    // Resource names.
    if !rule.resource_names.is_empty() {
        if let Some(name) = rule.resource_names.iter().find(|n| n.is_empty()) {
            errors.push(Problem::new(
                Field::ResourceNames(i),
                format!(
                    "Rule {n}: resource names hold {}, which no object is named.",
                    shown(name)
                ),
            ));
        }
        // Names are printed in the kubectl commands, where a control character would act on
        // the terminal they are pasted into; no object is named with one.
        let hidden = |c: &char| c.is_control() || yaml_write::invisible(*c);
        for name in &rule.resource_names {
            if let Some(c) = name.chars().find(hidden) {
                errors.push(Problem::new(
                    Field::ResourceNames(i),
                    format!(
                        "Rule {n}: resource name {} has a control or invisible character \
                         (U+{:04X}), which no object's name has. Type the name again.",
                        shown(name),
                        u32::from(c)
                    ),
                ));
            }
        }
        let unrestricted: Vec<&str> = ["create", "deletecollection", "list", "watch"]
            .into_iter()
            .filter(|v| rule.verbs.iter().any(|r| r == v || r == "*"))
            .collect();
        if !unrestricted.is_empty() {
            warnings.push(Warning {
                field: Field::ResourceNames(i),
                finding: Finding {
                    level: Level::Warning,
                    title: "Resource names do not limit every verb".to_string(),
                    why: format!(
                        "Rule {n} allows {} with resource names. create and deletecollection \
                         do not name one object, so a rule with resourceNames never allows \
                         them; list and watch are allowed only when the request selects the \
                         object by name (fieldSelector=metadata.name=…). Put those verbs in a \
                         rule without resource names if the account needs them.",
                        unrestricted.join(", ")
                    ),
                },
            });
        }
    }
    if scope == Scope::Namespace {
        for resource in &rule.resources {
            let base = resource.split('/').next().unwrap_or_default();
            let cluster_scoped = base != "namespaces"
                && rule
                    .api_groups
                    .iter()
                    .any(|g| kube::is_cluster_scoped(g, base));
            if cluster_scoped {
                warnings.push(Warning {
                    field: Field::Resources(i),
                    finding: Finding {
                        level: Level::Warning,
                        title: format!("{resource} are not in a namespace"),
                        why: format!(
                            "{resource} belong to the cluster, not to a namespace, so a Role \
                             bound in one namespace grants nothing on them. Choose the cluster \
                             scope if the account needs them."
                        ),
                    },
                });
            }
        }
    }
    push_findings(warnings, Field::Verbs(i), risk::rule_risks(rule));
}

/// Why an API group cannot be right, or `None`.
fn group_fault(group: &str) -> Option<String> {
    if group.is_empty() || group == "*" {
        return None;
    }
    let lower = group.to_ascii_lowercase();
    if matches!(lower.as_str(), "core" | "v1" | "core/v1" | "legacy") {
        return Some(format!(
            "API group {} is not a group's name: the core group (pods, services, configmaps, \
             secrets, …) is written \"\" (two double quotes), because in RBAC it is the empty \
             string.",
            shown(group)
        ));
    }
    if let Some((name, version)) = group.split_once('/') {
        return Some(format!(
            "API group {} includes a version: RBAC names groups without versions, so write \
             {} (the rule then covers {version} and every other version).",
            shown(group),
            shown(name)
        ));
    }
    let valid = group
        .split('.')
        .all(|part| !part.is_empty() && label_fault(part).is_none() && part.len() <= MAX_LABEL)
        && group.len() <= MAX_SUBDOMAIN;
    if !valid {
        return Some(format!(
            "API group {} is not a group's name: groups are DNS-1123 subdomains (lower case, \
             digits, '-' and '.', such as apps or networking.k8s.io), \"\" for the core group, \
             or * for any.",
            shown(group)
        ));
    }
    None
}

/// Why a resource cannot be right, or `None`.
fn resource_fault(resource: &str) -> Option<String> {
    if resource == "*" {
        return None;
    }
    if resource.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!(
            "resource {} has upper-case letters. RBAC names resources by their lower-case \
             plural (pods for kind Pod, deployments for Deployment) and compares exactly, so \
             it would never match: write {}.",
            shown(resource),
            shown(&resource.to_ascii_lowercase())
        ));
    }
    let (base, sub) = match resource.split_once('/') {
        Some((base, sub)) => (base, Some(sub)),
        None => (resource, None),
    };
    if let Some((name, group)) = base.split_once('.') {
        return Some(format!(
            "resource {} has a group in it. In a rule the group goes in API groups and the \
             resource alone in Resources: {} in group {} (kubectl's `--resource=` is the only \
             place the two are joined).",
            shown(resource),
            shown(&match sub {
                Some(sub) => format!("{name}/{sub}"),
                None => name.to_string(),
            }),
            shown(group)
        ));
    }
    let part_ok = |part: &str| {
        part == "*"
            || (!part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    };
    let ok = part_ok(base) && sub.is_none_or(|s| part_ok(s) && !s.contains('/'));
    if !ok {
        return Some(format!(
            "resource {} is not a resource's name: resources are lower-case plurals such as \
             pods or configmaps, with a subresource after one '/' (pods/log), or * for any.",
            shown(resource)
        ));
    }
    None
}

/// `metadata` with a name and, for namespaced objects, the namespace.
fn metadata(name: &str, namespace: Option<&str>) -> Value {
    let mut meta = Map::new();
    meta.insert("name".into(), name.into());
    if let Some(namespace) = namespace {
        meta.insert("namespace".into(), namespace.into());
    }
    Value::Object(meta)
}

/// A rule as the API server and kubectl write it: keys in alphabetical order, resourceNames
/// only when there are some.
fn rule_value(rule: &Rule) -> Value {
    let mut out = Map::new();
    out.insert("apiGroups".into(), json!(rule.api_groups));
    if !rule.resource_names.is_empty() {
        out.insert("resourceNames".into(), json!(rule.resource_names));
    }
    out.insert("resources".into(), json!(rule.resources));
    out.insert("verbs".into(), json!(rule.verbs));
    Value::Object(out)
}

/// The objects, in the order they must be applied: the account, the role, the binding, the
/// Secret (which names the account, so it must exist first). Keys are in kubectl's order,
/// which is alphabetical, so a diff against `kubectl get -o yaml` shows only real changes.
fn documents(form: &RbacForm, names: &Names, rules: &[Rule]) -> Vec<Value> {
    let ns = names.namespace.as_str();
    let mut out = vec![json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": metadata(&names.account, Some(ns)),
    })];
    let (role_kind, binding_kind, role_ns) = match form.scope {
        Scope::Namespace => ("Role", "RoleBinding", Some(ns)),
        Scope::Cluster => ("ClusterRole", "ClusterRoleBinding", None),
        Scope::BindClusterRole => ("ClusterRole", "RoleBinding", Some(ns)),
    };
    if form.scope != Scope::BindClusterRole {
        out.push(json!({
            "apiVersion": RBAC_API_VERSION,
            "kind": role_kind,
            "metadata": metadata(&names.role, role_ns),
            "rules": rules.iter().map(rule_value).collect::<Vec<_>>(),
        }));
    }
    out.push(json!({
        "apiVersion": RBAC_API_VERSION,
        "kind": binding_kind,
        "metadata": metadata(&names.binding, role_ns),
        "roleRef": {
            "apiGroup": RBAC_GROUP,
            "kind": role_kind,
            "name": names.role,
        },
        "subjects": [{
            "kind": "ServiceAccount",
            "name": names.account,
            "namespace": ns,
        }],
    }));
    if form.token_secret {
        out.push(json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "annotations": {"kubernetes.io/service-account.name": names.account},
                "name": names.secret,
                "namespace": ns,
            },
            "type": "kubernetes.io/service-account-token",
        }));
    }
    out
}

/// Verbs `kubectl create role` accepts without a warning.
const KUBECTL_VERBS: [&str; 14] = [
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];

/// The only (group, resource) pairs `kubectl create role` lets `bind`, `escalate` and
/// `impersonate` apply to; it refuses the command otherwise.
fn kubectl_allows(verb: &str, group: &str, resource: &str) -> bool {
    match verb {
        "bind" | "escalate" => group == RBAC_GROUP && matches!(resource, "roles" | "clusterroles"),
        "impersonate" => {
            (group.is_empty() && matches!(resource, "users" | "serviceaccounts" | "groups"))
                || (group == "authentication.k8s.io" && matches!(resource, "userextras" | "uids"))
        }
        "use" => group == "policy" && resource == "podsecuritypolicies",
        _ => true,
    }
}

/// `--resource=` values for a rule: `pods`, `deployments.apps`, `deployments.apps/scale`.
fn kubectl_resources(rule: &Rule) -> Vec<String> {
    let mut out = Vec::new();
    for group in &rule.api_groups {
        for resource in &rule.resources {
            let (base, sub) = match resource.split_once('/') {
                Some((b, s)) => (b, Some(s)),
                None => (resource.as_str(), None),
            };
            let mut text = base.to_string();
            if !group.is_empty() {
                text.push('.');
                text.push_str(group);
            }
            if let Some(sub) = sub {
                text.push('/');
                text.push_str(sub);
            }
            out.push(text);
        }
    }
    out
}

/// One `kubectl create role|clusterrole` command for all the rules, when kubectl can say it:
/// every rule with the same verbs and resource names (kubectl takes one set of each), no `*`
/// group (kubectl looks groups up by name), and only verbs and pairs kubectl accepts. kubectl
/// then writes one rule per group, sorted by group, which is the same grant.
fn create_role_command(
    kind: &str,
    names: &Names,
    rules: &[Rule],
    ns: Option<&str>,
) -> Option<String> {
    let first = rules.first()?;
    let same = rules
        .iter()
        .all(|r| r.verbs == first.verbs && r.resource_names == first.resource_names);
    let expressible = rules.iter().all(|r| {
        r.api_groups.iter().all(|g| g != "*")
            && r.verbs.iter().all(|v| {
                KUBECTL_VERBS.contains(&v.as_str())
                    && r.api_groups
                        .iter()
                        .all(|g| r.resources.iter().all(|res| kubectl_allows(v, g, res)))
            })
    });
    if !same || !expressible {
        return None;
    }
    let mut cmd = format!("kubectl create {kind} {}", quote(&names.role));
    if let Some(ns) = ns {
        cmd.push_str(&format!(" --namespace={}", quote(ns)));
    }
    cmd.push_str(&format!(" --verb={}", quote(&first.verbs.join(","))));
    let resources: Vec<String> = rules.iter().flat_map(kubectl_resources).collect();
    cmd.push_str(&format!(" --resource={}", quote(&resources.join(","))));
    for name in &first.resource_names {
        cmd.push_str(&format!(" --resource-name={}", quote(name)));
    }
    Some(cmd)
}

/// `kubectl apply` with `value` in a here-document, for what `kubectl create` cannot say.
/// The delimiter is quoted, so nothing in the YAML is expanded, and no line of our YAML can
/// be `EOF` alone (every line is a key, a `- ` item or `---`).
fn apply(value: &Value) -> String {
    format!(
        "kubectl apply -f - <<'EOF'\n{}EOF\n",
        yaml_write::document(value)
    )
}

/// A bash script that makes the same objects with kubectl.
fn script(form: &RbacForm, names: &Names, rules: &[Rule], documents: &[Value]) -> String {
    let ns = names.namespace.as_str();
    let q_ns = quote(ns);
    let q_account = quote(&names.account);
    let subject_text = format!("{ns}:{}", names.account);
    let subject = quote(&subject_text);
    let mut s = String::new();
    s.push_str("#!/usr/bin/env bash\n");
    s.push_str(&format!(
        "# Creates service account {ns}/{} and what it may do, as the YAML does.\n",
        names.account
    ));
    s.push_str("set -euo pipefail\n");
    s.push_str(&format!(
        "kubectl create serviceaccount {q_account} --namespace={q_ns}\n"
    ));
    let role_doc = documents.iter().find(|d| {
        matches!(
            d.get("kind").and_then(Value::as_str),
            Some("Role" | "ClusterRole")
        )
    });
    match form.scope {
        Scope::Namespace | Scope::Cluster => {
            let (kind, role_ns) = if form.scope == Scope::Namespace {
                ("role", Some(ns))
            } else {
                ("clusterrole", None)
            };
            match create_role_command(kind, names, rules, role_ns) {
                Some(cmd) => {
                    s.push_str(&cmd);
                    s.push('\n');
                }
                None => {
                    s.push_str(&format!(
                        "# kubectl create {kind} takes one set of verbs for all its resources \
                         (and no * group), so the {kind} is applied as YAML.\n"
                    ));
                    if let Some(doc) = role_doc {
                        s.push_str(&apply(doc));
                    }
                }
            }
            if form.scope == Scope::Namespace {
                s.push_str(&format!(
                    "kubectl create rolebinding {} --namespace={q_ns} --role={} \
                     --serviceaccount={subject}\n",
                    quote(&names.binding),
                    quote(&names.role)
                ));
            } else {
                s.push_str(&format!(
                    "kubectl create clusterrolebinding {} --clusterrole={} \
                     --serviceaccount={subject}\n",
                    quote(&names.binding),
                    quote(&names.role)
                ));
            }
        }
        Scope::BindClusterRole => {
            s.push_str(&format!(
                "kubectl create rolebinding {} --namespace={q_ns} --clusterrole={} \
                 --serviceaccount={subject}\n",
                quote(&names.binding),
                quote(&names.role)
            ));
        }
    }
    if form.token_secret {
        s.push_str(
            "# kubectl has no command for a token Secret with its annotation; the token \
             controller fills it in.\n",
        );
        if let Some(doc) = documents
            .iter()
            .find(|d| d.get("kind").and_then(Value::as_str) == Some("Secret"))
        {
            s.push_str(&apply(doc));
        }
    }
    s.push_str("# What the account may do:\n");
    s.push_str(&format!(
        "kubectl auth can-i --list --namespace={q_ns} --as={}\n",
        quote(&format!("system:serviceaccount:{ns}:{}", names.account))
    ));
    s.push_str("# A token that expires in an hour (Kubernetes 1.24 and later):\n");
    s.push_str(&format!(
        "kubectl create token {q_account} --namespace={q_ns} --duration=1h\n"
    ));
    s
}

/// The plain-words table: one row per rule and group.
fn summary(form: &RbacForm, names: &Names, rules: &[Rule]) -> Vec<SummaryRow> {
    let where_ = match form.scope {
        Scope::Namespace | Scope::BindClusterRole => format!("in namespace {}", names.namespace),
        Scope::Cluster => "in every namespace and cluster-wide".to_string(),
    };
    let mut out = Vec::new();
    for rule in rules {
        if !rule.non_resource_urls.is_empty() {
            // Only a ClusterRoleBinding grants non-resource URLs; a RoleBinding ignores them.
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
    if out.is_empty() && form.scope == Scope::BindClusterRole && !names.role.is_empty() {
        out.push(SummaryRow {
            group: String::new(),
            resources: Vec::new(),
            verbs: Vec::new(),
            names: Vec::new(),
            where_: where_.clone(),
            sentence: format!(
                "Whatever ClusterRole {} grants, {where_}: its rules are in the cluster \
                 (`kubectl describe clusterrole {}`).",
                names.role,
                quote(&names.role)
            ),
        });
    }
    out
}

/// `<account>-rbac.yaml`, lower-cased, with anything outside `[a-z0-9.-]` turned into `-`, or
/// `rbac.yaml` when nothing is left.
fn file_name(account: &str) -> String {
    let mut stem = String::new();
    for c in account.chars().map(|c| c.to_ascii_lowercase()) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' {
            c
        } else {
            '-'
        };
        if !(c == '-' && stem.ends_with('-')) {
            stem.push(c);
        }
    }
    let stem: String = stem
        .trim_matches(['-', '.'])
        .chars()
        .take(64)
        .collect::<String>()
        .trim_matches(['-', '.'])
        .to_string();
    if stem.is_empty() {
        "rbac.yaml".to_string()
    } else {
        format!("{stem}-rbac.yaml")
    }
}
