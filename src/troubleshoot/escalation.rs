//! RBAC's escalation check: the API server refuses to let a user create or update a Role,
//! ClusterRole or binding that grants more than the user holds itself. The refusal is a 403,
//! but not a missing permission on roles: the *creator* lacks the rules it tries to hand on.
//!
//! The message is `ConfirmNoEscalation`'s, in `pkg/registry/rbac/validation/rule.go`, wrapped
//! by `apierrors.NewForbidden`:
//!
//! ```text
//! RESOURCE "NAME" is forbidden: user "USER" (groups=["G1" "G2"]) is attempting to grant RBAC permissions not currently held:
//! {APIGroups:["G"], Resources:["R"], ResourceNames:["N"], NonResourceURLs:["/p"], Verbs:["V"]}
//! …one rule a line…[; resolution errors: …]
//! ```
//!
//! Servers before 1.14 wrote `attempt to grant extra privileges: [...] user=&{...}`; that form
//! is recognised, without its rules. A rule is `rbacv1helpers.CompactString`: each field only
//! when set, values as Go `%q` strings separated by spaces.

use super::grammar::Cursor;
use super::{Diagnosis, Guide};
use crate::formats::shell::quote;

/// Most bytes looked at before the anchor for the user and the object: the wrapped object,
/// user and groups of a real message fit with room to spare.
const LOOK_BACK: usize = 4096;

/// Most rules read: a role with more is read up to here, and says so.
const MAX_RULES: usize = 64;

/// Longest span read after the anchor for the rules.
const LOOK_AHEAD: usize = 64 * 1024;

/// A create or update of an RBAC object that RBAC's escalation check refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Escalation {
    /// The creator, as the API server names it; empty when the paste cut it off.
    pub user: String,
    /// The creator's groups.
    pub groups: Vec<String>,
    /// The object being written, as the message names it: `roles.rbac.authorization.k8s.io
    /// "edit"`; empty when not in the paste.
    pub object: String,
    /// The rules the creator does not hold, in the order listed.
    pub rules: Vec<EscalationRule>,
    /// Whether the list of rules was cut short (by the paste, or at [`MAX_RULES`]).
    pub truncated: bool,
}

/// One rule of the escalation message, field by field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EscalationRule {
    /// `APIGroups`.
    pub api_groups: Vec<String>,
    /// `Resources`.
    pub resources: Vec<String>,
    /// `ResourceNames`.
    pub resource_names: Vec<String>,
    /// `NonResourceURLs`.
    pub non_resource_urls: Vec<String>,
    /// `Verbs`.
    pub verbs: Vec<String>,
}

impl EscalationRule {
    /// `apiGroups ""; resources pods; verbs get, list`: the rule in the words of a manifest.
    pub fn describe(&self) -> String {
        let list = |values: &[String]| {
            values
                .iter()
                .map(|v| if v.is_empty() { "\"\"" } else { v.as_str() })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = Vec::new();
        for (label, values) in [
            ("apiGroups", &self.api_groups),
            ("resources", &self.resources),
            ("resourceNames", &self.resource_names),
            ("nonResourceURLs", &self.non_resource_urls),
            ("verbs", &self.verbs),
        ] {
            if !values.is_empty() {
                out.push(format!("{label} {}", list(values)));
            }
        }
        out.join("; ")
    }

    /// Whether the rule holds a `*`: what the role grants is then everything of that kind.
    pub fn has_wildcard(&self) -> bool {
        [
            &self.api_groups,
            &self.resources,
            &self.verbs,
            &self.non_resource_urls,
        ]
        .iter()
        .any(|v| v.iter().any(|s| s == "*"))
    }
}

impl Escalation {
    /// What the object is: `Role`, `ClusterRole`, `RoleBinding`, `ClusterRoleBinding`, when
    /// the message names its resource.
    pub fn object_kind(&self) -> Option<&'static str> {
        let resource = self.object.split_whitespace().next().unwrap_or_default();
        let resource = resource
            .strip_suffix(".rbac.authorization.k8s.io")
            .unwrap_or(resource);
        match resource {
            "roles" => Some("Role"),
            "clusterroles" => Some("ClusterRole"),
            "rolebindings" => Some("RoleBinding"),
            "clusterrolebindings" => Some("ClusterRoleBinding"),
            _ => None,
        }
    }
}

