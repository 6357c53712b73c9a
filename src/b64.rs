//! Base64 decoding that reports where it failed.
//!
//! The `base64` crate does the decoding; this module first checks the alphabet and length by
//! hand so an error can name the offending character and its offset, which is what a user
//! needs to find a copy-and-paste accident.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// What is wrong with a base64 text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum B64Error {
    /// A character outside the alphabet, at a 0-based character offset.
    InvalidCharacter {
        /// Offset in characters (white space included, for the lenient decoders).
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

impl std::fmt::Display for B64Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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

/// Padding optional, stray trailing bits tolerated: tokens in the wild come both ways and a
/// lenient decode lets a later, more specific check (UTF-8, JSON) say what is really wrong.
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);

/// Decodes one JWT segment: base64url without white space, padding optional.
pub fn decode_url(text: &str) -> Result<Vec<u8>, B64Error> {
    let mut length = 0;
    let mut padding = Padding::default();
    for (offset, character) in text.chars().enumerate() {
        match character {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' => {
                padding.before_data()?;
                length += 1;
            }
            '=' => padding.add(offset)?,
            _ => return Err(B64Error::InvalidCharacter { offset, character }),
        }
    }
    check_length(length)?;
    let unpadded = text.trim_end_matches('=');
    URL_SAFE
        .decode(unpadded)
        .map_err(|_| B64Error::InvalidLength { length })
}

/// Decodes base64 as it appears in Secrets and kubeconfigs: standard or URL alphabet, white
/// space (line wrapping) ignored, padding optional.
pub fn decode_lenient(text: &str) -> Result<Vec<u8>, B64Error> {
    let mut cleaned = String::with_capacity(text.len());
    let mut url_alphabet = false;
    let mut padding = Padding::default();
    for (offset, character) in text.chars().enumerate() {
        match character {
            c if c.is_ascii_whitespace() => {}
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' => {
                padding.before_data()?;
                cleaned.push(character);
            }
            '-' | '_' => {
                padding.before_data()?;
                url_alphabet = true;
                cleaned.push(character);
            }
            '=' => padding.add(offset)?,
            _ => return Err(B64Error::InvalidCharacter { offset, character }),
        }
    }
    let length = cleaned.len();
    check_length(length)?;
    let engine = if url_alphabet { &URL_SAFE } else { &STANDARD };
    engine
        .decode(cleaned.as_bytes())
        .map_err(|_| B64Error::InvalidLength { length })
}

/// True when `text`, ignoring white space, is made only of base64 characters: a cheap test
/// used to recognise "the base64 of a token" before trying to decode it.
pub fn looks_like_base64(text: &str) -> bool {
    let mut any = false;
    for c in text.chars() {
        match c {
            c if c.is_ascii_whitespace() => {}
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' | '-' | '_' | '=' => any = true,
            _ => return false,
        }
    }
    any
}

/// The `=` seen so far. Padding may only end the text, and at most two: when data follows
/// it, the first `=` is the character to blame (not the innocent letter after it).
#[derive(Default)]
struct Padding {
    first: Option<usize>,
    count: usize,
}

impl Padding {
    fn add(&mut self, offset: usize) -> Result<(), B64Error> {
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

    fn before_data(&self) -> Result<(), B64Error> {
        match self.first {
            Some(offset) => Err(B64Error::InvalidCharacter {
                offset,
                character: '=',
            }),
            None => Ok(()),
        }
    }
}

fn check_length(length: usize) -> Result<(), B64Error> {
    if length % 4 == 1 {
        Err(B64Error::InvalidLength { length })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_decodes_with_and_without_padding() {
        assert_eq!(decode_url("aGk").as_deref(), Ok(&b"hi"[..]));
        assert_eq!(decode_url("aGk=").as_deref(), Ok(&b"hi"[..]));
        assert_eq!(decode_url("").as_deref(), Ok(&b""[..]));
    }

    #[test]
    fn url_names_the_bad_character() {
        assert_eq!(
            decode_url("ab+c"),
            Err(B64Error::InvalidCharacter {
                offset: 2,
                character: '+'
            })
        );
        // The misplaced padding is to blame, not the letter after it.
        assert_eq!(
            decode_url("ab=c"),
            Err(B64Error::InvalidCharacter {
                offset: 2,
                character: '='
            })
        );
        assert_eq!(
            decode_url("token=eyJ"),
            Err(B64Error::InvalidCharacter {
                offset: 5,
                character: '='
            })
        );
        assert_eq!(
            decode_url("ab==="),
            Err(B64Error::InvalidCharacter {
                offset: 4,
                character: '='
            })
        );
        assert_eq!(
            decode_url("abcde"),
            Err(B64Error::InvalidLength { length: 5 })
        );
    }

    #[test]
    fn lenient_accepts_wrapped_standard_and_url_alphabets() {
        assert_eq!(decode_lenient("aG\nk=\n").as_deref(), Ok(&b"hi"[..]));
        assert_eq!(decode_lenient("-_8").as_deref(), Ok(&[0xfb, 0xff][..]));
        assert_eq!(decode_lenient("+/8=").as_deref(), Ok(&[0xfb, 0xff][..]));
        assert_eq!(
            decode_lenient("ab\n!c"),
            Err(B64Error::InvalidCharacter {
                offset: 3,
                character: '!'
            })
        );
        assert_eq!(
            decode_lenient("aGk=\naGk="),
            Err(B64Error::InvalidCharacter {
                offset: 3,
                character: '='
            })
        );
    }
}
