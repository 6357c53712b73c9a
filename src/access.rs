//! What can a subject do? The API server's RBAC authorizer, run offline over pasted objects.
//!
//! The evaluator (`#/access`) takes `kubectl get roles,rolebindings,clusterroles,
//! clusterrolebindings -A -o yaml` (or any mix of those objects, as YAML or JSON documents) and
//! a subject (the inspected token's service account, or a typed user or group), and answers two
//! questions the way kube-apiserver would: what the subject may do in each namespace and
//! cluster-wide ([`effective`], like `kubectl auth can-i --list`), and whether one request
//! would be allowed ([`can_i`], like `kubectl auth can-i`), each traced to the binding and role
//! responsible.
//!
//! The semantics follow `plugin/pkg/auth/authorizer/rbac` in Kubernetes:
//! - a ClusterRoleBinding grants its ClusterRole everywhere; a RoleBinding grants a Role of its
//!   own namespace, or a ClusterRole, in its namespace only;
//! - a rule matches when its verbs, API groups and resources (`*`, exact, or `*/sub` for a
//!   subresource) match, and, when it has `resourceNames`, the request names one of them;
//! - non-resource URLs (`/healthz`, `/api/*`) are only checked against ClusterRoleBindings,
//!   because such requests have no namespace;
//! - a binding whose role does not exist grants nothing;
//! - aggregated ClusterRoles (`aggregationRule`) get the rules of every pasted ClusterRole
//!   their label selectors pick, as the aggregation controller writes them.
//!
//! Parsing is lenient per object: one broken binding becomes a [`Note`], not a failed paste,
//! because a real cluster dump is hundreds of objects and the rest are still worth evaluating.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::rc::Rc;

use serde_json::Value;

use crate::claims::Identity;
use crate::error::InputError;
use crate::explain::{Finding, Level};
use crate::kube::{self, MAX_FIELD_BYTES, RBAC_GROUP};
use crate::risk::{self, Rule};
use crate::yaml;

mod aggregate;

pub use aggregate::{RuleList, Work, MAX_LABEL_CHECKS, MAX_RULE_REFS};

/// Largest paste read. A whole cluster's RBAC is bigger than a token: a cluster with many
/// namespaces and operators easily passes the inspector's 1 MiB, so this allows 4 MiB (the
/// YAML reader's value cap still bounds the work).
pub const MAX_POLICY_BYTES: usize = 4 * 1024 * 1024;

/// Most notes listed for one paste. A dump can hold thousands of objects with the same problem
/// (every object pasted twice), and a page of thousands of identical lines helps no one.
pub const MAX_NOTES: usize = 200;

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

/// A Role (namespaced) or ClusterRole, with its rules after aggregation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// `None` for a ClusterRole.
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.labels`, which aggregation selectors match against.
    pub labels: BTreeMap<String, String>,
    /// `rules` as pasted.
    pub rules: Vec<Rule>,
    /// `aggregationRule.clusterRoleSelectors`, when the ClusterRole has one.
    pub aggregation: Option<Vec<LabelSelector>>,
    /// The rules the role grants: for an aggregated ClusterRole, the rules of every pasted
    /// ClusterRole its selectors pick (each with the ClusterRole that spells it out), then any
    /// pasted rule not among them; otherwise `rules`, with no origin.
    pub effective: RuleList,
}

impl Role {
    /// `ClusterRole view` or `Role dev/pod-reader`, as answers name roles.
    pub fn label(&self) -> String {
        match &self.namespace {
            None => format!("ClusterRole {}", self.name),
            Some(ns) => format!("Role {ns}/{}", self.name),
        }
    }
}

/// A `metav1.LabelSelector`: every `matchLabels` pair AND every expression must hold. An empty
/// selector matches every ClusterRole, as it does in the aggregation controller.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct LabelSelector {
    /// `matchLabels`: the label must exist with exactly this value.
    pub match_labels: BTreeMap<String, String>,
    /// `matchExpressions`.
    pub match_expressions: Vec<Requirement>,
}

/// One `matchExpressions` entry.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// How the key's value is tested.
    pub operator: Operator,
    /// The values for `In` and `NotIn`.
    pub values: Vec<String>,
}

/// A label selector operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operator {
    /// The label exists and its value is one of `values`.
    In,
    /// The label is absent, or its value is none of `values`.
    NotIn,
    /// The label exists, whatever its value.
    Exists,
    /// The label is absent.
    DoesNotExist,
}

impl LabelSelector {
    /// Whether `labels` satisfy the selector (`labels.Selector.Matches`).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let pairs = self
            .match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v));
        pairs
            && self.match_expressions.iter().all(|r| {
                let value = labels.get(&r.key);
                match r.operator {
                    Operator::In => value.is_some_and(|v| r.values.contains(v)),
                    Operator::NotIn => value.is_none_or(|v| !r.values.contains(v)),
                    Operator::Exists => value.is_some(),
                    Operator::DoesNotExist => value.is_none(),
                }
            })
    }
}

/// `roleRef.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleKind {
    /// A Role in the binding's namespace.
    Role,
    /// A ClusterRole.
    ClusterRole,
}

/// `subjects[].kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectKind {
    /// A user, matched by user name.
    User,
    /// A group, matched against the subject's groups.
    Group,
    /// A service account, matched as the user `system:serviceaccount:<namespace>:<name>`.
    ServiceAccount,
}

/// One entry of a binding's `subjects`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindingSubject {
    /// `kind`.
    pub kind: SubjectKind,
    /// `name`.
    pub name: String,
    /// `namespace`: for a ServiceAccount in a RoleBinding it defaults to the binding's own, as
    /// the authorizer does; in a ClusterRoleBinding it is required.
    pub namespace: Option<String>,
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// `None` for a ClusterRoleBinding.
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
    /// `roleRef.kind`.
    pub role_kind: RoleKind,
    /// `roleRef.name`.
    pub role_name: String,
    /// `subjects`, the entries that could be read.
    pub subjects: Vec<BindingSubject>,
}

impl Binding {
    /// `RoleBinding dev/read-pods` or `ClusterRoleBinding admins`, as answers name bindings.
    pub fn label(&self) -> String {
        match &self.namespace {
            None => format!("ClusterRoleBinding {}", self.name),
            Some(ns) => format!("RoleBinding {ns}/{}", self.name),
        }
    }

    /// The role the binding refers to, named as [`Role::label`] would name it.
    pub fn role_label(&self) -> String {
        match (self.role_kind, &self.namespace) {
            (RoleKind::ClusterRole, _) => format!("ClusterRole {}", self.role_name),
            (RoleKind::Role, Some(ns)) => format!("Role {ns}/{}", self.role_name),
            (RoleKind::Role, None) => format!("Role {}", self.role_name),
        }
    }

    /// Whether the binding names the subject (`appliesTo` in the authorizer).
    pub fn applies_to(&self, subject: &Subject) -> bool {
        self.subjects.iter().any(|s| match s.kind {
            SubjectKind::User => !s.name.is_empty() && s.name == subject.user,
            SubjectKind::Group => subject.groups.contains(&s.name),
            SubjectKind::ServiceAccount => {
                let ns = s.namespace.as_deref().or(self.namespace.as_deref());
                // The user `system:serviceaccount:<ns>:<name>`, compared without building it:
                // a cluster's dump has thousands of such subjects to check.
                match ns {
                    Some(ns) if !ns.is_empty() && !s.name.is_empty() => subject
                        .user
                        .strip_prefix("system:serviceaccount:")
                        .and_then(|rest| rest.strip_prefix(ns))
                        .and_then(|rest| rest.strip_prefix(':'))
                        .is_some_and(|name| name == s.name),
                    _ => false,
                }
            }
        })
    }
}

