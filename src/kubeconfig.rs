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
//! [`build`] takes `now` for the token-expiry warning; nothing here reads the clock.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::claims::{self, Claim};
use crate::error::{field_too_long, InputError};
use crate::finding::Level;
use crate::input::clean_token;
use crate::json::{named, text_of};
use crate::jwt::{self, MAX_INPUT_BYTES};
use crate::kube::MAX_FIELD_BYTES;
use crate::shell::quote;
use crate::time::{iso8601, relative, UnixSeconds};
use crate::x509;
use crate::{b64, yaml, yaml_write};

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

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Something to show beside one field: the rule and why it matters.
pub type Problem = crate::error::Problem<Field>;

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

/// Placeholders for the form's empty fields: what [`build`] will use for them.
pub fn defaults(form: &KubeconfigForm) -> Defaults {
    let claims = jwt::decode(&clean_token(&form.token).0)
        .ok()
        .map(|jwt| claims::read(&jwt.payload));
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

/// Checks the form and, when nothing blocks it, writes the kubeconfig and the commands.
pub fn build(form: &KubeconfigForm, now: UnixSeconds) -> KubeconfigOutput {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let defaults = defaults(form);

    let cluster = form.cluster_name.clone();
    let user = given(&form.user_name).map_or(defaults.user_name.clone(), str::to_string);
    let context = given(&form.context_name).map_or(defaults.context_name.clone(), str::to_string);
    check_name(Field::ClusterName, &cluster, &mut errors, &mut warnings);
    if given(&user).is_none() {
        errors.push(Problem::new(
            Field::UserName,
            "User name is empty, and the token does not name a service account to use instead. \
             Type the name kubectl should know these credentials by (the service account's \
             name, say).",
        ));
    } else {
        check_name(Field::UserName, &user, &mut errors, &mut warnings);
    }
    // An empty context name with an empty cluster or user name is already explained there.
    if given(&context).is_some() {
        check_name(Field::ContextName, &context, &mut errors, &mut warnings);
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
            errors.push(Problem::new(
                field,
                field_too_long(&field, value.len(), MAX_FIELD_BYTES),
            ));
        }
    }

    let server = form.server.trim();
    let url = match parse_server(server) {
        Ok(url) => Some(url),
        Err(message) => {
            errors.push(Problem::new(Field::Server, message));
            None
        }
    };
    let plain_http = url.as_ref().is_some_and(|u| !u.https);
    if plain_http {
        warnings.push(Problem::new(
            Field::Server,
            "http:// sends the token unencrypted: anyone on the network path can read it and act \
             as this service account. Use https:// unless this is a local proxy such as \
             `kubectl proxy` on 127.0.0.1.",
        ));
    }

    let ca_pem = check_ca(form, now, plain_http, &mut errors, &mut warnings);

    let tls_server_name = form.tls_server_name.trim();
    if !tls_server_name.is_empty() {
        if let Some(bad) = tls_server_name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '*')))
        {
            errors.push(Problem::new(
                Field::TlsServerName,
                format!(
                    "TLS server name must be a host name the server's certificate names (e.g. \
                     kubernetes.default.svc), without scheme, port or path; {bad:?} cannot be \
                     part of one."
                ),
            ));
        } else if plain_http {
            warnings.push(Problem::new(
                Field::TlsServerName,
                "TLS server name has no effect with an http:// server: there is no TLS.",
            ));
        }
    }

    let token = form.token.trim();
    check_token(token, now, &mut errors, &mut warnings);

    let namespace =
        given(&form.namespace).map_or(defaults.namespace.clone(), |n| n.trim().to_string());
    check_namespace(&namespace, &defaults, &mut errors, &mut warnings);

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

