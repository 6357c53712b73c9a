//! When the legacy token cleaner marks a token Secret invalid and when it deletes it, modelled
//! on what the controller does rather than on a summary of it.
//!
//! Sources: the controller,
//! <https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/serviceaccount/legacy_serviceaccount_token_cleaner.go>;
//! the API server's side (refusing a marked token, writing the last-used date),
//! <https://github.com/kubernetes/kubernetes/blob/master/pkg/serviceaccount/legacy.go>; and the
//! documentation,
//! <https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner>.
//!
//! The controller runs in kube-controller-manager (feature `LegacyServiceAccountTokenCleanUp`:
//! alpha in 1.28, on by default from 1.29, GA in 1.30) once every 24 hours, with a period
//! `--legacy-service-account-token-clean-up-period` of one year by default. On each run, at
//! time `now`, it skips a Secret unless all of these hold:
//! - its type is `kubernetes.io/service-account-token` and it is not being deleted;
//! - `now` is at least the period after the day following the date in the ConfigMap
//!   `kube-system/kube-apiserver-legacy-service-account-token-tracking` (when tracking began);
//! - it was created more than the period before `now`;
//! - it has no last-used label, or that date is before the day of `now - period` (a label that
//!   is not a `YYYY-MM-DD` date makes it skip the Secret for good);
//! - its service account exists (with the annotated uid, when there is one) and lists it in
//!   `secrets`: only such "auto-generated" tokens are cleaned, never one made by hand;
//! - no pod in its namespace mounts it (a dump of Secrets cannot show this).
//!
//! Then, if the Secret has no `invalid-since` date, the run labels it with today's date (and
//! from then on the API server refuses the token); if it has one from before the day of
//! `now - period`, the run deletes it. A refused token that is tried again still gets its
//! last-used date written, which puts the deletion off: the period counts from the later of
//! the two dates.

use std::fmt;

use crate::support::time::{civil_from_days, days_from_civil, UnixSeconds};

use super::Row;

/// Seconds in a day.
pub const DAY: i64 = 86_400;
/// The controller's default period: one year (`8760h`).
pub const DEFAULT_PERIOD_DAYS: u32 = 365;

/// A calendar day as the labels write it, `YYYY-MM-DD` (Go's `2006-01-02`), in UTC: days since
/// 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub i64);

impl Date {
    /// Reads a label's date as Go's `time.Parse("2006-01-02", …)` does: four-digit year,
    /// two-digit month and day, a day that exists, nothing else.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = bytes.get(range)?;
            part.iter().try_fold(0u32, |n, b| {
                b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
            })
        };
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let days = days_from_civil(i64::from(year), month, day);
        // A day past the month's end (02-30) comes back as another date.
        ((1..=12).contains(&month)
            && day >= 1
            && civil_from_days(days) == (i64::from(year), month, day))
            .then_some(Date(days))
    }

    /// The day `instant` falls on, in UTC.
    pub fn of(instant: UnixSeconds) -> Date {
        Date(instant.div_euclid(DAY))
    }

    /// Midnight (UTC) at the start of this day.
    pub fn start(self) -> UnixSeconds {
        self.0.saturating_mul(DAY)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// One of the two date labels, as the Secret carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    /// No such label.
    Absent,
    /// A date, as the API server or the controller writes it.
    Date(Date),
    /// A value that is not a `YYYY-MM-DD` date (perhaps empty), as it was written.
    Malformed(String),
}

impl Label {
    /// Reads a label's value.
    pub fn parse(value: Option<&str>) -> Label {
        match value {
            None => Label::Absent,
            Some(text) => {
                Date::parse(text).map_or_else(|| Label::Malformed(text.to_string()), Label::Date)
            }
        }
    }

    /// The date, when the label holds one.
    pub fn date(&self) -> Option<Date> {
        match self {
            Label::Date(date) => Some(*date),
            _ => None,
        }
    }

    /// The label as a cell shows it: the date, the text as written, or empty.
    pub fn text(&self) -> String {
        match self {
            Label::Absent => String::new(),
            Label::Date(date) => date.to_string(),
            Label::Malformed(text) => text.clone(),
        }
    }
}

/// How the cleaner is configured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// `--legacy-service-account-token-clean-up-period`, in seconds (at least one).
    pub period: i64,
    /// The day the API server began tracking use (the tracking ConfigMap's `since`), when known.
    pub tracked_since: Option<Date>,
}

