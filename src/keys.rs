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
//! (algorithm, curve, signature length) and hands plain bytes and names to the shell, which calls
//! WebCrypto and reports back. DER is read by [`crate::der`] (no `rsa`/`p256` crates) because the
//! bundle pays for every dependency. The PEM reader here is shared with [`crate::x509`].

use std::fmt;

use base64::Engine as _;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::der::{self, Oid, Tlv};

// OIDs as the contents of their DER encoding: compared with what is read, and written into the
// SubjectPublicKeyInfo built for a key. The unit tests check each against its dotted form.
/// `rsaEncryption`, 1.2.840.113549.1.1.1 (RFC 8017, appendix A.1).
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// `id-ecPublicKey`, 1.2.840.10045.2.1 (RFC 5480, section 2.1.1).
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// `secp256r1`, 1.2.840.10045.3.1.7 (RFC 5480, section 2.1.1.1).
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// `secp384r1`, 1.3.132.0.34.
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// `secp521r1`, 1.3.132.0.35.
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];

mod pem;

#[doc(hidden)]
pub use pem::pem_work;
pub(crate) use pem::{decode_base64_text, find_private_key, line_col, Base64Problem};
pub use pem::{pem_blocks, PemBlock, PemError, PemProblem};

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

/// An elliptic curve that Kubernetes can sign service-account tokens with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// NIST P-256 (secp256r1), used with ES256.
    P256,
    /// NIST P-384 (secp384r1), used with ES384.
    P384,
    /// NIST P-521 (secp521r1), used with ES512.
    P521,
}

impl Curve {
    /// The name WebCrypto and JWK use: `P-256`, `P-384`, `P-521`.
    pub fn name(self) -> &'static str {
        match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
        }
    }

    /// Bytes in one coordinate, and in each of `r` and `s` of a signature.
    pub fn coordinate_len(self) -> usize {
        match self {
            Self::P256 => 32,
            Self::P384 => 48,
            Self::P521 => 66,
        }
    }

    /// The JWS algorithm that signs with this curve.
    pub fn jws_alg(self) -> &'static str {
        match self {
            Self::P256 => "ES256",
            Self::P384 => "ES384",
            Self::P521 => "ES512",
        }
    }

    fn oid(self) -> &'static [u8] {
        match self {
            Self::P256 => OID_P256,
            Self::P384 => OID_P384,
            Self::P521 => OID_P521,
        }
    }

    fn from_oid(oid: &[u8]) -> Option<Self> {
        [Self::P256, Self::P384, Self::P521]
            .into_iter()
            .find(|c| c.oid() == oid)
    }

    fn from_name(name: &str) -> Option<Self> {
        [Self::P256, Self::P384, Self::P521]
            .into_iter()
            .find(|c| c.name() == name)
    }
}

