//! A share link's form as the JSON inside it: written with every field, read with a missing
//! field as its default (a link made before the field existed) and a wrong type as an error
//! naming the field.

use std::fmt;

use serde_json::{Map, Value};

use super::{AccessForm, KubeconfigFields, Question, Shared, MAX_RULES};
use crate::rbac::{RbacForm, RuleRow, Scope, SubjectKind};
use crate::token_request::{BoundKind, BoundObject, TokenForm};

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
pub(super) fn to_json(shared: &Shared) -> Value {
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
            &[
                ("page", "access"),
                ("policy", &f.policy),
                ("subject", &f.subject),
            ],
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
                        object(
                            &[("kind", kind_name(b.kind)), ("name", &b.name)],
                            Vec::new(),
                        )
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
pub(super) enum FormError {
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
pub(super) fn from_json(value: &Value) -> Result<Shared, FormError> {
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
