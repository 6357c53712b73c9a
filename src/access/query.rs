//! The Can I query language: `kubectl auth can-i VERB RESOURCE -n NS NAME` read into a
//! [`Query`], with kubectl's short names and resource groups taken from [`crate::k8s::kube`].

use std::fmt;

use crate::k8s::kube::{self, MAX_FIELD_BYTES};

/// One request to ask about, as `kubectl auth can-i` builds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// `get`, `list`, `create`, `impersonate`, …
    pub verb: String,
    /// The resource, with a subresource after a slash (`pods/log`); or a non-resource URL
    /// starting with `/` (`/healthz`). Use [`Query::parse`] to read kubectl-style text such
    /// as `deployments.apps`.
    pub resource: String,
    /// The API group; `""` is the core group.
    pub api_group: String,
    /// The namespace; `None` asks cluster-wide (all namespaces at once, or a cluster-scoped
    /// resource), where only ClusterRoleBindings count.
    pub namespace: Option<String>,
    /// The object's name; `None` for requests without one (list, create, watch all).
    pub name: Option<String>,
}

/// Why a query could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    /// A field over [`MAX_FIELD_BYTES`]: a paste into the wrong field.
    TooLong {
        /// Which field: "Verb", "Resource", "Namespace" or "Name".
        field: &'static str,
        /// Its length in bytes.
        bytes: usize,
    },
    /// No verb, or one with spaces.
    Verb {
        /// What was typed.
        text: String,
    },
    /// No resource.
    NoResource,
    /// More than one slash, an empty part, or spaces.
    Resource {
        /// What was typed.
        text: String,
    },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Verb { text } if text.trim().is_empty() => write!(
                f,
                "Type a verb: get, list, watch, create, update, patch, delete, or another such as impersonate."
            ),
            QueryError::Verb { text } => write!(
                f,
                "{text:?} is not a verb: a verb is one word such as get, list or create."
            ),
            QueryError::TooLong { field, bytes } => write!(
                f,
                "{field} is {} KiB long; type a single {} (at most {} KiB).",
                bytes.div_ceil(1024),
                field.to_ascii_lowercase(),
                MAX_FIELD_BYTES / 1024
            ),
            QueryError::NoResource => write!(
                f,
                "Type a resource: pods, pods/log (a subresource), deployments.apps (a resource in the apps group), or a URL such as /healthz."
            ),
            QueryError::Resource { text } => write!(
                f,
                "{text:?} is not a resource: write RESOURCE[.GROUP][/SUBRESOURCE], e.g. pods, pods/log, deployments.apps/scale, or a URL starting with /."
            ),
        }
    }
}

impl std::error::Error for QueryError {}

impl Query {
    /// Reads the page's fields the way `kubectl auth can-i VERB RESOURCE -n NS NAME` would:
    /// `RESOURCE[.GROUP][/SUBRESOURCE]` (`pods`, `pods/log`, `deployments.apps/scale`,
    /// `*.*`), kubectl's short names (`po`, `deploy`), the group of well-known resources filled
    /// in (`deployments` is `deployments.apps`), or a non-resource URL (`/healthz`), which has
    /// no namespace or name. Blank namespace or name means none.
    pub fn parse(
        verb: &str,
        resource: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Query, QueryError> {
        for (field, text) in [
            ("Verb", verb),
            ("Resource", resource),
            ("Namespace", namespace),
            ("Name", name),
        ] {
            if text.len() > MAX_FIELD_BYTES {
                return Err(QueryError::TooLong {
                    field,
                    bytes: text.len(),
                });
            }
        }
        let verb_text = verb.trim();
        if verb_text.is_empty() || verb_text.chars().any(char::is_whitespace) {
            return Err(QueryError::Verb {
                text: verb.to_string(),
            });
        }
        let text = resource.trim();
        if text.is_empty() {
            return Err(QueryError::NoResource);
        }
        let bad = || QueryError::Resource {
            text: text.to_string(),
        };
        if text.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let blank = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        if text.starts_with('/') {
            return Ok(Query {
                verb: verb_text.to_string(),
                resource: text.to_string(),
                api_group: String::new(),
                namespace: None,
                name: None,
            });
        }
        let lower = text.to_ascii_lowercase();
        let (base, sub) = match lower.split_once('/') {
            Some((b, s)) if !s.is_empty() && !s.contains('/') => (b, Some(s)),
            Some(_) => return Err(bad()),
            None => (lower.as_str(), None),
        };
        let (res, group) = match base.split_once('.') {
            Some((r, g)) => (r, Some(g)),
            None => (base, None),
        };
        if res.is_empty() || group.is_some_and(str::is_empty) {
            return Err(bad());
        }
        let known = kube::find(res);
        let res = known.map_or(res, |k| k.name);
        let group = match group {
            Some(g) => g.to_string(),
            None => known.map_or(String::new(), |k| k.group.to_string()),
        };
        let resource = match sub {
            Some(s) => format!("{res}/{s}"),
            None => res.to_string(),
        };
        Ok(Query {
            verb: verb_text.to_string(),
            resource,
            api_group: group,
            namespace: blank(namespace),
            name: blank(name),
        })
    }

    /// Whether this asks about a non-resource URL.
    pub fn is_non_resource(&self) -> bool {
        self.resource.starts_with('/')
    }

    /// `pods/log`, `deployments.apps/scale`: how answers name the resource.
    pub fn resource_label(&self) -> String {
        if self.is_non_resource() {
            return self.resource.clone();
        }
        resource_with_group(&self.resource, &self.api_group)
    }
}

/// `pods`, `deployments.apps`, `deployments.apps/scale`, `*.*`: kubectl's `resource.group`,
/// with a subresource after the group as `kubectl auth can-i` reads it.
pub(super) fn resource_with_group(resource: &str, group: &str) -> String {
    if group.is_empty() {
        return resource.to_string();
    }
    match resource.split_once('/') {
        Some((r, s)) => format!("{r}.{group}/{s}"),
        None => format!("{resource}.{group}"),
    }
}
