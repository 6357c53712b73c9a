//! The escalation graph: identities and the steps between them, each step allowed by one
//! granted rule (a binding, its role and one of the role's rules) and confirmed by Can I.
//!
//! Nodes are identities (the subject asked about, users, groups, service accounts, a node's
//! kubelet), places an identity passes through (a pod created in a namespace, an admission
//! webhook that sees every request) and what binding or rewriting a role gives. Edges out of an
//! identity are labelled with the granted rule that allows them; edges out of a place are free:
//! they are what the place already is (a pod in `dev` can run as any service account of `dev`).
//!
//! The graph is built breadth-first from the subjects asked about, once per paste, subjects and
//! target. Each identity's bindings are found through an index of the bindings' subjects (the
//! same bindings [`crate::access::effective`] walks); each granted rule's steps are worked out
//! once, since the rule grants them to every identity holding it through that binding. A step
//! is a request the rule allows by the authorizer's own match (`rule_allows`) where its binding
//! counts, which is exactly when [`crate::access::can_i`] answers Yes; requests the API server
//! places in a namespace its own way (binding a ClusterRole, `escalate`) and what a step needs
//! besides its rule are asked of Can I. Target nodes are not expanded: paths end there. Work is
//! bounded by [`MAX_NODES`], [`MAX_EDGES`] and [`MAX_EXPANDED`]; past them the graph says it is
//! partial.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::rc::Rc;

use super::objects::Objects;
use super::steps::{self, Step, StepKind};
use crate::access::{self, can_i, Policy, Query, Subject, PRIVILEGED_GROUP};
use crate::k8s::risk::Rule;

/// Most nodes in one graph.
pub const MAX_NODES: usize = 20_000;
/// Most edges in one graph.
pub const MAX_EDGES: usize = 200_000;
/// Most identities whose rules are resolved for one graph (each looks up its own bindings).
pub const MAX_EXPANDED: usize = MAX_NODES;

/// One node of the graph.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Node {
    /// One of the subjects the graph was built for, by its place in the list, when it is not a
    /// plain user, group or service account.
    Start(usize),
    /// A user, who is also in `system:authenticated`.
    User(String),
    /// A group on its own.
    Group(String),
    /// A service account, with the groups its authenticator adds.
    ServiceAccount {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// A node's kubelet credentials and every token mounted in a pod on it.
    Kubelet,
    /// A pod the subject creates in this namespace.
    Pods(String),
    /// An admission webhook the subject controls: it sees and changes every request.
    Intercept,
    /// The rights of a role the subject binds: the role's place in the policy, and the
    /// namespace of the binding (`None`: a ClusterRoleBinding).
    Role {
        /// Place in [`Policy::roles`].
        place: usize,
        /// The binding's namespace.
        namespace: Option<String>,
    },
    /// Any rule at all, written by the subject into a ClusterRole bound to it cluster-wide.
    AnyRule,
}

/// What the paths lead to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Cluster-admin-equivalent: `*` verbs on `*` resources in `*` groups cluster-wide, or
    /// membership of `system:masters`.
    ClusterAdmin,
    /// One subject's identity.
    Subject(Subject),
    /// Being allowed one request.
    Request(Query),
}

/// One edge: `from` reaches `to` through `step`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The node it leaves.
    pub from: usize,
    /// The node it reaches.
    pub to: usize,
    /// The granted rule that allows it (a place in [`Graph::grants`]); `None` for a free edge.
    pub grant: Option<usize>,
    /// What the step is, and the Can I questions `from` is allowed.
    pub step: Step,
}

/// A granted rule: one rule of a role, through one binding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantedRule {
    /// `RoleBinding dev/x`, `ClusterRoleBinding y`.
    pub binding: String,
    /// `ClusterRole edit`, `Role dev/r`.
    pub role: String,
    /// For an aggregated ClusterRole, the ClusterRole that spells the rule out (where it must be
    /// removed: the aggregation controller writes it back otherwise).
    pub origin: Option<String>,
    /// The rule, shared with the role that holds it.
    pub rule: Rc<Rule>,
    /// The namespace the binding grants in; `None` for everywhere.
    pub scope: Option<String>,
}

