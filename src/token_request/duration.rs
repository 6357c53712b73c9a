//! A token's requested lifetime, read as `kubectl create token --duration` reads it.
//!
//! kubectl parses the flag with Go's `time.ParseDuration` (`10m`, `1h`, `8760h`, `1h30m`,
//! `1.5h`, `90s`), refuses a negative value and one with a part of a second, and sends whole
//! seconds as `expirationSeconds`; `0` means "let the server choose". The API server then
//! refuses less than 10 minutes and more than 2^32 seconds (`ValidateTokenRequest` in
//! `pkg/apis/authentication/validation`). Reading the same way here means the form refuses
//! exactly what kubectl or the API server would, with the reason, before anyone runs it.
//!
//! The arithmetic is Go's: nanoseconds in 64 bits, an overflowing value refused rather than
//! wrapped, and a fraction scaled in `float64` as Go scales it, so that even a fraction with
//! twenty digits reads as kubectl reads it.

use std::fmt;

/// The API server's minimum `expirationSeconds`: 10 minutes.
pub const MIN_SECONDS: u64 = 10 * 60;

/// The API server's maximum `expirationSeconds`: 2^32 seconds (about 136 years).
pub const MAX_SECONDS: u64 = 1 << 32;

/// What the API server issues when `expirationSeconds` is left out: 1 hour (the TokenRequest
/// default).
pub const DEFAULT_SECONDS: u64 = 3600;

/// Input longer than this is not a duration anyone typed; refused before it is read.
const MAX_TEXT: usize = 100;

/// Why a duration cannot be used. Positions count characters from 1, as a person would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DurationError {
    /// Longer than any duration a person types.
    TooLong {
        /// The length in bytes.
        bytes: usize,
    },
    /// Something other than digits, `.`, a unit or a leading sign where a number should start.
    Invalid {
        /// Where (character position, from 1).
        at: usize,
    },
    /// A number without a unit after it (`90` instead of `90s`).
    MissingUnit {
        /// Where the number ends (character position, from 1).
        at: usize,
    },
    /// A unit Go does not know (`1d`, `2w`, `1y`).
    UnknownUnit {
        /// The unit as typed.
        unit: String,
        /// Where it starts (character position, from 1).
        at: usize,
    },
    /// More than Go's duration holds (about 292 years); kubectl refuses it.
    Overflow,
    /// A negative duration, which kubectl refuses.
    Negative,
    /// A part of a second (`10m0.5s`), which kubectl refuses.
    SubSecond,
    /// Under the API server's 10-minute minimum.
    TooShort {
        /// The value in seconds.
        seconds: u64,
    },
    /// Over the API server's 2^32-second maximum.
    TooLarge {
        /// The value in seconds.
        seconds: u64,
    },
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const FORM: &str = "write it as kubectl does: a number and a unit (h, m, s), e.g. 10m, \
                            1h, 1h30m or 8760h";
        match self {
            DurationError::TooLong { bytes } => write!(
                f,
                "Duration is {bytes} bytes long; a duration is a few characters: {FORM}."
            ),
            DurationError::Invalid { at } => {
                write!(f, "Duration is not a duration (at character {at}): {FORM}.")
            }
            DurationError::MissingUnit { at } => write!(
                f,
                "Duration has a number without a unit (ending at character {at}): {FORM}. A \
                 bare 0 is the only number without one."
            ),
            DurationError::UnknownUnit { unit, at } => write!(
                f,
                "Duration: {unit:?} (at character {at}) is not a unit kubectl knows. It takes \
                 h, m, s, ms, us and ns, and no days or years: 1 day is 24h, 1 year 8760h."
            ),
            DurationError::Overflow => f.write_str(
                "Duration is larger than kubectl can hold (about 292 years); the API server's \
                 maximum is 2^32 seconds anyway. Ask for hours: 8760h is a year.",
            ),
            DurationError::Negative => f.write_str(
                "Duration is negative; kubectl refuses that (\"--duration must be greater than \
                 or equal to 0\"). Leave it empty for the server's default (1 hour).",
            ),
            DurationError::SubSecond => f.write_str(
                "Duration has a part of a second; kubectl refuses that (\"--duration cannot be \
                 expressed in units less than seconds\"). Round it to whole seconds.",
            ),
            DurationError::TooShort { seconds } => write!(
                f,
                "Duration is {seconds} seconds; the API server refuses less than 10 minutes \
                 (\"may not specify a duration less than 10 minutes\"). Ask for 10m or more."
            ),
            DurationError::TooLarge { seconds } => write!(
                f,
                "Duration is {seconds} seconds; the API server refuses more than 2^32 seconds \
                 (about 136 years). Ask for far less: a token should live as briefly as the job \
                 that uses it."
            ),
        }
    }
}

