//! Reading audit events: JSON lines as the API server's log backend writes them, or an
//! `EventList` (one JSON document, on one line or many), in one pass over the text.
//!
//! Only events of the `ResponseComplete` and `Panic` stages count: a request is logged at
//! `RequestReceived` too (and a watch at `ResponseStarted`), and counting every stage would
//! count each request two or three times.

use std::fmt;

use serde_json::Value;

use crate::formats::json;

/// The most text read: a day of one workload's audit log fits, and reading it stays in one
/// pass over the text with one parsed line alive at a time.
pub const MAX_EVENTS_BYTES: usize = 32 * 1024 * 1024;

/// How many problems are listed; the rest are counted.
pub const MAX_PROBLEMS: usize = 50;

/// The annotation the authorizer's decision is recorded in: `allow` or `forbid`.
const DECISION: &str = "authorization.k8s.io/decision";
/// The annotation with the authorizer's reason.
const REASON: &str = "authorization.k8s.io/reason";
/// The `extra` key of the credential a request authenticated with: `JTI=<jti>` for a
/// service-account token.
pub(super) const CREDENTIAL_ID: &str = "authentication.kubernetes.io/credential-id";

/// What the authorizer said.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    /// `allow`.
    Allowed,
    /// `forbid`.
    Denied,
    /// No decision recorded (an audit level or policy without annotations, or a request
    /// refused before authorization), and no 403 response that says it was denied.
    Unknown,
}

impl Decision {
    /// How the table says it.
    pub fn label(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::Denied => "denied",
            Decision::Unknown => "unknown",
        }
    }
}

/// One request, as the authorizer saw it.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Request {
    /// `get`, `list`, `watch`, `create`, …; for a non-resource request, the HTTP verb in
    /// lower case.
    pub verb: String,
    /// The API group; `""` is the core group.
    pub api_group: String,
    /// The resource, with the subresource after a slash (`pods/log`); empty for a
    /// non-resource request.
    pub resource: String,
    /// The namespace; `None` for cluster scope (a cluster-scoped resource, or all
    /// namespaces at once).
    pub namespace: Option<String>,
    /// The object's name; `None` for requests without one (list, create, watch all).
    pub name: Option<String>,
    /// The non-resource path (`/healthz`, `/apis`), without the query; empty for a resource
    /// request.
    pub path: String,
}

impl Request {
    /// Whether this is a non-resource request (`/healthz`, `/version`, discovery).
    pub fn is_non_resource(&self) -> bool {
        self.resource.is_empty()
    }

    /// `pods/log`, `deployments.apps`, or the path: what the table and messages show.
    pub fn resource_label(&self) -> String {
        if self.is_non_resource() {
            return self.path.clone();
        }
        if self.api_group.is_empty() {
            return self.resource.clone();
        }
        match self.resource.split_once('/') {
            Some((r, s)) => format!("{r}.{}/{s}", self.api_group),
            None => format!("{}.{}", self.resource, self.api_group),
        }
    }

    /// As `kubectl auth can-i` would ask it: `get pods/log -n dev web`.
    pub fn describe(&self) -> String {
        let mut out = format!("{} {}", self.verb, self.resource_label());
        if let Some(ns) = &self.namespace {
            out.push_str(&format!(" -n {ns}"));
        }
        if let Some(name) = &self.name {
            out.push(' ');
            out.push_str(name);
        }
        out
    }
}

/// Who impersonated whom: the request was authorized as the impersonated user, and the user
/// who sent it needed only `impersonate` on that identity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Impersonation {
    /// `user.username`: who sent the request.
    pub by: String,
    /// The impersonated user's `uid`, when one was asked for.
    pub uid: Option<String>,
    /// The impersonated user's `extra`, each key with its values.
    pub extra: Vec<(String, Vec<String>)>,
}