const ANCHOR: &str = "is attempting to grant RBAC permissions not currently held";
const OLD_ANCHOR: &str = "attempt to grant extra privileges";

/// The last escalation refusal in `text`, with where its anchor starts.
pub(super) fn find(text: &str) -> Option<(usize, Diagnosis)> {
    let (at, old) = [ANCHOR, OLD_ANCHOR]
        .iter()
        .filter_map(|a| text.rfind(a).map(|i| (i, *a == OLD_ANCHOR)))
        .max_by_key(|(i, _)| *i)?;
    let from = floor(text, at.saturating_sub(LOOK_BACK));
    let to = floor(text, (at + LOOK_AHEAD).min(text.len()));
    let window = text.get(from..to)?;
    // Inside a JSON string (a controller's structured log) the quotes and line breaks are
    // escaped: undone once, so the message reads as the API server wrote it.
    let window = if window.contains("\\\"") {
        unescape(window)
    } else {
        window.to_string()
    };
    let anchor = if old { OLD_ANCHOR } else { ANCHOR };
    let at_w = window.rfind(anchor)?;
    let before = window.get(..at_w)?;
    let after = window.get(at_w + anchor.len()..)?;
    let mut e = Escalation::default();
    // The user and groups sit in the span just before the anchor, after `is forbidden:`.
    let head_start = before.rfind("is forbidden:").map_or(0, |i| i + 13);
    let head = before.get(head_start..).unwrap_or_default();
    if let Some(u) = head.rfind("user \"") {
        let mut c = Cursor { s: head, at: u + 6 };
        if let Some(user) = c.quoted() {
            e.user = user;
        }
        if c.eat_ws() && c.eat("(groups=[") {
            while c.eat_ws() && c.eat("\"") {
                match c.quoted() {
                    Some(g) => e.groups.push(g),
                    None => break,
                }
            }
        }
    }
    if let Some(i) = before.rfind("is forbidden:") {
        e.object = object_before(before.get(..i).unwrap_or_default());
    }
    if !old {
        read_rules(after, &mut e);
    }
    Some((at, Diagnosis::Escalation(e)))
}

/// `RESOURCE "NAME" ` at the end of `before`: the object the refused write was for.
fn object_before(before: &str) -> String {
    let before = before.trim_end();
    let Some(name_part) = before.strip_suffix('"') else {
        return last_word(before).to_string();
    };
    let Some(open) = name_part.rfind('"') else {
        return String::new();
    };
    let name = name_part.get(open + 1..).unwrap_or_default();
    let resource = last_word(name_part.get(..open).unwrap_or_default().trim_end());
    let name = name.trim_start_matches('*');
    if resource.is_empty() {
        format!("\"{name}\"")
    } else {
        format!("{resource} \"{name}\"")
    }
}

/// The last word of `s`, with a Markdown link written around it (`[x](http://x/)`, as GitHub
/// renders a pasted host name) taken back to its text.
fn last_word(s: &str) -> &str {
    let word = s.rsplit([' ', '\n', '\t', ':']).next().unwrap_or_default();
    if let (Some(open), Some(close)) = (s.rfind('['), s.rfind("](")) {
        if open < close && word.starts_with('(') {
            return s.get(open + 1..close).unwrap_or(word);
        }
    }
    word.trim_matches(|c| c == '`' || c == '*')
}

/// The `{APIGroups:[…], …}` rules after the anchor, one after the other.
fn read_rules(after: &str, e: &mut Escalation) {
    let mut c = Cursor { s: after, at: 0 };
    c.eat(":");
    loop {
        c.eat_ws();
        c.eat(",");
        c.eat_ws();
        if !c.eat("{") {
            break;
        }
        if e.rules.len() == MAX_RULES {
            e.truncated = true;
            break;
        }
        match read_rule(&mut c) {
            Some(rule) => e.rules.push(rule),
            None => {
                e.truncated = true;
                break;
            }
        }
    }
    if e.rules.is_empty() {
        e.truncated = true;
    }
}

