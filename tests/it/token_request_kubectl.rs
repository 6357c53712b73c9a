//! `kubectl create token` and `kubectl apply` against the token-request builder: the flags
//! kubectl has, the TokenRequest it posts for every combination of them (recorded by a
//! stand-in API server), and the Pod manifest through kubectl's own types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;
use tokenscope::token_request::{self, manifests, BoundKind, BoundObject, TokenForm, TokenOutput};

const NOW: i64 = 1_700_000_000;

fn form() -> TokenForm {
    TokenForm {
        service_account: "app".into(),
        namespace: "demo".into(),
        ..TokenForm::default()
    }
}

fn bound(kind: BoundKind, name: &str, uid: Option<&str>) -> Option<BoundObject> {
    Some(BoundObject {
        kind,
        name: name.into(),
        uid: uid.map(str::to_string),
    })
}

fn build_ok(form: &TokenForm) -> TokenOutput {
    let out = token_request::build(form, NOW);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out
}

/// The flags every combination should print, written out independently of the builder.
fn expected_command(duration: &str, audiences: &[&str], bound: &Option<BoundObject>) -> String {
    let mut s = "kubectl create token app --namespace=demo".to_string();
    if !duration.is_empty() {
        s += &format!(" --duration={duration}");
    }
    for a in audiences {
        s += &format!(" --audience={}", tokenscope::formats::shell::quote(a));
    }
    if let Some(b) = bound {
        s += &format!(
            " --bound-object-kind={} --bound-object-name={}",
            b.kind.kind(),
            b.name
        );
        if let Some(uid) = &b.uid {
            s += &format!(" --bound-object-uid={uid}");
        }
    }
    s
}

const UID: &str = "0d4691ed-659b-4935-a832-355f77ee47cc";

fn combinations() -> Vec<(&'static str, Vec<&'static str>, Option<BoundObject>)> {
    let durations = ["", "10m", "1h30m"];
    let audiences: [Vec<&str>; 3] = [
        vec![],
        vec!["vault"],
        // kubectl takes each --audience whole (a string array): the comma stays in the one
        // audience it sends, as the form keeps it.
        vec![
            "https://kubernetes.default.svc",
            "it's\"odd$(x)",
            "vault,https://vault.example.com",
        ],
    ];
    let bounds = [
        None,
        bound(BoundKind::Pod, "web", None),
        bound(BoundKind::Pod, "web", Some(UID)),
        bound(BoundKind::Secret, "app-token", Some(UID)),
        bound(BoundKind::Node, "node-1", None),
    ];
    let mut out = Vec::new();
    for d in durations {
        for a in &audiences {
            for b in &bounds {
                out.push((d, a.clone(), b.clone()));
            }
        }
    }
    out
}

fn combination_form(duration: &str, audiences: &[&str], bound: &Option<BoundObject>) -> TokenForm {
    TokenForm {
        duration: duration.into(),
        audiences: audiences.join("\n"),
        bound: bound.clone(),
        ..form()
    }
}

#[test]
fn kubectl_command_has_exactly_the_flags_set() {
    for (d, a, b) in combinations() {
        let out = build_ok(&combination_form(d, &a, &b));
        assert_eq!(out.kubectl_command, expected_command(d, &a, &b));
    }
}

#[test]
fn kubectl_create_token_has_these_flags() {
    if !common::tool(&["kubectl", "version", "--client"]) {
        return;
    }
    let help = Command::new("kubectl")
        .args(["create", "token", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let flags: Vec<&str> = help
        .lines()
        .filter_map(|l| l.trim_start().split_once("--"))
        .filter_map(|(_, rest)| rest.split(['=', ':', ' ']).next())
        .collect();
    for flag in [
        "duration",
        "audience",
        "bound-object-kind",
        "bound-object-name",
        "bound-object-uid",
    ] {
        assert!(flags.contains(&flag), "--{flag} not in:\n{help}");
    }
    assert!(
        help.contains("Supported kinds are Node, Pod, Secret"),
        "{help}"
    );
    let options = Command::new("kubectl").arg("options").output().unwrap();
    assert!(String::from_utf8_lossy(&options.stdout).contains("--namespace="));
}

/// A stand-in for the API server's TokenRequest endpoint: it answers each POST with a token
/// and records the spec kubectl sent (decoded from kubectl's protobuf) as a line of JSON on
/// stderr. Field numbers are those of `k8s.io/api/authentication/v1/generated.proto`.
const STAND_IN: &str = r#"
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

def fields(buf):
    out, i = {}, 0
    def varint():
        nonlocal i
        shift = value = 0
        while True:
            b = buf[i]; i += 1
            value |= (b & 0x7F) << shift; shift += 7
            if b < 0x80: return value
    while i < len(buf):
        key = varint(); number, wire = key >> 3, key & 7
        if wire == 0: value = varint()
        elif wire == 2:
            n = varint(); value = buf[i:i + n]; i += n
        else: raise ValueError("wire type %d" % wire)
        out.setdefault(number, []).append(value)
    return out

def spec_of(body, content_type):
    if content_type.startswith("application/json"):
        spec = json.loads(body).get("spec", {})
        spec["audiences"] = spec.get("audiences") or []
        return spec
    assert body[:4] == b"k8s\x00"
    request = fields(fields(body[4:])[2][0])
    spec = fields(request.get(2, [b""])[0])
    out = {"audiences": [a.decode() for a in spec.get(1, [])]}
    if 4 in spec: out["expirationSeconds"] = spec[4][0]
    if 3 in spec:
        ref = fields(spec[3][0])
        names = ((1, "kind"), (2, "apiVersion"), (3, "name"), (4, "uid"))
        # Protobuf always carries uid; JSON leaves it out when empty (omitempty).
        out["boundObjectRef"] = {k: ref[n][0].decode() for n, k in names if n in ref and ref[n][0]}
    return out

class H(BaseHTTPRequestHandler):
    def reply(self, code, doc):
        data = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        spec = spec_of(body, self.headers.get("Content-Type", ""))
        sys.stderr.write(json.dumps({"path": self.path, "spec": spec}) + "\n"); sys.stderr.flush()
        self.reply(201, {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                         "spec": {}, "status": {"token": "stand-in",
                                                "expirationTimestamp": "2030-01-01T00:00:00Z"}})
    def do_GET(self):
        self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404})
    def log_message(self, *a): pass

