//! What did this token do? API server audit events read offline, matched to one token or
//! subject, and turned into the least-privilege RBAC that grants exactly what it did.
//!
//! The API server's audit log records every request with who made it and whether the
//! authorizer allowed it (`authorization.k8s.io/decision`, `allow` or `forbid`, and
//! `authorization.k8s.io/reason`). For a service-account token it also records the token:
//! its `jti` is the credential ID `JTI=<jti>` in the user's `extra`
//! (`authentication.kubernetes.io/credential-id`), so one token's requests can be told from
//! those of the account's other tokens.
//!
//! The parts, each standing only on those before it:
//! - `read`: JSON lines of `audit.k8s.io/v1` `Event`s, or an `EventList`, in one pass; a
//!   broken line is a problem with its line number, and the rest are still read;
//! - `stream`: the same events read from a file chunk by chunk, kept as distinct events
//!   with counts, in bounded memory;
//! - `select`: the events of one token or subject, as one row per distinct request; a
//!   request sent impersonating someone is the impersonated user's, and its sender's only
//!   request is `impersonate`;
//! - `generate`: the Roles, ClusterRoles and bindings that grant exactly those requests that
//!   were allowed and completed; a request naming `*` never makes a rule;
//! - `compare`: what a pasted policy grants that no request used (the default bindings
//!   aside), and what was denied;
//! - `builder`: the generated RBAC as the RBAC builder's form, when it fits one.

mod builder;
mod compare;
mod generate;
mod read;
mod select;
mod stream;

pub use builder::{builder_form, NoBuilderForm};
pub use compare::{
    compare, is_default_binding, BindingUse, Comparison, Denied, Unused, MAX_CHECKS,
};
pub use generate::Options;
pub use generate::{
    generate, generate_counted, names_a_wildcard, rules_for, Generated, GeneratedRole, Grantee,
};
pub use read::{read, Decision, Event, Events, Form, Impersonation, Problem, ReadError, Request};
pub use read::{MAX_EVENTS_BYTES, MAX_PROBLEMS};
pub use select::{redact_rows, select, select_tally, Matched, Row, Whose};
pub use stream::{Stream, Tallied, Tally, MAX_DISTINCT};
