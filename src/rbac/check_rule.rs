//! Checks of one rule row of the RBAC form, part by part: API groups, resources, verbs,
//! resource names, and whether the scope can grant what the row names.
//!
//! Each part has a `*_fault` that says why one item cannot be right (an error: the rule would
//! never match, or the API server refuses it), and warnings for what is accepted but does
//! less, or more, than it seems to.

use super::{shown, Field, RuleRow, Scope, VERBS};
use crate::formats::yaml_write;
use crate::k8s::kube;
use crate::k8s::names::{label_fault, MAX_LABEL, MAX_SUBDOMAIN};
use crate::k8s::risk::{self, Rule};
use crate::support::checks::Checks;
use crate::support::finding::{Finding, Level};

/// Verbs that some built-in resource checks, beyond [`VERBS`]: `proxy` (pods/proxy,
/// services/proxy, nodes/proxy), `use` (PodSecurityPolicy, long gone but still accepted),
/// `approve`, `sign` and `attest` (certificate signing requests), `*`.
const OTHER_KNOWN_VERBS: [&str; 6] = ["proxy", "use", "approve", "sign", "attest", "*"];

/// Checks one rule row; `i` is its 0-based index and `rule` the row read into lists.
pub(super) fn check_row(
    i: usize,
    row: &RuleRow,
    rule: &Rule,
    scope: Scope,
    checks: &mut Checks<Field>,
) {
    if !rule.non_resource_urls.is_empty() {
        check_urls(i, rule, scope, checks);
        checks.warn_once(Field::Verbs(i), risk::rule_risks(rule));
        return;
    }
    check_groups(i, row, rule, checks);
    check_resources(i, rule, checks);
    check_verbs(i, rule, checks);
    check_resource_names(i, rule, checks);
    if scope == Scope::Namespace {
        check_namespaced(i, rule, checks);
    }
    checks.warn_once(Field::Verbs(i), risk::rule_risks(rule));
}

/// A rule of non-resource URLs, as the API server validates it (only in a ClusterRole, and
/// never with groups or resources) and kubectl's `--non-resource-url` reads each path (it
/// starts with `/`, and `*` matches only at its end).
fn check_urls(i: usize, rule: &Rule, scope: Scope, checks: &mut Checks<Field>) {
    let n = rule_number(i);
    if scope != Scope::Cluster {
        checks.error(
            Field::NonResourceUrls(i),
            format!(
                "Rule {n}: non-resource URLs are granted only by a ClusterRole bound with a \
                 ClusterRoleBinding (the API server refuses them in a Role, since paths are in \
                 no namespace). Choose the cluster scope."
            ),
        );
    }
    if !rule.api_groups.is_empty() || !rule.resources.is_empty() {
        checks.error(
            Field::NonResourceUrls(i),
            format!(
                "Rule {n} has both non-resource URLs and API groups or resources, which the \
                 API server refuses: a rule is about paths or about resources. Clear API groups \
                 and Resources, or put the paths in a rule of their own."
            ),
        );
    }
    if !rule.resource_names.is_empty() {
        checks.error(
            Field::ResourceNames(i),
            format!(
                "Rule {n}: resource names do not apply to paths, which name no object. Clear \
                 Resource names."
            ),
        );
    }
    for url in &rule.non_resource_urls {
        let star = url.find('*');
        let fault = if !url.starts_with('/') && url != "*" {
            Some("does not start with /: paths are written as the API server sees them, such as /healthz")
        } else if star.is_some_and(|at| at + 1 != url.len()) {
            Some("has * before its end: * matches only as the last character (/logs/*)")
        } else if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Some("has white space or a control character, which no path has")
        } else {
            None
        };
        if let Some(fault) = fault {
            checks.error(
                Field::NonResourceUrls(i),
                format!("Rule {n}: non-resource URL {} {fault}.", shown(url)),
            );
        }
    }
    if rule.verbs.is_empty() {
        checks.error(
            Field::Verbs(i),
            format!(
                "Rule {n} has no verbs: for paths the verbs are the lower-case HTTP methods \
                 (get, post, put, patch, delete, head, options), or *."
            ),
        );
    }
    for verb in &rule.verbs {
        if let Some(message) = verb_fault(verb) {
            checks.error(Field::Verbs(i), format!("Rule {n}: {message}"));
        } else if !kube::KUBECTL_URL_VERBS.contains(&verb.as_str()) {
            checks.warn(
                Field::Verbs(i),
                Finding {
                    level: Level::Warning,
                    title: format!("Unusual verb {} for a path", shown(verb)),
                    why: format!(
                        "Requests for paths are checked with the lower-case HTTP method (get, \
                         post, put, patch, delete, head, options), so {} never matches one.",
                        shown(verb)
                    ),
                },
            );
        }
    }
}

