//! Shortest paths to the target, and the minimum cut: the fewest granted rules whose removal
//! leaves no path at all.
//!
//! **Shortest paths.** One breadth-first search backwards from every target node gives each
//! node its distance to the target and the first edge of a shortest path from it, so the path
//! of every subject (every workload's service account) comes from one pass: O(nodes + edges).
//!
//! **Minimum cut.** The graph is turned into a flow network in which only granted rules can be
//! cut: each granted rule `g` becomes two vertices `g_in → g_out` joined by an edge of capacity
//! 1, every identity holding `g` has an uncuttable edge into `g_in`, `g_out` has uncuttable
//! edges to what `g` gains, free edges stay uncuttable, and every target node has an
//! uncuttable edge into one sink. A rule shared by many identities is one edge, so removing it
//! is counted once. By max-flow/min-cut (Ford–Fulkerson, with breadth-first augmenting paths:
//! Edmonds–Karp), the maximum flow from the subject to the sink equals the fewest rules whose
//! removal breaks every path, and the rules cut are the `g_in → g_out` edges leaving the
//! vertices still reachable in the residual network. Each augmenting path costs one search,
//! O(nodes + edges); at most [`MAX_CUT`] + 1 are run, so the work is O(`MAX_CUT` × (nodes +
//! edges)). A cut larger than [`MAX_CUT`] rules is reported as such rather than computed.

use std::collections::VecDeque;

use super::graph::Graph;

/// Most rules a cut names; past this, the subject has too many independent ways up for a list
/// of rules to be the fix.
pub const MAX_CUT: usize = 32;

/// Each node's distance to the target, and the first edge of one shortest path from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distances {
    /// Steps to the target; `None` when it is out of reach.
    pub steps: Vec<Option<usize>>,
    /// The edge (a place in [`Graph::edges`]) to take first.
    pub next: Vec<Option<usize>>,
}

/// One backwards breadth-first search from the target nodes.
pub fn distances(graph: &Graph) -> Distances {
    let n = graph.nodes.len();
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in graph.edges.iter().enumerate() {
        if let Some(list) = into.get_mut(e.to) {
            list.push(i);
        }
    }
    let mut steps = vec![None; n];
    let mut next = vec![None; n];
    let mut queue = VecDeque::new();
    for (id, &t) in graph.is_target.iter().enumerate() {
        if t {
            if let Some(s) = steps.get_mut(id) {
                *s = Some(0);
            }
            queue.push_back(id);
        }
    }
    while let Some(id) = queue.pop_front() {
        let d = steps.get(id).copied().flatten().unwrap_or(0);
        for &ei in into.get(id).map_or(&[][..], Vec::as_slice) {
            let Some(e) = graph.edges.get(ei) else {
                continue;
            };
            if let Some(s @ None) = steps.get_mut(e.from) {
                *s = Some(d + 1);
                if let Some(x) = next.get_mut(e.from) {
                    *x = Some(ei);
                }
                queue.push_back(e.from);
            }
        }
    }
    Distances { steps, next }
}

/// The edges of a shortest path from `node` to the target: empty when `node` is the target
/// itself, `None` when no path exists.
pub fn path_from(graph: &Graph, d: &Distances, node: usize) -> Option<Vec<usize>> {
    d.steps.get(node).copied().flatten()?;
    let mut out = Vec::new();
    let mut at = node;
    while let Some(ei) = d.next.get(at).copied().flatten() {
        out.push(ei);
        at = graph.edges.get(ei)?.to;
        if out.len() > graph.nodes.len() {
            return None;
        }
    }
    Some(out)
}

/// What the minimum cut found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cut {
    /// No path to cut.
    NoPath,
    /// The subject is the target already: no rule of a path can be removed to change that.
    AlreadyThere,
    /// These granted rules (places in [`Graph::grants`]) break every path.
    Rules(Vec<usize>),
    /// More than [`MAX_CUT`] rules would be needed.
    TooMany,
}

/// A flow network with integer capacities; `INF` for uncuttable edges.
struct Network {
    /// (to, capacity left, reverse edge's place)
    edges: Vec<(usize, u32, usize)>,
    adj: Vec<Vec<usize>>,
}

const INF: u32 = u32::MAX;

