//! The least-privilege fix: the exact objects and commands for each kind of request
//! (namespaced, cluster-scoped, subresource, named, in a group, a path, a user), and each fix
//! read back by the access evaluator, which must allow the refused request and nothing next
//! to it.

use super::*;
use tokenscope::troubleshoot::{self, FixSubject};

/// Asks the access evaluator whether the 403's own subject may make its own request under
/// the fix alone, then each neighbouring request, which must be refused.
fn grants_exactly(text: &str, neighbours: &[Query]) {
    let f = forbidden(text);
    let fix = troubleshoot::fix(&f).unwrap();
    let subject = f.subject();
    let request = f.query().unwrap();
    assert!(
        allowed(&fix, &subject, &request),
        "refused: {request:?}\n{}",
        fix.yaml
    );
    for q in neighbours {
        assert!(!allowed(&fix, &subject, q), "allowed: {q:?}\n{}", fix.yaml);
    }
}

#[test]
fn the_fix_grants_exactly_the_refused_request() {
    grants_exactly(
        KUBECTL_LIST_PODS,
        &[
            query("get", "pods", "prod", ""),
            query("list", "pods", "dev", ""),
            query("list", "secrets", "prod", ""),
            query("list", "pods", "", ""),
        ],
    );
    let fix = fix_for(KUBECTL_LIST_PODS);
    let other = Subject::from_service_account("ci", "other");
    assert!(!allowed(&fix, &other, &query("list", "pods", "prod", "")));

    // A named object: only that one.
    grants_exactly(
        "secrets \"db\" is forbidden: User \"system:serviceaccount:ci:deployer\" cannot get \
         resource \"secrets\" in API group \"\" in the namespace \"prod\"",
        &[
            query("get", "secrets", "prod", "other"),
            query("list", "secrets", "prod", ""),
            query("get", "secrets", "dev", "db"),
        ],
    );

    // A path: that path only, cluster-wide.
    grants_exactly(
        "forbidden: User \"system:serviceaccount:default:podgetter\" cannot get path \"/healthz\"",
        &[
            query("get", "/metrics", "", ""),
            query("post", "/healthz", "", ""),
        ],
    );

    // A subresource in a group: that subresource, not the resource.
    grants_exactly(
        "deployments.apps \"web\" is forbidden: User \"system:serviceaccount:ci:deployer\" \
         cannot update resource \"deployments/scale\" in API group \"apps\" in the namespace \
         \"prod\"",
        &[
            query("update", "deployments.apps", "prod", "web"),
            query("update", "deployments.apps/scale", "prod", "api"),
            query("update", "deployments.apps/status", "prod", "web"),
        ],
    );

    // Cluster scope: every namespace at once, that verb only.
    grants_exactly(
        "pods is forbidden: User \"system:serviceaccount:ci:deployer\" cannot watch resource \
         \"pods\" in API group \"\" at the cluster scope",
        &[
            query("list", "pods", "", ""),
            query("watch", "secrets", "", ""),
        ],
    );
    let fix = fix_for(
        "pods is forbidden: User \"system:serviceaccount:ci:deployer\" cannot watch resource \
         \"pods\" in API group \"\" at the cluster scope",
    );
    let sa = Subject::from_service_account("ci", "deployer");
    assert!(allowed(&fix, &sa, &query("watch", "pods", "dev", "")));

    // A user, and an exec into one pod.
    grants_exactly(
        "nodes is forbidden: User \"alice@example.com\" cannot list resource \"nodes\" in API \
         group \"\" at the cluster scope",
        &[
            query("delete", "nodes", "", ""),
            query("list", "pods", "", ""),
        ],
    );
    grants_exactly(
        "pods \"web-0\" is forbidden: User \"system:serviceaccount:ci:deployer\" cannot create \
         resource \"pods/exec\" in API group \"\" in the namespace \"prod\"",
        &[
            query("create", "pods/exec", "prod", "web-1"),
            query("create", "pods/attach", "prod", "web-0"),
            query("create", "pods", "prod", ""),
        ],
    );
}

