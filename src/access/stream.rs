//! Cluster RBAC read from a file chunk by chunk: each object goes through the same lenient
//! reader and the same settling (repeats, aggregation, notes) as a paste, so a dump of any
//! size up to [`MAX_STREAM_BYTES`](crate::formats::dump_stream::MAX_STREAM_BYTES) gives the policy the
//! whole-text [`parse`](super::parse) would, while only one object is held as text at a time.

use super::escalation::Objects;
use super::model::Policy;
use super::parse::{settle, walk, walk_with_rules, ParseError};
use super::read::{ReadRules, Reader};
use crate::formats::dump_stream::{
    grouped, lone_document_label, Gather, Gathered, Piece, PieceError, PieceKind, Split, Splitter,
    StreamError,
};

/// `rules:` entries a YAML role's parts hold: about 20 KiB of kubectl's YAML, a few
/// milliseconds to parse, so the chunk that ends a role of 46,000 rules parses its last part
/// and the role's other keys, not the 4 MB of the whole role. A role of no more rules is
/// parsed whole.
pub const RULES_PER_PART: usize = 256;

/// An RBAC dump being read: [`PolicyStream::feed`] each chunk, then [`PolicyStream::finish`].
pub struct PolicyStream {
    splitter: Splitter,
    /// A big role's rules, parsed a part at a time...
    gather: Gather,
    /// ...and read into rules as each part comes.
    rules: ReadRules,
    reader: Reader,
    /// The highest document number seen.
    documents: usize,
    /// Objects read (of any kind).
    objects: usize,
    /// The ServiceAccounts, token Secrets and workloads among them, for Escalation: read from
    /// the values parsed for the policy, not parsed again.
    others: Objects,
    /// The policy, once [`PolicyStream::settle`] ended the dump ahead of [`PolicyStream::finish`].
    settled: Option<Result<Policy, StreamError<ParseError>>>,
    /// [`PolicyStream::counts`] when it was settled.
    counted: (usize, usize),
}

impl Default for PolicyStream {
    fn default() -> Self {
        PolicyStream::with_rule_parts(RULES_PER_PART)
    }
}

impl PolicyStream {
    /// A reader that parses a YAML role's `rules:` `entries` at a time as they arrive (0: each
    /// object whole, when its last byte arrives). Both read the same policy, or fail alike.
    pub fn with_rule_parts(entries: usize) -> PolicyStream {
        PolicyStream {
            splitter: Splitter::with_rule_parts(entries),
            gather: Gather::handing_out(),
            rules: ReadRules::default(),
            reader: Reader::default(),
            documents: 0,
            objects: 0,
            others: Objects::default(),
            settled: None,
            counted: (0, 0),
        }
    }
}

impl PolicyStream {
    /// A reader that has read nothing.
    pub fn new() -> PolicyStream {
        PolicyStream::default()
    }

    /// Bytes of YAML and JSON text parsed so far (parts, objects, and objects parsed whole
    /// after their parts), for the counted-work tests.
    pub fn parsed(&self) -> u64 {
        self.gather.parsed
    }

