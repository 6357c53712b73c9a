//! The Kubernetes service-account claim model: legacy vs bound, and who the API server
//! thinks the bearer is.
//!
//! Claims are read from the payload `Value` (see STYLE: parse once, read typed fields) and
//! keep *absent* and *malformed* apart, because an explainer must still show a malformed
//! claim and say what is wrong with it.

use serde_json::{Map, Value};

/// The issuer of legacy, Secret-based tokens; bound tokens carry the API server's
/// `--service-account-issuer` instead (but very old clusters used this one for both).
pub const LEGACY_ISSUER: &str = "kubernetes/serviceaccount";
/// Prefix of the flat claims that legacy tokens carry.
pub const LEGACY_PREFIX: &str = "kubernetes.io/serviceaccount/";
/// The nested claim that bound (TokenRequest) tokens carry.
pub const BOUND_CLAIM: &str = "kubernetes.io";

/// A claim as found in a payload.
#[derive(Clone, Debug, PartialEq)]
pub enum Claim<T> {
    /// Present and of the expected type.
    Present(T),
    /// Present but of the wrong type (the raw value is kept for display).
    Malformed(Value),
    /// Not in the payload.
    Absent,
}

impl<T> Claim<T> {
    /// The value when present and well-formed.
    pub fn ok(&self) -> Option<&T> {
        match self {
            Claim::Present(v) => Some(v),
            _ => None,
        }
    }
}

/// Reads a string claim.
pub fn string_claim(map: &Map<String, Value>, key: &str) -> Claim<String> {
    match map.get(key) {
        None => Claim::Absent,
        Some(Value::String(s)) => Claim::Present(s.clone()),
        Some(other) => Claim::Malformed(other.clone()),
    }
}

/// Reads a JWT NumericDate (seconds since the epoch; fractions are allowed and truncated).
pub fn time_claim(map: &Map<String, Value>, key: &str) -> Claim<i64> {
    match map.get(key) {
        None => Claim::Absent,
        Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Claim::Present(i),
            (None, Some(f)) if f.is_finite() && f.abs() < 9.0e15 => Claim::Present(f as i64),
            _ => Claim::Malformed(Value::Number(n.clone())),
        },
        Some(other) => Claim::Malformed(other.clone()),
    }
}

/// What kind of token the claims describe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Secret-based token with flat `kubernetes.io/serviceaccount/*` claims; never expires.
    Legacy,
    /// TokenRequest token with the nested `kubernetes.io` claim.
    Bound(Binding),
    /// Not a Kubernetes service-account token (decoded as a generic JWT).
    Other,
}

/// The object a bound token is tied to; deleting it invalidates the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    /// Bound to a pod (projected volume tokens); dies with the pod.
    Pod,
    /// Bound to a Secret; dies with the Secret.
    Secret,
    /// Bound to a node; dies with the node.
    Node,
    /// Bound to nothing but the service account (`kubectl create token`).
    Unbound,
}

impl Binding {
    /// "pod-bound", "unbound", ...
    pub fn words(self) -> &'static str {
        match self {
            Binding::Pod => "pod-bound",
            Binding::Secret => "secret-bound",
            Binding::Node => "node-bound",
            Binding::Unbound => "unbound",
        }
    }
}

/// A `{name, uid}` reference in the `kubernetes.io` claim.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectRef {
    /// The object's name.
    pub name: Claim<String>,
    /// The object's uid.
    pub uid: Claim<String>,
}

/// The Kubernetes view of a payload.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceAccountClaims {
    /// Legacy, bound or not a service-account token.
    pub kind: Kind,
    /// The service account's namespace.
    pub namespace: Option<String>,
    /// The service account's name.
    pub name: Option<String>,
    /// The service account's uid.
    pub uid: Option<String>,
    /// Legacy tokens: the Secret that stores the token.
    pub secret_name: Option<String>,
    /// Bound tokens: the pod they are bound to.
    pub pod: Option<ObjectRef>,
    /// Bound tokens: the Secret they are bound to.
    pub secret: Option<ObjectRef>,
    /// Bound tokens: the node (of the pod, or bound directly).
    pub node: Option<ObjectRef>,
    /// Bound pod tokens with extended expiry: when the API server starts warning.
    pub warnafter: Claim<i64>,
    /// The token's unique ID (`jti`), recorded as the credential ID.
    pub jti: Option<String>,
}

