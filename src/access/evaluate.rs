//! Effective rules: everything a subject may do under a policy, each rule traced to the binding
//! and role granting it, as a `kubectl auth can-i --list`-like table per scope, with the risks
//! of what it holds.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::model::{num, Binding, Policy, Role, RoleKind};
use super::query::resource_with_group;
use super::subject::Subject;
use crate::k8s::risk::{self, Rule};
use crate::support::finding::{Finding, Level};
use crate::support::parts::{at_once, Paced, Pause};

/// One rule the subject holds, and where from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The namespace it applies in; `None` for everywhere (a ClusterRoleBinding).
    pub scope: Option<String>,
    /// The rule, shared with the role that holds it.
    pub rule: Rc<Rule>,
    /// The binding that grants it: `RoleBinding dev/x`, `ClusterRoleBinding y`.
    pub binding: String,
    /// The role holding it: `ClusterRole edit`, `Role dev/r`.
    pub role: String,
    /// For an aggregated ClusterRole, the ClusterRole that spells the rule out.
    pub aggregated_from: Option<String>,
}

/// One line of the `kubectl auth can-i --list`-like table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListRow {
    /// `resource.group` as kubectl prints it (`pods`, `deployments.apps`, `*.*`); empty for a
    /// non-resource row.
    pub resource: String,
    /// The non-resource URL; empty for a resource row.
    pub non_resource_url: String,
    /// `resourceNames`; empty means every object.
    pub resource_names: Vec<String>,
    /// Verbs, sorted, without repeats.
    pub verbs: Vec<String>,
    /// `binding → role` for every grant behind the row.
    pub sources: Vec<String>,
}

/// The rows that hold in one scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeTable {
    /// `None`: everywhere, from ClusterRoleBindings. `Some(ns)`: in that namespace, in addition
    /// to everything cluster-wide.
    pub namespace: Option<String>,
    /// Resource rows sorted by resource, then non-resource rows sorted by URL.
    pub rows: Vec<ListRow>,
}

/// What a subject can do, as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    /// Every rule granted, in binding order (ClusterRoleBindings first).
    pub grants: Vec<Grant>,
    /// Cluster-wide first (always present), then each namespace with RoleBindings for the
    /// subject, by name.
    pub table: Vec<ScopeTable>,
    /// Bindings naming the subject whose role was not pasted or does not exist: they grant
    /// nothing.
    pub missing_roles: Vec<Finding>,
    /// Risk warnings ([`risk::rule_risks`], [`risk::binding_risks`]) for what the subject
    /// holds, most serious first; each title says where it holds, each reason what grants it.
    pub warnings: Vec<Finding>,
}

/// Where a grant comes from: the binding that names the subject, and the role it grants.
#[derive(Clone, Copy, Debug)]
pub(super) struct Source<'a> {
    /// The binding.
    pub(super) binding: &'a Binding,
    /// The role it refers to, as pasted.
    pub(super) role: &'a Role,
}

impl Source<'_> {
    /// `RoleBinding dev/x → ClusterRole edit`, as tables and answers list sources.
    pub(super) fn label(&self) -> String {
        format!("{} → {}", self.binding.label(), self.role.label())
    }
}

/// A binding that names the subject.
pub(super) enum Resolved<'a> {
    /// Its role was pasted: the role's place in [`Policy::roles`], which keys the work done
    /// once per role, and the source.
    Found {
        /// The role's place in [`Policy::roles`].
        place: usize,
        /// The binding and its role.
        source: Source<'a>,
    },
    /// Its role is not in the paste (or a ClusterRoleBinding refers to a Role): it grants
    /// nothing.
    Missing(&'a Binding),
}

/// The bindings that name `subject`, ClusterRoleBindings first (the authorizer's order), each
/// with the role it grants.
pub(super) fn resolve<'a>(
    policy: &'a Policy,
    subject: &'a Subject,
) -> impl Iterator<Item = Resolved<'a>> {
    let cluster = policy.bindings.iter().filter(|b| b.namespace.is_none());
    let namespaced = policy.bindings.iter().filter(|b| b.namespace.is_some());
    cluster
        .chain(namespaced)
        .filter(|b| b.applies_to(subject))
        .map(|binding| {
            let found = policy
                .role_place(binding)
                .and_then(|at| Some((at, policy.roles.get(at)?)));
            match found {
                Some((place, role)) => Resolved::Found {
                    place,
                    source: Source { binding, role },
                },
                None => Resolved::Missing(binding),
            }
        })
}

