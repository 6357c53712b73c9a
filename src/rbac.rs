//! Building the RBAC objects a subject needs (`#/rbac`): a service account of any namespace, a
//! user or a group, in one namespace or several, with what they allow said in plain words.
//!
//! Writing RBAC by hand goes wrong in quiet ways: `core` or `v1` where the core group is `""`,
//! `Pods` or `deployments.apps` in `resources` (neither ever matches), a `roleRef` with the
//! wrong `apiGroup`, a binding whose subject lacks its namespace. The API server accepts some
//! of these and the rule then grants nothing; others it refuses. So this module checks every
//! field, says beside which field (and which rule row) what is wrong and why, and writes the
//! objects the way `kubectl create … --dry-run=client -o yaml` does: same keys, same order,
//! same rule grouping (`tests/it/rbac.rs` compares each preset with kubectl's own output). It
//! also gives the same result as kubectl commands and a table of what the account may do, and
//! warns about what is dangerous to grant through [`crate::k8s::risk`], which the access evaluator
//! shares.
//!
//! The parts: `form` (what was typed, and its fields), `preset`, `check` (names and lengths)
//! and `check_rule` (one rule row), `builtin` (the rules of `view`, `edit`, `admin` and
//! `cluster-admin`), `write` (manifests, the kubectl script, the file name) and `summary` (in
//! plain words). This file ties them together in [`build`].
//!
//! # Why `serde_json::json!` and not `k8s-openapi`
//! Typed structs from the `k8s-openapi` crate (0.29, feature `v1_33`) would rule out a
//! misspelt field, but they are large in WebAssembly: `ObjectMeta` alone serialises a dozen
//! optional fields, and its timestamps bring a date library along. Measured on a standalone
//! wasm crate (release, `opt-level = "z"`, LTO, `wasm-opt -Oz`) building the same six kinds of
//! object, the typed version was four times the size of `json!` with the same `serde_json`,
//! gzipped, and its difference alone is several times what we allow a feature. The documents
//! here have at most a dozen fixed keys, written once each in `write::documents` in kubectl's
//! (alphabetical) order, and every one is compared with kubectl's output in the tests, which is
//! the check the types would have given.

mod builtin;
mod check;
mod check_rule;
mod form;
mod preset;
mod summary;
mod write;

use serde_json::Value;

pub use builtin::builtin_cluster_role;
pub use form::{
    split_list, Field, Problem, RbacForm, RuleRow, Scope, SubjectKind, Warning,
    BUILTIN_CLUSTER_ROLES, VERBS,
};
pub use preset::Preset;
pub use summary::SummaryRow;

use crate::formats::yaml_write;
use crate::k8s::risk::{self, Rule};
use crate::support::checks::Checks;
use crate::support::finding::{Finding, Level};

/// Everything the page shows for a filled-in form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RbacOutput {
    /// The objects as one multi-document YAML file; `None` while there are errors.
    pub yaml: Option<String>,
    /// The same objects as values, in the same order: the ServiceAccount (for a service
    /// account), then per namespace a Role and its binding (or one ClusterRole, not when
    /// binding an existing one, then the bindings), the token Secret (when asked for).
    /// Empty while there are errors.
    pub documents: Vec<Value>,
    /// What stops the objects from being written.
    pub errors: Vec<Problem>,
    /// What the objects grant that deserves attention, most serious first within each field.
    pub warnings: Vec<Warning>,
    /// A bash script that makes the same objects with kubectl, safe to run again (every object
    /// is applied); empty while there are errors.
    pub kubectl_script: String,
    /// What the account may do, in plain words (also while there are errors, from the rows
    /// that could be read).
    pub summary: Vec<SummaryRow>,
    /// A file name for the download: `<service account>-rbac.yaml` (for a user or group, named
    /// after the binding), only `[a-z0-9.-]`.
    pub file_name: String,
}

/// The most namespaces one form grants in: each adds a Role and a binding, and a page of
/// hundreds of objects is a paste into the wrong box, not a grant anyone reviews.
pub const MAX_NAMESPACES: usize = 64;

/// The names of the objects written, derived from the subject's name.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Names {
    subject: SubjectKind,
    /// The subject's name: the service account's, the user's or the group's.
    account: String,
    /// The service account's namespace; empty for a user or group.
    home: String,
    /// Where namespaced bindings go, in the order typed.
    namespaces: Vec<String>,
    /// The Role or ClusterRole (not used when binding an existing ClusterRole).
    role: String,
    binding: String,
    secret: String,
}

