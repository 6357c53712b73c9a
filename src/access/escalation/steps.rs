//! The steps one granted rule allows: each is a request the rule allows, asked of Can I for
//! the identity holding it, and the identity or place it gains.
//!
//! The steps follow the privilege escalation paths of the Kubernetes "RBAC good practices"
//! guide: workload creation, token requests, reading legacy token Secrets, impersonation,
//! `bind` and `escalate`, certificate signing, the kubelet proxy and admission webhooks.

use super::graph::{Node, Target, Universe};
use crate::access::{can_i, rule_allows, Policy, Query, Subject, PRIVILEGED_GROUP};
use crate::k8s::kube::RBAC_GROUP;
use crate::k8s::risk::Rule;

/// What a step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// Creates a pod (or a workload that makes one) in a namespace.
    CreatePods,
    /// A pod in the namespace runs as one of its service accounts (free).
    RunsAs,
    /// A privileged or host-path pod in the namespace reaches its node (free).
    OnNode,
    /// The node holds every token mounted in its pods (free).
    MountedOnNode,
    /// Asks for a service account's token (`serviceaccounts/token`).
    TokenRequest,
    /// Reads a legacy token Secret.
    ReadsTokenSecret,
    /// Impersonates a user, group or service account.
    Impersonates,
    /// Runs commands in pods through the kubelet (`nodes/proxy`).
    NodeProxy,
    /// Changes an admission webhook configuration.
    Webhook,
    /// The webhook sees and changes every request, and every pod created (free).
    Intercepts,
    /// Approves or signs a certificate signing request: any client identity.
    SignsCertificate,
    /// Binds a role to itself.
    Binds,
    /// Writes any rule into a ClusterRole bound to it.
    Escalates,
}

/// One step: what it is, the Can I question the identity holding the rule is allowed, and
/// what else the identity must be allowed for the step to work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// What the step does.
    pub kind: StepKind,
    /// The request the granted rule allows; `None` for a free step.
    pub query: Option<Query>,
    /// Other requests the step needs, allowed by any of the identity's rules.
    pub also: Vec<Query>,
}

impl Step {
    /// A step that needs no rule.
    pub fn free(kind: StepKind) -> Step {
        Step {
            kind,
            query: None,
            also: Vec::new(),
        }
    }
}

/// A request as Can I takes it.
pub fn request(verb: &str, group: &str, resource: &str, ns: Option<&str>, name: &str) -> Query {
    Query {
        verb: verb.to_string(),
        resource: resource.to_string(),
        api_group: group.to_string(),
        namespace: ns.map(str::to_string),
        name: Some(name.to_string()).filter(|n| !n.is_empty()),
    }
}

/// Pods first, then the controllers that make pods.
const WORKLOADS: [(&str, &str); 8] = [
    ("", "pods"),
    ("apps", "deployments"),
    ("apps", "daemonsets"),
    ("apps", "statefulsets"),
    ("apps", "replicasets"),
    ("", "replicationcontrollers"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
];

const ADMISSION: &str = "admissionregistration.k8s.io";
const CERTIFICATES: &str = "certificates.k8s.io";
/// The signer whose certificates the API server accepts as client identities.
pub const CLIENT_SIGNER: &str = "kubernetes.io/kube-apiserver-client";

/// The verbs of a rule that can make a step, read once per rule: most rules of a big role
/// hold none of them, or only `get` and `list`, and are then asked about nothing else.
#[derive(Clone, Copy)]
struct Verbs(u8);

const CREATE: u8 = 1;
const GET: u8 = 2;
const LIST: u8 = 4;
const IMPERSONATE: u8 = 8;
const UPDATE: u8 = 16;
const PATCH: u8 = 32;
const BIND: u8 = 64;

impl Verbs {
    /// As the authorizer reads verbs: exactly, or `*` for all.
    fn of(rule: &Rule) -> Verbs {
        Verbs(rule.verbs.iter().fold(0, |all, verb| {
            all | match verb.as_str() {
                "*" => u8::MAX,
                "create" => CREATE,
                "get" => GET,
                "list" => LIST,
                "impersonate" => IMPERSONATE,
                "update" => UPDATE,
                "patch" => PATCH,
                "bind" => BIND,
                _ => 0,
            }
        }))
    }

    /// Whether the rule holds any of `verbs`.
    fn any(self, verbs: u8) -> bool {
        self.0 & verbs != 0
    }
}

/// Collects the steps whose request Can I allows `subject`.
struct Found<'a> {
    u: &'a Universe<'a>,
    /// The part of the policy naming `subject`, which Can I is asked over.
    own: &'a Policy,
    subject: &'a Subject,
    out: Vec<(Node, Step)>,
}

