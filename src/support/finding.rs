//! `Finding { level, title, why }`: the one way the core reports something worth pointing out.
//!
//! Tokens, certificates, RBAC rules, pasted policies and forms all report through this type, so
//! the UI has one renderer and every finding reads the same way: how serious, what, and why it
//! matters.

/// How serious a finding or status is; drives colour and icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Good to know.
    Info,
    /// Worth changing.
    Warning,
    /// A real risk, or something that will not work.
    Danger,
}

impl Level {
    /// The word a reader sees before the title: "Note", "Warning", "Danger".
    pub fn word(self) -> &'static str {
        match self {
            Level::Info => "Note",
            Level::Warning => "Warning",
            Level::Danger => "Danger",
        }
    }
}

/// Something worth pointing out, and why it matters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// How serious.
    pub level: Level,
    /// A short title; tests and users scan these.
    pub title: String,
    /// Why it matters and what to do.
    pub why: String,
}

impl Finding {
    /// A finding of `level`.
    pub fn new(level: Level, title: impl Into<String>, why: impl Into<String>) -> Self {
        Finding {
            level,
            title: title.into(),
            why: why.into(),
        }
    }
}
