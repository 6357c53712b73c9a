//! The CA's slice of the state: the **CA certificate** field, shared by the Inspect, CA and
//! kubeconfig pages, and how its certificates chain.

use crate::crypto::webcrypto::NotChecked;
use crate::crypto::x509::{self, Bundle, CertError, ChainLink};

/// The **CA certificate** field and what was read from it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaState {
    /// The text in the **CA certificate** field.
    pub input: String,
    /// The certificates read from it; `None` while it is empty.
    pub bundle: Option<Result<Bundle, CertError>>,
    /// How the certificates chain, each link with WebCrypto's answer once known.
    pub links: Vec<CheckedLink>,
    /// Bumped whenever the CA changes; tags WebCrypto work in flight.
    pub generation: u64,
}

/// One link of the chain and whether its signature holds.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedLink {
    /// The link, with the signature check it takes.
    pub link: ChainLink,
    /// WebCrypto's answer, once known.
    pub result: Option<Result<bool, NotChecked>>,
}

/// One change to the CA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaAction {
    /// Typed or pasted into **CA certificate**.
    Set(String),
    /// WebCrypto finished the chain's link checks started for `generation`.
    LinksChecked {
        /// The generation the checks were started for.
        generation: u64,
        /// One answer per link, in `links` order.
        results: Vec<Result<bool, NotChecked>>,
    },
}

impl CaState {
    /// Applies one change.
    pub fn apply(&mut self, action: CaAction) {
        match action {
            CaAction::Set(text) => self.set(text),
            CaAction::LinksChecked {
                generation,
                results,
            } => {
                if generation == self.generation {
                    for (link, result) in self.links.iter_mut().zip(results) {
                        link.result = Some(result);
                    }
                }
            }
        }
    }

    /// Reads the **CA certificate** field and works out how its certificates chain.
    pub fn set(&mut self, text: String) {
        self.bundle = (!text.trim().is_empty()).then(|| x509::parse_bundle(&text));
        self.links = match &self.bundle {
            Some(Ok(bundle)) => x509::chain(&bundle.certs)
                .into_iter()
                .map(|link| CheckedLink { link, result: None })
                .collect(),
            _ => Vec::new(),
        };
        self.generation += 1;
        self.input = text;
    }
}
