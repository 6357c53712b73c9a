//! The legacy token audit: every Secret-based service-account token in a cluster's dump, with
//! who it belongs to, whether it is still used, and when the control plane will clean it up.
//!
//! Security reviewers ask which credentials never expire, who can use them and whether they are
//! still used. Kubernetes keeps the answer in labels on each token Secret
//! (`kubernetes.io/legacy-token-last-used`, `kubernetes.io/legacy-token-invalid-since`); this
//! module reads them from `kubectl get secrets -A -o json|yaml` and projects what the
//! legacy token cleaner does next ([`cleanup`]). The tokens themselves are decoded only for
//! their key ID and issuer and then dropped: a row never holds a token.
//!
//! The work is split by concept: [`read`](mod@read) turns the dump into rows, [`cleanup`] holds
//! the controller's rules and the label dates, [`export`] writes the CSV and the migration plan,
//! [`grants`] finds each token's worst grant under pasted RBAC.

pub mod cleanup;
pub mod export;
pub mod flags; // what a reviewer should know of a token Secret: a bit each, words on demand
pub mod grants;
pub mod read;
pub mod stream;

use std::fmt;

use crate::formats::dump_stream::{DumpError, StreamError};
use crate::formats::yaml::YamlError;
use crate::support::error::InputError;
use crate::support::time::UnixSeconds;

pub use cleanup::{project, Cleanup, Date, Label, Options, Skip};
pub use export::{csv, plan, plan_shown, script, Migration};
pub use flags::Flags;
pub use grants::{by_risk, worst_grants, Grants};
pub use read::{read, read_with};
pub use stream::SecretsStream;

/// The most token Secrets kept as rows: about 1.2 KB of memory each once audited, so a
/// 256 MiB file of the smallest token Secrets stays near 120 MB rather than passing the 4 GiB a
/// wasm memory can hold. Real clusters hold hundreds to a few thousand; those past it are
/// counted, and the page says so.
pub const MAX_ROWS: usize = 100_000;
/// The largest dump read: a real cluster's `kubectl get secrets -A -o json` is megabytes, far
/// beyond the 1 MiB the other inputs take.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// A token used this many days ago or less counts as in use: migrate its client first.
pub const RECENT_DAYS: i64 = 30;
/// The Secret type of a service-account token.
pub const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";
/// The annotation naming the Secret's service account.
pub const SA_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";
/// The annotation holding the service account's uid.
pub const SA_UID_ANNOTATION: &str = "kubernetes.io/service-account.uid";
/// The date the API server last accepted the token, written at most once a day.
pub const LAST_USED_LABEL: &str = "kubernetes.io/legacy-token-last-used";
/// The date the token was marked invalid; the API server refuses a token whose Secret has it.
pub const INVALID_SINCE_LABEL: &str = "kubernetes.io/legacy-token-invalid-since";

/// Why a dump could not be audited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditError {
    /// Nothing was pasted.
    Empty,
    /// The paste is larger than [`MAX_BYTES`].
    TooLarge {
        /// Size of the paste in bytes.
        bytes: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The JSON around the Secrets does not parse (or nests too deep).
    Input(InputError),
    /// The YAML around the Secrets does not parse (or nests too deep).
    Yaml(YamlError),
    /// The paste parses, but holds no Secrets.
    NoSecrets {
        /// The `kind` of the first object found instead, when there is one.
        kind: Option<String>,
    },
    /// A file that could not be read as a stream of objects.
    Dump(DumpError),
}

impl fmt::Display for AuditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditError::Empty => write!(
                f,
                "Paste the output of `kubectl get secrets -A --field-selector type={TOKEN_TYPE} -o json` (or -o yaml)."
            ),
            AuditError::TooLarge { bytes, limit } => write!(
                f,
                "The paste is {} MiB; the audit reads up to {} MiB. Filter it to token Secrets with `--field-selector type={TOKEN_TYPE}`, or audit one namespace at a time.",
                bytes.div_ceil(1024 * 1024),
                limit / (1024 * 1024)
            ),
            AuditError::Input(e) => e.fmt(f),
            AuditError::Yaml(e) => f.write_str(&e.advice(
                &format!("the whole `kubectl get secrets -A --field-selector type={TOKEN_TYPE} -o yaml` output"),
                "list of Secrets",
            )),
            AuditError::NoSecrets { kind: Some(kind) } => write!(
                f,
                "This is a {kind}, not a list of Secrets. Paste `kubectl get secrets -A -o json` output."
            ),
            AuditError::NoSecrets { kind: None } => write!(
                f,
                "There is no Secret in this paste (no object with `kind: Secret`). Paste `kubectl get secrets -A -o json` output."
            ),
            AuditError::Dump(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for AuditError {}

impl From<YamlError> for AuditError {
    fn from(e: YamlError) -> Self {
        AuditError::Yaml(e)
    }
}

impl From<StreamError<AuditError>> for AuditError {
    fn from(e: StreamError<AuditError>) -> Self {
        match e {
            StreamError::Dump(e) => AuditError::Dump(e),
            StreamError::Read(e) => e,
        }
    }
}

impl From<InputError> for AuditError {
    fn from(e: InputError) -> Self {
        AuditError::Input(e)
    }
}

/// Who made a token Secret, as far as the dump tells.
///
/// The cleaner's own test is whether the service account lists the Secret in its `secrets`
/// field; a dump of Secrets alone does not show that, so without the ServiceAccount the name
/// decides: before Kubernetes 1.24 the token controller named each Secret it made
/// `<service account>-token-<5 random characters>` (the base cut to 58 bytes, the characters
/// from `bcdfghjklmnpqrstvwxz2456789`). A person can name a Secret that way too, and a Secret
/// made by the controller can be renamed by no one, so the name errs only toward "automatic".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Its ServiceAccount, in the paste, lists it in `secrets`: the token controller made it
    /// (the cleaner treats a Secret someone listed there the same way).
    Listed,
    /// Its ServiceAccount, in the paste, does not list it (or has another uid): someone made it.
    Unlisted,
    /// No ServiceAccount in the paste; named as the token controller names its Secrets.
    ControllerName,
    /// No ServiceAccount in the paste; named otherwise, so most likely made by someone.
    OtherName,
}

