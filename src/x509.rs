//! CA certificates: what people paste into the **CA certificate** box, summarised as rows and
//! findings a page can render as they are, and prepared for the browser to check each link of
//! the chain with WebCrypto.
//!
//! A cluster hands its CA out in several shapes: `ca.crt` as PEM (one certificate or a
//! bundle), kubeconfig's `certificate-authority-data` and a Secret's `data["ca.crt"]` as base64
//! of that PEM, or base64 of bare DER. All of them end up as DER, read by [`crate::der`].
//!
//! Values are written the way `openssl x509` writes them (RFC 2253 names, colon-separated
//! upper-case serials and fingerprints, `sha256WithRSAEncryption`), so that what this page shows
//! can be checked against the command people already trust; `tests/x509.rs` does exactly that.
//! Time comes in as `now`, so findings such as **Expired** are exact in tests.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::der::{self, ErrorKind, Oid, Tlv};
use crate::keys::{self, Base64Problem, Curve, KeyAlgorithm, KeySource, PemError, WebCryptoVerify};
use crate::time::{iso8601, relative, UnixSeconds};

/// Why a paste yielded no certificate, or why part of it was skipped; every variant says where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertError {
    /// Nothing was pasted.
    Empty,
    /// Larger than any bundle this page reads ([`crate::jwt::MAX_INPUT_BYTES`]).
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
    if text.len() > crate::jwt::MAX_INPUT_BYTES {
        return Err(CertError::TooLarge {
            bytes: text.len(),
            limit: crate::jwt::MAX_INPUT_BYTES,
        });
    }
    refuse_private_key(text, "")?;
    let bundle = if text.contains("-----BEGIN ") {
        from_pem(text)
    } else {
        let bytes = keys::decode_base64_text(text).map_err(|p| {
            let (line, column) = keys::line_col(text, p.offset());
            match p {
                Base64Problem::BadChar(_, found) => CertError::Base64 {
                    line,
                    column,
                    found,
                },
                Base64Problem::Truncated(_) => CertError::TruncatedBase64 { line },
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
    match keys::find_private_key(text) {
        Some((line, label)) => Err(CertError::PrivateKey {
            location: format!("The PEM block on line {line}{place} ({label})"),
        }),
        None => Ok(()),
    }
}

fn from_pem(text: &str) -> Bundle {
    let mut bundle = Bundle::default();
    for block in keys::pem_blocks(text) {
        bundle.push(
            block
                .map_err(CertError::Pem)
                .and_then(|block| match block.label.as_str() {
                    "CERTIFICATE" | "X509 CERTIFICATE" => {
                        read_certificate(format!("PEM block {}", block.index), &block.der)
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
            Ok(tlv) => bundle.push(read_certificate(source, tlv.raw)),
            Err(e) => {
                bundle.push(Err(der_error(&source, e)));
                break;
            }
        }
    }
    bundle
}

fn der_error(source: &str, e: der::Error) -> CertError {
    CertError::Der {
        source: source.to_string(),
        offset: u32::try_from(e.offset).ok(),
        message: e.kind.to_string(),
    }
}

/// What this page reads of a certificate, borrowed from its DER (RFC 5280, section 4.1):
///
/// ```text
/// Certificate ::= SEQUENCE { tbsCertificate TBSCertificate,
///     signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
/// TBSCertificate ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1,
///     serialNumber INTEGER, signature AlgorithmIdentifier, issuer Name,
///     validity Validity, subject Name, subjectPublicKeyInfo SubjectPublicKeyInfo,
///     issuerUniqueID [1] IMPLICIT BIT STRING OPTIONAL,
///     subjectUniqueID [2] IMPLICIT BIT STRING OPTIONAL,
///     extensions [3] EXPLICIT SEQUENCE OF Extension OPTIONAL }
/// ```
pub(crate) struct Fields<'a> {
    /// tbsCertificate exactly as pasted: a re-encoding could differ from what was signed.
    tbs: &'a [u8],
    version: u8,
    /// The serial INTEGER's bytes, sign byte included.
    serial: &'a [u8],
    issuer: String,
    not_before: UnixSeconds,
    not_after: UnixSeconds,
    subject: String,
    /// subjectPublicKeyInfo exactly as pasted.
    pub(crate) spki: &'a [u8],
    spki_algorithm: Oid<'a>,
    /// Each extension's OID and its extnValue OCTET STRING.
    /// Each extension: its OID, whether it is marked critical, and its extnValue.
    extensions: Vec<(Oid<'a>, bool, Tlv<'a>)>,
    signature_algorithm: Oid<'a>,
    /// signatureValue's bytes as stored.
    signature: &'a [u8],
}

/// Reads a certificate with the checks the `x509-cert` crate made before this reader, so the same
/// certificates read. Where X.690 allows more, so does this: any tag in an ANY (an unusual string
/// type in a name shows as `#` and hex) and 64-bit OID arcs.
pub(crate) fn read_fields(der: &[u8]) -> Result<Fields<'_>, der::Error> {
    let mut cert = der::only(der, der::SEQUENCE)?.contents()?;
    let tbs = cert.required(der::SEQUENCE)?;
    let (signature_algorithm, _) = der::algorithm(&mut cert)?;
    let (_, signature) = cert.required(der::BIT_STRING)?.bit_string()?;
    cert.finish()?;

    let mut t = tbs.contents()?;
    let version = match t.optional(0xa0)? {
        None => 1,
        Some(explicit) => {
            let number = explicit.inner(der::INTEGER)?;
            match number.integer()? {
                [n @ 0..=2] => n + 1,
                _ => return Err(number.error(ErrorKind::BadVersion)),
            }
        }
    };
    let serial = serial_number(&t.required(der::INTEGER)?)?;
    der::algorithm(&mut t)?;
    let issuer = rfc4514(&t.required(der::SEQUENCE)?)?;
    let mut validity = t.required(der::SEQUENCE)?.contents()?;
    let not_before = validity.read()?.time()?;
    let not_after = validity.read()?.time()?;
    validity.finish()?;
    let subject = rfc4514(&t.required(der::SEQUENCE)?)?;
    let spki = t.required(der::SEQUENCE)?;
    let spki_algorithm = keys::read_spki(&spki)?.algorithm;
    for unique_id in [0x81, 0x82] {
        if let Some(id) = t.optional(unique_id)? {
            id.bit_string()?;
        }
    }
    let mut extensions = Vec::new();
    if let Some(explicit) = t.optional(0xa3)? {
        let mut list = explicit.inner(der::SEQUENCE)?.contents()?;
        while !list.is_empty() {
            // Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
            // extnValue OCTET STRING }
            let mut ext = list.required(der::SEQUENCE)?.contents()?;
            let oid = ext.required(der::OID)?.oid()?;
            let critical = match ext.optional(der::BOOLEAN)? {
                Some(flag) => flag.boolean()?,
                None => false,
            };
            extensions.push((oid, critical, ext.required(der::OCTET_STRING)?));
            ext.finish()?;
        }
    }
    t.finish()?;
    Ok(Fields {
        tbs: tbs.raw,
        version,
        serial,
        issuer,
        not_before,
        not_after,
        subject,
        spki: spki.raw,
        spki_algorithm,
        extensions,
        signature_algorithm,
        signature,
    })
}

/// `CertificateSerialNumber ::= INTEGER`, at most 20 octets (RFC 5280, section 4.1.2.2), plus
/// one for a sign byte, as `x509-cert` allowed.
fn serial_number<'a>(serial: &Tlv<'a>) -> Result<&'a [u8], der::Error> {
    match serial.integer()? {
        bytes if bytes.len() > 21 => Err(serial.error(ErrorKind::TooLarge)),
        bytes => Ok(bytes),
    }
}

fn read_certificate(source: String, der: &[u8]) -> Result<Certificate, CertError> {
    let fields = read_fields(der).map_err(|e| der_error(&source, e))?;
    let (key_algorithm, public_key, spki_der) = match keys::parse_spki(&KeySource::Der, fields.spki)
    {
        Ok((algorithm, canonical)) => (Some(algorithm), algorithm.to_string(), canonical),
        Err(_) => (None, oid_name(fields.spki_algorithm), fields.spki.to_vec()),
    };
    let signature_oid = fields.signature_algorithm;
    let mut out = Certificate {
        source,
        der: der.to_vec(),
        version: fields.version,
        subject: fields.subject,
        issuer: fields.issuer,
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
    algorithm_name(&dotted).map_or(dotted, str::to_string)
}

/// Algorithm names as OpenSSL prints them (its `OBJ_nid2ln`/`sn` tables), for the OIDs a
/// cluster CA plausibly uses.
fn algorithm_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.1.1.1" => "rsaEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.10045.2.1" => "id-ecPublicKey",
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

/// Formats a `Name ::= SEQUENCE OF RelativeDistinguishedName` (each a `SET OF
/// AttributeTypeAndValue`) as RFC 4514 text the way `openssl -nameopt RFC2253` does: last RDN
/// first, `+` inside a multi-valued RDN (whose members OpenSSL also lists in reverse),
/// OpenSSL's short attribute names. Unlike OpenSSL, non-ASCII stays readable UTF-8 instead of
/// `\XX` escapes.
fn rfc4514(name: &Tlv<'_>) -> Result<String, der::Error> {
    let mut rdns = Vec::new();
    let mut sequence = name.contents()?;
    while !sequence.is_empty() {
        let mut set = sequence.required(der::SET)?.contents()?;
        let mut members = Vec::new();
        while !set.is_empty() {
            members.push(set.required(der::SEQUENCE)?);
        }
        // DER orders a SET OF by encoding. `x509-cert` sorted on reading, so a set pasted out
        // of order still prints as it did.
        crate::sort::stable_by(&mut members, |a, b| a.raw.cmp(b.raw));
        let mut parts = Vec::with_capacity(members.len());
        for atv in members.iter().rev() {
            let mut pair = atv.contents()?;
            let oid = pair.required(der::OID)?.oid()?;
            let value = pair.read()?;
            pair.finish()?;
            parts.push(format!(
                "{}={}",
                attribute_name(oid),
                attribute_value(&value)
            ));
        }
        rdns.push(parts.join("+"));
    }
    rdns.reverse();
    Ok(rdns.join(","))
}

fn attribute_name(oid: Oid<'_>) -> String {
    let name = match oid.to_string().as_str() {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "street",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "title",
        "2.5.4.17" => "postalCode",
        "2.5.4.42" => "GN",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        "1.2.840.113549.1.9.1" => "emailAddress",
        other => return other.to_string(),
    };
    name.to_string()
}

/// An attribute value as an RFC 4514 string: text escaped, anything else `#` and its DER in hex.
fn attribute_value(value: &Tlv<'_>) -> String {
    let bytes = value.value;
    // Big-endian code units of `width` bytes (BMPString: 2, UniversalString: 4).
    let units = |width: usize| {
        bytes
            .chunks(width)
            .map(|c| c.iter().fold(0u32, |n, &b| n << 8 | u32::from(b)))
    };
    let text = match value.tag {
        der::UTF8_STRING | der::PRINTABLE_STRING | der::IA5_STRING | der::VISIBLE_STRING => {
            String::from_utf8_lossy(bytes).into_owned()
        }
        // T.61 in practice holds Latin-1, which is what OpenSSL assumes too.
        der::TELETEX_STRING => bytes.iter().map(|&b| char::from(b)).collect(),
        der::BMP_STRING => {
            let utf16: Vec<u16> = units(2)
                .map(|u| u16::try_from(u).unwrap_or(0xfffd))
                .collect();
            String::from_utf16_lossy(&utf16)
        }
        der::UNIVERSAL_STRING => units(4)
            .map(|u| char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
        _ => return format!("#{}", hex(value.raw, "")),
    };
    let last = text.chars().count().saturating_sub(1);
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        let escape = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && matches!(c, '#' | ' '))
            || (i == last && c == ' ');
        if escape {
            out.push('\\');
        }
        if c == '\0' {
            out.push_str("\\00");
        } else {
            out.push(c);
        }
    }
    out
}

/// `GeneralNames ::= SEQUENCE OF GeneralName` (RFC 5280, section 4.2.1.6), each written as
/// `openssl x509 -text` writes it.
fn general_names(names: &Tlv<'_>) -> Result<Vec<String>, der::Error> {
    let mut list = names.contents()?;
    let mut out = Vec::new();
    while !list.is_empty() {
        out.push(general_name(&list.read()?)?);
    }
    Ok(out)
}

/// `GeneralSubtrees ::= SEQUENCE OF GeneralSubtree`, where `GeneralSubtree ::= SEQUENCE {
/// base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }`; as OpenSSL prints the
/// bases, an IP base being an address and its mask (`IP:10.0.0.0/255.0.0.0`).
fn general_subtrees(subtrees: &Tlv<'_>) -> Result<Vec<String>, der::Error> {
    let mut list = subtrees.contents()?;
    let mut out = Vec::new();
    while !list.is_empty() {
        let mut subtree = list.required(der::SEQUENCE)?.contents()?;
        let base = subtree.read()?;
        out.push(match base.tag {
            0x87 => {
                let half = base.value.len() / 2;
                let (address, mask) = base.value.split_at(half);
                format!("IP:{}/{}", ip(address), ip(mask))
            }
            _ => general_name(&base)?,
        });
        for bound in [0x80, 0x81] {
            if let Some(distance) = subtree.optional(bound)? {
                distance.unsigned()?;
            }
        }
        subtree.finish()?;
    }
    Ok(out)
}

/// One GeneralName as OpenSSL prints it: `DNS:kubernetes`, `IP Address:10.96.0.1`, `URI:…`.
fn general_name(name: &Tlv<'_>) -> Result<String, der::Error> {
    Ok(match name.tag {
        // otherName [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
        0xa0 => {
            let mut other = name.contents()?;
            let type_id = other.required(der::OID)?.oid()?;
            other.required(0xa0)?.contents()?.read()?;
            other.finish()?;
            format!("othername:{type_id}")
        }
        0x81 => format!("email:{}", name.ia5()?),
        0x82 => format!("DNS:{}", name.ia5()?),
        // x400Address [3] IMPLICIT ORAddress: shown as OpenSSL shows it, its parts only
        // checked to be well-formed, so one such name no longer hides the others.
        0xa3 => {
            let mut parts = name.contents()?;
            while !parts.is_empty() {
                parts.read()?;
            }
            "X400Name:<unsupported>".to_string()
        }
        0xa4 => format!("DirName:{}", rfc4514(&name.inner(der::SEQUENCE)?)?),
        // ediPartyName [5] IMPLICIT SEQUENCE { nameAssigner [0] OPTIONAL, partyName [1] }
        0xa5 => {
            let mut edi = name.contents()?;
            edi.optional(0xa0)?;
            edi.required(0xa1)?;
            edi.finish()?;
            "EdiPartyName:<unsupported>".to_string()
        }
        0x86 => format!("URI:{}", name.ia5()?),
        0x87 => format!("IP Address:{}", ip(name.value)),
        0x88 => format!("Registered ID:{}", name.oid()?),
        found => return Err(name.error(ErrorKind::Unsupported { found })),
    })
}

/// IP addresses as OpenSSL prints them: IPv6 as eight groups, uncompressed.
fn ip(bytes: &[u8]) -> String {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        Ipv4Addr::from(v4).to_string()
    } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        let groups: Vec<String> = Ipv6Addr::from(v6)
            .segments()
            .iter()
            .map(|g| format!("{g:X}"))
            .collect();
        groups.join(":")
    } else {
        format!("<invalid: {}>", hex(bytes, ":"))
    }
}

