//! Activity never grants more than was asked: a `*` in a request is a literal and never makes
//! a rule, only requests allowed and completed make rules, a 403 without annotations is a
//! denial, impersonated requests belong to the impersonated user (and the impersonator needs
//! `impersonate` only), names limit the default rules, and the default bindings are never
//! "unused". Real events from public sources are in `tests/fixtures/activity/` (see its
//! README); the property test checks every generated role with the access evaluator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use common::audit::{lines, with_request};
use proptest::prelude::*;
use serde_json::{json, Value};
use tokenscope::access::{can_i, parse, Policy, Query, Subject};
use tokenscope::activity::{
    builder_form, compare, generate, is_default_binding, names_a_wildcard, read, select, Decision,
    Grantee, Options, Request, Row, Whose,
};

const SA: &str = "system:serviceaccount:shop:web";

/// An audit event of `user`: `what` is `VERB RESOURCE[.GROUP][/SUB] [-n NS] [NAME]` or
/// `VERB /path`; `code` the response code; `decision` the annotation (`""`: none).
fn event(user: &str, what: &str, code: u16, decision: &str) -> Value {
    let words: Vec<&str> = what.split_whitespace().collect();
    let mut ev = json!({
        "kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete",
        "verb": words[0],
        "user": {"username": user, "groups": ["system:serviceaccounts", "system:authenticated"]},
        "responseStatus": {"code": code},
        "requestReceivedTimestamp": "2026-12-01T10:00:00.000000Z",
    });
    if !decision.is_empty() {
        ev["annotations"] = json!({"authorization.k8s.io/decision": decision});
    }
    with_request(ev, what, "", "/api/v1/x")
}

fn web() -> Subject {
    Subject::from_service_account("shop", "web")
}