/// One counted event: whose request it was, the request, and the authorizer's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Whose request it was: `impersonatedUser.username` when the request impersonated
    /// someone (the authorizer decided it as that user), else `user.username`.
    pub user: String,
    /// The groups of that user (`impersonatedUser.groups`, else `user.groups`).
    pub groups: Vec<String>,
    /// The credential ID in `user.extra` (`JTI=<jti>`), when recorded: the credential of
    /// whoever sent the request, the impersonator if there was one.
    pub credential_id: Option<String>,
    /// Who sent it, when it impersonated `user`.
    pub impersonation: Option<Impersonation>,
    /// `responseStatus.code`, when recorded.
    pub code: Option<u16>,
    /// The request.
    pub request: Request,
    /// The decision annotation.
    pub decision: Decision,
    /// The reason annotation; empty when absent.
    pub reason: String,
    /// `requestReceivedTimestamp` (else `stageTimestamp`), as written: audit timestamps are
    /// RFC 3339 in UTC with a fixed number of digits, so they sort as text.
    pub time: String,
}

impl Event {
    /// The response code of a request that was not completed for another reason than the
    /// authorizer's refusal: any 4xx or 5xx, but a 403 the authorizer gave. A 403 after the
    /// authorizer allowed the request is admission's refusal, and counts here too.
    pub fn failed(&self) -> Option<u16> {
        let code = self.code.filter(|c| *c >= 400)?;
        match (code, self.decision) {
            (403, Decision::Denied) => None,
            _ => Some(code),
        }
    }
}

/// How the events were given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// One JSON object a line, as the log backend writes.
    Lines,
    /// One `EventList` (or one event) spread over several lines.
    Document,
}

/// A line (or list item) that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The 1-based line it starts on.
    pub line: usize,
    /// The 1-based place in an `EventList`'s `items`, when it is one.
    pub item: Option<usize>,
    /// What is wrong.
    pub text: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.item {
            Some(item) => write!(f, "Line {}, item {item}: {}", self.line, self.text),
            None => write!(f, "Line {}: {}", self.line, self.text),
        }
    }
}

/// What was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Events {
    /// The events that count (`ResponseComplete` and `Panic`), in the order given.
    pub events: Vec<Event>,
    /// Events of other stages, not counted.
    pub other_stages: usize,
    /// What could not be read, the first [`MAX_PROBLEMS`].
    pub problems: Vec<Problem>,
    /// How many problems in all.
    pub problem_count: usize,
    /// How the text was given.
    pub form: Form,
}

