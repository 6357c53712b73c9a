//! The access evaluator: each rule of the RBAC authorizer's semantics with small hand-made
//! policies, parsing and its notes, subjects and queries as typed, and the default ClusterRoles
//! (view, edit, admin, cluster-admin) answering what the Kubernetes documentation says.
//!
//! Data-driven through [`check`]: a policy, a subject, and lines such as
//! `"yes get pods -n dev"` or `"no get secrets/x -n dev name"`, each asked with [`can_i`].
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::Value;
use tokenscope::access::{
    can_i, effective, parse, parse_subject, Answer, ParseError, Policy, Query, QueryError, Subject,
    SubjectError,
};
use tokenscope::support::finding::Level;

/// Parses a policy that must parse.
fn policy(text: &str) -> Policy {
    parse(text).unwrap_or_else(|e| panic!("policy does not parse: {e}\n{text}"))
}

/// Asks one question written as `VERB RESOURCE [-n NAMESPACE] [NAME]`.
fn ask(policy: &Policy, subject: &str, question: &str) -> Answer {
    let subject = parse_subject(subject).unwrap();
    let words: Vec<&str> = question.split_whitespace().collect();
    let (verb, resource) = (words[0], words[1]);
    let mut namespace = "";
    let mut name = "";
    let mut rest = words[2..].iter();
    while let Some(w) = rest.next() {
        if *w == "-n" {
            namespace = rest.next().unwrap();
        } else {
            name = w;
        }
    }
    let query = Query::parse(verb, resource, namespace, name).unwrap();
    can_i(policy, &subject, &query)
}

/// Each line is `yes|no VERB RESOURCE [-n NAMESPACE] [NAME]`; the answer must agree, and its
/// text must start with "Yes" or "No" accordingly.
fn check(policy: &Policy, subject: &str, lines: &[&str]) {
    for line in lines {
        let (want, question) = line.split_once(' ').unwrap();
        let answer = ask(policy, subject, question);
        let allowed = match want {
            "yes" => true,
            "no" => false,
            other => panic!("bad expectation {other:?} in {line:?}"),
        };
        assert_eq!(
            answer.allowed, allowed,
            "{subject}: {question}: {answer:#?}"
        );
        let prefix = if allowed { "Yes" } else { "No" };
        assert!(answer.text.starts_with(prefix), "{answer:#?}");
    }
}

/// A ClusterRole (namespace `None`) or Role with the given rules (YAML flow mappings).
fn role(namespace: Option<&str>, name: &str, rules: &[&str]) -> String {
    let (kind, meta) = match namespace {
        Some(ns) => ("Role", format!("{{name: {name}, namespace: {ns}}}")),
        None => ("ClusterRole", format!("{{name: {name}}}")),
    };
    let rules = if rules.is_empty() {
        "[]".to_string()
    } else {
        format!("[{}]", rules.join(", "))
    };
    format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata: {meta}\nrules: {rules}\n---\n")
}

/// A RoleBinding (namespace given) or ClusterRoleBinding to `role_kind/role_name` for the
/// subjects (YAML flow mappings).
fn binding(
    namespace: Option<&str>,
    name: &str,
    role_kind: &str,
    role_name: &str,
    subjects: &[&str],
) -> String {
    let (kind, meta) = match namespace {
        Some(ns) => ("RoleBinding", format!("{{name: {name}, namespace: {ns}}}")),
        None => ("ClusterRoleBinding", format!("{{name: {name}}}")),
    };
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata: {meta}\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {role_kind}, name: {role_name}}}\nsubjects: [{}]\n---\n",
        subjects.join(", ")
    )
}

const SA_APP: &str = "{kind: ServiceAccount, name: app, namespace: dev}";
const APP: &str = "system:serviceaccount:dev:app";
const PODS_READ: &str = "{apiGroups: [''], resources: [pods], verbs: [get, list, watch]}";

// ---------------------------------------------------------------------------------------------
// Bindings and scope
// ---------------------------------------------------------------------------------------------

#[test]
fn role_binding_grants_its_own_namespaces_role_only_there() {
    let p = policy(
        &[
            role(Some("dev"), "reader", &[PODS_READ]),
            role(
                Some("prod"),
                "reader",
                &["{apiGroups: [''], resources: [secrets], verbs: [get]}"],
            ),
            binding(Some("dev"), "read", "Role", "reader", &[SA_APP]),
        ]
        .concat(),
    );
    check(
        &p,
        APP,
        &[
            "yes get pods -n dev",
            "yes list pods -n dev",
            "no get pods -n prod",
            // Role dev/reader, not prod/reader, whatever the names.
            "no get secrets -n dev",
            "no get secrets -n prod",
            // Cluster-wide (all namespaces at once) needs a ClusterRoleBinding.
            "no list pods",
            "no delete pods -n dev",
        ],
    );
    let yes = ask(&p, APP, "get pods -n dev");
    assert_eq!(
        yes.text,
        "Yes: RoleBinding dev/read grants Role dev/reader, which allows get pods in namespace dev."
    );
    assert_eq!(yes.via, ["RoleBinding dev/read → Role dev/reader"]);
    let no = ask(&p, APP, "get pods -n prod");
    assert_eq!(
        no.text,
        "No: no binding grants system:serviceaccount:dev:app get pods in namespace prod."
    );
    assert!(
        no.hints
            .iter()
            .any(|h| h.contains("Allowed in namespace dev")),
        "{no:#?}"
    );
}

#[test]
fn role_binding_to_cluster_role_is_scoped_to_the_binding() {
    let p = policy(
        &[
            role(None, "pod-reader", &[PODS_READ]),
            binding(Some("dev"), "read", "ClusterRole", "pod-reader", &[SA_APP]),
        ]
        .concat(),
    );
    check(
        &p,
        APP,
        &[
            "yes get pods -n dev",
            "no get pods -n prod",
            "no get pods -n kube-system",
            "no list pods",
        ],
    );
    assert!(ask(&p, APP, "get pods -n dev")
        .text
        .contains("RoleBinding dev/read grants ClusterRole pod-reader"));
}

#[test]
fn cluster_role_binding_grants_everywhere() {
    let p = policy(
        &[
            role(None, "pod-reader", &[PODS_READ]),
            binding(None, "read-all", "ClusterRole", "pod-reader", &[SA_APP]),
        ]
        .concat(),
    );
    check(
        &p,
        APP,
        &[
            "yes get pods -n dev",
            "yes get pods -n prod",
            "yes list pods",
            "no create pods -n dev",
        ],
    );
    assert_eq!(
        ask(&p, APP, "list pods").text,
        "Yes: ClusterRoleBinding read-all grants ClusterRole pod-reader, which allows list pods cluster-wide."
    );
}

#[test]
fn bindings_to_missing_roles_grant_nothing_and_are_flagged() {
    let p = policy(
        &[
            role(Some("prod"), "reader", &[PODS_READ]),
            // A RoleBinding cannot reach a Role in another namespace: dev/reader is missing.
            binding(Some("dev"), "read", "Role", "reader", &[SA_APP]),
            binding(None, "gone", "ClusterRole", "deleted-role", &[SA_APP]),
            // Names someone else: not the subject's concern.
            binding(
                None,
                "other",
                "ClusterRole",
                "also-gone",
                &["{kind: User, name: bob}"],
            ),
        ]
        .concat(),
    );
    check(&p, APP, &["no get pods -n dev", "no get pods -n prod"]);
    let access = effective(&p, &Subject::from_service_account("dev", "app"));
    assert!(access.grants.is_empty());
    let titles: Vec<&str> = access
        .missing_roles
        .iter()
        .map(|f| f.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "ClusterRoleBinding gone refers to missing ClusterRole deleted-role",
            "RoleBinding dev/read refers to missing Role dev/reader",
        ]
    );
    let no = ask(&p, APP, "get pods -n dev");
    assert!(
        no.hints.iter().any(|h| h
            == "RoleBinding dev/read names the subject but refers to missing Role dev/reader, so it grants nothing."),
        "{no:#?}"
    );
}

