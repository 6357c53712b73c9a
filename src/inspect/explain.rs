//! From a decoded token and `now` to what the page shows: rows with plain-words meanings,
//! times, status, identity and findings.
//!
//! The output is plain data with public fields so components only render it; all wording
//! lives here, where it is tested.

use serde_json::{Map, Value};

pub use crate::support::finding::{Finding, Level};

use crate::crypto::keys::VerifyStatus;
use crate::support::time::{duration_words, iso8601, relative, UnixSeconds};
use crate::token::claims::{self, Binding, Claim, Identity, Kind, ServiceAccountClaims};
use crate::token::jwt::RawJwt;

/// One line of the header or claims table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The claim or header name; nested claims as `kubernetes.io.pod.name`.
    pub name: String,
    /// The value as text (times with their ISO form and relative time).
    pub value: String,
    /// What it means, in plain words.
    pub meaning: String,
    /// False for names this tool does not know (shown as "unknown claim").
    pub known: bool,
}

/// One of the token's instants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeRow {
    /// "Issued", "Not before", "Expires", "Warn after".
    pub label: &'static str,
    /// The claim it comes from.
    pub claim: &'static str,
    /// The instant itself, for pictures that place it.
    pub at: UnixSeconds,
    /// ISO-8601 UTC.
    pub iso: String,
    /// "in 59 minutes", "2 hours ago".
    pub relative: String,
}

/// The token's validity at `now`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// Starts with "Expired", "Not yet valid", "Valid", "No expiry" or "Unusable" (a time
    /// claim that is not a number, which every verifier rejects).
    pub text: String,
    /// How serious.
    pub level: Level,
}

/// The badge that says what kind of token this is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindBadge {
    /// Starts with "Legacy", "Bound" or "Not a Kubernetes".
    pub text: String,
    /// One sentence on what that means.
    pub detail: String,
}

/// Everything the inspector shows about one token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Legacy, bound (and how) or not a service-account token.
    pub kind: KindBadge,
    /// `alg`, `kid`, `typ` and any other header fields.
    pub header: Vec<Row>,
    /// Every claim, in payload order, nested ones flattened.
    pub claims: Vec<Row>,
    /// Issued, not before, expires, warn after.
    pub times: Vec<TimeRow>,
    /// "1 hour", from `iat` to `exp`.
    pub lifetime: Option<String>,
    /// Valid, expired, not yet valid or no expiry.
    pub status: Status,
    /// Who the API server takes the bearer to be.
    pub identity: Option<Identity>,
    /// Security findings, most serious first.
    pub findings: Vec<Finding>,
}

/// Above this, a lifetime is called very long (pod tokens default to 1 hour).
pub const LONG_LIFETIME_SECS: i64 = 24 * 3600;

/// Explains `jwt` as of `now`, before any signature check.
pub fn explain(jwt: &RawJwt, now: UnixSeconds) -> Report {
    explain_verified(jwt, now, None)
}

/// Explains `jwt` as of `now`, with the outcome of checking its signature (if one was made)
/// in place of the "not checked yet" finding.
pub fn explain_verified(
    jwt: &RawJwt,
    now: UnixSeconds,
    signature: Option<&VerifyStatus>,
) -> Report {
    let sa = claims::read(&jwt.payload);
    let times = Times::read(&jwt.payload, &sa);
    let mut findings = findings(jwt, &sa, &times, signature);
    // Stable, so findings of one level keep the order they were written in.
    crate::support::sort::stable_by(&mut findings, |a, b| b.level.cmp(&a.level));
    Report {
        kind: kind_badge(&sa, jwt),
        header: header_rows(&jwt.header),
        claims: claim_rows(&jwt.payload, &sa, now),
        times: times.rows(now),
        lifetime: times.lifetime().map(|s| duration_words(s.unsigned_abs())),
        status: status(&sa, &times, now),
        identity: claims::identity(&sa),
        findings,
    }
}

struct Times {
    iat: Claim<i64>,
    nbf: Claim<i64>,
    exp: Claim<i64>,
    warnafter: Claim<i64>,
}

