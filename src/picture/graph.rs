//! The access graph as a picture: four columns (subject, bindings, roles, rules; for Who can,
//! subjects towards the request), a box per node and a line per edge, the path that grants
//! (or the nearest miss) drawn in its own class.
//!
//! It draws exactly [`Graph::rows`], which stays its text equivalent: one line a row, nothing
//! else.

use crate::access::graph::{Graph, Mark};

use super::path::clip;
use super::svg::{Anchor, Picture};

/// The picture's width in pixels.
pub const WIDTH: i32 = 2 * LEFT + 3 * PITCH + BOX_W;
/// From one column's left edge to the next one's.
const PITCH: i32 = 244;
const BOX_W: i32 = 200;
const BOX_H: i32 = 24;
/// From one box's top to the next one's below.
const ROW: i32 = 32;
const TOP: i32 = 28;
const LEFT: i32 = 8;
/// Characters of a label drawn: about a box at 12 px; the list holds the whole text.
const CHARS: usize = 31;

/// The stylesheet's names for a line and a box on `mark`, and their colours in a file.
fn style(mark: Mark) -> (&'static str, &'static str, &'static str, &'static str) {
    match mark {
        // The escalation path's arrows and the chain's boxes, as the stylesheet themes them.
        Mark::Plain => ("esc-arrow", "#8c959f", "ch-box", "#f6f8fa"),
        Mark::Grants => ("gr-grant", "#1a7f37", "gr-grant-box", "#dafbe1"),
        Mark::Miss => ("gr-miss", "#9a6700", "gr-miss-box", "#fff8c5"),
    }
}

/// The picture of `graph`.
pub fn picture(graph: &Graph) -> Picture {
    // Each node's top-left corner: its column, then its place among that column's nodes.
    let mut count = [0i32; 4];
    let mut at = Vec::with_capacity(graph.nodes.len());
    for node in &graph.nodes {
        let column = node.column.min(3);
        let row = count.get_mut(usize::from(column)).map_or(0, |n| {
            *n += 1;
            *n - 1
        });
        at.push((LEFT + i32::from(column) * PITCH, TOP + row * ROW));
    }
    let rows = count.iter().copied().max().unwrap_or(0);
    let more = (graph.more > 0).then(|| {
        format!(
            "and {} more {}",
            graph.more,
            if graph.who_can { "grants" } else { "bindings" }
        )
    });
    let height = TOP + rows * ROW + if more.is_some() { 24 } else { 4 };
    let mut path: Vec<&str> = Vec::new();
    for column in 0..4 {
        let on = |n: &&crate::access::graph::Node| {
            n.column == column && (n.mark != Mark::Plain || column == u8::from(graph.who_can) * 3)
        };
        if let Some(node) = graph.nodes.iter().find(on) {
            path.push(&node.label);
        }
    }
    let heads = if graph.who_can {
        ["Subjects", "Bindings", "Roles", "Request"]
    } else {
        ["Subject", "Bindings", "Roles", "Rules"]
    };
    let marked = match graph.edges.iter().find(|e| e.mark != Mark::Plain) {
        Some(e) if e.mark == Mark::Grants => ", grants it",
        Some(_) => ", nearest miss",
        None => "",
    };
    let mut title = format!(
        "{} graph{marked}: {}",
        if graph.who_can { "Who can" } else { "Access" },
        path.join(" → ")
    );
    if let Some(more) = &more {
        title.push_str(", ");
        title.push_str(more);
    }
    let mut svg = Picture::new(WIDTH, height, title);
    for (column, head) in (0..).zip(heads) {
        svg.text(
            "esc-step",
            (LEFT + column * PITCH, 16),
            Anchor::Start,
            head.to_string(),
        );
    }
    let mid = |at: Option<&(i32, i32)>| at.map(|&(x, y)| (x, y + BOX_H / 2));
    for edge in &graph.edges {
        if let (Some(from), Some(to)) = (mid(at.get(edge.from)), mid(at.get(edge.to))) {
            let (class, stroke, ..) = style(edge.mark);
            svg.line(class, (from.0 + BOX_W, from.1), to, stroke);
        }
    }
    for (node, &(x, y)) in graph.nodes.iter().zip(&at) {
        let (.., class, fill) = style(node.mark);
        svg.rect(class, (x, y), (BOX_W, BOX_H), fill);
        // A binding's or role's kind is its column's; `ns/` tells a Role from a ClusterRole.
        let label = match node.label.split_once(' ') {
            Some((_, name)) if matches!(node.column, 1 | 2) => name,
            _ => &node.label,
        };
        svg.text(
            "esc-name",
            (x + 6, y + 16),
            Anchor::Start,
            clip(label, CHARS),
        );
    }
    if let Some(more) = more {
        svg.text("esc-step", (LEFT + PITCH, height - 8), Anchor::Start, more);
    }
    svg
}
