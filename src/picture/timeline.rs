//! A token's life on one axis: `iat`, `nbf`, `warnafter`, `exp` and now, the extended-expiry
//! window of a bound pod token, and "never expires" for a token without `exp`.
//!
//! It draws the inspector's Times table ([`crate::inspect::explain::TimeRow`]), which stays its text
//! equivalent: every mark is a row of that table, and nothing else is drawn but now.

use crate::inspect::explain::TimeRow;
use crate::support::time::{relative, UnixSeconds};

use super::svg::{Anchor, Picture};

/// The picture's size in pixels.
pub const WIDTH: i32 = 720;
const HEIGHT: i32 = 128;
const LEFT: i32 = 24;
const RIGHT: i32 = WIDTH - 24;
const AXIS_Y: i32 = 60;
/// Labels closer than this share no row: the later one moves to the next of three rows.
const LABEL_GAP: i32 = 110;

/// One instant on the axis: every Times row at that instant (`iat` and `nbf` often agree).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// The rows' labels, in the table's order: "Issued", "Not before", "Expires", "Warn after".
    pub labels: Vec<&'static str>,
    /// When.
    pub at: UnixSeconds,
    /// Where on the axis, in pixels.
    pub x: i32,
    /// "in 59 minutes", "2 hours ago".
    pub relative: String,
}

/// What the picture holds, for the page and its tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    /// The token's instants, left to right.
    pub marks: Vec<Mark>,
    /// Now, in pixels.
    pub now_x: i32,
    /// Whether now lies between the first instant and `exp` (or, without `exp`, after it).
    pub now_inside: bool,
    /// From `warnafter` to `exp`, in pixels: the extended expiry the API server grants pod
    /// tokens, during which use is logged as stale.
    pub extended: Option<(i32, i32)>,
    /// No `exp`: the token is valid until its Secret or account is deleted.
    pub never_expires: bool,
}

/// The timeline of a token whose Times rows are `times`, at `now`. A token with no time at all
/// (a legacy token from a Secret) is valid from before now until its Secret is deleted.
pub fn timeline(times: &[TimeRow], now: UnixSeconds) -> Timeline {
    let first = times
        .iter()
        .map(|t| t.at)
        .min()
        .unwrap_or(now.saturating_sub(86_400));
    let last = times.iter().map(|t| t.at).max().unwrap_or(now);
    let at = |claim: &str| times.iter().find(|t| t.claim == claim).map(|t| t.at);
    let (exp, warnafter) = (at("exp"), at("kubernetes.io.warnafter"));
    let never_expires = exp.is_none();
    // In floating point: instants are any i64 a token carries, and the axis needs only pixels.
    let (lo, hi) = (first.min(now) as f64, last.max(now) as f64);
    let span = (hi - lo).max(60.0);
    // A token that never expires gets room on the right for its arrow.
    let hi = if never_expires {
        lo + span + span / 4.0
    } else {
        lo + span
    };
    let x = |t: UnixSeconds| -> i32 {
        let offset = (t as f64 - lo) * f64::from(RIGHT - LEFT) / (hi - lo);
        // `as` saturates, and a NaN becomes 0.
        LEFT + (offset.clamp(0.0, f64::from(RIGHT - LEFT)) as i32)
    };
    let mut marks: Vec<Mark> = Vec::new();
    let mut order: Vec<&TimeRow> = times.iter().collect();
    crate::support::sort::stable_by(&mut order, |a, b| a.at.cmp(&b.at));
    for row in order {
        match marks.last_mut() {
            Some(mark) if mark.at == row.at => mark.labels.push(row.label),
            _ => marks.push(Mark {
                labels: vec![row.label],
                at: row.at,
                x: x(row.at),
                relative: relative(row.at, now),
            }),
        }
    }
    Timeline {
        now_x: x(now),
        now_inside: now >= first && exp.is_none_or(|e| now < e),
        extended: warnafter
            .zip(exp)
            .filter(|(w, e)| w < e)
            .map(|(w, e)| (x(w), x(e))),
        never_expires,
        marks,
    }
}

impl Timeline {
    /// The picture, named for screen readers by what it shows.
    pub fn picture(&self) -> Picture {
        let mut svg = Picture::new(WIDTH, HEIGHT, self.words());
        svg.line("tl-axis", (LEFT, AXIS_Y), (RIGHT, AXIS_Y), "#57606a");
        let start = self.marks.first().map_or(LEFT, |m| m.x);
        if self.marks.is_empty() {
            svg.text(
                "tl-note",
                (LEFT, AXIS_Y - 12),
                Anchor::Start,
                "no iat, nbf or exp: valid since its Secret was made".into(),
            );
        }
        let end = if self.never_expires {
            RIGHT
        } else {
            self.marks.last().map_or(RIGHT, |m| m.x)
        };
        let valid_end = self.extended.map_or(end, |(warn, _)| warn);
        svg.rect(
            "tl-valid",
            (start, AXIS_Y - 6),
            ((valid_end - start).max(2), 12),
            "#116329",
        );
        if let Some((warn, exp)) = self.extended {
            svg.rect(
                "tl-extended",
                (warn, AXIS_Y - 6),
                ((exp - warn).max(2), 12),
                "#7a4d00",
            );
            svg.text(
                "tl-note",
                ((warn + exp) / 2, AXIS_Y + 40),
                Anchor::Middle,
                "extended expiry: use is logged as stale".into(),
            );
        }
        if self.never_expires {
            svg.text(
                "tl-note",
                (RIGHT, AXIS_Y - 12),
                Anchor::End,
                "never expires →".into(),
            );
        }
        let mut previous: Option<(i32, i32)> = None;
        for mark in &self.marks {
            svg.line(
                "tl-mark",
                (mark.x, AXIS_Y - 12),
                (mark.x, AXIS_Y + 12),
                "#1b1f24",
            );
            let row = match previous {
                Some((x, row)) if mark.x - x < LABEL_GAP => (row + 1) % 3,
                _ => 0,
            };
            previous = Some((mark.x, row));
            let anchor = anchor_at(mark.x);
            svg.text(
                "tl-label",
                (mark.x, AXIS_Y - 18 - row * 15),
                anchor,
                mark.labels.join(", "),
            );
            svg.text(
                "tl-when",
                (mark.x, AXIS_Y + 26 + row * 14),
                anchor,
                mark.relative.clone(),
            );
        }
        svg.line(
            "tl-now",
            (self.now_x, AXIS_Y - 24),
            (self.now_x, AXIS_Y + 24),
            "#1f5fd0",
        );
        svg.text(
            "tl-now-label",
            (self.now_x, HEIGHT - 4),
            anchor_at(self.now_x),
            "now".into(),
        );
        svg
    }

    /// The picture in one sentence: each instant and where now is.
    pub fn words(&self) -> String {
        let mut words: Vec<String> = self
            .marks
            .iter()
            .map(|m| format!("{} {}", m.labels.join(" and "), m.relative))
            .collect();
        if self.never_expires {
            words.push("never expires".to_string());
        }
        if self.marks.is_empty() {
            words.insert(0, "no times".to_string());
        }
        format!("Token timeline: {}", words.join("; "))
    }
}

/// Texts near an edge are anchored inward, so they stay inside the picture.
fn anchor_at(x: i32) -> Anchor {
    if x < LEFT + 60 {
        Anchor::Start
    } else if x > RIGHT - 60 {
        Anchor::End
    } else {
        Anchor::Middle
    }
}
