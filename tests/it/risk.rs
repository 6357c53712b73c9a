//! What makes an RBAC rule dangerous: each escalation path of the Kubernetes "RBAC good
//! practices" guide (kubernetes.io/docs/concepts/security/rbac-good-practices) is flagged, with
//! its reason and the guide's section, for a rule that grants it; a rule that comes close but
//! does not grant it stays quiet.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use tokenscope::inspect::explain::{Finding, Level};
use tokenscope::k8s::risk::{binding_risks, rule_risks, Rule};

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Rule {
    let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
    Rule {
        api_groups: list(groups),
        resources: list(resources),
        verbs: list(verbs),
        ..Rule::default()
    }
}

fn named(mut rule: Rule, names: &[&str]) -> Rule {
    rule.resource_names = names.iter().map(|s| s.to_string()).collect();
    rule
}

fn titles(rule: &Rule) -> Vec<String> {
    rule_risks(rule).into_iter().map(|f| f.title).collect()
}

/// `rule` is flagged `title` at `level`, and the reason holds each of `words`.
fn flagged(rule: &Rule, title: &str, level: Level, words: &[&str]) {
    let findings = rule_risks(rule);
    let Some(found) = findings.iter().find(|f| f.title == title) else {
        panic!("{rule:?}: no {title:?} in {:?}", titles(rule));
    };
    assert_eq!(found.level, level, "{title}");
    for word in words {
        assert!(
            found.why.contains(word),
            "{title}: {word:?} not in {}",
            found.why
        );
    }
    assert!(found.why.ends_with('.'), "{}", found.why);
}

/// `rule` is not flagged `title`.
fn quiet(rule: &Rule, title: &str) {
    assert!(
        !titles(rule).iter().any(|t| t == title),
        "{rule:?} flagged {title:?}"
    );
}

const GUIDE: &str = "RBAC good practices";

#[test]
fn workload_creation() {
    let title = "Can run workloads";
    for rule in [
        rule(&[""], &["pods"], &["create"]),
        rule(&[""], &["pods"], &["patch"]),
        rule(&[""], &["replicationcontrollers"], &["create"]),
        rule(&["apps"], &["deployments"], &["update"]),
        rule(&["apps"], &["daemonsets", "services"], &["create"]),
        rule(&["apps"], &["statefulsets"], &["*"]),
        rule(&["*"], &["replicasets"], &["patch"]),
        rule(&["batch"], &["jobs"], &["create"]),
        rule(&["batch"], &["cronjobs"], &["update"]),
        rule(&["apps"], &["*"], &["create"]),
        // An update names the object, so resourceNames do not stop it.
        named(rule(&["apps"], &["deployments"], &["update"]), &["web"]),
    ] {
        flagged(
            &rule,
            title,
            Level::Danger,
            &["any service account", "Workload creation", GUIDE],
        );
    }
    let found = rule_risks(&rule(
        &["apps"],
        &["deployments", "statefulsets"],
        &["create"],
    ));
    assert!(found[0]
        .why
        .starts_with("create, update or patch on deployments, statefulsets "));
    for near in [
        rule(&[""], &["pods"], &["get", "list", "watch", "delete"]),
        rule(&[""], &["pods/log", "pods/status"], &["update", "patch"]),
        rule(&[""], &["podtemplates"], &["create"]),
        // deployments live in apps, not in the core group.
        rule(&[""], &["deployments"], &["create"]),
        rule(&["apps"], &["deployments/scale"], &["update", "patch"]),
        rule(&["batch"], &["jobs"], &["delete", "deletecollection"]),
        // create asks for no name, so a rule limited to names never allows it.
        named(rule(&["apps"], &["deployments"], &["create"]), &["web"]),
    ] {
        quiet(&near, title);
    }
}

#[test]
fn ephemeral_containers() {
    let title = "Can add ephemeral containers";
    flagged(
        &rule(&[""], &["pods/ephemeralcontainers"], &["patch"]),
        title,
        Level::Danger,
        &["exec"],
    );
    flagged(
        &rule(&[""], &["*/ephemeralcontainers"], &["update"]),
        title,
        Level::Danger,
        &[],
    );
    quiet(&rule(&[""], &["pods/ephemeralcontainers"], &["get"]), title);
    quiet(&rule(&[""], &["pods"], &["get"]), title);
}

