//! A small DER reader (ITU-T X.690, section 10) for what [`crate::crypto::cert`], [`crate::crypto::spki`],
//! [`crate::crypto::x509`] and [`crate::crypto::keys`] read: certificates, SubjectPublicKeyInfo, PKCS#1 keys
//! and ECDSA signatures.
//!
//! Written by hand because the derived, generic decoders of `der`/`x509-cert` are monomorphised
//! into every module that reads with them, which the wasm pays for; these plain
//! functions over byte slices do the same checks for the handful of types read here. It only
//! reads: what is handed on (tbsCertificate, SubjectPublicKeyInfo) is sliced out as it was
//! pasted, never re-encoded.
//!
//! Strict where DER is: definite, minimal lengths; canonical INTEGER and BOOLEAN; `Z` times.
//! Every error carries the byte offset into the outermost input, so a message can say where.

use std::fmt;

/// `BOOLEAN`.
pub const BOOLEAN: u8 = 0x01;
/// `INTEGER`.
pub const INTEGER: u8 = 0x02;
/// `BIT STRING`.
pub const BIT_STRING: u8 = 0x03;
/// `OCTET STRING`.
pub const OCTET_STRING: u8 = 0x04;
/// `NULL`.
pub const NULL: u8 = 0x05;
/// `OBJECT IDENTIFIER`.
pub const OID: u8 = 0x06;
/// `UTF8String`.
pub const UTF8_STRING: u8 = 0x0c;
/// `PrintableString`.
pub const PRINTABLE_STRING: u8 = 0x13;
/// `TeletexString` (T61String).
pub const TELETEX_STRING: u8 = 0x14;
/// `IA5String`.
pub const IA5_STRING: u8 = 0x16;
/// `UTCTime`.
pub const UTC_TIME: u8 = 0x17;
/// `GeneralizedTime`.
pub const GENERALIZED_TIME: u8 = 0x18;
/// `VisibleString`.
pub const VISIBLE_STRING: u8 = 0x1a;
/// `UniversalString`.
pub const UNIVERSAL_STRING: u8 = 0x1c;
/// `BMPString`.
pub const BMP_STRING: u8 = 0x1e;
/// `SEQUENCE` (and `SEQUENCE OF`), constructed.
pub const SEQUENCE: u8 = 0x30;
/// `SET` (and `SET OF`), constructed.
pub const SET: u8 = 0x31;

/// How deep values may nest. A certificate needs about 12 levels (a name inside a
/// subjectAltName inside an extension); the limit keeps hostile input from going deeper.
pub const MAX_DEPTH: u8 = 32;

/// What went wrong, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error {
    /// Byte offset into the input the reader started on: where the value at fault starts, or
    /// where the data ran out inside a header.
    pub offset: usize,
    /// What is wrong.
    pub kind: ErrorKind,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at DER byte {})", self.kind, self.offset)
    }
}

impl std::error::Error for Error {}