fn rows(text: &str, subject: &Subject) -> Vec<Row> {
    select(&read(text).unwrap(), &Whose::Subject(subject.clone())).rows
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

fn req(verb: &str, resource: &str, ns: Option<&str>, name: Option<&str>) -> Request {
    let (resource, group) = resource.split_once('.').unwrap_or((resource, ""));
    Request {
        verb: verb.to_string(),
        api_group: group.to_string(),
        resource: resource.to_string(),
        namespace: ns.map(str::to_string),
        name: name.map(str::to_string),
        path: String::new(),
    }
}

fn path(verb: &str, path: &str) -> Request {
    Request {
        verb: verb.to_string(),
        path: path.to_string(),
        ..Request::default()
    }
}

/// Every option set, with denied requests and without, names and without.
fn every_options() -> [Options; 4] {
    [(false, false), (false, true), (true, false), (true, true)].map(|(d, n)| Options {
        include_denied: d,
        resource_names: n,
    })
}

#[test]
fn a_request_naming_star_never_makes_a_wildcard_rule() {
    // As the API server records a request to /api/v1/namespaces/prod/* (`cannot list resource
    // "*"`), to /* and /api/*, and objects, groups and subresources named *.
    let text = lines(&[
        event(SA, "list * -n prod", 403, "forbid"),
        event(SA, "list * -n prod", 200, "allow"),
        event(SA, "get /*", 403, "forbid"),
        event(SA, "get /api/*", 200, "allow"),
        event(SA, "get pods/* -n prod p", 200, "allow"),
        event(SA, "get secrets -n prod *", 200, "allow"),
        event(SA, "list widgets.* -n prod", 200, "allow"),
        event(SA, "get configmaps -n prod settings", 200, "allow"),
    ]);
    let rows = rows(&text, &web());
    for options in every_options() {
        let g = generate(&rows, &Grantee::from_subject(&web()), options);
        assert!(!g.yaml.contains('*'), "{}", g.yaml);
        let expected_left_out = if options.include_denied { 7 } else { 5 };
        assert_eq!(g.wildcards.len(), expected_left_out, "{options:?}");
        assert!(g.wildcards.iter().all(names_a_wildcard));
        let policy = parse(&g.yaml).unwrap();
        let subject = web();
        assert!(ask(
            &policy,
            &subject,
            &req("get", "configmaps", Some("prod"), Some("settings"))
        ));
        for never in [
            req("list", "secrets", Some("prod"), None),
            req("get", "secrets", Some("prod"), Some("db")),
            req("get", "pods/exec", Some("prod"), Some("p")),
            req("list", "widgets.example.com", Some("prod"), None),
            path("get", "/debug/pprof/profile"),
            path("get", "/api/v1"),
        ] {
            assert!(
                !ask(&policy, &subject, &never),
                "{}\n{}",
                never.describe(),
                g.yaml
            );
        }
        // Nor through the RBAC builder.
        if let Ok(form) = builder_form(&g, &Grantee::from_subject(&web())) {
            for row in &form.rules {
                let parts = [
                    &row.api_groups,
                    &row.resources,
                    &row.verbs,
                    &row.resource_names,
                    &row.non_resource_urls,
                ];
                assert!(parts.iter().all(|p| !p.contains('*')), "{row:?}");
            }
        }
    }
}

#[test]
fn only_allowed_and_completed_requests_make_rules() {
    let mut text = lines(&[
        event(SA, "get configmaps -n shop there", 200, "allow"),
        event(SA, "get configmaps -n shop missing", 404, "allow"),
        event(
            SA,
            "create leases.coordination.k8s.io -n shop",
            409,
            "allow",
        ),
        event(SA, "update deployments.apps -n shop web", 500, "allow"),
        event(SA, "patch services -n shop web", 422, "allow"),
        // Allowed by the authorizer, refused by admission.
        event(SA, "create pods -n shop", 403, "allow"),
        // A 403 without annotations: denied.
        event(SA, "list secrets -n shop", 403, ""),
        // No response status recorded: counted as completed.
        event(SA, "list configmaps -n shop", 0, "allow"),
    ]);
    text = text.replace(r#""responseStatus":{"code":0},"#, "");
    let rows = rows(&text, &web());
    assert_eq!(rows.len(), 8);
    let failed: Vec<(String, Option<u16>)> = rows
        .iter()
        .filter(|r| r.failed.is_some())
        .map(|r| (r.request.describe(), r.failed))
        .collect();
    assert_eq!(failed.len(), 5, "{failed:?}");
    let secrets = rows
        .iter()
        .find(|r| r.request.resource == "secrets")
        .unwrap();
    assert_eq!(secrets.decision, Decision::Denied);
    assert_eq!(
        secrets.failed, None,
        "a denial is not a failure: the user decides"
    );
    for options in every_options() {
        let g = generate(&rows, &Grantee::from_subject(&web()), options);
        assert_eq!(g.failed, 5);
        let policy = parse(&g.yaml).unwrap();
        let s = web();
        assert!(ask(
            &policy,
            &s,
            &req("get", "configmaps", Some("shop"), Some("there"))
        ));
        assert!(ask(
            &policy,
            &s,
            &req("list", "configmaps", Some("shop"), None)
        ));
        assert_eq!(
            ask(&policy, &s, &req("list", "secrets", Some("shop"), None)),
            options.include_denied
        );
        for never in [
            req("create", "leases.coordination.k8s.io", Some("shop"), None),
            req("update", "deployments.apps", Some("shop"), Some("web")),
            req("patch", "services", Some("shop"), Some("web")),
            req("create", "pods", Some("shop"), None),
        ] {
            assert!(
                !ask(&policy, &s, &never),
                "{}\n{}",
                never.describe(),
                g.yaml
            );
        }
        // The 404'd get is not granted; with names off, the completed get grants every name.
        assert_eq!(
            ask(
                &policy,
                &s,
                &req("get", "configmaps", Some("shop"), Some("missing"))
            ),
            !options.resource_names
        );
    }
}

#[test]
fn the_default_limits_a_verb_used_on_one_object_to_that_name() {
    let text = lines(&[
        event(SA, "get configmaps -n shop settings", 200, "allow"),
        event(SA, "list pods -n shop web-0", 200, "allow"),
        event(SA, "list pods -n shop", 200, "allow"),
        event(SA, "create configmaps -n shop made", 201, "allow"),
    ]);
    let rows = rows(&text, &web());
    let g = generate(&rows, &Grantee::from_subject(&web()), Options::default());
    let policy = parse(&g.yaml).unwrap();
    let s = web();
    assert!(ask(
        &policy,
        &s,
        &req("get", "configmaps", Some("shop"), Some("settings"))
    ));
    assert!(!ask(
        &policy,
        &s,
        &req("get", "configmaps", Some("shop"), Some("other"))
    ));
    assert!(ask(&policy, &s, &req("list", "pods", Some("shop"), None)));
    // A create is authorized before its name is known: granted on every name.
    assert!(ask(
        &policy,
        &s,
        &req("create", "configmaps", Some("shop"), None)
    ));
    // One click away: every object.
    let every = generate(
        &rows,
        &Grantee::from_subject(&web()),
        Options {
            resource_names: false,
            ..Options::default()
        },
    );
    let policy = parse(&every.yaml).unwrap();
    assert!(ask(
        &policy,
        &s,
        &req("get", "configmaps", Some("shop"), Some("other"))
    ));
}

#[test]
fn a_list_that_selected_one_object_by_name_is_limited_to_it() {
    // kubectl get pod web-0 -w: a watch with fieldSelector=metadata.name=web-0, which the
    // authorizer checks against resourceNames.
    let text = lines(&[
        event(SA, "watch pods -n shop web-0", 200, "allow"),
        event(SA, "list pods -n shop web-0", 200, "allow"),
    ]);
    let g = generate(
        &rows(&text, &web()),
        &Grantee::from_subject(&web()),
        Options::default(),
    );
    let policy = parse(&g.yaml).unwrap();
    let s = web();
    assert!(ask(
        &policy,
        &s,
        &req("watch", "pods", Some("shop"), Some("web-0"))
    ));
    assert!(!ask(&policy, &s, &req("watch", "pods", Some("shop"), None)));
    assert!(!ask(
        &policy,
        &s,
        &req("list", "pods", Some("shop"), Some("web-1"))
    ));
}

/// A request of `sender` impersonating `as_user` (with groups, uid and extra).
fn impersonated(sender: &str, jti: Option<&str>, as_user: Value, what: &str, code: u16) -> Value {
    let mut ev = event(sender, what, code, "allow");
    if let Some(jti) = jti {
        ev["user"]["extra"] =
            json!({"authentication.kubernetes.io/credential-id": [format!("JTI={jti}")]});
    }
    ev["impersonatedUser"] = as_user;
    ev
}

#[test]
fn impersonated_requests_are_the_impersonated_users_and_the_sender_needs_impersonate_only() {
    let alice = json!({"username": "alice", "uid": "u-1", "groups": ["dev", "system:authenticated"],
        "extra": {"scopes": ["view", "edit"]}});
    let text = lines(&[
        impersonated(
            SA,
            Some("j1"),
            alice.clone(),
            "delete pods -n prod api-0",
            200,
        ),
        impersonated(SA, Some("j1"), alice.clone(), "get secrets -n prod db", 200),
        impersonated(SA, Some("j2"), alice, "list nodes", 200),
        event(SA, "get configmaps -n shop settings", 200, "allow"),
    ]);
    let events = read(&text).unwrap();
    // The token j1: its own get, and the impersonate checks of two requests; another token
    // of the account (j2) is left out.
    let token = Whose::Token {
        username: SA.to_string(),
        jti: Some("j1".to_string()),
    };
    let m = select(&events, &token);
    assert_eq!((m.impersonating, m.by_user, m.other_credentials), (2, 1, 1));
    let described: Vec<String> = m.rows.iter().map(|r| r.request.describe()).collect();
    assert_eq!(
        described,
        [
            "impersonate groups dev",
            "impersonate users alice",
            "impersonate uids.authentication.k8s.io u-1",
            "impersonate userextras.authentication.k8s.io/scopes edit",
            "impersonate userextras.authentication.k8s.io/scopes view",
            "get configmaps -n shop settings",
        ]
    );
    assert!(m
        .rows
        .iter()
        .all(|r| r.count == 1 || r.request.verb == "impersonate"));
    let g = generate(
        &m.rows,
        &Grantee::from_subject(&web()),
        Options {
            include_denied: true,
            resource_names: false,
        },
    );
    let policy = parse(&g.yaml).unwrap();
    let s = web();
    assert!(ask(
        &policy,
        &s,
        &req("impersonate", "users", None, Some("alice"))
    ));
    assert!(ask(
        &policy,
        &s,
        &req("impersonate", "groups", None, Some("dev"))
    ));
    for never in [
        req("impersonate", "users", None, Some("bob")),
        req("impersonate", "groups", None, Some("system:masters")),
        req("delete", "pods", Some("prod"), Some("api-0")),
        req("get", "secrets", Some("prod"), Some("db")),
    ] {
        assert!(
            !ask(&policy, &s, &never),
            "{}\n{}",
            never.describe(),
            g.yaml
        );
    }
    // alice: her requests, whoever sent them, for her.
    let alice = Subject {
        user: "alice".to_string(),
        groups: vec!["dev".to_string(), "system:authenticated".to_string()],
    };
    let m = select(&events, &Whose::Subject(alice.clone()));
    assert_eq!(m.impersonated, 3);
    let g = generate(&m.rows, &Grantee::from_subject(&alice), Options::default());
    assert!(
        g.yaml.contains("kind: User") && g.yaml.contains("name: alice"),
        "{}",
        g.yaml
    );
    assert!(!g.yaml.contains("ServiceAccount"), "{}", g.yaml);
    let policy = parse(&g.yaml).unwrap();
    assert!(ask(
        &policy,
        &alice,
        &req("delete", "pods", Some("prod"), Some("api-0"))
    ));
    assert!(!ask(
        &policy,
        &alice,
        &req("get", "configmaps", Some("shop"), Some("settings"))
    ));
    // Matched by group too.
    let dev = Subject {
        user: String::new(),
        groups: vec!["dev".to_string()],
    };
    assert_eq!(select(&events, &Whose::Subject(dev)).by_group, 3);
}

#[test]
fn impersonating_a_service_account_needs_impersonate_on_it_in_its_namespace() {
    let as_sa = json!({"username": "system:serviceaccount:ci:deployer",
        "groups": ["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"]});
    let text = lines(&[impersonated(
        "alice",
        None,
        as_sa,
        "patch deployments.apps -n prod api",
        200,
    )]);
    let alice = Subject {
        user: "alice".to_string(),
        groups: vec!["system:authenticated".to_string()],
    };
    let m = select(&read(&text).unwrap(), &Whose::Subject(alice.clone()));
    let described: Vec<String> = m.rows.iter().map(|r| r.request.describe()).collect();
    assert_eq!(described, ["impersonate serviceaccounts -n ci deployer"]);
    let g = generate(&m.rows, &Grantee::from_subject(&alice), Options::default());
    let policy = parse(&g.yaml).unwrap();
    assert!(ask(
        &policy,
        &alice,
        &req(
            "impersonate",
            "serviceaccounts",
            Some("ci"),
            Some("deployer")
        )
    ));
    assert!(!ask(
        &policy,
        &alice,
        &req("impersonate", "serviceaccounts", Some("ci"), Some("admin"))
    ));
    assert!(!ask(
        &policy,
        &alice,
        &req("patch", "deployments.apps", Some("prod"), Some("api"))
    ));
}

#[test]
fn a_refused_impersonation_is_a_denied_impersonate_check_of_the_sender() {
    // The API server's message, as a public thread quotes it (stored file id 59226952246 in
    // the project's index of public repositories), around the audit event it is logged in.
    let sender =
        "system:serviceaccount:flowsnake-impersonation-proxy:flowsnake-impers-tmpolclmuhp2q";
    let message = r#"users "uip-notebook-service.uip-notebook2-k8s-service.vkomirisetti" is forbidden: User "system:serviceaccount:flowsnake-impersonation-proxy:flowsnake-impers-tmpolclmuhp2q" cannot impersonate resource "users" in API group "" at the cluster scope"#;
    let mut refused = event(sender, "list secrets -n prod", 403, "");
    refused["responseStatus"] =
        json!({"status": "Failure", "reason": "Forbidden", "code": 403, "message": message});
    let sa_message = r#"serviceaccounts "deployer" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "ci""#;
    let mut sa_refused = event("alice", "patch deployments.apps -n prod api", 403, "");
    sa_refused["responseStatus"] = json!({"code": 403, "message": sa_message});
    let text = lines(&[refused, sa_refused]);
    let events = read(&text).unwrap();
    let described: Vec<String> = events
        .events
        .iter()
        .map(|e| format!("{} {}", e.decision.label(), e.request.describe()))
        .collect();
    assert_eq!(
        described,
        [
            "denied impersonate users uip-notebook-service.uip-notebook2-k8s-service.vkomirisetti",
            "denied impersonate serviceaccounts -n ci deployer",
        ]
    );
    // Granting what was denied grants the impersonation, never the request itself.
    let (ns, name) = (
        "flowsnake-impersonation-proxy",
        "flowsnake-impers-tmpolclmuhp2q",
    );
    let subject = Subject::from_service_account(ns, name);
    let g = generate(
        &rows(&text, &subject),
        &Grantee::from_subject(&subject),
        Options {
            include_denied: true,
            ..Options::default()
        },
    );
    let policy = parse(&g.yaml).unwrap();
    let user = "uip-notebook-service.uip-notebook2-k8s-service.vkomirisetti";
    assert!(ask(
        &policy,
        &subject,
        &req("impersonate", "users", None, Some(user))
    ));
    assert!(!ask(
        &policy,
        &subject,
        &req("impersonate", "users", None, Some("admin"))
    ));
    assert!(!ask(
        &policy,
        &subject,
        &req("list", "secrets", Some("prod"), None)
    ));
}

#[test]
fn real_events_404_and_impersonation_from_a_kodekloud_lab_log() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/activity/kodekloud-cks4-audit.jsonl"
    ))
    .unwrap();
    let events = read(&text).unwrap();
    assert_eq!(events.events.len(), 6);
    // The node's get of a deleted pod: a 404, shown, never granted.
    let node = Subject {
        user: "system:node:controlplane".to_string(),
        groups: vec!["system:nodes".to_string()],
    };
    let m = select(&events, &Whose::Subject(node.clone()));
    assert_eq!(m.rows.len(), 1);
    assert_eq!(m.rows[0].failed, Some(404));
    let g = generate(&m.rows, &Grantee::from_subject(&node), Options::default());
    assert!(g.yaml.is_empty() && g.failed == 1);
    // agent-smith, impersonated by kubernetes-admin: a User binding for agent-smith.
    let smith = Subject {
        user: "agent-smith".to_string(),
        groups: vec!["system:authenticated".to_string()],
    };
    let m = select(&events, &Whose::Subject(smith.clone()));
    assert_eq!(m.impersonated, 4);
    let g = generate(&m.rows, &Grantee::from_subject(&smith), Options::default());
    assert!(g.yaml.contains("name: agent-smith"), "{}", g.yaml);
    let policy = parse(&g.yaml).unwrap();
    let ns = Some("citadel");
    assert!(ask(
        &policy,
        &smith,
        &req("delete", "configmaps", ns, Some("webapp-config-map"))
    ));
    assert!(!ask(
        &policy,
        &smith,
        &req("delete", "configmaps", ns, Some("other"))
    ));
    assert!(ask(&policy, &smith, &req("create", "pods", ns, None)));
    // kubectl's list with fieldSelector=metadata.name=webapp-color: limited to that name.
    assert!(ask(
        &policy,
        &smith,
        &req("list", "pods", ns, Some("webapp-color"))
    ));
    assert!(!ask(&policy, &smith, &req("list", "pods", ns, None)));
    // kubernetes-admin: impersonate users agent-smith, and its own get.
    let admin = Subject {
        user: "kubernetes-admin".to_string(),
        groups: vec!["system:authenticated".to_string()],
    };
    let m = select(&events, &Whose::Subject(admin));
    let described: Vec<String> = m.rows.iter().map(|r| r.request.describe()).collect();
    assert_eq!(
        described,
        [
            "impersonate users agent-smith",
            "get pods -n eden-prime eden-software1"
        ]
    );
}