#[test]
fn cluster_scope() {
    let text = "Error from server (Forbidden): nodes is forbidden: User \
        \"system:serviceaccount:monitoring:agent\" cannot list resource \"nodes\" in API group \
        \"\" at the cluster scope";
    assert_eq!(
        parts(text),
        "User=system:serviceaccount:monitoring:agent\nVerb=list\nResource=nodes\n\
         API group=\"\" (core)\nNamespace=cluster scope\n"
    );
    let fix = fix_for(text);
    assert!(fix.cluster_wide);
    assert!(fix.notes.is_empty(), "{:?}", fix.notes);
    assert_eq!(
        fix.yaml,
        "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-agent-list-nodes
rules:
- apiGroups:
  - \"\"
  resources:
  - nodes
  verbs:
  - list
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: monitoring-agent-list-nodes
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: monitoring-agent-list-nodes
subjects:
- kind: ServiceAccount
  name: agent
  namespace: monitoring
"
    );
    assert_eq!(
        fix.commands,
        [
            "kubectl create clusterrole monitoring-agent-list-nodes --verb=list --resource=nodes \
             --dry-run=client -o yaml | kubectl apply -f -",
            "kubectl create clusterrolebinding monitoring-agent-list-nodes --clusterrole=monitoring-agent-list-nodes \
             --serviceaccount=monitoring:agent \
             --dry-run=client -o yaml | kubectl apply -f -",
        ]
    );
    assert_eq!(
        fix.check,
        "kubectl auth can-i --all-namespaces --as=system:serviceaccount:monitoring:agent -- \
         list nodes"
    );

    // A namespaced resource at the cluster scope (kubectl get pods -A) says what it grants.
    let all = fix_for(
        "pods is forbidden: User \"system:serviceaccount:ci:deployer\" cannot list resource \
         \"pods\" in API group \"\" at the cluster scope",
    );
    assert!(all.cluster_wide);
    assert_eq!(all.notes.len(), 1);
    assert!(all.notes[0].contains("every namespace at once"));
}

#[test]
fn subresources() {
    let exec = "Error from server (Forbidden): pods \"web-0\" is forbidden: User \
        \"system:serviceaccount:ci:deployer\" cannot create resource \"pods/exec\" in API group \
        \"\" in the namespace \"prod\"";
    assert_eq!(
        parts(exec),
        "User=system:serviceaccount:ci:deployer\nVerb=create\nResource=pods/exec\n\
         API group=\"\" (core)\nNamespace=prod\nName=web-0\n"
    );
    let f = forbidden(exec);
    assert_eq!(f.resource, "pods");
    assert_eq!(f.subresource.as_deref(), Some("exec"));
    // create of a named object's subresource names the object, so resourceNames holds.
    let fix = fix(&f).unwrap();
    assert_eq!(fix.rule.resources, ["pods/exec"]);
    assert_eq!(fix.rule.resource_names, ["web-0"]);
    assert_eq!(
        fix.commands[0],
        "kubectl create role deployer-create-pods-exec-web-0 --namespace=prod --verb=create \
         --resource=pods/exec --resource-name=web-0 \
             --dry-run=client -o yaml | kubectl apply -f -"
    );
    let sa = Subject::from_service_account("ci", "deployer");
    assert!(allowed(
        &fix,
        &sa,
        &query("create", "pods/exec", "prod", "web-0")
    ));
    assert!(!allowed(
        &fix,
        &sa,
        &query("create", "pods/exec", "prod", "web-1")
    ));
    assert!(!allowed(
        &fix,
        &sa,
        &query("create", "pods/attach", "prod", "web-0")
    ));

    let log = forbidden(
        "pods \"web-0\" is forbidden: User \"system:serviceaccount:ci:deployer\" cannot get \
         resource \"pods/log\" in API group \"\" in the namespace \"prod\"",
    );
    assert_eq!(log.target(), "pods/log");
    assert_eq!(
        troubleshoot::fix(&log).unwrap().rule.resource_names,
        ["web-0"]
    );

    let token = "serviceaccounts \"builder\" is forbidden: User \
        \"system:serviceaccount:ci:deployer\" cannot create resource \"serviceaccounts/token\" \
        in API group \"\" in the namespace \"ci\"";
    let fix = fix_for(token);
    assert_eq!(fix.rule.resources, ["serviceaccounts/token"]);
    assert_eq!(fix.rule.resource_names, ["builder"]);
    assert_eq!(
        fix.commands[0],
        "kubectl create role deployer-create-serviceaccounts-token-builder --namespace=ci \
         --verb=create --resource=serviceaccounts/token --resource-name=builder \
             --dry-run=client -o yaml | kubectl apply -f -"
    );
}

