//! The activity page's core: audit events read as JSON lines or an `EventList` (broken lines
//! reported by number, the rest read), matched to a token by credential ID or by user, one
//! row per request, RBAC generated with the grouping rules and checked with the access
//! evaluator, used against granted on the default ClusterRoles, and a 30 MiB log.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use common::audit::{lines, with_request};
use proptest::prelude::*;
use serde_json::{json, Value};
use tokenscope::access::{can_i, parse, parse_subject, Query, Subject};
use tokenscope::activity::{
    compare, generate, read, redact_rows, rules_for, select, Decision, Events, Form, Grantee,
    Options, ReadError, Request, Row, Whose, MAX_EVENTS_BYTES,
};

const SA: &str = "system:serviceaccount:shop:web";
const JTI: &str = "6a1f0c2e-0000-4000-8000-000000000001";

/// One audit event as the log backend writes it. `what` is `VERB RESOURCE[/SUB] [-n NS]
/// [NAME]` (a resource may be `deployments.apps`), or `VERB /path` for a non-resource request.
fn event(user: &str, jti: Option<&str>, what: &str, decision: &str, time: &str) -> Value {
    let words: Vec<&str> = what.split_whitespace().collect();
    let verb = words[0];
    let mut extra = json!({});
    if let Some(jti) = jti {
        extra["authentication.kubernetes.io/credential-id"] = json!([format!("JTI={jti}")]);
    }
    let ev = json!({
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": "Metadata",
        "auditID": "a",
        "stage": "ResponseComplete",
        "verb": verb,
        "user": {"username": user, "groups": ["system:serviceaccounts", "system:authenticated"], "extra": extra},
        "requestReceivedTimestamp": time,
        "stageTimestamp": time,
        "annotations": {
            "authorization.k8s.io/decision": decision,
            "authorization.k8s.io/reason": if decision == "allow" { "RBAC: allowed by RoleBinding \"web/shop\" of Role \"web\" to ServiceAccount \"web/shop\"" } else { "" },
        },
    });
    with_request(ev, what, "?timeout=32s", "/api/v1/whatever")
}

fn token() -> Whose {
    Whose::Token {
        username: SA.to_string(),
        jti: Some(JTI.to_string()),
    }
}

fn rows_of(text: &str, whose: &Whose) -> Vec<Row> {
    select(&read(text).unwrap(), whose).rows
}

fn described(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .map(|r| format!("{} {}", r.decision.label(), r.request.describe()))
        .collect()
}

#[test]
fn reads_json_lines_and_counts_only_complete_and_panic_stages() {
    let mut received = event(
        SA,
        Some(JTI),
        "get pods -n shop a",
        "allow",
        "2026-01-01T00:00:00.000000Z",
    );
    received["stage"] = json!("RequestReceived");
    let mut panic = event(
        SA,
        Some(JTI),
        "get pods -n shop b",
        "allow",
        "2026-01-01T00:00:01.000000Z",
    );
    panic["stage"] = json!("Panic");
    let text = lines(&[
        received,
        event(
            SA,
            Some(JTI),
            "get pods -n shop a",
            "allow",
            "2026-01-01T00:00:00.000000Z",
        ),
        panic,
    ]);
    let events = read(&text).unwrap();
    assert_eq!(events.form, Form::Lines);
    assert_eq!(events.events.len(), 2);
    assert_eq!(events.other_stages, 1);
    assert!(events.problems.is_empty());
}

#[test]
fn reads_an_event_list_on_many_lines_and_on_one() {
    let list = json!({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": [
        event(SA, Some(JTI), "get pods -n shop a", "allow", "t1"),
        event(SA, Some(JTI), "list pods -n shop", "allow", "t2"),
    ]});
    let pretty = serde_json::to_string_pretty(&list).unwrap();
    let events = read(&pretty).unwrap();
    assert_eq!(events.form, Form::Document);
    assert_eq!(events.events.len(), 2);
    let compact = read(&list.to_string()).unwrap();
    assert_eq!(compact.form, Form::Lines);
    assert_eq!(compact.events, events.events);
}

