//! Why the API server answers 401 to a token: each cause checked against the inspected token
//! and what was pasted beside it (the cluster's JWKS, its discovery document, the token's
//! Secret, Pod, Node or ServiceAccount).
//!
//! A 401 says only "not authenticated". The service-account authenticator refuses a token that
//! is outside its validity, signed by a key it does not hold, from another issuer, for another
//! audience, or whose Secret, Pod or service account is gone or re-created. Each check is
//! marked met, failed or unknown, so the page shows what is ruled out and what is left to paste.

use serde_json::Value;

use crate::crypto::keys::KeySet;
use crate::formats::json::text_of;
use crate::formats::shell::quote;
use crate::k8s::names;
use crate::support::time::{iso8601, relative, UnixSeconds};
use crate::token::claims::{self, Claim, Kind};
use crate::token::jwt::RawJwt;

/// The label the control plane sets on a legacy token Secret it has marked invalid.
pub const INVALID_SINCE: &str = "kubernetes.io/legacy-token-invalid-since";

/// The issuer of every legacy (Secret-based) token, which the API server always accepts.
const LEGACY_ISSUER: &str = "kubernetes/serviceaccount";

/// Audiences of tokens made for clouds and other services, not for the API server.
const FOREIGN_AUDIENCES: [&str; 4] = [
    "sts.amazonaws.com",
    "api://AzureADTokenExchange",
    "vault",
    "//iam.googleapis.com/",
];

/// How a check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The token passes it: not the cause.
    Met,
    /// The token fails it: a cause of the 401.
    Failed,
    /// Cannot be told from what was pasted; the reason says what to paste.
    Unknown,
}

impl Mark {
    /// "Met", "Failed", "Unknown".
    pub fn word(self) -> &'static str {
        match self {
            Mark::Met => "Met",
            Mark::Failed => "Failed",
            Mark::Unknown => "Unknown",
        }
    }
}

/// One requirement the authenticator has of a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// The requirement: "Within its validity period".
    pub requirement: &'static str,
    /// How the token fares.
    pub mark: Mark,
    /// Why, with the values compared, or what to paste to tell.
    pub why: String,
}

/// What was pasted beside the token, read into the facts the checks need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Related {
    /// `issuer` of a pasted `/.well-known/openid-configuration`.
    pub issuer: Option<String>,
    /// Pasted Secrets, Pods, Nodes and ServiceAccounts.
    pub objects: Vec<Object>,
}

/// A pasted Kubernetes object, as far as the checks read it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Object {
    /// `Secret`, `Pod`, `Node` or `ServiceAccount`.
    pub kind: String,
    /// `metadata.namespace`; empty for nodes.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.uid`.
    pub uid: String,
    /// Secrets: the `kubernetes.io/legacy-token-invalid-since` label.
    pub invalid_since: Option<String>,
    /// Secrets: `data.token` (base64, as pasted).
    pub token_b64: Option<String>,
}

/// Reads the documents pasted beside a token (a `List` counts as its items); documents of other
/// kinds are passed over.
pub fn related(docs: &[Value]) -> Related {
    let mut out = Related::default();
    let mut pending: Vec<&Value> = docs.iter().rev().collect();
    while let Some(doc) = pending.pop() {
        if let Some(issuer) = doc
            .get("issuer")
            .and_then(Value::as_str)
            .filter(|_| doc.get("jwks_uri").is_some())
        {
            out.issuer = Some(issuer.to_string());
            continue;
        }
        let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
        if kind.ends_with("List") {
            // One level only: a List of Lists is not something kubectl writes.
            if let Some(items) = doc.get("items").and_then(Value::as_array) {
                out.objects.extend(items.iter().filter_map(object));
            }
            continue;
        }
        out.objects.extend(object(doc));
    }
    out
}

fn object(doc: &Value) -> Option<Object> {
    let kind = doc.get("kind").and_then(Value::as_str)?;
    if !matches!(kind, "Secret" | "Pod" | "Node" | "ServiceAccount") {
        return None;
    }
    let meta = doc.get("metadata");
    let field = |key: &str| {
        meta.and_then(|m| m.get(key))
            .map(text_of)
            .unwrap_or_default()
    };
    Some(Object {
        kind: kind.to_string(),
        namespace: field("namespace"),
        name: field("name"),
        uid: field("uid"),
        invalid_since: meta
            .and_then(|m| m.get("labels"))
            .and_then(|l| l.get(INVALID_SINCE))
            .map(text_of),
        token_b64: doc.get("data").and_then(|d| d.get("token")).map(text_of),
    })
}