#[test]
fn cluster_role_binding_to_a_role_grants_nothing() {
    let p = policy(
        &[
            role(Some("dev"), "reader", &[PODS_READ]),
            binding(None, "wrong", "Role", "reader", &[SA_APP]),
        ]
        .concat(),
    );
    check(&p, APP, &["no get pods -n dev", "no list pods"]);
    assert!(p
        .notes
        .iter()
        .any(|n| n.to_string().contains("can only refer to a ClusterRole")));
    let access = effective(&p, &Subject::from_service_account("dev", "app"));
    assert_eq!(access.missing_roles.len(), 1);
    assert!(access.missing_roles[0]
        .why
        .contains("only refer to a ClusterRole"));
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

#[test]
fn wildcards_match_verbs_groups_and_resources() {
    let p = policy(
        &[
            role(
                None,
                "all-verbs-pods",
                &["{apiGroups: [''], resources: [pods], verbs: ['*']}"],
            ),
            role(
                None,
                "get-anything-core",
                &["{apiGroups: [''], resources: ['*'], verbs: [get]}"],
            ),
            role(
                None,
                "list-deploy-any-group",
                &["{apiGroups: ['*'], resources: [deployments], verbs: [list]}"],
            ),
            binding(Some("a"), "a", "ClusterRole", "all-verbs-pods", &[SA_APP]),
            binding(
                Some("b"),
                "b",
                "ClusterRole",
                "get-anything-core",
                &[SA_APP],
            ),
            binding(
                Some("c"),
                "c",
                "ClusterRole",
                "list-deploy-any-group",
                &[SA_APP],
            ),
        ]
        .concat(),
    );
    check(
        &p,
        APP,
        &[
            "yes delete pods -n a",
            "yes escalate pods -n a",
            "no delete pods/log -n a",
            "no get services -n a",
            // `*` resources covers subresources too.
            "yes get secrets -n b",
            "yes get pods/log -n b",
            "no get deployments.apps -n b",
            "no list secrets -n b",
            "yes list deployments.apps -n c",
            "yes list deployments.extensions -n c",
            "yes list deployments.example.com -n c",
            "no list deployments/scale -n c",
            "no list pods -n c",
        ],
    );
    // A literal `*` verb is only granted by a `*` verb.
    check(&p, APP, &["yes * pods -n a", "no * pods -n b"]);
}

#[test]
fn api_groups_must_match() {
    let p = policy(
        &[
            role(
                None,
                "apps",
                &["{apiGroups: [apps], resources: [deployments], verbs: [get]}"],
            ),
            role(
                None,
                "core",
                &["{apiGroups: [''], resources: [deployments], verbs: [list]}"],
            ),
            binding(Some("dev"), "apps", "ClusterRole", "apps", &[SA_APP]),
            binding(Some("dev"), "core", "ClusterRole", "core", &[SA_APP]),
        ]
        .concat(),
    );
    check(
        &p,
        APP,
        &[
            // `deployments` is read as deployments.apps, as kubectl's discovery would.
            "yes get deployments -n dev",
            "yes get deployments.apps -n dev",
            "no get deployments.extensions -n dev",
            "no list deployments -n dev",
        ],
    );
}

#[test]
fn resource_names_restrict_to_the_named_objects() {
    let p = policy(
        &[
            role(
                Some("dev"),
                "one-secret",
                &["{apiGroups: [''], resources: [secrets], resourceNames: [db, api], verbs: [get, list, update]}"],
            ),
            binding(Some("dev"), "one", "Role", "one-secret", &[SA_APP]),
        ]
        .concat(),
    );
    check(
        &p,
        APP,
        &[
            "yes get secrets -n dev db",
            "yes update secrets -n dev api",
            "no get secrets -n dev other",
            // Without a name (list, or get with no name) resourceNames never match.
            "no list secrets -n dev",
            "no get secrets -n dev",
        ],
    );
    let no = ask(&p, APP, "list secrets -n dev");
    assert!(
        no.hints
            .iter()
            .any(|h| h.contains("only for resourceNames [db, api]")),
        "{no:#?}"
    );
    assert_eq!(
        ask(&p, APP, "get secrets -n dev db").text,
        "Yes: RoleBinding dev/one grants Role dev/one-secret, which allows get secrets \"db\" in namespace dev."
    );
}

#[test]
fn subresources_are_separate_resources() {
    let p = policy(
        &[
            role(
                None,
                "pods",
                &["{apiGroups: [''], resources: [pods], verbs: [get, create]}"],
            ),
            role(
                None,
                "logs",
                &["{apiGroups: [''], resources: [pods/log], verbs: [get]}"],
            ),
            role(
                None,
                "scale",
                &["{apiGroups: ['*'], resources: ['*/scale'], verbs: [update]}"],
            ),
            // The authorizer reads `pods/*` literally: it is not every subresource of pods.
            role(
                None,
                "pods-star",
                &["{apiGroups: [''], resources: ['pods/*'], verbs: [create]}"],
            ),
            binding(Some("p"), "p", "ClusterRole", "pods", &[SA_APP]),
            binding(Some("l"), "l", "ClusterRole", "logs", &[SA_APP]),
            binding(Some("s"), "s", "ClusterRole", "scale", &[SA_APP]),
            binding(Some("x"), "x", "ClusterRole", "pods-star", &[SA_APP]),
        ]
        .concat(),
    );
    check(
        &p,
        APP,
        &[
            "yes get pods -n p",
            "no get pods/log -n p",
            "no create pods/exec -n p",
            "yes get pods/log -n l",
            "no get pods -n l",
            "yes update deployments.apps/scale -n s",
            "yes update statefulsets/scale -n s",
            "yes update replicationcontrollers/scale -n s",
            "no update deployments -n s",
            "no update deployments/status -n s",
            "no create pods/exec -n x",
            "no create pods -n x",
        ],
    );
}

#[test]
fn non_resource_urls_match_exactly_or_by_trailing_star() {
    let p = policy(
        &[
            role(
                None,
                "health",
                &["{nonResourceURLs: [/healthz, /api/*, /logs*], verbs: [get]}"],
            ),
            role(
                None,
                "everything",
                &["{nonResourceURLs: ['*'], verbs: ['*']}"],
            ),
            binding(None, "health", "ClusterRole", "health", &[SA_APP]),
            // Through a RoleBinding, non-resource rules never count.
            binding(
                Some("dev"),
                "everything",
                "ClusterRole",
                "everything",
                &[SA_APP],
            ),
        ]
        .concat(),
    );
    check(
        &p,
        APP,
        &[
            "yes get /healthz",
            "no get /healthz/etcd",
            "no post /healthz",
            "yes get /api/v1",
            "yes get /api/",
            "no get /api",
            "yes get /logs",
            "yes get /logsomething",
            "no get /metrics",
            // A namespace typed with a URL is dropped: URLs have no namespace.
            "no get /metrics -n dev",
        ],
    );
    let no = ask(&p, APP, "get /metrics");
    assert_eq!(
        no.text,
        "No: no binding grants system:serviceaccount:dev:app get /metrics."
    );
    assert!(no
        .hints
        .iter()
        .any(|h| h.contains("only granted by ClusterRoleBindings")));
    let everything = policy(
        &[
            role(
                None,
                "everything",
                &["{nonResourceURLs: ['*'], verbs: ['*']}"],
            ),
            binding(None, "everything", "ClusterRole", "everything", &[SA_APP]),
        ]
        .concat(),
    );
    check(
        &everything,
        APP,
        &["yes get /metrics", "yes delete /anything/at/all"],
    );
    // Non-resource rules do not grant resources.
    check(&everything, APP, &["no get pods -n dev"]);
}

#[test]
fn cluster_scoped_resources_ignore_the_namespace() {
    let p = policy(
        &[
            role(
                None,
                "nodes",
                &["{apiGroups: [''], resources: [nodes, namespaces], verbs: [get, delete]}"],
            ),
            binding(Some("dev"), "nodes", "ClusterRole", "nodes", &[SA_APP]),
        ]
        .concat(),
    );
    check(
        &p,
        APP,
        &[
            "no get nodes -n dev",
            "no get nodes",
            // A request for namespace dev itself happens in namespace dev.
            "yes get namespaces dev",
            "yes delete namespaces -n dev dev",
            "no get namespaces prod",
            "no get namespaces -n dev",
        ],
    );
    let no = ask(&p, APP, "get nodes -n dev");
    assert!(
        no.hints.iter().any(|h| h.contains("cluster-scoped")),
        "{no:#?}"
    );
}

#[test]
fn bind_on_a_cluster_role_is_asked_in_the_namespace_of_the_role_binding() {
    // The RoleBinding storage asks `bind` on `clusterroles/NAME` with the new RoleBinding's
    // namespace (BindingAuthorized, pkg/registry/rbac/escalation_check.go), so a RoleBinding
    // in dev granting it lets the subject bind that ClusterRole in dev, and nowhere else.
    let p = policy(
        &[
            role(
                None,
                "delegate-view",
                &["{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind, escalate], resourceNames: [view]}"],
            ),
            binding(Some("dev"), "delegate", "ClusterRole", "delegate-view", &[SA_APP]),
        ]
        .concat(),
    );
    check(
        &p,
        APP,
        &[
            "yes bind clusterroles -n dev view",
            "no bind clusterroles -n dev edit",
            "no bind clusterroles -n prod view",
            // A ClusterRoleBinding's check has no namespace.
            "no bind clusterroles view",
            // escalate is asked when the ClusterRole is written, a request without a namespace.
            "no escalate clusterroles -n dev view",
        ],
    );
    let yes = ask(&p, APP, "bind clusterroles -n dev view");
    assert_eq!(
        yes.text,
        "Yes: RoleBinding dev/delegate grants ClusterRole delegate-view, which allows bind clusterroles.rbac.authorization.k8s.io \"view\" in namespace dev."
    );
    assert_eq!(
        yes.hints,
        ["bind on a ClusterRole is checked in the namespace of the RoleBinding being created, so RoleBindings in dev count; without a namespace it is the check for a ClusterRoleBinding."]
    );
    let no = ask(&p, APP, "escalate clusterroles -n dev view");
    assert!(
        no.hints[0].starts_with(
            "escalate on a ClusterRole is checked when the ClusterRole itself is written"
        ),
        "{no:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Subjects
// ---------------------------------------------------------------------------------------------

#[test]
fn subjects_match_by_kind() {
    let p = policy(
        &[
            role(None, "pods", &[PODS_READ]),
            binding(
                Some("u"),
                "user",
                "ClusterRole",
                "pods",
                &["{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}"],
            ),
            binding(
                Some("g"),
                "group",
                "ClusterRole",
                "pods",
                &["{kind: Group, name: dev-team, apiGroup: rbac.authorization.k8s.io}"],
            ),
            binding(Some("sa"), "sa", "ClusterRole", "pods", &[SA_APP]),
            // A ServiceAccount subject without a namespace in a RoleBinding means the binding's.
            binding(
                Some("dev"),
                "local-sa",
                "ClusterRole",
                "pods",
                &["{kind: ServiceAccount, name: app}"],
            ),
            binding(
                Some("all-sa"),
                "all-sa",
                "ClusterRole",
                "pods",
                &["{kind: Group, name: 'system:serviceaccounts:dev'}"],
            ),
            // A service account is also the user system:serviceaccount:NS:NAME.
            binding(
                Some("as-user"),
                "as-user",
                "ClusterRole",
                "pods",
                &["{kind: User, name: 'system:serviceaccount:dev:app'}"],
            ),
            binding(
                Some("authn"),
                "authn",
                "ClusterRole",
                "pods",
                &["{kind: Group, name: 'system:authenticated'}"],
            ),
        ]
        .concat(),
    );
    check(
        &p,
        "alice",
        &[
            "yes get pods -n u",
            "no get pods -n g",
            "no get pods -n sa",
            "yes get pods -n authn",
        ],
    );
    check(
        &p,
        "bob",
        &[
            "no get pods -n u",
            "no get pods -n g",
            "yes get pods -n authn",
        ],
    );
    check(
        &p,
        "bob, group:dev-team",
        &["no get pods -n u", "yes get pods -n g"],
    );
    check(
        &p,
        "group:dev-team",
        &["yes get pods -n g", "no get pods -n authn"],
    );
    check(
        &p,
        APP,
        &[
            "no get pods -n u",
            "no get pods -n g",
            "yes get pods -n sa",
            "yes get pods -n dev",
            "yes get pods -n all-sa",
            "yes get pods -n as-user",
            "yes get pods -n authn",
        ],
    );
    // Same name, other namespace: another service account.
    check(
        &p,
        "system:serviceaccount:prod:app",
        &[
            "no get pods -n sa",
            "no get pods -n dev",
            "no get pods -n all-sa",
            "no get pods -n as-user",
            "yes get pods -n authn",
        ],
    );
    // A user named like the service account's short name is not it.
    check(&p, "app", &["no get pods -n sa", "no get pods -n dev"]);
}

#[test]
fn service_account_subjects_need_a_namespace_in_cluster_role_bindings() {
    let p = policy(
        &[
            role(None, "pods", &[PODS_READ]),
            binding(
                None,
                "no-ns",
                "ClusterRole",
                "pods",
                &["{kind: ServiceAccount, name: app}"],
            ),
        ]
        .concat(),
    );
    check(&p, APP, &["no get pods -n dev", "no list pods"]);
    assert!(
        p.notes
            .iter()
            .any(|n| n.at == "document 2 (ClusterRoleBinding no-ns), subjects[0]"),
        "{:#?}",
        p.notes
    );
}

#[test]
fn system_masters_is_allowed_everything() {
    let p = policy(&role(None, "unused", &[PODS_READ]));
    check(
        &p,
        "admin, group:system:masters",
        &["yes delete nodes", "yes get /metrics", "yes * * -n dev"],
    );
    check(&p, "system:masters", &["yes get secrets -n kube-system"]);
    let no = ask(&p, "alice", "get pods -n dev");
    assert_eq!(
        no.hints,
        ["No pasted binding names alice or its groups (system:authenticated)."]
    );
}

#[test]
fn typed_subjects() {
    let sa = parse_subject(" system:serviceaccount:dev:app ").unwrap();
    assert_eq!(sa, Subject::from_service_account("dev", "app"));
    assert_eq!(
        sa.groups,
        [
            "system:serviceaccounts",
            "system:serviceaccounts:dev",
            "system:authenticated"
        ]
    );
    assert_eq!(
        parse_subject("alice").unwrap(),
        Subject {
            user: "alice".into(),
            groups: vec!["system:authenticated".into()]
        }
    );
    assert_eq!(
        parse_subject("user:group:odd").unwrap().user,
        "group:odd".to_string()
    );
    assert_eq!(
        parse_subject("alice, group:dev, group:ops").unwrap(),
        Subject {
            user: "alice".into(),
            groups: vec!["dev".into(), "ops".into(), "system:authenticated".into()]
        }
    );
    assert_eq!(
        parse_subject("group:dev").unwrap(),
        Subject {
            user: String::new(),
            groups: vec!["dev".into()]
        }
    );
    assert_eq!(
        parse_subject("system:serviceaccounts:dev").unwrap(),
        Subject {
            user: String::new(),
            groups: vec!["system:serviceaccounts:dev".into()]
        }
    );
    assert_eq!(
        parse_subject("system:anonymous").unwrap().groups,
        ["system:unauthenticated"]
    );
    for (text, error) in [
        ("", SubjectError::Empty),
        ("  ", SubjectError::Empty),
        (
            "system:serviceaccount:dev",
            SubjectError::ServiceAccount {
                text: "system:serviceaccount:dev".into(),
            },
        ),
        (
            "system:serviceaccount:dev:app:x",
            SubjectError::ServiceAccount {
                text: "system:serviceaccount:dev:app:x".into(),
            },
        ),
        (
            "system:serviceaccount::app",
            SubjectError::ServiceAccount {
                text: "system:serviceaccount::app".into(),
            },
        ),
        ("alice,,group:x", SubjectError::EmptyEntry { position: 2 }),
        ("group:", SubjectError::EmptyEntry { position: 1 }),
        (
            "alice, bob",
            SubjectError::TwoUsers {
                first: "alice".into(),
                second: "bob".into(),
            },
        ),
    ] {
        let got = parse_subject(text);
        assert_eq!(got, Err(error.clone()), "{text:?}");
        // Every message says what to type.
        assert!(error.to_string().contains("group:NAME"), "{error}");
    }
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

#[test]
fn queries_read_like_kubectl() {
    let q = |r: &str| Query::parse("get", r, "", "").unwrap();
    let cases: &[(&str, &str, &str, &str)] = &[
        // typed, resource, group, label
        ("pods", "pods", "", "pods"),
        ("Pods", "pods", "", "pods"),
        ("po", "pods", "", "pods"),
        ("pods/log", "pods/log", "", "pods/log"),
        ("deployments", "deployments", "apps", "deployments.apps"),
        ("deploy", "deployments", "apps", "deployments.apps"),
        (
            "deployments.apps/scale",
            "deployments/scale",
            "apps",
            "deployments.apps/scale",
        ),
        (
            "deployments.extensions",
            "deployments",
            "extensions",
            "deployments.extensions",
        ),
        (
            "ingresses.networking.k8s.io",
            "ingresses",
            "networking.k8s.io",
            "ingresses.networking.k8s.io",
        ),
        (
            "roles",
            "roles",
            "rbac.authorization.k8s.io",
            "roles.rbac.authorization.k8s.io",
        ),
        (
            "widgets.example.com",
            "widgets",
            "example.com",
            "widgets.example.com",
        ),
        ("*", "*", "", "*"),
        ("*.*", "*", "*", "*.*"),
        ("/healthz", "/healthz", "", "/healthz"),
    ];
    for (typed, resource, group, label) in cases {
        let query = q(typed);
        assert_eq!(
            (query.resource.as_str(), query.api_group.as_str()),
            (*resource, *group),
            "{typed}"
        );
        assert_eq!(query.resource_label(), *label, "{typed}");
    }
    let full = Query::parse(" get ", "secrets", " dev ", " db ").unwrap();
    assert_eq!(full.namespace.as_deref(), Some("dev"));
    assert_eq!(full.name.as_deref(), Some("db"));
    let url = Query::parse("get", "/metrics", "dev", "x").unwrap();
    assert_eq!((url.namespace, url.name), (None, None));

    for (verb, resource, error) in [
        ("", "pods", QueryError::Verb { text: "".into() }),
        (
            "get list",
            "pods",
            QueryError::Verb {
                text: "get list".into(),
            },
        ),
        ("get", " ", QueryError::NoResource),
        (
            "get",
            "pods/log/x",
            QueryError::Resource {
                text: "pods/log/x".into(),
            },
        ),
        (
            "get",
            "pods/",
            QueryError::Resource {
                text: "pods/".into(),
            },
        ),
        (
            "get",
            ".apps",
            QueryError::Resource {
                text: ".apps".into(),
            },
        ),
        (
            "get",
            "pods.",
            QueryError::Resource {
                text: "pods.".into(),
            },
        ),
        (
            "get",
            "my pods",
            QueryError::Resource {
                text: "my pods".into(),
            },
        ),
    ] {
        assert_eq!(Query::parse(verb, resource, "", ""), Err(error.clone()));
        assert!(!error.to_string().is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// Aggregation
// ---------------------------------------------------------------------------------------------

/// A ClusterRole with labels, optional aggregation selectors (YAML flow) and rules.
fn labelled(name: &str, labels: &str, selectors: Option<&str>, rules: &[&str]) -> String {
    let aggregation = selectors
        .map(|s| format!("aggregationRule: {{clusterRoleSelectors: {s}}}\n"))
        .unwrap_or_default();
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {{name: {name}, labels: {labels}}}\n{aggregation}rules: [{}]\n---\n",
        rules.join(", ")
    )
}

fn rule_on(resource: &str) -> String {
    format!("{{apiGroups: [''], resources: [{resource}], verbs: [get]}}")
}

#[test]
fn aggregation_selects_by_labels_and_expressions() {
    let roles = [
        labelled("a", "{agg: 'true', tier: gold}", None, &[&rule_on("alpha")]),
        labelled("b", "{agg: 'true', tier: silver}", None, &[&rule_on("bravo")]),
        labelled("c", "{agg: 'false'}", None, &[&rule_on("charlie")]),
        labelled("d", "{}", None, &[&rule_on("delta")]),
        // Namespaced Roles are never aggregated, whatever their labels.
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: dev, labels: {agg: 'true'}}\nrules: [{apiGroups: [''], resources: [romeo], verbs: [get]}]\n---\n".to_string(),
    ]
    .concat();
    let cases: &[(&str, &[&str], &[&str])] = &[
        // selectors, resources granted, resources not granted
        ("[{matchLabels: {agg: 'true'}}]", &["alpha", "bravo"], &["charlie", "delta", "romeo"]),
        // matchLabels AND matchExpressions.
        (
            "[{matchLabels: {agg: 'true'}, matchExpressions: [{key: tier, operator: In, values: [gold]}]}]",
            &["alpha"],
            &["bravo", "charlie", "delta"],
        ),
        // NotIn also matches roles without the label.
        (
            "[{matchExpressions: [{key: tier, operator: NotIn, values: [gold]}]}]",
            &["bravo", "charlie", "delta"],
            &["alpha"],
        ),
        ("[{matchExpressions: [{key: agg, operator: Exists}]}]", &["alpha", "bravo", "charlie"], &["delta"]),
        ("[{matchExpressions: [{key: agg, operator: DoesNotExist}]}]", &["delta"], &["alpha", "bravo", "charlie"]),
        // Several selectors: any of them.
        (
            "[{matchLabels: {tier: gold}}, {matchLabels: {agg: 'false'}}]",
            &["alpha", "charlie"],
            &["bravo", "delta"],
        ),
        // An empty selector selects every ClusterRole, as in the controller.
        ("[{}]", &["alpha", "bravo", "charlie", "delta"], &["romeo"]),
        // No selectors, or an invalid one: nothing.
        ("[]", &[], &["alpha", "bravo", "charlie", "delta"]),
        ("[{matchExpressions: [{key: agg, operator: Like, values: ['true']}]}]", &[], &["alpha"]),
        ("[{matchExpressions: [{key: agg, operator: In}]}]", &[], &["alpha"]),
    ];
    for (selectors, yes, no) in cases {
        let text = [
            roles.clone(),
            labelled("agg", "{}", Some(selectors), &[]),
            binding(Some("dev"), "agg", "ClusterRole", "agg", &[SA_APP]),
        ]
        .concat();
        let p = policy(&text);
        for r in *yes {
            check(&p, APP, &[&format!("yes get {r} -n dev")]);
        }
        for r in *no {
            check(&p, APP, &[&format!("no get {r} -n dev")]);
        }
    }
    let p = policy(
        &[
            roles,
            labelled(
                "agg",
                "{}",
                Some("[{matchExpressions: [{key: agg, operator: Like}]}]"),
                &[],
            ),
        ]
        .concat(),
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.text().starts_with("invalid selector")),
        "{:#?}",
        p.notes
    );
}

#[test]
fn aggregation_chains_follow_the_controller_and_name_the_origin() {
    // top <- middle <- leaf, pasted top first; middle also has a rule of its own, which no
    // pasted role it selects carries: the controller removes it, so it grants nothing.
    let p = policy(
        &[
            labelled("top", "{}", Some("[{matchLabels: {to-top: 'true'}}]"), &[]),
            labelled(
                "middle",
                "{to-top: 'true'}",
                Some("[{matchLabels: {to-middle: 'true'}}]"),
                &[&rule_on("dropped")],
            ),
            labelled("leaf", "{to-middle: 'true'}", None, &[&rule_on("leafy")]),
            // Aggregates itself and the top: a cycle must end.
            labelled(
                "loop",
                "{to-top: 'true'}",
                Some("[{matchLabels: {to-top: 'true'}}]"),
                &[],
            ),
            binding(Some("dev"), "top", "ClusterRole", "top", &[SA_APP]),
        ]
        .concat(),
    );
    check(&p, APP, &["yes get leafy -n dev", "no get dropped -n dev"]);
    let access = effective(&p, &Subject::from_service_account("dev", "app"));
    let leafy = access
        .grants
        .iter()
        .find(|g| g.rule.resources == ["leafy"])
        .unwrap();
    assert_eq!(leafy.role, "ClusterRole top");
    assert_eq!(leafy.aggregated_from.as_deref(), Some("leaf"));
    // No rule is granted twice through one binding.
    assert_eq!(access.grants.len(), 1, "{:#?}", access.grants);
    // The difference is noted where it is.
    let notes: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        ["ClusterRole middle: its pasted rules differ from what its aggregationRule selects (1 pasted rules are in no selected ClusterRole, 1 selected rules are not pasted): answers use the selected ClusterRoles' rules, as the aggregation controller rewrites them; if the paste lacks some selected ClusterRoles, the cluster may grant more"]
    );
}

#[test]
fn an_aggregated_role_whose_selected_roles_are_not_pasted_keeps_its_pasted_rules() {
    // `kubectl get clusterrole monitoring -o yaml` alone: the roles it selects are not here, so
    // its rules are what the controller last wrote.
    let p = policy(
        &[
            labelled(
                "monitoring",
                "{}",
                Some("[{matchLabels: {aggregate-to-monitoring: 'true'}}]"),
                &[&rule_on("metrics")],
            ),
            labelled(
                "empty",
                "{}",
                Some("[{matchLabels: {nothing: 'here'}}]"),
                &[],
            ),
            binding(None, "mon", "ClusterRole", "monitoring", &[SA_APP]),
        ]
        .concat(),
    );
    check(&p, APP, &["yes get metrics -n any", "no get other -n any"]);
    let notes: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        ["ClusterRole monitoring: its aggregationRule selects no pasted ClusterRole, so answers use its pasted rules (what the aggregation controller last wrote); paste the ClusterRoles it selects to check them"]
    );
    // Once a selected role is pasted, the controller's rules replace the pasted ones.
    let p = policy(
        &[
            labelled(
                "monitoring",
                "{}",
                Some("[{matchLabels: {aggregate-to-monitoring: 'true'}}]"),
                &[&rule_on("metrics")],
            ),
            labelled(
                "part",
                "{aggregate-to-monitoring: 'true'}",
                None,
                &[&rule_on("other")],
            ),
            binding(None, "mon", "ClusterRole", "monitoring", &[SA_APP]),
        ]
        .concat(),
    );
    check(&p, APP, &["no get metrics -n any", "yes get other -n any"]);
    assert_eq!(p.notes.len(), 1, "{:#?}", p.notes);
    assert!(p.notes[0].text().contains(
        "1 pasted rules are in no selected ClusterRole, 1 selected rules are not pasted"
    ));
}

#[test]
fn long_aggregation_chains_converge() {
    // r0 <- r1 <- … <- r99, pasted in the worst order for one pass.
    let mut text = String::new();
    for i in 0..100 {
        let labels = format!("{{level: 'l{}'}}", i);
        let selectors = format!("[{{matchLabels: {{level: 'l{}'}}}}]", i + 1);
        let rules = if i == 99 {
            vec![rule_on("deep")]
        } else {
            vec![]
        };
        let rules: Vec<&str> = rules.iter().map(String::as_str).collect();
        text.push_str(&labelled(
            &format!("r{i:02}"),
            &labels,
            Some(&selectors),
            &rules,
        ));
    }
    text.push_str(&binding(None, "top", "ClusterRole", "r00", &[SA_APP]));
    let p = policy(&text);
    check(&p, APP, &["yes get deep -n any"]);
}

// ---------------------------------------------------------------------------------------------
// Effective access
// ---------------------------------------------------------------------------------------------

#[test]
fn effective_lists_rules_per_scope_with_their_origin() {
    let p = policy(
        &[
            role(
                None,
                "pods",
                &[
                    PODS_READ,
                    "{apiGroups: [''], resources: [pods], verbs: [delete]}",
                ],
            ),
            role(
                None,
                "health",
                &[
                    "{nonResourceURLs: [/healthz], verbs: [get]}",
                    "{apiGroups: [apps], resources: [deployments], verbs: [list]}",
                ],
            ),
            role(
                Some("dev"),
                "secrets",
                &["{apiGroups: [''], resources: [secrets], resourceNames: [db], verbs: [get]}"],
            ),
            binding(None, "health", "ClusterRole", "health", &[SA_APP]),
            binding(Some("dev"), "pods", "ClusterRole", "pods", &[SA_APP]),
            binding(Some("dev"), "secrets", "Role", "secrets", &[SA_APP]),
            // Non-resource rules through a RoleBinding are dropped: they grant nothing.
            binding(Some("prod"), "health", "ClusterRole", "health", &[SA_APP]),
            binding(
                Some("other"),
                "pods",
                "ClusterRole",
                "pods",
                &["{kind: User, name: bob}"],
            ),
        ]
        .concat(),
    );
    let access = effective(&p, &Subject::from_service_account("dev", "app"));
    let summary: Vec<String> = access
        .grants
        .iter()
        .map(|g| {
            format!(
                "{} | {} | {} | {:?} {:?}",
                g.scope.as_deref().unwrap_or("*"),
                g.binding,
                g.role,
                g.rule.resources,
                g.rule.non_resource_urls
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "* | ClusterRoleBinding health | ClusterRole health | [] [\"/healthz\"]",
            "* | ClusterRoleBinding health | ClusterRole health | [\"deployments\"] []",
            "dev | RoleBinding dev/pods | ClusterRole pods | [\"pods\"] []",
            "dev | RoleBinding dev/pods | ClusterRole pods | [\"pods\"] []",
            "dev | RoleBinding dev/secrets | Role dev/secrets | [\"secrets\"] []",
            "prod | RoleBinding prod/health | ClusterRole health | [\"deployments\"] []",
        ]
    );
    let scopes: Vec<Option<&str>> = access
        .table
        .iter()
        .map(|t| t.namespace.as_deref())
        .collect();
    assert_eq!(scopes, [None, Some("dev"), Some("prod")]);
    let rows = |i: usize| -> Vec<String> {
        access.table[i]
            .rows
            .iter()
            .map(|r| {
                format!(
                    "{}|{}|{}|{}",
                    r.resource,
                    r.non_resource_url,
                    r.resource_names.join(","),
                    r.verbs.join(",")
                )
            })
            .collect()
    };
    assert_eq!(rows(0), ["deployments.apps|||list", "|/healthz||get"]);
    // Verbs of two rules on the same resource merge, like kubectl auth can-i --list.
    assert_eq!(rows(1), ["pods|||delete,get,list,watch", "secrets||db|get"]);
    assert_eq!(rows(2), ["deployments.apps|||list"]);
    assert_eq!(
        access.table[1].rows[0].sources,
        ["RoleBinding dev/pods → ClusterRole pods"]
    );
    // risk::rule_risks flags even a named Secret (get returns its contents).
    let titles: Vec<&str> = access.warnings.iter().map(|f| f.title.as_str()).collect();
    assert_eq!(titles, ["Reads Secrets (in namespace dev)"]);

    // Someone bound to nothing still gets the cluster-wide table, empty.
    let nobody = effective(&p, &parse_subject("carol").unwrap());
    assert!(nobody.grants.is_empty());
    assert_eq!(nobody.table.len(), 1);
    assert!(nobody.table[0].rows.is_empty());
}

#[test]
fn warnings_say_what_is_risky_and_where_it_comes_from() {
    let p = policy(
        &[
            role(None, "secret-reader", &["{apiGroups: [''], resources: [secrets], verbs: [get, list]}"]),
            role(None, "exec", &["{apiGroups: [''], resources: [pods/exec], verbs: [create]}"]),
            role(None, "rbac-admin", &["{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, bind]}"]),
            role(None, "impersonator", &["{apiGroups: [''], resources: [users, groups], verbs: [impersonate]}"]),
            role(None, "cluster-admin", &["{apiGroups: ['*'], resources: ['*'], verbs: ['*']}", "{nonResourceURLs: ['*'], verbs: ['*']}"]),
            binding(Some("dev"), "secrets", "ClusterRole", "secret-reader", &[SA_APP]),
            binding(Some("dev"), "secrets-again", "ClusterRole", "secret-reader", &["{kind: Group, name: 'system:serviceaccounts:dev'}"]),
            binding(Some("kube-system"), "exec", "ClusterRole", "exec", &[SA_APP]),
            binding(None, "rbac", "ClusterRole", "rbac-admin", &[SA_APP]),
            binding(None, "imp", "ClusterRole", "impersonator", &[SA_APP]),
            binding(Some("prod"), "admin", "ClusterRole", "cluster-admin", &[SA_APP]),
        ]
        .concat(),
    );
    let access = effective(&p, &Subject::from_service_account("dev", "app"));
    let titles: Vec<&str> = access.warnings.iter().map(|f| f.title.as_str()).collect();
    for want in [
        "Reads Secrets (in namespace dev)",
        "Can create pods/exec (in namespace kube-system)",
        "Binding in kube-system (in namespace kube-system)",
        "Can escalate (cluster-wide)",
        "Can bind (cluster-wide)",
        "Can impersonate (cluster-wide)",
        "Bound to cluster-admin (in namespace prod)",
        "Wildcard verb (*) (in namespace prod)",
        "Reads Secrets (in namespace prod)",
    ] {
        assert!(titles.contains(&want), "missing {want:?} in {titles:#?}");
    }
    // The cluster-admin role's non-resource rule is inert in a RoleBinding: no URL warning.
    assert!(!titles
        .iter()
        .any(|t| t.starts_with("Every non-resource URL")));
    // One warning per risk and scope, naming every binding behind it.
    let secrets: Vec<_> = access
        .warnings
        .iter()
        .filter(|f| f.title == "Reads Secrets (in namespace dev)")
        .collect();
    assert_eq!(secrets.len(), 1);
    assert!(secrets[0].why.ends_with(
        "Granted by RoleBinding dev/secrets → ClusterRole secret-reader; RoleBinding dev/secrets-again → ClusterRole secret-reader."
    ), "{}", secrets[0].why);
    // Most serious first, cluster-wide before namespaces at the same level.
    let levels: Vec<Level> = access.warnings.iter().map(|f| f.level).collect();
    let mut sorted = levels.clone();
    sorted.sort_unstable();
    sorted.reverse();
    assert_eq!(levels, sorted);
    assert_eq!(access.warnings[0].title, "Can escalate (cluster-wide)");
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const LIST_YAML: &str = "\
apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: Role
  metadata: {name: reader, namespace: dev}
  rules: [{apiGroups: [''], resources: [pods], verbs: [get]}]
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: cm, namespace: dev}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata: {name: x, namespace: dev}
  roleRef: {apiGroup: rbac.authorization.k8s.io, name: reader}
  subjects: [{kind: ServiceAccount, name: app, namespace: dev}]
- apiVersion: rbac.authorization.k8s.io/v1beta1
  kind: RoleBinding
  metadata: {name: ok, namespace: dev}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
  subjects: [{kind: ServiceAccount, name: app, namespace: dev}, {kind: Robot, name: r2}]
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata: {}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
";

#[test]
fn reads_lists_and_notes_each_problem_where_it_is() {
    let p = policy(LIST_YAML);
    assert_eq!(p.roles.len(), 1);
    assert_eq!(p.bindings.len(), 1);
    let notes: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "item 2 (ConfigMap): not an RBAC object; skipped",
            "item 3 (RoleBinding dev/x): roleRef.kind missing; skipped",
            "item 4 (RoleBinding dev/ok), subjects[1]: kind Robot is not User, Group or ServiceAccount; ignored",
            "item 5 (ClusterRoleBinding): metadata.name missing; skipped",
        ]
    );
    assert_eq!(p.notes[0].level(), Level::Info);
    assert_eq!(p.notes[1].level(), Level::Warning);
    // v1beta1 is read like v1.
    check(&p, APP, &["yes get pods -n dev"]);
}

#[test]
fn reads_multi_document_yaml_and_every_json_shape() {
    let yaml = [
        role(Some("dev"), "reader", &[PODS_READ]),
        binding(Some("dev"), "read", "Role", "reader", &[SA_APP]),
    ]
    .concat();
    let role_json = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"reader","namespace":"dev"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}"#;
    let binding_json = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"read","namespace":"dev"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"},"subjects":[{"kind":"ServiceAccount","name":"app","namespace":"dev"}]}"#;
    for text in [
        yaml,
        format!(r#"{{"apiVersion":"v1","kind":"List","items":[{role_json},{binding_json}]}}"#),
        format!("{role_json}\n{binding_json}\n"),
        format!("[{role_json}, {binding_json}]"),
        // `kubectl get roles -o json` and `kubectl get rolebindings -o json`, one after another.
        format!(
            r#"{{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleList","items":[{role_json}]}}
{{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBindingList","items":[{binding_json}]}}"#
        ),
    ] {
        let p = policy(&text);
        assert_eq!((p.roles.len(), p.bindings.len()), (1, 1), "{text}");
        assert!(p.notes.is_empty(), "{:#?}", p.notes);
        check(&p, APP, &["yes get pods -n dev", "no get pods -n prod"]);
    }
}

#[test]
fn notes_missing_fields_and_odd_rules_without_failing() {
    let text = "\
kind: Role
metadata: {name: r}
rules:
- {apiGroups: [''], resources: [pods], verbs: [get, 7]}
- {apiGroups: [''], resources: [pods], nonResourceURLs: [/x], verbs: [get]}
- not-a-rule
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b}
roleRef: {kind: Role, name: r}
subjects: [{kind: ServiceAccount, name: app}]
---
apiVersion: v1
kind: Role
metadata: {name: core-role, namespace: dev}
";
    let p = policy(text);
    let notes: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "document 1 (Role r): apiVersion missing; read as rbac.authorization.k8s.io/v1",
            "document 1 (Role r): metadata.namespace missing; assumed \"default\" (kubectl would use the current context's namespace)",
            "document 1 (Role r), rules[0]: verbs holds a number; ignored",
            "document 1 (Role r), rules[1]: a Role cannot grant nonResourceURLs (the API server would refuse this rule)",
            "document 1 (Role r), rules[1]: mixes nonResourceURLs with apiGroups, resources or resourceNames (the API server would refuse this rule)",
            "document 1 (Role r), rules[2]: not an object; ignored",
            "document 2 (RoleBinding b): metadata.namespace missing; assumed \"default\" (kubectl would use the current context's namespace)",
            "document 2 (RoleBinding b): roleRef.apiGroup is missing, not rbac.authorization.k8s.io (the API server would refuse it); read anyway",
            "document 3 (Role dev/core-role): apiVersion v1 is not rbac.authorization.k8s.io/v1; skipped",
        ]
    );
    check(
        &p,
        "system:serviceaccount:default:app",
        &["yes get pods -n default", "no get pods -n dev"],
    );
}