/// Whether a rule can match anything in a namespace: a pure non-resource rule cannot, since
/// non-resource requests have no namespace and only ClusterRoleBindings are asked about them.
fn usable_in_namespace(rule: &Rule) -> bool {
    !rule.resources.is_empty() || rule.non_resource_urls.is_empty()
}

fn missing_role_finding(binding: &Binding) -> Finding {
    let why = if binding.namespace.is_none() && binding.role_kind == RoleKind::Role {
        "A ClusterRoleBinding can only refer to a ClusterRole; the API server refuses this one, \
         and it grants nothing."
            .to_string()
    } else {
        format!(
            "It names the subject, but {} is not in the paste, so the API server grants \
             nothing through it (a role created later takes effect at once). If the role exists \
             in the cluster, paste it too.",
            binding.role_label()
        )
    };
    Finding {
        level: Level::Warning,
        title: format!(
            "{} refers to missing {}",
            binding.label(),
            binding.role_label()
        ),
        why,
    }
}

/// Most entries [`effective`] adds up for one subject: each rule a binding grants, and each row
/// it adds to a table. A subject bound to a few roles needs hundreds; one granted the
/// aggregated `edit` in each of 400 namespaces of an operator-heavy cluster, about this many,
/// and a table of 200 000 rows no one reads; a paste that binds one subject thousands of
/// times to roles of thousands of rules would need billions.
pub const MAX_TABLE_ENTRIES: usize = 500_000;

/// How many bindings an answer names before it says how many more there are.
pub(super) const NAMED: usize = 10;

/// `a; b; c and 4 others`: the first [`NAMED`] of `items` and how many more there are.
pub(super) fn some_of(items: &[String], sep: &str) -> String {
    let shown = items.get(..NAMED).unwrap_or(items).join(sep);
    match items.len().saturating_sub(NAMED) {
        0 => shown,
        1 => format!("{shown} and 1 other"),
        more => format!("{shown} and {more} others"),
    }
}

/// Everything `subject` may do under `policy`: each granted rule with its binding and role, a
/// `kubectl auth can-i --list`-like table per scope, bindings to missing roles, and the risk
/// warnings that apply. What a role contributes (its rows, its rules' risks) is worked out once
/// however many bindings grant it, and the tables stop at [`MAX_TABLE_ENTRIES`] with a warning
/// saying so.
pub fn effective(policy: &Policy, subject: &Subject) -> Access {
    at_once(evaluate(
        policy,
        subject,
        &mut Summaries::default(),
        true,
        &mut Paced::new(None, ENTRIES_PER_PART),
    ))
}

/// Entries (rules walked, grants and rows added) between two pauses: about 4 ms natively,
/// 10–20 ms in a browser.
pub const ENTRIES_PER_PART: usize = 8_192;

/// [`effective`], awaiting `pause` after each [`ENTRIES_PER_PART`] entries: the same answer,
/// in parts. A role of 46,629 rules takes about 70 ms natively in one call, three times that
/// in a browser's one task; in parts, no part takes more than its entries (and the sorts that
/// merge them, one pass each over an already sorted run).
pub async fn effective_in_parts(policy: &Policy, subject: &Subject, pause: Pause<'_>) -> Access {
    let mut paced = Paced::new(Some(pause), ENTRIES_PER_PART);
    let mut summaries = Summaries::default();
    let access = evaluate(policy, subject, &mut summaries, true, &mut paced).await;
    // Freeing what a big role's walk kept is a step of its own too.
    if let Some(pause) = paced.room(summaries.rules_walked) {
        pause.await;
    }
    drop(summaries);
    access
}