/// "Rule 2": rows counted from 1, as people do.
fn rule_number(i: usize) -> usize {
    i.saturating_add(1)
}

fn check_groups(i: usize, row: &RuleRow, rule: &Rule, checks: &mut Checks<Field>) {
    let n = rule_number(i);
    if rule.api_groups.is_empty() {
        let hint = if row.api_groups.trim().is_empty() {
            "is empty"
        } else {
            "holds no group"
        };
        checks.error(
            Field::ApiGroups(i),
            format!(
                "Rule {n}: API groups {hint}. A resource rule needs at least one group; the core \
                 group (pods, services, configmaps, secrets, …) is written \"\" (two double \
                 quotes), others by name (apps, batch, …)."
            ),
        );
    }
    for group in &rule.api_groups {
        if let Some(message) = group_fault(group) {
            checks.error(Field::ApiGroups(i), format!("Rule {n}: {message}"));
        }
    }
}

fn check_resources(i: usize, rule: &Rule, checks: &mut Checks<Field>) {
    let n = rule_number(i);
    if rule.resources.is_empty() {
        checks.error(
            Field::Resources(i),
            format!(
                "Rule {n} has no resources: a rule grants its verbs on the resources it lists, \
                 so with none it grants nothing. Add at least one (pods, configmaps, …)."
            ),
        );
    }
    for resource in &rule.resources {
        if let Some(message) = resource_fault(resource) {
            checks.error(Field::Resources(i), format!("Rule {n}: {message}"));
        }
    }
}

fn check_verbs(i: usize, rule: &Rule, checks: &mut Checks<Field>) {
    let n = rule_number(i);
    if rule.verbs.is_empty() {
        checks.error(
            Field::Verbs(i),
            format!(
                "Rule {n} has no verbs: a rule grants only the verbs it lists, so with none it \
                 grants nothing. Add at least one (get, list, watch, …)."
            ),
        );
    }
    for verb in &rule.verbs {
        if let Some(message) = verb_fault(verb) {
            checks.error(Field::Verbs(i), format!("Rule {n}: {message}"));
        } else if !VERBS.contains(&verb.as_str()) && !OTHER_KNOWN_VERBS.contains(&verb.as_str()) {
            checks.warn(
                Field::Verbs(i),
                Finding {
                    level: Level::Warning,
                    title: format!("Unusual verb {}", shown(verb)),
                    why: format!(
                        "No built-in resource checks the verb {}: the API server stores the \
                         rule, but it grants nothing unless an extension asks for that verb. \
                         Check the spelling (get, list, watch, create, update, patch, delete, \
                         deletecollection).",
                        shown(verb)
                    ),
                },
            );
        }
    }
}

fn check_resource_names(i: usize, rule: &Rule, checks: &mut Checks<Field>) {
    let n = rule_number(i);
    if rule.resource_names.is_empty() {
        return;
    }
    if let Some(name) = rule.resource_names.iter().find(|n| n.is_empty()) {
        checks.error(
            Field::ResourceNames(i),
            format!(
                "Rule {n}: resource names hold {}, which no object is named.",
                shown(name)
            ),
        );
    }
    // Names are printed in the kubectl commands, where a control character would act on the
    // terminal they are pasted into; no object is named with one.
    let hidden = |c: &char| c.is_control() || yaml_write::invisible(*c);
    for name in &rule.resource_names {
        if let Some(c) = name.chars().find(hidden) {
            checks.error(
                Field::ResourceNames(i),
                format!(
                    "Rule {n}: resource name {} has a control or invisible character \
                     (U+{:04X}), which no object's name has. Type the name again.",
                    shown(name),
                    u32::from(c)
                ),
            );
        } else if let Some(why) = crate::k8s::names::look_alikes(name) {
            checks.warn(
                Field::ResourceNames(i),
                Finding {
                    level: Level::Warning,
                    title: "Resource name mixes scripts".to_string(),
                    why: format!("Rule {n}: resource name {} {why}", shown(name)),
                },
            );
        }
    }
    let unrestricted: Vec<&str> = ["create", "deletecollection", "list", "watch"]
        .into_iter()
        .filter(|v| rule.verbs.iter().any(|r| r == v || r == "*"))
        .collect();
    if !unrestricted.is_empty() {
        checks.warn(
            Field::ResourceNames(i),
            Finding {
                level: Level::Warning,
                title: "Resource names do not limit every verb".to_string(),
                why: format!(
                    "Rule {n} allows {} with resource names. create and deletecollection do \
                     not name one object, so a rule with resourceNames never allows them; list \
                     and watch are allowed only when the request selects the object by name \
                     (fieldSelector=metadata.name=…). Put those verbs in a rule without \
                     resource names if the account needs them.",
                    unrestricted.join(", ")
                ),
            },
        );
    }
}

