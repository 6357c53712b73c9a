//! Who can: every subject allowed one request, with the binding, role, scope and risk, and,
//! over generated policies, agreement with Can I both ways: every subject listed gets Yes, and
//! every subject of the policy that gets Yes is listed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use serde_json::{json, Value};
use tokenscope::access::{
    can_i, parse, who_can, Policy, Query, Subject, SubjectKind, WhoCan, MAX_WHO_CAN_ROWS,
};
use tokenscope::support::finding::Level;

fn policy(items: Vec<Value>) -> Policy {
    parse(&json!({ "kind": "List", "items": items }).to_string()).unwrap()
}

fn role(namespace: Option<&str>, name: &str, rules: Value) -> Value {
    let kind = if namespace.is_some() {
        "Role"
    } else {
        "ClusterRole"
    };
    json!({ "apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
        "metadata": { "name": name, "namespace": namespace }, "rules": rules })
}

fn binding(
    namespace: Option<&str>,
    name: &str,
    role_kind: &str,
    role: &str,
    subjects: Value,
) -> Value {
    let kind = if namespace.is_some() {
        "RoleBinding"
    } else {
        "ClusterRoleBinding"
    };
    json!({ "apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
        "metadata": { "name": name, "namespace": namespace },
        "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role },
        "subjects": subjects })
}

fn ask(policy: &Policy, verb: &str, resource: &str, namespace: &str) -> WhoCan {
    who_can(
        policy,
        &Query::parse(verb, resource, namespace, "").unwrap(),
    )
}

fn listed(answer: &WhoCan) -> Vec<String> {
    answer
        .rows
        .iter()
        .map(|r| format!("{} via {} ({})", r.typed(), r.binding, r.cluster_wide))
        .collect()
}

#[test]
fn lists_each_subject_with_its_binding_role_and_scope() {
    let p = policy(vec![
        role(
            None,
            "secret-reader",
            json!([{ "apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"] }]),
        ),
        role(
            Some("dev"),
            "pods",
            json!([{ "apiGroups": [""], "resources": ["pods"], "verbs": ["get"] }]),
        ),
        binding(
            None,
            "auditors",
            "ClusterRole",
            "secret-reader",
            json!([{ "kind": "Group", "name": "auditors" }]),
        ),
        binding(
            Some("dev"),
            "ci",
            "ClusterRole",
            "secret-reader",
            json!([{ "kind": "ServiceAccount", "name": "deployer" }, { "kind": "User", "name": "alice" }]),
        ),
        binding(
            Some("prod"),
            "ci",
            "ClusterRole",
            "secret-reader",
            json!([{ "kind": "User", "name": "bob" }]),
        ),
        binding(
            Some("dev"),
            "pods",
            "Role",
            "pods",
            json!([{ "kind": "User", "name": "carol" }]),
        ),
    ]);
    let answer = ask(&p, "get", "secrets", "dev");
    assert_eq!(
        listed(&answer),
        [
            "group:auditors via ClusterRoleBinding auditors (true)",
            "system:serviceaccount:dev:deployer via RoleBinding dev/ci (false)",
            "user:alice via RoleBinding dev/ci (false)",
        ]
    );
    let first = &answer.rows[0];
    assert_eq!(first.kind, SubjectKind::Group);
    assert_eq!(first.role, "ClusterRole secret-reader");
    assert_eq!(first.risk.as_ref().unwrap().level, Level::Danger);
    assert!(answer.hints.iter().any(|h| h.contains("system:masters")));
    // Cluster-wide, only the ClusterRoleBinding counts.
    assert_eq!(
        listed(&ask(&p, "list", "secrets", "")),
        ["group:auditors via ClusterRoleBinding auditors (true)"]
    );
    let pods = ask(&p, "get", "pods", "dev");
    assert_eq!(
        listed(&pods),
        ["user:carol via RoleBinding dev/pods (false)"]
    );
    assert_eq!(pods.rows[0].risk, None);
    assert!(ask(&p, "delete", "pods", "dev").rows.is_empty());
}

