//! Verification keys: what people paste into the **Verification key** box, turned into what the
//! browser's WebCrypto needs to check a token's signature, plus the key ID Kubernetes gives it.
//!
//! The box takes whatever a cluster hands out: the JWKS served at `/openid/v1/jwks`, a single
//! JWK, PEM `PUBLIC KEY` (the `sa.pub` kube-apiserver is started with), PKCS#1 `RSA PUBLIC KEY`,
//! or a `CERTIFICATE`. Every one of them becomes a DER SubjectPublicKeyInfo, because that is the
//! one format `SubtleCrypto.importKey("spki", …)` takes for both RSA and ECDSA, and because
//! kube-apiserver derives a token's `kid` from exactly those bytes.
//!
//! No cryptography happens here: the core picks a key, checks what it can check by itself
//! (algorithm, curve, signature length) and hands plain bytes and a [`WebCryptoVerify`] plan to
//! the shell, which calls WebCrypto and reports back. This file reads the paste, standing on
//! [`crate::crypto::pem`], [`crate::crypto::spki`] and [`crate::crypto::cert`]; `jwk` reads JWKS and JWKs, and `verify`
//! chooses keys and plans the checks.

use std::fmt;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::crypto::der;
use crate::crypto::pem;
use crate::crypto::spki::{self, SpkiError};

mod jwk;
mod verify;

pub use crate::crypto::pem::{pem_blocks, pem_work, PemBlock, PemError, PemProblem};
pub use crate::crypto::spki::{Curve, KeyAlgorithm};
pub use crate::crypto::webcrypto::WebCryptoVerify;
pub use verify::{
    choose_key, conclude, kid_verdict, plan, prepare_verify, KeyChoice, Plan, VerifyStatus,
};

/// Where in the paste a key came from, so messages can point at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// Entry of a JWKS `keys` array, counted from 1.
    Jwks {
        /// Position in `keys`, from 1.
        index: usize,
    },
    /// A single JWK object.
    Jwk,
    /// A PEM block.
    Pem {
        /// Block number, from 1.
        block: usize,
        /// The block's label.
        label: String,
    },
    /// Base64 of DER with no PEM armour.
    Der,
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Jwks { index } => write!(f, "JWKS key {index}"),
            Self::Jwk => f.write_str("the JWK"),
            Self::Pem { block, label } => write!(f, "PEM block {block} ({label})"),
            Self::Der => f.write_str("the DER key"),
        }
    }
}

/// A public key that can verify tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    /// Where it came from in the paste.
    pub source: KeySource,
    /// The `kid` the JWKS states for it, if any.
    pub jwk_kid: Option<String>,
    /// The `alg` the JWKS states for it, if any.
    pub jwk_alg: Option<String>,
    /// RSA (bits) or EC (curve).
    pub algorithm: KeyAlgorithm,
    /// DER SubjectPublicKeyInfo, encoded the way Go's `x509.MarshalPKIXPublicKey` does.
    pub spki_der: Vec<u8>,
    /// The key ID kube-apiserver gives this key; see [`kubernetes_kid`].
    pub kubernetes_kid: String,
}

impl PublicKey {
    pub(super) fn new(source: KeySource, algorithm: KeyAlgorithm, spki_der: Vec<u8>) -> Self {
        let kubernetes_kid = kubernetes_kid(&spki_der);
        Self {
            source,
            jwk_kid: None,
            jwk_alg: None,
            algorithm,
            spki_der,
            kubernetes_kid,
        }
    }

    /// How the UI names this key: `JWKS key 2 (kid abc…)`.
    pub fn describe(&self) -> String {
        let kid = self.jwk_kid.as_deref().unwrap_or(&self.kubernetes_kid);
        format!("{} ({}, kid {kid})", self.source, self.algorithm)
    }
}

/// The keys read from a paste, and what could not be read (say, an Ed25519 key in a JWKS that
/// also holds the RSA key that matters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySet {
    /// The usable keys, in paste order.
    pub keys: Vec<PublicKey>,
    /// Keys or blocks that were skipped, each saying why.
    pub problems: Vec<KeyError>,
}

impl KeySet {
    pub(super) fn of(key: PublicKey) -> Self {
        Self {
            keys: vec![key],
            problems: Vec::new(),
        }
    }
}