/// What each role contributes wherever it is bound, worked out once and kept across the
/// subjects of one policy: an audit of thousands of service accounts bound to one role of
/// thousands of rules walks the role once, not once per account. Keep one per policy.
#[derive(Default)]
pub struct Summaries {
    /// By place in `roles`, then namespaced or not: the place in `summaries`, or `u32::MAX`.
    slots: Vec<u32>,
    summaries: Vec<Rc<Summary>>,
    /// Rules walked to work out the summaries, in all: what tests bound.
    pub rules_walked: usize,
}

impl Summaries {
    /// Where what the role at `place` contributes (in a namespace or not) is kept.
    fn slot(&mut self, place: usize, namespaced: bool) -> usize {
        let slot = place.saturating_mul(2) + usize::from(namespaced);
        if self.slots.len() <= slot {
            self.slots.resize(slot + 1, u32::MAX);
        }
        slot
    }

    /// What the role at `place` contributes, when it was worked out already.
    fn get(&mut self, place: usize, namespaced: bool) -> Option<Rc<Summary>> {
        let slot = self.slot(place, namespaced);
        let at = self.slots.get(slot).map_or(usize::MAX, |&s| s as usize);
        self.summaries.get(at).cloned()
    }

    /// Keeps what `role`, at `place`, contributes, from its rows and risks as walked.
    fn put(&mut self, place: usize, role: &Role, namespaced: bool, walked: Walked) -> Rc<Summary> {
        let summary = Rc::new(Summary {
            rows: merged(walked.rows)
                .into_iter()
                .map(|(key, acc)| (key, acc.verbs))
                .collect(),
            risks: walked.risks,
        });
        self.rules_walked = self.rules_walked.saturating_add(role.effective.len());
        let slot = self.slot(place, namespaced);
        if let Some(s) = self.slots.get_mut(slot) {
            *s = num(self.summaries.len());
        }
        self.summaries.push(summary.clone());
        summary
    }
}

/// The risk warnings [`effective`] gives `subject`, most serious first, without its grants
/// and tables, reusing what `summaries` (kept for this `policy`) already worked out.
pub fn warnings_with(
    policy: &Policy,
    subject: &Subject,
    summaries: &mut Summaries,
) -> Vec<Finding> {
    let mut paced = Paced::new(None, ENTRIES_PER_PART);
    at_once(evaluate(policy, subject, summaries, false, &mut paced)).warnings
}

/// [`effective`], with the grants and tables only when `full`, pausing as `paced` says.
async fn evaluate(
    policy: &Policy,
    subject: &Subject,
    summaries: &mut Summaries,
    full: bool,
    paced: &mut Paced<'_>,
) -> Access {
    let mut grants = Vec::new();
    let mut missing_roles = Vec::new();
    // Each risk as found: its scope, the finding, and the binding → role granting it.
    let mut found: Vec<(Option<String>, Finding, String)> = Vec::new();
    let mut scopes: BTreeMap<Option<String>, Vec<(RowKey, RowAcc)>> = BTreeMap::new();
    scopes.entry(None).or_default();
    let mut entries = 0usize;
    let mut stopped: Option<&Binding> = None;
    for resolved in resolve(policy, subject) {
        let (place, source) = match resolved {
            Resolved::Found { place, source } => (place, source),
            Resolved::Missing(binding) => {
                missing_roles.push(missing_role_finding(binding));
                continue;
            }
        };
        // Past the limit, bindings to missing roles are still listed.
        if stopped.is_some() {
            continue;
        }
        let Source { binding, role } = source;
        let namespaced = binding.namespace.is_some();
        let summary = match summaries.get(place, namespaced) {
            Some(summary) => summary,
            None => {
                let mut walked = Walked::default();
                for (rule, _) in role.effective.iter() {
                    if namespaced && !usable_in_namespace(rule) {
                        continue;
                    }
                    if let Some(pause) = paced.tick() {
                        pause.await;
                    }
                    walked.add(rule, namespaced);
                }
                if let Some(pause) = paced.room(walked.rows.len()) {
                    pause.await;
                }
                summaries.put(place, role, namespaced, walked)
            }
        };
        entries = entries.saturating_add(role.effective.len() + summary.rows.len());
        if entries > MAX_TABLE_ENTRIES {
            stopped = Some(binding);
            continue;
        }
        let (binding_label, role_label) = (binding.label(), role.label());
        let source = source.label();
        // A namespaced Role that happens to be called cluster-admin is not the built-in role.
        let role_name = match binding.role_kind {
            RoleKind::ClusterRole => binding.role_name.as_str(),
            RoleKind::Role => "",
        };
        let risks = risk::binding_risks(role_name, binding.namespace.as_deref());
        for finding in risks.into_iter().chain(summary.risks.iter().cloned()) {
            found.push((binding.namespace.clone(), finding, source.clone()));
        }
        if !full {
            continue;
        }
        for (_, rule, origin) in role.effective.numbered() {
            if namespaced && !usable_in_namespace(rule) {
                continue;
            }
            if let Some(pause) = paced.tick() {
                pause.await;
            }
            grants.push(Grant {
                scope: binding.namespace.clone(),
                rule: rule.clone(),
                binding: binding_label.clone(),
                role: role_label.clone(),
                aggregated_from: origin.map(str::to_string),
            });
        }
        // Each binding's rows, sorted, one run after another: merged once, at the end.
        let rows = scopes.entry(binding.namespace.clone()).or_default();
        rows.reserve(summary.rows.len());
        for (key, verbs) in &summary.rows {
            if let Some(pause) = paced.tick() {
                pause.await;
            }
            let acc = RowAcc {
                verbs: verbs.clone(),
                sources: vec![source.clone()],
            };
            rows.push((key.clone(), acc));
        }
    }
    let mut warnings = merge_risks(found);
    if let Some(binding) = stopped {
        warnings.insert(
            0,
            Finding {
                level: Level::Warning,
                title: "Only part of what this subject can do is listed".to_string(),
                why: format!(
                    "The rules it is granted add up to more than {MAX_TABLE_ENTRIES} table entries (the evaluator's limit), so the tables and risks here stop at {}. Can I still answers each question from every binding.",
                    binding.label()
                ),
            },
        );
    }
    if let Some(pause) = paced.room(scopes.values().map(Vec::len).sum()) {
        pause.await;
    }
    Access {
        table: table(scopes),
        grants,
        missing_roles,
        warnings,
    }
}

