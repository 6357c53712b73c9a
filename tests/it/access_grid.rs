//! The access grid never disagrees with Can I: over generated policies (Roles and ClusterRoles
//! with wildcards, subresources, several groups and `resourceNames`, bound by RoleBindings and
//! ClusterRoleBindings to a service account, its groups and others), every cell equals Can I's
//! answer for the same request, and each name of a "some names" cell is a Yes for that name.
//! Kubernetes' own default ClusterRoles (tests/fixtures/access/README.md) give the grid of a
//! user bound to `edit` and `view`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use serde_json::{json, Value};
use tokenscope::access::{
    can_i, effective, grid, grid_query, parse, parse_subject, Cell, GRID_VERBS,
};

const GROUPS: [&str; 4] = ["", "apps", "*", "batch"];
const RESOURCES: [&str; 7] = [
    "pods",
    "deployments",
    "*",
    "pods/log",
    "*/log",
    "jobs",
    "configmaps",
];
const VERBS: [&str; 5] = ["get", "list", "*", "delete", "watch"];
const NAMES: [&str; 3] = ["a", "b", "*"];
const SUBJECTS: [&str; 3] = [
    r#"{"kind": "ServiceAccount", "name": "app", "namespace": "shop"}"#,
    r#"{"kind": "Group", "name": "system:serviceaccounts:shop", "apiGroup": "rbac.authorization.k8s.io"}"#,
    r#"{"kind": "User", "name": "someone-else", "apiGroup": "rbac.authorization.k8s.io"}"#,
];

/// A rule as indexes into the pools: groups, resources, verbs, names (empty: every object).
type ShapeRule = (Vec<usize>, Vec<usize>, Vec<usize>, Vec<usize>);
/// A role: cluster-wide or in `shop`, its rules, how it is bound (0: RoleBinding in shop,
/// 1: RoleBinding in another namespace, 2: ClusterRoleBinding) and to whom.
type ShapeRole = (bool, Vec<ShapeRule>, usize, usize);

fn shape() -> impl Strategy<Value = Vec<ShapeRole>> {
    let rule = (
        prop::collection::vec(0..GROUPS.len(), 1..3),
        prop::collection::vec(0..RESOURCES.len(), 1..3),
        prop::collection::vec(0..VERBS.len(), 1..3),
        prop::collection::vec(0..NAMES.len(), 0..2),
    );
    let role = (
        any::<bool>(),
        prop::collection::vec(rule, 1..4),
        0usize..3,
        0..SUBJECTS.len(),
    );
    prop::collection::vec(role, 1..6)
}

fn text(shape: &[ShapeRole]) -> String {
    let mut items: Vec<Value> = Vec::new();
    for (i, (cluster, rules, binding, subject)) in shape.iter().enumerate() {
        let rules: Vec<Value> = rules
            .iter()
            .map(|(g, r, v, n)| {
                let mut rule = json!({
                    "apiGroups": g.iter().map(|&x| GROUPS[x]).collect::<Vec<_>>(),
                    "resources": r.iter().map(|&x| RESOURCES[x]).collect::<Vec<_>>(),
                    "verbs": v.iter().map(|&x| VERBS[x]).collect::<Vec<_>>(),
                });
                if !n.is_empty() {
                    rule["resourceNames"] = json!(n.iter().map(|&x| NAMES[x]).collect::<Vec<_>>());
                }
                rule
            })
            .collect();
        let name = format!("r{i}");
        // A ClusterRoleBinding can only refer to a ClusterRole.
        let cluster = *cluster || *binding == 2;
        let mut role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": if cluster { "ClusterRole" } else { "Role" }, "metadata": {"name": name}, "rules": rules});
        let ns = if *binding == 1 { "other" } else { "shop" };
        if !cluster {
            role["metadata"]["namespace"] = json!(ns);
        }
        items.push(role);
        let subject: Value = serde_json::from_str(SUBJECTS[*subject]).unwrap();
        let mut bind = json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": if *binding == 2 { "ClusterRoleBinding" } else { "RoleBinding" },
            "metadata": {"name": format!("b{i}")},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": if cluster { "ClusterRole" } else { "Role" }, "name": name},
            "subjects": [subject],
        });
        if *binding != 2 {
            bind["metadata"]["namespace"] = json!(ns);
        }
        items.push(bind);
    }
    json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string()
}

