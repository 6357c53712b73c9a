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

pub mod report; // Inspect, Troubleshoot, Access and Audit as Markdown and JSON, redacted
pub mod secret;

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::kubeconfig::KubeconfigForm;
use crate::learn;
use crate::rbac::{RbacForm, RuleRow, Scope, SubjectKind};
use crate::token_request::{BoundKind, BoundObject, TokenForm};

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

    /// Every text field, with the label the page gives it, and whether it holds a certificate.
    fn texts(&self) -> Vec<(&'static str, &str, bool)> {
        match self {
            Shared::Rbac(form) => {
                let mut out = vec![
                    ("Service account", form.service_account.as_str(), false),
                    ("Namespace", form.namespace.as_str(), false),
                    ("ClusterRole", form.cluster_role.as_str(), false),
                    ("Role name", form.role_name.as_str(), false),
                ];
                for row in &form.rules {
                    out.extend([
                        ("API groups", row.api_groups.as_str(), false),
                        ("Resources", row.resources.as_str(), false),
                        ("Verbs", row.verbs.as_str(), false),
                        ("Resource names", row.resource_names.as_str(), false),
                        ("Non-resource URLs", row.non_resource_urls.as_str(), false),
                    ]);
                }
                out
            }
            Shared::Access(form) => {
                let mut out = vec![
                    ("The policy", form.policy.as_str(), false),
                    ("Subject", form.subject.as_str(), false),
                ];
                for q in [&form.can_i, &form.who_can] {
                    out.extend([
                        ("Verb", q.verb.as_str(), false),
                        ("Resource", q.resource.as_str(), false),
                        ("Namespace", q.namespace.as_str(), false),
                        ("Name", q.name.as_str(), false),
                    ]);
                }
                out
            }
            Shared::Token(form) => {
                let mut out = vec![
                    ("Service account", form.service_account.as_str(), false),
                    ("Namespace", form.namespace.as_str(), false),
                    ("Duration", form.duration.as_str(), false),
                    ("Audiences", form.audiences.as_str(), false),
                    ("Issuer", form.issuer.as_str(), false),
                    ("Pod name", form.pod_name.as_str(), false),
                    ("Image", form.image.as_str(), false),
                    ("Mount path", form.mount_path.as_str(), false),
                    ("Token path", form.token_path.as_str(), false),
                    ("Server", form.server.as_str(), false),
                    ("CA file", form.ca_file.as_str(), false),
                ];
                if let Some(bound) = &form.bound {
                    out.push(("Bound object name", bound.name.as_str(), false));
                }
                out
            }
            Shared::Kubeconfig(form) => vec![
                ("Cluster name", form.cluster_name.as_str(), false),
                ("Server", form.server.as_str(), false),
                ("CA certificate", form.ca.as_str(), true),
                ("TLS server name", form.tls_server_name.as_str(), false),
                ("User name", form.user_name.as_str(), false),
                ("Namespace", form.namespace.as_str(), false),
                ("Context name", form.context_name.as_str(), false),
            ],
            Shared::Learn(id) => vec![("Step", id.as_str(), false)],
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
        for (field, text, certificate) in self.texts() {
            if let Some(found) = secret::find(text, certificate) {
                return Err(refused(field, found));
            }
        }
        Ok(())
    }
}

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
    let value: Value = serde_json::from_slice(inflated)
        .map_err(|e| LinkError::Form(format!("not JSON ({e})")))?;
    let shared = from_json(&value).map_err(|e| LinkError::Form(e.to_string()))?;
    shared.check().map_err(LinkError::Refused)?;
    Ok(shared)
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Namespace => "namespace",
        Scope::Cluster => "cluster",
        Scope::BindClusterRole => "bind",
        Scope::BindClusterRoleClusterWide => "bind-cluster-wide",
    }
}

fn kind_name(kind: BoundKind) -> &'static str {
    match kind {
        BoundKind::Pod => "Pod",
        BoundKind::Secret => "Secret",
        BoundKind::Node => "Node",
    }
}

