//! Sizes and rates as pv reads and prints them.
//!
//! Parsing: an integer or decimal number with an optional K/M/G/T suffix (any case), 1024-based
//! unless `si` (pv's `-k`) asks for 1000. Formatting: pv's three-significant-digit style
//! (`1.46KiB`, `20.0MiB`, ` 100MiB`, `1023KiB`), scaling while the value is at least one unit.

use thiserror::Error;

/// A size or rate that could not be read, or that passes its bound.
#[derive(Debug, Error, PartialEq, Eq)]
pub(crate) enum BadSize {
    #[error("not a size (a number with an optional K, M, G or T suffix)")]
    Syntax,
    #[error("more than {0}")]
    TooLarge(String),
}

/// A number with a K/M/G/T suffix, before `-k` says whether K is 1000 or 1024.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Amount {
    number: f64,
    power: i32,
}

impl Amount {
    /// Parses `100`, `1.5M`, `8g`, `2T` (digits with at most one `.`, then an optional suffix
    /// in any case), refusing anything above `max` (counted 1024-based, the larger reading).
    ///
    /// # Errors
    /// [`BadSize::Syntax`] for anything else, [`BadSize::TooLarge`] past `max`.
    pub(crate) fn parse(text: &str, max: u64) -> Result<Amount, BadSize> {
        let trimmed = text.trim();
        let (number, power) = match trimmed.chars().last().map(|c| c.to_ascii_uppercase()) {
            Some(c @ ('K' | 'M' | 'G' | 'T')) => {
                let power = match c {
                    'K' => 1,
                    'M' => 2,
                    'G' => 3,
                    _ => 4,
                };
                (&trimmed[..trimmed.len() - 1], power)
            }
            _ => (trimmed, 0),
        };
        let valid = number.chars().all(|c| c.is_ascii_digit() || c == '.')
            && number.chars().filter(|&c| c == '.').count() <= 1
            && number.chars().any(|c| c.is_ascii_digit());
        if !valid {
            return Err(BadSize::Syntax);
        }
        let number: f64 = number.parse().map_err(|_| BadSize::Syntax)?;
        let amount = Amount { number, power };
        // Saturating conversion: anything past u64 is past every bound.
        if !number.is_finite() || amount.value(false) as u64 > max {
            return Err(BadSize::TooLarge(format_bound(max)));
        }
        Ok(amount)
    }

    fn value(self, si: bool) -> f64 {
        let base: f64 = if si { 1000.0 } else { 1024.0 };
        self.number * base.powi(self.power)
    }

    /// Whether the number is 0 (`0`, `0.0`, `0K`).
    #[must_use]
    pub(crate) fn is_zero(self) -> bool {
        self.number == 0.0
    }

    /// The amount, with K = 1000 when `si` (pv's `-k`), else 1024.
    #[must_use]
    pub(crate) fn resolve(self, si: bool) -> u64 {
        // Within the bound checked by `parse`, so the conversion is exact enough and finite.
        self.value(si) as u64
    }
}

/// A bound as a user would type it: `64M`, `1048576T`, `100`.
#[must_use]
pub(crate) fn format_bound(max: u64) -> String {
    for (shift, suffix) in [(40, 'T'), (30, 'G'), (20, 'M'), (10, 'K')] {
        if max >= 1 << shift && max.is_multiple_of(1 << shift) {
            return format!("{}{suffix}", max >> shift);
        }
    }
    max.to_string()
}

/// A number outside the range an option allows (or not a number at all).
#[derive(Debug, Error, PartialEq, Eq)]
#[error("not a {what} from {min} to {max}")]
pub(crate) struct OutOfRange {
    /// "number of seconds", "whole number", ...
    what: &'static str,
    min: String,
    max: String,
}

/// Parses `text` as a `T` within `range`; `what` names the kind of number in the error.
///
/// # Errors
/// [`OutOfRange`] naming the range.
pub(crate) fn parse_within<T>(
    text: &str,
    range: &std::ops::RangeInclusive<T>,
    what: &'static str,
) -> Result<T, OutOfRange>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    match text.trim().parse::<T>() {
        Ok(v) if range.contains(&v) => Ok(v),
        _ => Err(OutOfRange { what, min: range.start().to_string(), max: range.end().to_string() }),
    }
}

/// Parses a decimal number of seconds within `range`.
///
/// # Errors
/// [`OutOfRange`] naming the range.
pub(crate) fn parse_seconds(
    text: &str,
    range: &std::ops::RangeInclusive<f64>,
) -> Result<f64, OutOfRange> {
    parse_within(text, range, "number of seconds")
}

