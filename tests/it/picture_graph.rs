//! The Access graph draws exactly its list: one line per row, one box per node, and the path
//! it marks is the one Can I names first (`Answer.via`), or the nearest miss of a No. Large
//! policies collapse to a bounded picture. Checked on Kubernetes' own bootstrap bindings and
//! roles (`tests/fixtures/escalation/bootstrap/`, `tests/fixtures/access/`) for the kube-dns
//! service account, which they bind several times.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::{json, Value};
use tokenscope::access::graph::{can_i_graph, who_can_graph, Graph, Mark, MAX_BINDINGS};
use tokenscope::access::{can_i, parse, who_can, Answer, Policy, Query, Subject};
use tokenscope::picture::graph::{picture, WIDTH};
use tokenscope::picture::Shape;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}{path}")).unwrap()
}

fn rbac(kind: &str, namespace: Option<&str>, name: &str, rest: Value) -> Value {
    let mut object = json!({ "apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
        "metadata": { "name": name, "namespace": namespace } });
    for (key, value) in rest.as_object().unwrap() {
        object[key] = value.clone();
    }
    object
}

/// A RoleBinding of `user` in `namespace` to the ClusterRole `role`.
fn bind(namespace: &str, name: &str, role: &str, user: &str) -> Value {
    rbac(
        "RoleBinding",
        Some(namespace),
        name,
        json!({ "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role },
            "subjects": [{ "apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user }] }),
    )
}

fn cluster_role(name: &str, rules: Value) -> Value {
    rbac("ClusterRole", None, name, json!({ "rules": rules }))
}

fn policy(items: Vec<Value>) -> Policy {
    parse(&json!({ "kind": "List", "items": items }).to_string()).unwrap()
}

fn ask(verb: &str, resource: &str, namespace: &str) -> Query {
    Query::parse(verb, resource, namespace, "").unwrap()
}

/// Draws the graph and checks it draws its rows: a line per row, a box per node, the lines
/// marked as the rows say, and the labels of each line's ends as its row names them.
fn drawn(graph: &Graph) -> Vec<String> {
    let rows = graph.rows();
    let svg = picture(graph);
    assert_eq!(svg.width, WIDTH);
    let class_of = |mark| match mark {
        Mark::Plain => "esc-arrow",
        Mark::Grants => "gr-grant",
        Mark::Miss => "gr-miss",
    };
    let lines: Vec<&str> = svg
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Line { class, .. } => Some(*class),
            _ => None,
        })
        .collect();
    assert_eq!(lines.len(), rows.len(), "one line per row");
    assert_eq!(lines.len(), graph.edges.len());
    let boxes = svg
        .shapes
        .iter()
        .filter(|s| matches!(s, Shape::Rect { .. }))
        .count();
    assert_eq!(boxes, graph.nodes.len(), "one box per node");
    for ((row, edge), class) in rows.iter().zip(&graph.edges).zip(&lines) {
        assert_eq!(*class, class_of(edge.mark), "{row}");
        let from = &graph.nodes[edge.from];
        let to = &graph.nodes[edge.to];
        assert_eq!(to.column, from.column + 1, "{row}");
        assert!(
            row.starts_with(&format!("{} → {}", from.label, to.label)),
            "{row}"
        );
        assert_eq!(
            row.ends_with(" (grants it)"),
            edge.mark == Mark::Grants,
            "{row}"
        );
        assert_eq!(
            row.ends_with(" (nearest miss)"),
            edge.mark == Mark::Miss,
            "{row}"
        );
    }
    // Every box and its text fit in the picture.
    for shape in &svg.shapes {
        if let Shape::Rect { at, size, .. } = shape {
            assert!(at.0 >= 0 && at.0 + size.0 <= svg.width && at.1 + size.1 <= svg.height);
        }
    }
    rows
}

/// The marked rows are the path of Can I's first grant: subject → binding, `via[0]`, and the
/// role's rules.
fn marks_the_grant(graph: &Graph, subject: &Subject, answer: &Answer) {
    assert!(answer.allowed, "{}", answer.text);
    let rows = drawn(graph);
    let marked: Vec<&String> = rows
        .iter()
        .filter(|r| r.ends_with(" (grants it)"))
        .collect();
    assert_eq!(marked.len(), 3, "{rows:#?}");
    let via = &answer.via[0];
    let binding = via.split(" → ").next().unwrap();
    assert_eq!(
        *marked[0],
        format!("{} → {binding} (grants it)", subject.describe())
    );
    assert_eq!(*marked[1], format!("{via} (grants it)"));
    assert!(marked[2].starts_with(via.split(" → ").nth(1).unwrap()));
    let title = picture(graph).title;
    assert!(title.contains(", grants it: "), "{title}");
    assert!(title.contains(binding), "{title}");
}

#[test]
fn a_yes_marks_the_first_grant_and_the_lines_are_the_list() {
    let reader = cluster_role(
        "pod-reader",
        json!([{ "apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list"] }]),
    );
    let secrets = cluster_role(
        "secret-reader",
        json!([{ "apiGroups": [""], "resources": ["secrets"], "verbs": ["get"] },
               { "apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"] }]),
    );
    let p = policy(vec![
        reader,
        secrets,
        bind("dev", "a-secrets", "secret-reader", "alice"),
        bind("dev", "b-pods", "pod-reader", "alice"),
        bind("prod", "c-pods", "pod-reader", "alice"),
        bind("dev", "d-missing", "gone", "alice"),
        bind("dev", "e-bob", "pod-reader", "bob"),
    ]);
    let alice = Subject {
        user: "alice".into(),
        groups: vec![],
    };
    let q = ask("list", "pods", "dev");
    let answer = can_i(&p, &alice, &q);
    let graph = can_i_graph(&p, &alice, &q, &answer);
    marks_the_grant(&graph, &alice, &answer);
    let rows = graph.rows();
    // Only what names alice; a shared role is one box with one group of rules.
    assert!(rows.iter().all(|r| !r.contains("e-bob")), "{rows:#?}");
    assert_eq!(rows.iter().filter(|r| r.starts_with("alice → ")).count(), 4);
    assert!(rows.contains(&"RoleBinding dev/d-missing → ClusterRole gone (not pasted)".to_string()));
    assert!(
        rows.contains(&"ClusterRole secret-reader → 2 rules on secrets, configmaps".to_string())
    );
    assert!(
        rows.contains(&"ClusterRole pod-reader → 1 rule on pods, pods/log (grants it)".to_string())
    );
    assert_eq!(graph.more, 0);
}

