//! The Inspect page's slice of the state: the pasted token, the keys, and the signature check.

use crate::access::Subject;
use crate::crypto::keys::{self, KeyError, KeySet, Plan, VerifyStatus};
use crate::inspect::input::{self, Candidate, Recognised};
use crate::support::error::{InspectError, TokenError};
use crate::token::claims::{self, Identity, ServiceAccountClaims};
use crate::token::jwt::{self, RawJwt};

/// What the Inspect page holds besides the CA (which the CA and kubeconfig pages share).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InspectState {
    /// The text in the **Token** field, exactly as typed or pasted.
    pub token_input: String,
    /// What the token input was recognised as; `None` while it is empty.
    pub recognised: Option<Result<Recognised, InspectError>>,
    /// Which candidate is shown (index into `recognised.candidates`).
    pub chosen: usize,
    /// The chosen candidate, decoded.
    pub decoded: Option<Result<RawJwt, TokenError>>,
    /// The text in the **Verification key** field.
    pub key_input: String,
    /// The keys read from it; `None` while it is empty.
    pub keys: Option<Result<KeySet, KeyError>>,
    /// What verifying the decoded token takes; `None` when there is nothing to verify.
    pub plan: Option<Plan>,
    /// The outcome, once known.
    pub verification: Option<VerifyStatus>,
    /// Bumped whenever token or keys change; tags WebCrypto work in flight.
    pub verify_generation: u64,
}

/// One change to the Inspect page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InspectAction {
    /// Typed or pasted into **Token**.
    SetToken(String),
    /// Picked another token from a kubeconfig or List.
    Choose(usize),
    /// Typed or pasted into **Verification key**.
    SetKey(String),
    /// Pressed **Clear**: the token and what came with it go, nothing else does.
    Clear,
    /// WebCrypto finished the token's signature check started for `generation`.
    Verified {
        /// The generation the check was started for.
        generation: u64,
        /// Each attempted key and its outcome, for [`keys::conclude`].
        outcomes: Vec<(usize, Result<bool, VerifyStatus>)>,
    },
}

impl InspectState {
    /// The claims of the inspected token, when one decoded: what every page that works on
    /// "this token" reads.
    pub fn claims(&self) -> Option<ServiceAccountClaims> {
        match &self.decoded {
            Some(Ok(jwt)) => Some(claims::read(&jwt.payload)),
            _ => None,
        }
    }

    /// Who the API server takes the inspected token's bearer to be, when it names a service
    /// account.
    pub fn identity(&self) -> Option<Identity> {
        self.claims().as_ref().and_then(claims::identity)
    }

    /// The subject of the inspected token, when it names a service account: whose rights the
    /// Access and Activity pages weigh when no subject is typed.
    pub fn subject(&self) -> Option<Subject> {
        self.identity().map(|id| Subject::from_identity(&id))
    }

    /// Reads the **Token** field and shows its preferred candidate, which it returns so the
    /// other pages can take its CA, token and server.
    pub fn set_token(&mut self, text: String) -> Option<Candidate> {
        self.recognised = match input::recognise(&text) {
            Err(InspectError::Token(TokenError::Empty)) => None,
            other => Some(other),
        };
        self.token_input = text;
        let preferred = self.candidates().map_or(0, |(_, p)| p);
        self.select(preferred)
    }

    /// Shows candidate `index` and returns it, for the other pages to take what came with it.
    pub fn select(&mut self, index: usize) -> Option<Candidate> {
        let candidate = self.candidates().and_then(|(c, _)| c.get(index)).cloned();
        self.chosen = index;
        self.decoded = candidate.as_ref().map(|c| jwt::decode(&c.token));
        self.replan();
        candidate
    }

    /// Reads the **Verification key** field.
    pub fn set_key(&mut self, text: String) {
        self.keys = (!text.trim().is_empty()).then(|| keys::parse_keys(&text));
        self.key_input = text;
        self.replan();
    }

    /// Forgets the token and what came with it: the decoded token, its verification and the
    /// candidate shown. Returns the token of the candidate that was shown, so the kubeconfig
    /// builder can forget it too when it still holds it.
    pub fn clear(&mut self) -> Option<String> {
        let shown = self
            .candidates()
            .and_then(|(c, _)| c.get(self.chosen))
            .map(|c| c.token.clone());
        self.token_input.clear();
        self.recognised = None;
        self.chosen = 0;
        self.decoded = None;
        self.replan();
        shown
    }

    /// Takes WebCrypto's answer, unless it was started for an older token or key.
    pub fn verified(&mut self, generation: u64, outcomes: &[(usize, Result<bool, VerifyStatus>)]) {
        if generation == self.verify_generation {
            if let Some(Ok(set)) = &self.keys {
                self.verification = Some(keys::conclude(&set.keys, outcomes));
            }
        }
    }

    fn candidates(&self) -> Option<(&[Candidate], usize)> {
        match &self.recognised {
            Some(Ok(r)) => Some((&r.candidates, r.preferred)),
            _ => None,
        }
    }

    /// Works out what verifying the current token against the current keys takes.
    fn replan(&mut self) {
        self.verify_generation += 1;
        self.plan = match (&self.decoded, &self.keys) {
            (Some(Ok(jwt)), Some(Ok(set))) => Some(keys::plan(&set.keys, jwt)),
            // Without keys, only what needs no key is known: unsigned or unsupported.
            (Some(Ok(jwt)), None) => match keys::plan(&[], jwt) {
                done @ Plan::Done(
                    VerifyStatus::Unsigned | VerifyStatus::UnsupportedAlgorithm { .. },
                ) => Some(done),
                _ => None,
            },
            _ => None,
        };
        self.verification = match &self.plan {
            Some(Plan::Done(status)) => Some(status.clone()),
            _ => None,
        };
    }
}
