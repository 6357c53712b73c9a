//! The Troubleshoot core: every form of API server error `apierror::read` takes (kubectl's
//! text, the JSON Status, the message alone, inside surrounding noise), the parts it reads,
//! and the exact objects and commands of the least-privilege fix, read back by the access
//! evaluator to check they grant exactly the refused request.
//!
//! Data-driven through [`parts`] (the labelled parts read) and [`forbidden`] (the 403 read).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use tokenscope::access::{self, can_i, Query, RoleKind, Subject};
use tokenscope::token::claims::Identity;
use tokenscope::troubleshoot::{
    fix, guide, read, CertificateProblem, Diagnosis, Fix, Forbidden, Form, MissingRole,
    NotRecognised, Requester, MAX_INPUT_BYTES,
};

/// The 403 read from `text`; fails the test when something else is read.
fn forbidden(text: &str) -> Forbidden {
    match read(text) {
        Diagnosis::Forbidden(f) => f,
        other => panic!("not read as Forbidden: {other:?}\n{text}"),
    }
}

/// The labelled parts read from `text`, as `label=value` lines.
fn parts(text: &str) -> String {
    read(text)
        .parts()
        .iter()
        .map(|(label, value)| format!("{label}={value}\n"))
        .collect()
}

/// The fix for a 403 that must have one.
fn fix_for(text: &str) -> Fix {
    fix(&forbidden(text)).unwrap_or_else(|e| panic!("no fix: {}", e.why))
}

/// Whether `subject` may make the request under the fix's objects alone.
fn allowed(fix: &Fix, subject: &Subject, query: &Query) -> bool {
    let policy = access::parse(&fix.yaml).unwrap();
    can_i(&policy, subject, query).allowed
}

fn query(verb: &str, resource: &str, namespace: &str, name: &str) -> Query {
    Query::parse(verb, resource, namespace, name).unwrap()
}

const KUBECTL_LIST_PODS: &str = "Error from server (Forbidden): pods is forbidden: User \
    \"system:serviceaccount:ci:deployer\" cannot list resource \"pods\" in API group \"\" in the \
    namespace \"prod\"";

#[test]
fn kubectl_namespaced_list() {
    let f = forbidden(KUBECTL_LIST_PODS);
    assert_eq!(f.form, Form::Kubectl);
    assert_eq!(
        f.requester,
        Requester::ServiceAccount {
            namespace: "ci".into(),
            name: "deployer".into()
        }
    );
    assert_eq!(f.reason, None);
    assert_eq!(
        parts(KUBECTL_LIST_PODS),
        "User=system:serviceaccount:ci:deployer\nVerb=list\nResource=pods\n\
         API group=\"\" (core)\nNamespace=prod\n"
    );
    assert_eq!(read(KUBECTL_LIST_PODS).title(), "Forbidden");
    let token = |user: &str| Identity {
        username: user.into(),
        uid: None,
        groups: Vec::new(),
        extra: Vec::new(),
    };
    assert!(f.is_identity(&token("system:serviceaccount:ci:deployer")));
    assert!(!f.is_identity(&token("system:serviceaccount:ci:builder")));
    let fix = fix(&f).unwrap();
    assert!(!fix.cluster_wide);
    assert_eq!(fix.name, "deployer-list-pods");
    assert_eq!(
        fix.yaml,
        "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: deployer-list-pods
  namespace: prod
rules:
- apiGroups:
  - \"\"
  resources:
  - pods
  verbs:
  - list
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: deployer-list-pods
  namespace: prod
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: deployer-list-pods
subjects:
- kind: ServiceAccount
  name: deployer
  namespace: ci
"
    );
    assert_eq!(
        fix.commands,
        [
            "kubectl create role deployer-list-pods --namespace=prod --verb=list --resource=pods \
             --dry-run=client -o yaml | kubectl apply -f -",
            "kubectl create rolebinding deployer-list-pods --namespace=prod \
             --role=deployer-list-pods --serviceaccount=ci:deployer \
             --dry-run=client -o yaml | kubectl apply -f -",
        ]
    );
    assert_eq!(
        fix.check,
        "kubectl auth can-i --namespace=prod --as=system:serviceaccount:ci:deployer -- list pods"
    );
    assert!(fix.notes.is_empty());
    let g = guide(&read(KUBECTL_LIST_PODS));
    assert!(g
        .cause
        .contains("authenticated the request as system:serviceaccount:ci:deployer"));
    assert!(g.cause.contains("No missing role was named"));
}

