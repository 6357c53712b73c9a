//! A CA bundle as a picture: one row per certificate with its validity on a shared time axis,
//! and a line from each certificate to the one that signed it, coloured by the signature check.
//!
//! It draws the CA page's chain list ([`ChainLink`]s with WebCrypto's answers), which stays its
//! text equivalent: every line is a link of that list, every row a certificate of the paste.

use crate::crypto::webcrypto::NotChecked;
use crate::crypto::x509::{Certificate, ChainLink};
use crate::support::time::{iso8601, UnixSeconds};

use super::svg::{Anchor, Picture};

/// The picture's width in pixels.
pub const WIDTH: i32 = 720;
const ROW: i32 = 48;
const TOP: i32 = 12;
/// The boxes' left edge: the lines to issuers run in the gutter before it.
const BOX_LEFT: i32 = 44;
const BOX_RIGHT: i32 = 380;
const AXIS_LEFT: i32 = 396;
const AXIS_RIGHT: i32 = WIDTH - 16;
/// Lines to issuers run in lanes this far apart, right to left; more links than lanes share
/// the last one.
const LANE: i32 = 8;
const LANES: i32 = 4;
/// Characters of a subject a box holds before it is cut with `…`.
const NAME_CHARS: usize = 44;
/// Certificates drawn at most; a longer bundle is drawn up to here, and the picture says so.
pub const MAX_ROWS: usize = 24;

/// What a link's signature check came to, as the picture colours it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// WebCrypto verified the signature.
    Verified,
    /// WebCrypto says the signature does not verify.
    Fails,
    /// Still running, or it could not be checked (an algorithm WebCrypto lacks).
    Unknown,
}

impl Check {
    /// The check of one link: WebCrypto's answer once known.
    pub fn of(result: Option<&Result<bool, NotChecked>>) -> Check {
        match result {
            Some(Ok(true)) => Check::Verified,
            Some(Ok(false)) => Check::Fails,
            _ => Check::Unknown,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Check::Verified => "ch-ok",
            Check::Fails => "ch-fail",
            Check::Unknown => "ch-unknown",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Check::Verified => "#116329",
            Check::Fails => "#cf222e",
            Check::Unknown => "#57606a",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Check::Verified => "signature verified",
            Check::Fails => "signature does NOT verify",
            Check::Unknown => "signature not checked",
        }
    }
}

/// One certificate's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Its number in the paste, from 1.
    pub number: usize,
    /// Its subject, as the CA page names it.
    pub subject: String,
    /// Its validity, in pixels on the time axis.
    pub valid: (i32, i32),
    /// Whether now lies inside its validity.
    pub current: bool,
}

/// One line: `child` (a row index) is signed by `issuer` (the same index for a self-signed
/// certificate, `None` when its issuer is not in the paste).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The certificate issued (row index).
    pub child: usize,
    /// Its issuer's row index, if the issuer is in the paste.
    pub issuer: Option<usize>,
    /// What the signature check came to.
    pub check: Check,
}

/// What the picture holds, for the page and its tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    /// The certificates, in paste order (at most [`MAX_ROWS`]).
    pub rows: Vec<Row>,
    /// The links, in the chain list's order (those between drawn rows).
    pub edges: Vec<Edge>,
    /// Certificates of the paste not drawn.
    pub left_out: usize,
    /// Now, in pixels on the time axis.
    pub now_x: i32,
    /// The axis' first and last instants.
    pub span: (UnixSeconds, UnixSeconds),
}

/// The chain of `certs`, each link with WebCrypto's answer once known, at `now`.
pub fn chain(
    certs: &[Certificate],
    links: &[(&ChainLink, Option<&Result<bool, NotChecked>>)],
    now: UnixSeconds,
) -> Chain {
    let drawn = certs.get(..MAX_ROWS).unwrap_or(certs);
    let lo = drawn
        .iter()
        .map(|c| c.not_before)
        .min()
        .unwrap_or(now)
        .min(now);
    let hi = drawn
        .iter()
        .map(|c| c.not_after)
        .max()
        .unwrap_or(now)
        .max(now);
    // In floating point: validity may be any i64 a certificate carries (a CA valid until 4763).
    let span = ((hi as f64) - (lo as f64)).max(60.0);
    let x = |t: UnixSeconds| -> i32 {
        let offset = ((t as f64) - (lo as f64)) * f64::from(AXIS_RIGHT - AXIS_LEFT) / span;
        // `as` saturates, and a NaN becomes 0.
        AXIS_LEFT + (offset.clamp(0.0, f64::from(AXIS_RIGHT - AXIS_LEFT)) as i32)
    };
    let rows = drawn
        .iter()
        .enumerate()
        .map(|(i, c)| Row {
            number: i + 1,
            subject: c.subject.clone(),
            valid: (x(c.not_before), x(c.not_after)),
            current: c.not_before <= now && now < c.not_after,
        })
        .collect();
    let edges = links
        .iter()
        .filter(|(link, _)| link.child < drawn.len())
        .map(|(link, result)| Edge {
            child: link.child,
            issuer: link.issuer.filter(|&i| i < drawn.len()),
            check: Check::of(*result),
        })
        .collect();
    Chain {
        rows,
        edges,
        left_out: certs.len() - drawn.len(),
        now_x: x(now),
        span: (lo, hi),
    }
}