/// The ways DER can be wrong, each said in plain words by `Display`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The data ends inside a tag or a length.
    TruncatedHeader,
    /// A value's length runs past the end of the data.
    Truncated {
        /// The value's tag.
        tag: u8,
        /// Bytes its length promises.
        needed: usize,
        /// Bytes that follow its header.
        available: usize,
    },
    /// Length byte `0x80`: BER's indefinite length, which DER forbids.
    IndefiniteLength,
    /// A long-form length that fits a shorter form, which DER forbids.
    NonMinimalLength,
    /// A length of more than four bytes (or the reserved `0xFF`).
    LengthTooLong {
        /// How many length bytes it claims.
        bytes: u8,
    },
    /// A high tag number (`0x1F` form) that is malformed or fits the low form.
    BadTagNumber,
    /// Another tag than the one the structure has here.
    UnexpectedTag {
        /// The tag the structure wants.
        expected: u8,
        /// The tag found.
        found: u8,
    },
    /// A tag that is none of the alternatives allowed here (a CHOICE).
    Unsupported {
        /// The tag found.
        found: u8,
    },
    /// The enclosing value ends where another value is required.
    Missing {
        /// The tag the structure wants, if only one will do.
        expected: Option<u8>,
    },
    /// Bytes left over after the last value of a structure.
    TrailingData {
        /// How many.
        remaining: usize,
    },
    /// Values nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// An INTEGER that is empty or has a redundant leading `00` or `FF`.
    BadInteger,
    /// A negative INTEGER where only non-negative ones are allowed.
    Negative,
    /// A value too large for its field: a serial over 21 bytes, a path length over 255, key
    /// usage over 16 bits.
    TooLarge,
    /// A BOOLEAN other than `00` or `FF`.
    BadBoolean,
    /// A BIT STRING without its unused-bits byte, with more than 7 unused bits, or with
    /// unused bits but no bits.
    BadBitString,
    /// An OBJECT IDENTIFIER that is empty, cut off, padded, or has an arc over 64 bits.
    BadOid,
    /// A time that is not `YYMMDDHHMMSSZ` or `YYYYMMDDHHMMSSZ`, or not a real date.
    BadTime,
    /// An IA5String with bytes over `0x7F`.
    BadString,
    /// An X.509 version other than v1, v2 or v3.
    BadVersion,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const RECOPY: &str = "the data was cut off: copy it again, all of it";
        const NOT_DER: &str = "which DER forbids (this is BER); re-encode it as DER";
        match *self {
            Self::TruncatedHeader => write!(f, "the data ends inside a tag or length: {RECOPY}"),
            Self::Truncated {
                tag,
                needed,
                available,
            } => write!(
                f,
                "{} says it holds {needed} bytes but only {available} follow: {RECOPY}",
                TagName(tag)
            ),
            Self::IndefiniteLength => write!(f, "an indefinite length (0x80), {NOT_DER}"),
            Self::NonMinimalLength => {
                write!(
                    f,
                    "a length written with more bytes than it needs, {NOT_DER}"
                )
            }
            Self::LengthTooLong { bytes } => write!(
                f,
                "a length of {bytes} bytes, more than anything pasted here can need: the data \
                 is damaged"
            ),
            Self::BadTagNumber => f.write_str("a malformed tag number: the data is damaged"),
            Self::UnexpectedTag { expected, found } => {
                write!(
                    f,
                    "expected {} but found {}",
                    TagName(expected),
                    TagName(found)
                )
            }
            Self::Unsupported { found } => {
                write!(
                    f,
                    "{}, which is not one of the types allowed here",
                    TagName(found)
                )
            }
            Self::Missing {
                expected: Some(tag),
            } => write!(
                f,
                "expected {} but the enclosing value ends before it",
                TagName(tag)
            ),
            Self::Missing { expected: None } => {
                f.write_str("expected another value but the enclosing value ends before it")
            }
            Self::TrailingData { remaining } => write!(
                f,
                "{remaining} unexpected bytes after the end of the value: something was \
                 appended or the lengths are wrong"
            ),
            Self::TooDeep => write!(f, "values nested more than {MAX_DEPTH} levels deep"),
            Self::BadInteger => write!(
                f,
                "an INTEGER that is empty or has redundant leading bytes, {NOT_DER}"
            ),
            Self::Negative => f.write_str("a negative INTEGER where only positive ones belong"),
            Self::TooLarge => f.write_str("a number or bit string too large for its field"),
            Self::BadBoolean => f.write_str("a BOOLEAN other than 00 (false) or FF (true)"),
            Self::BadBitString => f.write_str(
                "a BIT STRING whose unused-bits count is missing, over 7, or set on no bits",
            ),
            Self::BadOid => f.write_str("a malformed OBJECT IDENTIFIER"),
            Self::BadTime => f.write_str(
                "a time that is not YYMMDDHHMMSSZ (UTCTime) or YYYYMMDDHHMMSSZ \
                 (GeneralizedTime) in UTC, or not a real date and time",
            ),
            Self::BadString => f.write_str("an IA5String with bytes that are not ASCII"),
            Self::BadVersion => f.write_str("an X.509 version other than 1, 2 or 3"),
        }
    }
}

/// A tag as people read it: `a SEQUENCE`, `an INTEGER`, `context tag [3]`.
struct TagName(u8);

