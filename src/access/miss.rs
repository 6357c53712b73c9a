//! The nearest miss of a refused request: what in the pasted RBAC comes closest to allowing it,
//! so a fix can change what is there rather than add a second grant beside it.
//!
//! Two misses are worth pointing at: a binding of the right subject whose role covers the
//! resource but lacks the verb (add the verb to that role), and a role that would grant the
//! request but that no binding gives the subject (bind it).
//!
//! Candidates are ranked by what else taking them grants, with the RBAC builder's own risk
//! rules: a role that grants nothing risky comes before one that does, and `cluster-admin`,
//! `admin`, `edit` or a rule with `*` is always marked as broader, whatever its rank.

use super::can_i::{request_namespace, rule_allows, url_matches, verb_matches};
use super::evaluate::{resolve, Resolved};
use super::model::Policy;
use super::query::Query;
use super::subject::Subject;
use crate::k8s::risk::{rule_risks, Rule};
use crate::support::sort;

/// Built-in roles that grant far more than any one request: never "enough" for one.
const BROAD_ROLES: [&str; 3] = ["cluster-admin", "admin", "edit"];

/// How [`RankedMiss::broader`] names a rule with `*`, and starts naming a built-in broad role.
const STAR: &str = "a rule with *";
const BUILT_IN: &str = "the built-in ";

/// What comes closest to allowing a refused request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Miss {
    /// A binding names the subject where the request is made, and its role has a rule for the
    /// resource (or path), but not for the verb.
    LacksVerb {
        /// `RoleBinding prod/deployer`.
        binding: String,
        /// `Role prod/deployer`.
        role: String,
        /// The verbs that rule allows.
        verbs: Vec<String>,
    },
    /// A role that allows the request where it is made, which no binding gives the subject
    /// there.
    NotBound {
        /// `ClusterRole pod-reader`.
        role: String,
    },
}

/// A candidate miss and what else taking it would grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankedMiss {
    /// The miss.
    pub miss: Miss,
    /// What else the change would grant that the RBAC builder warns about (the titles of its
    /// risks, a built-in broad role, a `*`), most serious first; empty when nothing.
    pub broader: Vec<String>,
    /// How many of the role's rules the request does not need, which binding it would grant
    /// too; 0 for a missing verb, whose role the subject already holds.
    pub other_rules: usize,
}

/// The nearest miss of `query` for `subject`, or `None` when nothing comes close: the first of
/// [`nearest_misses`], so a role that grants nothing risky wins over one that does.
pub fn nearest_miss(policy: &Policy, subject: &Subject, query: &Query) -> Option<Miss> {
    nearest_misses(policy, subject, query)
        .into_iter()
        .next()
        .map(|ranked| ranked.miss)
}

/// What `rules` grant beyond one request, as the builder's risk rules see them; `role` names
/// the role, for the built-in broad ones.
fn broader_of<'a>(role: &str, rules: impl Iterator<Item = &'a Rule>) -> Vec<String> {
    let mut out = Vec::new();
    if BROAD_ROLES.contains(&role) {
        out.push(format!("{BUILT_IN}{role} role"));
    }
    for rule in rules {
        let star = [&rule.verbs, &rule.api_groups, &rule.resources]
            .iter()
            .any(|list| list.iter().any(|v| v == "*"))
            || rule.non_resource_urls.iter().any(|u| u.ends_with('*'));
        if star {
            push_new(&mut out, STAR.to_string());
        }
        for risk in rule_risks(rule) {
            push_new(&mut out, risk.title);
        }
    }
    out
}

fn push_new(out: &mut Vec<String>, item: String) {
    if !out.contains(&item) {
        out.push(item);
    }
}

/// Every candidate for the nearest miss of `query`, narrowest first: a built-in broad role or a
/// `*` last, then by how many kinds of risk taking it grants, then how many other rules, then a missing verb before an unbound role,
/// then in the paste's order.
/// One pass over the bindings and the roles' rules, and one stable sort.
pub fn nearest_misses(policy: &Policy, subject: &Subject, query: &Query) -> Vec<RankedMiss> {
    let mut out = candidates(policy, subject, query);
    sort::stable_by(&mut out, |a, b| {
        let kind = |m: &Miss| matches!(m, Miss::NotBound { .. });
        // A built-in broad role or a `*` comes after any role without, whatever it counts.
        let sweeping = |r: &RankedMiss| {
            r.broader
                .iter()
                .any(|b| b == STAR || b.starts_with(BUILT_IN))
        };
        let key = |r: &RankedMiss| (sweeping(r), r.broader.len(), r.other_rules, kind(&r.miss));
        key(a).cmp(&key(b))
    });
    out
}

fn candidates(policy: &Policy, subject: &Subject, query: &Query) -> Vec<RankedMiss> {
    let mut out = Vec::new();
    let namespace = request_namespace(query, &mut Vec::new());
    let name = query.name.as_deref().unwrap_or("");
    // Whether a binding or role of this namespace (`None`: cluster-wide) counts here.
    let counts = |ns: &Option<String>| match ns {
        None => true,
        Some(ns) => !query.is_non_resource() && namespace.as_deref() == Some(ns.as_str()),
    };
    // The rule covers the request's target, whatever its verb.
    let covers = |rule: &Rule| {
        if query.is_non_resource() {
            url_matches(rule, &query.resource)
        } else {
            rule.verbs.first().is_some_and(|verb| {
                rule_allows(rule, verb, &query.api_group, &query.resource, name)
            })
        }
    };
    for resolved in resolve(policy, subject) {
        let Resolved::Found { source, .. } = resolved else {
            continue;
        };
        if !counts(&source.binding.namespace) {
            continue;
        }
        let lacking = source
            .role
            .effective
            .iter()
            .map(|(rule, _)| rule)
            .find(|rule| !verb_matches(rule, &query.verb) && covers(rule));
        if let Some(rule) = lacking {
            // Adding the verb grants it on everything that rule names.
            let widened = Rule {
                verbs: vec![query.verb.clone()],
                ..rule.clone()
            };
            out.push(RankedMiss {
                broader: broader_of(&source.role.name, std::iter::once(&widened)),
                other_rules: 0,
                miss: Miss::LacksVerb {
                    binding: source.binding.label(),
                    role: source.role.label(),
                    verbs: rule.verbs.clone(),
                },
            });
        }
    }
    let grants = |rule: &Rule| {
        if query.is_non_resource() {
            verb_matches(rule, &query.verb) && url_matches(rule, &query.resource)
        } else {
            rule_allows(rule, &query.verb, &query.api_group, &query.resource, name)
        }
    };
    for role in policy.roles.iter().filter(|role| counts(&role.namespace)) {
        let granting = role
            .effective
            .iter()
            .filter(|(rule, _)| grants(rule))
            .count();
        if granting > 0 {
            out.push(RankedMiss {
                broader: broader_of(&role.name, role.effective.iter().map(|(rule, _)| rule)),
                other_rules: role.effective.len().saturating_sub(granting),
                miss: Miss::NotBound { role: role.label() },
            });
        }
    }
    out
}