#[test]
fn named_objects_and_verbs_that_names_cannot_limit() {
    let get = "Error from server (Forbidden): secrets \"db\" is forbidden: User \
        \"system:serviceaccount:ci:deployer\" cannot get resource \"secrets\" in API group \"\" \
        in the namespace \"prod\"";
    let fix = fix_for(get);
    assert_eq!(fix.name, "deployer-get-secrets-db");
    assert!(fix.yaml.contains("rules:\n- apiGroups:\n  - \"\"\n  resourceNames:\n  - db\n  resources:\n  - secrets\n  verbs:\n  - get\n"));
    assert!(fix.notes.is_empty());

    // A watch of one pod (kubectl get pod web -w) names it, but the rule stays open.
    let watch = "pods \"web\" is forbidden: User \"system:serviceaccount:ci:deployer\" cannot \
        watch resource \"pods\" in API group \"\" in the namespace \"prod\"";
    let fix = fix_for(watch);
    assert!(fix.rule.resource_names.is_empty());
    assert_eq!(fix.name, "deployer-watch-pods");
    assert_eq!(fix.notes.len(), 1);
    assert!(fix.notes[0].contains("The request named web"));
    assert!(fix.notes[0].contains("fieldSelector=metadata.name"));

    for verb in ["list", "deletecollection"] {
        let text = format!(
            "pods \"web\" is forbidden: User \"system:serviceaccount:ci:deployer\" cannot {verb} \
             resource \"pods\" in API group \"\" in the namespace \"prod\""
        );
        let fix = fix_for(&text);
        assert!(fix.rule.resource_names.is_empty(), "{verb}");
        assert_eq!(fix.notes.len(), 1, "{verb}");
    }
}

#[test]
fn api_groups() {
    let text = "Error from server (Forbidden): deployments.apps \"web\" is forbidden: User \
        \"system:serviceaccount:ci:deployer\" cannot patch resource \"deployments\" in API \
        group \"apps\" in the namespace \"prod\"";
    assert_eq!(
        parts(text),
        "User=system:serviceaccount:ci:deployer\nVerb=patch\nResource=deployments\n\
         API group=apps\nNamespace=prod\nName=web\n"
    );
    let fix = fix_for(text);
    assert_eq!(fix.rule.api_groups, ["apps"]);
    assert_eq!(
        fix.commands[0],
        "kubectl create role deployer-patch-deployments-web --namespace=prod --verb=patch \
         --resource=deployments.apps --resource-name=web \
             --dry-run=client -o yaml | kubectl apply -f -"
    );
    assert_eq!(
        fix.check,
        "kubectl auth can-i --namespace=prod --as=system:serviceaccount:ci:deployer -- patch \
         deployments.apps web"
    );
    let sa = Subject::from_service_account("ci", "deployer");
    assert!(allowed(
        &fix,
        &sa,
        &query("patch", "deployments.apps", "prod", "web")
    ));
    assert!(!allowed(
        &fix,
        &sa,
        &query("patch", "deployments.extensions", "prod", "web")
    ));
}

#[test]
fn verbs_kubectl_create_role_refuses_are_applied_as_yaml() {
    let fix = fix_for(
        "certificatesigningrequests.certificates.k8s.io \"csr-1\" is forbidden: User \
         \"system:serviceaccount:ops:approver\" cannot approve resource \
         \"certificatesigningrequests/approval\" in API group \"certificates.k8s.io\" at the \
         cluster scope",
    );
    assert!(fix.commands[0].starts_with("kubectl apply -f - <<'EOF'\n"));
    assert!(fix.commands[0].ends_with("\nEOF"));
    assert!(fix.commands[0].contains("  - approve\n"));
    assert!(fix.commands[1].starts_with("kubectl create clusterrolebinding "));
    assert!(fix.commands[1].ends_with(" --dry-run=client -o yaml | kubectl apply -f -"));
}

#[test]
fn users_that_are_not_service_accounts() {
    let person = "Error from server (Forbidden): pods is forbidden: User \"alice@example.com\" \
        cannot list resource \"pods\" in API group \"\" in the namespace \"dev\"";
    let f = forbidden(person);
    assert_eq!(f.requester, Requester::Person);
    let fix = fix(&f).unwrap();
    assert_eq!(
        fix.subject,
        FixSubject::User {
            name: "alice@example.com".into()
        }
    );
    assert_eq!(fix.name, "alice-example.com-list-pods");
    assert!(fix.yaml.ends_with(
        "subjects:\n- apiGroup: rbac.authorization.k8s.io\n  kind: User\n  name: alice@example.com\n"
    ));
    assert_eq!(
        fix.commands[1],
        "kubectl create rolebinding alice-example.com-list-pods --namespace=dev \
         --role=alice-example.com-list-pods --user=alice@example.com \
             --dry-run=client -o yaml | kubectl apply -f -"
    );
    assert!(fix.notes[0].contains("not a service account"));

    let anonymous = forbidden("forbidden: User \"system:anonymous\" cannot get path \"/\"");
    assert_eq!(anonymous.requester, Requester::Anonymous);
    let no = troubleshoot::fix(&anonymous).unwrap_err();
    assert!(no.why.contains("no credentials"));
    let g = guide(&Diagnosis::Forbidden(anonymous.clone()));
    assert!(g.cause.contains("not a missing role"), "{}", g.cause);
    assert_eq!(
        anonymous.subject().groups,
        ["system:unauthenticated".to_string()]
    );

    let node = forbidden(
        "secrets \"x\" is forbidden: User \"system:node:worker-1\" cannot get resource \
         \"secrets\" in API group \"\" in the namespace \"prod\": no relationship found between \
         node 'worker-1' and this object",
    );
    assert_eq!(
        node.requester,
        Requester::Node {
            name: "worker-1".into()
        }
    );
    // A node gets no RBAC fix: the Node authorizer decides its requests on purpose.
    assert!(troubleshoot::fix(&node)
        .unwrap_err()
        .why
        .contains("Node authorizer"));

    assert_eq!(Requester::of(""), Requester::Unknown);
    assert_eq!(Requester::of("system:serviceaccount:ns"), Requester::Person);
    assert_eq!(
        Requester::of("system:serviceaccount:a:b:c"),
        Requester::Person
    );
}