/// Something worth knowing about one pasted object: skipped, or partly unreadable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// [`Level::Info`] for skipped objects of other kinds, [`Level::Warning`] for problems.
    pub level: Level,
    /// Where: `item 3 (RoleBinding dev/x)`, `document 2`.
    pub at: String,
    /// What.
    pub text: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.text)
    }
}

/// Everything read from a paste. The roles, bindings and index are shared, so a copy (the
/// app's state is copied on every keystroke) copies pointers, not a cluster's RBAC.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Roles and ClusterRoles, in pasted order (a later duplicate replaces an earlier one).
    pub roles: Rc<Vec<Role>>,
    /// RoleBindings and ClusterRoleBindings, in pasted order.
    pub bindings: Rc<Vec<Binding>>,
    /// Objects skipped or partly read, in pasted order.
    pub notes: Vec<Note>,
    /// What reading and aggregating the paste cost.
    pub work: Work,
    /// The places in `roles` sorted by namespace and name, to find a binding's role by binary
    /// search rather than by scanning thousands.
    index: Rc<Vec<u32>>,
}

/// A role's or binding's namespace and name, which make it unique.
type Name<'a> = (Option<&'a str>, &'a str);

/// Places `0..len` sorted by `name`, ties in pasted order.
fn sorted_by_name<'a>(len: usize, name: &dyn Fn(usize) -> Option<Name<'a>>) -> Vec<usize> {
    crate::sort::indices(len, &|a, b| name(a).cmp(&name(b)))
}

impl Policy {
    /// The role a binding refers to, if it was pasted. A ClusterRoleBinding cannot refer to a
    /// Role (the API server refuses it), so that finds nothing. Looked up in the index [`parse`]
    /// builds, so a role added to `roles` afterwards is not found.
    pub fn role_for(&self, binding: &Binding) -> Option<&Role> {
        self.roles.get(self.role_place(binding)?)
    }

    /// Where in `roles` the role a binding refers to is.
    fn role_place(&self, binding: &Binding) -> Option<usize> {
        let namespace = match binding.role_kind {
            RoleKind::ClusterRole => None,
            RoleKind::Role => Some(binding.namespace.as_deref()?),
        };
        let wanted: Name<'_> = (namespace, binding.role_name.as_str());
        let name = |at: u32| {
            self.roles
                .get(at as usize)
                .map(|r| (r.namespace.as_deref(), r.name.as_str()))
        };
        let found = self
            .index
            .binary_search_by(|&at| name(at).cmp(&Some(wanted)))
            .ok()?;
        let at = *self.index.get(found)? as usize;
        (name(num(at)) == Some(wanted)).then_some(at)
    }
}

fn num(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Finds the repeats among `len` roles or bindings named by `name`, as the API server would
/// hold them: a repeat takes the place of the first copy, and each later copy goes, with a note
/// at the place in the notes where reading it ended (`read[i]`: its `at`, and how many notes
/// there were then). Found by sorting, in one pass over the sorted names. Returns the places to
/// swap (first copy, last copy) and which places go.
fn repeats<'a>(
    len: usize,
    name: &dyn Fn(usize) -> Option<Name<'a>>,
    read: &[(String, usize)],
    notes: &mut Vec<(usize, Note)>,
) -> (Vec<(usize, usize)>, Vec<bool>) {
    let order = sorted_by_name(len, name);
    let mut gone = vec![false; len];
    let mut moves = Vec::new();
    let mut group = 0;
    for k in 1..=order.len() {
        let at = |i: usize| order.get(i).and_then(|&p| name(p));
        if k < order.len() && at(k) == at(group) {
            continue;
        }
        // order[group..k] holds one name, in pasted order.
        let copies = order.get(group..k).unwrap_or(&[]);
        if let (Some(&first), Some(&last), true) = (copies.first(), copies.last(), copies.len() > 1)
        {
            moves.push((first, last));
        }
        for &later in copies.get(1..).unwrap_or(&[]) {
            if let Some(g) = gone.get_mut(later) {
                *g = true;
            }
            if let Some((at, count)) = read.get(later) {
                let note = Note {
                    level: Level::Warning,
                    at: at.clone(),
                    text: "pasted twice; the later copy is used".to_string(),
                };
                notes.push((*count, note));
            }
        }
        group = k;
    }
    (moves, gone)
}

/// Applies what [`repeats`] found to `items`.
fn drop_repeats<T>(items: &mut Vec<T>, (moves, gone): (Vec<(usize, usize)>, Vec<bool>)) {
    for (first, last) in moves {
        items.swap(first, last);
    }
    let mut place = 0;
    items.retain(|_| {
        place += 1;
        !gone.get(place - 1).copied().unwrap_or(false)
    });
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/// Why a paste could not be read at all. Problems with single objects are [`Note`]s instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Nothing pasted.
    Empty,
    /// Larger than [`MAX_POLICY_BYTES`].
    TooLarge {
        /// Size of the paste in bytes.
        bytes: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// YAML that does not parse.
    Yaml {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// JSON that does not parse.
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// Nesting deeper than any Kubernetes object.
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// Parsed, but holds no Role, ClusterRole, RoleBinding or ClusterRoleBinding.
    NoRbac {
        /// The kinds found instead, in order, without repeats.
        kinds: Vec<String>,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const WHAT: &str =
            "kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml";
        match self {
            ParseError::Empty => write!(f, "Nothing to evaluate yet: paste the output of `{WHAT}`."),
            ParseError::TooLarge { bytes, limit } => write!(
                f,
                "The paste is {} KiB; the evaluator stops at {} KiB. Paste the namespaces you care about: `kubectl get roles,rolebindings -n NS -o yaml` plus the cluster-wide objects.",
                bytes / 1024,
                limit / 1024
            ),
            ParseError::Yaml { line, column, message } => write!(
                f,
                "This looks like YAML but does not parse: {message} (line {line}, column {column}). Paste the whole `{WHAT}` output."
            ),
            ParseError::Json { line, column, message } => write!(
                f,
                "This looks like JSON but does not parse: {message} (line {line}, column {column})."
            ),
            ParseError::TooDeep { limit } => write!(
                f,
                "The paste nests more than {limit} levels deep; no RBAC object does. It was not read."
            ),
            ParseError::NoRbac { kinds } if kinds.is_empty() => write!(
                f,
                "No Role, ClusterRole, RoleBinding or ClusterRoleBinding here: the documents have no `kind`. Paste the output of `{WHAT}`."
            ),
            ParseError::NoRbac { kinds } => write!(
                f,
                "No Role, ClusterRole, RoleBinding or ClusterRoleBinding here (found {}). Paste the output of `{WHAT}`.",
                kinds.join(", ")
            ),
        }
    }
}

impl std::error::Error for ParseError {}

impl From<InputError> for ParseError {
    fn from(e: InputError) -> Self {
        match e {
            InputError::Yaml {
                line,
                column,
                message,
            } => ParseError::Yaml {
                line,
                column,
                message,
            },
            InputError::Json {
                line,
                column,
                message,
            } => ParseError::Json {
                line,
                column,
                message,
            },
            InputError::TooDeep { limit } => ParseError::TooDeep { limit },
            // parse_documents only reports the three above; anything else is still a
            // document that could not be read.
            other => ParseError::Yaml {
                line: 1,
                column: 1,
                message: other.to_string(),
            },
        }
    }
}

/// Reads pasted RBAC objects: a `List` (or `RoleList`, …) with `items`, several YAML documents,
/// one JSON object, a JSON array, or JSON objects one after another. Other kinds are skipped
/// with a note; an object that cannot be used is skipped with a note saying what is wrong, and
/// the rest are still read. Aggregated ClusterRoles are expanded before returning.
pub fn parse(text: &str) -> Result<Policy, ParseError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(ParseError::Empty);
    }
    if text.len() > MAX_POLICY_BYTES {
        return Err(ParseError::TooLarge {
            bytes: text.len(),
            limit: MAX_POLICY_BYTES,
        });
    }
    let docs = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        json_documents(trimmed)?
    } else {
        yaml::parse_documents(trimmed)?
    };

    let mut reader = Reader::default();
    // Depth-first over documents and list items without recursion: a stack of (where, value),
    // children pushed in reverse so they come off in pasted order.
    let several = docs.len() > 1;
    let mut pending: Vec<(String, &Value)> = docs
        .iter()
        .enumerate()
        .rev()
        .map(|(i, d)| {
            let at = if several {
                format!("document {}", i + 1)
            } else {
                String::new()
            };
            (at, d)
        })
        .collect();
    while let Some((at, value)) = pending.pop() {
        let items = match value {
            Value::Array(items) => Some(items),
            Value::Object(map) if is_list(map) => match map.get("items") {
                Some(Value::Array(items)) => Some(items),
                Some(Value::Null) | None => continue,
                Some(_) => {
                    reader.note(Level::Warning, place(&at), "`items` is not a list");
                    continue;
                }
            },
            _ => None,
        };
        match items {
            Some(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    let item_at = if at.is_empty() {
                        format!("item {}", i + 1)
                    } else {
                        format!("{at}, item {}", i + 1)
                    };
                    pending.push((item_at, item));
                }
            }
            None => reader.object(&place(&at), value),
        }
    }
    if reader.roles.is_empty() && reader.bindings.is_empty() {
        return Err(ParseError::NoRbac {
            kinds: reader.other_kinds,
        });
    }
    let Reader {
        mut roles,
        mut bindings,
        notes: read_notes,
        role_read,
        binding_read,
        ..
    } = reader;
    // Repeats are noted where reading them ended, among the notes of everything else.
    let mut repeated = Vec::new();
    let found = repeats(
        roles.len(),
        &|i| {
            roles
                .get(i)
                .map(|r| (r.namespace.as_deref(), r.name.as_str()))
        },
        &role_read,
        &mut repeated,
    );
    drop_repeats(&mut roles, found);
    let found = repeats(
        bindings.len(),
        &|i| {
            bindings
                .get(i)
                .map(|b| (b.namespace.as_deref(), b.name.as_str()))
        },
        &binding_read,
        &mut repeated,
    );
    drop_repeats(&mut bindings, found);
    crate::sort::stable_by(&mut repeated, |a, b| a.0.cmp(&b.0));
    let mut notes = Vec::with_capacity(read_notes.len() + repeated.len());
    let mut read_notes = read_notes.into_iter();
    let mut taken = 0;
    for (at, note) in repeated {
        notes.extend(read_notes.by_ref().take(at.saturating_sub(taken)));
        taken = taken.max(at);
        notes.push(note);
    }
    notes.extend(read_notes);
    let work = aggregate::aggregate(&mut roles, &mut notes);
    if notes.len() > MAX_NOTES {
        let more = notes.len() - MAX_NOTES;
        notes.truncate(MAX_NOTES);
        notes.push(Note {
            level: Level::Warning,
            at: "the paste".to_string(),
            text: format!("{more} more notes are not listed; the first {MAX_NOTES} are above"),
        });
    }
    let name = |i: usize| {
        roles
            .get(i)
            .map(|r| (r.namespace.as_deref(), r.name.as_str()))
    };
    let index: Vec<u32> = sorted_by_name(roles.len(), &name)
        .into_iter()
        .map(num)
        .collect();
    Ok(Policy {
        roles: Rc::new(roles),
        bindings: Rc::new(bindings),
        notes,
        work,
        index: Rc::new(index),
    })
}

