//! Never broader than audit2rbac: audit2rbac's own generator cases and its demo audit log
//! (`tests/fixtures/audit2rbac/`, copied from liggitt/audit2rbac with their source in the
//! README there) run through Activity. Our RBAC covers every request audit2rbac was given,
//! and our evaluator allows nothing with it that audit2rbac's output does not allow.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use common::audit::with_request;
use serde_json::{json, Value};
use tokenscope::access::{can_i, parse, Policy, Query, Subject};
use tokenscope::activity::{generate, read, select, Decision, Grantee, Options, Request, Whose};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/audit2rbac/");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{name}")).unwrap()
}

/// The default `system:discovery` ClusterRole and binding audit2rbac assumes
/// (`getDiscoveryRoles` in its `cmd/audit2rbac/audit2rbac.go`).
const DISCOVERY: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:discovery"}
rules:
- nonResourceURLs: ["/healthz", "/version", "/swagger*", "/openapi*", "/api*"]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:discovery"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:discovery"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
"#;

/// audit2rbac's expected roles (`[{namespace, rules}]`) bound to `subject`, with the
/// discovery binding it assumes.
fn theirs(expected: &Value, subject: &Value) -> Policy {
    let mut docs = vec![DISCOVERY.to_string()];
    for (i, role) in expected.as_array().unwrap().iter().enumerate() {
        let name = format!("audit2rbac-{i}");
        let (kind, binding, meta) = match role["namespace"].as_str() {
            Some(ns) => (
                "Role",
                "RoleBinding",
                json!({"name": name, "namespace": ns}),
            ),
            None => ("ClusterRole", "ClusterRoleBinding", json!({"name": name})),
        };
        docs.push(
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": meta, "rules": role["rules"]})
                .to_string(),
        );
        docs.push(
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": binding, "metadata": meta,
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": name},
                "subjects": [subject]})
            .to_string(),
        );
    }
    let policy = parse(&docs.join("\n---\n")).unwrap();
    assert!(policy.notes.is_empty(), "{:?}", policy.notes);
    policy
}

/// `VERB RESOURCE[.GROUP][/SUB] [-n NS] [NAME]` or `VERB /path` as an allowed audit event of
/// `user`.
fn event(user: &str, what: &str) -> Value {
    let words: Vec<&str> = what.split_whitespace().collect();
    let ev = json!({
        "kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete",
        "verb": words[0],
        "user": {"username": user, "groups": ["system:authenticated"]},
        "responseStatus": {"code": 200},
        "annotations": {"authorization.k8s.io/decision": "allow"},
    });
    with_request(ev, what, "", "/api/v1/x")
}

fn ask(policy: &Policy, subject: &Subject, r: &Request) -> bool {
    let resource = if r.is_non_resource() {
        r.path.clone()
    } else {
        r.resource_label()
    };
    let query = Query::parse(
        &r.verb,
        &resource,
        r.namespace.as_deref().unwrap_or(""),
        r.name.as_deref().unwrap_or(""),
    )
    .unwrap();
    can_i(policy, subject, &query).allowed
}

/// Each request and its neighbours: other verbs, names, namespaces, resources, paths.
fn probes(requests: &[Request]) -> Vec<Request> {
    let mut out = Vec::new();
    for r in requests {
        out.push(r.clone());
        if r.is_non_resource() {
            for path in [format!("{}/more", r.path), "/metrics".to_string()] {
                out.push(Request { path, ..r.clone() });
            }
            continue;
        }
        for verb in [
            "get",
            "list",
            "watch",
            "create",
            "update",
            "patch",
            "delete",
            "deletecollection",
            "impersonate",
        ] {
            let name = r
                .name
                .clone()
                .filter(|_| !["list", "watch", "create"].contains(&verb));
            out.push(Request {
                verb: verb.to_string(),
                name,
                ..r.clone()
            });
        }
        for name in [None, Some("zz-other".to_string())] {
            out.push(Request { name, ..r.clone() });
        }
        for namespace in [None, Some("ns-other".to_string())] {
            if r.namespace.is_some() {
                out.push(Request {
                    namespace,
                    ..r.clone()
                });
            }
        }
        for resource in ["secrets", "pods", "nodes", "configmaps/status"] {
            out.push(Request {
                resource: resource.to_string(),
                api_group: String::new(),
                ..r.clone()
            });
        }
    }
    out
}

/// Every probe ours allows, theirs allows; and every one of `granted` ours allows.
fn never_broader(
    ours: &Policy,
    theirs: &Policy,
    subject: &Subject,
    granted: &[Request],
    all: &[Request],
    case: &str,
) {
    for r in granted {
        assert!(
            ask(ours, subject, r),
            "{case}: ours does not grant {}",
            r.describe()
        );
    }
    for p in probes(all) {
        if ask(ours, subject, &p) {
            assert!(
                ask(theirs, subject, &p),
                "{case}: ours grants {} and audit2rbac's does not",
                p.describe()
            );
        }
    }
}