#[test]
fn default_bindings_are_never_candidates_to_remove() {
    for name in [
        "ClusterRoleBinding system:discovery",
        "ClusterRoleBinding system:basic-user",
        "ClusterRoleBinding system:public-info-viewer",
        "ClusterRoleBinding system:service-account-issuer-discovery",
        "ClusterRoleBinding system:controller:deployment-controller",
        "ClusterRoleBinding cluster-admin",
        "RoleBinding kube-system/system::leader-locking-kube-scheduler",
    ] {
        assert!(is_default_binding(name), "{name}");
    }
    for name in ["ClusterRoleBinding web-view", "RoleBinding system/web"] {
        assert!(!is_default_binding(name), "{name}");
    }
    let bootstrap = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:discovery"}
rules:
- nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:basic-user"}
rules:
- apiGroups: [authorization.k8s.io]
  resources: [selfsubjectaccessreviews, selfsubjectrulesreviews]
  verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:public-info-viewer"}
rules:
- nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:discovery"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:discovery"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:basic-user"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:basic-user"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:public-info-viewer"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:public-info-viewer"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web, namespace: shop}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
- {apiGroups: [""], resources: [secrets], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: web}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
"#;
    let policy = parse(bootstrap).unwrap();
    let text = lines(&[event(SA, "get configmaps -n shop c", 200, "allow")]);
    let c = compare(&policy, &web(), &rows(&text, &web()));
    assert_eq!(c.defaults, 3, "{c:?}");
    let unused: Vec<String> = c.unused.iter().map(|u| u.grant.binding.clone()).collect();
    assert_eq!(unused, ["RoleBinding shop/web"], "only the secrets rule");
    assert_eq!(c.unused[0].grant.rule.resources, ["secrets"]);
}