/// Why nothing could be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// More than [`MAX_EVENTS_BYTES`].
    TooLarge {
        /// Its length in bytes.
        bytes: usize,
    },
    /// A line of a file read in chunks passed [`MAX_EVENTS_BYTES`] without ending: no audit
    /// event is that long, and an `EventList` on one line cannot be read a line at a time.
    LineTooLong {
        /// The 1-based line.
        line: usize,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::TooLarge { bytes } => write!(
                f,
                "The audit events are {} MiB; at most {} MiB are read. Keep the lines of one user, for example with grep '\"username\":\"system:serviceaccount:NS:NAME\"' audit.log.",
                bytes.div_ceil(1024 * 1024),
                MAX_EVENTS_BYTES / (1024 * 1024)
            ),
            ReadError::LineTooLong { line } => write!(
                f,
                "Line {line} runs past {} MiB without ending: not an audit event. A large EventList is read as JSON lines: jq -c '.items[]' events.json > events.jsonl.",
                MAX_EVENTS_BYTES / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// The one reader of events, for a whole text ([`read`]) and for a file read in chunks
/// (`stream`): what it read waits in `out` until the caller takes it.
pub(super) struct Reader {
    pub(super) out: Events,
}

impl Reader {
    pub(super) fn new() -> Self {
        Reader {
            out: Events {
                events: Vec::new(),
                other_stages: 0,
                problems: Vec::new(),
                problem_count: 0,
                form: Form::Lines,
            },
        }
    }

    /// One line of JSON lines: blank lines are skipped, anything but JSON is a problem.
    pub(super) fn line(&mut self, number: usize, line: &str) {
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(value) => self.document(&value, number),
            Err(e) => self.problem(number, None, format!("not JSON: {}.", json::message(&e))),
        }
    }

    fn problem(&mut self, line: usize, item: Option<usize>, text: String) {
        self.out.problem_count += 1;
        if self.out.problems.len() < MAX_PROBLEMS {
            self.out.problems.push(Problem { line, item, text });
        }
    }

    /// One JSON document: an `EventList`, or an event.
    pub(super) fn document(&mut self, value: &Value, line: usize) {
        match value.get("kind").and_then(Value::as_str) {
            Some("EventList") => match value.get("items") {
                Some(Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        self.event(item, line, Some(i + 1));
                    }
                }
                Some(Value::Null) | None => {}
                Some(other) => self.problem(
                    line,
                    None,
                    format!("items is {}, not a list of events.", json::kind(other)),
                ),
            },
            _ => self.event(value, line, None),
        }
    }

    fn event(&mut self, value: &Value, line: usize, item: Option<usize>) {
        let Value::Object(_) = value else {
            let kind = json::kind(value);
            return self.problem(line, item, format!("{kind}, not an audit event."));
        };
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
        match value.get("kind").and_then(Value::as_str) {
            Some("Event") | None => {}
            Some(other) => {
                return self.problem(
                    line,
                    item,
                    format!("kind {other}, not an audit Event (audit.k8s.io/v1)."),
                )
            }
        }
        match value.get("stage").and_then(Value::as_str) {
            Some("ResponseComplete" | "Panic") => {}
            Some(_) => {
                self.out.other_stages += 1;
                return;
            }
            None => return self.problem(line, item, "an event without a stage.".to_string()),
        }
        let Some(verb) = text(value, "verb").filter(|v| !v.is_empty()) else {
            return self.problem(line, item, "an event without a verb.".to_string());
        };
        let sender = value.get("user").unwrap_or(&Value::Null);
        let (user, impersonation) = match value.get("impersonatedUser") {
            Some(as_user @ Value::Object(_)) => (
                as_user,
                Some(Impersonation {
                    by: text(sender, "username").unwrap_or_default(),
                    uid: text(as_user, "uid").filter(|u| !u.is_empty()),
                    extra: extra(as_user),
                }),
            ),
            _ => (sender, None),
        };
        let groups = strings(user.get("groups"));
        let credential_id = match sender.get("extra").and_then(|e| e.get(CREDENTIAL_ID)) {
            Some(Value::Array(ids)) => ids.first().and_then(Value::as_str).map(str::to_string),
            Some(Value::String(id)) => Some(id.clone()),
            _ => None,
        };
        let request = match value.get("objectRef") {
            Some(object @ Value::Object(_)) => {
                let resource = text(object, "resource").unwrap_or_default();
                let resource = match text(object, "subresource").filter(|s| !s.is_empty()) {
                    Some(sub) => format!("{resource}/{sub}"),
                    None => resource,
                };
                if resource.is_empty() {
                    return self.problem(line, item, "objectRef without a resource.".to_string());
                }
                Request {
                    verb: verb.to_ascii_lowercase(),
                    api_group: text(object, "apiGroup").unwrap_or_default(),
                    resource,
                    namespace: text(object, "namespace").filter(|s| !s.is_empty()),
                    name: text(object, "name").filter(|s| !s.is_empty()),
                    path: String::new(),
                }
            }
            _ => {
                let uri = text(value, "requestURI").unwrap_or_default();
                let path = uri.split(['?', '#']).next().unwrap_or_default();
                if !path.starts_with('/') {
                    return self.problem(
                        line,
                        item,
                        "an event with neither objectRef nor a requestURI path.".to_string(),
                    );
                }
                Request {
                    verb: verb.to_ascii_lowercase(),
                    path: path.to_string(),
                    ..Request::default()
                }
            }
        };
        let annotations = value.get("annotations");
        let annotation = |key: &str| annotations.and_then(|a| a.get(key)).and_then(Value::as_str);
        let code = value
            .get("responseStatus")
            .and_then(|s| s.get("code"))
            .and_then(Value::as_u64)
            .and_then(|c| u16::try_from(c).ok());
        let decision = match annotation(DECISION) {
            Some("allow") => Decision::Allowed,
            Some("forbid") => Decision::Denied,
            // Without the annotation (audit policies and API servers before 1.11 write none),
            // a 403 is the authorizer's refusal.
            _ if code == Some(403) => Decision::Denied,
            _ => Decision::Unknown,
        };
        // A refused impersonation is logged as the sender's request, with no impersonated
        // user: what was refused is the `impersonate` check the message names, not the
        // request itself, which was never authorized.
        let refused = match (&impersonation, code) {
            (None, Some(403)) => value
                .get("responseStatus")
                .and_then(|s| s.get("message"))
                .and_then(Value::as_str)
                .and_then(impersonation_refused),
            _ => None,
        };
        let (request, decision) = match refused {
            Some(check) => (check, Decision::Denied),
            None => (request, decision),
        };
        let time = text(value, "requestReceivedTimestamp")
            .or_else(|| text(value, "stageTimestamp"))
            .unwrap_or_default();
        self.out.events.push(Event {
            user: text(user, "username").unwrap_or_default(),
            groups,
            credential_id,
            impersonation,
            code,
            request,
            decision,
            reason: annotation(REASON).unwrap_or_default().to_string(),
            time,
        });
    }
}

