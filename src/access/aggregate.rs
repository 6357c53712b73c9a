//! Aggregated ClusterRoles, computed once per role, with every rule stored once.
//!
//! The clusterrole-aggregation controller (`pkg/controller/clusterroleaggregation`) sets the
//! rules of a ClusterRole with an `aggregationRule` to the rules of every other ClusterRole its
//! selectors pick: selector by selector, the picked roles by name, a rule that is already there
//! skipped, the result replacing the role's `rules`. It reads the rules the picked roles have
//! stored, which it wrote itself when they are aggregated too, so a chain (view → edit → admin)
//! settles on the rules of every role reachable through selectors. This module computes that
//! end state directly. A paste is often part of a cluster: an aggregated role whose selectors
//! pick no pasted role keeps its pasted rules, since the roles that gave them are not here.
//!
//! The selection graph has a node per ClusterRole and per selector: a role points to its
//! selectors, a selector to the roles it matches. Its strongly connected components (roles
//! that pick each other) share one list of rule references, built once from the lists of the
//! components they reach, deduplicated by rule number rather than by comparing rules. So the
//! work is the size of the graph plus the references copied, and both are bounded: input can
//! multiply them (every role picking every other), and past [`MAX_LABEL_CHECKS`] or
//! [`MAX_RULE_REFS`] aggregation stops with a note that names the limit and the role.

use std::cmp::Ordering;
use std::rc::Rc;

use super::model::{LabelSelector, Note, Role};
use super::rules::{Ref, RuleList, Table, Work};
use crate::k8s::risk::Rule;
use crate::support::finding::Level;

/// Most label comparisons spent matching selectors to ClusterRoles. A real cluster's
/// aggregated roles (admin, edit, view, monitoring) need a few thousand; selectors that each
/// test every role of a large paste would need billions.
pub const MAX_LABEL_CHECKS: usize = 2_000_000;

/// Most rule references aggregated ClusterRoles may gather in all. The default roles gather a
/// few hundred; hundreds of roles that each pick every other one would gather millions.
pub const MAX_RULE_REFS: usize = 2_000_000;

/// An order on rules, so equal rules sort together and get one number (sorting through
/// [`crate::support::sort::indices`] costs the page no new code, where a hash map per key type does).
fn rule_order(a: &Rule, b: &Rule) -> Ordering {
    a.api_groups
        .cmp(&b.api_groups)
        .then_with(|| a.resources.cmp(&b.resources))
        .then_with(|| a.verbs.cmp(&b.verbs))
        .then_with(|| a.resource_names.cmp(&b.resource_names))
        .then_with(|| a.non_resource_urls.cmp(&b.non_resource_urls))
}

/// `v[i]` for the index arrays below, which are sized to every index they are asked for.
fn at(v: &[u32], i: usize) -> usize {
    v.get(i).map_or(0, |&x| x as usize)
}

fn set(v: &mut [u32], i: usize, x: usize) {
    if let Some(slot) = v.get_mut(i) {
        *slot = u32::try_from(x).unwrap_or(u32::MAX);
    }
}

