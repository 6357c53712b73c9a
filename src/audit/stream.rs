//! A dump of Secrets read from a file chunk by chunk: each object goes through the same
//! per-object reading as a paste ([`Found::object`]), so the rows equal what
//! [`read_with`](super::read_with) gives for the same text, while only one object is held as
//! text at a time and each token Secret is kept as its row (no token).
//!
//! The API's own lists (`SecretList`) leave out each item's kind and name it once, in the
//! list's `kind`, which JSON from the API writes before `items`. When a list's kind comes only
//! after its items, a kindless item is held as its row until the list ends and says what it
//! was; a kindless ServiceAccount or ConfigMap in such a list is not recognised.

use serde_json::Value;

use super::cleanup::Options;
use super::read::{pending, Found, Pending};
use super::{Audit, AuditError, MAX_ROWS, TOKEN_TYPE};
use crate::formats::dump_stream::{
    grouped, parse_piece, Piece, PieceError, PieceKind, Splitter, StreamError,
};
use crate::support::time::UnixSeconds;

/// A kindless item of a list whose kind is not known yet.
struct Deferred {
    /// How many token Secrets came before it.
    at: usize,
    /// Whether it is a token Secret if the list says Secrets.
    token: bool,
    /// Its row, when it is one and there is room for it ([`MAX_ROWS`]).
    secret: Option<Pending>,
}

/// What the pieces of the dump have added up to so far.
#[derive(Default)]
struct Taken {
    found: Found,
    /// The kind the current list's kind implies (`Secret` for `SecretList`); `None` inside
    /// its items means the list has not said.
    implied: Option<Option<String>>,
    deferred: Vec<Deferred>,
    /// The rows `deferred` holds.
    held: usize,
    documents: usize,
    objects: usize,
}

/// A Secrets dump being read: [`SecretsStream::feed`] each chunk, then
/// [`SecretsStream::finish`].
#[derive(Default)]
pub struct SecretsStream {
    splitter: Splitter,
    taken: Taken,
}

impl SecretsStream {
    /// A reader that has read nothing.
    pub fn new() -> SecretsStream {
        SecretsStream::default()
    }

    /// Reads one chunk: every object it completes is read at once.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), StreamError<AuditError>> {
        let SecretsStream { splitter, taken } = self;
        splitter
            .feed(chunk, &mut |piece| taken.take(&piece))
            .map_err(StreamError::into_reader)
    }

    /// The splitter: bytes read, bytes held and work done so far, for progress and tests.
    pub fn splitter(&self) -> &Splitter {
        &self.splitter
    }

    /// Token Secrets and objects of every kind read so far.
    pub fn counts(&self) -> (usize, usize) {
        let deferred = self
            .taken
            .deferred
            .iter()
            .filter(|d| d.secret.is_some())
            .count();
        (
            self.taken.found.secrets.len() + deferred,
            self.taken.objects,
        )
    }

    /// What was read so far, for the field: "2,100 token Secrets of 23,902 objects".
    pub fn summary(&self) -> String {
        let (tokens, objects) = self.counts();
        let noun = if tokens == 1 {
            "token Secret"
        } else {
            "token Secrets"
        };
        format!("{} {noun} of {} objects", grouped(tokens), grouped(objects))
    }

    /// Ends the dump: the audit at `now` under `options`, as
    /// [`read_with`](super::read_with) gives it for the same text.
    pub fn finish(
        mut self,
        now: UnixSeconds,
        options: &Options,
    ) -> Result<Audit, StreamError<AuditError>> {
        let SecretsStream { splitter, taken } = &mut self;
        splitter
            .finish(&mut |piece| taken.take(&piece))
            .map_err(StreamError::into_reader)?;
        let mut taken = self.taken;
        if taken.documents == 0 {
            return Err(StreamError::Read(AuditError::Empty));
        }
        taken.resolve(None);
        taken.found.audit(now, options).map_err(StreamError::Read)
    }
}

impl Taken {
    fn take(&mut self, piece: &Piece<'_>) -> Result<(), StreamError<PieceError>> {
        self.documents = self.documents.max(piece.document);
        let value = parse_piece(piece).map_err(StreamError::Read)?;
        match piece.kind {
            PieceKind::ListHead => {
                self.found.lists = true;
                self.implied = Some(list_kind(&value));
            }
            PieceKind::Item(_) => {
                self.objects += 1;
                self.item(&value);
            }
            PieceKind::ListEnd => {
                let kind = list_kind(&value);
                self.resolve(kind);
                self.implied = None;
            }
            PieceKind::Whole => {
                self.objects += 1;
                self.found.document(&value);
            }
        }
        Ok(())
    }

    fn item(&mut self, value: &Value) {
        let has_kind = value.get("kind").and_then(Value::as_str).is_some();
        match &self.implied {
            Some(implied) if has_kind || implied.is_some() => {
                let implied = implied.as_deref().and_then(|k| k.strip_suffix("List"));
                self.found.object(value, implied);
            }
            // A bare array's items have no implied kind, as in the whole-text reader.
            Some(None) | None if has_kind => self.found.object(value, None),
            _ => {
                let token = value.get("type").and_then(Value::as_str) == Some(TOKEN_TYPE);
                let kept = self.found.secrets.len() + self.held;
                self.held += usize::from(token && kept < MAX_ROWS);
                self.deferred.push(Deferred {
                    at: self.found.secrets.len(),
                    token,
                    secret: (token && kept < MAX_ROWS).then(|| pending(value)),
                });
            }
        }
    }

    /// Settles the kindless items held for the list that ended, whose kind is `kind`.
    fn resolve(&mut self, kind: Option<String>) {
        if self.deferred.is_empty() {
            return;
        }
        let deferred = std::mem::take(&mut self.deferred);
        self.held = 0;
        let implied = kind.as_deref().and_then(|k| k.strip_suffix("List"));
        if implied != Some("Secret") {
            if let (None, Some(k)) = (&self.found.first_other_kind, implied) {
                self.found.first_other_kind = Some(k.to_string());
            }
            return;
        }
        let found = std::mem::take(&mut self.found.secrets);
        let mut merged = Vec::with_capacity(found.len() + deferred.len());
        let mut found = found.into_iter();
        let mut taken = 0;
        for item in deferred {
            merged.extend(found.by_ref().take(item.at.saturating_sub(taken)));
            taken = taken.max(item.at);
            match item.secret {
                Some(secret) => merged.push(secret),
                None if item.token => self.found.not_kept += 1,
                None => self.found.other_secrets += 1,
            }
        }
        merged.extend(found);
        // Kinded token Secrets of the same list went straight in while these were held: the
        // rows past the cap, in paste order, are counted like any other.
        self.found.not_kept += merged.len().saturating_sub(MAX_ROWS);
        merged.truncate(MAX_ROWS);
        self.found.secrets = merged;
    }
}

/// The `kind` of a list's own keys (`None` for a bare array, or when it has none).
fn list_kind(head: &Value) -> Option<String> {
    head.get("kind").and_then(Value::as_str).map(str::to_string)
}