/// Rules for cluster, user and context names: kubectl stores any string, but some could
/// never be typed back on a command line.
fn check_name(field: Field, name: &str, errors: &mut Vec<Problem>, warnings: &mut Vec<Problem>) {
    let label = field.label();
    if given(name).is_none() {
        errors.push(Problem::new(
            field,
            format!("{label} is empty: kubectl refers to entries by name, so it needs one (e.g. `prod`)."),
        ));
        return;
    }
    if let Some((at, c)) = name.chars().enumerate().find(|(_, c)| c.is_control()) {
        errors.push(Problem::new(
            field,
            format!(
                "{label} has a line break or another control character (U+{:04X} at character \
                 {}): kubectl would store it, but nobody could type the name to select it.",
                u32::from(c),
                at + 1
            ),
        ));
    } else if name.starts_with('-') {
        errors.push(Problem::new(
            field,
            format!(
                "{label} starts with '-': kubectl would read the name as an option, so commands \
                 such as `kubectl config use-context` could never name it."
            ),
        ));
    }
    if name.trim() != name {
        warnings.push(Problem::new(
            field,
            format!(
                "{label} starts or ends with white space: kubectl keeps it as part of the name, so \
                 it must be typed with it (probably a copy-and-paste accident)."
            ),
        ));
    }
}

/// The parts of the server URL the commands need.
#[derive(Debug)]
struct ServerUrl {
    https: bool,
    /// As written, brackets included for IPv6.
    host: String,
    port: Option<u16>,
    /// Everything after the port: a path prefix such as `/k8s/clusters/c-1`, or nothing.
    path: String,
}

/// At most 60 characters of `text` for a message, with `…` when cut: a message that echoed a
/// megabyte-long paste stalled the browser laying it out as one unbreakable word.
fn brief(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or_default()).into(),
        None => text.into(),
    }
}

/// Checks the server URL: http or https, a host, an optional port and path; nothing else.
fn parse_server(server: &str) -> Result<ServerUrl, String> {
    const EXAMPLE: &str = "e.g. https://203.0.113.10:6443 (`kubectl cluster-info` prints it)";
    if server.is_empty() {
        return Err(format!(
            "Server URL is empty: give the API server's address, {EXAMPLE}."
        ));
    }
    if let Some(c) = server.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "Server URL contains white space or a control character ({c:?}): a URL has none. \
             Copy it again, {EXAMPLE}."
        ));
    }
    let Some((scheme, rest)) = server.split_once("://") else {
        return Err(format!(
            "Server URL has no scheme: kubectl needs https:// (or http://) in front, e.g. \
             https://{}.",
            brief(server)
        ));
    };
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => {
            return Err(format!(
                "Server URL starts with {}://, but the Kubernetes API speaks only https:// \
                 (or http://), {EXAMPLE}.",
                brief(scheme)
            ))
        }
    };
    if rest.contains(['?', '#']) {
        return Err(
            "Server URL has a query or fragment (?… or #…): an API server URL is a scheme, a \
             host, an optional port and an optional path, and client-go appends API paths to it."
                .to_string(),
        );
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(
            "Server URL has a user name or password in it (before '@'): credentials belong in \
             the user entry (the token), not in the URL, where they end up in logs."
                .to_string(),
        );
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((address, after)) = v6.split_once(']') else {
            return Err("Server URL has '[' without ']': write an IPv6 address as https://[2001:db8::1]:6443.".to_string());
        };
        if address.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!(
                "Server URL: [{}] is not an IPv6 address.",
                brief(address)
            ));
        }
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port),
            None if after.is_empty() => None,
            None => {
                return Err(format!(
                    "Server URL: unexpected {:?} after the IPv6 address.",
                    brief(after)
                ))
            }
        };
        (format!("[{address}]"), port)
    } else {
        // curl reads `[1-3]` and `{a,b}` in a URL as lists, and would send the token to every
        // host they spell; outside an IPv6 literal no host has them.
        if let Some(c) = authority.chars().find(|c| "[]{}".contains(*c)) {
            return Err(format!(
                "Server URL: the host {:?} contains {c:?}: curl would read [1-3] or {{a,b}} \
                 there as a list of hosts and send the token to each. Only an IPv6 address \
                 goes in brackets: https://[2001:db8::1]:6443.",
                brief(authority)
            ));
        }
        match authority.split_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err(format!("Server URL has no host, {EXAMPLE}."));
    }
    // Brackets and colons only come from an IPv6 literal, checked above.
    let v6 = host.starts_with('[');
    if let Some(c) = host.chars().find(|c| {
        !(c.is_ascii_alphanumeric()
            || matches!(c, '.' | '-' | '_')
            || (v6 && matches!(c, '[' | ']' | ':')))
    }) {
        let hint = if c.is_ascii() {
            String::new()
        } else {
            " Write an international name in its xn-- (punycode) form.".to_string()
        };
        return Err(format!(
            "Server URL: the host {:?} contains {c:?}, which no host name has.{hint}",
            brief(&host)
        ));
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.chars().all(|c| c.is_ascii_digit()) => Some(n),
            _ => {
                return Err(format!(
                    "Server URL: the port {p:?} is not a number from 1 to 65535 (the API server \
                     usually listens on 6443 or 443)."
                ))
            }
        },
    };
    Ok(ServerUrl {
        https,
        host,
        port,
        path: path.trim_end_matches('/').to_string(),
    })
}