impl fmt::Display for TagName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.0 {
            BOOLEAN => "a BOOLEAN",
            INTEGER => "an INTEGER",
            BIT_STRING => "a BIT STRING",
            OCTET_STRING => "an OCTET STRING",
            NULL => "a NULL",
            OID => "an OBJECT IDENTIFIER",
            UTF8_STRING => "a UTF8String",
            PRINTABLE_STRING => "a PrintableString",
            IA5_STRING => "an IA5String",
            UTC_TIME => "a UTCTime",
            GENERALIZED_TIME => "a GeneralizedTime",
            SEQUENCE => "a SEQUENCE",
            SET => "a SET",
            tag if tag & 0xc0 == 0x80 && tag & 0x1f != 0x1f => {
                return write!(f, "context tag [{}]", tag & 0x1f)
            }
            tag => return write!(f, "tag 0x{tag:02X}"),
        };
        f.write_str(name)
    }
}

/// One value: tag, length, contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The identifier byte: class, constructed bit and (below 31) the tag number.
    pub tag: u8,
    /// The tag number, read from the following bytes when the identifier's low bits are 0x1F.
    pub number: u32,
    /// Offset of the identifier byte in the outermost input.
    pub offset: usize,
    /// The whole encoding, header included: what to hand on without re-encoding.
    pub raw: &'a [u8],
    /// The contents.
    pub value: &'a [u8],
    value_offset: usize,
    depth: u8,
}

/// Reads values one after another from a slice, remembering where the slice sits in the
/// outermost input.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
    offset: usize,
    depth: u8,
}

impl<'a> Reader<'a> {
    /// A reader over a whole input; offsets in errors count from its first byte.
    pub fn new(data: &'a [u8]) -> Self {
        Self {
            rest: data,
            offset: 0,
            depth: 0,
        }
    }

    /// Whether every value has been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Offset of the next byte in the outermost input.
    pub fn offset(&self) -> usize {
        self.offset
    }

    fn error(&self, at: usize, kind: ErrorKind) -> Error {
        Error {
            offset: self.offset.saturating_add(at),
            kind,
        }
    }

    /// Reads the next value, whatever its tag.
    pub fn read(&mut self) -> Result<Tlv<'a>, Error> {
        if self.rest.is_empty() {
            return Err(self.error(0, ErrorKind::Missing { expected: None }));
        }
        let byte = |i: usize| {
            self.rest
                .get(i)
                .copied()
                .ok_or_else(|| self.error(i, ErrorKind::TruncatedHeader))
        };
        let tag = byte(0)?;
        let mut at = 1;
        let mut number = u32::from(tag & 0x1f);
        if number == 0x1f {
            // High tag number: base 128, most significant group first, no leading zero group.
            number = 0;
            loop {
                let b = byte(at)?;
                if (number == 0 && b == 0x80) || number > u32::MAX >> 7 {
                    return Err(self.error(at, ErrorKind::BadTagNumber));
                }
                number = number << 7 | u32::from(b & 0x7f);
                at += 1;
                if b & 0x80 == 0 {
                    break;
                }
            }
            if number < 0x1f {
                return Err(self.error(0, ErrorKind::BadTagNumber));
            }
        }
        let first = byte(at)?;
        at += 1;
        let len = match first {
            0..=0x7f => usize::from(first),
            0x80 => return Err(self.error(at - 1, ErrorKind::IndefiniteLength)),
            _ => {
                let count = first & 0x7f;
                if count > 4 {
                    return Err(self.error(at - 1, ErrorKind::LengthTooLong { bytes: count }));
                }
                let mut len: u32 = 0;
                for _ in 0..count {
                    len = len << 8 | u32::from(byte(at)?);
                    at += 1;
                }
                // Minimal: the short form for under 128, and no leading zero byte.
                if len < 0x80 || len >> (8 * (u32::from(count) - 1)) == 0 {
                    return Err(
                        self.error(at - 1 - usize::from(count), ErrorKind::NonMinimalLength)
                    );
                }
                usize::try_from(len)
                    .map_err(|_| self.error(at, ErrorKind::LengthTooLong { bytes: count }))?
            }
        };
        let truncated = || {
            self.error(
                0,
                ErrorKind::Truncated {
                    tag,
                    needed: len,
                    available: self.rest.len().saturating_sub(at),
                },
            )
        };
        let end = at.checked_add(len).ok_or_else(truncated)?;
        let (raw, rest) = self.rest.split_at_checked(end).ok_or_else(truncated)?;
        let tlv = Tlv {
            tag,
            number,
            offset: self.offset,
            raw,
            value: raw.get(at..).unwrap_or_default(),
            value_offset: self.offset.saturating_add(at),
            depth: self.depth,
        };
        self.rest = rest;
        self.offset = self.offset.saturating_add(end);
        Ok(tlv)
    }

    /// Reads the next value, which must have this tag (the counterpart of [`Reader::optional`]).
    pub fn required(&mut self, tag: u8) -> Result<Tlv<'a>, Error> {
        match self.rest.first() {
            None => Err(self.error(
                0,
                ErrorKind::Missing {
                    expected: Some(tag),
                },
            )),
            Some(&found) if found != tag => Err(self.error(
                0,
                ErrorKind::UnexpectedTag {
                    expected: tag,
                    found,
                },
            )),
            Some(_) => self.read(),
        }
    }

    /// Reads the next value if it has this tag (an OPTIONAL or DEFAULT field).
    pub fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, Error> {
        match self.rest.first() {
            Some(&found) if found == tag => self.read().map(Some),
            _ => Ok(None),
        }
    }

    /// Fails unless every byte has been read.
    pub fn finish(&self) -> Result<(), Error> {
        match self.rest.len() {
            0 => Ok(()),
            remaining => Err(self.error(0, ErrorKind::TrailingData { remaining })),
        }
    }
}

