//! The change that removes one granted rule: a guarded JSON patch of the role that holds it
//! (the ClusterRole that spells it out, for an aggregated role), and the binding to delete
//! instead when nothing else needs it. Every name is shell-quoted and placed after `--`, so no
//! pasted name can become a flag or run anything.

use serde_json::{json, Map, Value};

use super::graph::GrantedRule;
use crate::access::Policy;
use crate::formats::shell::quote;
use crate::k8s::risk::Rule;

/// How to remove one granted rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// The rule, as the role's YAML (in JSON, which YAML reads as it is) holds it.
    pub rule: String,
    /// Where it is: `Role dev/r, through RoleBinding dev/b`.
    pub traced: String,
    /// `kubectl patch … --type=json` removing the rule, guarded by a `test` of its value so a
    /// role changed since the paste is left alone; `None` when the role was not pasted.
    pub patch: Option<String>,
    /// `kubectl delete …` of the binding: every rule of the role, for every subject it names.
    pub unbind: String,
}

/// The rule as the API server writes it: empty lists left out.
pub fn rule_json(rule: &Rule) -> Value {
    let mut map = Map::new();
    let mut put = |key: &str, list: &[String]| {
        if !list.is_empty() {
            map.insert(key.to_string(), json!(list));
        }
    };
    put("apiGroups", &rule.api_groups);
    put("resources", &rule.resources);
    put("resourceNames", &rule.resource_names);
    put("nonResourceURLs", &rule.non_resource_urls);
    put("verbs", &rule.verbs);
    Value::Object(map)
}

/// `(kind, namespace, name)` from a label such as `RoleBinding dev/x` or `ClusterRole y`.
fn parts(label: &str) -> Option<(&str, Option<&str>, &str)> {
    let (kind, rest) = label.split_once(' ')?;
    if kind.starts_with("Cluster") {
        return Some((kind, None, rest));
    }
    let (ns, name) = rest.split_once('/')?;
    Some((kind, Some(ns), name))
}

/// `kubectl VERB KIND [--namespace=NS] ARGS -- NAME`, every value quoted.
fn kubectl(verb: &str, kind: &str, ns: Option<&str>, args: &[String], name: &str) -> String {
    let mut out = format!("kubectl {verb} {}", kind.to_ascii_lowercase());
    if let Some(ns) = ns {
        out.push(' ');
        out.push_str(&quote(&format!("--namespace={ns}")));
    }
    for a in args {
        out.push(' ');
        out.push_str(a);
    }
    out.push_str(" -- ");
    out.push_str(&quote(name));
    out
}

/// How to remove `grant` from `policy`.
pub fn fix(policy: &Policy, grant: &GrantedRule) -> Fix {
    let rule = rule_json(&grant.rule);
    let holder = match &grant.origin {
        Some(origin) => format!("ClusterRole {origin}"),
        None => grant.role.clone(),
    };
    let traced = match &grant.origin {
        Some(_) => format!(
            "{holder} (aggregated into {}), through {}",
            grant.role, grant.binding
        ),
        None => format!("{holder}, through {}", grant.binding),
    };
    let patch = parts(&holder).and_then(|(kind, ns, name)| {
        let role = policy
            .roles
            .iter()
            .find(|r| r.namespace.as_deref() == ns && r.name == name)?;
        let at = role.rules.iter().position(|r| *r == grant.rule)?;
        let ops = json!([
            {"op": "test", "path": format!("/rules/{at}"), "value": rule},
            {"op": "remove", "path": format!("/rules/{at}")},
        ]);
        let args = [
            "--type=json".to_string(),
            "-p".to_string(),
            quote(&ops.to_string()).into_owned(),
        ];
        Some(kubectl("patch", kind, ns, &args, name))
    });
    let unbind = match parts(&grant.binding) {
        Some((kind, ns, name)) => kubectl("delete", kind, ns, &[], name),
        None => String::new(),
    };
    Fix {
        rule: rule.to_string(),
        traced,
        patch,
        unbind,
    }
}
