//! Every command the page prints is safe to paste: a value from a form or a paste that looks
//! like an option (`--all`, `-n`, `--server=http://x`) is refused by the builder with a reason,
//! or lands where no program reads it as one: after `--`, glued to its flag (`--flag=value`),
//! or as the argument of an option that takes one (`--namespace VALUE`).
//!
//! Each builder is driven with such values in each field, and its shell output is split into
//! words the way a POSIX shell splits them, so the check sees what kubectl, curl, gcloud and az
//! would see. Activity prints manifests, not commands.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use serde_json::{json, Value};
use tokenscope::audit;
use tokenscope::inspect::cloud;
use tokenscope::kubeconfig::snippets::{self, ClientForm, Language};
use tokenscope::kubeconfig::{self, KubeconfigForm};
use tokenscope::rbac::{self, RbacForm, RuleRow, Scope, SubjectKind};
use tokenscope::token::jwt;
use tokenscope::token_request::{self, BoundKind, BoundObject, TokenForm};
use tokenscope::troubleshoot::unauthorized;
use tokenscope::troubleshoot::{self, Diagnosis};

/// Values a hostile paste or a careless user could put where a name goes.
const HOSTILE: [&str; 6] = [
    "--all",
    "-n",
    "--server=http://x",
    "--as=system:admin",
    "-oyaml",
    "-",
];

const NOW: i64 = 1_795_416_846; // 2026-11-23T06:54:06Z

/// The options our builders write themselves: any other word starting with `-` in an option's
/// place came from input.
const OWN_FLAGS: [&str; 49] = [
    "-d",
    "--namespace",
    "--duration",
    "--audience",
    "--bound-object-kind",
    "--bound-object-name",
    "--bound-object-uid",
    "--globoff",
    "--cacert",
    "-H",
    "--data-binary",
    "--label-columns",
    "--server",
    "--insecure-skip-tls-verify",
    "--certificate-authority",
    "--embed-certs",
    "--tls-server-name",
    "--token",
    "--cluster",
    "--user",
    "--kubeconfig",
    "--list",
    "--as",
    "--verb",
    "--resource",
    "--resource-name",
    "--non-resource-url",
    "--role",
    "--clusterrole",
    "--serviceaccount",
    "-f",
    "-e",
    "-euo",
    "--insecure",
    "--connect-to",
    "--member",
    "--name",
    "--identity-name",
    "--resource-group",
    "--issuer",
    "--subject",
    "-c",
    "-sSf",
    "--url",
    "-o",
    "--dry-run",
    "--user",
    "--group",
    "--as-group",
];

/// Options whose value is the next word, whatever it starts with (kubectl's pflag, curl, sh,
/// and the Azure CLI for the placeholders we write).
const TAKES_VALUE: [&str; 12] = [
    "--namespace",
    "--cacert",
    "-H",
    "--connect-to",
    "--duration",
    "--label-columns",
    "--data-binary",
    "-c",
    "--kubeconfig",
    "-f",
    "--name",
    "--identity-name",
];

/// One shell command: its words, unquoted.
type Command = Vec<String>;

