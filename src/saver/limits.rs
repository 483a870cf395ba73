//! One rule for every value a user gives the engine or a screen: each number has a documented
//! range and each text a documented length, checked while the command line is parsed (clap
//! value parsers), so a bad value is refused with clap's usage error naming the option (exit
//! 2), never silently clamped. The help of each option states its range.

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::str::FromStr;

/// A value parser for a number within `min..=max` (NaN and infinities are refused too).
///
/// ```text
/// #[arg(long, value_parser = within(0.1, 240.0))]
/// ```
pub(crate) fn within<T>(min: T, max: T) -> impl Fn(&str) -> Result<T, String> + Clone
where
    T: FromStr + PartialOrd + Display + Copy + Send + Sync + 'static,
{
    move |text: &str| {
        let value: T = text.trim().parse().map_err(|_| format!("{text:?} is not a number"))?;
        if RangeInclusive::new(min, max).contains(&value) {
            Ok(value)
        } else {
            Err(format!("{text} is not within {min} to {max}"))
        }
    }
}

/// A value parser for a text of at most `max` characters.
pub(crate) fn text_up_to(max: usize) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |text: &str| {
        let count = text.chars().count();
        if count <= max {
            Ok(text.to_owned())
        } else {
            Err(format!("{count} characters is more than the {max} allowed"))
        }
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
        assert_eq!(fps("0"), Err("0 is not within 0.1 to 240".to_owned()));
        assert!(fps("1e9").is_err());
        assert!(fps("nan").is_err());
        assert!(fps("inf").is_err());
        assert!(fps("x").unwrap_err().contains("not a number"));
        assert!(within(2u16, 500)("70000").is_err());
    }

    #[test]
    fn texts_are_counted_in_characters() {
        let short = text_up_to(3);
        assert_eq!(short("äöü"), Ok("äöü".to_owned()));
        assert!(short("abcd").unwrap_err().contains("3 allowed"));
    }

    #[test]
    fn a_late_usage_error_is_a_clap_error() {
        let err = usage_error("-w/--word: at most 100 words");
        let clap_err = err.downcast_ref::<clap::Error>().expect("clap error");
        assert!(clap_err.use_stderr());
        assert!(clap_err.to_string().contains("at most 100 words"));
    }
}
