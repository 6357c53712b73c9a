//! Which fields of a form the user has edited, so a first visit is not met with errors.
//!
//! A form opens with its required fields empty; calling each one an error before the user has
//! typed anything scolds them for not having started. A page shows a problem of an untouched
//! field as a neutral hint, and as an error once the field was edited, or once the user asked
//! for an output (pressed **Show what is missing**, or copied or downloaded one).

/// The fields edited, by a small number each page gives its fields, and whether the user asked
/// for the outputs. A page with more than 64 fields shares the last bit among the rest, which
/// only shows their errors a little early.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    bits: u64,
    asked: bool,
}

impl Touched {
    /// The field numbered `key` was edited.
    pub fn touch(&mut self, key: u32) {
        self.bits |= bit(key);
    }

    /// The user asked for an output: every field's problems are errors from now on.
    pub fn ask(&mut self) {
        self.asked = true;
    }

    /// Whether the problems of field `key` are shown as errors.
    pub fn has(self, key: u32) -> bool {
        self.asked || self.bits & bit(key) != 0
    }

    /// The class of a problem of field `key`: `field-error` once touched, else `field-hint`.
    pub fn class(self, key: u32) -> &'static str {
        if self.has(key) {
            "field-error"
        } else {
            "field-hint"
        }
    }
}

fn bit(key: u32) -> u64 {
    1u64 << key.min(63)
}
