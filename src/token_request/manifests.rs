//! The ways of asking for the token the form describes: `kubectl create token`, the
//! TokenRequest object and the `curl` that posts it, and a Pod with a projected volume.
//!
//! Each is written from the checked [`Written`] values only, so every output asks for the same
//! token. The kubectl flags are exactly `kubectl create token --help`'s, and the TokenRequest is
//! what kubectl sends (`authentication.k8s.io/v1`, `boundObjectRef` with `apiVersion: v1`).

use serde_json::{json, Map, Value};

use super::{BoundKind, Written, DEFAULT_IMAGE};
use crate::formats::shell::quote;
use crate::formats::yaml_write;

/// The ConfigMap the root CA controller keeps in every namespace, holding `ca.crt`.
pub const ROOT_CA_CONFIG_MAP: &str = "kube-root-ca.crt";

/// The CA's file in the volume, as in the default token volume.
pub const CA_FILE: &str = "ca.crt";

/// The namespace's file in the volume, as in the default token volume.
pub const NAMESPACE_FILE: &str = "namespace";

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

/// The projected volume's sources: the token, and beside it the cluster's CA (`ca.crt`, from
/// the `kube-root-ca.crt` ConfigMap every namespace has) and the Pod's namespace (`namespace`,
/// from the downward API), laid out as the default token volume is, so what works with
/// `/var/run/secrets/kubernetes.io/serviceaccount` (curl's `--cacert`, client libraries'
/// in-cluster loaders pointed at the directory) works with this one.
///
/// The layout is `TokenVolumeSource` in Kubernetes' `plugin/pkg/admission/serviceaccount/
/// admission.go` (kubernetes/kubernetes at 475f9010f5faa7bdd439944a6f5f1ec206297602): a
/// `serviceAccountToken` at `token`, a `configMap` `kube-root-ca.crt` with item `ca.crt` at
/// `ca.crt`, a `downwardAPI` item `namespace` from `metadata.namespace` (`apiVersion: v1`).
fn projected_sources(w: &Written) -> Value {
    let mut token = Map::new();
    if let Some(audience) = w.audiences.first() {
        token.insert("audience".into(), audience.clone().into());
    }
    if let Some(seconds) = w.expiration_seconds {
        token.insert("expirationSeconds".into(), seconds.into());
    }
    token.insert("path".into(), w.token_path.clone().into());
    default_layout(token)
}

/// The sources of a projected volume laid out as the default token volume is, around the
/// `serviceAccountToken` projection `token`: see [`projected_sources`]. The audit's migration
/// plan writes the same, so a Pod that read `ca.crt` or `namespace` beside the Secret's token
/// finds them beside the projected one.
pub fn default_layout(token: Map<String, Value>) -> Value {
    json!([
        { "serviceAccountToken": token },
        {
            "configMap": {
                "name": ROOT_CA_CONFIG_MAP,
                "items": [{ "key": CA_FILE, "path": CA_FILE }],
            },
        },
        {
            "downwardAPI": {
                "items": [{
                    "path": NAMESPACE_FILE,
                    "fieldRef": { "apiVersion": "v1", "fieldPath": "metadata.namespace" },
                }],
            },
        },
    ])
}

/// A Pod running as the service account with the token in a projected volume (pod-bound by
/// kubelet, renewed before it expires) beside the CA and the namespace, and the default token
/// mounted or not as chosen. With the default image (which has `sh` and `curl`) the container
/// sleeps for an hour, so [`pod_curl`] can be run in it; another image runs as it is.
pub fn pod_value(w: &Written) -> Value {
    let mut container = Map::new();
    container.insert("name".into(), "app".into());
    container.insert("image".into(), w.image.clone().into());
    if w.image == DEFAULT_IMAGE {
        container.insert("command".into(), json!(["sleep", "3600"]));
    }
    container.insert(
        "volumeMounts".into(),
        json!([{ "name": "token", "mountPath": w.mount_path, "readOnly": true }]),
    );
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": { "name": w.pod_name, "namespace": w.namespace },
        "spec": {
            "serviceAccountName": w.service_account,
            "automountServiceAccountToken": w.automount,
            "containers": [container],
            "volumes": [{ "name": "token", "projected": { "sources": projected_sources(w) } }],
        },
    })
}

/// The call that tries the projected token from inside the Pod: `curl` against the API
/// server's `/api` (allowed to every authenticated user), trusting the volume's `ca.crt`, with
/// the token read from its file at each call. Run through `kubectl exec … -- sh -c`, so the
/// `$(cat …)` is read in the Pod, not on the machine that runs kubectl. A token for another
/// audience gets a 401 here, as the audience warning says.
pub fn pod_curl(w: &Written) -> String {
    let inner = format!(
        "curl --cacert {} -H \"Authorization: Bearer $(cat {})\" https://kubernetes.default.svc/api",
        quote(&format!("{}/{CA_FILE}", w.mount_path)),
        quote(&token_file(w))
    );
    // The Pod's and namespace's names are checked DNS names: neither can start with '-'.
    format!(
        "kubectl exec {} --namespace={} -- sh -c {}",
        quote(&w.pod_name),
        quote(&w.namespace),
        quote(&inner)
    )
}

/// [`pod_value`] as YAML, for `kubectl apply -f`.
pub fn pod_yaml(w: &Written) -> String {
    yaml_write::document(&pod_value(w))
}

/// Where the container reads the token: the mount path and the file in it.
pub fn token_file(w: &Written) -> String {
    format!("{}/{}", w.mount_path, w.token_path)
}