/// The label of a lone document, which has no number.
fn place(at: &str) -> String {
    if at.is_empty() {
        "the document".to_string()
    } else {
        at.to_string()
    }
}

fn is_list(map: &serde_json::Map<String, Value>) -> bool {
    let kind = map.get("kind").and_then(Value::as_str).unwrap_or("");
    kind.ends_with("List") || (kind.is_empty() && map.contains_key("items"))
}

/// JSON objects one after another (`kubectl get … -o json` run several times), or one.
fn json_documents(text: &str) -> Result<Vec<Value>, ParseError> {
    let mut out = Vec::new();
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        match value {
            Ok(v) => out.push(v),
            Err(e) => {
                return Err(ParseError::Json {
                    line: e.line(),
                    column: e.column().max(1),
                    message: crate::json::message(&e),
                })
            }
        }
    }
    Ok(out)
}

#[derive(Default)]
struct Reader {
    roles: Vec<Role>,
    bindings: Vec<Binding>,
    notes: Vec<Note>,
    other_kinds: Vec<String>,
    /// For each role and binding, where it was read and how many notes there were then, to
    /// note a repeat where it was read.
    role_read: Vec<(String, usize)>,
    binding_read: Vec<(String, usize)>,
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
    fn note(&mut self, level: Level, at: String, text: impl Into<String>) {
        self.notes.push(Note {
            level,
            at,
            text: text.into(),
        });
    }

    /// One object of any kind.
    fn object(&mut self, at: &str, value: &Value) {
        if !value.is_object() {
            self.note(
                Level::Warning,
                at.to_string(),
                format!("{} instead of an object; skipped", crate::json::kind(value)),
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
            "Role" | "ClusterRole" => self.role(&at, value, namespace, name),
            _ => self.binding(&at, value, namespace, name),
        }
    }

    fn role(&mut self, at: &str, value: &Value, namespace: Option<String>, name: String) {
        let mut labels = BTreeMap::new();
        if let Some(Value::Object(map)) = value.get("metadata").and_then(|m| m.get("labels")) {
            for (k, v) in map {
                if let Some(text) = scalar_text(v) {
                    labels.insert(k.clone(), text);
                }
            }
        }
        let mut rules = Vec::new();
        match value.get("rules") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(rule) = self.rule(at, i, item, namespace.is_some()) {
                        rules.push(rule);
                    }
                }
            }
            Some(_) => self.note(
                Level::Warning,
                at.to_string(),
                "rules is not a list; ignored",
            ),
        }
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
        match value.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(s) => out.push(s.to_string()),
                        None => self.note(
                            Level::Warning,
                            at.to_string(),
                            format!("{key} holds {}; ignored", crate::json::kind(item)),
                        ),
                    }
                }
                out
            }
            Some(other) => {
                self.note(
                    Level::Warning,
                    at.to_string(),
                    format!("{key} is {}, not a list; ignored", crate::json::kind(other)),
                );
                Vec::new()
            }
        }
    }

    fn rule(&mut self, at: &str, index: usize, value: &Value, namespaced: bool) -> Option<Rule> {
        let rule_at = format!("{at}, rules[{index}]");
        if !value.is_object() {
            self.note(Level::Warning, rule_at, "not an object; ignored");
            return None;
        }
        let rule = Rule {
            api_groups: self.strings(&rule_at, value, "apiGroups"),
            resources: self.strings(&rule_at, value, "resources"),
            verbs: self.strings(&rule_at, value, "verbs"),
            resource_names: self.strings(&rule_at, value, "resourceNames"),
            non_resource_urls: self.strings(&rule_at, value, "nonResourceURLs"),
        };
        // The API server's own validation (ValidatePolicyRule): such rules are never stored,
        // so a paste holding them was written by hand. They are kept and evaluated as written,
        // which is what the authorizer would do with them.
        let mut problem = |text: &str| {
            self.notes.push(Note {
                level: Level::Warning,
                at: rule_at.clone(),
                text: format!("{text} (the API server would refuse this rule)"),
            })
        };
        if rule.verbs.is_empty() {
            problem("verbs is empty, so the rule allows nothing");
        }
        if !rule.non_resource_urls.is_empty() {
            if namespaced {
                problem("a Role cannot grant nonResourceURLs");
            }
            if !rule.api_groups.is_empty()
                || !rule.resources.is_empty()
                || !rule.resource_names.is_empty()
            {
                problem("mixes nonResourceURLs with apiGroups, resources or resourceNames");
            }
        } else {
            if rule.api_groups.is_empty() {
                problem("apiGroups is empty (\"\" is the core group)");
            }
            if rule.resources.is_empty() {
                problem("resources is empty");
            }
        }
        Some(rule)
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
        let role_ref = value.get("roleRef");
        let Some(role_ref) = role_ref.filter(|r| r.is_object()) else {
            self.note(Level::Warning, at.to_string(), "roleRef missing; skipped");
            return;
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
                return;
            }
            Some(other) => {
                self.note(
                    Level::Warning,
                    at.to_string(),
                    format!("roleRef.kind {other} is neither Role nor ClusterRole; skipped"),
                );
                return;
            }
        };
        let role_name = str_field(role_ref, "name").unwrap_or("").to_string();
        if role_name.is_empty() {
            self.note(
                Level::Warning,
                at.to_string(),
                "roleRef.name missing; skipped",
            );
            return;
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
        if namespace.is_none() && role_kind == RoleKind::Role {
            self.note(
                Level::Warning,
                at.to_string(),
                "a ClusterRoleBinding can only refer to a ClusterRole, not a Role; it grants nothing",
            );
        }
        let mut subjects = Vec::new();
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
        for (i, s) in items.iter().enumerate() {
            let s_at = format!("{at}, subjects[{i}]");
            let name = str_field(s, "name").unwrap_or("");
            let kind = match str_field(s, "kind") {
                Some("User") => SubjectKind::User,
                Some("Group") => SubjectKind::Group,
                Some("ServiceAccount") => SubjectKind::ServiceAccount,
                other => {
                    self.note(
                        Level::Warning,
                        s_at,
                        format!(
                            "kind {} is not User, Group or ServiceAccount; ignored",
                            other.unwrap_or("missing")
                        ),
                    );
                    continue;
                }
            };
            if name.is_empty() {
                self.note(Level::Warning, s_at, "name missing; ignored");
                continue;
            }
            let sa_namespace = str_field(s, "namespace")
                .filter(|n| !n.is_empty())
                .map(str::to_string);
            if kind == SubjectKind::ServiceAccount && sa_namespace.is_none() && namespace.is_none()
            {
                self.note(
                    Level::Warning,
                    s_at.clone(),
                    format!("ServiceAccount {name} has no namespace, which a ClusterRoleBinding requires; it matches no one"),
                );
            }
            subjects.push(BindingSubject {
                kind,
                name: name.to_string(),
                namespace: sa_namespace,
            });
        }
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
}

