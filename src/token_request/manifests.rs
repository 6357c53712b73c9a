//! The ways of asking for the token the form describes: `kubectl create token`, the
//! TokenRequest object and the `curl` that posts it, and a Pod with a projected volume.
//!
//! Each is written from the checked [`Written`] values only, so every output asks for the same
//! token. The kubectl flags are exactly `kubectl create token --help`'s, and the TokenRequest is
//! what kubectl sends (`authentication.k8s.io/v1`, `boundObjectRef` with `apiVersion: v1`).

use serde_json::{Map, Value};

use super::{BoundKind, Written};
use crate::shell::quote;
use crate::yaml_write;

/// What kubelet asks for in the default token volume, and the one lifetime the API server
/// extends (`WarnOnlyBoundTokenExpirationSeconds` in `pkg/serviceaccount/claims.go`).
pub const WARN_ONLY_SECONDS: u64 = 3607;

/// What such a token is extended to: 365 days (`ExpirationExtensionSeconds`).
pub const EXTENDED_SECONDS: u64 = 365 * 24 * 3600;

/// Whether the API server extends this token to a year with `warnafter`, as it does for a
/// pod-bound request of exactly [`WARN_ONLY_SECONDS`] for its own audiences while
/// `--service-account-extend-token-expiration` is on (the default).
pub fn extended(written: &Written) -> bool {
    let api_audiences = written.audiences.is_empty()
        || (!written.issuer.is_empty() && written.audiences.iter().all(|a| *a == written.issuer));
    written
        .bound
        .as_ref()
        .is_some_and(|b| b.kind == BoundKind::Pod)
        && written.expiration_seconds == Some(WARN_ONLY_SECONDS)
        && api_audiences
}

/// `kubectl create token NAME --namespace=NS` with exactly the flags the form sets.
pub fn kubectl_command(w: &Written) -> String {
    let mut command = format!(
        "kubectl create token {} --namespace={}",
        quote(&w.service_account),
        quote(&w.namespace)
    );
    if !w.duration.is_empty() {
        command.push_str(&format!(" --duration={}", quote(&w.duration)));
    }
    for audience in &w.audiences {
        command.push_str(&format!(" --audience={}", quote(audience)));
    }
    if let Some(bound) = &w.bound {
        command.push_str(&format!(
            " --bound-object-kind={} --bound-object-name={}",
            bound.kind.kind(),
            quote(&bound.name)
        ));
        if let Some(uid) = &bound.uid {
            command.push_str(&format!(" --bound-object-uid={}", quote(uid)));
        }
    }
    command
}

/// The TokenRequest as kubectl sends it: `spec.audiences` (empty for the API server's own),
/// `expirationSeconds` when asked for, `boundObjectRef` when bound.
pub fn request_value(w: &Written) -> Value {
    let mut spec = Map::new();
    spec.insert(
        "audiences".into(),
        Value::Array(w.audiences.iter().cloned().map(Value::String).collect()),
    );
    if let Some(seconds) = w.expiration_seconds {
        spec.insert("expirationSeconds".into(), seconds.into());
    }
    if let Some(bound) = &w.bound {
        let mut reference = Map::new();
        reference.insert("kind".into(), bound.kind.kind().into());
        reference.insert("apiVersion".into(), "v1".into());
        reference.insert("name".into(), bound.name.clone().into());
        if let Some(uid) = &bound.uid {
            reference.insert("uid".into(), uid.clone().into());
        }
        spec.insert("boundObjectRef".into(), reference.into());
    }
    let mut request = Map::new();
    request.insert("apiVersion".into(), "authentication.k8s.io/v1".into());
    request.insert("kind".into(), "TokenRequest".into());
    request.insert("spec".into(), spec.into());
    Value::Object(request)
}

/// [`request_value`] as indented JSON with a final line break, the file `curl` posts.
pub fn request_json(w: &Written) -> String {
    let mut text = serde_json::to_string_pretty(&request_value(w)).unwrap_or_default();
    text.push('\n');
    text
}

/// The path the TokenRequest is posted to.
pub fn request_path(w: &Written) -> String {
    // Both names are checked DNS names, so nothing in them needs escaping in a URL.
    format!(
        "/api/v1/namespaces/{}/serviceaccounts/{}/token",
        w.namespace, w.service_account
    )
}

/// `curl` that posts the saved TokenRequest, in the kubeconfig page's form: `--cacert`, the
/// caller's token in `-H "Authorization: Bearer …"`. `$TOKEN` is the caller's own token (one
/// allowed to create `serviceaccounts/token`), kept out of the page; `$APISERVER` stands in
/// for a server the form leaves empty.
pub fn request_curl(w: &Written, file_name: &str) -> String {
    let path = request_path(w);
    let url = if w.server.is_empty() {
        format!("\"$APISERVER{path}\"")
    } else {
        quote(&format!("{}{path}", w.server)).into_owned()
    };
    let tls = if w.server.starts_with("http://") {
        String::new()
    } else {
        format!("--cacert {} ", quote(&w.ca_file))
    };
    format!(
        "curl --globoff {tls}-H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: \
         application/json' --data-binary @{} {url}",
        quote(file_name)
    )
}

/// A Pod running as the service account with the token in a projected volume (pod-bound by
/// kubelet, renewed before it expires), and the default token mounted or not as chosen.
pub fn pod_value(w: &Written) -> Value {
    let object = |pairs: Vec<(&str, Value)>| {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    };
    let mut projection = Vec::new();
    if let Some(audience) = w.audiences.first() {
        projection.push(("audience", audience.clone().into()));
    }
    if let Some(seconds) = w.expiration_seconds {
        projection.push(("expirationSeconds", seconds.into()));
    }
    projection.push(("path", w.token_path.clone().into()));
    let volume = object(vec![
        ("name", "token".into()),
        (
            "projected",
            object(vec![(
                "sources",
                Value::Array(vec![object(vec![(
                    "serviceAccountToken",
                    object(projection),
                )])]),
            )]),
        ),
    ]);
    let container = object(vec![
        ("name", "app".into()),
        ("image", w.image.clone().into()),
        (
            "volumeMounts",
            Value::Array(vec![object(vec![
                ("name", "token".into()),
                ("mountPath", w.mount_path.clone().into()),
                ("readOnly", true.into()),
            ])]),
        ),
    ]);
    object(vec![
        ("apiVersion", "v1".into()),
        ("kind", "Pod".into()),
        (
            "metadata",
            object(vec![
                ("name", w.pod_name.clone().into()),
                ("namespace", w.namespace.clone().into()),
            ]),
        ),
        (
            "spec",
            object(vec![
                ("serviceAccountName", w.service_account.clone().into()),
                ("automountServiceAccountToken", w.automount.into()),
                ("containers", Value::Array(vec![container])),
                ("volumes", Value::Array(vec![volume])),
            ]),
        ),
    ])
}

/// [`pod_value`] as YAML, for `kubectl apply -f`.
pub fn pod_yaml(w: &Written) -> String {
    yaml_write::document(&pod_value(w))
}

/// Where the container reads the token: the mount path and the file in it.
pub fn token_file(w: &Written) -> String {
    format!("{}/{}", w.mount_path, w.token_path)
}
