//! One certificate read into the values a person compares with `openssl x509 -text`: names,
//! validity, key, extensions (those clients refuse when critical included), fingerprints.

use std::fmt;

use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::names::{colon_hex, general_names, general_subtrees, rfc4514, serial_hex};
use super::{der_error, CertError};
use crate::crypto::cert::{self, serial_number};
use crate::crypto::der::{self, ErrorKind, Oid, Tlv};
use crate::crypto::spki::{self, KeyAlgorithm};
use crate::support::time::UnixSeconds;

/// `basicConstraints` (RFC 5280, section 4.2.1.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Constraints {
    /// `cA`: may this key sign certificates?
    pub ca: bool,
    /// `pathLenConstraint`: how many CAs may follow below it.
    pub path_len: Option<u8>,
}

impl fmt::Display for Constraints {
    /// As `openssl x509 -text` prints it: `CA:TRUE, pathlen:0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.ca, self.path_len) {
            (true, Some(n)) => write!(f, "CA:TRUE, pathlen:{n}"),
            (true, None) => f.write_str("CA:TRUE"),
            (false, _) => f.write_str("CA:FALSE"),
        }
    }
}

/// One certificate, read into plain values. Field formats follow `openssl x509`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    /// Where it came from: `PEM block 1`, `DER certificate 1`.
    pub source: String,
    /// The certificate's DER, as pasted.
    pub der: Vec<u8>,
    /// X.509 version: 1, 2 or 3.
    pub version: u8,
    /// Subject, RFC 4514 (as `openssl x509 -subject -nameopt RFC2253`, but UTF-8 unescaped).
    pub subject: String,
    /// Issuer, same form.
    pub issuer: String,
    /// Serial number, hex, colon-separated, upper case (`00` for a serial of zero).
    pub serial: String,
    /// notBefore, Unix seconds.
    pub not_before: UnixSeconds,
    /// notAfter, Unix seconds.
    pub not_after: UnixSeconds,
    /// The subject key, if RSA or EC on a curve WebCrypto knows.
    pub key_algorithm: Option<KeyAlgorithm>,
    /// The subject key for people: `RSA 2048-bit`, `EC P-256`, or its algorithm.
    pub public_key: String,
    /// Subject key as DER SubjectPublicKeyInfo.
    pub spki_der: Vec<u8>,
    /// Signature algorithm, as openssl names it: `sha256WithRSAEncryption`.
    pub signature_algorithm: String,
    /// Signature algorithm OID, dotted.
    pub signature_oid: String,
    /// The signature bytes as stored (for ECDSA, a DER Ecdsa-Sig-Value).
    pub signature: Vec<u8>,
    /// The signed part: tbsCertificate's DER exactly as pasted.
    pub tbs_der: Vec<u8>,
    /// Subject alternative names: `DNS:kubernetes`, `IP Address:10.96.0.1`, `URI:…`, `email:…`.
    pub sans: Vec<String>,
    /// Key usage, as openssl names it: `Digital Signature`, `Certificate Sign`.
    pub key_usage: Vec<String>,
    /// Extended key usage: `TLS Web Server Authentication`, or the OID.
    pub extended_key_usage: Vec<String>,
    /// basicConstraints, if present.
    pub basic_constraints: Option<Constraints>,
    /// nameConstraints, as `permitted: DNS:cluster.local; excluded: IP:10.0.0.0/255.0.0.0`:
    /// the only names certificates below this CA may have, or may not.
    pub name_constraints: Option<String>,
    /// Subject key identifier, `AB:CD:…`.
    pub subject_key_id: Option<String>,
    /// Authority key identifier (its keyIdentifier), `AB:CD:…`.
    pub authority_key_id: Option<String>,
    /// SHA-256 over the DER, `AB:CD:…` (as `openssl x509 -fingerprint -sha256`).
    pub sha256_fingerprint: String,
    /// SHA-1 over the DER, `AB:CD:…`.
    pub sha1_fingerprint: String,
    /// Issuer equals subject and the key identifiers, where stated, agree. Whether the
    /// signature really is its own is the chain link's job.
    pub self_signed: bool,
    /// The extensions marked critical, by name (`basicConstraints`) or OID, in order.
    pub critical: Vec<String>,
    /// Extensions present but not shown in a field above (`nameConstraints (critical)`,
    /// `authorityInfoAccess`, an OID), in order.
    pub other_extensions: Vec<String>,
    /// Critical extensions that clients refuse: ones Go does not know, and the two RFC 5280
    /// forbids marking critical.
    pub refused_critical: Vec<String>,
    /// Extensions that could not be read; the rest of the certificate still is.
    pub problems: Vec<String>,
}