#[test]
fn persistent_volume_creation() {
    let title = "Can create persistentvolumes";
    flagged(
        &rule(&[""], &["persistentvolumes"], &["create"]),
        title,
        Level::Danger,
        &["hostPath", "Persistent volume creation", GUIDE],
    );
    flagged(
        &rule(&["*"], &["*"], &["create"]),
        title,
        Level::Danger,
        &[],
    );
    for near in [
        rule(&[""], &["persistentvolumeclaims"], &["create"]),
        rule(&[""], &["persistentvolumes"], &["get", "list", "delete"]),
        rule(&["storage.k8s.io"], &["persistentvolumes"], &["create"]),
        named(rule(&[""], &["persistentvolumes"], &["create"]), &["pv-1"]),
    ] {
        quiet(&near, title);
    }
}

#[test]
fn admission_webhooks_and_policies() {
    let group = "admissionregistration.k8s.io";
    let title = "Controls admission webhooks";
    for verb in ["create", "update", "patch", "delete"] {
        for resource in [
            "validatingwebhookconfigurations",
            "mutatingwebhookconfigurations",
        ] {
            flagged(
                &rule(&[group], &[resource], &[verb]),
                title,
                Level::Danger,
                &["every object", "Control admission webhooks", GUIDE],
            );
        }
    }
    quiet(
        &rule(
            &[group],
            &["mutatingwebhookconfigurations"],
            &["get", "list", "watch"],
        ),
        title,
    );
    quiet(
        &rule(&[""], &["mutatingwebhookconfigurations"], &["update"]),
        title,
    );

    let title = "Changes admission policies";
    flagged(
        &rule(&[group], &["validatingadmissionpolicies"], &["update"]),
        title,
        Level::Warning,
        &["switch off"],
    );
    flagged(
        &rule(
            &[group],
            &["validatingadmissionpolicybindings"],
            &["delete"],
        ),
        title,
        Level::Warning,
        &[],
    );
    // A mutating policy changes what is written, as a mutating webhook does.
    flagged(
        &rule(&[group], &["mutatingadmissionpolicies"], &["create"]),
        title,
        Level::Danger,
        &["change objects"],
    );
    quiet(
        &rule(&[group], &["validatingadmissionpolicies"], &["get", "list"]),
        title,
    );
}

#[test]
fn certificate_issuing() {
    let group = "certificates.k8s.io";
    let title = "Can approve certificate requests";
    for rule in [
        rule(
            &[group],
            &["certificatesigningrequests/approval"],
            &["update"],
        ),
        rule(
            &[group],
            &["certificatesigningrequests/approval"],
            &["patch"],
        ),
        named(
            rule(&[group], &["signers"], &["approve"]),
            &["kubernetes.io/kube-apiserver-client"],
        ),
    ] {
        flagged(
            &rule,
            title,
            Level::Danger,
            &["any name", "CSRs and certificate issuing", GUIDE],
        );
    }
    for near in [
        // Anyone may ask for a certificate; approving it is what hands one out.
        rule(
            &[group],
            &["certificatesigningrequests"],
            &["create", "get", "list"],
        ),
        rule(&[group], &["certificatesigningrequests/approval"], &["get"]),
        rule(&[group], &["signers"], &["sign"]),
    ] {
        quiet(&near, title);
    }
}

#[test]
fn namespace_modification() {
    let title = "Can relabel namespaces";
    for verb in ["patch", "update"] {
        flagged(
            &rule(&[""], &["namespaces"], &[verb]),
            title,
            Level::Warning,
            &[
                "Pod Security",
                "NetworkPolicies",
                "Namespace modification",
                GUIDE,
            ],
        );
    }
    quiet(
        &rule(&[""], &["namespaces"], &["get", "list", "create"]),
        title,
    );
    quiet(&rule(&[""], &["namespaces/status"], &["update"]), title);
}

