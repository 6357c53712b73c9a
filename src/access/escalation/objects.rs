//! The cluster objects escalation needs besides RBAC: ServiceAccounts, legacy token Secrets and
//! workloads (Pods and the controllers that make them), read leniently from a paste of
//! `kubectl get … -A -o yaml|json` (documents, `List`s, JSON objects one after another).
//!
//! A token's value is never kept: a token Secret is read as its namespace, name and the service
//! account its annotation names.

use serde_json::Value;

use crate::formats::dump_stream::{parse_piece, DumpError, Piece, PieceError, PieceKind, Splitter};
use crate::formats::yaml;

/// Largest paste read, as for the cluster's RBAC.
pub const MAX_OBJECTS_BYTES: usize = crate::access::MAX_POLICY_BYTES;

/// A ServiceAccount object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// `automountServiceAccountToken`, when set.
    pub automount: Option<bool>,
}

/// A Secret of type `kubernetes.io/service-account-token`: whoever reads it holds the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSecret {
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// The `kubernetes.io/service-account.name` annotation.
    pub account: String,
}

/// The parts of a pod template that decide its identity and its reach into the node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodSpec {
    /// `serviceAccountName` (or the deprecated `serviceAccount`); `default` when absent.
    pub account: String,
    /// `automountServiceAccountToken` on the pod spec, when set.
    pub automount: Option<bool>,
    /// A projected volume has a `serviceAccountToken` source.
    pub projected_token: bool,
    /// A container (or init or ephemeral container) runs `privileged: true`.
    pub privileged: bool,
    /// The `hostPath` volumes' paths.
    pub host_paths: Vec<String>,
    /// `hostPID`.
    pub host_pid: bool,
    /// `hostNetwork`.
    pub host_network: bool,
    /// `hostIPC`.
    pub host_ipc: bool,
}

impl PodSpec {
    /// Whether the pod can reach its node: privileged, the host's PID namespace or a host path.
    pub fn reaches_node(&self) -> bool {
        self.privileged || self.host_pid || !self.host_paths.is_empty()
    }
}

/// A Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job or CronJob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    /// `metadata.namespace`.
    pub namespace: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// The pod template (the Pod's own spec for a Pod).
    pub spec: PodSpec,
    /// The controller that owns it (`kind`, `name`), from `ownerReferences`.
    pub owner: Option<(String, String)>,
}

/// What a paste held besides RBAC.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Objects {
    /// ServiceAccounts, in pasted order.
    pub accounts: Vec<Account>,
    /// Legacy token Secrets, in pasted order.
    pub token_secrets: Vec<TokenSecret>,
    /// Workloads, in pasted order, including Pods their controllers own.
    pub workloads: Vec<Workload>,
    /// Objects read, of any kind.
    pub objects: usize,
}

/// Why a paste could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObjectsError {
    /// Larger than [`MAX_OBJECTS_BYTES`].
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// Neither YAML nor JSON.
    Unreadable {
        /// What the reader said, with the line and column.
        message: String,
    },
}

impl std::fmt::Display for ObjectsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ObjectsError::TooLarge { bytes } => write!(
                f,
                "The paste is {} KiB; at most {} KiB is read. Paste fewer namespaces (`kubectl get pods,deployments,statefulsets,daemonsets,jobs,cronjobs -n NS -o yaml`).",
                bytes / 1024,
                MAX_OBJECTS_BYTES / 1024
            ),
            ObjectsError::Unreadable { message } => write!(
                f,
                "The paste does not read as YAML or JSON: {message}. Paste the whole `kubectl get pods,deployments,statefulsets,daemonsets,jobs,cronjobs,serviceaccounts -A -o yaml` output."
            ),
        }
    }
}

impl std::error::Error for ObjectsError {}

/// The kinds read as workloads.
const WORKLOAD_KINDS: [&str; 8] = [
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
];

fn text<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(value, path).and_then(Value::as_str)
}

fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

