//! The lenient reader of single RBAC objects: a Role, ClusterRole, RoleBinding or
//! ClusterRoleBinding as `serde_json::Value` into the model, with a [`Note`] for each thing it
//! skips or reads anyway.
//!
//! Lenient because a real cluster dump is hundreds of objects: one broken binding is noted and
//! skipped, and the rest are still worth evaluating.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::Value;

use super::model::{
    Binding, BindingSubject, LabelSelector, Note, Operator, Requirement, Role, RoleKind,
    SubjectKind,
};
use super::rules::RuleList;
use crate::k8s::kube::RBAC_GROUP;
use crate::k8s::risk::Rule;
use crate::support::finding::Level;

/// What the objects of a paste held, read one by one.
#[derive(Default)]
pub(super) struct Reader {
    /// Roles and ClusterRoles, in pasted order, repeats included.
    pub(super) roles: Vec<Role>,
    /// RoleBindings and ClusterRoleBindings, in pasted order, repeats included.
    pub(super) bindings: Vec<Binding>,
    /// Notes, in pasted order.
    pub(super) notes: Vec<Note>,
    /// Kinds other than RBAC's, in order, without repeats, for [`super::ParseError::NoRbac`].
    pub(super) other_kinds: Vec<String>,
    /// For each role and binding, where it was read and how many notes there were then, to
    /// note a repeat where it was read.
    pub(super) role_read: Vec<(String, usize)>,
    pub(super) binding_read: Vec<(String, usize)>,
}

/// A list of strings at `key` of `value`; each entry that is not a string is dropped, and
/// `note` told why.
fn strings(value: &Value, key: &str, note: &mut dyn FnMut(String)) -> Vec<String> {
    match value.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item.as_str() {
                    Some(s) => out.push(s.to_string()),
                    None => note(format!(
                        "{key} holds {}; ignored",
                        crate::formats::json::kind(item)
                    )),
                }
            }
            out
        }
        Some(other) => {
            note(format!(
                "{key} is {}, not a list; ignored",
                crate::formats::json::kind(other)
            ));
            Vec::new()
        }
    }
}

/// What reading one rule found, said of the rule once its role is known.
pub(super) enum RuleNote {
    /// Said whatever the role.
    Text(String),
    /// The rule grants non-resource URLs, which only a ClusterRole can: said of a Role.
    UrlsInRole,
}

/// A problem the API server's validation refuses.
fn refused(text: &str) -> String {
    format!("{text} (the API server would refuse this rule)")
}

/// A role's rules read entry by entry, before the rest of the role is known: a big role's
/// rules are read a part at a time as the file arrives, and only put in their role at its end.
#[derive(Default)]
pub(super) struct ReadRules {
    /// The rules read, in order, each shared with the table of the paste's rules.
    pub(super) rules: Vec<Rc<Rule>>,
    /// What was noted, by the entry's place in `rules:`.
    notes: Vec<(usize, RuleNote)>,
    /// Entries read.
    entries: usize,
}

impl ReadRules {
    /// Reads the next entry of `rules:`.
    pub(super) fn read(&mut self, value: &Value) {
        let index = self.entries;
        self.entries += 1;
        let notes = &mut self.notes;
        if !value.is_object() {
            notes.push((index, RuleNote::Text("not an object; ignored".to_string())));
            return;
        }
        let mut note = |text| notes.push((index, RuleNote::Text(text)));
        let rule = Rule {
            api_groups: strings(value, "apiGroups", &mut note),
            resources: strings(value, "resources", &mut note),
            verbs: strings(value, "verbs", &mut note),
            resource_names: strings(value, "resourceNames", &mut note),
            non_resource_urls: strings(value, "nonResourceURLs", &mut note),
        };
        // The API server's own validation (ValidatePolicyRule): such rules are never stored,
        // so a paste holding them was written by hand. They are kept and evaluated as written,
        // which is what the authorizer would do with them.
        let mut problem = |text: &str| notes.push((index, RuleNote::Text(refused(text))));
        if rule.verbs.is_empty() {
            problem("verbs is empty, so the rule allows nothing");
        }
        if !rule.non_resource_urls.is_empty() {
            notes.push((index, RuleNote::UrlsInRole));
            if !rule.api_groups.is_empty()
                || !rule.resources.is_empty()
                || !rule.resource_names.is_empty()
            {
                notes.push((
                    index,
                    RuleNote::Text(refused(
                        "mixes nonResourceURLs with apiGroups, resources or resourceNames",
                    )),
                ));
            }
        } else {
            if rule.api_groups.is_empty() {
                problem("apiGroups is empty (\"\" is the core group)");
            }
            if rule.resources.is_empty() {
                problem("resources is empty");
            }
        }
        self.rules.push(Rc::new(rule));
    }
}

