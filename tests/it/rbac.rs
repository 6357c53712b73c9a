//! The RBAC builder: each preset against what `kubectl create … --dry-run=client -o yaml`
//! prints for the same request (recorded in `tests/fixtures/rbac/`), every message a person
//! sees, every warning, and the kubectl script run against a stand-in `kubectl`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use tokenscope::formats::yaml;
use tokenscope::inspect::explain::Level;
use tokenscope::rbac::{
    build, builtin_cluster_role, rules, split_list, Field, Preset, RbacForm, RbacOutput, RuleRow,
    Scope, SubjectKind, VERBS,
};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rbac/");

fn fixture(name: &str) -> String {
    let path = format!("{FIXTURES}{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// `creationTimestamp: null` is kubectl's, not the API server's requirement; drop it.
fn without_timestamps(mut docs: Vec<Value>) -> Vec<Value> {
    for doc in &mut docs {
        if let Some(meta) = doc.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.shift_remove("creationTimestamp");
        }
    }
    docs
}

fn row(groups: &str, resources: &str, verbs: &str) -> RuleRow {
    RuleRow {
        api_groups: groups.to_string(),
        resources: resources.to_string(),
        verbs: verbs.to_string(),
        resource_names: String::new(),
        non_resource_urls: String::new(),
    }
}

fn form(rows: Vec<RuleRow>) -> RbacForm {
    RbacForm {
        service_account: "app".to_string(),
        namespace: "demo".to_string(),
        scope: Scope::Namespace,
        cluster_role: String::new(),
        rules: rows,
        token_secret: false,
        role_name: String::new(),
        ..RbacForm::default()
    }
}

/// Builds `form`, expects no errors, and checks the output against the recorded kubectl
/// output: the same values, and the same text apart from kubectl's timestamps. Also checks
/// that our YAML reads back to our documents and that the script holds `commands`.
fn check(form: &RbacForm, fixture_name: &str, commands: &[&str]) -> RbacOutput {
    let out = build(form);
    assert_eq!(out.errors, vec![], "{fixture_name}");
    let text = out.yaml.clone().expect("yaml when there are no errors");
    let ours = yaml::parse_documents(&text).expect("our YAML parses");
    assert_eq!(ours, out.documents, "{fixture_name}: YAML reads back");
    let kubectl_text = fixture(fixture_name);
    let kubectl = without_timestamps(yaml::parse_documents(&kubectl_text).expect("fixture"));
    assert_eq!(
        out.documents, kubectl,
        "{fixture_name}: values differ from kubectl's"
    );
    let kubectl_layout: String = kubectl_text
        .lines()
        .filter(|l| l.trim() != "creationTimestamp: null")
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(text, kubectl_layout, "{fixture_name}: layout differs");
    for command in commands {
        // Objects are made idempotently: printed by `kubectl create`, applied by kubectl.
        let line = if command.starts_with("kubectl create ")
            && !command.starts_with("kubectl create token ")
        {
            format!("{command} --dry-run=client -o yaml | kubectl apply -f -")
        } else {
            command.to_string()
        };
        assert!(
            out.kubectl_script.lines().any(|l| l == line),
            "{fixture_name}: script lacks {command}:\n{}",
            out.kubectl_script
        );
    }
    bash_syntax_ok(&out.kubectl_script);
    out
}

fn bash_syntax_ok(script: &str) {
    let mut child = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let done = child.wait_with_output().unwrap();
    assert!(
        done.status.success(),
        "bash -n: {}\n{script}",
        String::from_utf8_lossy(&done.stderr)
    );
}

/// Runs the script with `kubectl` replaced by a function that prints each argument on its
/// own line (and any here-document), so tests see exactly what kubectl would receive.
fn run_with_fake_kubectl(script: &str) -> String {
    let wrapped = format!(
        "kubectl() {{ printf '[%s]\\n' \"$@\"; if [ \"$1\" = apply ]; then cat; fi; echo '#'; }}\n{script}"
    );
    let mut child = Command::new("bash")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(wrapped.as_bytes())
        .unwrap();
    let done = child.wait_with_output().unwrap();
    assert!(
        done.status.success(),
        "script failed: {}\n{script}",
        String::from_utf8_lossy(&done.stderr)
    );
    String::from_utf8(done.stdout).unwrap()
}

fn titles(out: &RbacOutput) -> Vec<String> {
    out.warnings
        .iter()
        .map(|w| w.finding.title.clone())
        .collect()
}

#[test]
fn read_pods_preset_matches_kubectl() {
    let out = check(
        &Preset::ReadPods.fill("pod-reader", "demo"),
        "read-pods.yaml",
        &[
            "kubectl create serviceaccount pod-reader --namespace=demo",
            "kubectl create role pod-reader --namespace=demo --verb=get,list --resource=pods",
            "kubectl create rolebinding pod-reader --namespace=demo --role=pod-reader \
             --serviceaccount=demo:pod-reader",
            "kubectl create token pod-reader --namespace=demo --duration=1h",
        ],
    );
    assert_eq!(out.warnings, vec![]);
    assert_eq!(out.file_name, "pod-reader-rbac.yaml");
    assert_eq!(out.summary.len(), 1);
    assert_eq!(
        out.summary[0].sentence,
        "Can get, list pods in namespace demo."
    );
    assert!(out.summary[0].allows("list") && !out.summary[0].allows("watch"));
}

#[test]
fn configmap_store_preset_matches_kubectl() {
    let out = check(
        &Preset::ConfigMapStore.fill("store", "demo"),
        "configmap-store.yaml",
        &["kubectl create role store --namespace=demo \
           --verb=get,list,create,update,patch,delete --resource=configmaps"],
    );
    assert_eq!(out.warnings, vec![]);
}

#[test]
fn read_only_view_preset_matches_kubectl() {
    let out = check(
        &Preset::ReadOnlyView.fill("viewer", "demo"),
        "read-only-view.yaml",
        &[
            "kubectl create rolebinding viewer-view --namespace=demo --clusterrole=view \
           --serviceaccount=demo:viewer",
        ],
    );
    // view reads neither Secrets nor RBAC: nothing to warn about.
    assert_eq!(out.warnings, vec![]);
    assert!(out
        .summary
        .iter()
        .all(|r| r.verbs == ["get", "list", "watch"] && r.where_ == "in namespace demo"));
    assert!(!out
        .summary
        .iter()
        .any(|r| r.resources.iter().any(|x| x == "secrets")));
}

#[test]
fn ci_deployer_preset_matches_kubectl() {
    let out = check(
        &Preset::CiDeployer.fill("ci", "ci-system"),
        "ci-deployer.yaml",
        &[
            "kubectl create role ci --namespace=ci-system --verb=create,update,patch,get,list \
           --resource=services,configmaps,secrets,deployments.apps",
        ],
    );
    // It may read Secrets and run pods as any service account in the namespace: that is what
    // a deployer needs, and it deserves saying.
    assert_eq!(titles(&out), ["Reads Secrets", "Can run workloads"]);
    assert_eq!(out.warnings[0].field, Field::Verbs(0));
    assert_eq!(out.warnings[1].field, Field::Verbs(1));
    assert_eq!(out.summary.len(), 2);
    assert_eq!(
        out.summary[1].sentence,
        "Can create, update, patch, get, list deployments (group apps) in namespace ci-system."
    );
}

#[test]
fn namespace_admin_preset_matches_kubectl() {
    let out = check(
        &Preset::NamespaceAdmin.fill("admin-bot", "team-a"),
        "namespace-admin.yaml",
        &[
            "kubectl create rolebinding admin-bot-admin --namespace=team-a --clusterrole=admin \
           --serviceaccount=team-a:admin-bot",
        ],
    );
    let titles = titles(&out);
    for expected in [
        "Reads Secrets",
        "Can impersonate",
        "Can create pods/exec",
        "Can create pods/attach",
        "Can create serviceaccounts/token",
    ] {
        assert!(
            titles.iter().any(|t| t == expected),
            "{expected}: {titles:?}"
        );
    }
    assert!(out
        .summary
        .iter()
        .any(|r| r.group == "rbac.authorization.k8s.io"));
}

#[test]
fn cluster_admin_preset_matches_kubectl_and_warns_first() {
    let out = check(
        &Preset::ClusterAdmin.fill("root", "demo"),
        "cluster-admin.yaml",
        &["kubectl create clusterrolebinding demo:root-cluster-admin \
           --clusterrole=cluster-admin --serviceaccount=demo:root"],
    );
    // The strongest warning, and alone: wildcard warnings would only bury it.
    assert_eq!(titles(&out), ["Bound to cluster-admin"]);
    assert_eq!(out.warnings[0].finding.level, Level::Danger);
    assert_eq!(out.warnings[0].field, Field::ClusterRole);
    assert!(out.warnings[0]
        .finding
        .why
        .contains("full control of the cluster"));
    assert_eq!(
        out.summary[0].sentence,
        "Can do anything to every resource in any API group in every namespace and cluster-wide."
    );
}

#[test]
fn an_existing_cluster_role_bound_cluster_wide_spells_out_the_danger() {
    let mut f = Preset::ReadOnlyView.fill("auditor", "demo");
    f.scope = Scope::BindClusterRoleClusterWide;
    let out = build(&f);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let kinds: Vec<&str> = out
        .documents
        .iter()
        .map(|d| d["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["ServiceAccount", "ClusterRoleBinding"]);
    assert_eq!(out.documents[1]["metadata"]["name"], "demo:auditor-view");
    assert!(out.documents[1]["metadata"].get("namespace").is_none());
    assert_eq!(titles(&out), ["view bound cluster-wide"]);
    assert_eq!(out.warnings[0].field, Field::ClusterRole);
    assert!(out.warnings[0].finding.why.contains("every namespace"));
    assert!(out.kubectl_script.contains(
        "kubectl create clusterrolebinding demo:auditor-view --clusterrole=view \
         --serviceaccount=demo:auditor --dry-run=client -o yaml | kubectl apply -f -\n"
    ));
    assert_eq!(out.summary[0].where_, "in every namespace and cluster-wide");
}

#[test]
fn non_resource_urls_match_kubectl() {
    let mut f = form(vec![RuleRow {
        non_resource_urls: "/healthz, /metrics /logs/*".into(),
        verbs: "get".into(),
        ..RuleRow::default()
    }]);
    f.service_account = "prober".into();
    f.namespace = "monitoring".into();
    f.scope = Scope::Cluster;
    let out = check(
        &f,
        "non-resource-urls.yaml",
        &[
            "kubectl create clusterrole monitoring:prober --verb=get \
             --non-resource-url=/healthz --non-resource-url=/metrics \
             --non-resource-url='/logs/*'",
            "kubectl create clusterrolebinding monitoring:prober \
             --clusterrole=monitoring:prober --serviceaccount=monitoring:prober",
        ],
    );
    assert_eq!(
        out.summary[0].sentence,
        "Can get the paths /healthz, /metrics, /logs/* (non-resource URLs) on the API server."
    );
    // What the access evaluator reads from the form grants the path.
    assert_eq!(
        tokenscope::rbac::rules(&f)[0].non_resource_urls,
        ["/healthz", "/metrics", "/logs/*"]
    );
}

#[test]
fn non_resource_urls_are_checked_as_the_api_server_and_kubectl_do() {
    let url_row = |urls: &str, groups: &str, verbs: &str| RuleRow {
        api_groups: groups.into(),
        non_resource_urls: urls.into(),
        verbs: verbs.into(),
        ..RuleRow::default()
    };
    let errors = |f: &RbacForm| -> Vec<(Field, String)> {
        build(f)
            .errors
            .into_iter()
            .map(|p| (p.field, p.message))
            .collect()
    };
    // In a Role: refused, since paths are in no namespace.
    let f = form(vec![url_row("/healthz", "", "get")]);
    let found = errors(&f);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Field::NonResourceUrls(0));
    assert!(found[0].1.contains("Choose the cluster scope"));
    // With a group: a rule is about paths or resources, never both.
    let mut f = form(vec![url_row("/healthz", "\"\"", "get")]);
    f.scope = Scope::Cluster;
    let found = errors(&f);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("Clear API groups"));
    // Paths start with / and * ends them.
    let mut f = form(vec![url_row("healthz, /a*/b, /ok*, *", "", "get")]);
    f.scope = Scope::Cluster;
    let found = errors(&f);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].1.contains("\"healthz\" does not start with /"));
    assert!(found[1].1.contains("\"/a*/b\" has * before its end"));
    // A resource verb on a path is a warning: it never matches.
    let mut f = form(vec![url_row("/healthz", "", "list")]);
    f.scope = Scope::Cluster;
    let out = build(&f);
    assert!(out.errors.is_empty());
    assert_eq!(
        titles(&out),
        ["Unusual verb \"list\" for a path", "Cluster-wide"]
    );
    // post is an HTTP method kubectl takes for paths.
    let mut f = form(vec![url_row("/api/v1/namespaces/*", "", "post")]);
    f.scope = Scope::Cluster;
    let out = build(&f);
    assert!(out.errors.is_empty());
    assert!(out
        .kubectl_script
        .contains("--verb=post --non-resource-url="));
}

