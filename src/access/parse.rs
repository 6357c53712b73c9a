//! Reading a whole paste: YAML documents, JSON objects and `List`s walked down to single
//! objects, repeats dropped as the API server would hold them, aggregation settled, the notes
//! capped; or a [`ParseError`] when nothing in it can be read.

use std::fmt;
use std::rc::Rc;

use serde_json::Value;

use super::aggregate;
use super::escalation::Objects;
use super::model::{num, sorted_by_name, Name, Note, Policy};
use super::read::{ReadRules, Reader};
use crate::formats::dump_stream::{DumpError, StreamError};
use crate::formats::yaml::YamlError;
use crate::support::error::InputError;
use crate::support::finding::Level;

/// Largest paste read. A whole cluster's RBAC is bigger than a token: a cluster with many
/// namespaces and operators easily passes the inspector's 1 MiB, so this allows 4 MiB (the
/// YAML reader's value cap still bounds the work).
pub const MAX_POLICY_BYTES: usize = 4 * 1024 * 1024;

/// Most notes listed for one paste. A dump can hold thousands of objects with the same problem
/// (every object pasted twice), and a page of thousands of identical lines helps no one.
pub const MAX_NOTES: usize = 200;

/// Why a paste could not be read at all. Problems with single objects are [`Note`]s instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Nothing pasted.
    Empty,
    /// Larger than [`MAX_POLICY_BYTES`].
    TooLarge {
        /// Size of the paste in bytes.
        bytes: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// YAML that does not parse.
    Yaml {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// JSON that does not parse.
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// Nesting deeper than any Kubernetes object.
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// Parsed, but holds no Role, ClusterRole, RoleBinding or ClusterRoleBinding.
    NoRbac {
        /// The kinds found instead, in order, without repeats.
        kinds: Vec<String>,
    },
    /// A file that could not be read as a stream of objects.
    Dump(DumpError),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const WHAT: &str =
            "kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml";
        match self {
            ParseError::Empty => write!(f, "Nothing to evaluate yet: paste the output of `{WHAT}`."),
            ParseError::TooLarge { bytes, limit } => write!(
                f,
                "The paste is {} KiB; the evaluator stops at {} KiB. Paste the namespaces you care about: `kubectl get roles,rolebindings -n NS -o yaml` plus the cluster-wide objects.",
                bytes / 1024,
                limit / 1024
            ),
            ParseError::Yaml { line, column, message } => write!(
                f,
                "This looks like YAML but does not parse: {message} (line {line}, column {column}). Paste the whole `{WHAT}` output."
            ),
            ParseError::Json { line, column, message } => write!(
                f,
                "This looks like JSON but does not parse: {message} (line {line}, column {column})."
            ),
            ParseError::TooDeep { limit } => write!(
                f,
                "The paste nests more than {limit} levels deep; no RBAC object does. It was not read."
            ),
            ParseError::NoRbac { kinds } if kinds.is_empty() => write!(
                f,
                "No Role, ClusterRole, RoleBinding or ClusterRoleBinding here: the documents have no `kind`. Paste the output of `{WHAT}`."
            ),
            ParseError::NoRbac { kinds } => write!(
                f,
                "No Role, ClusterRole, RoleBinding or ClusterRoleBinding here (found {}). Paste the output of `{WHAT}`.",
                kinds.join(", ")
            ),
            ParseError::Dump(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ParseError {}

impl From<StreamError<ParseError>> for ParseError {
    fn from(e: StreamError<ParseError>) -> Self {
        match e {
            StreamError::Dump(e) => ParseError::Dump(e),
            StreamError::Read(e) => e,
        }
    }
}

impl From<YamlError> for ParseError {
    fn from(e: YamlError) -> Self {
        match e {
            YamlError::Parse {
                line,
                column,
                message,
            } => ParseError::Yaml {
                line,
                column,
                message,
            },
            YamlError::TooDeep { limit } => ParseError::TooDeep { limit },
        }
    }
}

impl From<InputError> for ParseError {
    fn from(e: InputError) -> Self {
        match e {
            InputError::Yaml {
                line,
                column,
                message,
            } => ParseError::Yaml {
                line,
                column,
                message,
            },
            InputError::Json {
                line,
                column,
                message,
            } => ParseError::Json {
                line,
                column,
                message,
            },
            InputError::TooDeep { limit } => ParseError::TooDeep { limit },
            // parse_documents only reports the three above; anything else is still a
            // document that could not be read.
            other => ParseError::Yaml {
                line: 1,
                column: 1,
                message: other.to_string(),
            },
        }
    }
}

/// Reads pasted RBAC objects: a `List` (or `RoleList`, …) with `items`, several YAML documents,
/// one JSON object, a JSON array, or JSON objects one after another. Other kinds are skipped
/// with a note; an object that cannot be used is skipped with a note saying what is wrong, and
/// the rest are still read. Aggregated ClusterRoles are expanded before returning.
pub fn parse(text: &str) -> Result<Policy, ParseError> {
    parse_with_objects(text).0
}

/// [`parse()`], and the paste's ServiceAccounts, token Secrets and workloads for Escalation,
/// read from the same values (as [`crate::access::escalation::read_objects`] reads them).
pub fn parse_with_objects(text: &str) -> (Result<Policy, ParseError>, Objects) {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return (Err(ParseError::Empty), Objects::default());
    }
    if text.len() > MAX_POLICY_BYTES {
        let e = ParseError::TooLarge {
            bytes: text.len(),
            limit: MAX_POLICY_BYTES,
        };
        return (Err(e), Objects::default());
    }
    // The same reader as a file's: one object at a time.
    let mut stream = super::PolicyStream::new();
    if let Err(e) = stream.feed(trimmed.as_bytes()) {
        return (Err(e.into()), Objects::default());
    }
    let (policy, objects) = stream.finish_with_objects();
    (policy.map_err(ParseError::from), objects)
}

/// Reads `value`, found at `at` (empty for a lone document), and every object of the lists in
/// it, depth-first without recursion: a stack of (where, value), children pushed in reverse so
/// they come off in pasted order.
pub(super) fn walk(reader: &mut Reader, at: String, value: &Value) {
    let mut pending: Vec<(String, &Value)> = vec![(at, value)];
    while let Some((at, value)) = pending.pop() {
        let items = match value {
            Value::Array(items) => Some(items),
            Value::Object(map) if is_list(map) => match map.get("items") {
                Some(Value::Array(items)) => Some(items),
                Some(Value::Null) | None => continue,
                Some(_) => {
                    reader.note(Level::Warning, place(&at), "`items` is not a list");
                    continue;
                }
            },
            _ => None,
        };
        match items {
            Some(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    let item_at = if at.is_empty() {
                        format!("item {}", i + 1)
                    } else {
                        format!("{at}, item {}", i + 1)
                    };
                    pending.push((item_at, item));
                }
            }
            None => reader.object(&place(&at), value),
        }
    }
}

/// Reads `value`, an object whose `rules` entries were read as they came (`rules`), found at
/// `at`: a role gets those rules; a list is walked as [`walk`] walks it (a list's own `rules`
/// mean nothing, as any other object's).
pub(super) fn walk_with_rules(reader: &mut Reader, at: String, value: &Value, rules: ReadRules) {
    match value {
        Value::Object(map) if !is_list(map) => reader.object_with(&place(&at), value, Some(rules)),
        _ => walk(reader, at, value),
    }
}

/// What every object read adds up to: repeats dropped, aggregation settled, notes capped; or
/// [`ParseError::NoRbac`] when none was an RBAC object.
pub(super) fn settle(reader: Reader) -> Result<Policy, ParseError> {
    if reader.roles.is_empty() && reader.bindings.is_empty() {
        return Err(ParseError::NoRbac {
            kinds: reader.other_kinds,
        });
    }
    let Reader {
        mut roles,
        mut bindings,
        notes: read_notes,
        role_read,
        binding_read,
        ..
    } = reader;
    // Repeats are noted where reading them ended, among the notes of everything else.
    let mut repeated = Vec::new();
    let found = repeats(
        roles.len(),
        &|i| {
            roles
                .get(i)
                .map(|r| (r.namespace.as_deref(), r.name.as_str()))
        },
        &role_read,
        &mut repeated,
    );
    drop_repeats(&mut roles, found);
    let found = repeats(
        bindings.len(),
        &|i| {
            bindings
                .get(i)
                .map(|b| (b.namespace.as_deref(), b.name.as_str()))
        },
        &binding_read,
        &mut repeated,
    );
    drop_repeats(&mut bindings, found);
    crate::support::sort::stable_by(&mut repeated, |a, b| a.0.cmp(&b.0));
    let mut notes = Vec::with_capacity(read_notes.len() + repeated.len());
    let mut read_notes = read_notes.into_iter();
    let mut taken = 0;
    for (at, note) in repeated {
        notes.extend(read_notes.by_ref().take(at.saturating_sub(taken)));
        taken = taken.max(at);
        notes.push(note);
    }
    notes.extend(read_notes);
    let work = aggregate::aggregate(&mut roles, &mut notes);
    if notes.len() > MAX_NOTES {
        let more = notes.len() - MAX_NOTES;
        notes.truncate(MAX_NOTES);
        notes.push(Note::new(
            Level::Warning,
            "the paste".to_string(),
            format!("{more} more notes are not listed; the first {MAX_NOTES} are above"),
        ));
    }
    let name = |i: usize| {
        roles
            .get(i)
            .map(|r| (r.namespace.as_deref(), r.name.as_str()))
    };
    let index: Vec<u32> = sorted_by_name(roles.len(), &name)
        .into_iter()
        .map(num)
        .collect();
    Ok(Policy {
        roles: Rc::new(roles),
        bindings: Rc::new(bindings),
        notes,
        work,
        index: Rc::new(index),
    })
}

/// The label of a lone document, which has no number.
fn place(at: &str) -> String {
    if at.is_empty() {
        "the document".to_string()
    } else {
        at.to_string()
    }
}

fn is_list(map: &serde_json::Map<String, Value>) -> bool {
    let kind = map.get("kind").and_then(Value::as_str).unwrap_or("");
    kind.ends_with("List") || (kind.is_empty() && map.contains_key("items"))
}

/// JSON objects one after another (`kubectl get … -o json` run several times), or one.
/// Finds the repeats among `len` roles or bindings named by `name`, as the API server would
/// hold them: a repeat takes the place of the first copy, and each later copy goes, with a note
/// at the place in the notes where reading it ended (`read[i]`: its `at`, and how many notes
/// there were then). Found by sorting, in one pass over the sorted names. Returns the places to
/// swap (first copy, last copy) and which places go.
fn repeats<'a>(
    len: usize,
    name: &dyn Fn(usize) -> Option<Name<'a>>,
    read: &[(String, usize)],
    notes: &mut Vec<(usize, Note)>,
) -> (Vec<(usize, usize)>, Vec<bool>) {
    let order = sorted_by_name(len, name);
    let mut gone = vec![false; len];
    let mut moves = Vec::new();
    let mut group = 0;
    for k in 1..=order.len() {
        let at = |i: usize| order.get(i).and_then(|&p| name(p));
        if k < order.len() && at(k) == at(group) {
            continue;
        }
        // order[group..k] holds one name, in pasted order.
        let copies = order.get(group..k).unwrap_or(&[]);
        if let (Some(&first), Some(&last), true) = (copies.first(), copies.last(), copies.len() > 1)
        {
            moves.push((first, last));
        }
        for &later in copies.get(1..).unwrap_or(&[]) {
            if let Some(g) = gone.get_mut(later) {
                *g = true;
            }
            if let Some((at, count)) = read.get(later) {
                let note = Note::new(
                    Level::Warning,
                    at.clone(),
                    "pasted twice; the later copy is used".to_string(),
                );
                notes.push((*count, note));
            }
        }
        group = k;
    }
    (moves, gone)
}

/// Applies what [`repeats`] found to `items`.
fn drop_repeats<T>(items: &mut Vec<T>, (moves, gone): (Vec<(usize, usize)>, Vec<bool>)) {
    for (first, last) in moves {
        items.swap(first, last);
    }
    let mut place = 0;
    items.retain(|_| {
        place += 1;
        !gone.get(place - 1).copied().unwrap_or(false)
    });
}
