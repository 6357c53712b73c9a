//! Escalation paths on hand-made cluster dumps with known paths (`tests/fixtures/escalation/`):
//! each gives exactly its path, the rules named break every path, and no other single rule
//! does.

use tokenscope::access::escalation::{
    analyse, build, cut_rules, distances, edge_words, path_from, read_objects, subject_of, Cut,
    Objects, Target,
};
use tokenscope::access::{can_i, parse, parse_subject, Policy};

fn dump(case: &str) -> (Policy, Objects) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/escalation/");
    let admin = std::fs::read_to_string(format!("{dir}admin.yaml")).unwrap();
    let case = std::fs::read_to_string(format!("{dir}{case}")).unwrap();
    let text = format!("{admin}\n---\n{case}");
    (parse(&text).unwrap(), read_objects(&text).unwrap())
}

/// The shortest path in words, and the rules of the minimum cut as `binding → role`.
fn paths(case: &str, subject: &str) -> (Vec<String>, Vec<String>) {
    let (policy, objects) = dump(case);
    let subject = parse_subject(subject).unwrap();
    let a = analyse(&policy, &objects, &subject, &Target::ClusterAdmin);
    let words = a
        .path
        .clone()
        .unwrap_or_default()
        .iter()
        .map(|&e| edge_words(&a.graph, &policy, &a.graph.edges[e]))
        .collect();
    let cut = cut_rules(&a)
        .iter()
        .map(|g| format!("{} → {}", g.binding, g.role))
        .collect();
    check_rules(case, &subject, &policy, &objects, &a);
    (words, cut)
}

/// Every step out of an identity is a Yes from Can I; removing the cut leaves no path; removing
/// any other single rule of the graph leaves one.
fn check_rules(
    case: &str,
    subject: &tokenscope::access::Subject,
    policy: &Policy,
    objects: &Objects,
    a: &tokenscope::access::escalation::Analysis,
) {
    for e in &a.graph.edges {
        if let Some(q) = &e.step.query {
            let who = subject_of(&a.graph.nodes[e.from], &a.graph.starts).unwrap();
            assert!(can_i(policy, &who, q).allowed, "{case}: {e:?}");
        }
    }
    let starts = std::slice::from_ref(subject);
    let removed = cut_rules(a);
    let g = build(policy, objects, starts, &Target::ClusterAdmin, &removed);
    let d = distances(&g);
    assert_eq!(
        path_from(&g, &d, g.start_nodes[0]),
        None,
        "{case}: cut leaves a path"
    );
    for other in &a.graph.grants {
        if removed.iter().any(|r| other.is(r)) {
            continue;
        }
        let g = build(
            policy,
            objects,
            starts,
            &Target::ClusterAdmin,
            std::slice::from_ref(other),
        );
        let d = distances(&g);
        assert!(
            path_from(&g, &d, g.start_nodes[0]).is_some(),
            "{case}: removing {other:?} alone breaks every path"
        );
    }
}

#[test]
fn create_pods_reaches_a_cluster_admin_service_account() {
    let (path, cut) = paths("pods-to-admin.yaml", "alice");
    assert_eq!(
        path,
        vec![
            "creates a pod (create pods in namespace build) → a pod of its own in namespace build, allowed by RoleBinding build/alice-pods → Role build/pod-maker",
            "the pod runs as system:serviceaccount:build:deployer"
        ]
    );
    assert_eq!(
        cut,
        vec!["RoleBinding build/alice-pods → Role build/pod-maker"]
    );
}

#[test]
fn a_legacy_token_secret_in_reach_is_its_service_account() {
    let (path, cut) = paths(
        "secrets-legacy-token.yaml",
        "system:serviceaccount:ci:reader",
    );
    assert_eq!(
        path,
        vec![
            "reads the legacy token Secret of (get secrets \"admin-sa-token\" in namespace kube-system) → system:serviceaccount:kube-system:admin-sa, allowed by RoleBinding kube-system/ci-reader → Role kube-system/read-one-secret"
        ]
    );
    assert_eq!(
        cut,
        vec!["RoleBinding kube-system/ci-reader → Role kube-system/read-one-secret"]
    );
}

#[test]
fn impersonating_a_group_gains_its_bindings() {
    let (path, cut) = paths("impersonate-group.yaml", "carol");
    assert_eq!(
        path,
        vec![
            "impersonates (impersonate groups \"platform-admins\" cluster-wide) → group platform-admins, allowed by ClusterRoleBinding carol-platform → ClusterRole act-as-platform"
        ]
    );
    assert_eq!(
        cut,
        vec!["ClusterRoleBinding carol-platform → ClusterRole act-as-platform"]
    );
}