#[test]
fn cluster_scope_matches_kubectl() {
    let mut form = form(vec![row("\"\"", "nodes namespaces", "get list watch")]);
    form.service_account = "node-reader".into();
    form.namespace = "monitoring".into();
    form.scope = Scope::Cluster;
    let out = check(
        &form,
        "cluster-scope.yaml",
        &[
            "kubectl create clusterrole monitoring:node-reader --verb=get,list,watch \
             --resource=nodes,namespaces",
            "kubectl create clusterrolebinding monitoring:node-reader \
             --clusterrole=monitoring:node-reader --serviceaccount=monitoring:node-reader",
        ],
    );
    assert_eq!(titles(&out), ["Cluster-wide"]);
    assert_eq!(out.warnings[0].finding.level, Level::Info);
    assert_eq!(out.summary[0].where_, "in every namespace and cluster-wide");
}

#[test]
fn token_secret_and_resource_names_match_kubectl() {
    let mut form = form(vec![RuleRow {
        api_groups: "''".into(),
        resources: "configmaps".into(),
        verbs: "get".into(),
        resource_names: "app-config, feature-flags".into(),
        non_resource_urls: String::new(),
    }]);
    form.service_account = "legacy".into();
    form.token_secret = true;
    let out = check(
        &form,
        "token-secret.yaml",
        &[
            "kubectl create role legacy --namespace=demo --verb=get --resource=configmaps \
           --resource-name=app-config --resource-name=feature-flags",
        ],
    );
    assert_eq!(titles(&out), ["Long-lived token"]);
    let why = &out.warnings[0].finding.why;
    assert!(why.contains("1.24") && why.contains("kubectl create token legacy"));
    assert_eq!(out.warnings[0].field, Field::TokenSecret);
    assert!(out.summary[0]
        .sentence
        .contains("named app-config, feature-flags"));
    // The Secret is applied from YAML, after the account it names.
    let ran = run_with_fake_kubectl(&out.kubectl_script);
    assert!(
        ran.contains("[apply]\n[-f]\n[-]\napiVersion: v1\nkind: Secret\n"),
        "{ran}"
    );
}