#[test]
fn whole_paste_errors_say_where_and_what_to_do() {
    assert_eq!(parse(""), Err(ParseError::Empty));
    assert_eq!(parse(" \n\t"), Err(ParseError::Empty));
    match parse("kind: Role\nmetadata: [a, b\nrules: x\n") {
        Err(ParseError::Yaml { line, .. }) => assert!(line >= 2, "{line}"),
        other => panic!("{other:?}"),
    }
    match parse("{\"kind\": \"Role\",\n \"metadata\": }") {
        Err(ParseError::Json { line: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
    let no_rbac =
        parse("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\nkind: ConfigMap\n");
    assert_eq!(
        no_rbac,
        Err(ParseError::NoRbac {
            kinds: vec!["Secret".into(), "ConfigMap".into()]
        })
    );
    let message = no_rbac.unwrap_err().to_string();
    assert!(message.contains("found Secret, ConfigMap"), "{message}");
    assert!(message
        .contains("kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml"));
    let big = "#".repeat(tokenscope::access::MAX_POLICY_BYTES + 1);
    assert!(matches!(parse(&big), Err(ParseError::TooLarge { .. })));
    assert!(matches!(
        parse(&"- ".repeat(200)),
        Err(ParseError::TooDeep { .. } | ParseError::Yaml { .. })
    ));
}

/// What a paste reads as: the objects kept (roles, then bindings) and every note, as
/// "Level: where: what".
type ReadAs = Result<(Vec<String>, Vec<String>), ParseError>;

/// What an odd shape reads as; nothing odd grants anything.
fn read_as(text: &str) -> ReadAs {
    let p = parse(text)?;
    // Nothing odd grants anything, and asking about it answers.
    let subject = Subject::from_service_account("y", "x");
    assert!(effective(&p, &subject).grants.is_empty(), "{text}");
    let answer = can_i(
        &p,
        &subject,
        &Query::parse("get", "pods", "y", "n").unwrap(),
    );
    assert!(
        !answer.allowed && answer.text.starts_with("No:"),
        "{answer:#?}"
    );
    let objects = p.roles.iter().map(|r| r.label());
    let objects = objects
        .chain(p.bindings.iter().map(|b| b.label()))
        .collect();
    let notes = p.notes.iter().map(|n| format!("{}: {n}", n.level().word()));
    Ok((objects, notes.collect()))
}

#[test]
fn odd_shapes_never_panic() {
    const RB: &str = "kind: RoleBinding\nmetadata: {name: x, namespace: y}\nroleRef: ";
    const AT: &str = "the document (RoleBinding y/x)";
    const CR: &str = "the document (ClusterRole x)";
    let no_rbac = || Err(ParseError::NoRbac { kinds: vec![] });
    let read = |objects: &[&str], notes: &[String]| {
        Ok((
            objects.iter().map(|o| o.to_string()).collect(),
            notes.to_vec(),
        ))
    };
    let version =
        |at: &str| format!("Note: {at}: apiVersion missing; read as rbac.authorization.k8s.io/v1");
    let api_group = format!("Warning: {AT}: roleRef.apiGroup is missing, not rbac.authorization.k8s.io (the API server would refuse it); read anyway");
    let cases: Vec<(String, ReadAs)> = vec![
        // Objects that cannot be used are skipped; with nothing left, the paste holds no RBAC.
        ("kind: Role".into(), no_rbac()),
        (format!("{RB}5"), no_rbac()),
        (format!("{RB}{{kind: Role}}"), no_rbac()),
        (format!("{RB}{{kind: Other, name: z}}"), no_rbac()),
        ("kind: List\nitems: 5".into(), no_rbac()),
        ("[]".into(), no_rbac()),
        ("[1, 2]".into(), no_rbac()),
        ("42".into(), no_rbac()),
        ("~".into(), no_rbac()),
        ("\"text\"".into(), no_rbac()),
        // A binding whose subjects cannot be read still binds no one.
        (
            format!("{RB}{{kind: Role, name: z}}\nsubjects: 3"),
            read(
                &["RoleBinding y/x"],
                &[
                    version(AT),
                    api_group.clone(),
                    format!("Warning: {AT}: subjects is not a list; ignored"),
                ],
            ),
        ),
        (
            format!("{RB}{{kind: Role, name: z}}\nsubjects: [1, {{kind: User}}]"),
            read(
                &["RoleBinding y/x"],
                &[
                    version(AT),
                    api_group.clone(),
                    format!("Warning: {AT}, subjects[0]: kind missing is not User, Group or ServiceAccount; ignored"),
                    format!("Warning: {AT}, subjects[1]: name missing; ignored"),
                ],
            ),
        ),
        // Labels that are not a map are no labels; rules that are not a list, no rules.
        (
            "kind: ClusterRole\nmetadata: {name: x, labels: [a]}\naggregationRule: 4\nrules: {a: b}".into(),
            read(
                &["ClusterRole x"],
                &[
                    version(CR),
                    format!("Warning: {CR}: rules is not a list; ignored"),
                    format!("Warning: {CR}: aggregationRule without a clusterRoleSelectors list selects nothing"),
                ],
            ),
        ),
        // A selector that is not a map selects nothing, silently; one with a list for a label
        // value is invalid.
        (
            "kind: ClusterRole\nmetadata: {name: x}\naggregationRule: {clusterRoleSelectors: [5, {matchLabels: {a: [1]}}]}".into(),
            read(
                &["ClusterRole x"],
                &[
                    version(CR),
                    format!("Warning: {CR}, aggregationRule.clusterRoleSelectors[1]: invalid selector (operator must be In, NotIn, Exists or DoesNotExist; In and NotIn need values, the others none); it selects nothing"),
                ],
            ),
        ),
        // Lists nest; what is not an object is skipped where it is.
        (
            "kind: List\nitems: [1, [2], {kind: List, items: [{kind: Role, metadata: {name: r, namespace: n}}]}]".into(),
            read(
                &["Role n/r"],
                &[
                    "Warning: item 1: a number instead of an object; skipped".into(),
                    "Warning: item 2, item 1: a number instead of an object; skipped".into(),
                    version("item 3, item 1 (Role n/r)"),
                ],
            ),
        ),
    ];
    for (text, want) in cases {
        assert_eq!(read_as(&text), want, "{text}");
    }
    // Role pasted twice: the later copy wins, with a note.
    let p = policy(&[role(None, "r", &[PODS_READ]), role(None, "r", &[])].concat());
    assert!(p.roles[0].rules.is_empty());
    assert!(p.notes.iter().any(|n| n.text().contains("pasted twice")));
}

// ---------------------------------------------------------------------------------------------
// The default ClusterRoles
// ---------------------------------------------------------------------------------------------

fn defaults_text() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/access/default-clusterroles.yaml"
    ))
    .unwrap()
}