/// A scalar as label text: kubectl quotes label values, but a hand-written `true` still means
/// the label `"true"`.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn str_field<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

impl Reader {
    pub(super) fn note(&mut self, level: Level, at: String, text: impl Into<String>) {
        self.notes.push(Note::new(level, at, text.into()));
    }

    /// One object of any kind.
    pub(super) fn object(&mut self, at: &str, value: &Value) {
        self.object_with(at, value, None);
    }

    /// One object of any kind; a role's rules, when `read`, are those read from its entries
    /// as they came, and its `rules` key is not looked at.
    pub(super) fn object_with(&mut self, at: &str, value: &Value, read: Option<ReadRules>) {
        if !value.is_object() {
            self.note(
                Level::Warning,
                at.to_string(),
                format!(
                    "{} instead of an object; skipped",
                    crate::formats::json::kind(value)
                ),
            );
            return;
        }
        let kind = str_field(value, "kind").unwrap_or("");
        let rbac = matches!(
            kind,
            "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding"
        );
        if !rbac {
            let shown = if kind.is_empty() { "no kind" } else { kind };
            if !kind.is_empty() && !self.other_kinds.iter().any(|k| k == kind) {
                self.other_kinds.push(kind.to_string());
            }
            self.note(
                Level::Info,
                format!("{at} ({shown})"),
                "not an RBAC object; skipped",
            );
            return;
        }
        let metadata = value.get("metadata");
        let name = metadata.and_then(|m| str_field(m, "name")).unwrap_or("");
        let namespaced = matches!(kind, "Role" | "RoleBinding");
        let mut namespace = metadata
            .and_then(|m| str_field(m, "namespace"))
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        let shown = match (&namespace, namespaced) {
            (Some(ns), true) => format!("{kind} {ns}/{name}"),
            _ => format!("{kind} {name}"),
        };
        let at = format!("{at} ({})", shown.trim_end());
        if name.is_empty() {
            self.note(Level::Warning, at, "metadata.name missing; skipped");
            return;
        }
        match str_field(value, "apiVersion") {
            Some(v) if v.split_once('/').is_some_and(|(g, _)| g == RBAC_GROUP) => {}
            Some(v) => {
                self.note(
                    Level::Warning,
                    at,
                    format!("apiVersion {v} is not {RBAC_GROUP}/v1; skipped"),
                );
                return;
            }
            None => self.note(
                Level::Info,
                at.clone(),
                format!("apiVersion missing; read as {RBAC_GROUP}/v1"),
            ),
        }
        if namespaced && namespace.is_none() {
            self.note(
                Level::Warning,
                at.clone(),
                "metadata.namespace missing; assumed \"default\" (kubectl would use the current context's namespace)",
            );
            namespace = Some("default".to_string());
        }
        if !namespaced {
            namespace = None;
        }
        let name = name.to_string();
        match kind {
            "Role" | "ClusterRole" => self.role(&at, value, (namespace, name), read),
            _ => self.binding(&at, value, namespace, name),
        }
    }

