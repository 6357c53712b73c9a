//! An escalation path as a picture: the identities it passes through, top to bottom, and
//! between each two an arrow labelled with the step, the Can I question it asks and the binding
//! and role that allow it.
//!
//! It draws the path's numbered list (each step's [`edge_words`]), which stays its text
//! equivalent: one box per identity the path passes through and one arrow per step, nothing
//! else.

use crate::access::escalation::{edge_words, node_words, step_words, Graph};
use crate::access::Policy;

use super::svg::{Anchor, Picture};

/// The picture's width in pixels.
pub const WIDTH: i32 = 720;
const LEFT: i32 = 16;
const BOX_H: i32 = 28;
/// From one box's bottom to the next one's top: the arrow and its label.
const GAP: i32 = 40;
const TOP: i32 = 8;
/// Characters of a label drawn: about the picture's width at 12 px; the list beside it holds
/// the whole text.
const CHARS: usize = 110;
/// Most steps drawn. A shortest path is short; this only bounds a picture of a strange one.
pub const MAX_STEPS: usize = 64;

/// What the picture holds, for the page and its tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPicture {
    /// The identities the path passes through, the subject first, as the list names them.
    pub nodes: Vec<String>,
    /// Each step's label, between `nodes[i]` and `nodes[i + 1]`.
    pub steps: Vec<String>,
    /// Each step in the list's words: the text equivalent, one item an arrow.
    pub rows: Vec<String>,
    /// The drawing.
    pub picture: Picture,
}

/// The picture of `path` (edges of `graph`, in order) towards `target` ("cluster-admin").
pub fn path_picture(graph: &Graph, policy: &Policy, path: &[usize], target: &str) -> PathPicture {
    let edges: Vec<_> = path
        .iter()
        .take(MAX_STEPS)
        .filter_map(|&e| graph.edges.get(e))
        .collect();
    let name = |at: usize| {
        graph
            .nodes
            .get(at)
            .map_or_else(String::new, |n| node_words(graph, policy, n))
    };
    let mut nodes: Vec<String> = edges.first().map(|e| name(e.from)).into_iter().collect();
    nodes.extend(edges.iter().map(|e| name(e.to)));
    let steps: Vec<String> = edges.iter().map(|e| step_words(graph, e)).collect();
    let rows: Vec<String> = edges.iter().map(|e| edge_words(graph, policy, e)).collect();
    let count = i32::try_from(nodes.len()).unwrap_or(0);
    let height = TOP * 2 + count * BOX_H + (count - 1).max(0) * GAP;
    let title = format!(
        "Escalation path to {target} in {} step{}: {}",
        steps.len(),
        if steps.len() == 1 { "" } else { "s" },
        nodes.join(" → ")
    );
    let mut svg = Picture::new(WIDTH, height, title);
    let mut y = TOP;
    let last = nodes.len().saturating_sub(1);
    for (i, node) in nodes.iter().enumerate() {
        let (class, fill) = match i {
            0 => ("esc-start", "#ddf4ff"),
            i if i == last => ("esc-target", "#ffebe9"),
            _ => ("esc-node", "#f6f8fa"),
        };
        svg.rect(class, (LEFT, y), (WIDTH - 2 * LEFT, BOX_H), fill);
        svg.text(
            "esc-name",
            (LEFT + 8, y + 18),
            Anchor::Start,
            clip(node, CHARS),
        );
        if let Some(step) = steps.get(i) {
            let (x, top, bottom) = (LEFT + 20, y + BOX_H, y + BOX_H + GAP);
            svg.line("esc-arrow", (x, top), (x, bottom - 1), "#57606a");
            svg.line("esc-arrow", (x - 5, bottom - 7), (x, bottom - 1), "#57606a");
            svg.line("esc-arrow", (x + 5, bottom - 7), (x, bottom - 1), "#57606a");
            svg.text(
                "esc-step",
                (x + 14, top + GAP / 2 + 4),
                Anchor::Start,
                clip(step, CHARS),
            );
        }
        y += BOX_H + GAP;
    }
    PathPicture {
        nodes,
        steps,
        rows,
        picture: svg,
    }
}

/// `text`'s first `n` characters, with `…` when it was longer.
pub(super) fn clip(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or(text)),
        None => text.to_string(),
    }
}
