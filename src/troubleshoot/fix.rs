//! The least-privilege fix for a 403: one rule granting exactly the refused request, in a
//! Role and RoleBinding in its namespace, or a ClusterRole and ClusterRoleBinding at the
//! cluster scope and for paths; as objects, YAML and `kubectl create` commands.
//!
//! Exactly means: that verb on that resource, group and subresource, the object's name in
//! `resourceNames` when the request named one and the verb can be limited by name, and the
//! path in `nonResourceURLs`; and the access evaluator confirms it ([`Fix::exact`]). Anything
//! wider is the user's decision, made in the RBAC builder. A request that names `*` gets no
//! fix, since a rule can only write `*` as "every"; nor does a node (the Node authorizer
//! decides its requests), nor a request whose names Kubernetes would not have issued.
//!
//! The commands apply cleanly more than once (`--dry-run=client -o yaml | kubectl apply`), and
//! every value read from the error is a flag's value or comes after `--`, so no name in a
//! 403 can become a flag of the printed command.

use serde_json::Value;

use super::{Forbidden, Requester};
use crate::formats::shell::quote;
use crate::formats::yaml_write;
use crate::k8s::kube;
use crate::k8s::risk::{rule_risks, Rule};
use crate::k8s::write::{self, BindingSubject, RoleKind};
use crate::support::finding::Finding;

mod exact;
pub(super) mod safe;

/// Longest generated object name; names are path segments, and long ones help no one.
const MAX_NAME: usize = 63;

/// Who the binding names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FixSubject {
    /// A service account, bound as `kind: ServiceAccount`.
    ServiceAccount {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// Any other user, bound as `kind: User` by the exact name the authenticator reports.
    User {
        /// The user name.
        name: String,
    },
}

/// The objects that grant exactly the refused request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// ClusterRole and ClusterRoleBinding (cluster scope, paths), rather than Role and
    /// RoleBinding.
    pub cluster_wide: bool,
    /// The namespace of the Role and RoleBinding; `None` when cluster-wide.
    pub namespace: Option<String>,
    /// The role's name; the binding has the same name.
    pub name: String,
    /// The one rule.
    pub rule: Rule,
    /// Who is bound.
    pub subject: FixSubject,
    /// The role, then the binding, with keys in kubectl's order.
    pub objects: Vec<Value>,
    /// The objects as one YAML stream for `kubectl apply -f`.
    pub yaml: String,
    /// The same grant as kubectl commands, one a line.
    pub commands: Vec<String>,
    /// `kubectl auth can-i` for the refused request, to check the fix.
    pub check: String,
    /// What the fix leaves out and why (a name that cannot limit the verb, a cluster-wide
    /// grant of a namespaced resource, what binding a user means, a dedicated account instead
    /// of `default`).
    pub notes: Vec<String>,
    /// Whether the access evaluator confirms the objects allow the refused request and none
    /// of its neighbours (another verb, resource, subresource, group, namespace, object name,
    /// or a longer path): only then is the fix called exactly this request.
    pub exact: bool,
    /// What the rule itself grants that deserves care (reading Secrets, exec), as the RBAC
    /// builder warns of it: the request asked for it, so the fix keeps it, and says so.
    pub risks: Vec<Finding>,
}

/// Why there is no fix to apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoFix {
    /// What to do instead.
    pub why: String,
}

/// Verbs a `resourceNames` rule cannot allow, with why: they are not requests for one named
/// object (except `create` of a named object's subresource, such as `pods/exec`).
fn name_limit(verb: &str, subresource: Option<&str>) -> Option<&'static str> {
    match verb {
        "create" if subresource.is_none() => Some(
            "create is not limited by resourceNames: the new object's name is not part of \
             the request the authorizer sees",
        ),
        "deletecollection" => Some(
            "deletecollection is not limited by resourceNames: it is a request for many \
             objects, not one",
        ),
        "list" | "watch" => Some(
            "list and watch are allowed by resourceNames only when every request selects the \
             object by name (fieldSelector=metadata.name=…), which clients such as informers \
             and `kubectl get` without a name do not do",
        ),
        _ => None,
    }
}