impl Times {
    fn read(payload: &Map<String, Value>, sa: &ServiceAccountClaims) -> Times {
        Times {
            iat: claims::time_claim(payload, "iat"),
            nbf: claims::time_claim(payload, "nbf"),
            exp: claims::time_claim(payload, "exp"),
            warnafter: sa.warnafter.clone(),
        }
    }

    /// From `iat` to `exp`; `None` when either is missing or `exp` comes first (the
    /// "Expires before it was issued" finding says so instead of a negative duration).
    fn lifetime(&self) -> Option<i64> {
        let (iat, exp) = (self.iat.ok()?, self.exp.ok()?);
        exp.checked_sub(*iat).filter(|l| *l >= 0)
    }

    /// The time claims that are present but not numbers, with their values.
    fn malformed(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        [
            ("exp", &self.exp),
            ("nbf", &self.nbf),
            ("iat", &self.iat),
            ("kubernetes.io.warnafter", &self.warnafter),
        ]
        .into_iter()
        .filter_map(|(claim, value)| match value {
            Claim::Malformed(v) => Some((claim, v)),
            _ => None,
        })
    }

    fn rows(&self, now: UnixSeconds) -> Vec<TimeRow> {
        [
            ("Issued", "iat", &self.iat),
            ("Not before", "nbf", &self.nbf),
            ("Expires", "exp", &self.exp),
            ("Warn after", "kubernetes.io.warnafter", &self.warnafter),
        ]
        .into_iter()
        .filter_map(|(label, claim, value)| {
            value.ok().map(|t| TimeRow {
                label,
                claim,
                at: *t,
                iso: iso8601(*t),
                relative: relative(*t, now),
            })
        })
        .collect()
    }
}

fn kind_badge(sa: &ServiceAccountClaims, jwt: &RawJwt) -> KindBadge {
    match sa.kind {
        Kind::Legacy => KindBadge {
            text: "Legacy service-account token (Secret-based, never expires)".to_string(),
            detail: "Stored in a Secret of type kubernetes.io/service-account-token; valid until that Secret or the service account is deleted.".to_string(),
        },
        Kind::Bound(binding) => KindBadge {
            text: format!("Bound service-account token ({})", binding.words()),
            detail: match binding {
                Binding::Pod => "Issued by the TokenRequest API for a pod (projected volume): invalid once the pod is deleted or the token expires.",
                Binding::Secret => "Issued by the TokenRequest API bound to a Secret: invalid once that Secret is deleted or the token expires.",
                Binding::Node => "Issued by the TokenRequest API bound to a node: invalid once the node object is deleted or the token expires.",
                Binding::Unbound => "Issued by the TokenRequest API (e.g. kubectl create token) and bound to no object: valid until it expires or the service account is deleted.",
            }
            .to_string(),
        },
        Kind::Other => KindBadge {
            text: "Not a Kubernetes service-account token".to_string(),
            detail: match jwt.payload.get("iss").and_then(Value::as_str) {
                Some(iss) => format!("It has no kubernetes.io claims; it is decoded as a generic JWT issued by {iss}."),
                None => "It has no kubernetes.io claims; it is decoded as a generic JWT.".to_string(),
            },
        },
    }
}

fn header_rows(header: &Map<String, Value>) -> Vec<Row> {
    header
        .iter()
        .map(|(name, value)| {
            let meaning = match (name.as_str(), value.as_str()) {
                ("alg", Some(alg)) => alg_meaning(alg),
                ("kid", Some("")) => "Key ID, empty: older API servers did not set it on legacy tokens. Verification must try every key.".to_string(),
                ("kid", Some(_)) => "Key ID of the signing key: base64url of the SHA-256 of its public key (DER). It matches a kid in the cluster's /openid/v1/jwks.".to_string(),
                ("typ", _) => "Type of the token: JWT.".to_string(),
                ("alg" | "kid", None) => "Expected a string here.".to_string(),
                _ => return unknown(name, value, "Unknown header field."),
            };
            Row { name: name.clone(), value: display_value(value), meaning, known: true }
        })
        .collect()
}

