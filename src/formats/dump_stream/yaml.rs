//! The YAML side of the splitter: lines, classified by their first bytes. `---` and `...`
//! at the start of a line end a document; `items:` at the start of a line, followed by lines
//! starting with `- ` at one indentation, is a list whose entries are handed out one by one,
//! each as the sequence of one entry it is written as; a document that starts with `- ` is a
//! top-level sequence, read the same way. Everything else is held as the document's text.
//! Only the line being read is carried across chunks.

use super::rule_parts::{Part, RuleParts};
use super::{room, text_of, DumpError, Format, Piece, PieceKind, Split};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The document's own lines.
    Top,
    /// After a top-level `items:` line (at this offset of the document's text), before the
    /// first line that says whether a block sequence follows.
    ItemsKey(usize),
    /// Inside a list whose dashes stand at this indentation.
    List(usize),
}

pub(super) struct Scanner {
    pub(super) work: u64,
    /// The line being read, when a chunk ended inside it.
    partial: Vec<u8>,
    /// The line number of the next complete line, from 1.
    line: usize,
    mode: Mode,
    /// Documents with content handed out so far.
    documents: usize,
    /// The current document has content (not only blank lines, comments and markers).
    content: bool,
    /// The current document is a bare sequence (`- ` at its start).
    sequence: bool,
    listed: bool,
    doc: Vec<u8>,
    doc_line: usize,
    item: Vec<u8>,
    item_line: usize,
    in_item: bool,
    items: usize,
    /// The `rules:` entries of the object being read (the item, or else the document).
    rules: RuleParts,
}

/// Spaces before the first other byte, and what follows them without the line break.
fn indent(line: &[u8]) -> (usize, &[u8]) {
    let content = line.strip_suffix(b"\n").unwrap_or(line);
    let content = content.strip_suffix(b"\r").unwrap_or(content);
    let spaces = content.iter().take_while(|&&b| b == b' ').count();
    (spaces, content.get(spaces..).unwrap_or(&[]))
}

pub(super) fn blank_or_comment(rest: &[u8]) -> bool {
    let rest = trim_start(rest);
    rest.is_empty() || rest.first() == Some(&b'#')
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let n = bytes
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    bytes.get(n..).unwrap_or(&[])
}

/// `- …` or a lone `-`: an entry of a block sequence.
pub(super) fn dash(rest: &[u8]) -> bool {
    match rest {
        [b'-'] => true,
        [b'-', next, ..] => *next == b' ' || *next == b'\t',
        _ => false,
    }
}

/// `---` or `...` (alone or before a space): a document marker.
fn marker(rest: &[u8], mark: &[u8]) -> bool {
    rest.strip_prefix(mark).is_some_and(|after| {
        after.is_empty() || after.first().is_some_and(|b| *b == b' ' || *b == b'\t')
    })
}

impl Scanner {
    /// A scanner whose objects' `rules:` entries are handed out `per_part` at a time (0: not).
    pub(super) fn new(line: usize, per_part: usize) -> Scanner {
        let mut rules = RuleParts::new(per_part);
        rules.start(Some(0));
        Scanner {
            work: 0,
            partial: Vec::new(),
            line,
            mode: Mode::Top,
            documents: 0,
            content: false,
            sequence: false,
            listed: false,
            doc: Vec::new(),
            doc_line: line,
            item: Vec::new(),
            item_line: line,
            in_item: false,
            items: 0,
            rules,
        }
    }

    pub(super) fn carried(&self) -> usize {
        self.partial.len() + self.doc.len() + self.item.len()
    }

    pub(super) fn feed<E: From<DumpError>>(
        &mut self,
        chunk: &[u8],
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rest = chunk;
        while !rest.is_empty() {
            let end = rest.iter().position(|&b| b == b'\n');
            self.work += end.map_or(rest.len(), |e| e + 1) as u64;
            let Some(end) = end else {
                room(
                    self.partial.len(),
                    rest.len(),
                    self.documents + 1,
                    self.item_number(),
                )?;
                self.partial.extend_from_slice(rest);
                return Ok(());
            };
            let (line, after) = rest.split_at(end + 1);
            rest = after;
            if self.partial.is_empty() {
                self.line_in(line, sink)?;
            } else {
                room(
                    self.partial.len(),
                    line.len(),
                    self.documents + 1,
                    self.item_number(),
                )?;
                let mut whole = std::mem::take(&mut self.partial);
                whole.extend_from_slice(line);
                self.work += whole.len() as u64;
                let result = self.line_in(&whole, sink);
                whole.clear();
                self.partial = whole;
                result?;
            }
        }
        Ok(())
    }