impl Network {
    fn add(&mut self, from: usize, to: usize, cap: u32) {
        let fwd = self.edges.len();
        self.edges.push((to, cap, fwd + 1));
        self.edges.push((from, 0, fwd));
        if let Some(a) = self.adj.get_mut(from) {
            a.push(fwd);
        }
        if let Some(a) = self.adj.get_mut(to) {
            a.push(fwd + 1);
        }
    }

    /// One breadth-first search in the residual network: the edge each vertex was reached by.
    fn search(&self, source: usize) -> Vec<Option<usize>> {
        let mut by = vec![None; self.adj.len()];
        let mut seen = vec![false; self.adj.len()];
        if let Some(s) = seen.get_mut(source) {
            *s = true;
        }
        let mut queue = VecDeque::from([source]);
        while let Some(v) = queue.pop_front() {
            for &ei in self.adj.get(v).map_or(&[][..], Vec::as_slice) {
                let Some(&(to, cap, _)) = self.edges.get(ei) else {
                    continue;
                };
                if cap > 0 && seen.get(to) == Some(&false) {
                    if let Some(s) = seen.get_mut(to) {
                        *s = true;
                    }
                    if let Some(b) = by.get_mut(to) {
                        *b = Some(ei);
                    }
                    queue.push_back(to);
                }
            }
        }
        if let Some(b) = by.get_mut(source) {
            *b = None;
        }
        // Marks reachability for callers: the source is reached by no edge.
        by.iter()
            .zip(seen)
            .map(|(b, s)| {
                if s {
                    Some(b.unwrap_or(usize::MAX))
                } else {
                    None
                }
            })
            .collect()
    }
}

/// The fewest granted rules whose removal leaves no path from `start` (a node) to the target.
pub fn min_cut(graph: &Graph, start: usize) -> Cut {
    if graph.is_target.get(start) == Some(&true) {
        return Cut::AlreadyThere;
    }
    let n = graph.nodes.len();
    let grants = graph.grants.len();
    let sink = n + 2 * grants;
    let mut net = Network {
        edges: Vec::new(),
        adj: vec![Vec::new(); sink + 1],
    };
    for g in 0..grants {
        net.add(n + 2 * g, n + 2 * g + 1, 1);
    }
    for e in &graph.edges {
        match e.grant {
            Some(g) => {
                net.add(e.from, n + 2 * g, INF);
                net.add(n + 2 * g + 1, e.to, INF);
            }
            None => net.add(e.from, e.to, INF),
        }
    }
    for (id, &t) in graph.is_target.iter().enumerate() {
        if t {
            net.add(id, sink, INF);
        }
    }
    let mut flow = 0;
    loop {
        let by = net.search(start);
        if by.get(sink).copied().flatten().is_none() {
            break;
        }
        if flow >= MAX_CUT {
            return Cut::TooMany;
        }
        // Walk back from the sink; the bottleneck is 1 unless no rule is on the path.
        let mut path = Vec::new();
        let mut v = sink;
        while v != start {
            let Some(ei) = by.get(v).copied().flatten().filter(|&e| e != usize::MAX) else {
                return Cut::NoPath;
            };
            path.push(ei);
            v = net.edges.get(ei ^ 1).map_or(start, |e| e.0);
        }
        let bottleneck = path
            .iter()
            .filter_map(|&ei| net.edges.get(ei).map(|e| e.1))
            .min()
            .unwrap_or(0);
        if bottleneck == INF {
            return Cut::AlreadyThere;
        }
        for ei in path {
            if let Some(e) = net.edges.get_mut(ei) {
                if e.1 != INF {
                    e.1 -= bottleneck;
                }
            }
            if let Some(r) = net.edges.get_mut(ei ^ 1) {
                if r.1 != INF {
                    r.1 = r.1.saturating_add(bottleneck);
                }
            }
        }
        flow += 1;
    }
    if flow == 0 {
        return Cut::NoPath;
    }
    let reached = net.search(start);
    let is_reached = |v: usize| reached.get(v).copied().flatten().is_some();
    let cut = (0..grants)
        .filter(|g| is_reached(n + 2 * g) && !is_reached(n + 2 * g + 1))
        .collect();
    Cut::Rules(cut)
}