/// What kind of public key it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// RSA, with the modulus size in bits.
    Rsa {
        /// Modulus size in bits, e.g. 2048.
        bits: usize,
    },
    /// ECDSA on a named curve.
    Ec {
        /// The curve.
        curve: Curve,
    },
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rsa { bits } => write!(f, "RSA {bits}-bit"),
            Self::Ec { curve } => write!(f, "EC {}", curve.name()),
        }
    }
}

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
    fn new(source: KeySource, algorithm: KeyAlgorithm, spki_der: Vec<u8>) -> Self {
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
    fn of(key: PublicKey) -> Self {
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
    /// Larger than any key set this page reads ([`crate::jwt::MAX_INPUT_BYTES`]).
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
    if text.len() > crate::jwt::MAX_INPUT_BYTES {
        return Err(KeyError::TooLarge {
            bytes: text.len(),
            limit: crate::jwt::MAX_INPUT_BYTES,
        });
    }
    if let Some((line, label)) = find_private_key(text) {
        let location = format!("The PEM block on line {line} ({label})");
        return Err(KeyError::PrivateKey { location });
    }
    let set = if text.starts_with('{') || text.starts_with('[') {
        parse_json(text)?
    } else if text.contains("-----BEGIN ") {
        parse_pem(text)
    } else {
        let bytes = decode_base64_text(text).map_err(|p| {
            let (line, column) = line_col(text, p.offset());
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

fn bad_key(source: &KeySource, reason: impl Into<String>) -> KeyError {
    KeyError::BadKey {
        source: source.clone(),
        reason: reason.into(),
    }
}

fn unsupported(source: &KeySource, what: impl Into<String>) -> KeyError {
    KeyError::Unsupported {
        source: source.clone(),
        what: what.into(),
    }
}

fn key_from_certificate(source: KeySource, der: &[u8]) -> Result<PublicKey, KeyError> {
    let cert = crate::x509::read_fields(der).map_err(|e| der_error(&source, "certificate", e))?;
    key_from_spki(source, cert.spki)
}

fn key_from_pkcs1(source: KeySource, der: &[u8]) -> Result<PublicKey, KeyError> {
    let (n, e) = parse_pkcs1(der).map_err(|e| der_error(&source, "RSAPublicKey", e))?;
    rsa_key(source, n, e)
}

/// Reads PKCS#1 `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`
/// (RFC 8017, appendix A.1.1) into the big-endian magnitudes of `n` and `e`.
fn parse_pkcs1(der: &[u8]) -> Result<(&[u8], &[u8]), der::Error> {
    let mut key = der::only(der, der::SEQUENCE)?.contents()?;
    let n = key.required(der::INTEGER)?.unsigned()?;
    let e = key.required(der::INTEGER)?.unsigned()?;
    key.finish()?;
    Ok((n, e))
}

/// `SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT
/// STRING }` (RFC 5280, section 4.1.2.7), read from the SEQUENCE `spki`.
pub(crate) struct Spki<'a> {
    /// The key's algorithm.
    pub(crate) algorithm: Oid<'a>,
    /// The algorithm's parameters: for EC, the named curve's OID.
    parameters: Option<Tlv<'a>>,
    /// Unused bits at the end of the key's BIT STRING; a key has none.
    unused_bits: u8,
    /// The key: PKCS#1 for RSA, the uncompressed point for EC.
    key: &'a [u8],
}

pub(crate) fn read_spki<'a>(spki: &Tlv<'a>) -> Result<Spki<'a>, der::Error> {
    let mut fields = spki.contents()?;
    let (algorithm, parameters) = der::algorithm(&mut fields)?;
    let (unused_bits, key) = fields.required(der::BIT_STRING)?.bit_string()?;
    fields.finish()?;
    Ok(Spki {
        algorithm,
        parameters,
        unused_bits,
        key,
    })
}

/// Parses a SubjectPublicKeyInfo into its algorithm and the canonical re-encoding Go would
/// produce, which is what the key ID must be computed over.
pub(crate) fn parse_spki(
    source: &KeySource,
    der: &[u8],
) -> Result<(KeyAlgorithm, Vec<u8>), KeyError> {
    let spki = der::only(der, der::SEQUENCE)
        .and_then(|spki| read_spki(&spki))
        .map_err(|e| der_error(source, "SubjectPublicKeyInfo", e))?;
    if spki.unused_bits != 0 {
        return Err(bad_key(source, "the key's BIT STRING has unused bits"));
    }
    let algorithm = spki.algorithm.as_bytes();
    if algorithm == OID_RSA {
        let (n, e) = parse_pkcs1(spki.key).map_err(|e| der_error(source, "RSAPublicKey", e))?;
        let key = rsa_key(source.clone(), n, e)?;
        Ok((key.algorithm, key.spki_der))
    } else if algorithm == OID_EC {
        let curve_oid = spki
            .parameters
            .filter(|p| p.tag == der::OID)
            .and_then(|p| p.oid().ok());
        let curve = curve_oid
            .and_then(|oid| Curve::from_oid(oid.as_bytes()))
            .ok_or_else(|| {
                let name =
                    curve_oid.map_or_else(|| "no named curve".to_string(), |o| o.to_string());
                unsupported(source, format!("curve {name}"))
            })?;
        check_ec_point(source, curve, spki.key)?;
        Ok((KeyAlgorithm::Ec { curve }, ec_spki(curve, spki.key)))
    } else {
        Err(unsupported(
            source,
            format!("key algorithm {}", spki.algorithm),
        ))
    }
}

fn key_from_spki(source: KeySource, der: &[u8]) -> Result<PublicKey, KeyError> {
    let (algorithm, spki_der) = parse_spki(&source, der)?;
    Ok(PublicKey::new(source, algorithm, spki_der))
}

fn check_ec_point(source: &KeySource, curve: Curve, point: &[u8]) -> Result<(), KeyError> {
    let want = 1 + 2 * curve.coordinate_len();
    match point.first() {
        Some(4) if point.len() == want => Ok(()),
        Some(2 | 3) => Err(bad_key(
            source,
            "the EC point is compressed; export the key uncompressed \
             (openssl ec -pubin -conv_form uncompressed)",
        )),
        _ => Err(bad_key(
            source,
            format!(
                "a {} public point is {want} bytes starting with 04; this one is {} bytes",
                curve.name(),
                point.len()
            ),
        )),
    }
}

fn rsa_key(source: KeySource, n: &[u8], e: &[u8]) -> Result<PublicKey, KeyError> {
    let (n, e) = (strip_zeros(n), strip_zeros(e));
    let (Some(&top), false) = (n.first(), e.is_empty()) else {
        return Err(bad_key(&source, "the RSA modulus or exponent is zero"));
    };
    let bits = (n.len() - 1) * 8 + (8 - top.leading_zeros() as usize);
    let pkcs1 = der_tlv(0x30, &[der_uint(n), der_uint(e)].concat());
    let algorithm_id = der_tlv(0x30, &[der_oid(OID_RSA), vec![0x05, 0x00]].concat());
    let spki_der = der_tlv(0x30, &[algorithm_id, der_bit_string(&pkcs1)].concat());
    Ok(PublicKey::new(source, KeyAlgorithm::Rsa { bits }, spki_der))
}

fn ec_spki(curve: Curve, point: &[u8]) -> Vec<u8> {
    let algorithm_id = der_tlv(0x30, &[der_oid(OID_EC), der_oid(curve.oid())].concat());
    der_tlv(0x30, &[algorithm_id, der_bit_string(point)].concat())
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or(&[])
}

// A few lines of DER writing instead of derive machinery: only three shapes are ever written.
fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    if let Ok(short @ 0..=0x7f) = u8::try_from(len) {
        out.push(short);
    } else {
        let be = len.to_be_bytes();
        let significant = strip_zeros(&be);
        out.push(0x80 | u8::try_from(significant.len()).unwrap_or(0));
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

fn der_uint(magnitude: &[u8]) -> Vec<u8> {
    let magnitude = strip_zeros(magnitude);
    let sign = magnitude.first().is_none_or(|&b| b >= 0x80);
    der_tlv(
        0x02,
        &[if sign { &[0u8][..] } else { &[] }, magnitude].concat(),
    )
}

fn der_oid(oid: &[u8]) -> Vec<u8> {
    der_tlv(der::OID, oid)
}

fn der_bit_string(bytes: &[u8]) -> Vec<u8> {
    der_tlv(0x03, &[&[0u8][..], bytes].concat())
}

// ---------------------------------------------------------------------------------------------
// JWKS / JWK
// ---------------------------------------------------------------------------------------------

fn parse_json(text: &str) -> Result<KeySet, KeyError> {
    let value: Value = serde_json::from_str(text).map_err(|e| KeyError::Json {
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string(),
    })?;
    let Some(object) = value.as_object() else {
        return Err(KeyError::NotJwks);
    };
    if let Some(keys) = object.get("keys") {
        let entries = keys
            .as_array()
            .filter(|a| !a.is_empty())
            .ok_or(KeyError::EmptyKeySet)?;
        let mut set = KeySet {
            keys: Vec::new(),
            problems: Vec::new(),
        };
        for (i, jwk) in entries.iter().enumerate() {
            match parse_jwk(KeySource::Jwks { index: i + 1 }, jwk) {
                Ok(key) => set.keys.push(key),
                Err(e @ KeyError::PrivateKey { .. }) => return Err(e),
                Err(e) => set.problems.push(e),
            }
        }
        Ok(set)
    } else if object.contains_key("kty") {
        Ok(KeySet::of(parse_jwk(KeySource::Jwk, &value)?))
    } else if object.contains_key("jwks_uri") || object.contains_key("issuer") {
        let jwks_uri = object
            .get("jwks_uri")
            .and_then(Value::as_str)
            .map(str::to_string);
        Err(KeyError::DiscoveryDocument { jwks_uri })
    } else {
        Err(KeyError::NotJwks)
    }
}

/// One JWK (RFC 7517; members from RFC 7518 section 6): RSA `n`/`e` or EC `crv`/`x`/`y`.
fn parse_jwk(source: KeySource, jwk: &Value) -> Result<PublicKey, KeyError> {
    let text = |name: &str| jwk.get(name).and_then(Value::as_str);
    let member = |name: &str| -> Result<Vec<u8>, KeyError> {
        let Some(value) = text(name) else {
            return Err(bad_key(
                &source,
                format!("member {name:?} is missing or not a string"),
            ));
        };
        decode_base64_text(value).map_err(|p| {
            let reason = match p {
                Base64Problem::BadChar(at, c) => format!("{c:?} at character {}", at + 1),
                Base64Problem::Truncated(_) => "it is cut short".to_string(),
            };
            bad_key(
                &source,
                format!("member {name:?} is not base64url: {reason}"),
            )
        })
    };
    if jwk.get("d").is_some() {
        let location = format!("{source} (it has the private member \"d\")");
        return Err(KeyError::PrivateKey { location });
    }
    let mut key = match text("kty").unwrap_or("") {
        "RSA" => rsa_key(source.clone(), &member("n")?, &member("e")?)?,
        "EC" => {
            let crv = text("crv").unwrap_or("(none)");
            let curve = Curve::from_name(crv)
                .ok_or_else(|| unsupported(&source, format!("curve {crv:?}")))?;
            let (x, y) = (member("x")?, member("y")?);
            for (name, coordinate) in [("x", &x), ("y", &y)] {
                if coordinate.len() != curve.coordinate_len() {
                    let (len, want) = (coordinate.len(), curve.coordinate_len());
                    let reason = format!(
                        "member {name:?} is {len} bytes; a {} coordinate is {want} bytes",
                        curve.name()
                    );
                    return Err(bad_key(&source, reason));
                }
            }
            let spki_der = ec_spki(curve, &[&[4u8][..], &x, &y].concat());
            PublicKey::new(source, KeyAlgorithm::Ec { curve }, spki_der)
        }
        other => return Err(unsupported(&source, format!("kty {other:?}"))),
    };
    key.jwk_kid = text("kid").map(str::to_string);
    key.jwk_alg = text("alg").map(str::to_string);
    Ok(key)
}

// ---------------------------------------------------------------------------------------------
// Choosing a key and preparing WebCrypto
// ---------------------------------------------------------------------------------------------

/// The verdict the UI shows about a token's signature. `Display` starts with exactly one of
/// `Verified`, `Invalid signature`, `No matching key`, `Unsupported algorithm`, `Unsigned`,
/// `Key does not fit`. The core decides all but the first two before any cryptography; the
/// shell reports WebCrypto's answers through [`conclude`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyStatus {
    /// WebCrypto accepted the signature with this key.
    Verified {
        /// The key, as [`KeySource`] prints it.
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    Pkcs1v15,
    Pss,
    Ecdsa(Curve),
}

/// The JWS `alg` values (RFC 7518, section 3.1) that WebCrypto can verify, with their hash.
fn scheme(alg: &str) -> Result<(Scheme, &'static str, u32), VerifyStatus> {
    let hash = |bits: &str| match bits {
        "256" => Some(("SHA-256", 32)),
        "384" => Some(("SHA-384", 48)),
        "512" => Some(("SHA-512", 64)),
        _ => None,
    };
    let found = match alg.split_at_checked(2) {
        _ if alg == "none" => return Err(VerifyStatus::Unsigned),
        Some(("RS", bits)) => hash(bits).map(|(h, n)| (Scheme::Pkcs1v15, h, n)),
        Some(("PS", bits)) => hash(bits).map(|(h, n)| (Scheme::Pss, h, n)),
        Some(("ES", "256")) => Some((Scheme::Ecdsa(Curve::P256), "SHA-256", 32)),
        Some(("ES", "384")) => Some((Scheme::Ecdsa(Curve::P384), "SHA-384", 48)),
        Some(("ES", "512")) => Some((Scheme::Ecdsa(Curve::P521), "SHA-512", 64)),
        _ => None,
    };
    found.ok_or_else(|| VerifyStatus::UnsupportedAlgorithm {
        alg: alg.to_string(),
    })
}

fn fits(key: &PublicKey, scheme: Scheme) -> bool {
    match (key.algorithm, scheme) {
        (KeyAlgorithm::Rsa { .. }, Scheme::Pkcs1v15 | Scheme::Pss) => true,
        (KeyAlgorithm::Ec { curve }, Scheme::Ecdsa(wanted)) => curve == wanted,
        _ => false,
    }
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

/// Picks the keys to verify a token with, from its header's `kid` and `alg`.
///
/// A non-empty `kid` that matches a key's JWKS `kid` or Kubernetes key ID selects that key.
/// A `kid` that matches nothing in a JWKS is `No matching key`. Without a usable `kid` (legacy
/// tokens carry `"kid":""`), or when the keys came from PEM, every key that fits `alg` is tried.
pub fn choose_key(keys: &[PublicKey], token_kid: Option<&str>, alg: &str) -> KeyChoice {
    let scheme = match scheme(alg) {
        Ok((scheme, _, _)) => scheme,
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

/// What the shell passes to `crypto.subtle.importKey("spki", spki_der, {name:
/// import_algorithm, hash, namedCurve})` and then `verify({name: import_algorithm, hash,
/// saltLength}, key, signature, signing_input)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebCryptoVerify {
    /// `RSASSA-PKCS1-v1_5`, `RSA-PSS` or `ECDSA`.
    pub import_algorithm: String,
    /// `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512`.
    pub hash: String,
    /// For ECDSA: `P-256`, `P-384` or `P-521`.
    pub named_curve: Option<String>,
    /// For RSA-PSS: the salt length in bytes (the hash length, per RFC 7518 section 3.5).
    pub salt_length: Option<u32>,
    /// The key, as DER SubjectPublicKeyInfo.
    pub spki_der: Vec<u8>,
    /// The signature; for ECDSA raw `r‖s`, which is what WebCrypto expects.
    pub signature: Vec<u8>,
    /// The signed bytes: for a JWS, ASCII `header.payload` as it appeared in the token.
    pub signing_input: Vec<u8>,
}

/// Prepares WebCrypto's inputs for checking a JWS signature with `key`, or says why it cannot
/// verify without trying: wrong algorithm, wrong key type, or a signature of the wrong length.
pub fn prepare_verify(
    key: &PublicKey,
    alg: &str,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<WebCryptoVerify, VerifyStatus> {
    let (scheme, hash, hash_len) = scheme(alg)?;
    if !fits(key, scheme) {
        return Err(does_not_fit(alg, &[key]));
    }
    let (import_algorithm, named_curve, salt_length) = match scheme {
        Scheme::Pkcs1v15 => ("RSASSA-PKCS1-v1_5", None, None),
        Scheme::Pss => ("RSA-PSS", None, Some(hash_len)),
        Scheme::Ecdsa(curve) => ("ECDSA", Some(curve.name().to_string()), None),
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
        import_algorithm: import_algorithm.to_string(),
        hash: hash.to_string(),
        named_curve,
        salt_length,
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
pub fn plan(keys: &[PublicKey], jwt: &crate::jwt::RawJwt) -> Plan {
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

// Tests may panic: that is how they fail.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn oid_constants_are_the_oids_their_docs_name() {
        let dotted = |contents: &[u8]| {
            let encoded = der_oid(contents);
            let tlv = der::only(&encoded, der::OID).unwrap();
            tlv.oid().unwrap().to_string()
        };
        assert_eq!(dotted(OID_RSA), "1.2.840.113549.1.1.1");
        assert_eq!(dotted(OID_EC), "1.2.840.10045.2.1");
        assert_eq!(dotted(OID_P256), "1.2.840.10045.3.1.7");
        assert_eq!(dotted(OID_P384), "1.3.132.0.34");
        assert_eq!(dotted(OID_P521), "1.3.132.0.35");
        for curve in [Curve::P256, Curve::P384, Curve::P521] {
            assert_eq!(Curve::from_oid(curve.oid()), Some(curve));
        }
    }
}
