//! Kubernetes object dumps read item by item from byte chunks of any size, so a dump far
//! larger than any paste is read with bounded memory and bounded work per chunk.
//!
//! A file is handed over in chunks whose boundaries fall anywhere: inside a UTF-8 sequence, a
//! string, an escape or a CRLF. [`Splitter`] scans each byte once and hands out each complete
//! object as soon as its last byte arrives, as a [`Piece`] of text; [`parse_piece`] turns a
//! piece into a `serde_json::Value` with errors placed in the whole file. It reads:
//! - a JSON `List` (`kubectl get … -o json`, pretty or minified, `items` before or after the
//!   other keys), a JSON array, JSON objects one after another (JSON lines);
//! - a YAML `List` (`kubectl get … -o yaml`: `items:` followed by `- ` entries), a top-level
//!   YAML sequence, YAML documents separated by `---`;
//! - a single object of either.
//!
//! What it holds at any time is the item being read and the document's own keys around the
//! list (each at most [`MAX_ITEM_BYTES`]), plus, for YAML, the line being read (part of one of
//! them): never more than three times [`MAX_ITEM_BYTES`], whatever the size of the dump. An
//! item over the bound is [`DumpError::ItemTooLarge`], naming the item.

mod gather;
mod json;
mod rule_parts;
mod yaml;

pub use gather::{Gather, Gathered};

use std::fmt;

use serde_json::Value;

use crate::formats::yaml::YamlError;
use crate::support::error::InputError;

/// The largest single object (or document, or a list's own keys) held: a ClusterRole of
/// 46,000 rules is 4 MB, and no real object comes near twice that.
pub const MAX_ITEM_BYTES: usize = 8 * 1024 * 1024;
/// The most bytes a stream reads in all: what the Audit page takes from a file.
pub const MAX_STREAM_BYTES: u64 = 256 * 1024 * 1024;
/// Containers nested deeper than this end the read: serde_json refuses past 128 anyway, and
/// the splitter's stack stays small under `[[[[…`.
pub const MAX_DEPTH: usize = 256;

/// How the dump is written, decided by its first non-blank byte as the whole-text readers do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Starts with `{` or `[`.
    Json,
    /// Anything else.
    Yaml,
}

/// What a piece of text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PieceKind {
    /// A document starts a list: its keys read so far, with `items` empty (`[]` for a bare
    /// array or sequence). Comes before the list's first item (JSON: when `items` opens).
    ListHead,
    /// One entry of a list, numbered from 1 within its document. A YAML item is written as a
    /// sequence of one entry; [`parse_piece`] unwraps it.
    Item(usize),
    /// The document of a list once it ended: its own keys with `items` empty.
    ListEnd,
    /// A whole document that holds no streamed list.
    Whole,
}

/// How a piece stands to its object, for a reader that asked for big objects' `rules:` in parts
/// ([`Splitter::with_rule_parts`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split<'a> {
    /// The piece is the object (or list head or end) whole.
    Entire,
    /// The text is part `n` (from 1) of the object's `rules:` entries, a block sequence of a
    /// few of them; the object itself comes after its last part.
    Rules(usize),
    /// The text is the object whole, and this is the same text without the `rules:` entries
    /// its parts held: the reader parses this and puts the parts' entries back, or, when they
    /// do not read exactly as the whole would, parses the whole.
    Rest(&'a str),
}

/// One complete piece of the dump, borrowed from the splitter until the sink returns.
#[derive(Clone, Copy, Debug)]
pub struct Piece<'a> {
    /// What it is.
    pub kind: PieceKind,
    /// The document it belongs to, from 1 (empty YAML documents are not counted, as
    /// [`crate::formats::yaml::parse_documents`] drops them).
    pub document: usize,
    /// Its text.
    pub text: &'a str,
    /// How it is written.
    pub format: Format,
    /// The line of the dump its text starts on, from 1.
    pub line: usize,
    /// The column (byte, from 1) its first line starts at.
    pub column: usize,
    /// Whether it is a part of an object's rules, or an object whose rules came in parts.
    pub split: Split<'a>,
}