fn alg_meaning(alg: &str) -> String {
    let text = match alg {
        "RS256" => "RSASSA-PKCS1-v1_5 with SHA-256: what Kubernetes signs with when its key is RSA.",
        "RS384" | "RS512" => "RSASSA-PKCS1-v1_5 with a longer hash; Kubernetes itself uses RS256 for RSA keys.",
        "PS256" | "PS384" | "PS512" => "RSASSA-PSS; not what Kubernetes issues, but a valid JWS signature algorithm.",
        "ES256" => "ECDSA on P-256 with SHA-256: what Kubernetes signs with when its key is EC P-256.",
        "ES384" => "ECDSA on P-384 with SHA-384: Kubernetes with an EC P-384 key.",
        "ES512" => "ECDSA on P-521 with SHA-512: Kubernetes with an EC P-521 key.",
        "none" => "No signature at all: anyone can write such a token. Never accept it.",
        a if a.starts_with("HS") => "HMAC with a shared secret: Kubernetes never issues these; whoever verifies can also forge.",
        _ => "An algorithm Kubernetes does not use.",
    };
    format!("Signature algorithm. {text}")
}

fn unknown(name: &str, value: &Value, meaning: &str) -> Row {
    Row {
        name: name.to_string(),
        value: display_value(value),
        meaning: meaning.to_string(),
        known: false,
    }
}

/// Strings as they are, arrays of strings as a list, anything else as compact JSON.
fn display_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn time_value(value: &Value, now: UnixSeconds) -> String {
    match value.as_i64().or_else(|| value.as_f64().map(|f| f as i64)) {
        Some(t) => format!("{value} ({}, {})", iso8601(t), relative(t, now)),
        None => format!("{} (not a number of seconds)", display_value(value)),
    }
}

fn claim_rows(
    payload: &Map<String, Value>,
    sa: &ServiceAccountClaims,
    now: UnixSeconds,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for (name, value) in payload {
        if name == claims::BOUND_CLAIM {
            if let Value::Object(k8s) = value {
                bound_rows(k8s, now, &mut rows);
            } else {
                // Known, but broken: say what it should be rather than "unknown claim".
                rows.push(Row {
                    name: name.clone(),
                    value: display_value(value),
                    meaning: format!("The Kubernetes claims of a bound token. It must be an object with namespace, serviceaccount and the bound pod, Secret or node, but is {}; the API server rejects the token.", crate::formats::json::kind(value)),
                    known: true,
                });
            }
            continue;
        }
        let meaning = match name.as_str() {
            "iss" if value.as_str() == Some(claims::LEGACY_ISSUER) => {
                "Issuer. kubernetes/serviceaccount is the fixed issuer of legacy tokens (and of bound tokens on clusters without --service-account-issuer)."
                    .to_string()
            }
            "iss" => "Issuer: the API server's --service-account-issuer. Anyone verifying the token finds its keys through <issuer>/.well-known/openid-configuration.".to_string(),
            "sub" => "Subject: the service account, as system:serviceaccount:<namespace>:<name>.".to_string(),
            "aud" => "Audiences the token is for. The API server accepts it only if one matches its --api-audiences; other services must reject tokens not meant for them.".to_string(),
            "exp" => "Expiry: from this instant the token is rejected.".to_string(),
            "iat" => "Issued at.".to_string(),
            "nbf" => "Not before: the token is rejected before this instant.".to_string(),
            "jti" => "Token ID, unique per token. The API server records it in audit logs as the credential ID (JTI=…).".to_string(),
            n => match n.strip_prefix(claims::LEGACY_PREFIX) {
                Some("namespace") => "Namespace of the service account.".to_string(),
                Some("secret.name") => "The Secret that stores this token. Deleting it revokes the token.".to_string(),
                Some("service-account.name") => "Name of the service account.".to_string(),
                Some("service-account.uid") => "UID of the service account. If the account is deleted and recreated, the UID changes and this token stops working.".to_string(),
                _ => {
                    rows.push(unknown(n, value, &format!("Unknown claim: not one Kubernetes sets{}.", if sa.kind == Kind::Other { "" } else { " on service-account tokens" })));
                    continue;
                }
            },
        };
        let shown = match name.as_str() {
            "exp" | "iat" | "nbf" => time_value(value, now),
            _ => display_value(value),
        };
        rows.push(Row {
            name: name.clone(),
            value: shown,
            meaning,
            known: true,
        });
    }
    rows
}

