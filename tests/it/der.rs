//! The DER reader: headers (every length form, high tag numbers, truncation, nesting), each
//! primitive it decodes, and every certificate and key in the vectors read back to its bytes.
//!
//! Data-driven through [`check`] and [`value`]: an encoding and the value (or the exact error,
//! with its offset) expected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use common::{vector, VECTORS};
use tokenscope::crypto::der::{self, Error, ErrorKind, Reader, Tlv, MAX_DEPTH};
use tokenscope::crypto::keys::pem_blocks;
use tokenscope::support::time::iso8601;

fn err(offset: usize, kind: ErrorKind) -> Error {
    Error { offset, kind }
}

/// Reads one value from `input` and compares its tag number and contents (or the error).
fn check(input: &[u8], expected: Result<(u32, &[u8]), Error>) {
    let got = Reader::new(input).read();
    match (&got, &expected) {
        (Ok(tlv), Ok((number, value))) => {
            assert_eq!((tlv.number, tlv.value), (*number, *value), "{input:02X?}");
            assert_eq!(tlv.raw, input, "the raw span is the whole encoding");
        }
        (Err(got), Err(want)) => {
            assert_eq!(got, want, "{input:02X?}");
            assert!(got
                .to_string()
                .contains(&format!("at DER byte {}", want.offset)));
        }
        _ => panic!("{input:02X?}: expected {expected:?}, got {got:?}"),
    }
}

/// Reads one value and decodes its contents with `decode`.
fn value<'a, T: PartialEq + std::fmt::Debug>(
    input: &'a [u8],
    decode: impl Fn(&Tlv<'a>) -> Result<T, Error>,
    expected: Result<T, ErrorKind>,
) {
    let tlv = Reader::new(input).read().unwrap();
    let got = decode(&tlv);
    assert_eq!(got, expected.map_err(|kind| err(0, kind)), "{input:02X?}");
}

fn with_length(tag: u8, length: &[u8], contents: usize) -> Vec<u8> {
    [&[tag][..], length, &vec![0xab; contents]].concat()
}

#[test]
fn lengths_short_and_long_form() {
    check(&[0x04, 0x00], Ok((4, &[])));
    check(&[0x04, 0x02, 1, 2], Ok((4, &[1, 2])));
    let filled = |n| vec![0xab; n];
    for (length, n) in [
        (&[0x7f][..], 0x7f),
        (&[0x81, 0x80][..], 0x80),
        (&[0x81, 0xff][..], 0xff),
        (&[0x82, 0x01, 0x00][..], 0x100),
        (&[0x83, 0x01, 0x00, 0x00][..], 0x1_0000),
        (&[0x84, 0x01, 0x00, 0x00, 0x00][..], 0x100_0000),
    ] {
        check(&with_length(0x04, length, n), Ok((4, &filled(n))));
    }
}

#[test]
fn lengths_that_der_forbids() {
    // Long form where the short form fits, or with a leading zero byte: at the first length byte.
    for length in [
        &[0x81, 0x05][..],
        &[0x81, 0x7f],
        &[0x82, 0x00, 0xff],
        &[0x83, 0x00, 0x01, 0x00],
        &[0x84, 0x00, 0x00, 0x00, 0x80],
    ] {
        let input = with_length(0x04, length, 0x100);
        check(&input, Err(err(1, ErrorKind::NonMinimalLength)));
    }
    check(
        &[0x30, 0x80, 0x05, 0x00, 0x00, 0x00],
        Err(err(1, ErrorKind::IndefiniteLength)),
    );
    // More than four length bytes, the reserved 0xFF, and 2^64 - 1: refused before any
    // arithmetic can overflow.
    check(
        &[0x04, 0x85, 1, 0, 0, 0, 0],
        Err(err(1, ErrorKind::LengthTooLong { bytes: 5 })),
    );
    check(
        &[0x04, 0xff],
        Err(err(1, ErrorKind::LengthTooLong { bytes: 127 })),
    );
    check(
        &[0x04, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        Err(err(1, ErrorKind::LengthTooLong { bytes: 8 })),
    );
    // The largest length there is, with nothing after it.
    check(
        &[0x04, 0x84, 0xff, 0xff, 0xff, 0xff],
        Err(err(
            0,
            ErrorKind::Truncated {
                tag: 0x04,
                needed: 0xffff_ffff,
                available: 0,
            },
        )),
    );
}

#[test]
fn truncation_says_where() {
    check(&[], Err(err(0, ErrorKind::Missing { expected: None })));
    check(&[0x30], Err(err(1, ErrorKind::TruncatedHeader)));
    check(&[0x30, 0x82, 0x01], Err(err(3, ErrorKind::TruncatedHeader)));
    check(&[0x9f], Err(err(1, ErrorKind::TruncatedHeader)));
    check(&[0x9f, 0x81], Err(err(2, ErrorKind::TruncatedHeader)));
    let truncated = |needed, available| {
        Err(err(
            0,
            ErrorKind::Truncated {
                tag: 0x30,
                needed,
                available,
            },
        ))
    };
    check(&[0x30, 0x03, 0x05, 0x00], truncated(3, 2));
    check(&[0x30, 0x82, 0x01, 0x00, 0x05], truncated(256, 1));
    let message = Reader::new(&[0x30, 0x03, 0x05, 0x00])
        .read()
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        "a SEQUENCE says it holds 3 bytes but only 2 follow: the data was cut off: copy it \
         again, all of it (at DER byte 0)"
    );
}

