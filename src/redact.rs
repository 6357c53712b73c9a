//! Masking secrets for screenshots and projectors, without changing what was decoded.
//!
//! A workshop projector or a bug-report screenshot shows the screen to people who should not
//! get a working token. With the **Redact** switch on, the pages render from masked copies of
//! what they show: the token's signature (without it the token is useless) and its payload
//! segment (whose base64url spells out every uid in it), uids and `jti` (they identify real
//! objects and, in `extra`, the credential). Names, times and claims that explain the token
//! stay readable. The decoded values in the state are untouched, so switching back shows
//! everything again, and **Copy** and **Download** still give the working values.
//!
//! Masking happens to the inputs, by what each value is, before any YAML, JSON or command is
//! written from them: a mask applied to the output's text would miss every form the writers
//! give a secret (escaped, quoted, wrapped) that differs from the text pasted. Under that,
//! [`masked`] is the net for text a page quotes from a paste as it came (an error line, a
//! reason, a cell): it finds secrets by their shape, and every page renders such text through
//! it (`ui::components::Screen`).

mod text;

pub use text::{hide, masked, secret_spans, secret_spans_counted, Secret, Span};

use serde_json::{Map, Value};

use crate::inspect::input::clean_token;
use crate::kubeconfig::{self, KubeconfigForm, KubeconfigOutput};
use crate::support::time::UnixSeconds;
use crate::token::jwt::{self, RawJwt};
use crate::troubleshoot::unauthorized::{Check, Related};

/// What a masked value shows: a short prefix, so two values can still be told apart, then a
/// fixed run of dots, so the length is not given away either.
pub fn mask(text: &str) -> String {
    let keep: String = text.chars().take(4).collect();
    format!("{keep}••••••••")
}

/// Whether a claim, header field or `extra` key holds an identifier to mask: any `uid`,
/// `jti` (the token's id), and `credential-id` (which is `JTI=<jti>`).
pub fn is_sensitive(name: &str) -> bool {
    let last = name.rsplit(['.', '/']).next().unwrap_or(name);
    last == "uid" || last.ends_with("-uid") || last == "jti" || last == "credential-id"
}

/// What stands for the secret part of a token in a generated file or command. ASCII letters
/// and `-` only, as in a token itself: every writer (YAML, shell quoting) passes it through as
/// it is, and no check of the token's characters refuses it.
const TOKEN_MASK: &str = "-REDACTED";

/// A bearer token as a generated file or command shows it with Redact on: for a JWT, the
/// header (no secret, and its `kid` tells tokens of different keys apart), then the payload
/// and signature each cut to four characters and marked; any other token cut to the same.
/// The token is read as the inspector reads it, so a line-wrapped copy is recognised too.
pub fn token(text: &str) -> String {
    let compact = clean_token(text).0;
    match jwt::decode(&compact) {
        Ok(jwt) if header_is_plain(&jwt) => {
            let signature = if jwt.signature_b64.is_empty() {
                String::new()
            } else {
                token_part(&jwt.signature_b64)
            };
            format!(
                "{}.{}.{signature}",
                jwt.header_b64,
                token_part(&jwt.payload_b64)
            )
        }
        _ => token_part(&compact),
    }
}

/// Up to four leading characters of a token segment that can only be letters, digits, `-`
/// or `_` (so no quote or control character of a malformed token is carried along), then
/// [`TOKEN_MASK`].
fn token_part(text: &str) -> String {
    let keep: String = text
        .chars()
        .take(4)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    format!("{keep}{TOKEN_MASK}")
}

/// Whether the header holds nothing to mask, so its base64url may be shown as it is.
fn header_is_plain(jwt: &RawJwt) -> bool {
    masked_map(&jwt.header) == jwt.header
}

/// A copy of `jwt` to render with Redact on. Its payload and signature segments are masked,
/// and so is its header segment if the header holds an identifier; every sensitive value is
/// masked wherever it sits in the header and payload (also under claims this tool does not
/// know); the signature's bytes are zeroed, keeping only their count, which the page shows.
/// Explained like the real token, it gives the same report with those values masked.
pub fn jwt(jwt: &RawJwt) -> RawJwt {
    let header = masked_map(&jwt.header);
    let header_b64 = if header == jwt.header {
        jwt.header_b64.clone()
    } else {
        mask(&jwt.header_b64)
    };
    let signature_b64 = if jwt.signature_b64.is_empty() {
        String::new()
    } else {
        mask(&jwt.signature_b64)
    };
    RawJwt {
        header_b64,
        payload_b64: mask(&jwt.payload_b64),
        signature_b64,
        header,
        payload: masked_map(&jwt.payload),
        signature: vec![0; jwt.signature.len()],
    }
}

/// What the kubeconfig builder shows with Redact on: the kubeconfig, the kubectl script and
/// the curl command written again from the values `output` wrote, with the token replaced by
/// its [`token`] mask, so no escaping, quoting or line break a writer gives the token can
/// carry it past the mask. `None` when `output` wrote nothing, or the masked copy could not be
/// written (then nothing is shown rather than the real thing).
pub fn kubeconfig(output: &KubeconfigOutput, now: UnixSeconds) -> Option<KubeconfigOutput> {
    output.yaml.as_ref()?;
    let form = KubeconfigForm {
        token: token(&output.written.token),
        ..output.written.clone()
    };
    let shown = kubeconfig::build(&form, now);
    shown.yaml.is_some().then_some(shown)
}

/// `map` with every sensitive scalar masked, at any depth.
fn masked_map(map: &Map<String, Value>) -> Map<String, Value> {
    let mut copy = Value::Object(map.clone());
    // An explicit stack: nesting comes from the token, so no recursion.
    let mut stack = vec![&mut copy];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(object) => {
                for (key, child) in object.iter_mut() {
                    if is_sensitive(key) && !child.is_object() && !child.is_array() {
                        *child = Value::String(mask(&text_of(child)));
                    } else {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    match copy {
        Value::Object(masked) => masked,
        _ => Map::new(),
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The 401 checklist as Redact shows it: each uid and `jti` of the token, and each uid of the
/// pasted objects, masked wherever a reason quotes it. The checks are made from the real
/// values (masked ones would compare equal by their prefix), so their marks stay true. Uids
/// are plain hex and dashes, quoted as they are, so replacing their text finds every copy.
pub fn checks(checks: &[Check], jwt: &RawJwt, related: &Related) -> Vec<Check> {
    let mut secrets: Vec<String> = related.objects.iter().map(|o| o.uid.clone()).collect();
    let mut stack: Vec<&Value> = jwt.payload.values().collect();
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    if is_sensitive(key) && !child.is_object() && !child.is_array() {
                        secrets.push(text_of(child));
                    } else {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    for (key, value) in &jwt.payload {
        if is_sensitive(key) {
            secrets.push(text_of(value));
        }
    }
    secrets.retain(|s| s.len() >= 8);
    checks
        .iter()
        .map(|check| {
            let mut why = check.why.clone();
            for secret in &secrets {
                if why.contains(secret.as_str()) {
                    why = why.replace(secret.as_str(), &mask(secret));
                }
            }
            Check {
                why,
                ..check.clone()
            }
        })
        .collect()
}