#[test]
fn bind_on_a_cluster_role_counts_the_role_bindings_of_the_namespace_asked_about() {
    // Creating a RoleBinding in dev to a ClusterRole asks `bind` on that ClusterRole with the
    // namespace dev (BindingAuthorized in pkg/registry/rbac/escalation_check.go), so a
    // RoleBinding in dev granting `bind` on clusterroles lets its subject bind them there.
    let rbac = "rbac.authorization.k8s.io";
    let p = policy(vec![
        role(
            None,
            "bind-any",
            json!([{ "apiGroups": [rbac], "resources": ["clusterroles"], "verbs": ["bind"] }]),
        ),
        role(
            None,
            "bind-view",
            json!([{ "apiGroups": [rbac], "resources": ["clusterroles"], "verbs": ["bind", "escalate"],
                "resourceNames": ["view"] }]),
        ),
        binding(
            Some("dev"),
            "delegate",
            "ClusterRole",
            "bind-any",
            json!([{ "kind": "User", "name": "alice" }]),
        ),
        binding(
            Some("dev"),
            "delegate-view",
            "ClusterRole",
            "bind-view",
            json!([{ "kind": "User", "name": "bob" }]),
        ),
        binding(
            None,
            "everywhere",
            "ClusterRole",
            "bind-view",
            json!([{ "kind": "User", "name": "carol" }]),
        ),
    ]);
    let users = ["alice", "bob", "carol"];
    let cases: [(&str, &str, &str, &[&str]); 7] = [
        ("bind", "dev", "view", &["carol", "alice", "bob"]),
        ("bind", "dev", "admin", &["alice"]),
        ("bind", "prod", "view", &["carol"]),
        ("bind", "prod", "admin", &[]),
        // Without a namespace: binding it in a ClusterRoleBinding.
        ("bind", "", "view", &["carol"]),
        // escalate is asked when the ClusterRole itself is written, without a namespace.
        ("escalate", "dev", "view", &["carol"]),
        ("escalate", "", "view", &["carol"]),
    ];
    for (verb, namespace, name, allowed) in cases {
        let query = Query::parse(verb, "clusterroles", namespace, name).unwrap();
        let listed: Vec<&str> = who_can(&p, &query)
            .rows
            .iter()
            .map(|r| users.into_iter().find(|u| *u == r.name).unwrap())
            .collect();
        assert_eq!(
            listed, allowed,
            "who can {verb} clusterroles/{name} -n {namespace:?}"
        );
        for user in users {
            let subject = Subject {
                user: user.to_string(),
                groups: Vec::new(),
            };
            let answer = can_i(&p, &subject, &query);
            assert_eq!(
                answer.allowed,
                allowed.contains(&user),
                "{user} {verb} clusterroles/{name} -n {namespace:?}: {answer:#?}"
            );
            if !namespace.is_empty() {
                assert!(
                    answer
                        .hints
                        .iter()
                        .any(|h| h.starts_with(&format!("{verb} on a ClusterRole"))),
                    "{answer:#?}"
                );
            }
        }
    }
}

#[test]
fn skips_subjects_the_authorizer_never_matches() {
    let p = policy(vec![
        role(
            None,
            "all",
            json!([{ "apiGroups": ["*"], "resources": ["*"], "verbs": ["*"] }]),
        ),
        binding(
            None,
            "broken",
            "ClusterRole",
            "all",
            json!([{ "kind": "ServiceAccount", "name": "x" }, { "kind": "User", "name": "" }]),
        ),
        binding(
            None,
            "to-missing",
            "ClusterRole",
            "nope",
            json!([{ "kind": "User", "name": "eve" }]),
        ),
    ]);
    assert!(ask(&p, "get", "pods", "dev").rows.is_empty());
}

#[test]
fn stops_at_its_row_cap_and_counts_the_rest() {
    let subjects: Vec<Value> = (0..MAX_WHO_CAN_ROWS + 7)
        .map(|i| json!({ "kind": "User", "name": format!("u{i}") }))
        .collect();
    let p = policy(vec![
        role(
            None,
            "view",
            json!([{ "apiGroups": [""], "resources": ["pods"], "verbs": ["get"] }]),
        ),
        binding(None, "many", "ClusterRole", "view", Value::Array(subjects)),
    ]);
    let answer = ask(&p, "get", "pods", "");
    assert_eq!(answer.rows.len(), MAX_WHO_CAN_ROWS);
    assert_eq!(answer.more, 7);
}

// ---------------------------------------------------------------------------------------------
// Agreement with Can I over generated policies
// ---------------------------------------------------------------------------------------------

const NAMESPACES: [&str; 2] = ["dev", "prod"];
const VERBS: [&str; 4] = ["get", "list", "*", "bind"];
/// The verbs asked about: `bind` on `clusterroles` is asked in a namespace, unlike any other
/// request for a cluster-scoped resource.
const QUERY_VERBS: [&str; 3] = ["get", "list", "bind"];
const RESOURCES: [&str; 6] = ["pods", "secrets", "*", "pods/log", "nodes", "clusterroles"];
const NAMES: [&str; 3] = ["a", "b", "c"];

/// A rule: verb, resource, and maybe one resource name, by index.
type GenRule = (usize, usize, Option<usize>);
/// A role: namespace (`None`: a ClusterRole) and its rules.
type GenRole = (Option<usize>, Vec<GenRule>);
/// A binding: namespace (`None`: a ClusterRoleBinding), the role's index, and its subjects
/// (kind, name, namespace or not).
type GenBinding = (Option<usize>, usize, Vec<(u8, usize, Option<usize>)>);