    fn role(
        &mut self,
        at: &str,
        value: &Value,
        (namespace, name): (Option<String>, String),
        read: Option<ReadRules>,
    ) {
        let mut labels = BTreeMap::new();
        if let Some(Value::Object(map)) = value.get("metadata").and_then(|m| m.get("labels")) {
            for (k, v) in map {
                if let Some(text) = scalar_text(v) {
                    labels.insert(k.clone(), text);
                }
            }
        }
        let read = match read {
            Some(read) => read,
            None => {
                let mut read = ReadRules::default();
                match value.get("rules") {
                    None | Some(Value::Null) => {}
                    Some(Value::Array(items)) => items.iter().for_each(|item| read.read(item)),
                    Some(_) => self.note(
                        Level::Warning,
                        at.to_string(),
                        "rules is not a list; ignored",
                    ),
                }
                read
            }
        };
        for (index, note) in read.notes {
            let text = match note {
                RuleNote::Text(text) => text,
                RuleNote::UrlsInRole if namespace.is_some() => {
                    refused("a Role cannot grant nonResourceURLs")
                }
                RuleNote::UrlsInRole => continue,
            };
            self.note(Level::Warning, format!("{at}, rules[{index}]"), text);
        }
        let rules = read.rules;
        let aggregation = match value.get("aggregationRule") {
            None | Some(Value::Null) => None,
            Some(_) if namespace.is_some() => {
                self.note(
                    Level::Warning,
                    at.to_string(),
                    "aggregationRule only works on ClusterRoles; ignored",
                );
                None
            }
            Some(rule) => Some(self.selectors(at, rule)),
        };
        let role = Role {
            namespace,
            name,
            labels,
            rules,
            aggregation,
            effective: RuleList::default(),
        };
        self.role_read.push((at.to_string(), self.notes.len()));
        self.roles.push(role);
    }

    /// A list of strings at `key`; entries that are not strings are noted and dropped.
    fn strings(&mut self, at: &str, value: &Value, key: &str) -> Vec<String> {
        let mut notes = Vec::new();
        let out = strings(value, key, &mut |text| notes.push(text));
        for text in notes {
            self.note(Level::Warning, at.to_string(), text);
        }
        out
    }

    fn selectors(&mut self, at: &str, rule: &Value) -> Vec<LabelSelector> {
        let mut out = Vec::new();
        let items = match rule.get("clusterRoleSelectors") {
            Some(Value::Array(items)) => items,
            _ => {
                self.note(
                    Level::Warning,
                    at.to_string(),
                    "aggregationRule without a clusterRoleSelectors list selects nothing",
                );
                return out;
            }
        };
        for (i, item) in items.iter().enumerate() {
            let sel_at = format!("{at}, aggregationRule.clusterRoleSelectors[{i}]");
            let mut selector = LabelSelector::default();
            let mut valid = true;
            if let Some(Value::Object(map)) = item.get("matchLabels") {
                for (k, v) in map {
                    match scalar_text(v) {
                        Some(text) => {
                            selector.match_labels.insert(k.clone(), text);
                        }
                        None => valid = false,
                    }
                }
            }
            if let Some(Value::Array(exprs)) = item.get("matchExpressions") {
                for expr in exprs {
                    let key = str_field(expr, "key").unwrap_or("");
                    let values = self.strings(&sel_at, expr, "values");
                    let operator = match str_field(expr, "operator") {
                        Some("In") => Operator::In,
                        Some("NotIn") => Operator::NotIn,
                        Some("Exists") => Operator::Exists,
                        Some("DoesNotExist") => Operator::DoesNotExist,
                        _ => {
                            valid = false;
                            continue;
                        }
                    };
                    let needs_values = matches!(operator, Operator::In | Operator::NotIn);
                    if key.is_empty() || needs_values == values.is_empty() {
                        valid = false;
                        continue;
                    }
                    selector.match_expressions.push(Requirement {
                        key: key.to_string(),
                        operator,
                        values,
                    });
                }
            }
            if valid {
                out.push(selector);
            } else {
                // LabelSelectorAsSelector fails on these, and the controller then leaves the
                // role as it is: the selector contributes nothing.
                self.note(
                    Level::Warning,
                    sel_at,
                    "invalid selector (operator must be In, NotIn, Exists or DoesNotExist; In and NotIn need values, the others none); it selects nothing",
                );
            }
        }
        out
    }