fn row_y(index: usize) -> i32 {
    TOP + i32::try_from(index).unwrap_or(i32::MAX / ROW - 1) * ROW
}

fn cut(text: &str) -> String {
    if text.chars().count() <= NAME_CHARS {
        return text.to_string();
    }
    let mut short: String = text.chars().take(NAME_CHARS - 1).collect();
    short.push('…');
    short
}

impl Chain {
    /// The picture, named for screen readers by what it shows.
    pub fn picture(&self) -> Picture {
        let rows = i32::try_from(self.rows.len()).unwrap_or(0);
        let height = TOP + rows.max(1) * ROW + 36;
        let mut svg = Picture::new(WIDTH, height, self.words());
        let axis_y = height - 30;
        svg.line(
            "tl-axis",
            (AXIS_LEFT, axis_y),
            (AXIS_RIGHT, axis_y),
            "#57606a",
        );
        let (lo, hi) = self.span;
        let date = |t: UnixSeconds| iso8601(t).chars().take(10).collect::<String>();
        svg.text("tl-note", (AXIS_LEFT, axis_y + 16), Anchor::Start, date(lo));
        svg.text("tl-note", (AXIS_RIGHT, axis_y + 16), Anchor::End, date(hi));
        for (i, row) in self.rows.iter().enumerate() {
            let y = row_y(i);
            svg.rect(
                "ch-box",
                (BOX_LEFT, y),
                (BOX_RIGHT - BOX_LEFT, ROW - 10),
                "#f6f8fa",
            );
            svg.text(
                "ch-name",
                (BOX_LEFT + 8, y + 16),
                Anchor::Start,
                format!("{}. {}", row.number, cut(&row.subject)),
            );
            let (class, colour) = if row.current {
                ("tl-valid", "#116329")
            } else {
                ("ch-expired", "#cf222e")
            };
            svg.rect(
                class,
                (row.valid.0, y + 12),
                ((row.valid.1 - row.valid.0).max(2), 12),
                colour,
            );
        }
        for (lane, edge) in self.edges.iter().enumerate() {
            let y = row_y(edge.child) + 19;
            let (class, colour) = (edge.check.class(), edge.check.colour());
            let note = match edge.issuer {
                Some(issuer) if issuer == edge.child => {
                    format!("self-signed: {}", edge.check.words())
                }
                Some(issuer) => format!("signed by {}: {}", issuer + 1, edge.check.words()),
                None => "its issuer is not in this paste".to_string(),
            };
            svg.text("tl-note", (BOX_LEFT + 8, y + 13), Anchor::Start, note);
            let Some(issuer) = edge.issuer.filter(|&i| i != edge.child) else {
                continue;
            };
            let lane = i32::try_from(lane).unwrap_or(LANES).min(LANES - 1);
            let x = BOX_LEFT - 8 - lane * LANE;
            let to = row_y(issuer) + 19;
            svg.line(class, (BOX_LEFT, y), (x, y), colour);
            svg.line(class, (x, y), (x, to), colour);
            svg.line(class, (x, to), (BOX_LEFT, to), colour);
            // An arrowhead's stand-in: a dot where the line meets the issuer.
            svg.rect(class, (BOX_LEFT - 3, to - 3), (6, 6), colour);
        }
        svg.line(
            "tl-now",
            (self.now_x, TOP - 4),
            (self.now_x, axis_y + 4),
            "#1f5fd0",
        );
        svg.text(
            "tl-now-label",
            (self.now_x, height - 2),
            Anchor::Middle,
            "now".into(),
        );
        svg
    }

    /// The picture in one sentence: each certificate, who signed it, and whether it is valid now.
    pub fn words(&self) -> String {
        let mut words: Vec<String> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let signer = self
                    .edges
                    .iter()
                    .find(|e| e.child == i)
                    .map_or(String::new(), |e| match e.issuer {
                        Some(issuer) if issuer == i => {
                            format!(", self-signed ({})", e.check.words())
                        }
                        Some(issuer) => format!(", signed by {} ({})", issuer + 1, e.check.words()),
                        None => ", its issuer not in this paste".to_string(),
                    });
                let now = if row.current {
                    "valid now"
                } else {
                    "NOT valid now"
                };
                format!("{}. {}{signer}, {now}", row.number, row.subject)
            })
            .collect();
        if self.left_out > 0 {
            words.push(format!("{} more not drawn", self.left_out));
        }
        format!("Certificate chain: {}", words.join("; "))
    }
}