fn bound_rows(k8s: &Map<String, Value>, now: UnixSeconds, rows: &mut Vec<Row>) {
    for (key, value) in k8s {
        let name = format!("{}.{key}", claims::BOUND_CLAIM);
        let about = match key.as_str() {
            "serviceaccount" => Some("the service account. If it is deleted and recreated, the UID changes and this token stops working."),
            "pod" => Some("the pod this token is bound to: it becomes invalid when the pod is deleted."),
            "secret" => Some("the Secret this token is bound to: deleting the Secret invalidates the token."),
            "node" => Some("the node (of the pod, or the node this token is bound to); the API server puts it in the user's extra fields."),
            _ => None,
        };
        match (about, value) {
            (Some(about), Value::Object(fields)) => {
                for (field, v) in fields {
                    let meaning = match field.as_str() {
                        "name" => format!("Name of {about}"),
                        "uid" => format!("UID of {about}"),
                        _ => {
                            rows.push(unknown(&format!("{name}.{field}"), v, "Unknown field."));
                            continue;
                        }
                    };
                    rows.push(Row {
                        name: format!("{name}.{field}"),
                        value: display_value(v),
                        meaning,
                        known: true,
                    });
                }
            }
            (Some(_), other) => rows.push(unknown(
                &name,
                other,
                "Expected an object with name and uid.",
            )),
            (None, _) => {
                let meaning = match key.as_str() {
                    "namespace" => "Namespace of the service account.",
                    "warnafter" => "Warn after: the API server issued this pod token with an extended expiry (--service-account-extend-token-expiration) so old clients keep working, but kubelet refreshes it long before; use after this instant is logged as a stale token.",
                    _ => {
                        rows.push(unknown(&name, value, "Unknown field in the kubernetes.io claim."));
                        continue;
                    }
                };
                let shown = if key == "warnafter" {
                    time_value(value, now)
                } else {
                    display_value(value)
                };
                rows.push(Row {
                    name,
                    value: shown,
                    meaning: meaning.to_string(),
                    known: true,
                });
            }
        }
    }
}

fn status(sa: &ServiceAccountClaims, times: &Times, now: UnixSeconds) -> Status {
    // A time claim that is not a number makes every verifier reject the token, whatever the
    // other claims say; "no exp claim" would be untrue.
    if let Some((claim, value)) = times.malformed().next() {
        return Status {
            text: format!("Unusable: {claim} is {value}, not a number of seconds, so verifiers reject the token"),
            level: Level::Danger,
        };
    }
    if let Some(exp) = times.exp.ok() {
        if now >= *exp {
            return Status {
                text: format!("Expired {}", relative(*exp, now)),
                level: Level::Danger,
            };
        }
    }
    if let Some(nbf) = times.nbf.ok() {
        if now < *nbf {
            return Status {
                text: format!(
                    "Not yet valid: valid from {} ({})",
                    iso8601(*nbf),
                    relative(*nbf, now)
                ),
                level: Level::Warning,
            };
        }
    }
    match (times.exp.ok(), sa.kind) {
        (Some(exp), _) => Status {
            text: format!("Valid: expires {}", relative(*exp, now)),
            level: Level::Info,
        },
        (None, Kind::Legacy) => Status {
            text: "No expiry: legacy tokens are valid until their Secret is deleted".to_string(),
            level: Level::Warning,
        },
        (None, _) => Status {
            text: "No expiry: the token has no exp claim".to_string(),
            level: Level::Warning,
        },
    }
}

