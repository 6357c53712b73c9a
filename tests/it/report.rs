//! Reports: each export of the fixtures holds none of the secrets of the Redact tests'
//! corpus when redacted, and holds them when not; Markdown shows pasted text as text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use serde_json::Value;
use tokenscope::access::{self, Query};
use tokenscope::share::report::{self, AccessReport, Export};
use tokenscope::{audit, redact, token::jwt};

const NOW: i64 = 1_795_417_200;

/// Whether `export` shows `secret` in either format, also with Markdown's escapes removed.
fn shows(export: &Export, secret: &str) -> bool {
    export.json.contains(secret)
        || export.markdown.contains(secret)
        || export.markdown.replace('\\', "").contains(secret)
}

/// The secrets of a token as the Redact tests name them: its payload and signature
/// segments, and every uid and `jti` in its claims.
fn secrets_of(token: &str) -> Vec<String> {
    let jwt = jwt::decode(token).unwrap();
    let mut out = vec![jwt.payload_b64.clone()];
    if !jwt.signature_b64.is_empty() {
        out.push(jwt.signature_b64.clone());
    }
    let mut stack: Vec<(&String, &Value)> = jwt.payload.iter().collect();
    while let Some((key, value)) = stack.pop() {
        match value {
            Value::Object(o) => stack.extend(o.iter()),
            Value::String(s) if redact::is_sensitive(key) && s.len() >= 8 => out.push(s.clone()),
            _ => {}
        }
    }
    out
}

fn corpus() -> Vec<String> {
    let mut out = vec![common::token("minted/token-bound-pod-rs256.jwt")];
    for dir in ["real/tokens/bound", "real/tokens/legacy"] {
        for entry in std::fs::read_dir(format!("{}{dir}", common::VECTORS)).unwrap() {
            out.push(
                std::fs::read_to_string(entry.unwrap().path())
                    .unwrap()
                    .trim()
                    .to_string(),
            );
        }
    }
    out
}

#[test]
fn the_inspect_export_hides_every_secret_when_redacted_and_shows_them_when_not() {
    let minted = common::token("minted/token-bound-pod-rs256.jwt");
    let minted_secrets = secrets_of(&minted);
    // The minted token's jti and every uid (service account, pod, node) are in the list.
    for fact in [
        common::fact("sa_uid"),
        "f0964b46-91b2-5c3c-972e-5f525e324b95".to_string(),
    ] {
        assert!(minted_secrets.contains(&fact), "{fact}");
    }
    for token in corpus() {
        let jwt = jwt::decode(&token).unwrap();
        let hidden = report::inspect(&jwt, NOW, true);
        let shown = report::inspect(&jwt, NOW, false);
        for secret in secrets_of(&token) {
            assert!(!shows(&hidden, &secret), "{secret} in\n{}", hidden.markdown);
            assert!(shows(&shown, &secret), "{secret} missing");
        }
        // What explains the token stays readable.
        let json: Value = serde_json::from_str(&hidden.json).unwrap();
        assert_eq!(json["redacted"], true);
        assert!(!json["claims"].as_array().unwrap().is_empty());
        assert!(hidden.markdown.contains("## Claims"));
        assert!(shown.markdown.contains(&token));
    }
}

#[test]
fn the_troubleshoot_export_scrubs_a_token_pasted_with_the_error() {
    let token = common::token("minted/token-bound-pod-rs256.jwt");
    let pasted = format!(
        "$ curl -k -H \"Authorization: Bearer {token}\" https://10.0.0.5:6443/api/v1/namespaces/capi-system/configmaps\n{}",
        common::vector("apierror/capi-default-list-configmaps.txt")
    );
    let hidden = report::troubleshoot(&pasted, true);
    let shown = report::troubleshoot(&pasted, false);
    for secret in secrets_of(&token) {
        if token.contains(&secret) {
            assert!(!shows(&hidden, &secret), "{secret}");
            assert!(shows(&shown, &secret), "{secret}");
        }
    }
    for export in [&hidden, &shown] {
        let json: Value = serde_json::from_str(&export.json).unwrap();
        assert_eq!(json["error"], "forbidden (403)");
        assert!(export
            .markdown
            .contains("system:serviceaccount:capi-system:default"));
        assert!(export.markdown.contains("## Steps"));
    }
    // A 401 whose message quotes a credential id.
    let unauthorized = "Unauthorized: token JTI=f0964b46-91b2-5c3c-972e-5f525e324b95 was rejected";
    let hidden = report::troubleshoot(unauthorized, true);
    assert!(!shows(&hidden, "f0964b46-91b2-5c3c-972e-5f525e324b95"));
    assert!(shows(
        &report::troubleshoot(unauthorized, false),
        "f0964b46-91b2-5c3c-972e-5f525e324b95"
    ));
}