// ---------------------------------------------------------------------------------------------
// Subjects
// ---------------------------------------------------------------------------------------------

/// Who is asking: a user name and groups, as the authenticator hands them to the authorizer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// The user name; empty when only groups are evaluated.
    pub user: String,
    /// The groups.
    pub groups: Vec<String>,
}

/// The group the API server lets do anything before RBAC is asked.
pub const PRIVILEGED_GROUP: &str = "system:masters";

impl Subject {
    /// The service account `namespace/name`: user `system:serviceaccount:<ns>:<name>`, groups
    /// `system:serviceaccounts`, `system:serviceaccounts:<ns>`, `system:authenticated`, as the
    /// service-account authenticator derives them.
    pub fn from_service_account(namespace: &str, name: &str) -> Subject {
        Subject {
            user: format!("system:serviceaccount:{namespace}:{name}"),
            groups: vec![
                "system:serviceaccounts".to_string(),
                format!("system:serviceaccounts:{namespace}"),
                "system:authenticated".to_string(),
            ],
        }
    }

    /// The identity the inspector derived from a token.
    pub fn from_identity(identity: &Identity) -> Subject {
        Subject {
            user: identity.username.clone(),
            groups: identity.groups.clone(),
        }
    }

    /// How answers name the subject: the user, or the groups when there is no user.
    pub fn describe(&self) -> String {
        if self.user.is_empty() {
            format!("group {}", self.groups.join(", "))
        } else {
            self.user.clone()
        }
    }
}

/// Why typed subject text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubjectError {
    /// Nothing typed.
    Empty,
    /// More than [`MAX_FIELD_BYTES`]: a paste into the wrong field.
    TooLong {
        /// Its length in bytes.
        bytes: usize,
    },
    /// `system:serviceaccount:` without exactly a namespace and a name after it.
    ServiceAccount {
        /// What was typed.
        text: String,
    },
    /// `group:` or `user:` with nothing after it, or a blank entry between commas.
    EmptyEntry {
        /// 1-based position among the comma-separated entries.
        position: usize,
    },
    /// Two user names (or service accounts) in one subject.
    TwoUsers {
        /// The first.
        first: String,
        /// The second.
        second: String,
    },
}

/// What typed subjects look like, for error messages and the page's hint.
pub const SUBJECT_SYNTAX: &str = "Type system:serviceaccount:NAMESPACE:NAME for a service account, a user name such as alice, or group:NAME for a group; add groups after commas: alice, group:dev. Well-known system: groups (system:authenticated, system:serviceaccounts:NS, system:masters, …) need no prefix.";

impl fmt::Display for SubjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubjectError::Empty => write!(f, "No subject. {SUBJECT_SYNTAX}"),
            SubjectError::ServiceAccount { text } => write!(
                f,
                "{text:?} is not a service account: it needs exactly system:serviceaccount:NAMESPACE:NAME, both parts non-empty. {SUBJECT_SYNTAX}"
            ),
            SubjectError::EmptyEntry { position } => write!(
                f,
                "Entry {position} is empty: a name is missing there. {SUBJECT_SYNTAX}"
            ),
            SubjectError::TooLong { bytes } => write!(
                f,
                "The subject is {} KiB long; a user or group name is at most a few hundred characters. {SUBJECT_SYNTAX}",
                bytes.div_ceil(1024)
            ),
            SubjectError::TwoUsers { first, second } => write!(
                f,
                "A request comes from one user, but both {first:?} and {second:?} are users here; mark groups with group:. {SUBJECT_SYNTAX}"
            ),
        }
    }
}

impl std::error::Error for SubjectError {}

/// Groups the API server itself hands out; typed bare, they mean the group, not a user.
fn is_system_group(name: &str) -> bool {
    matches!(
        name,
        "system:authenticated"
            | "system:unauthenticated"
            | "system:serviceaccounts"
            | "system:masters"
            | "system:nodes"
            | "system:monitoring"
            | "system:bootstrappers"
    ) || name.starts_with("system:serviceaccounts:")
        || name.starts_with("system:bootstrappers:")
}

