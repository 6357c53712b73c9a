//! The plan of one signature check the browser runs: which WebCrypto algorithm, with which
//! parameters, over which bytes, with which key.
//!
//! The core decides everything about a check (the algorithm from a JWS `alg` or a certificate's
//! signature OID, the key, the signature in the shape WebCrypto wants); the shell
//! (`ui/crypto.rs`) only turns [`Algorithm`] into the objects `importKey` and `verify` take.
//! The browser already ships RSA and ECDSA, so no cryptography is compiled into the bundle.

use crate::crypto::der;
use crate::crypto::spki::Curve;

/// A digest WebCrypto names in `hash`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    /// SHA-1, only for certificates signed with it.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// WebCrypto's name: `SHA-256`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }

    /// The digest's length in bytes.
    pub fn output_len(self) -> u32 {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// A WebCrypto signature algorithm with the parameters it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// `RSASSA-PKCS1-v1_5`: JWS `RS*`, certificates' `sha*WithRSAEncryption`.
    RsaPkcs1v15 {
        /// The digest, given when the key is imported.
        hash: Hash,
    },
    /// `RSA-PSS`: JWS `PS*`.
    RsaPss {
        /// The digest, given when the key is imported.
        hash: Hash,
        /// The salt length in bytes: the digest's length (RFC 7518, section 3.5).
        salt_length: u32,
    },
    /// `ECDSA`: JWS `ES*`, certificates' `ecdsa-with-SHA*`.
    Ecdsa {
        /// The digest, given to `verify`.
        hash: Hash,
        /// The key's curve, given when the key is imported.
        curve: Curve,
    },
}

impl Algorithm {
    /// WebCrypto's name: `RSASSA-PKCS1-v1_5`, `RSA-PSS` or `ECDSA`.
    pub fn name(self) -> &'static str {
        match self {
            Self::RsaPkcs1v15 { .. } => "RSASSA-PKCS1-v1_5",
            Self::RsaPss { .. } => "RSA-PSS",
            Self::Ecdsa { .. } => "ECDSA",
        }
    }

    /// The digest.
    pub fn hash(self) -> Hash {
        match self {
            Self::RsaPkcs1v15 { hash } | Self::RsaPss { hash, .. } | Self::Ecdsa { hash, .. } => {
                hash
            }
        }
    }
}

/// One check: `crypto.subtle.importKey("spki", spki_der, …)` and then `verify(…, signature,
/// signing_input)`, with the parameters [`Algorithm`] gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebCryptoVerify {
    /// The algorithm and its parameters.
    pub algorithm: Algorithm,
    /// The key, as DER SubjectPublicKeyInfo.
    pub spki_der: Vec<u8>,
    /// The signature; for ECDSA raw `r‖s`, which is what WebCrypto expects.
    pub signature: Vec<u8>,
    /// The signed bytes: for a JWS, ASCII `header.payload` as it appeared in the token; for a
    /// certificate, its tbsCertificate as pasted.
    pub signing_input: Vec<u8>,
}

/// The kind of key a scheme needs, before the key is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// RSASSA-PKCS1-v1_5 with this digest.
    Pkcs1v15(Hash),
    /// RSA-PSS with this digest.
    Pss(Hash),
    /// ECDSA with this digest, on a key of this curve (JWS ties the curve to `alg`; a
    /// certificate's signature OID does not, so there the issuer's key decides).
    Ecdsa(Hash, Option<Curve>),
}

impl Scheme {
    /// The JWS `alg` values (RFC 7518, section 3.1) that WebCrypto can verify; `None` for any
    /// other, `none` included.
    pub fn for_jws(alg: &str) -> Option<Self> {
        let hash = |bits: &str| match bits {
            "256" => Some(Hash::Sha256),
            "384" => Some(Hash::Sha384),
            "512" => Some(Hash::Sha512),
            _ => None,
        };
        match alg.split_at_checked(2)? {
            ("RS", bits) => hash(bits).map(Self::Pkcs1v15),
            ("PS", bits) => hash(bits).map(Self::Pss),
            ("ES", "256") => Some(Self::Ecdsa(Hash::Sha256, Some(Curve::P256))),
            ("ES", "384") => Some(Self::Ecdsa(Hash::Sha384, Some(Curve::P384))),
            ("ES", "512") => Some(Self::Ecdsa(Hash::Sha512, Some(Curve::P521))),
            _ => None,
        }
    }

