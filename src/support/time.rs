//! Unix times as people read them: ISO-8601 UTC and "in 59 minutes" / "2 hours ago".
//!
//! Written by hand (a few lines of civil-calendar arithmetic) instead of pulling in `chrono`:
//! the bundle pays for every dependency, and nothing here needs time zones. Nothing reads the
//! clock: callers pass `now`, so tests are exact and the UI decides when time moves.

/// Seconds since 1970-01-01T00:00:00Z, as JWT `NumericDate` and X.509 validity use.
pub type UnixSeconds = i64;

/// Formats `secs` as ISO-8601 UTC with second precision, e.g. `2026-11-23T06:38:48Z`.
///
/// Years outside 0000..=9999 are written with as many digits as they need (a real CA in
/// the test vectors is valid until the year 4763; an attacker's `exp` may be anything).
pub fn iso8601(secs: UnixSeconds) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Converts a calendar date to days since the Unix epoch (proleptic Gregorian calendar).
///
/// Howard Hinnant's `days_from_civil`; exact for every `i64` year that does not overflow.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Converts days since the Unix epoch to `(year, month, day)`; the inverse of
/// [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A length of time in the largest unit that keeps it readable: `59 minutes`, `1 hour`,
/// `3 days`, `2 years`. Truncates, so "expires in 59 minutes" is never optimistic.
pub fn duration_words(secs: u64) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;
    const YEAR: u64 = 365 * DAY;
    let (n, unit) = match secs {
        s if s < MINUTE => (s, "second"),
        s if s < HOUR => (s / MINUTE, "minute"),
        s if s < 2 * DAY => (s / HOUR, "hour"),
        s if s < YEAR => (s / DAY, "day"),
        s => (s / YEAR, "year"),
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// `when` relative to `now`: `in 59 minutes`, `2 hours ago`, or `now`.
pub fn relative(when: UnixSeconds, now: UnixSeconds) -> String {
    let delta = i128::from(when) - i128::from(now);
    if delta == 0 {
        return "now".to_string();
    }
    let words = duration_words(u64::try_from(delta.unsigned_abs()).unwrap_or(u64::MAX));
    if delta > 0 {
        format!("in {words}")
    } else {
        format!("{words} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_795_416_846), "2026-11-23T06:54:06Z");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn civil_round_trips() {
        for days in [-1_000_000, -1, 0, 1, 11_016, 20_000, 1_000_000, 100_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(days_from_civil(4763, 8, 3)), (4763, 8, 3));
    }

    #[test]
    fn relative_reads_naturally() {
        assert_eq!(relative(3599, 0), "in 59 minutes");
        assert_eq!(relative(0, 7200), "2 hours ago");
        assert_eq!(relative(0, 0), "now");
        assert_eq!(relative(86_400 * 3, 0), "in 3 days");
        assert_eq!(relative(0, 365 * 86_400), "1 year ago");
        assert_eq!(relative(i64::MAX, i64::MIN), relative(i64::MAX, i64::MIN));
        assert_eq!(relative(1, 0), "in 1 second");
    }
}