impl Options {
    /// A period of whole days, as the page edits it.
    pub fn days(days: u32) -> Options {
        Options {
            period: i64::from(days) * DAY,
            tracked_since: None,
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options::days(DEFAULT_PERIOD_DAYS)
    }
}

/// Why the cleaner never touches a Secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// Its service account does not list it: the cleaner removes only auto-generated tokens.
    NotListed,
    /// No `kubernetes.io/service-account.name` annotation, so no service account to check.
    NoServiceAccount,
    /// The last-used label is not a date; the controller cannot tell when it was used.
    UnreadableLastUsed,
    /// It is being deleted already.
    Deleting,
}

impl Skip {
    /// Why, in a sentence.
    pub fn words(self) -> &'static str {
        match self {
            Skip::NotListed => "never cleaned up: the cleaner removes only tokens their service account lists in `secrets`, and this one was made by someone",
            Skip::NoServiceAccount => "never cleaned up: without the service-account annotation the cleaner cannot tell it was generated",
            Skip::UnreadableLastUsed => "never cleaned up: the cleaner skips a Secret whose last-used label is not a date",
            Skip::Deleting => "being deleted already",
        }
    }
}

/// What the cleaner does next to one Secret.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cleanup {
    /// The first instant a daily run may label it invalid; `None` when it already carries an
    /// `invalid-since` date or is never cleaned. The run comes within a day after it, and the
    /// label gets that run's date.
    pub marks: Option<UnixSeconds>,
    /// The first instant a daily run may delete it, if it is marked at [`Cleanup::marks`];
    /// `None` when it is never cleaned.
    pub deletes: Option<UnixSeconds>,
    /// Why it is never cleaned, when it is not.
    pub skip: Option<Skip>,
    /// The next step was due more than a day ago and has not happened, so something the dump
    /// cannot show stops the cleaner: a pod mounts the Secret, its service account does not
    /// list it, tracking began later, or the cleaner is off (before 1.29, or its feature gate).
    pub overdue: bool,
}

impl Cleanup {
    /// The clean-up in words, for a cell: the skip, the overdue step, or nothing to add.
    pub fn note(&self) -> &'static str {
        match (self.skip, self.overdue) {
            (Some(skip), _) => skip.words(),
            (None, true) => "overdue: a pod may mount it, its service account may not list it, or the cleaner is off",
            (None, false) => "",
        }
    }
}

/// The first instant at which a run's `now - period` falls on a day after `date`: when the
/// controller's `date >= (now - period).Format("2006-01-02")` stops holding.
fn after(date: Date, period: i64) -> UnixSeconds {
    Date(date.0.saturating_add(1))
        .start()
        .saturating_add(period)
}

/// Projects what the cleaner does next to `row`, under `options`, seen at `now`.
pub fn project(row: &Row, options: &Options, now: UnixSeconds) -> Cleanup {
    let skip = if row.deleting {
        Some(Skip::Deleting)
    } else if row.service_account.is_empty() {
        Some(Skip::NoServiceAccount)
    } else if matches!(row.last_used, Label::Malformed(_)) {
        Some(Skip::UnreadableLastUsed)
    } else if !row.origin.automatic() {
        Some(Skip::NotListed)
    } else {
        None
    };
    if skip.is_some() {
        return Cleanup {
            marks: None,
            deletes: None,
            skip,
            overdue: false,
        };
    }
    let period = options.period.max(1);
    // Every condition on time must hold at once: the latest of their first instants.
    let eligible = [
        // "Created before now - period": strictly, so one second after the period has passed.
        row.created
            .map(|created| created.saturating_add(period).saturating_add(1)),
        row.last_used.date().map(|used| after(used, period)),
        // The controller counts tracking from the day after the ConfigMap's date.
        options.tracked_since.map(|since| after(since, period)),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(UnixSeconds::MIN);
    match row.invalid_since.date() {
        Some(marked) => {
            let deletes = eligible.max(after(marked, period));
            Cleanup {
                marks: None,
                deletes: Some(deletes),
                skip: None,
                overdue: deletes.saturating_add(DAY) <= now,
            }
        }
        None => {
            // A run cannot label it in the past: once overdue, the next run is the earliest.
            let labelled = Date::of(eligible.max(now));
            Cleanup {
                marks: Some(eligible),
                deletes: Some(eligible.max(after(labelled, period))),
                skip: None,
                overdue: eligible.saturating_add(DAY) <= now,
            }
        }
    }
}