/// Reads a typed subject (see [`SUBJECT_SYNTAX`]), comma-separated entries:
/// - `system:serviceaccount:NS:NAME`: that service account, with the three groups the
///   authenticator adds;
/// - `group:NAME`, or a well-known `system:` group typed bare: a group;
/// - `user:NAME` or any other text: a user, who is also in `system:authenticated`
///   (`system:anonymous` is in `system:unauthenticated` instead), as every authenticated
///   request is.
///
/// Groups alone evaluate just those groups, with no user: "what can members of dev do".
pub fn parse_subject(text: &str) -> Result<Subject, SubjectError> {
    if text.trim().is_empty() {
        return Err(SubjectError::Empty);
    }
    if text.len() > MAX_FIELD_BYTES {
        return Err(SubjectError::TooLong { bytes: text.len() });
    }
    let mut user: Option<String> = None;
    let mut groups: Vec<String> = Vec::new();
    let mut implied: Vec<String> = Vec::new();
    for (i, entry) in text.split(',').enumerate() {
        let entry = entry.trim();
        let position = i + 1;
        let empty = SubjectError::EmptyEntry { position };
        if entry.is_empty() {
            return Err(empty);
        }
        if let Some(group) = entry.strip_prefix("group:") {
            let group = group.trim();
            if group.is_empty() {
                return Err(empty);
            }
            groups.push(group.to_string());
            continue;
        }
        if is_system_group(entry) {
            groups.push(entry.to_string());
            continue;
        }
        let (name, sa_groups) = if let Some(rest) = entry.strip_prefix("system:serviceaccount:") {
            let parts: Vec<&str> = rest.split(':').collect();
            match parts.as_slice() {
                [ns, name] if !ns.is_empty() && !name.is_empty() => {
                    let sa = Subject::from_service_account(ns, name);
                    (sa.user, sa.groups)
                }
                _ => {
                    return Err(SubjectError::ServiceAccount {
                        text: entry.to_string(),
                    })
                }
            }
        } else {
            let name = entry.strip_prefix("user:").unwrap_or(entry).trim();
            if name.is_empty() {
                return Err(empty);
            }
            let group = if name == "system:anonymous" {
                "system:unauthenticated"
            } else {
                "system:authenticated"
            };
            (name.to_string(), vec![group.to_string()])
        };
        if let Some(first) = &user {
            return Err(SubjectError::TwoUsers {
                first: first.clone(),
                second: name,
            });
        }
        user = Some(name);
        implied = sa_groups;
    }
    for g in implied {
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    Ok(Subject {
        user: user.unwrap_or_default(),
        groups,
    })
}

// ---------------------------------------------------------------------------------------------
// Effective access
// ---------------------------------------------------------------------------------------------

/// One rule the subject holds, and where from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The namespace it applies in; `None` for everywhere (a ClusterRoleBinding).
    pub scope: Option<String>,
    /// The rule, shared with the role that holds it.
    pub rule: Rc<Rule>,
    /// The binding that grants it: `RoleBinding dev/x`, `ClusterRoleBinding y`.
    pub binding: String,
    /// The role holding it: `ClusterRole edit`, `Role dev/r`.
    pub role: String,
    /// For an aggregated ClusterRole, the ClusterRole that spells the rule out.
    pub aggregated_from: Option<String>,
}

/// One line of the `kubectl auth can-i --list`-like table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListRow {
    /// `resource.group` as kubectl prints it (`pods`, `deployments.apps`, `*.*`); empty for a
    /// non-resource row.
    pub resource: String,
    /// The non-resource URL; empty for a resource row.
    pub non_resource_url: String,
    /// `resourceNames`; empty means every object.
    pub resource_names: Vec<String>,
    /// Verbs, sorted, without repeats.
    pub verbs: Vec<String>,
    /// `binding → role` for every grant behind the row.
    pub sources: Vec<String>,
}

/// The rows that hold in one scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeTable {
    /// `None`: everywhere, from ClusterRoleBindings. `Some(ns)`: in that namespace, in addition
    /// to everything cluster-wide.
    pub namespace: Option<String>,
    /// Resource rows sorted by resource, then non-resource rows sorted by URL.
    pub rows: Vec<ListRow>,
}

/// What a subject can do, as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Access {
    /// Every rule granted, in binding order (ClusterRoleBindings first).
    pub grants: Vec<Grant>,
    /// Cluster-wide first (always present), then each namespace with RoleBindings for the
    /// subject, by name.
    pub table: Vec<ScopeTable>,
    /// Bindings naming the subject whose role was not pasted or does not exist: they grant
    /// nothing.
    pub missing_roles: Vec<Finding>,
    /// Risk warnings ([`risk::rule_risks`], [`risk::binding_risks`]) for what the subject
    /// holds, most serious first; each title says where it holds, each reason what grants it.
    pub warnings: Vec<Finding>,
}

/// Bindings that apply to `subject`, ClusterRoleBindings first (the authorizer's order).
fn applying<'a>(policy: &'a Policy, subject: &'a Subject) -> impl Iterator<Item = &'a Binding> {
    let cluster = policy.bindings.iter().filter(|b| b.namespace.is_none());
    let namespaced = policy.bindings.iter().filter(|b| b.namespace.is_some());
    cluster.chain(namespaced).filter(|b| b.applies_to(subject))
}

/// Whether a rule can match anything in a namespace: a pure non-resource rule cannot, since
/// non-resource requests have no namespace and only ClusterRoleBindings are asked about them.
fn usable_in_namespace(rule: &Rule) -> bool {
    !rule.resources.is_empty() || rule.non_resource_urls.is_empty()
}

fn missing_role_finding(binding: &Binding) -> Finding {
    let why = if binding.namespace.is_none() && binding.role_kind == RoleKind::Role {
        "A ClusterRoleBinding can only refer to a ClusterRole; the API server refuses this one, \
         and it grants nothing."
            .to_string()
    } else {
        format!(
            "It names the subject, but {} is not in the paste, so the API server grants \
             nothing through it (a role created later takes effect at once). If the role exists \
             in the cluster, paste it too.",
            binding.role_label()
        )
    };
    Finding {
        level: Level::Warning,
        title: format!(
            "{} refers to missing {}",
            binding.label(),
            binding.role_label()
        ),
        why,
    }
}

/// Most entries [`effective`] adds up for one subject: each rule a binding grants, and each row
/// it adds to a table. A subject bound to a few roles needs hundreds; one granted the
/// aggregated `edit` in each of 400 namespaces of an operator-heavy cluster, about this many,
/// and a table of 200 000 rows no one reads; a paste that binds one subject thousands of
/// times to roles of thousands of rules would need billions.
pub const MAX_TABLE_ENTRIES: usize = 500_000;

/// How many bindings an answer names before it says how many more there are.
const NAMED: usize = 10;

/// `a; b; c and 4 others`: the first [`NAMED`] of `items` and how many more there are.
fn some_of(items: &[String], sep: &str) -> String {
    let shown = items.get(..NAMED).unwrap_or(items).join(sep);
    match items.len().saturating_sub(NAMED) {
        0 => shown,
        1 => format!("{shown} and 1 other"),
        more => format!("{shown} and {more} others"),
    }
}

