//! SubjectPublicKeyInfo: the curves and key algorithms a cluster signs with, their OIDs, and
//! reading an SPKI into the canonical encoding kube-apiserver derives key IDs from.
//!
//! Both [`crate::crypto::keys`] (the verification key box) and [`crate::crypto::x509`] (a certificate's subject
//! key) read keys here, so neither needs the other. OIDs are written dotted, as RFCs and
//! `openssl` print them, and compared with [`der::Oid`]'s dotted form; the few written into an
//! SPKI are encoded by `oid`. DER is read by [`crate::crypto::der`] rather than the `rsa`/`p256`
//! crates, because the bundle pays for every dependency.

use std::fmt;

use crate::crypto::der::{self, Oid, Tlv};

/// `rsaEncryption` (RFC 8017, appendix A.1).
pub const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
/// `id-ecPublicKey` (RFC 5480, section 2.1.1).
pub const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

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
    const ALL: [Curve; 3] = [Curve::P256, Curve::P384, Curve::P521];

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

    /// The named curve's OID (RFC 5480, section 2.1.1.1).
    pub fn oid(self) -> &'static str {
        match self {
            Self::P256 => "1.2.840.10045.3.1.7",
            Self::P384 => "1.3.132.0.34",
            Self::P521 => "1.3.132.0.35",
        }
    }

    /// The curve of a dotted OID, if Kubernetes signs with it.
    pub fn from_oid(oid: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.oid() == oid)
    }

    /// The curve of a JWK `crv`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
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

/// Why a key could not be read; the caller adds which key it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpkiError {
    /// DER that does not parse as the structure expected.
    Der {
        /// `SubjectPublicKeyInfo` or `RSAPublicKey`.
        expected: &'static str,
        /// What the DER reader says, and where.
        error: der::Error,
    },
    /// The right type of key, but unusable: the reason, in words.
    BadKey(String),
    /// A key of a type Kubernetes never signs with: what it is, e.g. `curve 1.3.132.0.10`.
    Unsupported(String),
}

/// `SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT
/// STRING }` (RFC 5280, section 4.1.2.7), borrowed from its DER.
pub struct Spki<'a> {
    /// The key's algorithm.
    pub algorithm: Oid<'a>,
    /// The algorithm's parameters: for EC, the named curve's OID.
    pub parameters: Option<Tlv<'a>>,
    /// Unused bits at the end of the key's BIT STRING; a key has none.
    pub unused_bits: u8,
    /// The key: PKCS#1 for RSA, the uncompressed point for EC.
    pub key: &'a [u8],
}

/// Reads the SEQUENCE `spki` as a SubjectPublicKeyInfo.
pub fn read<'a>(spki: &Tlv<'a>) -> Result<Spki<'a>, der::Error> {
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

/// Reads a SubjectPublicKeyInfo into its algorithm and the canonical re-encoding Go's
/// `x509.MarshalPKIXPublicKey` would produce, which is what a key ID is computed over.
pub fn canonical(der: &[u8]) -> Result<(KeyAlgorithm, Vec<u8>), SpkiError> {
    let spki = der::only(der, der::SEQUENCE)
        .and_then(|spki| read(&spki))
        .map_err(|error| SpkiError::Der {
            expected: "SubjectPublicKeyInfo",
            error,
        })?;
    if spki.unused_bits != 0 {
        return Err(SpkiError::BadKey(
            "the key's BIT STRING has unused bits".to_string(),
        ));
    }
    let algorithm = spki.algorithm.to_string();
    if algorithm == RSA_ENCRYPTION {
        let (n, e) = pkcs1(spki.key)?;
        rsa(n, e)
    } else if algorithm == EC_PUBLIC_KEY {
        let curve_oid = spki
            .parameters
            .filter(|p| p.tag == der::OID)
            .and_then(|p| p.oid().ok())
            .map(|oid| oid.to_string());
        let curve = curve_oid
            .as_deref()
            .and_then(Curve::from_oid)
            .ok_or_else(|| {
                let name = curve_oid.unwrap_or_else(|| "no named curve".to_string());
                SpkiError::Unsupported(format!("curve {name}"))
            })?;
        check_ec_point(curve, spki.key)?;
        Ok((KeyAlgorithm::Ec { curve }, ec(curve, spki.key)))
    } else {
        Err(SpkiError::Unsupported(format!("key algorithm {algorithm}")))
    }
}

/// Reads PKCS#1 `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`
/// (RFC 8017, appendix A.1.1) into the big-endian magnitudes of `n` and `e`.
pub fn pkcs1(der: &[u8]) -> Result<(&[u8], &[u8]), SpkiError> {
    let read = || {
        let mut key = der::only(der, der::SEQUENCE)?.contents()?;
        let n = key.required(der::INTEGER)?.unsigned()?;
        let e = key.required(der::INTEGER)?.unsigned()?;
        key.finish()?;
        Ok((n, e))
    };
    read().map_err(|error| SpkiError::Der {
        expected: "RSAPublicKey",
        error,
    })
}

