//! Writing the RBAC form's objects: the manifests as `kubectl create … -o yaml` writes them,
//! the kubectl script that makes the same objects, and the download's file name.

use serde_json::{json, Value};

use super::{Names, RbacForm, Scope, SubjectKind};
use crate::formats::shell::quote;
use crate::formats::yaml_write;
use crate::k8s::kube::{kubectl_allows, KUBECTL_URL_VERBS, KUBECTL_VERBS};
use crate::k8s::risk::Rule;
use crate::k8s::write::{self, metadata, BindingSubject, RoleKind};

/// The binding's subject: a service account with its namespace, or a user or group.
fn subject(names: &Names) -> BindingSubject<'_> {
    match names.subject {
        SubjectKind::ServiceAccount => BindingSubject::ServiceAccount {
            namespace: &names.home,
            name: &names.account,
        },
        SubjectKind::User => BindingSubject::User(&names.account),
        SubjectKind::Group => BindingSubject::Group(&names.account),
    }
}

/// A binding of `names.role` (a `role_kind`) to the subject: a RoleBinding in `namespace`,
/// or a ClusterRoleBinding.
fn binding(role_kind: RoleKind, names: &Names, namespace: Option<&str>) -> Value {
    write::binding(
        &names.binding,
        namespace,
        role_kind,
        &names.role,
        &[subject(names)],
    )
}

/// The objects, in the order they must be applied: the account, then for each namespace the
/// role and its binding (or the one ClusterRole, then a binding in each namespace), the
/// Secret (which names the account, so it must exist first). Keys are in kubectl's order,
/// which is alphabetical, so a diff against `kubectl get -o yaml` shows only real changes.
pub(super) fn documents(form: &RbacForm, names: &Names, rules: &[Rule]) -> Vec<Value> {
    let mut out = Vec::new();
    let account = names.subject == SubjectKind::ServiceAccount;
    if account {
        out.push(json!({
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": metadata(&names.account, Some(&names.home)),
        }));
    }
    match form.scope {
        Scope::Namespace if !form.shared_role => {
            for ns in &names.namespaces {
                out.push(write::role(&names.role, Some(ns), rules));
                out.push(binding(RoleKind::Role, names, Some(ns)));
            }
        }
        Scope::Namespace | Scope::BindClusterRole => {
            if form.scope == Scope::Namespace {
                out.push(write::role(&names.role, None, rules));
            }
            for ns in &names.namespaces {
                out.push(binding(RoleKind::ClusterRole, names, Some(ns)));
            }
        }
        Scope::Cluster | Scope::BindClusterRoleClusterWide => {
            if form.scope == Scope::Cluster {
                out.push(write::role(&names.role, None, rules));
            }
            out.push(binding(RoleKind::ClusterRole, names, None));
        }
    }
    if form.token_secret && account {
        out.push(json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "annotations": {"kubernetes.io/service-account.name": names.account},
                "name": names.secret,
                "namespace": names.home,
            },
            "type": "kubernetes.io/service-account-token",
        }));
    }
    out
}

/// `--resource=` values for a rule: `pods`, `deployments.apps`, `deployments.apps/scale`.
fn kubectl_resources(rule: &Rule) -> Vec<String> {
    let mut out = Vec::new();
    for group in &rule.api_groups {
        for resource in &rule.resources {
            let (base, sub) = match resource.split_once('/') {
                Some((b, s)) => (b, Some(s)),
                None => (resource.as_str(), None),
            };
            let mut text = base.to_string();
            if !group.is_empty() {
                text.push('.');
                text.push_str(group);
            }
            if let Some(sub) = sub {
                text.push('/');
                text.push_str(sub);
            }
            out.push(text);
        }
    }
    out
}

