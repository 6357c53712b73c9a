//! base64 as people paste it, and its errors: the one lenient reader (Secrets, kubeconfigs,
//! JWKs, PEM bodies) and the padding and length rules the strict base64url of a JWS shares
//! (`token::b64`). Errors name the offending character and its byte offset, which is what a
//! user needs to find a copy-and-paste accident; PEM turns the offset into a line.

use std::fmt;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

/// What is wrong with a base64 text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum B64Error {
    /// A character outside the alphabet, or padding where none may be.
    InvalidCharacter {
        /// Byte offset of the character in the text read (white space included).
        offset: usize,
        /// The character.
        character: char,
    },
    /// A length no base64 text can have (after removing padding and white space).
    InvalidLength {
        /// Number of base64 characters.
        length: usize,
    },
}

impl std::error::Error for B64Error {}

impl fmt::Display for B64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            B64Error::InvalidCharacter { offset, character } => {
                write!(f, "character {character:?} at offset {offset}")
            }
            B64Error::InvalidLength { length } => write!(
                f,
                "{length} characters is not a possible base64 length (one is missing or extra)"
            ),
        }
    }
}

/// The `=` seen so far. Padding may only end the text, and at most two: when data follows
/// it, the first `=` is the character to blame (not the innocent letter after it).
#[derive(Default)]
pub struct Padding {
    first: Option<usize>,
    count: usize,
}

impl Padding {
    /// Notes an `=` at `offset`, refusing a third.
    pub fn add(&mut self, offset: usize) -> Result<(), B64Error> {
        if self.count == 2 {
            return Err(B64Error::InvalidCharacter {
                offset,
                character: '=',
            });
        }
        self.first.get_or_insert(offset);
        self.count += 1;
        Ok(())
    }

    /// Refuses data after padding, blaming the first `=`.
    pub fn before_data(&self) -> Result<(), B64Error> {
        match self.first {
            Some(offset) => Err(B64Error::InvalidCharacter {
                offset,
                character: '=',
            }),
            None => Ok(()),
        }
    }
}

/// A length of base64 characters that cannot end on a byte boundary.
pub fn check_length(length: usize) -> Result<(), B64Error> {
    if length % 4 == 1 {
        Err(B64Error::InvalidLength { length })
    } else {
        Ok(())
    }
}

/// Decodes base64 as it is pasted: standard or URL-safe alphabet (even mixed), padding
/// optional, white space (line wrapping, YAML indentation) and JSON-escaped `\n` ignored.
/// Being lenient costs nothing because what is decoded is read strictly next (DER, UTF-8,
/// JSON), and that says what is really wrong.
pub fn decode_lenient(text: &str) -> Result<Vec<u8>, B64Error> {
    read_lenient(text).map_err(|(_, e)| e)
}

/// [`decode_lenient`], with the byte offset of the problem: the character at fault, or for a
/// bad length the end of the last base64 character, so PEM errors can name a line.
pub fn read_lenient(text: &str) -> Result<Vec<u8>, (usize, B64Error)> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_encode_padding(false)
            .with_decode_padding_mode(DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );
    let mut clean = String::with_capacity(text.len());
    let mut padding = Padding::default();
    let mut end = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let data = match c {
            c if c.is_whitespace() => continue,
            '\\' if matches!(chars.peek(), Some((_, 'n' | 'r'))) => {
                chars.next();
                continue;
            }
            '=' => {
                padding.add(at).map_err(|e| (at, e))?;
                None
            }
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' => Some(c),
            '-' => Some('+'),
            '_' => Some('/'),
            character => {
                let e = B64Error::InvalidCharacter {
                    offset: at,
                    character,
                };
                return Err((at, e));
            }
        };
        if let Some(data) = data {
            padding
                .before_data()
                .map_err(|e| (padding.first.unwrap_or(at), e))?;
            clean.push(data);
        }
        end = at + c.len_utf8();
    }
    let length = clean.len();
    check_length(length).map_err(|e| (end, e))?;
    LENIENT
        .decode(clean)
        .map_err(|_| (end, B64Error::InvalidLength { length }))
}

// Tests may panic: that is how they fail.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_lenient_where_it_is_safe() {
        let ok = |text: &str, bytes: &[u8]| assert_eq!(read_lenient(text), Ok(bytes.to_vec()));
        ok("aGk=", b"hi");
        ok("aGk", b"hi");
        ok(" a G\n k =\r\n", b"hi");
        ok("aG\nk=\n", b"hi");
        ok("aGk\\n", b"hi");
        ok("-_8", &[0xfb, 0xff]);
        ok("+/8=", &[0xfb, 0xff]);
        ok("", b"");
        let bad = |offset, character| (offset, B64Error::InvalidCharacter { offset, character });
        // Misplaced padding is to blame, not the letter after it.
        assert_eq!(read_lenient("aG=k"), Err(bad(2, '=')));
        assert_eq!(read_lenient("aGk=\naGk="), Err(bad(3, '=')));
        assert_eq!(read_lenient("aGk==="), Err(bad(5, '=')));
        assert_eq!(read_lenient("ab\n!c"), Err(bad(3, '!')));
        // Offsets are bytes: here the same as characters, since only white space may be
        // anything but ASCII before the character at fault.
        assert_eq!(read_lenient("é"), Err(bad(0, 'é')));
        assert_eq!(read_lenient("a\u{a0}b!"), Err(bad(4, '!')));
        assert_eq!(
            read_lenient("aGkab \n"),
            Err((5, B64Error::InvalidLength { length: 5 }))
        );
        assert_eq!(
            decode_lenient("aGkab").unwrap_err().to_string(),
            "5 characters is not a possible base64 length (one is missing or extra)"
        );
    }
}