impl<'a> Tlv<'a> {
    /// An error about this value, pointing at its first byte.
    pub fn error(&self, kind: ErrorKind) -> Error {
        Error {
            offset: self.offset,
            kind,
        }
    }

    /// A reader over the contents, one level deeper.
    pub fn contents(&self) -> Result<Reader<'a>, Error> {
        let depth = self.depth + 1;
        if depth > MAX_DEPTH {
            return Err(self.error(ErrorKind::TooDeep));
        }
        Ok(Reader {
            rest: self.value,
            offset: self.value_offset,
            depth,
        })
    }

    /// The only value inside (an EXPLICIT tag's contents), which must have this tag.
    pub fn inner(&self, tag: u8) -> Result<Tlv<'a>, Error> {
        let mut r = self.contents()?;
        let inner = r.required(tag)?;
        r.finish()?;
        Ok(inner)
    }

    /// An INTEGER's two's-complement bytes, checked to be minimal.
    pub fn integer(&self) -> Result<&'a [u8], Error> {
        match self.value {
            [] | [0x00, 0x00..=0x7f, ..] | [0xff, 0x80..=0xff, ..] => {
                Err(self.error(ErrorKind::BadInteger))
            }
            bytes => Ok(bytes),
        }
    }

    /// A non-negative INTEGER's magnitude, big-endian, without the sign byte (`[0]` for zero).
    pub fn unsigned(&self) -> Result<&'a [u8], Error> {
        match self.integer()? {
            [0x80..=0xff, ..] => Err(self.error(ErrorKind::Negative)),
            [0x00, rest @ ..] if !rest.is_empty() => Ok(rest),
            bytes => Ok(bytes),
        }
    }

    /// A BOOLEAN.
    pub fn boolean(&self) -> Result<bool, Error> {
        match self.value {
            [0x00] => Ok(false),
            [0xff] => Ok(true),
            _ => Err(self.error(ErrorKind::BadBoolean)),
        }
    }

    /// A BIT STRING: the number of unused bits at the end, and the bytes holding the bits.
    pub fn bit_string(&self) -> Result<(u8, &'a [u8]), Error> {
        match self.value.split_first() {
            Some((&unused, bits)) if unused <= 7 && (unused == 0 || !bits.is_empty()) => {
                Ok((unused, bits))
            }
            _ => Err(self.error(ErrorKind::BadBitString)),
        }
    }

    /// An OBJECT IDENTIFIER, checked so that it can always be printed.
    pub fn oid(&self) -> Result<Oid<'a>, Error> {
        // Each subidentifier is base 128 without a leading zero group (X.690, 8.19.2), and at
        // most 64 bits so it prints as a u64: ten groups only if the first holds one bit.
        let mut start = 0;
        for (i, &b) in self.value.iter().enumerate() {
            let first = self.value.get(start).copied().unwrap_or_default();
            let groups = i - start + 1;
            if first == 0x80 || groups > 10 || (groups == 10 && first > 0x81) {
                return Err(self.error(ErrorKind::BadOid));
            }
            if b & 0x80 == 0 {
                start = i + 1;
            }
        }
        match self.value.last() {
            Some(last) if last & 0x80 == 0 => Ok(Oid(self.value)),
            _ => Err(self.error(ErrorKind::BadOid)),
        }
    }

    /// An IA5String (ASCII).
    pub fn ia5(&self) -> Result<&'a str, Error> {
        match std::str::from_utf8(self.value) {
            Ok(text) if text.is_ascii() => Ok(text),
            _ => Err(self.error(ErrorKind::BadString)),
        }
    }

    /// A UTCTime or GeneralizedTime as Unix seconds. As RFC 5280 (section 4.1.2.5) has it:
    /// UTC (`Z`) with seconds and no fraction; UTCTime's two-digit years 50–99 are 19xx and
    /// 00–49 are 20xx. Times before 1970 are negative, so a certificate valid from 1950
    /// still reads.
    pub fn time(&self) -> Result<i64, Error> {
        let bad = || self.error(ErrorKind::BadTime);
        let digits = |from: usize, count: usize| -> Result<i64, Error> {
            let text = self.value.get(from..from + count).ok_or_else(bad)?;
            text.iter().try_fold(0, |n, &d| match d {
                b'0'..=b'9' => Ok(n * 10 + i64::from(d - b'0')),
                _ => Err(bad()),
            })
        };
        let (year, at) = match (self.tag, self.value.len()) {
            (UTC_TIME, 13) => match digits(0, 2)? {
                yy @ 50.. => (1900 + yy, 2),
                yy => (2000 + yy, 2),
            },
            (GENERALIZED_TIME, 15) => (digits(0, 4)?, 4),
            (UTC_TIME | GENERALIZED_TIME, _) => return Err(bad()),
            (found, _) => return Err(self.error(ErrorKind::Unsupported { found })),
        };
        let field = |i: usize| digits(at + 2 * i, 2);
        let (month, day) = (field(0)?, field(1)?);
        let (hour, minute, second) = (field(2)?, field(3)?, field(4)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let month_days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let valid = (1..=12).contains(&month)
            && (1..=month_days).contains(&day)
            && hour < 24
            && minute < 60
            && second < 60
            && self.value.last() == Some(&b'Z');
        if !valid {
            return Err(bad());
        }
        // Checked above: month and day are small and positive.
        let days = crate::support::time::days_from_civil(year, month as u32, day as u32);
        Ok(days * 86_400 + hour * 3600 + minute * 60 + second)
    }
}