/// The checklist for `jwt`, against the pasted `keys` (the JWKS or PEM of the Verification key
/// field) and `related` objects, at `now`.
pub fn checklist(
    jwt: &RawJwt,
    keys: Option<&KeySet>,
    related: &Related,
    now: UnixSeconds,
) -> Vec<Check> {
    let sa = claims::read(&jwt.payload);
    let mut out = vec![
        validity(jwt, now),
        key(jwt, keys),
        issuer(jwt, related),
        audience(jwt, related),
    ];
    match sa.kind {
        Kind::Legacy => out.push(legacy_secret(jwt, &sa, related)),
        Kind::Bound(_) => {
            for (kind, reference) in [("Pod", &sa.pod), ("Secret", &sa.secret), ("Node", &sa.node)]
            {
                if let Some(reference) = reference {
                    out.push(bound_object(kind, reference, &sa, related));
                }
            }
        }
        Kind::Other => {}
    }
    if sa.kind != Kind::Other {
        out.push(service_account(&sa, related));
    }
    out
}

/// Every requirement, with what it means and how to tell, for when no token is inspected.
pub fn requirements() -> Vec<Check> {
    let unknown = |requirement, why: &str| check(requirement, Mark::Unknown, why);
    vec![
        unknown("Within its validity period", "The API server refuses a token after `exp`, or before `nbf` (a wrong clock). Get a new one: `kubectl create token ACCOUNT`, or read the projected token file again (the kubelet refreshes it)."),
        unknown("Signed by a key the API server holds", "The API server verifies signatures with its service-account keys. A `kid` that is not in `kubectl get --raw /openid/v1/jwks` means another cluster, or a key rotated out."),
        unknown("Issued by this cluster", "The API server accepts only the issuers of `--service-account-issuer`: compare `iss` with `issuer` in `/.well-known/openid-configuration`."),
        unknown("Meant for the API server (audience)", "The API server accepts only its own audiences (`--api-audiences`, by default the issuer). A token requested with `--audience=vault` is refused."),
        unknown("Its Secret exists and is not marked invalid", "A legacy token dies with its Secret, and is refused once the Secret carries `kubernetes.io/legacy-token-invalid-since`."),
        unknown("The pod it is bound to still exists", "A bound token is valid only while the pod or Secret it names exists with the same uid; a re-created pod has a new uid and a new token."),
        unknown("Its service account still exists", "Deleting a service account (even to make it again under the same name) ends every token it had."),
    ]
}

fn check(requirement: &'static str, mark: Mark, why: impl Into<String>) -> Check {
    Check {
        requirement,
        mark,
        why: why.into(),
    }
}

fn validity(jwt: &RawJwt, now: UnixSeconds) -> Check {
    const REQ: &str = "Within its validity period";
    let at = |t: i64| format!("{} ({})", iso8601(t), relative(t, now));
    if let Claim::Present(exp) = claims::time_claim(&jwt.payload, "exp") {
        if exp <= now {
            return check(REQ, Mark::Failed, format!("It expired at {}. Get a new token: `kubectl create token`, or let the kubelet refresh a projected one.", at(exp)));
        }
    }
    if let Claim::Present(nbf) = claims::time_claim(&jwt.payload, "nbf") {
        if nbf > now {
            return check(REQ, Mark::Failed, format!("It is not valid before {}: a clock is wrong, on this machine or where the token was made.", at(nbf)));
        }
    }
    match claims::time_claim(&jwt.payload, "exp") {
        Claim::Present(exp) => check(REQ, Mark::Met, format!("Valid until {}.", at(exp))),
        Claim::Absent => check(
            REQ,
            Mark::Met,
            "It has no `exp`: it never expires (a legacy token lives as long as its Secret).",
        ),
        Claim::Malformed(_) => check(
            REQ,
            Mark::Failed,
            "Its `exp` is not a number of seconds: the API server cannot read the token.",
        ),
    }
}

fn key(jwt: &RawJwt, keys: Option<&KeySet>) -> Check {
    const REQ: &str = "Signed by a key the API server holds";
    let Some(keys) = keys.filter(|k| !k.keys.is_empty()) else {
        return check(REQ, Mark::Unknown, "Paste the cluster's keys into Verification key on Inspect (`kubectl get --raw /openid/v1/jwks`) to compare its key ID.");
    };
    let Some(kid) = jwt.header.get("kid").and_then(Value::as_str) else {
        return check(REQ, Mark::Unknown, format!("The token's header names no key (`kid`); {} pasted key(s) to try. Inspect checks the signature against each.", keys.keys.len()));
    };
    let known = keys
        .keys
        .iter()
        .any(|k| k.kubernetes_kid == kid || k.jwk_kid.as_deref() == Some(kid));
    if known {
        check(
            REQ,
            Mark::Met,
            format!("Key ID {kid} is in the pasted keys (Inspect checks the signature itself)."),
        )
    } else {
        check(REQ, Mark::Failed, format!("Key ID {kid} is not among the {} pasted key(s): the signing key was rotated, or the token comes from another cluster. Get a new token from this cluster.", keys.keys.len()))
    }
}

