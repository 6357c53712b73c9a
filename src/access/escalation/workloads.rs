//! One row per workload: which service account it runs as, whether that account's token is
//! mounted, what the account may do at worst, where it can escalate, and how the pod reaches
//! its node.
//!
//! Pods owned by a pasted controller (a Deployment's ReplicaSet's Pods, a CronJob's Jobs) are
//! folded into their controller's row, so a Deployment of fifty replicas is one row.

use std::collections::{BTreeMap, BTreeSet};

use super::graph::{self, Held, Target, Universe};
use super::objects::{Objects, Workload};
use super::paths;
use crate::access::{Policy, Subject};
use crate::k8s::risk;
use crate::support::finding::Finding;

/// Most distinct service accounts whose grants are resolved for one table.
pub const MAX_ACCOUNTS: usize = 2_000;

/// Whether a token is in the pod's filesystem, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mounted {
    /// The token is mounted.
    pub mounted: bool,
    /// What decided it.
    pub why: String,
}

/// Whether the kubelet mounts a token into `w`'s pods: a projected `serviceAccountToken`
/// volume always does; otherwise the pod spec's `automountServiceAccountToken`, else the
/// ServiceAccount's, else yes (the default).
pub fn token_mounted(w: &Workload, objects: &Objects) -> Mounted {
    mounted_with(w, &automount_of(objects))
}

/// Each pasted ServiceAccount's `automountServiceAccountToken`, by namespace and name.
pub(super) fn automount_of(objects: &Objects) -> BTreeMap<(&str, &str), Option<bool>> {
    // Inserted, not collected: collecting into a map instantiates a sort for its type. A
    // repeated account keeps its last value, as the API server's last write would.
    let mut out = BTreeMap::new();
    for a in &objects.accounts {
        out.insert((a.namespace.as_str(), a.name.as_str()), a.automount);
    }
    out
}

/// [`token_mounted`] with the accounts looked up in `automount` ([`automount_of`]).
pub(super) fn mounted_with(
    w: &Workload,
    automount: &BTreeMap<(&str, &str), Option<bool>>,
) -> Mounted {
    if w.spec.projected_token {
        return Mounted {
            mounted: true,
            why: "a projected volume asks for a serviceAccountToken".to_string(),
        };
    }
    if let Some(on) = w.spec.automount {
        return Mounted {
            mounted: on,
            why: format!("automountServiceAccountToken: {on} on the pod spec"),
        };
    }
    let key = (w.namespace.as_str(), w.spec.account.as_str());
    match automount.get(&key).copied().flatten() {
        Some(on) => Mounted {
            mounted: on,
            why: format!("automountServiceAccountToken: {on} on the ServiceAccount"),
        },
        None => Mounted {
            mounted: true,
            why: "mounted by default: neither the pod spec nor the ServiceAccount says otherwise"
                .to_string(),
        },
    }
}

/// One workload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadRow {
    /// Namespace.
    pub namespace: String,
    /// `Deployment`, `Pod`, …
    pub kind: String,
    /// Name.
    pub name: String,
    /// The service account it runs as.
    pub account: String,
    /// Whether its token is mounted.
    pub token: Mounted,
    /// The most serious risk the account holds, when RBAC was pasted and it holds one.
    pub worst: Option<Finding>,
    /// The account holds no rule at all (RBAC pasted).
    pub no_grants: bool,
    /// Steps from the account to cluster-admin, when a path exists.
    pub escalates: Option<Vec<String>>,
    /// How the pod reaches its node: `privileged`, `hostPath /var/run`, `hostPID`, …
    pub node_access: Vec<String>,
    /// What to change, when anything.
    pub advice: Option<String>,
}

/// The workloads table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkloadTable {
    /// One row per workload not owned by another pasted one, in pasted order.
    pub rows: Vec<WorkloadRow>,
    /// Pods, ReplicaSets and Jobs folded into their controller's row.
    pub folded: usize,
    /// Service accounts not evaluated past [`MAX_ACCOUNTS`].
    pub unevaluated: usize,
    /// The escalation graph was cut short by its bounds.
    pub partial: bool,
}