#[test]
fn a_no_marks_the_nearest_miss() {
    let reader = cluster_role(
        "pod-reader",
        json!([{ "apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"] }]),
    );
    let p = policy(vec![reader, bind("dev", "pods", "pod-reader", "alice")]);
    let alice = Subject {
        user: "alice".into(),
        groups: vec![],
    };
    // The role covers pods but lacks the verb: the binding's path is the miss.
    let q = ask("delete", "pods", "dev");
    let answer = can_i(&p, &alice, &q);
    assert!(!answer.allowed);
    let rows = drawn(&can_i_graph(&p, &alice, &q, &answer));
    assert_eq!(
        rows.iter()
            .filter(|r| r.ends_with(" (nearest miss)"))
            .count(),
        3,
        "{rows:#?}"
    );
    // In another namespace nothing of alice's counts: the role, unbound there, is the miss.
    let q = ask("get", "pods", "prod");
    let answer = can_i(&p, &alice, &q);
    let rows = drawn(&can_i_graph(&p, &alice, &q, &answer));
    assert!(
        rows.contains(&"ClusterRole pod-reader → 1 rule on pods (nearest miss)".to_string()),
        "{rows:#?}"
    );
    assert!(
        rows.contains(&"alice → RoleBinding dev/pods".to_string()),
        "{rows:#?}"
    );
}