/// The paths flagged before keep their titles and cite the guide where it has a section.
#[test]
fn the_guides_other_paths() {
    for (rule, title, section) in [
        (
            rule(&[""], &["secrets"], &["list"]),
            "Reads Secrets",
            "Listing secrets",
        ),
        (
            rule(&[""], &["nodes/proxy"], &["get"]),
            "Access to nodes/proxy",
            "Access to proxy subresource of Nodes",
        ),
        (
            rule(
                &["rbac.authorization.k8s.io"],
                &["clusterroles"],
                &["escalate"],
            ),
            "Can escalate",
            "Escalate verb",
        ),
        (
            rule(&["rbac.authorization.k8s.io"], &["clusterroles"], &["bind"]),
            "Can bind",
            "Bind verb",
        ),
        (
            rule(&[""], &["users"], &["impersonate"]),
            "Can impersonate",
            "Impersonate verb",
        ),
        (
            rule(&[""], &["serviceaccounts/token"], &["create"]),
            "Can create serviceaccounts/token",
            "Token request",
        ),
        (
            rule(&[""], &["*"], &["get"]),
            "Wildcard resource (*)",
            "Least privilege",
        ),
    ] {
        flagged(&rule, title, Level::Danger, &[section, GUIDE]);
    }
    quiet(
        &rule(&[""], &["configmaps"], &["get", "list"]),
        "Reads Secrets",
    );
    assert_eq!(
        titles(&rule(&[""], &["configmaps", "services"], &["*"])),
        ["Wildcard verb (*)"]
    );
    let admin: Vec<Finding> = binding_risks("cluster-admin", None);
    assert!(admin[0].why.contains("Least privilege"), "{}", admin[0].why);
}

/// Read-only access to ordinary resources, and writing ConfigMaps, say nothing.
#[test]
fn ordinary_rules_are_quiet() {
    for rule in [
        rule(
            &["", "apps", "batch"],
            &["pods", "deployments", "jobs", "services"],
            &["get", "list", "watch"],
        ),
        rule(
            &[""],
            &["configmaps", "services"],
            &["create", "update", "patch", "delete"],
        ),
        rule(&[""], &["pods/log", "events"], &["get", "list"]),
        rule(
            &["coordination.k8s.io"],
            &["leases"],
            &["create", "update", "get"],
        ),
    ] {
        assert_eq!(titles(&rule), Vec::<String>::new(), "{rule:?}");
    }
}

/// The Access page reaches these through `access::effective`: a subject that can run pods,
/// edit webhooks or create PersistentVolumes is not "nothing risky".
#[test]
fn the_access_evaluator_finds_them() {
    let text = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: deployer}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [create, update]}
- {apiGroups: [''], resources: [pods], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: platform}
rules:
- {apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [patch]}
- {apiGroups: [''], resources: [persistentvolumes], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: deployer}
subjects: [{kind: ServiceAccount, name: app, namespace: dev}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: platform}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: platform}
subjects: [{kind: ServiceAccount, name: app, namespace: dev}]
";
    let policy = tokenscope::access::parse(text).unwrap();
    let subject = tokenscope::access::Subject::from_service_account("dev", "app");
    let access = tokenscope::access::effective(&policy, &subject);
    let titles: Vec<&str> = access.warnings.iter().map(|f| f.title.as_str()).collect();
    for want in [
        "Can run workloads (in namespace dev)",
        "Controls admission webhooks (cluster-wide)",
        "Can create persistentvolumes (cluster-wide)",
    ] {
        assert!(titles.contains(&want), "missing {want:?} in {titles:#?}");
    }
    // Two rules grant workloads in dev: one warning, naming the binding once.
    let workloads: Vec<_> = access
        .warnings
        .iter()
        .filter(|f| f.title.starts_with("Can run workloads"))
        .collect();
    assert_eq!(workloads.len(), 1);
    assert!(workloads[0]
        .why
        .ends_with("Granted by RoleBinding dev/deployer → ClusterRole deployer."));
}