/// How to tell whether a workload talks to the API server.
pub const USES_API_HINT: &str = "To tell whether it uses the API: look for its service account (user system:serviceaccount:NAMESPACE:NAME) in the API server's audit log or the Activity page, or check whether its code builds an in-cluster client (client-go rest.InClusterConfig, kubernetes.config.load_incluster_config) or reads /var/run/secrets/kubernetes.io/serviceaccount/token.";

fn node_access(w: &Workload) -> Vec<String> {
    let s = &w.spec;
    let mut out = Vec::new();
    if s.privileged {
        out.push("privileged".to_string());
    }
    for p in &s.host_paths {
        out.push(format!("hostPath {p}"));
    }
    for (on, what) in [
        (s.host_pid, "hostPID"),
        (s.host_network, "hostNetwork"),
        (s.host_ipc, "hostIPC"),
    ] {
        if on {
            out.push(what.to_string());
        }
    }
    out
}

/// Whether `w` belongs to another pasted workload: its owner was pasted, or it is the
/// ReplicaSet (or its Pod) of a pasted Deployment, or the Job of a pasted CronJob, named
/// after it.
fn is_folded(w: &Workload, pasted: &BTreeSet<(&str, &str, &str)>) -> bool {
    let Some((kind, owner)) = &w.owner else {
        return false;
    };
    if pasted.contains(&(w.namespace.as_str(), kind.as_str(), owner.as_str())) {
        return true;
    }
    let parent = match kind.as_str() {
        "ReplicaSet" => "Deployment",
        "Job" => "CronJob",
        _ => return false,
    };
    owner
        .rsplit_once('-')
        .is_some_and(|(stem, _)| pasted.contains(&(w.namespace.as_str(), parent, stem)))
}

/// The most serious risk of the rules held and the roles bound ([`risk::rule_risks`],
/// [`risk::binding_risks`]), the first of equals: what Access lists first for the account.
fn worst_of(policy: &Policy, held: &[Held<'_>]) -> Option<Finding> {
    let mut worst: Option<Finding> = None;
    let mut consider = |f: Finding| {
        if worst.as_ref().is_none_or(|w| f.level > w.level) {
            worst = Some(f);
        }
    };
    let mut last_binding = usize::MAX;
    for h in held {
        for f in risk::rule_risks(h.rule) {
            consider(f);
        }
        if h.binding != last_binding {
            last_binding = h.binding;
            let ns = policy
                .bindings
                .get(h.binding)
                .and_then(|b| b.namespace.as_deref());
            for f in risk::binding_risks(&h.role.name, ns) {
                consider(f);
            }
        }
    }
    worst
}

/// The workloads of `objects`, with grants and escalation paths when `policy` is given.
pub fn workload_rows(objects: &Objects, policy: Option<&Policy>) -> WorkloadTable {
    let mut work = WorkloadWork::new(objects, policy);
    while work.step() {}
    work.finish()
}

/// Accounts whose grants one [`WorkloadWork::step`] resolves, or whose escalation graph it
/// builds: a few milliseconds of a 4 MiB cluster's work natively, so a page can take a task for
/// each and never hold the main thread for the whole table.
pub const ACCOUNTS_PER_STEP: usize = 64;

/// The cluster-admin target every workload's path leads to.
static CLUSTER_ADMIN: Target = Target::ClusterAdmin;

/// The workloads table worked out a part at a time: each [`WorkloadWork::step`] resolves the
/// grants of [`ACCOUNTS_PER_STEP`] accounts, then builds the escalation graph of as many
/// (an account's shortest path depends only on what it reaches, not on the other accounts in
/// its graph), and [`WorkloadWork::finish`] writes the rows. [`workload_rows`] is all the steps
/// at once, so the two give the same table.
pub struct WorkloadWork<'a> {
    objects: &'a Objects,
    /// The policy and its index, when there is a policy.
    index: Option<(&'a Policy, Universe<'a>)>,
    /// The workloads that are a row of their own.
    mine: Vec<&'a Workload>,
    /// How far the grants were resolved, in `mine`.
    resolved: usize,
    /// The accounts, in the order their grants were resolved.
    keys: Vec<(&'a str, &'a str)>,
    /// How many of `keys` have their graph built.
    searched: usize,
    accounts: BTreeMap<(&'a str, &'a str), (Option<Finding>, bool)>,
    paths_of: BTreeMap<(&'a str, &'a str), Vec<String>>,
    table: WorkloadTable,
}

