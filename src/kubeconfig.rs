//! Building a kubeconfig for a service account, and reading one back into the form.
//!
//! People who hold a service-account token usually want to *use* it: a kubeconfig file for
//! kubectl or a CI job. Writing one by hand goes wrong in small ways (a namespace `0123` that
//! YAML reads as a number, a CA pasted as the wrong base64, skip-TLS and a CA together, which
//! kubectl refuses), so this module checks every field, says beside which field what is wrong,
//! and writes the file the way `kubectl config` itself would: same keys, same order, the CA as
//! base64 of its PEM text as `--embed-certs` stores it. It also gives the same result as a
//! kubectl script, a `curl` command to try the token, and `kubectl auth can-i` to see what it
//! may do.
//!
//! The parts: `check` (names, CA, token, namespace) and `server` (the URL), `write` (the file,
//! the script, `curl`, file names) and `load` (a pasted kubeconfig read back). This file holds
//! the form and ties them together in [`build_from`], which takes the token and CA as the
//! page's state decoded them ([`Read`]), so typing a name never decodes them again, and `now`
//! for the token-expiry warning; nothing here reads the clock.

mod check;
mod load;
mod server;
pub mod snippets; // client code (Python, Go, curl) that uses a kubeconfig or the in-cluster token
mod write;

pub use load::{load, LoadError, LoadedKubeconfig};
pub use write::file_name;

use crate::crypto::x509::{self, Bundle, CertError};
use crate::formats::shell::quote;
use crate::formats::yaml_write;
use crate::inspect::input::clean_token;
use crate::k8s::kube::MAX_FIELD_BYTES;
use crate::support::checks::Checks;
use crate::support::error::{field_too_long, TokenError};
use crate::support::finding::{Finding, Level};
use crate::support::time::UnixSeconds;
use crate::token::claims;
use crate::token::jwt::{self, RawJwt};
use check::{check_ca, check_name, check_namespace, check_token};
use server::parse_server;
use write::{ca_file_name, curl, kubeconfig_value, script};

/// What a page that reads a kubeconfig asks for when a paste does not parse: "Paste …".
pub const KUBECONFIG_PASTE: &str = "the whole kubeconfig (`kubectl config view --raw --minify`)";

/// The form's fields, named by their visible labels so a message can sit beside its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// "Cluster name".
    ClusterName,
    /// "Server URL".
    Server,
    /// "CA certificate".
    Ca,
    /// "Skip TLS verification".
    SkipTlsVerify,
    /// "TLS server name".
    TlsServerName,
    /// "User name".
    UserName,
    /// "Token".
    Token,
    /// "Namespace".
    Namespace,
    /// "Context name".
    ContextName,
}

impl Field {
    /// The label the form shows.
    pub fn label(self) -> &'static str {
        match self {
            Field::ClusterName => "Cluster name",
            Field::Server => "Server URL",
            Field::Ca => "CA certificate",
            Field::SkipTlsVerify => "Skip TLS verification",
            Field::TlsServerName => "TLS server name",
            Field::UserName => "User name",
            Field::Token => "Token",
            Field::Namespace => "Namespace",
            Field::ContextName => "Context name",
        }
    }
}

crate::field_shown_as_label!(Field);

/// Something to show beside one field: the rule and why it matters.
pub type Problem = crate::support::error::Problem<Field>;

/// What the user typed. An empty string means "not set".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KubeconfigForm {
    /// The name kubectl knows the cluster by.
    pub cluster_name: String,
    /// The API server's URL, e.g. `https://203.0.113.10:6443`.
    pub server: String,
    /// The cluster CA: PEM, base64 of PEM (`certificate-authority-data`), or base64 of DER.
    pub ca: String,
    /// Whether to skip checking the server's certificate (`insecure-skip-tls-verify`).
    pub skip_tls_verify: bool,
    /// The name to expect in the server's certificate, when it differs from the URL's host.
    pub tls_server_name: String,
    /// The name kubectl knows the credentials by; defaults to the service account's name.
    pub user_name: String,
    /// The bearer token.
    pub token: String,
    /// The context's default namespace; defaults to the token's namespace.
    pub namespace: String,
    /// The context's name; defaults to `<user>@<cluster>`.
    pub context_name: String,
}

/// What empty fields stand for, read from the token and the other fields. Empty strings when
/// there is nothing to go on (the token does not name a service account, say).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Defaults {
    /// The service account's name.
    pub user_name: String,
    /// The service account's namespace.
    pub namespace: String,
    /// `<user>@<cluster>`, as kubeadm and cloud CLIs name contexts.
    pub context_name: String,
}