fn issuer(jwt: &RawJwt, related: &Related) -> Check {
    const REQ: &str = "Issued by this cluster";
    let iss = jwt.payload.get("iss").and_then(Value::as_str);
    match (iss, &related.issuer) {
        (Some(LEGACY_ISSUER), _) => check(
            REQ,
            Mark::Met,
            "A legacy token's issuer, kubernetes/serviceaccount, is always accepted.",
        ),
        (None, _) => check(
            REQ,
            Mark::Failed,
            "The token has no `iss`: the service-account authenticator does not take it.",
        ),
        (Some(iss), Some(expected)) if iss == expected => check(
            REQ,
            Mark::Met,
            format!("`iss` {iss} is the issuer of the pasted discovery document."),
        ),
        (Some(iss), Some(expected)) => check(REQ, Mark::Failed, format!("`iss` is {iss}, but this cluster issues {expected} (unless it lists more than one `--service-account-issuer`). The token comes from another cluster, or the issuer was changed.")),
        (Some(iss), None) => check(REQ, Mark::Unknown, format!("`iss` is {iss}. Paste `kubectl get --raw /.well-known/openid-configuration` beside it to compare with the cluster's issuer.")),
    }
}

fn audience(jwt: &RawJwt, related: &Related) -> Check {
    const REQ: &str = "Meant for the API server (audience)";
    let auds: Vec<String> = match jwt.payload.get("aud") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().map(text_of).collect(),
        Some(one) => vec![text_of(one)],
    };
    if auds.is_empty() {
        return check(
            REQ,
            Mark::Met,
            "No `aud`: the API server takes a token without an audience as meant for itself.",
        );
    }
    let list = auds.join(", ");
    if let Some(issuer) = &related.issuer {
        if auds.contains(issuer) {
            return check(REQ, Mark::Met, format!("`aud` ({list}) includes the issuer, which the API server accepts by default (`--api-audiences`)."));
        }
    }
    if let Some(foreign) = auds
        .iter()
        .find(|a| FOREIGN_AUDIENCES.iter().any(|f| a.starts_with(f)))
    {
        if auds.len() == 1 {
            return check(REQ, Mark::Failed, format!("`aud` is {foreign}: the token was made for that service, not for the API server. Request one without `--audience` for the cluster."));
        }
    }
    match &related.issuer {
        Some(issuer) => check(REQ, Mark::Failed, format!("`aud` ({list}) does not include {issuer}, the audience the API server accepts by default. Unless `--api-audiences` lists one of them, request a token without `--audience`.")),
        None => check(REQ, Mark::Unknown, format!("`aud` is {list}. The API server accepts its `--api-audiences`, by default its issuer: paste the discovery document to compare.")),
    }
}

fn find<'a>(related: &'a Related, kind: &str, namespace: &str, name: &str) -> Option<&'a Object> {
    related
        .objects
        .iter()
        .find(|o| o.kind == kind && o.name == name && (kind == "Node" || o.namespace == namespace))
}

fn legacy_secret(jwt: &RawJwt, sa: &claims::ServiceAccountClaims, related: &Related) -> Check {
    const REQ: &str = "Its Secret exists and is not marked invalid";
    let namespace = sa.namespace.as_deref().unwrap_or_default();
    let Some(name) = sa.secret_name.as_deref() else {
        return check(
            REQ,
            Mark::Failed,
            "The legacy token names no Secret: the API server cannot look it up.",
        );
    };
    let Some(secret) = find(related, "Secret", namespace, name) else {
        let (command, note) = get_command("Secret", name, Some(namespace));
        return check(REQ, Mark::Unknown, format!("Paste the Secret ({command}) to check it still holds this token and is not marked invalid.{note}"));
    };
    if let Some(since) = &secret.invalid_since {
        return check(REQ, Mark::Failed, format!("The Secret carries {INVALID_SINCE}={since}: the control plane stopped accepting it as unused. Move to `kubectl create token` or a projected token; removing the label revives it until the clean-up deletes it."));
    }
    let token = format!(
        "{}.{}.{}",
        jwt.header_b64, jwt.payload_b64, jwt.signature_b64
    );
    let holds = secret.token_b64.as_deref().and_then(|b| {
        crate::token::b64::decode_lenient(b)
            .ok()
            .map(|bytes| bytes == token.as_bytes())
    });
    match holds {
        Some(false) => check(REQ, Mark::Failed, format!("Secret {namespace}/{name} holds another token: this one was replaced, and the API server compares the two.")),
        _ => check(
            REQ,
            Mark::Met,
            format!("Secret {namespace}/{name} is pasted, without {INVALID_SINCE}."),
        ),
    }
}