/// Why a dump could not be read as a stream of objects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DumpError {
    /// More than [`MAX_STREAM_BYTES`] in all.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// One object (or a document's own keys) over [`MAX_ITEM_BYTES`].
    ItemTooLarge {
        /// The document, from 1.
        document: usize,
        /// The item within it, when it is a list's item.
        item: Option<usize>,
        /// The limit in bytes.
        limit: usize,
    },
    /// Bytes that are not UTF-8 inside a piece.
    NotUtf8 {
        /// The line the piece starts on.
        line: usize,
    },
    /// The JSON's brackets, strings or separators do not fit together.
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based byte column.
        column: usize,
        /// What was found.
        message: String,
    },
    /// The YAML's layout does not fit a list or documents.
    Yaml {
        /// 1-based line.
        line: usize,
        /// What was found.
        message: String,
    },
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The dump ends inside a string or an object: the file was cut short.
    Truncated {
        /// 1-based line where it ends.
        line: usize,
    },
    /// An earlier error ended the read; nothing more is taken.
    Stopped,
}

impl fmt::Display for DumpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DumpError::TooLarge { limit } => write!(
                f,
                "The file is over {} MiB, more than this page reads. Dump fewer namespaces or kinds: `kubectl get … -n NS -o json`.",
                limit / (1024 * 1024)
            ),
            DumpError::ItemTooLarge { document, item: Some(item), limit } => write!(
                f,
                "Item {item} of document {document} is over {} MiB; no Kubernetes object is that big. Check that the file is a `kubectl get … -o json|yaml` dump, or remove that object.",
                limit / (1024 * 1024)
            ),
            DumpError::ItemTooLarge { document, item: None, limit } => write!(
                f,
                "Document {document} is over {} MiB outside any list's items; no Kubernetes object is that big. Dump the objects as a list (`kubectl get … -o json`).",
                limit / (1024 * 1024)
            ),
            DumpError::NotUtf8 { line } => write!(
                f,
                "The object starting on line {line} holds bytes that are not UTF-8 text. Save the dump as UTF-8 (kubectl writes UTF-8)."
            ),
            DumpError::Json { line, column, message } => write!(
                f,
                "This JSON does not fit together: {message} (line {line}, column {column}). Use the whole `kubectl get … -o json` output."
            ),
            DumpError::Yaml { line, message } => write!(
                f,
                "This YAML does not fit together: {message} (line {line}). Use the whole `kubectl get … -o yaml` output."
            ),
            DumpError::TooDeep { limit } => write!(
                f,
                "The dump nests more than {limit} levels deep; no Kubernetes object does. It was not read."
            ),
            DumpError::Truncated { line } => write!(
                f,
                "The text ends inside an object (line {line}): it was cut short. Copy or save the whole output again."
            ),
            DumpError::Stopped => write!(
                f,
                "An earlier error ended reading this dump. Clear it and open the file again."
            ),
        }
    }
}

impl std::error::Error for DumpError {}

/// Where the bytes of the dump go: the splitter's state for either format.
enum State {
    /// Only whitespace so far.
    Start,
    Json(json::Scanner),
    Yaml(yaml::Scanner),
}

/// Splits a dump fed in chunks into [`Piece`]s. Feed every chunk in order, then call
/// [`Splitter::finish`]; after an error it refuses more.
pub struct Splitter {
    state: State,
    /// Newlines among the blank bytes before the first non-blank one.
    start_lines: usize,
    bytes: u64,
    failed: Option<DumpError>,
    /// Bytes looked at, for the counted-work tests: each byte of the dump a bounded number of
    /// times.
    work: u64,
    /// `rules:` entries per part for YAML objects; 0 hands out no parts.
    rule_parts: usize,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::new()
    }
}

impl Splitter {
    /// A splitter that has read nothing.
    pub fn new() -> Splitter {
        Splitter {
            state: State::Start,
            start_lines: 0,
            bytes: 0,
            failed: None,
            work: 0,
            rule_parts: 0,
        }
    }

