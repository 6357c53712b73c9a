//! Where a YAML object's `rules:` entries lie, so a ClusterRole of tens of thousands of rules is
//! handed out in parts of a few hundred entries as its lines arrive, each parsed on its own,
//! rather than parsed whole when its last byte arrives: the work a chunk causes stays its own
//! bytes plus one part, whatever the size of the role.
//!
//! It looks only at what the splitter already classified (a line's indentation and first
//! bytes): a `rules:` line at the object's key column, with nothing after it but a comment,
//! followed by `- ` entries at one indentation. Each entry runs to the next line at or left of
//! its dash that is not blank or a comment, as the splitter's list items do. The parts are a
//! proposal: the object's whole text is still held, and the reader falls back to parsing it
//! whole whenever the parts and the rest do not read exactly as the whole would
//! ([`super::Gather`]).

use super::yaml::{blank_or_comment, dash};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No `rules:` key seen yet in this object.
    Before,
    /// Just after the `rules:` line: the next line says whether a block sequence follows.
    Key,
    /// Inside the entries, whose dashes stand at this column.
    In(usize),
    /// The entries ended (or none followed the key).
    After,
}

/// One part of entries ready to be handed out: `text[start..end]` of the object's buffer,
/// starting on line `line` of the dump.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Part {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) line: usize,
}

/// The tracker of one object's `rules:` entries.
pub(super) struct RuleParts {
    /// Entries per part; 0 hands out no parts.
    pub(super) per_part: usize,
    /// The object's key column, once known.
    keys: Option<usize>,
    phase: Phase,
    /// The current part: its start in the object's buffer, first line, and entries.
    start: usize,
    line: usize,
    entries: usize,
    /// The object's buffer offsets where its entries begin and end.
    span: Option<(usize, usize)>,
    /// Parts handed out for the current object.
    pub(super) parts: usize,
    /// A second `rules:` key: the parts do not stand for the object's rules.
    spoiled: bool,
}

/// `rules:` alone, or before a comment.
fn rules_key(rest: &[u8]) -> bool {
    rest.strip_prefix(b"rules:").is_some_and(|after| {
        after.is_empty()
            || (after.first().is_some_and(|b| *b == b' ' || *b == b'\t')) && blank_or_comment(after)
    })
}

impl RuleParts {
    pub(super) fn new(per_part: usize) -> RuleParts {
        RuleParts {
            per_part,
            keys: None,
            phase: Phase::Before,
            start: 0,
            line: 0,
            entries: 0,
            span: None,
            parts: 0,
            spoiled: false,
        }
    }

    /// A new object starts, whose keys stand at column `keys` when known (else at the column
    /// of its first line with content).
    pub(super) fn start(&mut self, keys: Option<usize>) {
        *self = RuleParts::new(self.per_part);
        self.keys = keys;
    }

    /// A line of the object (`spaces` of indentation, then `rest`), numbered `number` in the
    /// dump, that will be appended at offset `at` of the object's buffer. Returns the part
    /// that ends before it, if any.
    pub(super) fn line(
        &mut self,
        spaces: usize,
        rest: &[u8],
        at: usize,
        number: usize,
    ) -> Option<Part> {
        if self.per_part == 0 {
            return None;
        }
        let content = !blank_or_comment(rest);
        match self.phase {
            Phase::In(column) => {
                if spaces > column || !content {
                    return None;
                }
                if spaces == column && dash(rest) {
                    if self.entries < self.per_part {
                        self.entries += 1;
                        return None;
                    }
                    let part = self.cut(at);
                    self.begin(at, number);
                    return Some(part);
                }
                let part = self.last(at);
                self.phase = Phase::After;
                self.key_line(spaces, rest);
                part
            }
            Phase::Key if content => {
                if dash(rest) && self.keys.is_some_and(|k| spaces >= k) {
                    self.phase = Phase::In(spaces);
                    self.span = Some((at, at));
                    self.begin(at, number);
                } else {
                    self.phase = Phase::After;
                    self.key_line(spaces, rest);
                }
                None
            }
            Phase::Key => None,
            Phase::Before | Phase::After => {
                if content && self.keys.is_none() {
                    self.keys = Some(spaces);
                }
                self.key_line(spaces, rest);
                None
            }
        }
    }

    /// The object ends at offset `at` of its buffer: the last part, if entries are open.
    pub(super) fn end(&mut self, at: usize) -> Option<Part> {
        if let Phase::In(_) = self.phase {
            self.phase = Phase::After;
            return self.last(at);
        }
        None
    }

    /// The entries end at `at`: their last part, unless they never filled one (a role of a
    /// few rules is parsed whole, as cheaply as its one part would be, and read once).
    fn last(&mut self, at: usize) -> Option<Part> {
        if self.parts == 0 {
            self.span = None;
            return None;
        }
        self.span = Some((self.span.map_or(at, |s| s.0), at));
        Some(self.cut(at))
    }

    /// Where the entries handed out in parts lie in the object's buffer, when the parts stand
    /// for the object's rules (call after [`RuleParts::end`]).
    pub(super) fn span(&self) -> Option<(usize, usize)> {
        if self.spoiled || self.parts == 0 {
            return None;
        }
        self.span
    }

    /// A line outside the entries, at the object's key column or not: a `rules:` key opens
    /// them, a second one spoils them.
    fn key_line(&mut self, spaces: usize, rest: &[u8]) {
        if self.keys == Some(spaces) && rules_key(rest) {
            if self.phase == Phase::Before {
                self.phase = Phase::Key;
            } else {
                self.spoiled = true;
            }
        }
    }

    fn begin(&mut self, at: usize, number: usize) {
        self.start = at;
        self.line = number;
        self.entries = 1;
    }

    fn cut(&mut self, end: usize) -> Part {
        self.parts += 1;
        Part {
            start: self.start,
            end,
            line: self.line,
        }
    }
}
