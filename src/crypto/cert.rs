//! The X.509 `Certificate` structure (RFC 5280, section 4.1) read from DER into borrowed
//! fields: what the key box needs of a certificate (its SubjectPublicKeyInfo) and what the CA
//! page shows (everything), below both [`crate::crypto::keys`] and [`crate::crypto::x509`].
//!
//! Only structure is read here, with DER's strictness; names are kept as their attributes, and
//! [`crate::crypto::x509`] writes them the way `openssl` does.

use crate::crypto::der::{self, ErrorKind, Oid, Tlv};
use crate::crypto::spki;
use crate::support::time::UnixSeconds;

/// One `AttributeTypeAndValue` of a name: its type and its value, in whatever string type (or
/// other type) it was written.
pub type Attribute<'a> = (Oid<'a>, Tlv<'a>);

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
pub struct Fields<'a> {
    /// tbsCertificate exactly as pasted: a re-encoding could differ from what was signed.
    pub tbs: &'a [u8],
    /// X.509 version: 1, 2 or 3.
    pub version: u8,
    /// The serial INTEGER's bytes, sign byte included.
    pub serial: &'a [u8],
    /// The issuer's `Name`, checked by [`read_name`].
    pub issuer: Tlv<'a>,
    /// notBefore, Unix seconds.
    pub not_before: UnixSeconds,
    /// notAfter, Unix seconds.
    pub not_after: UnixSeconds,
    /// The subject's `Name`, checked by [`read_name`].
    pub subject: Tlv<'a>,
    /// subjectPublicKeyInfo exactly as pasted.
    pub spki: &'a [u8],
    /// The subject key's algorithm.
    pub spki_algorithm: Oid<'a>,
    /// Each extension: its OID, whether it is marked critical, and its extnValue.
    pub extensions: Vec<(Oid<'a>, bool, Tlv<'a>)>,
    /// The signature algorithm (the outer one, which is what was used).
    pub signature_algorithm: Oid<'a>,
    /// signatureValue's bytes as stored.
    pub signature: &'a [u8],
}

/// Reads a certificate with the checks RFC 5280's structure and DER call for. Where X.690
/// allows more, so does this: any tag in an ANY (an unusual string type in a name shows as `#`
/// and hex) and 64-bit OID arcs.
pub fn read_fields(der: &[u8]) -> Result<Fields<'_>, der::Error> {
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
    let issuer = t.required(der::SEQUENCE)?;
    read_name(&issuer, &mut |_| {})?;
    let mut validity = t.required(der::SEQUENCE)?.contents()?;
    let not_before = validity.read()?.time()?;
    let not_after = validity.read()?.time()?;
    validity.finish()?;
    let subject = t.required(der::SEQUENCE)?;
    read_name(&subject, &mut |_| {})?;
    let spki = t.required(der::SEQUENCE)?;
    let spki_algorithm = spki::read(&spki)?.algorithm;
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
/// one for a sign byte, since issuers write 20 octets of magnitude with the top bit set.
pub fn serial_number<'a>(serial: &Tlv<'a>) -> Result<&'a [u8], der::Error> {
    match serial.integer()? {
        bytes if bytes.len() > 21 => Err(serial.error(ErrorKind::TooLarge)),
        bytes => Ok(bytes),
    }
}

/// Reads a `Name ::= SEQUENCE OF RelativeDistinguishedName` (RFC 5280, section 4.1.2.4), each
/// RDN a `SET OF AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY }`. `each` is told
/// where each RDN starts (`None`), then each of its attributes as OpenSSL lists them: the
/// reverse of DER's order by encoding. A callback rather than a list, so checking a name costs
/// no allocation beyond one RDN's members.
pub fn read_name<'a>(
    name: &Tlv<'a>,
    each: &mut dyn FnMut(Option<Attribute<'a>>),
) -> Result<(), der::Error> {
    let mut sequence = name.contents()?;
    while !sequence.is_empty() {
        let mut set = sequence.required(der::SET)?.contents()?;
        let mut members = Vec::new();
        while !set.is_empty() {
            members.push(set.required(der::SEQUENCE)?);
        }
        // DER orders a SET OF by encoding; one pasted out of order prints as if it were not.
        crate::support::sort::stable_by(&mut members, |a, b| a.raw.cmp(b.raw));
        each(None);
        for atv in members.iter().rev() {
            let mut pair = atv.contents()?;
            let oid = pair.required(der::OID)?.oid()?;
            let value = pair.read()?;
            pair.finish()?;
            each(Some((oid, value)));
        }
    }
    Ok(())
}
