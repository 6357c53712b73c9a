//! Asking for a service-account token the modern way: a TokenRequest (`kubectl create token`)
//! or a projected `serviceAccountToken` volume, checked field by field, with a preview of the
//! claims the API server will sign.
//!
//! Since Kubernetes 1.24 no Secret holds a never-expiring token by default; tokens come from
//! the TokenRequest API, short-lived, for chosen audiences and optionally bound to a Pod,
//! Secret or Node, so that deleting the object revokes them. This module turns one form into
//! everything that asks for such a token (the kubectl command, the TokenRequest object and
//! the `curl` that posts it, a Pod manifest with a projected volume) and into the claims such
//! a token carries, which the inspector's own explainer can show. The facts it states are the
//! API server's: the lifetime rules in [`duration`], the claims in [`preview`].
//!
//! [`build`] takes `now` for the preview's times; nothing here reads the clock.

mod checks;
pub mod duration;
pub mod manifests;
pub mod preview;

use crate::k8s::kube::MAX_FIELD_BYTES;
use crate::support::error::field_too_long;
use crate::support::time::UnixSeconds;

use crate::k8s::names::{brief, DnsRule};
use crate::support::checks::Checks;
use crate::support::finding::Level;
use checks::{
    audience_shape_warnings, audience_warnings, check_bound, check_mount_path, check_server,
    check_token_path, hidden, lifetime_notes, name_error, note, warn,
};

pub use duration::DurationError;
pub use preview::Preview;

/// Where kubelet mounts the token a Pod gets by default; a second volume mounted there collides.
pub const DEFAULT_TOKEN_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The mount path the form suggests for the projected token.
pub const DEFAULT_MOUNT_PATH: &str = "/var/run/secrets/tokens";

/// The file name the form suggests inside the projected volume.
pub const DEFAULT_TOKEN_PATH: &str = "token";

/// The container image the Pod manifest uses when the form leaves it empty: curl's own image,
/// which has `curl` and a shell, the tools [`manifests::pod_curl`] runs in it.
///
/// The tag is a release of github.com/curl/curl-container, whose README says its releases are
/// published as docker.io/curlimages/curl (tag `8.11.1`, commit
/// 508c8c69929776cf5790bd3b6aac3150c50e11d8): curl 8.11.1 on
/// `docker.io/alpine:3.21.0` (its Makefile and CHANGELOG), so BusyBox gives it `sh` and
/// `sleep`, and its entrypoint runs any command it is given. Public manifests run it as
/// `curlimages/curl:8.11.1` with `/bin/sh -ec` (open-feature/open-feature-operator, pull
/// request 703).
pub const DEFAULT_IMAGE: &str = "curlimages/curl:8.11.1";

/// The CA file the `curl` command trusts when the form leaves it empty.
pub const DEFAULT_CA_FILE: &str = "ca.crt";

/// The form's fields, named by their visible labels so a message can sit beside its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// "Service account".
    ServiceAccount,
    /// "Namespace".
    Namespace,
    /// "Duration".
    Duration,
    /// "Audiences".
    Audiences,
    /// "API server issuer".
    Issuer,
    /// "Bound object name".
    BoundName,
    /// "Bound object uid".
    BoundUid,
    /// "Pod name".
    PodName,
    /// "Image".
    Image,
    /// "Mount the default token too".
    Automount,
    /// "Mount path".
    MountPath,
    /// "Token file".
    TokenPath,
    /// "Server URL".
    Server,
    /// "CA file".
    CaFile,
}

impl Field {
    /// The label the form shows.
    pub fn label(self) -> &'static str {
        match self {
            Field::ServiceAccount => "Service account",
            Field::Namespace => "Namespace",
            Field::Duration => "Duration",
            Field::Audiences => "Audiences",
            Field::Issuer => "API server issuer",
            Field::BoundName => "Bound object name",
            Field::BoundUid => "Bound object uid",
            Field::PodName => "Pod name",
            Field::Image => "Image",
            Field::Automount => "Mount the default token too",
            Field::MountPath => "Mount path",
            Field::TokenPath => "Token file",
            Field::Server => "Server URL",
            Field::CaFile => "CA file",
        }
    }
}

crate::field_shown_as_label!(Field);

/// Something to show beside one field: the rule and why it matters.
pub type Problem = crate::support::error::Problem<Field>;