/// The CA as canonical PEM text, or `None` when it is left out.
fn check_ca(
    form: &KubeconfigForm,
    now: UnixSeconds,
    plain_http: bool,
    errors: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Option<String> {
    let has_ca = given(&form.ca).is_some();
    if form.skip_tls_verify {
        let mut message = String::from(
            "TLS VERIFICATION IS OFF. kubectl will accept any certificate, so anyone between you \
             and the API server can pose as it and take this token.",
        );
        if has_ca {
            message.push_str(
                " The CA certificate you gave is LEFT OUT: kubectl refuses a cluster that has \
                 both (\"specifying a root certificates file with the insecure flag is not \
                 allowed\"). Untick this box to keep the CA and verify the server instead.",
            );
        } else {
            message.push_str(
                " Paste the cluster's CA instead (ca.crt from the token's Secret, or \
                 certificate-authority-data from an admin's kubeconfig) and untick this box.",
            );
        }
        warnings.push(Problem::new(Field::SkipTlsVerify, message));
        return None;
    }
    if !has_ca {
        if !plain_http {
            warnings.push(Problem::new(
                Field::Ca,
                "No CA certificate: kubectl will check the server against the system's trusted \
                 CAs only. That works for clusters with publicly trusted certificates, but most \
                 clusters have their own CA: paste ca.crt (from the token's Secret) or \
                 certificate-authority-data.",
            ));
        }
        return None;
    }
    let bundle = match x509::parse_bundle(&form.ca) {
        Ok(bundle) => bundle,
        Err(e) => {
            errors.push(Problem::new(Field::Ca, format!("CA certificate: {e}.")));
            return None;
        }
    };
    for skipped in &bundle.problems {
        warnings.push(Problem::new(
            Field::Ca,
            format!("CA certificate: {skipped}; only the certificates are written."),
        ));
    }
    for report in x509::summarise(&bundle.certs, now).certs {
        for finding in report.findings.into_iter().map(|f| f.finding) {
            if finding.level == Level::Danger {
                warnings.push(Problem::new(
                    Field::Ca,
                    format!("{}: {}. {}", report.title, finding.title, finding.why),
                ));
            }
        }
    }
    Some(bundle.certs.iter().map(|c| pem(&c.der)).collect())
}

/// One certificate as PEM with 64-character lines, as OpenSSL and kubeadm write `ca.crt`.
fn pem(der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    let mut line = String::with_capacity(65);
    for c in body.chars() {
        line.push(c);
        if line.len() == 64 {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

fn check_token(
    token: &str,
    now: UnixSeconds,
    errors: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) {
    if token.is_empty() {
        errors.push(Problem::new(
            Field::Token,
            "Token is empty: paste the service account's token (`kubectl create token NAME`, or \
             the decoded data.token of its Secret).",
        ));
        return;
    }
    // Written three times over (kubeconfig, script, curl), a huge paste would stall the page.
    if token.len() > MAX_INPUT_BYTES {
        errors.push(Problem::new(
            Field::Token,
            format!(
                "Token is {} KiB; tokens are accepted up to {} KiB (a service-account token is \
                 about 1 KiB). Paste just the token.",
                token.len() / 1024,
                MAX_INPUT_BYTES / 1024
            ),
        ));
        return;
    }
    // The token is printed inside the kubectl and curl commands, and a terminal acts on
    // control characters as they are pasted, quotes or not: ^U erases the line typed so far
    // (and what follows it runs on its own), ESC[201~ ends bracketed paste. Invisible ones
    // would hide in plain sight. No token has either, so refuse them as names are refused.
    let hidden = token
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() || yaml_write::invisible(*c));
    if let Some((at, c)) = hidden {
        let message = if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            format!(
                "Token has a line break inside (U+{:04X} at character {}): it was probably \
                 wrapped when copied, and the API server would refuse it. Remove the line \
                 breaks.",
                u32::from(c),
                at + 1
            )
        } else {
            format!(
                "Token has a control or invisible character (U+{:04X} at character {}): no \
                 token has one, and in the printed commands it would act on the terminal \
                 (U+0015 erases the line typed so far). Copy the token again.",
                u32::from(c),
                at + 1
            )
        };
        errors.push(Problem::new(Field::Token, message));
        return;
    }
    let odd = token
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_graphic());
    if let Some((at, c)) = odd {
        let starts_bearer = token
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("bearer "));
        let message = if starts_bearer {
            "Token starts with \"Bearer \": kubectl adds that itself, so the server would see it \
             twice and refuse the token. Remove it."
                .to_string()
        } else if c.is_whitespace() {
            format!(
                "Token has white space inside ({c:?} at character {}): a token never does, so it \
                 was probably wrapped when copied, and the API server will refuse it. Remove the \
                 line breaks and spaces.",
                at + 1
            )
        } else {
            format!(
                "Token contains {c:?} at character {}, which cannot travel in an HTTP header: the \
                 API server will never see this token as typed.",
                at + 1
            )
        };
        warnings.push(Problem::new(Field::Token, message));
        return;
    }
    match jwt::decode(token) {
        Err(e) => warnings.push(Problem::new(
            Field::Token,
            format!(
                "Token is not a JWT: {e} That is fine for a static or bootstrap token, but a \
                 service-account token is always a JWT: check that it was copied whole."
            ),
        )),
        Ok(jwt) => {
            if let Claim::Present(exp) = claims::time_claim(&jwt.payload, "exp") {
                if exp <= now {
                    warnings.push(Problem::new(
                        Field::Token,
                        format!(
                            "Token expired {} ({}): the API server will refuse it. Make a new \
                             one with `kubectl create token NAME --duration=…`.",
                            relative(exp, now),
                            iso8601(exp)
                        ),
                    ));
                }
            }
            if let Claim::Present(nbf) = claims::time_claim(&jwt.payload, "nbf") {
                if nbf > now {
                    warnings.push(Problem::new(
                        Field::Token,
                        format!(
                            "Token is not valid yet: it starts {} ({}). The API server refuses \
                             it until then (or this computer's clock is behind).",
                            relative(nbf, now),
                            iso8601(nbf)
                        ),
                    ));
                }
            }
        }
    }
}