impl Origin {
    /// Whether the control plane made it (or, by its name, most likely did).
    pub fn automatic(self) -> bool {
        matches!(self, Origin::Listed | Origin::ControllerName)
    }

    /// A few words for the table and the CSV.
    pub fn words(self) -> &'static str {
        match self {
            Origin::Listed => "control plane (listed by its service account)",
            Origin::Unlisted => "someone (not listed by its service account)",
            Origin::ControllerName => "control plane (by its name)",
            Origin::OtherName => "someone (by its name)",
        }
    }
}

/// What the Secret's `data.token` gave, once decoded; the token itself is not kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    /// No `data.token` (or an empty one): the token controller has not filled it in.
    Missing,
    /// A JWT: its header's `kid` and its `iss` claim, when they are strings.
    Decoded {
        /// The signing key's ID (legacy tokens often carry `""`).
        kid: Option<String>,
        /// The issuer (`kubernetes/serviceaccount` for every legacy token).
        issuer: Option<String>,
    },
    /// `data.token` does not decode to a JWT: what is wrong, without the token's text.
    Broken(String),
}

/// One token Secret, as the table shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The Secret's namespace (empty when the dump leaves it out).
    pub namespace: String,
    /// The service account, from the `kubernetes.io/service-account.name` annotation (empty
    /// without one).
    pub service_account: String,
    /// The Secret's name.
    pub name: String,
    /// `metadata.creationTimestamp`, when it reads as a time.
    pub created: Option<UnixSeconds>,
    /// Who made it.
    pub origin: Origin,
    /// The `kubernetes.io/legacy-token-last-used` label.
    pub last_used: Label,
    /// The `kubernetes.io/legacy-token-invalid-since` label.
    pub invalid_since: Label,
    /// `metadata.deletionTimestamp` is set: the Secret is on its way out.
    pub deleting: bool,
    /// What the token decoded to.
    pub token: Token,
    /// What the legacy token cleaner does next, under the options the audit was read with.
    pub cleanup: Cleanup,
    /// What a reviewer should know, a bit a point: [`Row::flags`] writes them out.
    pub flagged: Flags,
}

impl Row {
    /// The token's `kid`, when it decoded and has one.
    pub fn kid(&self) -> Option<&str> {
        match &self.token {
            Token::Decoded { kid, .. } => kid.as_deref(),
            _ => None,
        }
    }

    /// The token's `iss`, when it decoded and has one.
    pub fn issuer(&self) -> Option<&str> {
        match &self.token {
            Token::Decoded { issuer, .. } => issuer.as_deref(),
            _ => None,
        }
    }

    /// Whether the API server refuses the token: any non-empty `invalid-since` label does it.
    pub fn refused(&self) -> bool {
        match &self.invalid_since {
            Label::Absent => false,
            Label::Date(_) => true,
            Label::Malformed(text) => !text.is_empty(),
        }
    }

    /// This row with its names passed through `mask`: what Redact shows and what the CSV and
    /// the plan write when it is on.
    pub fn masked(&self, mask: &dyn Fn(&str) -> String) -> Row {
        let masked = |text: &str| {
            if text.is_empty() {
                String::new()
            } else {
                mask(text)
            }
        };
        Row {
            namespace: masked(&self.namespace),
            service_account: masked(&self.service_account),
            name: masked(&self.name),
            ..self.clone()
        }
    }
}

/// The counts above the table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Token Secrets in the dump.
    pub tokens: usize,
    /// Without a last-used label: never used since the API server began tracking use.
    pub never_used: usize,
    /// Used within the last [`RECENT_DAYS`] days.
    pub recently_used: usize,
    /// Marked invalid: the API server refuses them.
    pub refused: usize,
    /// Whose `data.token` does not decode.
    pub broken: usize,
}

/// A dump, audited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audit {
    /// One row per token Secret, in the order of the dump.
    pub rows: Vec<Row>,
    /// The counts above the table.
    pub summary: Summary,
    /// Secrets of other types in the dump (an unfiltered `kubectl get secrets`), not audited.
    pub other_secrets: usize,
    /// Token Secrets past [`MAX_ROWS`]: counted, not kept, not audited.
    pub not_kept: usize,
    /// ServiceAccounts in the paste, which decide [`Origin::Listed`] and [`Origin::Unlisted`].
    pub service_accounts: usize,
    /// The `since` date of the API server's tracking ConfigMap, when the paste holds it
    /// (`kube-system/kube-apiserver-legacy-service-account-token-tracking`).
    pub tracked_since: Option<Date>,
}

impl Audit {
    /// Projects every row's clean-up again under other `options` (the period is editable),
    /// without reading the dump again.
    pub fn reproject(&mut self, options: &Options, now: UnixSeconds) {
        let options = Options {
            tracked_since: options.tracked_since.or(self.tracked_since),
            ..*options
        };
        for row in &mut self.rows {
            row.cleanup = project(row, &options, now);
        }
    }
}