#[test]
fn json_status_non_resource_path() {
    let text = r#"$ curl -sk -H "Authorization: Bearer $TOKEN" https://10.0.0.1:6443/
{
  "kind": "Status",
  "apiVersion": "v1",
  "metadata": {},
  "status": "Failure",
  "message": "forbidden: User \"system:serviceaccount:default:podgetter\" cannot get path \"/\"",
  "reason": "Forbidden",
  "details": {},
  "code": 403
}"#;
    let f = forbidden(text);
    assert_eq!(f.form, Form::Status);
    assert_eq!(f.path.as_deref(), Some("/"));
    assert_eq!(
        parts(text),
        "User=system:serviceaccount:default:podgetter\nVerb=get\nPath=/\n"
    );
    let fix = fix(&f).unwrap();
    assert!(fix.cluster_wide);
    assert_eq!(fix.namespace, None);
    assert_eq!(fix.name, "default-podgetter-get-path");
    assert_eq!(
        fix.yaml,
        "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: default-podgetter-get-path
rules:
- nonResourceURLs:
  - /
  verbs:
  - get
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: default-podgetter-get-path
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: default-podgetter-get-path
subjects:
- kind: ServiceAccount
  name: podgetter
  namespace: default
"
    );
    assert_eq!(
        fix.commands,
        [
            "kubectl create clusterrole default-podgetter-get-path --verb=get --non-resource-url=/ \
             --dry-run=client -o yaml | kubectl apply -f -",
            "kubectl create clusterrolebinding default-podgetter-get-path \
             --clusterrole=default-podgetter-get-path --serviceaccount=default:podgetter \
             --dry-run=client -o yaml | kubectl apply -f -",
        ]
    );
    assert_eq!(
        fix.check,
        "kubectl auth can-i --as=system:serviceaccount:default:podgetter -- get /"
    );
    let getter = Subject::from_service_account("default", "podgetter");
    assert!(allowed(&fix, &getter, &query("get", "/", "", "")));
    assert!(!allowed(&fix, &getter, &query("get", "/api", "", "")));
}

#[test]
fn json_status_compact_with_details() {
    // As the API server writes it (responsewriters' own test), with the name in details.
    let text = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"app\" is forbidden: User \"system:serviceaccount:prod:web\" cannot update resource \"configmaps\" in API group \"\" in the namespace \"prod\"","reason":"Forbidden","details":{"name":"app","kind":"configmaps"},"code":403}"#;
    let f = forbidden(text);
    assert_eq!(f.form, Form::Status);
    assert_eq!(
        parts(text),
        "User=system:serviceaccount:prod:web\nVerb=update\nResource=configmaps\n\
         API group=\"\" (core)\nNamespace=prod\nName=app\n"
    );
    let fix = fix(&f).unwrap();
    assert_eq!(fix.name, "web-update-configmaps-app");
    assert_eq!(fix.rule.resource_names, ["app"]);
    assert_eq!(
        fix.commands[0],
        "kubectl create role web-update-configmaps-app --namespace=prod --verb=update \
         --resource=configmaps --resource-name=app \
             --dry-run=client -o yaml | kubectl apply -f -"
    );
    assert_eq!(
        fix.check,
        "kubectl auth can-i --namespace=prod --as=system:serviceaccount:prod:web -- update \
         configmaps app"
    );
}