fn hex(bytes: &[u8], sep: &str) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(sep)
}

fn colon_hex(bytes: &[u8]) -> String {
    hex(bytes, ":")
}

/// A serial as OpenSSL shows it: magnitude only (the DER sign byte dropped), `00` for zero.
fn serial_hex(der_integer: &[u8]) -> String {
    let first = der_integer.iter().position(|&b| b != 0);
    match first.and_then(|i| der_integer.get(i..)) {
        Some(magnitude) if der_integer.first().is_some_and(|&b| b < 0x80) => colon_hex(magnitude),
        Some(_) => format!("{} (negative)", colon_hex(der_integer)),
        None => "00".to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

/// A label and a value, rendered as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// E.g. `Subject`.
    pub label: &'static str,
    /// E.g. `CN=kubernetes`.
    pub value: String,
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Clients will refuse this, or it is the wrong thing in this box.
    Problem,
    /// Works today, but should be fixed.
    Warning,
}

/// What a finding is about, for code that needs to match on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// notAfter is in the past.
    Expired,
    /// notBefore is in the future.
    NotYetValid,
    /// notAfter is less than 30 days away.
    ExpiresSoon,
    /// Not a CA certificate, yet pasted as the cluster CA.
    NotCa,
    /// RSA key under 2048 bits.
    WeakRsaKey,
    /// Signed with SHA-1 or MD5.
    WeakSignature,
    /// A critical extension that clients refuse.
    RefusedCritical,
}

