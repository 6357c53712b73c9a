//! Client snippets: values reach Python, Go and shell intact whatever they hold, every snippet
//! verifies TLS, the Python ones compile, the curl lines send what they say, and PyJWT 2's
//! unverified decode reads a real token.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

use tokenscope::kubeconfig::snippets::{self, ClientForm, Language, Snippet};
use tokenscope::kubeconfig::{self, KubeconfigForm};

const HOSTILE: &[&str] = &[
    "plain",
    "it's",
    "say \"hi\"",
    "back\\slash\\",
    "trailing\\",
    "line\nbreak",
    "carriage\rreturn",
    "tab\there",
    "nul\0byte",
    "del\u{7f}c1\u{85}",
    "bidi\u{202e}txt",
    "line\u{2028}separator",
    "tag\u{e0001}char",
    "emoji 🦀 and é",
    "$(touch /tmp/pwned) `id` ${HOME}",
    "\"\"\"triple",
    "{}%s%d",
];

fn form() -> ClientForm {
    ClientForm {
        server: "https://203.0.113.10:6443".into(),
        ca_file: "prod-ca.crt".into(),
        namespace: "demo".into(),
        kubeconfig_file: "prod-kubeconfig.yaml".into(),
        context: "app@prod".into(),
        pod: String::new(),
    }
}

/// The python scripts/lib/setup.sh provides: tools/venv's when there is one, else python3.
fn python_bin() -> String {
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/venv/bin/python3");
    if std::path::Path::new(venv).exists() {
        venv.to_string()
    } else {
        "python3".to_string()
    }
}

