//! The RBAC builder's form: what the user typed (the subject, the namespaces, scope, rule
//! rows), the fields messages sit beside, and how a typed list is read.

use std::fmt;

use crate::k8s::risk::Rule;

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

/// The ClusterRoles every cluster has, to bind with [`Scope::BindClusterRole`].
pub const BUILTIN_CLUSTER_ROLES: [&str; 4] = ["view", "edit", "admin", "cluster-admin"];

/// Who the binding names: the three kinds of subject RBAC knows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    /// A service account, of any namespace: the builder also writes the account itself.
    #[default]
    ServiceAccount,
    /// A user as the authenticator names it: a client certificate's CN, an OIDC claim.
    User,
    /// A group: a client certificate's O, an OIDC groups claim.
    Group,
}

impl SubjectKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [SubjectKind; 3] = [
        SubjectKind::ServiceAccount,
        SubjectKind::User,
        SubjectKind::Group,
    ];

    /// The `kind` of a binding's subject, and the label the form shows.
    pub fn kind(self) -> &'static str {
        match self {
            SubjectKind::ServiceAccount => "ServiceAccount",
            SubjectKind::User => "User",
            SubjectKind::Group => "Group",
        }
    }
}

/// Where the permissions apply, and so which objects are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A Role and a RoleBinding in each namespace listed (or one ClusterRole bound in each,
    /// with [`RbacForm::shared_role`]): the rules, in those namespaces only.
    #[default]
    Namespace,
    /// A ClusterRole and a ClusterRoleBinding: the rules, in every namespace and for
    /// cluster-scoped resources.
    Cluster,
    /// A RoleBinding to an existing ClusterRole (`view`, `edit`, …) in each namespace listed:
    /// that role's rules, in those namespaces only. The rule rows are not used.
    BindClusterRole,
    /// A ClusterRoleBinding to an existing ClusterRole: that role's rules in every namespace
    /// and on cluster-scoped resources, as tutorials' `kubectl create clusterrolebinding …
    /// --clusterrole=cluster-admin` does. The rule rows are not used.
    BindClusterRoleClusterWide,
}

impl Scope {
    /// Every scope, in the order the form offers them.
    pub const ALL: [Scope; 4] = [
        Scope::Namespace,
        Scope::Cluster,
        Scope::BindClusterRole,
        Scope::BindClusterRoleClusterWide,
    ];

    /// The label the form shows.
    pub fn label(self) -> &'static str {
        match self {
            Scope::Namespace => "Namespace (Role + RoleBinding)",
            Scope::Cluster => "Cluster (ClusterRole + ClusterRoleBinding)",
            Scope::BindClusterRole => "Existing ClusterRole in the namespace (RoleBinding)",
            Scope::BindClusterRoleClusterWide => {
                "Existing ClusterRole cluster-wide (ClusterRoleBinding)"
            }
        }
    }

    /// Whether the scope binds an existing ClusterRole rather than writing a role of rules.
    pub fn binds_existing(self) -> bool {
        matches!(
            self,
            Scope::BindClusterRole | Scope::BindClusterRoleClusterWide
        )
    }

    /// Whether the binding is a ClusterRoleBinding: it grants in every namespace.
    pub fn cluster_wide(self) -> bool {
        matches!(self, Scope::Cluster | Scope::BindClusterRoleClusterWide)
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
    /// Paths that are not resources (`/healthz`, `/metrics`, `/logs/*`), instead of groups and
    /// resources; only a ClusterRole can grant them.
    pub non_resource_urls: String,
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
    /// Who is granted.
    pub subject: SubjectKind,
    /// The subject's name: the service account's, the user's or the group's.
    pub service_account: String,
    /// Where the grants apply: one namespace or several, separated by commas or white space.
    /// The first is also the service account's own, unless [`RbacForm::account_namespace`]
    /// names another.
    pub namespace: String,
    /// The service account's namespace when it differs from where it is granted (a deployer
    /// in `ci` working in `app1` and `app2`); empty means the first of
    /// [`RbacForm::namespace`].
    pub account_namespace: String,
    /// With [`Scope::Namespace`]: one ClusterRole bound by a RoleBinding in each namespace
    /// (one place to edit the rules), rather than a Role and RoleBinding in each.
    pub shared_role: bool,
    /// Where the permissions apply.
    pub scope: Scope,
    /// The ClusterRole to bind, for [`Scope::BindClusterRole`].
    pub cluster_role: String,
    /// The rules, for [`Scope::Namespace`] and [`Scope::Cluster`].
    pub rules: Vec<RuleRow>,
    /// Whether to also write a long-lived token Secret for the account.
    pub token_secret: bool,
    /// The name of the Role or ClusterRole written, and of its binding; empty names them after
    /// the service account. **Fix in RBAC builder** names them after what they grant, so a
    /// role already named after the account is never replaced by the fix.
    pub role_name: String,
}

impl Default for RbacForm {
    /// A namespaced role with one empty core-group row: where most people start.
    fn default() -> RbacForm {
        RbacForm {
            subject: SubjectKind::ServiceAccount,
            service_account: String::new(),
            namespace: "default".to_string(),
            account_namespace: String::new(),
            shared_role: false,
            scope: Scope::Namespace,
            cluster_role: "view".to_string(),
            rules: vec![RuleRow::core()],
            token_secret: false,
            role_name: String::new(),
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

/// The form's fields, named by their visible labels; rule fields carry their row (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// "Service account".
    ServiceAccount,
    /// "User or group": the name of a user or group subject.
    SubjectName,
    /// "Namespace": where the grants apply.
    Namespace,
    /// "Service account's namespace", when another than where it is granted.
    AccountNamespace,
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
    /// "Non-resource URLs" of a row.
    NonResourceUrls(usize),
    /// "Token Secret".
    TokenSecret,
}

impl Field {
    /// The label the form shows (without the row).
    pub fn label(self) -> &'static str {
        match self {
            Field::ServiceAccount => "Service account",
            Field::SubjectName => "User or group",
            Field::Namespace => "Namespace",
            Field::AccountNamespace => "Service account's namespace",
            Field::Scope => "Scope",
            Field::ClusterRole => "ClusterRole",
            Field::Rules => "Rules",
            Field::ApiGroups(_) => "API groups",
            Field::Resources(_) => "Resources",
            Field::Verbs(_) => "Verbs",
            Field::ResourceNames(_) => "Resource names",
            Field::NonResourceUrls(_) => "Non-resource URLs",
            Field::TokenSecret => "Token Secret",
        }
    }

    /// The rule row (0-based) the field belongs to, if any.
    pub fn row(self) -> Option<usize> {
        match self {
            Field::ApiGroups(i)
            | Field::Resources(i)
            | Field::Verbs(i)
            | Field::ResourceNames(i)
            | Field::NonResourceUrls(i) => Some(i),
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
pub type Problem = crate::support::error::Problem<Field>;

/// Something written anyway that deserves attention, beside its field: the same findings the
/// access evaluator shows.
pub type Warning = crate::support::checks::Warning<Field>;

/// A row read into lists, as [`Rule`] holds them.
pub(super) fn parse_row(row: &RuleRow) -> Rule {
    Rule {
        api_groups: split_list(&row.api_groups),
        resources: split_list(&row.resources),
        verbs: split_list(&row.verbs),
        resource_names: split_list(&row.resource_names),
        non_resource_urls: split_list(&row.non_resource_urls),
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