/// The kinds of object a token can be bound to: deleting the object revokes the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoundKind {
    /// A Pod: the token dies with the Pod (what kubelet asks for in a projected volume).
    Pod,
    /// A Secret: the token dies with the Secret.
    Secret,
    /// A Node: the token dies with the Node.
    Node,
}

impl BoundKind {
    /// The `kind` as the API and `--bound-object-kind` spell it.
    pub fn kind(self) -> &'static str {
        match self {
            BoundKind::Pod => "Pod",
            BoundKind::Secret => "Secret",
            BoundKind::Node => "Node",
        }
    }

    /// The claim under `kubernetes.io` that names the object.
    pub fn claim(self) -> &'static str {
        match self {
            BoundKind::Pod => "pod",
            BoundKind::Secret => "secret",
            BoundKind::Node => "node",
        }
    }
}

/// The object to bind the token to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoundObject {
    /// Pod, Secret or Node.
    pub kind: BoundKind,
    /// The object's name (in the service account's namespace, except for a Node).
    pub name: String,
    /// The object's uid, to refuse a same-named object made later; `None` lets the API server
    /// take the current object's uid.
    pub uid: Option<String>,
}

/// What the user typed. An empty string means "not set".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenForm {
    /// The service account's name.
    pub service_account: String,
    /// The service account's namespace.
    pub namespace: String,
    /// The requested lifetime in kubectl's form (`10m`, `1h`, `8760h`); empty for the
    /// server's default of 1 hour.
    pub duration: String,
    /// One audience per line, each taken whole (a comma or a space is part of it, as kubectl's
    /// `--audience` takes it); empty for the API server's own.
    pub audiences: String,
    /// The API server's issuer (`--service-account-issuer`), which is also its audience unless
    /// `--api-audiences` says otherwise; optional.
    pub issuer: String,
    /// The object to bind the token to, if any.
    pub bound: Option<BoundObject>,
    /// The Pod manifest's name; defaults to the service account's.
    pub pod_name: String,
    /// The Pod manifest's container image; defaults to [`DEFAULT_IMAGE`].
    pub image: String,
    /// Whether the Pod also gets the default token (`automountServiceAccountToken`).
    pub automount: bool,
    /// Where the projected volume is mounted; defaults to [`DEFAULT_MOUNT_PATH`].
    pub mount_path: String,
    /// The token's file name inside the volume; defaults to [`DEFAULT_TOKEN_PATH`].
    pub token_path: String,
    /// The API server's URL for the `curl` command; optional (`$APISERVER` stands in).
    pub server: String,
    /// The CA file the `curl` command trusts; defaults to [`DEFAULT_CA_FILE`].
    pub ca_file: String,
}

/// The form with defaults filled in and lists split: what the outputs are written from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// The service account's name.
    pub service_account: String,
    /// The namespace.
    pub namespace: String,
    /// The duration as typed (trimmed), for `--duration`; empty when not set.
    pub duration: String,
    /// `expirationSeconds`; `None` for the server's default.
    pub expiration_seconds: Option<u64>,
    /// The audiences in the order typed, without repeats; empty for the API server's own.
    pub audiences: Vec<String>,
    /// The issuer, when given.
    pub issuer: String,
    /// The bound object, names trimmed.
    pub bound: Option<BoundObject>,
    /// The Pod's name.
    pub pod_name: String,
    /// The container image.
    pub image: String,
    /// `automountServiceAccountToken`.
    pub automount: bool,
    /// The projected volume's mount path.
    pub mount_path: String,
    /// The token's file name in the volume.
    pub token_path: String,
    /// The server URL, when given (without a trailing `/`).
    pub server: String,
    /// The CA file.
    pub ca_file: String,
}

impl Written {
    /// The lifetime the API server will give (before its own cap): the request, or 1 hour.
    pub fn lifetime(&self) -> u64 {
        self.expiration_seconds.unwrap_or(duration::DEFAULT_SECONDS)
    }

    /// Whether the audiences are the API server's own: none given, or the issuer is among
    /// them. `None` when that cannot be told (audiences given, issuer not).
    pub fn for_api_server(&self) -> Option<bool> {
        if self.audiences.is_empty() {
            Some(true)
        } else if self.issuer.is_empty() {
            None
        } else {
            Some(self.audiences.contains(&self.issuer))
        }
    }
}