#[test]
fn malformed_lines_are_reported_by_number_and_the_rest_are_read() {
    let good = event(SA, Some(JTI), "get pods -n shop a", "allow", "t").to_string();
    let mut no_verb = event(SA, Some(JTI), "get pods -n shop a", "allow", "t");
    no_verb.as_object_mut().unwrap().remove("verb");
    let text = format!(
        "{good}\n{{\"kind\":\"Event\", broken\n\n{good}\n{}\n[1,2]\n{{\"kind\":\"Pod\"}}\n{good}\n",
        no_verb
    );
    let events = read(&text).unwrap();
    assert_eq!(events.events.len(), 3);
    let problems: Vec<String> = events.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems[0].starts_with("Line 2: not JSON"), "{problems:?}");
    assert!(
        problems[1].starts_with("Line 5: an event without a verb"),
        "{problems:?}"
    );
    assert!(
        problems[2].starts_with("Line 6: an array, not an audit event"),
        "{problems:?}"
    );
    assert!(problems[3].starts_with("Line 7: kind Pod"), "{problems:?}");
}

#[test]
fn more_than_32_mib_is_refused() {
    let text = " ".repeat(MAX_EVENTS_BYTES + 1);
    assert!(matches!(read(&text), Err(ReadError::TooLarge { .. })));
}

#[test]
fn matches_the_token_by_credential_id_and_leaves_the_accounts_other_tokens_out() {
    let text = lines(&[
        event(SA, Some(JTI), "get pods -n shop a", "allow", "t1"),
        event(
            SA,
            Some("other-token"),
            "delete pods -n shop a",
            "allow",
            "t2",
        ),
        event(SA, None, "list pods -n shop", "allow", "t3"),
        event(
            "system:serviceaccount:shop:db",
            Some(JTI),
            "get secrets -n shop s",
            "allow",
            "t4",
        ),
    ]);
    let matched = select(&read(&text).unwrap(), &token());
    assert_eq!(matched.by_credential, 1);
    assert_eq!(
        matched.by_user, 1,
        "an event without a credential ID falls back to the user"
    );
    assert_eq!(matched.other_credentials, 1);
    assert_eq!(
        described(&matched.rows),
        ["allowed get pods -n shop a", "allowed list pods -n shop"]
    );
}

#[test]
fn matches_by_user_without_a_jti_and_by_typed_subject() {
    let text = lines(&[
        event(SA, Some(JTI), "get pods -n shop a", "allow", "t1"),
        event(SA, Some("other"), "get pods -n shop b", "allow", "t2"),
        event("alice", None, "get nodes", "forbid", "t3"),
    ]);
    let legacy = Whose::Token {
        username: SA.to_string(),
        jti: None,
    };
    let matched = select(&read(&text).unwrap(), &legacy);
    assert_eq!((matched.by_user, matched.by_credential), (2, 0));
    let alice = Whose::Subject(parse_subject("alice").unwrap());
    assert_eq!(described(&rows_of(&text, &alice)), ["denied get nodes"]);
    let group = Whose::Subject(parse_subject("group:system:serviceaccounts").unwrap());
    let matched = select(&read(&text).unwrap(), &group);
    assert_eq!(matched.by_group, 3, "every test event carries the group");
}

#[test]
fn one_row_per_distinct_request_with_count_first_and_last_seen() {
    let text = lines(&[
        event(
            SA,
            Some(JTI),
            "get pods/log -n shop a",
            "allow",
            "2026-01-01T00:00:05.000000Z",
        ),
        event(
            SA,
            Some(JTI),
            "get pods/log -n shop a",
            "allow",
            "2026-01-01T00:00:01.000000Z",
        ),
        event(
            SA,
            Some(JTI),
            "get pods/log -n shop a",
            "allow",
            "2026-01-01T00:00:09.000000Z",
        ),
        event(
            SA,
            Some(JTI),
            "get /healthz",
            "allow",
            "2026-01-01T00:00:02.000000Z",
        ),
        event(
            SA,
            Some(JTI),
            "create deployments.apps -n shop",
            "forbid",
            "2026-01-01T00:00:03.000000Z",
        ),
    ]);
    let rows = rows_of(&text, &token());
    assert_eq!(
        described(&rows),
        [
            "allowed get /healthz",
            "allowed get pods/log -n shop a",
            "denied create deployments.apps -n shop"
        ]
    );
    let log = &rows[1];
    assert_eq!(log.count, 3);
    assert_eq!(log.first, "2026-01-01T00:00:01.000000Z");
    assert_eq!(log.last, "2026-01-01T00:00:09.000000Z");
    assert!(log.reason.starts_with("RBAC: allowed by RoleBinding"));
    assert_eq!(
        rows[0].request.path, "/healthz",
        "the query is not part of the path"
    );
}