/// Why a pasted verification key could not be used; every variant says where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// Nothing was pasted.
    Empty,
    /// Larger than any key set this page reads ([`crate::token::jwt::MAX_INPUT_BYTES`]).
    TooLarge {
        /// Size in bytes.
        bytes: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The paste is not JSON, PEM, or base64 of either.
    Unrecognised,
    /// The paste looks like JSON but does not parse.
    Json {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// Valid JSON that is neither a JWKS nor a JWK.
    NotJwks,
    /// The OpenID discovery document was pasted instead of the JWKS it points to.
    DiscoveryDocument {
        /// Its `jwks_uri`, if it has one.
        jwks_uri: Option<String>,
    },
    /// A JWKS whose `keys` array is empty or missing.
    EmptyKeySet,
    /// Broken PEM.
    Pem(PemError),
    /// Neither JSON nor PEM, and not base64 either: the line and column that gave it away.
    Base64 {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
    },
    /// A private key: refused, whatever else was pasted with it.
    PrivateKey {
        /// Where: `The PEM block on line 1 (RSA PRIVATE KEY)` or `JWKS key 1 (…)`.
        location: String,
    },
    /// A PEM block that holds no public key, e.g. `CERTIFICATE REQUEST`.
    UnsupportedPemLabel {
        /// Block number, from 1.
        block: usize,
        /// Its label.
        label: String,
    },
    /// A key of a type Kubernetes never signs with: `kty "oct"`, `curve secp256k1`, Ed25519.
    Unsupported {
        /// Which key.
        source: KeySource,
        /// What it is, e.g. `kty "OKP"`.
        what: String,
    },
    /// A key that is the right type but unusable: a JWK member missing or malformed, an EC
    /// point compressed or the wrong size.
    BadKey {
        /// Which key.
        source: KeySource,
        /// What is wrong, naming the member where there is one.
        reason: String,
    },
    /// DER that does not parse as the structure the label promises.
    Der {
        /// Which key.
        source: KeySource,
        /// What was expected: `SubjectPublicKeyInfo`, `RSAPublicKey`, `certificate`.
        expected: &'static str,
        /// Byte offset into the DER where parsing stopped, if the parser knows it.
        offset: Option<u32>,
        /// The DER parser's description.
        message: String,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("No key pasted: paste a JWKS, a JWK, or a PEM public key"),
            Self::TooLarge { bytes, limit } => write!(
                f,
                "The paste is {} KiB; keys are read up to {} KiB. A JWKS is a few KiB: paste \
                 just `kubectl get --raw /openid/v1/jwks` or the public key",
                bytes / 1024,
                limit / 1024
            ),
            Self::Unrecognised => f.write_str(
                "This is not a JWKS, a JWK or a PEM public key; \
                 `kubectl get --raw /openid/v1/jwks` prints the cluster's keys",
            ),
            Self::Json {
                line,
                column,
                message,
            } => {
                write!(
                    f,
                    "The JWKS is not valid JSON: line {line}, column {column}: {message}"
                )
            }
            Self::NotJwks => f.write_str(
                "This JSON is neither a JWKS (`{\"keys\": [...]}`) nor a JWK (no `kty`)",
            ),
            Self::DiscoveryDocument { jwks_uri } => {
                f.write_str("This is the OpenID discovery document, not the keys: ")?;
                match jwks_uri {
                    Some(uri) => write!(f, "fetch its jwks_uri ({uri}) and paste that"),
                    None => f.write_str("paste the output of `kubectl get --raw /openid/v1/jwks`"),
                }
            }
            Self::EmptyKeySet => f.write_str("The JWKS has no keys in its `keys` array"),
            Self::Pem(e) => e.fmt(f),
            Self::Base64 { line, column } => {
                write!(
                    f,
                    "Not a JWKS or PEM, and not base64 either: line {line}, column {column}"
                )
            }
            Self::PrivateKey { location } => write!(
                f,
                "{location} is a PRIVATE key. Only the public key is needed to verify a \
                 token, so remove it. A private key should never be pasted anywhere: consider \
                 this one exposed and rotate it"
            ),
            Self::UnsupportedPemLabel { block, label } => write!(
                f,
                "PEM block {block} is {label}, which holds no public key; paste a PUBLIC KEY, \
                 RSA PUBLIC KEY or CERTIFICATE"
            ),
            Self::Unsupported { source, what } => write!(
                f,
                "{source} has {what}; Kubernetes signs tokens only with RSA keys or EC keys on \
                 P-256, P-384 or P-521"
            ),
            Self::BadKey { source, reason } => write!(f, "{source}: {reason}"),
            Self::Der {
                source,
                expected,
                offset,
                message,
            } => {
                write!(f, "{source} is not a valid {expected}: {message}")?;
                match offset {
                    Some(at) => write!(f, " (at DER byte {at})"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for KeyError {}

/// The key ID kube-apiserver gives a signing key: base64url without padding of SHA-256 over the
/// DER SubjectPublicKeyInfo (`keyIDFromPublicKey` in `pkg/serviceaccount/jwt.go`). Pass the
/// canonical encoding, i.e. [`PublicKey::spki_der`].
pub fn kubernetes_kid(spki_der: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(spki_der))
}

/// Reads every public key in a paste: JWKS, JWK, PEM (several blocks give several keys), or
/// base64 of any of those. Fails only when no key at all could be read, or when the paste
/// holds a private key.
pub fn parse_keys(input: &str) -> Result<KeySet, KeyError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(KeyError::Empty);
    }
    if text.len() > crate::token::jwt::MAX_INPUT_BYTES {
        return Err(KeyError::TooLarge {
            bytes: text.len(),
            limit: crate::token::jwt::MAX_INPUT_BYTES,
        });
    }
    if let Some((line, label)) = pem::find_private_key(text) {
        let location = format!("The PEM block on line {line} ({label})");
        return Err(KeyError::PrivateKey { location });
    }
    let set = if text.starts_with('{') || text.starts_with('[') {
        jwk::parse_json(text)?
    } else if text.contains("-----BEGIN ") {
        parse_pem(text)
    } else {
        let bytes = crate::support::base64_text::read_lenient(text).map_err(|(at, _)| {
            let (line, column) = pem::line_col(text, at);
            KeyError::Base64 { line, column }
        })?;
        match std::str::from_utf8(&bytes) {
            // Base64 of a PEM file or a JWKS, as in a Secret's `data` or a ConfigMap dump.
            Ok(inner) if inner.contains("-----BEGIN ") || inner.trim_start().starts_with('{') => {
                return parse_keys(inner);
            }
            _ if bytes.first() == Some(&0x30) => KeySet::of(key_from_der(KeySource::Der, &bytes)?),
            _ => return Err(KeyError::Unrecognised),
        }
    };
    match set.problems.first() {
        Some(first) if set.keys.is_empty() => Err(first.clone()),
        _ if set.keys.is_empty() => Err(KeyError::Unrecognised),
        _ => Ok(set),
    }
}

fn parse_pem(text: &str) -> KeySet {
    let mut set = KeySet {
        keys: Vec::new(),
        problems: Vec::new(),
    };
    for block in pem_blocks(text) {
        let key = block.map_err(KeyError::Pem).and_then(|block| {
            let source = KeySource::Pem {
                block: block.index,
                label: block.label.clone(),
            };
            match block.label.as_str() {
                "PUBLIC KEY" => key_from_spki(source, &block.der),
                // Some tools label SPKI as RSA PUBLIC KEY; fall back rather than refuse.
                "RSA PUBLIC KEY" => key_from_pkcs1(source.clone(), &block.der)
                    .or_else(|e| key_from_spki(source, &block.der).map_err(|_| e)),
                "CERTIFICATE" | "X509 CERTIFICATE" => key_from_certificate(source, &block.der),
                _ => Err(KeyError::UnsupportedPemLabel {
                    block: block.index,
                    label: block.label,
                }),
            }
        });
        match key {
            Ok(key) => set.keys.push(key),
            Err(e) => set.problems.push(e),
        }
    }
    set
}

/// DER with no label: SubjectPublicKeyInfo, PKCS#1, or a certificate, whichever parses.
fn key_from_der(source: KeySource, der: &[u8]) -> Result<PublicKey, KeyError> {
    key_from_spki(source.clone(), der)
        .or_else(|e| key_from_pkcs1(source.clone(), der).map_err(|_| e))
        .or_else(|e| key_from_certificate(source, der).map_err(|_| e))
}

fn der_error(source: &KeySource, expected: &'static str, e: der::Error) -> KeyError {
    KeyError::Der {
        source: source.clone(),
        expected,
        offset: u32::try_from(e.offset).ok(),
        message: e.kind.to_string(),
    }
}

pub(super) fn bad_key(source: &KeySource, reason: impl Into<String>) -> KeyError {
    KeyError::BadKey {
        source: source.clone(),
        reason: reason.into(),
    }
}

pub(super) fn unsupported(source: &KeySource, what: impl Into<String>) -> KeyError {
    KeyError::Unsupported {
        source: source.clone(),
        what: what.into(),
    }
}

fn key_from_certificate(source: KeySource, der: &[u8]) -> Result<PublicKey, KeyError> {
    let cert =
        crate::crypto::cert::read_fields(der).map_err(|e| der_error(&source, "certificate", e))?;
    key_from_spki(source, cert.spki)
}

fn key_from_pkcs1(source: KeySource, der: &[u8]) -> Result<PublicKey, KeyError> {
    let (n, e) = spki::pkcs1(der).map_err(|e| spki_error(&source, e))?;
    rsa_key(source, n, e)
}

/// The RSA key with modulus `n` and exponent `e`.
pub(super) fn rsa_key(source: KeySource, n: &[u8], e: &[u8]) -> Result<PublicKey, KeyError> {
    let (algorithm, spki_der) = spki::rsa(n, e).map_err(|e| spki_error(&source, e))?;
    Ok(PublicKey::new(source, algorithm, spki_der))
}

fn key_from_spki(source: KeySource, der: &[u8]) -> Result<PublicKey, KeyError> {
    let (algorithm, spki_der) = spki::canonical(der).map_err(|e| spki_error(&source, e))?;
    Ok(PublicKey::new(source, algorithm, spki_der))
}

/// What [`crate::crypto::spki`] could not read, said of the key it was.
fn spki_error(source: &KeySource, e: SpkiError) -> KeyError {
    match e {
        SpkiError::Der { expected, error } => der_error(source, expected, error),
        SpkiError::BadKey(reason) => bad_key(source, reason),
        SpkiError::Unsupported(what) => unsupported(source, what),
    }
}
