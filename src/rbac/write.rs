//! Writing the RBAC form's objects: the manifests as `kubectl create … -o yaml` writes them,
//! the kubectl script that makes the same objects, and the download's file name.

use serde_json::{json, Map, Value};

use super::{Names, RbacForm, Scope};
use crate::kube::{kubectl_allows, KUBECTL_URL_VERBS, KUBECTL_VERBS, RBAC_GROUP};
use crate::risk::Rule;
use crate::shell::quote;
use crate::yaml_write;

/// The RBAC API's group and version, in every Role, ClusterRole and binding.
const RBAC_API_VERSION: &str = "rbac.authorization.k8s.io/v1";

/// `metadata` with a name and, for namespaced objects, the namespace.
fn metadata(name: &str, namespace: Option<&str>) -> Value {
    let mut meta = Map::new();
    meta.insert("name".into(), name.into());
    if let Some(namespace) = namespace {
        meta.insert("namespace".into(), namespace.into());
    }
    Value::Object(meta)
}

/// A rule as the API server and kubectl write it: keys in alphabetical order, resourceNames
/// only when there are some; a rule of non-resource URLs has only those and its verbs.
fn rule_value(rule: &Rule) -> Value {
    let mut out = Map::new();
    if !rule.non_resource_urls.is_empty() {
        out.insert("nonResourceURLs".into(), json!(rule.non_resource_urls));
        out.insert("verbs".into(), json!(rule.verbs));
        return Value::Object(out);
    }
    out.insert("apiGroups".into(), json!(rule.api_groups));
    if !rule.resource_names.is_empty() {
        out.insert("resourceNames".into(), json!(rule.resource_names));
    }
    out.insert("resources".into(), json!(rule.resources));
    out.insert("verbs".into(), json!(rule.verbs));
    Value::Object(out)
}