fn request(what: &str) -> Request {
    let ev = event(SA, Some(JTI), what, "allow", "t");
    read(&ev.to_string()).unwrap().events.remove(0).request
}

/// The rules for `whats`, each as `groups|resources|names|verbs` or `urls|verbs`.
fn grouped(whats: &[&str], names: bool) -> Vec<String> {
    let requests: Vec<Request> = whats.iter().map(|w| request(w)).collect();
    rules_for(requests.iter(), names)
        .iter()
        .map(|r| {
            if r.non_resource_urls.is_empty() {
                format!(
                    "{}|{}|{}|{}",
                    r.api_groups.join(","),
                    r.resources.join(","),
                    r.resource_names.join(","),
                    r.verbs.join(",")
                )
            } else {
                format!("{}|{}", r.non_resource_urls.join(","), r.verbs.join(","))
            }
        })
        .collect()
}

#[test]
fn groups_resources_of_one_group_used_with_the_same_verbs_into_one_rule() {
    let rules = grouped(
        &[
            "get pods -n shop a",
            "list pods -n shop",
            "watch pods -n shop",
            "get configmaps -n shop c",
            "list configmaps -n shop",
            "watch configmaps -n shop",
            "create pods/log -n shop",
            "get deployments.apps -n shop d",
            "get /healthz",
            "get /version",
            "post /apis/x",
        ],
        false,
    );
    assert_eq!(
        rules,
        [
            "|configmaps,pods||get,list,watch",
            "|pods/log||create",
            "apps|deployments||get",
            "/healthz,/version|get",
            "/apis/x|post",
        ]
    );
}

#[test]
fn resource_names_only_when_asked_and_never_for_list_watch_create_deletecollection() {
    let whats = [
        "get configmaps -n shop settings",
        "update configmaps -n shop settings",
        "get configmaps -n shop flags",
        "list configmaps -n shop",
        "watch configmaps -n shop",
        "create configmaps -n shop",
        "deletecollection configmaps -n shop",
        "delete secrets -n shop old",
    ];
    assert_eq!(
        grouped(&whats, false),
        [
            "|configmaps||get,list,watch,create,update,deletecollection",
            "|secrets||delete"
        ]
    );
    assert_eq!(
        grouped(&whats, true),
        [
            "|configmaps||list,watch,create,deletecollection",
            "|configmaps|flags,settings|get",
            "|configmaps|settings|update",
            "|secrets|old|delete",
        ]
    );
    // A verb used once without a name is granted on every object.
    assert_eq!(
        grouped(&["get pods -n shop a", "get pods -n shop"], true),
        ["|pods||get"]
    );
}

#[test]
fn list_and_watch_seen_together_stay_in_one_rule() {
    let rules = grouped(
        &[
            "list services -n shop",
            "watch services -n shop",
            "get services -n shop s",
            "list endpoints -n shop",
        ],
        true,
    );
    for rule in &rules {
        assert_eq!(
            rule.contains("list"),
            rule.contains("watch") || rule.contains("endpoints"),
            "{rules:?}"
        );
    }
    assert_eq!(
        rules,
        [
            "|endpoints||list",
            "|services||list,watch",
            "|services|s|get"
        ]
    );
}

/// The subject of `SA`.
fn web() -> Subject {
    Subject::from_service_account("shop", "web")
}

fn ask(policy: &tokenscope::access::Policy, r: &Request) -> bool {
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
    can_i(policy, &web(), &query).allowed
}

const VERBS: [&str; 7] = [
    "get", "list", "watch", "create", "update", "delete", "patch",
];
const RESOURCES: [&str; 6] = [
    "pods",
    "pods/log",
    "configmaps",
    "deployments.apps",
    "nodes",
    "leases.coordination.k8s.io",
];
const NAMESPACES: [&str; 3] = ["shop", "db", ""];
const NAMES: [&str; 3] = ["a", "b", ""];