    /// The signature algorithms of certificates that WebCrypto can verify, by dotted OID
    /// (RFC 4055 and RFC 5758).
    pub fn for_certificate(signature_oid: &str) -> Option<Self> {
        Some(match signature_oid {
            "1.2.840.113549.1.1.5" => Self::Pkcs1v15(Hash::Sha1),
            "1.2.840.113549.1.1.11" => Self::Pkcs1v15(Hash::Sha256),
            "1.2.840.113549.1.1.12" => Self::Pkcs1v15(Hash::Sha384),
            "1.2.840.113549.1.1.13" => Self::Pkcs1v15(Hash::Sha512),
            "1.2.840.10045.4.1" => Self::Ecdsa(Hash::Sha1, None),
            "1.2.840.10045.4.3.2" => Self::Ecdsa(Hash::Sha256, None),
            "1.2.840.10045.4.3.3" => Self::Ecdsa(Hash::Sha384, None),
            "1.2.840.10045.4.3.4" => Self::Ecdsa(Hash::Sha512, None),
            _ => return None,
        })
    }

    /// Whether a key of this kind (RSA, or EC on `curve`) can have made the signature.
    pub fn fits(self, key: crate::crypto::spki::KeyAlgorithm) -> bool {
        use crate::crypto::spki::KeyAlgorithm;
        match (key, self) {
            (KeyAlgorithm::Rsa { .. }, Self::Pkcs1v15(_) | Self::Pss(_)) => true,
            (KeyAlgorithm::Ec { curve }, Self::Ecdsa(_, wanted)) => {
                wanted.is_none_or(|w| w == curve)
            }
            _ => false,
        }
    }

    /// The WebCrypto algorithm for a key that [`Scheme::fits`]; `None` for one that does not.
    pub fn algorithm(self, key: crate::crypto::spki::KeyAlgorithm) -> Option<Algorithm> {
        use crate::crypto::spki::KeyAlgorithm;
        if !self.fits(key) {
            return None;
        }
        match (self, key) {
            (Self::Pkcs1v15(hash), _) => Some(Algorithm::RsaPkcs1v15 { hash }),
            (Self::Pss(hash), _) => Some(Algorithm::RsaPss {
                hash,
                salt_length: hash.output_len(),
            }),
            (Self::Ecdsa(hash, _), KeyAlgorithm::Ec { curve }) => {
                Some(Algorithm::Ecdsa { hash, curve })
            }
            (Self::Ecdsa(..), KeyAlgorithm::Rsa { .. }) => None,
        }
    }
}

/// Why a signature was not checked: no plan the browser can run for it, or the browser's own
/// refusal. Its `Display` is the reason, as the page says it after "Signature not checked: ".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotChecked {
    /// The signature's algorithm has no WebCrypto counterpart.
    Algorithm {
        /// The algorithm, as `openssl x509` names it.
        algorithm: String,
    },
    /// The issuer's key is not of the kind that makes this signature.
    KeyMismatch {
        /// The issuer's key.
        key: String,
        /// The signature's algorithm.
        signature: String,
    },
    /// The ECDSA signature is not valid DER.
    EcdsaDer(der::Error),
    /// The ECDSA signature's numbers are longer than its curve's.
    EcdsaTooLong {
        /// The curve.
        curve: &'static str,
    },
    /// The issuer of a certificate in a bundle is not in the bundle.
    IssuerMissing {
        /// The certificate's issuer.
        issuer: String,
    },
    /// No CA offered has the certificate's issuer as its subject.
    OtherIssuer {
        /// The certificate's issuer.
        issuer: String,
        /// Where the CAs came from, in words.
        source: String,
        /// The subjects of the CAs offered (a few, then how many more).
        subjects: String,
    },
    /// WebCrypto refused the check: its message.
    Browser(String),
}