/// Everything `subject` may do under `policy`: each granted rule with its binding and role, a
/// `kubectl auth can-i --list`-like table per scope, bindings to missing roles, and the risk
/// warnings that apply. What a role contributes (its rows, its rules' risks) is worked out once
/// however many bindings grant it, and the tables stop at [`MAX_TABLE_ENTRIES`] with a warning
/// saying so.
pub fn effective(policy: &Policy, subject: &Subject) -> Access {
    let mut grants = Vec::new();
    let mut missing_roles = Vec::new();
    // Each risk as found: its scope, the finding, and the binding → role granting it.
    let mut found: Vec<(Option<String>, Finding, String)> = Vec::new();
    // What each role contributes, worked out once: by place in `roles`, then namespaced or not.
    let mut slots = vec![u32::MAX; policy.roles.len().saturating_mul(2)];
    let mut summaries: Vec<Rc<Summary>> = Vec::new();
    let mut scopes: BTreeMap<Option<String>, BTreeMap<RowKey, RowAcc>> = BTreeMap::new();
    scopes.entry(None).or_default();
    let mut entries = 0usize;
    let mut stopped: Option<&Binding> = None;
    for binding in applying(policy, subject) {
        let Some((place, role)) = policy
            .role_place(binding)
            .and_then(|at| Some((at, policy.roles.get(at)?)))
        else {
            missing_roles.push(missing_role_finding(binding));
            continue;
        };
        // Past the limit, bindings to missing roles are still listed.
        if stopped.is_some() {
            continue;
        }
        let namespaced = binding.namespace.is_some();
        let slot = place * 2 + usize::from(namespaced);
        let summary = match summaries.get(slots.get(slot).map_or(usize::MAX, |&s| s as usize)) {
            Some(summary) => summary.clone(),
            None => {
                let summary = Rc::new(summarise(role, namespaced));
                if let Some(s) = slots.get_mut(slot) {
                    *s = num(summaries.len());
                }
                summaries.push(summary.clone());
                summary
            }
        };
        entries = entries.saturating_add(role.effective.len() + summary.rows.len());
        if entries > MAX_TABLE_ENTRIES {
            stopped = Some(binding);
            continue;
        }
        let (binding_label, role_label) = (binding.label(), role.label());
        let source = format!("{binding_label} → {role_label}");
        // A namespaced Role that happens to be called cluster-admin is not the built-in role.
        let role_name = match binding.role_kind {
            RoleKind::ClusterRole => binding.role_name.as_str(),
            RoleKind::Role => "",
        };
        let risks = risk::binding_risks(role_name, binding.namespace.as_deref());
        for finding in risks.into_iter().chain(summary.risks.iter().cloned()) {
            found.push((binding.namespace.clone(), finding, source.clone()));
        }
        for (_, rule, origin) in role.effective.numbered() {
            if namespaced && !usable_in_namespace(rule) {
                continue;
            }
            grants.push(Grant {
                scope: binding.namespace.clone(),
                rule: rule.clone(),
                binding: binding_label.clone(),
                role: role_label.clone(),
                aggregated_from: origin.map(str::to_string),
            });
        }
        let rows = scopes.entry(binding.namespace.clone()).or_default();
        let first = rows.is_empty();
        for (key, verbs) in &summary.rows {
            let acc = rows.entry(key.clone()).or_default();
            if first {
                // The scope's first binding (in a namespace, usually the only one).
                acc.verbs.clone_from(verbs);
            } else {
                add_verbs(&mut acc.verbs, verbs);
            }
            // Bindings come one after the other, so a repeated source is the last one.
            if acc.sources.last() != Some(&source) {
                acc.sources.push(source.clone());
            }
        }
    }
    let mut warnings = merge_risks(found);
    if let Some(binding) = stopped {
        warnings.insert(
            0,
            Finding {
                level: Level::Warning,
                title: "Only part of what this subject can do is listed".to_string(),
                why: format!(
                    "The rules it is granted add up to more than {MAX_TABLE_ENTRIES} table entries (the evaluator's limit), so the tables and risks here stop at {}. Can I still answers each question from every binding.",
                    binding.label()
                ),
            },
        );
    }
    Access {
        table: table(scopes),
        grants,
        missing_roles,
        warnings,
    }
}

/// One risk per title and scope, with every binding that grants it, most serious first, then
/// cluster-wide before namespaces, otherwise in the order found.
fn merge_risks(found: Vec<(Option<String>, Finding, String)>) -> Vec<Finding> {
    let key = |i: usize| found.get(i).map(|(scope, f, _)| (scope, &f.title));
    let order = crate::sort::indices(found.len(), &|a, b| key(a).cmp(&key(b)));
    // (first found, scope, finding, sources), one per title and scope.
    let mut merged: Vec<(usize, &Option<String>, &Finding, Vec<String>)> = Vec::new();
    for i in order {
        let Some((scope, finding, source)) = found.get(i) else {
            continue;
        };
        match merged.last_mut() {
            // Found binding by binding, so a repeated source is the last one.
            Some((_, s, f, sources)) if *s == scope && f.title == finding.title => {
                if sources.last() != Some(source) {
                    sources.push(source.clone());
                }
            }
            _ => merged.push((i, scope, finding, vec![source.clone()])),
        }
    }
    crate::sort::stable_by(&mut merged, |a, b| {
        (b.2.level.cmp(&a.2.level))
            .then_with(|| a.1.is_some().cmp(&b.1.is_some()))
            .then_with(|| a.1.cmp(b.1))
            .then_with(|| a.0.cmp(&b.0))
    });
    merged
        .into_iter()
        .map(|(_, scope, finding, sources)| {
            let place = match scope {
                None => "cluster-wide".to_string(),
                Some(ns) => format!("in namespace {ns}"),
            };
            Finding {
                level: finding.level,
                title: format!("{} ({place})", finding.title),
                why: format!("{} Granted by {}.", finding.why, some_of(&sources, "; ")),
            }
        })
        .collect()
}

/// What one role contributes wherever it is bound (in a namespace, or cluster-wide).
struct Summary {
    /// Its table rows.
    rows: Vec<Row>,
    /// Its rules' risks, one per title, in the order found.
    risks: Vec<Finding>,
}

fn summarise(role: &Role, namespaced: bool) -> Summary {
    let mut risks: Vec<Finding> = Vec::new();
    for (rule, _) in role.effective.iter() {
        if namespaced && !usable_in_namespace(rule) {
            continue;
        }
        for finding in risk::rule_risks(rule) {
            if !risks.iter().any(|f| f.title == finding.title) {
                risks.push(finding);
            }
        }
    }
    Summary {
        rows: rows_of(role, namespaced),
        risks,
    }
}

/// One row a role contributes to a table: `(kind, resource.group or URL, resourceNames)` and
/// its verbs.
type Row = (RowKey, Vec<String>);

/// The rows a role contributes to a table, like `kubectl auth can-i --list`: one per
/// `resource.group` (and resource names) or non-resource URL, verbs merged; in a namespace,
/// without the URLs (only ClusterRoleBindings grant them).
fn rows_of(role: &Role, namespaced: bool) -> Vec<Row> {
    // The map type the tables use, so the page carries one copy of its code.
    let mut rows: BTreeMap<RowKey, RowAcc> = BTreeMap::new();
    for (rule, _) in role.effective.iter() {
        if namespaced && !usable_in_namespace(rule) {
            continue;
        }
        let mut names = rule.resource_names.clone();
        crate::sort::stable_by(&mut names, Ord::cmp);
        let mut keys = Vec::new();
        for group in &rule.api_groups {
            for resource in &rule.resources {
                keys.push((0u8, resource_with_group(resource, group), names.clone()));
            }
        }
        if !namespaced {
            for url in &rule.non_resource_urls {
                keys.push((1u8, url.clone(), Vec::new()));
            }
        }
        for key in keys {
            add_verbs(&mut rows.entry(key).or_default().verbs, &rule.verbs);
        }
    }
    rows.into_iter()
        .map(|(key, acc)| (key, acc.verbs))
        .collect()
}

/// Adds `verbs` to the sorted list `into`, without repeats.
fn add_verbs(into: &mut Vec<String>, verbs: &[String]) {
    for verb in verbs {
        if let Err(at) = into.binary_search(verb) {
            into.insert(at, verb.clone());
        }
    }
}

/// The tables, scope by scope (cluster-wide first, then namespaces by name), rows sorted.
fn table(scopes: BTreeMap<Option<String>, BTreeMap<RowKey, RowAcc>>) -> Vec<ScopeTable> {
    scopes
        .into_iter()
        .map(|(namespace, rows)| ScopeTable {
            namespace,
            rows: rows
                .into_iter()
                .map(|((kind, what, names), acc)| ListRow {
                    resource: if kind == 0 {
                        what.clone()
                    } else {
                        String::new()
                    },
                    non_resource_url: if kind == 1 { what } else { String::new() },
                    resource_names: names,
                    verbs: acc.verbs,
                    sources: acc.sources,
                })
                .collect(),
        })
        .collect()
}

type RowKey = (u8, String, Vec<String>);

