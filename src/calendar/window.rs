//! "Today" (`-t`) and the window of days to show (`-A`, `-B`, `-l`, `-e`), with the reference
//! calendar's arithmetic: by default today and tomorrow, Friday through Monday on a Friday;
//! `-A n` shows today..today+n, `-B n` (n > 0) adds the n days before today.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use thiserror::Error;

/// The largest `-A`, `-B`, `-l` and `-e` (a century): every line's dates are computed for each
/// year of the window, so the window bounds the work per line. The reference allows up to
/// 2147483647.
pub(crate) const MAX_COUNT: u32 = 36525;

/// Errors in `-t` or in a numeric option; the message names the option and its value (made safe
/// to print).
#[derive(Debug, Error, PartialEq, Eq)]
pub(crate) enum WindowError {
    #[error("{option} {value}: invalid")]
    Invalid { option: &'static str, value: String },
    #[error("{option} {value}: too small")]
    TooSmall { option: &'static str, value: String },
    #[error("{option} {value}: too large (at most {MAX_COUNT})")]
    TooLarge { option: &'static str, value: String },
    #[error("-t {0}: not a date of the form [[[cc]yy]mm]dd")]
    BadDate(String),
    #[error("-t {0}: specified date is outside allowed range")]
    OutOfRange(String),
}

/// Parses a count option like the reference's `strtonum(value, 0, INT_MAX)`, but at most
/// [`MAX_COUNT`].
pub(crate) fn parse_count(option: &'static str, value: &str) -> Result<u32, WindowError> {
    let trimmed = value.trim();
    let shown = crate::sanitize::sanitize_line(value.as_bytes());
    let make = |f: fn(&'static str, String) -> WindowError| f(option, shown.clone());
    if trimmed.is_empty()
        || !trimmed.trim_start_matches(['-', '+']).bytes().all(|b| b.is_ascii_digit())
    {
        return Err(make(|option, value| WindowError::Invalid { option, value }));
    }
    match trimmed.parse::<i64>() {
        Ok(n) if n < 0 => Err(make(|option, value| WindowError::TooSmall { option, value })),
        Ok(n) if n > i64::from(MAX_COUNT) => {
            Err(make(|option, value| WindowError::TooLarge { option, value }))
        }
        Ok(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        Err(_) if trimmed.starts_with('-') => {
            Err(make(|option, value| WindowError::TooSmall { option, value }))
        }
        Err(_) => Err(make(|option, value| WindowError::TooLarge { option, value })),
    }
}

/// C's `atoi`: optional leading blanks and sign, then digits; anything else stops it.
fn atoi(s: &str) -> i64 {
    let s = s.trim_start();
    let (sign, digits) = match s.as_bytes().first() {
        Some(b'-') => (-1, &s[1..]),
        Some(b'+') => (1, &s[1..]),
        _ => (1, s),
    };
    let n = digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0_i64, |acc, b| acc.saturating_mul(10).saturating_add(i64::from(b - b'0')));
    sign * n
}

/// Parses `-t [[[cc]yy]mm]dd` relative to the real date `now`, normalising out-of-range months
/// and days the way mktime does (`0230` is March 2nd). Non-digits are an error (the reference
/// silently reads them as zeros).
pub(crate) fn parse_today(value: &str, now: NaiveDate) -> Result<NaiveDate, WindowError> {
    let bad = || WindowError::BadDate(crate::sanitize::sanitize_line(value.as_bytes()));
    if value.len() < 2 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let len = value.len();
    let day = atoi(&value[len - 2..]);
    let month = if len >= 4 { atoi(&value[len - 4..len - 2]) } else { i64::from(now.month()) };
    let year = if len >= 6 {
        match atoi(&value[..len - 4]) {
            y if y < 69 => 2000 + y,
            y if y <= 1900 => 1900 + y,
            y => y,
        }
    } else {
        i64::from(now.year())
    };
    let out_of_range = || WindowError::OutOfRange(value.to_owned());
    let year = i32::try_from(year).map_err(|_| out_of_range())?;
    let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(out_of_range)?;
    // mktime: months first (month 0 is December of the year before), then days.
    let months = month - 1;
    let by_month = if months >= 0 {
        first.checked_add_months(Months::new(u32::try_from(months).map_err(|_| out_of_range())?))
    } else {
        first.checked_sub_months(Months::new(u32::try_from(-months).map_err(|_| out_of_range())?))
    }
    .ok_or_else(out_of_range)?;
    let date = if day >= 1 {
        by_month.checked_add_days(Days::new(u64::try_from(day - 1).unwrap_or(0)))
    } else {
        by_month.checked_sub_days(Days::new(u64::try_from(1 - day).unwrap_or(0)))
    }
    .ok_or_else(out_of_range)?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).ok_or_else(out_of_range)?;
    if date < epoch || date.year() > 9999 {
        return Err(out_of_range());
    }
    Ok(date)
}

/// The options that shape the window.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WindowOptions {
    /// `-A` / `-l`.
    pub(crate) ahead: Option<u32>,
    /// `-B`.
    pub(crate) behind: Option<u32>,
    /// `-e`: extra days shown on a Friday (default 2).
    pub(crate) friday_extra: Option<u32>,
}

/// The inclusive range of days to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) today: NaiveDate,
    pub(crate) start: NaiveDate,
    pub(crate) end: NaiveDate,
}

/// The last day a window may reach; beyond it dates are not representable in every calendar
/// computation, and nobody needs them.
const LAST_DAY: (i32, u32, u32) = (9999, 12, 31);

impl Window {
    #[must_use]
    pub(crate) fn new(today: NaiveDate, options: WindowOptions) -> Window {
        let behind = options.behind.unwrap_or(0);
        let ahead = if options.ahead.is_some() || behind > 0 {
            options.ahead.unwrap_or(0)
        } else if today.weekday() == Weekday::Fri {
            1 + options.friday_extra.unwrap_or(2)
        } else {
            1
        };
        let last = NaiveDate::from_ymd_opt(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2).unwrap_or(today);
        let start = today.checked_sub_days(Days::new(u64::from(behind))).unwrap_or(NaiveDate::MIN);
        let end = today.checked_add_days(Days::new(u64::from(ahead))).unwrap_or(last).min(last);
        Window { today, start, end }
    }