/// An object of text fields, then other values: one loop rather than the `json!` macro's
/// insert per key, which the wasm would hold once per field.
fn object(texts: &[(&str, &str)], others: Vec<(&str, Value)>) -> Value {
    let mut map = Map::new();
    for (key, text) in texts {
        map.insert((*key).to_string(), Value::String((*text).to_string()));
    }
    for (key, value) in others {
        map.insert(key.to_string(), value);
    }
    Value::Object(map)
}

fn question_json(q: &Question) -> Value {
    object(
        &[
            ("verb", &q.verb),
            ("resource", &q.resource),
            ("namespace", &q.namespace),
            ("name", &q.name),
        ],
        Vec::new(),
    )
}

/// The subject kind's word in a link.
fn subject_name(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::ServiceAccount => "serviceAccount",
        SubjectKind::User => "user",
        SubjectKind::Group => "group",
    }
}

/// The form as the JSON of a `v1` link.
fn to_json(shared: &Shared) -> Value {
    match shared {
        Shared::Rbac(f) => {
            let rules = f
                .rules
                .iter()
                .map(|r| {
                    object(
                        &[
                            ("apiGroups", &r.api_groups),
                            ("resources", &r.resources),
                            ("verbs", &r.verbs),
                            ("resourceNames", &r.resource_names),
                            ("nonResourceURLs", &r.non_resource_urls),
                        ],
                        Vec::new(),
                    )
                })
                .collect();
            object(
                &[
                    ("page", "rbac"),
                    ("serviceAccount", &f.service_account),
                    ("namespace", &f.namespace),
                    ("scope", scope_name(f.scope)),
                    ("clusterRole", &f.cluster_role),
                    ("roleName", &f.role_name),
                    ("subject", subject_name(f.subject)),
                    ("accountNamespace", &f.account_namespace),
                ],
                vec![
                    ("rules", Value::Array(rules)),
                    ("tokenSecret", Value::Bool(f.token_secret)),
                    ("sharedRole", Value::Bool(f.shared_role)),
                ],
            )
        }
        Shared::Access(f) => object(
            &[("page", "access"), ("policy", &f.policy), ("subject", &f.subject)],
            vec![
                ("canI", question_json(&f.can_i)),
                ("whoCan", question_json(&f.who_can)),
            ],
        ),
        Shared::Token(f) => object(
            &[
                ("page", "token"),
                ("serviceAccount", &f.service_account),
                ("namespace", &f.namespace),
                ("duration", &f.duration),
                ("audiences", &f.audiences),
                ("issuer", &f.issuer),
                ("podName", &f.pod_name),
                ("image", &f.image),
                ("mountPath", &f.mount_path),
                ("tokenPath", &f.token_path),
                ("server", &f.server),
                ("caFile", &f.ca_file),
            ],
            vec![
                (
                    "bound",
                    f.bound.as_ref().map_or(Value::Null, |b| {
                        object(&[("kind", kind_name(b.kind)), ("name", &b.name)], Vec::new())
                    }),
                ),
                ("automount", Value::Bool(f.automount)),
            ],
        ),
        Shared::Kubeconfig(f) => object(
            &[
                ("page", "kubeconfig"),
                ("clusterName", &f.cluster_name),
                ("server", &f.server),
                ("ca", &f.ca),
                ("tlsServerName", &f.tls_server_name),
                ("userName", &f.user_name),
                ("namespace", &f.namespace),
                ("contextName", &f.context_name),
            ],
            vec![("skipTlsVerify", Value::Bool(f.skip_tls_verify))],
        ),
        Shared::Learn(id) => object(&[("page", "learn"), ("step", id)], Vec::new()),
    }
}

