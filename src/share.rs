//! Share links: a page's form carried in the URL fragment, so a docs author can link a worked
//! example and a student can send what they built, with no server in between.
//!
//! A link is `#/<page>?share=v1.<payload>`: the payload is the form as JSON, deflated, then
//! base64url without padding. The fragment never reaches a server. The `v1.` prefix names the
//! format, so links made today still open after the format changes; a missing field takes the
//! form's default, so a link made before a field existed still opens.
//!
//! The deflating is the browser's (`CompressionStream('deflate-raw')`, in `ui/share_link.rs`):
//! this module works on the deflated bytes, so no deflate code goes into the wasm.
//!
//! A link never carries a secret: [`form_json`] refuses a form holding a token, a signature, a
//! private key, a Secret's data, a `jti` or a uid ([`secret`]), and so does [`read_form`], so a
//! crafted link cannot put one on the page either. Decoding is bounded: the fragment's
//! length, the inflated size, and the number of rule rows.

mod form;
pub mod report; // Inspect, Troubleshoot, Access and Audit as Markdown and JSON, redacted
pub mod secret;

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

use form::{from_json, to_json};

use crate::kubeconfig::KubeconfigForm;
use crate::learn;
use crate::rbac::RbacForm;
use crate::token_request::{BoundObject, TokenForm};

pub use secret::{Refusal, Secret};

/// The format every new link is written in.
pub const VERSION: &str = "v1";
/// The longest payload read: browsers keep URLs of 64 KiB and more, chat tools cut earlier.
pub const MAX_PAYLOAD_CHARS: usize = 32 * 1024;
/// The largest inflated form read: a policy of [`MAX_POLICY_BYTES`] and the fields around it.
pub const MAX_INFLATED_BYTES: usize = 64 * 1024;
/// The largest pasted policy a Can I link carries.
pub const MAX_POLICY_BYTES: usize = 8 * 1024;
/// The most rule rows an RBAC builder link carries.
pub const MAX_RULES: usize = 100;

/// What a link fills in: one page's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shared {
    /// The RBAC builder's form.
    Rbac(RbacForm),
    /// Can I and Who can, over a pasted policy.
    Access(AccessForm),
    /// The Token request form.
    Token(TokenForm),
    /// The kubeconfig builder's fields, without the token.
    Kubeconfig(KubeconfigFields),
    /// A step of the guided walk, by its id.
    Learn(String),
}

/// The Access page's inputs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessForm {
    /// The pasted Roles, ClusterRoles and bindings (up to [`MAX_POLICY_BYTES`]).
    pub policy: String,
    /// Who asks, as typed (`system:serviceaccount:ns:name`, `user:alice`).
    pub subject: String,
    /// The Can I question.
    pub can_i: Question,
    /// The Who can question.
    pub who_can: Question,
}

/// One access question, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Question {
    /// The verb.
    pub verb: String,
    /// The resource (`pods`, `deployments.apps`, `pods/log`) or a non-resource path.
    pub resource: String,
    /// The namespace; empty for cluster-wide.
    pub namespace: String,
    /// The object's name; empty for any.
    pub name: String,
}

/// The kubeconfig builder's fields a link carries: all but the token, which is a secret.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KubeconfigFields {
    /// The cluster's name.
    pub cluster_name: String,
    /// The API server's URL.
    pub server: String,
    /// The cluster CA (public: a certificate).
    pub ca: String,
    /// `insecure-skip-tls-verify`.
    pub skip_tls_verify: bool,
    /// `tls-server-name`.
    pub tls_server_name: String,
    /// The user's name.
    pub user_name: String,
    /// The context's namespace.
    pub namespace: String,
    /// The context's name.
    pub context_name: String,
}

impl KubeconfigFields {
    /// The form's fields, leaving the token out.
    pub fn from_form(form: &KubeconfigForm) -> KubeconfigFields {
        KubeconfigFields {
            cluster_name: form.cluster_name.clone(),
            server: form.server.clone(),
            ca: form.ca.clone(),
            skip_tls_verify: form.skip_tls_verify,
            tls_server_name: form.tls_server_name.clone(),
            user_name: form.user_name.clone(),
            namespace: form.namespace.clone(),
            context_name: form.context_name.clone(),
        }
    }

    /// The form these fields fill, keeping the token the user already has.
    pub fn into_form(self, token: String) -> KubeconfigForm {
        KubeconfigForm {
            cluster_name: self.cluster_name,
            server: self.server,
            ca: self.ca,
            skip_tls_verify: self.skip_tls_verify,
            tls_server_name: self.tls_server_name,
            user_name: self.user_name,
            token,
            namespace: self.namespace,
            context_name: self.context_name,
        }
    }
}