/// The `impersonate` check a refused impersonation names, read from the API server's message:
/// `users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group ""
/// at the cluster scope` (a service account's ends `in the namespace "NS"`).
fn impersonation_refused(message: &str) -> Option<Request> {
    let quoted = |text: &str| -> Option<(String, usize)> {
        let end = text.find('"')?;
        Some((text.get(..end)?.to_string(), end + 1))
    };
    let (_, after) = message.split_once(" cannot impersonate resource \"")?;
    let (resource, used) = quoted(after)?;
    let rest = after.get(used..)?.strip_prefix(" in API group \"")?;
    let (api_group, used) = quoted(rest)?;
    let rest = rest.get(used..)?;
    let namespace = match rest.strip_prefix(" in the namespace \"") {
        Some(ns) => Some(quoted(ns)?.0).filter(|n| !n.is_empty()),
        None => None,
    };
    // The object: the first quoted name, after `RESOURCE[.GROUP] `.
    let (_, named) = message.split_once(" \"")?;
    let name = quoted(named)?.0;
    if resource.is_empty() {
        return None;
    }
    Some(Request {
        verb: "impersonate".to_string(),
        api_group,
        resource,
        namespace,
        name: Some(name).filter(|n| !n.is_empty()),
        path: String::new(),
    })
}

/// A JSON list's strings; anything else is none.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// A user's `extra`: each key with its values, in the order written.
fn extra(user: &Value) -> Vec<(String, Vec<String>)> {
    match user.get("extra") {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| (k.clone(), strings(Some(v))))
            .collect(),
        _ => Vec::new(),
    }
}

/// Reads audit events: JSON lines (each an `Event` or an `EventList`), or one `EventList`
/// spread over lines as `kubectl` or `jq` print it. A line that is not JSON, or not an event,
/// is a [`Problem`] with its line number; the other lines are still read.
pub fn read(text: &str) -> Result<Events, ReadError> {
    if text.len() > MAX_EVENTS_BYTES {
        return Err(ReadError::TooLarge { bytes: text.len() });
    }
    let mut reader = Reader::new();
    // A document spread over lines: its first line alone is not JSON, the whole text is.
    let first = text.lines().enumerate().find(|(_, l)| !l.trim().is_empty());
    if let Some((at, line)) = first {
        if spread(line) {
            if let Ok(value) = serde_json::from_str::<Value>(text) {
                reader.out.form = Form::Document;
                reader.document(&value, at + 1);
                return Ok(reader.out);
            }
        }
    }
    for (i, line) in text.lines().enumerate() {
        reader.line(i + 1, line);
    }
    Ok(reader.out)
}

/// Whether the first non-blank line starts a document spread over lines: it opens an object
/// but is not JSON alone.
pub(super) fn spread(first: &str) -> bool {
    first.trim_start().starts_with('{') && serde_json::from_str::<Value>(first).is_err()
}