/// What in a link's JSON is not the form a link holds: the field, or the value at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
enum FormError {
    /// The JSON is not an object.
    NotJsonObject,
    /// A field that must be text is not.
    NotText(String),
    /// A field that must be true or false is not.
    NotFlag(String),
    /// A field that must be an object is not.
    NotObject(String),
    /// A page no link opens (its first 32 characters).
    UnknownPage(String),
    /// A scope the RBAC builder does not have (its first 32 characters).
    UnknownScope(String),
    /// A rule row that is not an object.
    RuleRowNotObject,
    /// More rule rows than [`MAX_RULES`].
    TooManyRuleRows,
    /// `rules` is not a list.
    RulesNotList,
    /// A subject kind the builder does not have.
    UnknownSubject,
    /// A bound object kind a token cannot be bound to.
    UnknownBoundKind,
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::NotJsonObject => f.write_str("not a JSON object"),
            FormError::NotText(key) => write!(f, "{key} is not text"),
            FormError::NotFlag(key) => write!(f, "{key} is not true or false"),
            FormError::NotObject(key) => write!(f, "{key} is not an object"),
            FormError::UnknownPage(page) => write!(f, "page {page:?} is not one a link opens"),
            FormError::UnknownScope(scope) => {
                write!(f, "scope {scope:?} is not one the builder has")
            }
            FormError::RuleRowNotObject => f.write_str("a rule row is not an object"),
            FormError::TooManyRuleRows => write!(f, "more than {MAX_RULES} rule rows"),
            FormError::RulesNotList => f.write_str("rules is not a list"),
            FormError::UnknownSubject => {
                f.write_str("subject is not serviceAccount, user or group")
            }
            FormError::UnknownBoundKind => f.write_str("bound.kind is not Pod, Secret or Node"),
        }
    }
}

impl std::error::Error for FormError {}

/// Reads the fields of one object of a link: a missing field is its default (links made
/// before the field existed), a field of the wrong type is an error naming it.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn text(&self, key: &str) -> Result<String, FormError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(FormError::NotText(key.to_string())),
        }
    }

    fn text_or(&self, key: &str, default: &str) -> Result<String, FormError> {
        match self.0.get(key) {
            None => Ok(default.to_string()),
            _ => self.text(key),
        }
    }

    fn flag(&self, key: &str) -> Result<bool, FormError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(FormError::NotFlag(key.to_string())),
        }
    }

    fn object(&self, key: &str) -> Result<Option<Fields<'_>>, FormError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(o)) => Ok(Some(Fields(o))),
            Some(_) => Err(FormError::NotObject(key.to_string())),
        }
    }
}

/// The text fields `keys` of one object, in order: one loop for every form, so the wasm holds
/// one copy of the reading and its error path rather than one per field.
struct Texts(std::vec::IntoIter<String>);

impl Texts {
    fn next(&mut self) -> String {
        self.0.next().unwrap_or_default()
    }
}

impl Fields<'_> {
    fn texts(&self, keys: &[&str]) -> Result<Texts, FormError> {
        let texts = keys
            .iter()
            .map(|key| self.text(key))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Texts(texts.into_iter()))
    }
}

fn question(fields: Option<Fields<'_>>) -> Result<Question, FormError> {
    let Some(f) = fields else {
        return Ok(Question::default());
    };
    let mut t = f.texts(&["verb", "resource", "namespace", "name"])?;
    Ok(Question {
        verb: t.next(),
        resource: t.next(),
        namespace: t.next(),
        name: t.next(),
    })
}

/// The form a `v1` link's JSON holds.
fn from_json(value: &Value) -> Result<Shared, FormError> {
    let Value::Object(object) = value else {
        return Err(FormError::NotJsonObject);
    };
    let f = Fields(object);
    match f.text("page")?.as_str() {
        "rbac" => rbac_from(&f).map(Shared::Rbac),
        "access" => {
            let mut t = f.texts(&["policy", "subject"])?;
            Ok(Shared::Access(AccessForm {
                policy: t.next(),
                subject: t.next(),
                can_i: question(f.object("canI")?)?,
                who_can: question(f.object("whoCan")?)?,
            }))
        }
        "token" => token_from(&f).map(Shared::Token),
        "kubeconfig" => {
            let mut t = f.texts(&[
                "clusterName",
                "server",
                "ca",
                "tlsServerName",
                "userName",
                "namespace",
                "contextName",
            ])?;
            Ok(Shared::Kubeconfig(KubeconfigFields {
                cluster_name: t.next(),
                server: t.next(),
                ca: t.next(),
                skip_tls_verify: f.flag("skipTlsVerify")?,
                tls_server_name: t.next(),
                user_name: t.next(),
                namespace: t.next(),
                context_name: t.next(),
            }))
        }
        "learn" => Ok(Shared::Learn(f.text("step")?)),
        other => Err(FormError::UnknownPage(other.chars().take(32).collect())),
    }
}

