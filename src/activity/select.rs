//! Whose activity: the events of one token (by its credential ID, else its user name) or of
//! a typed subject, folded into one row per distinct request.

use std::borrow::Cow;

use super::read::{Decision, Event, Events, Impersonation, Request};
use super::stream::Tally;
use crate::access::Subject;
use crate::redact;

/// Whose requests to keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Whose {
    /// The inspected token: its user name, and its `jti` when it has one.
    Token {
        /// `system:serviceaccount:NS:NAME`.
        username: String,
        /// The token's `jti`; events that carry a credential ID must carry `JTI=<jti>`.
        jti: Option<String>,
    },
    /// A typed subject: its user name, or, with no user, any of its groups.
    Subject(Subject),
}

/// One distinct request (and decision) and when it was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The request.
    pub request: Request,
    /// What the authorizer said.
    pub decision: Decision,
    /// The response code when the request was not completed for another reason than the
    /// authorizer's refusal (see [`Event::failed`]): shown, never granted.
    pub failed: Option<u16>,
    /// The authorizer's reason, from the first event; empty when none was recorded.
    pub reason: String,
    /// How many events.
    pub count: usize,
    /// The earliest time recorded.
    pub first: String,
    /// The latest time recorded.
    pub last: String,
}

/// The rows of one token or subject, and how its events were found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matched {
    /// One row per distinct request and decision, sorted by namespace (cluster scope first),
    /// then API group, resource or path, then verb.
    pub rows: Vec<Row>,
    /// Events matched by the token's credential ID.
    pub by_credential: usize,
    /// Events matched by user name (no credential ID recorded, or none to compare).
    pub by_user: usize,
    /// Events matched by one of a typed subject's groups.
    pub by_group: usize,
    /// Events someone else sent impersonating this subject: requests of this subject, since
    /// the authorizer decided them as it.
    pub impersonated: usize,
    /// Events this subject sent impersonating someone else: of those, only the `impersonate`
    /// checks are its own requests.
    pub impersonating: usize,
    /// Events of the same user with another credential ID: another token of the account, left
    /// out.
    pub other_credentials: usize,
}

impl Matched {
    /// Events matched, however.
    pub fn total(&self) -> usize {
        self.by_credential + self.by_user + self.by_group + self.impersonated + self.impersonating
    }
}

/// One request of the subject, before the requests are folded into rows.
struct Entry<'a> {
    request: Cow<'a, Request>,
    decision: Decision,
    failed: Option<u16>,
    reason: Cow<'a, str>,
    /// The earliest and latest time of the events it stands for.
    first: &'a str,
    last: &'a str,
    /// How many events it stands for.
    count: usize,
}

/// One event, or one distinct event of a [`Tally`] with its count and last time.
#[derive(Clone, Copy)]
struct Seen<'a> {
    event: &'a Event,
    last: &'a str,
    count: usize,
}

fn entry<'a>(seen: Seen<'a>, request: Cow<'a, Request>, reason: Cow<'a, str>) -> Entry<'a> {
    Entry {
        request,
        decision: seen.event.decision,
        failed: seen.event.failed(),
        reason,
        first: &seen.event.time,
        last: seen.last,
        count: seen.count,
    }
}

/// The order of the rows, and what makes two entries one row.
type Key<'k> = (
    Option<&'k str>,
    &'k str,
    &'k str,
    &'k str,
    &'k Request,
    Decision,
    Option<u16>,
);

fn key<'k>(e: &'k Entry<'_>) -> Key<'k> {
    let r: &Request = &e.request;
    (
        r.namespace.as_deref(),
        &r.api_group,
        &r.resource,
        &r.path,
        r,
        e.decision,
        e.failed,
    )
}

/// The `impersonate` checks the API server made before it let `event`'s sender act as the
/// impersonated user, as its impersonation filter asks them: the user (a service account's
/// in its namespace), each group, the uid and each extra value. An audit event records the
/// impersonated user only once every check passed, so each was allowed. The groups the API
/// server adds itself (`system:authenticated`, and a service account's own groups) are not
/// checked, so they are not asked for.
fn impersonate_requests(event: &Event, impersonation: &Impersonation) -> Vec<Request> {
    let check = |group: &str, resource: &str, namespace: Option<&str>, name: &str| Request {
        verb: "impersonate".to_string(),
        api_group: group.to_string(),
        resource: resource.to_string(),
        namespace: namespace.map(str::to_string),
        name: Some(name.to_string()),
        path: String::new(),
    };
    let mut out = Vec::new();
    let sa = event
        .user
        .strip_prefix("system:serviceaccount:")
        .and_then(|rest| rest.split_once(':'))
        .filter(|(ns, name)| !ns.is_empty() && !name.is_empty());
    match sa {
        Some((ns, name)) => out.push(check("", "serviceaccounts", Some(ns), name)),
        None if !event.user.is_empty() => out.push(check("", "users", None, &event.user)),
        None => {}
    }
    let own = sa.map(|(ns, _)| format!("system:serviceaccounts:{ns}"));
    for group in &event.groups {
        let added = group == "system:authenticated"
            || (sa.is_some() && (group == "system:serviceaccounts" || Some(group) == own.as_ref()));
        if !added {
            out.push(check("", "groups", None, group));
        }
    }
    if let Some(uid) = &impersonation.uid {
        out.push(check(AUTHENTICATION_GROUP, "uids", None, uid));
    }
    for (key, values) in &impersonation.extra {
        for value in values {
            let resource = format!("userextras/{key}");
            out.push(check(AUTHENTICATION_GROUP, &resource, None, value));
        }
    }
    out
}