/// The fixture with the aggregated roles' `rules` emptied, as the bootstrap policy creates
/// them before the aggregation controller runs: as JSON, which [`parse`] also reads.
fn defaults_unaggregated() -> String {
    let mut docs = tokenscope::formats::yaml::parse_documents(&defaults_text()).unwrap();
    let list = &mut docs[0];
    for item in list["items"].as_array_mut().unwrap() {
        if item.get("aggregationRule").is_some() {
            item["rules"] = Value::Null;
        }
    }
    serde_json::to_string_pretty(list).unwrap()
}

/// The fixture plus RoleBindings in `dev` (or, for `cluster-admin-everywhere`, a
/// ClusterRoleBinding) giving the service account `dev:<role>` that role.
fn with_bindings(roles: &str) -> Policy {
    let mut text = roles.to_string();
    if text.trim_start().starts_with('{') {
        // JSON cannot be followed by YAML documents, so the bindings join it in a JSON array.
        let mut values = vec![serde_json::from_str::<Value>(&text).unwrap()];
        for name in ["view", "edit", "admin", "cluster-admin"] {
            values.push(serde_json::json!({
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "RoleBinding",
                "metadata": {"name": name, "namespace": "dev"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
                "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": "dev"}],
            }));
        }
        values.push(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "root"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
            "subjects": [{"kind": "ServiceAccount", "name": "root", "namespace": "dev"}],
        }));
        return policy(&serde_json::to_string(&values).unwrap());
    }
    text.push_str("\n---\n");
    for name in ["view", "edit", "admin", "cluster-admin"] {
        text.push_str(&binding(
            Some("dev"),
            name,
            "ClusterRole",
            name,
            &[&format!(
                "{{kind: ServiceAccount, name: {name}, namespace: dev}}"
            )],
        ));
    }
    text.push_str(&binding(
        None,
        "root",
        "ClusterRole",
        "cluster-admin",
        &["{kind: ServiceAccount, name: root, namespace: dev}"],
    ));
    policy(&text)
}

