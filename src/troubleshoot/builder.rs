//! The RBAC builder's form for a 403: what **Fix in RBAC builder** fills in, so the builder
//! writes the same least-privilege grant as [`super::fix`], ready for **Download YAML**. It
//! is offered only when there is a fix (never for a request naming `*`), the form reads back
//! as the fix's one rule, and the builder accepts it.

use super::{fix, FixSubject, Forbidden, NoFix};
use crate::rbac::{self, RbacForm, RuleRow, Scope, SubjectKind};

/// The builder's form granting exactly the refused request to the 403's own subject: a
/// service account (of the request's namespace or another) or a user, in the request's
/// namespace, or why the builder cannot write it.
pub fn builder_form(f: &Forbidden) -> Result<RbacForm, NoFix> {
    let fixed = fix(f)?;
    let (subject, name, account_namespace) = match &fixed.subject {
        FixSubject::ServiceAccount { namespace, name } => {
            (SubjectKind::ServiceAccount, name.clone(), namespace.clone())
        }
        FixSubject::User { name } => (SubjectKind::User, name.clone(), String::new()),
    };
    // A Role goes where the request was; the account may live elsewhere.
    let namespace = match fixed.namespace.as_deref() {
        Some(ns) => ns.to_string(),
        None if subject == SubjectKind::ServiceAccount => account_namespace.clone(),
        None => String::new(),
    };
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
        subject,
        service_account: name,
        account_namespace,
        namespace,
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
    if let Some(problem) = rbac::build(&form).errors.first() {
        return Err(NoFix {
            why: format!(
                "The RBAC builder cannot write this grant ({}: {}): apply the Role and binding \
                 above instead.",
                problem.field, problem.message
            ),
        });
    }
    Ok(form)
}