fn check_ec_point(curve: Curve, point: &[u8]) -> Result<(), SpkiError> {
    let want = 1 + 2 * curve.coordinate_len();
    match point.first() {
        Some(4) if point.len() == want => Ok(()),
        Some(2 | 3) => Err(SpkiError::BadKey(
            "the EC point is compressed; export the key uncompressed \
             (openssl ec -pubin -conv_form uncompressed)"
                .to_string(),
        )),
        _ => Err(SpkiError::BadKey(format!(
            "a {} public point is {want} bytes starting with 04; this one is {} bytes",
            curve.name(),
            point.len()
        ))),
    }
}

/// The canonical SPKI of the RSA key with modulus `n` and exponent `e` (big-endian
/// magnitudes, leading zeros allowed), and its size.
pub fn rsa(n: &[u8], e: &[u8]) -> Result<(KeyAlgorithm, Vec<u8>), SpkiError> {
    let (n, e) = (strip_zeros(n), strip_zeros(e));
    let (Some(&top), false) = (n.first(), e.is_empty()) else {
        return Err(SpkiError::BadKey(
            "the RSA modulus or exponent is zero".to_string(),
        ));
    };
    let bits = (n.len() - 1) * 8 + (8 - top.leading_zeros() as usize);
    let pkcs1 = tlv(der::SEQUENCE, &[uint(n), uint(e)].concat());
    let algorithm_id = tlv(
        der::SEQUENCE,
        &[oid(RSA_ENCRYPTION), vec![0x05, 0x00]].concat(),
    );
    let spki = tlv(der::SEQUENCE, &[algorithm_id, bit_string(&pkcs1)].concat());
    Ok((KeyAlgorithm::Rsa { bits }, spki))
}

/// The canonical SPKI of the EC key at the uncompressed `point` on `curve`.
pub fn ec(curve: Curve, point: &[u8]) -> Vec<u8> {
    let algorithm_id = tlv(
        der::SEQUENCE,
        &[oid(EC_PUBLIC_KEY), oid(curve.oid())].concat(),
    );
    tlv(der::SEQUENCE, &[algorithm_id, bit_string(point)].concat())
}

/// An algorithm's name as OpenSSL prints it (its `OBJ_nid2ln`/`sn` tables), for the key and
/// signature algorithms a cluster CA plausibly uses.
pub fn algorithm_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        RSA_ENCRYPTION => "rsaEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        EC_PUBLIC_KEY => "id-ecPublicKey",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.2.840.10040.4.3" => "dsa_with_SHA1",
        "1.3.101.112" => "ED25519",
        "1.3.101.113" => "ED448",
        _ => return None,
    })
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or(&[])
}

// A few lines of DER writing instead of derive machinery: only an SPKI is ever written.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
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

fn uint(magnitude: &[u8]) -> Vec<u8> {
    let magnitude = strip_zeros(magnitude);
    let sign = magnitude.first().is_none_or(|&b| b >= 0x80);
    tlv(
        der::INTEGER,
        &[if sign { &[0u8][..] } else { &[] }, magnitude].concat(),
    )
}

/// A dotted OID as DER (X.690, section 8.19): the first two arcs packed into one
/// subidentifier, each in base 128 with the high bit on all but its last byte.
fn oid(dotted: &str) -> Vec<u8> {
    // Only this module's constants are encoded, so every arc is decimal digits.
    let mut arcs = dotted.split('.').map(|arc| {
        arc.bytes()
            .fold(0u64, |n, d| n * 10 + u64::from(d.wrapping_sub(b'0')))
    });
    let first = arcs.next().unwrap_or(0) * 40 + arcs.next().unwrap_or(0);
    let mut body = Vec::new();
    for arc in std::iter::once(first).chain(arcs) {
        let groups = (u64::BITS - arc.leading_zeros()).div_ceil(7).max(1);
        for group in (0..groups).rev() {
            let more = if group > 0 { 0x80 } else { 0 };
            body.push((arc >> (7 * group)) as u8 & 0x7f | more);
        }
    }
    tlv(der::OID, &body)
}

fn bit_string(bytes: &[u8]) -> Vec<u8> {
    tlv(der::BIT_STRING, &[&[0u8][..], bytes].concat())
}

// Tests may panic: that is how they fail.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn oids_encode_to_what_they_read_back_as() {
        for dotted in [
            RSA_ENCRYPTION,
            EC_PUBLIC_KEY,
            Curve::P256.oid(),
            Curve::P384.oid(),
            Curve::P521.oid(),
        ] {
            let encoded = oid(dotted);
            let read = der::only(&encoded, der::OID).unwrap().oid().unwrap();
            assert_eq!(read.to_string(), dotted);
        }
        assert_eq!(
            oid(RSA_ENCRYPTION),
            [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]
        );
        for curve in Curve::ALL {
            assert_eq!(Curve::from_oid(curve.oid()), Some(curve));
            assert_eq!(Curve::from_name(curve.name()), Some(curve));
        }
    }
}
