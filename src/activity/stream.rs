//! Audit events read from a file chunk by chunk, in bounded memory: each line is read by the
//! one event reader (`read`) as soon as a chunk completes it, and only the distinct events
//! are kept, each with its count and first and last time, so a log of a gigabyte, whose
//! requests repeat, is held as the few thousand requests it repeats.
//!
//! **Bound:** at most [`MAX_DISTINCT`] distinct events are kept (an event is distinct by
//! everything but its time: user, groups, credential, impersonation, request, decision,
//! reason, response code); events of further distinct kinds are counted in
//! [`Tally::dropped`], never silently lost. One line is held at a time, and a line may not pass
//! [`MAX_EVENTS_BYTES`]. An `EventList` spread over lines is one JSON document, read whole at
//! the end, up to [`MAX_EVENTS_BYTES`], as a paste is.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::read::MAX_EVENTS_BYTES;
use super::read::{read, spread, Event, Events, Form, Problem, ReadError, Reader};
use crate::support::chunk::{thousands, Lines, Text};

/// The most distinct events kept: about 100 MB of memory at the size of real events (user,
/// groups, request, reason and two times each), against up to a GiB of log.
pub const MAX_DISTINCT: usize = 100_000;

/// One distinct event and how often it was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tallied {
    /// The event; its `time` is the earliest of its repeats.
    pub event: Event,
    /// The latest time of its repeats.
    pub last: String,
    /// How many events were this one.
    pub count: usize,
}

/// The events of a log as the page keeps them: distinct events with counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    /// The distinct events, in the order each was first seen.
    pub events: Vec<Tallied>,
    /// Events counted (`ResponseComplete` and `Panic`), kept or dropped.
    pub total: usize,
    /// Events not kept because [`MAX_DISTINCT`] distinct events were already kept.
    pub dropped: usize,
    /// Events of other stages, not counted.
    pub other_stages: usize,
    /// What could not be read, the first `MAX_PROBLEMS`, as a paste lists them.
    pub problems: Vec<Problem>,
    /// How many problems in all.
    pub problem_count: usize,
    /// How the text was given.
    pub form: Form,
}

impl Tally {
    /// The events of a whole read, folded.
    pub fn from_events(events: Events) -> Tally {
        let mut fold = Fold::default();
        for event in events.events {
            fold.add(event);
        }
        fold.finish(
            events.other_stages,
            events.problems,
            events.problem_count,
            events.form,
        )
    }

    /// What was read, in the file field's words: "48,112 events, 37 subjects", "1 event, 1 subject".
    pub fn summary(&self) -> String {
        let mut users: Vec<&str> = self.events.iter().map(|t| t.event.user.as_str()).collect();
        users.sort_unstable();
        users.dedup();
        let count = |n: usize, noun: &str| {
            let s = if n == 1 { "" } else { "s" };
            format!("{} {noun}{s}", thousands(n as u64))
        };
        format!(
            "{}, {}",
            count(self.total, "event"),
            count(users.len(), "subject")
        )
    }
}

/// Distinct events found by a hash of all but the time, with a chain for the rare hashes
/// two distinct events share.
#[derive(Default)]
struct Fold {
    events: Vec<Tallied>,
    index: HashMap<u64, usize>,
    chain: Vec<Option<usize>>,
    total: usize,
    dropped: usize,
    /// Events compared while looking an event up: one per event but for shared hashes.
    probes: usize,
}

impl Fold {
    fn add(&mut self, event: Event) {
        self.total += 1;
        let hash = fingerprint(&event);
        let mut at = self.index.get(&hash).copied();
        while let Some(i) = at {
            self.probes += 1;
            if let Some(seen) = self.events.get_mut(i) {
                if same(&seen.event, &event) {
                    seen.count += 1;
                    if event.time < seen.event.time {
                        seen.event.time = event.time;
                    } else if event.time > seen.last {
                        seen.last = event.time;
                    }
                    return;
                }
            }
            at = self.chain.get(i).copied().flatten();
        }
        if self.events.len() >= MAX_DISTINCT {
            self.dropped += 1;
            return;
        }
        let i = self.events.len();
        self.chain.push(self.index.insert(hash, i));
        self.events.push(Tallied {
            last: event.time.clone(),
            event,
            count: 1,
        });
    }

    fn finish(
        self,
        other_stages: usize,
        problems: Vec<Problem>,
        problem_count: usize,
        form: Form,
    ) -> Tally {
        Tally {
            events: self.events,
            total: self.total,
            dropped: self.dropped,
            other_stages,
            problems,
            problem_count,
            form,
        }
    }
}

/// A hash of everything that makes an event distinct: all but its time.
fn fingerprint(e: &Event) -> u64 {
    let mut h = DefaultHasher::new();
    e.user.hash(&mut h);
    e.groups.hash(&mut h);
    e.credential_id.hash(&mut h);
    e.impersonation.hash(&mut h);
    e.code.hash(&mut h);
    e.request.hash(&mut h);
    e.decision.hash(&mut h);
    e.reason.hash(&mut h);
    h.finish()
}

