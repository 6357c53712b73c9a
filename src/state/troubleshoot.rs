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
    /// Applies one change: each text is read once here, never while rendering.
    pub fn apply(&mut self, action: TroubleshootAction) {
        match action {
            TroubleshootAction::SetError(text) => self.set_error(text),
            TroubleshootAction::Fill(text) => {
                self.set_error(text);
                self.filled = self.filled.wrapping_add(1);
            }
            TroubleshootAction::SetRelated(text) => {
                let read = if text.trim().is_empty() {
                    Ok(Related::default())
                } else if text.len() > troubleshoot::MAX_INPUT_BYTES {
                    Err(format!(
                        "The paste is {} KiB; paste the objects themselves (at most {} KiB).",
                        text.len().div_ceil(1024),
                        troubleshoot::MAX_INPUT_BYTES / 1024
                    ))
                } else {
                    yaml::parse_documents(&text)
                        .map(|docs| unauthorized::related(&docs))
                        .map_err(|e| e.to_string())
                };
                (self.related, self.related_error) = match read {
                    Ok(related) => (related, None),
                    Err(why) => (Related::default(), Some(why)),
                };
                self.related_input = text;
            }
        }
    }

    fn set_error(&mut self, text: String) {
        self.diagnosis = (!text.trim().is_empty()).then(|| troubleshoot::read(&text));
        self.input = text;
    }
}