#[derive(Default)]
struct RowAcc {
    /// Sorted, without repeats.
    verbs: Vec<String>,
    sources: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Can I?
// ---------------------------------------------------------------------------------------------

/// One request to ask about, as `kubectl auth can-i` builds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// `get`, `list`, `create`, `impersonate`, …
    pub verb: String,
    /// The resource, with a subresource after a slash (`pods/log`); or a non-resource URL
    /// starting with `/` (`/healthz`). Use [`Query::parse`] to read kubectl-style text such
    /// as `deployments.apps`.
    pub resource: String,
    /// The API group; `""` is the core group.
    pub api_group: String,
    /// The namespace; `None` asks cluster-wide (all namespaces at once, or a cluster-scoped
    /// resource), where only ClusterRoleBindings count.
    pub namespace: Option<String>,
    /// The object's name; `None` for requests without one (list, create, watch all).
    pub name: Option<String>,
}

/// Why a query could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    /// A field over [`MAX_FIELD_BYTES`]: a paste into the wrong field.
    TooLong {
        /// Which field: "Verb", "Resource", "Namespace" or "Name".
        field: &'static str,
        /// Its length in bytes.
        bytes: usize,
    },
    /// No verb, or one with spaces.
    Verb {
        /// What was typed.
        text: String,
    },
    /// No resource.
    NoResource,
    /// More than one slash, an empty part, or spaces.
    Resource {
        /// What was typed.
        text: String,
    },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Verb { text } if text.trim().is_empty() => write!(
                f,
                "Type a verb: get, list, watch, create, update, patch, delete, or another such as impersonate."
            ),
            QueryError::Verb { text } => write!(
                f,
                "{text:?} is not a verb: a verb is one word such as get, list or create."
            ),
            QueryError::TooLong { field, bytes } => write!(
                f,
                "{field} is {} KiB long; type a single {} (at most {} KiB).",
                bytes.div_ceil(1024),
                field.to_ascii_lowercase(),
                MAX_FIELD_BYTES / 1024
            ),
            QueryError::NoResource => write!(
                f,
                "Type a resource: pods, pods/log (a subresource), deployments.apps (a resource in the apps group), or a URL such as /healthz."
            ),
            QueryError::Resource { text } => write!(
                f,
                "{text:?} is not a resource: write RESOURCE[.GROUP][/SUBRESOURCE], e.g. pods, pods/log, deployments.apps/scale, or a URL starting with /."
            ),
        }
    }
}

impl std::error::Error for QueryError {}

impl Query {
    /// Reads the page's fields the way `kubectl auth can-i VERB RESOURCE -n NS NAME` would:
    /// `RESOURCE[.GROUP][/SUBRESOURCE]` (`pods`, `pods/log`, `deployments.apps/scale`,
    /// `*.*`), kubectl's short names (`po`, `deploy`), the group of well-known resources filled
    /// in (`deployments` is `deployments.apps`), or a non-resource URL (`/healthz`), which has
    /// no namespace or name. Blank namespace or name means none.
    pub fn parse(
        verb: &str,
        resource: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Query, QueryError> {
        for (field, text) in [
            ("Verb", verb),
            ("Resource", resource),
            ("Namespace", namespace),
            ("Name", name),
        ] {
            if text.len() > MAX_FIELD_BYTES {
                return Err(QueryError::TooLong {
                    field,
                    bytes: text.len(),
                });
            }
        }
        let verb_text = verb.trim();
        if verb_text.is_empty() || verb_text.chars().any(char::is_whitespace) {
            return Err(QueryError::Verb {
                text: verb.to_string(),
            });
        }
        let text = resource.trim();
        if text.is_empty() {
            return Err(QueryError::NoResource);
        }
        let bad = || QueryError::Resource {
            text: text.to_string(),
        };
        if text.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let blank = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        if text.starts_with('/') {
            return Ok(Query {
                verb: verb_text.to_string(),
                resource: text.to_string(),
                api_group: String::new(),
                namespace: None,
                name: None,
            });
        }
        let lower = text.to_ascii_lowercase();
        let (base, sub) = match lower.split_once('/') {
            Some((b, s)) if !s.is_empty() && !s.contains('/') => (b, Some(s)),
            Some(_) => return Err(bad()),
            None => (lower.as_str(), None),
        };
        let (res, group) = match base.split_once('.') {
            Some((r, g)) => (r, Some(g)),
            None => (base, None),
        };
        if res.is_empty() || group.is_some_and(str::is_empty) {
            return Err(bad());
        }
        let known = kube::find(res);
        let res = known.map_or(res, |k| k.name);
        let group = match group {
            Some(g) => g.to_string(),
            None => known.map_or(String::new(), |k| k.group.to_string()),
        };
        let resource = match sub {
            Some(s) => format!("{res}/{s}"),
            None => res.to_string(),
        };
        Ok(Query {
            verb: verb_text.to_string(),
            resource,
            api_group: group,
            namespace: blank(namespace),
            name: blank(name),
        })
    }

    /// Whether this asks about a non-resource URL.
    pub fn is_non_resource(&self) -> bool {
        self.resource.starts_with('/')
    }

    /// `pods/log`, `deployments.apps/scale`: how answers name the resource.
    pub fn resource_label(&self) -> String {
        if self.is_non_resource() {
            return self.resource.clone();
        }
        resource_with_group(&self.resource, &self.api_group)
    }
}

/// `pods`, `deployments.apps`, `deployments.apps/scale`, `*.*`: kubectl's `resource.group`,
/// with a subresource after the group as `kubectl auth can-i` reads it.
fn resource_with_group(resource: &str, group: &str) -> String {
    if group.is_empty() {
        return resource.to_string();
    }
    match resource.split_once('/') {
        Some((r, s)) => format!("{r}.{group}/{s}"),
        None => format!("{resource}.{group}"),
    }
}

/// The answer to one query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Whether the authorizer would allow it.
    pub allowed: bool,
    /// One sentence starting with `Yes` or `No`, naming the binding and role that allow it, or
    /// saying that none does.
    pub text: String,
    /// Every `binding → role` that allows it, the first being the one named in `text`.
    pub via: Vec<String>,
    /// What else is worth knowing: near misses (`resourceNames`, other namespaces), bindings to
    /// missing roles, how the request was read.
    pub hints: Vec<String>,
}

/// `RuleAllows` for a resource request.
fn rule_allows(rule: &Rule, verb: &str, group: &str, resource: &str, name: &str) -> bool {
    verb_matches(rule, verb)
        && rule.api_groups.iter().any(|g| g == "*" || g == group)
        && resource_matches(rule, resource)
        && name_matches(rule, name)
}

fn verb_matches(rule: &Rule, verb: &str) -> bool {
    rule.verbs.iter().any(|v| v == "*" || v == verb)
}

/// The authorizer's `ResourceMatches`: `*`, exact, or `*/sub` for a subresource. Unlike
/// [`risk::resource_matches`] this does not read `pods/*` as every subresource of pods: the
/// authorizer does not, so such a rule grants only a subresource literally named `*`.
fn resource_matches(rule: &Rule, resource: &str) -> bool {
    let sub = resource.split_once('/').map(|(_, s)| s);
    rule.resources.iter().any(|r| {
        r == "*"
            || r == resource
            || sub.is_some_and(|s| r.strip_prefix("*/").is_some_and(|rs| rs == s))
    })
}

fn name_matches(rule: &Rule, name: &str) -> bool {
    rule.resource_names.is_empty() || rule.resource_names.iter().any(|n| n == name)
}

/// `NonResourceURLMatches`: `*`, exact, or a prefix ending in `*`.
fn url_matches(rule: &Rule, path: &str) -> bool {
    rule.non_resource_urls.iter().any(|u| {
        u == "*"
            || u == path
            || u.strip_suffix('*')
                .is_some_and(|prefix| path.starts_with(prefix.trim_end_matches('*')))
    })
}