/// An OBJECT IDENTIFIER's contents, checked by [`Tlv::oid`]; `Display` writes it dotted, which
/// is the one form the crate names known OIDs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Oid<'a>(&'a [u8]);

impl fmt::Display for Oid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut arc: u64 = 0;
        let mut first = true;
        for &b in self.0 {
            arc = arc << 7 | u64::from(b & 0x7f);
            if b & 0x80 != 0 {
                continue;
            }
            if first {
                // The first subidentifier packs two arcs: 40 * first + second, first <= 2.
                let top = (arc / 40).min(2);
                write!(f, "{top}.{}", arc - 40 * top)?;
                first = false;
            } else {
                write!(f, ".{arc}")?;
            }
            arc = 0;
        }
        Ok(())
    }
}

/// The single value `data` holds, which must have this tag; nothing may follow it.
pub fn only(data: &[u8], tag: u8) -> Result<Tlv<'_>, Error> {
    let mut reader = Reader::new(data);
    let value = reader.required(tag)?;
    reader.finish()?;
    Ok(value)
}

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`
/// (RFC 5280, section 4.1.1.2): the OID and the parameters, if any.
pub fn algorithm<'a>(r: &mut Reader<'a>) -> Result<(Oid<'a>, Option<Tlv<'a>>), Error> {
    let mut inner = r.required(SEQUENCE)?.contents()?;
    let oid = inner.required(OID)?.oid()?;
    let parameters = if inner.is_empty() {
        None
    } else {
        Some(inner.read()?)
    };
    inner.finish()?;
    Ok((oid, parameters))
}