impl GrantedRule {
    /// Whether this is `removed`: the same binding, role and rule.
    pub fn is(&self, removed: &GrantedRule) -> bool {
        self.binding == removed.binding && self.role == removed.role && self.rule == removed.rule
    }
}

/// The graph, built from some subjects towards one target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graph {
    /// Every node, the starts first.
    pub nodes: Vec<Node>,
    /// Whether each node is the target.
    pub is_target: Vec<bool>,
    /// Every edge, in the order found.
    pub edges: Vec<Edge>,
    /// Every granted rule some edge stands on.
    pub grants: Vec<GrantedRule>,
    /// The subjects built from, in order; `starts[i]` is node `start_nodes[i]`.
    pub starts: Vec<Subject>,
    /// The node of each start.
    pub start_nodes: Vec<usize>,
    /// A bound was hit: some of the graph is missing.
    pub partial: bool,
    /// Identities whose rules were resolved.
    pub expanded: usize,
}

/// Cluster facts the steps need: namespaces, their service accounts, token Secrets, known users
/// and groups, and where pods reach their node.
pub(super) struct Universe<'a> {
    pub(super) policy: &'a Policy,
    pub(super) objects: &'a Objects,
    /// Every namespace named anywhere, with its service accounts.
    pub(super) accounts: BTreeMap<String, BTreeSet<String>>,
    /// Users named by bindings.
    pub(super) users: BTreeSet<String>,
    /// Groups named by bindings, and `system:masters`.
    pub(super) groups: BTreeSet<String>,
    /// Namespaces where a pasted workload runs privileged, with the host's PID or a host path:
    /// admission lets such pods in there.
    pub(super) node_reaching: BTreeSet<String>,
    /// Service accounts whose token is mounted in some pasted workload.
    pub(super) mounted: BTreeSet<(String, String)>,
    pub(super) target: &'a Target,
    /// The bindings naming each user (service accounts as their user name), and each group,
    /// by place in [`Policy::bindings`]: an identity's bindings are found without walking
    /// them all.
    by_user: BTreeMap<String, Vec<usize>>,
    by_group: BTreeMap<String, Vec<usize>>,
    /// The token Secrets of each namespace, by place in [`Objects::token_secrets`].
    pub(super) secrets: BTreeMap<String, Vec<usize>>,
    /// Roles and accounts the steps of granted rules were checked against, for the counted-work
    /// tests ([`build_counted`]).
    pub(super) walked: std::cell::Cell<usize>,
}

/// One rule an identity holds: the binding (its place), the role, and the rule with the
/// ClusterRole that spells it out.
pub(super) struct Held<'p> {
    pub(super) binding: usize,
    /// The rule's place among its role's rules.
    pub(super) at: usize,
    pub(super) role: &'p access::Role,
    pub(super) rule: &'p Rc<Rule>,
    pub(super) origin: Option<&'p str>,
}