#[test]
fn python_api_exception_with_http_body() {
    let plain = r#"Traceback (most recent call last):
  File "list.py", line 9, in <module>
    v1.list_namespaced_pod("prod")
kubernetes.client.exceptions.ApiException: (403)
Reason: Forbidden
HTTP response headers: HTTPHeaderDict({'Audit-Id': '5b1e', 'Cache-Control': 'no-cache, private', 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'Date': 'Mon, 01 Jan 2024 00:00:00 GMT', 'Content-Length': '309'})
HTTP response body: {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \"system:serviceaccount:ci:deployer\" cannot list resource \"pods\" in API group \"\" in the namespace \"prod\"","reason":"Forbidden","details":{"kind":"pods"},"code":403}
"#;
    let f = forbidden(plain);
    assert_eq!(f.form, Form::Status);
    assert_eq!(parts(plain), parts(KUBECTL_LIST_PODS));
    assert_eq!(fix(&f).unwrap().yaml, fix_for(KUBECTL_LIST_PODS).yaml);

    // Newer clients print the body as a bytes literal, which doubles every backslash.
    let bytes = plain.replace("HTTP response body: {", "HTTP response body: b'{");
    let bytes = bytes.replace("\\\"", "\\\\\"").replace("403}\n", "403}'\n");
    assert!(bytes.contains(r#"b'{"kind""#) && bytes.contains(r#"User \\"system"#));
    let f = forbidden(&bytes);
    assert_eq!(f.form, Form::Status);
    assert_eq!(parts(&bytes), parts(KUBECTL_LIST_PODS));
}

#[test]
fn rbac_reason_names_missing_roles() {
    let one = "Error from server (Forbidden): pods is forbidden: User \
        \"system:serviceaccount:ci:deployer\" cannot list resource \"pods\" in API group \"\" in \
        the namespace \"prod\": RBAC: clusterrole.rbac.authorization.k8s.io \"pod-reader\" not \
        found";
    let f = forbidden(one);
    assert_eq!(
        f.reason.as_deref(),
        Some("RBAC: clusterrole.rbac.authorization.k8s.io \"pod-reader\" not found")
    );
    assert_eq!(
        f.missing_roles,
        [MissingRole {
            kind: RoleKind::ClusterRole,
            name: "pod-reader".into()
        }]
    );
    assert_eq!(f.namespace.as_deref(), Some("prod"));
    // The reason changes the explanation, not the fix.
    assert_eq!(fix(&f).unwrap().yaml, fix_for(KUBECTL_LIST_PODS).yaml);
    let g = guide(&Diagnosis::Forbidden(f));
    assert!(g
        .cause
        .contains("names ClusterRole pod-reader, which does not exist"));

    let two = "pods is forbidden: User \"system:serviceaccount:ci:deployer\" cannot list \
        resource \"pods\" in API group \"\" in the namespace \"prod\": RBAC: \
        [clusterrole.rbac.authorization.k8s.io \"a\" not found, role.rbac.authorization.k8s.io \
        \"b\" not found]";
    assert_eq!(
        forbidden(two).missing_roles,
        [
            MissingRole {
                kind: RoleKind::ClusterRole,
                name: "a".into()
            },
            MissingRole {
                kind: RoleKind::Role,
                name: "b".into()
            },
        ]
    );

    // In JSON, the reason is part of the message.
    let json = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \"system:serviceaccount:ci:deployer\" cannot list resource \"pods\" in API group \"\" in the namespace \"prod\": RBAC: role.rbac.authorization.k8s.io \"lister\" not found","reason":"Forbidden","details":{"kind":"pods"},"code":403}"#;
    let f = forbidden(json);
    assert_eq!(
        f.missing_roles,
        [MissingRole {
            kind: RoleKind::Role,
            name: "lister".into()
        }]
    );

    // Another authorizer's reason is kept, with nothing read as missing.
    let webhook = forbidden(&format!("{KUBECTL_LIST_PODS}: denied by policy engine"));
    assert_eq!(webhook.reason.as_deref(), Some("denied by policy engine"));
    assert!(webhook.missing_roles.is_empty());
}

#[test]
fn go_quoting_and_the_sanitizer() {
    // %q escapes quotes and backslashes; the sanitizer writes < > & as entities.
    let f = forbidden(
        r#"forbidden: User "we\"ird\\name \u00e9" cannot get path "/&lt;script&gt;&amp;x""#,
    );
    assert_eq!(f.user, "we\"ird\\name é");
    assert_eq!(f.path.as_deref(), Some("/<script>&x"));
    // The old quoted reason is unquoted.
    let f = forbidden(&format!(
        r#"{KUBECTL_LIST_PODS}: "RBAC: role.rbac.authorization.k8s.io \"r\" not found""#
    ));
    assert_eq!(
        f.reason.as_deref(),
        Some("RBAC: role.rbac.authorization.k8s.io \"r\" not found")
    );
    assert_eq!(f.missing_roles.len(), 1);
}

#[test]
fn messages_of_older_servers() {
    let old = "Error from server (Forbidden): User \"system:serviceaccount:default:default\" \
        cannot list pods in the namespace \"default\". (get pods)";
    let f = forbidden(old);
    assert_eq!(f.verb, "list");
    assert_eq!(f.resource, "pods");
    assert_eq!(f.namespace.as_deref(), Some("default"));
    let with_groups = "User \"alice\" groups [\"system:authenticated\"] cannot get \
        deployments.apps/scale in the namespace \"prod\".";
    let f = forbidden(with_groups);
    assert_eq!(f.user, "alice");
    assert_eq!(f.resource, "deployments");
    assert_eq!(f.group, "apps");
    assert_eq!(f.subresource.as_deref(), Some("scale"));
    let path = forbidden("User \"bob\" cannot get path \"/metrics\".");
    assert_eq!(path.path.as_deref(), Some("/metrics"));
    let cluster = forbidden("User \"bob\" cannot list nodes at the cluster scope.");
    assert_eq!(cluster.resource, "nodes");
    assert_eq!(cluster.namespace, None);
}

#[test]
fn inside_a_scroll_back_the_last_error_wins() {
    let text = format!(
        "$ kubectl get pods -n prod --as=system:serviceaccount:ci:deployer\n{KUBECTL_LIST_PODS}\n\
         $ kubectl get secret db -n prod\n\
         Error from server (Forbidden): secrets \"db\" is forbidden: User \
         \"system:serviceaccount:ci:deployer\" cannot get resource \"secrets\" in API group \"\" \
         in the namespace \"prod\"\n$ "
    );
    let f = forbidden(&text);
    assert_eq!(f.resource, "secrets");
    assert_eq!(f.name.as_deref(), Some("db"));
    assert_eq!(f.form, Form::Kubectl);
    // A client-go log line.
    let log = "E0101 00:00:00.000000       1 reflector.go:147] failed to list *v1.Pod: pods is \
        forbidden: User \"system:serviceaccount:ci:deployer\" cannot list resource \"pods\" in \
        API group \"\" in the namespace \"prod\"\nI0101 00:00:01 next line";
    let f = forbidden(log);
    assert_eq!(f.form, Form::Message);
    assert_eq!(f.reason, None);
    assert_eq!(parts(log), parts(KUBECTL_LIST_PODS));
}

#[test]
fn inside_a_json_log_line() {
    let log = r#"{"level":"error","ts":1700000000,"msg":"pods is forbidden: User \"system:serviceaccount:ci:deployer\" cannot list resource \"pods\" in API group \"\" in the namespace \"prod\""}"#;
    let f = forbidden(log);
    assert_eq!(f.form, Form::Message);
    assert_eq!(parts(log), parts(KUBECTL_LIST_PODS));
}

#[test]
fn inside_klog_output() {
    // An operator's log: the reflector's line, then klog's structured line quoting it again.
    let log = r#"W0830 08:35:24.701403       1 reflector.go:561] failed to list apiextensions.k8s.io/v1, Kind=CustomResourceDefinition: customresourcedefinitions.apiextensions.k8s.io is forbidden: User "system:serviceaccount:argocd:argocd-installer" cannot list resource "customresourcedefinitions" in API group "apiextensions.k8s.io" at the cluster scope
E0830 08:35:24.702206       1 reflector.go:158] "Unhandled Error" err="failed to list apiextensions.k8s.io/v1, Kind=CustomResourceDefinition: customresourcedefinitions.apiextensions.k8s.io is forbidden: User \"system:serviceaccount:argocd:argocd-installer\" cannot list resource \"customresourcedefinitions\" in API group \"apiextensions.k8s.io\" at the cluster scope" logger="UnhandledError""#;
    let expected = "User=system:serviceaccount:argocd:argocd-installer\nVerb=list\n\
                    Resource=customresourcedefinitions\nAPI group=apiextensions.k8s.io\n\
                    Namespace=cluster scope\n";
    assert_eq!(parts(log), expected);
    // The structured line alone.
    let structured = log.lines().nth(1).unwrap();
    assert_eq!(parts(structured), expected);
    assert_eq!(forbidden(structured).reason, None);
}