/// Checks every cell of the grid in `namespace` against Can I.
fn agrees(text: &str, who: &str, namespace: &str) -> (usize, usize, usize) {
    let policy = parse(text).unwrap();
    let subject = parse_subject(who).unwrap();
    let access = effective(&policy, &subject);
    let grid = grid(&policy, &subject, namespace, &access);
    // Every name any rule of the subject lists: a cell Can I refuses lists exactly those Can I
    // allows by name.
    let mut every_name: Vec<String> = access
        .grants
        .iter()
        .flat_map(|g| g.rule.resource_names.clone())
        .collect();
    every_name.sort();
    every_name.dedup();
    let mut counts = (0, 0, 0);
    for row in &grid.rows {
        for (verb, cell) in GRID_VERBS.iter().zip(&row.cells) {
            let query = grid_query(verb, &row.group, &row.resource, namespace);
            let answer = can_i(&policy, &subject, &query).allowed;
            if !answer {
                let allowed: Vec<&String> = every_name
                    .iter()
                    .filter(|n| {
                        let mut named = query.clone();
                        named.name = Some((*n).clone());
                        can_i(&policy, &subject, &named).allowed
                    })
                    .collect();
                let mut listed: Vec<&String> = match cell {
                    Cell::SomeNames(names) => names.iter().collect(),
                    _ => Vec::new(),
                };
                listed.sort();
                assert_eq!(
                    listed, allowed,
                    "{verb} {}: the names Can I allows",
                    row.label
                );
            }
            match cell {
                Cell::Yes => {
                    assert!(
                        answer,
                        "{verb} {} is Yes in the grid, No in Can I",
                        row.label
                    );
                    counts.0 += 1;
                }
                Cell::No => {
                    assert!(
                        !answer,
                        "{verb} {} is No in the grid, Yes in Can I",
                        row.label
                    );
                    counts.1 += 1;
                }
                Cell::SomeNames(names) => {
                    assert!(
                        !answer,
                        "{verb} {}: some names, but Can I says Yes for all",
                        row.label
                    );
                    assert!(!names.is_empty());
                    for name in names {
                        let mut named = query.clone();
                        named.name = Some(name.clone());
                        assert!(
                            can_i(&policy, &subject, &named).allowed,
                            "{verb} {} {name}: listed, but Can I says No",
                            row.label
                        );
                    }
                    counts.2 += 1;
                }
            }
        }
    }
    counts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_cell_equals_can_i(shape in shape()) {
        let text = text(&shape);
        agrees(&text, "system:serviceaccount:shop:app", "shop");
        agrees(&text, "system:serviceaccount:shop:app", "other");
    }
}

#[test]
fn kubernetes_default_roles_bound_to_a_user_give_edit_and_view_cells() {
    let roles = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/access/default-clusterroles.yaml"
    ))
    .unwrap();
    let bindings = r#"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-edit, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-view, namespace: audit}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
"#;
    let text = format!("{roles}\n{bindings}");
    let (yes, no, _) = agrees(&text, "jane", "shop");
    assert!(yes > 50 && no > 0, "{yes} yes, {no} no");
    let (yes_view, _, _) = agrees(&text, "jane", "audit");
    assert!(yes_view < yes);
    let policy = parse(&text).unwrap();
    let subject = parse_subject("jane").unwrap();
    let access = effective(&policy, &subject);
    let shop = grid(&policy, &subject, "shop", &access);
    let pods = shop.rows.iter().find(|r| r.label == "pods").unwrap();
    assert_eq!(pods.cells, vec![Cell::Yes; GRID_VERBS.len()]);
    let audit = grid(&policy, &subject, "audit", &access);
    let pods = audit.rows.iter().find(|r| r.label == "pods").unwrap();
    let yes: Vec<&str> = GRID_VERBS
        .iter()
        .zip(&pods.cells)
        .filter(|(_, c)| **c == Cell::Yes)
        .map(|(v, _)| *v)
        .collect();
    assert_eq!(yes, ["get", "list", "watch"]);
    // Nowhere else: no cell in a namespace without a binding.
    let elsewhere = grid(&policy, &subject, "kube-system", &access);
    assert!(elsewhere
        .rows
        .iter()
        .all(|r| r.cells.iter().all(|c| *c == Cell::No)));
}
