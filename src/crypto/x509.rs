//! CA certificates: what people paste into the **CA certificate** box, summarised as rows and
//! findings a page can render as they are, and prepared for the browser to check each link of
//! the chain with WebCrypto.
//!
//! A cluster hands its CA out in several shapes: `ca.crt` as PEM (one certificate or a
//! bundle), kubeconfig's `certificate-authority-data` and a Secret's `data["ca.crt"]` as base64
//! of that PEM, or base64 of bare DER. All of them end up as DER, read by [`crate::crypto::der`].
//!
//! Values are written the way `openssl x509` writes them (RFC 2253 names, colon-separated
//! upper-case serials and fingerprints, `sha256WithRSAEncryption`), so that what this page shows
//! can be checked against the command people already trust; `tests/it/x509.rs` does exactly that.
//! Time comes in as `now`, so findings such as **Expired** are exact in tests.
//!
//! This file reads the paste; `certificate` turns one certificate's DER (read by
//! [`crate::crypto::cert`]) into values, `names` writes names and identifiers as OpenSSL does, `report`
//! gives the rows and findings, and `chain` links certificates to their issuers.

use std::fmt;

use crate::crypto::der;
use crate::crypto::pem::{self, B64Error, PemError};

mod certificate;
mod chain;
mod names;
mod report;

pub use certificate::{Certificate, Constraints};
pub use chain::{chain, prepare_signature_check, signature_status, ChainLink, KeyIdCheck};
pub use report::{summarise, BundleReport, CertFinding, CertReport, FindingKind, Row};

/// Why a paste yielded no certificate, or why part of it was skipped; every variant says where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertError {
    /// Nothing was pasted.
    Empty,
    /// Larger than any bundle this page reads ([`crate::token::jwt::MAX_INPUT_BYTES`]).
    TooLarge {
        /// Size in bytes.
        bytes: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// Broken PEM (cut off, bad base64, mismatched END).
    Pem(PemError),
    /// Neither PEM nor base64: the first character that is not base64.
    Base64 {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// The character.
        found: char,
    },
    /// Base64 that stops part-way through a byte.
    TruncatedBase64 {
        /// Line where it ends, from 1.
        line: usize,
    },
    /// A private key: the whole paste is refused.
    PrivateKey {
        /// Where: `The PEM block on line 1 (RSA PRIVATE KEY)`.
        location: String,
    },
    /// A PEM block that is not a certificate, e.g. a `PUBLIC KEY`.
    NotACertificate {
        /// Block number, from 1.
        block: usize,
        /// Its label.
        label: String,
    },
    /// Base64 that decodes to something that is neither PEM nor DER.
    NotCertificateData {
        /// What it decodes to, e.g. `6 bytes of text "CADATA"`.
        decoded: String,
    },
    /// DER that does not parse as an X.509 certificate.
    Der {
        /// Which certificate: `PEM block 2` or `DER certificate 1`.
        source: String,
        /// Byte offset into that DER where parsing stopped, if known.
        offset: Option<u32>,
        /// The DER parser's description.
        message: String,
    },
}

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str(
                "No certificate pasted: paste ca.crt, or certificate-authority-data from a \
                 kubeconfig",
            ),
            Self::TooLarge { bytes, limit } => write!(
                f,
                "The paste is {} KiB; certificates are read up to {} KiB. A CA bundle is a few \
                 KiB: paste just ca.crt",
                bytes / 1024,
                limit / 1024
            ),
            Self::Pem(e) => e.fmt(f),
            Self::Base64 {
                line,
                column,
                found,
            } => write!(
                f,
                "This is neither PEM (no -----BEGIN CERTIFICATE----- line) nor base64: {found:?} \
                 on line {line}, column {column}"
            ),
            Self::TruncatedBase64 { line } => write!(
                f,
                "The base64 ends part-way through a byte on line {line}: a character or a line \
                 was lost when copying"
            ),
            Self::PrivateKey { location } => write!(
                f,
                "{location} is a PRIVATE key, not a certificate. Remove it: the CA certificate \
                 is public, the key is not. A private key should never be pasted anywhere: \
                 consider this one exposed and rotate it"
            ),
            Self::NotACertificate { block, label } if label.contains("PUBLIC KEY") => write!(
                f,
                "PEM block {block} is a {label}, not a certificate; paste it into Verification \
                 key instead"
            ),
            Self::NotACertificate { block, label } => {
                write!(
                    f,
                    "PEM block {block} is {label}, not a CERTIFICATE; skipped"
                )
            }
            Self::NotCertificateData { decoded } => write!(
                f,
                "The base64 decodes to {decoded}, which is not a certificate (neither PEM nor \
                 DER)"
            ),
            Self::Der {
                source,
                offset,
                message,
            } => {
                write!(f, "{source} is not a valid X.509 certificate: {message}")?;
                match offset {
                    Some(at) => write!(f, " (at DER byte {at})"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for CertError {}

/// The certificates read from a paste, and what was skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bundle {
    /// Certificates in paste order.
    pub certs: Vec<Certificate>,
    /// Blocks that were skipped, each saying why.
    pub problems: Vec<CertError>,
}

impl Bundle {
    fn push(&mut self, cert: Result<Certificate, CertError>) {
        match cert {
            Ok(cert) => self.certs.push(cert),
            Err(e) => self.problems.push(e),
        }
    }
}

/// Reads every certificate in a paste: PEM (one or more CERTIFICATE blocks), base64 of PEM
/// (kubeconfig `certificate-authority-data`), or base64 of DER. Fails when no certificate at
/// all could be read, or when the paste holds a private key.
pub fn parse_bundle(input: &str) -> Result<Bundle, CertError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(CertError::Empty);
    }
    if text.len() > crate::token::jwt::MAX_INPUT_BYTES {
        return Err(CertError::TooLarge {
            bytes: text.len(),
            limit: crate::token::jwt::MAX_INPUT_BYTES,
        });
    }
    refuse_private_key(text, "")?;
    let bundle = if text.contains("-----BEGIN ") {
        from_pem(text)
    } else {
        let bytes = crate::support::base64_text::read_lenient(text).map_err(|(at, e)| {
            let (line, column) = pem::line_col(text, at);
            match e {
                B64Error::InvalidCharacter { character, .. } => CertError::Base64 {
                    line,
                    column,
                    found: character,
                },
                B64Error::InvalidLength { .. } => CertError::TruncatedBase64 { line },
            }
        })?;
        match std::str::from_utf8(&bytes) {
            Ok(inner) if inner.contains("-----BEGIN ") => {
                refuse_private_key(inner, " in the base64-decoded text")?;
                from_pem(inner)
            }
            _ if bytes.first() == Some(&0x30) => from_der_sequence(&bytes),
            Ok(inner) => {
                let shown: String = inner.chars().take(40).collect();
                let decoded = format!("{} bytes of text {shown:?}", bytes.len());
                return Err(CertError::NotCertificateData { decoded });
            }
            Err(_) => {
                let decoded = format!("{} bytes of binary data", bytes.len());
                return Err(CertError::NotCertificateData { decoded });
            }
        }
    };
    match bundle.problems.first() {
        Some(first) if bundle.certs.is_empty() => Err(first.clone()),
        _ => Ok(bundle),
    }
}