server = HTTPServer(("127.0.0.1", 0), H)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// A server process that stops when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A throw-away home with a kubeconfig for `server` (http, no credentials that matter).
fn kube_home(server: &str) -> tempdir::Dir {
    let dir = tempdir::Dir::new();
    std::fs::write(
        dir.path.join("kubeconfig"),
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {{server: \"{server}\"}}\n  \
             name: fake\nusers:\n- name: u\n  user: {{token: unused}}\ncontexts:\n- context: \
             {{cluster: fake, user: u}}\n  name: fake\ncurrent-context: fake\n"
        ),
    )
    .unwrap();
    dir
}

mod tempdir {
    /// A directory under the system's temporary directory, removed when dropped.
    pub struct Dir {
        pub path: std::path::PathBuf,
    }

    impl Dir {
        pub fn new() -> Dir {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!(
                "tokenscope-token-request-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&path).unwrap();
            Dir { path }
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[test]
fn kubectl_posts_what_the_token_request_says() {
    if !common::tool(&["kubectl", "version", "--client"])
        || !common::tool(&["python3", "--version"])
    {
        return;
    }
    let mut child = Command::new("python3")
        .args(["-c", STAND_IN])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut port = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut port)
        .unwrap();
    let mut log = BufReader::new(child.stderr.take().unwrap());
    let _server = Server(child);
    let home = kube_home(&format!("http://127.0.0.1:{}", port.trim()));
    for (d, a, b) in combinations() {
        let out = build_ok(&combination_form(d, &a, &b));
        let ran = Command::new("bash")
            .args(["-c", &out.kubectl_command])
            .env("KUBECONFIG", home.path.join("kubeconfig"))
            .env("HOME", &home.path)
            .output()
            .unwrap();
        assert!(
            ran.status.success(),
            "{}: {}",
            out.kubectl_command,
            String::from_utf8_lossy(&ran.stderr)
        );
        let mut line = String::new();
        log.read_line(&mut line).unwrap();
        let sent: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(sent["path"], manifests::request_path(&out.written));
        let ours: Value = serde_json::from_str(&out.request_json).unwrap();
        assert_eq!(sent["spec"], ours["spec"], "{}", out.kubectl_command);
    }
}

/// Every value of `ours` is at the same place in `theirs`: what kubectl kept after decoding
/// into its own types, so no field of ours is misspelled or of the wrong type.
fn assert_within(ours: &Value, theirs: &Value, path: &str) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let there = b
                    .get(key)
                    .unwrap_or_else(|| panic!("kubectl dropped {path}.{key}"));
                assert_within(value, there, &format!("{path}.{key}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_within(x, y, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(ours, theirs, "{path}"),
    }
}

#[test]
fn kubectl_takes_the_pod_manifest() {
    if !common::tool(&["kubectl", "version", "--client"])
        || !common::tool(&["python3", "--version"])
    {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let discovery = format!("{}rbac/fake-discovery.py", common::VECTORS);
    let _server = Server(
        Command::new("python3")
            .args([discovery.as_str(), &port.to_string()])
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let home = kube_home(&format!("http://127.0.0.1:{port}"));
    let kubectl = |args: &[&str], stdin: &str| {
        for _ in 0..50 {
            let mut child = Command::new("kubectl")
                .args(args)
                .env("KUBECONFIG", home.path.join("kubeconfig"))
                .env("HOME", &home.path)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            if stderr.contains("connection refused") {
                // The stand-in is still starting.
                std::thread::sleep(std::time::Duration::from_millis(100));
                continue;
            }
            assert!(out.status.success(), "kubectl {args:?}: {stderr}");
            return String::from_utf8(out.stdout).unwrap();
        }
        panic!("the discovery stand-in never answered");
    };
    for form in [
        TokenForm {
            duration: "10m".into(),
            audiences: "vault".into(),
            image: "registry.example.com/app:1.0".into(),
            ..form()
        },
        TokenForm {
            automount: true,
            pod_name: "web-1".into(),
            ..form()
        },
    ] {
        let out = build_ok(&form);
        let applied = kubectl(
            &[
                "apply",
                "--dry-run=client",
                "--validate=false",
                "-o",
                "json",
                "-f",
                "-",
            ],
            &out.pod_yaml,
        );
        let applied: Value = serde_json::from_str(&applied).unwrap();
        assert_within(&manifests::pod_value(&out.written), &applied, "");
        // `kubectl run --overrides` decodes into the typed Pod and drops what it does not
        // know, so what survives shows every field is Kubernetes' own.
        let overrides = serde_json::to_string(&manifests::pod_value(&out.written)).unwrap();
        let typed = kubectl(
            &[
                "run",
                &out.written.pod_name,
                "--image",
                &out.written.image,
                "--namespace=demo",
                "--dry-run=client",
                "-o",
                "json",
                "--overrides",
                &overrides,
            ],
            "",
        );
        let typed: Value = serde_json::from_str(&typed).unwrap();
        assert_within(&manifests::pod_value(&out.written), &typed, "");
    }
}