/// What the "User-facing roles" table of the Kubernetes RBAC documentation says each default
/// role allows, bound with a RoleBinding in `dev` (and cluster-admin with a ClusterRoleBinding).
fn documented_answers(p: &Policy) {
    // view: "read-only access to see most objects in a namespace. It does not allow viewing
    // roles or role bindings. This role does not allow viewing Secrets".
    check(
        p,
        "system:serviceaccount:dev:view",
        &[
            "yes get pods -n dev",
            "yes list pods -n dev",
            "yes watch deployments.apps -n dev",
            "yes get pods/log -n dev",
            "yes list configmaps -n dev",
            "yes get resourcequotas -n dev",
            "yes list jobs.batch -n dev",
            "yes get namespaces dev",
            "no get secrets -n dev",
            "no list secrets -n dev",
            "no get roles -n dev",
            "no list rolebindings -n dev",
            "no create pods -n dev",
            "no update deployments -n dev",
            "no create pods/exec -n dev",
            "no get pods -n prod",
            "no list nodes",
        ],
    );
    // edit: "read/write access to most objects in a namespace. This role does not allow
    // viewing or modifying roles or role bindings. However, this role allows accessing Secrets
    // and running Pods as any ServiceAccount in the namespace"; no write access to
    // EndpointSlices or Endpoints.
    check(
        p,
        "system:serviceaccount:dev:edit",
        &[
            "yes get secrets -n dev",
            "yes list secrets -n dev",
            "yes create secrets -n dev",
            "yes delete secrets -n dev db",
            "yes create pods -n dev",
            "yes create pods/exec -n dev",
            "yes create pods/portforward -n dev",
            "yes impersonate serviceaccounts -n dev",
            "yes create serviceaccounts/token -n dev",
            "yes update deployments.apps -n dev",
            "yes patch deployments.apps/scale -n dev",
            "yes create cronjobs -n dev",
            "yes get pods/log -n dev",
            "no get roles -n dev",
            "no list roles -n dev",
            "no create rolebindings -n dev",
            "no create endpoints -n dev",
            "no create endpointslices.discovery.k8s.io -n dev",
            "no update resourcequotas -n dev",
            "no delete namespaces dev",
            "no get secrets -n prod",
        ],
    );
    // admin: "read/write access to most resources in a namespace, including the ability to
    // create roles and role bindings within the namespace. This role does not allow write
    // access to resource quota or to the namespace itself."
    check(
        p,
        "system:serviceaccount:dev:admin",
        &[
            "yes create roles -n dev",
            "yes create rolebindings -n dev",
            "yes delete roles.rbac.authorization.k8s.io -n dev r",
            "yes list rolebindings -n dev",
            "yes create localsubjectaccessreviews -n dev",
            "yes get secrets -n dev",
            "yes create pods/exec -n dev",
            "yes get pods -n dev",
            "yes get namespaces dev",
            "no update resourcequotas -n dev",
            "no delete namespaces dev",
            "no update namespaces dev",
            "no create endpoints -n dev",
            "no create roles -n prod",
            "no create clusterroles",
            "no get nodes",
        ],
    );
    // cluster-admin in a RoleBinding: "full control over every resource in the role binding's
    // namespace, including the namespace itself" — and nothing elsewhere, no non-resource URLs.
    check(
        p,
        "system:serviceaccount:dev:cluster-admin",
        &[
            "yes * * -n dev",
            "yes delete namespaces dev",
            "yes escalate roles -n dev",
            "yes create widgets.example.com -n dev",
            "yes update resourcequotas -n dev",
            "no get pods -n prod",
            "no get nodes",
            "no get /healthz",
        ],
    );
    // cluster-admin in a ClusterRoleBinding: "super-user access to perform any action on any
    // resource".
    check(
        p,
        "system:serviceaccount:dev:root",
        &[
            "yes * *.*",
            "yes delete nodes",
            "yes get secrets -n kube-system",
            "yes create clusterroles",
            "yes get /metrics",
            "yes post /anything",
        ],
    );
}