/// Something about a certificate worth a person's attention. `title` starts with the words
/// the UI shows in bold (`Expired`, `Not yet valid`, `Expires within 30 days`, `Not a CA`,
/// `RSA key under 2048 bits`, `SHA-1 signature`, `MD5 signature`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What kind.
    pub kind: FindingKind,
    /// How bad.
    pub severity: Severity,
    /// One line.
    pub title: String,
    /// Why it matters, in a sentence.
    pub why: String,
}

/// Whether a certificate's authority key identifier matches its issuer's subject key identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyIdCheck {
    /// Both are stated and equal.
    Match,
    /// Both are stated and differ: a different key of the same name signed it.
    Mismatch,
    /// One or both are absent, so only the names link them.
    NotStated,
}

/// One step of the chain: `child` was issued by `issuer` (the same index for a self-signed
/// certificate), with what WebCrypto needs to check the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainLink {
    /// Index of the certificate issued.
    pub child: usize,
    /// Index of its issuer in the paste, if the issuer is there.
    pub issuer: Option<usize>,
    /// What the key identifiers say.
    pub key_ids: KeyIdCheck,
    /// One line for people: `Certificate 1 (CN=…) is issued by certificate 2 (CN=…)`.
    pub summary: String,
    /// The signature check to run, or why none can be.
    pub verify: Result<WebCryptoVerify, String>,
}

