//! PEM as people paste it: PEM framing, for [`crate::crypto::keys`], [`crate::crypto::x509`]
//! and the input readers. Its bodies are read by the one lenient base64 reader,
//! [`crate::support::base64_text`], re-exported here with its error for the readers of keys and
//! certificates.
//!
//! Written by hand rather than with `pem-rfc7468` because a strict reader only says "invalid";
//! this one says which block, which line and which column, tolerates what pastes really look
//! like (YAML indentation, `openssl -text` around the blocks, `\n` escapes from JSON), and
//! spots private keys before anything else is read.
//!
//! Offsets are byte offsets into the text read, everywhere in this module: they slice the text
//! and `Positions` turns them into lines and columns. Every character before the first one
//! that is not base64 is ASCII, except Unicode white space, so an offset there is also the
//! character's index.

use std::fmt;

use crate::support::base64_text::read_lenient;
pub use crate::support::base64_text::{decode_lenient, B64Error};

/// One `-----BEGIN LABEL-----` … `-----END LABEL-----` block, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PemBlock {
    /// Position among the blocks of the paste, counted from 1.
    pub index: usize,
    /// The label, e.g. `PUBLIC KEY` or `CERTIFICATE`.
    pub label: String,
    /// The line of the paste the BEGIN marker is on, counted from 1.
    pub begin_line: usize,
    /// The decoded body.
    pub der: Vec<u8>,
}

/// A PEM block that could not be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PemError {
    /// Block number in the paste, from 1.
    pub block: usize,
    /// The label on its BEGIN line.
    pub label: String,
    /// The line the problem is on, from 1 (for a missing END or an empty block: the BEGIN line).
    pub line: usize,
    /// What is wrong.
    pub problem: PemProblem,
}

/// What can be wrong with a PEM block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PemProblem {
    /// No END line after the BEGIN line: the paste was cut off.
    MissingEnd,
    /// The END line names another label (this one): two blocks were spliced together.
    MismatchedEnd(String),
    /// A character that is not base64.
    BadBase64 {
        /// Column of the character, from 1.
        column: usize,
        /// The character.
        found: char,
    },
    /// The base64 stops part-way through a byte: a character or a line was lost.
    Truncated,
    /// Nothing between BEGIN and END.
    Empty,
}

impl fmt::Display for PemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            block,
            label,
            line,
            problem,
        } = self;
        match problem {
            PemProblem::MissingEnd => write!(
                f,
                "PEM block {block} ({label}) starts on line {line} but has no \
                 `-----END {label}-----` line: the paste looks cut off; copy the whole block"
            ),
            PemProblem::MismatchedEnd(end) => write!(
                f,
                "PEM block {block} begins as {label} but line {line} ends it as {end}: two \
                 blocks were probably spliced together"
            ),
            PemProblem::BadBase64 { column, found } => write!(
                f,
                "PEM block {block} ({label}): {found:?} on line {line}, column {column} is not \
                 base64; the block was changed after it was copied"
            ),
            PemProblem::Truncated => write!(
                f,
                "PEM block {block} ({label}): the base64 ends part-way through a byte on line \
                 {line}; a character or a line was lost when copying"
            ),
            PemProblem::Empty => {
                write!(f, "PEM block {block} ({label}) on line {line} is empty")
            }
        }
    }
}

impl std::error::Error for PemError {}

/// Line and column (both from 1) of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    Positions::new(text).at(offset)
}

