//! Masking secrets for screenshots and projectors, without changing what was decoded.
//!
//! A workshop projector or a bug-report screenshot shows the screen to people who should not
//! get a working token. The **Redact** switch asks the page to render everything through
//! these functions: the token's signature (without it the token is useless), uids and `jti`
//! (they identify real objects and, in `extra`, the credential) are masked; names, times and
//! claims that explain the token stay readable. The decoded values in the state are untouched,
//! so switching back shows everything again.

use serde_json::{Map, Value};

use crate::explain::Report;

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

/// A compact token with its signature masked: still shows which token it is, no longer works.
pub fn token(compact: &str) -> String {
    match compact.rsplit_once('.') {
        Some((signed, signature)) if !signature.is_empty() => {
            format!("{signed}.{}", mask(signature))
        }
        _ => mask(compact),
    }
}

/// `text` with every occurrence of each secret replaced by its masked form (tokens by
/// [`token`]). Used on generated files and commands, which embed the token verbatim.
pub fn secrets_in(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| s.len() >= 8) {
        out = out.replace(secret, &token(secret));
    }
    out
}

/// The report with sensitive values masked.
pub fn report(mut report: Report) -> Report {
    for row in report.header.iter_mut().chain(report.claims.iter_mut()) {
        if is_sensitive(&row.name) {
            row.value = mask(&row.value);
        }
    }
    if let Some(identity) = report.identity.as_mut() {
        if let Some(uid) = identity.uid.as_mut() {
            *uid = mask(uid);
        }
        for (key, value) in identity.extra.iter_mut() {
            if is_sensitive(key) {
                *value = mask(value);
            }
        }
    }
    report
}

/// Indented JSON of `map` with sensitive values masked (for the raw payload view).
pub fn json(map: &Map<String, Value>) -> String {
    let mut copy = Value::Object(map.clone());
    // An explicit stack: payload nesting comes from the token, so no recursion.
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
    serde_json::to_string_pretty(&copy).unwrap_or_default()
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
