//! The objects the evaluator reads: Roles and ClusterRoles, their bindings and subjects, label
//! selectors, the notes a paste gives, and the [`Policy`] that holds them all.
//!
//! The types mirror `rbac.authorization.k8s.io/v1` as far as the authorizer reads it; anything
//! else in a pasted object is left behind by the reader.

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use super::rules::{RuleList, Work};
use super::subject::Subject;
use crate::k8s::risk::Rule;
use crate::support::finding::{Finding, Level};

/// A Role (namespaced) or ClusterRole, with its rules after aggregation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// `None` for a ClusterRole.
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.labels`, which aggregation selectors match against.
    pub labels: BTreeMap<String, String>,
    /// `rules` as pasted, each shared with [`Role::effective`] rather than copied.
    pub rules: Vec<Rc<Rule>>,
    /// `aggregationRule.clusterRoleSelectors`, when the ClusterRole has one.
    pub aggregation: Option<Vec<LabelSelector>>,
    /// The rules the role grants: for an aggregated ClusterRole, the rules of every pasted
    /// ClusterRole its selectors pick (each with the ClusterRole that spells it out), then any
    /// pasted rule not among them; otherwise `rules`, with no origin.
    pub effective: RuleList,
}

impl Role {
    /// `ClusterRole view` or `Role dev/pod-reader`, as answers name roles.
    pub fn label(&self) -> String {
        match &self.namespace {
            None => format!("ClusterRole {}", self.name),
            Some(ns) => format!("Role {ns}/{}", self.name),
        }
    }
}

/// A `metav1.LabelSelector`: every `matchLabels` pair AND every expression must hold. An empty
/// selector matches every ClusterRole, as it does in the aggregation controller.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct LabelSelector {
    /// `matchLabels`: the label must exist with exactly this value.
    pub match_labels: BTreeMap<String, String>,
    /// `matchExpressions`.
    pub match_expressions: Vec<Requirement>,
}

/// One `matchExpressions` entry.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// How the key's value is tested.
    pub operator: Operator,
    /// The values for `In` and `NotIn`.
    pub values: Vec<String>,
}

/// A label selector operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operator {
    /// The label exists and its value is one of `values`.
    In,
    /// The label is absent, or its value is none of `values`.
    NotIn,
    /// The label exists, whatever its value.
    Exists,
    /// The label is absent.
    DoesNotExist,
}

impl LabelSelector {
    /// Whether `labels` satisfy the selector (`labels.Selector.Matches`).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let pairs = self
            .match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v));
        pairs
            && self.match_expressions.iter().all(|r| {
                let value = labels.get(&r.key);
                match r.operator {
                    Operator::In => value.is_some_and(|v| r.values.contains(v)),
                    Operator::NotIn => value.is_none_or(|v| !r.values.contains(v)),
                    Operator::Exists => value.is_some(),
                    Operator::DoesNotExist => value.is_none(),
                }
            })
    }
}

/// `roleRef.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleKind {
    /// A Role in the binding's namespace.
    Role,
    /// A ClusterRole.
    ClusterRole,
}

/// `subjects[].kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectKind {
    /// A user, matched by user name.
    User,
    /// A group, matched against the subject's groups.
    Group,
    /// A service account, matched as the user `system:serviceaccount:<namespace>:<name>`.
    ServiceAccount,
}

/// One entry of a binding's `subjects`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindingSubject {
    /// `kind`.
    pub kind: SubjectKind,
    /// `name`.
    pub name: String,
    /// `namespace`: for a ServiceAccount in a RoleBinding it defaults to the binding's own, as
    /// the authorizer does; in a ClusterRoleBinding it is required.
    pub namespace: Option<String>,
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// `None` for a ClusterRoleBinding.
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
    /// `roleRef.kind`.
    pub role_kind: RoleKind,
    /// `roleRef.name`.
    pub role_name: String,
    /// `subjects`, the entries that could be read.
    pub subjects: Vec<BindingSubject>,
}

impl Binding {
    /// `RoleBinding dev/read-pods` or `ClusterRoleBinding admins`, as answers name bindings.
    pub fn label(&self) -> String {
        match &self.namespace {
            None => format!("ClusterRoleBinding {}", self.name),
            Some(ns) => format!("RoleBinding {ns}/{}", self.name),
        }
    }

    /// The role the binding refers to, named as [`Role::label`] would name it.
    pub fn role_label(&self) -> String {
        match (self.role_kind, &self.namespace) {
            (RoleKind::ClusterRole, _) => format!("ClusterRole {}", self.role_name),
            (RoleKind::Role, Some(ns)) => format!("Role {ns}/{}", self.role_name),
            (RoleKind::Role, None) => format!("Role {}", self.role_name),
        }
    }