#[test]
fn default_cluster_roles_answer_as_documented() {
    let text = defaults_text();
    let roles = policy(&text);
    assert!(roles.notes.is_empty(), "{:#?}", roles.notes);
    let names: Vec<&str> = roles.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "view",
            "edit",
            "admin",
            "cluster-admin",
            "system:aggregate-to-view",
            "system:aggregate-to-edit",
            "system:aggregate-to-admin",
        ]
    );
    documented_answers(&with_bindings(&text));
}

/// Only the named ClusterRoles of the default roles fixture, as a `List`.
fn defaults_only(names: &[&str]) -> String {
    let mut docs = tokenscope::formats::yaml::parse_documents(&defaults_text()).unwrap();
    let list = &mut docs[0];
    let items = list["items"].as_array_mut().unwrap();
    items.retain(|item| names.contains(&item["metadata"]["name"].as_str().unwrap()));
    serde_json::to_string(list).unwrap()
}

#[test]
fn a_default_aggregated_role_pasted_alone_keeps_the_rules_the_controller_wrote() {
    // `kubectl get clusterrole admin -o yaml`: what it selects is not pasted, so its rules, as
    // the controller wrote them on the cluster, answer; a note says why.
    let p = with_bindings(&defaults_only(&["admin"]));
    let notes: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        ["ClusterRole admin: its aggregationRule selects no pasted ClusterRole, so answers use its pasted rules (what the aggregation controller last wrote); paste the ClusterRoles it selects to check them"]
    );
    let admin = p.roles.iter().find(|r| r.name == "admin").unwrap();
    assert_eq!(admin.effective.len(), admin.rules.len());
    // admin with edit, but without system:aggregate-to-admin: the controller would replace
    // admin's rules by edit's, and the note says that the paste may lack roles it selects.
    let p = with_bindings(&defaults_only(&["admin", "edit"]));
    let notes: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(
        notes[0].starts_with(
            "ClusterRole admin: its pasted rules differ from what its aggregationRule selects ("
        ),
        "{notes:#?}"
    );
    assert!(
        notes[0]
            .ends_with("if the paste lacks some selected ClusterRoles, the cluster may grant more"),
        "{notes:#?}"
    );
    assert!(
        notes[1].starts_with("ClusterRole edit: its aggregationRule selects no pasted ClusterRole"),
        "{notes:#?}"
    );
    // The whole set: the controller's rules and the pasted ones agree, so nothing is noted.
    let p = with_bindings(&defaults_text());
    assert!(p.notes.is_empty(), "{:#?}", p.notes);
}

#[test]
fn aggregation_rebuilds_the_default_roles_from_their_parts() {
    // Same answers when admin, edit and view arrive with no rules of their own: their rules
    // then come from aggregation alone.
    let unaggregated = defaults_unaggregated();
    let p = with_bindings(&unaggregated);
    documented_answers(&p);
    // And aggregation alone yields exactly the rules the controller wrote on the cluster.
    let live = policy(&defaults_text());
    for name in ["view", "edit", "admin"] {
        let rebuilt = p.roles.iter().find(|r| r.name == name).unwrap();
        let stored = live.roles.iter().find(|r| r.name == name).unwrap();
        assert!(rebuilt.rules.is_empty());
        let rebuilt: Vec<_> = rebuilt.effective.iter().map(|(r, _)| r).collect();
        let stored_rules: Vec<_> = stored.rules.iter().map(AsRef::as_ref).collect();
        assert_eq!(rebuilt, stored_rules, "{name}");
    }
}

#[test]
fn default_roles_warn_about_what_they_allow() {
    let p = with_bindings(&defaults_text());
    let titles = |sa: &str| -> Vec<String> {
        effective(&p, &Subject::from_service_account("dev", sa))
            .warnings
            .into_iter()
            .map(|f| f.title)
            .collect()
    };
    assert_eq!(titles("view"), Vec::<String>::new());
    let edit = titles("edit");
    for want in [
        "Reads Secrets (in namespace dev)",
        "Can impersonate (in namespace dev)",
        "Can create pods/exec (in namespace dev)",
        "Can create pods/attach (in namespace dev)",
        "Can create serviceaccounts/token (in namespace dev)",
    ] {
        assert!(edit.iter().any(|t| t == want), "{want}: {edit:#?}");
    }
    assert!(!edit.iter().any(|t| t.starts_with("Wildcard")), "{edit:#?}");
    let root = titles("root");
    for want in [
        "Bound to cluster-admin (cluster-wide)",
        "Wildcard verb (*) (cluster-wide)",
        "Every non-resource URL (cluster-wide)",
    ] {
        assert!(root.iter().any(|t| t == want), "{want}: {root:#?}");
    }
    // The edit grants name the rule's origin inside the aggregated role.
    let access = effective(&p, &Subject::from_service_account("dev", "edit"));
    let exec = access
        .grants
        .iter()
        .find(|g| {
            g.rule.resources.contains(&"pods/exec".to_string())
                && g.rule.verbs.contains(&"create".to_string())
        })
        .unwrap();
    assert_eq!(exec.role, "ClusterRole edit");
    assert_eq!(exec.binding, "RoleBinding dev/edit");
    assert_eq!(
        exec.aggregated_from.as_deref(),
        Some("system:aggregate-to-edit")
    );
    // And the list view shows it like kubectl auth can-i --list.
    let dev = access
        .table
        .iter()
        .find(|t| t.namespace.as_deref() == Some("dev"))
        .unwrap();
    let secrets = dev.rows.iter().find(|r| r.resource == "secrets").unwrap();
    assert_eq!(
        secrets.verbs,
        [
            "create",
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "update",
            "watch"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile and huge pastes: the work stays within a linear bound of the paste
// ---------------------------------------------------------------------------------------------

use proptest::prelude::*;
use serde_json::json;
use tokenscope::access::{Work, MAX_LABEL_CHECKS, MAX_NOTES, MAX_RULE_REFS};

/// A ClusterRole as `kubectl get -o json` writes it.
fn cluster_role_json(name: &str, labels: Value, selectors: Option<Value>, rules: Value) -> Value {
    let mut role = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": name, "labels": labels},
        "rules": rules,
    });
    if let Some(selectors) = selectors {
        role["aggregationRule"] = json!({ "clusterRoleSelectors": selectors });
    }
    role
}

fn get_rule(resource: &str) -> Value {
    json!([{"apiGroups": [""], "resources": [resource], "verbs": ["get", "list"]}])
}

/// The ClusterRoleBinding giving `dev:app` the ClusterRole `role` everywhere.
fn app_binding_json(role: &str) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "app"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": [{"kind": "ServiceAccount", "name": "app", "namespace": "dev"}],
    })
}

/// A `kind: List` of `items`, as text, and its length in bytes.
fn list_text(items: Vec<Value>) -> String {
    serde_json::to_string(&json!({"apiVersion": "v1", "kind": "List", "items": items})).unwrap()
}

/// Parses `text`, which must parse, and checks the work against `per_byte` units per byte of
/// the paste and against the limits.
fn parse_within(text: &str, per_byte: usize) -> Policy {
    let p = parse(text).unwrap_or_else(|e| panic!("policy does not parse: {e}"));
    let Work {
        rules_stored,
        label_checks,
        rule_refs,
        rules_sorted,
    } = p.work;
    assert!(
        rules_sorted <= text.len() / 20,
        "{:?} for {} bytes",
        p.work,
        text.len()
    );
    let bound = per_byte * text.len();
    assert!(
        rules_stored <= text.len() / 20,
        "{:?} for {} bytes",
        p.work,
        text.len()
    );
    assert!(
        label_checks <= bound.min(MAX_LABEL_CHECKS),
        "{:?} for {} bytes",
        p.work,
        text.len()
    );
    assert!(
        rule_refs <= bound.min(MAX_RULE_REFS),
        "{:?} for {} bytes",
        p.work,
        text.len()
    );
    p
}

fn stopped(p: &Policy) -> Vec<String> {
    p.notes
        .iter()
        .filter(|n| n.text().contains("the evaluator's limit"))
        .map(ToString::to_string)
        .collect()
}

#[test]
fn four_hundred_roles_that_each_aggregate_every_role_answer() {
    // Every ClusterRole picks every other one (`clusterRoleSelectors: [{}]`), each with a rule
    // of its own: every role ends up with all 400 rules, gathered once for all of them.
    let mut items: Vec<Value> = (0..400)
        .map(|i| {
            cluster_role_json(
                &format!("r{i:03}"),
                json!({"team": format!("t{i}")}),
                Some(json!([{}])),
                get_rule(&format!("res-{i}")),
            )
        })
        .collect();
    items.push(app_binding_json("r000"));
    let text = list_text(items);
    assert!(text.len() > 90_000, "{}", text.len());
    let p = parse_within(&text, 1);
    assert!(stopped(&p).is_empty(), "{:#?}", p.notes);
    assert_eq!(p.work.rules_stored, 400);
    for role in p.roles.iter() {
        assert_eq!(role.effective.len(), 400, "{}", role.name);
        // Its own rule has no origin; the others name the role that spells them out.
        let own = format!("res-{}", role.name[1..].parse::<usize>().unwrap());
        for (rule, origin) in role.effective.iter() {
            let from = rule.resources[0].strip_prefix("res-").unwrap();
            match origin {
                None => assert_eq!(rule.resources[0], own),
                Some(o) => assert_eq!(o, format!("r{:03}", from.parse::<usize>().unwrap())),
            }
        }
    }
    check(
        &p,
        APP,
        &[
            "yes get res-0 -n any",
            "yes list res-399",
            "no delete res-7",
        ],
    );
    let access = effective(&p, &Subject::from_service_account("dev", "app"));
    assert_eq!(access.grants.len(), 400);
}