/// Go's `time.ParseDuration`: the value in nanoseconds, which may be negative. `text` is
/// taken as it is (no trimming), as kubectl receives its flag.
pub fn parse_go(text: &str) -> Result<i64, DurationError> {
    if text.len() > MAX_TEXT {
        return Err(DurationError::TooLong { bytes: text.len() });
    }
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    let negative = match chars.first() {
        Some('-') => {
            at = 1;
            true
        }
        Some('+') => {
            at = 1;
            false
        }
        _ => false,
    };
    // "0" (or "-0", "+0") is the one number Go takes without a unit.
    if chars.get(at..) == Some(&['0'][..]) {
        return Ok(0);
    }
    if at >= chars.len() {
        return Err(DurationError::Invalid { at: at + 1 });
    }
    let mut total: u64 = 0;
    while at < chars.len() {
        let start = at;
        // The whole part, with Go's overflow rule: no more than 2^63 nanoseconds' worth.
        let mut whole: u64 = 0;
        let mut overflow = false;
        while let Some(d) = chars.get(at).and_then(|c| c.to_digit(10)) {
            match whole
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(d)))
            {
                Some(v) if v <= 1 << 63 => whole = v,
                _ => overflow = true,
            }
            at += 1;
        }
        if overflow {
            return Err(DurationError::Overflow);
        }
        let had_whole = at > start;
        // The fraction as Go's `leadingFraction` reads it: digits while the value stays
        // below 2^63 (later ones are ignored), and the scale as a float.
        let (mut fraction, mut scale, mut had_fraction, mut full) = (0u64, 1f64, false, false);
        if chars.get(at) == Some(&'.') {
            at += 1;
            while let Some(d) = chars.get(at).and_then(|c| c.to_digit(10)) {
                had_fraction = true;
                if !full {
                    let next = (fraction <= ((1 << 63) - 1) / 10)
                        .then(|| fraction * 10 + u64::from(d))
                        .filter(|next| *next <= 1 << 63);
                    match next {
                        Some(next) => {
                            fraction = next;
                            scale *= 10.0;
                        }
                        None => full = true,
                    }
                }
                at += 1;
            }
        }
        if !had_whole && !had_fraction {
            return Err(DurationError::Invalid { at: at + 1 });
        }
        let unit_start = at;
        while chars
            .get(at)
            .is_some_and(|c| *c != '.' && !c.is_ascii_digit())
        {
            at += 1;
        }
        if unit_start == at {
            return Err(DurationError::MissingUnit { at });
        }
        let unit: String = chars
            .get(unit_start..at)
            .unwrap_or_default()
            .iter()
            .collect();
        let nanos: u64 = match unit.as_str() {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60 * 1_000_000_000,
            "h" => 3600 * 1_000_000_000,
            _ => {
                return Err(DurationError::UnknownUnit {
                    unit,
                    at: unit_start + 1,
                })
            }
        };
        let mut value = whole.checked_mul(nanos).ok_or(DurationError::Overflow)?;
        if fraction > 0 {
            // Go adds `float64(f) * (float64(unit) / scale)`, exact to the nanosecond for any
            // fraction a person writes; the same formula reads every input as kubectl does.
            let part = fraction as f64 * (nanos as f64 / scale);
            value = value
                .checked_add(part as u64)
                .ok_or(DurationError::Overflow)?;
        }
        total = total.checked_add(value).ok_or(DurationError::Overflow)?;
        if total > 1 << 63 {
            return Err(DurationError::Overflow);
        }
    }
    if negative {
        // -2^63 is the one value only the negative side holds.
        return Ok(0i64.checked_sub_unsigned(total).unwrap_or(i64::MIN));
    }
    i64::try_from(total).map_err(|_| DurationError::Overflow)
}

/// A `--duration` as `kubectl create token` and the API server take it: `Ok(None)` for an
/// empty field or `0` (the server chooses, 1 hour by default), otherwise the whole seconds
/// sent as `expirationSeconds`, between 10 minutes and 2^32 seconds.
pub fn token_seconds(text: &str) -> Result<Option<u64>, DurationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let nanos = parse_go(text)?;
    if nanos < 0 {
        return Err(DurationError::Negative);
    }
    let nanos = nanos.unsigned_abs();
    if nanos % 1_000_000_000 != 0 {
        return Err(DurationError::SubSecond);
    }
    let seconds = nanos / 1_000_000_000;
    if seconds == 0 {
        Ok(None)
    } else if seconds < MIN_SECONDS {
        Err(DurationError::TooShort { seconds })
    } else if seconds > MAX_SECONDS {
        Err(DurationError::TooLarge { seconds })
    } else {
        Ok(Some(seconds))
    }
}

/// Seconds in Go's shortest form, as `time.Duration.String` prints them: `10m0s`, `1h0m0s`,
/// `8760h0m0s`.
pub fn go_form(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if h > 0 {
        format!("{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{m}m{s}s")
    } else {
        format!("{s}s")
    }
}