#[test]
fn unauthorized() {
    for (text, message, form) in [
        (
            "error: You must be logged in to the server (Unauthorized)",
            "Unauthorized",
            Form::Kubectl,
        ),
        (
            "E0101 memcache.go:265] couldn't get current server API group list: the server has \
             asked for the client to provide credentials\nerror: You must be logged in to the \
             server (the server has asked for the client to provide credentials)",
            "the server has asked for the client to provide credentials",
            Form::Kubectl,
        ),
        (
            r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#,
            "Unauthorized",
            Form::Status,
        ),
        (
            "kubernetes.client.exceptions.ApiException: (401)\nReason: Unauthorized\nHTTP \
             response headers: HTTPHeaderDict({'Content-Length': '129'})",
            "Unauthorized",
            Form::Message,
        ),
    ] {
        match read(text) {
            Diagnosis::Unauthorized(u) => {
                assert_eq!(u.message, message, "{text}");
                assert_eq!(u.form, form, "{text}");
            }
            other => panic!("{other:?}\n{text}"),
        }
    }
    let d = read("error: You must be logged in to the server (Unauthorized)");
    assert_eq!(d.title(), "Unauthorized");
    let g = guide(&d);
    assert!(g.cause.contains("never asked RBAC"));
    assert_eq!(
        g.steps.len(),
        tokenscope::troubleshoot::unauthorized::requirements().len()
    );
    assert!(g.steps[1].contains("jwks"));
}

