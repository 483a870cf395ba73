//! The bounds of pv's number options and the clap value parsers that enforce them, so a
//! hostile value is a one-line usage error (pv's exit 64) naming the option, and every bound is
//! stated once, here, and in the option's help.

use std::ops::RangeInclusive;
use std::path::PathBuf;

use crate::units::{Amount, BadSize, OutOfRange, parse_seconds, parse_within};

/// `-s` and `-L`: 1 EiB, far past any real transfer and still exact in the counters.
pub(crate) const MAX_SIZE: u64 = 1 << 60;
/// `-B`: 64 MiB (pv's own default tops out at 512 KiB).
pub(crate) const MAX_BUFFER: u64 = 64 << 20;
/// `-w`, `-H`, `-A` and `%nA`: the most columns a terminal can report (TIOCGWINSZ is 16-bit).
pub(crate) const MAX_COLUMNS: usize = 65_535;
/// `-i`: pv's own range.
pub(crate) const INTERVAL: RangeInclusive<f64> = 0.1..=600.0;
/// `-D`: up to a day.
pub(crate) const DELAY: RangeInclusive<f64> = 0.0..=86_400.0;
/// `-m`: up to an hour of history.
pub(crate) const AVERAGE_WINDOW: RangeInclusive<u32> = 1..=3600;
/// `-d`: Linux's largest possible process ID.
pub(crate) const MAX_PID: u32 = 4_194_304;
/// `-d PID:FD`: Linux's largest possible descriptor number.
pub(crate) const MAX_FD: u32 = (1 << 30) - 1;

/// `-d @LISTFILE`: the most arguments read from one list file.
pub(crate) const MAX_LIST_ENTRIES: usize = 1024;
/// `-d @LISTFILE`: the largest list file read.
pub(crate) const MAX_LIST_BYTES: u64 = 64 * 1024;

/// `-s`: an amount, or `@PATH` for a file's, block device's or directory's size.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SizeArg {
    Amount(Amount),
    FileSize(PathBuf),
}

/// `-M SIDE`: which of the command's standard streams to watch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    In,
    Out,
    Both,
    /// Ours: the files the command opens itself, watched as `-d PID` does.
    Files,
}

/// `-M SIDE`.
pub(crate) fn side(text: &str) -> Result<Side, OptionError> {
    match text {
        "in" | "0" => Ok(Side::In),
        "out" | "1" => Ok(Side::Out),
        "both" | "2" => Ok(Side::Both),
        "files" => Ok(Side::Files),
        _ => Err(OptionError::Side),
    }
}

/// `-R PID`, `-Q PID`.
pub(crate) fn pid(text: &str) -> Result<u32, OptionError> {
    Ok(parse_within(text, &(1..=MAX_PID), WHOLE)?)
}

/// One `-d` argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum WatchArg {
    /// `PID` or `PID:FD`.
    Target(WatchTarget),
    /// `=NAME`: the processes with that name.
    Name(String),
    /// `@LISTFILE`: more arguments, one a line.
    List(PathBuf),
}

/// The longest `=NAME` (a process name is at most 15 bytes; a command line's first word may
/// be longer).
pub(crate) const MAX_NAME: usize = 4096;

/// `-d PID[:FD]|=NAME|@LISTFILE`.
pub(crate) fn watch_arg(text: &str) -> Result<WatchArg, OptionError> {
    if let Some(name) = text.strip_prefix('=') {
        if name.is_empty() || name.len() > MAX_NAME || name.contains(['/', '\0']) {
            return Err(OptionError::WatchTarget);
        }
        return Ok(WatchArg::Name(name.to_owned()));
    }
    if let Some(path) = text.strip_prefix('@') {
        if path.is_empty() {
            return Err(OptionError::WatchTarget);
        }
        return Ok(WatchArg::List(PathBuf::from(path)));
    }
    watch_target(text).map(WatchArg::Target)
}