/// Whether `kubectl create role` can say this verb on this resource.
fn kubectl_can(verb: &str, group: &str, resource: &str) -> bool {
    kube::KUBECTL_VERBS.contains(&verb) && kube::kubectl_allows(verb, group, resource)
}

/// The least-privilege fix for `f`, or why there is none.
pub fn fix(f: &Forbidden) -> Result<Fix, NoFix> {
    let mut notes = Vec::new();
    let subject = match &f.requester {
        Requester::ServiceAccount { namespace, name } => {
            if name == "default" {
                notes.push(default_account(namespace));
            }
            FixSubject::ServiceAccount {
                namespace: namespace.clone(),
                name: name.clone(),
            }
        }
        Requester::Anonymous => {
            return Err(NoFix {
                why: "The request was made as system:anonymous: it carried no credentials the \
                      API server accepted. Binding a role to system:anonymous would grant it to \
                      everyone who can reach the API server. Send the token instead (the \
                      kubeconfig's user, or an Authorization: Bearer header), then read the \
                      error you get."
                    .to_string(),
            })
        }
        Requester::Unknown => {
            return Err(NoFix {
                why: "The error names no user, so there is no one to bind a role to.".to_string(),
            })
        }
        Requester::Node { name } => {
            return Err(NoFix {
                why: format!(
                    "system:node:{name} is a kubelet, and its requests are decided by the Node \
                     authorizer and the NodeRestriction admission plugin, which limit a node to \
                     the objects of the pods scheduled to it, on purpose. A Role for a node \
                     would let anyone holding that node's credentials read or change more than \
                     its own pods need: check that the pod is scheduled to {name}, that the \
                     node's name in its credential matches the Node object, and that the \
                     kubelet asks for objects its pods reference."
                ),
            })
        }
        Requester::Person => {
            notes.push(format!(
                "{} is not a service account but a user: a person (OIDC), a client \
                 certificate's common name, or a component. Kubernetes has no User objects; \
                 the binding names the user, and must match the name the authenticator \
                 reports exactly.",
                f.user
            ));
            FixSubject::User {
                name: f.user.clone(),
            }
        }
    };
    if let Some(no) = safe::wildcard(f).or_else(|| safe::names(f)) {
        return Err(no);
    }
    let namespace = scope(f, &mut notes)?;
    let cluster_wide = namespace.is_none();
    let mut rule = Rule {
        verbs: vec![f.verb.clone()],
        ..Rule::default()
    };
    let mut name_parts = vec![f.verb.clone()];
    if let Some(path) = &f.path {
        rule.non_resource_urls = vec![path.clone()];
        name_parts.push(format!("path-{}", path));
    } else {
        rule.api_groups = vec![f.group.clone()];
        rule.resources = vec![f.resource_with_subresource()];
        name_parts.push(f.resource_with_subresource());
        if let Some(object) = &f.name {
            match name_limit(&f.verb, f.subresource.as_deref()) {
                Some(why) => notes.push(format!(
                    "The request named {object}, but the rule is not limited to it: {why}."
                )),
                None => {
                    rule.resource_names = vec![object.clone()];
                    name_parts.push(object.clone());
                }
            }
        }
        let known = kube::find(&f.resource).filter(|k| k.group == f.group);
        if f.namespace.is_none() && known.is_some_and(|k| k.namespaced) {
            notes.push(format!(
                "The request asked for {} in every namespace at once (kubectl's -A, or a \
                 cluster-wide list or watch), which only a ClusterRoleBinding allows. If one \
                 namespace is enough, ask there (-n NAMESPACE) and grant a Role in it instead.",
                f.resource
            ));
        }
    }
    let who = match &subject {
        // ClusterRoles and their bindings have no namespace: accounts of one name in two
        // namespaces must not share (and so overwrite) one binding.
        FixSubject::ServiceAccount { namespace, name } if cluster_wide => {
            format!("{namespace}-{name}")
        }
        FixSubject::ServiceAccount { name, .. } => name.clone(),
        FixSubject::User { name } => name.clone(),
    };
    let name = object_name(&who, &name_parts);
    let objects = objects(&name, namespace.as_deref(), &rule, &subject);
    let yaml = yaml_write::documents(&objects);
    let commands = commands(f, &name, namespace.as_deref(), &rule, &subject, &objects);
    let check = check_command(f);
    let exact = exact::confirmed(f, &yaml);
    let risks = rule_risks(&rule);
    Ok(Fix {
        cluster_wide,
        namespace,
        name,
        rule,
        subject,
        objects,
        yaml,
        commands,
        check,
        notes,
        exact,
        risks,
    })
}

