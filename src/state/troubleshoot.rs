//! The Troubleshoot page's slice of the state: the pasted error read into a diagnosis, and the
//! objects pasted beside it for the 401 checklist.

use crate::formats::yaml;
use crate::troubleshoot::unauthorized::{self, Related};
use crate::troubleshoot::{self, Diagnosis};

/// What the Troubleshoot page (`#/troubleshoot`) holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TroubleshootState {
    /// The text in **Error message**.
    pub input: String,
    /// What it was read as; `None` while it is empty.
    pub diagnosis: Option<Diagnosis>,
    /// Bumped when **Error message** is filled by the app (the guided walk's example) rather
    /// than typed: the field is made anew with the new text.
    pub filled: u64,
    /// The text in **Related objects**.
    pub related_input: String,
    /// The discovery document and objects read from it.
    pub related: Related,
    /// Why **Related objects** could not be read, when it could not.
    pub related_error: Option<String>,
}

/// One change to the Troubleshoot page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TroubleshootAction {
    /// Typed or pasted into **Error message**.
    SetError(String),
    /// The app filled **Error message** (a built-in example error).
    Fill(String),
    /// Typed or pasted into **Related objects**.
    SetRelated(String),
}

impl TroubleshootState {
    /// The state after one change: each text is read once here, never while rendering. The
    /// state is built anew rather than cloned and changed: the diagnosis it holds is the one
    /// large part, and a change of **Related objects** reads the error again instead of
    /// copying what it was read as (the wasm then holds no copy of every diagnosis type).
    pub fn next(&self, action: TroubleshootAction) -> TroubleshootState {
        let (input, filled, related_input) = match action {
            TroubleshootAction::SetError(text) => (text, self.filled, None),
            TroubleshootAction::Fill(text) => (text, self.filled.wrapping_add(1), None),
            TroubleshootAction::SetRelated(text) => (self.input.clone(), self.filled, Some(text)),
        };
        let (related, related_error) = match &related_input {
            None => (self.related.clone(), self.related_error.clone()),
            Some(text) => read_related(text),
        };
        TroubleshootState {
            diagnosis: (!input.trim().is_empty()).then(|| troubleshoot::read(&input)),
            input,
            filled,
            related_input: related_input.unwrap_or_else(|| self.related_input.clone()),
            related,
            related_error,
        }
    }
}

/// **Related objects** read: the discovery document and the objects, or why they could not
/// be (as the page says it).
fn read_related(text: &str) -> (Related, Option<String>) {
    if text.trim().is_empty() {
        return (Related::default(), None);
    }
    if text.len() > troubleshoot::MAX_INPUT_BYTES {
        let why = format!(
            "The paste is {} KiB; paste the objects themselves (at most {} KiB).",
            text.len().div_ceil(1024),
            troubleshoot::MAX_INPUT_BYTES / 1024
        );
        return (Related::default(), Some(why));
    }
    match yaml::parse_documents(text) {
        Ok(docs) => (unauthorized::related(&docs), None),
        Err(e) => (Related::default(), Some(e.to_string())),
    }
}
