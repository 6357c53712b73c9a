//! Choosing the key for a token and planning its WebCrypto checks: the verdicts reached
//! without cryptography, and the one reached from WebCrypto's answers.

use std::fmt;

use super::{KeyAlgorithm, PublicKey};
use crate::crypto::webcrypto::{Scheme, WebCryptoVerify};

/// The verdict the UI shows about a token's signature. `Display` starts with exactly one of
/// `Verified`, `Invalid signature`, `No matching key`, `Unsupported algorithm`, `Unsigned`,
/// `Key does not fit`. The core decides all but the first two before any cryptography; the
/// shell reports WebCrypto's answers through [`conclude`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyStatus {
    /// WebCrypto accepted the signature with this key.
    Verified {
        /// The key, as [`super::KeySource`] prints it.
        key: String,
        /// Its kid: the JWKS `kid`, else the Kubernetes key ID.
        kid: String,
    },
    /// The signature does not check out with any key that could have made it.
    InvalidSignature {
        /// What was tried, or what is wrong with the signature itself.
        detail: String,
    },
    /// The token names a kid that none of the JWKS keys has.
    NoMatchingKey {
        /// The token's `kid`.
        token_kid: String,
        /// The kids that were pasted.
        kids_present: Vec<String>,
    },
    /// An algorithm WebCrypto-based verification of Kubernetes tokens does not cover.
    UnsupportedAlgorithm {
        /// The header's `alg`.
        alg: String,
    },
    /// `alg: none`: there is no signature to verify.
    Unsigned,
    /// The key cannot have made this kind of signature.
    KeyDoesNotFit {
        /// The header's `alg`.
        alg: String,
        /// Which key and what it is.
        key: String,
    },
}

impl fmt::Display for VerifyStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verified { key, kid } => write!(f, "Verified with {key} (kid {kid})"),
            Self::InvalidSignature { detail } => write!(f, "Invalid signature: {detail}"),
            Self::NoMatchingKey {
                token_kid,
                kids_present,
            } => write!(
                f,
                "No matching key: the token's kid {token_kid:?} is not among the keys pasted \
                 ({}); the token was signed by another cluster or a rotated key",
                if kids_present.is_empty() {
                    "none".to_string()
                } else {
                    kids_present.join(", ")
                }
            ),
            Self::UnsupportedAlgorithm { alg } if alg.starts_with("HS") => write!(
                f,
                "Unsupported algorithm: {alg} uses a shared secret, not a public key; \
                 Kubernetes never signs service-account tokens with it"
            ),
            Self::UnsupportedAlgorithm { alg } => write!(
                f,
                "Unsupported algorithm: {alg:?}; Kubernetes signs with RS256 (or ES256/ES384/\
                 ES512), and only RS*, PS* and ES* can be checked here"
            ),
            Self::Unsigned => f.write_str(
                "Unsigned: alg is \"none\", so there is nothing to verify; never trust what \
                 this token says",
            ),
            Self::KeyDoesNotFit { alg, key } => {
                write!(
                    f,
                    "Key does not fit: {key} cannot verify {} {alg} token",
                    article(alg)
                )
            }
        }
    }
}

/// What to do after looking at the keys and the token header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyChoice {
    /// Verify with these keys (indexes into the slice given), in order; the first that verifies
    /// wins.
    Try {
        /// Indexes into the keys passed to [`choose_key`].
        keys: Vec<usize>,
        /// Why these: `kid matches JWKS key 1`, `the token has no kid`, ….
        reason: String,
    },
    /// A verdict reached without cryptography.
    Done(VerifyStatus),
}

/// "an RS256 token" but "a PS256 token", as the names are read letter by letter.
fn article(alg: &str) -> &'static str {
    if alg.starts_with('P') {
        "a"
    } else {
        "an"
    }
}

/// The JWS `alg` values (RFC 7518, section 3.1) that WebCrypto can verify; `none` is unsigned,
/// and anything else is not checked here.
fn scheme(alg: &str) -> Result<Scheme, VerifyStatus> {
    if alg == "none" {
        return Err(VerifyStatus::Unsigned);
    }
    Scheme::for_jws(alg).ok_or_else(|| VerifyStatus::UnsupportedAlgorithm {
        alg: alg.to_string(),
    })
}