#[test]
fn high_tag_numbers() {
    check(&[0x9f, 0x1f, 0x00], Ok((31, &[])));
    check(&[0xbf, 0x81, 0x00, 0x01, 0x05], Ok((128, &[0x05])));
    check(
        &[0x5f, 0x8f, 0xff, 0xff, 0xff, 0x7f, 0x00],
        Ok((0xffff_ffff, &[])),
    );
    // Numbers under 31 must use the low form; no leading zero group; at most 32 bits.
    check(&[0x9f, 0x1e, 0x00], Err(err(0, ErrorKind::BadTagNumber)));
    check(
        &[0x9f, 0x80, 0x1f, 0x00],
        Err(err(1, ErrorKind::BadTagNumber)),
    );
    check(
        &[0x9f, 0x90, 0x80, 0x80, 0x80, 0x00, 0x00],
        Err(err(5, ErrorKind::BadTagNumber)),
    );
    // A high-numbered tag never matches a low one.
    let mut reader = Reader::new(&[0x9f, 0x22, 0x00]);
    assert_eq!(
        reader.required(0x82),
        Err(err(
            0,
            ErrorKind::UnexpectedTag {
                expected: 0x82,
                found: 0x9f
            }
        ))
    );
}

/// `levels` SEQUENCEs, each inside the one before, around a NULL.
fn nested(levels: usize) -> Vec<u8> {
    (0..levels).fold(vec![0x05, 0x00], |inner, _| {
        let len = u16::try_from(inner.len()).unwrap();
        let header = match u8::try_from(len) {
            Ok(short @ 0..=0x7f) => vec![0x30, short],
            Ok(one) => vec![0x30, 0x81, one],
            Err(_) => [&[0x30, 0x82][..], &len.to_be_bytes()].concat(),
        };
        [header, inner].concat()
    })
}

/// Descends into the first value at each level until a primitive or an error.
fn descend(input: &[u8]) -> Result<usize, Error> {
    let mut reader = Reader::new(input);
    let mut depth = 0;
    loop {
        let tlv = reader.read()?;
        if tlv.tag != der::SEQUENCE {
            return Ok(depth);
        }
        reader = tlv.contents()?;
        depth += 1;
    }
}

#[test]
fn nesting_is_bounded() {
    let depth = usize::from(MAX_DEPTH);
    assert_eq!(descend(&nested(depth)), Ok(depth));
    // The value one level too deep is refused where it starts (each header is 2 bytes).
    assert_eq!(
        descend(&nested(depth + 1)),
        Err(err(2 * depth, ErrorKind::TooDeep))
    );
    assert_eq!(descend(&nested(120)).unwrap_err().kind, ErrorKind::TooDeep);
}