fn bound_object(
    kind: &'static str,
    reference: &claims::ObjectRef,
    sa: &claims::ServiceAccountClaims,
    related: &Related,
) -> Check {
    let req = match kind {
        "Pod" => "The pod it is bound to still exists",
        "Secret" => "The Secret it is bound to still exists",
        _ => "The node it is bound to still exists",
    };
    let namespace = sa.namespace.as_deref().unwrap_or_default();
    let (Some(name), Some(uid)) = (reference.name.ok(), reference.uid.ok()) else {
        return check(
            req,
            Mark::Failed,
            format!("The token's {kind} reference lacks a name or uid: the API server refuses it."),
        );
    };
    match find(related, kind, namespace, name) {
        None => {
            let (command, note) =
                get_command(kind, name, (kind != "Node").then_some(namespace));
            check(req, Mark::Unknown, format!("Paste the {kind} ({command}) to compare its uid with the token's {uid}.{note}"))
        }
        Some(o) if o.uid == *uid => check(req, Mark::Met, format!("{kind} {name} has the token's uid {uid}.")),
        Some(o) => check(req, Mark::Failed, format!("{kind} {name} has uid {}, the token {uid}: it was deleted and made again under the same name, and a bound token dies with the object it was bound to. Get a new token.", o.uid)),
    }
}

fn service_account(sa: &claims::ServiceAccountClaims, related: &Related) -> Check {
    const REQ: &str = "Its service account still exists";
    let namespace = sa.namespace.as_deref().unwrap_or_default();
    let name = sa.name.as_deref().unwrap_or_default();
    match (find(related, "ServiceAccount", namespace, name), &sa.uid) {
        (None, _) => {
            let (command, note) = get_command("ServiceAccount", name, Some(namespace));
            check(REQ, Mark::Unknown, format!("Paste the ServiceAccount ({command}) to compare its uid.{note}"))
        }
        (Some(o), Some(uid)) if o.uid != *uid => check(REQ, Mark::Failed, format!("ServiceAccount {namespace}/{name} has uid {}, the token {uid}: it was deleted and made again, and its old tokens died with it.", o.uid)),
        (Some(_), _) => check(REQ, Mark::Met, format!("ServiceAccount {namespace}/{name} is pasted, with the token's uid.")),
    }
}

/// `kubectl get KIND NAME -n NAMESPACE -o yaml` in backticks, for an object the token names, and
/// a note for each name left out of it. A token can claim any text (`--all`,
/// `--server=http://x`), and a pasted command must not read a claim as an option, so each name
/// is checked against Kubernetes' rules for it (a DNS-1123 subdomain for the object, a label for
/// the namespace): one that breaks them cannot be a real object's anyway, and a placeholder
/// stands in for it, with the reason in the note.
fn get_command(kind: &str, name: &str, namespace: Option<&str>) -> (String, String) {
    let mut note = String::new();
    let mut checked =
        |value: &str, fault: Option<String>, what: &str, placeholder: &'static str| match fault {
            None => quote(value).into_owned(),
            Some(fault) => {
                note.push_str(&format!(
                    " The token's {what} {value:?} is not one Kubernetes allows ({fault}), so \
                     the command has {placeholder} in its place: no object can have it, and no \
                     API server issues a token that names one."
                ));
                placeholder.to_string()
            }
        };
    let object = checked(
        name,
        names::subdomain_fault(name),
        &format!("{kind} name"),
        "NAME",
    );
    let mut command = format!("`kubectl get {} {object}", kind.to_ascii_lowercase());
    if let Some(namespace) = namespace {
        let namespace = checked(
            namespace,
            names::label_fault(namespace),
            "namespace",
            "NAMESPACE",
        );
        command.push_str(&format!(" --namespace {namespace}"));
    }
    command.push_str(" -o yaml`");
    (command, note)
}