/// A namespace must be a DNS label (RFC 1123), or the API server rejects every request in it.
fn check_namespace(
    namespace: &str,
    defaults: &Defaults,
    errors: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) {
    if namespace.is_empty() {
        return;
    }
    let valid = namespace.len() <= 63
        && namespace
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !namespace.starts_with('-')
        && !namespace.ends_with('-');
    if !valid {
        errors.push(Problem::new(
            Field::Namespace,
            format!(
                "Namespace {:?} is not a valid namespace name: Kubernetes allows only \
                 lower-case letters, digits and '-', at most 63 characters, starting and ending \
                 with a letter or digit, and rejects requests to any other.",
                brief(namespace)
            ),
        ));
    } else if !defaults.namespace.is_empty() && defaults.namespace != namespace {
        warnings.push(Problem::new(
            Field::Namespace,
            format!(
                "The token's service account lives in namespace {:?}; in {:?} it can do \
                 only what RoleBindings there grant it.",
                brief(&defaults.namespace),
                brief(namespace)
            ),
        ));
    }
}

/// The kubeconfig as `kubectl config` writes it: keys in its (alphabetical) order.
fn kubeconfig_value(form: &KubeconfigForm) -> Value {
    let mut cluster = Map::new();
    if !form.ca.is_empty() {
        cluster.insert(
            "certificate-authority-data".into(),
            STANDARD.encode(form.ca.as_bytes()).into(),
        );
    }
    if form.skip_tls_verify {
        cluster.insert("insecure-skip-tls-verify".into(), true.into());
    }
    cluster.insert("server".into(), form.server.clone().into());
    if !form.tls_server_name.is_empty() {
        cluster.insert(
            "tls-server-name".into(),
            form.tls_server_name.clone().into(),
        );
    }
    let mut context = Map::new();
    context.insert("cluster".into(), form.cluster_name.clone().into());
    if !form.namespace.is_empty() {
        context.insert("namespace".into(), form.namespace.clone().into());
    }
    context.insert("user".into(), form.user_name.clone().into());
    let named = |first: (&str, Value), second: (&str, Value)| {
        let mut entry = Map::new();
        entry.insert(first.0.into(), first.1);
        entry.insert(second.0.into(), second.1);
        Value::Array(vec![Value::Object(entry)])
    };
    let mut user = Map::new();
    user.insert("token".into(), form.token.clone().into());
    let mut doc = Map::new();
    doc.insert("apiVersion".into(), "v1".into());
    doc.insert(
        "clusters".into(),
        named(
            ("cluster", cluster.into()),
            ("name", form.cluster_name.clone().into()),
        ),
    );
    doc.insert(
        "contexts".into(),
        named(
            ("context", context.into()),
            ("name", form.context_name.clone().into()),
        ),
    );
    doc.insert("current-context".into(), form.context_name.clone().into());
    doc.insert("kind".into(), "Config".into());
    doc.insert("preferences".into(), Value::Object(Map::new()));
    doc.insert(
        "users".into(),
        named(
            ("name", form.user_name.clone().into()),
            ("user", user.into()),
        ),
    );
    Value::Object(doc)
}