#[test]
fn every_document_has_what_the_api_server_requires() {
    for preset in Preset::ALL {
        for token_secret in [false, true] {
            let mut form = preset.fill("app", "demo");
            form.token_secret = token_secret;
            let out = build(&form);
            assert_eq!(out.errors, vec![], "{preset:?}");
            for doc in &out.documents {
                let kind = doc["kind"].as_str().unwrap();
                let api = doc["apiVersion"].as_str().unwrap();
                assert_eq!(api == "v1", matches!(kind, "ServiceAccount" | "Secret"));
                if kind.ends_with("Binding") {
                    assert_eq!(doc["roleRef"]["apiGroup"], "rbac.authorization.k8s.io");
                    assert_eq!(
                        doc["subjects"],
                        json!([{"kind": "ServiceAccount", "name": "app", "namespace": "demo"}])
                    );
                }
            }
            let kinds: Vec<&str> = out
                .documents
                .iter()
                .map(|d| d["kind"].as_str().unwrap())
                .collect();
            let mut expected = vec!["ServiceAccount"];
            if !form.scope.binds_existing() {
                expected.push("Role");
            }
            expected.push(if form.scope.cluster_wide() {
                "ClusterRoleBinding"
            } else {
                "RoleBinding"
            });
            if token_secret {
                expected.push("Secret");
            }
            assert_eq!(kinds, expected, "{preset:?}");
            let text = out.yaml.unwrap();
            assert_eq!(yaml::parse_documents(&text).unwrap(), out.documents);
            assert_eq!(text.matches("\n---\n").count(), expected.len() - 1);
        }
    }
}