    /// Whether the binding names the subject (`appliesTo` in the authorizer).
    pub fn applies_to(&self, subject: &Subject) -> bool {
        self.subjects.iter().any(|s| match s.kind {
            SubjectKind::User => !s.name.is_empty() && s.name == subject.user,
            SubjectKind::Group => subject.groups.contains(&s.name),
            SubjectKind::ServiceAccount => {
                let ns = s.namespace.as_deref().or(self.namespace.as_deref());
                // The user `system:serviceaccount:<ns>:<name>`, compared without building it:
                // a cluster's dump has thousands of such subjects to check.
                match ns {
                    Some(ns) if !ns.is_empty() && !s.name.is_empty() => subject
                        .user
                        .strip_prefix("system:serviceaccount:")
                        .and_then(|rest| rest.strip_prefix(ns))
                        .and_then(|rest| rest.strip_prefix(':'))
                        .is_some_and(|name| name == s.name),
                    _ => false,
                }
            }
        })
    }
}

/// Something worth knowing about one pasted object: skipped, or partly unreadable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// Where: `item 3 (RoleBinding dev/x)`, `document 2`.
    pub at: String,
    /// What: [`Level::Info`] for skipped objects of other kinds, [`Level::Warning`] for
    /// problems; the title says what happened to the object, and `why` is empty.
    pub finding: Finding,
}

impl Note {
    /// A note of `level` at `at`.
    pub fn new(level: Level, at: String, text: String) -> Note {
        Note {
            at,
            finding: Finding {
                level,
                title: text,
                why: String::new(),
            },
        }
    }

    /// How serious: [`Level::Info`] or [`Level::Warning`].
    pub fn level(&self) -> Level {
        self.finding.level
    }

    /// What happened to the object.
    pub fn text(&self) -> &str {
        &self.finding.title
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.finding.title)
    }
}

/// Everything read from a paste. The roles, bindings and index are shared, so a copy (the
/// app's state is copied on every keystroke) copies pointers, not a cluster's RBAC.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Roles and ClusterRoles, in pasted order (a later duplicate replaces an earlier one).
    pub roles: Rc<Vec<Role>>,
    /// RoleBindings and ClusterRoleBindings, in pasted order.
    pub bindings: Rc<Vec<Binding>>,
    /// Objects skipped or partly read, in pasted order.
    pub notes: Vec<Note>,
    /// What reading and aggregating the paste cost.
    pub work: Work,
    /// The places in `roles` sorted by namespace and name, to find a binding's role by binary
    /// search rather than by scanning thousands.
    pub(super) index: Rc<Vec<u32>>,
}

/// A role's or binding's namespace and name, which make it unique.
pub(super) type Name<'a> = (Option<&'a str>, &'a str);

/// Places `0..len` sorted by `name`, ties in pasted order.
pub(super) fn sorted_by_name<'a>(
    len: usize,
    name: &dyn Fn(usize) -> Option<Name<'a>>,
) -> Vec<usize> {
    crate::support::sort::indices(len, &|a, b| name(a).cmp(&name(b)))
}

impl Policy {
    /// The part of the policy that can grant `subject` anything: the bindings that name it, in
    /// pasted order, with every role. Every answer for `subject` is the same over it, and one
    /// costs what the subject's own bindings cost rather than a scan of a cluster's bindings.
    pub fn for_subject(&self, subject: &Subject) -> Policy {
        self.with_bindings(self.bindings.iter().filter(|b| b.applies_to(subject)))
    }

    /// This policy's roles with only `bindings`.
    pub(in crate::access) fn with_bindings<'a>(
        &self,
        bindings: impl Iterator<Item = &'a Binding>,
    ) -> Policy {
        Policy {
            roles: Rc::clone(&self.roles),
            bindings: Rc::new(bindings.cloned().collect()),
            notes: Vec::new(),
            work: self.work,
            index: Rc::clone(&self.index),
        }
    }

    /// The role a binding refers to, if it was pasted. A ClusterRoleBinding cannot refer to a
    /// Role (the API server refuses it), so that finds nothing. Looked up in the index
    /// [`super::parse()`] builds, so a role added to `roles` afterwards is not found.
    pub fn role_for(&self, binding: &Binding) -> Option<&Role> {
        self.roles.get(self.role_place(binding)?)
    }

    /// Where in `roles` the role a binding refers to is.
    pub(super) fn role_place(&self, binding: &Binding) -> Option<usize> {
        let namespace = match binding.role_kind {
            RoleKind::ClusterRole => None,
            RoleKind::Role => Some(binding.namespace.as_deref()?),
        };
        let wanted: Name<'_> = (namespace, binding.role_name.as_str());
        let name = |at: u32| {
            self.roles
                .get(at as usize)
                .map(|r| (r.namespace.as_deref(), r.name.as_str()))
        };
        let found = self
            .index
            .binary_search_by(|&at| name(at).cmp(&Some(wanted)))
            .ok()?;
        let at = *self.index.get(found)? as usize;
        (name(num(at)) == Some(wanted)).then_some(at)
    }
}