#[test]
fn the_access_export_has_answer_rules_and_risks_and_hides_uids() {
    let uid = "36c8f0dd-02b2-4d40-b272-35ade876ae2e";
    let policy = format!(
        "{}---\n{}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: secrets-{uid}\nsubjects:\n- kind: User\n  name: jane\n  apiGroup: rbac.authorization.k8s.io\nroleRef:\n  kind: ClusterRole\n  name: secret-reader\n  apiGroup: rbac.authorization.k8s.io\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: secret-reader\nrules:\n- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  verbs: [\"get\", \"list\"]\n",
        common::vector("share/k8s-docs-simple-role.yaml"),
        common::vector("share/k8s-docs-simple-rolebinding-with-role.yaml"),
    );
    let policy = access::parse(&policy).unwrap();
    let subject = access::parse_subject("user:jane").unwrap();
    let effective = access::effective(&policy, &subject);
    let query = Query::parse("list", "pods", "default", "").unwrap();
    let answer = access::can_i(&policy, &subject, &query);
    assert!(answer.allowed);
    let input = AccessReport {
        subject: "user:jane",
        question: Some(("list pods -n default", &answer)),
        access: &effective,
    };
    let hidden = report::access(&input, true);
    let shown = report::access(&input, false);
    assert!(!shows(&hidden, uid));
    assert!(shows(&shown, uid));
    for export in [&hidden, &shown] {
        let json: Value = serde_json::from_str(&export.json).unwrap();
        assert_eq!(json["question"]["allowed"], true);
        assert!(!json["effective"].as_array().unwrap().is_empty());
        // Reading every Secret in the cluster is a risk the report names.
        assert!(
            !json["risks"].as_array().unwrap().is_empty(),
            "{}",
            export.json
        );
        assert!(export
            .markdown
            .contains("Effective rules in namespace default"));
        assert!(export.markdown.contains("## Risks"));
    }
}

#[test]
fn the_audit_export_never_holds_a_token_and_masks_names_when_redacted() {
    let dump = common::vector("real/secrets/argocd-manager-sa-token.secret.yaml");
    let audited = audit::read(&dump, NOW).unwrap();
    assert_eq!(audited.rows.len(), 1);
    let row = &audited.rows[0];
    let token = tokenscope::inspect::input::recognise(&dump)
        .unwrap()
        .candidates[0]
        .token
        .clone();
    let hidden = report::audit(&audited, true);
    let shown = report::audit(&audited, false);
    for secret in secrets_of(&token) {
        assert!(
            !shows(&hidden, &secret) && !shows(&shown, &secret),
            "{secret}"
        );
    }
    for name in [&row.name, &row.service_account] {
        assert!(!shows(&hidden, name), "{name}");
        assert!(shows(&shown, name), "{name}");
    }
    let json: Value = serde_json::from_str(&shown.json).unwrap();
    assert_eq!(json["summary"]["tokens"], 1);
    assert_eq!(json["rows"][0]["secret"], row.name.as_str());
}

#[test]
fn markdown_shows_pasted_text_as_text() {
    assert_eq!(
        report::inline("[click](javascript:x) <img src=x> | a\nb `c` *d*"),
        "\\[click\\]\\(javascript:x\\) &lt;img src=x&gt; \\| a b \\`c\\` \\*d\\*"
    );
    // A paste holding a code fence cannot close the report's.
    let export = report::troubleshoot("```\n# not a heading\n```", false);
    assert!(export
        .markdown
        .contains("````\n```\n# not a heading\n```\n````"));
}

#[test]
fn scrub_masks_tokens_uids_and_credential_ids_and_keeps_the_rest() {
    let token = common::token("minted/token-bound-pod-rs256.jwt");
    let text = format!("a {token} b a6ad7997-a1a0-561b-a846-c1c8f15bf9dd c JTI=abc-123456 d");
    let scrubbed = report::scrub(&text);
    assert!(!scrubbed.contains(&token[token.len() - 20..]));
    assert!(!scrubbed.contains("a6ad7997-a1a0-561b-a846-c1c8f15bf9dd"));
    assert!(!scrubbed.contains("abc-123456"));
    assert!(scrubbed.starts_with("a eyJ") && scrubbed.ends_with(" d"));
    let plain = "system:serviceaccount:demo:podgetter cannot list pods in \"default\"";
    assert_eq!(report::scrub(plain), plain);
}

#[test]
#[ignore = "prints one export, to read by eye"]
fn print_an_export() {
    let jwt = jwt::decode(&common::token("minted/token-bound-pod-rs256.jwt")).unwrap();
    let export = report::inspect(&jwt, NOW, true);
    println!("{}\n{}", export.markdown, export.json);
}
