//! Troubleshoot against errors people really pasted: every sample in
//! `tests/fixtures/errors/` (copied from public issue threads, CI logs and docs, each with its
//! source in `manifest.json`) is read, and its diagnosis kind and the parts read are checked
//! against what the manifest says the paste means.
//!
//! One table-driven test, so the report names every sample read wrong at once, with the share
//! read right.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use tokenscope::troubleshoot::{self, guide, read, Diagnosis};

/// What one sample must read as, or why it did not.
fn check(text: &str, expect: &Value) -> Result<(), String> {
    let d = read(text);
    let mut problems = Vec::new();
    let kind = expect["kind"].as_str().unwrap();
    if d.title() != kind {
        problems.push(format!("kind {:?}, expected {kind:?}", d.title()));
    }
    let mut parts: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (label, value) in d.parts() {
        parts.entry(label).or_default().push(value);
    }
    if let Some(want) = expect.get("parts").and_then(Value::as_object) {
        for (label, value) in want {
            let got = parts.get(label.as_str()).map(|v| v.join(" | "));
            if got.as_deref() != value.as_str() {
                problems.push(format!("{label} = {got:?}, expected {value}"));
            }
        }
    }
    if let Some(rules) = expect.get("rules").and_then(Value::as_u64) {
        let got = parts.get("Rule not held").map_or(0, Vec::len) as u64;
        if got != rules {
            problems.push(format!("{got} rules read, expected {rules}"));
        }
    }
    let cause = guide(&d).cause.to_ascii_lowercase();
    for key in ["hint", "expects"] {
        if let Some(word) = expect.get(key).and_then(Value::as_str) {
            if !cause.contains(&word.to_ascii_lowercase()) {
                problems.push(format!("the cause does not say {word:?}: {cause}"));
            }
        }
    }
    if expect.get("no_fix").and_then(Value::as_bool) == Some(true) {
        if let Diagnosis::Forbidden(f) = &d {
            if troubleshoot::fix(f).is_ok() {
                problems.push("an RBAC fix is offered".to_string());
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn every_real_sample_is_read_right() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let samples = manifest["samples"].as_array().unwrap();
    let mut wrong = Vec::new();
    for sample in samples {
        let file = sample["file"].as_str().unwrap();
        let source = &sample["source"];
        assert!(
            source.get("url").is_some()
                || source.get("repo").is_some()
                || source.get("index").is_some(),
            "{file} has no source"
        );
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        if let Err(why) = check(&text, &sample["expect"]) {
            wrong.push(format!("{file}: {why}"));
        }
    }
    let right = samples.len() - wrong.len();
    println!(
        "read right: {right} of {} ({}%)",
        samples.len(),
        right * 100 / samples.len()
    );
    assert!(wrong.is_empty(), "read wrong:\n{}", wrong.join("\n"));
    // Every file in the folder is in the manifest, so no sample goes unchecked.
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        files,
        samples.len() + 1,
        "a file is missing from manifest.json"
    );
}

/// The diagnosis of one sample file.
fn sample(file: &str) -> Diagnosis {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/errors")
        .join(file);
    read(&std::fs::read_to_string(path).unwrap())
}

/// The advice points the right way: at the creator for an escalation, at the node's identity
/// (never RBAC) for a node, at the client's credential when a server reports it, at the
/// kubelet's trust of the API server for a kubelet's 401, and at the PyJWT 2 call for PyJWT.
#[test]
fn the_advice_points_the_right_way() {
    let d = sample("escalation-redis-operator-role.txt");
    let g = guide(&d);
    assert!(
        g.cause
            .contains("testuser tried to create or update the Role"),
        "{}",
        g.cause
    );
    assert!(!g.cause.contains("admission refused"), "{}", g.cause);
    assert!(
        g.steps.iter().any(|s| s.contains("escalate on that role")),
        "{:?}",
        g.steps
    );
    assert!(g
        .steps
        .iter()
        .any(|s| s.contains("give testuser the rules it grants")));
    let g = guide(&sample("escalation-wildcard-no-user.txt"));
    assert!(
        g.cause.contains("only a cluster admin should hand on"),
        "{}",
        g.cause
    );
    let binding = "escalation-cpd-scheduler-wrapped-status.txt";
    let Diagnosis::Escalation(e) = sample(binding) else {
        panic!("{binding}")
    };
    assert_eq!(e.rules[0].verbs, ["get", "list", "watch"]);
    let d = sample("escalation-kubermatic-operator-json.txt");
    let g = guide(&d);
    assert_eq!(
        g.commands,
        ["kubectl auth can-i --list --as=system:serviceaccount:kubermatic:kubermatic-operator"]
    );

    for file in [
        "node-no-relationship-kubelet-journal.txt",
        "node-unknown-node-empty-name.txt",
        "node-mismatched-name-kubesolo.txt",
        "node-kubectl-with-node-credentials-wrapped.txt",
    ] {
        let Diagnosis::Forbidden(f) = sample(file) else {
            panic!("{file}")
        };
        let no = troubleshoot::fix(&f).unwrap_err();
        assert!(no.why.contains("Node authorizer"), "{file}: {}", no.why);
        let g = guide(&Diagnosis::Forbidden(f));
        assert!(g.cause.contains("not by RBAC"), "{file}: {}", g.cause);
        assert!(
            !g.cause.contains("no RBAC rule bound"),
            "{file}: {}",
            g.cause
        );
        assert!(g.yaml.is_none(), "{file}");
    }
    let g = guide(&sample("node-unknown-node-empty-name.txt"));
    assert!(
        g.steps[0].contains("CN=system:node:NODE_NAME"),
        "{:?}",
        g.steps
    );
    let g = guide(&sample("node-mismatched-name-kubesolo.txt"));
    assert!(g.cause.contains("another node's object"), "{}", g.cause);
    let g = guide(&sample("node-kubectl-with-node-credentials-wrapped.txt"));
    assert!(g.cause.contains("admin's kubeconfig"), "{}", g.cause);

    for file in [
        "authn-metrics-server-requestheader-ca.txt",
        "authn-karmada-structured.txt",
        "authn-minikube-client-cert-expired.txt",
        "authn-tls-alert-expired-client-cert.txt",
    ] {
        let g = guide(&sample(file));
        assert!(
            g.cause
                .contains("not about the API server's own certificate"),
            "{file}"
        );
        assert!(!g.cause.contains("certificate-authority-data"), "{file}");
    }
    let g = guide(&sample("authn-metrics-server-requestheader-ca.txt"));
    assert!(g.cause.contains("front-proxy CA"), "{}", g.cause);

    let g = guide(&sample("kubelet-401-logs-kubeasz.txt"));
    assert!(
        g.cause.contains("Your own credentials were accepted"),
        "{}",
        g.cause
    );
    assert!(g.cause.contains("kubelet"), "{}", g.cause);

    for (file, word) in [
        ("pyjwt-algorithms-required.txt", "algorithms"),
        ("pyjwt-expired-traceback.txt", "kubectl create token"),
        ("pyjwt-invalid-audience-hue.txt", "audience="),
        ("pyjwt-invalid-signature-tutorial.txt", "kid"),
    ] {
        let g = guide(&sample(file));
        let text = format!("{} {}", g.cause, g.steps.join(" "));
        assert!(text.contains(word), "{file}: {text}");
        let code = g.commands.join("\n");
        assert!(code.contains("algorithms=[\"RS256\", \"ES256\"]"), "{code}");
        assert!(code.contains("audience="), "{code}");
        assert!(!code.contains("verify=False"), "{code}");
    }
}

/// A paste that repeats the new anchors up to the size limit, with and without line breaks
/// (which make the reader try again with lines joined), is read to an answer without a panic.
/// Its speed is measured by `scripts/bench`, not asserted here: a timed test depends on the
/// machine's load.
#[test]
fn hostile_pastes_of_the_new_forms_are_read() {
    for unit in [
        "is attempting to grant RBAC permissions not currently held:{APIGroups:[\"",
        "user \"a\" (groups=[\"b\" ",
        "Unable to authenticate the request x509: certificate signed by unknown authority ",
        "remote error: tls: certificate has expired\n",
        "Forbidden (user=a, verb=",
        "User \"a\" cannot get nodes at the cluster scope. (get nodes ",
        "ExpiredSignatureError\n",
        "You must be logged in to the server ( pods/log ",
        "forbidden: User \"a\n",
    ] {
        let text = unit.repeat(troubleshoot::MAX_INPUT_BYTES / unit.len());
        let _ = read(&text);
    }
}

/// The PyJWT 2 lines the page gives verify a real token against its JWKS with PyJWT 2 itself
/// (tools/venv's, from scripts/lib/setup.sh; without it this fails in CI and skips elsewhere).
#[test]
fn the_pyjwt_2_lines_verify_a_token() {
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/venv/bin/python3");
    let bin = if Path::new(venv).exists() {
        venv
    } else {
        "python3"
    };
    let has_pyjwt_2 = "import jwt; assert int(jwt.__version__.split('.')[0]) >= 2";
    if !common::tool(&[bin, "-c", has_pyjwt_2]) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("tokenscope-pyjwt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("jwks.json"), common::vector("minted/jwks.json")).unwrap();
    let code = guide(&sample("pyjwt-algorithms-required.txt"))
        .commands
        .join("\n");
    let out = std::process::Command::new(bin)
        .args(["-c", &format!("{code}\nprint(claims['sub'])")])
        .current_dir(&dir)
        .env("TOKEN", common::token("minted/token-bound-pod-rs256.jwt"))
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains("system:serviceaccount:demo:podgetter"),
        "{printed}"
    );
}

/// A real 403 cut short anywhere after its user is not guessed from: it says what it
/// expected, and never offers a fix.
#[test]
fn a_real_403_cut_short_says_what_it_expected() {
    let whole = "Error from server (Forbidden): nodes is forbidden: User \
        \"system:serviceaccount:argo:internal-kubectl\" cannot list resource \"nodes\" in API \
        group \"\" at the cluster scope";
    let user = whole.find("User").unwrap();
    for end in (user + 8..whole.len() - 20).step_by(7) {
        let cut = whole.get(..end).unwrap();
        let d = read(cut);
        let Diagnosis::NotRecognised(n) = &d else {
            panic!("read from {cut:?}: {d:?}")
        };
        assert!(
            matches!(n, troubleshoot::NotRecognised::CutShort { .. }),
            "{cut:?}: {n:?}"
        );
        assert!(guide(&d).cause.contains("Expected User"), "{cut:?}");
    }
}

/// A kubelet's routine request refused with no Node authorizer reason points at the API
/// server's authorizers; a request no kubelet makes points at a kubelet's kubeconfig in use.
#[test]
fn a_node_403_tells_a_missing_node_mode_from_a_borrowed_kubeconfig() {
    for file in [
        "node-old-form-handbook.txt",
        "node-minikube-services.txt",
        "node-csidrivers-hard-way.txt",
    ] {
        let g = guide(&sample(file));
        assert!(g.cause.contains("not among the API server's"), "{file}");
        assert!(
            g.steps[0].contains("--authorization-mode=Node,RBAC"),
            "{file}"
        );
    }
    for file in [
        "node-flannel-clusterroles.txt",
        "node-kubectl-with-node-credentials-wrapped.txt",
    ] {
        let g = guide(&sample(file));
        assert!(
            g.cause.contains("kubelet's kubeconfig"),
            "{file}: {}",
            g.cause
        );
    }
}
