//! Can I: whether a subject may make one request, as the RBAC authorizer decides, and why.
//!
//! Three steps: resolve (the namespace the API server would see, and the bindings that name the
//! subject), classify each rule of each bound role against the request (a [`Match`]), and
//! compose the answer from the [`Source`]s that grant it and the near misses.

use std::collections::BTreeSet;

use super::evaluate::{resolve, some_of, Resolved, Source, NAMED};
use super::model::{verdict_once, Binding, Policy};
use super::query::Query;
use super::subject::{Subject, PRIVILEGED_GROUP};
use crate::k8s::kube;
use crate::k8s::risk::Rule;

/// The answer to one query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Whether the authorizer would allow it.
    pub allowed: bool,
    /// One sentence starting with `Yes` or `No`, naming the binding and role that allow it, or
    /// saying that none does.
    pub text: String,
    /// Every `binding → role` that allows it, the first being the one named in `text`.
    pub via: Vec<String>,
    /// What else is worth knowing: near misses (`resourceNames`, other namespaces), bindings to
    /// missing roles, how the request was read.
    pub hints: Vec<String>,
}

/// `RuleAllows` for a resource request.
pub(crate) fn rule_allows(
    rule: &Rule,
    verb: &str,
    group: &str,
    resource: &str,
    name: &str,
) -> bool {
    verb_matches(rule, verb)
        && rule.api_groups.iter().any(|g| g == "*" || g == group)
        && resource_matches(rule, resource)
        && name_matches(rule, name)
}

pub(crate) fn verb_matches(rule: &Rule, verb: &str) -> bool {
    rule.verbs.iter().any(|v| v == "*" || v == verb)
}

/// The authorizer's `ResourceMatches`: `*`, exact, or `*/sub` for a subresource. Unlike
/// [`crate::k8s::risk::resource_matches`] this does not read `pods/*` as every subresource of pods:
/// the authorizer does not, so such a rule grants only a subresource literally named `*`.
fn resource_matches(rule: &Rule, resource: &str) -> bool {
    let sub = resource.split_once('/').map(|(_, s)| s);
    rule.resources.iter().any(|r| {
        r == "*"
            || r == resource
            || sub.is_some_and(|s| r.strip_prefix("*/").is_some_and(|rs| rs == s))
    })
}

fn name_matches(rule: &Rule, name: &str) -> bool {
    rule.resource_names.is_empty() || rule.resource_names.iter().any(|n| n == name)
}

/// `NonResourceURLMatches`: `*`, exact, or a prefix ending in `*`.
pub(crate) fn url_matches(rule: &Rule, path: &str) -> bool {
    rule.non_resource_urls.iter().any(|u| {
        u == "*"
            || u == path
            || u.strip_suffix('*')
                .is_some_and(|prefix| path.starts_with(prefix.trim_end_matches('*')))
    })
}

/// What one rule says about the request, through one binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Match {
    /// It allows the request.
    Grants,
    /// It would allow the request for one of its `resourceNames`, but not for the name asked
    /// about (or for a request naming nothing).
    OtherNames,
    /// It lists the non-resource URL, but a RoleBinding grants it, and RoleBindings never count
    /// for URLs.
    UrlInRoleBinding,
    /// It allows the request in the binding's namespace, which is not the one asked about.
    OtherNamespace,
    /// It has nothing to do with the request.
    Misses,
}

/// Where a binding grants, relative to the request.
#[derive(Clone, Copy, Debug)]
pub(super) struct Place {
    /// The binding counts for the request's namespace: a ClusterRoleBinding, or a RoleBinding
    /// of that very namespace.
    pub(super) here: bool,
    /// The binding is a RoleBinding.
    pub(super) namespaced: bool,
}

impl Place {
    /// Where `binding` grants, for a request in `namespace`.
    pub(super) fn of(binding: &Binding, namespace: Option<&str>) -> Place {
        Place {
            here: match (&binding.namespace, namespace) {
                (None, _) => true,
                (Some(b), Some(n)) => b == n,
                (Some(_), None) => false,
            },
            namespaced: binding.namespace.is_some(),
        }
    }
}