impl<'a> WorkloadWork<'a> {
    /// The work of the table of `objects`, nothing done yet but folding controllers' pods.
    pub fn new(objects: &'a Objects, policy: Option<&'a Policy>) -> WorkloadWork<'a> {
        // Inserted, not collected: collecting into a set instantiates a sort for its type.
        let mut pasted: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
        for w in &objects.workloads {
            pasted.insert((w.namespace.as_str(), w.kind.as_str(), w.name.as_str()));
        }
        let mut table = WorkloadTable::default();
        let mine: Vec<&Workload> = objects
            .workloads
            .iter()
            .filter(|w| {
                let folded = is_folded(w, &pasted);
                table.folded += usize::from(folded);
                !folded
            })
            .collect();
        WorkloadWork {
            objects,
            index: policy.map(|p| (p, Universe::new(p, objects, &CLUSTER_ADMIN))),
            mine,
            resolved: 0,
            keys: Vec::new(),
            searched: 0,
            accounts: BTreeMap::new(),
            paths_of: BTreeMap::new(),
            table,
        }
    }

    /// Does the next part of the work; `false` once there is none left.
    pub fn step(&mut self) -> bool {
        let Some((policy, index)) = &self.index else {
            return false;
        };
        if self.resolved < self.mine.len() {
            // Every account once: its grants.
            let mut done = 0;
            while let Some(w) = self.mine.get(self.resolved) {
                if done == ACCOUNTS_PER_STEP {
                    break;
                }
                self.resolved += 1;
                let key = (w.namespace.as_str(), w.spec.account.as_str());
                if self.accounts.contains_key(&key) {
                    continue;
                }
                if self.accounts.len() >= MAX_ACCOUNTS {
                    self.table.unevaluated += 1;
                    continue;
                }
                let held = index.held(&Subject::from_service_account(key.0, key.1));
                self.accounts
                    .insert(key, (worst_of(policy, &held), held.is_empty()));
                self.keys.push(key);
                done += 1;
            }
            return true;
        }
        // Then one graph from a batch of accounts to cluster-admin.
        let end = (self.searched + ACCOUNTS_PER_STEP).min(self.keys.len());
        let Some(batch) = self.keys.get(self.searched..end) else {
            return false;
        };
        if batch.is_empty() {
            return false;
        }
        let starts: Vec<Subject> = batch
            .iter()
            .map(|(ns, n)| Subject::from_service_account(ns, n))
            .collect();
        let g = graph::build_in(index, &starts, &[]);
        self.table.partial |= g.partial;
        let d = paths::distances(&g);
        for (key, node) in batch.iter().zip(&g.start_nodes) {
            if let Some(path) = paths::path_from(&g, &d, *node).filter(|p| !p.is_empty()) {
                let words = path
                    .iter()
                    .filter_map(|&e| g.edges.get(e))
                    .map(|e| super::words::edge_words(&g, policy, e))
                    .collect();
                self.paths_of.insert(*key, words);
            }
        }
        self.searched = end;
        true
    }

    /// The rows, from the work done so far (all of it, once [`WorkloadWork::step`] said so).
    pub fn finish(self) -> WorkloadTable {
        let WorkloadWork {
            objects,
            mine,
            accounts,
            paths_of,
            mut table,
            ..
        } = self;
        let automount = automount_of(objects);
        for w in mine {
            let key = (w.namespace.as_str(), w.spec.account.as_str());
            let token = mounted_with(w, &automount);
            let (worst, no_grants) = accounts.get(&key).cloned().unwrap_or((None, false));
            let escalates = paths_of.get(&key).cloned();
            let advice = (token.mounted && no_grants).then(|| {
                format!(
                    "Its account holds no RBAC rule: set automountServiceAccountToken: false on the pod spec (or the ServiceAccount) unless it calls the API anyway. {USES_API_HINT}"
                )
            });
            table.rows.push(WorkloadRow {
                namespace: w.namespace.clone(),
                kind: w.kind.clone(),
                name: w.name.clone(),
                account: w.spec.account.clone(),
                token,
                worst,
                no_grants,
                escalates,
                node_access: node_access(w),
                advice,
            });
        }
        table
    }
}