    /// Number of days after the first one (the reference's `offset + A + B`).
    #[must_use]
    pub(crate) fn span(&self) -> i64 {
        (self.end - self.start).num_days()
    }

    /// Whether the reference would take its single-occurrence "fast path" for yearly dates,
    /// which moves Feb 29 to Mar 1 in common years.
    #[must_use]
    pub(crate) fn is_short(&self) -> bool {
        self.span() < 50
    }

    #[must_use]
    pub(crate) fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn window(
        today: NaiveDate,
        a: Option<u32>,
        b: Option<u32>,
        e: Option<u32>,
    ) -> (NaiveDate, NaiveDate) {
        let w = Window::new(today, WindowOptions { ahead: a, behind: b, friday_extra: e });
        (w.start, w.end)
    }

    #[test]
    fn t_forms() {
        let now = d(2026, 11, 21);
        assert_eq!(parse_today("17", now), Ok(d(2026, 11, 17)));
        assert_eq!(parse_today("0417", now), Ok(d(2026, 4, 17)));
        assert_eq!(parse_today("240417", now), Ok(d(2024, 4, 17)));
        assert_eq!(parse_today("20240417", now), Ok(d(2024, 4, 17)));
        assert_eq!(parse_today("991231", now), Ok(d(1999, 12, 31)));
        assert_eq!(parse_today("680101", now), Ok(d(2068, 1, 1)));
        assert_eq!(parse_today("40417", now), Ok(d(2026, 4, 17)));
        assert_eq!(parse_today("417", now), Ok(d(2026, 11, 17)));
        assert_eq!(parse_today("2240417", now), Ok(d(2124, 4, 17)));
        assert_eq!(parse_today("20230229", now), Ok(d(2023, 3, 1)));
        assert_eq!(parse_today("0230", now), Ok(d(2026, 3, 2)));
        assert_eq!(parse_today("1301", now), Ok(d(2027, 1, 1)));
        assert_eq!(parse_today("700101", now), Ok(d(1970, 1, 1)));
    }

    #[test]
    fn t_errors() {
        let now = d(2026, 11, 21);
        assert_eq!(parse_today("7", now), Err(WindowError::BadDate("7".into())));
        assert_eq!(parse_today("2026banana", now), Err(WindowError::BadDate("2026banana".into())));
        assert_eq!(parse_today("690417", now), Err(WindowError::OutOfRange("690417".into())));
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("-A", "60"), Ok(60));
        assert!(matches!(parse_count("-A", "-1"), Err(WindowError::TooSmall { .. })));
        assert!(matches!(parse_count("-A", "abc"), Err(WindowError::Invalid { .. })));
        assert!(matches!(parse_count("-A", "99999999999"), Err(WindowError::TooLarge { .. })));
        assert_eq!(parse_count("-A", "36525"), Ok(MAX_COUNT));
        assert_eq!(
            parse_count("-B", "36526").map_err(|e| e.to_string()),
            Err("-B 36526: too large (at most 36525)".to_owned())
        );
        assert_eq!(
            parse_count("-A", "1\x1b[2J").map_err(|e| e.to_string()),
            Err("-A 1: invalid".to_owned())
        );
    }

    #[test]
    fn reference_windows() {
        let wed = d(2024, 4, 17);
        let fri = d(2024, 4, 19);
        assert_eq!(window(wed, None, None, None), (wed, d(2024, 4, 18)));
        assert_eq!(window(fri, None, None, None), (fri, d(2024, 4, 22)));
        assert_eq!(window(d(2024, 4, 20), None, None, None), (d(2024, 4, 20), d(2024, 4, 21)));
        assert_eq!(window(fri, Some(0), None, None), (fri, fri));
        assert_eq!(window(fri, Some(1), None, None), (fri, d(2024, 4, 20)));
        assert_eq!(window(fri, None, Some(0), None), (fri, d(2024, 4, 22)));
        assert_eq!(window(fri, None, Some(2), None), (d(2024, 4, 17), fri));
        assert_eq!(window(wed, Some(1), Some(2), None), (d(2024, 4, 15), d(2024, 4, 18)));
        assert_eq!(window(fri, Some(1), None, Some(5)), (fri, d(2024, 4, 20)));
        assert_eq!(window(fri, None, Some(0), Some(5)), (fri, d(2024, 4, 25)));
        assert_eq!(window(d(2024, 4, 18), None, None, Some(5)), (d(2024, 4, 18), fri));
    }
}
