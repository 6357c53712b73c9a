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

/// Deepest nesting of a Status candidate, as serde_json's own limit: a deeper object is never
/// read, so it is not scanned to its end either.
const MAX_DEPTH: usize = 128;

/// What finding Status objects cost, in bytes: what the bracket scans looked at and what was
/// handed to the JSON parser. Tests bound both by the paste's size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusWork {
    /// Bytes looked at by the scans that find where each candidate object ends.
    pub scanned: usize,
    /// Bytes handed to the JSON parser.
    pub parsed: usize,
}

/// Where each candidate object tried so far ends: `Some(close)` for one that closes, `None`
/// for one that never does (cut short, mismatched, or nested deeper than [`MAX_DEPTH`]). A
/// scan that reaches a known candidate jumps over it, so nested candidates (a Status inside a
/// Status, each left open) are scanned once in all, not once each.
#[derive(Default)]
struct Ends {
    known: Vec<(usize, Option<usize>)>,
}

impl Ends {
    fn get(&self, open: usize) -> Option<Option<usize>> {
        self.known
            .iter()
            .find(|(o, _)| *o == open)
            .map(|(_, end)| *end)
    }

    /// Where the object opening at `open` ends, by a scan of its brackets outside strings.
    /// A close is only a candidate's end: the parser still decides whether it is JSON.
    fn end(&mut self, text: &[u8], open: usize, work: &mut StatusWork) -> Option<usize> {
        if let Some(known) = self.get(open) {
            return known;
        }
        let found = self.scan(text, open, work);
        self.known.push((open, found));
        found
    }

    fn scan(&self, text: &[u8], open: usize, work: &mut StatusWork) -> Option<usize> {
        let mut depth = 0usize;
        let mut at = open;
        let mut in_string = false;
        // The first key must come at once: `{\"kind\"` (an object escaped inside a string)
        // is not one, and is not scanned.
        let first = text
            .get(open + 1..)?
            .iter()
            .find(|b| !b.is_ascii_whitespace())?;
        if !matches!(first, b'"' | b'}') {
            return None;
        }
        while let Some(&b) = text.get(at) {
            work.scanned += 1;
            if in_string {
                match b {
                    b'\\' => at += 1,
                    b'"' => in_string = false,
                    _ => {}
                }
                at += 1;
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => {
                    if at != open && depth > 0 {
                        if let Some(known) = self.get(at) {
                            // Its value reads the same inside this one.
                            at = known?.saturating_add(1);
                            continue;
                        }
                    }
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return None;
                    }
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return (b == b'}').then_some(at);
                    }
                }
                _ => {}
            }
            at += 1;
        }
        None
    }
}

/// The last Status object in `text` that is a 401 or 403, with where it starts, adding what
/// it cost to `work`. Each candidate object is scanned for its end at most once (nested ones
/// once in all) and parsed at most once, and only when it closes.
pub(super) fn find(text: &str, work: &mut StatusWork) -> Option<(usize, Diagnosis)> {
    let mut ends = Ends::default();
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
            let Some(value) = object_at(text, open, &mut ends, work) else {
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
fn object_at(text: &str, open: usize, ends: &mut Ends, work: &mut StatusWork) -> Option<Value> {
    let rest = text.get(open..)?;
    let bytes_literal = text.get(..open)?.ends_with("b'");
    if let Some(close) = ends.end(text.as_bytes(), open, work) {
        let object = text.get(open..=close)?;
        work.parsed += object.len();
        if let Some(v) = first_value(object) {
            return Some(v);
        }
    }
    if !bytes_literal {
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
    work.scanned += body.len();
    let close = Ends::default().end(body.as_bytes(), 0, work)?;
    let object = body.get(..=close)?;
    work.parsed += object.len();
    first_value(object)
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
