//! The RBAC builder for any subject in several namespaces: a ServiceAccount of `ci` working in
//! `app1` and `app2`, a User and a Group. Their objects go through real kubectl (client-side
//! dry run against a discovery-only stand-in for the API server), both as YAML and as the
//! builder's script, and what kubectl hands back is read by the access evaluator: Yes in each
//! chosen namespace, No in a third and for anyone else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use proptest::prelude::*;
use serde_json::{json, Value};
use tokenscope::access::{self, can_i, Query, Subject};
use tokenscope::rbac::{build, Field, RbacForm, RuleRow, SubjectKind};

fn rule(groups: &str, resources: &str, verbs: &str) -> RuleRow {
    RuleRow {
        api_groups: groups.to_string(),
        resources: resources.to_string(),
        verbs: verbs.to_string(),
        ..RuleRow::default()
    }
}

/// A deployer's grant: pods and deployments, as a CI job needs.
fn grant(subject: SubjectKind, name: &str) -> RbacForm {
    RbacForm {
        subject,
        service_account: name.to_string(),
        namespace: "app1, app2".to_string(),
        account_namespace: if subject == SubjectKind::ServiceAccount {
            "ci".to_string()
        } else {
            String::new()
        },
        rules: vec![
            rule("\"\"", "pods", "get, list"),
            rule("apps", "deployments", "get, update, patch"),
        ],
        ..RbacForm::default()
    }
}

/// Who asks, as the authenticator would hand it over, for each of the forms above.
fn asker(subject: SubjectKind) -> Subject {
    let authenticated = "system:authenticated".to_string();
    match subject {
        SubjectKind::ServiceAccount => Subject::from_service_account("ci", "deployer"),
        SubjectKind::User => Subject {
            user: "jane@example.com".to_string(),
            groups: vec![authenticated],
        },
        SubjectKind::Group => Subject {
            user: "bob".to_string(),
            groups: vec!["oidc:deployers".to_string(), authenticated],
        },
    }
}

fn names(subject: SubjectKind) -> &'static str {
    match subject {
        SubjectKind::ServiceAccount => "deployer",
        SubjectKind::User => "jane@example.com",
        SubjectKind::Group => "oidc:deployers",
    }
}

fn allowed(policy: &access::Policy, who: &Subject, verb: &str, resource: &str, ns: &str) -> bool {
    let query = Query::parse(verb, resource, ns, "").unwrap();
    can_i(policy, who, &query).allowed
}

/// Yes for each rule in both namespaces; No in a third, for another verb, and for others.
fn assert_grants(policy: &access::Policy, subject: SubjectKind, what: &str) {
    let who = asker(subject);
    for ns in ["app1", "app2"] {
        for (verb, resource) in [("list", "pods"), ("patch", "deployments.apps")] {
            assert!(
                allowed(policy, &who, verb, resource, ns),
                "{what}: {verb} {resource} in {ns}"
            );
        }
        assert!(!allowed(policy, &who, "delete", "pods", ns), "{what}");
    }
    assert!(!allowed(policy, &who, "list", "pods", "app3"), "{what}");
    assert!(!allowed(policy, &who, "list", "pods", "ci"), "{what}");
    let strangers = [
        Subject::from_service_account("app1", "deployer"),
        Subject::from_service_account("ci", "other"),
        Subject {
            user: "jane@example.org".to_string(),
            groups: vec!["oidc:deployers-not".to_string()],
        },
    ];
    for stranger in strangers {
        assert!(
            !allowed(policy, &stranger, "list", "pods", "app1"),
            "{what}: {stranger:?}"
        );
    }
}

/// Every way the builder writes the grant: a Role in each namespace, or one ClusterRole
/// bound in each.
fn forms() -> Vec<(String, RbacForm)> {
    let mut out = Vec::new();
    for subject in SubjectKind::ALL {
        for shared_role in [false, true] {
            let form = RbacForm {
                shared_role,
                ..grant(subject, names(subject))
            };
            out.push((format!("{subject:?} shared={shared_role}"), form));
        }
    }
    out
}