/// Which family of units a number is printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Bytes, 1024-based: `KiB MiB ...` with `B`.
    Bytes,
    /// Bytes, 1000-based (`-k`): `kB MB ...`.
    SiBytes,
    /// Plain counts (lines), 1000-based: `k M ...`, no suffix.
    Count,
    /// Bits (`-8`), 1024-based like bytes: `Kib Mib ...` with `b`.
    Bits,
    /// Bits, 1000-based (`-8 -k`): `kb Mb ...`.
    SiBits,
}

impl Unit {
    /// Whether amounts are bytes shown as bits (8 per byte).
    #[must_use]
    pub(crate) fn is_bits(self) -> bool {
        matches!(self, Unit::Bits | Unit::SiBits)
    }
}

/// pv's `%#4.3g`: three significant digits, trailing zeros kept, at least 4 wide.
fn three_digits(value: f64) -> String {
    if value == 0.0 {
        return "0.00".to_owned();
    }
    let mut decimals = (2 - value.abs().log10().floor() as i32).clamp(0, 9) as usize;
    let mut text = format!("{value:.decimals$}");
    // Rounding can add a digit (9.996 -> "10.00"); one decimal fewer then.
    if text.chars().filter(char::is_ascii_digit).count() > 3 && decimals > 0 {
        decimals -= 1;
        text = format!("{value:.decimals$}");
    }
    format!("{text:>4}")
}