/// One rule against the request, as the authorizer's `RuleAllows` and the near misses worth
/// pointing out.
pub(super) fn classify(rule: &Rule, query: &Query, name: &str, place: Place) -> Match {
    if query.is_non_resource() {
        // Non-resource requests have no namespace: only ClusterRoleBindings count.
        let lists = verb_matches(rule, &query.verb) && url_matches(rule, &query.resource);
        return match (lists, place.namespaced) {
            (false, _) => Match::Misses,
            (true, false) => Match::Grants,
            (true, true) => Match::UrlInRoleBinding,
        };
    }
    let allows =
        |name: &str| rule_allows(rule, &query.verb, &query.api_group, &query.resource, name);
    if allows(name) {
        return if place.here {
            Match::Grants
        } else {
            Match::OtherNamespace
        };
    }
    // Whether a rule allows the request for some name is asked with its first name: the
    // other checks do not depend on the name.
    let first = rule.resource_names.first().map(String::as_str);
    match first {
        Some(first) if place.here && allows(first) => Match::OtherNames,
        _ => Match::Misses,
    }
}

/// What one role's rules say about a request through bindings of one [`Place`].
#[derive(Default)]
struct Verdict<'a> {
    /// A rule allows it.
    allows: bool,
    /// Rules that would allow it for other resource names.
    near: Vec<&'a Rule>,
    /// A rule lists the non-resource URL, which a RoleBinding cannot grant.
    url_in_role: bool,
    /// A rule allows it in the binding's namespace, which is not the one asked about.
    elsewhere: bool,
}

impl<'a> Verdict<'a> {
    fn add(&mut self, rule: &'a Rule, found: Match) {
        match found {
            Match::Grants => self.allows = true,
            Match::OtherNames => self.near.push(rule),
            Match::UrlInRoleBinding => self.url_in_role = true,
            Match::OtherNamespace => self.elsewhere = true,
            Match::Misses => {}
        }
    }
}

/// What the bindings that name the subject say about the request, gathered for the answer.
#[derive(Default)]
struct Found<'a> {
    /// Some binding names the subject.
    any: bool,
    /// Every binding and role that allows it, in the authorizer's order.
    grants: Vec<Source<'a>>,
    /// Bindings that name the subject but refer to missing roles.
    missing: Vec<&'a Binding>,
    /// The first [`NAMED`] rules that allow it only for other resource names, with their source.
    near: Vec<(Source<'a>, &'a Rule)>,
    /// How many more such rules there are.
    near_more: usize,
    /// `ns (through binding → role)` for each namespace where it is allowed instead.
    elsewhere: BTreeSet<String>,
    /// A RoleBinding's role lists the URL: worth saying why it does not count.
    url_in_role_binding: bool,
}

/// The namespace the API server would see for the request: none for non-resource URLs and
/// cluster-scoped resources; for a named namespace, the namespace itself (the request info
/// does that for `/api/v1/namespaces/NAME`). Each change from what was typed adds a hint.
pub(super) fn request_namespace(query: &Query, hints: &mut Vec<String>) -> Option<String> {
    if query.is_non_resource() {
        return None;
    }
    let base = query.resource.split('/').next().unwrap_or("");
    if query.api_group.is_empty() && base == "namespaces" && query.name.is_some() {
        if query.namespace != query.name {
            hints.push(format!(
                "A request for namespace {} is made in that namespace, so its RoleBindings count.",
                query.name.as_deref().unwrap_or("")
            ));
        }
        return query.name.clone();
    }
    if kube::is_cluster_scoped(&query.api_group, base) && query.namespace.is_some() {
        if binds_in_namespace(query) {
            // `BindingAuthorized` (pkg/registry/rbac/escalation_check.go) asks `bind` on
            // `clusterroles/NAME` with `Namespace: bindingNamespace`, called by the RoleBinding
            // storage (pkg/registry/rbac/rolebinding/policybased/storage.go) with the
            // RoleBinding's own namespace: RoleBindings of that namespace count.
            hints.push(format!(
                "bind on a ClusterRole is checked in the namespace of the RoleBinding being created, so RoleBindings in {} count; without a namespace it is the check for a ClusterRoleBinding.",
                query.namespace.as_deref().unwrap_or("")
            ));
            return query.namespace.clone();
        }
        if query.verb == "escalate" && query.api_group == kube::RBAC_GROUP && base == "clusterroles"
        {
            // `RoleEscalationAuthorized` asks `escalate` with the namespace of the request that
            // writes the role, and a ClusterRole is written without one.
            hints.push(
                "escalate on a ClusterRole is checked when the ClusterRole itself is written, a request without a namespace, so only ClusterRoleBindings count."
                    .to_string(),
            );
            return None;
        }
        hints.push(format!(
            "{} are cluster-scoped: the request has no namespace, so only ClusterRoleBindings count.",
            query.resource_label()
        ));
        return None;
    }
    query.namespace.clone()
}