/// Everything the page shows for a filled-in form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TokenOutput {
    /// What stops the outputs from being written.
    pub errors: Vec<Problem>,
    /// What is written anyway but deserves attention.
    pub warnings: Vec<Problem>,
    /// Facts worth knowing beside a field (who may shorten or extend the lifetime).
    pub notes: Vec<Problem>,
    /// The values written: defaults filled in.
    pub written: Written,
    /// `kubectl create token …`; empty while there are errors.
    pub kubectl_command: String,
    /// The TokenRequest object as JSON; empty while there are errors.
    pub request_json: String,
    /// The download's name for [`TokenOutput::request_json`].
    pub request_file_name: String,
    /// `curl` that posts the TokenRequest; empty while there are errors.
    pub request_curl: String,
    /// A Pod manifest with the projected token volume; empty while there are errors.
    pub pod_yaml: String,
    /// The download's name for [`TokenOutput::pod_yaml`].
    pub pod_file_name: String,
    /// `kubectl exec` into that Pod running `curl` with the projected token and CA; empty while
    /// there are errors.
    pub pod_curl: String,
    /// The claims such a token carries, unsigned; `None` while there are errors.
    pub preview: Option<Preview>,
}

/// Checks the form and, when nothing blocks it, writes every output and the preview as of
/// `now`.
pub fn build(form: &TokenForm, now: UnixSeconds) -> TokenOutput {
    let mut checks = Checks::new();

    for (field, value) in [
        (Field::ServiceAccount, form.service_account.as_str()),
        (Field::Namespace, form.namespace.as_str()),
        (Field::Duration, form.duration.as_str()),
        (Field::Audiences, form.audiences.as_str()),
        (Field::Issuer, form.issuer.as_str()),
        (Field::PodName, form.pod_name.as_str()),
        (Field::Image, form.image.as_str()),
        (Field::MountPath, form.mount_path.as_str()),
        (Field::TokenPath, form.token_path.as_str()),
        (Field::Server, form.server.as_str()),
        (Field::CaFile, form.ca_file.as_str()),
    ]
    .into_iter()
    .chain(form.bound.iter().flat_map(|b| {
        [
            (Field::BoundName, b.name.as_str()),
            (Field::BoundUid, b.uid.as_deref().unwrap_or_default()),
        ]
    })) {
        if value.len() > MAX_FIELD_BYTES {
            checks.error(field, field_too_long(&field, value.len(), MAX_FIELD_BYTES));
        }
    }
    if checks.has_errors() {
        // Each output repeats the values; a paste into the wrong field stops here.
        return TokenOutput {
            errors: checks.into_parts().0,
            ..TokenOutput::default()
        };
    }

    let service_account = form.service_account.trim().to_string();
    if service_account.is_empty() {
        checks.error(
            Field::ServiceAccount,
            "Service account is empty: name the ServiceAccount the token is for (`kubectl get \
             serviceaccounts -n NAMESPACE` lists them).",
        );
    } else if let Some(message) =
        name_error("Service account", DnsRule::Subdomain, &service_account)
    {
        checks.error(Field::ServiceAccount, message);
    }
    let namespace = form.namespace.trim().to_string();
    if namespace.is_empty() {
        checks.error(
            Field::Namespace,
            "Namespace is empty: the token request goes to the service account's namespace \
             (e.g. `default`).",
        );
    } else if let Some(message) = name_error("Namespace", DnsRule::Label, &namespace) {
        checks.error(Field::Namespace, message);
    }

    let duration_text = form.duration.trim().to_string();
    let expiration_seconds = match duration::token_seconds(&duration_text) {
        Ok(seconds) => seconds,
        Err(e) => {
            checks.error(Field::Duration, e.to_string());
            None
        }
    };

    let audiences = split_audiences(&form.audiences);
    for audience in &audiences {
        if let Some(c) = audience.chars().find(|c| hidden(*c)) {
            checks.error(
                Field::Audiences,
                format!(
                    "Audiences: an audience has a control or invisible character (U+{:04X}); \
                     the token's aud claim must match the receiver's name exactly.",
                    u32::from(c)
                ),
            );
            break;
        }
    }
    audience_shape_warnings(&audiences, &mut checks);
    let issuer = form.issuer.trim().to_string();
    if let Some(c) = issuer.chars().find(|c| hidden(*c) || c.is_whitespace()) {
        checks.error(
            Field::Issuer,
            format!(
                "API server issuer has white space or an invisible character (U+{:04X}): copy \
                 it again from the `iss` claim of a token the cluster issued.",
                u32::from(c)
            ),
        );
    } else if let Some(why) = crate::k8s::names::look_alikes(&issuer) {
        warn(
            &mut checks,
            Field::Issuer,
            format!("API server issuer {:?} {why}", brief(&issuer)),
        );
    }

    let bound = form.bound.as_ref().map(|b| BoundObject {
        kind: b.kind,
        name: b.name.trim().to_string(),
        uid: b
            .uid
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string),
    });
    if let Some(b) = &bound {
        check_bound(b, &mut checks);
    }

    let pod_name = match form.pod_name.trim() {
        "" => service_account.clone(),
        name => name.to_string(),
    };
    if !form.pod_name.trim().is_empty() {
        if let Some(message) = name_error("Pod name", DnsRule::Subdomain, &pod_name) {
            checks.error(Field::PodName, message);
        }
    }
    let image = match form.image.trim() {
        "" => DEFAULT_IMAGE.to_string(),
        image => image.to_string(),
    };
    if let Some(c) = image.chars().find(|c| hidden(*c) || c.is_whitespace()) {
        checks.error(
            Field::Image,
            format!(
                "Image has white space or a control character (U+{:04X}); an image reference \
                 is one word, e.g. registry.example.com/app:1.0.",
                u32::from(c)
            ),
        );
    }
    let mount_path = match form.mount_path.trim() {
        "" => DEFAULT_MOUNT_PATH.to_string(),
        path => path.trim_end_matches('/').to_string(),
    };
    check_mount_path(&mount_path, form.automount, &mut checks);
    let token_path = match form.token_path.trim() {
        "" => DEFAULT_TOKEN_PATH.to_string(),
        path => path.to_string(),
    };
    check_token_path(&token_path, &mut checks);
    let server = form.server.trim().trim_end_matches('/').to_string();
    check_server(&server, &mut checks);
    let ca_file = match form.ca_file.trim() {
        "" => DEFAULT_CA_FILE.to_string(),
        file => file.to_string(),
    };
    if let Some(c) = ca_file.chars().find(|c| hidden(*c)) {
        checks.error(
            Field::CaFile,
            format!(
                "CA file has a control or invisible character (U+{:04X}); give the path of \
                 the cluster's ca.crt.",
                u32::from(c)
            ),
        );
    }

    let written = Written {
        service_account,
        namespace,
        duration: duration_text,
        expiration_seconds,
        audiences,
        issuer,
        bound,
        pod_name,
        image,
        automount: form.automount,
        mount_path,
        token_path,
        server,
        ca_file,
    };
    lifetime_notes(&written, &mut checks);
    audience_warnings(&written, &mut checks);
    if written.automount {
        note(
            &mut checks,
            Field::Automount,
            "The Pod also gets the default token in /var/run/secrets/kubernetes.io/\
             serviceaccount (audience: the API server). Turn this off when the container only \
             needs the projected token: a token it does not need is one more to leak.",
        );
    }

    let (errors, found) = checks.into_parts();
    // The page shows warnings and notes apart, each as one sentence beside its field.
    let (mut warnings, mut notes) = (Vec::new(), Vec::new());
    for found in found {
        let list = match found.finding.level {
            Level::Info => &mut notes,
            Level::Warning | Level::Danger => &mut warnings,
        };
        list.push(Problem::new(found.field, found.finding.why));
    }
    let mut output = TokenOutput {
        errors,
        warnings,
        notes,
        request_file_name: format!("{}-tokenrequest.json", written.service_account),
        pod_file_name: format!("{}-pod.yaml", written.pod_name),
        written,
        ..TokenOutput::default()
    };
    if output.errors.is_empty() {
        let w = &output.written;
        output.kubectl_command = manifests::kubectl_command(w);
        output.request_json = manifests::request_json(w);
        output.request_curl = manifests::request_curl(w, &output.request_file_name);
        output.pod_yaml = manifests::pod_yaml(w);
        output.pod_curl = manifests::pod_curl(w);
        output.preview = Some(preview::preview(w, now));
    } else {
        output.request_file_name = String::new();
        output.pod_file_name = String::new();
    }
    output
}

/// Audiences as typed, one per line, trimmed, without empty lines or repeats.
///
/// An audience is taken whole: kubectl's `--audience` is a string-array flag read with
/// `StringArrayVar`, which never splits a value at commas, and the API server compares `aud`
/// exactly. So `a,b` is one audience with a comma in it, never two.
pub fn split_audiences(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in text.lines().map(str::trim) {
        if !item.is_empty() && !out.iter().any(|o| o == item) {
            out.push(item.to_string());
        }
    }
    out
}