fn rbac_from(f: &Fields<'_>) -> Result<RbacForm, FormError> {
    let defaults = RbacForm::default();
    let scope = match f.text_or("scope", "namespace")?.as_str() {
        "namespace" => Scope::Namespace,
        "cluster" => Scope::Cluster,
        "bind" => Scope::BindClusterRole,
        "bind-cluster-wide" => Scope::BindClusterRoleClusterWide,
        other => return Err(FormError::UnknownScope(other.chars().take(32).collect())),
    };
    let rules = match f.0.get("rules") {
        None => defaults.rules,
        Some(Value::Array(rows)) if rows.len() <= MAX_RULES => rows
            .iter()
            .map(|row| match row {
                Value::Object(o) => {
                    let mut t = Fields(o).texts(&[
                        "apiGroups",
                        "resources",
                        "verbs",
                        "resourceNames",
                        "nonResourceURLs",
                    ])?;
                    Ok(RuleRow {
                        api_groups: t.next(),
                        resources: t.next(),
                        verbs: t.next(),
                        resource_names: t.next(),
                        non_resource_urls: t.next(),
                    })
                }
                _ => Err(FormError::RuleRowNotObject),
            })
            .collect::<Result<_, _>>()?,
        Some(Value::Array(_)) => return Err(FormError::TooManyRuleRows),
        Some(_) => return Err(FormError::RulesNotList),
    };
    let mut t = f.texts(&["serviceAccount", "roleName", "accountNamespace"])?;
    Ok(RbacForm {
        service_account: t.next(),
        namespace: f.text_or("namespace", &defaults.namespace)?,
        scope,
        cluster_role: f.text_or("clusterRole", &defaults.cluster_role)?,
        rules,
        token_secret: f.flag("tokenSecret")?,
        role_name: t.next(),
        // Links made before the builder took users and groups have no subject: a service account.
        subject: match f.text_or("subject", "serviceAccount")?.as_str() {
            "serviceAccount" => SubjectKind::ServiceAccount,
            "user" => SubjectKind::User,
            "group" => SubjectKind::Group,
            _ => return Err(FormError::UnknownSubject),
        },
        account_namespace: t.next(),
        shared_role: f.flag("sharedRole")?,
    })
}

fn token_from(f: &Fields<'_>) -> Result<TokenForm, FormError> {
    let bound = match f.object("bound")? {
        None => None,
        Some(b) => {
            let kind = match b.text("kind")?.as_str() {
                "Pod" => BoundKind::Pod,
                "Secret" => BoundKind::Secret,
                "Node" => BoundKind::Node,
                _ => return Err(FormError::UnknownBoundKind),
            };
            Some(BoundObject {
                kind,
                name: b.text("name")?,
                uid: None,
            })
        }
    };
    let mut t = f.texts(&[
        "serviceAccount",
        "namespace",
        "duration",
        "audiences",
        "issuer",
        "podName",
        "image",
        "mountPath",
        "tokenPath",
        "server",
        "caFile",
    ])?;
    Ok(TokenForm {
        service_account: t.next(),
        namespace: t.next(),
        duration: t.next(),
        audiences: t.next(),
        issuer: t.next(),
        bound,
        pod_name: t.next(),
        image: t.next(),
        automount: f.flag("automount")?,
        mount_path: t.next(),
        token_path: t.next(),
        server: t.next(),
        ca_file: t.next(),
    })
}