fn same(a: &Event, b: &Event) -> bool {
    a.user == b.user
        && a.groups == b.groups
        && a.credential_id == b.credential_id
        && a.impersonation == b.impersonation
        && a.code == b.code
        && a.request == b.request
        && a.decision == b.decision
        && a.reason == b.reason
}

enum Mode {
    /// No line with text yet: the bytes so far are kept, in case the first line opens a
    /// document spread over lines.
    Start(Vec<u8>),
    /// JSON lines: each line read as it completes.
    Lines,
    /// A document spread over lines, gathered whole.
    Document(Text),
}

/// Audit events read from chunks of a file: [`Stream::push`] each chunk in order, then
/// [`Stream::finish`]. The result equals [`Tally::from_events`] of [`read`] over the whole
/// text, wherever the chunks cut it (inside a character, a line, or a `\r\n`).
pub struct Stream {
    reader: Reader,
    fold: Fold,
    lines: Lines,
    mode: Mode,
    failed: Option<ReadError>,
    bytes: u64,
}

impl Default for Stream {
    fn default() -> Self {
        Stream::new()
    }
}

impl Stream {
    /// A stream with nothing read.
    pub fn new() -> Self {
        Stream {
            reader: Reader::new(),
            fold: Fold::default(),
            lines: Lines::default(),
            mode: Mode::Start(Vec::new()),
            failed: None,
            bytes: 0,
        }
    }

    /// Bytes pushed so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Events counted so far (kept or dropped), for the progress line.
    pub fn events(&self) -> usize {
        self.fold.total
    }

    /// The work done so far, for `tests/it/bounds.rs`: bytes pushed, bytes carried from one chunk
    /// to the next, and events compared while folding. Linear in the bytes whatever the cuts.
    pub fn work(&self) -> usize {
        usize::try_from(self.bytes)
            .unwrap_or(usize::MAX)
            .saturating_add(self.lines.copied)
            .saturating_add(self.fold.probes)
    }

    /// Reads the lines `chunk` completes. After an error the rest is not read.
    pub fn push(&mut self, chunk: &[u8]) {
        self.bytes = self.bytes.saturating_add(chunk.len() as u64);
        if self.failed.is_some() {
            return;
        }
        if let Mode::Document(text) = &mut self.mode {
            if text.push(chunk).is_err() {
                self.failed = Some(ReadError::TooLarge {
                    bytes: usize::try_from(self.bytes).unwrap_or(usize::MAX),
                });
            }
            return;
        }
        if let Mode::Start(head) = &mut self.mode {
            head.extend_from_slice(chunk);
        }
        let Stream {
            reader,
            fold,
            lines,
            mode,
            ..
        } = self;
        lines.push(chunk, |number, line| {
            let line = String::from_utf8_lossy(line);
            match mode {
                Mode::Document(_) => {}
                Mode::Start(head) => {
                    if line.trim().is_empty() {
                        return;
                    }
                    if spread(&line) {
                        let mut text = Text::new(MAX_EVENTS_BYTES);
                        // The head holds this whole chunk: the lines after this one too.
                        let _ = text.push(head);
                        *mode = Mode::Document(text);
                        return;
                    }
                    *mode = Mode::Lines;
                    take(reader, fold, number, &line);
                }
                Mode::Lines => take(reader, fold, number, &line),
            }
        });
        let pending = match &self.mode {
            Mode::Start(head) => head.len(),
            _ => self.lines.pending(),
        };
        if pending > MAX_EVENTS_BYTES {
            self.failed = Some(ReadError::LineTooLong {
                line: self.lines.count + 1,
            });
        }
    }

    /// Reads the last line, and gives what was read.
    pub fn finish(self) -> Result<Tally, ReadError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        match self.mode {
            Mode::Document(text) => {
                let text = text.finish().map_err(|_| ReadError::TooLarge {
                    bytes: usize::try_from(self.bytes).unwrap_or(usize::MAX),
                })?;
                read(&text).map(Tally::from_events)
            }
            Mode::Start(head) => {
                // One line without a line break, or nothing but blank lines.
                let text = String::from_utf8_lossy(&head);
                read(&text).map(Tally::from_events)
            }
            Mode::Lines => {
                let Stream {
                    mut reader,
                    mut fold,
                    mut lines,
                    ..
                } = self;
                lines.finish(|number, line| {
                    take(
                        &mut reader,
                        &mut fold,
                        number,
                        &String::from_utf8_lossy(line),
                    );
                });
                let out = reader.out;
                Ok(fold.finish(out.other_stages, out.problems, out.problem_count, out.form))
            }
        }
    }
}

/// Reads one line and folds the events it held.
fn take(reader: &mut Reader, fold: &mut Fold, number: usize, line: &str) {
    reader.line(number, line);
    for event in reader.out.events.drain(..) {
        fold.add(event);
    }
}