/// Lines and columns of offsets asked for in increasing order, from one forward scan, so a
/// paste of many blocks is read once rather than once per block.
pub(crate) struct Positions<'a> {
    text: &'a str,
    /// Where the scan has reached.
    offset: usize,
    /// The line `offset` is on, from 1.
    line: usize,
    /// Characters between the start of that line and `offset`.
    column: usize,
    /// Bytes scanned in all.
    scanned: usize,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Positions {
            text,
            offset: 0,
            line: 1,
            column: 0,
            scanned: 0,
        }
    }

    /// Line and column (both from 1) of byte `offset`. An offset past the end or inside a
    /// character stands for the end. Asking for an earlier offset than the last one starts
    /// the scan again, so answers are right in any order but cheap only in increasing order.
    pub(crate) fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = if self.text.is_char_boundary(offset) {
            offset
        } else {
            self.text.len()
        };
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
            self.column = 0;
        }
        let between = self.text.get(self.offset..offset).unwrap_or("");
        self.scanned = self.scanned.saturating_add(between.len());
        match between.rfind('\n') {
            Some(last) => {
                self.line += between.bytes().filter(|&b| b == b'\n').count();
                self.column = between.get(last + 1..).map_or(0, |l| l.chars().count());
            }
            None => self.column += between.chars().count(),
        }
        self.offset = offset;
        (self.line, self.column + 1)
    }
}

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";

/// Finds `needle` in `haystack`, adding the bytes looked at to `work`.
fn find(work: &mut usize, haystack: &str, needle: &str) -> Option<usize> {
    let found = haystack.find(needle);
    let looked = found.map_or(haystack.len(), |at| at + needle.len());
    *work = work.saturating_add(looked);
    found
}

/// The line and label of the first PEM block whose label says it holds a private key.
/// Checked before anything else, so a private key is refused even if other blocks are broken.
pub(crate) fn find_private_key(text: &str) -> Option<(usize, String)> {
    find_private_key_counted(text, &mut 0)
}

fn find_private_key_counted(text: &str, work: &mut usize) -> Option<(usize, String)> {
    let mut offset = 0;
    while let Some(at) = text.get(offset..).and_then(|rest| find(work, rest, BEGIN)) {
        let label_at = offset + at + BEGIN.len();
        let after = text.get(label_at..).unwrap_or("");
        let label = after.get(..find(work, after, DASHES).unwrap_or(after.len()));
        let label = label.unwrap_or("");
        *work = work.saturating_add(label.len());
        if label.contains("PRIVATE KEY") && !label.contains('\n') {
            return Some((line_col(text, offset + at).0, label.to_string()));
        }
        offset = label_at;
    }
    None
}

/// Reads every PEM block in `text`, ignoring text around them (openssl's `-text` output,
/// YAML indentation, a `subject=` line). Returns each block, or the problem with it, in paste
/// order; it stops at a block with no END line, since nothing after it is certain.
pub fn pem_blocks(text: &str) -> Vec<Result<PemBlock, PemError>> {
    pem_blocks_counted(text, &mut 0)
}

/// Bytes of `text` that reading it as PEM looks at (the private-key check and every block,
/// positions included): the work, which grows with the paste's size and nothing else.
#[doc(hidden)]
pub fn pem_work(text: &str) -> usize {
    let mut work = 0;
    let _ = find_private_key_counted(text, &mut work);
    let _ = pem_blocks_counted(text, &mut work);
    work
}