impl Found<'_> {
    /// A step the granted rule allows: its rule allows the request (the authorizer's own
    /// `rule_allows`) and its binding counts where the request is made, which is what makes
    /// Can I answer Yes; the tests ask Can I of every edge.
    fn add(&mut self, to: Node, kind: StepKind, query: Query, also: Vec<Query>) {
        self.out.push((
            to,
            Step {
                kind,
                query: Some(query),
                also,
            },
        ));
    }

    /// A step Can I is asked about, for requests whose namespace the API server reads its own
    /// way (binding a ClusterRole in a namespace).
    fn add_asked(&mut self, to: Node, kind: StepKind, query: Query, also: Vec<Query>) {
        if can_i(self.own, self.subject, &query).allowed {
            self.add(to, kind, query, also);
        }
    }
}

/// The steps `rule` allows through a binding granting it in `scope` (`None`: everywhere). A
/// rule allows the same requests to every identity holding it through the same binding, so
/// they are worked out once, with `subject`, one of them.
pub(super) fn steps_of(
    u: &Universe<'_>,
    own: &Policy,
    (rule, scope): (&Rule, Option<&str>),
    subject: &Subject,
) -> Vec<(Node, Step)> {
    let mut f = Found {
        u,
        own,
        subject,
        out: Vec::new(),
    };
    // What the rule can do in a namespace is looked up once, by its verbs and resources (a
    // superset of what the authorizer's match allows, then checked exactly): a rule of `get`
    // and `list` on other resources (most of a big role) walks no namespace and no account. A
    // RoleBinding's rule reaches its own namespace only: looked up, not scanned for.
    let verbs = Verbs::of(rule);
    let can = |verb, group, resource| verbs.any(verb) && rule.has_resource(group, resource);
    let pods = WORKLOADS.iter().any(|(g, r)| can(CREATE, g, r));
    let tokens = can(CREATE, "", "serviceaccounts/token");
    let accounts_too = tokens || can(IMPERSONATE, "", "serviceaccounts");
    let reads = can(GET | LIST, "", "secrets");
    let reach: Vec<(&String, &std::collections::BTreeSet<String>)> = match scope {
        _ if !(pods || accounts_too || reads) => Vec::new(),
        Some(ns) => u.accounts.get_key_value(ns).into_iter().collect(),
        None => u.accounts.iter().collect(),
    };
    let none = std::collections::BTreeSet::new();
    for (ns, accounts) in reach {
        let accounts = if accounts_too { accounts } else { &none };
        u.walked.set(u.walked.get() + 1 + accounts.len());
        let ns_ = Some(ns.as_str());
        if let Some((group, resource)) = WORKLOADS
            .iter()
            .find(|(g, r)| pods && rule_allows(rule, "create", g, r, ""))
        {
            let q = request("create", group, resource, ns_, "");
            f.add(Node::Pods(ns.clone()), StepKind::CreatePods, q, Vec::new());
        }
        for name in accounts {
            let sa = || Node::ServiceAccount {
                namespace: ns.clone(),
                name: name.clone(),
            };
            if rule_allows(rule, "create", "", "serviceaccounts/token", name) {
                let q = request("create", "", "serviceaccounts/token", ns_, name);
                f.add(sa(), StepKind::TokenRequest, q, Vec::new());
            }
            if rule_allows(rule, "impersonate", "", "serviceaccounts", name) {
                let q = request("impersonate", "", "serviceaccounts", ns_, name);
                f.add(sa(), StepKind::Impersonates, q, Vec::new());
            }
        }
        let secrets = u.secrets.get(ns).map_or(&[][..], Vec::as_slice);
        for secret in secrets
            .iter()
            .filter(|_| reads)
            .filter_map(|&at| u.objects.token_secrets.get(at))
        {
            let q = if rule_allows(rule, "get", "", "secrets", &secret.name) {
                request("get", "", "secrets", ns_, &secret.name)
            } else if rule_allows(rule, "list", "", "secrets", "") {
                request("list", "", "secrets", ns_, "")
            } else {
                continue;
            };
            let to = Node::ServiceAccount {
                namespace: secret.namespace.clone(),
                name: secret.account.clone(),
            };
            f.add(to, StepKind::ReadsTokenSecret, q, Vec::new());
        }
    }
    cluster_steps(&mut f, (rule, verbs), scope);
    f.out
}