/// Why a link was not made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// The form holds a secret.
    Refused(Refusal),
    /// The pasted policy is longer than a link carries.
    PolicyTooLarge {
        /// Its size.
        bytes: usize,
    },
    /// More rule rows than a link carries.
    TooManyRules {
        /// How many.
        rows: usize,
    },
    /// The walk has no step with this id.
    UnknownStep(String),
    /// The compressed form is longer than a link carries.
    TooLong {
        /// The payload's length.
        chars: usize,
    },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Refused(r) => r.fmt(f),
            ShareError::PolicyTooLarge { bytes } => write!(
                f,
                "The policy is {bytes} bytes; a link carries up to {MAX_POLICY_BYTES}. Keep only the roles and bindings the question needs."
            ),
            ShareError::TooManyRules { rows } => write!(
                f,
                "The form has {rows} rule rows; a link carries up to {MAX_RULES}. Download the manifests instead."
            ),
            ShareError::UnknownStep(id) => write!(f, "The walk has no step {id:?}."),
            ShareError::TooLong { chars } => write!(
                f,
                "The link would be {chars} characters; links carry up to {MAX_PAYLOAD_CHARS}. Shorten the pasted text."
            ),
        }
    }
}

impl std::error::Error for ShareError {}

/// Why a link did not open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// No `share=` payload.
    Empty,
    /// The payload is longer than any link this app makes.
    TooLong {
        /// Its length.
        chars: usize,
    },
    /// A version prefix this app does not know (a newer app made the link).
    UnknownVersion(String),
    /// A character that is not base64url, at this offset of the payload.
    Base64 {
        /// The offset.
        offset: usize,
    },
    /// The payload does not inflate (cut short when copied?).
    Inflate,
    /// The payload inflates to more than [`MAX_INFLATED_BYTES`].
    TooLarge,
    /// The inflated form is not the JSON a link holds; says where.
    Form(String),
    /// The form holds what no link may carry.
    Refused(ShareError),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => write!(f, "The link holds no form (nothing after share=)."),
            LinkError::TooLong { chars } => write!(
                f,
                "The link's form is {chars} characters; links made here are at most {MAX_PAYLOAD_CHARS}."
            ),
            LinkError::UnknownVersion(v) => write!(
                f,
                "The link is in format {v:?}, which this version of the app does not read; open it in the version that made it."
            ),
            LinkError::Base64 { offset } => write!(
                f,
                "The link's form has a character that is not base64url at position {offset}; copy the whole link again."
            ),
            LinkError::Inflate => write!(
                f,
                "The link's form does not decompress; it was probably cut short. Copy the whole link again."
            ),
            LinkError::TooLarge => write!(
                f,
                "The link's form decompresses to more than {MAX_INFLATED_BYTES} bytes; no link made here is that large."
            ),
            LinkError::Form(what) => write!(f, "The link's form is not one this app makes: {what}."),
            LinkError::Refused(e) => write!(f, "The link was not opened. {e}"),
        }
    }
}

impl std::error::Error for LinkError {}

impl Shared {
    /// The page the link opens.
    pub fn route(&self) -> &'static str {
        match self {
            Shared::Rbac(_) => "#/rbac",
            Shared::Access(_) => "#/access",
            Shared::Token(_) => "#/token",
            Shared::Kubeconfig(_) => "#/kubeconfig",
            Shared::Learn(_) => "#/learn",
        }
    }

    /// Every text field, with the label the page gives it, group by group (a rule row, a
    /// question), each handed to `scan` until one holds a secret.
    fn scan_texts(&self, scan: &mut Scan<'_>) -> bool {
        match self {
            Shared::Rbac(form) => {
                scan(&[
                    ("Service account", &form.service_account),
                    ("Namespace", &form.namespace),
                    ("ClusterRole", &form.cluster_role),
                    ("Role name", &form.role_name),
                    ("Service account's namespace", &form.account_namespace),
                ]) || form.rules.iter().any(|row| {
                    scan(&[
                        ("API groups", &row.api_groups),
                        ("Resources", &row.resources),
                        ("Verbs", &row.verbs),
                        ("Resource names", &row.resource_names),
                        ("Non-resource URLs", &row.non_resource_urls),
                    ])
                })
            }
            Shared::Access(form) => {
                scan(&[("The policy", &form.policy), ("Subject", &form.subject)])
                    || [&form.can_i, &form.who_can].iter().any(|q| {
                        scan(&[
                            ("Verb", &q.verb),
                            ("Resource", &q.resource),
                            ("Namespace", &q.namespace),
                            ("Name", &q.name),
                        ])
                    })
            }
            Shared::Token(form) => {
                scan(&[
                    ("Service account", &form.service_account),
                    ("Namespace", &form.namespace),
                    ("Duration", &form.duration),
                    ("Audiences", &form.audiences),
                    ("Issuer", &form.issuer),
                    ("Pod name", &form.pod_name),
                    ("Image", &form.image),
                    ("Mount path", &form.mount_path),
                    ("Token path", &form.token_path),
                    ("Server", &form.server),
                    ("CA file", &form.ca_file),
                ]) || form
                    .bound
                    .as_ref()
                    .is_some_and(|b| scan(&[("Bound object name", &b.name)]))
            }
            Shared::Kubeconfig(form) => scan(&[
                ("Cluster name", &form.cluster_name),
                ("Server", &form.server),
                (CA_FIELD, &form.ca),
                ("TLS server name", &form.tls_server_name),
                ("User name", &form.user_name),
                ("Namespace", &form.namespace),
                ("Context name", &form.context_name),
            ]),
            Shared::Learn(id) => scan(&[("Step", id)]),
        }
    }

    /// Whether a link may carry this form: no secret, within the limits.
    pub fn check(&self) -> Result<(), ShareError> {
        match self {
            Shared::Access(form) if form.policy.len() > MAX_POLICY_BYTES => {
                return Err(ShareError::PolicyTooLarge {
                    bytes: form.policy.len(),
                });
            }
            Shared::Rbac(form) if form.rules.len() > MAX_RULES => {
                return Err(ShareError::TooManyRules {
                    rows: form.rules.len(),
                });
            }
            Shared::Learn(id) if learn::find(id).is_none() => {
                return Err(ShareError::UnknownStep(id.clone()));
            }
            Shared::Token(TokenForm {
                bound: Some(BoundObject { uid: Some(uid), .. }),
                ..
            }) if !uid.trim().is_empty() => {
                return Err(refused("Bound object uid", Secret::Uid));
            }
            _ => {}
        }
        let mut found = None;
        self.scan_texts(&mut |fields| {
            found = fields.iter().find_map(|(field, text)| {
                secret::find(text, *field == CA_FIELD).map(|secret| refused(field, secret))
            });
            found.is_some()
        });
        found.map_or(Ok(()), Err)
    }
}

