//! The kubeconfig builder's slice of the state: its form, its token decoded, and the
//! kubeconfig loaded into it.

use super::Touched;
use crate::inspect::input::Candidate;
use crate::kubeconfig::{self, Field, KubeconfigForm, LoadError, LoadedKubeconfig, Read};
use crate::state::CaState;
use crate::support::error::TokenError;
use crate::token::jwt::RawJwt;

/// The kubeconfig builder's form as typed (its CA is the shared **CA certificate** field; its
/// token follows the inspector's until typed over).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KubeconfigState {
    /// The form's fields, the CA left empty. Its token changes only through this type's
    /// methods, which decode it once into `token`.
    pub form: KubeconfigForm,
    /// The form's token, decoded once per change ([`kubeconfig::read_token`]); `None` while
    /// it is empty.
    pub token: Option<Result<RawJwt, TokenError>>,
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
                    Field::Token => {
                        self.token = kubeconfig::read_token(&value);
                        form.token = value;
                    }
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

    /// Takes the token (and server) of the token the inspector shows; `decoded` is the
    /// inspector's decoding of it, which serves unless the builder would read the text
    /// otherwise.
    pub fn follow(&mut self, candidate: &Candidate, decoded: Option<&Result<RawJwt, TokenError>>) {
        self.token = match decoded {
            Some(decoded) if kubeconfig::reads_as_is(&candidate.token) => Some(decoded.clone()),
            _ => kubeconfig::read_token(&candidate.token),
        };
        self.form.token.clone_from(&candidate.token);
        if let Some(server) = &candidate.server {
            self.form.server.clone_from(server);
        }
    }

    /// Empties the token field.
    pub fn clear_token(&mut self) {
        self.form.token.clear();
        self.token = None;
    }

    /// The token and the CA as read, for [`kubeconfig::build_from`].
    pub fn read<'a>(&'a self, ca: &'a CaState) -> Read<'a> {
        Read {
            token: self.token.as_ref(),
            ca: ca.bundle.as_ref(),
        }
    }

    /// Fills the form from a successfully loaded kubeconfig; returns its CA.
    fn take_loaded(&mut self) -> Option<String> {
        let Some(Ok(loaded)) = &self.loaded else {
            return None;
        };
        let mut form = loaded.form.clone();
        let ca = std::mem::take(&mut form.ca);
        self.token = kubeconfig::read_token(&form.token);
        self.form = form;
        // The file's values are the user's: what is wrong with them is an error at once.
        self.touched.ask();
        Some(ca)
    }
}
