//! Writing the kubeconfig as `kubectl config` does, the kubectl script that makes the same
//! file, the `curl` command that tries the token, and the download's file names.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{Map, Value};

use super::server::ServerUrl;
use super::{KubeconfigForm, KubeconfigOutput};
use crate::formats::shell::quote;

/// The kubeconfig as `kubectl config` writes it: keys in its (alphabetical) order.
pub(super) fn kubeconfig_value(form: &KubeconfigForm) -> Value {
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
pub(super) fn script(output: &KubeconfigOutput) -> String {
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
pub(super) fn curl(output: &KubeconfigOutput, url: &ServerUrl) -> String {
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
pub(super) fn ca_file_name(cluster_name: &str) -> String {
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
