//! The Token request page's slice of the state: its form, the bound object as typed, and the
//! fields touched.

use super::Touched;
use crate::token_request::{BoundKind, BoundObject, Field, TokenForm};

/// The **Token request** form as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TokenState {
    /// The form the outputs are written from; its `bound` follows the three fields below.
    pub form: TokenForm,
    /// **Bound object**: none, Pod, Secret or Node.
    pub bound_kind: Option<BoundKind>,
    /// **Bound object name**, kept while the kind is switched.
    pub bound_name: String,
    /// **Bound object uid**, kept while the kind is switched.
    pub bound_uid: String,
    /// The fields edited, by [`token_field_key`].
    pub touched: Touched,
}

/// One change to the Token request form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenAction {
    /// Typed into a text field.
    Edit(Field, String),
    /// Picked the **Bound object** kind, or none.
    Bound(Option<BoundKind>),
    /// Ticked or cleared **Mount the default token too**.
    Automount(bool),
    /// Asked for the outputs while they cannot be written: every problem is an error now.
    Ask,
}

/// The number [`Touched`] knows a field by.
pub fn token_field_key(field: Field) -> u32 {
    field as u32
}

impl TokenState {
    /// Applies one change.
    pub fn apply(&mut self, action: TokenAction) {
        let form = &mut self.form;
        match action {
            TokenAction::Edit(field, value) => {
                self.touched.touch(token_field_key(field));
                match field {
                    Field::ServiceAccount => form.service_account = value,
                    Field::Namespace => form.namespace = value,
                    Field::Duration => form.duration = value,
                    Field::Audiences => form.audiences = value,
                    Field::Issuer => form.issuer = value,
                    Field::BoundName => self.bound_name = value,
                    Field::BoundUid => self.bound_uid = value,
                    Field::PodName => form.pod_name = value,
                    Field::Image => form.image = value,
                    Field::MountPath => form.mount_path = value,
                    Field::TokenPath => form.token_path = value,
                    Field::Server => form.server = value,
                    Field::CaFile => form.ca_file = value,
                    Field::Automount => {}
                }
            }
            TokenAction::Bound(kind) => self.bound_kind = kind,
            TokenAction::Automount(on) => {
                self.touched.touch(token_field_key(Field::Automount));
                form.automount = on;
            }
            TokenAction::Ask => self.touched.ask(),
        }
        self.form.bound = self.bound_kind.map(|kind| BoundObject {
            kind,
            name: self.bound_name.clone(),
            uid: (!self.bound_uid.is_empty()).then(|| self.bound_uid.clone()),
        });
    }
}