    pub(super) fn finish<E: From<DumpError>>(
        &mut self,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if !self.partial.is_empty() {
            let last = std::mem::take(&mut self.partial);
            self.line_in(&last, sink)?;
        }
        self.end_document(sink)
    }

    fn item_number(&self) -> Option<usize> {
        self.in_item.then_some(self.items)
    }

    fn line_in<E: From<DumpError>>(
        &mut self,
        line: &[u8],
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let number = self.line;
        self.line += 1;
        let (spaces, rest) = indent(line);
        self.work += (spaces + rest.len().min(8)) as u64;
        if spaces == 0 && (marker(rest, b"---") || marker(rest, b"...")) {
            self.end_document(sink)?;
            self.doc_line = number;
            self.rules.start(Some(0));
            if marker(rest, b"---") {
                // Kept: `--- ` may carry the document's content on the same line.
                self.content = !blank_or_comment(rest.get(3..).unwrap_or(&[]));
                self.append_doc(line)?;
            }
            return Ok(());
        }
        match self.mode {
            Mode::List(at) => {
                let inside = spaces > at || blank_or_comment(rest);
                if inside {
                    if self.in_item {
                        let part = self.rules.line(spaces, rest, self.item.len(), number);
                        self.emit_part(part, sink)?;
                    }
                    return Ok(self.append_item(line)?);
                }
                if spaces == at && dash(rest) {
                    self.end_item(sink)?;
                    return Ok(self.start_item(line, number)?);
                }
                self.end_item(sink)?;
                self.mode = Mode::Top;
                self.rules.start(Some(0));
                if self.sequence {
                    return Err(DumpError::Yaml {
                        line: number,
                        message: "a line outside the top-level list's `- ` entries".to_string(),
                    }
                    .into());
                }
                self.top(line, spaces, rest, number, sink)
            }
            Mode::ItemsKey(offset) => {
                if blank_or_comment(rest) {
                    return Ok(self.append_doc(line)?);
                }
                if dash(rest) {
                    self.doc.truncate(offset);
                    self.append_doc(b"items: []\n")?;
                    self.mode = Mode::List(spaces);
                    self.listed = true;
                    self.emit_doc(PieceKind::ListHead, sink)?;
                    return Ok(self.start_item(line, number)?);
                }
                self.mode = Mode::Top;
                self.top(line, spaces, rest, number, sink)
            }
            Mode::Top => {
                if spaces == 0 && !self.content && !self.listed && dash(rest) {
                    self.content = true;
                    self.sequence = true;
                    self.listed = true;
                    self.mode = Mode::List(0);
                    self.emit_text(PieceKind::ListHead, "[]", sink)?;
                    return Ok(self.start_item(line, number)?);
                }
                self.top(line, spaces, rest, number, sink)
            }
        }
    }

    fn top<E: From<DumpError>>(
        &mut self,
        line: &[u8],
        spaces: usize,
        rest: &[u8],
        number: usize,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if !blank_or_comment(rest) {
            self.content = true;
        }
        if !self.listed {
            let part = self.rules.line(spaces, rest, self.doc.len(), number);
            self.emit_part(part, sink)?;
        }
        if spaces == 0 && !self.listed {
            if let Some(after) = rest.strip_prefix(b"items:") {
                if blank_or_comment(after) {
                    self.mode = Mode::ItemsKey(self.doc.len());
                }
            }
        }
        Ok(self.append_doc(line)?)
    }

    fn append_doc(&mut self, line: &[u8]) -> Result<(), DumpError> {
        self.work += line.len() as u64;
        room(self.doc.len(), line.len(), self.documents + 1, None)?;
        self.doc.extend_from_slice(line);
        Ok(())
    }

    fn append_item(&mut self, line: &[u8]) -> Result<(), DumpError> {
        if !self.in_item {
            return Ok(());
        }
        self.work += line.len() as u64;
        room(
            self.item.len(),
            line.len(),
            self.documents + 1,
            Some(self.items),
        )?;
        self.item.extend_from_slice(line);
        Ok(())
    }