#[test]
fn structure_errors() {
    assert_eq!(
        der::only(&[0x05, 0x00, 0x00], der::NULL),
        Err(err(2, ErrorKind::TrailingData { remaining: 1 }))
    );
    assert_eq!(
        der::only(&[0x02, 0x01, 0x00], der::SEQUENCE),
        Err(err(
            0,
            ErrorKind::UnexpectedTag {
                expected: der::SEQUENCE,
                found: der::INTEGER
            }
        ))
    );
    let sequence = der::only(&[0x30, 0x03, 0x02, 0x01, 0x00], der::SEQUENCE).unwrap();
    let mut fields = sequence.contents().unwrap();
    assert_eq!(fields.offset(), 2);
    assert_eq!(fields.optional(der::BOOLEAN), Ok(None));
    assert_eq!(fields.required(der::INTEGER).unwrap().offset, 2);
    assert_eq!(
        fields.required(der::INTEGER),
        Err(err(
            5,
            ErrorKind::Missing {
                expected: Some(der::INTEGER)
            }
        ))
    );
    assert_eq!(
        err(5, ErrorKind::Missing { expected: None }).to_string(),
        "expected another value but the enclosing value ends before it (at DER byte 5)"
    );
    // AlgorithmIdentifier with and without parameters, and with too many.
    let rsa = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let (oid, parameters) = der::algorithm(&mut Reader::new(&rsa)).unwrap();
    assert_eq!(oid.to_string(), "1.2.840.113549.1.1.1");
    assert_eq!(parameters.map(|p| p.raw), Some(&[0x05, 0x00][..]));
    let ed25519 = [0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70];
    let (oid, parameters) = der::algorithm(&mut Reader::new(&ed25519)).unwrap();
    assert_eq!(
        (oid.to_string().as_str(), parameters),
        ("1.3.101.112", None)
    );
    let extra = [0x30, 0x07, 0x06, 0x01, 0x2a, 0x05, 0x00, 0x05, 0x00];
    assert_eq!(
        der::algorithm(&mut Reader::new(&extra)),
        Err(err(7, ErrorKind::TrailingData { remaining: 2 }))
    );
}

#[test]
fn integers() {
    let integer = |input: &[u8], expected| value(input, |t| t.integer(), expected);
    let unsigned = |input: &[u8], expected| value(input, |t| t.unsigned(), expected);
    integer(&[0x02, 0x01, 0x00], Ok(&[0x00][..]));
    unsigned(&[0x02, 0x01, 0x00], Ok(&[0x00][..]));
    // A sign byte before a high bit is needed, and dropped from the magnitude.
    integer(&[0x02, 0x02, 0x00, 0x80], Ok(&[0x00, 0x80][..]));
    unsigned(&[0x02, 0x02, 0x00, 0x80], Ok(&[0x80][..]));
    unsigned(&[0x02, 0x02, 0x01, 0x00], Ok(&[0x01, 0x00][..]));
    // Negative numbers are integers, but not unsigned ones.
    integer(&[0x02, 0x01, 0x80], Ok(&[0x80][..]));
    integer(&[0x02, 0x02, 0xff, 0x7f], Ok(&[0xff, 0x7f][..]));
    unsigned(&[0x02, 0x01, 0xff], Err(ErrorKind::Negative));
    unsigned(&[0x02, 0x02, 0x80, 0x00], Err(ErrorKind::Negative));
    // Empty, zero-padded and sign-padded encodings are not DER.
    for bad in [
        &[0x02, 0x00][..],
        &[0x02, 0x02, 0x00, 0x00],
        &[0x02, 0x02, 0x00, 0x7f],
        &[0x02, 0x03, 0x00, 0x00, 0x80],
        &[0x02, 0x02, 0xff, 0x80],
    ] {
        integer(bad, Err(ErrorKind::BadInteger));
        unsigned(bad, Err(ErrorKind::BadInteger));
    }
}