/// One certificate's rows and findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertReport {
    /// `Certificate 1 of 2: CN=…`.
    pub title: String,
    /// The values, in reading order.
    pub rows: Vec<Row>,
    /// What deserves attention, worst first.
    pub findings: Vec<Finding>,
}

/// Everything the CA page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleReport {
    /// One report per certificate, in paste order.
    pub certs: Vec<CertReport>,
    /// How the certificates chain, one link per certificate.
    pub links: Vec<ChainLink>,
}

const THIRTY_DAYS: i64 = 30 * 86_400;

/// Summarises certificates pasted as a cluster CA, at time `now`.
pub fn summarise(certs: &[Certificate], now: UnixSeconds) -> BundleReport {
    let total = certs.len();
    let reports = certs
        .iter()
        .enumerate()
        .map(|(i, cert)| CertReport {
            title: format!("Certificate {} of {total}: {}", i + 1, cert.subject),
            rows: rows(cert, now),
            findings: findings(cert, now),
        })
        .collect();
    BundleReport {
        certs: reports,
        links: chain(certs),
    }
}

/// How each certificate links to its issuer in the bundle, with the signature check each
/// link needs. Independent of the time, so the shell computes (and verifies) it once per paste.
pub fn chain(certs: &[Certificate]) -> Vec<ChainLink> {
    (0..certs.len()).filter_map(|i| link(certs, i)).collect()
}