/// Reads the Kubernetes claims from a payload.
pub fn read(payload: &Map<String, Value>) -> ServiceAccountClaims {
    let string = |key: &str| string_claim(payload, key).ok().cloned();
    let jti = string("jti");
    if let Some(Value::Object(k8s)) = payload.get(BOUND_CLAIM) {
        let object = |key: &str| match k8s.get(key) {
            Some(Value::Object(o)) => Some(ObjectRef {
                name: string_claim(o, "name"),
                uid: string_claim(o, "uid"),
            }),
            _ => None,
        };
        let sa = object("serviceaccount");
        let (pod, secret, node) = (object("pod"), object("secret"), object("node"));
        let binding = if pod.is_some() {
            Binding::Pod
        } else if secret.is_some() {
            Binding::Secret
        } else if node.is_some() {
            Binding::Node
        } else {
            Binding::Unbound
        };
        return ServiceAccountClaims {
            kind: Kind::Bound(binding),
            namespace: string_claim(k8s, "namespace").ok().cloned(),
            name: sa.as_ref().and_then(|s| s.name.ok().cloned()),
            uid: sa.as_ref().and_then(|s| s.uid.ok().cloned()),
            secret_name: None,
            pod,
            secret,
            node,
            warnafter: time_claim(k8s, "warnafter"),
            jti,
        };
    }
    let legacy = |field: &str| string(&format!("{LEGACY_PREFIX}{field}"));
    let is_legacy = payload.keys().any(|k| k.starts_with(LEGACY_PREFIX));
    ServiceAccountClaims {
        kind: if is_legacy { Kind::Legacy } else { Kind::Other },
        namespace: legacy("namespace"),
        name: legacy("service-account.name"),
        uid: legacy("service-account.uid"),
        secret_name: legacy("secret.name"),
        pod: None,
        secret: None,
        node: None,
        warnafter: Claim::Absent,
        jti,
    }
}

/// The user the API server's authenticator derives from a valid service-account token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// `system:serviceaccount:<namespace>:<name>`.
    pub username: String,
    /// The user's uid: the service account's uid.
    pub uid: Option<String>,
    /// `system:serviceaccounts`, `system:serviceaccounts:<namespace>`, `system:authenticated`.
    pub groups: Vec<String>,
    /// The `extra` fields (`authentication.kubernetes.io/...`), in a fixed order.
    pub extra: Vec<(String, String)>,
}

/// Derives the identity, as kube-apiserver's service-account authenticator does; `None`
/// when the claims do not name a service account.
pub fn identity(claims: &ServiceAccountClaims) -> Option<Identity> {
    if claims.kind == Kind::Other {
        return None;
    }
    let namespace = claims.namespace.as_deref()?;
    let name = claims.name.as_deref()?;
    let mut extra = Vec::new();
    let mut push = |key: &str, value: Option<&String>| {
        if let Some(v) = value {
            extra.push((format!("authentication.kubernetes.io/{key}"), v.clone()));
        }
    };
    if let Some(pod) = &claims.pod {
        push("pod-name", pod.name.ok());
        push("pod-uid", pod.uid.ok());
    }
    if let Some(node) = &claims.node {
        push("node-name", node.name.ok());
        push("node-uid", node.uid.ok());
    }
    if let Some(jti) = &claims.jti {
        push("credential-id", Some(&format!("JTI={jti}")));
    }
    Some(Identity {
        username: format!("system:serviceaccount:{namespace}:{name}"),
        uid: claims.uid.clone(),
        groups: vec![
            "system:serviceaccounts".to_string(),
            format!("system:serviceaccounts:{namespace}"),
            "system:authenticated".to_string(),
        ],
        extra,
    })
}
