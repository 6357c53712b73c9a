//! The JSON side of the splitter: one pass of a small state machine over the bytes (strings,
//! escapes, a stack of open brackets), which notices a top-level object's `items` array and
//! hands out each of its entries as it closes. Bytes are copied into the item or the
//! document's keys as they pass; nothing is scanned twice.

use super::{room, text_of, DumpError, Format, Piece, PieceKind, Split, MAX_DEPTH};

/// How far a key at the top of the document matches `items`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    /// This many bytes of `items` so far.
    Matching(usize),
    /// Anything else (including an escape: `\u0069tems` is left to the whole document).
    Other,
}

/// What the item being read is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Item {
    None,
    /// An object or array.
    Container,
    /// A string.
    Str,
    /// A number, `true`, `false` or `null`.
    Bare,
}

const ITEMS: &[u8] = b"items";

/// The length of a string's text before its closing quote, a raw newline, or an escape the
/// chunk cuts in two; escapes inside it are skipped whole.
fn string_run(bytes: &[u8]) -> usize {
    let mut j = 0;
    while let Some(&c) = bytes.get(j) {
        match c {
            b'"' | b'\n' => return j,
            b'\\' if j + 1 < bytes.len() => j += 2,
            b'\\' => return j,
            _ => j += 1,
        }
    }
    j
}

/// The length of an object's insides before a quote or bracket, the newlines in it and where
/// the last one is.
fn structure_run(bytes: &[u8]) -> (usize, usize, usize) {
    let (mut newlines, mut last) = (0, 0);
    let mut j = 0;
    while let Some(&c) = bytes.get(j) {
        match c {
            b'"' | b'{' | b'}' | b'[' | b']' => break,
            b'\n' => {
                newlines += 1;
                last = j;
            }
            _ => {}
        }
        j += 1;
    }
    (j, newlines, last)
}

pub(super) struct Scanner {
    pub(super) work: u64,
    /// The open brackets, `{` or `[`.
    stack: Vec<u8>,
    in_string: bool,
    escape: bool,
    /// The line of the byte being read, from 1, and the offset its line starts at.
    line: usize,
    line_start: u64,
    /// The offset in the dump of the byte being read.
    offset: u64,
    /// The offset of the current chunk's first byte.
    base: u64,
    /// The document being read, from 1; 0 before the first.
    document: usize,
    in_doc: bool,
    /// The document's text outside its list's items.
    doc: Vec<u8>,
    doc_at: (usize, usize),
    /// The item being read.
    item: Vec<u8>,
    item_at: (usize, usize),
    item_kind: Item,
    /// Items of this document so far.
    items: usize,
    /// The depth of the list being streamed: 1 for a top-level array, 2 for `items`.
    list_depth: Option<usize>,
    /// This document streamed a list.
    listed: bool,
    /// At the top of an object, the next string is a key.
    expect_key: bool,
    in_key: bool,
    key: Key,
    /// The key just read was `items` and its `:` came: the next value may be the list.
    items_next: bool,
}

impl Scanner {
    pub(super) fn new(line: usize) -> Scanner {
        Scanner {
            work: 0,
            stack: Vec::new(),
            in_string: false,
            escape: false,
            line,
            line_start: 0,
            offset: 0,
            base: 0,
            document: 0,
            in_doc: false,
            doc: Vec::new(),
            doc_at: (line, 1),
            item: Vec::new(),
            item_at: (line, 1),
            item_kind: Item::None,
            items: 0,
            list_depth: None,
            listed: false,
            expect_key: false,
            in_key: false,
            key: Key::Other,
            items_next: false,
        }
    }

    pub(super) fn carried(&self) -> usize {
        self.doc.len() + self.item.len()
    }