/// Reads one certificate's DER into values, or says why it is not a certificate.
pub(super) fn read(source: String, der: &[u8]) -> Result<Certificate, CertError> {
    let fields = cert::read_fields(der).map_err(|e| der_error(&source, e))?;
    let (key_algorithm, public_key, spki_der) = match spki::canonical(fields.spki) {
        Ok((algorithm, canonical)) => (Some(algorithm), algorithm.to_string(), canonical),
        Err(_) => (None, oid_name(fields.spki_algorithm), fields.spki.to_vec()),
    };
    let signature_oid = fields.signature_algorithm;
    let subject = rfc4514(&fields.subject).map_err(|e| der_error(&source, e))?;
    let issuer = rfc4514(&fields.issuer).map_err(|e| der_error(&source, e))?;
    let mut out = Certificate {
        source,
        der: der.to_vec(),
        version: fields.version,
        subject,
        issuer,
        serial: serial_hex(fields.serial),
        not_before: fields.not_before,
        not_after: fields.not_after,
        key_algorithm,
        public_key,
        spki_der,
        signature_algorithm: oid_name(signature_oid),
        signature_oid: signature_oid.to_string(),
        signature: fields.signature.to_vec(),
        tbs_der: fields.tbs.to_vec(),
        sans: Vec::new(),
        key_usage: Vec::new(),
        extended_key_usage: Vec::new(),
        basic_constraints: None,
        name_constraints: None,
        subject_key_id: None,
        authority_key_id: None,
        sha256_fingerprint: colon_hex(&Sha256::digest(der)),
        sha1_fingerprint: colon_hex(&Sha1::digest(der)),
        self_signed: false,
        critical: Vec::new(),
        other_extensions: Vec::new(),
        refused_critical: Vec::new(),
        problems: Vec::new(),
    };
    for (oid, critical, value) in &fields.extensions {
        let dotted = oid.to_string();
        let name = extension_name(&dotted);
        if *critical {
            out.critical.push(name.clone());
            if !KNOWN_EXTENSIONS.contains(&dotted.as_str())
                || NEVER_CRITICAL.contains(&dotted.as_str())
                || go_leaves_unhandled(&dotted, value)
            {
                out.refused_critical.push(name.clone());
            }
        }
        // An extension that fails to read has a row of its own, which says `absent`.
        let shown = read_extension(&mut out, &dotted, value).unwrap_or_else(|e| {
            out.problems
                .push(format!("the {name} extension could not be read: {e}"));
            true
        });
        if !shown {
            let mark = if *critical { " (critical)" } else { "" };
            out.other_extensions.push(format!("{name}{mark}"));
        }
    }
    out.self_signed = out.subject == out.issuer
        && match (&out.subject_key_id, &out.authority_key_id) {
            (Some(ski), Some(aki)) => ski == aki,
            _ => true,
        };
    Ok(out)
}

/// Reads the extensions shown in rows of their own (RFC 5280, section 4.2.1), and says whether
/// `oid` is one of them; `value` is the extnValue OCTET STRING, which holds exactly one value.
/// Fields change only once their extension has read.
fn read_extension(out: &mut Certificate, oid: &str, value: &Tlv<'_>) -> Result<bool, der::Error> {
    match oid {
        // SubjectAltName ::= GeneralNames
        "2.5.29.17" => out.sans = general_names(&value.inner(der::SEQUENCE)?)?,
        // KeyUsage ::= BIT STRING, bit 0 (digitalSignature) first
        "2.5.29.15" => {
            let usage = value.inner(der::BIT_STRING)?;
            let (unused, bytes) = usage.bit_string()?;
            let bits = (bytes.len() * 8).saturating_sub(usize::from(unused));
            if bits > 16 {
                return Err(usage.error(ErrorKind::TooLarge));
            }
            let set =
                |i: usize| i < bits && bytes.get(i / 8).is_some_and(|b| b & 0x80 >> (i % 8) != 0);
            out.key_usage = KEY_USAGES
                .iter()
                .enumerate()
                .filter(|(i, _)| set(*i))
                .map(|(_, name)| (*name).to_string())
                .collect();
        }
        // ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
        "2.5.29.37" => {
            let mut list = value.inner(der::SEQUENCE)?.contents()?;
            let mut usages = Vec::new();
            while !list.is_empty() {
                usages.push(eku_name(list.required(der::OID)?.oid()?));
            }
            out.extended_key_usage = usages;
        }
        // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
        //     pathLenConstraint INTEGER (0..MAX) OPTIONAL }
        "2.5.29.19" => {
            let mut bc = value.inner(der::SEQUENCE)?.contents()?;
            let ca = match bc.optional(der::BOOLEAN)? {
                Some(flag) => flag.boolean()?,
                None => false,
            };
            let path_len = match bc.optional(der::INTEGER)? {
                Some(n) => match n.unsigned()? {
                    [len] => Some(*len),
                    _ => return Err(n.error(ErrorKind::TooLarge)),
                },
                None => None,
            };
            bc.finish()?;
            out.basic_constraints = Some(Constraints { ca, path_len });
        }
        // NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
        //     excludedSubtrees [1] GeneralSubtrees OPTIONAL }
        "2.5.29.30" => {
            let mut nc = value.inner(der::SEQUENCE)?.contents()?;
            let mut parts = Vec::new();
            for (tag, label) in [(0xa0, "permitted"), (0xa1, "excluded")] {
                if let Some(subtrees) = nc.optional(tag)? {
                    parts.push(format!(
                        "{label}: {}",
                        general_subtrees(&subtrees)?.join(", ")
                    ));
                }
            }
            nc.finish()?;
            out.name_constraints = Some(parts.join("; "));
        }
        // SubjectKeyIdentifier ::= OCTET STRING
        "2.5.29.14" => {
            out.subject_key_id = Some(colon_hex(value.inner(der::OCTET_STRING)?.value));
        }
        // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING
        //     OPTIONAL, authorityCertIssuer [1] IMPLICIT GeneralNames OPTIONAL,
        //     authorityCertSerialNumber [2] IMPLICIT INTEGER OPTIONAL }
        "2.5.29.35" => {
            let mut aki = value.inner(der::SEQUENCE)?.contents()?;
            let key_id = aki.optional(0x80)?;
            if let Some(issuer) = aki.optional(0xa1)? {
                general_names(&issuer)?;
            }
            if let Some(serial) = aki.optional(0x82)? {
                serial_number(&serial)?;
            }
            aki.finish()?;
            out.authority_key_id = key_id.map(|k| colon_hex(k.value));
        }
        _ => return Ok(false),
    }
    Ok(true)
}