fn what(v: usize, r: usize, n: usize, o: usize) -> String {
    let mut out = format!("{} {}", VERBS[v], RESOURCES[r]);
    // Nodes are cluster-scoped: the API server records no namespace for them.
    if !NAMESPACES[n].is_empty() && RESOURCES[r] != "nodes" {
        out.push_str(&format!(" -n {}", NAMESPACES[n]));
    }
    if !NAMES[o].is_empty() && !matches!(VERBS[v], "list" | "watch" | "create") {
        out.push_str(&format!(" {}", NAMES[o]));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// The generated RBAC, read by the access evaluator, allows every request granted and
    /// nothing next to them: another verb, another namespace, another name.
    #[test]
    fn generated_rbac_grants_exactly_the_requests(
        picks in prop::collection::vec((0..7usize, 0..6usize, 0..3usize, 0..3usize, any::<bool>()), 1..12),
        paths in prop::collection::vec(0..3usize, 0..2),
        names in any::<bool>(),
        include_denied in any::<bool>(),
    ) {
        let mut events: Vec<Value> = picks
            .iter()
            .map(|&(v, r, n, o, ok)| event(SA, Some(JTI), &what(v, r, n, o), if ok { "allow" } else { "forbid" }, "t"))
            .collect();
        for p in &paths {
            events.push(event(SA, Some(JTI), &format!("get /{}", ["healthz", "version", "metrics"][*p]), "allow", "t"));
        }
        let rows = rows_of(&lines(&events), &token());
        let options = Options { include_denied, resource_names: names };
        let generated = generate(&rows, &Grantee::from_subject(&web()), options);
        if generated.yaml.is_empty() {
            prop_assert!(rows.iter().all(|r| r.decision == Decision::Denied) && !include_denied);
            return Ok(());
        }
        let policy = parse(&generated.yaml).unwrap();
        prop_assert!(policy.notes.is_empty(), "{:?}", policy.notes);
        let granted: Vec<&Request> = rows
            .iter()
            .filter(|r| include_denied || r.decision != Decision::Denied)
            .map(|r| &r.request)
            .collect();
        for r in &granted {
            prop_assert!(ask(&policy, r), "not granted: {}\n{}", r.describe(), generated.yaml);
        }
        // Neighbours: each request with another verb, in another namespace, with another name.
        for r in &granted {
            let mut near = Vec::new();
            for verb in ["deletecollection", "escalate", "update"] {
                near.push(Request { verb: verb.to_string(), ..(*r).clone() });
            }
            if let Some(ns) = &r.namespace {
                near.push(Request { namespace: Some(format!("{ns}-other")), ..(*r).clone() });
            }
            if names && r.name.is_some() {
                near.push(Request { name: Some("zz-other".to_string()), ..(*r).clone() });
            }
            if r.is_non_resource() {
                near.push(Request { path: format!("{}/more", r.path), ..(*r).clone() });
            }
            for n in near {
                // A neighbour that is itself a granted request, or one a granted request without
                // a name (any object) or all namespaces covers, is rightly allowed.
                let covered = granted.iter().any(|g| {
                    g.verb == n.verb && g.api_group == n.api_group && g.resource == n.resource && g.path == n.path
                        && (g.namespace.is_none() || g.namespace == n.namespace)
                        && (g.name.is_none() || !names || ["list", "watch", "create", "deletecollection"].contains(&g.verb.as_str()) || g.name == n.name)
                });
                prop_assert_eq!(ask(&policy, &n), covered, "{}\n{}", n.describe(), generated.yaml);
            }
        }
    }
}

#[test]
fn generated_objects_name_the_service_account_and_scope() {
    let text = lines(&[
        event(SA, Some(JTI), "get pods -n shop a", "allow", "t"),
        event(SA, Some(JTI), "list nodes", "allow", "t"),
        event(SA, Some(JTI), "get secrets -n shop s", "forbid", "t"),
    ]);
    let rows = rows_of(&text, &token());
    let g = generate(&rows, &Grantee::from_subject(&web()), Options::default());
    let names: Vec<(Option<String>, String)> = g
        .roles
        .iter()
        .map(|r| (r.namespace.clone(), r.name.clone()))
        .collect();
    assert_eq!(
        names,
        [
            (None, "shop:web-activity".to_string()),
            (Some("shop".to_string()), "web-activity".to_string())
        ]
    );
    assert_eq!(g.granted, 2);
    assert!(g.yaml.contains("kind: ServiceAccount"), "{}", g.yaml);
    assert!(
        !g.yaml.contains("secrets"),
        "denied requests only when asked"
    );
    let with_denied = generate(
        &rows,
        &Grantee::from_subject(&web()),
        Options {
            include_denied: true,
            resource_names: false,
        },
    );
    assert!(with_denied.yaml.contains("secrets"));
    let user = generate(
        &rows,
        &Grantee::User("https://idp/alice".into()),
        Options::default(),
    );
    assert!(
        user.yaml.contains("name: https:--idp-alice-activity"),
        "{}",
        user.yaml
    );
}

#[test]
fn used_against_granted_on_the_default_cluster_roles() {
    let defaults = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/access/default-clusterroles.yaml"
    ))
    .unwrap();
    let binding = "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: web-edit, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\nsubjects: [{kind: ServiceAccount, name: web, namespace: shop}]\n";
    let policy = parse(&format!("{defaults}\n{binding}")).unwrap();
    let text = lines(&[
        event(SA, Some(JTI), "get configmaps -n shop c", "allow", "t"),
        event(SA, Some(JTI), "list configmaps -n shop", "allow", "t"),
        event(SA, Some(JTI), "list nodes", "forbid", "t"),
        event(SA, Some(JTI), "list secrets", "forbid", "t"),
    ]);
    let rows = rows_of(&text, &token());
    let c = compare(&policy, &web(), &rows);
    assert!(!c.stopped);
    assert!(c.held > 10, "edit holds many rules: {}", c.held);
    assert_eq!(
        c.unused.len(),
        c.held - 1,
        "one rule of edit covers configmaps"
    );
    assert!(c
        .unused
        .iter()
        .all(|u| u.grant.binding.contains("web-edit")));
    // Secrets are among edit's rules, unused here, and flagged.
    assert!(c
        .unused
        .iter()
        .any(|u| u.grant.rule.resources.iter().any(|r| r == "secrets") && !u.risks.is_empty()));
    let denied: Vec<String> = c.denied.iter().map(|d| d.request.describe()).collect();
    assert_eq!(denied, ["list nodes", "list secrets"]);
    assert!(c.denied[0].risks.is_empty());
    assert!(!c.denied[1].risks.is_empty(), "listing Secrets is flagged");
}

