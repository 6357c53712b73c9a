//! What makes an RBAC rule or binding dangerous, in words.
//!
//! The RBAC builder (`#/rbac`) warns about what it is about to grant, and the access evaluator
//! (`#/access`) warns about what a subject already can do. Both ask the same questions of the
//! same [`Rule`], so the answers live here once. They follow the privilege escalation risks of
//! the Kubernetes "RBAC good practices" guide
//! (<https://kubernetes.io/docs/concepts/security/rbac-good-practices/>), and each reason names
//! the guide's section: listing Secrets, workload creation, persistent volume creation, the
//! kubelet proxy, the `escalate`, `bind` and `impersonate` verbs, certificate issuing, token
//! requests, admission webhooks and namespace modification; then wildcards, exec, attach and
//! ephemeral containers, admission policies, `cluster-admin` and `kube-system`.

use crate::support::finding::{Finding, Level};

/// One RBAC policy rule, as in `rules[]` of a Role or ClusterRole. An empty `api_groups` and
/// non-empty `non_resource_urls` is a non-resource rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rule {
    /// `apiGroups`: `""` is the core group, `*` any group.
    pub api_groups: Vec<String>,
    /// `resources`, with subresources as `pods/log`; `*` is any.
    pub resources: Vec<String>,
    /// `verbs`; `*` is any.
    pub verbs: Vec<String>,
    /// `resourceNames`: when not empty, only these objects.
    pub resource_names: Vec<String>,
    /// `nonResourceURLs` such as `/healthz` or `/api/*`.
    pub non_resource_urls: Vec<String>,
}

impl Rule {
    /// Whether the rule grants `verb` (exactly, or through `*`).
    pub fn has_verb(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == "*" || v == verb)
    }

    /// Whether the rule names `resource` (exactly, through `*`, or through `*/sub`) in
    /// `group` or any group, as the authorizer reads it.
    pub fn has_resource(&self, group: &str, resource: &str) -> bool {
        let group_ok = self.api_groups.iter().any(|g| g == "*" || g == group);
        group_ok && self.resources.iter().any(|r| resource_matches(r, resource))
    }
}

/// The authorizer's resource match (`ResourceMatches` in kube-apiserver's RBAC): `*` is any,
/// `*/sub` is any resource's `sub`. `pods/*` is *not* a pattern there: it only matches a
/// resource literally named `pods/*`.
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    if pattern == "*" || pattern == resource {
        return true;
    }
    if let Some(sub) = pattern.strip_prefix("*/") {
        return resource.split_once('/').is_some_and(|(_, s)| s == sub);
    }
    false
}

fn finding(level: Level, title: &str, why: &str) -> Finding {
    Finding {
        level,
        title: title.to_string(),
        why: why.to_string(),
    }
}

/// A finding whose reason ends by naming the section of the Kubernetes "RBAC good practices"
/// guide that explains it, so a reader can check the claim where it comes from.
fn cited(level: Level, title: &str, why: &str, section: &str) -> Finding {
    finding(
        level,
        title,
        &format!("{why} See \"{section}\" in the Kubernetes RBAC good practices."),
    )
}

/// Whether the rule grants one of `verbs` on a whole object (not a subresource). `create`
/// names no object, so a rule limited by `resourceNames` never allows it.
fn writes(rule: &Rule, verbs: &[&str]) -> bool {
    verbs
        .iter()
        .any(|v| rule.has_verb(v) && (*v != "create" || rule.resource_names.is_empty()))
}

/// What of `table` (group, resource) the rule names, by resource.
fn named_in<'a>(rule: &Rule, table: &[(&str, &'a str)]) -> Vec<&'a str> {
    table
        .iter()
        .filter(|(group, resource)| rule.has_resource(group, resource))
        .map(|(_, resource)| *resource)
        .collect()
}