const KEY_USAGES: [&str; 9] = [
    "Digital Signature",
    "Non Repudiation",
    "Key Encipherment",
    "Data Encipherment",
    "Key Agreement",
    "Certificate Sign",
    "CRL Sign",
    "Encipher Only",
    "Decipher Only",
];

fn eku_name(oid: Oid<'_>) -> String {
    let name = match oid.to_string().as_str() {
        "1.3.6.1.5.5.7.3.1" => "TLS Web Server Authentication",
        "1.3.6.1.5.5.7.3.2" => "TLS Web Client Authentication",
        "1.3.6.1.5.5.7.3.3" => "Code Signing",
        "1.3.6.1.5.5.7.3.4" => "E-mail Protection",
        "1.3.6.1.5.5.7.3.8" => "Time Stamping",
        "1.3.6.1.5.5.7.3.9" => "OCSP Signing",
        "2.5.29.37.0" => "Any Extended Key Usage",
        other => return other.to_string(),
    };
    name.to_string()
}

/// The extensions Go's crypto/x509, which kubectl and client-go use, reads (the policy ones,
/// 2.5.29.33, .36 and .54, since Go 1.24). A client must refuse a certificate with a critical
/// extension it does not recognise (RFC 5280, section 4.2); Go does, with `x509: unhandled
/// critical extension`.
const KNOWN_EXTENSIONS: [&str; 13] = [
    "2.5.29.14",
    "2.5.29.15",
    "2.5.29.17",
    "2.5.29.19",
    "2.5.29.30",
    "2.5.29.31",
    "2.5.29.32",
    "2.5.29.33",
    "2.5.29.35",
    "2.5.29.36",
    "2.5.29.37",
    "2.5.29.54",
    "1.3.6.1.5.5.7.1.1",
];

/// Extensions RFC 5280 says must never be critical (sections 4.2.1.2 and 4.2.2.1); Go refuses
/// to read a certificate that marks one so.
const NEVER_CRITICAL: [&str; 2] = ["2.5.29.14", "1.3.6.1.5.5.7.1.1"];

/// The GeneralName forms Go reads: rfc822Name, dNSName, URI and iPAddress.
const GO_NAME_FORMS: [u8; 4] = [0x81, 0x82, 0x86, 0x87];

