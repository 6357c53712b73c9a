//! The access graph: who reaches what through which binding, as nodes in four columns (subject,
//! bindings, roles, rule groups) and the edges between them, collapsed to a bounded size.
//!
//! It is built from what Can I and Who can already resolve, so the picture never says more than
//! the answers do: the path Can I names first is marked as the one that grants, or, for a
//! refused request, the nearest miss. A dump of 10,000 bindings draws at most
//! [`MAX_BINDINGS`] of them (and the marked one) and counts the rest.

use super::can_i::{describe_request, request_namespace, Answer};
use super::evaluate::{resolve, Resolved};
use super::miss::{nearest_misses, Miss};
use super::model::{Policy, Role};
use super::query::Query;
use super::subject::Subject;
use super::who_can::WhoCan;

/// Most bindings (for Who can, grants) drawn; the marked path is drawn whatever its place.
pub const MAX_BINDINGS: usize = 12;
/// Rules looked at to name a role's group: its count is the whole role's.
const LOOKED_AT: usize = 64;
/// Resources or URLs a group names.
const NAMED: usize = 3;

/// What a node or edge is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Only what the subject or the query touches.
    Plain,
    /// The path that grants the request, the first of Can I's `via`.
    Grants,
    /// The nearest miss of a refused request.
    Miss,
}

/// One box: a subject, a binding, a role or a role's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// 0 subject, 1 binding, 2 role, 3 rules (for Who can, the request).
    pub column: u8,
    /// What the box says: the same words as the answers (`RoleBinding dev/x`, `ClusterRole
    /// view`, `3 rules on pods, secrets`).
    pub label: String,
    /// What it is on.
    pub mark: Mark,
}

/// One line, between two nodes of neighbouring columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The node on its left, a place in [`Graph::nodes`].
    pub from: usize,
    /// The node on its right.
    pub to: usize,
    /// What it is on.
    pub mark: Mark,
}

/// The nodes and edges drawn, and how many bindings were left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graph {
    /// Every box, each at most once per column.
    pub nodes: Vec<Node>,
    /// Every line, each at most once.
    pub edges: Vec<Edge>,
    /// Bindings (for Who can, grants) that touch the subject or the query but are not drawn.
    pub more: usize,
    /// Drawn for Who can: the subjects allowed, towards the request.
    pub who_can: bool,
    /// Bindings and rules looked at: what the counted-work test bounds.
    pub work: usize,
}

impl Graph {
    /// The node of `label` in `column`, added when new; a mark other than plain stays.
    fn node(&mut self, column: u8, label: String, mark: Mark) -> usize {
        let found = self
            .nodes
            .iter()
            .position(|n| n.column == column && n.label == label);
        match found {
            Some(at) => {
                if let Some(node) = self.nodes.get_mut(at).filter(|_| mark != Mark::Plain) {
                    node.mark = mark;
                }
                at
            }
            None => {
                self.nodes.push(Node {
                    column,
                    label,
                    mark,
                });
                self.nodes.len() - 1
            }
        }
    }

    /// The edge `from` → `to`, added when new; a mark other than plain stays.
    fn edge(&mut self, from: usize, to: usize, mark: Mark) {
        match self.edges.iter_mut().find(|e| e.from == from && e.to == to) {
            Some(edge) if mark != Mark::Plain => edge.mark = mark,
            Some(_) => {}
            None => self.edges.push(Edge { from, to, mark }),
        }
    }

    /// `from` → binding → role → the role's rules (for Who can, the request), each node and
    /// edge marked; the rules are `None` for a role not pasted, which ends the chain, and for
    /// one already drawn, whose rules stay.
    fn chain(&mut self, from: usize, binding: String, role: (String, Option<String>), mark: Mark) {
        let b = self.node(1, binding, mark);
        self.edge(from, b, mark);
        let r = self.node(2, role.0, mark);
        self.edge(b, r, mark);
        let g = match self.edges.iter().find(|e| e.from == r) {
            Some(e) => Some(e.to),
            None => role.1.map(|rules| self.node(3, rules, mark)),
        };
        if let Some(g) = g {
            self.edge(r, g, mark);
            if let Some(node) = self.nodes.get_mut(g).filter(|_| mark != Mark::Plain) {
                node.mark = mark;
            }
        }
    }

