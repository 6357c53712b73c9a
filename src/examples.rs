//! The built-in examples: demo tokens with the JWKS that verifies them and a CA bundle.
//!
//! Workshops run without network and without a cluster, so every example is in the binary
//! (about 10 KB). They come from `scripts/make-demo.mjs` (see `demo/README.md`): throw-away
//! keys, made-up names, clearly marked as demo material.

/// One example: what **Load example: …** puts into the three fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// Stable id for deep links (`#/inspect?example=bound`).
    pub id: &'static str,
    /// The button's text after "Load example: ".
    pub label: &'static str,
    /// What it shows, in a sentence.
    pub about: &'static str,
    /// What goes into **Token**: a token, a Secret or a kubeconfig.
    pub token: &'static str,
    /// What goes into **Verification key**.
    pub key: &'static str,
    /// What goes into **CA certificate**.
    pub ca: &'static str,
}

/// The demo cluster's JWKS: both public keys.
pub const JWKS: &str = include_str!("../demo/jwks.json");
/// An intermediate CA and its root.
pub const CA_BUNDLE: &str = include_str!("../demo/ca-bundle.crt");
/// The pod-bound token alone, for pages that want a token without the rest.
pub const BOUND_TOKEN: &str = include_str!("../demo/bound-pod.jwt");

/// Roles and bindings for the demo service account, as `kubectl get roles,rolebindings,
/// clusterroles,clusterrolebindings -A -o yaml` prints them: a Role, a ClusterRole bound in
/// another namespace, an aggregated ClusterRole bound to a group, and a binding to a Role that
/// does not exist.
pub const RBAC: &str = include_str!("../demo/rbac.yaml");

/// Every example, in the order the buttons show them.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "legacy",
        label: "legacy token",
        about: "A Secret-based token as clusters before 1.24 made them: no expiry, no audience.",
        token: include_str!("../demo/legacy.jwt"),
        key: JWKS,
        ca: CA_BUNDLE,
    },
    Example {
        id: "bound",
        label: "pod-bound token",
        about: "A token the kubelet mounts into a pod: bound to the pod and its node.",
        token: BOUND_TOKEN,
        key: JWKS,
        ca: CA_BUNDLE,
    },
    Example {
        id: "expired",
        label: "expired token",
        about: "A bound token an hour past its expiry: the API server answers 401.",
        token: include_str!("../demo/expired.jwt"),
        key: JWKS,
        ca: CA_BUNDLE,
    },
    Example {
        id: "es256",
        label: "ES256 token",
        about: "A bound token signed with an EC P-256 key instead of RSA.",
        token: include_str!("../demo/es256.jwt"),
        key: JWKS,
        ca: CA_BUNDLE,
    },
    Example {
        id: "secret",
        label: "Secret YAML",
        about: "kubectl get secret -o yaml of a legacy token Secret: token, namespace and ca.crt.",
        token: include_str!("../demo/secret.yaml"),
        key: JWKS,
        ca: "",
    },
    Example {
        id: "kubeconfig",
        label: "kubeconfig",
        about: "A kubeconfig with a bound token and the cluster CA embedded.",
        token: include_str!("../demo/kubeconfig.yaml"),
        key: JWKS,
        ca: "",
    },
];

/// The example with this id.
pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}