#[test]
fn presets_keep_the_account_and_have_distinct_labels() {
    let mut labels: Vec<&str> = Preset::ALL.iter().map(|p| p.label()).collect();
    labels.sort_unstable();
    labels.dedup();
    assert_eq!(labels.len(), Preset::ALL.len());
    for preset in Preset::ALL {
        let form = preset.fill("x", "y");
        assert_eq!(
            (form.service_account.as_str(), form.namespace.as_str()),
            ("x", "y")
        );
    }
    assert_eq!(Preset::ReadOnlyView.fill("a", "b").cluster_role, "view");
}

/// (what to change, field expected, words the message must contain)
type Case = (fn(&mut RbacForm), Field, &'static [&'static str]);

#[test]
fn validation_messages_name_the_field_and_the_rule() {
    let cases: Vec<Case> = vec![
        (
            |f| f.service_account = String::new(),
            Field::ServiceAccount,
            &["Service account is empty"],
        ),
        (
            |f| f.service_account = "Deployer".into(),
            Field::ServiceAccount,
            &[
                "\"Deployer\"",
                "'D' at character 1 is upper case",
                "DNS-1123 subdomain",
            ],
        ),
        (
            |f| f.service_account = "ci_bot".into(),
            Field::ServiceAccount,
            &["'_' at character 3 is not allowed", "DNS-1123 subdomain"],
        ),
        (
            |f| f.service_account = "a".repeat(254),
            Field::ServiceAccount,
            &["254 characters long, more than 253", "DNS-1123 subdomain"],
        ),
        (
            |f| f.service_account = "-ci".into(),
            Field::ServiceAccount,
            &["starts or ends with '-'"],
        ),
        (
            |f| f.service_account = "ci..bot".into(),
            Field::ServiceAccount,
            &["two dots"],
        ),
        (
            |f| f.service_account = "ci-.bot".into(),
            Field::ServiceAccount,
            &["'-' next to a '.'"],
        ),
        (
            |f| f.namespace = String::new(),
            Field::Namespace,
            &["Namespace is empty"],
        ),
        (
            |f| f.namespace = "team.a".into(),
            Field::Namespace,
            &["'.' at character 5", "DNS-1123 label", "at most 63"],
        ),
        (
            |f| f.namespace = "n".repeat(64),
            Field::Namespace,
            &["64 characters long, more than 63", "DNS-1123 label"],
        ),
        (
            |f| f.namespace = "Prod".into(),
            Field::Namespace,
            &["'P' at character 1 is upper case"],
        ),
        (
            |f| f.namespace = "   ".into(),
            Field::Namespace,
            &["Namespace is empty"],
        ),
        (
            // A Cyrillic look-alike of kube-system: refused, naming the letter it imitates.
            |f| f.namespace = "\u{43a}ube-system".into(),
            Field::Namespace,
            &[
                "'к' (U+043A, the Cyrillic letter drawn like Latin 'k') at character 1 is not allowed",
                "DNS-1123 label",
            ],
        ),
        (
            |f| f.service_account = "ci-b\u{3bf}t".into(),
            Field::ServiceAccount,
            &["U+03BF, the Greek letter drawn like Latin 'o'", "at character 5"],
        ),
        (
            |f| f.rules.clear(),
            Field::Rules,
            &["no rules", "grant nothing"],
        ),
        (
            |f| f.rules[0].verbs = " , ".into(),
            Field::Verbs(0),
            &["Rule 1 has no verbs"],
        ),
        (
            |f| f.rules.push(row("apps", "", "get")),
            Field::Resources(1),
            &["Rule 2 has no resources"],
        ),
        (
            |f| f.rules[0].api_groups = String::new(),
            Field::ApiGroups(0),
            &["API groups is empty", "written \"\""],
        ),
        (
            |f| f.rules[0].api_groups = "core".into(),
            Field::ApiGroups(0),
            &["\"core\" is not a group's name", "written \"\""],
        ),
        (
            |f| f.rules[0].api_groups = "v1".into(),
            Field::ApiGroups(0),
            &["written \"\""],
        ),
        (
            |f| f.rules[0].api_groups = "apps/v1".into(),
            Field::ApiGroups(0),
            &["includes a version", "write \"apps\""],
        ),
        (
            |f| f.rules[0].api_groups = "Apps".into(),
            Field::ApiGroups(0),
            &["DNS-1123 subdomains"],
        ),
        (
            |f| f.rules[0].resources = "Pods".into(),
            Field::Resources(0),
            &["upper-case", "lower-case plural", "write \"pods\""],
        ),
        (
            |f| f.rules[0].resources = "deployments.apps".into(),
            Field::Resources(0),
            &["has a group in it", "\"deployments\" in group \"apps\""],
        ),
        (
            |f| f.rules[0].resources = "pods/log/x".into(),
            Field::Resources(0),
            &["not a resource's name"],
        ),
        (
            |f| f.rules[0].verbs = "GET".into(),
            Field::Verbs(0),
            &["upper-case", "write \"get\""],
        ),
        (
            |f| f.rules[0].verbs = "get*".into(),
            Field::Verbs(0),
            &["`*` matches only on its own"],
        ),
        (
            |f| {
                f.scope = Scope::BindClusterRole;
                f.cluster_role = " ".into();
            },
            Field::ClusterRole,
            &["ClusterRole is empty"],
        ),
        (
            |f| {
                f.scope = Scope::BindClusterRole;
                f.cluster_role = "a/b".into();
            },
            Field::ClusterRole,
            &["path segments"],
        ),
        (
            |f| {
                f.service_account = "a".repeat(250);
                f.token_secret = true;
            },
            Field::TokenSecret,
            &["256 characters", "at most 247"],
        ),
    ];
    for (i, (change, field, words)) in cases.into_iter().enumerate() {
        let mut form = form(vec![row("\"\"", "pods", "get")]);
        change(&mut form);
        let out = build(&form);
        assert_eq!(out.yaml, None, "case {i}");
        assert_eq!(out.documents, Vec::<Value>::new(), "case {i}");
        assert_eq!(out.kubectl_script, "", "case {i}");
        let problem = out
            .errors
            .iter()
            .find(|p| p.field == field)
            .unwrap_or_else(|| panic!("case {i}: no problem for {field:?}: {:?}", out.errors));
        for word in words {
            assert!(
                problem.message.contains(word),
                "case {i}: {word:?} not in {:?}",
                problem.message
            );
        }
    }
}