#[test]
fn a_deep_chain_of_aggregated_roles_each_picking_a_part_with_a_rule() {
    // r0000 <- r0001 <- … <- r0999, each level also picking a plain part with one rule: r0000
    // gathers 999 rules, r0001 998 and so on, which is what the controller writes; 0.5 million
    // references in all.
    let n = 1000;
    let items: Vec<Value> = (0..n)
        .flat_map(|i| {
            let level = json!({"level": format!("l{i}")});
            [
                cluster_role_json(
                    &format!("r{i:04}"),
                    level.clone(),
                    Some(json!([{"matchLabels": {"level": format!("l{}", i + 1)}}])),
                    json!([]),
                ),
                cluster_role_json(
                    &format!("p{i:04}"),
                    level,
                    None,
                    get_rule(&format!("res-{i}")),
                ),
            ]
        })
        .chain([app_binding_json("r0000")])
        .collect();
    let text = list_text(items);
    let p = parse_within(&text, 4);
    assert!(stopped(&p).is_empty(), "{:#?}", p.notes);
    let top = p.roles.iter().find(|r| r.name == "r0000").unwrap();
    assert_eq!(top.effective.len(), n - 1);
    check(
        &p,
        APP,
        &[
            "yes get res-999 -n any",
            "yes get res-1 -n any",
            "no get res-0 -n any",
        ],
    );
    // Labels pick the roles: each selector tests only the roles carrying its label.
    assert!(p.work.label_checks <= 4 * n, "{:?}", p.work);
}

#[test]
fn deep_and_wide_chains_share_what_they_reach() {
    // 15 000 levels with the only rule at the bottom (the chain of view, edit and admin, drawn
    // out): each level shares the list below it, so the references copied stay few; and there
    // is no recursion to overflow the stack.
    let n = 15_000;
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let rules = if i == n - 1 {
                get_rule("deep")
            } else {
                json!([])
            };
            cluster_role_json(
                &format!("r{i:05}"),
                json!({"level": format!("l{i}")}),
                Some(json!([{"matchLabels": {"level": format!("l{}", i + 1)}}])),
                rules,
            )
        })
        .chain([app_binding_json("r00000")])
        .collect();
    let text = list_text(items);
    let p = parse_within(&text, 1);
    assert!(p.work.rule_refs <= n, "{:?}", p.work);
    check(&p, APP, &["yes get deep -n any"]);

    // One role picking 15 000 others by label, each with its own rule.
    let mut items: Vec<Value> = (0..n)
        .map(|i| {
            cluster_role_json(
                &format!("part-{i:05}"),
                json!({"aggregate-to-wide": "true", "other": format!("o{i}")}),
                None,
                get_rule(&format!("res-{i}")),
            )
        })
        .collect();
    items.push(cluster_role_json(
        "wide",
        json!({}),
        Some(json!([{"matchLabels": {"aggregate-to-wide": "true"}}])),
        json!([]),
    ));
    items.push(app_binding_json("wide"));
    let text = list_text(items);
    let p = parse_within(&text, 1);
    let wide = p.roles.iter().find(|r| r.name == "wide").unwrap();
    assert_eq!(wide.effective.len(), n);
    check(&p, APP, &["yes get res-14999 -n any"]);
}

#[test]
fn aggregation_past_its_limits_stops_with_a_note_naming_the_limit_and_the_role() {
    // 2 500 roles that each pick every other one through a selector of their own, which no
    // label index narrows: 12.5 million label comparisons.
    let n = 2_500;
    let items: Vec<Value> = (0..n)
        .map(|i| {
            cluster_role_json(
                &format!("r{i:04}"),
                json!({}),
                Some(json!([{"matchExpressions": [{"key": format!("k{i}"), "operator": "DoesNotExist"}]}])),
                get_rule(&format!("res-{i}")),
            )
        })
        .chain([app_binding_json("r0000")])
        .collect();
    let text = list_text(items);
    let p = parse_within(&text, 20);
    let notes = stopped(&p);
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert!(
        notes[0].contains(&format!("{MAX_LABEL_CHECKS} label comparisons")),
        "{notes:#?}"
    );
    assert!(notes[0].starts_with("ClusterRole r"), "{notes:#?}");
    // What was matched before the limit still answers.
    check(&p, APP, &["yes get res-0 -n any", "yes get res-1 -n any"]);

    // A chain of 3 000 aggregated roles, each with a pasted rule of its own and picking a
    // plain part with another: 4.5 million references to gather.
    let n = 3_000;
    let items: Vec<Value> = (0..n)
        .flat_map(|i| {
            let level = json!({"level": format!("l{i}")});
            [
                cluster_role_json(
                    &format!("r{i:04}"),
                    level.clone(),
                    Some(json!([{"matchLabels": {"level": format!("l{}", i + 1)}}])),
                    get_rule(&format!("own-{i}")),
                ),
                cluster_role_json(
                    &format!("p{i:04}"),
                    level,
                    None,
                    get_rule(&format!("res-{i}")),
                ),
            ]
        })
        .chain([app_binding_json("r0000")])
        .collect();
    let text = list_text(items);
    let p = parse_within(&text, 20);
    let notes = stopped(&p);
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert!(
        notes[0].contains(&format!("{MAX_RULE_REFS} gathered rule references")),
        "{notes:#?}"
    );
    assert!(
        notes[0].contains("others keep their pasted rules"),
        "{notes:#?}"
    );
    // The roles nearest the bottom gathered in full (the parts below them, and the pasted rule
    // of the last, which selects nothing pasted); the top keeps its own pasted rule.
    check(&p, APP, &["yes get own-0 -n any"]);
    let low = p.roles.iter().find(|r| r.name == "r2999").unwrap();
    assert_eq!(low.effective.len(), 1);
    let r2000 = p.roles.iter().find(|r| r.name == "r2000").unwrap();
    assert_eq!(r2000.effective.len(), 1000);
}

#[test]
fn one_role_with_fifty_thousand_selectors_is_read_in_linear_work() {
    // Each selector distinct, and each listed twice: the role picks through 50 000 selectors,
    // found by sorting, not by comparing each with every other.
    let selectors: Vec<Value> = (0..50_000)
        .flat_map(|i| {
            let s = json!({"matchLabels": {"n": format!("{i}")}});
            [s.clone(), s]
        })
        .collect();
    let items = vec![
        cluster_role_json("picky", json!({}), Some(json!(selectors)), json!([])),
        cluster_role_json("n7", json!({"n": "7"}), None, get_rule("seven")),
        app_binding_json("picky"),
    ];
    let text = list_text(items);
    let p = parse_within(&text, 1);
    assert!(stopped(&p).is_empty(), "{:#?}", p.notes);
    check(&p, APP, &["yes get seven -n any"]);
}

#[test]
fn repeats_are_noted_where_they_were_read() {
    let odd = "{apiGroups: [''], resources: [], verbs: [get]}";
    let p = policy(
        &[
            role(None, "a", &[odd]),
            role(None, "b", &[PODS_READ]),
            role(None, "a", &[PODS_READ]),
            binding(None, "x", "ClusterRole", "b", &[SA_APP]),
            role(None, "c", &[odd]),
            binding(None, "x", "ClusterRole", "a", &[SA_APP]),
            role(None, "a", &[odd]),
        ]
        .concat(),
    );
    let notes: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "document 1 (ClusterRole a), rules[0]: resources is empty (the API server would refuse this rule)",
            "document 3 (ClusterRole a): pasted twice; the later copy is used",
            "document 5 (ClusterRole c), rules[0]: resources is empty (the API server would refuse this rule)",
            "document 6 (ClusterRoleBinding x): pasted twice; the later copy is used",
            "document 7 (ClusterRole a), rules[0]: resources is empty (the API server would refuse this rule)",
            "document 7 (ClusterRole a): pasted twice; the later copy is used",
        ]
    );
    // The last copy, in the first copy's place.
    let names: Vec<&str> = p.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(p.roles[0].rules[0].resources, Vec::<String>::new());
    assert_eq!(p.bindings[0].role_name, "a");
}

#[test]
fn thousands_of_repeats_are_read_in_one_pass_and_noted_once_each_up_to_a_limit() {
    let n = 8_000;
    let mut items = Vec::new();
    for i in 0..n {
        items.push(cluster_role_json(
            "same",
            json!({}),
            None,
            get_rule(&format!("res-{i}")),
        ));
        items.push(app_binding_json("same"));
    }
    let text = list_text(items);
    let p = parse_within(&text, 1);
    assert_eq!(p.roles.len(), 1);
    assert_eq!(p.bindings.len(), 1);
    // The later copy is used.
    check(&p, APP, &["yes get res-7999 -n any", "no get res-0 -n any"]);
    assert_eq!(p.notes.len(), MAX_NOTES + 1);
    assert!(
        p.notes[0].text().contains("pasted twice"),
        "{:?}",
        p.notes[0]
    );
    let last = p.notes.last().unwrap().to_string();
    assert_eq!(
        last,
        format!(
            "the paste: {} more notes are not listed; the first {MAX_NOTES} are above",
            2 * (n - 1) - MAX_NOTES
        )
    );
}

#[test]
fn one_subject_bound_thousands_of_times_is_evaluated_within_a_limit() {
    use tokenscope::access::MAX_TABLE_ENTRIES;
    // A ClusterRole of 300 rules bound to the subject's group in 2 000 namespaces, and 2 000
    // bindings to roles that do not exist.
    let rules: Vec<Value> = (0..300)
        .map(|i| json!({"apiGroups": [""], "resources": [format!("res-{i}")], "verbs": ["get"], "resourceNames": ["only"]}))
        .collect();
    let mut items = vec![cluster_role_json("big", json!({}), None, json!(rules))];
    for i in 0..2000 {
        for (name, role) in [("big", "big"), ("gone", "missing")] {
            items.push(json!({
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "RoleBinding",
                "metadata": {"name": name, "namespace": format!("ns-{i}")},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                "subjects": [{"kind": "Group", "name": "devs"}],
            }));
        }
    }
    let text = list_text(items);
    let p = parse_within(&text, 1);
    let access = effective(&p, &parse_subject("group:devs").unwrap());
    let stop = &access.warnings[0];
    assert_eq!(
        stop.title,
        "Only part of what this subject can do is listed"
    );
    assert!(
        stop.why
            .contains(&format!("more than {MAX_TABLE_ENTRIES} table entries")),
        "{stop:?}"
    );
    assert!(stop.why.contains("stop at RoleBinding ns-"), "{stop:?}");
    let listed: usize = access.table.iter().map(|t| t.rows.len()).sum();
    assert!(
        listed + access.grants.len() <= MAX_TABLE_ENTRIES,
        "{listed}"
    );
    assert_eq!(access.missing_roles.len(), 2000);

    // Can I reads every binding, and names a few of those that matter.
    let answer = ask(&p, "group:devs", "get res-299 -n ns-1999 only");
    assert!(answer.allowed, "{answer:#?}");
    let answer = ask(&p, "group:devs", "get res-299 -n ns-1999 other");
    assert!(!answer.allowed);
    assert_eq!(answer.hints.len(), 10 + 1 + 1, "{:#?}", answer.hints);
    assert_eq!(
        answer.hints[10],
        "1990 more bindings name the subject but refer to missing roles."
    );
    assert!(
        answer.hints[11].contains("only for resourceNames [only]"),
        "{:#?}",
        answer.hints
    );
    let answer = ask(&p, "group:devs", "get res-5 only");
    let elsewhere = answer.hints.last().unwrap();
    assert!(
        elsewhere.starts_with(
            "Allowed in namespace ns-0 (through RoleBinding ns-0/big → ClusterRole big), "
        ),
        "{elsewhere}"
    );
    assert!(
        elsewhere.ends_with(" and 1990 others instead."),
        "{elsewhere}"
    );
}

