//! The activity page's slice of the state: the pasted or opened audit events, whose activity,
//! the table's filters and what the generated RBAC includes.

use std::rc::Rc;

use super::reading::{step, FileEvent, FileRead, Reading, Step};
use crate::activity::{self, ReadError, Stream, Tally};
use crate::rbac::RbacForm;

/// What the activity page (`#/activity`) holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActivityState {
    /// The text in **Audit events**, shared: the field is uncontrolled (as **Cluster RBAC**
    /// is), and every change elsewhere on the page copies the slice, which must not copy up
    /// to 32 MiB of text. Empty when the events came from a file.
    pub input: Rc<str>,
    /// The events read, as distinct events with counts; `None` while there are none.
    pub events: Option<Result<Rc<Tally>, ReadError>>,
    /// The file the events were read from, when they were, with what it held.
    pub file: Option<FileRead>,
    /// A file being read, when one is.
    pub reading: Option<Rc<Reading<Stream>>>,
    /// Bumped whenever `events` is read again, so the page can memoise on it.
    pub generation: u64,
    /// The text in **Whose activity**; empty means "the inspected token".
    pub subject_input: String,
    /// **Filter by namespace**; empty shows every namespace.
    pub namespace: String,
    /// **Filter by decision**: `all`, `allowed`, `denied` or `unknown`.
    pub decision: String,
    /// **Include denied requests** in the generated RBAC.
    pub include_denied: bool,
    /// **Grant on every object** in the generated RBAC: off (the default) limits a verb used
    /// only on named objects to those names.
    pub every_object: bool,
}

/// One change to the activity page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActivityAction {
    /// Typed or pasted into **Audit events**.
    SetEvents(String),
    /// A file (or a paste over 1 MiB) in **Audit events**: the events before it stay until
    /// its last chunk is in.
    File(FileEvent),
    /// Typed into **Whose activity**.
    SetSubject(String),
    /// Typed into **Filter by namespace**.
    Namespace(String),
    /// Chose in **Filter by decision**.
    Decision(String),
    /// Flipped **Include denied requests**.
    IncludeDenied(bool),
    /// Flipped **Grant on every object**.
    EveryObject(bool),
    /// **Open in RBAC builder**: the generated RBAC fills the builder's form (the root
    /// reducer hands it to the RBAC slice).
    OpenInBuilder(Box<RbacForm>),
}

impl ActivityState {
    fn set_events(&mut self, events: Option<Result<Tally, ReadError>>, input: Rc<str>) {
        self.events = events.map(|e| e.map(Rc::new));
        self.generation = self.generation.wrapping_add(1);
        self.input = input;
    }

    fn file_event(&mut self, event: FileEvent) {
        match step(&mut self.reading, event) {
            Step::Done(Ok(stream), file) => {
                // Counted from the finished tally: an EventList's events are read only at its end.
                let events = stream.finish();
                let summary = events.as_ref().map(Tally::summary).unwrap_or_default();
                self.file = Some(FileRead { summary, ..file });
                self.set_events(Some(events), Rc::from(""));
            }
            Step::Cleared => {
                self.file = None;
                self.set_events(None, Rc::from(""));
            }
            Step::Done(Err(never), _) => match never {},
            Step::Nothing => {}
        }
    }

    /// Applies one change to this page.
    pub fn apply(&mut self, action: ActivityAction) {
        match action {
            ActivityAction::SetEvents(text) => {
                let events = (!text.trim().is_empty())
                    .then(|| activity::read(&text).map(Tally::from_events));
                self.file = None;
                self.set_events(events, Rc::from(text));
            }
            ActivityAction::File(event) => self.file_event(event),
            ActivityAction::SetSubject(v) => self.subject_input = v,
            ActivityAction::Namespace(v) => self.namespace = v,
            ActivityAction::Decision(v) => self.decision = v,
            ActivityAction::IncludeDenied(on) => self.include_denied = on,
            ActivityAction::EveryObject(on) => self.every_object = on,
            ActivityAction::OpenInBuilder(_) => {}
        }
    }
}
