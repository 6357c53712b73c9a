//! Used against granted, as a picture: one bar per binding, as long as the rules it grants the
//! subject, split into the rules requests used, those none used, and those not compared (the
//! API server's default bindings, or past the comparison's bound), then the denied requests.
//!
//! It draws the Activity page's comparison ([`Comparison`]), whose lists stay its text
//! equivalent: the unused segments add up to the Unused rules list, the denied count is the
//! Denied requests list.

use crate::activity::{BindingUse, Comparison};

use super::svg::{Anchor, Picture};

/// The picture's width in pixels.
pub const WIDTH: i32 = 720;
const ROW: i32 = 30;
const TOP: i32 = 28;
const LABEL_RIGHT: i32 = 300;
const BAR_LEFT: i32 = 312;
const BAR_RIGHT: i32 = WIDTH - 56;
/// Characters of a binding's name a row holds before it is cut with `…`.
const NAME_CHARS: usize = 44;
/// Bindings drawn at most, the most-unused first; the rest are counted in words.
pub const MAX_ROWS: usize = 20;

/// One binding's bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    /// `RoleBinding shop/web → Role shop/web`.
    pub label: String,
    /// Rules a request used.
    pub used: usize,
    /// Rules no request used.
    pub unused: usize,
    /// Rules not compared.
    pub not_compared: usize,
}

impl Bar {
    fn of(row: &BindingUse) -> Bar {
        let compared = if row.default { 0 } else { row.checked };
        Bar {
            label: format!("{} → {}", row.binding, row.role),
            used: compared.saturating_sub(row.unused),
            unused: row.unused,
            not_compared: row.held.saturating_sub(compared),
        }
    }

    fn held(&self) -> usize {
        self.used + self.unused + self.not_compared
    }
}

/// What the picture holds, for the page and its tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Usage {
    /// The bindings drawn, those with the most unused rules first (binding order among equals).
    pub bars: Vec<Bar>,
    /// Bindings not drawn, and the unused rules among them.
    pub left_out: (usize, usize),
    /// Requests denied.
    pub denied: usize,
}

/// The picture of `comparison`.
pub fn usage(comparison: &Comparison) -> Usage {
    let mut bars: Vec<Bar> = comparison.bindings.iter().map(Bar::of).collect();
    crate::support::sort::stable_by(&mut bars, |a, b| b.unused.cmp(&a.unused));
    let rest = bars.split_off(bars.len().min(MAX_ROWS));
    Usage {
        bars,
        left_out: (rest.len(), rest.iter().map(|b| b.unused).sum()),
        denied: comparison.denied.len(),
    }
}

fn cut(text: &str) -> String {
    if text.chars().count() <= NAME_CHARS {
        return text.to_string();
    }
    let mut short: String = text.chars().take(NAME_CHARS - 1).collect();
    short.push('…');
    short
}

/// `part` of `whole` as pixels of `width`, at least 2 when `part` is not 0.
fn share(part: usize, whole: usize, width: i32) -> i32 {
    if part == 0 || whole == 0 {
        return 0;
    }
    let pixels = (part as f64) * f64::from(width) / (whole as f64);
    (pixels as i32).max(2)
}

impl Usage {
    /// The picture, named for screen readers by what it shows.
    pub fn picture(&self) -> Picture {
        let rows = i32::try_from(self.bars.len()).unwrap_or(0);
        let height = TOP + rows.max(1) * ROW + 28;
        let mut svg = Picture::new(WIDTH, height, self.words());
        let mut x = LABEL_RIGHT;
        for (class, colour, words) in [
            ("us-used", "#116329", "used"),
            ("us-unused", "#7a4d00", "never used"),
            ("us-other", "#8c959f", "not compared"),
        ] {
            svg.rect(class, (x, 6), (10, 10), colour);
            svg.text("tl-note", (x + 14, 15), Anchor::Start, words.into());
            x += 110;
        }
        let widest = self.bars.iter().map(Bar::held).max().unwrap_or(0);
        for (i, bar) in self.bars.iter().enumerate() {
            let y = TOP + i32::try_from(i).unwrap_or(0) * ROW;
            svg.text(
                "us-label",
                (LABEL_RIGHT - 4, y + 14),
                Anchor::End,
                cut(&bar.label),
            );
            let mut at = BAR_LEFT;
            for (class, colour, part) in [
                ("us-used", "#116329", bar.used),
                ("us-unused", "#7a4d00", bar.unused),
                ("us-other", "#8c959f", bar.not_compared),
            ] {
                let width = share(part, widest, BAR_RIGHT - BAR_LEFT);
                if width > 0 {
                    svg.rect(class, (at, y + 2), (width, 16), colour);
                    at += width;
                }
            }
            svg.text(
                "tl-note",
                (at + 6, y + 14),
                Anchor::Start,
                format!("{}/{}", bar.used, bar.held()),
            );
        }
        let mut foot = Vec::new();
        if self.left_out.0 > 0 {
            foot.push(format!(
                "{} more bindings ({} unused rules) not drawn",
                self.left_out.0, self.left_out.1
            ));
        }
        foot.push(match self.denied {
            0 => "no request denied".to_string(),
            1 => "1 request denied".to_string(),
            n => format!("{n} requests denied"),
        });
        svg.text(
            "tl-note",
            (BAR_LEFT, height - 8),
            Anchor::Start,
            foot.join("; "),
        );
        svg
    }

    /// The picture in one sentence: each binding's used and unused rules, and the denials.
    pub fn words(&self) -> String {
        let mut words: Vec<String> = self
            .bars
            .iter()
            .map(|b| {
                let mut text = format!(
                    "{}: {} of {} rules used, {} never used",
                    b.label,
                    b.used,
                    b.held(),
                    b.unused
                );
                if b.not_compared > 0 {
                    text.push_str(&format!(", {} not compared", b.not_compared));
                }
                text
            })
            .collect();
        if self.bars.is_empty() {
            words.push("no rule held".to_string());
        }
        if self.left_out.0 > 0 {
            words.push(format!(
                "{} more bindings with {} unused rules",
                self.left_out.0, self.left_out.1
            ));
        }
        words.push(format!("{} requests denied", self.denied));
        format!("Used against granted: {}", words.join("; "))
    }
}
