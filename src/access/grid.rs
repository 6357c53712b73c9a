//! The access grid: resources × verbs for one subject in one namespace, as rakkess draws it.
//!
//! Every cell is Can I's own answer for that request ([`can_i`] without a name), so the grid
//! can never disagree with the Can I box. A cell Can I refuses is "some names" when a rule
//! the subject holds there allows the verb on named objects only (`resourceNames`); those
//! names are listed, and Can I answers Yes for each of them.

use super::can_i::{rule_allows, Asker};
use super::evaluate::Access;
use super::model::Policy;
use super::query::Query;
use super::subject::Subject;
use crate::k8s::kube::{self, MAX_FIELD_BYTES};
use crate::k8s::risk::Rule;

/// The verbs of a grid's columns, as `kubectl auth can-i` and rakkess ask them.
pub const GRID_VERBS: [&str; 8] = [
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];

/// At most this many rows: the built-in resources and those the subject's rules name.
pub const MAX_GRID_ROWS: usize = 200;

/// One cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Can I says Yes for every object.
    Yes,
    /// Can I says No, and no rule names an object either.
    No,
    /// Can I says No for every object, Yes for these (a rule's `resourceNames`).
    SomeNames(Vec<String>),
}

/// One resource's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridRow {
    /// `pods`, `deployments.apps`, `pods/log`: what Can I's Resource field takes.
    pub label: String,
    /// The API group; `""` is the core group.
    pub group: String,
    /// The resource as RBAC names it, with a subresource after a slash.
    pub resource: String,
    /// One cell per verb of [`GRID_VERBS`], in that order.
    pub cells: Vec<Cell>,
}

/// The grid of one subject in one namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    /// The namespace asked about.
    pub namespace: String,
    /// Rows, the subject's own resources first (those its rules name), then the built-in ones.
    pub rows: Vec<GridRow>,
    /// Rows left out past [`MAX_GRID_ROWS`], each distinct resource once (counted by a hash of
    /// its label, [`crate::support::distinct`]).
    pub left_out: usize,
    /// Rules the cells looked at (classified by Can I, or named objects listed): bounded by
    /// the rules that name each cell's resource, not by all the subject holds.
    pub work: usize,
}

/// The grid of `subject` in `namespace` under `policy`; `access` is the subject's effective
/// access (for the resources its rules name and the names of "some names" cells).
pub fn grid(policy: &Policy, subject: &Subject, namespace: &str, access: &Access) -> Grid {
    // Only the rows drawn are kept; the others are counted, by a hash of their label. A role
    // of 46,629 rules names as many resources: copying each into a row that is never drawn,
    // or into an ordered set, was most of the grid.
    let mut resources: Vec<(String, String, String)> = Vec::new();
    let mut drawn = std::collections::BTreeSet::new();
    let mut seen = crate::support::distinct::Distinct::default();
    let mut left_out = 0;
    let mut label = String::new();
    let mut push = |group: &str, resource: &str| {
        if resource.contains('*') || resource.len() > MAX_FIELD_BYTES {
            return;
        }
        row_label(&mut label, group, resource);
        let new = seen.insert(&label);
        if resources.len() < MAX_GRID_ROWS {
            if drawn.insert(label.clone()) {
                resources.push((label.clone(), group.to_string(), resource.to_string()));
            }
        } else if new {
            left_out += 1;
        }
    };
    for grant in in_scope(access, namespace) {
        for group in grant.api_groups.iter().filter(|g| *g != "*") {
            for resource in &grant.resources {
                push(group, resource);
            }
        }
    }
    for resource in kube::RESOURCES.iter().filter(|r| r.namespaced) {
        push(resource.group, resource.name);
    }
    // Each cell is Can I's answer, asked of the subject's own bindings only: the same answer,
    // without a scan of a cluster's bindings per cell.
    let policy = &policy.for_subject(subject);
    let asker = &mut Asker::new(policy, subject);
    let named = &Named::of(access, namespace);
    let mut looked = 0;
    let rows = resources
        .into_iter()
        .map(|(label, group, resource)| GridRow {
            cells: GRID_VERBS
                .iter()
                .map(|verb| {
                    let cell = cell(asker, named, namespace, verb, (&group, &resource));
                    looked += cell.1;
                    cell.0
                })
                .collect(),
            label,
            group,
            resource,
        })
        .collect();
    Grid {
        namespace: namespace.to_string(),
        rows,
        left_out,
        work: asker.checked + looked,
    }
}