    fn start_item(&mut self, line: &[u8], number: usize) -> Result<(), DumpError> {
        self.items += 1;
        self.in_item = true;
        self.item.clear();
        self.item_line = number;
        // The item's keys stand where the text after its dash starts (`- kind: …`), or, after
        // a lone dash, where its next line with content starts.
        let (spaces, rest) = indent(line);
        let after = rest.get(1..).unwrap_or(&[]);
        let gap = after.iter().take_while(|&&b| b == b' ').count();
        let first = after.get(gap..).unwrap_or(&[]);
        if blank_or_comment(first) {
            self.rules.start(None);
        } else {
            let keys = spaces + 1 + gap;
            self.rules.start(Some(keys));
            // The first key cannot end a part: none has begun.
            let _ = self.rules.line(keys, first, 0, number);
        }
        self.append_item(line)
    }

    /// Hands out a part of the object's `rules:` entries, from the item's buffer when an item
    /// is being read, else from the document's.
    fn emit_part<E: From<DumpError>>(
        &mut self,
        part: Option<Part>,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(part) = part else {
            return Ok(());
        };
        let (buffer, kind) = if self.in_item {
            (&self.item, PieceKind::Item(self.items))
        } else {
            (&self.doc, PieceKind::Whole)
        };
        let bytes = buffer.get(part.start..part.end).unwrap_or(&[]);
        let text = text_of(bytes, part.line)?;
        sink(Piece {
            kind,
            document: self.documents + 1,
            text,
            format: Format::Yaml,
            line: part.line,
            column: 1,
            split: Split::Rules(self.rules.parts),
        })
    }

    /// The object's text without the entries handed out in parts, when they were: what the
    /// reader parses for the object's other keys. Copies the object's text once, at its end.
    fn rest_of(&mut self, whole: &[u8]) -> Option<Vec<u8>> {
        let (start, end) = self.rules.span()?;
        let mut rest = Vec::with_capacity(whole.len().saturating_sub(end - start));
        rest.extend_from_slice(whole.get(..start)?);
        rest.extend_from_slice(whole.get(end..)?);
        self.work += rest.len() as u64;
        Some(rest)
    }

    fn end_item<E: From<DumpError>>(
        &mut self,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if !self.in_item {
            return Ok(());
        }
        let part = self.rules.end(self.item.len());
        self.emit_part(part, sink)?;
        self.in_item = false;
        let item = std::mem::take(&mut self.item);
        let rest = self.rest_of(&item);
        let result = self.emit_object(
            PieceKind::Item(self.items),
            &item,
            self.item_line,
            rest,
            sink,
        );
        self.item = item;
        self.item.clear();
        result
    }

    fn end_document<E: From<DumpError>>(
        &mut self,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.end_item(sink)?;
        if self.sequence {
            self.emit_text(PieceKind::ListEnd, "[]", sink)?;
        } else if self.listed {
            self.emit_doc(PieceKind::ListEnd, sink)?;
        } else if self.content {
            let part = self.rules.end(self.doc.len());
            self.emit_part(part, sink)?;
            let doc = std::mem::take(&mut self.doc);
            let rest = self.rest_of(&doc);
            let result = self.emit_object(PieceKind::Whole, &doc, self.doc_line, rest, sink);
            self.doc = doc;
            result?;
        }
        if self.content || self.listed {
            self.documents += 1;
        }
        self.mode = Mode::Top;
        self.content = false;
        self.sequence = false;
        self.listed = false;
        self.items = 0;
        self.doc.clear();
        self.doc_line = self.line;
        self.rules.start(Some(0));
        Ok(())
    }

    /// Hands out an object (an item, or a whole document), with its text without the `rules:`
    /// entries handed out in parts before, if they were.
    fn emit_object<E: From<DumpError>>(
        &self,
        kind: PieceKind,
        whole: &[u8],
        line: usize,
        rest: Option<Vec<u8>>,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let text = text_of(whole, line)?;
        let split = match &rest {
            Some(rest) => Split::Rest(text_of(rest, line)?),
            None => Split::Entire,
        };
        sink(Piece {
            kind,
            document: self.documents + 1,
            text,
            format: Format::Yaml,
            line,
            column: 1,
            split,
        })
    }

    fn emit_doc<E: From<DumpError>>(
        &mut self,
        kind: PieceKind,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let text = text_of(&self.doc, self.doc_line)?;
        self.emit_text(kind, text, sink)
    }

    fn emit_text<E: From<DumpError>>(
        &self,
        kind: PieceKind,
        text: &str,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        sink(Piece {
            kind,
            document: self.documents + 1,
            text,
            format: Format::Yaml,
            line: self.doc_line,
            column: 1,
            split: Split::Entire,
        })
    }
}