/// A cluster's RBAC as `kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A
/// -o yaml` prints it: in each of `namespaces` namespaces a few Roles and RoleBindings (one of
/// them to the aggregated `edit`), and ClusterRoles for operators, some aggregated into
/// admin, edit and view by label, as the default roles are.
fn realistic_dump(namespaces: usize) -> String {
    let mut out = String::from("apiVersion: v1\nitems:\n");
    let meta = |kind: &str, name: &str, ns: Option<&str>| {
        let ns = ns
            .map(|n| format!("    namespace: {n}\n"))
            .unwrap_or_default();
        format!(
            "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: {kind}\n  metadata:\n    creationTimestamp: \"2025-01-07T10:00:00Z\"\n    labels:\n      app.kubernetes.io/managed-by: Helm\n    name: {name}\n{ns}    resourceVersion: \"123456\"\n    uid: 0f8e4bde-8d7c-4e8b-9c1a-2b3c4d5e6f70\n"
        )
    };
    let rule = |groups: &str, resources: &[&str], verbs: &str| {
        let resources: String = resources.iter().map(|r| format!("    - {r}\n")).collect();
        format!(
            "  - apiGroups:\n    - \"{groups}\"\n    resources:\n{resources}    verbs:\n{verbs}"
        )
    };
    let read = "    - get\n    - list\n    - watch\n";
    let write = "    - create\n    - update\n    - patch\n    - delete\n";
    for n in 0..namespaces {
        let ns = format!("team-{n:03}");
        for (r, resources) in [
            (
                "app-reader",
                &["pods", "pods/log", "services", "endpoints"][..],
            ),
            ("config-editor", &["configmaps", "secrets"][..]),
            ("jobs", &["jobs", "cronjobs"][..]),
        ] {
            out.push_str(&meta("Role", r, Some(&ns)));
            out.push_str("  rules:\n");
            out.push_str(&rule("", resources, read));
            out.push_str(&rule("batch", resources, write));
        }
        for (b, kind, role, sa) in [
            ("app-reader", "Role", "app-reader", "app"),
            ("config-editor", "Role", "config-editor", "deployer"),
            ("jobs", "Role", "jobs", "ci"),
            ("edit", "ClusterRole", "edit", "deployer"),
        ] {
            out.push_str(&meta("RoleBinding", b, Some(&ns)));
            out.push_str(&format!("  roleRef:\n    apiGroup: rbac.authorization.k8s.io\n    kind: {kind}\n    name: {role}\n  subjects:\n  - kind: ServiceAccount\n    name: {sa}\n    namespace: {ns}\n"));
        }
    }
    for (name, to) in [("admin", "admin"), ("edit", "edit"), ("view", "view")] {
        out.push_str(&meta("ClusterRole", name, None));
        out.push_str(&format!("  aggregationRule:\n    clusterRoleSelectors:\n    - matchLabels:\n        rbac.authorization.k8s.io/aggregate-to-{to}: \"true\"\n  rules: null\n"));
    }
    for n in 0..namespaces.max(10) / 2 {
        for (suffix, to, verbs) in [
            ("admin", "admin", write),
            ("edit", "edit", write),
            ("view", "view", read),
        ] {
            let name = format!("operator-{n:03}-{suffix}");
            out.push_str(&meta("ClusterRole", &name, None).replace(
                "      app.kubernetes.io/managed-by: Helm\n",
                &format!("      app.kubernetes.io/managed-by: Helm\n      rbac.authorization.k8s.io/aggregate-to-{to}: \"true\"\n"),
            ));
            out.push_str("  rules:\n");
            let resource = format!("widgets{n}");
            out.push_str(&rule(
                &format!("operator-{n}.example.com"),
                &[&resource, &format!("{resource}/status")],
                verbs,
            ));
        }
        out.push_str(&meta(
            "ClusterRoleBinding",
            &format!("operator-{n:03}"),
            None,
        ));
        out.push_str(&format!("  roleRef:\n    apiGroup: rbac.authorization.k8s.io\n    kind: ClusterRole\n    name: operator-{n:03}-admin\n  subjects:\n  - kind: ServiceAccount\n    name: operator\n    namespace: operator-{n:03}\n"));
    }
    out.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
    out
}

#[test]
fn a_realistic_dump_reads_in_linear_work() {
    let text = realistic_dump(100);
    assert!(text.len() > 300_000, "{}", text.len());
    let p = parse_within(&text, 1);
    assert!(p.notes.is_empty(), "{:#?}", p.notes);
    assert_eq!(p.roles.len(), 100 * 3 + 3 + 50 * 3);
    assert_eq!(p.bindings.len(), 100 * 4 + 50);
    let edit = p.roles.iter().find(|r| r.name == "edit").unwrap();
    assert_eq!(edit.effective.len(), 50);
    let deployer = "system:serviceaccount:team-042:deployer";
    check(
        &p,
        deployer,
        &[
            "yes update widgets7.operator-7.example.com -n team-042",
            "no update widgets7.operator-7.example.com -n team-043",
            "yes get secrets -n team-042",
            "no get pods -n team-042",
        ],
    );
    check(
        &p,
        "system:serviceaccount:team-042:app",
        &["yes get pods/log -n team-042"],
    );
    let access = effective(&p, &parse_subject(deployer).unwrap());
    assert_eq!(access.grants.len(), 2 + 50);
    // The app copies its state on every keystroke: a copy shares the roles and bindings.
    let copy = p.clone();
    assert!(std::rc::Rc::ptr_eq(&copy.roles, &p.roles));
    assert!(std::rc::Rc::ptr_eq(&copy.bindings, &p.bindings));
}

/// One generated ClusterRole: its labels, its selectors (each a set of labels to match) if it
/// aggregates, and its rules, as numbers into small pools.
type ShapeRole = (Vec<u8>, Option<Vec<Vec<u8>>>, Vec<u8>);

/// Random ClusterRoles: labels and rules from small pools, so selectors pick several roles and
/// rules repeat; some roles aggregate through one or two selectors.
fn aggregation_shape() -> impl Strategy<Value = Vec<ShapeRole>> {
    let labels = prop::collection::vec(0u8..4, 0..3);
    let selectors = prop::option::weighted(
        0.5,
        prop::collection::vec(prop::collection::vec(0u8..4, 0..2), 1..3),
    );
    let rules = prop::collection::vec(0u8..12, 0..3);
    prop::collection::vec((labels, selectors, rules), 1..24)
}

fn shape_text(shape: &[ShapeRole]) -> String {
    let items: Vec<Value> = shape
        .iter()
        .enumerate()
        .map(|(i, (labels, selectors, rules))| {
            let labels: serde_json::Map<String, Value> =
                labels.iter().map(|l| (format!("l{l}"), json!("y"))).collect();
            let selectors = selectors.as_ref().map(|sels| {
                Value::Array(
                    sels.iter()
                        .map(|pairs| {
                            let m: serde_json::Map<String, Value> =
                                pairs.iter().map(|l| (format!("l{l}"), json!("y"))).collect();
                            json!({ "matchLabels": m })
                        })
                        .collect(),
                )
            });
            let rules: Vec<Value> = rules
                .iter()
                .map(|r| json!({"apiGroups": [""], "resources": [format!("res-{r}")], "verbs": ["get"]}))
                .collect();
            cluster_role_json(&format!("r{i:02}"), Value::Object(labels), selectors, json!(rules))
        })
        .collect();
    list_text(items)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Aggregation grants exactly the rules of every role reachable through selectors (the
    /// controller's end state), computed naively here, and its work is bounded by the number
    /// of rules the aggregated roles end up with.
    #[test]
    fn aggregation_grants_what_selectors_reach_within_bounded_work(shape in aggregation_shape()) {
        let text = shape_text(&shape);
        let p = policy(&text);
        let n = shape.len();
        let picks = |i: usize| -> Vec<usize> {
            let Some(sels) = &shape[i].1 else { return Vec::new() };
            (0..n)
                .filter(|&j| j != i && sels.iter().any(|s| s.iter().all(|l| shape[j].0.contains(l))))
                .collect()
        };
        let reach = |i: usize| -> Vec<usize> {
            let mut reach = vec![i];
            let mut k = 0;
            while let Some(&r) = reach.get(k) {
                for j in picks(r) {
                    if !reach.contains(&j) {
                        reach.push(j);
                    }
                }
                k += 1;
            }
            reach
        };
        let reaches: Vec<Vec<usize>> = (0..n).map(reach).collect();
        // The controller replaces an aggregated role's rules when it picks pasted roles; the
        // pasted rules count when it picks none, or when it and another select each other.
        let counts = |r: usize| {
            shape[r].1.is_none()
                || picks(r).is_empty()
                || reaches[r].iter().any(|&j| j != r && reaches[j].contains(&r))
        };
        let mut gathered = 0;
        for (i, (_, selectors, rules)) in shape.iter().enumerate() {
            let reach = &reaches[i];
            let role = p.roles.iter().find(|r| r.name == format!("r{i:02}")).unwrap();
            let got: Vec<String> = role.effective.iter().map(|(r, _)| r.resources[0].clone()).collect();
            let mut want: Vec<String> = reach
                .iter()
                .filter(|&&r| counts(r))
                .flat_map(|&r| shape[r].2.iter().map(|x| format!("res-{x}")))
                .collect();
            if selectors.is_some() {
                want.sort();
                want.dedup();
                let mut sorted = got.clone();
                sorted.sort();
                prop_assert_eq!(&sorted, &want, "r{:02}", i);
                // No repeats, and each origin holds the rule.
                prop_assert_eq!(sorted.len(), got.len());
                for (rule, origin) in role.effective.iter() {
                    let from = origin.unwrap_or(&role.name);
                    let holder = p.roles.iter().find(|r| r.name == from).unwrap();
                    prop_assert!(holder.rules.iter().any(|r| **r == *rule), "{} from {}", rule.resources[0], from);
                }
                gathered += got.len();
            } else {
                // A role that aggregates nothing grants its rules as pasted.
                let own: Vec<String> = rules.iter().map(|x| format!("res-{x}")).collect();
                prop_assert_eq!(got, own);
            }
        }
        // Equal rules are stored once among the roles aggregation reads or writes; a role it
        // does not touch keeps its own rules, whatever they equal.
        let untouched: usize = (0..n)
            .filter(|&i| shape[i].1.is_none() && !(0..n).any(|j| picks(j).contains(&i)))
            .map(|i| shape[i].2.len())
            .sum();
        prop_assert!(p.work.rules_stored <= 12 + untouched, "{:?}, {} untouched", p.work, untouched);
        // Every reference gathered lands in some list, and each list is gathered once: at most
        // one per rule an aggregated role ends up with, plus one per selector.
        prop_assert!(p.work.rule_refs <= gathered + n * 12, "{:?}, {} gathered", p.work, gathered);
        prop_assert!(p.work.label_checks <= 2 * n * n * 3, "{:?}", p.work);
        prop_assert!(stopped(&p).is_empty());
    }
}

// The nearest miss, in a file of its own to keep each under the size the style asks for.
#[path = "access/miss.rs"]
mod miss;