    /// Reads one chunk: every object it completes is read at once, and only the object still
    /// incomplete at its end is kept as text.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), StreamError<ParseError>> {
        let (splitter, mut sink) = self.split();
        splitter
            .feed(chunk, &mut sink)
            .map_err(StreamError::into_reader)
    }

    /// The splitter, and what takes each piece it splits off: the rest of the reader.
    fn split(
        &mut self,
    ) -> (
        &mut Splitter,
        impl FnMut(Piece<'_>) -> Result<(), StreamError<PieceError>> + '_,
    ) {
        let PolicyStream {
            splitter,
            gather,
            rules,
            reader,
            documents,
            objects,
            others,
            ..
        } = self;
        let sink = move |piece: Piece<'_>| {
            take(
                (gather, rules),
                (reader, others),
                documents,
                objects,
                &piece,
            )
        };
        (splitter, sink)
    }

    /// The splitter: bytes read, bytes held and work done so far, for progress and tests.
    pub fn splitter(&self) -> &Splitter {
        &self.splitter
    }

    /// Roles and bindings read so far (repeats included), and objects of every kind.
    pub fn counts(&self) -> (usize, usize) {
        if self.settled.is_some() {
            return self.counted;
        }
        (
            self.reader.roles.len() + self.reader.bindings.len(),
            self.objects,
        )
    }

    /// What was read so far, for the field: "2,712 roles and bindings".
    pub fn summary(&self) -> String {
        let (rbac, objects) = self.counts();
        let noun = if rbac == 1 {
            "role or binding"
        } else {
            "roles and bindings"
        };
        if objects > rbac {
            format!("{} {noun} of {} objects", grouped(rbac), grouped(objects))
        } else {
            format!("{} {noun}", grouped(rbac))
        }
    }

    /// Ends the dump now, and keeps the policy for [`PolicyStream::finish`]: settling a big
    /// dump (its repeats sorted out, ClusterRoles aggregated, roles indexed) is the longest
    /// step, and a page runs it in a task before the one that draws the answer.
    pub fn settle(&mut self) {
        if self.settled.is_none() {
            let counted = self.counts();
            let mut stream = std::mem::take(self);
            let policy = stream.finish_reading();
            self.others = std::mem::take(&mut stream.others);
            self.settled = Some(policy);
            self.counted = counted;
        }
    }

    /// [`PolicyStream::finish`], and the dump's ServiceAccounts, token Secrets and workloads,
    /// as [`crate::access::escalation::read_objects`] reads them from the same text.
    pub fn finish_with_objects(mut self) -> (Result<Policy, StreamError<ParseError>>, Objects) {
        let policy = self.finish_reading();
        (policy, self.others)
    }

    /// Ends the dump: the policy, as [`parse`](super::parse) gives it for the same text.
    pub fn finish(mut self) -> Result<Policy, StreamError<ParseError>> {
        self.finish_reading()
    }

    /// [`PolicyStream::finish`], leaving the objects read.
    fn finish_reading(&mut self) -> Result<Policy, StreamError<ParseError>> {
        if let Some(settled) = self.settled.take() {
            return settled;
        }
        {
            let (splitter, mut sink) = self.split();
            splitter
                .finish(&mut sink)
                .map_err(StreamError::into_reader)?;
        }
        if self.documents == 0 {
            return Err(StreamError::Read(ParseError::Empty));
        }
        let mut reader = std::mem::take(&mut self.reader);
        if self.documents == 1 {
            for note in &mut reader.notes {
                lone_document_label(&mut note.at);
            }
            for (at, _) in reader.role_read.iter_mut().chain(&mut reader.binding_read) {
                lone_document_label(at);
            }
        }
        settle(reader).map_err(StreamError::Read)
    }
}

/// Reads one piece. A list's head and end hold no object (their `items` are empty); a part of
/// a role's rules is kept until the role ends.
fn take(
    (gather, rules): (&mut Gather, &mut ReadRules),
    (reader, others): (&mut Reader, &mut Objects),
    documents: &mut usize,
    objects: &mut usize,
    piece: &Piece<'_>,
) -> Result<(), StreamError<PieceError>> {
    *documents = (*documents).max(piece.document);
    if let Split::Rules(part) = piece.split {
        if part == 1 {
            *rules = ReadRules::default();
        }
        if let Some(entries) = gather.part(piece) {
            entries.iter().for_each(|entry| rules.read(entry));
        }
        return Ok(());
    }
    let at = match piece.kind {
        PieceKind::ListHead | PieceKind::ListEnd => return Ok(()),
        PieceKind::Item(i) => format!("document {}, item {i}", piece.document),
        PieceKind::Whole => format!("document {}", piece.document),
    };
    let gathered = gather.object(piece).map_err(StreamError::Read)?;
    *objects += 1;
    let read = std::mem::take(rules);
    match gathered {
        Gathered::Rest(value) => walk_with_rules(reader, at, &value, read),
        Gathered::Whole(value) => {
            others.walk(&value);
            walk(reader, at, &value)
        }
    }
    Ok(())
}