/// `bind` on ClusterRoles: the one check on a cluster-scoped resource the API server makes with
/// a namespace, that of the RoleBinding which refers to the ClusterRole.
fn binds_in_namespace(query: &Query) -> bool {
    query.verb == "bind" && query.api_group == kube::RBAC_GROUP && query.resource == "clusterroles"
}

/// Classifies the rules of every role bound to the subject against the request. What a role's
/// rules say is worked out once per role and [`Place`], however many bindings grant the role:
/// a group can be bound thousands of times to one role.
///
/// `slots` is [`Asker`]'s table, all `u32::MAX`, and left so; `checked` counts the rules
/// classified.
fn gather<'a>(
    policy: &'a Policy,
    subject: &'a Subject,
    query: &Query,
    namespace: Option<&str>,
    (slots, checked): (&mut [u32], &mut usize),
) -> Found<'a> {
    let name = query.name.as_deref().unwrap_or("");
    let mut found = Found::default();
    let mut verdicts: Vec<Verdict> = Vec::new();
    let mut touched = Vec::new();
    for resolved in resolve(policy, subject) {
        found.any = true;
        let (role_place, source) = match resolved {
            Resolved::Found { place, source } => (place, source),
            Resolved::Missing(binding) => {
                found.missing.push(binding);
                continue;
            }
        };
        let binding = source.binding;
        let place = Place::of(binding, namespace);
        let slot = role_place * 4 + usize::from(place.here) * 2 + usize::from(place.namespaced);
        let verdict = verdict_once(slots, &mut verdicts, slot, || {
            touched.push(slot);
            let mut verdict = Verdict::default();
            // Only the rules that can match the resource: every other one misses it.
            let resource = (!query.is_non_resource()).then_some(query.resource.as_str());
            for rule in source.role.effective.matching(resource) {
                *checked += 1;
                verdict.add(rule, classify(rule, query, name, place));
            }
            verdict
        });
        let Some(verdict) = verdict else {
            continue;
        };
        if verdict.allows {
            found.grants.push(source);
        }
        for &rule in &verdict.near {
            if found.near.len() >= NAMED {
                found.near_more += 1;
            } else {
                found.near.push((source, rule));
            }
        }
        found.url_in_role_binding |= verdict.url_in_role;
        if verdict.elsewhere {
            if let Some(ns) = &binding.namespace {
                found
                    .elsewhere
                    .insert(format!("{ns} (through {})", source.label()));
            }
        }
    }
    for slot in touched {
        if let Some(s) = slots.get_mut(slot) {
            *s = u32::MAX;
        }
    }
    found
}

/// Whether `subject` may make the request `query`, as the RBAC authorizer decides, and why.
/// Members of `system:masters` are allowed everything before RBAC is asked, as in
/// kube-apiserver.
pub fn can_i(policy: &Policy, subject: &Subject, query: &Query) -> Answer {
    Asker::new(policy, subject).answer(query)
}

/// Asks many requests of one subject under one policy. Each request keys the verdict of every
/// role it reaches in a table as long as the policy's roles (by place in `roles`, then here or
/// not, then namespaced or not): made once here rather than once per request, so a grid of
/// 1,600 requests over a cluster of 16,000 roles does not fill 1,600 tables of 64,000 entries.
pub struct Asker<'a> {
    policy: &'a Policy,
    subject: &'a Subject,
    slots: Vec<u32>,
    /// Rules classified against the requests asked so far: what the counted-work tests bound.
    pub checked: usize,
}

impl<'a> Asker<'a> {
    /// Ready to ask of `subject` under `policy`.
    pub fn new(policy: &'a Policy, subject: &'a Subject) -> Self {
        Asker {
            policy,
            subject,
            slots: vec![u32::MAX; policy.roles.len().saturating_mul(4)],
            checked: 0,
        }
    }

    /// Whether the request is allowed: [`can_i`]'s `allowed`, without the words.
    pub fn allows(&mut self, query: &Query) -> bool {
        self.privileged() || {
            let namespace = request_namespace(query, &mut Vec::new());
            let found = gather(
                self.policy,
                self.subject,
                query,
                namespace.as_deref(),
                (&mut self.slots, &mut self.checked),
            );
            !found.grants.is_empty()
        }
    }