/// The objects, in the order they must be applied: the account, the role, the binding, the
/// Secret (which names the account, so it must exist first). Keys are in kubectl's order,
/// which is alphabetical, so a diff against `kubectl get -o yaml` shows only real changes.
pub(super) fn documents(form: &RbacForm, names: &Names, rules: &[Rule]) -> Vec<Value> {
    let ns = names.namespace.as_str();
    let mut out = vec![json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": metadata(&names.account, Some(ns)),
    })];
    let (role_kind, binding_kind, role_ns) = match form.scope {
        Scope::Namespace => ("Role", "RoleBinding", Some(ns)),
        Scope::Cluster => ("ClusterRole", "ClusterRoleBinding", None),
        Scope::BindClusterRole => ("ClusterRole", "RoleBinding", Some(ns)),
        Scope::BindClusterRoleClusterWide => ("ClusterRole", "ClusterRoleBinding", None),
    };
    if !form.scope.binds_existing() {
        out.push(json!({
            "apiVersion": RBAC_API_VERSION,
            "kind": role_kind,
            "metadata": metadata(&names.role, role_ns),
            "rules": rules.iter().map(rule_value).collect::<Vec<_>>(),
        }));
    }
    out.push(json!({
        "apiVersion": RBAC_API_VERSION,
        "kind": binding_kind,
        "metadata": metadata(&names.binding, role_ns),
        "roleRef": {
            "apiGroup": RBAC_GROUP,
            "kind": role_kind,
            "name": names.role,
        },
        "subjects": [{
            "kind": "ServiceAccount",
            "name": names.account,
            "namespace": ns,
        }],
    }));
    if form.token_secret {
        out.push(json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "annotations": {"kubernetes.io/service-account.name": names.account},
                "name": names.secret,
                "namespace": ns,
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

/// A bash script that makes the same objects with kubectl.
pub(super) fn script(
    form: &RbacForm,
    names: &Names,
    rules: &[Rule],
    documents: &[Value],
) -> String {
    let ns = names.namespace.as_str();
    let q_ns = quote(ns);
    let q_account = quote(&names.account);
    let subject_text = format!("{ns}:{}", names.account);
    let subject = quote(&subject_text);
    let mut s = String::new();
    s.push_str("#!/usr/bin/env bash\n");
    s.push_str(&format!(
        "# Creates service account {ns}/{} and what it may do, as the YAML does.\n",
        names.account
    ));
    s.push_str("set -euo pipefail\n");
    s.push_str(&format!(
        "kubectl create serviceaccount {q_account} --namespace={q_ns}\n"
    ));
    let role_doc = documents.iter().find(|d| {
        matches!(
            d.get("kind").and_then(Value::as_str),
            Some("Role" | "ClusterRole")
        )
    });
    match form.scope {
        Scope::Namespace | Scope::Cluster => {
            let (kind, role_ns) = if form.scope == Scope::Namespace {
                ("role", Some(ns))
            } else {
                ("clusterrole", None)
            };
            match create_role_command(kind, names, rules, role_ns) {
                Some(cmd) => {
                    s.push_str(&cmd);
                    s.push('\n');
                }
                None => {
                    s.push_str(&format!(
                        "# kubectl create {kind} takes one set of verbs for all its resources \
                         (and no * group), so the {kind} is applied as YAML.\n"
                    ));
                    if let Some(doc) = role_doc {
                        s.push_str(&apply(doc));
                    }
                }
            }
            if form.scope == Scope::Namespace {
                s.push_str(&format!(
                    "kubectl create rolebinding {} --namespace={q_ns} --role={} \
                     --serviceaccount={subject}\n",
                    quote(&names.binding),
                    quote(&names.role)
                ));
            } else {
                s.push_str(&format!(
                    "kubectl create clusterrolebinding {} --clusterrole={} \
                     --serviceaccount={subject}\n",
                    quote(&names.binding),
                    quote(&names.role)
                ));
            }
        }
        Scope::BindClusterRole => {
            s.push_str(&format!(
                "kubectl create rolebinding {} --namespace={q_ns} --clusterrole={} \
                 --serviceaccount={subject}\n",
                quote(&names.binding),
                quote(&names.role)
            ));
        }
        Scope::BindClusterRoleClusterWide => {
            s.push_str(&format!(
                "kubectl create clusterrolebinding {} --clusterrole={} \
                 --serviceaccount={subject}\n",
                quote(&names.binding),
                quote(&names.role)
            ));
        }
    }
    if form.token_secret {
        s.push_str(
            "# kubectl has no command for a token Secret with its annotation; the token \
             controller fills it in.\n",
        );
        if let Some(doc) = documents
            .iter()
            .find(|d| d.get("kind").and_then(Value::as_str) == Some("Secret"))
        {
            s.push_str(&apply(doc));
        }
    }
    s.push_str("# What the account may do:\n");
    s.push_str(&format!(
        "kubectl auth can-i --list --namespace={q_ns} --as={}\n",
        quote(&format!("system:serviceaccount:{ns}:{}", names.account))
    ));
    s.push_str("# A token that expires in an hour (Kubernetes 1.24 and later):\n");
    s.push_str(&format!(
        "kubectl create token {q_account} --namespace={q_ns} --duration=1h\n"
    ));
    s
}

/// `<account>-rbac.yaml`, lower-cased, with anything outside `[a-z0-9.-]` turned into `-`, or
/// `rbac.yaml` when nothing is left.
pub(super) fn file_name(account: &str) -> String {
    let mut stem = String::new();
    for c in account.chars().map(|c| c.to_ascii_lowercase()) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' {
            c
        } else {
            '-'
        };
        if !(c == '-' && stem.ends_with('-')) {
            stem.push(c);
        }
    }
    let stem: String = stem
        .trim_matches(['-', '.'])
        .chars()
        .take(64)
        .collect::<String>()
        .trim_matches(['-', '.'])
        .to_string();
    if stem.is_empty() {
        "rbac.yaml".to_string()
    } else {
        format!("{stem}-rbac.yaml")
    }
}
