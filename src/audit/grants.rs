//! Each token's worst grant: the riskiest thing its service account may do under the RBAC
//! pasted on the Access page, through the access evaluator's effective rules and `risk.rs`.
//!
//! A long-lived token matters as much as what it can do. A cluster's dump names the same
//! service account in several Secrets, so each account is evaluated once; what a role
//! contributes (its rules' risks) is worked out once for the whole table, however many
//! accounts it is bound to, and each account only gathers its bindings' shares. Since each
//! account still looks through the bindings, at most [`MAX_SUBJECTS`] accounts are evaluated,
//! so a dump of ten thousand accounts against a cluster's whole RBAC cannot freeze the page.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::access::{self, Policy, Subject};
use crate::support::finding::Finding;

use super::Row;

/// Most distinct service accounts evaluated for one table.
pub const MAX_SUBJECTS: usize = 2_000;

/// The worst grant of every row, in the rows' order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grants {
    /// For each row: the most serious risk its service account holds, `None` when nothing it
    /// holds is risky (or the row names no service account, or it was not evaluated).
    pub worst: Vec<Option<Finding>>,
    /// Distinct service accounts left unevaluated past [`MAX_SUBJECTS`].
    pub skipped: usize,
    /// Rules of the policy walked to find them: each role's once (twice when it is bound both
    /// cluster-wide and in a namespace), whatever the number of accounts.
    pub rules_walked: usize,
}

/// The worst grant of each of `rows` under `policy`.
pub fn worst_grants(rows: &[Row], policy: &Policy) -> Grants {
    let mut seen: BTreeMap<(&str, &str), Option<Finding>> = BTreeMap::new();
    let mut skipped = 0;
    let mut summaries = access::Summaries::default();
    let mut worst = Vec::with_capacity(rows.len());
    // Each account is evaluated over its own bindings, found through one index of the policy.
    let by_account = access::ByAccount::new(policy);
    for row in rows {
        if row.service_account.is_empty() || row.namespace.is_empty() {
            worst.push(None);
            continue;
        }
        let key = (row.namespace.as_str(), row.service_account.as_str());
        if let Some(found) = seen.get(&key) {
            worst.push(found.clone());
            continue;
        }
        if seen.len() >= MAX_SUBJECTS {
            skipped += 1;
            worst.push(None);
            continue;
        }
        let subject = Subject::from_service_account(key.0, key.1);
        // `warnings` are most serious first.
        let own = by_account.for_account(&subject, key.0, key.1);
        let found = access::warnings_with(&own, &subject, &mut summaries)
            .into_iter()
            .next();
        seen.insert(key, found.clone());
        worst.push(found);
    }
    Grants {
        worst,
        skipped,
        rules_walked: summaries.rules_walked,
    }
}

/// Rows by their worst grant, most serious first (no risk last), ties in dump order: the
/// order the table shows with RBAC pasted.
pub fn by_risk(grants: &Grants) -> Vec<usize> {
    let level = |i: usize| {
        grants
            .worst
            .get(i)
            .and_then(|w| w.as_ref())
            .map(|f| f.level)
    };
    crate::support::sort::indices(grants.worst.len(), &|a, b| match (level(a), level(b)) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    })
}