const VERBS: [&str; 8] = [
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "impersonate",
];
const RESOURCES: [&str; 7] = [
    "pods",
    "pods/log",
    "configmaps",
    "deployments.apps",
    "nodes",
    "*",
    "pods/*",
];
const NAMESPACES: [&str; 3] = ["shop", "db", ""];
const NAMES: [&str; 4] = ["a", "b", "", "*"];
const PATHS: [&str; 5] = ["/healthz", "/version", "/metrics", "/*", "/api/*"];
const CODES: [u16; 6] = [200, 201, 403, 404, 409, 500];

fn what(v: usize, r: usize, n: usize, o: usize) -> String {
    let mut out = format!("{} {}", VERBS[v], RESOURCES[r]);
    if !NAMESPACES[n].is_empty() && RESOURCES[r] != "nodes" {
        out.push_str(&format!(" -n {}", NAMESPACES[n]));
    }
    if !NAMES[o].is_empty() && VERBS[v] != "create" {
        out.push_str(&format!(" {}", NAMES[o]));
    }
    out
}

/// Whether a granted request `g` rightly covers the neighbour `n`: the same verb on the same
/// resource or path, in a namespace it covers, with a name it covers.
fn covers(g: &Request, n: &Request, names: bool) -> bool {
    g.verb == n.verb
        && g.api_group == n.api_group
        && g.resource == n.resource
        && g.path == n.path
        && (g.namespace.is_none() || g.namespace == n.namespace)
        && (g.name.is_none()
            || (!names && n.verb != "impersonate")
            || ["create", "deletecollection"].contains(&g.verb.as_str())
            || g.name == n.name)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// For every generated Role and ClusterRole: Yes for each granted request; for its
    /// neighbours (another resource, namespace, verb, name, the path with a suffix) Yes only
    /// where another granted request covers them; never a `*` in a rule.
    #[test]
    fn generated_roles_grant_the_requests_and_not_their_neighbours(
        picks in prop::collection::vec((0..8usize, 0..7usize, 0..3usize, 0..4usize, 0..6usize), 1..14),
        paths in prop::collection::vec((0..5usize, 0..6usize), 0..3),
        names in any::<bool>(),
        include_denied in any::<bool>(),
    ) {
        let mut events: Vec<Value> = picks
            .iter()
            .map(|&(v, r, n, o, c)| {
                let code = CODES[c];
                event(SA, &what(v, r, n, o), code, if code == 403 { "forbid" } else { "allow" })
            })
            .collect();
        for &(p, c) in &paths {
            let code = CODES[c];
            events.push(event(SA, &format!("get {}", PATHS[p]), code, if code == 403 { "forbid" } else { "allow" }));
        }
        let rows = rows(&lines(&events), &web());
        let options = Options { include_denied, resource_names: names };
        let generated = generate(&rows, &Grantee::from_subject(&web()), options);
        prop_assert!(!generated.yaml.contains('*'), "{}", generated.yaml);
        for role in &generated.roles {
            for rule in &role.rules {
                let parts = rule.api_groups.iter().chain(&rule.resources).chain(&rule.verbs)
                    .chain(&rule.resource_names).chain(&rule.non_resource_urls);
                for part in parts {
                    prop_assert!(!part.contains('*'), "{:?}", rule);
                }
            }
        }
        let granted: Vec<&Request> = rows
            .iter()
            .filter(|r| include_denied || r.decision != Decision::Denied)
            .filter(|r| r.failed.is_none() && !names_a_wildcard(&r.request))
            .map(|r| &r.request)
            .collect();
        prop_assert_eq!(generated.granted, granted.len());
        if generated.yaml.is_empty() {
            prop_assert!(granted.is_empty());
            return Ok(());
        }
        let policy = parse(&generated.yaml).unwrap();
        prop_assert!(policy.notes.is_empty(), "{:?}", policy.notes);
        let s = web();
        for r in &granted {
            prop_assert!(ask(&policy, &s, r), "not granted: {}\n{}", r.describe(), generated.yaml);
        }
        // Neighbours of every request seen, granted or not.
        for row in &rows {
            let r = &row.request;
            let mut near = Vec::new();
            for verb in ["deletecollection", "escalate", "update", "impersonate"] {
                near.push(Request { verb: verb.to_string(), ..r.clone() });
            }
            if r.is_non_resource() {
                near.push(Request { path: format!("{}/more", r.path.trim_end_matches('*')), ..r.clone() });
                near.push(Request { path: "/debug/pprof/profile".to_string(), ..r.clone() });
            } else {
                near.push(Request { resource: "secrets".to_string(), api_group: String::new(), ..r.clone() });
                near.push(Request { resource: "pods/exec".to_string(), api_group: String::new(), ..r.clone() });
                if let Some(ns) = &r.namespace {
                    near.push(Request { namespace: Some(format!("{ns}-other")), ..r.clone() });
                }
                near.push(Request { name: Some("zz-other".to_string()), ..r.clone() });
            }
            for n in near {
                let covered = granted.iter().any(|g| covers(g, &n, names));
                prop_assert_eq!(ask(&policy, &s, &n), covered, "{}\n{}", n.describe(), generated.yaml);
            }
        }
    }
}
