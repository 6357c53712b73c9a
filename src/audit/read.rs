//! Reading a dump of Secrets (`kubectl get secrets -A -o json|yaml`, filtered to tokens or
//! not, a `List`, a single Secret, or several YAML documents) into audit rows, in one pass.
//!
//! JSON goes through serde_json and YAML through [`crate::formats::yaml`], both into one
//! `serde_json::Value` tree; the rows take what they show and the tree, tokens and all, is
//! dropped before [`read_with`] returns. ServiceAccounts in the same paste (`kubectl get
//! sa,secrets -A -o json`) tell which Secrets their account lists, as the cleaner checks; the
//! API server's tracking ConfigMap, when pasted, tells when tracking began.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::formats::json::{self, text_of};
use crate::support::time::UnixSeconds;
use crate::token::b64;
use crate::token::jwt;

use super::cleanup::{project, Date, Label, Options};
use super::{
    Audit, AuditError, Origin, Row, Summary, Token, INVALID_SINCE_LABEL, LAST_USED_LABEL,
    MAX_BYTES, MAX_ROWS, RECENT_DAYS, SA_NAME_ANNOTATION, SA_UID_ANNOTATION, TOKEN_TYPE,
};

/// The ConfigMap in `kube-system` where the API server records when it began tracking use.
const TRACKING_CONFIG_MAP: &str = "kube-apiserver-legacy-service-account-token-tracking";
/// The token controller's random suffix: five of these characters (apimachinery's
/// `util/rand`, without vowels), after a base of at most 58 bytes.
const SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
const SUFFIX_LENGTH: usize = 5;
const MAX_BASE_LENGTH: usize = 63 - SUFFIX_LENGTH;

/// [`read_with`] under the cleaner's default options.
pub fn read(text: &str, now: UnixSeconds) -> Result<Audit, AuditError> {
    read_with(text, now, &Options::default())
}

/// Audits the dump in `text` at `now`, projecting the clean-up under `options`.
///
/// This is also the benchmark's entry point: one call reads a whole dump.
pub fn read_with(text: &str, now: UnixSeconds, options: &Options) -> Result<Audit, AuditError> {
    if text.len() > MAX_BYTES {
        return Err(AuditError::TooLarge {
            bytes: text.len(),
            limit: MAX_BYTES,
        });
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(AuditError::Empty);
    }
    // The same reader as a file's: one object at a time.
    let mut stream = super::SecretsStream::new();
    stream.feed(text.as_bytes())?;
    Ok(stream.finish(now, options)?)
}

impl Found {
    /// The audit of everything found: each Secret's origin, clean-up and flags, now that every
    /// ServiceAccount of the dump is known.
    pub(super) fn audit(
        mut self,
        now: UnixSeconds,
        options: &Options,
    ) -> Result<Audit, AuditError> {
        let secrets = std::mem::take(&mut self.secrets);
        let found = self;
        if secrets.is_empty() && found.other_secrets == 0 && found.not_kept == 0 {
            if let Some(kind) = found.first_other_kind {
                return Err(AuditError::NoSecrets { kind: Some(kind) });
            }
            if !found.lists {
                return Err(AuditError::NoSecrets { kind: None });
            }
        }
        let tracked_since = found.tracked_since;
        let options = Options {
            tracked_since: options.tracked_since.or(tracked_since),
            ..*options
        };
        let rows: Vec<Row> = secrets
            .into_iter()
            .map(|secret| settle(secret, &found, &options, now))
            .collect();
        Ok(Audit {
            summary: summary(&rows, now),
            rows,
            other_secrets: found.other_secrets,
            not_kept: found.not_kept,
            service_accounts: found.service_accounts,
            tracked_since,
        })
    }
}

/// What one pass over the documents found: each token Secret already read into its row (all
/// but what needs every ServiceAccount of the dump), so no object is kept as a tree.
#[derive(Default)]
pub(super) struct Found {
    /// Token Secrets, in the order of the dump.
    pub(super) secrets: Vec<Pending>,
    /// Token Secrets past [`MAX_ROWS`], counted and not kept.
    pub(super) not_kept: usize,
    pub(super) other_secrets: usize,
    pub(super) service_accounts: usize,
    /// `namespace/name` of each ServiceAccount, to its uid.
    accounts: BTreeMap<String, String>,
    /// `namespace/secret` of each Secret a ServiceAccount lists, to that account's name.
    listed: BTreeMap<String, String>,
    tracked_since: Option<Date>,
    /// Whether a `List` was seen (an empty one is a cluster without tokens, not a mistake).
    pub(super) lists: bool,
    pub(super) first_other_kind: Option<String>,
}

/// A token Secret read into its row, before its origin and clean-up are known.
pub(super) struct Pending {
    row: Row,
    /// The `kubernetes.io/service-account.uid` annotation.
    uid: String,
    /// `metadata.generateName`.
    base: String,
}

