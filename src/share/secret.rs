//! What a share link must never carry: tokens (raw, `Bearer`, base64 as in a Secret), JWS
//! signatures, private keys, a Secret's `data`, a `jti` or credential id, and uids.
//!
//! A link ends up in chat logs, tickets and browser history, so the check errs toward
//! refusing: it looks at each field's text by what a secret looks like, not by which field it
//! was typed in, since people paste tokens anywhere.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

use crate::formats::yaml;
use crate::inspect::input;
use crate::redact;
use crate::token::jwt;

/// Why a link was not made: which field holds what kind of secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The form field, as the page labels it.
    pub field: String,
    /// What was found there.
    pub secret: Secret,
}

/// The kinds of secret a link refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secret {
    /// A bearer token: a JWT, raw, after `Bearer`, or base64-encoded.
    Token,
    /// A long random base64url run, such as a JWS signature.
    Signature,
    /// A PEM private key or a private JWK.
    PrivateKey,
    /// A Secret object with `data` or `stringData`.
    SecretData,
    /// A token's `jti`, or the credential id (`JTI=…`) that carries it.
    Jti,
    /// An object's uid (`metadata.uid`, a bound object's uid).
    Uid,
}

impl Secret {
    fn words(self) -> &'static str {
        match self {
            Secret::Token => "a token, which would let anyone who sees the link act as its service account",
            Secret::Signature => "what looks like a JWS signature or other random secret",
            Secret::PrivateKey => "a private key",
            Secret::SecretData => "a Secret's data (remove the Secret, or its data and stringData)",
            Secret::Jti => "a token's jti or credential id, which identifies a real credential",
            Secret::Uid => "a uid, which identifies a real object (remove the metadata.uid lines, or the uid field)",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "No link was made: {} holds {}. Links end up in chats and browser history; remove it and copy the link again.",
            self.field,
            self.secret.words()
        )
    }
}

/// The first secret in `text`, if any. `certificate_field` allows certificates (PEM or the
/// base64 of PEM or DER), whose long base64 runs are public.
pub fn find(text: &str, certificate_field: bool) -> Option<Secret> {
    if text.trim().is_empty() {
        return None;
    }
    if let Some(found) = masked_by_redact(text) {
        return Some(found);
    }
    if (text.contains("\"kty\"") && has_key(text, "d")) || text.contains("PRIVATE KEY") {
        return Some(Secret::PrivateKey);
    }
    if holds_token(text) {
        return Some(Secret::Token);
    }
    if let Some(found) = in_objects(text) {
        return Some(found);
    }
    if has_key(text, "jti") || text.contains("JTI=") || has_key(text, "credential-id") {
        return Some(Secret::Jti);
    }
    if has_uuid(text) || has_key(text, "uid") {
        return Some(Secret::Uid);
    }
    let scanned = if certificate_field {
        without_certificates(text)
    } else {
        text.to_string()
    };
    random_run(&scanned).then_some(Secret::Signature)
}

/// What Redact would mask in `text`, the gravest first: whatever the screen hides, a link
/// never carries.
fn masked_by_redact(text: &str) -> Option<Secret> {
    redact::secret_spans(text)
        .iter()
        .map(|span| match span.kind {
            redact::Secret::PrivateKey => Secret::PrivateKey,
            redact::Secret::SecretData => Secret::SecretData,
            redact::Secret::Jwt | redact::Secret::EncodedJwt | redact::Secret::Credential => {
                Secret::Token
            }
        })
        .min_by_key(|secret| match secret {
            Secret::PrivateKey => 0,
            Secret::Token => 1,
            _ => 2,
        })
}

/// Whether `text` holds a token Redact's scan does not see whole: one the inspector finds in
/// it (a kubeconfig, a Secret), or one cut across lines (line breaks and `\` taken out).
fn holds_token(text: &str) -> bool {
    if let Ok(found) = input::recognise(text) {
        if found
            .candidates
            .iter()
            .any(|c| jwt::decode(&c.token).is_ok())
        {
            return true;
        }
    }
    let compact: String = text
        .replace("\\\n", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    compact != text && masked_by_redact(&compact) == Some(Secret::Token)
}

/// Maximal runs of characters that satisfy `keep`.
fn runs<'a>(text: &'a str, keep: impl Fn(char) -> bool + 'a) -> impl Iterator<Item = &'a str> {
    text.split(move |c: char| !keep(c))
        .filter(|r| !r.is_empty())
}

/// A run of 43 or more base64url characters (a 256-bit value) mixing upper case, lower case
/// and digits: random, unlike any Kubernetes name, which is lower case.
fn random_run(text: &str) -> bool {
    runs(text, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '-' | '_')
    })
    .any(|run| {
        run.len() >= 43
            && run.chars().any(|c| c.is_ascii_uppercase())
            && run.chars().any(|c| c.is_ascii_lowercase())
            && run.chars().any(|c| c.is_ascii_digit())
    })
}

/// `text` without PEM certificate blocks, and empty when it is the base64 of a certificate.
fn without_certificates(text: &str) -> String {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if let Ok(bytes) = STANDARD.decode(compact.as_bytes()) {
        if bytes.starts_with(b"-----BEGIN CERTIFICATE") || bytes.first() == Some(&0x30) {
            return String::new();
        }
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start..).unwrap_or_default();
        match after.find("-----END CERTIFICATE-----") {
            Some(end) => {
                rest = after
                    .get(end + "-----END CERTIFICATE-----".len()..)
                    .unwrap_or_default();
            }
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// Whether `name` is used as a key: `name:` or `"name":` (white space allowed before the
/// colon), as in YAML and JSON.
fn has_key(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text.get(..at).and_then(|b| b.chars().next_back());
        let starts =
            before.is_none_or(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
        let after = text.get(at + name.len()..).unwrap_or_default();
        let after = after.strip_prefix('"').unwrap_or(after);
        starts && after.trim_start_matches([' ', '\t']).starts_with(':')
    })
}

/// Whether `text` holds a uid: 8-4-4-4-12 hex digits.
fn has_uuid(text: &str) -> bool {
    runs(text, |c| c.is_ascii_hexdigit() || c == '-').any(|run| {
        run.split('-')
            .map(str::len)
            .collect::<Vec<_>>()
            .windows(5)
            .any(|w| w == [8, 4, 4, 4, 12])
    })
}

/// What the objects in `text` (read as YAML or JSON documents) hold: a Secret with `data` or
/// `stringData`, or a key Redact masks (any `uid`, `jti`, `credential-id`) with a value.
fn in_objects(text: &str) -> Option<Secret> {
    let Ok(documents) = yaml::parse_documents(text) else {
        return (text.contains("kind: Secret") && text.contains("data"))
            .then_some(Secret::SecretData);
    };
    let mut stack: Vec<&Value> = documents.iter().collect();
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(object) => {
                let secret = object.get("kind").and_then(Value::as_str) == Some("Secret");
                if secret && (object.contains_key("data") || object.contains_key("stringData")) {
                    return Some(Secret::SecretData);
                }
                for (key, child) in object {
                    if redact::is_sensitive(key) && !child.is_null() {
                        return Some(if key.ends_with("uid") {
                            Secret::Uid
                        } else {
                            Secret::Jti
                        });
                    }
                    stack.push(child);
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    None
}
