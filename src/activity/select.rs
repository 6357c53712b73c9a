//! Whose activity: the events of one token (by its credential ID, else its user name) or of
//! a typed subject, folded into one row per distinct request.

use super::read::{Decision, Event, Events, Request};
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
    /// Events of the same user with another credential ID: another token of the account, left
    /// out.
    pub other_credentials: usize,
}

impl Matched {
    /// Events matched, however.
    pub fn total(&self) -> usize {
        self.by_credential + self.by_user + self.by_group
    }
}

/// The order of the rows, and what makes two events one row.
fn key(e: &Event) -> (Option<&str>, &str, &str, &str, &Request, Decision) {
    let r = &e.request;
    (
        r.namespace.as_deref(),
        &r.api_group,
        &r.resource,
        &r.path,
        r,
        e.decision,
    )
}

/// The rows of `whose` among `events`: one pass over the events, then one sort of those
/// matched (`n log n`), whose runs of equal requests are the rows.
pub fn select(events: &Events, whose: &Whose) -> Matched {
    let mut out = Matched::default();
    let credential = match whose {
        Whose::Token { jti: Some(jti), .. } => Some(format!("JTI={jti}")),
        _ => None,
    };
    let mut mine: Vec<&Event> = Vec::new();
    for event in &events.events {
        let matched = match whose {
            Whose::Token { username, .. } => {
                if &event.user != username {
                    continue;
                }
                match (&credential, &event.credential_id) {
                    (Some(mine), Some(theirs)) if mine == theirs => &mut out.by_credential,
                    (Some(_), Some(_)) => {
                        out.other_credentials += 1;
                        continue;
                    }
                    _ => &mut out.by_user,
                }
            }
            Whose::Subject(subject) if !subject.user.is_empty() => {
                if event.user != subject.user {
                    continue;
                }
                &mut out.by_user
            }
            Whose::Subject(subject) => {
                if !event.groups.iter().any(|g| subject.groups.contains(g)) {
                    continue;
                }
                &mut out.by_group
            }
        };
        *matched += 1;
        mine.push(event);
    }
    crate::sort::stable_by(&mut mine, |a, b| key(a).cmp(&key(b)));
    let mut rows: Vec<Row> = Vec::new();
    let mut previous: Option<&Event> = None;
    for event in mine {
        match rows.last_mut() {
            Some(row) if previous.is_some_and(|p| key(p) == key(event)) => {
                row.count += 1;
                if event.time < row.first {
                    row.first.clone_from(&event.time);
                }
                if event.time > row.last {
                    row.last.clone_from(&event.time);
                }
            }
            _ => rows.push(Row {
                request: event.request.clone(),
                decision: event.decision,
                reason: event.reason.clone(),
                count: 1,
                first: event.time.clone(),
                last: event.time.clone(),
            }),
        }
        previous = Some(event);
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