#[test]
fn process_options_cases_never_broader_than_audit2rbac() {
    let doc: Value = serde_json::from_str(&fixture("process_options_cases.json")).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 11);
    let bob = Subject {
        user: "bob".to_string(),
        groups: vec!["system:authenticated".to_string()],
    };
    let subject = json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "bob"});
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let text: String = case["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| format!("{}\n", event("bob", w.as_str().unwrap())))
            .collect();
        let events = read(&text).unwrap();
        let requests: Vec<Request> = events.events.iter().map(|e| e.request.clone()).collect();
        let rows = select(&events, &Whose::Subject(bob.clone())).rows;
        let generated = generate(&rows, &Grantee::User("bob".into()), Options::default());
        let ours = parse(&generated.yaml).unwrap();
        let theirs = theirs(&case["expected"], &subject);
        never_broader(&ours, &theirs, &bob, &requests, &requests, name);
    }
}

#[test]
fn demo_log_never_broader_than_audit2rbac_for_each_impersonated_user() {
    let events = read(&fixture("demo.log")).unwrap();
    assert_eq!(events.events.len(), 37);
    assert!(events.problems.is_empty(), "{:?}", events.problems);
    // The API server of 2017 wrote no authorization annotations: a 403 is a denial.
    let denied = events
        .events
        .iter()
        .filter(|e| e.decision == Decision::Denied)
        .count();
    assert_eq!(denied, 11);
    let doc: Value = serde_json::from_str(&fixture("demo_expected.json")).unwrap();
    for (user, want) in doc["subjects"].as_object().unwrap() {
        let sa = user.strip_prefix("system:serviceaccount:");
        let subject = match sa.and_then(|s| s.split_once(':')) {
            Some((ns, name)) => Subject::from_service_account(ns, name),
            None => Subject {
                user: user.clone(),
                groups: vec!["system:authenticated".to_string()],
            },
        };
        let binding_subject = match sa.and_then(|s| s.split_once(':')) {
            Some((ns, name)) => json!({"kind": "ServiceAccount", "name": name, "namespace": ns}),
            None => json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user}),
        };
        assert_eq!(want["kind"], binding_subject["kind"]);
        // Matched by the impersonated user: every event of the log was sent by system:admin.
        let matched = select(&events, &Whose::Subject(subject.clone()));
        assert!(
            matched.total() > 0 && matched.impersonated == matched.total(),
            "{user}"
        );
        let all: Vec<Request> = matched.rows.iter().map(|r| r.request.clone()).collect();
        let theirs = theirs(&want["expected"], &binding_subject);
        let grantee = Grantee::from_subject(&subject);
        for include_denied in [false, true] {
            let options = Options {
                include_denied,
                ..Options::default()
            };
            let generated = generate(&matched.rows, &grantee, options);
            let granted: Vec<Request> = matched
                .rows
                .iter()
                .filter(|r| include_denied || r.decision != Decision::Denied)
                .map(|r| r.request.clone())
                .collect();
            if generated.yaml.is_empty() {
                assert!(granted.is_empty(), "{user}");
                continue;
            }
            let ours = parse(&generated.yaml).unwrap();
            let case = format!("{user}, include denied {include_denied}");
            never_broader(&ours, &theirs, &subject, &granted, &all, &case);
        }
    }
}

#[test]
fn demo_log_impersonator_needs_impersonate_only() {
    let events = read(&fixture("demo.log")).unwrap();
    // Its system:masters group is left out: that group passes every check, and the question
    // is what the generated RBAC grants.
    let admin = Subject {
        user: "system:admin".to_string(),
        groups: vec!["system:authenticated".to_string()],
    };
    let matched = select(&events, &Whose::Subject(admin.clone()));
    assert_eq!(matched.impersonating, 37);
    assert_eq!(matched.impersonated + matched.by_user, 0);
    let described: Vec<String> = matched.rows.iter().map(|r| r.request.describe()).collect();
    // No `impersonate groups system:authenticated` (nor a service account's own groups): the
    // API server adds those itself and never checks them.
    assert_eq!(
        described,
        [
            "impersonate users alice",
            "impersonate users bob",
            "impersonate serviceaccounts -n ns1 sa1",
        ]
    );
    assert!(matched.rows.iter().all(|r| r.decision == Decision::Allowed));
    let generated = generate(
        &matched.rows,
        &Grantee::from_subject(&admin),
        Options {
            include_denied: true,
            resource_names: false,
        },
    );
    let ours = parse(&generated.yaml).unwrap();
    let req = |verb: &str, resource: &str, ns: Option<&str>, name: &str| Request {
        verb: verb.to_string(),
        resource: resource.to_string(),
        namespace: ns.map(str::to_string),
        name: Some(name.to_string()).filter(|n| !n.is_empty()),
        ..Request::default()
    };
    for (r, want) in [
        (req("impersonate", "users", None, "bob"), true),
        (req("impersonate", "users", None, "alice"), true),
        (
            req("impersonate", "serviceaccounts", Some("ns1"), "sa1"),
            true,
        ),
        // Names are kept for impersonate even with Grant on every object.
        (req("impersonate", "users", None, "eve"), false),
        (req("impersonate", "groups", None, "system:masters"), false),
        (
            req("impersonate", "serviceaccounts", Some("ns1"), "other"),
            false,
        ),
        (req("list", "pods", Some("default"), ""), false),
        (req("list", "nodes", None, ""), false),
    ] {
        assert_eq!(
            ask(&ours, &admin, &r),
            want,
            "{}\n{}",
            r.describe(),
            generated.yaml
        );
    }
}
