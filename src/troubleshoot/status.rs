//! The JSON `Status` object (`{"kind":"Status","code":403,…}`) found inside pasted text: curl
//! prints it bare, Python's `ApiException` after `HTTP response body: `, sometimes as a
//! bytes literal (`b'{…}'`), and `kubectl -v=8` after `Response Body: `.
//!
//! Its `message` is the same grammar kubectl prints, with `details` (`name`, `group`, `kind`)
//! beside it, so the 403 is read by [`super::grammar`] and completed from `details`.

use serde_json::Value;

use super::{grammar, Diagnosis, Form, NotRecognised, Unauthorized};

/// Most `"kind"` keys looked at, from the end; a paste rarely holds more than one Status.
const MAX_KINDS: usize = 8;

/// Most opening braces tried before each `"kind"`: the object's own, or an enclosing one
/// when `kind` is not its first key.
const MAX_OPENS: usize = 3;

/// The last Status object in `text` that is a 401 or 403, with where it starts.
pub(super) fn find(text: &str) -> Option<(usize, Diagnosis)> {
    let mut tried: Vec<usize> = Vec::new();
    for (k, _) in text.rmatch_indices("\"kind\"").take(MAX_KINDS) {
        let after = text.get(k + 6..).unwrap_or_default().trim_start();
        let is_status = after
            .strip_prefix(':')
            .is_some_and(|a| a.trim_start().starts_with("\"Status\""));
        if !is_status {
            continue;
        }
        let mut end = k;
        for _ in 0..MAX_OPENS {
            let Some(open) = text.get(..end).and_then(|b| b.rfind('{')) else {
                break;
            };
            end = open;
            if tried.contains(&open) {
                continue;
            }
            tried.push(open);
            let Some(value) = object_at(text, open) else {
                continue;
            };
            if value.get("kind").and_then(Value::as_str) == Some("Status") {
                if let Some(d) = diagnose(&value) {
                    return Some((open, d));
                }
                break;
            }
        }
    }
    None
}

/// The JSON object starting at `open`, ignoring what follows it. A Python bytes literal
/// (`b'{…}'`) doubles every backslash, so when plain JSON fails there, it is undone first.
fn object_at(text: &str, open: usize) -> Option<Value> {
    let rest = text.get(open..)?;
    if let Some(v) = first_value(rest) {
        return Some(v);
    }
    if !text.get(..open)?.ends_with("b'") {
        return None;
    }
    let mut body = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => break,
            '\\' => match chars.next()? {
                '\\' => body.push('\\'),
                '\'' => body.push('\''),
                other => {
                    body.push('\\');
                    body.push(other);
                }
            },
            _ => body.push(c),
        }
    }
    first_value(&body)
}

fn first_value(text: &str) -> Option<Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .next()?
        .ok()
        .filter(Value::is_object)
}

/// A 401 or 403 Status as a diagnosis; `None` for other statuses (404, 409, …).
fn diagnose(status: &Value) -> Option<Diagnosis> {
    let code = status.get("code").and_then(Value::as_u64);
    let reason = status.get("reason").and_then(Value::as_str).unwrap_or("");
    let message = status.get("message").and_then(Value::as_str).unwrap_or("");
    if code == Some(401) || reason == "Unauthorized" {
        let message = if message.is_empty() {
            "Unauthorized"
        } else {
            message
        };
        return Some(Diagnosis::Unauthorized(Unauthorized {
            message: message.to_string(),
            form: Form::Status,
        }));
    }
    if code != Some(403) && reason != "Forbidden" {
        return None;
    }
    let parsed = message
        .find("User \"")
        .and_then(|at| grammar::parse_line(message, at));
    let Some(mut f) = parsed else {
        return Some(Diagnosis::NotRecognised(NotRecognised::NotAuthorization {
            message: message.to_string(),
        }));
    };
    f.form = Form::Status;
    let details = status.get("details");
    let detail = |key: &str| {
        details
            .and_then(|d| d.get(key))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if f.name.is_none() && f.path.is_none() {
        f.name = detail("name");
    }
    if f.group.is_empty() && f.path.is_none() {
        if let Some(group) = detail("group") {
            f.group = group;
        }
    }
    Some(Diagnosis::Forbidden(f))
}
