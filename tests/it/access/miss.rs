//! The nearest miss of a refused request: a binding of the subject whose role lacks the verb,
//! or a role that would grant the request but is not bound to the subject there.

use super::*;
use tokenscope::access::{nearest_miss, Miss};

fn miss(policy: &Policy, subject: &str, verb: &str, resource: &str, ns: &str) -> Option<Miss> {
    let subject = parse_subject(subject).unwrap();
    let query = Query::parse(verb, resource, ns, "").unwrap();
    assert!(
        !can_i(policy, &subject, &query).allowed,
        "{verb} {resource} is allowed"
    );
    nearest_miss(policy, &subject, &query)
}

#[test]
fn a_bound_role_that_lacks_the_verb_is_the_nearest_miss() {
    let p = policy(&format!(
        "{}{}",
        role(Some("dev"), "reader", &[PODS_READ]),
        binding(Some("dev"), "app-reader", "Role", "reader", &[SA_APP])
    ));
    assert_eq!(
        miss(&p, APP, "delete", "pods", "dev"),
        Some(Miss::LacksVerb {
            binding: "RoleBinding dev/app-reader".into(),
            role: "Role dev/reader".into(),
            verbs: vec!["get".into(), "list".into(), "watch".into()],
        })
    );
    // In another namespace the RoleBinding does not count, and nothing else comes close.
    assert_eq!(miss(&p, APP, "delete", "pods", "prod"), None);
    // A resource the role does not name is no near miss either.
    assert_eq!(miss(&p, APP, "get", "secrets", "dev"), None);
}

#[test]
fn a_role_that_would_grant_but_is_not_bound_is_the_nearest_miss() {
    let p = policy(&format!(
        "{}{}{}",
        role(
            None,
            "pod-deleter",
            &["{apiGroups: [''], resources: [pods], verbs: [delete]}"]
        ),
        role(Some("prod"), "prod-reader", &[PODS_READ]),
        binding(
            Some("dev"),
            "other",
            "ClusterRole",
            "pod-deleter",
            &["{kind: User, name: bob}"]
        )
    ));
    assert_eq!(
        miss(&p, APP, "delete", "pods", "dev"),
        Some(Miss::NotBound {
            role: "ClusterRole pod-deleter".into()
        })
    );
    // A Role of another namespace cannot grant here.
    assert_eq!(
        miss(&p, APP, "get", "pods", "dev"),
        None,
        "Role prod/prod-reader counts only in prod"
    );
    assert_eq!(
        miss(&p, APP, "get", "pods", "prod"),
        Some(Miss::NotBound {
            role: "Role prod/prod-reader".into()
        })
    );
}

#[test]
fn paths_miss_through_cluster_role_bindings_only() {
    let p = policy(&format!(
        "{}{}{}",
        role(
            None,
            "health",
            &["{nonResourceURLs: [/healthz], verbs: [get]}"]
        ),
        binding(None, "app-health", "ClusterRole", "health", &[SA_APP]),
        role(
            None,
            "metrics",
            &["{nonResourceURLs: ['/metrics*'], verbs: [get]}"]
        ),
    ));
    assert_eq!(
        miss(&p, APP, "post", "/healthz", ""),
        Some(Miss::LacksVerb {
            binding: "ClusterRoleBinding app-health".into(),
            role: "ClusterRole health".into(),
            verbs: vec!["get".into()],
        })
    );
    assert_eq!(
        miss(&p, APP, "get", "/metrics/cadvisor", ""),
        Some(Miss::NotBound {
            role: "ClusterRole metrics".into()
        })
    );
}