/// One risk per title and scope, with every binding that grants it, most serious first, then
/// cluster-wide before namespaces, otherwise in the order found.
fn merge_risks(found: Vec<(Option<String>, Finding, String)>) -> Vec<Finding> {
    let key = |i: usize| found.get(i).map(|(scope, f, _)| (scope, &f.title));
    let order = crate::support::sort::indices(found.len(), &|a, b| key(a).cmp(&key(b)));
    // (first found, scope, finding, sources), one per title and scope.
    let mut merged: Vec<(usize, &Option<String>, &Finding, Vec<String>)> = Vec::new();
    for i in order {
        let Some((scope, finding, source)) = found.get(i) else {
            continue;
        };
        match merged.last_mut() {
            // Found binding by binding, so a repeated source is the last one.
            Some((_, s, f, sources)) if *s == scope && f.title == finding.title => {
                if sources.last() != Some(source) {
                    sources.push(source.clone());
                }
            }
            _ => merged.push((i, scope, finding, vec![source.clone()])),
        }
    }
    crate::support::sort::stable_by(&mut merged, |a, b| {
        (b.2.level.cmp(&a.2.level))
            .then_with(|| a.1.is_some().cmp(&b.1.is_some()))
            .then_with(|| a.1.cmp(b.1))
            .then_with(|| a.0.cmp(&b.0))
    });
    merged
        .into_iter()
        .map(|(_, scope, finding, sources)| {
            let place = match scope {
                None => "cluster-wide".to_string(),
                Some(ns) => format!("in namespace {ns}"),
            };
            Finding {
                level: finding.level,
                title: format!("{} ({place})", finding.title),
                why: format!("{} Granted by {}.", finding.why, some_of(&sources, "; ")),
            }
        })
        .collect()
}

/// What one role contributes wherever it is bound (in a namespace, or cluster-wide).
struct Summary {
    /// Its table rows.
    rows: Vec<Row>,
    /// Its rules' risks, one per title, in the order found.
    risks: Vec<Finding>,
}

