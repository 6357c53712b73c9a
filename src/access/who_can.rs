//! Who can: every subject a pasted policy allows to make one request, like kubectl-who-can,
//! offline.
//!
//! It asks each binding the question Can I asks of the bindings that name one subject, through
//! the same steps ([`request_namespace`], [`Place::of`], [`classify`]), so the two never
//! disagree: every subject listed gets Yes from [`super::can_i`] for the same request. What a
//! role's rules say is worked out once per role and place, so the work stays linear in the
//! bindings however many subjects they name.

use super::can_i::{classify, request_namespace, Match, Place};
use super::model::{verdict_once, Binding, BindingSubject, Policy, SubjectKind};
use super::query::Query;
use super::subject::{Subject, PRIVILEGED_GROUP};
use crate::k8s::risk;
use crate::support::finding::Finding;

/// Most rows [`who_can`] lists; a cluster's dump can bind thousands of subjects to `view`.
pub const MAX_WHO_CAN_ROWS: usize = 5_000;

/// One subject allowed, and the grant that allows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhoCanRow {
    /// User, group or service account.
    pub kind: SubjectKind,
    /// The user or group name, or the service account's name.
    pub name: String,
    /// The service account's namespace (the binding's own when the subject leaves it out).
    pub namespace: Option<String>,
    /// The binding that allows it: `RoleBinding dev/x`, `ClusterRoleBinding y`.
    pub binding: String,
    /// The role it grants: `ClusterRole edit`, `Role dev/r`.
    pub role: String,
    /// Granted by a ClusterRoleBinding (everywhere), not a RoleBinding of the namespace.
    pub cluster_wide: bool,
    /// The most serious risk of the rules that allow it, when one is risky.
    pub risk: Option<Finding>,
}

impl WhoCanRow {
    /// The subject as the **Subject** field takes it (see [`super::SUBJECT_SYNTAX`]).
    pub fn typed(&self) -> String {
        match self.kind {
            SubjectKind::User => format!("user:{}", self.name),
            SubjectKind::Group => format!("group:{}", self.name),
            SubjectKind::ServiceAccount => format!(
                "system:serviceaccount:{}:{}",
                self.namespace.as_deref().unwrap_or_default(),
                self.name
            ),
        }
    }

    /// The subject Can I asks about: the user alone, the group alone, or the service account
    /// with the groups its authenticator adds.
    pub fn subject(&self) -> Subject {
        match self.kind {
            SubjectKind::User => Subject {
                user: self.name.clone(),
                groups: Vec::new(),
            },
            SubjectKind::Group => Subject {
                user: String::new(),
                groups: vec![self.name.clone()],
            },
            SubjectKind::ServiceAccount => Subject::from_service_account(
                self.namespace.as_deref().unwrap_or_default(),
                &self.name,
            ),
        }
    }
}

/// The answer to one Who can query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WhoCan {
    /// Every subject allowed, once per binding that allows it: ClusterRoleBindings first, then
    /// RoleBindings, each in pasted order, at most [`MAX_WHO_CAN_ROWS`].
    pub rows: Vec<WhoCanRow>,
    /// Rows left out past [`MAX_WHO_CAN_ROWS`].
    pub more: usize,
    /// How the request was read, and who is allowed without any binding.
    pub hints: Vec<String>,
}

/// What one role's rules say through bindings of one place: whether one allows the request,
/// and the worst risk among those that do.
struct Verdict {
    allows: bool,
    risk: Option<Finding>,
}

/// Every subject `policy` allows to make `query`, each with the binding and role that allow it.
pub fn who_can(policy: &Policy, query: &Query) -> WhoCan {
    let mut hints = Vec::new();
    let namespace = request_namespace(query, &mut hints);
    hints.push(format!(
        "Members of {PRIVILEGED_GROUP} are allowed every request before RBAC is asked, whatever the bindings say."
    ));
    let name = query.name.as_deref().unwrap_or("");
    let mut out = WhoCan::default();
    // By place in `roles`, then here or not, then namespaced or not (as Can I keys them).
    let mut slots = vec![u32::MAX; policy.roles.len().saturating_mul(4)];
    let mut verdicts: Vec<Verdict> = Vec::new();
    let cluster = policy.bindings.iter().filter(|b| b.namespace.is_none());
    let namespaced = policy.bindings.iter().filter(|b| b.namespace.is_some());
    for binding in cluster.chain(namespaced) {
        let Some(role_place) = policy.role_place(binding) else {
            continue;
        };
        let Some(role) = policy.roles.get(role_place) else {
            continue;
        };
        let place = Place::of(binding, namespace.as_deref());
        let slot = role_place * 4 + usize::from(place.here) * 2 + usize::from(place.namespaced);
        let verdict = verdict_once(&mut slots, &mut verdicts, slot, || {
            let mut verdict = Verdict {
                allows: false,
                risk: None,
            };
            for (rule, _) in role.effective.iter() {
                if classify(rule, query, name, place) == Match::Grants {
                    verdict.allows = true;
                    for finding in risk::rule_risks(rule) {
                        if verdict
                            .risk
                            .as_ref()
                            .is_none_or(|r| finding.level > r.level)
                        {
                            verdict.risk = Some(finding);
                        }
                    }
                }
            }
            verdict
        });
        let Some(verdict) = verdict else {
            continue;
        };
        if !verdict.allows {
            continue;
        }
        let role = role.label();
        for subject in &binding.subjects {
            let Some(row) = row(binding, subject, &role, verdict) else {
                continue;
            };
            if out.rows.len() < MAX_WHO_CAN_ROWS {
                out.rows.push(row);
            } else {
                out.more += 1;
            }
        }
    }
    out.hints = hints;
    out
}

/// The row for one subject of a binding that allows the request, or `None` when the
/// authorizer would never match that subject (an empty name, a service account without a
/// namespace).
fn row(
    binding: &Binding,
    subject: &BindingSubject,
    role: &str,
    verdict: &Verdict,
) -> Option<WhoCanRow> {
    if subject.name.is_empty() {
        return None;
    }
    let namespace = match subject.kind {
        SubjectKind::ServiceAccount => Some(
            subject
                .namespace
                .as_deref()
                .or(binding.namespace.as_deref())
                .filter(|ns| !ns.is_empty())?
                .to_string(),
        ),
        _ => None,
    };
    Some(WhoCanRow {
        kind: subject.kind,
        name: subject.name.clone(),
        namespace,
        binding: binding.label(),
        role: role.to_string(),
        cluster_wide: binding.namespace.is_none(),
        risk: verdict.risk.clone(),
    })
}
