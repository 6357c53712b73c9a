//! A kubeconfig's users as identities: each user's ways of signing in (a client certificate
//! read with its cluster's CA, an exec plugin with the command it would run, an auth provider,
//! a token), and whether a private key came with them. Values of secrets are never kept: a
//! `client-key-data`, token or password is only noted as present.

use std::fmt;

use serde_json::{Map, Value};

use super::{from_bundle, CaSource, ClientCert};
use crate::crypto::x509::{self, CertError};
use crate::formats::json::{named, text_of};
use crate::formats::yaml::YamlError;
use crate::support::sort;
use crate::token::jwt::MAX_INPUT_BYTES;
use crate::{formats::shell, formats::yaml};

/// Why a paste could not be read as a kubeconfig.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KubeconfigError {
    /// Nothing was pasted.
    Empty,
    /// Larger than any kubeconfig this page reads.
    TooLarge {
        /// Size in bytes.
        bytes: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The text is not YAML (or JSON), or nests too deep.
    Parse(YamlError),
    /// YAML, but with no `users` list.
    NoUsers,
}

impl fmt::Display for KubeconfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str(
                "Nothing to read: paste a kubeconfig (`kubectl config view --raw --minify`).",
            ),
            Self::TooLarge { bytes, limit } => write!(
                f,
                "The paste is {} KiB; kubeconfigs are read up to {} KiB. Paste one context's \
                 worth (`kubectl config view --raw --minify`).",
                bytes / 1024,
                limit / 1024
            ),
            Self::Parse(e) => {
                f.write_str(&e.advice(crate::kubeconfig::KUBECONFIG_PASTE, "kubeconfig"))
            }
            Self::NoUsers => f.write_str(
                "This kubeconfig has no users list, so there is no identity to read: paste the \
                 output of `kubectl config view --raw --minify`.",
            ),
        }
    }
}

impl std::error::Error for KubeconfigError {}

/// An exec credential plugin: what kubectl would run to get a credential (this page never
/// runs it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecPlugin {
    /// `command`, as written.
    pub command: String,
    /// `args`, as written.
    pub args: Vec<String>,
    /// The names of the `env` entries it sets (their values may be secrets, so they are left
    /// out).
    pub env: Vec<String>,
    /// `apiVersion` of the ExecCredential it speaks.
    pub api_version: String,
    /// The command line, each word quoted for a POSIX shell.
    pub command_line: String,
    /// What kind of credential it hands kubectl, and who the API server takes the user to be.
    pub yields: String,
}

/// One way a user signs in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// `client-certificate-data`: the certificate read with its cluster's CA, or why it could
    /// not be read.
    ClientCertificate(Box<Result<ClientCert, CertError>>),
    /// `client-certificate`: a file on the machine the kubeconfig came from.
    ClientCertificateFile(String),
    /// `exec`: a plugin kubectl runs.
    Exec(ExecPlugin),
    /// `auth-provider`: a built-in provider by name, and what it yields.
    AuthProvider {
        /// `gcp`, `azure`, `oidc` or another.
        name: String,
        /// What it yields, and whether current kubectl still has it.
        yields: String,
    },
    /// `token` (present; Inspect reads the token itself).
    Token,
    /// `tokenFile`: a file on that machine.
    TokenFile(String),
    /// `username` and `password`: basic authentication, which the API server no longer takes.
    BasicAuth,
}

/// One user of a kubeconfig.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeconfigUser {
    /// The user entry's name in the file (not the identity the cluster gives it).
    pub name: String,
    /// The contexts that use it, in file order.
    pub contexts: Vec<String>,
    /// The cluster whose CA its certificate was checked against: the current context's when
    /// that uses this user, else the first context's.
    pub cluster: Option<String>,
    /// Each way it signs in; empty when it has none.
    pub credentials: Vec<Credential>,
    /// Whether a `client-key-data` came with it: only the fact, never the key.
    pub private_key_pasted: bool,
    /// What could not be read or carried over, in sentences.
    pub notes: Vec<String>,
}