/// Why an option's value was refused (clap prints it after the option's name).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum OptionError {
    #[error(transparent)]
    Size(#[from] BadSize),
    #[error(transparent)]
    Range(#[from] OutOfRange),
    #[error("expected PID, PID:FD, =NAME or @LISTFILE (PID 1 to {MAX_PID}, FD 0 to {MAX_FD})")]
    WatchTarget,
    #[error("expected in, out, both (or 0, 1, 2) or files, then -- and the command")]
    Side,
    #[error("a rate below 1 per second (0 is no limit)")]
    RateBelowOne,
}

/// `-s SIZE`.
pub(crate) fn size(text: &str) -> Result<SizeArg, OptionError> {
    match text.strip_prefix('@') {
        Some(path) if !path.is_empty() => Ok(SizeArg::FileSize(PathBuf::from(path))),
        _ => Ok(SizeArg::Amount(Amount::parse(text, MAX_SIZE)?)),
    }
}

/// `-L RATE` (0 is no limit). A rate between 0 and 1 is refused, as pv does: it would round
/// to 0, which is no limit at all.
pub(crate) fn rate(text: &str) -> Result<Amount, OptionError> {
    let amount = Amount::parse(text, MAX_SIZE)?;
    // The smaller reading (K = 1000, pv's -k) must still be a whole unit.
    if amount.is_zero() || amount.resolve(true) >= 1 {
        Ok(amount)
    } else {
        Err(OptionError::RateBelowOne)
    }
}

/// `-B BYTES` (0 is the default).
pub(crate) fn buffer(text: &str) -> Result<Amount, OptionError> {
    Ok(Amount::parse(text, MAX_BUFFER)?)
}

/// `-i SEC`.
pub(crate) fn interval(text: &str) -> Result<f64, OptionError> {
    Ok(parse_seconds(text, &INTERVAL)?)
}

/// `-D SEC`.
pub(crate) fn delay(text: &str) -> Result<f64, OptionError> {
    Ok(parse_seconds(text, &DELAY)?)
}

/// `-m SEC`.
pub(crate) fn average_window(text: &str) -> Result<u32, OptionError> {
    Ok(parse_within(text, &AVERAGE_WINDOW, WHOLE)?)
}

/// `-w`, `-H`, `-A` (0 is the default).
pub(crate) fn columns(text: &str) -> Result<usize, OptionError> {
    Ok(parse_within(text, &(0..=MAX_COLUMNS), WHOLE)?)
}

const WHOLE: &str = "whole number";

/// `-d PID[:FD]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WatchTarget {
    pub(crate) pid: u32,
    pub(crate) fd: Option<u32>,
}