    /// A splitter that hands out a YAML object's `rules:` entries `entries` at a time, as they
    /// arrive, before the object itself ([`Split`]): a ClusterRole of tens of thousands of
    /// rules is then parsed a part per chunk rather than whole in the chunk that ends it.
    pub fn with_rule_parts(entries: usize) -> Splitter {
        Splitter {
            rule_parts: entries,
            ..Splitter::new()
        }
    }

    /// Bytes fed so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Work done so far: bytes scanned and copied, each counted once per look.
    pub fn work(&self) -> u64 {
        self.work
            + match &self.state {
                State::Start => 0,
                State::Json(s) => s.work,
                State::Yaml(s) => s.work,
            }
    }

    /// The bytes held now (the item, the document's keys and, for YAML, the line being read):
    /// at most three times [`MAX_ITEM_BYTES`].
    pub fn carried(&self) -> usize {
        match &self.state {
            State::Start => 0,
            State::Json(s) => s.carried(),
            State::Yaml(s) => s.carried(),
        }
    }

    /// The format, once the first non-blank byte has been seen.
    pub fn format(&self) -> Option<Format> {
        match self.state {
            State::Start => None,
            State::Json(_) => Some(Format::Json),
            State::Yaml(_) => Some(Format::Yaml),
        }
    }

    /// Reads `chunk`, handing each piece it completes to `sink` in order.
    pub fn feed<E: From<DumpError>>(
        &mut self,
        chunk: &[u8],
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if let Some(e) = &self.failed {
            return Err(e.clone().into());
        }
        self.bytes = self.bytes.saturating_add(chunk.len() as u64);
        if self.bytes > MAX_STREAM_BYTES {
            return Err(self
                .fail(DumpError::TooLarge {
                    limit: MAX_STREAM_BYTES,
                })
                .into());
        }
        let mut rest = chunk;
        if let State::Start = self.state {
            let blank = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            self.work += blank as u64;
            // Leading blank lines still count for the lines of later errors.
            self.start_lines += rest.get(..blank).map_or(0, count_newlines);
            rest = rest.get(blank..).unwrap_or(&[]);
            let line = self.start_lines + 1;
            match rest.first() {
                None => return Ok(()),
                Some(b'{' | b'[') => self.state = State::Json(json::Scanner::new(line)),
                Some(_) => {
                    self.state = State::Yaml(yaml::Scanner::new(line, self.rule_parts));
                }
            }
        }
        let result = match &mut self.state {
            State::Start => Ok(()),
            State::Json(s) => s.feed(rest, sink),
            State::Yaml(s) => s.feed(rest, sink),
        };
        self.note_failure(result)
    }

    /// Ends the dump: hands out what the last bytes completed, or says the dump was cut short.
    pub fn finish<E: From<DumpError>>(
        &mut self,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if let Some(e) = &self.failed {
            return Err(e.clone().into());
        }
        let result = match &mut self.state {
            State::Start => Ok(()),
            State::Json(s) => s.finish(sink),
            State::Yaml(s) => s.finish(sink),
        };
        self.note_failure(result)
    }

    fn note_failure<E: From<DumpError>>(&mut self, result: Result<(), E>) -> Result<(), E> {
        if result.is_err() && self.failed.is_none() {
            // A sink's own error also ends the read; what it was is the caller's to keep.
            self.failed = Some(DumpError::Stopped);
        }
        result
    }

    fn fail(&mut self, e: DumpError) -> DumpError {
        self.failed = Some(e.clone());
        e
    }
}

fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Checks that a held buffer may grow by `more` bytes.
fn room(len: usize, more: usize, document: usize, item: Option<usize>) -> Result<(), DumpError> {
    if len.saturating_add(more) > MAX_ITEM_BYTES {
        Err(DumpError::ItemTooLarge {
            document,
            item,
            limit: MAX_ITEM_BYTES,
        })
    } else {
        Ok(())
    }
}