/// Formats `amount` like pv 1.10: `40.0  B`, `1.46KiB`, ` 100MiB`, `50.0k`, `800  b`; `suffix`
/// follows the unit (`/s` for rates). The 1024-based units always take two columns for their
/// prefix (`  B`, `KiB`), so the line keeps its width across the 1 KiB boundary.
#[must_use]
pub(crate) fn format_amount(amount: f64, unit: Unit, suffix: &str) -> String {
    const BINARY: [&str; 9] = ["  ", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"];
    const DECIMAL: [&str; 9] = [" ", "k", "M", "G", "T", "P", "E", "Z", "Y"];
    // Below one unit pv scales down too: 0.25 B/s is `252miB/s`.
    const BINARY_SMALL: [&str; 8] = ["mi", "ui", "ni", "pi", "fi", "ai", "zi", "yi"];
    const DECIMAL_SMALL: [&str; 8] = ["m", "u", "n", "p", "f", "a", "z", "y"];
    let (ratio, prefixes, small, base): (f64, &[&str; 9], &[&str; 8], &str) = match unit {
        Unit::Bytes => (1024.0, &BINARY, &BINARY_SMALL, "B"),
        Unit::Bits => (1024.0, &BINARY, &BINARY_SMALL, "b"),
        Unit::SiBytes => (1000.0, &DECIMAL, &DECIMAL_SMALL, "B"),
        Unit::SiBits => (1000.0, &DECIMAL, &DECIMAL_SMALL, "b"),
        Unit::Count => (1000.0, &DECIMAL, &DECIMAL_SMALL, ""),
    };
    let mut value = if amount.is_finite() { amount.max(0.0) } else { 0.0 };
    let mut prefix = prefixes[0];
    let mut index = 0;
    while value >= ratio && index + 1 < prefixes.len() {
        value /= ratio;
        index += 1;
        prefix = prefixes[index];
    }
    let mut down = 0;
    while value > 0.0 && value < 1.0 && down < small.len() {
        value *= ratio;
        prefix = small[down];
        down += 1;
    }
    if value < 1.0 {
        // Past the smallest prefix: nothing worth a digit.
        value = 0.0;
        prefix = prefixes[0];
    }
    // pv caps the number so the field never grows past four digits.
    let value = value.min(100_000.0);
    let number = if value > 99.9 { format!("{:4}", value as u64) } else { three_digits(value) };
    format!("{number}{prefix}{base}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse_size(text: &str, si: bool) -> Result<u64, BadSize> {
        Amount::parse(text, u64::MAX >> 1).map(|a| a.resolve(si))
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("100", false), Ok(100));
        assert_eq!(parse_size("1k", false), Ok(1024));
        assert_eq!(parse_size("1K", true), Ok(1000));
        assert_eq!(parse_size("1.5M", false), Ok(1_572_864));
        assert_eq!(parse_size("8G", false), Ok(8 << 30));
        assert_eq!(parse_size("2t", false), Ok(2 << 40));
        for bad in ["", "abc", "1.5.5", "-5", "1KB", "K", ".", "1e5", "inf", "NaN"] {
            assert_eq!(parse_size(bad, false), Err(BadSize::Syntax), "{bad}");
        }
        assert_eq!(Amount::parse("64M", 64 << 20).map(|a| a.resolve(false)), Ok(64 << 20));
        assert_eq!(Amount::parse("65M", 64 << 20), Err(BadSize::TooLarge("64M".into())));
        assert_eq!(
            Amount::parse("99999999999999999999T", 1 << 60),
            Err(BadSize::TooLarge("1048576T".into()))
        );
        assert_eq!(Amount::parse(&"9".repeat(400), 100), Err(BadSize::TooLarge("100".into())));
        assert_eq!(parse_seconds("0.5", &(0.1..=600.0)), Ok(0.5));
        let err = parse_seconds("0.01", &(0.1..=600.0)).expect_err("too short");
        assert_eq!(err.to_string(), "not a number of seconds from 0.1 to 600");
        assert!(parse_seconds("NaN", &(0.1..=600.0)).is_err());
        assert_eq!(parse_within("7", &(1..=9), "whole number"), Ok(7_u32));
    }

    #[test]
    fn a_megabyte_of_digits_is_refused_by_the_bound() {
        let text = "7".repeat(1 << 20);
        assert_eq!(Amount::parse(&text, 1 << 60), Err(BadSize::TooLarge("1048576T".into())));
        let text = format!("0.{}", "7".repeat(1 << 20));
        assert_eq!(Amount::parse(&text, 1 << 60).map(|a| a.resolve(false)), Ok(0));
    }

    #[test]
    fn formats_like_pv() {
        // Captured from pv 1.10.5 (`-b` final lines).
        let cases: [(f64, &str); 14] = [
            (0.0, "0.00  B"),
            (1.0, "1.00  B"),
            (40.0, "40.0  B"),
            (999.0, " 999  B"),
            (1000.0, "1000  B"),
            (1023.0, "1023  B"),
            (1024.0, "1.00KiB"),
            (1500.0, "1.46KiB"),
            (9999.0, "9.76KiB"),
            (10239.0, "10.0KiB"),
            (102_400.0, " 100KiB"),
            (1_048_575.0, "1023KiB"),
            (20_971_520.0, "20.0MiB"),
            (13_958_643_712.0, "13.0GiB"),
        ];
        for (amount, expected) in cases {
            assert_eq!(format_amount(amount, Unit::Bytes, ""), expected, "{amount}");
        }
        assert_eq!(format_amount(1000.0, Unit::Count, ""), "1.00k");
        assert_eq!(format_amount(100_000.0, Unit::Count, ""), " 100k");
        assert_eq!(format_amount(1.0, Unit::Count, ""), "1.00 ");
        assert_eq!(format_amount(21_286_092.8, Unit::Bytes, "/s"), "20.3MiB/s");
        assert_eq!(format_amount(2.99, Unit::Bytes, "/s"), "2.99  B/s");
        // Bits: 1024-based unless -k (pv 1.10.5: `-8` on 50, 1000 and 1 MiB bytes).
        assert_eq!(format_amount(400.0, Unit::Bits, ""), " 400  b");
        assert_eq!(format_amount(8000.0, Unit::Bits, ""), "7.81Kib");
        assert_eq!(format_amount(8000.0, Unit::SiBits, ""), "8.00kb");
        assert_eq!(format_amount(400.0, Unit::SiBits, ""), " 400 b");
        assert_eq!(format_amount(1000.0, Unit::SiBytes, ""), "1.00kB");
        assert_eq!(format_amount(50.0, Unit::SiBytes, ""), "50.0 B");
        // Below one unit (pv 1.10.5: a quarter of a byte a second).
        assert_eq!(format_amount(0.246, Unit::Bytes, "/s"), " 251miB/s");
        assert_eq!(format_amount(0.5, Unit::Count, "/s"), " 500m/s");
        assert_eq!(format_amount(1e-300, Unit::Bytes, ""), "0.00  B");
    }

    proptest! {
        #[test]
        fn parser_never_panics(s in "\\PC{0,20}", si: bool) {
            let _ = parse_size(&s, si);
        }

        /// Whatever the text, an accepted amount is within its bound, both ways of counting.
        #[test]
        fn accepted_amounts_respect_the_bound(
            digits in "[0-9]{0,30}(\\.[0-9]{0,30})?[kKmMgGtT]?",
            max in any::<u64>(),
            si: bool,
        ) {
            if let Ok(amount) = Amount::parse(&digits, max) {
                prop_assert!(amount.resolve(si) <= max);
            }
        }


        #[test]
        fn integers_round_trip(n in 0u64..1_000_000_000_000) {
            prop_assert_eq!(parse_size(&n.to_string(), false), Ok(n));
        }

        #[test]
        fn formatting_never_panics(v in proptest::num::f64::ANY) {
            prop_assert!(format_amount(v, Unit::Bytes, "/s").len() <= 12);
        }
    }
}
