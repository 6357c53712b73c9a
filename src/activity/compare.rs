//! Used against granted: the rules a subject holds under a pasted policy that no request in
//! the log used (candidates to remove), and the requests that were denied (what is missing),
//! each with the risks [`crate::k8s::risk`] sees in it.

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
    for grant in &access.grants {
        if is_default_binding(&grant.binding) {
            defaults += 1;
            continue;
        }
        checks = checks.saturating_add(used.len());
        if checks > MAX_CHECKS {
            stopped = true;
            break;
        }
        let scope = grant.scope.as_deref();
        if !used.iter().any(|r| grants(&grant.rule, scope, r)) {
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
    }
}