/// `-d PID[:FD]`.
pub(crate) fn watch_target(text: &str) -> Result<WatchTarget, OptionError> {
    let (pid, fd) = match text.split_once(':') {
        Some((pid, fd)) => (pid, Some(fd)),
        None => (text, None),
    };
    let bad = |_| OptionError::WatchTarget;
    let pid = parse_within(pid, &(1..=MAX_PID), WHOLE).map_err(bad)?;
    let fd = fd.map(|fd| parse_within(fd, &(0..=MAX_FD), WHOLE).map_err(bad)).transpose()?;
    Ok(WatchTarget { pid, fd })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::format_bound;

    #[test]
    fn bounds_are_enforced() {
        assert!(size("1048576T").is_ok());
        let err = size("1048577T").expect_err("past the bound");
        assert_eq!(err.to_string(), "more than 1048576T");
        assert_eq!(size("@/x"), Ok(SizeArg::FileSize("/x".into())));
        assert!(buffer("64M").is_ok() && buffer("64.1M").is_err());
        assert!(interval("0.1").is_ok() && interval("0.09").is_err() && interval("601").is_err());
        assert!(delay("86400").is_ok() && delay("-1").is_err());
        assert!(columns("65535").is_ok() && columns("65536").is_err());
        assert!(columns("1099511627776").is_err());
        assert!(average_window("0").is_err() && average_window("3600").is_ok());
        assert_eq!(watch_target("12:3"), Ok(WatchTarget { pid: 12, fd: Some(3) }));
        assert_eq!(watch_target("12"), Ok(WatchTarget { pid: 12, fd: None }));
        for bad in ["0", "x", "12:", ":3", "4194305", "1:1073741824", "1:2:3"] {
            assert!(watch_target(bad).is_err(), "{bad}");
        }
        assert_eq!(format_bound(MAX_SIZE), "1048576T");
    }

    #[test]
    fn a_rate_below_one_is_refused_and_zero_is_no_limit() {
        for bad in ["0.5", "0.999", "0.0009k"] {
            assert_eq!(rate(bad), Err(OptionError::RateBelowOne), "{bad}");
        }
        for good in ["0", "0.0", "0k", "1", "1.5", "0.001k", "0.5k"] {
            assert!(rate(good).is_ok(), "{good}");
        }
        assert_eq!(
            rate("0.5").expect_err("below 1").to_string(),
            "a rate below 1 per second (0 is no limit)"
        );
    }

    #[test]
    fn the_help_states_every_bound() {
        use clap::Args as _;
        let help = crate::pv::Args::augment_args(clap::Command::new("pv"))
            .term_width(1000)
            .render_help()
            .to_string();
        let line = |long: &str| {
            help.lines().find(|l| l.contains(&format!("--{long} "))).unwrap_or_default().to_owned()
        };
        let size = format_bound(MAX_SIZE);
        let columns = MAX_COLUMNS.to_string();
        let interval = format!("{} to {}", INTERVAL.start(), INTERVAL.end());
        let window = format!("{} to {}", AVERAGE_WINDOW.start(), AVERAGE_WINDOW.end());
        let buffer = format_bound(MAX_BUFFER);
        let delay = DELAY.end().to_string();
        let cases = [
            ("size", &size),
            ("rate-limit", &format!("1 to {size}")),
            ("buffer-size", &buffer),
            ("interval", &interval),
            ("delay-start", &delay),
            ("average-rate-window", &window),
            ("width", &columns),
            ("height", &columns),
            ("last-written", &columns),
            ("format", &columns),
        ];
        for (long, bound) in cases {
            assert!(line(long).contains(bound.as_str()), "--{long} should state {bound}");
        }
        let watch = line("watchfd");
        assert!(watch.contains(&MAX_PID.to_string()) && watch.contains(&MAX_FD.to_string()));
        assert!(watch.contains(&MAX_LIST_ENTRIES.to_string()));
        for long in ["remote", "query"] {
            assert!(line(long).contains(&MAX_PID.to_string()), "--{long}");
        }
        assert!(line("error-skip-block").contains(&buffer));
        let steps = crate::pv::setup::HOOK_STEPS;
        assert!(line("on-progress").contains(&format!("{} to {}", steps.start(), steps.end())));
        let walk = line("size");
        assert!(walk.contains(&crate::pv::sizes::MAX_ENTRIES.to_string()));
        assert!(walk.contains(&format!("{} deep", crate::pv::sizes::MAX_DEPTH)));
    }

    proptest::proptest! {
        /// Any -d argument is a target, a name, a list or a refusal; never a panic, and what it
        /// yields is within the bounds.
        #[test]
        fn any_watch_argument_parses_or_is_refused(text in "[=@]?[0-9a-z:/.-]{0,30}") {
            match watch_arg(&text) {
                Ok(WatchArg::Target(t)) => {
                    proptest::prop_assert!((1..=MAX_PID).contains(&t.pid));
                    proptest::prop_assert!(t.fd.is_none_or(|fd| fd <= MAX_FD));
                }
                Ok(WatchArg::Name(name)) => proptest::prop_assert!(!name.is_empty() && !name.contains('/')),
                Ok(WatchArg::List(path)) => proptest::prop_assert!(!path.as_os_str().is_empty()),
                Err(_) => {}
            }
        }

        /// Sides are exactly the words pv takes (and ours).
        #[test]
        fn any_side_parses_or_is_refused(text in "[a-z0-9]{0,6}") {
            let known = ["in", "0", "out", "1", "both", "2", "files"].contains(&text.as_str());
            proptest::prop_assert_eq!(side(&text).is_ok(), known);
        }
    }
}
