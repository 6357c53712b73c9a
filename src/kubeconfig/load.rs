//! Reading a pasted kubeconfig back into the form: one context's cluster, user and namespace,
//! with notes on what does not carry over.

use std::fmt;

use serde_json::Value;

use super::{given, Field, KubeconfigForm, Problem, KUBECONFIG_PASTE};
use crate::formats::json::{named, text_of};
use crate::formats::yaml::YamlError;
use crate::k8s::names::brief;
use crate::token::jwt::MAX_INPUT_BYTES;
use crate::{formats::yaml, token::b64};

/// A pasted kubeconfig, read into the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadedKubeconfig {
    /// The chosen context's cluster, user and namespace as form values; the CA as PEM text.
    pub form: KubeconfigForm,
    /// Every context name in the file, in file order, for a chooser.
    pub contexts: Vec<String>,
    /// The context that was read.
    pub context: String,
    /// What did not carry over, beside the field it concerns (a user without a token, say).
    pub notes: Vec<Problem>,
}

/// Why a paste could not be read as a kubeconfig.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Nothing was pasted.
    Empty,
    /// The paste is larger than any kubeconfig this page reads.
    TooLarge {
        /// Size in bytes.
        bytes: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The text is not YAML (or JSON), or nests too deep.
    Parse(YamlError),
    /// YAML, but not a kubeconfig.
    NotKubeconfig {
        /// The document's `kind`, when it has one.
        kind: Option<String>,
    },
    /// A kubeconfig without contexts: nothing ties a user to a cluster.
    NoContexts,
    /// The asked-for context is not in the file.
    UnknownContext {
        /// The name asked for.
        name: String,
        /// The names there are.
        available: Vec<String>,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Empty => f.write_str("Nothing to read: paste a kubeconfig (e.g. the output of `kubectl config view --raw --minify`)."),
            LoadError::TooLarge { bytes, limit } => write!(
                f,
                "The paste is {} KiB; kubeconfigs are read up to {} KiB. Paste one context's worth (`kubectl config view --raw --minify`).",
                bytes / 1024,
                limit / 1024
            ),
            LoadError::Parse(e) => f.write_str(&e.advice(KUBECONFIG_PASTE, "kubeconfig")),
            LoadError::NotKubeconfig { kind: Some(kind) } => write!(
                f,
                "This is a {kind}, not a kubeconfig (kind: Config with clusters, users and contexts)."
            ),
            LoadError::NotKubeconfig { kind: None } => f.write_str(
                "This is not a kubeconfig: it has no `kind: Config` and no clusters, users or contexts.",
            ),
            LoadError::NoContexts => f.write_str(
                "This kubeconfig has no contexts, so nothing says which user goes with which cluster. Add one with `kubectl config set-context`, or fill in the form by hand.",
            ),
            LoadError::UnknownContext { name, available } => write!(
                f,
                "There is no context {:?} in this kubeconfig; it has {}.",
                brief(name),
                available
                    .iter()
                    .map(|n| format!("{:?}", brief(n)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads a pasted kubeconfig into the form: `context` if given, else the current context,
/// else the first.
pub fn load(text: &str, context: Option<&str>) -> Result<LoadedKubeconfig, LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError::Empty);
    }
    if text.len() > MAX_INPUT_BYTES {
        return Err(LoadError::TooLarge {
            bytes: text.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let docs = yaml::parse_documents(text).map_err(LoadError::Parse)?;
    let is_config = |d: &&Value| {
        d.get("kind").and_then(Value::as_str) == Some("Config")
            || ["clusters", "contexts", "users"]
                .iter()
                .any(|k| d.get(k).is_some())
    };
    let Some(doc) = docs.iter().find(is_config) else {
        return Err(LoadError::NotKubeconfig {
            kind: docs
                .first()
                .and_then(|d| d.get("kind"))
                .and_then(Value::as_str)
                .map(str::to_string),
        });
    };
    let contexts: Vec<(String, &Value)> = named(doc, "contexts").collect();
    let names: Vec<String> = contexts.iter().map(|(n, _)| n.clone()).collect();
    let mut notes = Vec::new();
    let current = doc.get("current-context").map(text_of).unwrap_or_default();
    let wanted = context
        .map(str::to_string)
        .or_else(|| given(&current).map(str::to_string));
    let chosen = match wanted {
        Some(name) => match contexts.iter().find(|(n, _)| *n == name) {
            Some(found) => found,
            None if context.is_some() => {
                return Err(LoadError::UnknownContext {
                    name,
                    available: names,
                })
            }
            None => {
                let first = contexts.first().ok_or(LoadError::NoContexts)?;
                notes.push(Problem::new(
                    Field::ContextName,
                    format!(
                        "The current context {:?} is not in the file; context {:?}, the first, \
                         was read instead.",
                        brief(&name),
                        brief(&first.0)
                    ),
                ));
                first
            }
        },
        None => {
            let first = contexts.first().ok_or(LoadError::NoContexts)?;
            if contexts.len() > 1 {
                notes.push(Problem::new(
                    Field::ContextName,
                    format!(
                        "The file sets no current context; context {:?}, the first, was read.",
                        first.0
                    ),
                ));
            }
            first
        }
    };
    let (context_name, entry) = chosen;
    let ctx = entry.get("context").unwrap_or(&Value::Null);
    let cluster_name = ctx.get("cluster").map(text_of).unwrap_or_default();
    let user_name = ctx.get("user").map(text_of).unwrap_or_default();
    let mut form = KubeconfigForm {
        cluster_name: cluster_name.clone(),
        user_name: user_name.clone(),
        namespace: ctx.get("namespace").map(text_of).unwrap_or_default(),
        context_name: context_name.clone(),
        ..KubeconfigForm::default()
    };
    match named(doc, "clusters").find(|(n, _)| *n == cluster_name) {
        Some((_, entry)) => read_cluster(entry.get("cluster"), &mut form, &mut notes),
        None => notes.push(Problem::new(
            Field::ClusterName,
            format!("Context {context_name:?} names cluster {cluster_name:?}, which the file does not have: fill in the server and CA by hand."),
        )),
    }
    match named(doc, "users").find(|(n, _)| *n == user_name) {
        Some((_, entry)) => read_user(&user_name, entry.get("user"), &mut form, &mut notes),
        None => notes.push(Problem::new(
            Field::UserName,
            format!("Context {context_name:?} names user {user_name:?}, which the file does not have: paste the token by hand."),
        )),
    }
    Ok(LoadedKubeconfig {
        form,
        contexts: names,
        context: context_name.clone(),
        notes,
    })
}

fn read_cluster(cluster: Option<&Value>, form: &mut KubeconfigForm, notes: &mut Vec<Problem>) {
    let Some(cluster) = cluster.and_then(Value::as_object) else {
        notes.push(Problem::new(
            Field::ClusterName,
            format!(
                "Cluster {:?} has no settings in the file: fill in the server and CA by hand.",
                form.cluster_name
            ),
        ));
        return;
    };
    form.server = cluster.get("server").map(text_of).unwrap_or_default();
    form.skip_tls_verify = cluster
        .get("insecure-skip-tls-verify")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    form.tls_server_name = cluster
        .get("tls-server-name")
        .map(text_of)
        .unwrap_or_default();
    if let Some(data) = cluster.get("certificate-authority-data").map(text_of) {
        // PEM text when it decodes to text; otherwise as it is, for the CA check to explain
        // (base64 of DER is fine there; anything else gets the parser's message).
        form.ca = b64::decode_lenient(&data)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|text| text.contains("-----BEGIN"))
            .unwrap_or(data);
    } else if let Some(path) = cluster.get("certificate-authority").map(text_of) {
        notes.push(Problem::new(
            Field::Ca,
            format!(
                "The cluster's CA is a file on the machine the kubeconfig came from \
                 (certificate-authority: {path}); this page cannot read files. Paste its content."
            ),
        ));
    }
    let known = [
        "certificate-authority",
        "certificate-authority-data",
        "insecure-skip-tls-verify",
        "server",
        "tls-server-name",
    ];
    let dropped: Vec<&str> = cluster
        .keys()
        .map(String::as_str)
        .filter(|k| !known.contains(k))
        .collect();
    if !dropped.is_empty() {
        notes.push(Problem::new(
            Field::ClusterName,
            format!(
                "Not carried over from the cluster entry: {}. Add them to the new file by hand \
                 if the cluster needs them.",
                dropped.join(", ")
            ),
        ));
    }
}

fn read_user(
    name: &str,
    user: Option<&Value>,
    form: &mut KubeconfigForm,
    notes: &mut Vec<Problem>,
) {
    let user = user.and_then(Value::as_object);
    form.token = user
        .and_then(|u| u.get("token"))
        .map(text_of)
        .unwrap_or_default();
    let others: Vec<&str> = user
        .into_iter()
        .flat_map(|u| u.keys())
        .map(String::as_str)
        .filter(|k| *k != "token")
        .collect();
    if given(&form.token).is_none() {
        let how = if others.is_empty() {
            "it has no credentials at all".to_string()
        } else {
            format!("it signs in with {} instead", others.join(", "))
        };
        notes.push(Problem::new(
            Field::Token,
            format!(
                "User {:?} has no token: {how}. A kubeconfig built here carries a \
                 service-account token: paste one.",
                brief(name)
            ),
        ));
    } else if !others.is_empty() {
        notes.push(Problem::new(
            Field::Token,
            format!(
                "Only the token of user {:?} is carried over, not {}.",
                brief(name),
                others.join(", ")
            ),
        ));
    }
}