#[test]
fn binding_cluster_admin_cluster_wide_is_cluster_admin() {
    let (path, cut) = paths("bind-admin.yaml", "dave");
    assert_eq!(
        path,
        vec![
            "binds to itself (bind clusterroles.rbac.authorization.k8s.io \"cluster-admin\" cluster-wide) → ClusterRole cluster-admin, bound cluster-wide, allowed by ClusterRoleBinding dave-granter → ClusterRole role-granter"
        ]
    );
    assert_eq!(
        cut,
        vec!["ClusterRoleBinding dave-granter → ClusterRole role-granter"]
    );
}

#[test]
fn approving_a_client_certificate_is_any_identity() {
    let (path, cut) = paths("csr-approve.yaml", "erin");
    assert_eq!(
        path,
        vec![
            "approves a client certificate naming (update certificatesigningrequests.certificates.k8s.io/approval cluster-wide) → group system:masters, allowed by ClusterRoleBinding erin-approves → ClusterRole csr-approver"
        ]
    );
    assert_eq!(
        cut,
        vec!["ClusterRoleBinding erin-approves → ClusterRole csr-approver"]
    );
}

#[test]
fn two_independent_ways_need_two_rules_cut() {
    let (path, cut) = paths("two-ways.yaml", "frank");
    assert_eq!(
        path,
        vec![
            "reads the legacy token Secret of (get secrets \"admin-sa-token\" in namespace kube-system) → system:serviceaccount:kube-system:admin-sa, allowed by RoleBinding kube-system/frank-reads → Role kube-system/secret-reader"
        ]
    );
    assert_eq!(
        cut,
        vec![
            "RoleBinding build/frank-builds → Role build/builder",
            "RoleBinding kube-system/frank-reads → Role kube-system/secret-reader"
        ]
    );
}

#[test]
fn the_fix_patches_the_role_guarded_and_names_come_after_the_double_dash() {
    let (policy, objects) = dump("pods-to-admin.yaml");
    let alice = parse_subject("alice").unwrap();
    let a = analyse(&policy, &objects, &alice, &Target::ClusterAdmin);
    assert_eq!(a.fixes.len(), 1);
    let fix = &a.fixes[0];
    assert_eq!(
        fix.patch.as_deref(),
        Some(
            r#"kubectl patch role --namespace=build --type=json -p '[{"op":"test","path":"/rules/0","value":{"apiGroups":[""],"resources":["pods"],"verbs":["create","get","list"]}},{"op":"remove","path":"/rules/0"}]' -- pod-maker"#
        )
    );
    assert_eq!(
        fix.unbind,
        "kubectl delete rolebinding --namespace=build -- alice-pods"
    );
    assert_eq!(
        fix.traced,
        "Role build/pod-maker, through RoleBinding build/alice-pods"
    );
}

#[test]
fn a_name_that_looks_like_a_flag_stays_a_name() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/escalation/pods-to-admin.yaml"
    ))
    .unwrap()
    .replace("pod-maker", "--kubeconfig=/tmp/x $(id)");
    let admin = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/escalation/admin.yaml"
    ))
    .unwrap();
    let text = format!("{admin}\n---\n{text}");
    let (policy, objects) = (parse(&text).unwrap(), read_objects(&text).unwrap());
    let a = analyse(
        &policy,
        &objects,
        &parse_subject("alice").unwrap(),
        &Target::ClusterAdmin,
    );
    let patch = a.fixes[0].patch.clone().unwrap();
    assert!(
        patch.ends_with(" -- '--kubeconfig=/tmp/x $(id)'"),
        "{patch}"
    );
}

#[test]
fn the_subject_that_is_the_target_has_nothing_to_cut_and_no_path_means_no_cut() {
    let (policy, objects) = dump("pods-to-admin.yaml");
    let deployer = parse_subject("system:serviceaccount:build:deployer").unwrap();
    let a = analyse(&policy, &objects, &deployer, &Target::ClusterAdmin);
    assert_eq!((a.path, a.cut), (Some(vec![]), Cut::AlreadyThere));
    let bob = parse_subject("bob").unwrap();
    let a = analyse(&policy, &objects, &bob, &Target::ClusterAdmin);
    assert_eq!((a.path, a.cut), (None, Cut::NoPath));
}

#[test]
fn a_chosen_target_subject_or_request() {
    let (policy, objects) = dump("pods-to-admin.yaml");
    let alice = parse_subject("alice").unwrap();
    let bob = parse_subject("bob").unwrap();
    let a = analyse(&policy, &objects, &alice, &Target::Subject(bob));
    assert_eq!(a.path.map(|p| p.len()), Some(1));
    let q = tokenscope::access::Query::parse("delete", "nodes", "", "").unwrap();
    let a = analyse(&policy, &objects, &alice, &Target::Request(q));
    assert_eq!(a.path.map(|p| p.len()), Some(2));
}