/// A bash script that makes the same file with `kubectl config`.
fn script(output: &KubeconfigOutput) -> String {
    let form = &output.written;
    let mut s = String::new();
    s.push_str("#!/usr/bin/env bash\n");
    s.push_str(&format!(
        "# Writes ./{} with kubectl. It holds the token: delete this script after running it.\n",
        output.file_name
    ));
    s.push_str("set -euo pipefail\n");
    s.push_str(&format!("export KUBECONFIG=./{}\n", output.file_name));
    // kubectl merges into an existing file instead of replacing it: refuse to touch one.
    s.push_str("if [ -e \"$KUBECONFIG\" ]; then\n");
    s.push_str("  echo \"$KUBECONFIG already exists; move it away first.\" >&2\n");
    s.push_str("  exit 1\nfi\n");
    let mut cluster_flags = format!("--server={}", quote(&form.server));
    if form.skip_tls_verify {
        cluster_flags.push_str(" --insecure-skip-tls-verify=true");
    } else if !form.ca.is_empty() {
        // A quoted delimiter: nothing in the here-document is expanded. PEM lines are
        // base64 and dashes, so none of them can be `EOF`.
        s.push_str(&format!("cat > {} <<'EOF'\n", output.ca_file_name));
        s.push_str(&form.ca);
        s.push_str("EOF\n");
        cluster_flags.push_str(&format!(
            " --certificate-authority={} --embed-certs=true",
            output.ca_file_name
        ));
    }
    if !form.tls_server_name.is_empty() {
        cluster_flags.push_str(&format!(
            " --tls-server-name={}",
            quote(&form.tls_server_name)
        ));
    }
    s.push_str(&format!(
        "kubectl config set-cluster {} {cluster_flags}\n",
        quote(&form.cluster_name)
    ));
    s.push_str(&format!(
        "kubectl config set-credentials {} --token={}\n",
        quote(&form.user_name),
        quote(&form.token)
    ));
    let mut context_flags = format!(
        "--cluster={} --user={}",
        quote(&form.cluster_name),
        quote(&form.user_name)
    );
    if !form.namespace.is_empty() {
        context_flags.push_str(&format!(" --namespace={}", quote(&form.namespace)));
    }
    s.push_str(&format!(
        "kubectl config set-context {} {context_flags}\n",
        quote(&form.context_name)
    ));
    s.push_str(&format!(
        "kubectl config use-context {}\n",
        quote(&form.context_name)
    ));
    s.push_str(&format!(
        "echo \"Wrote $KUBECONFIG. Try: {}\"\n",
        output.can_i_command
    ));
    s
}