fn fits(key: &PublicKey, scheme: Scheme) -> bool {
    scheme.fits(key.algorithm)
}

fn does_not_fit(alg: &str, keys: &[&PublicKey]) -> VerifyStatus {
    let key = keys
        .iter()
        .map(|k| format!("{} ({} key)", k.source, k.algorithm))
        .collect::<Vec<_>>()
        .join(", ");
    VerifyStatus::KeyDoesNotFit {
        alg: alg.to_string(),
        key,
    }
}

/// Whether the token's `kid` names `key` (its JWKS `kid` or its Kubernetes key ID), in the
/// words the table of pasted keys shows beside each key.
pub fn kid_verdict(key: &PublicKey, token_kid: Option<&str>) -> &'static str {
    match token_kid {
        None | Some("") => "token has no kid",
        Some(kid) if kid == key.kubernetes_kid || key.jwk_kid.as_deref() == Some(kid) => {
            "Yes: this key signed it, if it verifies"
        }
        Some(_) => "No",
    }
}

/// Picks the keys to verify a token with, from its header's `kid` and `alg`.
///
/// A non-empty `kid` that matches a key's JWKS `kid` or Kubernetes key ID selects that key.
/// A `kid` that matches nothing in a JWKS is `No matching key`. Without a usable `kid` (legacy
/// tokens carry `"kid":""`), or when the keys came from PEM, every key that fits `alg` is tried.
pub fn choose_key(keys: &[PublicKey], token_kid: Option<&str>, alg: &str) -> KeyChoice {
    let scheme = match scheme(alg) {
        Ok(scheme) => scheme,
        Err(status) => return KeyChoice::Done(status),
    };
    let kid = token_kid.filter(|k| !k.is_empty());
    let indexed = || keys.iter().enumerate();
    if let Some(kid) = kid {
        let matching: Vec<_> = indexed()
            .filter(|(_, k)| k.jwk_kid.as_deref() == Some(kid) || k.kubernetes_kid == kid)
            .collect();
        if !matching.is_empty() {
            let usable: Vec<usize> = matching
                .iter()
                .filter(|(_, k)| fits(k, scheme))
                .map(|(i, _)| *i)
                .collect();
            if usable.is_empty() {
                let keys: Vec<_> = matching.iter().map(|(_, k)| *k).collect();
                return KeyChoice::Done(does_not_fit(alg, &keys));
            }
            let names: Vec<_> = usable
                .iter()
                .filter_map(|&i| keys.get(i))
                .map(|k| k.source.to_string())
                .collect();
            return KeyChoice::Try {
                keys: usable,
                reason: format!("the token's kid matches {}", names.join(", ")),
            };
        }
        // A JWKS names every key, so a kid that is not there means another key signed it.
        // PEM keys carry no name of their own beyond the derived one, and issuers other than
        // kube-apiserver derive kids differently, so those are still worth trying.
        let all_named = !keys.is_empty() && keys.iter().all(|k| k.jwk_kid.is_some());
        if all_named || keys.is_empty() {
            let kids_present = keys.iter().filter_map(|k| k.jwk_kid.clone()).collect();
            return KeyChoice::Done(VerifyStatus::NoMatchingKey {
                token_kid: kid.to_string(),
                kids_present,
            });
        }
    }
    let usable: Vec<usize> = indexed()
        .filter(|(_, k)| fits(k, scheme))
        .map(|(i, _)| i)
        .collect();
    if usable.is_empty() {
        if keys.is_empty() {
            return KeyChoice::Done(VerifyStatus::NoMatchingKey {
                token_kid: String::new(),
                kids_present: Vec::new(),
            });
        }
        return KeyChoice::Done(does_not_fit(alg, &keys.iter().collect::<Vec<_>>()));
    }
    let reason = match kid {
        Some(kid) => format!("no key is named {kid:?}, so trying every key that fits {alg}"),
        None => format!("the token has no kid, so trying every key that fits {alg}"),
    };
    KeyChoice::Try {
        keys: usable,
        reason,
    }
}

