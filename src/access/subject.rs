//! Who is asking: the [`Subject`] (a user name and groups) and how typed subject text reads,
//! as the authenticators would hand it to the authorizer.

use std::fmt;

use crate::k8s::kube::MAX_FIELD_BYTES;
use crate::token::claims::Identity;

/// Who is asking: a user name and groups, as the authenticator hands them to the authorizer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// The user name; empty when only groups are evaluated.
    pub user: String,
    /// The groups.
    pub groups: Vec<String>,
}

/// The group the API server lets do anything before RBAC is asked.
pub const PRIVILEGED_GROUP: &str = "system:masters";

impl Subject {
    /// The service account `namespace/name`: user `system:serviceaccount:<ns>:<name>`, groups
    /// `system:serviceaccounts`, `system:serviceaccounts:<ns>`, `system:authenticated`, as the
    /// service-account authenticator derives them.
    pub fn from_service_account(namespace: &str, name: &str) -> Subject {
        Subject {
            user: format!("system:serviceaccount:{namespace}:{name}"),
            groups: vec![
                "system:serviceaccounts".to_string(),
                format!("system:serviceaccounts:{namespace}"),
                "system:authenticated".to_string(),
            ],
        }
    }

    /// The identity the inspector derived from a token.
    pub fn from_identity(identity: &Identity) -> Subject {
        Subject {
            user: identity.username.clone(),
            groups: identity.groups.clone(),
        }
    }

    /// How answers name the subject: the user, or the groups when there is no user.
    pub fn describe(&self) -> String {
        if self.user.is_empty() {
            format!("group {}", self.groups.join(", "))
        } else {
            self.user.clone()
        }
    }
}

/// Why typed subject text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubjectError {
    /// Nothing typed.
    Empty,
    /// More than [`MAX_FIELD_BYTES`]: a paste into the wrong field.
    TooLong {
        /// Its length in bytes.
        bytes: usize,
    },
    /// `system:serviceaccount:` without exactly a namespace and a name after it.
    ServiceAccount {
        /// What was typed.
        text: String,
    },
    /// `group:` or `user:` with nothing after it, or a blank entry between commas.
    EmptyEntry {
        /// 1-based position among the comma-separated entries.
        position: usize,
    },
    /// Two user names (or service accounts) in one subject.
    TwoUsers {
        /// The first.
        first: String,
        /// The second.
        second: String,
    },
}

/// What typed subjects look like, for error messages and the page's hint.
pub const SUBJECT_SYNTAX: &str = "Type system:serviceaccount:NAMESPACE:NAME for a service account, a user name such as alice, or group:NAME for a group; add groups after commas: alice, group:dev. Well-known system: groups (system:authenticated, system:serviceaccounts:NS, system:masters, …) need no prefix.";

impl fmt::Display for SubjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubjectError::Empty => write!(f, "No subject. {SUBJECT_SYNTAX}"),
            SubjectError::ServiceAccount { text } => write!(
                f,
                "{text:?} is not a service account: it needs exactly system:serviceaccount:NAMESPACE:NAME, both parts non-empty. {SUBJECT_SYNTAX}"
            ),
            SubjectError::EmptyEntry { position } => write!(
                f,
                "Entry {position} is empty: a name is missing there. {SUBJECT_SYNTAX}"
            ),
            SubjectError::TooLong { bytes } => write!(
                f,
                "The subject is {} KiB long; a user or group name is at most a few hundred characters. {SUBJECT_SYNTAX}",
                bytes.div_ceil(1024)
            ),
            SubjectError::TwoUsers { first, second } => write!(
                f,
                "A request comes from one user, but both {first:?} and {second:?} are users here; mark groups with group:. {SUBJECT_SYNTAX}"
            ),
        }
    }
}

impl std::error::Error for SubjectError {}

/// Groups the API server itself hands out; typed bare, they mean the group, not a user.
fn is_system_group(name: &str) -> bool {
    matches!(
        name,
        "system:authenticated"
            | "system:unauthenticated"
            | "system:serviceaccounts"
            | "system:masters"
            | "system:nodes"
            | "system:monitoring"
            | "system:bootstrappers"
    ) || name.starts_with("system:serviceaccounts:")
        || name.starts_with("system:bootstrappers:")
}

/// Reads a typed subject (see [`SUBJECT_SYNTAX`]), comma-separated entries:
/// - `system:serviceaccount:NS:NAME`: that service account, with the three groups the
///   authenticator adds;
/// - `group:NAME`, or a well-known `system:` group typed bare: a group;
/// - `user:NAME` or any other text: a user, who is also in `system:authenticated`
///   (`system:anonymous` is in `system:unauthenticated` instead), as every authenticated
///   request is.
///
/// Groups alone evaluate just those groups, with no user: "what can members of dev do".
pub fn parse_subject(text: &str) -> Result<Subject, SubjectError> {
    if text.trim().is_empty() {
        return Err(SubjectError::Empty);
    }
    if text.len() > MAX_FIELD_BYTES {
        return Err(SubjectError::TooLong { bytes: text.len() });
    }
    let mut user: Option<String> = None;
    let mut groups: Vec<String> = Vec::new();
    let mut implied: Vec<String> = Vec::new();
    for (i, entry) in text.split(',').enumerate() {
        let entry = entry.trim();
        let position = i + 1;
        let empty = SubjectError::EmptyEntry { position };
        if entry.is_empty() {
            return Err(empty);
        }
        if let Some(group) = entry.strip_prefix("group:") {
            let group = group.trim();
            if group.is_empty() {
                return Err(empty);
            }
            groups.push(group.to_string());
            continue;
        }
        if is_system_group(entry) {
            groups.push(entry.to_string());
            continue;
        }
        let (name, sa_groups) = if let Some(rest) = entry.strip_prefix("system:serviceaccount:") {
            let parts: Vec<&str> = rest.split(':').collect();
            match parts.as_slice() {
                [ns, name] if !ns.is_empty() && !name.is_empty() => {
                    let sa = Subject::from_service_account(ns, name);
                    (sa.user, sa.groups)
                }
                _ => {
                    return Err(SubjectError::ServiceAccount {
                        text: entry.to_string(),
                    })
                }
            }
        } else {
            let name = entry.strip_prefix("user:").unwrap_or(entry).trim();
            if name.is_empty() {
                return Err(empty);
            }
            let group = if name == "system:anonymous" {
                "system:unauthenticated"
            } else {
                "system:authenticated"
            };
            (name.to_string(), vec![group.to_string()])
        };
        if let Some(first) = &user {
            return Err(SubjectError::TwoUsers {
                first: first.clone(),
                second: name,
            });
        }
        user = Some(name);
        implied = sa_groups;
    }
    for g in implied {
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    Ok(Subject {
        user: user.unwrap_or_default(),
        groups,
    })
}