impl<'a> Universe<'a> {
    pub(super) fn new(
        policy: &'a Policy,
        objects: &'a Objects,
        target: &'a Target,
    ) -> Universe<'a> {
        let mut u = Universe {
            policy,
            objects,
            accounts: BTreeMap::new(),
            users: BTreeSet::new(),
            groups: BTreeSet::new(),
            node_reaching: BTreeSet::new(),
            mounted: BTreeSet::new(),
            target,
            by_user: BTreeMap::new(),
            by_group: BTreeMap::new(),
            secrets: BTreeMap::new(),
            walked: std::cell::Cell::new(0),
        };
        // Inserted, not collected: collecting into a set instantiates a sort for its type.
        u.groups.insert(PRIVILEGED_GROUP.to_string());
        let mut add = |ns: &str, name: Option<&str>| {
            let set = u.accounts.entry(ns.to_string()).or_default();
            if let Some(name) = name {
                set.insert(name.to_string());
            }
        };
        for a in &objects.accounts {
            add(&a.namespace, Some(&a.name));
        }
        for s in &objects.token_secrets {
            add(&s.namespace, Some(&s.account));
        }
        for w in &objects.workloads {
            add(&w.namespace, Some(&w.spec.account));
        }
        for r in policy.roles.iter() {
            if let Some(ns) = &r.namespace {
                add(ns, None);
            }
        }
        for (at, b) in policy.bindings.iter().enumerate() {
            if let Some(ns) = &b.namespace {
                add(ns, None);
            }
            for s in &b.subjects {
                match s.kind {
                    access::SubjectKind::ServiceAccount => {
                        if let Some(ns) = s.namespace.as_deref().or(b.namespace.as_deref()) {
                            add(ns, Some(&s.name));
                            let user = format!("system:serviceaccount:{ns}:{}", s.name);
                            u.by_user.entry(user).or_default().push(at);
                        }
                    }
                    access::SubjectKind::User => {
                        u.users.insert(s.name.clone());
                        u.by_user.entry(s.name.clone()).or_default().push(at);
                    }
                    access::SubjectKind::Group => {
                        u.groups.insert(s.name.clone());
                        u.by_group.entry(s.name.clone()).or_default().push(at);
                    }
                }
            }
        }
        let automount = super::workloads::automount_of(objects);
        for (at, s) in objects.token_secrets.iter().enumerate() {
            u.secrets.entry(s.namespace.clone()).or_default().push(at);
        }
        for w in &objects.workloads {
            if w.spec.reaches_node() {
                u.node_reaching.insert(w.namespace.clone());
            }
            if super::workloads::mounted_with(w, &automount).mounted {
                u.mounted
                    .insert((w.namespace.clone(), w.spec.account.clone()));
            }
        }
        u
    }

    /// Where in the policy the bindings naming `subject` are, in pasted order, found through
    /// the index rather than a scan of every binding.
    fn places(&self, subject: &Subject) -> Vec<usize> {
        let none = Vec::new();
        let mut places: Vec<usize> = self.by_user.get(&subject.user).unwrap_or(&none).clone();
        for g in &subject.groups {
            places.extend(self.by_group.get(g).unwrap_or(&none));
        }
        // Through the crate's one copy of the sort, not a quicksort of its own.
        crate::support::sort::stable_by(&mut places, |a, b| a.cmp(b));
        places.dedup();
        places.retain(|&at| {
            self.policy
                .bindings
                .get(at)
                .is_some_and(|b| b.applies_to(subject))
        });
        places
    }

    /// The part of the policy that can grant `subject` anything ([`Policy::for_subject`]),
    /// through the index: what Can I is asked over for each identity of the graph, so a
    /// thousand identities do not each scan a cluster's bindings per question.
    pub(super) fn own(&self, subject: &Subject) -> Policy {
        self.own_at(&self.places(subject))
    }

    /// [`Universe::own`] from the bindings' places, found once for both it and
    /// [`Universe::held_at`].
    fn own_at(&self, places: &[usize]) -> Policy {
        self.policy
            .with_bindings(places.iter().filter_map(|&at| self.policy.bindings.get(at)))
    }

    /// Every rule `subject` holds, ClusterRoleBindings first, each in pasted order, as the
    /// authorizer walks them ([`crate::access::effective`] gives the same grants).
    pub(super) fn held(&self, subject: &Subject) -> Vec<Held<'a>> {
        self.held_at(&self.places(subject))
    }

    /// [`Universe::held`] from the bindings' places.
    fn held_at(&self, places: &[usize]) -> Vec<Held<'a>> {
        let policy = self.policy;
        let bindings = places
            .iter()
            .filter_map(|&at| Some((at, policy.bindings.get(at)?)));
        let (cluster, namespaced): (Vec<_>, Vec<_>) =
            bindings.partition(|(_, b)| b.namespace.is_none());
        let mut out = Vec::new();
        for (at, b) in cluster.into_iter().chain(namespaced) {
            let Some(role) = policy.role_for(b) else {
                continue;
            };
            for (place, (_, rule, origin)) in role.effective.numbered().enumerate() {
                out.push(Held {
                    binding: at,
                    at: place,
                    role,
                    rule,
                    origin,
                });
            }
        }
        out
    }
}