/// A role's rules walked so far: their risks, one per title in the order found, and their
/// rows, like `kubectl auth can-i --list`'s: one per `resource.group` (and resource names) or
/// non-resource URL, before the rows of one key are merged; in a namespace, without the URLs
/// (only ClusterRoleBindings grant them).
#[derive(Default)]
struct Walked {
    risks: Vec<Finding>,
    rows: Vec<(RowKey, RowAcc)>,
}

impl Walked {
    /// Adds one rule's risks and rows.
    fn add(&mut self, rule: &Rule, namespaced: bool) {
        for finding in risk::rule_risks(rule) {
            if !self.risks.iter().any(|f| f.title == finding.title) {
                self.risks.push(finding);
            }
        }
        let mut names = rule.resource_names.clone();
        crate::support::sort::stable_by(&mut names, Ord::cmp);
        let mut keys = Vec::new();
        for group in &rule.api_groups {
            for resource in &rule.resources {
                keys.push(RowKey::Resource {
                    resource: resource_with_group(resource, group),
                    names: names.clone(),
                });
            }
        }
        if !namespaced {
            for url in &rule.non_resource_urls {
                keys.push(RowKey::Url(url.clone()));
            }
        }
        for key in keys {
            let mut verbs = Vec::with_capacity(rule.verbs.len());
            add_verbs(&mut verbs, &rule.verbs);
            let sources = Vec::new();
            self.rows.push((key, RowAcc { verbs, sources }));
        }
    }
}

/// One row a role contributes to a table: what it is about, and its verbs.
type Row = (RowKey, Vec<String>);

/// `rows` sorted by key, the rows of one key made one: their verbs together, their sources
/// in order without a repeat in a row. Rows come in sorted runs (one per rule, or per
/// binding's role), and the stable sort takes a run as it is: a role's rows, or a scope of one
/// binding, are merged in one pass rather than looked up row by row in a map.
fn merged(mut rows: Vec<(RowKey, RowAcc)>) -> Vec<(RowKey, RowAcc)> {
    crate::support::sort::stable_by(&mut rows, |a, b| a.0.cmp(&b.0));
    let mut out: Vec<(RowKey, RowAcc)> = Vec::with_capacity(rows.len());
    for (key, acc) in rows {
        match out.last_mut() {
            Some((last, into)) if *last == key => {
                add_verbs(&mut into.verbs, &acc.verbs);
                for source in acc.sources {
                    // Bindings come one after the other, so a repeated source is the last one.
                    if into.sources.last() != Some(&source) {
                        into.sources.push(source);
                    }
                }
            }
            _ => out.push((key, acc)),
        }
    }
    out
}

/// Adds `verbs` to the sorted list `into`, without repeats.
fn add_verbs(into: &mut Vec<String>, verbs: &[String]) {
    for verb in verbs {
        if let Err(at) = into.binary_search(verb) {
            into.insert(at, verb.clone());
        }
    }
}

/// The tables, scope by scope (cluster-wide first, then namespaces by name), rows sorted.
fn table(scopes: BTreeMap<Option<String>, Vec<(RowKey, RowAcc)>>) -> Vec<ScopeTable> {
    scopes
        .into_iter()
        .map(|(namespace, rows)| ScopeTable {
            namespace,
            rows: merged(rows)
                .into_iter()
                .map(|(key, acc)| {
                    let (resource, non_resource_url, resource_names) = match key {
                        RowKey::Resource { resource, names } => (resource, String::new(), names),
                        RowKey::Url(url) => (String::new(), url, Vec::new()),
                    };
                    ListRow {
                        resource,
                        non_resource_url,
                        resource_names,
                        verbs: acc.verbs,
                        sources: acc.sources,
                    }
                })
                .collect(),
        })
        .collect()
}

/// What a table row is about. Resource rows sort before URL rows, as the table lists them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum RowKey {
    /// `resource.group` as kubectl prints it, and the sorted `resourceNames` (empty: every
    /// object).
    Resource {
        /// `pods`, `deployments.apps`, `*.*`.
        resource: String,
        /// Sorted; empty means every object.
        names: Vec<String>,
    },
    /// A non-resource URL, which has no resource names.
    Url(String),
}

#[derive(Default)]
struct RowAcc {
    /// Sorted, without repeats.
    verbs: Vec<String>,
    sources: Vec<String>,
}