#[test]
fn certificates() {
    for (text, kind) in [
        (
            "Unable to connect to the server: x509: certificate signed by unknown authority",
            "authority",
        ),
        (
            "Unable to connect to the server: tls: failed to verify certificate: x509: \
             certificate signed by unknown authority (possibly because of \"crypto/rsa: \
             verification error\" while trying to verify candidate authority certificate \
             \"kubernetes\")",
            "authority",
        ),
        (
            "Unable to connect to the server: x509: certificate is not trusted",
            "authority",
        ),
        (
            "curl: (60) SSL certificate problem: unable to get local issuer certificate",
            "authority",
        ),
        (
            "urllib3.exceptions.MaxRetryError: … [SSL: CERTIFICATE_VERIFY_FAILED] certificate \
             verify failed: self-signed certificate in certificate chain (_ssl.c:1006)",
            "authority",
        ),
        (
            "Unable to connect to the server: x509: certificate is valid for 10.96.0.1, \
             10.0.0.5, not 203.0.113.7",
            "name",
        ),
        (
            "Unable to connect to the server: x509: cannot validate certificate for 10.0.0.5 \
             because it doesn't contain any IP SANs",
            "name",
        ),
        (
            "Unable to connect to the server: x509: certificate has expired or is not yet \
             valid: current time 2030-01-01T00:00:00Z is after 2029-01-01T00:00:00Z",
            "expired",
        ),
    ] {
        let d = read(text);
        assert_eq!(d.title(), "Certificate not trusted", "{text}");
        let Diagnosis::CertificateNotTrusted(p) = &d else {
            unreachable!()
        };
        let got = match p {
            CertificateProblem::UnknownAuthority { .. } => "authority",
            CertificateProblem::NameMismatch { .. } => "name",
            CertificateProblem::Expired { .. } => "expired",
        };
        assert_eq!(got, kind, "{text}");
        assert_eq!(p.detail(), text.lines().last().unwrap().trim());
    }
    let g = guide(&read(
        "Unable to connect to the server: x509: certificate signed by unknown authority",
    ));
    assert!(g.cause.contains("did not sign it"));
    assert!(g.steps.iter().any(|s| s.contains("kube-root-ca.crt")));
}

