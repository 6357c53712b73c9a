//! The RBAC builder's slice of the state: its form, and the edits that change it.

use crate::rbac::{self, Preset, RbacForm, Scope};

/// One change to the RBAC builder's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RbacEdit {
    /// **Service account**.
    ServiceAccount(String),
    /// **Namespace**.
    Namespace(String),
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
}

/// Applies one edit to the RBAC form.
pub fn edit(form: &mut RbacForm, edit: RbacEdit) {
    match edit {
        RbacEdit::ServiceAccount(v) => form.service_account = v,
        RbacEdit::Namespace(v) => form.namespace = v,
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
            *form = preset.fill(&form.service_account, &form.namespace);
        }
        RbacEdit::Fill(filled) => *form = filled,
    }
}