    fn privileged(&self) -> bool {
        self.subject.groups.iter().any(|g| g == PRIVILEGED_GROUP)
    }

    /// [`can_i`]'s answer.
    pub fn answer(&mut self, query: &Query) -> Answer {
        let (policy, subject) = (self.policy, self.subject);
        if self.privileged() {
            return Answer {
            allowed: true,
            text: format!(
                "Yes: {} is in {PRIVILEGED_GROUP}, which the API server allows everything before RBAC is consulted ({}).",
                subject.describe(),
                describe_request(query, query.namespace.as_deref())
            ),
            via: vec![PRIVILEGED_GROUP.to_string()],
            hints: Vec::new(),
        };
        }
        let mut hints = Vec::new();
        let namespace = request_namespace(query, &mut hints);
        let found = gather(
            policy,
            subject,
            query,
            namespace.as_deref(),
            (&mut self.slots, &mut self.checked),
        );
        compose(
            subject,
            query,
            &describe_request(query, namespace.as_deref()),
            found,
            hints,
        )
    }
}

/// The answer from what [`gather`] found: yes through the first source that grants, or no with
/// every near miss worth knowing. `what` is the request in words.
fn compose(
    subject: &Subject,
    query: &Query,
    what: &str,
    found: Found<'_>,
    mut hints: Vec<String>,
) -> Answer {
    for binding in found.missing.iter().take(NAMED) {
        hints.push(format!(
            "{} names the subject but refers to missing {}, so it grants nothing.",
            binding.label(),
            binding.role_label()
        ));
    }
    if found.missing.len() > NAMED {
        hints.push(format!(
            "{} more bindings name the subject but refer to missing roles.",
            found.missing.len() - NAMED
        ));
    }
    let mut via = Vec::with_capacity(found.grants.len());
    for source in &found.grants {
        via.push(source.label());
    }
    if let Some(first) = found.grants.first() {
        let more = match via.len() {
            1 => String::new(),
            2 => " (and 1 other binding)".to_string(),
            n => format!(" (and {} other bindings)", n - 1),
        };
        return Answer {
            allowed: true,
            text: format!(
                "Yes: {} grants {}, which allows {what}{more}.",
                first.binding.label(),
                first.role.label()
            ),
            via,
            hints,
        };
    }
    if !found.any {
        let groups = if subject.groups.is_empty() || subject.user.is_empty() {
            String::new()
        } else {
            format!(" or its groups ({})", subject.groups.join(", "))
        };
        hints.push(format!(
            "No pasted binding names {}{groups}.",
            subject.describe()
        ));
    }
    let unnamed = query.name.as_deref().unwrap_or("").is_empty();
    for (source, rule) in &found.near {
        hints.push(format!(
            "{} allows {} {} only for resourceNames [{}]{}.",
            source.label(),
            query.verb,
            query.resource_label(),
            rule.resource_names.join(", "),
            if unnamed {
                ", so only requests naming one of them"
            } else {
                ""
            }
        ));
    }
    if found.near_more > 0 {
        hints.push(format!(
            "{} more rules allow it only for other resourceNames.",
            found.near_more
        ));
    }
    if !found.elsewhere.is_empty() {
        let elsewhere: Vec<String> = found.elsewhere.into_iter().collect();
        hints.push(format!(
            "Allowed in namespace {} instead.",
            some_of(&elsewhere, ", ")
        ));
    }
    if found.url_in_role_binding {
        hints.push(
            "Non-resource URLs are only granted by ClusterRoleBindings; RoleBindings never count for them."
                .to_string(),
        );
    }
    Answer {
        allowed: false,
        text: format!("No: no binding grants {} {what}.", subject.describe()),
        via,
        hints,
    }
}

/// `get pods/log "web" in namespace dev`, `get /healthz`: the request in words.
pub(super) fn describe_request(query: &Query, namespace: Option<&str>) -> String {
    if query.is_non_resource() {
        return format!("{} {}", query.verb, query.resource);
    }
    let mut out = format!("{} {}", query.verb, query.resource_label());
    if let Some(name) = &query.name {
        out.push_str(&format!(" {name:?}"));
    }
    match namespace {
        Some(ns) => out.push_str(&format!(" in namespace {ns}")),
        None => out.push_str(" cluster-wide"),
    }
    out
}