fn findings(
    jwt: &RawJwt,
    sa: &ServiceAccountClaims,
    times: &Times,
    signature: Option<&VerifyStatus>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |level, title: &str, why: &str| {
        out.push(Finding {
            level,
            title: title.to_string(),
            why: why.to_string(),
        })
    };
    match jwt.alg() {
        Some("none") => add(Level::Danger, "Unsigned token (alg: none)", "Anyone can write a token with alg none; the API server rejects it, and any service that accepts it can be fooled by a forged identity."),
        Some(a) if a.starts_with("HS") => add(Level::Danger, "Shared-secret signature (HMAC)", "Kubernetes never signs with HMAC. Whoever can verify this token can also forge one."),
        _ => match signature {
            None => add(Level::Info, "Signature not checked yet", "Decoding shows what the token claims, not that your cluster issued it. Paste the cluster's JWKS (kubectl get --raw /openid/v1/jwks) or the service-account public key to verify it."),
            Some(VerifyStatus::Verified { .. }) => add(Level::Info, "Signature verified", "The pasted key signed exactly these header and claims. The API server also checks the times, the audience and that the service account (and any bound object) still exists."),
            Some(VerifyStatus::InvalidSignature { .. }) => add(Level::Danger, "Invalid signature", "The API server would reject this token: it was changed after signing, or another key (another cluster, or a rotated key) signed it."),
            Some(VerifyStatus::NoMatchingKey { .. }) => add(Level::Warning, "Signed by a key you did not paste", "No pasted key has the token's kid: it comes from another cluster or a key that has been rotated out. Paste that cluster's /openid/v1/jwks."),
            Some(status) => add(Level::Warning, "Signature could not be checked", &status.to_string()),
        },
    }
    match sa.kind {
        Kind::Legacy => add(Level::Warning, "Legacy token that never expires", "Anyone who copies it keeps access until the Secret is deleted. Since Kubernetes 1.24 such Secrets are no longer created automatically, and since 1.30 unused auto-generated ones are marked invalid and later removed. Prefer short-lived tokens: kubectl create token NAME --duration=1h."),
        Kind::Other => add(Level::Info, "Not a Kubernetes service-account token", "It lacks the kubernetes.io claims; the API server's service-account authenticator would not accept it (an OIDC authenticator might)."),
        Kind::Bound(_) => {}
    }
    if matches!(sa.kind, Kind::Bound(_))
        && jwt.payload.get("iss").and_then(Value::as_str) == Some(claims::LEGACY_ISSUER)
    {
        add(Level::Info, "Bound token with the legacy issuer", "The cluster runs without --service-account-issuer set to a URL, so bound tokens carry kubernetes/serviceaccount; OIDC discovery and workload identity federation need a real issuer URL.");
    }
    if sa.name.as_deref() == Some("default") {
        add(Level::Warning, "Default service account", "Every pod that names no serviceAccountName runs as default, so anything granted to this account is granted to all of them. Create a dedicated account per workload.");
    }
    if sa.namespace.as_deref() == Some("kube-system") {
        add(Level::Warning, "kube-system namespace", "Accounts in kube-system belong to controllers and add-ons and are often highly privileged; treat this token as a cluster-admin-level secret.");
    }
    if let Some(lifetime) = times.lifetime().filter(|l| *l > LONG_LIFETIME_SECS) {
        let words = duration_words(lifetime.unsigned_abs());
        let why = if times.warnafter.ok().is_some() {
            format!("The token is valid for {words}. This is the extended expiry the API server gives pod tokens so that clients which never reload still work; kubelet refreshes the file hourly, and use after warnafter is logged as stale.")
        } else {
            format!("The token is valid for {words}; a leaked copy works for that long. Request the shortest duration that does the job (kubectl create token --duration).")
        };
        add(
            Level::Warning,
            &format!("Very long lifetime ({words})"),
            &why,
        );
    }
    if matches!(sa.kind, Kind::Bound(_)) && times.exp == Claim::Absent {
        add(Level::Warning, "Bound token without exp", "TokenRequest always sets an expiry; a bound token without one was not issued by a Kubernetes API server.");
    }
    for (claim, v) in times.malformed() {
        add(Level::Warning, &format!("Malformed {claim}"), &format!("{claim} must be a number of seconds since 1970, but is {}; verifiers reject the token.", display_value(v)));
    }
    if let (Some(iat), Some(exp)) = (times.iat.ok(), times.exp.ok()) {
        if exp < iat {
            add(Level::Warning, "Expires before it was issued", &format!("exp ({}) is earlier than iat ({}): no API server issues such a token, and it was never valid.", iso8601(*exp), iso8601(*iat)));
        }
    }
    out
}