    fn binding(&mut self, at: &str, value: &Value, namespace: Option<String>, name: String) {
        let Some((role_kind, role_name)) = self.role_ref(at, value) else {
            return;
        };
        if namespace.is_none() && role_kind == RoleKind::Role {
            self.note(
                Level::Warning,
                at.to_string(),
                "a ClusterRoleBinding can only refer to a ClusterRole, not a Role; it grants nothing",
            );
        }
        let subjects = self.subjects(at, value, namespace.is_some());
        let binding = Binding {
            namespace,
            name,
            role_kind,
            role_name,
            subjects,
        };
        self.binding_read.push((at.to_string(), self.notes.len()));
        self.bindings.push(binding);
    }

    /// `roleRef`: the kind and name of the role granted, or `None` (noted) when the binding
    /// names no usable role and is skipped. A wrong `apiGroup` is noted and read anyway.
    fn role_ref(&mut self, at: &str, value: &Value) -> Option<(RoleKind, String)> {
        let Some(role_ref) = value.get("roleRef").filter(|r| r.is_object()) else {
            self.note(Level::Warning, at.to_string(), "roleRef missing; skipped");
            return None;
        };
        let role_kind = match str_field(role_ref, "kind") {
            Some("Role") => RoleKind::Role,
            Some("ClusterRole") => RoleKind::ClusterRole,
            None | Some("") => {
                self.note(
                    Level::Warning,
                    at.to_string(),
                    "roleRef.kind missing; skipped",
                );
                return None;
            }
            Some(other) => {
                self.note(
                    Level::Warning,
                    at.to_string(),
                    format!("roleRef.kind {other} is neither Role nor ClusterRole; skipped"),
                );
                return None;
            }
        };
        let role_name = str_field(role_ref, "name").unwrap_or("").to_string();
        if role_name.is_empty() {
            self.note(
                Level::Warning,
                at.to_string(),
                "roleRef.name missing; skipped",
            );
            return None;
        }
        match str_field(role_ref, "apiGroup") {
            Some(RBAC_GROUP) => {}
            other => self.note(
                Level::Warning,
                at.to_string(),
                format!(
                    "roleRef.apiGroup is {}, not {RBAC_GROUP} (the API server would refuse it); read anyway",
                    other.map_or("missing".to_string(), |g| format!("{g:?}"))
                ),
            ),
        }
        Some((role_kind, role_name))
    }

    /// `subjects`: the entries that name someone; the others are noted and dropped, since one
    /// bad entry leaves the rest of the binding in force.
    fn subjects(&mut self, at: &str, value: &Value, in_namespace: bool) -> Vec<BindingSubject> {
        let items = match value.get("subjects") {
            Some(Value::Array(items)) => items.as_slice(),
            None | Some(Value::Null) => &[],
            Some(_) => {
                self.note(
                    Level::Warning,
                    at.to_string(),
                    "subjects is not a list; ignored",
                );
                &[]
            }
        };
        let mut subjects = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(subject) = self.subject(format!("{at}, subjects[{i}]"), item, in_namespace)
            {
                subjects.push(subject);
            }
        }
        subjects
    }

    /// One entry of `subjects`, or `None` (noted) when it names no one. `in_namespace` says
    /// whether the binding is a RoleBinding, whose namespace a ServiceAccount defaults to.
    fn subject(&mut self, at: String, value: &Value, in_namespace: bool) -> Option<BindingSubject> {
        let name = str_field(value, "name").unwrap_or("");
        let kind = match str_field(value, "kind") {
            Some("User") => SubjectKind::User,
            Some("Group") => SubjectKind::Group,
            Some("ServiceAccount") => SubjectKind::ServiceAccount,
            other => {
                self.note(
                    Level::Warning,
                    at,
                    format!(
                        "kind {} is not User, Group or ServiceAccount; ignored",
                        other.unwrap_or("missing")
                    ),
                );
                return None;
            }
        };
        if name.is_empty() {
            self.note(Level::Warning, at, "name missing; ignored");
            return None;
        }
        let namespace = str_field(value, "namespace")
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        if kind == SubjectKind::ServiceAccount && namespace.is_none() && !in_namespace {
            self.note(
                Level::Warning,
                at,
                format!("ServiceAccount {name} has no namespace, which a ClusterRoleBinding requires; it matches no one"),
            );
        }
        Some(BindingSubject {
            kind,
            name: name.to_string(),
            namespace,
        })
    }
}