fn rows(cert: &Certificate, now: UnixSeconds) -> Vec<Row> {
    let when = |t| format!("{} ({})", iso8601(t), relative(t, now));
    let or = |value: Option<String>, absent: &str| value.unwrap_or_else(|| absent.to_string());
    let list = |items: &[String]| or((!items.is_empty()).then(|| items.join(", ")), "none");
    let problems = (!cert.problems.is_empty()).then(|| cert.problems.join("; "));
    let rows = [
        ("Subject", cert.subject.clone()),
        ("Issuer", cert.issuer.clone()),
        ("Serial number", cert.serial.clone()),
        ("Valid from", when(cert.not_before)),
        ("Valid until", when(cert.not_after)),
        ("Public key", cert.public_key.clone()),
        ("Signature algorithm", cert.signature_algorithm.clone()),
        ("Subject alternative names", list(&cert.sans)),
        ("Key usage", list(&cert.key_usage)),
        ("Extended key usage", list(&cert.extended_key_usage)),
        (
            "Basic constraints",
            or(cert.basic_constraints.map(|c| c.to_string()), "absent"),
        ),
        (
            "Name constraints",
            or(cert.name_constraints.clone(), "absent"),
        ),
        (
            "Subject key identifier",
            or(cert.subject_key_id.clone(), "absent"),
        ),
        (
            "Authority key identifier",
            or(cert.authority_key_id.clone(), "absent"),
        ),
        ("Critical extensions", list(&cert.critical)),
        ("Other extensions", list(&cert.other_extensions)),
        ("SHA-256 fingerprint", cert.sha256_fingerprint.clone()),
        ("SHA-1 fingerprint", cert.sha1_fingerprint.clone()),
        (
            "Self-signed",
            if cert.self_signed { "yes" } else { "no" }.to_string(),
        ),
    ];
    let extra = problems.map(|value| Row {
        label: "Unreadable extensions",
        value,
    });
    rows.into_iter()
        .map(|(label, value)| Row { label, value })
        .chain(extra)
        .collect()
}

fn findings(cert: &Certificate, now: UnixSeconds) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |kind, severity, title: String, why: &str| {
        out.push(Finding {
            kind,
            severity,
            title,
            why: why.to_string(),
        });
    };
    if cert.not_after < now {
        add(
            FindingKind::Expired,
            Severity::Problem,
            format!(
                "Expired {} ({})",
                relative(cert.not_after, now),
                iso8601(cert.not_after)
            ),
            "Clients refuse every certificate that chains to an expired CA (`x509: certificate \
             has expired or is not yet valid`); renew the CA and hand the new one out.",
        );
    } else if cert.not_after.saturating_sub(now) < THIRTY_DAYS {
        add(
            FindingKind::ExpiresSoon,
            Severity::Warning,
            format!(
                "Expires within 30 days: {} ({})",
                relative(cert.not_after, now),
                iso8601(cert.not_after)
            ),
            "When it expires, kubectl, kubelets and in-cluster clients stop trusting the API \
             server; rotate it and update every kubeconfig and ca.crt that embeds it first.",
        );
    }
    if cert.not_before > now {
        add(
            FindingKind::NotYetValid,
            Severity::Problem,
            format!(
                "Not yet valid: starts {} ({})",
                relative(cert.not_before, now),
                iso8601(cert.not_before)
            ),
            "Clients reject it until then; a clock that is behind, or a certificate issued \
             with a future start date, is the usual cause.",
        );
    }
    match cert.basic_constraints {
        Some(Constraints { ca: true, .. }) => {}
        found => add(
            FindingKind::NotCa,
            Severity::Problem,
            match found {
                Some(_) => "Not a CA: basicConstraints says CA:FALSE".to_string(),
                None => "Not a CA: no basicConstraints extension".to_string(),
            },
            "A cluster CA bundle must hold CA certificates; this looks like a server or client \
             certificate. Paste the CA instead (ca.crt, or certificate-authority-data).",
        ),
    }
    if let Some(KeyAlgorithm::Rsa { bits }) = cert.key_algorithm {
        if bits < 2048 {
            add(
                FindingKind::WeakRsaKey,
                Severity::Warning,
                format!("RSA key under 2048 bits ({bits}-bit)"),
                "Keys this small can be factored with enough computing power, and current \
                 TLS libraries and policies refuse them.",
            );
        }
    }
    let weak = match cert.signature_oid.as_str() {
        "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" | "1.2.840.10040.4.3" => Some("SHA-1"),
        "1.2.840.113549.1.1.4" => Some("MD5"),
        _ => None,
    };
    if let Some(hash) = weak {
        add(
            FindingKind::WeakSignature,
            Severity::Warning,
            format!("{hash} signature ({})", cert.signature_algorithm),
            "Collisions have been produced for this hash, so a signature over it proves \
             little; Go (and so Kubernetes) rejects such signatures on certificates it verifies.",
        );
    }
    if !cert.refused_critical.is_empty() {
        add(
            FindingKind::RefusedCritical,
            Severity::Problem,
            format!(
                "Critical extension that clients refuse: {}",
                cert.refused_critical.join(", ")
            ),
            "A client must refuse a certificate with a critical extension it does not \
             recognise, and subjectKeyIdentifier and authorityInfoAccess must never be \
             critical (RFC 5280, section 4.2). Go clients such as kubectl and client-go refuse \
             it (`x509: unhandled critical extension`), and so a critical nameConstraints with \
             a name form other than DNS, email, IP or URI, or a critical subjectAltName with \
             none of those, which Go reads only in part. Reissue it without the extension, or \
             with it not marked critical.",
        );
    }
    crate::sort::stable_by(&mut out, |a, b| {
        (a.severity != Severity::Problem).cmp(&(b.severity != Severity::Problem))
    });
    out
}