#[test]
fn booleans_and_bit_strings() {
    let boolean = |input: &[u8], expected| value(input, |t| t.boolean(), expected);
    boolean(&[0x01, 0x01, 0x00], Ok(false));
    boolean(&[0x01, 0x01, 0xff], Ok(true));
    boolean(&[0x01, 0x01, 0x01], Err(ErrorKind::BadBoolean));
    boolean(&[0x01, 0x00], Err(ErrorKind::BadBoolean));
    boolean(&[0x01, 0x02, 0x00, 0x00], Err(ErrorKind::BadBoolean));

    let bits = |input: &[u8], expected| value(input, |t| t.bit_string(), expected);
    bits(&[0x03, 0x01, 0x00], Ok((0, &[][..])));
    bits(&[0x03, 0x03, 0x00, 0xab, 0xcd], Ok((0, &[0xab, 0xcd][..])));
    // keyUsage digitalSignature, keyCertSign, cRLSign: 7 bits, one unused.
    bits(&[0x03, 0x02, 0x01, 0x86], Ok((1, &[0x86][..])));
    bits(&[0x03, 0x02, 0x07, 0x80], Ok((7, &[0x80][..])));
    bits(&[0x03, 0x00], Err(ErrorKind::BadBitString));
    bits(&[0x03, 0x01, 0x01], Err(ErrorKind::BadBitString));
    bits(&[0x03, 0x02, 0x08, 0x00], Err(ErrorKind::BadBitString));
}

#[test]
fn object_identifiers() {
    let oid = |contents: &[u8], expected: Result<&str, ErrorKind>| {
        let input = [&[0x06, u8::try_from(contents.len()).unwrap()][..], contents].concat();
        value(
            &input,
            |t| t.oid().map(|o| o.to_string()),
            expected.map(str::to_string),
        );
    };
    oid(
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
        Ok("1.2.840.113549.1.1.11"),
    );
    oid(&[0x2b, 0x81, 0x04, 0x00, 0x22], Ok("1.3.132.0.34"));
    oid(&[0x55, 0x1d, 0x11], Ok("2.5.29.17"));
    // The first subidentifier holds two arcs: 40 * first + second, and past 2.39 it is long.
    oid(&[0x00], Ok("0.0"));
    oid(&[0x27], Ok("0.39"));
    oid(&[0x4f], Ok("1.39"));
    oid(&[0x50], Ok("2.0"));
    oid(&[0x88, 0x37], Ok("2.999"));
    oid(
        &[
            0x69, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
        ],
        Ok("2.25.18446744073709551615"),
    );
    for bad in [
        &[][..],
        // Cut off inside a subidentifier.
        &[0x2a, 0x86],
        // Padded with a leading zero group (X.690 8.19.2).
        &[0x2a, 0x80, 0x01],
        &[0x80, 0x01],
        // An arc over 64 bits.
        &[
            0x69, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,
        ],
        &[
            0x69, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,
        ],
    ] {
        oid(bad, Err(ErrorKind::BadOid));
    }
}

#[test]
fn strings() {
    let ia5 = |input: &[u8], expected| value(input, |t| t.ia5(), expected);
    ia5(&[0x16, 0x03, b'a', b'.', b'b'], Ok("a.b"));
    ia5(&[0x16, 0x00], Ok(""));
    ia5(&[0x16, 0x02, 0xc3, 0xa9], Err(ErrorKind::BadString));
    ia5(&[0x16, 0x01, 0x80], Err(ErrorKind::BadString));
}

/// A time value: `tag` with `text` as its contents, read as ISO-8601 (or the error).
fn time(tag: u8, text: &str, expected: Result<&str, ErrorKind>) {
    let input = [
        &[tag, u8::try_from(text.len()).unwrap()][..],
        text.as_bytes(),
    ]
    .concat();
    let got = Reader::new(&input).read().unwrap().time().map(iso8601);
    assert_eq!(
        got,
        expected.map(str::to_string).map_err(|kind| err(0, kind)),
        "{text:?}"
    );
}