/// The node standing for `subject`: its service account, user or group when it is just that.
pub fn node_of(subject: &Subject, place: usize) -> Node {
    if let Some((ns, name)) = subject
        .user
        .strip_prefix("system:serviceaccount:")
        .and_then(|rest| rest.split_once(':'))
    {
        if Subject::from_service_account(ns, name) == *subject {
            return Node::ServiceAccount {
                namespace: ns.to_string(),
                name: name.to_string(),
            };
        }
    }
    match (subject.user.as_str(), subject.groups.as_slice()) {
        ("", [group]) => Node::Group(group.clone()),
        (user, [g]) if !user.is_empty() && g == "system:authenticated" => {
            Node::User(user.to_string())
        }
        _ => Node::Start(place),
    }
}

/// The subject a node asks Can I as; `None` for places, which ask nothing.
pub fn subject_of(node: &Node, starts: &[Subject]) -> Option<Subject> {
    match node {
        Node::Start(i) => starts.get(*i).cloned(),
        Node::User(user) => Some(Subject {
            user: user.clone(),
            groups: vec!["system:authenticated".to_string()],
        }),
        Node::Group(group) => Some(Subject {
            user: String::new(),
            groups: vec![group.clone()],
        }),
        Node::ServiceAccount { namespace, name } => {
            Some(Subject::from_service_account(namespace, name))
        }
        Node::Kubelet => Some(Subject {
            user: "system:node:NODE".to_string(),
            groups: vec![
                "system:nodes".to_string(),
                "system:authenticated".to_string(),
            ],
        }),
        Node::Pods(_) | Node::Intercept | Node::Role { .. } | Node::AnyRule => None,
    }
}

/// The request that means cluster-admin: every verb on every resource of every group,
/// cluster-wide. Can I reads a `*` in a request literally, so only a rule of `*`s allows it.
pub fn admin_request() -> Query {
    Query {
        verb: "*".to_string(),
        resource: "*".to_string(),
        api_group: "*".to_string(),
        namespace: None,
        name: None,
    }
}

/// Whether a rule is `*` verbs on `*` resources in `*` groups.
fn is_admin_rule(rule: &Rule) -> bool {
    crate::access::rule_allows(rule, "*", "*", "*", "")
}

/// Whether a role grants a rule of `*`s: only its rules naming `*` resources are looked at,
/// through the role's index, so a role of tens of thousands of rules is not walked for each
/// subject that holds it.
pub(super) fn grants_admin(rules: &access::RuleList) -> bool {
    rules.matching(Some("*")).any(|r| is_admin_rule(r))
}

/// What is known of one granted rule.
#[derive(Clone, Default)]
enum Seen {
    /// Not met yet.
    #[default]
    New,
    /// Left out: it makes no step.
    Removed,
    /// Its steps, and its place in [`Graph::grants`] once written out.
    Steps(Vec<(Node, Step)>, Option<usize>),
}

struct Builder<'u, 'a> {
    u: &'u Universe<'a>,
    removed: &'u [GrantedRule],
    graph: Graph,
    ids: BTreeMap<Node, usize>,
    queue: VecDeque<usize>,
    /// Each granted rule met, by its binding's place and then its place in the role: its
    /// steps, worked out once, and its place in [`Graph::grants`] once an edge stands on it.
    /// A rule that allows no step is never written out.
    seen: BTreeMap<usize, Vec<Seen>>,
    edge_set: BTreeSet<(usize, usize, Option<usize>)>,
}

impl Builder<'_, '_> {
    fn node(&mut self, node: Node) -> Option<usize> {
        if let Some(&id) = self.ids.get(&node) {
            return Some(id);
        }
        if self.graph.nodes.len() >= MAX_NODES {
            self.graph.partial = true;
            return None;
        }
        let id = self.graph.nodes.len();
        let target = self.is_target(&node);
        self.ids.insert(node.clone(), id);
        self.graph.nodes.push(node);
        self.graph.is_target.push(target);
        self.queue.push_back(id);
        Some(id)
    }