/// Pods and the controllers that make them: whoever writes one decides what image runs, and
/// in a new pod as which service account.
const WORKLOADS: [(&str, &str); 8] = [
    ("", "pods"),
    ("", "replicationcontrollers"),
    ("apps", "deployments"),
    ("apps", "daemonsets"),
    ("apps", "statefulsets"),
    ("apps", "replicasets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
];

const ADMISSION: &str = "admissionregistration.k8s.io";

/// Webhooks the API server calls with every object written.
const WEBHOOKS: [(&str, &str); 2] = [
    (ADMISSION, "validatingwebhookconfigurations"),
    (ADMISSION, "mutatingwebhookconfigurations"),
];

/// Admission policies the API server evaluates itself (CEL), and their bindings.
const POLICIES: [(&str, &str); 4] = [
    (ADMISSION, "validatingadmissionpolicies"),
    (ADMISSION, "validatingadmissionpolicybindings"),
    (ADMISSION, "mutatingadmissionpolicies"),
    (ADMISSION, "mutatingadmissionpolicybindings"),
];

const CERTIFICATES: &str = "certificates.k8s.io";

/// The warnings one rule deserves, most serious first; empty when it is unremarkable.
pub fn rule_risks(rule: &Rule) -> Vec<Finding> {
    let mut out = Vec::new();
    let wild = |list: &[String]| list.iter().any(|v| v == "*");
    if wild(&rule.verbs) {
        out.push(cited(
            Level::Danger,
            "Wildcard verb (*)",
            "`*` in verbs grants every verb, including ones added in later Kubernetes versions \
             and escalate, bind and impersonate. List the verbs the workload needs.",
            "Least privilege",
        ));
    }
    if wild(&rule.resources) {
        out.push(cited(
            Level::Danger,
            "Wildcard resource (*)",
            "`*` in resources covers every resource and subresource in the groups, including \
             secrets, pods/exec and resources that do not exist yet. Name the resources.",
            "Least privilege",
        ));
    }
    if wild(&rule.api_groups) {
        out.push(cited(
            Level::Warning,
            "Wildcard API group (*)",
            "`*` in apiGroups matches every API group, including custom resources installed \
             later. Name the groups (\"\" is the core group).",
            "Least privilege",
        ));
    }
    if rule.non_resource_urls.iter().any(|u| u == "*" || u == "/*") {
        out.push(finding(
            Level::Warning,
            "Every non-resource URL",
            "A `*` nonResourceURL reaches every API server path that is not a resource, \
             such as /metrics and /debug. Name the paths.",
        ));
    }
    let reads = ["get", "list", "watch"].iter().any(|v| rule.has_verb(v));
    if reads && rule.has_resource("", "secrets") {
        let named = !rule.resource_names.is_empty();
        let why = if named {
            "get on the named Secrets returns their contents; fine when they hold only what \
             this workload needs, but check none of them is another account's token."
        } else if rule.has_verb("list") || rule.has_verb("watch") {
            "list and watch return the contents of every Secret in scope, including other \
             service accounts' tokens: reading Secrets is as good as having their \
             permissions. Restrict with resourceNames and get, or mount the Secret instead."
        } else {
            "get returns a Secret's contents, which may hold tokens with more permissions \
             than this role. Restrict with resourceNames."
        };
        let level = if named { Level::Warning } else { Level::Danger };
        out.push(cited(level, "Reads Secrets", why, "Listing secrets"));
    }
    for (verb, why, section) in [
        (
            "escalate",
            "escalate lets the subject create or edit roles that grant permissions it does not \
             have, and so give itself any permission.",
            "Escalate verb",
        ),
        (
            "bind",
            "bind lets the subject bind any role to anyone, including itself, even roles with \
             permissions it does not have.",
            "Bind verb",
        ),
        (
            "impersonate",
            "impersonate lets the subject act as other users, groups or service accounts, and \
             so use all of their permissions.",
            "Impersonate verb",
        ),
    ] {
        if rule.verbs.iter().any(|v| v == verb) {
            out.push(cited(Level::Danger, &format!("Can {verb}"), why, section));
        }
    }
    for (resource, why, section) in [
        (
            "pods/exec",
            "create on pods/exec runs commands inside pods, with their service accounts and \
             mounted Secrets.",
            None,
        ),
        (
            "pods/attach",
            "create on pods/attach attaches to a running container's processes, close to exec.",
            None,
        ),
        (
            "serviceaccounts/token",
            "create on serviceaccounts/token mints tokens for other service accounts, and so \
             uses their permissions.",
            Some("Token request"),
        ),
    ] {
        if rule.has_verb("create") && rule.has_resource("", resource) {
            let title = format!("Can create {resource}");
            out.push(match section {
                Some(section) => cited(Level::Danger, &title, why, section),
                None => finding(Level::Danger, &title, why),
            });
        }
    }
    if rule.has_resource("", "pods/ephemeralcontainers") && writes(rule, &["update", "patch"]) {
        out.push(finding(
            Level::Danger,
            "Can add ephemeral containers",
            "update or patch on pods/ephemeralcontainers adds a container of any image to a \
             running pod, with its volumes and token: as good as exec.",
        ));
    }
    if rule.has_resource("", "nodes/proxy") && !rule.verbs.is_empty() {
        out.push(cited(
            Level::Danger,
            "Access to nodes/proxy",
            "nodes/proxy reaches the kubelet API directly: it can run commands in any pod on \
             the node, and it bypasses audit logging and admission control.",
            "Access to proxy subresource of Nodes",
        ));
    }
    let workloads = named_in(rule, &WORKLOADS);
    if !workloads.is_empty() && writes(rule, &["create", "update", "patch"]) {
        out.push(cited(
            Level::Danger,
            "Can run workloads",
            &format!(
                "create, update or patch on {} chooses the image a pod runs and, for a new pod, \
                 any service account in the namespace to run as, with its permissions, Secrets \
                 and volumes. A privileged pod reaches the node too, unless Pod Security \
                 admission enforces Baseline or Restricted.",
                workloads.join(", ")
            ),
            "Workload creation",
        ));
    }
    if rule.has_resource("", "persistentvolumes") && writes(rule, &["create"]) {
        out.push(cited(
            Level::Danger,
            "Can create persistentvolumes",
            "create on persistentvolumes allows hostPath volumes: a pod that claims one reaches \
             the node's file system, other containers' data and the kubelet's credentials \
             included. Let administrators or a provisioner create volumes.",
            "Persistent volume creation",
        ));
    }
    let webhooks = named_in(rule, &WEBHOOKS);
    if !webhooks.is_empty() && writes(rule, &["create", "update", "patch", "delete"]) {
        out.push(cited(
            Level::Danger,
            "Controls admission webhooks",
            &format!(
                "Writing {} sends every object written to the cluster, Secrets included, to a \
                 webhook of the subject's choosing, and a mutating one can change them. Deleting \
                 one switches its checks off.",
                webhooks.join(" or ")
            ),
            "Control admission webhooks",
        ));
    }
    let policies = named_in(rule, &POLICIES);
    if !policies.is_empty() && writes(rule, &["create", "update", "patch", "delete"]) {
        let mutating = policies.iter().any(|p| p.starts_with("mutating"));
        let (level, effect) = if mutating {
            (Level::Danger, ", or change objects as they are written")
        } else {
            (Level::Warning, "")
        };
        out.push(finding(
            level,
            "Changes admission policies",
            &format!(
                "Writing {} changes the checks the API server makes on every write: the subject \
                 can switch off a policy{effect}.",
                policies.join(" or ")
            ),
        ));
    }
    let approves = (rule.has_resource(CERTIFICATES, "certificatesigningrequests/approval")
        && writes(rule, &["update", "patch"]))
        || (rule.has_resource(CERTIFICATES, "signers") && rule.has_verb("approve"));
    if approves {
        out.push(cited(
            Level::Danger,
            "Can approve certificate requests",
            "update on certificatesigningrequests/approval (with approve on the \
             kube-apiserver-client signer) approves certificate requests: with create on them, \
             the subject issues itself client certificates for any name, a control-plane \
             component's included.",
            "CSRs and certificate issuing",
        ));
    }
    if rule.has_resource("", "namespaces") && writes(rule, &["update", "patch"]) {
        out.push(cited(
            Level::Warning,
            "Can relabel namespaces",
            "update or patch on namespaces changes their labels: the subject can lower the Pod \
             Security level enforced there, or match NetworkPolicies' namespace selectors and \
             open traffic nobody meant to allow.",
            "Namespace modification",
        ));
    }
    out
}

/// The warnings a binding deserves: to `cluster-admin` (any scope), or inside `kube-system`.
/// `namespace` is `None` for a ClusterRoleBinding.
pub fn binding_risks(role_name: &str, namespace: Option<&str>) -> Vec<Finding> {
    let mut out = Vec::new();
    if role_name == "cluster-admin" {
        let why = match namespace {
            None => {
                "cluster-admin bound cluster-wide is full control of the cluster: every \
                 resource in every namespace, nodes, RBAC itself. A leaked token is a lost \
                 cluster. Grant the verbs and resources the workload needs instead."
            }
            Some(_) => {
                "cluster-admin in a RoleBinding is full control of the namespace, including \
                 its Roles, RoleBindings and Secrets. Prefer `edit` or `admin`, or a Role \
                 with the verbs the workload needs."
            }
        };
        out.push(cited(
            Level::Danger,
            "Bound to cluster-admin",
            why,
            "Least privilege",
        ));
    }
    if namespace == Some("kube-system") {
        out.push(finding(
            Level::Warning,
            "Binding in kube-system",
            "kube-system holds the control plane's own service accounts and Secrets; \
             permissions there often amount to cluster-wide control. Use a namespace of your \
             own.",
        ));
    }
    out
}