/// Prepares WebCrypto's inputs for checking a JWS signature with `key`, or says why it cannot
/// verify without trying: wrong algorithm, wrong key type, or a signature of the wrong length.
pub fn prepare_verify(
    key: &PublicKey,
    alg: &str,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<WebCryptoVerify, VerifyStatus> {
    let Some(algorithm) = scheme(alg)?.algorithm(key.algorithm) else {
        return Err(does_not_fit(alg, &[key]));
    };
    let expected = match key.algorithm {
        KeyAlgorithm::Rsa { bits } => bits.div_ceil(8),
        KeyAlgorithm::Ec { curve } => 2 * curve.coordinate_len(),
    };
    if signature.len() != expected {
        let detail = match key.algorithm {
            KeyAlgorithm::Rsa { bits } => format!(
                "{} {alg} signature by {} ({bits}-bit) is {expected} bytes, this one is {} \
                 bytes, so a different key (about {} bits) made it",
                article(alg),
                key.source,
                signature.len(),
                signature.len() * 8
            ),
            KeyAlgorithm::Ec { .. } if signature.first() == Some(&0x30) => format!(
                "an {alg} signature is {expected} bytes of raw r‖s (RFC 7518 section 3.4); this \
                 one is {} bytes and looks DER-encoded, which JWS does not allow",
                signature.len()
            ),
            KeyAlgorithm::Ec { .. } => format!(
                "an {alg} signature is {expected} bytes of raw r‖s; this one is {} bytes",
                signature.len()
            ),
        };
        return Err(VerifyStatus::InvalidSignature { detail });
    }
    Ok(WebCryptoVerify {
        algorithm,
        spki_der: key.spki_der.clone(),
        signature: signature.to_vec(),
        signing_input: signing_input.to_vec(),
    })
}

/// Turns the outcome for each key tried — WebCrypto's boolean, or the reason
/// [`prepare_verify`] refused — into the verdict. `outcomes` pairs an index into `keys` with
/// its result, in the order tried.
pub fn conclude(
    keys: &[PublicKey],
    outcomes: &[(usize, Result<bool, VerifyStatus>)],
) -> VerifyStatus {
    if let Some(key) = outcomes
        .iter()
        .find(|(_, r)| matches!(r, Ok(true)))
        .and_then(|(i, _)| keys.get(*i))
    {
        let kid = key
            .jwk_kid
            .clone()
            .unwrap_or_else(|| key.kubernetes_kid.clone());
        return VerifyStatus::Verified {
            key: key.source.to_string(),
            kid,
        };
    }
    if let [(_, Err(status))] = outcomes {
        return status.clone();
    }
    let tried: Vec<String> = outcomes
        .iter()
        .filter_map(|(i, r)| {
            let key = keys.get(*i)?;
            Some(match r {
                Err(status) => format!("{}: {status}", key.describe()),
                Ok(_) => key.describe(),
            })
        })
        .collect();
    let detail = match tried.as_slice() {
        [] => "no key was tried".to_string(),
        [one] => format!(
            "the signature does not match {one}; the token was changed after signing, or \
             another key signed it"
        ),
        many => format!(
            "the signature matches none of the keys tried: {}",
            many.join("; ")
        ),
    };
    VerifyStatus::InvalidSignature { detail }
}

/// What verifying a token against the pasted keys takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The answer is known without any crypto (unsigned, no matching key, key does not fit).
    Done(VerifyStatus),
    /// Run WebCrypto on each prepared attempt, then pass the outcomes to [`conclude`].
    Check {
        /// Why these keys (shown while checking).
        reason: String,
        /// Index into the key list, and what to verify with it (or why it cannot be tried).
        attempts: Vec<(usize, Result<WebCryptoVerify, VerifyStatus>)>,
    },
}

/// Chooses the keys for `jwt` and prepares a WebCrypto check for each, so the browser shell
/// only calls `importKey` and `verify` and hands the booleans to [`conclude`].
pub fn plan(keys: &[PublicKey], jwt: &crate::token::jwt::RawJwt) -> Plan {
    let alg = jwt.alg().unwrap_or_default();
    match choose_key(keys, jwt.kid(), alg) {
        KeyChoice::Done(status) => Plan::Done(status),
        KeyChoice::Try {
            keys: chosen,
            reason,
        } => {
            let input = jwt.signing_input();
            let attempts = chosen
                .into_iter()
                .filter_map(|i| {
                    let key = keys.get(i)?;
                    Some((
                        i,
                        prepare_verify(key, alg, input.as_bytes(), &jwt.signature),
                    ))
                })
                .collect();
            Plan::Check { reason, attempts }
        }
    }
}
