//! The RBAC builder's form for a 403: what **Fix in RBAC builder** fills in, so the builder
//! writes the same least-privilege grant as [`super::fix`], ready for **Download YAML**. It
//! is offered only when there is a fix (never for a request naming `*`) and the form reads
//! back as the fix's one rule.

use super::{fix, Forbidden, NoFix, Requester};
use crate::rbac::{self, RbacForm, RuleRow, Scope};

/// The builder's form granting exactly the refused request, or why the builder cannot write
/// it: it makes objects for a service account, and a Role only in the account's namespace.
pub fn builder_form(f: &Forbidden) -> Result<RbacForm, NoFix> {
    let fixed = fix(f)?;
    let Requester::ServiceAccount { namespace, name } = &f.requester else {
        return Err(NoFix {
            why: format!(
                "The RBAC builder makes objects for a service account, and {} is not one: \
                 apply the Role and binding above, which name the user.",
                f.user
            ),
        });
    };
    if let Some(request_ns) = fixed.namespace.as_deref().filter(|ns| ns != namespace) {
        return Err(NoFix {
            why: format!(
                "The RBAC builder writes a Role in the service account's own namespace \
                 ({namespace}), and the request was in {request_ns}: apply the Role and \
                 RoleBinding above, which are in {request_ns} and name {namespace}/{name}."
            ),
        });
    }
    let rule = &fixed.rule;
    let list = |items: &[String]| items.join(", ");
    let groups: Vec<String> = rule
        .api_groups
        .iter()
        .map(|g| {
            if g.is_empty() {
                "\"\"".to_string()
            } else {
                g.clone()
            }
        })
        .collect();
    let form = RbacForm {
        service_account: name.clone(),
        namespace: namespace.clone(),
        scope: if fixed.cluster_wide {
            Scope::Cluster
        } else {
            Scope::Namespace
        },
        rules: vec![RuleRow {
            api_groups: list(&groups),
            resources: list(&rule.resources),
            verbs: list(&rule.verbs),
            resource_names: list(&rule.resource_names),
            non_resource_urls: list(&rule.non_resource_urls),
        }],
        // Named after what it grants: a Role named after the account (the builder's own
        // default) may already exist with other rules, and applying would replace them.
        role_name: fixed.name.clone(),
        ..RbacForm::default()
    };
    // The builder reads its fields as lists split at commas and spaces: a name holding one
    // would come back as two names, a wider grant than the fix. Only a form that reads back
    // as the fix's one rule is offered.
    if rbac::rules(&form) != [fixed.rule.clone()] {
        return Err(NoFix {
            why: "The RBAC builder reads its fields as lists split at commas and spaces, so \
                  it cannot hold this request's names exactly: apply the Role and binding \
                  above instead."
                .to_string(),
        });
    }
    Ok(form)
}