/// Whether `subject` may make the request `query`, as the RBAC authorizer decides, and why.
/// Members of `system:masters` are allowed everything before RBAC is asked, as in
/// kube-apiserver.
pub fn can_i(policy: &Policy, subject: &Subject, query: &Query) -> Answer {
    let mut hints = Vec::new();
    if subject.groups.iter().any(|g| g == PRIVILEGED_GROUP) {
        return Answer {
            allowed: true,
            text: format!(
                "Yes: {} is in {PRIVILEGED_GROUP}, which the API server allows everything before RBAC is consulted ({}).",
                subject.describe(),
                describe_request(query, query.namespace.as_deref())
            ),
            via: vec![PRIVILEGED_GROUP.to_string()],
            hints,
        };
    }
    // The namespace the API server would see: none for cluster-scoped resources; for a named
    // namespace, the namespace itself (the request info does that for /api/v1/namespaces/NAME).
    let non_resource = query.is_non_resource();
    let base = query.resource.split('/').next().unwrap_or("");
    let mut namespace = if non_resource {
        None
    } else {
        query.namespace.clone()
    };
    if !non_resource {
        let cluster_scoped = kube::is_cluster_scoped(&query.api_group, base);
        if query.api_group.is_empty() && base == "namespaces" && query.name.is_some() {
            if namespace != query.name {
                hints.push(format!(
                    "A request for namespace {} is made in that namespace, so its RoleBindings count.",
                    query.name.as_deref().unwrap_or("")
                ));
            }
            namespace = query.name.clone();
        } else if cluster_scoped && namespace.is_some() {
            hints.push(format!(
                "{} are cluster-scoped: the request has no namespace, so only ClusterRoleBindings count.",
                query.resource_label()
            ));
            namespace = None;
        }
    }
    let what = describe_request(query, namespace.as_deref());
    let name = query.name.as_deref().unwrap_or("");
    let allows = |rule: &Rule, scope: Option<&str>| {
        if non_resource {
            scope.is_none() && verb_matches(rule, &query.verb) && url_matches(rule, &query.resource)
        } else {
            rule_allows(rule, &query.verb, &query.api_group, &query.resource, name)
        }
    };
    let mut via = Vec::new();
    let mut missing = Vec::new();
    let mut near = Vec::new();
    let mut near_more = 0usize;
    let mut elsewhere = BTreeSet::new();
    let mut any = false;
    // A RoleBinding whose role lists the URL: worth saying why it does not count.
    let mut url_in_role_binding = false;
    // What a role's rules say about the request, worked out once per role and place however
    // many bindings grant the role: a group can be bound thousands of times to one role.
    // By place in `roles`, then here or not, then namespaced or not.
    let mut slots = vec![u32::MAX; policy.roles.len().saturating_mul(4)];
    let mut verdicts: Vec<Verdict> = Vec::new();
    for binding in applying(policy, subject) {
        any = true;
        let Some((place, role)) = policy
            .role_place(binding)
            .and_then(|at| Some((at, policy.roles.get(at)?)))
        else {
            missing.push(binding);
            continue;
        };
        let here = match (&binding.namespace, &namespace) {
            (None, _) => true,
            (Some(b), Some(n)) => b == n,
            (Some(_), None) => false,
        };
        let namespaced = binding.namespace.is_some();
        let scope = binding.namespace.as_deref();
        let slot = place * 4 + usize::from(here) * 2 + usize::from(namespaced);
        let known = slots.get(slot).map_or(usize::MAX, |&s| s as usize);
        if known >= verdicts.len() {
            let v = {
                let mut v = Verdict::default();
                for (rule, _) in role.effective.iter() {
                    if here && allows(rule, scope) {
                        v.allows = true;
                    } else if !non_resource
                        && !rule.resource_names.is_empty()
                        && here
                        && rule_allows(
                            rule,
                            &query.verb,
                            &query.api_group,
                            &query.resource,
                            rule.resource_names.first().map_or("", String::as_str),
                        )
                    {
                        v.near.push(rule);
                    } else if non_resource
                        && namespaced
                        && verb_matches(rule, &query.verb)
                        && url_matches(rule, &query.resource)
                    {
                        v.url_in_role = true;
                    } else if !here && !non_resource && allows(rule, scope) {
                        v.elsewhere = true;
                    }
                }
                v
            };
            if let Some(s) = slots.get_mut(slot) {
                *s = num(verdicts.len());
            }
            verdicts.push(v);
        }
        let Some(verdict) = verdicts.get(slots.get(slot).map_or(usize::MAX, |&s| s as usize))
        else {
            continue;
        };
        let source = || format!("{} → {}", binding.label(), role.label());
        if verdict.allows {
            via.push(source());
        }
        for rule in &verdict.near {
            if near.len() >= NAMED {
                near_more += 1;
                continue;
            }
            near.push(format!(
                "{} allows {} {} only for resourceNames [{}]{}.",
                source(),
                query.verb,
                query.resource_label(),
                rule.resource_names.join(", "),
                if name.is_empty() {
                    ", so only requests naming one of them"
                } else {
                    ""
                }
            ));
        }
        url_in_role_binding |= verdict.url_in_role;
        if verdict.elsewhere {
            if let Some(ns) = &binding.namespace {
                elsewhere.insert(format!("{ns} (through {})", source()));
            }
        }
    }
    if near_more > 0 {
        near.push(format!(
            "{near_more} more rules allow it only for other resourceNames."
        ));
    }
    for binding in missing.iter().take(NAMED) {
        hints.push(format!(
            "{} names the subject but refers to missing {}, so it grants nothing.",
            binding.label(),
            binding.role_label()
        ));
    }
    if missing.len() > NAMED {
        hints.push(format!(
            "{} more bindings name the subject but refer to missing roles.",
            missing.len() - NAMED
        ));
    }
    if let Some(first) = via.first() {
        let (binding, role) = first.split_once(" → ").unwrap_or((first, ""));
        let more = match via.len() {
            1 => String::new(),
            2 => " (and 1 other binding)".to_string(),
            n => format!(" (and {} other bindings)", n - 1),
        };
        return Answer {
            allowed: true,
            text: format!("Yes: {binding} grants {role}, which allows {what}{more}."),
            via,
            hints,
        };
    }
    if !any {
        let groups = if subject.groups.is_empty() || subject.user.is_empty() {
            String::new()
        } else {
            format!(" or its groups ({})", subject.groups.join(", "))
        };
        hints.push(format!(
            "No pasted binding names {}{groups}.",
            subject.describe()
        ));
    }
    hints.extend(near);
    if !elsewhere.is_empty() {
        let elsewhere: Vec<String> = elsewhere.into_iter().collect();
        hints.push(format!(
            "Allowed in namespace {} instead.",
            some_of(&elsewhere, ", ")
        ));
    }
    if url_in_role_binding {
        hints.push(
            "Non-resource URLs are only granted by ClusterRoleBindings; RoleBindings never count for them."
                .to_string(),
        );
    }
    Answer {
        allowed: false,
        text: format!("No: no binding grants {} {what}.", subject.describe()),
        via,
        hints,
    }
}

/// What one role's rules say about a request, for [`can_i`].
#[derive(Default)]
struct Verdict<'a> {
    /// A rule allows it here.
    allows: bool,
    /// Rules that would allow it for other resource names.
    near: Vec<&'a Rule>,
    /// A rule lists the non-resource URL, which a RoleBinding cannot grant.
    url_in_role: bool,
    /// A rule allows it in the binding's namespace, which is not the one asked about.
    elsewhere: bool,
}

/// `get pods/log "web" in namespace dev`, `get /healthz`: the request in words.
fn describe_request(query: &Query, namespace: Option<&str>) -> String {
    if query.is_non_resource() {
        return format!("{} {}", query.verb, query.resource);
    }
    let mut out = format!("{} {}", query.verb, query.resource_label());
    if let Some(name) = &query.name {
        out.push_str(&format!(" {name:?}"));
    }
    match namespace {
        Some(ns) => out.push_str(&format!(" in namespace {ns}")),
        None => out.push_str(" cluster-wide"),
    }
    out
}
