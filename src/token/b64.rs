//! Strict base64url for the segments of a JWS, reporting where it failed.
//!
//! The `base64` crate does the decoding; this module first checks the alphabet and length by
//! hand so an error can name the offending character and its offset, which is what a user
//! needs to find a copy-and-paste accident. The lenient reader for base64 as it is pasted
//! (Secrets, kubeconfigs, PEM) is [`crate::support::base64_text::decode_lenient`], re-exported
//! here with the error type and padding rule both share.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::support::base64_text::{check_length, Padding};
pub use crate::support::base64_text::{decode_lenient, B64Error};

/// Padding optional, stray trailing bits tolerated: tokens in the wild come both ways and a
/// lenient decode lets a later, more specific check (UTF-8, JSON) say what is really wrong.
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// Decodes one JWT segment: base64url without white space, padding optional. Offsets in
/// errors are bytes, which before the character at fault are all ASCII, so also characters.
pub fn decode_url(text: &str) -> Result<Vec<u8>, B64Error> {
    let mut length = 0;
    let mut padding = Padding::default();
    for (offset, character) in text.char_indices() {
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
}
