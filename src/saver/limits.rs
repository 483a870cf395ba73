//! One rule for every value a user gives the engine or a screen: each number has a documented
//! range and each text a documented length, checked while the command line is parsed (clap
//! value parsers), so a bad value is refused with clap's usage error naming the option (exit
//! 2), never silently clamped. The help of each option states its range.

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::str::FromStr;

/// Why a value on the command line was refused; clap prints it after the option's name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ValueError {
    /// Not a number at all (or NaN).
    #[error("{text:?} is not a number")]
    NotANumber { text: String },
    /// A number outside the option's range.
    #[error("{text} is not within {min} to {max}")]
    OutOfRange { text: String, min: String, max: String },
    /// A text longer than the option allows.
    #[error("{count} characters is more than the {max} allowed")]
    TooLong { count: usize, max: usize },
    /// Not in the expected shape.
    #[error("expected {expected}, got {text:?}")]
    Format { expected: &'static str, text: String },
    /// Not one of the names the option knows.
    #[error("unknown {what} {text:?} (use {choices})")]
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
    pub(crate) fn format(expected: &'static str, text: &str) -> ValueError {
        ValueError::Format { expected, text: text.to_owned() }
    }

    /// This error, as being about `part` of a compound value.
    #[must_use]
    pub(crate) fn of(self, part: &'static str) -> ValueError {
        ValueError::Part { part, error: Box::new(self) }
    }
}

/// A value parser for a number within `min..=max` (NaN and infinities are refused too).
///
/// ```text
/// #[arg(long, value_parser = within(0.1, 240.0))]
/// ```
pub(crate) fn within<T>(min: T, max: T) -> impl Fn(&str) -> Result<T, ValueError> + Clone
where
    T: FromStr + PartialOrd + Display + Copy + Send + Sync + 'static,
{
    move |text: &str| {
        let value: T =
            text.trim().parse().map_err(|_| ValueError::NotANumber { text: text.to_owned() })?;
        if RangeInclusive::new(min, max).contains(&value) {
            Ok(value)
        } else {
            Err(ValueError::OutOfRange {
                text: text.to_owned(),
                min: min.to_string(),
                max: max.to_string(),
            })
        }
    }
}

/// A value parser for a text of at most `max` characters.
pub(crate) fn text_up_to(max: usize) -> impl Fn(&str) -> Result<String, ValueError> + Clone {
    move |text: &str| {
        let count = text.chars().count();
        if count <= max { Ok(text.to_owned()) } else { Err(ValueError::TooLong { count, max }) }
    }
}

/// A usage error for a limit that is only known after parsing (how often an option was
/// repeated, for example): printed and mapped to exit 2 like every other usage error.
#[must_use]
pub(crate) fn usage_error(message: &str) -> anyhow::Error {
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
}