fn refuse_private_key(text: &str, place: &str) -> Result<(), CertError> {
    match pem::find_private_key(text) {
        Some((line, label)) => Err(CertError::PrivateKey {
            location: format!("The PEM block on line {line}{place} ({label})"),
        }),
        None => Ok(()),
    }
}

fn from_pem(text: &str) -> Bundle {
    let mut bundle = Bundle::default();
    for block in pem::pem_blocks(text) {
        bundle.push(
            block
                .map_err(CertError::Pem)
                .and_then(|block| match block.label.as_str() {
                    "CERTIFICATE" | "X509 CERTIFICATE" => {
                        certificate::read(format!("PEM block {}", block.index), &block.der)
                    }
                    _ => Err(CertError::NotACertificate {
                        block: block.index,
                        label: block.label,
                    }),
                }),
        );
    }
    bundle
}

/// One or more DER certificates back to back.
fn from_der_sequence(bytes: &[u8]) -> Bundle {
    let mut bundle = Bundle::default();
    let mut reader = der::Reader::new(bytes);
    let mut index = 0;
    while !reader.is_empty() {
        index += 1;
        let source = format!("DER certificate {index}");
        match reader.read() {
            Ok(tlv) => bundle.push(certificate::read(source, tlv.raw)),
            Err(e) => {
                bundle.push(Err(der_error(&source, e)));
                break;
            }
        }
    }
    bundle
}

pub(crate) fn der_error(source: &str, e: der::Error) -> CertError {
    CertError::Der {
        source: source.to_string(),
        offset: u32::try_from(e.offset).ok(),
        message: e.kind.to_string(),
    }
}