fn key_id_check(child: &Certificate, issuer: &Certificate) -> KeyIdCheck {
    match (&child.authority_key_id, &issuer.subject_key_id) {
        (Some(aki), Some(ski)) if aki == ski => KeyIdCheck::Match,
        (Some(_), Some(_)) => KeyIdCheck::Mismatch,
        _ => KeyIdCheck::NotStated,
    }
}

fn link(certs: &[Certificate], child_index: usize) -> Option<ChainLink> {
    let child = certs.get(child_index)?;
    let name = |i: usize| {
        certs.get(i).map_or_else(String::new, |c| {
            format!("certificate {} ({})", i + 1, c.subject)
        })
    };
    let this = format!("Certificate {} ({})", child_index + 1, child.subject);
    let issuer_index = if child.self_signed {
        Some(child_index)
    } else {
        // By name first; among same-named issuers, the one whose key identifier matches.
        let candidates: Vec<usize> = (0..certs.len())
            .filter(|&j| {
                j != child_index && certs.get(j).is_some_and(|c| c.subject == child.issuer)
            })
            .collect();
        candidates
            .iter()
            .copied()
            .find(|&j| {
                certs
                    .get(j)
                    .is_some_and(|c| key_id_check(child, c) == KeyIdCheck::Match)
            })
            .or_else(|| candidates.first().copied())
    };
    let Some((issuer_index, issuer)) =
        issuer_index.and_then(|j| certs.get(j).map(|issuer| (j, issuer)))
    else {
        return Some(ChainLink {
            child: child_index,
            issuer: None,
            key_ids: KeyIdCheck::NotStated,
            summary: format!(
                "{this} is issued by {}, which is not in this paste",
                child.issuer
            ),
            verify: Err(format!("the issuer {} is not in this paste", child.issuer)),
        });
    };
    let key_ids = key_id_check(child, issuer);
    let mut summary = if issuer_index == child_index {
        format!("{this} is self-signed")
    } else {
        format!("{this} is issued by {}", name(issuer_index))
    };
    if key_ids == KeyIdCheck::Mismatch {
        summary.push_str(", but its authority key identifier names a different key of that issuer");
    }
    Some(ChainLink {
        child: child_index,
        issuer: Some(issuer_index),
        key_ids,
        summary,
        verify: prepare_signature_check(child, issuer),
    })
}

/// What WebCrypto needs to check that `issuer`'s key signed `child`. ECDSA signatures in
/// certificates are DER `Ecdsa-Sig-Value`s, while WebCrypto wants raw `r‖s` padded to the
/// curve size, so they are converted here.
pub fn prepare_signature_check(
    child: &Certificate,
    issuer: &Certificate,
) -> Result<WebCryptoVerify, String> {
    let (import_algorithm, hash) = match child.signature_oid.as_str() {
        "1.2.840.113549.1.1.5" => ("RSASSA-PKCS1-v1_5", "SHA-1"),
        "1.2.840.113549.1.1.11" => ("RSASSA-PKCS1-v1_5", "SHA-256"),
        "1.2.840.113549.1.1.12" => ("RSASSA-PKCS1-v1_5", "SHA-384"),
        "1.2.840.113549.1.1.13" => ("RSASSA-PKCS1-v1_5", "SHA-512"),
        "1.2.840.10045.4.1" => ("ECDSA", "SHA-1"),
        "1.2.840.10045.4.3.2" => ("ECDSA", "SHA-256"),
        "1.2.840.10045.4.3.3" => ("ECDSA", "SHA-384"),
        "1.2.840.10045.4.3.4" => ("ECDSA", "SHA-512"),
        _ => {
            return Err(format!(
                "{} signatures cannot be checked in the browser",
                child.signature_algorithm
            ))
        }
    };
    let (named_curve, signature) = match (import_algorithm, issuer.key_algorithm) {
        ("RSASSA-PKCS1-v1_5", Some(KeyAlgorithm::Rsa { .. })) => (None, child.signature.clone()),
        ("ECDSA", Some(KeyAlgorithm::Ec { curve })) => (
            Some(curve.name().to_string()),
            ecdsa_der_to_raw(&child.signature, curve)?,
        ),
        _ => {
            return Err(format!(
                "the issuer's key is {} but the signature is {}, so this issuer did not sign it",
                issuer.public_key, child.signature_algorithm
            ))
        }
    };
    Ok(WebCryptoVerify {
        import_algorithm: import_algorithm.to_string(),
        hash: hash.to_string(),
        named_curve,
        salt_length: None,
        spki_der: issuer.spki_der.clone(),
        signature,
        signing_input: child.tbs_der.clone(),
    })
}