/// Runs `python -c program` with `input` on stdin; `None` when Python is missing.
fn python(program: &str, input: &str) -> Option<(bool, String, String)> {
    if !common::tool(&[&python_bin(), "--version"]) {
        return None;
    }
    let mut child = Command::new(python_bin())
        .args(["-c", program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Some((
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

#[test]
fn code_strings_read_back_exactly_in_python() {
    for text in HOSTILE {
        let literal = snippets::code_string(text);
        assert!(
            !literal.chars().any(|c| c.is_control()),
            "{literal:?} holds a control character"
        );
        assert!(!literal.contains('\u{202e}') && !literal.contains('\u{2028}'));
        let Some((ok, out, err)) = python(
            "import ast, json, sys; sys.stdout.write(json.dumps(ast.literal_eval(sys.stdin.read())))",
            &literal,
        ) else {
            return;
        };
        assert!(ok, "{literal}: {err}");
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(&back, text, "{literal}");
    }
}

#[test]
fn code_strings_use_escapes_go_reads_the_same() {
    // No Go toolchain is assumed: the escapes are the ones Go's spec gives the same meaning
    // as Python's (\\ \" \n \r \t \uXXXX \UXXXXXXXX), and nothing else follows a backslash.
    for text in HOSTILE {
        let literal = snippets::code_string(text);
        let mut chars = literal.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' {
                let next = chars.next().unwrap();
                assert!("\\\"nrtuU".contains(next), "{literal}: \\{next}");
            }
        }
    }
    assert_eq!(snippets::code_string("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
    assert_eq!(snippets::code_string("\0"), r#""\u0000""#);
    assert_eq!(snippets::code_string("\u{202e}"), r#""\u202e""#);
    assert_eq!(snippets::code_string("\u{e0001}"), r#""\U000e0001""#);
    assert_eq!(snippets::code_string("🦀é"), "\"🦀é\"");
}

#[test]
fn path_segments_stay_one_segment() {
    assert_eq!(snippets::path_segment("demo"), "demo");
    assert_eq!(snippets::path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
    assert_eq!(snippets::path_segment(".."), "%2E%2E");
    assert_eq!(snippets::path_segment("."), "%2E");
    assert_eq!(snippets::path_segment("a b"), "a%20b");
    assert_eq!(snippets::path_segment("é"), "%C3%A9");
    assert_eq!(snippets::path_segment("x-y.z_~"), "x-y.z_~");
}

fn python_snippets(all: &[Snippet]) -> Vec<&Snippet> {
    all.iter()
        .filter(|s| s.language == Language::Python)
        .collect()
}

#[test]
fn python_snippets_compile_with_any_values() {
    let mut forms = vec![form(), ClientForm::default()];
    for text in HOSTILE {
        forms.push(ClientForm {
            server: (*text).into(),
            ca_file: (*text).into(),
            namespace: (*text).into(),
            kubeconfig_file: (*text).into(),
            context: (*text).into(),
            pod: (*text).into(),
        });
    }
    let mut all = Vec::new();
    for f in &forms {
        all.extend(snippets::snippets(f));
    }
    all.push(snippets::pyjwt_decode());
    for snippet in python_snippets(&all) {
        let Some((ok, _, err)) = python(
            "import ast, sys; ast.parse(sys.stdin.read())",
            &snippet.code,
        ) else {
            return;
        };
        assert!(ok, "{}:\n{}\n{err}", snippet.id, snippet.code);
    }
}

#[test]
fn python_snippets_use_the_loaders_the_tutorials_need() {
    let all = snippets::snippets(&form());
    let code = |id: &str| {
        all.iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .code
            .clone()
    };
    let kubeconfig = code("python-kubeconfig");
    assert!(kubeconfig.contains("KUBECONFIG = \"prod-kubeconfig.yaml\"\n"));
    assert!(kubeconfig.contains("CONTEXT = \"app@prod\"\n"));
    assert!(kubeconfig.contains("config.load_kube_config(config_file=KUBECONFIG, context=CONTEXT)"));
    assert!(kubeconfig.contains("v1.list_namespaced_pod(NAMESPACE)"));
    assert!(kubeconfig.contains("v1.read_namespaced_pod(pods.items[0].metadata.name, NAMESPACE)"));
    let own = code("python-new-client");
    assert!(own
        .contains("api = config.new_client_from_config(config_file=KUBECONFIG, context=CONTEXT)"));
    assert!(own.contains("client.CoreV1Api(api)"));
    let in_cluster = code("python-in-cluster");
    assert!(in_cluster.contains("config.load_incluster_config()\n"));
    assert!(!in_cluster.contains("KUBECONFIG"));
    let go = code("go-kubeconfig");
    assert!(go.contains("clientcmd.BuildConfigFromFlags(\"\", \"prod-kubeconfig.yaml\")"));
    assert!(go.contains("Pods(\"demo\")"));
    assert!(code("go-in-cluster").contains("rest.InClusterConfig()"));
    // No context: the file's current one; a pod named: read it by name.
    let named = snippets::snippets(&ClientForm {
        context: String::new(),
        pod: "web-1".into(),
        ..form()
    });
    let kubeconfig = &named[0].code;
    assert!(kubeconfig.contains("config.load_kube_config(config_file=KUBECONFIG)\n"));
    assert!(!kubeconfig.contains("CONTEXT"));
    assert!(kubeconfig.contains("POD = \"web-1\"\n"));
    assert!(kubeconfig.contains("v1.read_namespaced_pod(POD, NAMESPACE)"));
    assert!(named[3].code.contains("pods.Get(context.TODO(), \"web-1\""));
    // The why of the in-cluster ones says the token file is re-read.
    for id in ["python-in-cluster", "go-in-cluster"] {
        let s = all.iter().find(|s| s.id == id).unwrap();
        assert!(s.why.contains("re-read"), "{id}: {}", s.why);
    }
}

#[test]
fn no_snippet_turns_tls_verification_off() {
    let mut all = snippets::snippets(&form());
    all.extend(snippets::snippets(&ClientForm::default()));
    all.push(snippets::pyjwt_decode());
    for snippet in &all {
        for line in snippet.code.lines() {
            let code = line.trim_start();
            if code.starts_with('#') || code.starts_with("//") {
                continue;
            }
            for bad in [
                "verify_ssl",
                "verify=False",
                "--insecure",
                " -k ",
                "Insecure",
                "CURLOPT_SSL_VERIFYPEER",
            ] {
                assert!(!code.contains(bad), "{}: {line}", snippet.id);
            }
        }
        assert!(snippet.code.ends_with('\n'), "{}", snippet.id);
        assert!(!snippet.why.is_empty());
    }
    let curl = all.iter().find(|s| s.id == "curl").unwrap();
    assert_eq!(curl.code.matches("--cacert prod-ca.crt ").count(), 4);
}

/// Runs a shell snippet with `curl` replaced by a function that prints each argument on its
/// own line, so the test sees exactly what curl would receive.
fn run_with_fake_curl(shell: &str, script: &str, token: Option<&str>) -> (bool, String, String) {
    let mut command = Command::new(shell);
    command.args([
        "-c",
        &format!("curl() {{ printf '[%s]\\n' \"$@\"; echo '#'; }}\n{script}"),
    ]);
    command.env_remove("TOKEN");
    if let Some(token) = token {
        command.env("TOKEN", token);
    }
    let out = command.output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn curl_lines_send_the_token_and_trust_the_ca() {
    if !common::tool(&["bash", "--version"]) {
        return;
    }
    let all = snippets::snippets(&ClientForm {
        namespace: "team a/..".into(),
        ca_file: "my ca.crt".into(),
        pod: "web?x".into(),
        ..form()
    });
    let curl = all.iter().find(|s| s.id == "curl").unwrap();
    // The same words in bash, POSIX sh and zsh (where installed).
    let shells: Vec<&str> = ["bash", "sh", "zsh"]
        .into_iter()
        .filter(|sh| Command::new(sh).args(["-c", "true"]).output().is_ok())
        .collect();
    let runs: Vec<_> = shells
        .iter()
        .map(|sh| run_with_fake_curl(sh, &curl.code, Some("a.b.c")))
        .collect();
    for (shell, run) in shells.iter().zip(&runs) {
        assert_eq!(run, &runs[0], "{shell} differs from bash");
    }
    let (ok, out, err) = runs[0].clone();
    assert!(ok, "{err}");
    let calls: Vec<Vec<&str>> = out
        .split("#\n")
        .filter(|c| !c.is_empty())
        .map(|c| {
            c.lines()
                .map(|l| l.strip_prefix('[').unwrap().strip_suffix(']').unwrap())
                .collect()
        })
        .collect();
    let base = "https://203.0.113.10:6443";
    let urls = [
        format!("{base}/api"),
        format!("{base}/version"),
        format!("{base}/api/v1/namespaces/team%20a%2F../pods"),
        format!("{base}/api/v1/namespaces/team%20a%2F../pods/web%3Fx"),
    ];
    assert_eq!(calls.len(), 4, "{out}");
    for (call, url) in calls.iter().zip(&urls) {
        assert_eq!(
            call,
            &[
                "--globoff",
                "--cacert",
                "my ca.crt",
                "-H",
                "Authorization: Bearer a.b.c",
                "--",
                url.as_str()
            ]
        );
    }
    // Without TOKEN it stops before sending "Bearer " alone.
    let (ok, out, err) = run_with_fake_curl("bash", &curl.code, None);
    assert!(!ok && out.is_empty(), "{out}");
    assert!(err.contains("set TOKEN"), "{err}");
    // In a pod: the mounted CA and token.
    let inside = all.iter().find(|s| s.id == "curl-in-cluster").unwrap();
    assert!(inside.code.contains("--cacert \"$SA/ca.crt\""));
    assert!(inside
        .code
        .contains("https://kubernetes.default.svc/api/v1/namespaces/"));
    let check = Command::new("bash")
        .args(["-n", "-c", &inside.code])
        .output()
        .unwrap();
    assert!(check.status.success());
}

#[test]
fn curl_trusts_the_system_cas_when_there_is_no_ca_file() {
    let all = snippets::snippets(&ClientForm {
        ca_file: String::new(),
        ..form()
    });
    let curl = all.iter().find(|s| s.id == "curl").unwrap();
    assert!(!curl.code.contains("--cacert"));
    assert!(curl.code.contains(
        "curl --globoff -H \"Authorization: Bearer $TOKEN\" -- https://203.0.113.10:6443/api\n"
    ));
}

#[test]
fn snippets_take_the_kubeconfig_pages_values() {
    let out = kubeconfig::build(
        &KubeconfigForm {
            cluster_name: "prod".into(),
            server: "https://203.0.113.10:6443".into(),
            ca: common::vector("minted/ca.crt"),
            user_name: "app".into(),
            token: common::token("minted/token-bound-pod-rs256.jwt"),
            namespace: "demo".into(),
            ..KubeconfigForm::default()
        },
        1_700_000_000,
    );
    let form = ClientForm::from_kubeconfig(&out);
    assert_eq!(
        form,
        ClientForm {
            server: "https://203.0.113.10:6443".into(),
            ca_file: "prod-ca.crt".into(),
            namespace: "demo".into(),
            kubeconfig_file: "prod-kubeconfig.yaml".into(),
            context: "app@prod".into(),
            pod: String::new(),
        }
    );
    // Without a CA in the kubeconfig there is no CA file to point curl at.
    let no_ca = kubeconfig::build(
        &KubeconfigForm {
            ca: String::new(),
            ..out.written.clone()
        },
        1_700_000_000,
    );
    assert_eq!(ClientForm::from_kubeconfig(&no_ca).ca_file, "");
}

#[test]
fn pyjwt_2_decodes_without_verifying() {
    let snippet = snippets::pyjwt_decode();
    assert!(snippet
        .code
        .contains("jwt.decode(token, options={\"verify_signature\": False})"));
    // scripts/lib/setup.sh installs PyJWT into tools/venv; without it this fails in CI and skips
    // elsewhere, with a note.
    let bin = python_bin();
    if !common::tool(&[
        bin.as_str(),
        "-c",
        "import jwt; assert int(jwt.__version__.split('.')[0]) >= 2",
    ]) {
        return;
    }
    let token = common::token("minted/token-bound-pod-rs256.jwt");
    let out = Command::new(python_bin())
        .args(["-c", &snippet.code])
        .env("TOKEN", &token)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let sub = format!(
        "'sub': 'system:serviceaccount:{}:{}'",
        common::fact("namespace"),
        common::fact("serviceaccount")
    );
    assert!(printed.contains(&sub), "{printed}");
    assert!(printed.contains(&common::fact("bound_pod")), "{printed}");
}

/// An HTTPS stand-in for the API server: it answers every GET with `{}` and writes
/// `path<TAB>Authorization` to stderr, one line per request.
const HTTPS_STAND_IN: &str = r#"
import ssl, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

class H(BaseHTTPRequestHandler):
    def do_GET(self):
        sys.stderr.write("%s\t%s\n" % (self.path, self.headers.get("Authorization")))
        sys.stderr.flush()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
    def log_message(self, *a): pass

server = HTTPServer(("127.0.0.1", 0), H)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// A throw-away CA and a certificate for 127.0.0.1 it signs, made with openssl.
const MAKE_CERTS: &str = r#"
set -e
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
  -out 'my ca.crt' -days 1 -subj /CN=snippets-test-ca 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key \
  -out server.csr -subj /CN=127.0.0.1 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > san.ext
openssl x509 -req -in server.csr -CA 'my ca.crt' -CAkey ca.key -CAcreateserial \
  -out server.crt -days 1 -extfile san.ext 2>/dev/null
"#;

#[test]
fn curl_lines_reach_an_https_server_that_only_the_ca_vouches_for() {
    use std::io::{BufRead, BufReader};
    if !common::tool(&["openssl", "version"])
        || !common::tool(&["curl", "--version"])
        || !common::tool(&["python3", "--version"])
    {
        return;
    }
    let dir = std::env::temp_dir().join(format!("tokenscope-snippets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    struct Cleanup(std::path::PathBuf, Option<std::process::Child>);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            if let Some(child) = &mut self.1 {
                let _ = child.kill();
                let _ = child.wait();
            }
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let mut cleanup = Cleanup(dir.clone(), None);
    let made = Command::new("bash")
        .args(["-c", MAKE_CERTS])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let mut child = Command::new("python3")
        .args(["-c", HTTPS_STAND_IN, "server.crt", "server.key"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut port = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut port)
        .unwrap();
    let mut log = BufReader::new(child.stderr.take().unwrap());
    cleanup.1 = Some(child);
    let run = |form: &ClientForm| {
        let all = snippets::snippets(form);
        let curl = all.iter().find(|s| s.id == "curl").unwrap();
        // -sS -f: quiet, but fail (and say why) on a TLS or HTTP error.
        let script = curl.code.replace("curl --globoff", "curl -sSf --globoff");
        Command::new("bash")
            .args(["-c", &script])
            .current_dir(&dir)
            .env("TOKEN", "a.b.c")
            .output()
            .unwrap()
    };
    let trusted = ClientForm {
        server: format!("https://127.0.0.1:{}", port.trim()),
        ca_file: "my ca.crt".into(),
        namespace: "demo".into(),
        pod: "web-1".into(),
        ..form()
    };
    let out = run(&trusted);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for path in [
        "/api",
        "/version",
        "/api/v1/namespaces/demo/pods",
        "/api/v1/namespaces/demo/pods/web-1",
    ] {
        let mut line = String::new();
        log.read_line(&mut line).unwrap();
        assert_eq!(line, format!("{path}\tBearer a.b.c\n"));
    }
    // Without the CA, curl refuses the server: verification is on, not skipped.
    let untrusted = run(&ClientForm {
        ca_file: String::new(),
        ..trusted
    });
    assert!(!untrusted.status.success());
    let why = String::from_utf8_lossy(&untrusted.stderr);
    assert!(why.contains("certificate"), "{why}");
}