#[test]
fn the_objects_for_each_subject_and_namespace() {
    let kinds = |form: &RbacForm| -> Vec<(String, String)> {
        build(form)
            .documents
            .iter()
            .map(|d| {
                (
                    d["kind"].as_str().unwrap().to_string(),
                    d["metadata"]["namespace"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                )
            })
            .collect()
    };
    let pair = |k: &str, ns: &str| (k.to_string(), ns.to_string());
    let account = grant(SubjectKind::ServiceAccount, "deployer");
    assert_eq!(
        kinds(&account),
        [
            pair("ServiceAccount", "ci"),
            pair("Role", "app1"),
            pair("RoleBinding", "app1"),
            pair("Role", "app2"),
            pair("RoleBinding", "app2"),
        ]
    );
    let out = build(&account);
    assert_eq!(out.documents[1]["metadata"]["name"], "ci-deployer");
    assert_eq!(
        out.documents[2]["subjects"],
        json!([{"kind": "ServiceAccount", "name": "deployer", "namespace": "ci"}])
    );
    assert_eq!(out.summary[0].where_, "in namespaces app1, app2");
    let shared = RbacForm {
        shared_role: true,
        ..grant(SubjectKind::User, "jane@example.com")
    };
    assert_eq!(
        kinds(&shared),
        [
            pair("ClusterRole", ""),
            pair("RoleBinding", "app1"),
            pair("RoleBinding", "app2"),
        ]
    );
    let out = build(&shared);
    assert_eq!(
        out.documents[0]["metadata"]["name"],
        "user-jane-example.com"
    );
    assert_eq!(
        out.documents[1]["subjects"],
        json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane@example.com"}])
    );
    assert_eq!(out.file_name, "user-jane-example.com-rbac.yaml");
    let group = build(&grant(SubjectKind::Group, "oidc:deployers"));
    assert_eq!(group.documents[1]["subjects"][0]["kind"], "Group");
    assert_eq!(
        group.documents[0]["metadata"]["name"],
        "group-oidc-deployers"
    );
    // A check per namespace, as the subject.
    assert!(group.kubectl_script.contains(
        "kubectl auth can-i --list --namespace=app2 --as=member-of-the-group \
         --as-group=oidc:deployers\n"
    ));
    assert!(!group.kubectl_script.contains("create token"));
}

#[test]
fn names_and_namespaces_are_checked() {
    let errors =
        |form: RbacForm| -> Vec<Field> { build(&form).errors.iter().map(|p| p.field).collect() };
    let user = grant(SubjectKind::User, "jane");
    assert_eq!(
        errors(RbacForm {
            service_account: " ".into(),
            ..user.clone()
        }),
        [Field::SubjectName]
    );
    assert_eq!(
        errors(RbacForm {
            service_account: "jane\u{200b}".into(),
            ..user.clone()
        }),
        [Field::SubjectName]
    );
    assert_eq!(
        errors(RbacForm {
            namespace: String::new(),
            ..user.clone()
        }),
        [Field::Namespace]
    );
    assert_eq!(
        errors(RbacForm {
            namespace: "app1, App2".into(),
            ..user.clone()
        }),
        [Field::Namespace]
    );
    assert_eq!(
        errors(RbacForm {
            token_secret: true,
            ..user.clone()
        }),
        [Field::TokenSecret]
    );
    let account = grant(SubjectKind::ServiceAccount, "deployer");
    assert_eq!(
        errors(RbacForm {
            account_namespace: "-n".into(),
            ..account.clone()
        }),
        [Field::AccountNamespace]
    );
    let many = (0..65)
        .map(|i| format!("ns{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(
        errors(RbacForm {
            namespace: many,
            ..account
        }),
        [Field::Namespace]
    );
    // Free text is allowed, but what grants to everyone or mixes scripts is said.
    let warned = |subject: SubjectKind, name: &str| -> Vec<String> {
        build(&grant(subject, name))
            .warnings
            .iter()
            .filter(|w| w.field == Field::SubjectName)
            .map(|w| w.finding.title.clone())
            .collect()
    };
    assert_eq!(
        warned(SubjectKind::Group, "system:authenticated"),
        ["Granted to everyone"]
    );
    assert_eq!(
        warned(SubjectKind::User, "j\u{430}ne"),
        ["User name mixes scripts"]
    );
    assert_eq!(
        warned(SubjectKind::User, "CN=Jane Doe, O=dev"),
        Vec::<String>::new()
    );
    // The risk notes follow the namespaces: one of them is kube-system.
    for shared_role in [false, true] {
        let out = build(&RbacForm {
            namespace: "app1, kube-system".into(),
            shared_role,
            ..grant(SubjectKind::User, "jane")
        });
        let kube_system = out
            .warnings
            .iter()
            .any(|w| w.field == Field::Namespace && w.finding.title == "Binding in kube-system");
        assert!(kube_system, "{:?}", out.warnings);
    }
}

/// A discovery-only stand-in for the API server, stopped when dropped, and a kubeconfig and
/// home pointing at it.
struct StandIn {
    server: Child,
    home: PathBuf,
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

fn stand_in() -> Option<StandIn> {
    if !common::tool(&["kubectl", "version", "--client"])
        || !common::tool(&["python3", "--version"])
    {
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Command::new("python3")
        .arg(format!("{}rbac/fake-discovery.py", common::VECTORS))
        .arg(port.to_string())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let home = std::env::temp_dir().join(format!(
        "tokenscope-rbac-subjects-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&home).unwrap();
    let config = json!({
        "apiVersion": "v1", "kind": "Config", "current-context": "fake",
        "clusters": [{"name": "fake", "cluster": {"server": format!("http://127.0.0.1:{port}")}}],
        "users": [{"name": "u", "user": {"token": "unused"}}],
        "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "u"}}],
    });
    std::fs::write(home.join("kubeconfig"), config.to_string()).unwrap();
    Some(StandIn { server, home })
}

impl StandIn {
    /// Runs `script` in bash with this kubeconfig, retrying while the stand-in starts.
    fn bash(&self, script: &str, stdin: &str) -> String {
        for _ in 0..50 {
            let mut child = Command::new("bash")
                .args(["-c", script])
                .env("KUBECONFIG", self.home.join("kubeconfig"))
                .env("HOME", &self.home)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(stdin.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            if stderr.contains("connection refused") {
                std::thread::sleep(std::time::Duration::from_millis(100));
                continue;
            }
            assert!(out.status.success(), "{script}: {stderr}");
            return String::from_utf8(out.stdout).unwrap();
        }
        panic!("the discovery stand-in never answered");
    }
}

/// What kubectl printed (JSON objects, `List`s among them) as one `List` the evaluator reads.
fn as_list(printed: &str) -> String {
    let mut items = Vec::new();
    for value in serde_json::Deserializer::from_str(printed).into_iter::<Value>() {
        let value = value.unwrap();
        match value["items"].as_array() {
            Some(list) => items.extend(list.iter().cloned()),
            None => items.push(value),
        }
    }
    json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string()
}

const DRY_APPLY: &str = "kubectl apply --dry-run=client --validate=false -o json -f -";

#[test]
fn kubectl_applies_the_yaml_and_the_evaluator_agrees() {
    let Some(kube) = stand_in() else { return };
    for (what, form) in forms() {
        let out = build(&form);
        assert_eq!(out.errors, vec![], "{what}");
        let printed = kube.bash(DRY_APPLY, out.yaml.as_deref().unwrap());
        let policy = access::parse(&as_list(&printed)).unwrap();
        assert_grants(&policy, form.subject, &what);
    }
}

/// The script, with each `kubectl apply` made a client-side dry run printing JSON: the
/// commands it runs give the same grant, and running it twice changes nothing (every object
/// is applied, so one that exists is no error).
#[test]
fn kubectl_runs_the_script_and_the_evaluator_agrees() {
    let Some(kube) = stand_in() else { return };
    let wrapper = "kubectl() { case \"$1\" in \
                   apply) shift; command kubectl apply --dry-run=client --validate=false -o json \"$@\";; \
                   auth) ;; \
                   create) if [ \"$2\" = token ]; then return 0; fi; command kubectl \"$@\";; \
                   *) command kubectl \"$@\";; esac; }\n";
    for (what, form) in forms() {
        let out = build(&form);
        // Nothing is created outside an apply.
        for line in out.kubectl_script.lines() {
            if line.starts_with("kubectl create ") && !line.starts_with("kubectl create token ") {
                assert!(
                    line.ends_with(" --dry-run=client -o yaml | kubectl apply -f -"),
                    "{what}: {line}"
                );
            }
        }
        let printed = kube.bash(&format!("{wrapper}{}", out.kubectl_script), "");
        let policy = access::parse(&as_list(&printed)).unwrap();
        assert_grants(&policy, form.subject, &what);
    }
}

fn subject_kind() -> impl Strategy<Value = SubjectKind> {
    prop::sample::select(SubjectKind::ALL.to_vec())
}

prop_compose! {
    /// A form for any subject in one to four namespaces, with one to three rules of
    /// namespaced resources.
    fn random_form()(
        subject in subject_kind(),
        name in "[a-z][a-z0-9]{0,8}",
        own in prop::option::of("[a-z][a-z0-9]{0,5}"),
        namespaces in prop::collection::btree_set("ns[a-z0-9]{1,4}", 1..5),
        shared_role in any::<bool>(),
        rules in prop::collection::vec(
            (
                prop::sample::select(vec![("\"\"", "pods"), ("\"\"", "configmaps"), ("apps", "deployments"), ("batch", "jobs")]),
                prop::sample::subsequence(vec!["get", "list", "watch", "create", "update", "patch", "delete"], 1..4),
            ),
            1..4,
        ),
    ) -> RbacForm {
        RbacForm {
            subject,
            service_account: name,
            namespace: namespaces.into_iter().collect::<Vec<_>>().join(", "),
            account_namespace: own.unwrap_or_default(),
            shared_role,
            rules: rules
                .into_iter()
                .map(|((g, r), verbs)| rule(g, r, &verbs.join(", ")))
                .collect(),
            ..RbacForm::default()
        }
    }
}

fn subject_of(form: &RbacForm) -> Subject {
    let name = form.service_account.clone();
    match form.subject {
        SubjectKind::ServiceAccount => {
            let namespaces = tokenscope::rbac::split_list(&form.namespace);
            let home = if form.account_namespace.is_empty() {
                namespaces[0].clone()
            } else {
                form.account_namespace.clone()
            };
            Subject::from_service_account(&home, &name)
        }
        SubjectKind::User => Subject {
            user: name,
            groups: vec!["system:authenticated".to_string()],
        },
        SubjectKind::Group => Subject {
            user: "someone".to_string(),
            groups: vec![name],
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// For random forms, Can I answers Yes for each rule in each chosen namespace, and No in
    /// another namespace and for another subject.
    #[test]
    fn every_rule_is_granted_where_chosen_and_nowhere_else(form in random_form()) {
        let out = build(&form);
        prop_assert_eq!(&out.errors, &vec![]);
        let policy = access::parse(out.yaml.as_deref().unwrap()).unwrap();
        let who = subject_of(&form);
        let other = Subject {
            user: format!("{}x", who.user),
            groups: vec!["system:authenticated".to_string()],
        };
        let other_group = Subject {
            user: "someone-else".to_string(),
            groups: vec![format!("{}x", form.service_account)],
        };
        for row in &form.rules {
            let group = row.api_groups.trim_matches('"');
            let resource = if group.is_empty() {
                row.resources.clone()
            } else {
                format!("{}.{group}", row.resources)
            };
            for verb in tokenscope::rbac::split_list(&row.verbs) {
                for ns in tokenscope::rbac::split_list(&form.namespace) {
                    prop_assert!(allowed(&policy, &who, &verb, &resource, &ns), "{verb} {resource} in {ns}");
                    prop_assert!(!allowed(&policy, &other, &verb, &resource, &ns));
                    prop_assert!(!allowed(&policy, &other_group, &verb, &resource, &ns));
                }
                prop_assert!(!allowed(&policy, &who, &verb, &resource, "elsewhere"));
            }
        }
    }
}

/// **Show what this grants** opens Access as the form's subject: the text it types there reads
/// back as the subject the objects name, and Can I says Yes for it.
#[test]
fn show_what_this_grants_asks_as_the_subject() {
    for subject in SubjectKind::ALL {
        let form = grant(subject, names(subject));
        let text = tokenscope::rbac::access_subject(&form);
        let expected = match subject {
            SubjectKind::ServiceAccount => "system:serviceaccount:ci:deployer",
            SubjectKind::User => "jane@example.com",
            SubjectKind::Group => "group:oidc:deployers",
        };
        assert_eq!(text, expected);
        let read = access::parse_subject(&text).unwrap();
        let policy = access::parse(build(&form).yaml.as_deref().unwrap()).unwrap();
        assert!(allowed(&policy, &read, "list", "pods", "app2"), "{text}");
        assert!(!allowed(&policy, &read, "list", "pods", "app3"), "{text}");
    }
}
