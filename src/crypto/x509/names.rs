//! Names and identifiers written the way OpenSSL writes them: RFC 4514 names, general names,
//! IP addresses, colon-separated hex serials and fingerprints.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::crypto::cert::read_name;
use crate::crypto::der::{self, ErrorKind, Oid, Tlv};

/// Formats a `Name ::= SEQUENCE OF RelativeDistinguishedName` (each a `SET OF
/// AttributeTypeAndValue`) as RFC 4514 text the way `openssl -nameopt RFC2253` does: last RDN
/// first, `+` inside a multi-valued RDN (whose members OpenSSL also lists in reverse),
/// OpenSSL's short attribute names. Unlike OpenSSL, non-ASCII stays readable UTF-8 instead of
/// `\XX` escapes.
pub(super) fn rfc4514(name: &Tlv<'_>) -> Result<String, der::Error> {
    let mut rdns: Vec<String> = Vec::new();
    read_name(name, &mut |attribute| match (attribute, rdns.last_mut()) {
        (Some((oid, value)), Some(rdn)) => {
            if !rdn.is_empty() {
                rdn.push('+');
            }
            rdn.push_str(&attribute_name(oid));
            rdn.push('=');
            rdn.push_str(&attribute_value(&value));
        }
        _ => rdns.push(String::new()),
    })?;
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
pub(super) fn general_names(names: &Tlv<'_>) -> Result<Vec<String>, der::Error> {
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
pub(super) fn general_subtrees(subtrees: &Tlv<'_>) -> Result<Vec<String>, der::Error> {
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
        // checked to be well-formed, so one such name does not hide the others.
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
        let mut out = String::with_capacity(39);
        for (i, group) in Ipv6Addr::from(v6).segments().into_iter().enumerate() {
            if i > 0 {
                out.push(':');
            }
            let _ = write!(out, "{group:X}");
        }
        out
    } else {
        format!("<invalid: {}>", hex(bytes, ":"))
    }
}

fn hex(bytes: &[u8], sep: &str) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let digit = |n: u8| char::from(DIGITS.get(usize::from(n)).copied().unwrap_or(b'?'));
    let mut out = String::with_capacity(bytes.len() * (2 + sep.len()));
    for (i, &b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push(digit(b >> 4));
        out.push(digit(b & 0x0f));
    }
    out
}

pub(super) fn colon_hex(bytes: &[u8]) -> String {
    hex(bytes, ":")
}

/// A serial as OpenSSL shows it: magnitude only (the DER sign byte dropped), `00` for zero.
pub(super) fn serial_hex(der_integer: &[u8]) -> String {
    let first = der_integer.iter().position(|&b| b != 0);
    match first.and_then(|i| der_integer.get(i..)) {
        Some(magnitude) if der_integer.first().is_some_and(|&b| b < 0x80) => colon_hex(magnitude),
        Some(_) => format!("{} (negative)", colon_hex(der_integer)),
        None => "00".to_string(),
    }
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