    /// One item per edge, in the answers' words: `from → to`, and what the edge is on.
    pub fn rows(&self) -> Vec<String> {
        let name = |at: usize| self.nodes.get(at).map_or("", |n| n.label.as_str());
        self.edges
            .iter()
            .map(|e| {
                format!(
                    "{} → {}{}",
                    name(e.from),
                    name(e.to),
                    match e.mark {
                        Mark::Plain => "",
                        Mark::Grants => " (grants it)",
                        Mark::Miss => " (nearest miss)",
                    }
                )
            })
            .collect()
    }
}

/// `3 rules on pods, secrets, configmaps, …`: a role's rules as one node.
fn rules_of(role: &Role, work: &mut usize) -> String {
    let mut names: Vec<&str> = Vec::new();
    let mut cut = false;
    for (rule, _) in role.effective.iter().take(LOOKED_AT) {
        *work += 1;
        for name in rule.resources.iter().chain(&rule.non_resource_urls) {
            if !names.contains(&name.as_str()) {
                if names.len() == NAMED {
                    cut = true;
                } else {
                    names.push(name);
                }
            }
        }
    }
    let n = role.effective.len();
    format!(
        "{n} rule{} on {}{}",
        if n == 1 { "" } else { "s" },
        names.join(", "),
        if cut || n > LOOKED_AT { ", …" } else { "" }
    )
}

/// The graph of what `subject` holds, for the Can I `query` whose `answer` is given: the path
/// of its first grant marked, or for No the nearest miss.
pub fn can_i_graph(policy: &Policy, subject: &Subject, query: &Query, answer: &Answer) -> Graph {
    let mut graph = Graph::default();
    let me = graph.node(0, subject.describe(), Mark::Plain);
    let mut marked = answer.via.first().filter(|_| answer.allowed).cloned();
    let mut mark = Mark::Grants;
    if !answer.allowed {
        mark = Mark::Miss;
        match nearest_misses(policy, subject, query)
            .into_iter()
            .next()
            .map(|r| r.miss)
        {
            Some(Miss::LacksVerb { binding, role, .. }) => {
                marked = Some(format!("{binding} → {role}"));
            }
            // A role no binding gives the subject: drawn alone, with its rules.
            Some(Miss::NotBound { role }) => {
                if let Some(found) = policy.roles.iter().find(|r| r.label() == role) {
                    let rules = rules_of(found, &mut graph.work);
                    let r = graph.node(2, role, mark);
                    let g = graph.node(3, rules, mark);
                    graph.edge(r, g, mark);
                }
            }
            None => {}
        }
    }
    let mut drawn = 0;
    for resolved in resolve(policy, subject) {
        graph.work += 1;
        let (binding, role) = match resolved {
            Resolved::Found { source, .. } => (source.binding, Some(source.role)),
            Resolved::Missing(binding) => (binding, None),
        };
        let label = binding.label();
        let role_label = role.map_or_else(|| binding.role_label() + " (not pasted)", Role::label);
        // `via` names it `binding → role`, as the list's rows do.
        let on = marked.as_deref().is_some_and(|m| {
            m.strip_prefix(label.as_str())
                .and_then(|m| m.strip_prefix(" → "))
                .is_some_and(|m| m == role_label)
        });
        if !on && drawn >= MAX_BINDINGS {
            graph.more += 1;
            continue;
        }
        drawn += usize::from(!on);
        // A role's rules are named once, however many bindings grant it.
        let known = graph
            .nodes
            .iter()
            .any(|n| n.column == 2 && n.label == role_label);
        let rules = role
            .filter(|_| !known)
            .map(|r| rules_of(r, &mut graph.work));
        graph.chain(
            me,
            label,
            (role_label, rules),
            if on { mark } else { Mark::Plain },
        );
    }
    graph
}

/// The graph of Who can's answer to `query`: each subject allowed, through its binding and
/// role, to the request in words.
pub fn who_can_graph(who: &WhoCan, query: &Query) -> Graph {
    let namespace = request_namespace(query, &mut Vec::new());
    let request = describe_request(query, namespace.as_deref());
    let mut graph = Graph {
        who_can: true,
        more: who.more,
        ..Graph::default()
    };
    for row in &who.rows {
        graph.work += 1;
        if graph.work > MAX_BINDINGS {
            graph.more += 1;
            continue;
        }
        let s = graph.node(0, row.typed(), Mark::Plain);
        let role = (row.role.clone(), Some(request.clone()));
        graph.chain(s, row.binding.clone(), role, Mark::Plain);
    }
    graph
}