#[test]
fn valid_names_pass() {
    for (account, namespace) in [
        ("a", "a"),
        ("ci.deployer-1", "team-a"),
        (&*"a".repeat(253), &*"n".repeat(63)),
        ("0", "0"),
    ] {
        let mut form = form(vec![row("\"\"", "pods", "get")]);
        form.service_account = account.to_string();
        form.namespace = namespace.to_string();
        assert_eq!(build(&form).errors, vec![], "{account} {namespace}");
    }
    // White space around a name is a copy-and-paste accident, not part of it.
    let mut form = form(vec![row("\"\"", "pods", "get")]);
    form.service_account = " app\n".into();
    let out = build(&form);
    assert_eq!(out.errors, vec![]);
    assert_eq!(out.documents[0]["metadata"]["name"], "app");
}

/// Each risk from `risk.rs`, reached through the form, beside the row's verbs.
#[test]
fn warns_about_what_is_dangerous_to_grant() {
    let cases: [(RuleRow, &str, Level); 17] = [
        (row("\"\"", "pods", "*"), "Wildcard verb (*)", Level::Danger),
        (
            row("\"\"", "*", "get"),
            "Wildcard resource (*)",
            Level::Danger,
        ),
        (
            row("*", "pods", "get"),
            "Wildcard API group (*)",
            Level::Warning,
        ),
        (
            row("\"\"", "secrets", "get"),
            "Reads Secrets",
            Level::Danger,
        ),
        (
            row("\"\"", "secrets", "list"),
            "Reads Secrets",
            Level::Danger,
        ),
        (
            row("rbac.authorization.k8s.io", "roles", "escalate"),
            "Can escalate",
            Level::Danger,
        ),
        (
            row("rbac.authorization.k8s.io", "clusterroles", "bind"),
            "Can bind",
            Level::Danger,
        ),
        (
            row("\"\"", "serviceaccounts", "impersonate"),
            "Can impersonate",
            Level::Danger,
        ),
        (
            row("\"\"", "pods/exec", "create"),
            "Can create pods/exec",
            Level::Danger,
        ),
        (
            row("\"\"", "pods/attach", "create"),
            "Can create pods/attach",
            Level::Danger,
        ),
        (
            row("\"\"", "serviceaccounts/token", "create"),
            "Can create serviceaccounts/token",
            Level::Danger,
        ),
        (
            row("\"\"", "nodes/proxy", "get"),
            "Access to nodes/proxy",
            Level::Danger,
        ),
        (
            row("apps", "deployments", "create"),
            "Can run workloads",
            Level::Danger,
        ),
        (
            row("\"\"", "persistentvolumes", "create"),
            "Can create persistentvolumes",
            Level::Danger,
        ),
        (
            row(
                "admissionregistration.k8s.io",
                "mutatingwebhookconfigurations",
                "update",
            ),
            "Controls admission webhooks",
            Level::Danger,
        ),
        (
            row(
                "certificates.k8s.io",
                "certificatesigningrequests/approval",
                "update",
            ),
            "Can approve certificate requests",
            Level::Danger,
        ),
        (
            row("\"\"", "namespaces", "patch"),
            "Can relabel namespaces",
            Level::Warning,
        ),
    ];
    for (rule, title, level) in cases {
        let mut f = form(vec![row("\"\"", "pods", "get"), rule.clone()]);
        f.scope = Scope::Cluster;
        let out = build(&f);
        assert_eq!(out.errors, vec![], "{rule:?}");
        let warning = out
            .warnings
            .iter()
            .find(|w| w.finding.title == title)
            .unwrap_or_else(|| panic!("{title}: {:?}", titles(&out)));
        assert_eq!(warning.finding.level, level, "{title}");
        assert_eq!(warning.field, Field::Verbs(1), "{title}");
        assert!(!warning.finding.why.is_empty());
    }
}

