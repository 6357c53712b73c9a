//! The Activity page's "used against granted" picture draws exactly its comparison: one bar
//! per binding whose segments add up to the rules it grants, the never-used segments adding up
//! to the Unused rules list, and the denied count the Denied requests list. Checked on
//! audit2rbac's real demo log (`tests/fixtures/audit2rbac/`) against Kubernetes' own default
//! ClusterRoles (`tests/fixtures/access/default-clusterroles.yaml`) and their bootstrap bindings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use tokenscope::access::{parse, Subject};
use tokenscope::activity::{compare, read, select, Comparison, Whose};
use tokenscope::picture::usage::{usage, MAX_ROWS, WIDTH};
use tokenscope::picture::Shape;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}{path}")).unwrap()
}

/// `system:basic-user` as Kubernetes' bootstrap policy writes it (`bootstrappolicy/policy.go`).
const BASIC_USER: &str = "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: \"system:basic-user\"}\nrules:\n- apiGroups: [authorization.k8s.io]\n  resources: [selfsubjectaccessreviews, selfsubjectrulesreviews]\n  verbs: [create]\n- apiGroups: [authentication.k8s.io]\n  resources: [selfsubjectreviews]\n  verbs: [create]\n";

fn binding(
    kind: &str,
    name: &str,
    namespace: Option<&str>,
    role: (&str, &str),
    user: &str,
) -> String {
    let meta = match namespace {
        Some(ns) => format!("{{name: \"{name}\", namespace: {ns}}}"),
        None => format!("{{name: \"{name}\"}}"),
    };
    format!(
        "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata: {meta}\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {}, name: \"{}\"}}\nsubjects: [{{apiGroup: rbac.authorization.k8s.io, kind: User, name: {user}}}]\n",
        role.0, role.1
    )
}

/// Every bar adds up to its binding's rules, and the picture adds up to the comparison.
fn draws_the_comparison(c: &Comparison) {
    let drawn = usage(c);
    assert!(drawn.bars.len() <= MAX_ROWS);
    assert_eq!(drawn.bars.len() + drawn.left_out.0, c.bindings.len());
    let unused: usize = drawn.bars.iter().map(|b| b.unused).sum::<usize>() + drawn.left_out.1;
    assert_eq!(
        unused,
        c.unused.len(),
        "the never-used segments are the Unused rules list"
    );
    assert_eq!(drawn.denied, c.denied.len());
    let held: usize = c.bindings.iter().map(|b| b.held).sum();
    assert_eq!(held, c.held);
    for bar in &drawn.bars {
        let row = c
            .bindings
            .iter()
            .find(|b| bar.label == format!("{} → {}", b.binding, b.role))
            .unwrap();
        assert_eq!(
            bar.used + bar.unused + bar.not_compared,
            row.held,
            "{}",
            bar.label
        );
        let listed = c
            .unused
            .iter()
            .filter(|u| u.grant.binding == row.binding && u.grant.role == row.role)
            .count();
        assert_eq!(bar.unused, listed, "{}", bar.label);
    }
    // The most-unused bindings come first.
    assert!(drawn.bars.windows(2).all(|w| w[0].unused >= w[1].unused));
    let picture = drawn.picture();
    assert_eq!(picture.width, WIDTH);
    assert!(picture
        .title
        .ends_with(&format!("{} requests denied", c.denied.len())));
    for shape in &picture.shapes {
        if let Shape::Rect { at, size, .. } = shape {
            assert!(at.0 >= 0 && at.0 + size.0 <= WIDTH, "{shape:?}");
        }
    }
}

#[test]
fn bob_in_audit2rbacs_demo_log_against_the_default_roles() {
    let events = read(&fixture("audit2rbac/demo.log")).unwrap();
    let bob = Subject {
        user: "bob".to_string(),
        groups: vec!["system:authenticated".to_string()],
    };
    let rows = select(&events, &Whose::Subject(bob.clone())).rows;
    assert!(!rows.is_empty());
    let policy = parse(&format!(
        "{}\n{BASIC_USER}{}{}{}",
        fixture("access/default-clusterroles.yaml"),
        binding(
            "ClusterRoleBinding",
            "bob-view",
            None,
            ("ClusterRole", "view"),
            "bob"
        ),
        binding(
            "RoleBinding",
            "bob-edit",
            Some("ns1"),
            ("ClusterRole", "edit"),
            "bob"
        ),
        binding(
            "ClusterRoleBinding",
            "system:basic-user",
            None,
            ("ClusterRole", "system:basic-user"),
            "bob"
        ),
    ))
    .unwrap();
    let c = compare(&policy, &bob, &rows);
    assert!(!c.stopped);
    assert_eq!(c.bindings.len(), 3, "{:?}", c.bindings);
    // The API server's own binding is drawn, not compared.
    let basic = c
        .bindings
        .iter()
        .find(|b| b.binding.contains("system:basic-user"))
        .unwrap();
    assert!(basic.default && basic.held > 0 && basic.checked == 0);
    draws_the_comparison(&c);
    let drawn = usage(&c);
    let basic = drawn
        .bars
        .iter()
        .find(|b| b.label.contains("system:basic-user"))
        .unwrap();
    assert_eq!((basic.used, basic.unused), (0, 0));
    assert!(basic.not_compared > 0);
    // view and edit hold many rules the demo's few requests never used; bob's reads of pods
    // and nodes used some of view's.
    assert!(drawn.bars[0].unused > 10, "{:?}", drawn.bars[0]);
    let view = drawn
        .bars
        .iter()
        .find(|b| b.label.contains("bob-view"))
        .unwrap();
    assert!(view.used > 0, "{view:?}");
    assert!(drawn
        .words()
        .contains("ClusterRoleBinding bob-view → ClusterRole view: "));
}

#[test]
fn many_bindings_draw_the_most_unused_and_count_the_rest() {
    let mut text = format!(
        "{}\n{BASIC_USER}",
        fixture("access/default-clusterroles.yaml")
    );
    for i in 0..(MAX_ROWS + 7) {
        let role = if i % 2 == 0 {
            "view"
        } else {
            "system:basic-user"
        };
        text.push_str(&binding(
            "RoleBinding",
            &format!("b{i}"),
            Some(&format!("ns{i}")),
            ("ClusterRole", role),
            "alice",
        ));
    }
    let policy = parse(&text).unwrap();
    let alice = Subject {
        user: "alice".to_string(),
        groups: vec![],
    };
    let c = compare(&policy, &alice, &[]);
    assert_eq!(c.bindings.len(), MAX_ROWS + 7);
    draws_the_comparison(&c);
    let drawn = usage(&c);
    assert_eq!(drawn.left_out.0, 7);
    assert!(drawn.words().contains("7 more bindings with"));
    // No request at all: nothing is used.
    assert!(drawn.bars.iter().all(|b| b.used == 0));
}

#[test]
fn no_rule_held_is_said() {
    let policy = parse(&fixture("access/default-clusterroles.yaml")).unwrap();
    let nobody = Subject {
        user: "nobody".to_string(),
        groups: vec![],
    };
    let c = compare(&policy, &nobody, &[]);
    draws_the_comparison(&c);
    assert!(usage(&c).words().contains("no rule held"));
}
