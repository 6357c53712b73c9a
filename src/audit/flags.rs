//! What a reviewer should know about a token Secret. Each point is a bit kept with its row
//! ([`Flags`]), and its words (a [`Finding`]) are written from the row when it is drawn or
//! exported: a dump of 170,000 token Secrets keeps a byte for each, not two findings of text
//! (over 600 bytes a row, and most of the work of settling such a dump).

use super::cleanup::Label;
use super::{Row, Token, INVALID_SINCE_LABEL, LAST_USED_LABEL, RECENT_DAYS};
use crate::support::finding::{Finding, Level};
use crate::support::time::UnixSeconds;

/// The points a row is flagged for, one bit each, in the order they are listed: warnings
/// first, then notes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags(u8);

const DEFAULT_ACCOUNT: u8 = 1;
const KUBE_SYSTEM: u8 = 1 << 1;
const NEVER_USED: u8 = 1 << 2;
const RECENTLY_USED: u8 = 1 << 3;
const UNREADABLE_LAST_USED: u8 = 1 << 4;
const BROKEN_TOKEN: u8 = 1 << 5;
const MARKED_INVALID: u8 = 1 << 6;
const NO_TOKEN: u8 = 1 << 7;

impl Flags {
    /// The points `row` is flagged for on the day of `now`.
    pub fn of(row: &Row, now: UnixSeconds) -> Flags {
        let mut bits = 0;
        let mut set = |bit: u8, on: bool| bits |= if on { bit } else { 0 };
        set(DEFAULT_ACCOUNT, row.service_account == "default");
        set(KUBE_SYSTEM, row.namespace == "kube-system");
        match &row.last_used {
            Label::Absent => set(NEVER_USED, true),
            Label::Date(used) => set(
                RECENTLY_USED,
                super::read::age_days(*used, now) <= RECENT_DAYS,
            ),
            Label::Malformed(_) => set(UNREADABLE_LAST_USED, true),
        }
        set(MARKED_INVALID, row.refused());
        set(BROKEN_TOKEN, matches!(row.token, Token::Broken(_)));
        set(NO_TOKEN, row.token == Token::Missing);
        Flags(bits)
    }
}

/// Each point: its bit, its level and its title, in the order they are listed.
const POINTS: [(u8, Level, &str); 8] = [
    (
        DEFAULT_ACCOUNT,
        Level::Warning,
        "The default service account",
    ),
    (KUBE_SYSTEM, Level::Warning, "In kube-system"),
    (NEVER_USED, Level::Warning, "Never used"),
    (RECENTLY_USED, Level::Warning, "Used in the last 30 days"),
    (
        UNREADABLE_LAST_USED,
        Level::Warning,
        "Last-used label is not a date",
    ),
    (BROKEN_TOKEN, Level::Warning, "data.token does not decode"),
    (MARKED_INVALID, Level::Info, "Marked invalid"),
    (NO_TOKEN, Level::Info, "No token in it"),
];

impl Row {
    /// What a reviewer should know about this Secret, most serious first.
    pub fn flags(&self) -> Vec<Finding> {
        self.points()
            .map(|(bit, level, title)| Finding::new(level, title, self.why(bit)))
            .collect()
    }

    /// The titles of [`Row::flags`] alone, for the CSV and the report's table.
    pub fn flag_titles(&self) -> Vec<&'static str> {
        self.points().map(|(_, _, title)| title).collect()
    }

    fn points(&self) -> impl Iterator<Item = (u8, Level, &'static str)> + '_ {
        POINTS
            .into_iter()
            .filter(|(bit, ..)| self.flagged.0 & bit != 0)
    }

    /// Why one point matters, with what the row says of it.
    fn why(&self, bit: u8) -> String {
        match (bit, &self.last_used, &self.token) {
            (DEFAULT_ACCOUNT, ..) => "Every pod that names no service account runs as `default`, so a grant to it reaches all of them, and this token is a key to all of it. Give the client that uses it a service account of its own.".to_string(),
            (KUBE_SYSTEM, ..) => "Service accounts in kube-system belong to the control plane and its add-ons and often hold cluster-wide rights; a token for one that never expires is a standing key to the cluster.".to_string(),
            (NEVER_USED, ..) => format!("No `{LAST_USED_LABEL}` label: the API server has not accepted this token since it began tracking use (Kubernetes 1.27 and later label each use, at most once a day). Nothing depends on it, so it can go: mark it invalid, then delete it."),
            (RECENTLY_USED, Label::Date(used), _) => format!("Last used on {used}: something still authenticates with it. Move that client to a short-lived token (kubectl create token, or a projected volume) before you mark this one invalid, or it stops working."),
            (UNREADABLE_LAST_USED, Label::Malformed(text), _) => format!("`{LAST_USED_LABEL}` is {text:?}, not a YYYY-MM-DD date, so the cleaner skips this Secret and never removes the token."),
            (BROKEN_TOKEN, _, Token::Broken(why)) => why.clone(),
            (MARKED_INVALID, ..) => format!("The Secret carries `{INVALID_SINCE_LABEL}`, so the API server refuses the token. Removing the label lets it work again; deleting the Secret ends it."),
            (NO_TOKEN, ..) => "`data.token` is empty: the token controller fills it in once the service account exists. Until then no client can use it.".to_string(),
            _ => String::new(),
        }
    }
}