/// One `kubectl create role|clusterrole` command for all the rules, when kubectl can say it:
/// every rule with the same verbs and resource names (kubectl takes one set of each), no `*`
/// group (kubectl looks groups up by name), and only verbs and pairs kubectl accepts. kubectl
/// then writes one rule per group, sorted by group, which is the same grant.
fn create_role_command(
    kind: &str,
    names: &Names,
    rules: &[Rule],
    ns: Option<&str>,
) -> Option<String> {
    // A role's name is a positional word: one typed as `-x` would be read as an option.
    if names.role.starts_with('-') {
        return None;
    }
    let first = rules.first()?;
    if rules.iter().any(|r| !r.non_resource_urls.is_empty()) {
        return create_url_role_command(kind, names, rules);
    }
    let same = rules
        .iter()
        .all(|r| r.verbs == first.verbs && r.resource_names == first.resource_names);
    let expressible = rules.iter().all(|r| {
        r.api_groups.iter().all(|g| g != "*")
            && r.verbs.iter().all(|v| {
                KUBECTL_VERBS.contains(&v.as_str())
                    && r.api_groups
                        .iter()
                        .all(|g| r.resources.iter().all(|res| kubectl_allows(v, g, res)))
            })
    });
    if !same || !expressible {
        return None;
    }
    let mut cmd = format!("kubectl create {kind} {}", quote(&names.role));
    if let Some(ns) = ns {
        cmd.push_str(&format!(" --namespace={}", quote(ns)));
    }
    cmd.push_str(&format!(" --verb={}", quote(&first.verbs.join(","))));
    let resources: Vec<String> = rules.iter().flat_map(kubectl_resources).collect();
    cmd.push_str(&format!(" --resource={}", quote(&resources.join(","))));
    for name in &first.resource_names {
        cmd.push_str(&format!(" --resource-name={}", quote(name)));
    }
    Some(cmd)
}

/// `kubectl create clusterrole … --non-resource-url=…` when every rule is of non-resource URLs
/// with the same verbs, all of them verbs kubectl takes for URLs.
fn create_url_role_command(kind: &str, names: &Names, rules: &[Rule]) -> Option<String> {
    let first = rules.first()?;
    let expressible = kind == "clusterrole"
        && rules.iter().all(|r| {
            r.verbs == first.verbs
                && r.resources.is_empty()
                && r.api_groups.is_empty()
                && r.resource_names.is_empty()
                && !r.non_resource_urls.is_empty()
                && r.verbs
                    .iter()
                    .all(|v| KUBECTL_URL_VERBS.contains(&v.as_str()))
        });
    if !expressible {
        return None;
    }
    let mut cmd = format!(
        "kubectl create clusterrole {} --verb={}",
        quote(&names.role),
        quote(&first.verbs.join(","))
    );
    for url in rules.iter().flat_map(|r| &r.non_resource_urls) {
        cmd.push_str(&format!(" --non-resource-url={}", quote(url)));
    }
    Some(cmd)
}

/// `kubectl apply` with `value` in a here-document, for what `kubectl create` cannot say.
/// The delimiter is quoted, so nothing in the YAML is expanded, and no line of our YAML can
/// be `EOF` alone (every line is a key, a `- ` item or `---`).
fn apply(value: &Value) -> String {
    format!(
        "kubectl apply -f - <<'EOF'\n{}EOF\n",
        yaml_write::document(value)
    )
}

/// What turns a `kubectl create … ` into an apply: the object is printed, not created, and
/// `kubectl apply` creates it or updates the one already there, so the script can run twice.
const APPLIED: &str = " --dry-run=client -o yaml | kubectl apply -f -";

/// The flag naming the subject of `kubectl create rolebinding|clusterrolebinding`, glued to
/// its value so a name can never be read as an option.
fn subject_flag(names: &Names) -> String {
    match names.subject {
        SubjectKind::ServiceAccount => format!(
            "--serviceaccount={}",
            quote(&format!("{}:{}", names.home, names.account))
        ),
        SubjectKind::User => format!("--user={}", quote(&names.account)),
        SubjectKind::Group => format!("--group={}", quote(&names.account)),
    }
}

/// `kubectl auth can-i --list` as the subject, in `ns`: a group is checked as a member of
/// it (kubectl impersonates groups only along with a user).
fn can_i_list(names: &Names, ns: &str) -> String {
    let as_ = match names.subject {
        SubjectKind::ServiceAccount => format!(
            "--as={}",
            quote(&format!(
                "system:serviceaccount:{}:{}",
                names.home, names.account
            ))
        ),
        SubjectKind::User => format!("--as={}", quote(&names.account)),
        SubjectKind::Group => format!(
            "--as=member-of-the-group --as-group={}",
            quote(&names.account)
        ),
    };
    format!(
        "kubectl auth can-i --list --namespace={} {as_}\n",
        quote(ns)
    )
}

