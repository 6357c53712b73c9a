//! Splitting and decoding compact JWS tokens, with errors that point at the broken part.
//!
//! Only decoding lives here; what the claims mean is `claims.rs`, and whether the signature
//! holds is `keys.rs` plus the browser's WebCrypto.

use serde_json::{Map, Value};

use crate::support::error::{Segment, TokenError};
use crate::token::b64::{self, B64Error};

/// The largest input the inspector processes. Real tokens are 1-2 KiB; a kubeconfig with
/// embedded certificates a few tens of KiB. Anything larger is a mistake or an attack.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;

/// A decoded but not yet verified token.
#[derive(Clone, Debug, PartialEq)]
pub struct RawJwt {
    /// The header part as it was in the token (base64url).
    pub header_b64: String,
    /// The payload part as it was in the token (base64url).
    pub payload_b64: String,
    /// The signature part as it was in the token (base64url); empty for `alg: none`.
    pub signature_b64: String,
    /// The header's JSON object, key order preserved.
    pub header: Map<String, Value>,
    /// The payload's JSON object, key order preserved.
    pub payload: Map<String, Value>,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

impl RawJwt {
    /// The bytes a JWS signature covers: `header_b64 "." payload_b64`.
    pub fn signing_input(&self) -> String {
        format!("{}.{}", self.header_b64, self.payload_b64)
    }

    /// The header's `alg`, when it is a string.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The header's `kid`, when it is a string (legacy tokens carry `""`).
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// The header as indented JSON, for the raw view and its copy button.
    pub fn header_pretty(&self) -> String {
        pretty(&self.header)
    }

    /// The payload as indented JSON, for the raw view and its copy button.
    pub fn payload_pretty(&self) -> String {
        pretty(&self.payload)
    }
}

fn pretty(map: &Map<String, Value>) -> String {
    serde_json::to_string_pretty(map).unwrap_or_default()
}

/// Decodes a compact JWS (`header.payload.signature`) that has no white space in it.
///
/// Call [`crate::inspect::input::recognise`] first for anything a user pasted: it strips `Bearer`,
/// line breaks and the wrappers a token comes in.
pub fn decode(token: &str) -> Result<RawJwt, TokenError> {
    if token.is_empty() {
        return Err(TokenError::Empty);
    }
    if token.len() > MAX_INPUT_BYTES {
        return Err(TokenError::TooLarge {
            bytes: token.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let parts: Vec<&str> = token.split('.').collect();
    let (header_b64, payload_b64, signature_b64) = match parts.as_slice() {
        [h, p, s] => (*h, *p, *s),
        [_] => return Err(TokenError::NoDots),
        [_, _] => return Err(TokenError::MissingSignature),
        [h, _, _, _, _] if header_has_enc(h) => return Err(TokenError::Encrypted),
        other => return Err(TokenError::SegmentCount { found: other.len() }),
    };
    let header = decode_object(header_b64, Segment::Header, 0)?;
    let payload = decode_object(payload_b64, Segment::Payload, header_b64.len() + 1)?;
    let signature = b64::decode_url(signature_b64).map_err(|e| {
        located(
            e,
            Segment::Signature,
            header_b64.len() + payload_b64.len() + 2,
        )
    })?;
    Ok(RawJwt {
        header_b64: header_b64.to_string(),
        payload_b64: payload_b64.to_string(),
        signature_b64: signature_b64.to_string(),
        header,
        payload,
        signature,
    })
}

/// True when a first part decodes to a JSON object with `enc`, the mark of a JWE.
fn header_has_enc(part: &str) -> bool {
    b64::decode_url(part)
        .ok()
        // Through text, as every other JSON is read: one copy of serde_json's reader.
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .is_some_and(|v| v.get("enc").is_some())
}

fn decode_object(
    part: &str,
    segment: Segment,
    start: usize,
) -> Result<Map<String, Value>, TokenError> {
    if part.is_empty() {
        return Err(TokenError::EmptySegment { segment });
    }
    let bytes = b64::decode_url(part).map_err(|e| located(e, segment, start))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| TokenError::NotUtf8 {
        segment,
        byte: e.valid_up_to(),
        near_character: e.valid_up_to() * 4 / 3,
    })?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(TokenError::NotObject {
            segment,
            found: crate::formats::json::kind(&other),
        }),
        Err(e) => Err(TokenError::NotJson {
            segment,
            line: e.line(),
            // serde_json says column 0 at the very start of a line (e.g. end of input after a
            // newline); people count from 1.
            column: e.column().max(1),
            message: crate::formats::json::message(&e),
        }),
    }
}

fn located(error: B64Error, segment: Segment, start: usize) -> TokenError {
    match error {
        B64Error::InvalidCharacter { offset, character } => TokenError::InvalidCharacter {
            segment,
            offset,
            token_offset: start + offset,
            character,
        },
        B64Error::InvalidLength { length } => TokenError::InvalidLength { segment, length },
    }
}
