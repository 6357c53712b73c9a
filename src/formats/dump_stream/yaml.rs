//! The YAML side of the splitter: lines, classified by their first bytes. `---` and `...`
//! at the start of a line end a document; `items:` at the start of a line, followed by lines
//! starting with `- ` at one indentation, is a list whose entries are handed out one by one,
//! each as the sequence of one entry it is written as; a document that starts with `- ` is a
//! top-level sequence, read the same way. Everything else is held as the document's text.
//! Only the line being read is carried across chunks.

use super::{room, text_of, DumpError, Format, Piece, PieceKind};

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
}

/// Spaces before the first other byte, and what follows them without the line break.
fn indent(line: &[u8]) -> (usize, &[u8]) {
    let content = line.strip_suffix(b"\n").unwrap_or(line);
    let content = content.strip_suffix(b"\r").unwrap_or(content);
    let spaces = content.iter().take_while(|&&b| b == b' ').count();
    (spaces, content.get(spaces..).unwrap_or(&[]))
}

fn blank_or_comment(rest: &[u8]) -> bool {
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
fn dash(rest: &[u8]) -> bool {
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
    pub(super) fn new(line: usize) -> Scanner {
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
                    return Ok(self.append_item(line)?);
                }
                if spaces == at && dash(rest) {
                    self.end_item(sink)?;
                    return Ok(self.start_item(line, number)?);
                }
                self.end_item(sink)?;
                self.mode = Mode::Top;
                if self.sequence {
                    return Err(DumpError::Yaml {
                        line: number,
                        message: "a line outside the top-level list's `- ` entries".to_string(),
                    }
                    .into());
                }
                self.top(line, spaces, rest)
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
                self.top(line, spaces, rest)
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
                self.top(line, spaces, rest)
            }
        }
    }

    fn top<E: From<DumpError>>(
        &mut self,
        line: &[u8],
        spaces: usize,
        rest: &[u8],
    ) -> Result<(), E> {
        if !blank_or_comment(rest) {
            self.content = true;
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
        self.append_item(line)
    }

    fn end_item<E: From<DumpError>>(
        &mut self,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if !self.in_item {
            return Ok(());
        }
        self.in_item = false;
        let text = text_of(&self.item, self.item_line)?;
        sink(Piece {
            kind: PieceKind::Item(self.items),
            document: self.documents + 1,
            text,
            format: Format::Yaml,
            line: self.item_line,
            column: 1,
        })?;
        self.item.clear();
        Ok(())
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
            self.emit_doc(PieceKind::Whole, sink)?;
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
        Ok(())
    }

    fn emit_doc<E: From<DumpError>>(
        &mut self,
        kind: PieceKind,
        sink: &mut dyn FnMut(Piece<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let text = text_of(&self.doc, self.doc_line)?;
        sink(Piece {
            kind,
            document: self.documents + 1,
            text,
            format: Format::Yaml,
            line: self.doc_line,
            column: 1,
        })
    }

    fn emit_text<E: From<DumpError>>(
        &mut self,
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
        })
    }
}