/// `script` as a POSIX shell splits it into commands and words, far enough for what we print:
/// quotes (`'…'`, `"…"`, `$'…'`), backslashes, comments, line continuations, `;`, `|`, `&&`,
/// redirections, and here-documents (whose bodies are data, skipped).
fn commands(script: &str) -> Vec<Command> {
    let mut out = Vec::new();
    let mut current: Command = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut heredoc: Option<String> = None;
    for line in script.lines() {
        if let Some(end) = &heredoc {
            if line == end {
                heredoc = None;
            }
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '\'' => {
                    in_word = true;
                    i += 1;
                    while i < chars.len() && chars[i] != '\'' {
                        word.push(chars[i]);
                        i += 1;
                    }
                }
                '$' if chars.get(i + 1) == Some(&'\'') => {
                    in_word = true;
                    i += 2;
                    while i < chars.len() && chars[i] != '\'' {
                        if chars[i] == '\\' {
                            i += 1;
                        }
                        if let Some(&c) = chars.get(i) {
                            word.push(c);
                        }
                        i += 1;
                    }
                }
                '"' => {
                    in_word = true;
                    i += 1;
                    while i < chars.len() && chars[i] != '"' {
                        if chars[i] == '\\' && matches!(chars.get(i + 1), Some('"' | '\\' | '$')) {
                            i += 1;
                        }
                        word.push(chars[i]);
                        i += 1;
                    }
                }
                '\\' if i + 1 == chars.len() => {} // a line continuation
                '\\' => {
                    in_word = true;
                    i += 1;
                    if let Some(&c) = chars.get(i) {
                        word.push(c);
                    }
                }
                '#' if !in_word => break,
                ' ' | '\t' => {
                    if in_word {
                        current.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                ';' | '|' | '&' | '>' | '<' => {
                    if in_word {
                        current.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                    if c == '<' && chars.get(i + 1) == Some(&'<') {
                        let rest: String = chars[i + 2..].iter().collect();
                        let end = rest.trim().trim_matches('\'').to_string();
                        heredoc = Some(end);
                        i = chars.len();
                        continue;
                    }
                    if matches!(c, '>' | '<') {
                        // The redirection's target is a file name, not an argument.
                        i += 1;
                        while i < chars.len() && matches!(chars[i], '&' | ' ' | '>') {
                            i += 1;
                        }
                        while i < chars.len() && chars[i] != ' ' {
                            i += 1;
                        }
                        continue;
                    }
                    if !current.is_empty() {
                        out.push(std::mem::take(&mut current));
                    }
                }
                c => {
                    in_word = true;
                    word.push(c);
                }
            }
            i += 1;
        }
        if line.ends_with('\\') && !line.ends_with("\\\\") {
            continue;
        }
        if in_word {
            current.push(std::mem::take(&mut word));
            in_word = false;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Every word of `script` in an option's place is one of ours, and none is (or starts with) a
/// hostile value: input reaches a command only after `--`, after `=`, or as an option's value.
fn assert_safe(script: &str, what: &str) {
    let commands = commands(script);
    assert!(
        script.trim().is_empty() || !commands.is_empty() || script.trim_start().starts_with('#'),
        "{what}: no command read in {script}"
    );
    for command in commands {
        let mut words = command.iter().skip(1);
        while let Some(word) = words.next() {
            if word == "--" {
                break;
            }
            if !word.starts_with('-') || word == "-" {
                continue;
            }
            let name = word.split('=').next().unwrap_or(word);
            assert!(
                OWN_FLAGS.contains(&name),
                "{what}: {word:?} is read as an option in {command:?}\n{script}"
            );
            for hostile in HOSTILE.iter().filter(|h| h.len() > 1) {
                assert!(
                    !word.starts_with(hostile),
                    "{what}: {word:?} is read as an option in {command:?}\n{script}"
                );
            }
            if TAKES_VALUE.contains(&word.as_str()) {
                words.next();
            }
        }
    }
}

/// The parser reads what we print as a shell would.
#[test]
fn the_word_splitter_reads_like_a_shell() {
    let script = "#!/usr/bin/env bash\nset -euo pipefail\nkubectl get x --namespace 'a b' -- '--all' # c\ncat > f <<'EOF'\n- not: a command\nEOF\ncurl -H \"A: $B\" $'x\\'y' \\\n  --url z | sh -c 'q'\n";
    let got = commands(script);
    assert_eq!(
        got,
        vec![
            vec!["set", "-euo", "pipefail"],
            vec!["kubectl", "get", "x", "--namespace", "a b", "--", "--all"],
            vec!["cat"],
            vec!["curl", "-H", "A: $B", "x'y", "--url", "z"],
            vec!["sh", "-c", "q"],
        ]
    );
    assert_safe(script, "sample");
    let unsafe_script = "kubectl delete secret --all --namespace prod\n";
    assert!(std::panic::catch_unwind(|| assert_safe(unsafe_script, "unsafe")).is_err());
}

fn secret(ns: &str, name: &str, sa: &str) -> Value {
    let token = common::mint(
        r#"{"alg":"RS256","kid":"k1"}"#,
        &json!({
            "iss": "kubernetes/serviceaccount",
            "kubernetes.io/serviceaccount/namespace": ns,
            "kubernetes.io/serviceaccount/secret.name": name,
            "kubernetes.io/serviceaccount/service-account.name": sa,
            "sub": format!("system:serviceaccount:{ns}:{sa}"),
        })
        .to_string(),
    );
    json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "annotations": {"kubernetes.io/service-account.name": sa},
            "creationTimestamp": "2021-01-01T00:00:00Z",
            "name": name,
            "namespace": ns,
        },
        "data": {"token": common::b64std(token.as_bytes())},
        "type": "kubernetes.io/service-account-token",
    })
}

/// A Secret "named" `--all` in a dump must never give `kubectl delete secret --all`: no real
/// Secret has such a name, so its row is refused, with the reason, in every step.
#[test]
fn audit_migration_refuses_names_that_are_options() {
    for hostile in HOSTILE {
        for (ns, name, sa) in [
            ("prod", hostile, "ci"),
            (hostile, "ci-token-abcde", "ci"),
            ("prod", "ci-token-abcde", hostile),
        ] {
            let dump = json!({"apiVersion": "v1", "kind": "List", "items": [
                secret(ns, name, sa),
                secret("prod", "ok-token-abcde", "ok"),
            ]});
            let read = audit::read(&dump.to_string(), NOW).unwrap();
            let rows: Vec<&audit::Row> = read.rows.iter().collect();
            assert_eq!(rows.len(), 2, "{ns} {name} {sa}");
            let steps = audit::plan(&rows, NOW);
            let script = audit::script(&steps);
            assert_safe(&script, &format!("audit {ns} {name} {sa}"));
            let refused: Vec<&audit::Migration> = steps
                .iter()
                .filter(|s| s.delete.starts_with("# Not written"))
                .collect();
            assert_eq!(refused.len(), 1, "{ns} {name} {sa}: {steps:?}");
            assert!(refused[0].delete.contains("not a valid Kubernetes name"));
            assert!(refused[0].title.contains(hostile));
            // The valid row is still planned.
            assert!(script.contains("kubectl delete secret ok-token-abcde --namespace prod"));
            // So is what the page shows with Redact on: the same rows refused.
            let shown = audit::plan_shown(&rows, NOW, &|t| format!("{}…", &t[..1]));
            assert!(shown.iter().any(|s| s.delete.starts_with("# Not written")));
            assert_safe(&audit::script(&shown), "audit shown");
        }
    }
}

fn rbac_form() -> RbacForm {
    RbacForm {
        service_account: "app".to_string(),
        namespace: "demo".to_string(),
        scope: Scope::Namespace,
        cluster_role: "view".to_string(),
        rules: vec![RuleRow {
            api_groups: String::new(),
            resources: "configmaps".to_string(),
            verbs: "get".to_string(),
            resource_names: "settings".to_string(),
            non_resource_urls: String::new(),
        }],
        ..RbacForm::default()
    }
}

#[test]
fn rbac_commands_refuse_or_glue_every_name() {
    let scopes = [
        Scope::Namespace,
        Scope::Cluster,
        Scope::BindClusterRole,
        Scope::BindClusterRoleClusterWide,
    ];
    for hostile in HOSTILE {
        for scope in scopes {
            type Edit = fn(&mut RbacForm, &str);
            let edits: [(&str, Edit); 4] = [
                ("service account", |f, v| f.service_account = v.to_string()),
                ("namespace", |f, v| f.namespace = v.to_string()),
                ("cluster role", |f, v| f.cluster_role = v.to_string()),
                ("resource name", |f, v| {
                    f.rules[0].resource_names = v.to_string()
                }),
            ];
            for (field, edit) in edits {
                let mut form = RbacForm {
                    scope,
                    ..rbac_form()
                };
                edit(&mut form, hostile);
                let out = rbac::build(&form);
                if out.errors.is_empty() {
                    assert_safe(&out.kubectl_script, &format!("rbac {field} {hostile:?}"));
                    // Commands quoted inside the summary's sentences too.
                    for row in &out.summary {
                        for code in row.sentence.split('`').skip(1).step_by(2) {
                            if code.starts_with("kubectl ") {
                                assert_safe(code, &format!("rbac summary {field} {hostile:?}"));
                            }
                        }
                    }
                } else {
                    assert!(out.kubectl_script.is_empty());
                }
                // The token Secret's warning quotes a command too.
                let secret = rbac::build(&RbacForm {
                    token_secret: true,
                    ..form.clone()
                });
                for warning in &secret.warnings {
                    for code in warning.finding.why.split('`').skip(1).step_by(2) {
                        if code.starts_with("kubectl ") {
                            assert_safe(code, &format!("rbac warning {field} {hostile:?}"));
                        }
                    }
                }
                if matches!(field, "service account" | "namespace") {
                    assert!(!out.errors.is_empty(), "rbac {field} {hostile:?} accepted");
                }
            }
        }
    }
}

/// Users and groups are free text, so an option-like name is accepted: it reaches kubectl
/// glued to `--user=`, `--group=` or `--as=`, and the objects' names are derived from it
/// without a leading `-`. The service account's own namespace and every granted namespace
/// are checked names.
#[test]
fn rbac_subjects_and_namespaces_never_become_options() {
    for hostile in HOSTILE {
        for scope in Scope::ALL {
            for shared_role in [false, true] {
                for subject in [SubjectKind::User, SubjectKind::Group] {
                    let form = RbacForm {
                        subject,
                        service_account: hostile.to_string(),
                        namespace: "app1, app2".to_string(),
                        scope,
                        shared_role,
                        rules: vec![RuleRow {
                            api_groups: "\"\"".to_string(),
                            ..rbac_form().rules[0].clone()
                        }],
                        ..rbac_form()
                    };
                    let out = rbac::build(&form);
                    assert_eq!(out.errors, vec![], "{subject:?} {hostile:?}");
                    assert_safe(
                        &out.kubectl_script,
                        &format!("rbac {subject:?} {hostile:?}"),
                    );
                }
                type Edit = fn(&mut RbacForm, &str);
                let edits: [Edit; 3] = [
                    |f, v| f.account_namespace = v.to_string(),
                    |f, v| f.namespace = format!("app1 {v}"),
                    |f, v| f.namespace = format!("{v},app2"),
                ];
                for edit in edits {
                    let mut form = RbacForm {
                        scope,
                        shared_role,
                        ..rbac_form()
                    };
                    edit(&mut form, hostile);
                    let out = rbac::build(&form);
                    if out.errors.is_empty() {
                        assert_safe(&out.kubectl_script, &format!("rbac namespace {hostile:?}"));
                    } else {
                        assert!(out.kubectl_script.is_empty());
                    }
                }
            }
        }
    }
}

fn kubeconfig_form() -> KubeconfigForm {
    KubeconfigForm {
        cluster_name: "prod".to_string(),
        server: "https://203.0.113.10:6443".to_string(),
        ca: String::new(),
        skip_tls_verify: false,
        tls_server_name: String::new(),
        user_name: "ci".to_string(),
        token: "abc.def.ghi".to_string(),
        namespace: "demo".to_string(),
        context_name: String::new(),
    }
}

#[test]
fn kubeconfig_commands_refuse_or_glue_every_name() {
    type Edit = fn(&mut KubeconfigForm, &str);
    let edits: [(&str, Edit); 7] = [
        ("cluster", |f, v| f.cluster_name = v.to_string()),
        ("user", |f, v| f.user_name = v.to_string()),
        ("context", |f, v| f.context_name = v.to_string()),
        ("namespace", |f, v| f.namespace = v.to_string()),
        ("server", |f, v| f.server = v.to_string()),
        ("tls server name", |f, v| f.tls_server_name = v.to_string()),
        ("token", |f, v| f.token = v.to_string()),
    ];
    for hostile in HOSTILE {
        for (field, edit) in edits {
            let mut form = kubeconfig_form();
            edit(&mut form, hostile);
            let out = kubeconfig::build(&form, NOW);
            let what = format!("kubeconfig {field} {hostile:?}");
            assert_safe(&out.can_i_command, &what);
            if out.errors.is_empty() {
                assert_safe(&out.kubectl_script, &what);
                assert_safe(&out.curl_command, &what);
                let client = ClientForm::from_kubeconfig(&out);
                for snippet in snippets::snippets(&client) {
                    if snippet.language == Language::Shell {
                        assert_safe(&snippet.code, &format!("{what} {}", snippet.id));
                    }
                }
            } else {
                assert!(out.kubectl_script.is_empty() && out.curl_command.is_empty());
            }
            if matches!(
                field,
                "cluster" | "user" | "context" | "namespace" | "server"
            ) {
                assert!(!out.errors.is_empty(), "{what} accepted");
            }
        }
    }
}

/// The client snippets take their values from a form of their own, checked or not: the URL
/// comes after `--`, and every other value is an option's argument.
#[test]
fn snippet_commands_end_options_before_the_url() {
    type Edit = fn(&mut ClientForm, &str);
    let edits: [(&str, Edit); 6] = [
        ("server", |f, v| f.server = v.to_string()),
        ("ca file", |f, v| f.ca_file = v.to_string()),
        ("namespace", |f, v| f.namespace = v.to_string()),
        ("kubeconfig", |f, v| f.kubeconfig_file = v.to_string()),
        ("context", |f, v| f.context = v.to_string()),
        ("pod", |f, v| f.pod = v.to_string()),
    ];
    for hostile in HOSTILE {
        for (field, edit) in edits {
            let mut form = ClientForm {
                server: "https://203.0.113.10:6443".to_string(),
                ca_file: "prod-ca.crt".to_string(),
                ..ClientForm::default()
            };
            edit(&mut form, hostile);
            for snippet in snippets::snippets(&form) {
                if snippet.language == Language::Shell {
                    assert_safe(&snippet.code, &format!("snippet {field} {hostile:?}"));
                }
            }
        }
    }
}

fn token_form() -> TokenForm {
    TokenForm {
        service_account: "app".to_string(),
        namespace: "demo".to_string(),
        bound: Some(BoundObject {
            kind: BoundKind::Secret,
            name: "app-token".to_string(),
            uid: None,
        }),
        server: "https://203.0.113.10:6443".to_string(),
        ..TokenForm::default()
    }
}

#[test]
fn token_request_commands_refuse_or_glue_every_name() {
    type Edit = fn(&mut TokenForm, &str);
    let edits: [(&str, Edit); 11] = [
        ("service account", |f, v| f.service_account = v.to_string()),
        ("namespace", |f, v| f.namespace = v.to_string()),
        ("duration", |f, v| f.duration = v.to_string()),
        ("audiences", |f, v| f.audiences = v.to_string()),
        ("bound name", |f, v| {
            if let Some(b) = f.bound.as_mut() {
                b.name = v.to_string();
            }
        }),
        ("bound uid", |f, v| {
            if let Some(b) = f.bound.as_mut() {
                b.uid = Some(v.to_string());
            }
        }),
        ("pod name", |f, v| f.pod_name = v.to_string()),
        ("mount path", |f, v| f.mount_path = v.to_string()),
        ("token path", |f, v| f.token_path = v.to_string()),
        ("server", |f, v| f.server = v.to_string()),
        ("ca file", |f, v| f.ca_file = v.to_string()),
    ];
    for hostile in HOSTILE {
        for (field, edit) in edits {
            let mut form = token_form();
            edit(&mut form, hostile);
            let out = token_request::build(&form, NOW);
            let what = format!("token request {field} {hostile:?}");
            if out.errors.is_empty() {
                assert_safe(&out.kubectl_command, &what);
                assert_safe(&out.request_curl, &what);
                assert_safe(&out.pod_curl, &what);
            } else {
                assert!(out.kubectl_command.is_empty() && out.pod_curl.is_empty());
            }
            if matches!(
                field,
                "service account" | "namespace" | "bound name" | "pod name" | "server"
            ) {
                assert!(!out.errors.is_empty(), "{what} accepted");
            }
        }
    }
}

/// The trust commands written for a cloud's token: the subject and issuer are glued to their
/// options, and a project ID that is no project ID is left as a placeholder.
#[test]
fn cloud_trust_commands_refuse_or_glue_every_value() {
    let aks = "https://eastus.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/53aa724a-f0a4-4205-919e-9b467fa667e4/";
    let gke = "https://container.googleapis.com/v1/projects/shop-prod/locations/europe-west1/clusters/main";
    let mut checked = 0;
    for hostile in HOSTILE {
        let cases = [
            (
                aks,
                json!("api://AzureADTokenExchange"),
                hostile.to_string(),
            ),
            (
                gke,
                json!(format!("{hostile}.svc.id.goog")),
                "system:serviceaccount:a:b".to_string(),
            ),
            (
                gke,
                json!("shop-prod.svc.id.goog"),
                format!("system:serviceaccount:{hostile}:{hostile}"),
            ),
        ];
        for (iss, aud, sub) in cases {
            let token = common::mint_rs256(&json!({"iss": iss, "aud": aud, "sub": sub}));
            let payload = jwt::decode(&token).unwrap().payload;
            let Some(found) = cloud::recognise(&payload) else {
                continue;
            };
            if found.trust.title.contains("command") {
                assert_safe(&found.trust.text, &format!("cloud {iss} {aud} {sub}"));
                checked += 1;
            }
            if found.trust.title.starts_with("gcloud")
                && aud.as_str() != Some("shop-prod.svc.id.goog")
            {
                assert!(
                    found.trust.text.contains(" PROJECT_ID "),
                    "{}",
                    found.trust.text
                );
            }
        }
    }
    assert!(checked >= 2 * HOSTILE.len(), "{checked} commands checked");
}

/// The commands quoted in backticks in a sentence (the checklists and guides write them so).
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The 401 checklist asks for the objects a token names: a name in the token's claims that is
/// no Kubernetes name is left out of the `kubectl get` it prints, with the reason.
#[test]
fn unauthorized_checklist_refuses_names_from_the_token() {
    let mut checked = 0;
    for hostile in HOSTILE {
        let bound = common::mint_rs256(&json!({
            "iss": "https://kubernetes.default.svc",
            "aud": ["https://kubernetes.default.svc"],
            "exp": NOW + 3600,
            "kubernetes.io": {
                "namespace": hostile,
                "pod": {"name": hostile, "uid": "5f2b1c3e-0000-4000-8000-000000000001"},
                "node": {"name": hostile, "uid": "5f2b1c3e-0000-4000-8000-000000000002"},
                "serviceaccount": {"name": hostile, "uid": "5f2b1c3e-0000-4000-8000-000000000003"},
            },
        }));
        let legacy = common::mint_rs256(&json!({
            "iss": "kubernetes/serviceaccount",
            "kubernetes.io/serviceaccount/namespace": hostile,
            "kubernetes.io/serviceaccount/secret.name": hostile,
            "kubernetes.io/serviceaccount/service-account.name": hostile,
            "kubernetes.io/serviceaccount/service-account.uid": "5f2b1c3e-0000-4000-8000-000000000003",
        }));
        for token in [bound, legacy] {
            let jwt = jwt::decode(&token).unwrap();
            let related = unauthorized::Related::default();
            for check in unauthorized::checklist(&jwt, None, &related, NOW) {
                for command in backticked(&check.why) {
                    if !command.starts_with("kubectl get ") || command.contains(" --raw ") {
                        continue;
                    }
                    assert_safe(command, &format!("401 check {:?}", check.requirement));
                    assert!(command.contains(" NAME "), "{command}");
                    assert!(
                        command.contains(" --namespace NAMESPACE ") || command.contains("node")
                    );
                    assert!(
                        check
                            .why
                            .contains(&format!("{hostile:?} is not one Kubernetes allows")),
                        "{}",
                        check.why
                    );
                    checked += 1;
                }
            }
        }
    }
    // Pod, node and service account of the bound token; Secret and service account of the
    // legacy one.
    assert_eq!(checked, 5 * HOSTILE.len());
}

/// Pasted errors with a hostile value (`{h}`) in each place a name is read from: the requester,
/// its namespace, the resource, the object's name, the API group, and the account of a
/// `resource name may not be empty` recipe.
const ERRORS: [&str; 7] = [
    r#"Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:{h}:{h}" cannot list resource "pods" in API group "" in the namespace "{h}""#,
    r#"Error from server (Forbidden): secrets "{h}" is forbidden: User "{h}" cannot get resource "secrets" in API group "" in the namespace "prod""#,
    r#"Error from server (Forbidden): {h} is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "{h}" in API group "{h}" at the cluster scope"#,
    r#"Error from server (Forbidden): secrets "db" is forbidden: User "system:serviceaccount:ci:deployer" cannot {h} resource "secrets" in API group "" in the namespace "{h}""#,
    r#"Error from server (Forbidden): nodes "{h}" is forbidden: User "system:node:{h}" cannot get resource "nodes" in API group "" at the cluster scope"#,
    "$ kubectl get secret $(kubectl get sa {h} -n {h} -o jsonpath='{.secrets[0].name}') -n {h} -o yaml\nerror: resource name may not be empty",
    "Error from server (Forbidden): roles.rbac.authorization.k8s.io \"{h}\" is forbidden: user \"{h}\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\"]}",
];

/// Troubleshoot's guides and least-privilege fixes print commands built from the pasted error:
/// every name in them passed Kubernetes' rules, or is glued to its option.
#[test]
fn troubleshoot_commands_refuse_or_glue_names_from_the_error() {
    let mut checked = 0;
    for hostile in HOSTILE {
        for template in ERRORS {
            let text = template.replace("{h}", hostile);
            let diagnosis = troubleshoot::read(&text);
            let what = format!("{}: {text}", diagnosis.title());
            assert!(
                !matches!(diagnosis, Diagnosis::NotRecognised(_)),
                "not read: {text}"
            );
            for command in troubleshoot::guide(&diagnosis).commands {
                assert_safe(&command, &what);
                checked += 1;
            }
            if let Diagnosis::Forbidden(f) = &diagnosis {
                if let Ok(fix) = troubleshoot::fix(f) {
                    for command in &fix.commands {
                        assert_safe(command, &what);
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(
        checked >= ERRORS.len() * HOSTILE.len(),
        "{checked} commands checked"
    );
    // With a name Kubernetes allows in each place, the same errors get their fixes: the
    // commands above are the ones real pastes get.
    let fixes = ERRORS
        .iter()
        .filter_map(|t| match troubleshoot::read(&t.replace("{h}", "web")) {
            Diagnosis::Forbidden(f) => troubleshoot::fix(&f).ok(),
            _ => None,
        })
        .filter(|fix| !fix.commands.is_empty())
        .count();
    assert!(fixes >= 3, "{fixes} fixes");
}

/// Whether `command` holds `hostile` as a word (or a word's start), other than kubectl's own
/// `-n` in an option's place: these messages write `-n NAMESPACE`, as kubectl's help does.
fn input_as_option(command: &str, hostile: &str) -> bool {
    let words: Vec<String> = commands(command).concat();
    words.iter().enumerate().any(|(i, word)| {
        let after_flag = i > 0 && words[i - 1].starts_with('-');
        (hostile.len() > 2 && word.starts_with(hostile))
            || (word == hostile && (after_flag || word != "-n"))
    })
}

/// Pastes that hold no token (a `kubectl get secrets` table, `kubectl describe serviceaccount`
/// output) are answered with the command that prints one: a name from the paste is in it only
/// when Kubernetes allows it.
#[test]
fn pasted_tables_refuse_names_that_are_options() {
    use tokenscope::support::error::InspectError;
    let mut checked = 0;
    for hostile in HOSTILE {
        let pastes = [
            format!(
                "NAMESPACE   NAME   TYPE   DATA   AGE\n{hostile}   {hostile}   kubernetes.io/service-account-token   3   10d\n"
            ),
            format!("NAME   TYPE   DATA   AGE\n{hostile}   kubernetes.io/service-account-token   3   10d\n"),
            format!(
                "Name:                {hostile}\nNamespace:           {hostile}\nLabels:              <none>\nMountable secrets:   {hostile}\nTokens:              {hostile}\nEvents:              <none>\n"
            ),
            format!(
                "Name:                build-bot\nNamespace:           {hostile}\nLabels:              <none>\nMountable secrets:   <none>\nTokens:              <none>\nEvents:              <none>\n"
            ),
        ];
        for paste in pastes {
            let Err(InspectError::Input(error)) = tokenscope::inspect::input::recognise(&paste)
            else {
                panic!("not refused: {paste}");
            };
            let message = error.to_string();
            for command in backticked(&message)
                .into_iter()
                .filter(|c| c.starts_with("kubectl"))
            {
                assert!(
                    !input_as_option(command, hostile),
                    "{hostile:?} read as an option in {command}\n{message}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 4 * HOSTILE.len(), "{checked} commands checked");
}