/// The text of a finished buffer, or where it stops being UTF-8.
fn text_of(bytes: &[u8], line: usize) -> Result<&str, DumpError> {
    std::str::from_utf8(bytes).map_err(|_| DumpError::NotUtf8 { line })
}

/// Why a piece did not parse, with its place in the whole dump: each reader turns it into its
/// own error, as it turns the whole text's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PieceError {
    /// JSON that does not parse.
    Json(InputError),
    /// YAML that does not parse.
    Yaml(YamlError),
}

impl PieceError {
    /// The reader's own error for it.
    pub fn into_error<E: From<InputError> + From<YamlError>>(self) -> E {
        match self {
            PieceError::Json(e) => e.into(),
            PieceError::Yaml(e) => e.into(),
        }
    }
}

/// Parses one piece into a value, with lines and columns of errors placed in the whole dump.
/// A YAML item (a sequence of one entry) gives its entry.
pub fn parse_piece(piece: &Piece<'_>) -> Result<Value, PieceError> {
    let place = |line: usize, column: usize| {
        if line <= 1 {
            (
                piece.line,
                piece.column.saturating_add(column).saturating_sub(1),
            )
        } else {
            (piece.line.saturating_add(line).saturating_sub(1), column)
        }
    };
    match piece.format {
        Format::Json => serde_json::from_str(piece.text).map_err(|e| {
            let (line, column) = place(e.line(), e.column().max(1));
            PieceError::Json(InputError::Json {
                line,
                column,
                message: crate::formats::json::message(&e),
            })
        }),
        Format::Yaml => {
            let docs = crate::formats::yaml::parse_documents(piece.text).map_err(|e| match e {
                YamlError::Parse {
                    line,
                    column,
                    message,
                } => {
                    let (line, column) = place(line, column);
                    PieceError::Yaml(YamlError::Parse {
                        line,
                        column,
                        message,
                    })
                }
                deep @ YamlError::TooDeep { .. } => PieceError::Yaml(deep),
            })?;
            let mut docs = docs.into_iter();
            let value = docs.next().unwrap_or(Value::Null);
            match (piece.kind, value) {
                (PieceKind::Item(_), Value::Array(entries)) if entries.len() == 1 => {
                    Ok(entries.into_iter().next().unwrap_or(Value::Null))
                }
                (_, value) => Ok(value),
            }
        }
    }
}

/// An incremental reader's error: the dump's layout, or what its reader found in an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamError<E> {
    /// The splitter could not read the dump as objects.
    Dump(DumpError),
    /// The reader refused what an object (or the whole dump) held.
    Read(E),
}

impl StreamError<PieceError> {
    /// The reader's own error for it. Every reader's sink fails only with a [`PieceError`], so
    /// all readers share one copy of the splitter.
    pub fn into_reader<E: From<InputError> + From<YamlError>>(self) -> StreamError<E> {
        match self {
            StreamError::Dump(e) => StreamError::Dump(e),
            StreamError::Read(e) => StreamError::Read(e.into_error()),
        }
    }
}

impl<E> From<DumpError> for StreamError<E> {
    fn from(e: DumpError) -> Self {
        StreamError::Dump(e)
    }
}

impl<E: fmt::Display> fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Dump(e) => e.fmt(f),
            StreamError::Read(e) => e.fmt(f),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for StreamError<E> {}

/// `n` with a comma between each group of three digits, as the page's summaries show counts
/// ("23,902").
pub fn grouped(n: usize) -> String {
    crate::support::chunk::thousands(u64::try_from(n).unwrap_or(u64::MAX))
}

/// The label of place `at` once the dump is known to hold a single document: the whole-text
/// readers number documents only when there are several, and call a lone one "the document".
pub fn lone_document_label(at: &mut String) {
    if let Some(rest) = at.strip_prefix("document 1, ") {
        *at = rest.to_string();
    } else if let Some(rest) = at.strip_prefix("document 1") {
        if rest.is_empty() || rest.starts_with(' ') {
            *at = format!("the document{rest}");
        }
    }
}