/// Steps only a ClusterRoleBinding's rule allows, and role binding.
fn cluster_steps(f: &mut Found<'_>, (rule, verbs): (&Rule, Verbs), scope: Option<&str>) {
    let u = f.u;
    if scope.is_none() && verbs.any(CREATE | GET | IMPERSONATE | UPDATE | PATCH) {
        // Only a rule that impersonates is asked about each user and group.
        let impersonate = verbs.any(IMPERSONATE);
        for user in u.users.iter().filter(|_| impersonate) {
            if rule_allows(rule, "impersonate", "", "users", user) {
                let q = request("impersonate", "", "users", None, user);
                f.add(
                    Node::User(user.clone()),
                    StepKind::Impersonates,
                    q,
                    Vec::new(),
                );
            }
        }
        for group in u.groups.iter().filter(|_| impersonate) {
            if rule_allows(rule, "impersonate", "", "groups", group) {
                let q = request("impersonate", "", "groups", None, group);
                f.add(
                    Node::Group(group.clone()),
                    StepKind::Impersonates,
                    q,
                    Vec::new(),
                );
            }
        }
        for verb in ["create", "get"] {
            if rule_allows(rule, verb, "", "nodes/proxy", "") {
                let q = request(verb, "", "nodes/proxy", None, "");
                f.add(Node::Kubelet, StepKind::NodeProxy, q, Vec::new());
                break;
            }
        }
        let webhooks = [
            "mutatingwebhookconfigurations",
            "validatingwebhookconfigurations",
        ];
        if let Some((verb, resource)) = webhooks
            .iter()
            .flat_map(|r| ["patch", "update"].map(|v| (v, *r)))
            .find(|(v, r)| rule_allows(rule, v, ADMISSION, r, ""))
        {
            let q = request(verb, ADMISSION, resource, None, "");
            f.add(Node::Intercept, StepKind::Webhook, q, Vec::new());
        }
        let csr = "certificatesigningrequests";
        let masters = || Node::Group(PRIVILEGED_GROUP.to_string());
        let subresources = [
            ("certificatesigningrequests/approval", "approve"),
            ("certificatesigningrequests/status", "sign"),
        ];
        for (resource, verb) in subresources {
            if rule_allows(rule, "update", CERTIFICATES, resource, "") {
                let q = request("update", CERTIFICATES, resource, None, "");
                let also = vec![
                    request(verb, CERTIFICATES, "signers", None, CLIENT_SIGNER),
                    request("create", CERTIFICATES, csr, None, ""),
                ];
                f.add(masters(), StepKind::SignsCertificate, q, also);
            }
        }
    }
    if verbs.any(BIND) {
        bind_steps(f, rule, scope);
    }
}