/// **Fix in RBAC builder**: the builder's form, built, grants the refused request to the
/// 403's own subject, with the same rule as the fix.
#[test]
fn the_builder_form_grants_the_same_request() {
    let cases = [
        // Namespaced, in the account's own namespace.
        "Error from server (Forbidden): pods is forbidden: User \
         \"system:serviceaccount:prod:deployer\" cannot list resource \"pods\" in API group \
         \"\" in the namespace \"prod\"",
        // Named, with a subresource.
        "pods \"web-0\" is forbidden: User \"system:serviceaccount:dev:debugger\" cannot \
         create resource \"pods/exec\" in API group \"\" in the namespace \"dev\"",
        // A group, at the cluster scope.
        "nodes is forbidden: User \"system:serviceaccount:monitoring:probe\" cannot list \
         resource \"nodes\" in API group \"\" at the cluster scope",
        // A path.
        "forbidden: User \"system:serviceaccount:default:podgetter\" cannot get path \"/\"",
        "secrets \"db\" is forbidden: User \"system:serviceaccount:app:web\" cannot get \
         resource \"secrets\" in API group \"\" in the namespace \"app\"",
    ];
    for text in cases {
        let f = forbidden(text);
        let form = troubleshoot::builder_form(&f).unwrap_or_else(|e| panic!("{}: {text}", e.why));
        let built = tokenscope::rbac::build(&form);
        assert_eq!(built.errors, vec![], "{text}");
        let yaml = built.yaml.unwrap();
        let policy = access::parse(&yaml).unwrap();
        let answer = can_i(&policy, &f.subject(), &f.query().unwrap());
        assert!(answer.allowed, "{text}\n{yaml}\n{answer:#?}");
        // The builder's rule is the fix's rule.
        assert_eq!(
            tokenscope::rbac::rules(&form),
            vec![troubleshoot::fix(&f).unwrap().rule],
            "{text}"
        );
    }
    let form = troubleshoot::builder_form(&forbidden(cases[3])).unwrap();
    assert_eq!(form.scope, tokenscope::rbac::Scope::Cluster);
    assert_eq!(form.rules[0].non_resource_urls, "/");
    assert_eq!(form.rules[0].api_groups, "");
    let form = troubleshoot::builder_form(&forbidden(cases[4])).unwrap();
    assert_eq!(form.rules[0].api_groups, "\"\"");
    assert_eq!(form.rules[0].resource_names, "db");
    assert_eq!(
        (form.service_account.as_str(), form.namespace.as_str()),
        ("web", "app")
    );
}

/// A service account of another namespace, and a user (a client certificate's CN, an OIDC
/// name, or a member of a group the message does not name), get the builder too: the Role
/// goes where the request was, bound to the subject as it is.
#[test]
fn the_builder_form_grants_other_namespaces_and_users() {
    let person = forbidden(
        "pods is forbidden: User \"jane@example.com\" cannot list resource \"pods\" in API \
         group \"\" in the namespace \"dev\"",
    );
    for f in [forbidden(KUBECTL_LIST_PODS), person] {
        let form = troubleshoot::builder_form(&f).unwrap_or_else(|e| panic!("{}", e.why));
        let built = tokenscope::rbac::build(&form);
        assert_eq!(built.errors, vec![], "{form:?}");
        let policy = access::parse(&built.yaml.unwrap()).unwrap();
        let query = f.query().unwrap();
        assert!(can_i(&policy, &f.subject(), &query).allowed, "{form:?}");
        // Only in the request's namespace.
        let elsewhere = Query {
            namespace: Some("elsewhere".to_string()),
            ..query
        };
        assert!(!can_i(&policy, &f.subject(), &elsewhere).allowed);
    }
    let form = troubleshoot::builder_form(&forbidden(KUBECTL_LIST_PODS)).unwrap();
    assert_eq!(
        (form.namespace.as_str(), form.account_namespace.as_str()),
        ("prod", "ci")
    );
}