/// Why a grant to a namespace's `default` service account reaches further than the workload
/// that was refused, and what to do instead.
fn default_account(namespace: &str) -> String {
    format!(
        "This is the default service account of {namespace}: every pod there that sets no \
         serviceAccountName runs as it, so whatever it is granted, they all get. Make a \
         dedicated service account for this workload (kubectl create serviceaccount NAME \
         --namespace={namespace}), set serviceAccountName: NAME in its pod template, and bind \
         the role to that account instead of default."
    )
}

/// Where the Role goes, as the authorizer places the request: `None` (a ClusterRole) for
/// paths, the cluster scope and cluster-scoped resources; the namespace itself for a request
/// for one namespace, which the API server makes in that namespace.
fn scope(f: &Forbidden, notes: &mut Vec<String>) -> Result<Option<String>, NoFix> {
    if f.path.is_some() {
        return Ok(None);
    }
    if f.group.is_empty() && f.resource == "namespaces" {
        if let Some(name) = &f.name {
            if let Some(fault) = safe::label_fault(name) {
                return Err(NoFix {
                    why: format!(
                        "The request is for namespace {name:?}, which is not a name Kubernetes \
                         allows ({fault}). Paste the error as the API server wrote it."
                    ),
                });
            }
            return Ok(Some(name.clone()));
        }
    }
    if kube::is_cluster_scoped(&f.group, &f.resource) {
        if let Some(ns) = &f.namespace {
            notes.push(format!(
                "{} are cluster-scoped, so the request had no namespace whatever the error says \
                 ({ns}): only a ClusterRole and ClusterRoleBinding can allow it.",
                f.resource
            ));
        }
        return Ok(None);
    }
    Ok(f.namespace.clone())
}

/// `deployer-get-secrets-db`: who, verb, what; lower-case letters, digits, `-` and `.`,
/// as every RBAC object accepts.
fn object_name(who: &str, parts: &[String]) -> String {
    let mut out = String::new();
    for part in std::iter::once(who).chain(parts.iter().map(String::as_str)) {
        if !out.is_empty() {
            out.push('-');
        }
        for c in part.chars() {
            let c = c.to_ascii_lowercase();
            let keep = if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            };
            if keep == '-' && (out.is_empty() || out.ends_with('-')) {
                continue;
            }
            out.push(keep);
        }
    }
    let mut out: String = out.chars().take(MAX_NAME).collect();
    while out.ends_with(['-', '.']) {
        out.pop();
    }
    while out.starts_with('.') {
        out.remove(0);
    }
    if out.is_empty() {
        out.push_str("troubleshoot-fix");
    }
    out
}

/// The role and its binding.
fn objects(name: &str, namespace: Option<&str>, rule: &Rule, subject: &FixSubject) -> Vec<Value> {
    let role_kind = match namespace {
        Some(_) => RoleKind::Role,
        None => RoleKind::ClusterRole,
    };
    let subject = match subject {
        FixSubject::ServiceAccount { namespace, name } => {
            BindingSubject::ServiceAccount { namespace, name }
        }
        FixSubject::User { name } => BindingSubject::User(name),
    };
    vec![
        write::role(name, namespace, std::slice::from_ref(rule)),
        write::binding(name, namespace, role_kind, name, &[subject]),
    ]
}

