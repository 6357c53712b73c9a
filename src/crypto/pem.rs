//! PEM and base64 as people paste them: the one lenient base64 reader (Secrets, kubeconfigs,
//! JWKs, PEM bodies) and PEM framing, for [`crate::crypto::keys`], [`crate::crypto::x509`] and the input
//! readers.
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

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

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

/// What is wrong with a base64 text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum B64Error {
    /// A character outside the alphabet, or padding where none may be.
    InvalidCharacter {
        /// Byte offset of the character in the text read (white space included).
        offset: usize,
        /// The character.
        character: char,
    },
    /// A length no base64 text can have (after removing padding and white space).
    InvalidLength {
        /// Number of base64 characters.
        length: usize,
    },
}

impl fmt::Display for B64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            B64Error::InvalidCharacter { offset, character } => {
                write!(f, "character {character:?} at offset {offset}")
            }
            B64Error::InvalidLength { length } => write!(
                f,
                "{length} characters is not a possible base64 length (one is missing or extra)"
            ),
        }
    }
}

/// The `=` seen so far. Padding may only end the text, and at most two: when data follows
/// it, the first `=` is the character to blame (not the innocent letter after it).
#[derive(Default)]
pub(crate) struct Padding {
    first: Option<usize>,
    count: usize,
}

impl Padding {
    /// Notes an `=` at `offset`, refusing a third.
    pub(crate) fn add(&mut self, offset: usize) -> Result<(), B64Error> {
        if self.count == 2 {
            return Err(B64Error::InvalidCharacter {
                offset,
                character: '=',
            });
        }
        self.first.get_or_insert(offset);
        self.count += 1;
        Ok(())
    }

    /// Refuses data after padding, blaming the first `=`.
    pub(crate) fn before_data(&self) -> Result<(), B64Error> {
        match self.first {
            Some(offset) => Err(B64Error::InvalidCharacter {
                offset,
                character: '=',
            }),
            None => Ok(()),
        }
    }
}

/// A length of base64 characters that cannot end on a byte boundary.
pub(crate) fn check_length(length: usize) -> Result<(), B64Error> {
    if length % 4 == 1 {
        Err(B64Error::InvalidLength { length })
    } else {
        Ok(())
    }
}

/// Decodes base64 as it is pasted: standard or URL-safe alphabet (even mixed), padding
/// optional, white space (line wrapping, YAML indentation) and JSON-escaped `\n` ignored.
/// Being lenient costs nothing because what is decoded is read strictly next (DER, UTF-8,
/// JSON), and that says what is really wrong.
pub fn decode_lenient(text: &str) -> Result<Vec<u8>, B64Error> {
    read_lenient(text).map_err(|(_, e)| e)
}

/// [`decode_lenient`], with the byte offset of the problem: the character at fault, or for a
/// bad length the end of the last base64 character, so PEM errors can name a line.
pub(crate) fn read_lenient(text: &str) -> Result<Vec<u8>, (usize, B64Error)> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_encode_padding(false)
            .with_decode_padding_mode(DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );
    let mut clean = String::with_capacity(text.len());
    let mut padding = Padding::default();
    let mut end = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let data = match c {
            c if c.is_whitespace() => continue,
            '\\' if matches!(chars.peek(), Some((_, 'n' | 'r'))) => {
                chars.next();
                continue;
            }
            '=' => {
                padding.add(at).map_err(|e| (at, e))?;
                None
            }
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' => Some(c),
            '-' => Some('+'),
            '_' => Some('/'),
            character => {
                let e = B64Error::InvalidCharacter {
                    offset: at,
                    character,
                };
                return Err((at, e));
            }
        };
        if let Some(data) = data {
            padding
                .before_data()
                .map_err(|e| (padding.first.unwrap_or(at), e))?;
            clean.push(data);
        }
        end = at + c.len_utf8();
    }
    let length = clean.len();
    check_length(length).map_err(|e| (end, e))?;
    LENIENT
        .decode(clean)
        .map_err(|_| (end, B64Error::InvalidLength { length }))
}

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
    fn base64_is_lenient_where_it_is_safe() {
        let ok = |text: &str, bytes: &[u8]| assert_eq!(read_lenient(text), Ok(bytes.to_vec()));
        ok("aGk=", b"hi");
        ok("aGk", b"hi");
        ok(" a G\n k =\r\n", b"hi");
        ok("aG\nk=\n", b"hi");
        ok("aGk\\n", b"hi");
        ok("-_8", &[0xfb, 0xff]);
        ok("+/8=", &[0xfb, 0xff]);
        ok("", b"");
        let bad = |offset, character| (offset, B64Error::InvalidCharacter { offset, character });
        // Misplaced padding is to blame, not the letter after it.
        assert_eq!(read_lenient("aG=k"), Err(bad(2, '=')));
        assert_eq!(read_lenient("aGk=\naGk="), Err(bad(3, '=')));
        assert_eq!(read_lenient("aGk==="), Err(bad(5, '=')));
        assert_eq!(read_lenient("ab\n!c"), Err(bad(3, '!')));
        // Offsets are bytes: here the same as characters, since only white space may be
        // anything but ASCII before the character at fault.
        assert_eq!(read_lenient("é"), Err(bad(0, 'é')));
        assert_eq!(read_lenient("a\u{a0}b!"), Err(bad(4, '!')));
        assert_eq!(
            read_lenient("aGkab \n"),
            Err((5, B64Error::InvalidLength { length: 5 }))
        );
        assert_eq!(
            decode_lenient("aGkab").unwrap_err().to_string(),
            "5 characters is not a possible base64 length (one is missing or extra)"
        );
    }

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