#[test]
fn times() {
    let utc = |text, expected| time(der::UTC_TIME, text, expected);
    let generalized = |text, expected| time(der::GENERALIZED_TIME, text, expected);
    // UTCTime: 00-49 are 20xx, 50-99 are 19xx (RFC 5280, section 4.1.2.5.1). Times before
    // 1970 are read too (x509-cert refused them): some certificates start in 1950.
    utc("491231235959Z", Ok("2049-12-31T23:59:59Z"));
    utc("000101000000Z", Ok("2000-01-01T00:00:00Z"));
    utc("700101000000Z", Ok("1970-01-01T00:00:00Z"));
    utc("991231235959Z", Ok("1999-12-31T23:59:59Z"));
    utc("500101000000Z", Ok("1950-01-01T00:00:00Z"));
    utc("691231235959Z", Ok("1969-12-31T23:59:59Z"));
    generalized("20500101000000Z", Ok("2050-01-01T00:00:00Z"));
    generalized("47630803104037Z", Ok("4763-08-03T10:40:37Z"));
    generalized("99991231235959Z", Ok("9999-12-31T23:59:59Z"));
    generalized("19700101000000Z", Ok("1970-01-01T00:00:00Z"));
    generalized("19691231235959Z", Ok("1969-12-31T23:59:59Z"));
    generalized("00000101000000Z", Ok("0000-01-01T00:00:00Z"));
    // Leap days: every fourth year, but not centuries unless divisible by 400.
    generalized("20240229120000Z", Ok("2024-02-29T12:00:00Z"));
    generalized("20000229120000Z", Ok("2000-02-29T12:00:00Z"));
    utc("240229120000Z", Ok("2024-02-29T12:00:00Z"));
    for bad in [
        "20230229000000Z",
        "21000229000000Z",
        "20240431000000Z",
        "20240001000000Z",
        "20241301000000Z",
        "20240100000000Z",
        "20240101240000Z",
        "20240101006000Z",
        // No leap seconds in X.509.
        "20240101000060Z",
        // Missing Z, a time zone, fractions, missing seconds, a non-digit.
        "20240101000000",
        "202401010000000",
        "20240101000000+0100",
        "20240101000000.5Z",
        "202401010000Z",
        "2024010100000aZ",
        "2024-1-1000000Z",
    ] {
        generalized(bad, Err(ErrorKind::BadTime));
    }
    for bad in [
        "491231235959",
        "4912312359590",
        "4912312359Z",
        "491231235959+0000",
        "49123123595.Z",
        "20491231235959Z",
    ] {
        utc(bad, Err(ErrorKind::BadTime));
    }
    time(
        der::INTEGER,
        "0",
        Err(ErrorKind::Unsupported {
            found: der::INTEGER,
        }),
    );
}

/// Reads every value under `tlv`, descending into constructed ones, and returns the encoding
/// put back together from the raw spans; counts values in `count`.
fn rebuild(tlv: &Tlv<'_>, count: &mut usize) -> Vec<u8> {
    *count += 1;
    if tlv.tag & 0x20 == 0 {
        return tlv.raw.to_vec();
    }
    let header = &tlv.raw[..tlv.raw.len() - tlv.value.len()];
    let mut out = header.to_vec();
    let mut reader = tlv.contents().unwrap();
    while !reader.is_empty() {
        out.extend(rebuild(&reader.read().unwrap(), count));
    }
    out
}

#[test]
fn every_certificate_and_key_in_the_vectors_reads_back_to_its_bytes() {
    let dirs = ["minted", "real/certs", "real/keys"]
        .map(|dir| format!("{VECTORS}{dir}"))
        .into_iter()
        .chain([concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures").to_string()]);
    let mut blocks = 0;
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.display().to_string();
            // Subdirectories and unreadable files hold no PEM.
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if name.ends_with(".key.pem") || !text.contains("-----BEGIN ") {
                continue;
            }
            for block in pem_blocks(&text) {
                let der = block.unwrap().der;
                let top = der::only(&der, der::SEQUENCE).unwrap();
                let mut count = 0;
                assert_eq!(rebuild(&top, &mut count), der, "{name}");
                // PKCS#1 is the smallest: a SEQUENCE of two INTEGERs.
                assert!(count >= 3, "{name}");
                blocks += 1;
            }
        }
    }
    assert_eq!(blocks, 26);
}

#[test]
fn every_cut_of_a_certificate_says_how_much_is_missing() {
    let pem = vector("minted/chain.pem");
    let der = pem_blocks(&pem).remove(0).unwrap().der;
    // 30 82 LL LL: a four-byte header.
    let len = der.len() - 4;
    for end in 0..der.len() {
        let expected = match end {
            0 => ErrorKind::Missing {
                expected: Some(der::SEQUENCE),
            },
            1..=3 => ErrorKind::TruncatedHeader,
            _ => ErrorKind::Truncated {
                tag: der::SEQUENCE,
                needed: len,
                available: end - 4,
            },
        };
        let offset = if (1..=3).contains(&end) { end } else { 0 };
        assert_eq!(
            der::only(&der[..end], der::SEQUENCE),
            Err(err(offset, expected)),
            "cut at {end}"
        );
    }
}