/// One rule whose `{` was eaten, up to and including its `}`.
fn read_rule(c: &mut Cursor<'_>) -> Option<EscalationRule> {
    let mut rule = EscalationRule::default();
    loop {
        c.eat_ws();
        if c.eat("}") {
            return Some(rule);
        }
        c.eat(",");
        c.eat_ws();
        let rest = c.rest();
        let colon = rest.find(":[")?;
        let field = rest.get(..colon)?;
        c.at += colon + 2;
        let mut values = Vec::new();
        loop {
            c.eat_ws();
            if c.eat("]") {
                break;
            }
            if !c.eat("\"") {
                return None;
            }
            values.push(c.quoted()?);
        }
        match field {
            "APIGroups" => rule.api_groups = values,
            "Resources" => rule.resources = values,
            "ResourceNames" => rule.resource_names = values,
            "NonResourceURLs" => rule.non_resource_urls = values,
            "Verbs" => rule.verbs = values,
            _ => return None,
        }
    }
}

/// `\"` to `"`, `\n` to a line break, `\\` to `\`, once.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(e @ ('"' | '\\')) => out.push(e),
            Some(e) => {
                out.push('\\');
                out.push(e);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The largest character boundary at or before `i`.
fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What the refusal means and what to do.
pub(super) fn guide(e: &Escalation) -> Guide {
    let who = if e.user.is_empty() {
        "The user".to_string()
    } else {
        e.user.clone()
    };
    let what = match (e.object_kind(), e.object.is_empty()) {
        (Some(kind), _) => format!("the {kind} {}", e.object),
        (None, false) => e.object.clone(),
        (None, true) => "an RBAC object".to_string(),
    };
    let binding = matches!(e.object_kind(), Some("RoleBinding" | "ClusterRoleBinding"));
    let mut cause = format!(
        "RBAC's escalation check refused this: {who} tried to create or update {what}, which \
         grants permissions {who} does not hold itself. Kubernetes lets a user hand on only \
         what it already has. This is an authorization problem of the creator, not of the \
         object, and no admission policy is involved: the creator may write roles and \
         bindings, but not ones that grant more than it has."
    );
    if e.rules.iter().any(EscalationRule::has_wildcard) {
        cause.push_str(
            " A rule not held has a *: it grants everything of its kind, which only a cluster \
             admin should hand on. Check that the role really needs it before giving the \
             creator as much.",
        );
    }
    let mut steps = Vec::new();
    if e.rules.is_empty() {
        steps.push(
            "The paste does not show the rules not held; the full error lists them, one \
             {APIGroups:…, Resources:…, Verbs:…} a line."
                .to_string(),
        );
    } else {
        steps.push(format!(
            "Either give {who} the rules it grants (below), in the same namespace as {what} \
             (or cluster-wide for a ClusterRole): then it holds what it hands on."
        ));
    }
    let grant = if binding {
        "bind on the role the binding's roleRef names (resources: roles or clusterroles, \
         resourceNames: that role's name), in the binding's namespace"
    } else {
        "escalate on that role (resources: roles or clusterroles, resourceNames: its name), in \
         its namespace"
    };
    steps.push(format!(
        "Or let {who} grant without holding: {grant}. Keep it to that one name: bind or \
         escalate on every role lets the holder give itself anything."
    ));
    for (i, rule) in e.rules.iter().enumerate() {
        steps.push(format!("Rule not held {}: {}", i + 1, rule.describe()));
    }
    if e.truncated && !e.rules.is_empty() {
        steps.push(
            "The list of rules is cut short in the paste; the full error has the rest.".to_string(),
        );
    }
    let mut commands = Vec::new();
    if !e.user.is_empty() {
        commands.push(format!("kubectl auth can-i --list --as={}", quote(&e.user)));
    }
    Guide {
        cause,
        steps,
        commands,
        yaml: None,
    }
}
