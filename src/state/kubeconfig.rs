//! The kubeconfig builder's slice of the state: its form and the kubeconfig loaded into it.

use super::Touched;
use crate::inspect::input::Candidate;
use crate::kubeconfig::{self, Field, KubeconfigForm, LoadError, LoadedKubeconfig};

/// The kubeconfig builder's form as typed (its CA is the shared **CA certificate** field; its
/// token follows the inspector's until typed over).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KubeconfigState {
    /// The form's fields, the CA left empty.
    pub form: KubeconfigForm,
    /// The text in the **Load kubeconfig** field.
    pub load_input: String,
    /// What was read from it; `None` while it is empty.
    pub loaded: Option<Result<LoadedKubeconfig, LoadError>>,
    /// The fields edited, by [`field_key`]: an empty one shows its problem as an error only
    /// then.
    pub touched: Touched,
}

/// The number [`Touched`] knows a field by.
pub fn field_key(field: Field) -> u32 {
    field as u32
}

/// One change to the kubeconfig builder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KubeconfigAction {
    /// Typed into a text field (the CA goes to the shared CA field instead).
    Edit(Field, String),
    /// Ticked or cleared **Skip TLS verification**.
    SkipTlsVerify(bool),
    /// Pasted into **Load kubeconfig**.
    Load(String),
    /// Picked a context of the loaded kubeconfig.
    ChooseContext(String),
    /// Asked for the kubeconfig while it cannot be written: every problem is an error now.
    Ask,
}

impl KubeconfigState {
    /// Applies one change; returns the CA a loaded kubeconfig brought, for the shared CA field.
    pub fn apply(&mut self, action: KubeconfigAction) -> Option<String> {
        let form = &mut self.form;
        match action {
            KubeconfigAction::Edit(field, value) => {
                self.touched.touch(field_key(field));
                match field {
                    Field::ClusterName => form.cluster_name = value,
                    Field::Server => form.server = value,
                    Field::Ca => return Some(value),
                    Field::TlsServerName => form.tls_server_name = value,
                    Field::UserName => form.user_name = value,
                    Field::Token => form.token = value,
                    Field::Namespace => form.namespace = value,
                    Field::ContextName => form.context_name = value,
                    Field::SkipTlsVerify => {}
                }
            }
            KubeconfigAction::SkipTlsVerify(skip) => {
                self.touched.touch(field_key(Field::SkipTlsVerify));
                form.skip_tls_verify = skip;
            }
            KubeconfigAction::Ask => self.touched.ask(),
            KubeconfigAction::Load(text) => {
                self.loaded = (!text.trim().is_empty()).then(|| kubeconfig::load(&text, None));
                self.load_input = text;
                return self.take_loaded();
            }
            KubeconfigAction::ChooseContext(name) => {
                self.loaded = Some(kubeconfig::load(&self.load_input, Some(&name)));
                return self.take_loaded();
            }
        }
        None
    }

    /// Takes the token (and server) of the token the inspector shows.
    pub fn follow(&mut self, candidate: &Candidate) {
        self.form.token.clone_from(&candidate.token);
        if let Some(server) = &candidate.server {
            self.form.server.clone_from(server);
        }
    }

    /// Fills the form from a successfully loaded kubeconfig; returns its CA.
    fn take_loaded(&mut self) -> Option<String> {
        let Some(Ok(loaded)) = &self.loaded else {
            return None;
        };
        let mut form = loaded.form.clone();
        let ca = std::mem::take(&mut form.ca);
        self.form = form;
        // The file's values are the user's: what is wrong with them is an error at once.
        self.touched.ask();
        Some(ca)
    }
}
