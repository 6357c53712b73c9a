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

impl Row {
    /// What a reviewer should know about this Secret, most serious first.
    pub fn flags(&self) -> Vec<Finding> {
        let bits = self.flagged.0;
        (0..8)
            .map(|n| 1u8 << n)
            .filter(|bit| bits & bit != 0)
            .filter_map(|bit| self.finding(bit))
            .collect()
    }

    /// The words of one point.
    fn finding(&self, bit: u8) -> Option<Finding> {
        let warn = |title: &str, why: String| Some(Finding::new(Level::Warning, title, why));
        match bit {
            DEFAULT_ACCOUNT => warn(
                "The default service account",
                "Every pod that names no service account runs as `default`, so a grant to it reaches all of them, and this token is a key to all of it. Give the client that uses it a service account of its own.".to_string(),
            ),
            KUBE_SYSTEM => warn(
                "In kube-system",
                "Service accounts in kube-system belong to the control plane and its add-ons and often hold cluster-wide rights; a token for one that never expires is a standing key to the cluster.".to_string(),
            ),
            NEVER_USED => warn(
                "Never used",
                format!("No `{LAST_USED_LABEL}` label: the API server has not accepted this token since it began tracking use (Kubernetes 1.27 and later label each use, at most once a day). Nothing depends on it, so it can go: mark it invalid, then delete it."),
            ),
            RECENTLY_USED => match &self.last_used {
                Label::Date(used) => warn(
                    "Used in the last 30 days",
                    format!("Last used on {used}: something still authenticates with it. Move that client to a short-lived token (kubectl create token, or a projected volume) before you mark this one invalid, or it stops working."),
                ),
                _ => None,
            },
            UNREADABLE_LAST_USED => match &self.last_used {
                Label::Malformed(text) => warn(
                    "Last-used label is not a date",
                    format!("`{LAST_USED_LABEL}` is {text:?}, not a YYYY-MM-DD date, so the cleaner skips this Secret and never removes the token."),
                ),
                _ => None,
            },
            BROKEN_TOKEN => match &self.token {
                Token::Broken(why) => warn("data.token does not decode", why.clone()),
                _ => None,
            },
            MARKED_INVALID => Some(Finding::new(
                Level::Info,
                "Marked invalid",
                format!("The Secret carries `{INVALID_SINCE_LABEL}`, so the API server refuses the token. Removing the label lets it work again; deleting the Secret ends it."),
            )),
            NO_TOKEN => Some(Finding::new(
                Level::Info,
                "No token in it",
                "`data.token` is empty: the token controller fills it in once the service account exists. Until then no client can use it.",
            )),
            _ => None,
        }
    }
}
