//! One rule for every value a user gives the engine or a screen: each number has a documented
//! range and each text a documented length, checked while the command line is parsed (clap
//! value parsers), so a bad value is refused with clap's usage error naming the option (exit
//! 2), never silently clamped. The help of each option states its range.

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::time::Duration;

/// Why a value on the command line was refused; clap prints it after the option's name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Not a number at all (or NaN).
    #[error("{} is not a number", crate::sanitize::quoted(text))]
    NotANumber { text: String },
    /// A number outside the option's range.
    #[error("{text} is not within {min} to {max}")]
    OutOfRange { text: String, min: String, max: String },
    /// A text longer than the option allows.
    #[error("{count} characters is more than the {max} allowed")]
    TooLong { count: usize, max: usize },
    /// Not in the expected shape.
    #[error("expected {expected}, got {}", crate::sanitize::quoted(text))]
    Format { expected: &'static str, text: String },
    /// Not one of the names the option knows.
    #[error("unknown {what} {} (use {choices})", crate::sanitize::quoted(text))]
    Unknown { what: &'static str, text: String, choices: String },
    /// Nothing but blanks where a text is needed.
    #[error("the text is empty")]
    Empty,
    /// A part of a compound value (the width of `WxH`) was refused.
    #[error("{part}: {error}")]
    Part { part: &'static str, error: Box<ValueError> },
}

impl ValueError {
    /// A value that is not in the `expected` shape.
    pub fn format(expected: &'static str, text: &str) -> ValueError {
        ValueError::Format { expected, text: text.to_owned() }
    }

    /// This error, as being about `part` of a compound value.
    #[must_use]
    pub fn of(self, part: &'static str) -> ValueError {
        ValueError::Part { part, error: Box::new(self) }
    }
}

/// A value parser for a number within `min..=max` (NaN and infinities are refused too).
///
/// ```text
/// #[arg(long, value_parser = within(0.1, 240.0))]
/// ```
pub fn within<T>(min: T, max: T) -> impl Fn(&str) -> Result<T, ValueError> + Clone
where
    T: FromStr + PartialOrd + Display + Copy + Send + Sync + 'static,
{
    // The range check is the shared one (`units::parse_within`, as pv and fun type use); only
    // the messages are the saver's: "not a number" apart from "not within".
    move |text: &str| {
        // A whole number too big or too negative for `T` (`1000000` for a u16) is a number
        // out of range, not "not a number".
        if text.trim().parse::<T>().is_err() && !is_whole_number(text.trim()) {
            return Err(ValueError::NotANumber { text: text.to_owned() });
        }
        crate::units::parse_within(text, &RangeInclusive::new(min, max), "number").map_err(|_| {
            ValueError::OutOfRange {
                text: text.to_owned(),
                min: min.to_string(),
                max: max.to_string(),
            }
        })
    }
}

/// Digits with an optional sign.
fn is_whole_number(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A value parser for a text of at most `max` characters.
pub fn text_up_to(max: usize) -> impl Fn(&str) -> Result<String, ValueError> + Clone {
    move |text: &str| {
        let count = text.chars().count();
        if count <= max { Ok(text.to_owned()) } else { Err(ValueError::TooLong { count, max }) }
    }
}

/// Longest duration text accepted (`1h30m15s` is 8): keeps every parse short and linear.
const MAX_DURATION_TEXT: usize = 40;

/// A value parser for a duration within `min..=max`: a number of seconds (`90`, `2.5`) or
/// numbers with units, largest first or in any order (`500ms`, `45s`, `3m`, `1h30m`, `1.5h`).
pub fn duration(
    min: Duration,
    max: Duration,
) -> impl Fn(&str) -> Result<Duration, ValueError> + Clone {
    move |text: &str| {
        let value = parse_duration(text)?;
        if (min..=max).contains(&value) {
            Ok(value)
        } else {
            Err(ValueError::OutOfRange {
                text: text.to_owned(),
                min: format_duration(min),
                max: format_duration(max),
            })
        }
    }
}

/// A duration as `duration` reads it, without a range.
///
/// # Errors
/// Not in the shape `N[ms|s|m|h]...`, or longer than 40 characters.
pub fn parse_duration(text: &str) -> Result<Duration, ValueError> {
    const SHAPE: &str = "a duration such as 90, 45s, 3m, 1h30m or 500ms";
    let trimmed = text.trim();
    if trimmed.chars().count() > MAX_DURATION_TEXT {
        return Err(ValueError::TooLong { count: trimmed.chars().count(), max: MAX_DURATION_TEXT });
    }
    if trimmed.is_empty() {
        return Err(ValueError::format(SHAPE, text));
    }
    let mut seconds = 0.0f64;
    let mut rest = trimmed;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (number, after) = rest.split_at(digits);
        let value: f64 = number.parse().map_err(|_| ValueError::format(SHAPE, text))?;
        let unit_len = after.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let scale = match unit {
            "" if rest.len() == trimmed.len() => 1.0,
            "ms" => 0.001,
            "s" => 1.0,
            "m" | "min" => 60.0,
            "h" => 3600.0,
            _ => return Err(ValueError::format(SHAPE, text)),
        };
        seconds += value * scale;
        rest = after;
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| ValueError::format(SHAPE, text))
}

/// A duration the way `duration` reads it back: `3m`, `1h30m`, `2.5s`, `500ms`.
#[must_use]
pub fn format_duration(value: Duration) -> String {
    let millis = value.as_millis();
    if millis < 1000 {
        return format!("{millis}ms");
    }
    if !millis.is_multiple_of(1000) {
        return format!("{}s", value.as_secs_f64());
    }
    let secs = value.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    for (n, unit) in [(h, "h"), (m, "m"), (s, "s")] {
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    out
}

/// A usage error for a limit that is only known after parsing (how often an option was
/// repeated, for example): printed and mapped to exit 2 like every other usage error.
#[must_use]
pub fn usage_error(message: &str) -> anyhow::Error {
    clap::Error::raw(clap::error::ErrorKind::ValueValidation, format!("{message}\n")).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_within_the_range_pass() {
        let fps = within(0.1, 240.0);
        assert_eq!(fps("25"), Ok(25.0));
        assert_eq!(fps("0.1"), Ok(0.1));
        assert_eq!(fps("240"), Ok(240.0));
        assert_eq!(within(1u64, 10)("10"), Ok(10));
    }

    #[test]
    fn numbers_outside_are_refused_with_the_range() {
        let fps = within(0.1, 240.0);
        assert_eq!(fps("0").unwrap_err().to_string(), "0 is not within 0.1 to 240");
        assert!(fps("1e9").is_err());
        assert!(matches!(fps("nan"), Err(ValueError::OutOfRange { .. })));
        assert!(fps("inf").is_err());
        assert!(matches!(fps("x"), Err(ValueError::NotANumber { .. })));
        // Whole numbers the type cannot hold are out of range; a fraction is not a whole number.
        let width = within(1u16, 1000);
        for text in ["1000000", "99999999999999999999999", "-5", "0"] {
            assert!(matches!(width(text), Err(ValueError::OutOfRange { .. })), "{text}");
        }
        for text in ["1.5", "", "-", "12a"] {
            assert!(matches!(width(text), Err(ValueError::NotANumber { .. })), "{text}");
        }
        assert!(within(2u16, 500)("70000").is_err());
    }

    #[test]
    fn texts_are_counted_in_characters() {
        let short = text_up_to(3);
        assert_eq!(short("äöü"), Ok("äöü".to_owned()));
        assert_eq!(short("abcd"), Err(ValueError::TooLong { count: 4, max: 3 }));
        assert_eq!(
            ValueError::TooLong { count: 4, max: 3 }.of("title").to_string(),
            "title: 4 characters is more than the 3 allowed"
        );
    }

    #[test]
    fn a_late_usage_error_is_a_clap_error() {
        let err = usage_error("-w/--word: at most 100 words");
        let clap_err = err.downcast_ref::<clap::Error>().expect("clap error");
        assert!(clap_err.use_stderr());
        assert!(clap_err.to_string().contains("at most 100 words"));
    }

    #[test]
    fn durations_take_units_and_plain_seconds() {
        let d = |s| parse_duration(s);
        assert_eq!(d("90"), Ok(Duration::from_secs(90)));
        assert_eq!(d("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(d("45s"), Ok(Duration::from_secs(45)));
        assert_eq!(d("3m"), Ok(Duration::from_secs(180)));
        assert_eq!(d("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(d("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(d("500ms"), Ok(Duration::from_millis(500)));
        for bad in ["", "m", "3x", "3m4", "-3s", "1..2s", "s3", "3 m", "nan", "1e3"] {
            assert!(d(bad).is_err(), "{bad:?}");
        }
        assert!(matches!(d(&"9".repeat(41)), Err(ValueError::TooLong { .. })));
    }

    #[test]
    fn durations_outside_the_range_name_it() {
        let every = duration(Duration::from_secs(5), Duration::from_secs(86_400));
        assert_eq!(every("3m"), Ok(Duration::from_secs(180)));
        assert_eq!(every("1s").unwrap_err().to_string(), "1s is not within 5s to 24h");
        assert!(every("25h").is_err());
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
        assert_eq!(format_duration(Duration::from_millis(2500)), "2.5s");
        assert_eq!(format_duration(Duration::from_millis(300)), "300ms");
    }

    proptest::proptest! {
        #[test]
        fn formatted_durations_parse_back(millis in 0u64..400_000_000) {
            let value = Duration::from_millis(millis);
            proptest::prop_assert_eq!(parse_duration(&format_duration(value)), Ok(value));
        }

        #[test]
        fn any_text_is_answered_without_panic(text in "\\PC{0,60}") {
            let _ = parse_duration(&text);
        }

        #[test]
        fn unit_sums_add_up(h in 0u64..100, m in 0u64..60, s in 0u64..60) {
            let text = format!("{h}h{m}m{s}s");
            proptest::prop_assert_eq!(parse_duration(&text), Ok(Duration::from_secs(h * 3600 + m * 60 + s)));
        }
    }
}