/// Binding a role the target wants: only roles that are the target become nodes, so the
/// graph does not grow by every role times every namespace. Only a rule that can `bind` is
/// asked, so most rules are not checked against every role.
fn bind_steps(f: &mut Found<'_>, rule: &Rule, scope: Option<&str>) {
    let u = f.u;
    if matches!(u.target, Target::Subject(_)) {
        return;
    }
    u.walked.set(u.walked.get() + u.policy.roles.len());
    for (place, role) in u.policy.roles.iter().enumerate() {
        let (resource, binding) = match (&role.namespace, scope) {
            (None, None) => ("clusterroles", "clusterrolebindings"),
            (None, Some(_)) => ("clusterroles", "rolebindings"),
            (Some(ns), Some(s)) if ns == s => ("roles", "rolebindings"),
            _ => continue,
        };
        if !rule_allows(rule, "bind", RBAC_GROUP, resource, &role.name) {
            continue;
        }
        let to = Node::Role {
            place,
            namespace: scope.map(str::to_string),
        };
        if !is_wanted(u, &to) {
            continue;
        }
        let q = request("bind", RBAC_GROUP, resource, scope, &role.name);
        let also = vec![request("create", RBAC_GROUP, binding, scope, "")];
        f.add_asked(to, StepKind::Binds, q, also);
    }
}

/// Whether a role node would be the target.
fn is_wanted(u: &Universe<'_>, node: &Node) -> bool {
    let Node::Role { place, namespace } = node else {
        return false;
    };
    let Some(role) = u.policy.roles.get(*place) else {
        return false;
    };
    let mut rules = role.effective.iter();
    match u.target {
        Target::ClusterAdmin => namespace.is_none() && super::graph::grants_admin(&role.effective),
        Target::Request(q) => {
            let name = q.name.as_deref().unwrap_or("");
            (namespace.is_none() || *namespace == q.namespace)
                && rules.any(|(r, _)| rule_allows(r, &q.verb, &q.api_group, &q.resource, name))
        }
        Target::Subject(_) => false,
    }
}

/// `escalate` on a ClusterRole bound to the subject cluster-wide, with `update` on it: the
/// subject writes any rule into it. These depend on the subject's other grants, so they are
/// worked out per subject.
pub(super) fn escalate_steps(
    u: &Universe<'_>,
    own: &Policy,
    (rule, scope): (&Rule, Option<&str>),
    bound: &[&str],
    subject: &Subject,
) -> Vec<(Node, Step)> {
    let mut f = Found {
        u,
        own,
        subject,
        out: Vec::new(),
    };
    if scope.is_some() || matches!(u.target, Target::Subject(_)) {
        return f.out;
    }
    for &name in bound {
        if rule_allows(rule, "escalate", RBAC_GROUP, "clusterroles", name) {
            let q = request("escalate", RBAC_GROUP, "clusterroles", None, name);
            let also = vec![request("update", RBAC_GROUP, "clusterroles", None, name)];
            if also.iter().all(|a| can_i(own, subject, a).allowed) {
                f.add_asked(Node::AnyRule, StepKind::Escalates, q, also);
                break;
            }
        }
    }
    f.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::verb_matches;

    /// The flags read a rule's verbs as the authorizer's match does, for every verb a step
    /// asks, whatever else the rule lists.
    #[test]
    fn verbs_agree_with_the_authorizers_match() {
        let asked = [
            (CREATE, "create"),
            (GET, "get"),
            (LIST, "list"),
            (IMPERSONATE, "impersonate"),
            (UPDATE, "update"),
            (PATCH, "patch"),
            (BIND, "bind"),
        ];
        let lists: [&[&str]; 7] = [
            &[],
            &["*"],
            &["get", "list", "watch"],
            &["Create", "GET", "*/"],
            &["create", "bind", "escalate"],
            &["impersonate", "patch", "update", "delete"],
            &["", " get", "get "],
        ];
        for verbs in lists {
            let rule = Rule {
                verbs: verbs.iter().map(|v| v.to_string()).collect(),
                ..Rule::default()
            };
            let flags = Verbs::of(&rule);
            for (flag, verb) in asked {
                assert_eq!(
                    flags.any(flag),
                    verb_matches(&rule, verb),
                    "{verbs:?} {verb}"
                );
            }
        }
    }
}
