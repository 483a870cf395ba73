//! The bounds of pv's number options and the clap value parsers that enforce them, so a
//! hostile value is a one-line usage error (pv's exit 64) naming the option, and every bound is
//! stated once, here, and in the option's help.

use std::ops::RangeInclusive;
use std::path::PathBuf;

use crate::units::{Amount, format_bound, parse_seconds};

/// `-s` and `-L`: 1 EiB, far past any real transfer and still exact in the counters.
pub const MAX_SIZE: u64 = 1 << 60;
/// `-B`: 64 MiB (pv's own default tops out at 512 KiB).
pub const MAX_BUFFER: u64 = 64 << 20;
/// `-w`, `-H`, `-A` and `%nA`: the most columns a terminal can report (TIOCGWINSZ is 16-bit).
pub const MAX_COLUMNS: usize = 65_535;
/// `-i`: pv's own range.
pub const INTERVAL: RangeInclusive<f64> = 0.1..=600.0;
/// `-D`: up to a day.
pub const DELAY: RangeInclusive<f64> = 0.0..=86_400.0;
/// `-m`: up to an hour of history.
pub const AVERAGE_WINDOW: RangeInclusive<u32> = 1..=3600;
/// `-d`: Linux's largest possible process ID.
pub const MAX_PID: u32 = 4_194_304;
/// `-d PID:FD`: Linux's largest possible descriptor number.
pub const MAX_FD: u32 = (1 << 30) - 1;

/// `-s`: an amount, or `@FILE` for a file's size.
#[derive(Clone, Debug, PartialEq)]
pub enum SizeArg {
    Amount(Amount),
    FileSize(PathBuf),
}

/// `-s SIZE`.
pub fn size(text: &str) -> Result<SizeArg, String> {
    match text.strip_prefix('@') {
        Some(path) if !path.is_empty() => Ok(SizeArg::FileSize(PathBuf::from(path))),
        _ => amount(text, MAX_SIZE).map(SizeArg::Amount),
    }
}

/// `-L RATE` (0 is no limit).
pub fn rate(text: &str) -> Result<Amount, String> {
    amount(text, MAX_SIZE)
}

/// `-B BYTES` (0 is the default).
pub fn buffer(text: &str) -> Result<Amount, String> {
    amount(text, MAX_BUFFER)
}

fn amount(text: &str, max: u64) -> Result<Amount, String> {
    Amount::parse(text, max).map_err(|e| e.to_string())
}

/// `-i SEC`.
pub fn interval(text: &str) -> Result<f64, String> {
    parse_seconds(text, INTERVAL)
}

/// `-D SEC`.
pub fn delay(text: &str) -> Result<f64, String> {
    parse_seconds(text, DELAY)
}

/// `-m SEC`.
pub fn average_window(text: &str) -> Result<u32, String> {
    bounded(text, AVERAGE_WINDOW)
}

/// `-w`, `-H`, `-A` (0 is the default).
pub fn columns(text: &str) -> Result<usize, String> {
    bounded(text, 0..=MAX_COLUMNS)
}

fn bounded<T>(text: &str, range: RangeInclusive<T>) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    match text.trim().parse::<T>() {
        Ok(v) if range.contains(&v) => Ok(v),
        _ => Err(format!("not a whole number from {} to {}", range.start(), range.end())),
    }
}

/// `-d PID[:FD]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WatchTarget {
    pub pid: u32,
    pub fd: Option<u32>,
}

/// `-d PID[:FD]`.
pub fn watch_target(text: &str) -> Result<WatchTarget, String> {
    let (pid, fd) = match text.split_once(':') {
        Some((pid, fd)) => (pid, Some(fd)),
        None => (text, None),
    };
    let bad = || format!("expected PID or PID:FD (PID 1 to {MAX_PID}, FD 0 to {MAX_FD})");
    let pid = bounded(pid, 1..=MAX_PID).map_err(|_| bad())?;
    let fd = fd.map(|fd| bounded(fd, 0..=MAX_FD).map_err(|_| bad())).transpose()?;
    Ok(WatchTarget { pid, fd })
}

/// The bound of `-s`/`-L` as the help states it.
#[must_use]
pub fn max_size_text() -> String {
    format_bound(MAX_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_enforced() {
        assert!(size("1048576T").is_ok());
        assert_eq!(size("1048577T"), Err("more than 1048576T".into()));
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
        assert_eq!(max_size_text(), "1048576T");
    }

    #[test]
    fn the_help_states_every_bound() {
        use clap::Args as _;
        let help = super::super::Args::augment_args(clap::Command::new("pv"))
            .term_width(1000)
            .render_help()
            .to_string();
        let line = |long: &str| {
            help.lines().find(|l| l.contains(&format!("--{long} "))).unwrap_or_default().to_owned()
        };
        let size = max_size_text();
        let columns = MAX_COLUMNS.to_string();
        let interval = format!("{} to {}", INTERVAL.start(), INTERVAL.end());
        let window = format!("{} to {}", AVERAGE_WINDOW.start(), AVERAGE_WINDOW.end());
        let buffer = format_bound(MAX_BUFFER);
        let delay = DELAY.end().to_string();
        let cases = [
            ("size", &size),
            ("rate-limit", &size),
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
    }
}
