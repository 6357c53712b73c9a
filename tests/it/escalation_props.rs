//! Property test over generated policies: every step on every path is a Yes from Can I for the
//! identity taking it, and after the rules the minimum cut names are removed no path to the
//! target remains. Policies are drawn from the rules that make steps (pods, secrets, tokens,
//! impersonation, bind, certificates, webhooks, the kubelet proxy) and a cluster-admin binding.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use serde_json::{json, Value};
use tokenscope::access::escalation::{
    analyse, build, cut_rules, distances, path_from, read_objects, subject_of, Cut, Target,
};
use tokenscope::access::{can_i, parse, parse_subject};

fn rule_pool() -> Vec<Value> {
    vec![
        json!({"apiGroups": [""], "resources": ["pods"], "verbs": ["create"]}),
        json!({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}),
        json!({"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]}),
        json!({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"], "resourceNames": ["x-token"]}),
        json!({"apiGroups": [""], "resources": ["serviceaccounts/token"], "verbs": ["create"]}),
        json!({"apiGroups": [""], "resources": ["serviceaccounts/token"], "verbs": ["create"], "resourceNames": ["y"]}),
        json!({"apiGroups": [""], "resources": ["users", "groups"], "verbs": ["impersonate"]}),
        json!({"apiGroups": [""], "resources": ["groups"], "verbs": ["impersonate"], "resourceNames": ["g1"]}),
        json!({"apiGroups": [""], "resources": ["serviceaccounts"], "verbs": ["impersonate"]}),
        json!({"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles", "clusterrolebindings"], "verbs": ["bind", "create"]}),
        json!({"apiGroups": ["certificates.k8s.io"], "resources": ["certificatesigningrequests", "certificatesigningrequests/approval", "signers"], "verbs": ["create", "update", "approve"]}),
        json!({"apiGroups": ["admissionregistration.k8s.io"], "resources": ["mutatingwebhookconfigurations"], "verbs": ["patch"]}),
        json!({"apiGroups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]}),
        json!({"apiGroups": [""], "resources": ["configmaps"], "verbs": ["list"]}),
    ]
}

/// Who a binding can name.
fn subject_pool() -> Vec<Value> {
    vec![
        json!({"kind": "User", "name": "u1"}),
        json!({"kind": "User", "name": "u2"}),
        json!({"kind": "Group", "name": "g1"}),
        json!({"kind": "ServiceAccount", "name": "x", "namespace": "a"}),
        json!({"kind": "ServiceAccount", "name": "y", "namespace": "a"}),
        json!({"kind": "ServiceAccount", "name": "x", "namespace": "b"}),
    ]
}

/// (rules of the role by place in the pool, namespace of the binding or none, subjects)
type GenBinding = (Vec<usize>, Option<usize>, Vec<usize>);

fn dump(bindings: &[GenBinding], admin: usize, privileged: bool) -> String {
    let rules = rule_pool();
    let subjects = subject_pool();
    let mut items = vec![
        json!({"kind": "ClusterRole", "metadata": {"name": "cluster-admin"},
               "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}),
        json!({"kind": "ClusterRoleBinding", "metadata": {"name": "admins"},
               "roleRef": {"kind": "ClusterRole", "name": "cluster-admin"},
               "subjects": [subjects[admin % subjects.len()]]}),
    ];
    for ns in ["a", "b"] {
        items.push(
            json!({"kind": "Secret", "type": "kubernetes.io/service-account-token",
            "metadata": {"name": "x-token", "namespace": ns,
                         "annotations": {"kubernetes.io/service-account.name": "x"}}}),
        );
    }
    items.push(
        json!({"kind": "Pod", "metadata": {"name": "p", "namespace": "a"},
        "spec": {"serviceAccountName": "y", "containers": [{"name": "c",
                 "securityContext": {"privileged": privileged}}]}}),
    );
    for (i, (picked, ns, names)) in bindings.iter().enumerate() {
        let role_rules: Vec<Value> = picked
            .iter()
            .map(|&r| rules[r % rules.len()].clone())
            .collect();
        let subs: Vec<Value> = names
            .iter()
            .map(|&s| subjects[s % subjects.len()].clone())
            .collect();
        items.push(json!({"kind": "ClusterRole", "metadata": {"name": format!("r{i}")}, "rules": role_rules}));
        let meta = match ns {
            Some(n) => {
                let namespace = ["a", "b"][n % 2];
                json!({"name": format!("b{i}"), "namespace": namespace})
            }
            None => json!({"name": format!("b{i}")}),
        };
        let kind = if ns.is_some() {
            "RoleBinding"
        } else {
            "ClusterRoleBinding"
        };
        items.push(json!({"kind": kind, "metadata": meta,
            "roleRef": {"kind": "ClusterRole", "name": format!("r{i}")}, "subjects": subs}));
    }
    json!({"kind": "List", "items": items}).to_string()
}

fn bindings() -> impl Strategy<Value = Vec<GenBinding>> {
    prop::collection::vec(
        (
            prop::collection::vec(0..14usize, 1..4),
            prop::option::of(0..2usize),
            prop::collection::vec(0..6usize, 1..3),
        ),
        1..7,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_step_is_a_yes_and_the_cut_breaks_every_path(
        bindings in bindings(),
        admin in 0..6usize,
        privileged in any::<bool>(),
    ) {
        let text = dump(&bindings, admin, privileged);
        let policy = parse(&text).unwrap();
        let objects = read_objects(&text).unwrap();
        let start = parse_subject("u1").unwrap();
        let a = analyse(&policy, &objects, &start, &Target::ClusterAdmin);
        for e in &a.graph.edges {
            if let Some(q) = &e.step.query {
                let who = subject_of(&a.graph.nodes[e.from], &a.graph.starts).unwrap();
                prop_assert!(can_i(&policy, &who, q).allowed, "{:?}", e);
                for also in &e.step.also {
                    prop_assert!(can_i(&policy, &who, also).allowed, "{:?}", e);
                }
            }
        }
        match &a.cut {
            Cut::Rules(rules) => {
                prop_assert!(a.path.is_some());
                prop_assert!(!rules.is_empty());
                let removed = cut_rules(&a);
                let g = build(&policy, &objects, std::slice::from_ref(&start), &Target::ClusterAdmin, &removed);
                let d = distances(&g);
                prop_assert_eq!(path_from(&g, &d, g.start_nodes[0]), None);
            }
            Cut::NoPath => prop_assert!(a.path.is_none()),
            Cut::AlreadyThere => prop_assert_eq!(a.path.clone(), Some(vec![])),
            Cut::TooMany => {}
        }
    }
}