/// The form's token and CA as the page's state read them, once per change of each: what the
/// builder takes instead of parsing the texts again.
#[derive(Clone, Copy, Debug, Default)]
pub struct Read<'a> {
    /// The **Token** field decoded ([`read_token`]); `None` while it is empty.
    pub token: Option<&'a Result<RawJwt, TokenError>>,
    /// The certificates of the **CA certificate** field; `None` while it is empty.
    pub ca: Option<&'a Result<Bundle, CertError>>,
}

/// The **Token** field as the builder reads the identity from it: without `Bearer`, quotes
/// and white space, decoded; `None` when that leaves nothing.
pub fn read_token(text: &str) -> Option<Result<RawJwt, TokenError>> {
    let (token, _) = clean_token(text);
    (!token.is_empty()).then(|| jwt::decode(&token))
}

/// Whether [`read_token`] reads `text` as it is, so a decoding of `text` itself serves.
pub fn reads_as_is(text: &str) -> bool {
    !text.is_empty() && clean_token(text).0 == text
}

/// The certificates of the **CA certificate** field, as the CA's state reads them; `None`
/// while it is empty.
fn read_ca(text: &str) -> Option<Result<Bundle, CertError>> {
    given(text).map(x509::parse_bundle)
}

/// Placeholders for the form's empty fields, its token decoded here: see [`defaults_from`].
pub fn defaults(form: &KubeconfigForm) -> Defaults {
    let token = read_token(&form.token);
    defaults_from(
        form,
        Read {
            token: token.as_ref(),
            ca: None,
        },
    )
}

/// Placeholders for the form's empty fields: what [`build_from`] will use for them.
pub fn defaults_from(form: &KubeconfigForm, read: Read<'_>) -> Defaults {
    let claims = match read.token {
        Some(Ok(jwt)) => Some(claims::read(&jwt.payload)),
        _ => None,
    };
    let (account, namespace) = claims.map_or((None, None), |c| (c.name, c.namespace));
    let user = given(&form.user_name).or(account.as_deref());
    let context_name = match (given(&form.cluster_name), user) {
        (Some(cluster), Some(user)) => format!("{user}@{cluster}"),
        _ => String::new(),
    };
    Defaults {
        user_name: account.unwrap_or_default(),
        namespace: namespace.unwrap_or_default(),
        context_name,
    }
}

/// Everything the page shows for a filled-in form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KubeconfigOutput {
    /// The kubeconfig; `None` while there are errors.
    pub yaml: Option<String>,
    /// What stops the kubeconfig from being written.
    pub errors: Vec<Problem>,
    /// What is written anyway but deserves attention.
    pub warnings: Vec<Problem>,
    /// The values written: defaults filled in, the CA as PEM text (empty when left out).
    pub written: KubeconfigForm,
    /// A file name for the download, from the cluster name: only `[A-Za-z0-9._-]`, never
    /// empty, never starting with `.` or `-`.
    pub file_name: String,
    /// Where the script and the `curl` command keep the CA.
    pub ca_file_name: String,
    /// A bash script that makes the same kubeconfig with kubectl; empty while there are errors.
    pub kubectl_script: String,
    /// A `curl` command that tries the token against the API server; empty while there are
    /// errors.
    pub curl_command: String,
    /// `kubectl auth can-i --list` with the new file: what the token may do.
    pub can_i_command: String,
}

/// [`build_from`] for a form no page state has read (a test's, or a copy with the token
/// masked): its token and CA are read here, from its texts.
pub fn build(form: &KubeconfigForm, now: UnixSeconds) -> KubeconfigOutput {
    let (token, ca) = (read_token(&form.token), read_ca(&form.ca));
    let read = Read {
        token: token.as_ref(),
        ca: ca.as_ref(),
    };
    build_from(form, read, now)
}

