//! The built-in examples: demo tokens with the JWKS that verifies them, a CA bundle, and demo
//! roles and bindings.
//!
//! Workshops run without network and without a cluster, so the examples come with the app.
//! Their texts are not in the wasm, which every first visit downloads: they are one file of
//! the build, `examples.json` (`scripts/lib/demo-bundle.mjs` writes it from `demo/`), fetched from
//! the app's own folder when an example is first loaded, precached by the service worker for
//! offline use, and inline in the single-file build. [`DemoFiles`] reads it. The files come
//! from `scripts/make-demo.mjs` (see `demo/README.md`): throw-away keys, made-up names, clearly
//! marked as demo material.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// One example: what **Load example: …** puts into the three fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// Stable id for deep links (`#/inspect?example=bound`).
    pub id: &'static str,
    /// The button's text after "Load example: ".
    pub label: &'static str,
    /// What it shows, in a sentence.
    pub about: &'static str,
    /// The demo file that goes into **Token**: a token, a Secret or a kubeconfig.
    pub token: &'static str,
    /// Whether the demo CA bundle goes into **CA certificate** (a Secret or kubeconfig brings
    /// its own CA).
    pub with_ca: bool,
}

/// The demo cluster's JWKS, both public keys: every example's **Verification key**.
pub const JWKS: &str = "jwks.json";
/// An intermediate CA and its root.
pub const CA_BUNDLE: &str = "ca-bundle.crt";
/// Roles and bindings for the demo service account, as `kubectl get roles,rolebindings,
/// clusterroles,clusterrolebindings -A -o yaml` prints them: a Role, a ClusterRole bound in
/// another namespace, an aggregated ClusterRole bound to a group, and a binding to a Role that
/// does not exist.
pub const RBAC: &str = "rbac.yaml";

/// Every example, in the order the buttons show them.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "legacy",
        label: "legacy token",
        about: "A Secret-based token as clusters before 1.24 made them: no expiry, no audience.",
        token: "legacy.jwt",
        with_ca: true,
    },
    Example {
        id: "bound",
        label: "pod-bound token",
        about: "A token the kubelet mounts into a pod: bound to the pod and its node.",
        token: "bound-pod.jwt",
        with_ca: true,
    },
    Example {
        id: "expired",
        label: "expired token",
        about: "A bound token an hour past its expiry: the API server answers 401.",
        token: "expired.jwt",
        with_ca: true,
    },
    Example {
        id: "es256",
        label: "ES256 token",
        about: "A bound token signed with an EC P-256 key instead of RSA.",
        token: "es256.jwt",
        with_ca: true,
    },
    Example {
        id: "secret",
        label: "Secret YAML",
        about: "kubectl get secret -o yaml of a legacy token Secret: token, namespace and ca.crt.",
        token: "secret.yaml",
        with_ca: false,
    },
    Example {
        id: "kubeconfig",
        label: "kubeconfig",
        about: "A kubeconfig with a bound token and the cluster CA embedded.",
        token: "kubeconfig.yaml",
        with_ca: false,
    },
];

/// The example with this id.
pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

/// What one example puts into the inspector's three fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Filled<'a> {
    /// **Token**.
    pub token: &'a str,
    /// **Verification key**.
    pub key: &'a str,
    /// **CA certificate**; empty when the example leaves the field alone.
    pub ca: &'a str,
}

/// The demo files, by name, as read from `examples.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoFiles {
    files: BTreeMap<String, String>,
}

/// Why `examples.json` could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DemoError {
    /// Larger than any build writes: not the app's own file.
    TooLarge(usize),
    /// Not a JSON object of file names to texts.
    NotJson(String),
    /// A file an example needs is not in it.
    Missing(&'static str),
}

impl fmt::Display for DemoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge(bytes) => write!(
                f,
                "examples.json is {} KiB, more than the {} KiB a build writes: it is not this \
                 app's file; reload the page",
                bytes / 1024,
                MAX_BYTES / 1024
            ),
            Self::NotJson(why) => write!(
                f,
                "examples.json is not a JSON object of demo files ({why}); reload the page"
            ),
            Self::Missing(name) => write!(
                f,
                "examples.json has no {name}: it comes from another build; reload the page"
            ),
        }
    }
}

/// `examples.json` is about 14 KiB; anything far larger was not written by a build.
const MAX_BYTES: usize = 256 * 1024;

impl DemoFiles {
    /// Reads `examples.json` and checks that every file the examples name is there.
    pub fn from_json(text: &str) -> Result<DemoFiles, DemoError> {
        if text.len() > MAX_BYTES {
            return Err(DemoError::TooLarge(text.len()));
        }
        let value: Value =
            serde_json::from_str(text).map_err(|e| DemoError::NotJson(e.to_string()))?;
        let Value::Object(object) = value else {
            return Err(DemoError::NotJson("not an object".to_string()));
        };
        let mut files = BTreeMap::new();
        for (name, text) in object {
            let Value::String(text) = text else {
                return Err(DemoError::NotJson(format!("{name} is not a string")));
            };
            files.insert(name, text);
        }
        let needed = EXAMPLES.iter().map(|e| e.token);
        for name in needed.chain([JWKS, CA_BUNDLE, RBAC]) {
            if !files.contains_key(name) {
                return Err(DemoError::Missing(name));
            }
        }
        Ok(DemoFiles { files })
    }

    /// The text of the demo file `name`; empty for a name that is not there.
    pub fn file(&self, name: &str) -> &str {
        self.files.get(name).map_or("", String::as_str)
    }

    /// What `example` puts into the three fields.
    pub fn fill(&self, example: &Example) -> Filled<'_> {
        Filled {
            token: self.file(example.token),
            key: self.file(JWKS),
            ca: if example.with_ca {
                self.file(CA_BUNDLE)
            } else {
                ""
            },
        }
    }
}
