//! What makes an RBAC rule or binding dangerous, in words.
//!
//! The RBAC builder (`#/rbac`) warns about what it is about to grant, and the access evaluator
//! (`#/access`) warns about what a subject already can do. Both ask the same questions of the
//! same [`Rule`], so the answers live here once. The reasons follow the Kubernetes "RBAC good
//! practices" page: wildcards, reading Secrets, `escalate`/`bind`/`impersonate`, exec into pods,
//! minting tokens, the kubelet proxy, `cluster-admin`, and `kube-system`.

use crate::explain::{Finding, Level};

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

/// The warnings one rule deserves, most serious first; empty when it is unremarkable.
pub fn rule_risks(rule: &Rule) -> Vec<Finding> {
    let mut out = Vec::new();
    let wild = |list: &[String]| list.iter().any(|v| v == "*");
    if wild(&rule.verbs) {
        out.push(finding(
            Level::Danger,
            "Wildcard verb (*)",
            "`*` in verbs grants every verb, including ones added in later Kubernetes versions \
             and escalate, bind and impersonate. List the verbs the workload needs.",
        ));
    }
    if wild(&rule.resources) {
        out.push(finding(
            Level::Danger,
            "Wildcard resource (*)",
            "`*` in resources covers every resource and subresource in the groups, including \
             secrets, pods/exec and resources that do not exist yet. Name the resources.",
        ));
    }
    if wild(&rule.api_groups) {
        out.push(finding(
            Level::Warning,
            "Wildcard API group (*)",
            "`*` in apiGroups matches every API group, including custom resources installed \
             later. Name the groups (\"\" is the core group).",
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
        out.push(finding(level, "Reads Secrets", why));
    }
    for (verb, why) in [
        (
            "escalate",
            "escalate lets the subject create or edit roles that grant permissions it does not \
             have, and so give itself any permission.",
        ),
        (
            "bind",
            "bind lets the subject bind any role to anyone, including itself, even roles with \
             permissions it does not have.",
        ),
        (
            "impersonate",
            "impersonate lets the subject act as other users, groups or service accounts, and \
             so use all of their permissions.",
        ),
    ] {
        if rule.verbs.iter().any(|v| v == verb) {
            out.push(finding(Level::Danger, &format!("Can {verb}"), why));
        }
    }
    for (resource, why) in [
        (
            "pods/exec",
            "create on pods/exec runs commands inside pods, with their service accounts and \
             mounted Secrets.",
        ),
        (
            "pods/attach",
            "create on pods/attach attaches to a running container's processes, close to exec.",
        ),
        (
            "serviceaccounts/token",
            "create on serviceaccounts/token mints tokens for other service accounts, and so \
             uses their permissions.",
        ),
    ] {
        if rule.has_verb("create") && rule.has_resource("", resource) {
            out.push(finding(
                Level::Danger,
                &format!("Can create {resource}"),
                why,
            ));
        }
    }
    if rule.has_resource("", "nodes/proxy") && !rule.verbs.is_empty() {
        out.push(finding(
            Level::Danger,
            "Access to nodes/proxy",
            "nodes/proxy reaches the kubelet API directly: it can run commands in any pod on \
             the node, and it bypasses audit logging and admission control.",
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
        out.push(finding(Level::Danger, "Bound to cluster-admin", why));
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
