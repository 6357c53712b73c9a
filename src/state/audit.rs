//! The audit page's slice of the state: the pasted dump of Secrets, the rows read from it, the
//! clean-up period and the rows selected for the migration plan.

use std::rc::Rc;

use super::reading::{step, FileEvent, FileRead, Reading, Step};
use crate::audit::cleanup::DEFAULT_PERIOD_DAYS;
use crate::audit::{self, Audit, AuditError, Options, SecretsStream};
use crate::support::time::UnixSeconds;

/// The longest clean-up period the page takes, in days: a century, far past any real setting.
pub const MAX_PERIOD_DAYS: u32 = 36_500;

/// What the audit page (`#/audit`) holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditState {
    /// The text in **Secrets**, shared rather than copied: a cluster's dump is megabytes, and
    /// the slice is copied on every action. The field is uncontrolled, as **Cluster RBAC** is.
    pub input: Rc<str>,
    /// The rows read from it; `None` while it is empty. The tokens themselves are not kept.
    pub audit: Option<Result<Rc<Audit>, AuditError>>,
    /// Bumped whenever the dump is read again, so the page can memoise on it.
    pub generation: u64,
    /// The file the rows were read from, when they were (the field then holds no text).
    pub file: Option<FileRead>,
    /// A file being read, when one is.
    pub reading: Option<Rc<Reading<SecretsStream>>>,
    /// **Clean-up period (days)** as typed; empty means the controller's default.
    pub period: String,
    /// For each row, whether it is selected for the migration plan.
    pub selected: Vec<bool>,
    /// How many of the table's rows are drawn; `None` for the first [`ROWS_STEP`].
    pub rows: Option<usize>,
}

/// How many rows a long table draws at first, and how many more each **Show more** adds: the
/// browser lays out a few hundred rows in a frame or two, and thousands in seconds.
pub const ROWS_STEP: usize = 100;

/// One change to the audit page. Reading and projecting depend on the time, which the page
/// passes in (the reducer reads no clock).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// Typed or pasted into **Secrets**.
    SetInput {
        /// The new text.
        text: String,
        /// When.
        now: UnixSeconds,
    },
    /// A file (or a paste over 1 MiB) in **Secrets**: the rows before it stay until its last
    /// chunk is in.
    File {
        /// What happened to the file.
        event: FileEvent,
        /// When.
        now: UnixSeconds,
    },
    /// Typed into **Clean-up period (days)**.
    SetPeriod {
        /// The new text.
        text: String,
        /// When.
        now: UnixSeconds,
    },
    /// Ticked or unticked one row.
    Select(usize, bool),
    /// **Select all** or **Select none**.
    SelectAll(bool),
    /// **Show more**: draw this many of the table's rows.
    ShowRows(usize),
}

impl AuditState {
    /// Applies one change.
    pub fn apply(&mut self, action: AuditAction) {
        match action {
            AuditAction::SetInput { text, now } => {
                let options = self.options().unwrap_or_default();
                let audit =
                    (!text.trim().is_empty()).then(|| audit::read_with(&text, now, &options));
                self.set_audit(audit, Rc::from(text), None);
            }
            AuditAction::File { event, now } => self.file_event(event, now),
            AuditAction::SetPeriod { text, now } => {
                self.period = text;
                if let (Ok(options), Some(Ok(audit))) = (self.options(), &self.audit) {
                    let mut audit = Audit::clone(audit);
                    audit.reproject(&options, now);
                    self.audit = Some(Ok(Rc::new(audit)));
                }
            }
            AuditAction::Select(row, on) => {
                if let Some(slot) = self.selected.get_mut(row) {
                    *slot = on;
                }
            }
            AuditAction::SelectAll(on) => self.selected = vec![on; self.rows()],
            AuditAction::ShowRows(n) => self.rows = Some(n),
        }
    }

    fn set_audit(
        &mut self,
        audit: Option<Result<Audit, AuditError>>,
        input: Rc<str>,
        file: Option<FileRead>,
    ) {
        self.audit = audit.map(|a| a.map(Rc::new));
        self.selected = vec![false; self.rows()];
        self.rows = None;
        self.generation = self.generation.wrapping_add(1);
        self.input = input;
        self.file = file;
    }

    fn file_event(&mut self, event: FileEvent, now: UnixSeconds) {
        match step(&mut self.reading, event) {
            Step::Done(stream, file) => {
                let options = self.options().unwrap_or_default();
                let audit = stream.and_then(|s| s.finish(now, &options).map_err(AuditError::from));
                self.set_audit(Some(audit), Rc::from(""), Some(file));
            }
            Step::Cleared => self.set_audit(None, Rc::from(""), None),
            Step::Nothing => {}
        }
    }

    /// The clean-up options from **Clean-up period (days)**, or what is wrong with it.
    pub fn options(&self) -> Result<Options, PeriodError> {
        let text = self.period.trim();
        if text.is_empty() {
            return Ok(Options::days(DEFAULT_PERIOD_DAYS));
        }
        match text.parse::<u32>() {
            Ok(days) if (1..=MAX_PERIOD_DAYS).contains(&days) => Ok(Options::days(days)),
            _ => Err(PeriodError),
        }
    }

    /// How many of the table's rows are drawn.
    pub fn shown_rows(&self) -> usize {
        self.rows.unwrap_or(ROWS_STEP)
    }

    /// How many rows the dump gave.
    pub fn rows(&self) -> usize {
        match &self.audit {
            Some(Ok(audit)) => audit.rows.len(),
            _ => 0,
        }
    }
}

/// **Clean-up period (days)** holds something other than a whole number of days in range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeriodError;

impl std::fmt::Display for PeriodError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "The period is a whole number of days from 1 to {MAX_PERIOD_DAYS} (the controller's default is {DEFAULT_PERIOD_DAYS}); the dates below use the last valid one."
        )
    }
}

impl std::error::Error for PeriodError {}