/// Checks the form and, when nothing blocks it, writes the kubeconfig and the commands. The
/// token and CA come decoded in `read`; the form's own CA text is not read.
pub fn build_from(form: &KubeconfigForm, read: Read<'_>, now: UnixSeconds) -> KubeconfigOutput {
    let mut checks = Checks::new();
    let defaults = defaults_from(form, read);

    let cluster = form.cluster_name.clone();
    let user = given(&form.user_name).map_or(defaults.user_name.clone(), str::to_string);
    let context = given(&form.context_name).map_or(defaults.context_name.clone(), str::to_string);
    check_name(Field::ClusterName, &cluster, &mut checks);
    if given(&user).is_none() {
        checks.error(
            Field::UserName,
            "User name is empty, and the token does not name a service account to use instead. \
             Type the name kubectl should know these credentials by (the service account's \
             name, say).",
        );
    } else {
        check_name(Field::UserName, &user, &mut checks);
    }
    // An empty context name with an empty cluster or user name is already explained there.
    if given(&context).is_some() {
        check_name(Field::ContextName, &context, &mut checks);
    }

    // Names and URLs are short; a huge paste would be written (and laid out) several times over.
    for (field, value) in [
        (Field::ClusterName, cluster.as_str()),
        (Field::Server, form.server.as_str()),
        (Field::TlsServerName, form.tls_server_name.as_str()),
        (Field::UserName, user.as_str()),
        (Field::Namespace, form.namespace.as_str()),
        (Field::ContextName, context.as_str()),
    ] {
        if value.len() > MAX_FIELD_BYTES {
            checks.error(field, field_too_long(&field, value.len(), MAX_FIELD_BYTES));
        }
    }

    let server = form.server.trim();
    let url = match parse_server(server) {
        Ok(url) => Some(url),
        Err(error) => {
            checks.error(Field::Server, error.to_string());
            None
        }
    };
    let plain_http = url.as_ref().is_some_and(|u| !u.https);
    if plain_http {
        warn(
            &mut checks,
            Field::Server,
            "http:// sends the token unencrypted: anyone on the network path can read it and act \
             as this service account. Use https:// unless this is a local proxy such as \
             `kubectl proxy` on 127.0.0.1."
                .to_string(),
        );
    }

    let ca_pem = check_ca(form.skip_tls_verify, read.ca, now, plain_http, &mut checks);

    let tls_server_name = form.tls_server_name.trim();
    if !tls_server_name.is_empty() {
        if let Some(bad) = tls_server_name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '*')))
        {
            checks.error(
                Field::TlsServerName,
                format!(
                    "TLS server name must be a host name the server's certificate names (e.g. \
                     kubernetes.default.svc), without scheme, port or path; {bad:?} cannot be \
                     part of one."
                ),
            );
        } else if plain_http {
            warn(
                &mut checks,
                Field::TlsServerName,
                "TLS server name has no effect with an http:// server: there is no TLS."
                    .to_string(),
            );
        }
    }

    let token = form.token.trim();
    check_token(token, read.token, now, &mut checks);

    let namespace =
        given(&form.namespace).map_or(defaults.namespace.clone(), |n| n.trim().to_string());
    check_namespace(&namespace, &defaults, &mut checks);

    let written = KubeconfigForm {
        cluster_name: cluster.clone(),
        server: server.to_string(),
        ca: ca_pem.clone().unwrap_or_default(),
        skip_tls_verify: form.skip_tls_verify,
        tls_server_name: tls_server_name.to_string(),
        user_name: user,
        token: token.to_string(),
        namespace,
        context_name: context,
    };
    let file_name = file_name(&cluster);
    let ca_file_name = ca_file_name(&cluster);
    let can_i_command = format!(
        "kubectl --kubeconfig {} auth can-i --list",
        quote(&file_name)
    );
    let (errors, found) = checks.into_parts();
    // The page shows each warning as one sentence beside its field.
    let mut warnings = Vec::new();
    for warning in found {
        warnings.push(Problem {
            field: warning.field,
            message: warning.finding.why,
        });
    }
    let mut output = KubeconfigOutput {
        yaml: None,
        errors,
        warnings,
        written,
        file_name,
        ca_file_name,
        kubectl_script: String::new(),
        curl_command: String::new(),
        can_i_command,
    };
    if output.errors.is_empty() {
        let config = kubeconfig_value(&output.written);
        output.yaml = Some(yaml_write::document(&config));
        output.kubectl_script = script(&output);
        if let Some(url) = url {
            output.curl_command = curl(&output, &url);
        }
    }
    output
}

/// `Some` when the field holds more than white space.
fn given(text: &str) -> Option<&str> {
    (!text.trim().is_empty()).then_some(text)
}

/// A warning beside `field`. Every warning of this form is one sentence; as a finding it is
/// titled with the field's label, which is where the page shows it.
fn warn(checks: &mut Checks<Field>, field: Field, why: String) {
    checks.warn(
        field,
        Finding {
            level: Level::Warning,
            title: field.label().to_string(),
            why,
        },
    );
}