/// What looks at a group of labelled text fields, and says whether to stop.
type Scan<'a> = dyn FnMut(&[(&'static str, &str)]) -> bool + 'a;

/// The one field whose long base64 runs are public: a certificate.
const CA_FIELD: &str = "CA certificate";

fn refused(field: &str, secret: Secret) -> ShareError {
    ShareError::Refused(Refusal {
        field: field.to_string(),
        secret,
    })
}

/// The form a link to `shared` carries, as the JSON that is deflated: checked first, so no
/// secret is ever compressed. The deflating itself is the browser's (`CompressionStream`,
/// `deflate-raw`), which costs the wasm nothing.
pub fn form_json(shared: &Shared) -> Result<String, ShareError> {
    shared.check()?;
    Ok(to_json(shared).to_string())
}

/// The payload of a link from the form's raw deflate stream (RFC 1951, no zlib header):
/// `v1.` then the bytes in base64url.
pub fn payload(deflated: &[u8]) -> Result<String, ShareError> {
    let payload = format!("{VERSION}.{}", URL_SAFE_NO_PAD.encode(deflated));
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(ShareError::TooLong {
            chars: payload.len(),
        });
    }
    Ok(payload)
}

/// The whole fragment of a link to `shared` with its `payload`: `#/<page>?share=v1.…`, or for
/// a Learn step `#/learn/<id>?share=v1.…`.
pub fn fragment(shared: &Shared, payload: &str) -> String {
    match shared {
        Shared::Learn(id) => format!("#/learn/{id}?share={payload}"),
        _ => format!("{}?share={payload}", shared.route()),
    }
}

/// The `share=` payload of a fragment, if it has one.
pub fn payload_of(hash: &str) -> Option<&str> {
    let (_, query) = hash.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("share="))
        .filter(|p| !p.is_empty())
}

/// The raw deflate stream a payload (or a whole fragment holding `share=`) carries, for the
/// browser's `DecompressionStream` to inflate; then [`read_form`].
pub fn deflated(text: &str) -> Result<Vec<u8>, LinkError> {
    let payload = if text.contains('?') || text.starts_with('#') {
        payload_of(text).unwrap_or_default()
    } else {
        text.trim()
    };
    if payload.is_empty() {
        return Err(LinkError::Empty);
    }
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(LinkError::TooLong {
            chars: payload.len(),
        });
    }
    let Some((version, body)) = payload.split_once('.') else {
        return Err(LinkError::UnknownVersion(String::new()));
    };
    if version != VERSION {
        return Err(LinkError::UnknownVersion(
            version.chars().take(16).collect(),
        ));
    }
    let offset = version.len() + 1;
    URL_SAFE_NO_PAD.decode(body).map_err(|e| LinkError::Base64 {
        offset: offset
            + match e {
                base64::DecodeError::InvalidByte(at, _) => at,
                base64::DecodeError::InvalidLastSymbol(at, _) => at,
                _ => body.len(),
            },
    })
}

/// The form an inflated payload holds, checked as [`form_json`] checks it, so a crafted link
/// cannot put a secret on the page either.
pub fn read_form(inflated: &[u8]) -> Result<Shared, LinkError> {
    if inflated.len() > MAX_INFLATED_BYTES {
        return Err(LinkError::TooLarge);
    }
    let value: Value =
        serde_json::from_slice(inflated).map_err(|e| LinkError::Form(format!("not JSON ({e})")))?;
    let shared = from_json(&value).map_err(|e| LinkError::Form(e.to_string()))?;
    shared.check().map_err(LinkError::Refused)?;
    Ok(shared)
}