/// One command (or applied here-document) for one of the documents.
fn command_for(doc: &Value, names: &Names, rules: &[Rule]) -> String {
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
    let ns = doc
        .get("metadata")
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str);
    let q_ns = |ns: &str| format!(" --namespace={}", quote(ns));
    match kind {
        "ServiceAccount" => format!(
            "kubectl create serviceaccount {}{}{APPLIED}\n",
            quote(&names.account),
            q_ns(&names.home)
        ),
        "Role" | "ClusterRole" => {
            let lower = kind.to_ascii_lowercase();
            match create_role_command(&lower, names, rules, ns) {
                Some(cmd) => format!("{cmd}{APPLIED}\n"),
                None => format!(
                    "# kubectl create {lower} takes one set of verbs for all its resources \
                     (and no * group), so the {lower} is applied as YAML.\n{}",
                    apply(doc)
                ),
            }
        }
        "RoleBinding" | "ClusterRoleBinding" => {
            let role_kind = doc
                .get("roleRef")
                .and_then(|r| r.get("kind"))
                .and_then(Value::as_str)
                .unwrap_or("ClusterRole")
                .to_ascii_lowercase();
            if names.binding.starts_with('-') {
                return apply(doc);
            }
            format!(
                "kubectl create {} {}{} --{role_kind}={} {}{APPLIED}\n",
                kind.to_ascii_lowercase(),
                quote(&names.binding),
                ns.map(q_ns).unwrap_or_default(),
                quote(&names.role),
                subject_flag(names)
            )
        }
        _ => format!(
            "# kubectl has no command for a token Secret with its annotation; the token \
             controller fills it in.\n{}",
            apply(doc)
        ),
    }
}

/// A bash script that makes the same objects with kubectl. It can run again: every object is
/// applied, so one that already exists (the service account, most often) is updated rather
/// than stopping the script.
pub(super) fn script(
    form: &RbacForm,
    names: &Names,
    rules: &[Rule],
    documents: &[Value],
) -> String {
    let mut s = String::new();
    s.push_str("#!/usr/bin/env bash\n");
    let who = match names.subject {
        SubjectKind::ServiceAccount => {
            format!("service account {}/{}", names.home, names.account)
        }
        SubjectKind::User => format!("user {}", names.account),
        SubjectKind::Group => format!("group {}", names.account),
    };
    let verb = if names.subject == SubjectKind::ServiceAccount {
        "Creates"
    } else {
        "Grants"
    };
    s.push_str(&format!(
        "# {verb} {who} and what it may do, as the YAML does.\n"
    ));
    s.push_str("# Safe to run again: each object is applied, so one that exists is updated.\n");
    s.push_str("set -euo pipefail\n");
    for doc in documents {
        s.push_str(&command_for(doc, names, rules));
    }
    s.push_str("# What the subject may do:\n");
    if form.scope.cluster_wide() {
        s.push_str(&can_i_list(names, names.check_namespace()));
    } else {
        for ns in &names.namespaces {
            s.push_str(&can_i_list(names, ns));
        }
    }
    if names.subject == SubjectKind::ServiceAccount {
        s.push_str("# A token that expires in an hour (Kubernetes 1.24 and later):\n");
        s.push_str(&format!(
            "kubectl create token {} --namespace={} --duration=1h\n",
            quote(&names.account),
            quote(&names.home)
        ));
    }
    s
}

/// `text` lower-cased, with anything outside `[a-z0-9.-]` turned into `-`, no `-` or `.` at
/// either end, at most 64 characters: a part of a name that is always a DNS name. Empty when
/// nothing is left.
pub(super) fn slug(text: &str) -> String {
    let mut stem = String::new();
    for c in text.chars().map(|c| c.to_ascii_lowercase()) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' {
            c
        } else {
            '-'
        };
        if !(c == '-' && stem.ends_with('-')) {
            stem.push(c);
        }
    }
    stem.trim_matches(['-', '.'])
        .chars()
        .take(64)
        .collect::<String>()
        .trim_matches(['-', '.'])
        .to_string()
}

/// `<account>-rbac.yaml`, lower-cased, with anything outside `[a-z0-9.-]` turned into `-`, or
/// `rbac.yaml` when nothing is left.
pub(super) fn file_name(account: &str) -> String {
    let stem = slug(account);
    if stem.is_empty() {
        "rbac.yaml".to_string()
    } else {
        format!("{stem}-rbac.yaml")
    }
}