#[test]
fn warns_about_bindings_and_odd_rules() {
    // kube-system, for a Role of our own.
    let mut f = form(vec![row("\"\"", "pods", "get")]);
    f.namespace = "kube-system".into();
    let out = build(&f);
    assert_eq!(titles(&out), ["Binding in kube-system"]);
    assert_eq!(out.warnings[0].field, Field::Namespace);

    // An account named cluster-admin gets its own Role, not the built-in one.
    let mut f = form(vec![row("\"\"", "pods", "get")]);
    f.service_account = "cluster-admin".into();
    assert_eq!(titles(&build(&f)), Vec::<String>::new());

    // cluster-admin bound in kube-system: both, the worst first.
    let mut f = Preset::ClusterAdmin.fill("x", "kube-system");
    f.scope = Scope::BindClusterRole;
    f.token_secret = false;
    assert_eq!(
        titles(&build(&f)),
        ["Bound to cluster-admin", "Binding in kube-system"]
    );

    // edit reads Secrets.
    let f = Preset::ReadOnlyView.fill("x", "demo");
    let f = RbacForm {
        cluster_role: "edit".into(),
        ..f
    };
    assert!(titles(&build(&f)).contains(&"Reads Secrets".to_string()));

    // Cluster-scoped resources in a Role grant nothing.
    let out = build(&form(vec![row("\"\"", "nodes", "get")]));
    assert_eq!(titles(&out), ["nodes are not in a namespace"]);
    assert_eq!(out.warnings[0].field, Field::Resources(0));

    // resourceNames cannot limit list or create.
    let mut f = form(vec![row("\"\"", "configmaps", "get, list, create")]);
    f.rules[0].resource_names = "a".into();
    let out = build(&f);
    assert_eq!(titles(&out), ["Resource names do not limit every verb"]);
    assert!(out.warnings[0].finding.why.contains("create, list"));
    assert_eq!(out.warnings[0].field, Field::ResourceNames(0));

    // A misspelt verb.
    let out = build(&form(vec![row("\"\"", "pods", "gett")]));
    assert_eq!(titles(&out), ["Unusual verb \"gett\""]);

    // Danger sorts before Warning.
    let out = build(&form(vec![
        row("*", "pods", "get"),
        row("\"\"", "secrets", "list"),
    ]));
    assert_eq!(titles(&out), ["Reads Secrets", "Wildcard API group (*)"]);
}

#[test]
fn script_falls_back_to_yaml_when_kubectl_create_cannot_say_it() {
    // Two rules with different verbs: one `kubectl create role` cannot hold both.
    let f = form(vec![
        row("\"\"", "pods", "get"),
        row("apps", "deployments", "list"),
    ]);
    let out = build(&f);
    assert!(!out
        .kubectl_script
        .lines()
        .any(|l| l.starts_with("kubectl create role ")));
    let ran = run_with_fake_kubectl(&out.kubectl_script);
    // Each `kubectl apply` reads either a piped `kubectl create` or a here-document: the
    // Role's is the YAML itself.
    let applied: Vec<Vec<Value>> = ran
        .split("[apply]\n[-f]\n[-]\n")
        .skip(1)
        .filter_map(|part| yaml::parse_documents(part.split("#\n").next().unwrap()).ok())
        .collect();
    assert!(applied.contains(&vec![out.documents[1].clone()]), "{ran}");
    // bind outside roles: kubectl refuses ("can not perform 'bind' on 'pods'").
    let out = build(&form(vec![row("\"\"", "pods", "bind")]));
    assert!(out.kubectl_script.contains("kubectl apply -f -"));
    // A `*` group cannot be looked up.
    let out = build(&form(vec![row("*", "pods", "get")]));
    assert!(out.kubectl_script.contains("kubectl apply -f -"));
    // Subresources in other groups: kubectl's resource.group/subresource.
    let out = build(&form(vec![row("apps", "deployments/scale", "update")]));
    assert!(out
        .kubectl_script
        .contains("--verb=update --resource=deployments.apps/scale --dry-run=client"));
}

#[test]
fn awkward_values_reach_kubectl_and_yaml_intact() {
    // Names are validated, but a bound ClusterRole may be any RBAC name, and resource names
    // any text without separators.
    let awkward_role = "it's$(touch${IFS}pwned)`x`;#no";
    let mut f = Preset::ReadOnlyView.fill("app", "demo");
    f.cluster_role = awkward_role.into();
    let out = build(&f);
    assert_eq!(out.errors, vec![]);
    let ran = run_with_fake_kubectl(&out.kubectl_script);
    assert!(
        ran.contains(&format!("[--clusterrole={awkward_role}]\n")),
        "{ran}"
    );
    assert!(ran.contains(&format!("[app-{awkward_role}]\n")), "{ran}");
    let text = out.yaml.unwrap();
    assert_eq!(yaml::parse_documents(&text).unwrap(), out.documents);
    assert_eq!(out.documents[1]["roleRef"]["name"], awkward_role);
    // Unknown ClusterRole: the summary says so instead of guessing.
    assert!(out.summary[0].sentence.contains("Whatever ClusterRole"));

    for names in [
        "no",
        "0123",
        "true",
        "a:b",
        "null",
        "~",
        "-x",
        "\"quoted\"x",
        "é",
    ] {
        let mut f = form(vec![row("\"\"", "configmaps", "get")]);
        f.rules[0].resource_names = names.into();
        let out = build(&f);
        let text = out.yaml.clone().unwrap();
        assert_eq!(
            yaml::parse_documents(&text).unwrap(),
            out.documents,
            "{names}"
        );
        assert_eq!(
            out.documents[1]["rules"][0]["resourceNames"],
            json!([names]),
            "{names}"
        );
        let ran = run_with_fake_kubectl(&out.kubectl_script);
        assert!(
            ran.contains(&format!("[--resource-name={names}]\n")),
            "{ran}"
        );
    }
}