    pub(super) fn feed<E: From<DumpError>>(
        &mut self,
        chunk: &[u8],
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut i = 0;
        while let Some(&b) = chunk.get(i) {
            // Runs where no byte but a stop byte matters are copied whole: a string's text up
            // to its quote (escapes skipped two bytes at a time), and an object's insides up to
            // a quote or bracket (newlines counted on the way).
            let rest = chunk.get(i..).unwrap_or(&[]);
            let run = if self.in_string && !self.in_key && !self.escape {
                string_run(rest)
            } else if !self.in_string && self.deep() {
                let (run, newlines, last) = structure_run(rest);
                if newlines > 0 {
                    self.line += newlines;
                    self.line_start = self.base + (i + last) as u64 + 1;
                }
                run
            } else {
                0
            };
            if run > 0 {
                self.work += run as u64;
                self.push_slice(rest.get(..run).unwrap_or(&[]))?;
                i += run;
                continue;
            }
            self.work += 1;
            self.offset = self.base + i as u64;
            self.byte(b, sink)?;
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.offset + 1;
            }
            i += 1;
        }
        self.base += chunk.len() as u64;
        Ok(())
    }

    /// Inside an object or array below the levels where commas, colons and keys matter.
    fn deep(&self) -> bool {
        self.stack.len() >= 2 && !self.at_list_level()
    }

    fn column(&self) -> usize {
        usize::try_from(self.offset - self.line_start + 1).unwrap_or(usize::MAX)
    }

    pub(super) fn finish<E: From<DumpError>>(
        &mut self,
        _sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.in_doc || self.in_string {
            return Err(DumpError::Truncated { line: self.line }.into());
        }
        Ok(())
    }

    fn error(&self, message: impl Into<String>) -> DumpError {
        DumpError::Json {
            line: self.line,
            column: self.column(),
            message: message.into(),
        }
    }

    fn at_list_level(&self) -> bool {
        self.list_depth == Some(self.stack.len())
    }

    /// At the top level of an object document, outside any item.
    fn at_top_of_object(&self) -> bool {
        self.stack.len() == 1 && self.stack.last() == Some(&b'{')
    }

    fn push_slice(&mut self, bytes: &[u8]) -> Result<(), DumpError> {
        self.work += bytes.len() as u64;
        if self.item_kind != Item::None {
            room(
                self.item.len(),
                bytes.len(),
                self.document,
                Some(self.items),
            )?;
            self.item.extend_from_slice(bytes);
        } else if self.in_doc {
            room(self.doc.len(), bytes.len(), self.document, None)?;
            self.doc.extend_from_slice(bytes);
        }
        Ok(())
    }

    fn push(&mut self, b: u8) -> Result<(), DumpError> {
        self.work += 1;
        if self.item_kind != Item::None {
            room(self.item.len(), 1, self.document, Some(self.items))?;
            self.item.push(b);
        } else if self.in_doc {
            room(self.doc.len(), 1, self.document, None)?;
            self.doc.push(b);
        }
        Ok(())
    }

    fn byte<E: From<DumpError>>(
        &mut self,
        b: u8,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.in_string {
            self.push(b)?;
            if self.escape {
                self.escape = false;
            } else if b == b'\\' {
                self.escape = true;
                if self.in_key {
                    self.key = Key::Other;
                }
            } else if b == b'"' {
                self.in_string = false;
                if self.in_key {
                    self.in_key = false;
                    self.expect_key = false;
                    self.key = match self.key {
                        Key::Matching(n) if n == ITEMS.len() => Key::Matching(n),
                        _ => Key::Other,
                    };
                } else if self.item_kind == Item::Str && self.at_list_level() {
                    self.end_item(sink)?;
                }
            } else if self.in_key {
                self.key = match self.key {
                    Key::Matching(n) if ITEMS.get(n) == Some(&b) => Key::Matching(n + 1),
                    _ => Key::Other,
                };
            }
            return Ok(());
        }
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                if self.item_kind == Item::Bare && self.at_list_level() {
                    self.end_item(sink)?;
                } else if self.item_kind != Item::None || !self.at_list_level() {
                    self.push(b)?;
                }
            }
            b'"' => {
                if !self.in_doc {
                    return Err(self.error("a string outside any object").into());
                }
                if self.at_list_level() && self.item_kind == Item::None {
                    self.start_item(Item::Str);
                } else if self.at_top_of_object() && self.item_kind == Item::None {
                    self.items_next = false;
                    if self.expect_key {
                        self.in_key = true;
                        self.key = Key::Matching(0);
                    }
                }
                self.in_string = true;
                self.push(b)?;
            }
            b'{' | b'[' => self.open(b, sink)?,
            b'}' | b']' => self.close(b, sink)?,
            b',' => {
                if self.item_kind == Item::Bare && self.at_list_level() {
                    self.end_item(sink)?;
                } else if !(self.at_list_level() && self.item_kind == Item::None) {
                    if self.at_top_of_object() {
                        self.expect_key = true;
                        self.items_next = false;
                    }
                    self.push(b)?;
                }
            }
            b':' => {
                if self.at_top_of_object() {
                    self.items_next = self.key == Key::Matching(ITEMS.len());
                    self.key = Key::Other;
                }
                self.push(b)?;
            }
            _ => {
                if !self.in_doc {
                    return Err(self
                        .error(format!(
                            "{:?} outside any object; a dump is objects or lists of them",
                            char::from(b)
                        ))
                        .into());
                }
                if self.at_list_level() && self.item_kind == Item::None {
                    self.start_item(Item::Bare);
                } else if self.at_top_of_object() {
                    self.items_next = false;
                }
                self.push(b)?;
            }
        }
        Ok(())
    }

    fn open<E: From<DumpError>>(
        &mut self,
        b: u8,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if !self.in_doc {
            self.document += 1;
            self.items = 0;
            self.in_doc = true;
            self.listed = b == b'[';
            self.doc.clear();
            self.doc_at = (self.line, self.column());
            self.stack.push(b);
            if b == b'[' {
                self.list_depth = Some(1);
                return self.emit(PieceKind::ListHead, sink, "[]");
            }
            self.expect_key = true;
            return Ok(self.push(b)?);
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(DumpError::TooDeep { limit: MAX_DEPTH }.into());
        }
        if self.at_list_level() && self.item_kind == Item::None {
            self.start_item(Item::Container);
        } else if self.at_top_of_object() && self.item_kind == Item::None {
            let list = b == b'[' && self.items_next && !self.listed;
            self.items_next = false;
            if list {
                self.push(b)?;
                self.stack.push(b);
                self.list_depth = Some(2);
                self.listed = true;
                self.doc.extend_from_slice(b"]}");
                let result = self.emit_doc(PieceKind::ListHead, sink);
                self.doc.truncate(self.doc.len().saturating_sub(2));
                return result;
            }
        }
        self.stack.push(b);
        Ok(self.push(b)?)
    }

    fn close<E: From<DumpError>>(
        &mut self,
        b: u8,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let want = if b == b'}' { b'{' } else { b'[' };
        match self.stack.pop() {
            Some(open) if open == want => {}
            Some(_) => {
                return Err(self
                    .error(format!(
                        "{:?} closes the other kind of bracket",
                        char::from(b)
                    ))
                    .into())
            }
            None => {
                return Err(self
                    .error(format!("{:?} closes nothing", char::from(b)))
                    .into())
            }
        }
        let depth = self.stack.len();
        if self.list_depth == Some(depth + 1) {
            // The streamed list ends.
            if self.item_kind == Item::Bare {
                self.end_item(sink)?;
            }
            self.list_depth = None;
            if depth == 0 {
                self.in_doc = false;
                return self.emit(PieceKind::ListEnd, sink, "[]");
            }
            return Ok(self.push(b)?);
        }
        self.push(b)?;
        if self.item_kind == Item::Container && self.list_depth == Some(depth) {
            self.end_item(sink)?;
        }
        if depth == 0 {
            self.in_doc = false;
            let kind = if self.listed {
                PieceKind::ListEnd
            } else {
                PieceKind::Whole
            };
            self.emit_doc(kind, sink)?;
            self.doc.clear();
        }
        Ok(())
    }

    fn start_item(&mut self, kind: Item) {
        self.items += 1;
        self.item.clear();
        self.item_kind = kind;
        self.item_at = (self.line, self.column());
    }

    fn end_item<E: From<DumpError>>(
        &mut self,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.item_kind = Item::None;
        let (line, column) = self.item_at;
        let text = text_of(&self.item, line)?;
        sink(Piece {
            kind: PieceKind::Item(self.items),
            document: self.document,
            text,
            format: Format::Json,
            line,
            column,
            split: Split::Entire,
        })?;
        self.item.clear();
        Ok(())
    }

    fn emit_doc<E: From<DumpError>>(
        &mut self,
        kind: PieceKind,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let text = text_of(&self.doc, self.doc_at.0)?;
        self.emit(kind, sink, text)
    }

    fn emit<E: From<DumpError>>(
        &self,
        kind: PieceKind,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
        text: &str,
    ) -> Result<(), E> {
        let (line, column) = self.doc_at;
        sink(Piece {
            kind,
            document: self.document,
            text,
            format: Format::Json,
            line,
            column,
            split: Split::Entire,
        })
    }
}