/// `kubectl create role|clusterrole` and `rolebinding|clusterrolebinding`, each written by
/// `--dry-run=client -o yaml` and applied, so running them again, or over objects that
/// already exist, changes nothing; the role as YAML applied when kubectl cannot say its verb.
fn commands(
    f: &Forbidden,
    name: &str,
    namespace: Option<&str>,
    rule: &Rule,
    subject: &FixSubject,
    objects: &[Value],
) -> Vec<String> {
    let q_name = quote(name);
    let ns_flag = namespace
        .map(|ns| format!(" --namespace={}", quote(ns)))
        .unwrap_or_default();
    let (role_cmd, binding_cmd, role_flag) = if namespace.is_some() {
        ("role", "rolebinding", "--role")
    } else {
        ("clusterrole", "clusterrolebinding", "--clusterrole")
    };
    let verb = quote(&f.verb);
    let role = match &f.path {
        Some(path) if kube::KUBECTL_URL_VERBS.contains(&f.verb.as_str()) => Some(format!(
            "kubectl create {role_cmd} {q_name} --verb={verb} --non-resource-url={}",
            quote(path)
        )),
        Some(_) => None,
        None if kubectl_can(&f.verb, &f.group, &f.resource) => {
            let mut cmd = format!(
                "kubectl create {role_cmd} {q_name}{ns_flag} --verb={verb} --resource={}",
                quote(&f.target())
            );
            for object in &rule.resource_names {
                cmd.push_str(&format!(" --resource-name={}", quote(object)));
            }
            Some(cmd)
        }
        None => None,
    }
    .map(|cmd| format!("{cmd}{APPLIED}"));
    let role = role.unwrap_or_else(|| {
        // A quoted delimiter: nothing in the YAML is expanded, and no line of it is `EOF`.
        let doc = objects
            .first()
            .map(yaml_write::document)
            .unwrap_or_default();
        format!("kubectl apply -f - <<'EOF'\n{doc}EOF")
    });
    let who = match subject {
        FixSubject::ServiceAccount { namespace, name } => {
            format!("--serviceaccount={}", quote(&format!("{namespace}:{name}")))
        }
        FixSubject::User { name } => format!("--user={}", quote(name)),
    };
    vec![
        role,
        format!(
            "kubectl create {binding_cmd} {q_name}{ns_flag} {role_flag}={q_name} {who}{APPLIED}"
        ),
    ]
}

/// What makes a `kubectl create` command write its object for `kubectl apply`, which
/// creates it or leaves it as it is, where `create` alone fails when it exists.
const APPLIED: &str = " --dry-run=client -o yaml | kubectl apply -f -";

/// `kubectl auth can-i [--namespace=NS] --as=USER -- VERB TARGET [NAME]`: the flags first,
/// then `--`, so that a verb, target or object name read from the error (a name can be
/// anything a client sent, such as `--server=…`) is an argument, never a flag.
fn check_command(f: &Forbidden) -> String {
    let mut cmd = "kubectl auth can-i".to_string();
    if f.path.is_none() {
        match &f.namespace {
            Some(ns) => cmd.push_str(&format!(" --namespace={}", quote(ns))),
            // Without a flag kubectl would ask in the kubeconfig's namespace.
            None => cmd.push_str(" --all-namespaces"),
        }
    }
    cmd.push_str(&format!(
        " --as={} -- {} {}",
        quote(&f.user),
        quote(&f.verb),
        quote(&f.target())
    ));
    if f.path.is_none() {
        if let Some(object) = &f.name {
            cmd.push(' ');
            cmd.push_str(&quote(object));
        }
    }
    cmd
}