#[test]
fn ten_thousand_bindings_collapse_and_the_granting_one_is_drawn() {
    let mut items = vec![
        cluster_role(
            "nothing",
            json!([{ "apiGroups": [""], "resources": ["events"], "verbs": ["get"] }]),
        ),
        cluster_role(
            "pod-reader",
            json!([{ "apiGroups": [""], "resources": ["pods"], "verbs": ["get"] }]),
        ),
    ];
    for i in 0..10_000 {
        items.push(bind(&format!("ns-{i}"), "events", "nothing", "alice"));
    }
    items.push(bind("ns-9999", "pods", "pod-reader", "alice"));
    let p = policy(items);
    let alice = Subject {
        user: "alice".into(),
        groups: vec![],
    };
    let q = ask("get", "pods", "ns-9999");
    let answer = can_i(&p, &alice, &q);
    let graph = can_i_graph(&p, &alice, &q, &answer);
    marks_the_grant(&graph, &alice, &answer);
    let bindings = graph.nodes.iter().filter(|n| n.column == 1).count();
    assert_eq!(bindings, MAX_BINDINGS + 1);
    assert_eq!(graph.more, 10_001 - bindings);
    assert!(graph.nodes.len() <= 1 + 3 * (MAX_BINDINGS + 1));
    assert!(picture(&graph)
        .title
        .contains(&format!("and {} more bindings", graph.more)));

    // Who can: every one of the 10,000 is allowed `get events` in its namespace… cluster-wide
    // none is, so ask of one namespace with many subjects instead.
    let mut items = vec![cluster_role(
        "nothing",
        json!([{ "apiGroups": [""], "resources": ["events"], "verbs": ["get"] }]),
    )];
    for i in 0..500 {
        items.push(bind(
            "dev",
            &format!("b{i}"),
            "nothing",
            &format!("user-{i}"),
        ));
    }
    let p = policy(items);
    let q = ask("get", "events", "dev");
    let who = who_can(&p, &q);
    assert_eq!(who.rows.len(), 500);
    let graph = who_can_graph(&who, &q);
    let rows = drawn(&graph);
    assert_eq!(graph.more, 500 - MAX_BINDINGS);
    assert_eq!(
        rows.len(),
        3 * MAX_BINDINGS - (MAX_BINDINGS - 1),
        "{rows:#?}"
    );
    assert!(rows.contains(&"ClusterRole nothing → get events in namespace dev".to_string()));
}

#[test]
fn who_can_draws_every_subject_reaching_the_request() {
    let p = policy(vec![
        cluster_role(
            "pod-reader",
            json!([{ "apiGroups": [""], "resources": ["pods"], "verbs": ["get"] }]),
        ),
        bind("dev", "one", "pod-reader", "alice"),
        bind("dev", "two", "pod-reader", "bob"),
    ]);
    let q = ask("get", "pods", "dev");
    let who = who_can(&p, &q);
    let rows = drawn(&who_can_graph(&who, &q));
    for row in &who.rows {
        assert!(
            rows.contains(&format!("user:{} → {}", row.name, row.binding)),
            "{rows:#?}"
        );
        assert!(
            rows.contains(&format!("{} → {}", row.binding, row.role)),
            "{rows:#?}"
        );
    }
    assert_eq!(rows.len(), 5, "{rows:#?}");
}

/// Kubernetes' bootstrap ClusterRoleBindings and roles: the kube-dns service account is bound
/// by its own binding and, through `system:authenticated`, by three more.
#[test]
fn the_bootstrap_policy_for_kube_dns() {
    let text = [
        fixture("escalation/bootstrap/cluster-role-bindings.yaml"),
        fixture("escalation/bootstrap/old-system-roles.yaml"),
        fixture("access/default-clusterroles.yaml"),
    ]
    .join("\n---\n");
    let p = parse(&text).unwrap();
    let dns = Subject::from_service_account("kube-system", "kube-dns");
    let q = ask(
        "create",
        "selfsubjectaccessreviews.authorization.k8s.io",
        "",
    );
    let answer = can_i(&p, &dns, &q);
    let graph = can_i_graph(&p, &dns, &q, &answer);
    marks_the_grant(&graph, &dns, &answer);
    let rows = graph.rows();
    let bindings: Vec<&String> = rows
        .iter()
        .filter(|r| r.starts_with("system:serviceaccount:kube-system:kube-dns → "))
        .collect();
    assert!(bindings.len() >= 3, "{rows:#?}");
    assert!(
        rows.iter()
            .any(|r| r.contains("ClusterRoleBinding system:kube-dns")),
        "{rows:#?}"
    );
    assert_eq!(
        answer.via[0],
        "ClusterRoleBinding system:basic-user → ClusterRole system:basic-user"
    );

    // `get` on it: basic-user covers the resource but not the verb, the nearest miss.
    let q = ask("get", "selfsubjectaccessreviews.authorization.k8s.io", "");
    let answer = can_i(&p, &dns, &q);
    let rows = drawn(&can_i_graph(&p, &dns, &q, &answer));
    assert!(
        rows.contains(
            &"ClusterRoleBinding system:basic-user → ClusterRole system:basic-user (nearest miss)"
                .to_string()
        ),
        "{rows:#?}"
    );
}