impl Names {
    /// The namespace a check or a token command runs in: the account's own, else the first
    /// granted, else `default`.
    fn check_namespace(&self) -> &str {
        if !self.home.is_empty() {
            return &self.home;
        }
        self.namespaces.first().map_or("default", String::as_str)
    }
}

fn names(form: &RbacForm) -> Names {
    let account = form.service_account.trim().to_string();
    let namespaces = split_list(&form.namespace);
    let home = match form.subject {
        SubjectKind::ServiceAccount => {
            let own = form.account_namespace.trim();
            if own.is_empty() {
                namespaces.first().cloned().unwrap_or_default()
            } else {
                own.to_string()
            }
        }
        SubjectKind::User | SubjectKind::Group => String::new(),
    };
    // Named after the subject, so two subjects' grants never share a role. A service account
    // granted outside its own namespace carries that namespace: `ci-deployer` in `app1` is
    // not mistaken for a grant to `app1`'s own `deployer`. Users and groups are free text,
    // so their part is reduced to what a DNS name holds, and never starts with '-'.
    let part = |prefix: &str| {
        let slug = write::slug(&account);
        if slug.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}-{slug}")
        }
    };
    let base = match form.subject {
        SubjectKind::ServiceAccount if namespaces.iter().all(|ns| *ns == home) => account.clone(),
        SubjectKind::ServiceAccount => format!("{home}-{account}"),
        SubjectKind::User => part("user"),
        SubjectKind::Group => part("group"),
    };
    // ClusterRoles have no namespace: `demo:ci` keeps two accounts named `ci` in different
    // namespaces from overwriting each other's role. Colons are allowed in RBAC names and
    // Kubernetes uses them the same way (`system:controller:…`).
    let wide = match form.subject {
        SubjectKind::ServiceAccount => format!("{home}:{account}"),
        SubjectKind::User | SubjectKind::Group => base.clone(),
    };
    let named = Some(form.role_name.trim().to_string()).filter(|n| !n.is_empty());
    let cluster_role = form.cluster_role.trim();
    let (role, binding) = match form.scope {
        Scope::Namespace if !form.shared_role => {
            let name = named.unwrap_or(base);
            (name.clone(), name)
        }
        Scope::Namespace | Scope::Cluster => {
            let name = named.unwrap_or(wide);
            (name.clone(), name)
        }
        Scope::BindClusterRole => (cluster_role.to_string(), format!("{base}-{cluster_role}")),
        Scope::BindClusterRoleClusterWide => {
            (cluster_role.to_string(), format!("{wide}-{cluster_role}"))
        }
    };
    Names {
        subject: form.subject,
        secret: format!("{account}-token"),
        account,
        home,
        namespaces,
        role,
        binding,
    }
}

/// The rules the form grants, as the access evaluator reads them: the rows for a Role or
/// ClusterRole (as far as they can be read), or the bound ClusterRole's rules when it is a
/// built-in one ([`builtin_cluster_role`]); empty for any other bound ClusterRole.
pub fn rules(form: &RbacForm) -> Vec<Rule> {
    match form.scope {
        Scope::Namespace | Scope::Cluster => form.rules.iter().map(form::parse_row).collect(),
        Scope::BindClusterRole | Scope::BindClusterRoleClusterWide => {
            builtin_cluster_role(form.cluster_role.trim()).unwrap_or_default()
        }
    }
}

/// The form's subject as the access evaluator's subject field reads it: a service account's
/// user name, a user's name, or `group:NAME`.
pub fn access_subject(form: &RbacForm) -> String {
    let names = names(form);
    match form.subject {
        SubjectKind::ServiceAccount => {
            format!("system:serviceaccount:{}:{}", names.home, names.account)
        }
        SubjectKind::User => names.account,
        SubjectKind::Group => format!("group:{}", names.account),
    }
}

