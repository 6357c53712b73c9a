//! The nearest miss of a refused request: what in the pasted RBAC comes closest to allowing it,
//! so a fix can change what is there rather than add a second grant beside it.
//!
//! Two misses are worth pointing at: a binding of the right subject whose role covers the
//! resource but lacks the verb (add the verb to that role), and a role that would grant the
//! request but that no binding gives the subject (bind it).

use super::can_i::{request_namespace, rule_allows, url_matches, verb_matches};
use super::evaluate::{resolve, Resolved};
use super::model::Policy;
use super::query::Query;
use super::subject::Subject;
use crate::risk::Rule;

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

/// The nearest miss of `query` for `subject`, or `None` when nothing comes close. Meant for a
/// request [`super::can_i`] refused; the work is one pass over the bindings and the roles'
/// rules.
pub fn nearest_miss(policy: &Policy, subject: &Subject, query: &Query) -> Option<Miss> {
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
            return Some(Miss::LacksVerb {
                binding: source.binding.label(),
                role: source.role.label(),
                verbs: rule.verbs.clone(),
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
    policy
        .roles
        .iter()
        .filter(|role| counts(&role.namespace))
        .find(|role| role.effective.iter().any(|(rule, _)| grants(rule)))
        .map(|role| Miss::NotBound { role: role.label() })
}