impl std::fmt::Display for NotChecked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotChecked::Algorithm { algorithm } => {
                write!(f, "{algorithm} signatures cannot be checked in the browser")
            }
            NotChecked::KeyMismatch { key, signature } => write!(
                f,
                "the issuer's key is {key} but the signature is {signature}, so this issuer did \
                 not sign it"
            ),
            NotChecked::EcdsaDer(e) => write!(f, "the ECDSA signature is not valid DER: {e}"),
            NotChecked::EcdsaTooLong { curve } => {
                write!(f, "the ECDSA signature is too long for {curve}")
            }
            NotChecked::IssuerMissing { issuer } => {
                write!(f, "the issuer {issuer} is not in this paste")
            }
            NotChecked::OtherIssuer {
                issuer,
                source,
                subjects,
            } => write!(
                f,
                "the certificate's issuer is {issuer}, and {source} is {subjects}"
            ),
            NotChecked::Browser(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for NotChecked {}

/// `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279, section 2.2.3), as
/// certificates store ECDSA signatures, to the fixed-width `r‖s` that WebCrypto and JWS use.
pub fn ecdsa_der_to_raw(der: &[u8], curve: Curve) -> Result<Vec<u8>, NotChecked> {
    let size = curve.coordinate_len();
    let parse = || -> Result<(&[u8], &[u8]), der::Error> {
        let mut pair = der::only(der, der::SEQUENCE)?.contents()?;
        let r = pair.required(der::INTEGER)?.unsigned()?;
        let s = pair.required(der::INTEGER)?.unsigned()?;
        pair.finish()?;
        Ok((r, s))
    };
    let (r, s) = parse().map_err(NotChecked::EcdsaDer)?;
    let mut raw = Vec::with_capacity(2 * size);
    for part in [r, s] {
        let pad = size
            .checked_sub(part.len())
            .ok_or(NotChecked::EcdsaTooLong {
                curve: curve.name(),
            })?;
        raw.resize(raw.len() + pad, 0);
        raw.extend_from_slice(part);
    }
    Ok(raw)
}

// Tests may panic: that is how they fail.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::crypto::spki::KeyAlgorithm;

    #[test]
    fn ecdsa_signatures_become_fixed_width() {
        // r = 1 (short), s = 0x80 (needs a sign byte in DER).
        let der = [0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x02, 0x00, 0x80];
        let raw = ecdsa_der_to_raw(&der, Curve::P256).unwrap();
        assert_eq!(raw.len(), 64);
        assert_eq!((raw[31], raw[63]), (0x01, 0x80));
        assert!(raw[..31].iter().chain(&raw[32..63]).all(|&b| b == 0));
        let long = [
            &[0x30, 0x26, 0x02, 0x21, 0x01][..],
            &[0; 32],
            &[0x02, 0x01, 0x01],
        ]
        .concat();
        let err = ecdsa_der_to_raw(&long, Curve::P256)
            .unwrap_err()
            .to_string();
        assert!(err.contains("too long for P-256"), "{err}");
        assert!(ecdsa_der_to_raw(&[0x30], Curve::P256)
            .unwrap_err()
            .to_string()
            .contains("not valid DER"));
    }

    #[test]
    fn schemes_fit_keys_and_give_algorithms() {
        let rsa = KeyAlgorithm::Rsa { bits: 2048 };
        let p256 = KeyAlgorithm::Ec { curve: Curve::P256 };
        let pss = Scheme::for_jws("PS512").unwrap();
        assert_eq!(
            pss.algorithm(rsa),
            Some(Algorithm::RsaPss {
                hash: Hash::Sha512,
                salt_length: 64
            })
        );
        assert_eq!(Scheme::for_jws("ES384").unwrap().algorithm(p256), None);
        let cert = Scheme::for_certificate("1.2.840.10045.4.3.2").unwrap();
        assert_eq!(cert.algorithm(p256).map(Algorithm::name), Some("ECDSA"));
        assert_eq!(cert.algorithm(rsa), None);
        assert_eq!(Scheme::for_jws("none"), None);
        assert_eq!(Scheme::for_jws("HS256"), None);
        assert_eq!(Scheme::for_certificate("1.2.840.113549.1.1.10"), None);
    }
}
