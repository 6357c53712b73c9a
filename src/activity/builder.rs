//! Handing generated RBAC to the RBAC builder (`#/rbac`), whose form holds one service
//! account and one role: a Role in the account's own namespace, or a ClusterRole (the only
//! kind that holds non-resource URLs).

use super::generate::{Generated, Grantee};
use crate::rbac::{RbacForm, RuleRow, Scope};

/// The builder's form for `generated`, or why it does not fit in one.
pub fn builder_form(generated: &Generated, grantee: &Grantee) -> Result<RbacForm, String> {
    let Grantee::ServiceAccount { namespace, name } = grantee else {
        return Err(
            "The RBAC builder writes RBAC for a service account; this subject is not one. Download the YAML instead."
                .to_string(),
        );
    };
    let [role] = generated.roles.as_slice() else {
        return Err(format!(
            "The RBAC builder holds one role; this needs {} (one per namespace, and one for cluster scope). Download the YAML instead.",
            generated.roles.len()
        ));
    };
    let scope = match &role.namespace {
        None => Scope::Cluster,
        Some(ns) if ns == namespace => Scope::Namespace,
        Some(ns) => {
            return Err(format!(
                "The RBAC builder puts a Role in the service account's own namespace ({namespace}); this one is for {ns}. Download the YAML instead."
            ))
        }
    };
    if scope == Scope::Namespace && role.rules.iter().any(|r| !r.non_resource_urls.is_empty()) {
        return Err(
            "Non-resource URLs are granted only by a ClusterRole, and this is a Role. Download the YAML instead."
                .to_string(),
        );
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
