//! The claims a requested token will carry, before anyone asks the API server for it.
//!
//! The payload is the API server's (`Claims` in `pkg/serviceaccount/claims.go`): `iss`, `sub`
//! (`system:serviceaccount:NS:NAME`), `aud`, `iat` = `nbf` = now, `exp` = now + lifetime, a
//! `jti`, and the private `kubernetes.io` claim with the namespace, the service account and
//! the bound object. A pod-bound token also names the Pod's node, and one of exactly 3607 s is
//! extended to a year with `warnafter` (see [`super::manifests::extended`]). Keys are in the
//! order the API server writes them (alphabetical), so the preview reads like the real token.
//!
//! What only the cluster knows (uids, the `jti`, the issuer when not given) is a placeholder in
//! angle brackets. The result is a [`RawJwt`] without a signature, so `explain::explain` can
//! show it as it shows a pasted token; it is marked as a preview and must never be offered as a
//! token to copy.

use serde_json::{Map, Value};

use super::manifests::{extended, EXTENDED_SECONDS};
use super::{BoundKind, Written};
use crate::inspect::explain::{self, Report};
use crate::support::finding::{Finding, Level};
use crate::support::time::UnixSeconds;
use crate::token::jwt::RawJwt;

/// The header the preview carries: the algorithm the API server signs with by default, and a
/// key ID that says what this is.
pub const PREVIEW_KID: &str = "preview-unsigned";

/// Shown with every preview.
pub const NOTICE: &str = "Preview: the claims a token from this request will carry, computed \
                          here. It is not a token: it has no signature, and values in angle \
                          brackets are known only to the cluster.";

/// A token's claims, ready for the explainer.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// Header and payload as a token would have them, with no signature.
    pub jwt: RawJwt,
    /// [`NOTICE`]: a page shows it wherever it shows the preview.
    pub notice: &'static str,
}

/// The title of the finding that marks an explained preview.
pub const PREVIEW_TITLE: &str = "Preview, unsigned";

impl Preview {
    /// The inspector's own explanation of these claims as of `now`, the finding about an
    /// unchecked signature replaced by [`NOTICE`]: there is no signature to check.
    pub fn report(&self, now: UnixSeconds) -> Report {
        let mut report = explain::explain(&self.jwt, now);
        report
            .findings
            .retain(|f| f.title != "Signature not checked yet");
        report.findings.insert(
            0,
            Finding {
                level: Level::Info,
                title: PREVIEW_TITLE.to_string(),
                why: self.notice.to_string(),
            },
        );
        report
    }
}

/// The claims for `written`, as if the API server issued the token at `now`.
pub fn preview(written: &Written, now: UnixSeconds) -> Preview {
    let mut header = Map::new();
    header.insert("alg".into(), "RS256".into());
    header.insert("kid".into(), PREVIEW_KID.into());
    let payload = payload(written, now);
    Preview {
        jwt: RawJwt {
            header_b64: String::new(),
            payload_b64: String::new(),
            signature_b64: String::new(),
            header,
            payload,
            signature: Vec::new(),
        },
        notice: NOTICE,
    }
}

/// The payload alone.
pub fn payload(w: &Written, now: UnixSeconds) -> Map<String, Value> {
    let requested = w.lifetime();
    let extend = extended(w);
    let lifetime = if extend { EXTENDED_SECONDS } else { requested };
    let at = |seconds: u64| Value::from(now.saturating_add_unsigned(seconds));
    let issuer = if w.issuer.is_empty() {
        "<the API server's --service-account-issuer>".to_string()
    } else {
        w.issuer.clone()
    };
    let audiences: Vec<Value> = if !w.audiences.is_empty() {
        w.audiences.iter().cloned().map(Value::String).collect()
    } else if !w.issuer.is_empty() {
        vec![w.issuer.clone().into()]
    } else {
        vec!["<the API server's audience, its issuer by default>".into()]
    };
    let reference = |name: String, uid: String| {
        let mut r = Map::new();
        r.insert("name".into(), name.into());
        r.insert("uid".into(), uid.into());
        Value::Object(r)
    };
    let mut k8s = Map::new();
    k8s.insert("namespace".into(), w.namespace.clone().into());
    if let Some(bound) = &w.bound {
        let uid = bound
            .uid
            .clone()
            .unwrap_or_else(|| format!("<uid of {} {}>", bound.kind.kind(), bound.name));
        let object = reference(bound.name.clone(), uid);
        if bound.kind == BoundKind::Pod {
            // The API server adds the node a bound Pod runs on (ServiceAccountTokenPodNodeInfo).
            k8s.insert(
                "node".into(),
                reference(
                    "<the Pod's node>".to_string(),
                    "<uid of the Pod's node>".to_string(),
                ),
            );
        }
        k8s.insert(bound.kind.claim().into(), object);
    }
    k8s.insert(
        "serviceaccount".into(),
        reference(
            w.service_account.clone(),
            format!(
                "<uid of ServiceAccount {}/{}>",
                w.namespace, w.service_account
            ),
        ),
    );
    if extend {
        k8s.insert("warnafter".into(), at(requested));
    }
    // `node` sorts before `pod`, and a Secret or Node binding has a single object: inserting in
    // this order keeps the keys alphabetical, as the API server's JSON has them.
    let mut payload = Map::new();
    payload.insert("aud".into(), Value::Array(audiences));
    payload.insert("exp".into(), at(lifetime));
    payload.insert("iat".into(), at(0));
    payload.insert("iss".into(), issuer.into());
    payload.insert("jti".into(), "<a new UUID for each token>".into());
    payload.insert("kubernetes.io".into(), Value::Object(k8s));
    payload.insert("nbf".into(), at(0));
    payload.insert(
        "sub".into(),
        format!(
            "system:serviceaccount:{}:{}",
            w.namespace, w.service_account
        )
        .into(),
    );
    payload
}