    fn is_target(&self, node: &Node) -> bool {
        let policy = self.u.policy;
        match (node, self.u.target) {
            (Node::AnyRule, Target::Subject(_)) => false,
            (Node::AnyRule, _) => true,
            (Node::Role { place, namespace }, target) => {
                let Some(role) = policy.roles.get(*place) else {
                    return false;
                };
                let mut rules = role.effective.iter();
                match target {
                    Target::ClusterAdmin => namespace.is_none() && grants_admin(&role.effective),
                    Target::Request(q) => {
                        let here = namespace.is_none() || *namespace == q.namespace;
                        let name = q.name.as_deref().unwrap_or("");
                        here && rules.any(|(r, _)| {
                            access::rule_allows(r, &q.verb, &q.api_group, &q.resource, name)
                        })
                    }
                    Target::Subject(_) => false,
                }
            }
            (node, target) => {
                let Some(subject) = subject_of(node, &self.graph.starts) else {
                    return false;
                };
                match target {
                    // What can_i answers for `*` on `*` cluster-wide, from the rules held:
                    // system:masters, or a ClusterRoleBinding's rule of `*`s.
                    Target::ClusterAdmin => {
                        subject.groups.iter().any(|g| g == PRIVILEGED_GROUP)
                            || self.u.places(&subject).iter().any(|&at| {
                                let cluster =
                                    policy.bindings.get(at).filter(|b| b.namespace.is_none());
                                cluster
                                    .and_then(|b| policy.role_for(b))
                                    .is_some_and(|r| grants_admin(&r.effective))
                            })
                    }
                    Target::Request(q) => can_i(&self.u.own(&subject), &subject, q).allowed,
                    Target::Subject(t) => node_of(t, usize::MAX) == *node || *t == subject,
                }
            }
        }
    }

    fn edge(&mut self, from: usize, to: Node, grant: Option<usize>, step: Step) {
        if self.graph.edges.len() >= MAX_EDGES {
            self.graph.partial = true;
            return;
        }
        let Some(to) = self.node(to) else { return };
        if to == from || !self.edge_set.insert((from, to, grant)) {
            return;
        }
        self.graph.edges.push(Edge {
            from,
            to,
            grant,
            step,
        });
    }

    /// The edges out of one node.
    fn expand(&mut self, id: usize) {
        let Some(node) = self.graph.nodes.get(id).cloned() else {
            return;
        };
        // Paths end at the target, and the cut never needs what lies beyond it: a
        // cluster-admin's thousands of steps are not built.
        if self.graph.is_target.get(id) == Some(&true) {
            return;
        }
        match &node {
            Node::Pods(ns) => {
                let accounts: Vec<String> = self
                    .u
                    .accounts
                    .get(ns)
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default();
                for name in accounts {
                    let to = Node::ServiceAccount {
                        namespace: ns.clone(),
                        name,
                    };
                    self.edge(id, to, None, Step::free(StepKind::RunsAs));
                }
                if self.u.node_reaching.contains(ns) {
                    self.edge(id, Node::Kubelet, None, Step::free(StepKind::OnNode));
                }
            }
            Node::Intercept => {
                let all: Vec<(String, String)> = self.all_accounts();
                for (namespace, name) in all {
                    let to = Node::ServiceAccount { namespace, name };
                    self.edge(id, to, None, Step::free(StepKind::Intercepts));
                }
            }
            Node::Role { .. } | Node::AnyRule => {}
            _ => {
                if matches!(node, Node::Kubelet) {
                    let mounted: Vec<(String, String)> = self.u.mounted.iter().cloned().collect();
                    for (namespace, name) in mounted {
                        let to = Node::ServiceAccount { namespace, name };
                        self.edge(id, to, None, Step::free(StepKind::MountedOnNode));
                    }
                }
                self.expand_identity(id, &node);
            }
        }
    }

    fn all_accounts(&self) -> Vec<(String, String)> {
        self.u
            .accounts
            .iter()
            .flat_map(|(ns, names)| names.iter().map(move |n| (ns.clone(), n.clone())))
            .collect()
    }