/// The API group of the `uids` and `userextras` impersonation checks.
const AUTHENTICATION_GROUP: &str = "authentication.k8s.io";

/// Whether an event of `user` (with this credential ID) is the token's: `Some(true)` by its
/// credential ID, `Some(false)` by user name only, `None` for another token of the account.
fn token_match(credential: Option<&str>, theirs: Option<&str>) -> Option<bool> {
    match (credential, theirs) {
        (Some(mine), Some(theirs)) if mine == theirs => Some(true),
        (Some(_), Some(_)) => None,
        _ => Some(false),
    }
}

/// The rows of `whose` among `events`: one pass over the events, then one sort of those
/// matched (`n log n`), whose runs of equal requests are the rows.
///
/// A request sent impersonating someone is the impersonated user's: it matches by that
/// user's name or groups. Its sender's own requests are the `impersonate` checks only.
pub fn select(events: &Events, whose: &Whose) -> Matched {
    let mut seen = events.events.iter().map(|event| Seen {
        event,
        last: &event.time,
        count: 1,
    });
    select_from(&mut seen, whose)
}

/// [`select`] over the distinct events of a [`Tally`]: the same rows as over the events it
/// folded, with the same counts and times.
pub fn select_tally(tally: &Tally, whose: &Whose) -> Matched {
    let mut seen = tally.events.iter().map(|t| Seen {
        event: &t.event,
        last: &t.last,
        count: t.count,
    });
    select_from(&mut seen, whose)
}

fn select_from<'a>(events: &mut dyn Iterator<Item = Seen<'a>>, whose: &Whose) -> Matched {
    let mut out = Matched::default();
    let credential = match whose {
        Whose::Token { jti: Some(jti), .. } => Some(format!("JTI={jti}")),
        _ => None,
    };
    let user = match whose {
        Whose::Token { username, .. } => Some(username.as_str()),
        Whose::Subject(subject) if !subject.user.is_empty() => Some(subject.user.as_str()),
        Whose::Subject(_) => None,
    };
    let mut mine: Vec<Entry> = Vec::new();
    for seen in events {
        let event = seen.event;
        let sender = event.impersonation.as_ref().map(|i| i.by.as_str());
        if let (Some(user), Some(impersonation)) = (user, &event.impersonation) {
            if sender == Some(user) && event.user != user {
                match token_match(credential.as_deref(), event.credential_id.as_deref()) {
                    None => out.other_credentials += seen.count,
                    Some(_) => {
                        out.impersonating += seen.count;
                        let reason = format!(
                            "impersonating {}: the request itself was authorized as that user",
                            event.user
                        );
                        for request in impersonate_requests(event, impersonation) {
                            mine.push(Entry {
                                decision: Decision::Allowed,
                                failed: None,
                                ..entry(seen, Cow::Owned(request), Cow::Owned(reason.clone()))
                            });
                        }
                    }
                }
                continue;
            }
        }
        let matched = match (user, whose) {
            (Some(user), _) => {
                if event.user != user {
                    continue;
                }
                if event.impersonation.is_some() {
                    &mut out.impersonated
                } else {
                    match token_match(credential.as_deref(), event.credential_id.as_deref()) {
                        Some(true) => &mut out.by_credential,
                        Some(false) => &mut out.by_user,
                        None => {
                            out.other_credentials += seen.count;
                            continue;
                        }
                    }
                }
            }
            (None, Whose::Subject(subject)) => {
                if !event.groups.iter().any(|g| subject.groups.contains(g)) {
                    continue;
                }
                &mut out.by_group
            }
            (None, Whose::Token { .. }) => continue,
        };
        *matched += seen.count;
        mine.push(entry(
            seen,
            Cow::Borrowed(&event.request),
            Cow::Borrowed(&event.reason),
        ));
    }
    crate::support::sort::stable_by(&mut mine, |a, b| key(a).cmp(&key(b)));
    let mut rows: Vec<Row> = Vec::new();
    let mut previous: Option<&Entry> = None;
    for entry in &mine {
        match rows.last_mut() {
            Some(row) if previous.is_some_and(|p| key(p) == key(entry)) => {
                row.count += entry.count;
                if entry.first < row.first.as_str() {
                    row.first = entry.first.to_string();
                }
                if entry.last > row.last.as_str() {
                    row.last = entry.last.to_string();
                }
            }
            _ => rows.push(Row {
                request: entry.request.as_ref().clone(),
                decision: entry.decision,
                failed: entry.failed,
                reason: entry.reason.to_string(),
                count: entry.count,
                first: entry.first.to_string(),
                last: entry.last.to_string(),
            }),
        }
        previous = Some(entry);
    }
    out.rows = rows;
    out
}

/// The rows as the screen shows them with **Redact** on: object names masked, and in the
/// authorizer's reasons every quoted name (bindings, roles, the subject).
pub fn redact_rows(rows: &[Row]) -> Vec<Row> {
    rows.iter()
        .map(|row| {
            let mut row = row.clone();
            row.request.name = row.request.name.as_deref().map(redact::mask);
            row.reason = mask_quoted(&row.reason);
            row
        })
        .collect()
}

/// `allowed by RoleBinding "x/dev"` → `allowed by RoleBinding "x/d••••••••"`.
fn mask_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        if i % 2 == 1 {
            out.push_str(&redact::mask(part));
        } else {
            out.push_str(part);
        }
    }
    out
}
