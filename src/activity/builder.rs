//! Handing generated RBAC to the RBAC builder (`#/rbac`), whose form holds one service
//! account and one role: a Role in the account's own namespace, or a ClusterRole (the only
//! kind that holds non-resource URLs).

use super::generate::{Generated, Grantee};
use crate::rbac::{RbacForm, RuleRow, Scope};

/// Why generated RBAC does not fit the builder's form (one service account, one role in its
/// own namespace or one ClusterRole). Its `Display` says so, and to download the YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoBuilderForm {
    /// The subject is a user or groups; the builder form writes for a service account here.
    NotServiceAccount,
    /// More than one role (or none): how many.
    Roles(usize),
    /// A Role in another namespace than the service account's.
    OtherNamespace {
        /// The service account's namespace.
        account: String,
        /// The Role's.
        role: String,
    },
    /// Non-resource URLs in a namespaced Role.
    UrlsInRole,
}

impl std::fmt::Display for NoBuilderForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoBuilderForm::NotServiceAccount => f.write_str(
                "The RBAC builder writes RBAC for a service account; this subject is not one. Download the YAML instead.",
            ),
            NoBuilderForm::Roles(n) => write!(
                f,
                "The RBAC builder holds one role; this needs {n} (one per namespace, and one for cluster scope). Download the YAML instead."
            ),
            NoBuilderForm::OtherNamespace { account, role } => write!(
                f,
                "The RBAC builder puts a Role in the service account's own namespace ({account}); this one is for {role}. Download the YAML instead."
            ),
            NoBuilderForm::UrlsInRole => f.write_str(
                "Non-resource URLs are granted only by a ClusterRole, and this is a Role. Download the YAML instead.",
            ),
        }
    }
}

impl std::error::Error for NoBuilderForm {}

/// The builder's form for `generated`, or why it does not fit in one.
pub fn builder_form(generated: &Generated, grantee: &Grantee) -> Result<RbacForm, NoBuilderForm> {
    let Grantee::ServiceAccount { namespace, name } = grantee else {
        return Err(NoBuilderForm::NotServiceAccount);
    };
    let [role] = generated.roles.as_slice() else {
        return Err(NoBuilderForm::Roles(generated.roles.len()));
    };
    let scope = match &role.namespace {
        None => Scope::Cluster,
        Some(ns) if ns == namespace => Scope::Namespace,
        Some(ns) => {
            return Err(NoBuilderForm::OtherNamespace {
                account: namespace.clone(),
                role: ns.clone(),
            })
        }
    };
    if scope == Scope::Namespace && role.rules.iter().any(|r| !r.non_resource_urls.is_empty()) {
        return Err(NoBuilderForm::UrlsInRole);
    }
    let rules = role
        .rules
        .iter()
        .map(|rule| RuleRow {
            api_groups: rule
                .api_groups
                .iter()
                .map(|g| if g.is_empty() { "\"\"" } else { g.as_str() })
                .collect::<Vec<_>>()
                .join(", "),
            resources: rule.resources.join(", "),
            verbs: rule.verbs.join(", "),
            resource_names: rule.resource_names.join(", "),
            non_resource_urls: rule.non_resource_urls.join(", "),
        })
        .collect();
    Ok(RbacForm {
        service_account: name.clone(),
        namespace: namespace.clone(),
        scope,
        rules,
        ..RbacForm::default()
    })
}