/// `curl` against `/api` with the token: the smallest request that shows whether the server
/// accepts it (401 if not) without needing any RBAC permission.
fn curl(output: &KubeconfigOutput, url: &ServerUrl) -> String {
    let form = &output.written;
    let scheme = if url.https { "https" } else { "http" };
    let default_port = if url.https { 443 } else { 80 };
    let port = url.port.unwrap_or(default_port);
    let mut host = url.host.clone();
    let mut flags = Vec::new();
    if url.https {
        if form.skip_tls_verify {
            flags.push("--insecure".to_string());
        } else if !form.ca.is_empty() {
            flags.push(format!("--cacert {}", output.ca_file_name));
        }
        // curl has no option to expect another name in the certificate; connecting to the
        // real host while asking for the TLS name does the same.
        if !form.tls_server_name.is_empty() {
            flags.push(format!(
                "--connect-to {}",
                quote(&format!(
                    "{}:{port}:{}:{port}",
                    form.tls_server_name, url.host
                ))
            ));
            host = form.tls_server_name.clone();
        }
    }
    let port_text = url.port.map(|p| format!(":{p}")).unwrap_or_default();
    let target = format!("{scheme}://{host}{port_text}{}/api", url.path);
    let header = format!("Authorization: Bearer {}", form.token);
    flags.push(format!("-H {}", quote(&header)));
    // --globoff: `[…]` and `{…}` in a URL are curl's lists of URLs; here they are just text.
    format!("curl --globoff {} {}", flags.join(" "), quote(&target))
}

/// The download's name: `<cluster>-kubeconfig.yaml` with anything outside `[A-Za-z0-9._-]`
/// turned into `-`, or `kubeconfig.yaml` when nothing usable is left.
pub fn file_name(cluster_name: &str) -> String {
    match stem(cluster_name) {
        Some(stem) => format!("{stem}-kubeconfig.yaml"),
        None => "kubeconfig.yaml".to_string(),
    }
}

/// Where the script writes the CA: `<cluster>-ca.crt`, so two clusters' CAs never collide.
fn ca_file_name(cluster_name: &str) -> String {
    match stem(cluster_name) {
        Some(stem) => format!("{stem}-ca.crt"),
        None => "ca.crt".to_string(),
    }
}

/// The cluster name reduced to safe file-name characters: no leading `.` (a hidden file) or
/// `-` (read as an option), runs of replaced characters collapsed, at most 64 characters.
fn stem(cluster_name: &str) -> Option<String> {
    let mut out = String::new();
    for c in cluster_name.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    let trim = |s: &str| s.trim_matches(['-', '.']).to_string();
    let short: String = trim(&out).chars().take(64).collect();
    let stem = trim(&short);
    (!stem.is_empty()).then_some(stem)
}

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
    Parse(InputError),
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
            LoadError::Parse(e) => e.fmt(f),
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