/// What one role answers in one place, worked out once: `slots` maps a role's place (see
/// Can I's keys) to its index in `verdicts`, and `make` runs only the first time a slot is asked.
pub(super) fn verdict_once<'a, V>(
    slots: &mut [u32],
    verdicts: &'a mut Vec<V>,
    slot: usize,
    make: impl FnOnce() -> V,
) -> Option<&'a V> {
    let known = slots.get(slot).map_or(usize::MAX, |&s| s as usize);
    if known >= verdicts.len() {
        if let Some(s) = slots.get_mut(slot) {
            *s = num(verdicts.len());
        }
        verdicts.push(make());
    }
    verdicts.get(slots.get(slot).map_or(usize::MAX, |&s| s as usize))
}

/// `i` as a place in a table of `u32`s; tables never hold `u32::MAX` entries.
pub(super) fn num(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Who a binding names, as [`ByAccount`] sorts it: a service account by namespace and name,
/// a user or a group by name.
type Named<'a> = (u8, &'a str, &'a str);
const ACCOUNT: u8 = 0;
const USER: u8 = 1;
const GROUP: u8 = 2;

/// A policy's bindings by who they name, for the access of many accounts: each account's part
/// of the policy ([`Policy::for_subject`]) without a scan of every binding. One sorted list
/// searched by halves, rather than a map, for the size of the wasm.
pub struct ByAccount<'a> {
    policy: &'a Policy,
    /// Everyone a binding names, with the binding's place, sorted.
    named: Vec<(Named<'a>, usize)>,
}

impl<'a> ByAccount<'a> {
    /// Indexes `policy`'s bindings, once.
    pub fn new(policy: &'a Policy) -> ByAccount<'a> {
        let mut named: Vec<(Named<'a>, usize)> = Vec::new();
        for (place, binding) in policy.bindings.iter().enumerate() {
            for s in &binding.subjects {
                let key = match s.kind {
                    SubjectKind::ServiceAccount => {
                        match s.namespace.as_deref().or(binding.namespace.as_deref()) {
                            Some(ns) => (ACCOUNT, ns, s.name.as_str()),
                            None => continue,
                        }
                    }
                    SubjectKind::User => (USER, "", s.name.as_str()),
                    SubjectKind::Group => (GROUP, "", s.name.as_str()),
                };
                named.push((key, place));
            }
        }
        let order =
            crate::support::sort::indices(named.len(), &|a, b| named.get(a).cmp(&named.get(b)));
        let named = order
            .into_iter()
            .filter_map(|i| named.get(i).copied())
            .collect();
        ByAccount { policy, named }
    }

    /// Adds the places of the bindings that name `key` to `places`.
    fn add_places(&self, key: Named<'_>, places: &mut Vec<usize>) {
        let start = self.named.partition_point(|(k, _)| *k < key);
        let found = self.named.get(start..).unwrap_or_default();
        places.extend(found.iter().take_while(|(k, _)| *k == key).map(|&(_, p)| p));
    }

    /// [`Policy::for_subject`] for the service account `namespace/name` as `subject`.
    pub fn for_account(&self, subject: &Subject, namespace: &str, name: &str) -> Policy {
        let mut places = Vec::new();
        self.add_places((ACCOUNT, namespace, name), &mut places);
        self.add_places((USER, "", &subject.user), &mut places);
        for group in &subject.groups {
            self.add_places((GROUP, "", group), &mut places);
        }
        // In pasted order, each once (the shared sort keeps the wasm small).
        let order =
            crate::support::sort::indices(places.len(), &|a, b| places.get(a).cmp(&places.get(b)));
        let mut sorted: Vec<usize> = order
            .into_iter()
            .filter_map(|i| places.get(i).copied())
            .collect();
        sorted.dedup();
        let bindings = sorted
            .into_iter()
            .filter_map(|p| self.policy.bindings.get(p))
            .filter(|b| b.applies_to(subject));
        self.policy.with_bindings(bindings)
    }
}