impl Found {
    /// One document of the dump: a list (`items`, or a bare array) or one object.
    pub(super) fn document(&mut self, document: &Value) {
        match document {
            Value::Array(items) => {
                self.lists = true;
                items.iter().for_each(|item| self.object(item, None));
            }
            Value::Object(map) => match map.get("items").and_then(Value::as_array) {
                Some(items) => {
                    self.lists = true;
                    // The API's own lists (`SecretList`) leave out each item's kind.
                    let kind = map.get("kind").and_then(Value::as_str);
                    let implied = kind.and_then(|k| k.strip_suffix("List"));
                    items.iter().for_each(|item| self.object(item, implied));
                }
                None => self.object(document, None),
            },
            _ => {}
        }
    }

    /// Keeps a token Secret's row, or past [`MAX_ROWS`] only counts it.
    pub(super) fn token_secret(&mut self, row: impl FnOnce() -> Pending) {
        if self.secrets.len() < MAX_ROWS {
            self.secrets.push(row());
        } else {
            self.not_kept += 1;
        }
    }

    /// One object of the dump; `implied` is the kind its list's kind implies (`SecretList`).
    pub(super) fn object(&mut self, object: &Value, implied: Option<&str>) {
        let kind = object.get("kind").and_then(Value::as_str).or(implied);
        let metadata = |key: &str| object.pointer(&format!("/metadata/{key}")).map(text_of);
        let namespace = metadata("namespace").unwrap_or_default();
        match kind {
            Some("Secret") => {
                if object.get("type").and_then(Value::as_str) == Some(TOKEN_TYPE) {
                    self.token_secret(|| pending(object));
                } else {
                    self.other_secrets += 1;
                }
            }
            Some("ServiceAccount") => {
                self.service_accounts += 1;
                let name = metadata("name").unwrap_or_default();
                let uid = metadata("uid").unwrap_or_default();
                for (secret, _) in json::named(object, "secrets") {
                    self.listed
                        .insert(format!("{namespace}/{secret}"), name.clone());
                }
                self.accounts.insert(format!("{namespace}/{name}"), uid);
            }
            Some("ConfigMap")
                if namespace == "kube-system"
                    && metadata("name").as_deref() == Some(TRACKING_CONFIG_MAP) =>
            {
                let since = object.pointer("/data/since").and_then(Value::as_str);
                self.tracked_since = since.and_then(Date::parse);
            }
            other => {
                if self.first_other_kind.is_none() {
                    self.first_other_kind = other.map(str::to_string);
                }
            }
        }
    }

    /// Who made the Secret `name` of `account` in `namespace` (see [`Origin`]).
    fn origin(&self, namespace: &str, name: &str, account: &str, uid: &str, base: &str) -> Origin {
        match self.accounts.get(&format!("{namespace}/{account}")) {
            Some(account_uid) => {
                let lister = self.listed.get(&format!("{namespace}/{name}"));
                let same_account = uid.is_empty() || uid == account_uid;
                if same_account && lister.is_some_and(|l| l == account) {
                    Origin::Listed
                } else {
                    Origin::Unlisted
                }
            }
            None if controller_named(name, account)
                || (!base.is_empty() && base == generated_base(account)) =>
            {
                Origin::ControllerName
            }
            None => Origin::OtherName,
        }
    }
}

/// `<account>-token-`, cut as apiserver's name generator cuts a base.
fn generated_base(account: &str) -> String {
    let mut base = format!("{account}-token-");
    if base.len() > MAX_BASE_LENGTH {
        let mut cut = MAX_BASE_LENGTH;
        while !base.is_char_boundary(cut) {
            cut -= 1;
        }
        base.truncate(cut);
    }
    base
}

/// Whether `name` is what the token controller would have named a Secret for `account`.
fn controller_named(name: &str, account: &str) -> bool {
    !account.is_empty()
        && name
            .strip_prefix(generated_base(account).as_str())
            .is_some_and(|suffix| {
                suffix.len() == SUFFIX_LENGTH
                    && suffix.bytes().all(|b| SUFFIX_ALPHABET.contains(&b))
            })
}

/// Reads a token Secret into its row, all but its origin, clean-up and flags.
pub(super) fn pending(secret: &Value) -> Pending {
    let text_at = |pointer: &str| secret.pointer(pointer).map(text_of).unwrap_or_default();
    let annotation = |key: &str| {
        secret
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(key))
            .map(text_of)
            .unwrap_or_default()
    };
    let label = |key: &str| {
        let value = secret.pointer("/metadata/labels").and_then(|l| l.get(key));
        Label::parse(value.map(text_of).as_deref())
    };
    let namespace = text_at("/metadata/namespace");
    let name = text_at("/metadata/name");
    let service_account = annotation(SA_NAME_ANNOTATION);
    let row = Row {
        created: timestamp(&text_at("/metadata/creationTimestamp")),
        deleting: secret
            .pointer("/metadata/deletionTimestamp")
            .is_some_and(|t| !t.is_null()),
        last_used: label(LAST_USED_LABEL),
        invalid_since: label(INVALID_SINCE_LABEL),
        token: token(secret.pointer("/data/token")),
        namespace,
        service_account,
        name,
        origin: Origin::OtherName,
        cleanup: super::Cleanup::default(),
        flagged: super::flags::Flags::default(),
    };
    Pending {
        row,
        uid: annotation(SA_UID_ANNOTATION),
        base: text_at("/metadata/generateName"),
    }
}