/// Every user of a pasted kubeconfig.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KubeconfigUsers {
    /// The users, in file order.
    pub users: Vec<KubeconfigUser>,
    /// The index of the current context's user, if it has one.
    pub current: Option<usize>,
}

/// Reads every user of a pasted kubeconfig with what it signs in with.
pub fn read_kubeconfig(text: &str) -> Result<KubeconfigUsers, KubeconfigError> {
    if text.trim().is_empty() {
        return Err(KubeconfigError::Empty);
    }
    if text.len() > MAX_INPUT_BYTES {
        return Err(KubeconfigError::TooLarge {
            bytes: text.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let docs = yaml::parse_documents(text).map_err(KubeconfigError::Parse)?;
    let doc = docs
        .iter()
        .find(|d| d.get("users").is_some_and(Value::is_array))
        .ok_or(KubeconfigError::NoUsers)?;
    let current = doc.get("current-context").map(text_of).unwrap_or_default();
    // (context, cluster, user), current context first.
    let contexts: Vec<(String, String, String)> = named(doc, "contexts")
        .map(|(name, entry)| {
            let ctx = entry.get("context");
            let field = |k: &str| ctx.and_then(|c| c.get(k)).map(text_of).unwrap_or_default();
            (name, field("cluster"), field("user"))
        })
        .collect();
    // Contexts by user and clusters by name (the first of a name, as kubectl takes it), found
    // by binary search over indices sorted once, so the work stays near-linear however many
    // users and contexts the file has, and no hash table of its own key type is compiled in.
    let by_user = sort::indices(contexts.len(), &|a, b| {
        let user = |i: usize| contexts.get(i).map(|c| c.2.as_str());
        user(a).cmp(&user(b))
    });
    let clusters: Vec<(String, &Value)> = named(doc, "clusters").collect();
    let by_name = sort::indices(clusters.len(), &|a, b| {
        let name = |i: usize| clusters.get(i).map(|c| c.0.as_str());
        name(a).cmp(&name(b))
    });
    // Each cluster's CA, read once for all its users, by the cluster's index.
    let mut cas: Vec<Option<Ca>> = std::iter::repeat_with(|| None)
        .take(clusters.len())
        .collect();
    let mut users = Vec::new();
    let mut current_index = None;
    for (name, entry) in named(doc, "users") {
        let using: Vec<&(String, String, String)> =
            equal_range(&by_user, |i| contexts.get(i).map(|c| c.2.as_str()), &name)
                .iter()
                .filter_map(|&i| contexts.get(i))
                .collect();
        if current_index.is_none() && using.iter().any(|(c, _, _)| *c == current) {
            current_index = Some(users.len());
        }
        let cluster = using
            .iter()
            .find(|(c, _, _)| *c == current)
            .or_else(|| using.first())
            .map(|(_, cluster, _)| cluster.clone());
        let mut user = KubeconfigUser {
            contexts: using.iter().map(|(c, _, _)| c.clone()).collect(),
            name,
            cluster: cluster.clone(),
            credentials: Vec::new(),
            private_key_pasted: false,
            notes: Vec::new(),
        };
        let found = cluster.as_deref().and_then(|cluster| {
            let first = *equal_range(&by_name, |i| clusters.get(i).map(|c| c.0.as_str()), cluster)
                .first()?;
            let (_, entry) = clusters.get(first)?;
            let slot = cas.get_mut(first)?;
            Some(&*slot.get_or_insert_with(|| cluster_ca(Some(entry), cluster)))
        });
        let ca = found.unwrap_or(&NO_CA);
        if let Some(note) = &ca.note {
            user.notes.push(note.clone());
        }
        match entry.get("user").and_then(Value::as_object) {
            Some(fields) => read_user(fields, ca.certs.as_deref(), &mut user),
            None => user
                .notes
                .push("This user has no settings: it signs in with nothing.".to_string()),
        }
        users.push(user);
    }
    Ok(KubeconfigUsers {
        users,
        current: current_index,
    })
}

/// The indices in `sorted` (sorted by `key`) whose key is `wanted`, in their sorted order.
fn equal_range<'s, 'a>(
    sorted: &'s [usize],
    key: impl Fn(usize) -> Option<&'a str>,
    wanted: &str,
) -> &'s [usize] {
    let start = sorted.partition_point(|&i| key(i) < Some(wanted));
    let end = sorted.partition_point(|&i| key(i) <= Some(wanted));
    sorted.get(start..end).unwrap_or_default()
}

/// A cluster's CA as read once for all its users: the certificates, or a note on why none.
struct Ca {
    certs: Option<Vec<x509::Certificate>>,
    note: Option<String>,
}

const NO_CA: Ca = Ca {
    certs: None,
    note: None,
};

/// The cluster's CA certificates, when the kubeconfig embeds them and they read.
fn cluster_ca(entry: Option<&Value>, cluster: &str) -> Ca {
    let Some(fields) = entry.and_then(|e| e.get("cluster")) else {
        return NO_CA;
    };
    if let Some(data) = fields.get("certificate-authority-data").map(text_of) {
        return match x509::parse_bundle(&data) {
            Ok(bundle) => Ca {
                certs: Some(bundle.certs),
                note: None,
            },
            Err(e) => Ca {
                certs: None,
                note: Some(format!(
                    "The CA of cluster {cluster:?} could not be read, so the certificate is not \
                     checked against it: {e}"
                )),
            },
        };
    }
    let note = fields
        .get("certificate-authority")
        .map(text_of)
        .map(|path| {
            format!(
                "The CA of cluster {cluster:?} is a file on the machine the kubeconfig came from \
             ({path}); paste its content as the CA to check the certificate against it."
            )
        });
    Ca { certs: None, note }
}

fn read_user(
    fields: &Map<String, Value>,
    ca: Option<&[x509::Certificate]>,
    user: &mut KubeconfigUser,
) {
    let text = |k: &str| fields.get(k).map(text_of).filter(|t| !t.trim().is_empty());
    user.private_key_pasted = text("client-key-data").is_some();
    if let Some(data) = text("client-certificate-data") {
        let read = x509::parse_bundle(&data)
            .and_then(|bundle| from_bundle(bundle, ca.map(|cas| (CaSource::ClusterCa, cas))))
            .map(|mut cert| {
                cert.private_key_pasted = user.private_key_pasted;
                cert
            });
        user.credentials
            .push(Credential::ClientCertificate(Box::new(read)));
    } else if let Some(path) = text("client-certificate") {
        user.credentials
            .push(Credential::ClientCertificateFile(path));
    }
    if let Some(exec) = fields.get("exec") {
        user.credentials.push(Credential::Exec(exec_plugin(exec)));
    }
    if let Some(provider) = fields.get("auth-provider") {
        let name = provider.get("name").map(text_of).unwrap_or_default();
        let yields = auth_provider_yields(&name);
        user.credentials
            .push(Credential::AuthProvider { name, yields });
    }
    if text("token").is_some() {
        user.credentials.push(Credential::Token);
    }
    if let Some(path) = text("tokenFile") {
        user.credentials.push(Credential::TokenFile(path));
    }
    if text("username").is_some() || text("password").is_some() {
        user.credentials.push(Credential::BasicAuth);
    }
    if user.private_key_pasted {
        user.notes.push(
            "A private key (client-key-data) was pasted: it is not shown or kept. If this \
             kubeconfig was shared anywhere, treat the key as leaked."
                .to_string(),
        );
    }
    if user.credentials.is_empty() {
        user.notes.push(
            "This user has no credentials: kubectl sends its requests anonymously.".to_string(),
        );
    }
}

fn exec_plugin(exec: &Value) -> ExecPlugin {
    let command = exec.get("command").map(text_of).unwrap_or_default();
    let args: Vec<String> = exec
        .get("args")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(text_of)
        .collect();
    let env = exec
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("name").map(text_of))
        .collect();
    let command_line = std::iter::once(command.as_str())
        .chain(args.iter().map(String::as_str))
        .map(shell::quote)
        .collect::<Vec<_>>()
        .join(" ");
    let yields = exec_yields(&command, &args);
    ExecPlugin {
        api_version: exec.get("apiVersion").map(text_of).unwrap_or_default(),
        command,
        args,
        env,
        command_line,
        yields,
    }
}

/// What the well-known plugins hand kubectl, by the command's file name and its arguments.
fn exec_yields(command: &str, args: &[String]) -> String {
    let program = command.rsplit(['/', '\\']).next().unwrap_or(command);
    let program = program.strip_suffix(".exe").unwrap_or(program);
    let has = |word: &str| args.iter().any(|a| a == word);
    let text = match program {
        "aws" if has("get-token") => {
            "An EKS token (k8s-aws-v1., a presigned STS GetCallerIdentity URL) for the AWS \
             identity of the local profile; the cluster maps that IAM role or user to a \
             Kubernetes user and groups (access entries or the aws-auth ConfigMap)."
        }
        "aws-iam-authenticator" => {
            "An EKS token (k8s-aws-v1., a presigned STS GetCallerIdentity URL); the cluster \
             maps the IAM role or user to a Kubernetes user and groups (access entries or the \
             aws-auth ConfigMap)."
        }
        "gke-gcloud-auth-plugin" | "gcloud" => {
            "A Google OAuth 2.0 access token of the gcloud account; GKE takes the account's \
             email as the user name, and IAM as well as RBAC decide what it may do."
        }
        "kubelogin" if has("oidc-login") || has("get-token") && !has("--server-id") => {
            "An OIDC ID token from the issuer in --oidc-issuer-url, after a browser login; the \
             API server takes the user and groups from its claims, as its OIDC flags or \
             AuthenticationConfiguration say. Paste the token on Inspect to see them."
        }
        "kubelogin" => {
            "A Microsoft Entra ID token (Azure/kubelogin); AKS takes the user's object ID or \
             principal name, and Entra groups as groups."
        }
        "kubectl" if has("oidc-login") => {
            "An OIDC ID token from the issuer in --oidc-issuer-url, after a browser login; the \
             API server takes the user and groups from its claims. Paste the token on Inspect \
             to see them."
        }
        "doctl" => "A DigitalOcean API token for the doctl account's cluster access.",
        "oci" => "An OCI token for the local OCI CLI profile; OKE maps it to the user's OCID.",
        "pinniped" => {
            "A short-lived credential from the Pinniped Concierge (a client certificate or \
             token) after the identity provider's login."
        }
        "tsh" => "A short-lived client certificate issued by Teleport for the logged-in user.",
        _ => {
            "An ExecCredential printed as JSON: a bearer token, or a client certificate and \
             key, depending on the plugin; its documentation says which."
        }
    };
    text.to_string()
}

/// What the built-in auth providers yield; kubectl 1.26 removed `gcp` and `azure`.
fn auth_provider_yields(name: &str) -> String {
    let text = match name {
        "oidc" => {
            "An OIDC ID token kept in the kubeconfig (id-token) and renewed with its \
             refresh-token; the API server takes the user and groups from its claims. Paste the \
             id-token on Inspect to see them."
        }
        "gcp" => {
            "A Google access token of the gcloud account. Removed in kubectl 1.26: install \
             gke-gcloud-auth-plugin and run `gcloud container clusters get-credentials` again."
        }
        "azure" => {
            "A Microsoft Entra ID token. Removed in kubectl 1.26: convert the kubeconfig with \
             `kubelogin convert-kubeconfig`."
        }
        _ => "A credential from a client-go auth provider plugin built into the kubectl that uses it.",
    };
    text.to_string()
}