/// Resource names go into `--resource-name=…` of the printed commands, where a control
/// character would act on the terminal they are pasted into (^U erases the line typed so far,
/// ESC[201~ ends bracketed paste); no object is named with one, nor with an invisible one.
#[test]
fn resource_names_with_control_or_invisible_characters_are_refused() {
    for (name, code) in [
        ("a\u{15}b", "U+0015"),
        ("\u{1b}[201~x", "U+001B"),
        ("x\u{7f}", "U+007F"),
        ("x\u{9b}", "U+009B"),
        ("\u{200b}x", "U+200B"),
    ] {
        let mut f = form(vec![row("\"\"", "configmaps", "get")]);
        f.rules[0].resource_names = format!("ok, {name}");
        let out = build(&f);
        assert_eq!(out.errors.len(), 1, "{name:?}: {:?}", out.errors);
        assert_eq!(out.errors[0].field, Field::ResourceNames(0));
        assert!(
            out.errors[0].message.contains(code),
            "{}",
            out.errors[0].message
        );
        assert!(out.yaml.is_none());
        assert!(out.kubectl_script.is_empty());
    }
}

#[test]
fn every_script_passes_bash_syntax_check() {
    let mut forms: Vec<RbacForm> = Preset::ALL.iter().map(|p| p.fill("app", "demo")).collect();
    let mut cluster = form(vec![row("\"\" apps", "pods deployments", "*")]);
    cluster.scope = Scope::Cluster;
    cluster.token_secret = true;
    forms.push(cluster);
    for f in forms {
        let out = build(&f);
        assert!(out.kubectl_script.starts_with("#!/usr/bin/env bash\n"));
        bash_syntax_ok(&out.kubectl_script);
        run_with_fake_kubectl(&out.kubectl_script);
    }
}

#[test]
fn lists_split_as_typed() {
    assert_eq!(split_list("\"\", apps  batch,,"), ["", "apps", "batch"]);
    assert_eq!(split_list("get,get list"), ["get", "list"]);
    assert_eq!(split_list("'' \"apps\""), ["", "apps"]);
    assert_eq!(split_list("   "), Vec::<String>::new());
}

#[test]
fn rules_are_what_the_evaluator_reads() {
    let f = Preset::CiDeployer.fill("ci", "demo");
    let r = rules(&f);
    assert_eq!(r.len(), 2);
    assert_eq!(r[1].api_groups, ["apps"]);
    assert!(r[0].has_resource("", "secrets") && r[0].has_verb("get"));
    // Built-in roles: view never reads secrets, edit does, admin also manages RBAC.
    let view = builtin_cluster_role("view").unwrap();
    assert!(!view.iter().any(|r| r.has_resource("", "secrets")));
    let edit = builtin_cluster_role("edit").unwrap();
    assert!(edit
        .iter()
        .any(|r| r.has_resource("", "secrets") && r.has_verb("list")));
    assert!(!edit
        .iter()
        .any(|r| r.has_resource("rbac.authorization.k8s.io", "roles")));
    let admin = builtin_cluster_role("admin").unwrap();
    assert!(admin.iter().any(
        |r| r.has_resource("rbac.authorization.k8s.io", "rolebindings") && r.has_verb("create")
    ));
    assert_eq!(builtin_cluster_role("my-role"), None);
    assert_eq!(rules(&Preset::NamespaceAdmin.fill("a", "b")), admin);
}

#[test]
fn suggestions_and_fields() {
    for verb in ["get", "deletecollection", "escalate", "bind", "impersonate"] {
        assert!(VERBS.contains(&verb));
    }
    assert!(tokenscope::k8s::kube::suggestions()
        .any(|(name, k)| name == "deployments" && k.group == "apps"));
    assert!(tokenscope::k8s::kube::suggestions().any(|(name, _)| name == "pods/exec"));
    assert_eq!(Field::Verbs(1).to_string(), "Rule 2, Verbs");
    assert_eq!(Field::Namespace.to_string(), "Namespace");
    assert_eq!(Field::ResourceNames(0).row(), Some(0));
    for scope in Scope::ALL {
        assert!(!scope.label().is_empty());
    }
    let mut f = RbacForm::default();
    f.remove_row(5);
    f.add_row();
    assert_eq!(f.rules.len(), 2);
    f.remove_row(0);
    assert_eq!(f.rules, vec![RuleRow::core()]);
}

#[test]
fn file_names_are_safe() {
    let mut f = form(vec![row("\"\"", "pods", "get")]);
    for (account, expected) in [
        ("ci", "ci-rbac.yaml"),
        ("../Evil Name", "evil-name-rbac.yaml"),
        ("", "rbac.yaml"),
        ("---", "rbac.yaml"),
    ] {
        f.service_account = account.into();
        assert_eq!(build(&f).file_name, expected, "{account}");
    }
}

/// A row wrong in every part gets one message per fault, each beside its own field, in the
/// order of the form; the warnings of the valid items still come through.
#[test]
fn every_part_of_a_rule_is_checked_beside_its_field() {
    let mut f = form(vec![RuleRow {
        api_groups: "\"\", core, apps/v1".into(),
        resources: "Pods, nodes".into(),
        verbs: "GET, g*t, frob".into(),
        resource_names: "web, \u{200b}x".into(),
        non_resource_urls: String::new(),
    }]);
    f.namespace = "team_a".into();
    let out = build(&f);
    let errors: Vec<(Field, &str)> = out
        .errors
        .iter()
        .map(|p| (p.field, p.message.as_str()))
        .collect();
    let expected = [
        (Field::Namespace, "'_' at character 5 is not allowed"),
        (Field::ApiGroups(0), "Rule 1: API group \"core\""),
        (
            Field::ApiGroups(0),
            "Rule 1: API group \"apps/v1\" includes a version",
        ),
        (
            Field::Resources(0),
            "Rule 1: resource \"Pods\" has upper-case letters",
        ),
        (
            Field::Verbs(0),
            "Rule 1: verb \"GET\" has upper-case letters",
        ),
        (
            Field::Verbs(0),
            "Rule 1: verb \"g*t\" is not a pattern RBAC knows",
        ),
        (
            Field::ResourceNames(0),
            "Rule 1: resource name \"\\u{200b}x\"",
        ),
    ];
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    for ((field, message), (want_field, fragment)) in errors.iter().zip(expected) {
        assert_eq!(*field, want_field, "{message}");
        assert!(
            message.contains(fragment),
            "{fragment:?} not in {message:?}"
        );
    }
    let warnings: Vec<(Field, &str)> = out
        .warnings
        .iter()
        .map(|w| (w.field, w.finding.title.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (Field::Verbs(0), "Unusual verb \"frob\""),
            (Field::Resources(0), "nodes are not in a namespace"),
        ]
    );
}