/// The row of `secret` once every ServiceAccount of the dump is known.
fn settle(secret: Pending, found: &Found, options: &Options, now: UnixSeconds) -> Row {
    let mut row = secret.row;
    row.origin = found.origin(
        &row.namespace,
        &row.name,
        &row.service_account,
        &secret.uid,
        &secret.base,
    );
    row.cleanup = project(&row, options, now);
    row.flagged = super::flags::Flags::of(&row, now);
    row
}

/// Decodes `data.token` only as far as the row needs: the key ID and the issuer.
fn token(value: Option<&Value>) -> Token {
    let text = match value {
        None | Some(Value::Null) => return Token::Missing,
        Some(Value::String(text)) if text.trim().is_empty() => return Token::Missing,
        Some(Value::String(text)) => text,
        Some(other) => {
            return Token::Broken(format!(
                "`data.token` is {}, not base64 text.",
                json::kind(other)
            ))
        }
    };
    let bytes = match b64::decode_lenient(text) {
        Ok(bytes) => bytes,
        Err(e) => return Token::Broken(format!("`data.token` is not valid base64: {e}.")),
    };
    let Ok(jwt_text) = String::from_utf8(bytes) else {
        return Token::Broken(
            "`data.token` decodes to bytes that are not text, so not to a token.".to_string(),
        );
    };
    match jwt::decode(jwt_text.trim()) {
        Ok(jwt) => Token::Decoded {
            kid: jwt.kid().map(str::to_string),
            issuer: jwt
                .payload
                .get("iss")
                .and_then(Value::as_str)
                .map(str::to_string),
        },
        Err(e) => Token::Broken(format!("`data.token` decodes, but not to a JWT: {e}")),
    }
}

/// Reads `metadata.creationTimestamp`: RFC 3339 as the API server writes it
/// (`2019-06-13T04:30:24Z`), with fractions of a second or an offset accepted too.
fn timestamp(text: &str) -> Option<UnixSeconds> {
    let date = Date::parse(text.get(..10)?)?;
    let rest = text.get(10..)?;
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t'))?;
    let number = |s: &str| -> Option<i64> {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let (hour, minute, second) = (
        number(rest.get(0..2)?)?,
        number(rest.get(3..5)?)?,
        number(rest.get(6..8)?)?,
    );
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut zone = rest.get(8..)?;
    if let Some(fraction) = zone.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        zone = fraction.get(digits..)?;
    }
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = match zone.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            if zone.len() != 6 || zone.get(3..4)? != ":" {
                return None;
            }
            sign * (number(zone.get(1..3)?)? * 3600 + number(zone.get(4..6)?)? * 60)
        }
    };
    Some(date.start() + hour * 3600 + minute * 60 + second - offset)
}

/// Days from the day of `date` to the day of `now` (0 on the same day, negative for a date
/// ahead of `now`: the API server may write tomorrow's date near midnight).
pub(super) fn age_days(date: Date, now: UnixSeconds) -> i64 {
    Date::of(now).0.saturating_sub(date.0)
}

fn summary(rows: &[Row], now: UnixSeconds) -> Summary {
    let mut summary = Summary {
        tokens: rows.len(),
        ..Summary::default()
    };
    for row in rows {
        match row.last_used {
            Label::Absent => summary.never_used += 1,
            Label::Date(used) if age_days(used, now) <= RECENT_DAYS => summary.recently_used += 1,
            _ => {}
        }
        summary.refused += usize::from(row.refused());
        summary.broken += usize::from(matches!(row.token, Token::Broken(_)));
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::cleanup::DAY;
    use crate::support::time::days_from_civil;

    #[test]
    fn timestamps_read_as_the_api_server_writes_them() {
        let day = days_from_civil(2019, 6, 13) * DAY;
        assert_eq!(timestamp("2019-06-13T04:30:24Z"), Some(day + 16_224));
        assert_eq!(timestamp("2019-06-13T04:30:24.5Z"), Some(day + 16_224));
        assert_eq!(timestamp("2019-06-13T06:30:24+02:00"), Some(day + 16_224));
        for bad in [
            "",
            "2019-06-13",
            "2019-06-13T04:30Z",
            "2019-02-30T00:00:00Z",
            "2019-06-13T24:00:00Z",
            "2019-06-13T04:30:24",
            "2019-06-13T04:30:24.Z",
        ] {
            assert_eq!(timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_controller_name_is_the_cut_base_and_five_characters() {
        assert!(controller_named(
            "argocd-manager-token-tj79r",
            "argocd-manager"
        ));
        assert!(!controller_named(
            "argocd-manager-token-tj79a",
            "argocd-manager"
        ));
        assert!(!controller_named(
            "argocd-manager-token-tj79",
            "argocd-manager"
        ));
        assert!(!controller_named("argocd-manager-token", "argocd-manager"));
        let long = "a".repeat(60);
        let name = format!("{}bcdfg", &format!("{long}-token-")[..58]);
        assert!(controller_named(&name, &long));
    }
}