/// `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279, section 2.2.3) to the
/// fixed-width `r‖s` that WebCrypto and JWS use.
fn ecdsa_der_to_raw(der: &[u8], curve: Curve) -> Result<Vec<u8>, String> {
    let size = curve.coordinate_len();
    let parse = || -> Result<(&[u8], &[u8]), der::Error> {
        let mut pair = der::only(der, der::SEQUENCE)?.contents()?;
        let r = pair.required(der::INTEGER)?.unsigned()?;
        let s = pair.required(der::INTEGER)?.unsigned()?;
        pair.finish()?;
        Ok((r, s))
    };
    let (r, s) = parse().map_err(|e| format!("the ECDSA signature is not valid DER: {e}"))?;
    let mut raw = Vec::with_capacity(2 * size);
    for part in [r, s] {
        let pad = size
            .checked_sub(part.len())
            .ok_or_else(|| format!("the ECDSA signature is too long for {}", curve.name()))?;
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

    #[test]
    fn serials_print_like_openssl() {
        assert_eq!(serial_hex(&[0]), "00");
        assert_eq!(serial_hex(&[0x00, 0xff, 0x01]), "FF:01");
        assert_eq!(serial_hex(&[0x07, 0x2e]), "07:2E");
        assert_eq!(serial_hex(&[0xff, 0x01]), "FF:01 (negative)");
        assert_eq!(serial_hex(&[]), "00");
    }

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
        let err = ecdsa_der_to_raw(&long, Curve::P256).unwrap_err();
        assert!(err.contains("too long for P-256"), "{err}");
        assert!(ecdsa_der_to_raw(&[0x30], Curve::P256)
            .unwrap_err()
            .contains("not valid DER"));
    }

    #[test]
    fn ipv6_prints_like_openssl() {
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        v6[0] = 0xfd;
        assert_eq!(ip(&v6), "FD00:0:0:0:0:0:0:1");
        assert_eq!(ip(&[10, 96, 0, 1]), "10.96.0.1");
        assert_eq!(ip(&[1, 2]), "<invalid: 01:02>");
    }

    /// A DER value with a short-form length.
    fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
        [&[tag, u8::try_from(contents.len()).unwrap()][..], contents].concat()
    }

    /// `type=value` as one AttributeTypeAndValue, for `2.5.4.x`.
    fn atv(attribute: u8, tag: u8, value: &[u8]) -> Vec<u8> {
        let oid = tlv(der::OID, &[0x55, 0x04, attribute]);
        tlv(der::SEQUENCE, &[oid, tlv(tag, value)].concat())
    }

    #[test]
    fn name_constraint_subtrees_with_bounds_and_odd_addresses() {
        let subtrees = |parts: &[Vec<u8>]| {
            let encoded = tlv(0xa0, &parts.concat());
            general_subtrees(&der::only(&encoded, 0xa0).unwrap())
        };
        // minimum [0] and maximum [1] are read and not shown, as openssl does.
        let dns = tlv(
            der::SEQUENCE,
            &[tlv(0x82, b"svc"), tlv(0x80, &[0]), tlv(0x81, &[2])].concat(),
        );
        // An IP base that is not address + mask of 4 or 16 bytes each still shows.
        let odd = tlv(der::SEQUENCE, &tlv(0x87, &[10, 0, 0]));
        assert_eq!(
            subtrees(&[dns, odd]).unwrap(),
            ["DNS:svc", "IP:<invalid: 0A>/<invalid: 00:00>"]
        );
        // Anything after the bounds is an error, not skipped.
        let extra = tlv(
            der::SEQUENCE,
            &[tlv(0x82, b"a"), tlv(der::NULL, &[])].concat(),
        );
        assert!(subtrees(&[extra]).is_err());
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

    #[test]
    fn attribute_values_of_every_string_type() {
        let shown = |tag: u8, value: &[u8]| {
            let encoded = tlv(tag, value);
            attribute_value(&der::only(&encoded, tag).unwrap())
        };
        assert_eq!(shown(der::UTF8_STRING, "é€".as_bytes()), "é€");
        assert_eq!(shown(der::PRINTABLE_STRING, b"a, b "), "a\\, b\\ ");
        assert_eq!(shown(der::IA5_STRING, b"#x"), "\\#x");
        assert_eq!(shown(der::VISIBLE_STRING, b"x+y"), "x\\+y");
        // T.61 read as Latin-1, BMPString as UTF-16, UniversalString as UTF-32 (big-endian).
        assert_eq!(
            shown(der::TELETEX_STRING, &[0x63, 0x61, 0x66, 0xe9]),
            "café"
        );
        assert_eq!(shown(der::BMP_STRING, &[0x00, 0x41, 0x20, 0xac]), "A€");
        assert_eq!(
            shown(der::UNIVERSAL_STRING, &[0, 0, 0, 0x41, 0, 0x01, 0xf6, 0x00]),
            "A😀"
        );
        assert_eq!(shown(der::UNIVERSAL_STRING, &[0, 0x11, 0, 0]), "\u{fffd}");
        // Anything else: `#` and the whole DER value in hex, as RFC 4514 says.
        assert_eq!(shown(0x19, b"A"), "#190141");
        assert_eq!(shown(der::OCTET_STRING, &[0xff]), "#0401FF");
    }

    #[test]
    fn names_print_last_rdn_first_with_sets_in_der_order() {
        // OU=b and OU=a in one RDN, out of DER order, then CN=x.
        let ou = [
            atv(11, der::UTF8_STRING, b"b"),
            atv(11, der::UTF8_STRING, b"a"),
        ]
        .concat();
        let cn = atv(3, der::PRINTABLE_STRING, b"x");
        let name = tlv(
            der::SEQUENCE,
            &[tlv(der::SET, &ou), tlv(der::SET, &cn)].concat(),
        );
        let read = |der: &[u8]| rfc4514(&der::only(der, der::SEQUENCE).unwrap());
        assert_eq!(read(&name), Ok("CN=x,OU=b+OU=a".to_string()));
        assert_eq!(read(&tlv(der::SEQUENCE, &[])), Ok(String::new()));
        let not_a_set = tlv(der::SEQUENCE, &tlv(der::SEQUENCE, &cn));
        assert_eq!(
            read(&not_a_set).unwrap_err().kind,
            ErrorKind::UnexpectedTag {
                expected: der::SET,
                found: der::SEQUENCE
            }
        );
    }

    #[test]
    fn general_names_of_every_kind() {
        let names = |parts: &[Vec<u8>]| {
            let encoded = tlv(der::SEQUENCE, &parts.concat());
            general_names(&der::only(&encoded, der::SEQUENCE).unwrap())
        };
        let upn = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03];
        let other = [tlv(der::OID, &upn), tlv(0xa0, &tlv(der::UTF8_STRING, b"u"))].concat();
        let dir = tlv(
            der::SEQUENCE,
            &tlv(der::SET, &atv(3, der::UTF8_STRING, b"x")),
        );
        let edi = tlv(0xa1, &tlv(der::UTF8_STRING, b"p"));
        assert_eq!(
            names(&[
                tlv(0xa0, &other),
                tlv(0x81, b"ops@example.com"),
                tlv(0x82, b"kubernetes"),
                tlv(0xa3, &tlv(der::SEQUENCE, &tlv(der::PRINTABLE_STRING, b"x"))),
                tlv(0xa4, &dir),
                tlv(0xa5, &edi),
                tlv(0x86, b"spiffe://cluster.local"),
                tlv(0x87, &[10, 96, 0, 1]),
                tlv(0x88, &[0x2a, 0x03]),
            ]),
            Ok(vec![
                "othername:1.3.6.1.4.1.311.20.2.3".to_string(),
                "email:ops@example.com".to_string(),
                "DNS:kubernetes".to_string(),
                "X400Name:<unsupported>".to_string(),
                "DirName:CN=x".to_string(),
                "EdiPartyName:<unsupported>".to_string(),
                "URI:spiffe://cluster.local".to_string(),
                "IP Address:10.96.0.1".to_string(),
                "Registered ID:1.2.3".to_string(),
            ])
        );
        // An x400Address must still be well-formed DER, an unknown choice is refused, and DNS
        // names are ASCII.
        let kind = |parts: &[Vec<u8>]| names(parts).unwrap_err().kind;
        assert_eq!(
            kind(&[tlv(0xa3, &[0x30, 0x05])]),
            ErrorKind::Truncated {
                tag: 0x30,
                needed: 5,
                available: 0
            }
        );
        assert_eq!(
            kind(&[tlv(0xa9, &[])]),
            ErrorKind::Unsupported { found: 0xa9 }
        );
        assert_eq!(kind(&[tlv(0x82, "é".as_bytes())]), ErrorKind::BadString);
    }
}