/// A ClusterRole's name is a path segment, so it may hold any letter: one that mixes Latin with
/// Cyrillic look-alikes passes for `cluster-admin` and is warned about, naming the letters.
#[test]
fn cluster_roles_with_look_alike_letters_are_named() {
    let out = build(&RbacForm {
        scope: Scope::BindClusterRole,
        cluster_role: "\u{441}luster-\u{430}dmin".into(),
        ..form(vec![])
    });
    assert_eq!(out.errors, vec![]);
    let warning = out
        .warnings
        .iter()
        .find(|w| w.field == Field::ClusterRole && w.finding.title.contains("mixes scripts"))
        .expect("a look-alike warning");
    assert_eq!(warning.finding.level, Level::Warning);
    for part in [
        "U+0441",
        "U+0430",
        "at character 1",
        "at character 9",
        "\"cluster-admin\"",
    ] {
        assert!(
            warning.finding.why.contains(part),
            "{part}: {}",
            warning.finding.why
        );
    }
    // A resource name is a path segment too: a look-alike of a Secret's name is named.
    let out = build(&form(vec![RuleRow {
        resource_names: "db-p\u{430}ssword".into(),
        ..row("", "secrets", "get")
    }]));
    let named = out
        .warnings
        .iter()
        .find(|w| w.field == Field::ResourceNames(0) && w.finding.title.contains("mixes scripts"))
        .expect("a look-alike warning");
    assert!(
        named.finding.why.contains("U+0430"),
        "{}",
        named.finding.why
    );
    assert!(
        named.finding.why.contains("\"db-password\""),
        "{}",
        named.finding.why
    );
    // The Latin name is not warned about, and a name with a '/' or a control character is no
    // role's name at all.
    let plain = build(&RbacForm {
        scope: Scope::BindClusterRole,
        cluster_role: "cluster-admin".into(),
        ..form(vec![])
    });
    assert!(!plain
        .warnings
        .iter()
        .any(|w| w.finding.title.contains("mixes scripts")));
    for bad in ["a/b", "..", "view\u{15}"] {
        let out = build(&RbacForm {
            scope: Scope::BindClusterRole,
            cluster_role: bad.into(),
            ..form(vec![])
        });
        assert_eq!(out.errors.len(), 1, "{bad:?}");
        assert_eq!(out.errors[0].field, Field::ClusterRole);
        assert!(out.kubectl_script.is_empty());
    }
}

/// Any subject in several namespaces, against what kubectl prints for the same objects: a
/// service account of `ci` with a Role in `app1` and `app2`, a user with one ClusterRole bound
/// in each, a group bound to `view` in each.
#[test]
fn any_subject_in_several_namespaces_matches_kubectl() {
    let pods = || form(vec![row("\"\"", "pods", "get, list")]);
    check(
        &RbacForm {
            service_account: "deployer".to_string(),
            namespace: "app1, app2".to_string(),
            account_namespace: "ci".to_string(),
            ..pods()
        },
        "sa-two-namespaces.yaml",
        &[
            "kubectl create serviceaccount deployer --namespace=ci",
            "kubectl create role ci-deployer --namespace=app1 --verb=get,list --resource=pods",
            "kubectl create rolebinding ci-deployer --namespace=app2 --role=ci-deployer \
             --serviceaccount=ci:deployer",
            "kubectl auth can-i --list --namespace=app2 \
             --as=system:serviceaccount:ci:deployer",
            "kubectl create token deployer --namespace=ci --duration=1h",
        ],
    );
    check(
        &RbacForm {
            subject: SubjectKind::User,
            service_account: "jane@example.com".to_string(),
            namespace: "app1 app2".to_string(),
            shared_role: true,
            ..pods()
        },
        "user-shared-cluster-role.yaml",
        &[
            "kubectl create clusterrole user-jane-example.com --verb=get,list --resource=pods",
            "kubectl create rolebinding user-jane-example.com --namespace=app1 \
             --clusterrole=user-jane-example.com --user=jane@example.com",
        ],
    );
    let out = check(
        &RbacForm {
            subject: SubjectKind::Group,
            service_account: "oidc:deployers".to_string(),
            namespace: "app1,app2".to_string(),
            scope: Scope::BindClusterRole,
            cluster_role: "view".to_string(),
            ..pods()
        },
        "group-view.yaml",
        &[
            "kubectl create rolebinding group-oidc-deployers-view --namespace=app2 \
           --clusterrole=view --group=oidc:deployers",
        ],
    );
    assert_eq!(
        out.summary[0].where_, "in namespaces app1, app2",
        "{:?}",
        out.summary
    );
}
