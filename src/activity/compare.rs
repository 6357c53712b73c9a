//! Used against granted: the rules a subject holds under a pasted policy that no request in
//! the log used (candidates to remove), and the requests that were denied (what is missing),
//! each with the risks [`crate::k8s::risk`] sees in it.

use std::collections::BTreeMap;

use super::generate::rules_for;
use super::read::{Decision, Request};
use super::select::Row;
use crate::access::{self, Grant, Policy, Subject};
use crate::k8s::risk;
use crate::support::finding::Finding;

/// How many (rule, request) pairs are compared at most: a subject holding thousands of rules
/// and a log of thousands of distinct requests would otherwise take seconds. Past it, the
/// comparison says it stopped.
pub const MAX_CHECKS: usize = 5_000_000;

/// A rule held that no request used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unused {
    /// The rule, where it holds, and the binding and role granting it.
    pub grant: Grant,
    /// What is risky in it.
    pub risks: Vec<Finding>,
}

/// A request the authorizer denied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denied {
    /// The request.
    pub request: Request,
    /// How many times.
    pub count: usize,
    /// The authorizer's reason.
    pub reason: String,
    /// What granting it would risk.
    pub risks: Vec<Finding>,
}

/// What one binding (through one role) grants and what of it was used: the Activity picture's
/// rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindingUse {
    /// The binding, as [`Grant::binding`] names it.
    pub binding: String,
    /// The role it binds.
    pub role: String,
    /// Rules it grants the subject.
    pub held: usize,
    /// Of those, rules compared with the requests (all, unless the comparison stopped).
    pub checked: usize,
    /// Of those, rules no request used.
    pub unused: usize,
    /// One of the API server's default bindings: its rules are not compared.
    pub default: bool,
}

/// What the comparison found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Rules held, in all.
    pub held: usize,
    /// Rules held that no request used, in binding order, but those of the default bindings.
    pub unused: Vec<Unused>,
    /// Rules held through the API server's default bindings (see [`is_default_binding`]),
    /// never candidates to remove, used or not.
    pub defaults: usize,
    /// Requests denied.
    pub denied: Vec<Denied>,
    /// Whether the comparison stopped at [`MAX_CHECKS`]: the rules after that are not listed.
    pub stopped: bool,
    /// Each binding's share of the rules held, in binding order.
    pub bindings: Vec<BindingUse>,
}

/// Each binding's row, found by its binding and role: a subject bound thousands of times
/// finds its rows in O(log n), not by a scan.
#[derive(Default)]
struct Rows {
    rows: Vec<BindingUse>,
    index: BTreeMap<(String, String), usize>,
}

impl Rows {
    /// The row of `grant`'s binding and role, added at the end when it is new.
    fn of(&mut self, grant: &Grant) -> Option<&mut BindingUse> {
        let key = (grant.binding.clone(), grant.role.clone());
        let next = self.rows.len();
        let at = *self.index.entry(key).or_insert(next);
        if at == next {
            self.rows.push(BindingUse {
                binding: grant.binding.clone(),
                role: grant.role.clone(),
                held: 0,
                checked: 0,
                unused: 0,
                default: is_default_binding(&grant.binding),
            });
        }
        self.rows.get_mut(at)
    }
}

/// Whether `rule`, held in `scope` (`None`: everywhere), grants `request`, as the RBAC
/// authorizer decides. Non-resource requests are only granted cluster-wide.
fn grants(rule: &risk::Rule, scope: Option<&str>, request: &Request) -> bool {
    if request.is_non_resource() {
        return scope.is_none()
            && access::verb_matches(rule, &request.verb)
            && access::url_matches(rule, &request.path);
    }
    if scope.is_some() && scope != request.namespace.as_deref() {
        return false;
    }
    access::rule_allows(
        rule,
        &request.verb,
        &request.api_group,
        &request.resource,
        request.name.as_deref().unwrap_or(""),
    )
}

/// Whether a binding, as [`Grant::binding`] names it, is one of the API server's own: the
/// bootstrap policy's bindings are named `system:…` (`system:discovery`,
/// `system:basic-user`, `system:public-info-viewer`, `system:controller:…`, the
/// `system::leader-locking-…` RoleBindings), and `cluster-admin`. The API server recreates
/// them at every start, and discovery needs them, so they are never candidates to remove.
pub fn is_default_binding(binding: &str) -> bool {
    let name = binding.split_once(' ').map_or(binding, |(_, name)| name);
    let name = match binding.starts_with("RoleBinding ") {
        true => name.split_once('/').map_or(name, |(_, n)| n),
        false => name,
    };
    name.starts_with("system:") || name == "cluster-admin"
}

/// Compares what `subject` holds under `policy` with the rows of its activity.
pub fn compare(policy: &Policy, subject: &Subject, rows: &[Row]) -> Comparison {
    let access = access::effective(policy, subject);
    // A failed request (a 404 of a get) still used the rule that let it through: removing the
    // rule would turn that 404 into a 403, so for removal it counts as used.
    let used: Vec<&Request> = rows
        .iter()
        .filter(|r| r.decision != Decision::Denied)
        .map(|r| &r.request)
        .collect();
    let mut defaults = 0;
    let mut checks = 0usize;
    let mut stopped = false;
    let mut unused = Vec::new();
    let mut bindings = Rows::default();
    for grant in &access.grants {
        let Some(row) = bindings.of(grant) else {
            continue;
        };
        row.held += 1;
        if row.default {
            defaults += 1;
            continue;
        }
        if stopped {
            continue;
        }
        checks = checks.saturating_add(used.len());
        if checks > MAX_CHECKS {
            stopped = true;
            continue;
        }
        row.checked += 1;
        let scope = grant.scope.as_deref();
        if !used.iter().any(|r| grants(&grant.rule, scope, r)) {
            row.unused += 1;
            unused.push(Unused {
                risks: risk::rule_risks(&grant.rule),
                grant: grant.clone(),
            });
        }
    }
    let denied = rows
        .iter()
        .filter(|r| r.decision == Decision::Denied)
        .map(|row| Denied {
            request: row.request.clone(),
            count: row.count,
            reason: row.reason.clone(),
            risks: rules_for(std::iter::once(&row.request), true)
                .iter()
                .flat_map(risk::rule_risks)
                .collect(),
        })
        .collect();
    Comparison {
        held: access.grants.len(),
        unused,
        defaults,
        denied,
        stopped,
        bindings: bindings.rows,
    }
}
