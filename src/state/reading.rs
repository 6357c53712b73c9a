//! A file being read into a page's big field: its chunks go to the page's stream reader as
//! they come, and what it read replaces the page's previous input only when the last chunk is
//! in, so **Cancel** leaves the answer before it in place.

use std::cell::RefCell;
use std::convert::Infallible;
use std::fmt;
use std::rc::Rc;

use crate::access::{ParseError, PolicyStream};
use crate::activity::Stream;
use crate::audit::{AuditError, SecretsStream};

/// What happens to a file in a big field, in order: started, chunks, then done (or
/// cancelled).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileEvent {
    /// A file (or a paste too long to lay out) is read: its name and size.
    Started(String, u64),
    /// The next chunk of its bytes; the root reducer hands it to the reader without a new
    /// state, so reading a file re-renders nothing but the field's progress.
    Chunk(Vec<u8>),
    /// The last chunk is in: the reader ends the dump (sorting, settling) in a task of its
    /// own, before the one that hands the answer to the page and draws it. Like a chunk, it
    /// makes no new state.
    Settle,
    /// The last chunk is in and settled: the answer replaces the page's input.
    Done,
    /// **Cancel**, or the file could not be read: the answer before it stays.
    Cancelled,
    /// **Clear**: no input.
    Cleared,
}

/// A reader that takes a dump chunk by chunk.
pub trait Feed: Default {
    /// Why the dump cannot be read; the first one stops the reading.
    type Error;
    /// Reads one chunk.
    fn feed(&mut self, chunk: &[u8]) -> Result<(), Self::Error>;
    /// What was read so far, in the field's words: "2,712 roles and bindings".
    fn summary(&self) -> String;
    /// Ends the dump ahead of the page taking it, when that is work of its own.
    fn settle(&mut self) {}
}

/// A file being read: its name, size, and the reader (or why it stopped).
pub struct Reading<S: Feed> {
    /// The file's name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    stream: RefCell<Option<Result<S, S::Error>>>,
}

/// The file a page's input came from, as its field shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRead {
    /// The file's name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// What was read: "2,712 roles and bindings".
    pub summary: String,
}

impl<S: Feed> Reading<S> {
    /// A file of `size` bytes named `name`, nothing read yet.
    pub fn new(name: String, size: u64) -> Self {
        Reading {
            name,
            size,
            stream: RefCell::new(Some(Ok(S::default()))),
        }
    }

    /// Reads one chunk; after an error the rest of the file is skipped.
    pub fn push(&self, chunk: &[u8]) {
        let mut stream = self.stream.borrow_mut();
        if let Some(Ok(reader)) = stream.as_mut() {
            if let Err(e) = reader.feed(chunk) {
                *stream = Some(Err(e));
            }
        }
    }

    /// Ends the dump ahead of [`Reading::take`] (see [`FileEvent::Settle`]).
    pub fn settle(&self) {
        if let Some(Ok(reader)) = self.stream.borrow_mut().as_mut() {
            reader.settle();
        }
    }

    /// The reader once the last chunk is in (or why it stopped), and the file as the field
    /// shows it; `None` when it was taken already.
    pub fn take(&self) -> Option<(Result<S, S::Error>, FileRead)> {
        let stream = self.stream.borrow_mut().take()?;
        let summary = match &stream {
            Ok(reader) => reader.summary(),
            Err(_) => String::new(),
        };
        let file = FileRead {
            name: self.name.clone(),
            size: self.size,
            summary,
        };
        Some((stream, file))
    }
}

/// What a file event leaves the page to do.
pub enum Step<S: Feed> {
    /// Nothing more: the file started, a chunk was read, or the reading was cancelled.
    Nothing,
    /// The last chunk is in: the reader to finish (or why it stopped), and the file.
    Done(Result<S, S::Error>, FileRead),
    /// **Clear**: the page's input goes.
    Cleared,
}

/// Applies `event` to the page's file being read, `reading`.
pub fn step<S: Feed>(reading: &mut Option<Rc<Reading<S>>>, event: FileEvent) -> Step<S> {
    match event {
        FileEvent::Started(name, size) => *reading = Some(Rc::new(Reading::new(name, size))),
        FileEvent::Chunk(chunk) => {
            if let Some(reading) = reading {
                reading.push(&chunk);
            }
        }
        FileEvent::Settle => {
            if let Some(reading) = reading {
                reading.settle();
            }
        }
        FileEvent::Done => {
            if let Some((stream, file)) = reading.take().and_then(|r| r.take()) {
                return Step::Done(stream, file);
            }
        }
        FileEvent::Cancelled => *reading = None,
        FileEvent::Cleared => {
            *reading = None;
            return Step::Cleared;
        }
    }
    Step::Nothing
}

impl<S: Feed> PartialEq for Reading<S> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl<S: Feed> fmt::Debug for Reading<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Reading({}, {} bytes)", self.name, self.size)
    }
}

impl Feed for Stream {
    type Error = Infallible;
    fn feed(&mut self, chunk: &[u8]) -> Result<(), Infallible> {
        self.push(chunk);
        Ok(())
    }
    /// Empty: an `EventList` spread over lines is read only when the last chunk is in, so
    /// `ActivityState` words the summary from the finished tally (`Tally::summary`).
    fn summary(&self) -> String {
        String::new()
    }
}

impl Feed for PolicyStream {
    type Error = ParseError;
    fn feed(&mut self, chunk: &[u8]) -> Result<(), ParseError> {
        PolicyStream::feed(self, chunk).map_err(ParseError::from)
    }
    fn summary(&self) -> String {
        PolicyStream::summary(self)
    }
    fn settle(&mut self) {
        PolicyStream::settle(self);
    }
}

impl Feed for SecretsStream {
    type Error = AuditError;
    fn feed(&mut self, chunk: &[u8]) -> Result<(), AuditError> {
        SecretsStream::feed(self, chunk).map_err(AuditError::from)
    }
    fn summary(&self) -> String {
        SecretsStream::summary(self)
    }
}