#[test]
fn redact_masks_names_and_quoted_names_in_reasons() {
    let text = lines(&[event(
        SA,
        Some(JTI),
        "get secrets -n shop db-password",
        "allow",
        "t",
    )]);
    let rows = redact_rows(&rows_of(&text, &token()));
    assert_eq!(rows[0].request.name.as_deref(), Some("db-p••••••••"));
    assert!(!rows[0].reason.contains("web/shop"), "{}", rows[0].reason);
    let masked = Grantee::from_subject(&web()).redacted();
    let g = generate(
        &rows,
        &masked,
        Options {
            include_denied: false,
            resource_names: true,
        },
    );
    assert!(
        !g.yaml.contains("db-password")
            && !g.yaml.contains("name: web\n")
            && !g.yaml.contains("web-activity"),
        "{}",
        g.yaml
    );
}

#[test]
fn reads_a_30_mib_log_in_one_pass() {
    let mut text = String::with_capacity(31 * 1024 * 1024);
    let mut i = 0usize;
    while text.len() < 30 * 1024 * 1024 {
        let user = if i.is_multiple_of(3) {
            SA
        } else {
            "system:serviceaccount:shop:db"
        };
        let what = format!("get configmaps -n shop c{}", i % 500);
        let mut ev = event(
            user,
            Some(JTI),
            &what,
            "allow",
            "2026-01-01T00:00:00.000000Z",
        );
        ev["stage"] = json!(if i.is_multiple_of(2) {
            "ResponseComplete"
        } else {
            "RequestReceived"
        });
        text.push_str(&ev.to_string());
        text.push('\n');
        i += 1;
    }
    let events: Events = read(&text).unwrap();
    assert_eq!(events.events.len() + events.other_stages, i);
    assert!(events.problems.is_empty());
    let matched = select(&events, &token());
    assert!(matched.total() > 0 && matched.rows.len() <= 500);
}