fn pem_blocks_counted(text: &str, work: &mut usize) -> Vec<Result<PemBlock, PemError>> {
    let mut blocks = Vec::new();
    let mut positions = Positions::new(text);
    let mut pos = 0;
    let mut block = 0;
    while let Some(found) = text.get(pos..).and_then(|rest| find(work, rest, BEGIN)) {
        block += 1;
        let begin_at = pos + found;
        let begin_line = positions.at(begin_at).0;
        let error = |label: String, line, problem| PemError {
            block,
            label,
            line,
            problem,
        };
        let label_at = begin_at + BEGIN.len();
        let after_label = text.get(label_at..).unwrap_or("");
        // The label ends at dashes on the BEGIN line.
        let label_len = find(work, after_label, DASHES)
            .filter(|&n| after_label.get(..n).is_some_and(|l| !l.contains('\n')));
        let Some(label_len) = label_len else {
            let label = after_label.lines().next().unwrap_or("").trim().to_string();
            blocks.push(Err(error(label, begin_line, PemProblem::MissingEnd)));
            break;
        };
        let label = after_label.get(..label_len).unwrap_or("").to_string();
        let body_at = label_at + label_len + DASHES.len();
        let rest = text.get(body_at..).unwrap_or("");
        // An END that comes after the next BEGIN belongs to that block, not this one.
        let end_rel = find(work, rest, END).filter(|&e| {
            let before_end = rest.get(..e).unwrap_or("");
            find(work, before_end, BEGIN).is_none()
        });
        let Some(end_rel) = end_rel else {
            blocks.push(Err(error(label, begin_line, PemProblem::MissingEnd)));
            break;
        };
        let end_at = body_at + end_rel;
        let end_label_at = end_at + END.len();
        let after_end = text.get(end_label_at..).unwrap_or("");
        let end_label = after_end.get(..find(work, after_end, DASHES).unwrap_or(after_end.len()));
        let end_label = end_label.unwrap_or("").trim().to_string();
        pos = end_label_at + end_label.len();
        if end_label != label {
            let line = positions.at(end_at).0;
            blocks.push(Err(error(
                label,
                line,
                PemProblem::MismatchedEnd(end_label),
            )));
            continue;
        }
        let body = text.get(body_at..end_at).unwrap_or("");
        *work = work.saturating_add(body.len());
        blocks.push(match read_lenient(body) {
            Ok(der) if der.is_empty() => Err(error(label, begin_line, PemProblem::Empty)),
            Ok(der) => Ok(PemBlock {
                index: block,
                label,
                begin_line,
                der,
            }),
            Err((at, B64Error::InvalidCharacter { character, .. })) => {
                let (line, column) = positions.at(body_at + at);
                let found = character;
                Err(error(label, line, PemProblem::BadBase64 { column, found }))
            }
            Err((at, B64Error::InvalidLength { .. })) => {
                let line = positions.at(body_at + at).0;
                Err(error(label, line, PemProblem::Truncated))
            }
        });
    }
    *work = work.saturating_add(positions.scanned);
    blocks
}

// Tests may panic: that is how they fail.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\né!", 5), (2, 2));
        assert_eq!(line_col("ab", 99), (1, 3));
        // One scan answers in any order, and each answer is line_col's.
        let text = "ab\ncé\n\nxyz";
        let mut positions = Positions::new(text);
        for offset in [0, 1, 3, 4, 6, 7, 8, 9, 12, 2, 5, 99, 0] {
            assert_eq!(positions.at(offset), line_col(text, offset), "{offset}");
        }
    }

    #[test]
    fn private_keys_are_found_by_label() {
        let text = "x\n-----BEGIN PUBLIC KEY-----\n-----BEGIN EC PRIVATE KEY-----\n";
        assert_eq!(
            find_private_key(text),
            Some((3, "EC PRIVATE KEY".to_string()))
        );
        assert_eq!(find_private_key("-----BEGIN PUBLIC KEY-----"), None);
        assert_eq!(find_private_key("-----BEGIN "), None);
    }

    #[test]
    fn blocks_with_text_around_them_and_on_one_line() {
        let text =
            "subject=CN=x\n  -----BEGIN A----- aGk= -----END A-----\n-----BEGIN B-----\naGk\n";
        let blocks = pem_blocks(text);
        assert_eq!(
            blocks,
            [
                Ok(PemBlock {
                    index: 1,
                    label: "A".into(),
                    begin_line: 2,
                    der: b"hi".to_vec()
                }),
                Err(PemError {
                    block: 2,
                    label: "B".into(),
                    line: 3,
                    problem: PemProblem::MissingEnd
                }),
            ]
        );
        // An END that belongs to a later block does not close an earlier one.
        let spliced = "-----BEGIN A-----\naGk\n-----BEGIN B-----\naGk\n-----END B-----\n";
        let first = pem_blocks(spliced).into_iter().next();
        assert!(matches!(
            first,
            Some(Err(PemError {
                problem: PemProblem::MissingEnd,
                ..
            }))
        ));
        assert_eq!(
            pem_blocks("-----BEGIN A"),
            [Err(PemError {
                block: 1,
                label: "A".into(),
                line: 1,
                problem: PemProblem::MissingEnd
            })]
        );
    }
}