/// A Role grants only in its namespace, so cluster-scoped resources in it grant nothing.
fn check_namespaced(i: usize, rule: &Rule, checks: &mut Checks<Field>) {
    for resource in &rule.resources {
        let base = resource.split('/').next().unwrap_or_default();
        let cluster_scoped = base != "namespaces"
            && rule
                .api_groups
                .iter()
                .any(|g| kube::is_cluster_scoped(g, base));
        if cluster_scoped {
            checks.warn(
                Field::Resources(i),
                Finding {
                    level: Level::Warning,
                    title: format!("{resource} are not in a namespace"),
                    why: format!(
                        "{resource} belong to the cluster, not to a namespace, so a Role bound \
                         in one namespace grants nothing on them. Choose the cluster scope if \
                         the account needs them."
                    ),
                },
            );
        }
    }
}

/// Why an API group cannot be right, or `None`.
fn group_fault(group: &str) -> Option<String> {
    if group.is_empty() || group == "*" {
        return None;
    }
    let lower = group.to_ascii_lowercase();
    if matches!(lower.as_str(), "core" | "v1" | "core/v1" | "legacy") {
        return Some(format!(
            "API group {} is not a group's name: the core group (pods, services, configmaps, \
             secrets, …) is written \"\" (two double quotes), because in RBAC it is the empty \
             string.",
            shown(group)
        ));
    }
    if let Some((name, version)) = group.split_once('/') {
        return Some(format!(
            "API group {} includes a version: RBAC names groups without versions, so write \
             {} (the rule then covers {version} and every other version).",
            shown(group),
            shown(name)
        ));
    }
    let valid = group
        .split('.')
        .all(|part| !part.is_empty() && label_fault(part).is_none() && part.len() <= MAX_LABEL)
        && group.len() <= MAX_SUBDOMAIN;
    if !valid {
        return Some(format!(
            "API group {} is not a group's name: groups are DNS-1123 subdomains (lower case, \
             digits, '-' and '.', such as apps or networking.k8s.io), \"\" for the core group, \
             or * for any.",
            shown(group)
        ));
    }
    None
}

/// Why a resource cannot be right, or `None`.
fn resource_fault(resource: &str) -> Option<String> {
    if resource == "*" {
        return None;
    }
    if resource.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!(
            "resource {} has upper-case letters. RBAC names resources by their lower-case \
             plural (pods for kind Pod, deployments for Deployment) and compares exactly, so \
             it would never match: write {}.",
            shown(resource),
            shown(&resource.to_ascii_lowercase())
        ));
    }
    let (base, sub) = match resource.split_once('/') {
        Some((base, sub)) => (base, Some(sub)),
        None => (resource, None),
    };
    if let Some((name, group)) = base.split_once('.') {
        return Some(format!(
            "resource {} has a group in it. In a rule the group goes in API groups and the \
             resource alone in Resources: {} in group {} (kubectl's `--resource=` is the only \
             place the two are joined).",
            shown(resource),
            shown(&match sub {
                Some(sub) => format!("{name}/{sub}"),
                None => name.to_string(),
            }),
            shown(group)
        ));
    }
    let part_ok = |part: &str| {
        part == "*"
            || (!part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    };
    let ok = part_ok(base) && sub.is_none_or(|s| part_ok(s) && !s.contains('/'));
    if !ok {
        return Some(format!(
            "resource {} is not a resource's name: resources are lower-case plurals such as \
             pods or configmaps, with a subresource after one '/' (pods/log), or * for any.",
            shown(resource)
        ));
    }
    None
}

/// Why a verb cannot be right, or `None`: verbs are compared exactly, and `*` stands alone.
fn verb_fault(verb: &str) -> Option<String> {
    if verb.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!(
            "verb {} has upper-case letters. Verbs are compared exactly and Kubernetes' are \
             lower case, so it would never match: write {}.",
            shown(verb),
            shown(&verb.to_ascii_lowercase())
        ));
    }
    if let Some(c) = verb
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '*' || *c == '-'))
    {
        return Some(format!(
            "verb {} has {c:?} in it; verbs are single lower-case words such as get or \
             deletecollection.",
            shown(verb)
        ));
    }
    if verb.contains('*') && verb != "*" {
        return Some(format!(
            "verb {} is not a pattern RBAC knows: `*` matches only on its own (every verb), \
             never as part of a verb.",
            shown(verb)
        ));
    }
    None
}