#[test]
fn empty_resource_name() {
    let text = "$ kubectl get secret $(kubectl get sa deployer -n ci -o \
        jsonpath='{.secrets[0].name}') -n ci -o jsonpath='{.data.token}'\n\
        error: resource name may not be empty";
    let d = read(text);
    assert_eq!(d.title(), "Empty resource name");
    assert_eq!(parts(text), "Service account=deployer\nNamespace=ci\n");
    let g = guide(&d);
    assert!(g.cause.contains("1.24"));
    assert_eq!(
        g.commands[0],
        "kubectl create token deployer --namespace=ci --duration=1h"
    );
    assert_eq!(
        g.yaml.as_deref(),
        Some(
            "apiVersion: v1
kind: Secret
metadata:
  annotations:
    kubernetes.io/service-account.name: deployer
  name: deployer-token
  namespace: ci
type: kubernetes.io/service-account-token
"
        )
    );
    // Without the command, placeholders.
    let g = guide(&read("error: resource name may not be empty"));
    assert_eq!(
        g.commands[0],
        "kubectl create token SERVICE_ACCOUNT --namespace=NAMESPACE --duration=1h"
    );
}

#[test]
fn not_recognised() {
    assert_eq!(read("  \n"), Diagnosis::NotRecognised(NotRecognised::Empty));
    let d = read("hello world");
    assert_eq!(d, Diagnosis::NotRecognised(NotRecognised::Unknown));
    assert_eq!(d.title(), "Not recognised");
    assert!(guide(&d)
        .cause
        .starts_with("Expected a Kubernetes API error"));
    let big = "x".repeat(MAX_INPUT_BYTES + 1);
    assert_eq!(
        read(&big),
        Diagnosis::NotRecognised(NotRecognised::TooLong {
            bytes: MAX_INPUT_BYTES + 1
        })
    );
    // Admission, not authorization: no Role helps.
    let psa = "Error from server (Forbidden): error when creating \"pod.yaml\": pods \"web\" is \
        forbidden: violates PodSecurity \"restricted:latest\": privileged";
    match read(psa) {
        Diagnosis::NotRecognised(NotRecognised::NotAuthorization { message }) => {
            assert!(message.starts_with("error when creating"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let quota = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"web\" is forbidden: exceeded quota: compute","reason":"Forbidden","details":{"name":"web","kind":"pods"},"code":403}"#;
    assert!(matches!(
        read(quota),
        Diagnosis::NotRecognised(NotRecognised::NotAuthorization { .. })
    ));
    // A Status that is neither 401 nor 403.
    let not_found = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}"#;
    assert_eq!(
        read(not_found),
        Diagnosis::NotRecognised(NotRecognised::Unknown)
    );
    // Half a message is not read, and not taken for admission either: it says what it expected.
    let half = read("pods is forbidden: User \"system:serviceaccount:ci:deployer");
    assert!(
        matches!(
            half,
            Diagnosis::NotRecognised(NotRecognised::CutShort { .. })
        ),
        "{half:?}"
    );
    assert!(guide(&half)
        .cause
        .contains("Expected User \"USER\" cannot VERB"));
}

/// Hostile pastes up to the size limit are read, and a real 403 after half a megabyte of them is
/// still found. Their speed is measured by `scripts/bench`, not asserted here: a timed test
/// depends on the machine's load.
#[test]
fn hostile_pastes_are_read_to_an_answer() {
    for unit in [
        "User \"",
        "User \"a\" cannot ",
        "User \"a\" groups [",
        "{\"kind\":\"Status\",",
        "is forbidden: ",
        "\"kind\": \"Status\" {",
        "b'{\\\\",
    ] {
        let text = unit.repeat(MAX_INPUT_BYTES / unit.len());
        let _ = read(&text);
        let one_line = format!(
            "{}\n{KUBECTL_LIST_PODS}",
            text.get(..MAX_INPUT_BYTES / 2).unwrap()
        );
        assert_eq!(read(&one_line).title(), "Forbidden", "{unit}");
    }
}

// The fix's own tests, in a file of their own to keep each under the size the style asks for.
#[path = "apierror/fix.rs"]
mod fix;
