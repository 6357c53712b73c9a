//! The reader's side of `rules:` handed out in parts: each part parsed as it comes, and the
//! object put back together from its other keys and the parts' entries, exactly as parsing the
//! object whole gives it.
//!
//! Exactly, because whenever that cannot be promised the object is parsed whole after all:
//! a part or the rest that does not parse, holds an anchor or an alias (which may refer
//! across parts), or whose values together come near the YAML reader's limits (the whole
//! might pass one that no part does); an object whose `rules` is not the `null` its emptied
//! key reads as. The whole then gives the same value or the same error, in the same place,
//! as before: only the time it takes differs.

use serde_json::Value;

use super::{parse_piece, Piece, PieceError, PieceKind, Split};
use crate::formats::yaml::{self, MAX_NODES};

/// Parts gathered for the object being read. Hand it every piece of a splitter made
/// [`with_rule_parts`](super::Splitter::with_rule_parts): [`Gather::part`] for a
/// [`Split::Rules`] piece, [`Gather::value`] (or [`Gather::object`]) for an object.
#[derive(Default)]
pub struct Gather {
    /// Whether the parts' entries are kept to be put back in their object, or only handed out
    /// by [`Gather::part`] to a reader that reads them as they come.
    hand_out: bool,
    /// The entries of the parts read so far, in order (the last part's, when handing out).
    entries: Vec<Value>,
    /// Values and bytes the parts built, as the YAML reader counts them.
    nodes: usize,
    bytes: usize,
    /// Parts taken for the object being read.
    parts: usize,
    /// A part could not stand for its share of the whole: the object is parsed whole.
    spoiled: bool,
    /// Bytes of text parsed in all (parts, rests and wholes), for the counted-work tests.
    pub parsed: u64,
    /// Objects put back together from their parts, for the tests.
    pub rebuilt: usize,
    /// Objects whose parts were set aside for a whole parse, for the tests.
    pub set_aside: usize,
}

/// Collections around an object's `rules:` entries in its piece: the document's mapping and
/// `rules` (and an item's one-entry sequence, [`parse_piece`]).
fn depth(kind: PieceKind) -> usize {
    match kind {
        PieceKind::Item(_) => 3,
        _ => 2,
    }
}

/// An object's value, as [`Gather::object`] gives it.
#[derive(Debug, PartialEq)]
pub enum Gathered {
    /// Parsed whole, as [`parse_piece`] gives it: the entries handed out do not count.
    Whole(Value),
    /// Put back from its rest: its `rules` holds the parts' entries, or, when they were handed
    /// out ([`Gather::handing_out`]), is `null` and they are those [`Gather::part`] gave.
    Rest(Value),
}

impl Gathered {
    /// The value.
    pub fn into_value(self) -> Value {
        match self {
            Gathered::Whole(value) | Gathered::Rest(value) => value,
        }
    }
}

impl Gather {
    /// A gatherer that holds nothing, and puts the parts' entries back in their object.
    pub fn new() -> Gather {
        Gather::default()
    }

    /// A gatherer that hands each part's entries out and keeps none: the reader reads them
    /// as they come, and the object comes back with its `rules` still `null`.
    pub fn handing_out() -> Gather {
        Gather {
            hand_out: true,
            ..Gather::default()
        }
    }

    /// Reads one part of an object's rules: its entries, unless they cannot stand for their
    /// share of the whole (then the object is parsed whole when it ends).
    pub fn part(&mut self, piece: &Piece<'_>) -> Option<&[Value]> {
        if piece.split == Split::Rules(1) {
            self.clear();
        }
        self.parts += 1;
        if self.spoiled {
            return None;
        }
        if self.hand_out {
            self.entries.clear();
        }
        self.parsed += piece.text.len() as u64;
        // The part's own sequence stands where `rules`' does.
        let read = yaml::parse_part(piece.text, depth(piece.kind).saturating_sub(1));
        self.nodes = self.nodes.saturating_add(read.work.nodes);
        self.bytes = self.bytes.saturating_add(read.work.bytes);
        let from = self.entries.len();
        match read.documents {
            Ok(docs) if !read.anchored && docs.len() == 1 => match docs.into_iter().next() {
                Some(Value::Array(entries)) => self.entries.extend(entries),
                _ => self.spoil(),
            },
            _ => self.spoil(),
        }
        if self.spoiled {
            return None;
        }
        self.entries.get(from..)
    }

    /// The value of an object (or of any other piece), its rules put back from the parts
    /// read before it when it came with its [`Split::Rest`].
    pub fn value(&mut self, piece: &Piece<'_>) -> Result<Value, PieceError> {
        self.object(piece).map(Gathered::into_value)
    }

    /// The value of an object (or of any other piece), and whether it was put back from its
    /// parts.
    pub fn object(&mut self, piece: &Piece<'_>) -> Result<Gathered, PieceError> {
        let gathered = match piece.split {
            Split::Rest(rest) if !self.spoiled && self.parts > 0 => self.rebuild(piece, rest),
            _ => None,
        };
        if gathered.is_some() {
            self.rebuilt += 1;
        } else if self.parts > 0 {
            self.set_aside += 1;
        }
        self.clear();
        match gathered {
            Some(value) => Ok(Gathered::Rest(value)),
            None => {
                self.parsed += piece.text.len() as u64;
                parse_piece(piece).map(Gathered::Whole)
            }
        }
    }

    /// The object from its rest and the parts' entries, or `None` when they may not give what
    /// the whole gives.
    fn rebuild(&mut self, piece: &Piece<'_>, rest: &str) -> Option<Value> {
        self.parsed += rest.len() as u64;
        let read = yaml::parse_part(rest, 0);
        let nodes = read.work.nodes.saturating_add(self.nodes);
        let bytes = read.work.bytes.saturating_add(self.bytes);
        // What the whole builds is at most what the rest and the parts built: it has one
        // sequence where they have a `null` and a sequence a part.
        if read.anchored || nodes > MAX_NODES || bytes > yaml::byte_limit(piece.text.len()) {
            return None;
        }
        let mut docs = read.documents.ok()?;
        if docs.len() != 1 {
            return None;
        }
        let mut value = docs.pop()?;
        let object = match (piece.kind, &mut value) {
            (PieceKind::Item(_), Value::Array(entries)) if entries.len() == 1 => {
                entries.first_mut()?
            }
            (PieceKind::Item(_), _) => return None,
            (_, object) => object,
        };
        let slot = object.as_object_mut()?.get_mut("rules")?;
        if !slot.is_null() {
            return None;
        }
        if !self.hand_out {
            *slot = Value::Array(std::mem::take(&mut self.entries));
        }
        Some(match piece.kind {
            PieceKind::Item(_) => match value {
                Value::Array(entries) => entries.into_iter().next()?,
                _ => return None,
            },
            _ => value,
        })
    }

    fn spoil(&mut self) {
        self.spoiled = true;
        self.entries = Vec::new();
    }

    fn clear(&mut self) {
        self.entries = Vec::new();
        self.nodes = 0;
        self.bytes = 0;
        self.parts = 0;
        self.spoiled = false;
    }
}