fn flag(value: &Value, key: &str) -> Option<bool> {
    value.get(key).and_then(Value::as_bool)
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Reads the pod spec the authenticator and the kubelet act on.
pub fn pod_spec(spec: &Value) -> PodSpec {
    let account = ["serviceAccountName", "serviceAccount"]
        .iter()
        .find_map(|k| spec.get(*k).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .unwrap_or("default");
    let mut out = PodSpec {
        account: account.to_string(),
        automount: flag(spec, "automountServiceAccountToken"),
        host_pid: flag(spec, "hostPID").unwrap_or(false),
        host_network: flag(spec, "hostNetwork").unwrap_or(false),
        host_ipc: flag(spec, "hostIPC").unwrap_or(false),
        ..PodSpec::default()
    };
    for volume in list(spec, "volumes") {
        if let Some(path) = text(volume, &["hostPath", "path"]) {
            out.host_paths.push(path.to_string());
        }
        let sources = at(volume, &["projected", "sources"])
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        out.projected_token |= sources
            .iter()
            .any(|s| s.get("serviceAccountToken").is_some());
    }
    for key in ["containers", "initContainers", "ephemeralContainers"] {
        out.privileged |= list(spec, key).iter().any(|c| {
            at(c, &["securityContext", "privileged"]).and_then(Value::as_bool) == Some(true)
        });
    }
    out
}

/// Where the pod template of a workload of `kind` is.
fn template<'a>(kind: &str, object: &'a Value) -> Option<&'a Value> {
    match kind {
        "Pod" => object.get("spec"),
        "CronJob" => at(object, &["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => at(object, &["spec", "template", "spec"]),
    }
}

impl Objects {
    fn object(&mut self, value: &Value) {
        let kind = text(value, &["kind"]).unwrap_or("");
        let namespace = text(value, &["metadata", "namespace"])
            .unwrap_or("default")
            .to_string();
        let Some(name) = text(value, &["metadata", "name"]).map(str::to_string) else {
            return;
        };
        self.objects += 1;
        match kind {
            "ServiceAccount" => self.accounts.push(Account {
                namespace,
                name,
                automount: flag(value, "automountServiceAccountToken"),
            }),
            "Secret" if text(value, &["type"]) == Some("kubernetes.io/service-account-token") => {
                let annotation = [
                    "metadata",
                    "annotations",
                    "kubernetes.io/service-account.name",
                ];
                if let Some(account) = text(value, &annotation) {
                    self.token_secrets.push(TokenSecret {
                        namespace,
                        name,
                        account: account.to_string(),
                    });
                }
            }
            _ if WORKLOAD_KINDS.contains(&kind) => {
                let Some(spec) = template(kind, value) else {
                    return;
                };
                let owners = at(value, &["metadata", "ownerReferences"])
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice);
                let owner = owners
                    .iter()
                    .find(|o| flag(o, "controller") == Some(true))
                    .or(owners.first())
                    .and_then(|o| Some((text(o, &["kind"])?, text(o, &["name"])?)))
                    .map(|(k, n)| (k.to_string(), n.to_string()));
                self.workloads.push(Workload {
                    namespace,
                    kind: kind.to_string(),
                    name,
                    spec: pod_spec(spec),
                    owner,
                });
            }
            _ => {}
        }
    }
}

/// Reads ServiceAccounts, token Secrets and workloads from a paste; objects of other kinds are
/// passed over, so the same paste can hold the cluster's RBAC too.
pub fn read_objects(text: &str) -> Result<Objects, ObjectsError> {
    if text.len() > MAX_OBJECTS_BYTES {
        return Err(ObjectsError::TooLarge { bytes: text.len() });
    }
    let trimmed = text.trim();
    let docs: Vec<Value> = if trimmed.is_empty() {
        Vec::new()
    } else if trimmed.starts_with('{') || trimmed.starts_with('[') {
        serde_json::Deserializer::from_str(trimmed)
            .into_iter::<Value>()
            .collect::<Result<_, _>>()
            .map_err(|e| ObjectsError::Unreadable {
                message: format!(
                    "{} (line {}, column {})",
                    crate::formats::json::message(&e),
                    e.line(),
                    e.column()
                ),
            })?
    } else {
        yaml::parse_documents(trimmed).map_err(|e| ObjectsError::Unreadable {
            message: e.to_string(),
        })?
    };
    let mut out = Objects::default();
    for doc in &docs {
        out.walk(doc);
    }
    Ok(out)
}

/// The objects of a paste read a slice at a time, so a page can read a cluster's dump across
/// tasks rather than in one: the same objects [`read_objects`] finds in the whole text, each
/// parsed the moment its last byte arrives ([`Splitter`]).
#[derive(Default)]
pub struct ObjectsStream {
    splitter: Splitter,
    out: Objects,
    bytes: usize,
}

impl From<DumpError> for ObjectsError {
    fn from(e: DumpError) -> ObjectsError {
        ObjectsError::Unreadable {
            message: e.to_string(),
        }
    }
}

impl ObjectsStream {
    /// Reads `chunk`, and every object it completes.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), ObjectsError> {
        self.bytes = self.bytes.saturating_add(chunk.len());
        if self.bytes > MAX_OBJECTS_BYTES {
            return Err(ObjectsError::TooLarge { bytes: self.bytes });
        }
        let out = &mut self.out;
        self.splitter.feed(chunk, &mut |piece| take(out, &piece))
    }

    /// The objects, once the last chunk was fed.
    pub fn finish(mut self) -> Result<Objects, ObjectsError> {
        let out = &mut self.out;
        self.splitter.finish(&mut |piece| take(out, &piece))?;
        Ok(self.out)
    }
}

/// One piece of the dump: a list's items and whole documents are read, a list's own keys not.
fn take(out: &mut Objects, piece: &Piece<'_>) -> Result<(), ObjectsError> {
    if matches!(piece.kind, PieceKind::ListHead | PieceKind::ListEnd) {
        return Ok(());
    }
    let value = parse_piece(piece).map_err(|e| ObjectsError::Unreadable {
        message: match e {
            PieceError::Json(e) => e.to_string(),
            PieceError::Yaml(e) => e.to_string(),
        },
    })?;
    out.walk(&value);
    Ok(())
}

impl Objects {
    /// Reads `value`: an object, or every object of a list. Lists are walked with a stack, not
    /// recursion: a paste decides how deep they go.
    pub(crate) fn walk(&mut self, value: &Value) {
        let mut pending: Vec<&Value> = vec![value];
        while let Some(value) = pending.pop() {
            match value {
                Value::Array(items) => pending.extend(items.iter().rev()),
                Value::Object(map) if map.get("items").is_some_and(Value::is_array) => {
                    pending.extend(list(value, "items").iter().rev());
                }
                Value::Object(_) => self.object(value),
                _ => {}
            }
        }
    }
}