/// Checks the form and, when nothing blocks it, writes the objects, the script and the summary.
pub fn build(form: &RbacForm) -> RbacOutput {
    let mut checks = Checks::new();
    // A field of megabytes is a paste into the wrong box. Refuse it before any message could
    // quote it: a page laying out a megabyte-long word stops answering.
    check::too_long_fields(form, &mut checks);
    if checks.has_errors() {
        let (errors, _) = checks.into_parts();
        return RbacOutput {
            errors,
            ..RbacOutput::default()
        };
    }
    let names = names(form);

    check::check_subject(form, &names, &mut checks);
    check::check_namespaces(form, &names, &mut checks);
    let rules = rules(form);
    match form.scope {
        Scope::Namespace | Scope::Cluster => {
            if form.rules.is_empty() {
                checks.error(
                    Field::Rules,
                    "There are no rules: a role grants only what its rules list, so it would \
                     grant nothing. Add a rule, or choose a preset.",
                );
            }
            for (i, (row, rule)) in form.rules.iter().zip(&rules).enumerate() {
                check_rule::check_row(i, row, rule, form.scope, &mut checks);
            }
            if form.scope == Scope::Cluster {
                checks.warn(
                    Field::Scope,
                    Finding {
                        level: Level::Info,
                        title: "Cluster-wide".to_string(),
                        why: "A ClusterRoleBinding grants these rules in every namespace, \
                         kube-system included, now and in namespaces created later. Choose the \
                         namespace scope unless the account really works across namespaces or \
                         on cluster-scoped resources."
                            .to_string(),
                    },
                );
            }
            // The role bound here is the one written above, never the built-in cluster-admin
            // (even for an account named so): only the bindings' namespaces can be a risk.
            if form.scope == Scope::Namespace {
                for ns in &names.namespaces {
                    checks.warn_once(Field::Namespace, risk::binding_risks("", Some(ns)));
                }
            } else {
                checks.warn_once(Field::Scope, risk::binding_risks("", None));
            }
        }
        Scope::BindClusterRole | Scope::BindClusterRoleClusterWide => {
            check::check_cluster_role(&names.role, &mut checks);
            let mut findings = Vec::new();
            if form.scope == Scope::BindClusterRole {
                for ns in &names.namespaces {
                    for finding in risk::binding_risks(&names.role, Some(ns)) {
                        if !findings.contains(&finding) {
                            findings.push(finding);
                        }
                    }
                }
            } else {
                findings = risk::binding_risks(&names.role, None);
            }
            if form.scope == Scope::BindClusterRoleClusterWide && names.role != "cluster-admin" {
                findings.push(Finding {
                    level: Level::Warning,
                    title: format!("{} bound cluster-wide", names.role),
                    why: format!(
                        "A ClusterRoleBinding grants everything {} allows in every namespace, \
                         kube-system included, now and in namespaces created later, and on \
                         cluster-scoped resources. A leaked token carries all of it. Bind it in \
                         the namespace the account works in unless it really works everywhere.",
                        names.role
                    ),
                });
            }
            // For cluster-admin the binding's warning says it all; the wildcard warnings of
            // its rules would only bury it.
            if names.role != "cluster-admin" {
                for rule in &rules {
                    findings.extend(risk::rule_risks(rule));
                }
            }
            checks.warn_once(Field::ClusterRole, findings);
        }
    }
    if form.token_secret && form.subject == SubjectKind::ServiceAccount {
        check::check_secret_name(&names, &mut checks);
        checks.warn(
            Field::TokenSecret,
            Finding {
                level: Level::Warning,
                title: "Long-lived token".to_string(),
                why: format!(
                    "Since Kubernetes 1.24 a service account no longer gets a token Secret \
                     automatically; this one is made on purpose. Its token never expires: it \
                     works until the Secret is deleted, and anyone who can read Secrets in \
                     {ns} can use it. For short-lived access, \
                     `kubectl create token {sa} --namespace={ns} --duration=1h` is better.",
                    // Only checked names reach the command, never one read as an option.
                    ns = if crate::k8s::names::label_fault(&names.home).is_none() {
                        names.home.as_str()
                    } else {
                        "NAMESPACE"
                    },
                    sa = if crate::k8s::names::subdomain_fault(&names.account).is_none() {
                        names.account.as_str()
                    } else {
                        "SERVICE_ACCOUNT"
                    },
                ),
            },
        );
    }
    let (errors, mut warnings) = checks.into_parts();
    // Most serious first, and the order of the form within one level (a stable sort).
    crate::support::sort::stable_by(&mut warnings, |a, b| b.finding.level.cmp(&a.finding.level));

    let mut output = RbacOutput {
        yaml: None,
        documents: Vec::new(),
        errors,
        warnings,
        kubectl_script: String::new(),
        summary: summary::summary(form, &names, &rules),
        file_name: write::file_name(match form.subject {
            SubjectKind::ServiceAccount => &names.account,
            SubjectKind::User | SubjectKind::Group => &names.binding,
        }),
    };
    if output.errors.is_empty() {
        output.documents = write::documents(form, &names, &rules);
        output.yaml = Some(yaml_write::documents(&output.documents));
        output.kubectl_script = write::script(form, &names, &rules, &output.documents);
    }
    output
}

/// `text` as the page quotes it: in double quotes, with anything invisible escaped.
fn shown(text: &str) -> String {
    format!("{text:?}")
}