/// A row's label, written into `label`: `pods`, `deployments.apps`, `deployments.apps/scale`,
/// what Can I's Resource field takes.
fn row_label(label: &mut String, group: &str, resource: &str) {
    label.clear();
    if group.is_empty() {
        label.push_str(resource);
        return;
    }
    let (base, sub) = resource
        .split_once('/')
        .map_or((resource, None), |(b, s)| (b, Some(s)));
    label.push_str(base);
    label.push('.');
    label.push_str(group);
    if let Some(sub) = sub {
        label.push('/');
        label.push_str(sub);
    }
}

/// The rules that hold in `namespace`: cluster-wide ones and that namespace's.
fn in_scope<'a>(
    access: &'a Access,
    namespace: &'a str,
) -> impl Iterator<Item = &'a crate::k8s::risk::Rule> {
    access
        .grants
        .iter()
        .filter(move |g| g.scope.as_deref().is_none_or(|s| s == namespace))
        .map(|g| &*g.rule)
}

/// The request a cell stands for, as Can I asks it.
pub fn query(verb: &str, group: &str, resource: &str, namespace: &str) -> Query {
    Query {
        verb: verb.to_string(),
        resource: resource.to_string(),
        api_group: group.to_string(),
        namespace: Some(namespace.to_string()),
        name: None,
    }
}

/// The rules in scope that name objects (`resourceNames`), one entry per resource each
/// names, sorted by it: a cell looks only at the rules naming its resource, `*` or `*/sub`,
/// not at every rule the subject holds (46,629 of them, 1,600 times, took over a second).
struct Named<'a> {
    /// (resource, the rule's place in scope, the rule).
    entries: Vec<(&'a str, usize, &'a Rule)>,
    /// `entries` sorted by resource.
    order: Vec<usize>,
}

impl<'a> Named<'a> {
    fn of(access: &'a Access, namespace: &'a str) -> Named<'a> {
        let mut entries = Vec::new();
        for (at, rule) in in_scope(access, namespace).enumerate() {
            if !rule.resource_names.is_empty() {
                entries.extend(rule.resources.iter().map(|r| (r.as_str(), at, rule)));
            }
        }
        let key = |i: usize| entries.get(i).map_or("", |e| e.0);
        let order = crate::support::sort::indices(entries.len(), &|a, b| key(a).cmp(key(b)));
        Named { entries, order }
    }

    /// The rules that can allow `resource` on named objects, in scope order, once each.
    fn for_resource(&self, resource: &str) -> Vec<&'a Rule> {
        let sub = resource.split_once('/').map(|(_, sub)| format!("*/{sub}"));
        let mut found: Vec<(usize, &'a Rule)> = Vec::new();
        for key in [Some(resource), Some("*"), sub.as_deref()]
            .into_iter()
            .flatten()
        {
            let resource_of = |&i: &usize| self.entries.get(i).map_or("", |e| e.0);
            let from = self.order.partition_point(|i| resource_of(i) < key);
            for i in self.order.get(from..).unwrap_or(&[]) {
                match self.entries.get(*i) {
                    Some(&(r, at, rule)) if r == key => found.push((at, rule)),
                    _ => break,
                }
            }
        }
        let at = |i: usize| found.get(i).map_or(0, |f| f.0);
        let mut rules = Vec::new();
        let mut last = None;
        for i in crate::support::sort::indices(found.len(), &|a, b| at(a).cmp(&at(b))) {
            if let Some(&(place, rule)) = found.get(i) {
                if last != Some(place) {
                    rules.push(rule);
                    last = Some(place);
                }
            }
        }
        rules
    }
}

fn cell(
    asker: &mut Asker<'_>,
    named: &Named<'_>,
    namespace: &str,
    verb: &str,
    (group, resource): (&str, &str),
) -> (Cell, usize) {
    let query = query(verb, group, resource, namespace);
    if asker.allows(&query) {
        return (Cell::Yes, 0);
    }
    let mut names: Vec<String> = Vec::new();
    let rules = named.for_resource(resource);
    let looked = rules.len();
    for rule in rules {
        for name in &rule.resource_names {
            if rule_allows(rule, verb, group, resource, name) && !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    let cell = if names.is_empty() {
        Cell::No
    } else {
        Cell::SomeNames(names)
    };
    (cell, looked)
}