fn shapes() -> impl Strategy<Value = (Vec<GenRole>, Vec<GenBinding>)> {
    let rule = (
        0..VERBS.len(),
        0..RESOURCES.len(),
        prop::option::of(0..2usize),
    );
    let role = (
        prop::option::of(0..NAMESPACES.len()),
        prop::collection::vec(rule, 0..3),
    );
    let subject = (
        0u8..3,
        0..NAMES.len(),
        prop::option::of(0..NAMESPACES.len()),
    );
    let binding = (
        prop::option::of(0..NAMESPACES.len()),
        0..6usize,
        prop::collection::vec(subject, 0..3),
    );
    (
        prop::collection::vec(role, 1..6),
        prop::collection::vec(binding, 0..8),
    )
}

fn generated(roles: &[GenRole], bindings: &[GenBinding]) -> Policy {
    let mut items = Vec::new();
    for (i, (ns, rules)) in roles.iter().enumerate() {
        let rules: Vec<Value> = rules
            .iter()
            .map(|&(verb, resource, name)| {
                let mut rule = json!({ "apiGroups": ["", "rbac.authorization.k8s.io"], "resources": [RESOURCES[resource]],
                    "verbs": [VERBS[verb]] });
                if let Some(name) = name {
                    rule["resourceNames"] = json!([NAMES[name]]);
                }
                rule
            })
            .collect();
        items.push(role(
            ns.map(|n| NAMESPACES[n]),
            &format!("r{i}"),
            Value::Array(rules),
        ));
    }
    for (i, (ns, target, subjects)) in bindings.iter().enumerate() {
        // A role index past the roles refers to a missing role.
        let (kind, role_ns) = match roles.get(*target) {
            Some((role_ns, _)) => (
                if role_ns.is_some() {
                    "Role"
                } else {
                    "ClusterRole"
                },
                *role_ns,
            ),
            None => ("ClusterRole", None),
        };
        // A RoleBinding to a Role lives in the Role's namespace, so it can find it.
        let ns = if kind == "Role" && ns.is_some() {
            role_ns
        } else {
            *ns
        };
        let subjects: Vec<Value> = subjects
            .iter()
            .map(|&(kind, name, sub_ns)| {
                let kind = ["User", "Group", "ServiceAccount"][usize::from(kind)];
                json!({ "kind": kind, "name": NAMES[name],
                    "namespace": sub_ns.map(|n| NAMESPACES[n]) })
            })
            .collect();
        items.push(binding(
            ns.map(|n| NAMESPACES[n]),
            &format!("b{i}"),
            kind,
            &format!("r{target}"),
            Value::Array(subjects),
        ));
    }
    policy(items)
}

/// Every subject the generated policies can name, as Can I would ask about them.
fn every_subject() -> Vec<(String, Subject)> {
    let mut out = Vec::new();
    for name in NAMES {
        out.push((
            format!("user:{name}"),
            Subject {
                user: name.to_string(),
                groups: Vec::new(),
            },
        ));
        out.push((
            format!("group:{name}"),
            Subject {
                user: String::new(),
                groups: vec![name.to_string()],
            },
        ));
        for ns in NAMESPACES {
            out.push((
                format!("system:serviceaccount:{ns}:{name}"),
                Subject::from_service_account(ns, name),
            ));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every subject Who can lists gets Yes from Can I for the same request, through the
    /// binding the row names; and every subject that gets Yes is listed.
    #[test]
    fn who_can_and_can_i_agree(
        (roles, bindings) in shapes(),
        verb in 0..QUERY_VERBS.len(),
        resource in 0..RESOURCES.len(),
        namespace in prop::option::of(0..NAMESPACES.len()),
        name in prop::option::of(0..NAMES.len()),
    ) {
        let p = generated(&roles, &bindings);
        let resource = match RESOURCES[resource] {
            "*" => "configmaps",
            r => r,
        };
        let query = Query::parse(
            QUERY_VERBS[verb],
            resource,
            namespace.map_or("", |n| NAMESPACES[n]),
            name.map_or("", |n| NAMES[n]),
        )
        .unwrap();
        let answer = who_can(&p, &query);
        for row in &answer.rows {
            let yes = can_i(&p, &row.subject(), &query);
            prop_assert!(yes.allowed, "{} listed, but Can I says: {}", row.typed(), yes.text);
            let via = format!("{} → {}", row.binding, row.role);
            prop_assert!(yes.via.contains(&via), "{via} not in {:?}", yes.via);
        }
        for (typed, subject) in every_subject() {
            if can_i(&p, &subject, &query).allowed {
                // A service account is also allowed through its groups, which are not names
                // the generated bindings use; so it must be listed itself.
                prop_assert!(
                    answer.rows.iter().any(|r| r.typed() == typed),
                    "{typed} is allowed but not listed: {:?}", listed(&answer)
                );
            }
        }
    }
}