    /// The edges out of an identity: the steps of each rule it holds.
    fn expand_identity(&mut self, id: usize, node: &Node) {
        let Some(subject) = subject_of(node, &self.graph.starts) else {
            return;
        };
        if self.graph.expanded >= MAX_EXPANDED {
            self.graph.partial = true;
            return;
        }
        self.graph.expanded += 1;
        let places = self.u.places(&subject);
        let held = self.u.held_at(&places);
        let own = self.u.own_at(&places);
        let policy = self.u.policy;
        // ClusterRoles bound to the subject cluster-wide, which `escalate` lets it rewrite.
        let mut bound: Vec<&str> = held
            .iter()
            .filter(|h| {
                let b = policy.bindings.get(h.binding);
                b.is_some_and(|b| b.namespace.is_none()) && h.role.namespace.is_none()
            })
            .map(|h| h.role.name.as_str())
            .collect();
        bound.sort_unstable();
        bound.dedup();
        for h in &held {
            let Some(b) = policy.bindings.get(h.binding) else {
                continue;
            };
            let (rule, scope) = (&**h.rule, b.namespace.as_deref());
            let rules = h.role.effective.len();
            let seen = self
                .seen
                .entry(h.binding)
                .or_insert_with(|| vec![Seen::New; rules]);
            let Some(seen) = seen.get_mut(h.at) else {
                continue;
            };
            if let Seen::New = seen {
                // The rule is compared first, so a removed rule's labels are written out for
                // the few held rules equal to it, not for each of a big role's.
                let removed = |r: &GrantedRule| r.rule == *h.rule && granted(h, b).is(r);
                *seen = if self.removed.iter().any(removed) {
                    Seen::Removed
                } else {
                    Seen::Steps(steps::steps_of(self.u, &own, (rule, scope), &subject), None)
                };
            }
            // A removed rule makes no step.
            let Seen::Steps(found, gid) = seen else {
                continue;
            };
            // What else a step needs is the subject's own, so it is asked per subject.
            let mut out: Vec<(Node, Step)> = found
                .iter()
                .filter(|(_, step)| step.also.iter().all(|q| can_i(&own, &subject, q).allowed))
                .cloned()
                .collect();
            out.extend(steps::escalate_steps(
                self.u,
                &own,
                (rule, scope),
                &bound,
                &subject,
            ));
            if out.is_empty() {
                continue;
            }
            let gid = *gid.get_or_insert(self.graph.grants.len());
            if gid == self.graph.grants.len() {
                self.graph.grants.push(granted(h, b));
            }
            for (to, step) in out {
                self.edge(id, to, Some(gid), step);
            }
        }
    }
}

/// The granted rule `h`, held through binding `b`, written out.
fn granted(h: &Held<'_>, b: &access::Binding) -> GrantedRule {
    GrantedRule {
        binding: b.label(),
        role: h.role.label(),
        origin: h.origin.map(str::to_string),
        rule: h.rule.clone(),
        scope: b.namespace.clone(),
    }
}

/// Builds the graph from `starts` towards `target`, leaving out the granted rules in `removed`
/// (to see what removing them changes).
pub fn build(
    policy: &Policy,
    objects: &Objects,
    starts: &[Subject],
    target: &Target,
    removed: &[GrantedRule],
) -> Graph {
    build_counted(policy, objects, starts, target, removed).0
}

/// [`build`], and how many roles and accounts the granted rules' steps were checked against:
/// the work a cluster's size multiplies, which the bounds tests hold near-linear.
pub fn build_counted(
    policy: &Policy,
    objects: &Objects,
    starts: &[Subject],
    target: &Target,
    removed: &[GrantedRule],
) -> (Graph, usize) {
    let u = Universe::new(policy, objects, target);
    let graph = build_in(&u, starts, removed);
    (graph, u.walked.get())
}

/// [`build`] over an index already made: the workloads table builds one graph per batch of
/// accounts, each a task of the page's, over one index of the cluster.
pub(super) fn build_in(u: &Universe<'_>, starts: &[Subject], removed: &[GrantedRule]) -> Graph {
    let mut b = Builder {
        u,
        removed,
        graph: Graph {
            starts: starts.to_vec(),
            ..Graph::default()
        },
        ids: BTreeMap::new(),
        queue: VecDeque::new(),
        seen: BTreeMap::new(),
        edge_set: BTreeSet::new(),
    };
    for (i, s) in starts.iter().enumerate() {
        let id = b.node(node_of(s, i)).unwrap_or(usize::MAX);
        b.graph.start_nodes.push(id);
    }
    while let Some(id) = b.queue.pop_front() {
        b.expand(id);
    }
    b.graph
}