fn num(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A directed graph in compressed rows: the targets of node `n` are
/// `targets[starts[n]..starts[n + 1]]`.
struct Graph {
    starts: Vec<u32>,
    targets: Vec<u32>,
}

impl Graph {
    fn nodes(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn edges(&self, n: usize) -> &[u32] {
        let (from, to) = (at(&self.starts, n), at(&self.starts, n + 1));
        self.targets.get(from..to).unwrap_or(&[])
    }
}

/// Tarjan's bookkeeping: each node's visit number, lowest reachable visit number, and whether
/// it is on the stack of the component being built.
struct Tarjan {
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    stack: Vec<u32>,
    /// (node, next edge to follow): the recursion, kept on the heap.
    calls: Vec<(usize, usize)>,
    counter: usize,
}

const UNSEEN: u32 = u32::MAX;

impl Tarjan {
    fn enter(&mut self, v: usize) {
        set(&mut self.index, v, self.counter);
        set(&mut self.low, v, self.counter);
        self.counter += 1;
        self.stack.push(num(v));
        if let Some(s) = self.on_stack.get_mut(v) {
            *s = true;
        }
        self.calls.push((v, 0));
    }

    fn lower(&mut self, v: usize, to: usize) {
        let lowest = at(&self.low, v).min(to);
        set(&mut self.low, v, lowest);
    }
}

/// Strongly connected components of `graph` (Tarjan's algorithm, without recursion: chains
/// can be as long as the paste), in the order they complete, so every component comes after
/// all the components it reaches. Returns each node's component and the components' members.
fn components(graph: &Graph) -> (Vec<u32>, Vec<Vec<u32>>) {
    let n = graph.nodes();
    let mut t = Tarjan {
        index: vec![UNSEEN; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        calls: Vec::new(),
        counter: 0,
    };
    let mut component = vec![UNSEEN; n];
    let mut found: Vec<Vec<u32>> = Vec::new();
    for root in 0..n {
        if at(&t.index, root) != UNSEEN as usize {
            continue;
        }
        t.enter(root);
        while let Some(&(v, next)) = t.calls.last() {
            if let Some(&w) = graph.edges(v).get(next) {
                if let Some(call) = t.calls.last_mut() {
                    call.1 += 1;
                }
                let w = w as usize;
                if at(&t.index, w) == UNSEEN as usize {
                    t.enter(w);
                } else if t.on_stack.get(w) == Some(&true) {
                    t.lower(v, at(&t.index, w));
                }
                continue;
            }
            t.calls.pop();
            if let Some(&(parent, _)) = t.calls.last() {
                t.lower(parent, at(&t.low, v));
            }
            if at(&t.low, v) == at(&t.index, v) {
                let id = found.len();
                let mut members = Vec::new();
                while let Some(w) = t.stack.pop() {
                    if let Some(s) = t.on_stack.get_mut(w as usize) {
                        *s = false;
                    }
                    set(&mut component, w as usize, id);
                    members.push(w);
                    if w as usize == v {
                        break;
                    }
                }
                // By name (node order), through the crate's one copy of the sort.
                let order = crate::support::sort::indices(members.len(), &|a, b| {
                    members.get(a).cmp(&members.get(b))
                });
                found.push(order.into_iter().map(|i| at(&members, i) as u32).collect());
            }
        }
    }
    (component, found)
}

/// Fills in [`Role::effective`] for every role and returns what it cost. An aggregated
/// ClusterRole whose selectors pick pasted ClusterRoles grants their rules (each selector's
/// roles in name order, without repeats), which replace its pasted `rules` as the controller
/// replaces them; one whose selectors pick none grants its pasted `rules`, what the controller
/// last wrote from roles not pasted. Any other role grants its `rules` as pasted. Notes say
/// where the pasted rules of an aggregated role differ or are all there is.
pub(super) fn aggregate(roles: &mut [Role], notes: &mut Vec<Note>) -> Work {
    let mut work = Work::default();

    // ClusterRoles by name, as the controller lists them: graph nodes 0..cluster.len(), then
    // one node per distinct selector.
    let name = |i: usize| roles.get(i).map_or("", |r| r.name.as_str());
    let cluster: Vec<usize> =
        crate::support::sort::indices(roles.len(), &|a, b| name(a).cmp(name(b)))
            .into_iter()
            .filter(|&i| roles.get(i).is_some_and(|r| r.namespace.is_none()))
            .collect();
    let (picks, selectors) = selector_nodes(&cluster, roles);
    let matched = match_selectors(&cluster, roles, &picks, &selectors, &mut work, notes);
    let (rules, own) = number(roles, &touched(roles, &cluster, &matched), &mut work);
    let graph = {
        let mut starts = vec![0u32];
        let mut targets = Vec::new();
        for list in picks.iter().chain(matched.iter()) {
            targets.extend_from_slice(list);
            starts.push(num(targets.len()));
        }
        Graph { starts, targets }
    };
    // Whether each role (by node) picks a pasted ClusterRole other than itself: the controller
    // skips the role it syncs, and a role whose selectors pick nothing pasted keeps its pasted
    // rules, since the roles it picks on the cluster are not here to replace them.
    let picks_others: Vec<bool> = picks
        .iter()
        .enumerate()
        .map(|(node, selected)| {
            selected.iter().any(|&s| {
                matched
                    .get((s as usize).saturating_sub(cluster.len()))
                    .is_some_and(|m| m.iter().any(|&r| r as usize != node))
            })
        })
        .collect();
    drop(picks);
    drop(matched);
    let (component, members) = components(&graph);
    // A role's pasted rules count unless the controller replaces them: it rewrites the rules of
    // an aggregated ClusterRole whose selectors pick roles.
    let replaced = |node: usize| {
        picks_others.get(node) == Some(&true)
            && cluster
                .get(node)
                .and_then(|&i| roles.get(i))
                .is_some_and(|r| r.aggregation.is_some())
    };

    // Each component's list of rule references, from the lists of the components it reaches,
    // which come before it. `clean`: the list has no repeats, so another may share it.
    let mut lists: Vec<Rc<[Ref]>> = Vec::with_capacity(members.len());
    let mut clean: Vec<bool> = Vec::with_capacity(members.len());
    let mut rule_mark = vec![UNSEEN; rules.len()];
    let mut child_mark = vec![UNSEEN; members.len()];
    let mut truncated: Vec<&str> = Vec::new();
    let mut cyclic = vec![false; members.len()];
    // Per component: its list, or one it reaches, stopped at the limit.
    let mut short: Vec<bool> = Vec::with_capacity(members.len());
    for (id, nodes) in members.iter().enumerate() {
        let stamp = num(id);
        let mut children: Vec<usize> = Vec::new();
        for &node in nodes {
            for &w in graph.edges(node as usize) {
                let c = at(&component, w as usize);
                if c != id && at(&child_mark, c) != id {
                    set(&mut child_mark, c, id);
                    children.push(c);
                }
            }
        }
        // The roles of this component, by name, with the pasted rules that count; when
        // gathering stops at its limit, every role's pasted rules count.
        // Roles that select each other: the controller's result depends on the order it syncs
        // them, and a rule once written can stay, so their pasted rules are kept.
        let cycle = nodes
            .iter()
            .filter(|&&n| (n as usize) < cluster.len())
            .count()
            > 1;
        if let Some(c) = cyclic.get_mut(id) {
            *c = cycle;
        }
        let roles_of = |all: bool| -> Vec<(usize, &Vec<u32>)> {
            nodes
                .iter()
                .filter(|&&n| all || cycle || !replaced(n as usize))
                .filter_map(|&n| cluster.get(n as usize).copied())
                .filter_map(|i| Some((i, own.get(i)?)))
                .collect()
        };
        // What it reaches was cut short at the limit: its pasted rules count, as if the
        // controller had not rewritten them.
        let short_below = children.iter().any(|&c| short.get(c) == Some(&true));
        let mut role_nodes = roles_of(short_below);
        let own_count: usize = role_nodes.iter().map(|(_, o)| o.len()).sum();
        // A role that picks through one selector and has no rules of its own, or a selector
        // that matches one role, shares the list it reaches instead of copying it.
        if let ([c], 0) = (children.as_slice(), own_count) {
            if let (Some(list), Some(true)) = (lists.get(*c), clean.get(*c)) {
                lists.push(list.clone());
                clean.push(true);
                short.push(short_below);
                if short_below {
                    truncated.extend(
                        nodes
                            .iter()
                            .filter_map(|&n| cluster.get(n as usize).map(|&i| name(i))),
                    );
                }
                continue;
            }
        }
        let gathered: usize = children
            .iter()
            .filter_map(|&c| lists.get(c))
            .map(|l| l.len())
            .sum();
        let fits = work.rule_refs.saturating_add(gathered) <= MAX_RULE_REFS;
        if !fits {
            role_nodes = roles_of(true);
        }
        if !fits || short_below {
            truncated.extend(
                nodes
                    .iter()
                    .filter_map(|&n| cluster.get(n as usize).map(|&i| name(i))),
            );
        }
        short.push(!fits || short_below);
        let mut refs: Vec<Ref> = Vec::new();
        let mut repeats = false;
        let mut add = |r: Ref, refs: &mut Vec<Ref>, keep_repeats: bool| match rule_mark
            .get_mut(r.rule as usize)
        {
            Some(m) if *m != stamp => {
                *m = stamp;
                refs.push(r);
            }
            Some(_) if keep_repeats => {
                repeats = true;
                refs.push(r);
            }
            _ => {}
        };
        if fits {
            work.rule_refs += gathered;
            for &c in &children {
                for &r in lists.get(c).map_or(&[][..], AsRef::as_ref) {
                    add(r, &mut refs, false);
                }
            }
        }
        // A role that aggregates nothing grants its rules as pasted, repeats and all.
        let plain = match (nodes.len(), role_nodes.first()) {
            (1, Some(&(i, _))) => roles.get(i).is_some_and(|r| r.aggregation.is_none()),
            _ => false,
        };
        for &(i, rules) in &role_nodes {
            for &rule in rules {
                let origin = num(i);
                add(Ref { rule, origin }, &mut refs, plain);
            }
        }
        lists.push(refs.into());
        clean.push(!repeats);
    }
    if let Some(first) = truncated.first() {
        let others = match truncated.len() {
            1 => String::new(),
            2 => " and 1 other".to_string(),
            n => format!(" and {} others", n - 1),
        };
        notes.push(Note::new(
            Level::Warning,
            format!("ClusterRole {first}"),
            format!(
                "aggregation stopped at {MAX_RULE_REFS} gathered rule references (the evaluator's limit): this role{others} keep their pasted rules and what was gathered below the limit, so answers about them may miss rules the cluster grants"
            ),
        ));
    }

    let aggregated: Vec<Aggregated> = cluster
        .iter()
        .enumerate()
        .filter(|&(_, &i)| {
            roles
                .get(i)
                .and_then(|r| r.aggregation.as_ref())
                .is_some_and(|selectors| !selectors.is_empty())
        })
        .map(|(node, &i)| Aggregated {
            role: i,
            picks: picks_others.get(node) == Some(&true),
            cycle: cyclic.get(at(&component, node)) == Some(&true),
        })
        .collect();
    let mut list_of: Vec<Option<Rc<[Ref]>>> = vec![None; roles.len()];
    for (node, &i) in cluster.iter().enumerate() {
        if let Some(slot) = list_of.get_mut(i) {
            *slot = lists.get(at(&component, node)).cloned();
        }
    }
    compare_pasted(
        roles,
        &aggregated,
        &own,
        &list_of,
        rules.len(),
        truncated.len(),
        notes,
    );

    work.rules_stored = rules.len();
    let table = Rc::new(Table {
        rules,
        names: roles.iter().map(|r| r.name.clone()).collect(),
    });
    for (i, role) in roles.iter_mut().enumerate() {
        let refs = match list_of.get_mut(i).and_then(Option::take) {
            Some(list) => list,
            None => own
                .get(i)
                .map(|rules| {
                    let origin = num(i);
                    rules.iter().map(|&rule| Ref { rule, origin }).collect()
                })
                .unwrap_or_default(),
        };
        role.effective = RuleList {
            table: table.clone(),
            refs,
            owner: num(i),
            index: Rc::default(),
        };
    }
    work
}

/// Which roles aggregation reads or writes: the ClusterRoles with an `aggregationRule`, and
/// those a selector picks.
fn touched(roles: &[Role], cluster: &[usize], matched: &[Vec<u32>]) -> Vec<bool> {
    let mut touched: Vec<bool> = roles.iter().map(|r| r.aggregation.is_some()).collect();
    for &node in matched.iter().flatten() {
        if let Some(t) = cluster.get(node as usize).and_then(|&i| touched.get_mut(i)) {
            *t = true;
        }
    }
    touched
}

/// Numbers every rule for the table of the paste's rules. Aggregation skips a rule a role
/// already has, so the equal rules of the roles it `touched` get one number, found by sorting
/// them. Every other rule is granted only by its own role, as pasted, and gets a number of its
/// own, so a paste of one huge role sorts nothing. Returns the table's rules, by number, and
/// each role's rules' numbers.
fn number(roles: &[Role], touched: &[bool], work: &mut Work) -> (Vec<Rc<Rule>>, Vec<Vec<u32>>) {
    let is_touched = |i: usize| touched.get(i) == Some(&true);
    let flat: Vec<&Rc<Rule>> = roles
        .iter()
        .enumerate()
        .filter(|&(i, _)| is_touched(i))
        .flat_map(|(_, role)| &role.rules)
        .collect();
    work.rules_sorted = flat.len();
    let by_rule =
        crate::support::sort::indices(flat.len(), &|a, b| match (flat.get(a), flat.get(b)) {
            (Some(a), Some(b)) => rule_order(a, b),
            _ => Ordering::Equal,
        });
    let mut numbers = vec![0u32; flat.len()];
    let mut table: Vec<Rc<Rule>> = Vec::new();
    for &i in &by_rule {
        let Some(&rule) = flat.get(i) else { continue };
        if table
            .last()
            .is_none_or(|last| rule_order(last, rule) != Ordering::Equal)
        {
            table.push(rule.clone());
        }
        set(&mut numbers, i, table.len() - 1);
    }
    let mut numbers = numbers.into_iter();
    let mut own = Vec::with_capacity(roles.len());
    for (i, role) in roles.iter().enumerate() {
        own.push(if is_touched(i) {
            numbers.by_ref().take(role.rules.len()).collect()
        } else {
            let from = table.len();
            table.extend(role.rules.iter().cloned());
            (from..table.len()).map(num).collect()
        });
    }
    (table, own)
}

/// An aggregated ClusterRole, as [`compare_pasted`] notes it.
struct Aggregated {
    /// Its place in `roles`.
    role: usize,
    /// Its selectors pick a pasted ClusterRole other than itself.
    picks: bool,
    /// It selects roles that select it back.
    cycle: bool,
}

/// Most aggregated ClusterRoles named in notes about their pasted rules; the rest are counted
/// in one more note.
const NAMED_ROLES: usize = 20;

/// Notes, for each aggregated ClusterRole, how its pasted `rules` stand to what the controller
/// writes: replaced by what its selectors pick (when they differ), or kept because its
/// selectors pick no pasted ClusterRole. `roles_truncated`: roles whose gathering stopped at
/// its limit, already noted. Comparing costs at most [`MAX_RULE_REFS`] rule references.
fn compare_pasted(
    roles: &[Role],
    aggregated: &[Aggregated],
    own: &[Vec<u32>],
    list_of: &[Option<Rc<[Ref]>>],
    distinct: usize,
    roles_truncated: usize,
    notes: &mut Vec<Note>,
) {
    if roles_truncated > 0 {
        return;
    }
    let mut mark = vec![UNSEEN; distinct];
    let mut budget = MAX_RULE_REFS;
    let mut named = 0;
    let mut unnamed = 0;
    for (n, entry) in aggregated.iter().enumerate() {
        let i = entry.role;
        let (Some(role), Some(pasted)) = (roles.get(i), own.get(i)) else {
            continue;
        };
        let text = if entry.cycle {
            "it selects ClusterRoles that select it back: the aggregation controller's result then depends on the order it syncs them, so answers keep the pasted rules of each and add what the selectors pick".to_string()
        } else if !entry.picks {
            if pasted.is_empty() {
                continue;
            }
            "its aggregationRule selects no pasted ClusterRole, so answers use its pasted rules (what the aggregation controller last wrote); paste the ClusterRoles it selects to check them".to_string()
        } else {
            let selected = list_of
                .get(i)
                .and_then(Option::as_ref)
                .map_or(&[][..], AsRef::as_ref);
            if pasted.is_empty() {
                continue;
            }
            let cost = selected.len().saturating_add(pasted.len());
            if cost > budget {
                notes.push(Note::new(
                    Level::Warning,
                    format!("ClusterRole {}", role.name),
                    format!("comparing pasted rules with what the selectors pick stopped at {MAX_RULE_REFS} rule references (the evaluator's limit): this role and the aggregated ClusterRoles after it are not compared; answers still use what their selectors pick"),
                ));
                break;
            }
            budget -= cost;
            let stamp = num(n);
            for r in selected {
                if let Some(m) = mark.get_mut(r.rule as usize) {
                    *m = stamp;
                }
            }
            let removed = pasted
                .iter()
                .filter(|&&r| at(&mark, r as usize) != stamp as usize)
                .count();
            // Rules pasted, marked again: a selected rule still unmarked is not among them.
            let again = num(n + aggregated.len());
            for &r in pasted {
                set(&mut mark, r as usize, again as usize);
            }
            let added = selected
                .iter()
                .filter(|r| at(&mark, r.rule as usize) != again as usize)
                .count();
            if removed == 0 && added == 0 {
                continue;
            }
            format!(
                "its pasted rules differ from what its aggregationRule selects ({removed} pasted rules are in no selected ClusterRole, {added} selected rules are not pasted): answers use the selected ClusterRoles' rules, as the aggregation controller rewrites them; if the paste lacks some selected ClusterRoles, the cluster may grant more"
            )
        };
        if named < NAMED_ROLES {
            named += 1;
            notes.push(Note::new(
                Level::Warning,
                format!("ClusterRole {}", role.name),
                text,
            ));
        } else {
            unnamed += 1;
        }
    }
    if unnamed > 0 {
        notes.push(Note::new(
            Level::Warning,
            "aggregated ClusterRoles".to_string(),
            format!("{unnamed} more aggregated ClusterRoles have pasted rules that differ from what their selectors pick, select no pasted ClusterRole, or select each other"),
        ));
    }
}

/// Numbers the distinct selectors of the aggregated ClusterRoles after the roles (graph nodes
/// `cluster.len()..`), equal selectors alike (found by sorting), and returns, for each role by
/// name, the selector nodes it picks through, in its selectors' order without repeats; and
/// each selector node's selector.
fn selector_nodes<'a>(
    cluster: &[usize],
    roles: &'a [Role],
) -> (Vec<Vec<u32>>, Vec<&'a LabelSelector>) {
    // (role node, selector), in roles' and selectors' order.
    let mut all: Vec<(usize, &LabelSelector)> = Vec::new();
    for (node, &i) in cluster.iter().enumerate() {
        if let Some(selectors) = roles.get(i).and_then(|r| r.aggregation.as_ref()) {
            all.extend(selectors.iter().map(|s| (node, s)));
        }
    }
    let selector = |i: usize| all.get(i).map(|&(_, s)| s);
    let order = crate::support::sort::indices(all.len(), &|a, b| selector(a).cmp(&selector(b)));
    let mut number = vec![0u32; all.len()];
    let mut selectors: Vec<&LabelSelector> = Vec::new();
    for i in order {
        let Some(s) = selector(i) else { continue };
        if selectors.last() != Some(&s) {
            selectors.push(s);
        }
        set(&mut number, i, selectors.len() - 1);
    }
    let mut picks: Vec<Vec<u32>> = vec![Vec::new(); cluster.len()];
    // The role that last picked each selector, to skip a selector a role lists twice.
    let mut last = vec![UNSEEN; selectors.len()];
    for (i, &(node, _)) in all.iter().enumerate() {
        let s = at(&number, i);
        if at(&last, s) == node {
            continue;
        }
        set(&mut last, s, node);
        if let Some(pick) = picks.get_mut(node) {
            pick.push(num(cluster.len() + s));
        }
    }
    (picks, selectors)
}

/// The roles (graph nodes, by name) each selector matches, within [`MAX_LABEL_CHECKS`]. A
/// selector with `matchLabels` only tests the roles that carry its rarest pair.
fn match_selectors(
    cluster: &[usize],
    roles: &[Role],
    picks: &[Vec<u32>],
    selectors: &[&LabelSelector],
    work: &mut Work,
    notes: &mut Vec<Note>,
) -> Vec<Vec<u32>> {
    let role_of = |node: usize| cluster.get(node).and_then(|&i| roles.get(i));
    // Every (label, value, role) of the ClusterRoles, sorted by label and value, so the roles
    // carrying one pair are a run found by binary search.
    let mut pairs: Vec<(&str, &str, u32)> = Vec::new();
    for (node, &i) in cluster.iter().enumerate() {
        for (k, v) in roles.get(i).map(|r| &r.labels).into_iter().flatten() {
            pairs.push((k.as_str(), v.as_str(), num(node)));
        }
    }
    let order = crate::support::sort::indices(pairs.len(), &|a, b| pairs.get(a).cmp(&pairs.get(b)));
    let pairs: Vec<(&str, &str, u32)> = order
        .into_iter()
        .filter_map(|i| pairs.get(i).copied())
        .collect();
    let nodes: Vec<u32> = pairs.iter().map(|p| p.2).collect();
    let carrying = |k: &str, v: &str| -> &[u32] {
        let from = pairs.partition_point(|&(pk, pv, _)| (pk, pv) < (k, v));
        let to = pairs.partition_point(|&(pk, pv, _)| (pk, pv) <= (k, v));
        nodes.get(from..to).unwrap_or(&[])
    };
    let all: Vec<u32> = (0..cluster.len()).map(num).collect();
    let mut skipped: Option<usize> = None;
    let mut matched: Vec<Vec<u32>> = Vec::with_capacity(selectors.len());
    for (s, selector) in selectors.iter().enumerate() {
        let candidates: &[u32] = selector
            .match_labels
            .iter()
            .map(|(k, v)| carrying(k, v))
            .min_by_key(|c| c.len())
            .unwrap_or(&all);
        let weight = 1
            + selector.match_labels.len()
            + selector
                .match_expressions
                .iter()
                .map(|r| 1 + r.values.len())
                .sum::<usize>();
        let cost = candidates.len().saturating_mul(weight);
        if work.label_checks.saturating_add(cost) > MAX_LABEL_CHECKS {
            skipped.get_or_insert(s);
            matched.push(Vec::new());
            continue;
        }
        work.label_checks += cost;
        matched.push(
            candidates
                .iter()
                .copied()
                .filter(|&node| role_of(node as usize).is_some_and(|r| selector.matches(&r.labels)))
                .collect(),
        );
    }
    if let Some(s) = skipped {
        // Name the first role (by name) that picks through the first selector left out.
        let node = num(cluster.len() + s);
        let role = picks
            .iter()
            .position(|p| p.contains(&node))
            .and_then(role_of)
            .map_or("", |r| r.name.as_str());
        notes.push(Note::new(
            Level::Warning,
            format!("ClusterRole {role}"),
            format!(
                "aggregation stopped matching selectors at {MAX_LABEL_CHECKS} label comparisons (the evaluator's limit): this role's selectors, and later ones, pick nothing more; pasted rules still count"
            ),
        ));
    }
    matched
}
