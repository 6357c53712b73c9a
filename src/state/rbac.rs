//! The RBAC builder's slice of the state: its form, and the edits that change it.

use super::Touched;
use crate::rbac::{self, Field, Preset, RbacForm, Scope, SubjectKind};

/// One change to the RBAC builder's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RbacEdit {
    /// **Subject**: service account, user or group.
    Subject(SubjectKind),
    /// **Service account**, or the user's or group's name.
    ServiceAccount(String),
    /// **Namespace**: one or several.
    Namespace(String),
    /// **Service account's namespace**, when another than where it is granted.
    AccountNamespace(String),
    /// **One ClusterRole** bound in each namespace, rather than a Role in each.
    SharedRole(bool),
    /// **Scope**.
    Scope(Scope),
    /// **ClusterRole** to bind.
    ClusterRole(String),
    /// A rule row's **API groups**, **Resources**, **Verbs** or **Resource names**.
    Rule(rbac::Field, String),
    /// Pressed a verb suggestion of a row: add it if missing, else remove it.
    ToggleVerb(usize, &'static str),
    /// **Add rule**.
    AddRule,
    /// **Remove rule N**.
    RemoveRule(usize),
    /// **Token Secret**.
    TokenSecret(bool),
    /// A preset button (or `?preset=`), keeping the account and namespace typed.
    Preset(Preset),
    /// **Fix in RBAC builder** on the Troubleshoot page: the whole form, filled.
    Fill(RbacForm),
    /// Asked for the manifests while they cannot be written: every problem is an error now.
    Ask,
}

/// Applies one edit to the RBAC form.
pub fn edit(form: &mut RbacForm, edit: RbacEdit) {
    match edit {
        RbacEdit::ServiceAccount(v) => {
            // A role named for another account's grant would mislead.
            form.role_name.clear();
            form.service_account = v;
        }
        RbacEdit::Subject(v) => {
            form.role_name.clear();
            form.subject = v;
            if v != SubjectKind::ServiceAccount {
                // A token Secret belongs to a service account only.
                form.token_secret = false;
            }
        }
        RbacEdit::Namespace(v) => form.namespace = v,
        RbacEdit::AccountNamespace(v) => {
            form.role_name.clear();
            form.account_namespace = v;
        }
        RbacEdit::SharedRole(on) => form.shared_role = on,
        RbacEdit::Scope(v) => form.scope = v,
        RbacEdit::ClusterRole(v) => form.cluster_role = v,
        RbacEdit::Rule(field, value) => {
            if let Some(row) = field.row().and_then(|i| form.rules.get_mut(i)) {
                match field {
                    rbac::Field::ApiGroups(_) => row.api_groups = value,
                    rbac::Field::Resources(_) => row.resources = value,
                    rbac::Field::Verbs(_) => row.verbs = value,
                    rbac::Field::ResourceNames(_) => row.resource_names = value,
                    rbac::Field::NonResourceUrls(_) => row.non_resource_urls = value,
                    _ => {}
                }
            }
        }
        RbacEdit::ToggleVerb(index, verb) => {
            if let Some(row) = form.rules.get_mut(index) {
                let mut verbs = rbac::split_list(&row.verbs);
                if let Some(at) = verbs.iter().position(|v| v == verb) {
                    verbs.remove(at);
                } else {
                    verbs.push(verb.to_string());
                }
                row.verbs = verbs.join(", ");
            }
        }
        RbacEdit::AddRule => form.add_row(),
        RbacEdit::RemoveRule(index) => form.remove_row(index),
        RbacEdit::TokenSecret(on) => form.token_secret = on,
        RbacEdit::Preset(preset) => {
            // The subject is kept whole: who it is, where it lives, where it is granted.
            let filled = preset.fill(&form.service_account, &form.namespace);
            *form = RbacForm {
                subject: form.subject,
                account_namespace: std::mem::take(&mut form.account_namespace),
                token_secret: filled.token_secret && form.subject == SubjectKind::ServiceAccount,
                ..filled
            };
        }
        RbacEdit::Fill(filled) => *form = filled,
        RbacEdit::Ask => {}
    }
}

/// The number [`Touched`] knows a field by: a rule row's fields share their row's.
pub fn rbac_field_key(field: Field) -> u32 {
    match field {
        Field::ServiceAccount | Field::SubjectName => 0,
        Field::Namespace => 1,
        Field::AccountNamespace => 7,
        Field::Scope => 2,
        Field::ClusterRole => 3,
        Field::Rules => 4,
        Field::TokenSecret => 5,
        _ => field.row().map_or(6, |row| {
            u32::try_from(row).unwrap_or(u32::MAX).saturating_add(8)
        }),
    }
}

/// Marks what `edit` touches.
pub fn touch(touched: &mut Touched, edit: &RbacEdit) {
    let field = match edit {
        RbacEdit::ServiceAccount(_) => Field::ServiceAccount,
        RbacEdit::Namespace(_) => Field::Namespace,
        RbacEdit::AccountNamespace(_) => Field::AccountNamespace,
        RbacEdit::Scope(_) => Field::Scope,
        RbacEdit::ClusterRole(_) => Field::ClusterRole,
        RbacEdit::Rule(field, _) => *field,
        RbacEdit::ToggleVerb(row, _) => Field::Verbs(*row),
        RbacEdit::RemoveRule(_) => Field::Rules,
        RbacEdit::TokenSecret(_) => Field::TokenSecret,
        RbacEdit::Ask => return touched.ask(),
        RbacEdit::AddRule
        | RbacEdit::Preset(_)
        | RbacEdit::Fill(_)
        | RbacEdit::Subject(_)
        | RbacEdit::SharedRole(_) => return,
    };
    touched.touch(rbac_field_key(field));
}