/// Whether Go, though it knows the extension, leaves it unhandled, and so refuses it when
/// critical: a nameConstraints with a subtree of another name form, or a subjectAltName with
/// none of Go's forms (its `parseNameConstraintsExtension` and `processExtensions`). An
/// extension that cannot be read at all is reported as such instead.
fn go_leaves_unhandled(oid: &str, value: &Tlv<'_>) -> bool {
    let forms = |list: &Tlv<'_>, of_subtrees: bool| -> Result<Vec<u8>, der::Error> {
        let mut items = list.contents()?;
        let mut tags = Vec::new();
        while !items.is_empty() {
            let item = items.read()?;
            let name = if of_subtrees {
                item.contents()?.read()?
            } else {
                item
            };
            tags.push(name.tag);
        }
        Ok(tags)
    };
    let read = || -> Result<bool, der::Error> {
        Ok(match oid {
            "2.5.29.17" => {
                let tags = forms(&value.inner(der::SEQUENCE)?, false)?;
                !tags.iter().any(|t| GO_NAME_FORMS.contains(t))
            }
            "2.5.29.30" => {
                let mut nc = value.inner(der::SEQUENCE)?.contents()?;
                let mut unhandled = false;
                for tag in [0xa0, 0xa1] {
                    if let Some(subtrees) = nc.optional(tag)? {
                        let tags = forms(&subtrees, true)?;
                        unhandled |= tags.iter().any(|t| !GO_NAME_FORMS.contains(t));
                    }
                }
                unhandled
            }
            _ => false,
        })
    };
    read().unwrap_or(false)
}

/// An extension's name as RFC 5280 (or the CT RFC 6962) writes it, else its OID.
fn extension_name(oid: &str) -> String {
    let name = match oid {
        "2.5.29.9" => "subjectDirectoryAttributes",
        "2.5.29.14" => "subjectKeyIdentifier",
        "2.5.29.15" => "keyUsage",
        "2.5.29.17" => "subjectAltName",
        "2.5.29.18" => "issuerAltName",
        "2.5.29.19" => "basicConstraints",
        "2.5.29.30" => "nameConstraints",
        "2.5.29.31" => "cRLDistributionPoints",
        "2.5.29.32" => "certificatePolicies",
        "2.5.29.33" => "policyMappings",
        "2.5.29.35" => "authorityKeyIdentifier",
        "2.5.29.36" => "policyConstraints",
        "2.5.29.37" => "extendedKeyUsage",
        "2.5.29.46" => "freshestCRL",
        "2.5.29.54" => "inhibitAnyPolicy",
        "1.3.6.1.5.5.7.1.1" => "authorityInfoAccess",
        "1.3.6.1.5.5.7.1.11" => "subjectInfoAccess",
        "1.3.6.1.4.1.11129.2.4.2" => "signedCertificateTimestampList",
        "1.3.6.1.4.1.11129.2.4.3" => "precertificatePoison",
        other => return other.to_string(),
    };
    name.to_string()
}

/// An algorithm's name as OpenSSL prints it, else its OID.
fn oid_name(oid: Oid<'_>) -> String {
    let dotted = oid.to_string();
    spki::algorithm_name(&dotted).map_or(dotted, str::to_string)
}

// Tests may panic: that is how they fail.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A DER value with a short-form length.
    fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
        [&[tag, u8::try_from(contents.len()).unwrap()][..], contents].concat()
    }

    #[test]
    fn which_known_extensions_go_leaves_unhandled() {
        let unhandled = |oid: &str, inner: Vec<u8>| {
            let encoded = tlv(der::OCTET_STRING, &inner);
            go_leaves_unhandled(oid, &der::only(&encoded, der::OCTET_STRING).unwrap())
        };
        let subtree = |name: Vec<u8>| tlv(der::SEQUENCE, &name);
        let x400 = tlv(0xa3, &tlv(der::SEQUENCE, &[]));
        let dns = tlv(0x82, b"svc");
        let ip = tlv(0x87, &[10, 0, 0, 0, 255, 0, 0, 0]);
        // nameConstraints: any subtree of a form other than DNS, email, IP or URI, permitted
        // or excluded.
        let nc = |permitted: &[Vec<u8>], excluded: &[Vec<u8>]| {
            let mut parts = Vec::new();
            if !permitted.is_empty() {
                parts.push(tlv(0xa0, &permitted.concat()));
            }
            if !excluded.is_empty() {
                parts.push(tlv(0xa1, &excluded.concat()));
            }
            tlv(der::SEQUENCE, &parts.concat())
        };
        assert!(!unhandled(
            "2.5.29.30",
            nc(&[subtree(dns.clone()), subtree(ip)], &[])
        ));
        assert!(unhandled(
            "2.5.29.30",
            nc(&[subtree(dns.clone())], &[subtree(x400.clone())])
        ));
        // subjectAltName: unhandled only when none of its names is of those forms.
        let san = |names: &[Vec<u8>]| tlv(der::SEQUENCE, &names.concat());
        assert!(!unhandled("2.5.29.17", san(&[x400.clone(), dns])));
        assert!(unhandled("2.5.29.17", san(&[x400])));
        // Unreadable: reported as such, not as unhandled; other extensions: never.
        assert!(!unhandled("2.5.29.30", tlv(der::NULL, &[])));
        assert!(!unhandled("2.5.29.19", san(&[])));
    }
}
