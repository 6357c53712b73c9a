//! The demo files' slice of the state: the built-in examples, and what waits for them.

use std::rc::Rc;

use crate::learn::demo::DemoFiles;

/// The demo files (`examples.json`) and the example loaded last.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemoState {
    /// The id of the example loaded last, until the token is edited by hand.
    pub example: Option<&'static str>,
    /// The demo files, once the UI has fetched them.
    pub files: Option<Rc<DemoFiles>>,
    /// What waits for the demo files to arrive: the UI fetches them while this is not empty.
    pub wanted: DemoWanted,
    /// Why the demo files could not be had, if they could not.
    pub error: Option<String>,
}

/// What was asked of the demo files before they arrived.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoWanted {
    /// The example to load (the last one pressed).
    pub example: Option<&'static str>,
    /// The demo roles and bindings, for **Cluster RBAC**.
    pub rbac: bool,
    /// Nothing yet: the files are fetched ahead, in an idle moment, for the rehearsal.
    pub ahead: bool,
}

impl DemoWanted {
    /// Whether anything waits.
    pub fn any(&self) -> bool {
        self.asked() || self.ahead
    }

    /// Whether the user asked for something (a fetch ahead failing is no news to them).
    pub fn asked(&self) -> bool {
        self.example.is_some() || self.rbac
    }
}

impl DemoState {
    /// Whether to fetch the demo files now: nobody has yet, and something waits for them.
    pub fn fetch(&self) -> bool {
        self.files.is_none() && self.wanted.any()
    }

    /// What to tell the user about the demo files: that an example waits for them, or why
    /// they could not be had.
    pub fn status(&self) -> Option<&str> {
        if self.files.is_none() && self.wanted.asked() {
            Some("Loading the examples…")
        } else {
            self.error.as_deref()
        }
    }
}
