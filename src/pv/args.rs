//! The options of `fun pv`: pv's letters and meanings, each number with its bound
//! ([`super::options`]), and the display switches they add up to.

use super::format::{self, BarStyle, Switches};
use super::options::{self, SizeArg, WatchTarget};
use crate::units::Amount;

/// Options of `fun pv` (pv's, same letters and meanings).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  fun pv big.iso > /dev/sdX          progress of a copy\n  tar c dir | fun pv -s 2G | gzip > a.tgz\n  cmd | fun pv -qL 8                 retype the output at 8 characters a second\n  fun pv --per-file a b c > all      one bar per file plus the total"
)]
pub struct Args {
    /// Files to copy in order ("-" or none: standard input).
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<String>,
    /// Show a progress bar.
    #[arg(short = 'p', long)]
    pub(crate) progress: bool,
    /// Show the elapsed time.
    #[arg(short = 't', long)]
    pub(crate) timer: bool,
    /// Show the estimated time left.
    #[arg(short = 'e', long)]
    pub(crate) eta: bool,
    /// Show the estimated finish time of day.
    #[arg(short = 'I', long)]
    pub(crate) fineta: bool,
    /// Show the current rate.
    #[arg(short = 'r', long)]
    pub(crate) rate: bool,
    /// Show the average rate.
    #[arg(short = 'a', long)]
    pub(crate) average_rate: bool,
    /// Show the bytes transferred.
    #[arg(short = 'b', long)]
    pub(crate) bytes: bool,
    /// Count in bits.
    #[arg(short = '8', long)]
    pub(crate) bits: bool,
    /// Show the buffer fill percentage.
    #[arg(short = 'T', long)]
    pub(crate) buffer_percent: bool,
    /// Show the last NUM bytes written (up to 65535).
    #[arg(short = 'A', long, allow_hyphen_values = true, value_name = "NUM", value_parser = options::columns)]
    pub(crate) last_written: Option<usize>,
    /// Use FORMAT for the line (%p %t %e %I %r %a %b %T %nA %N %% and %{long-names}; n up to
    /// 65535).
    #[arg(short = 'F', long, allow_hyphen_values = true, value_name = "FORMAT", value_parser = format::format_arg)]
    pub(crate) format: Option<format::Format>,
    /// Print numbers (percent, or with -b bytes) one per line instead of a line.
    #[arg(short = 'n', long)]
    pub(crate) numeric: bool,
    /// Show nothing.
    #[arg(short = 'q', long)]
    pub(crate) quiet: bool,
    /// Wait for the first byte before showing anything.
    #[arg(short = 'W', long)]
    pub(crate) wait: bool,
    /// Show nothing for SEC seconds (up to 86400).
    #[arg(short = 'D', long, allow_hyphen_values = true, value_name = "SEC", value_parser = options::delay)]
    pub(crate) delay_start: Option<f64>,
    /// Total size (K, M, G, T suffixes, up to 1048576T; @FILE for a file's size).
    #[arg(short = 's', long, allow_hyphen_values = true, value_name = "SIZE", value_parser = options::size)]
    pub(crate) size: Option<SizeArg>,
    /// Count lines instead of bytes.
    #[arg(short = 'l', long)]
    pub(crate) line_mode: bool,
    /// Lines end with NUL (implies -l).
    #[arg(short = '0', long)]
    pub(crate) null: bool,
    /// Seconds between updates, 0.1 to 600 (default 1).
    #[arg(short = 'i', long, allow_hyphen_values = true, value_name = "SEC", value_parser = options::interval)]
    pub(crate) interval: Option<f64>,
    /// Seconds of history for the average rate, 1 to 3600 (accepted for compatibility).
    #[arg(short = 'm', long, allow_hyphen_values = true, value_name = "SEC", value_parser = options::average_window)]
    pub(crate) average_rate_window: Option<u32>,
    /// Assume the terminal is N columns wide (up to 65535; 0: ask the terminal).
    #[arg(short = 'w', long, allow_hyphen_values = true, value_name = "N", value_parser = options::columns)]
    pub(crate) width: Option<usize>,
    /// Assume the terminal is N rows high (up to 65535).
    #[arg(short = 'H', long, allow_hyphen_values = true, value_name = "N", value_parser = options::columns)]
    pub(crate) height: Option<usize>,
    /// Prefix the line with NAME.
    #[arg(short = 'N', long, allow_hyphen_values = true, value_name = "NAME")]
    pub(crate) name: Option<String>,
    /// Show the display even when stderr is not a terminal.
    #[arg(short = 'f', long)]
    pub(crate) force: bool,
    /// Use powers of 1000 instead of 1024.
    #[arg(short = 'k', long)]
    pub(crate) si: bool,
    /// Bar style.
    #[arg(short = 'u', long, value_enum, value_name = "STYLE")]
    pub(crate) bar_style: Option<BarStyle>,
    /// Print rate statistics at the end.
    #[arg(short = 'v', long)]
    pub(crate) stats: bool,
    /// Limit the transfer to RATE bytes (lines with -l) per second (up to 1048576T; 0: no
    /// limit).
    #[arg(short = 'L', long, allow_hyphen_values = true, value_name = "RATE", value_parser = options::rate)]
    pub(crate) rate_limit: Option<Amount>,
    /// Buffer size (up to 64M; 0: the default).
    #[arg(short = 'B', long, allow_hyphen_values = true, value_name = "BYTES", value_parser = options::buffer)]
    pub(crate) buffer_size: Option<Amount>,
    /// Never use splice(2).
    #[arg(short = 'C', long)]
    pub(crate) no_splice: bool,
    /// Skip read errors.
    #[arg(short = 'E', long)]
    pub(crate) skip_errors: bool,
    /// Stop after --size bytes.
    #[arg(short = 'S', long)]
    pub(crate) stop_at_size: bool,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long, allow_hyphen_values = true, value_name = "FILE")]
    pub(crate) output: Option<String>,
    /// Read and discard, writing nothing.
    #[arg(short = 'X', long)]
    pub(crate) discard: bool,
    /// Write the process ID to FILE.
    #[arg(short = 'P', long, allow_hyphen_values = true, value_name = "FILE")]
    pub(crate) pidfile: Option<String>,
    /// Watch file descriptor FD of process PID (its first file without :FD; PID up to 4194304,
    /// FD up to 1073741823).
    #[arg(short = 'd', long, allow_hyphen_values = true, value_name = "PID[:FD]", value_parser = options::watch_target)]
    pub(crate) watchfd: Option<WatchTarget>,
    /// One progress bar per input file plus the total (drawn with indicatif).
    #[arg(long)]
    pub(crate) per_file: bool,
}

impl Args {
    /// The display switches: the ones given, or pv's default `-p -t -e -r -b` when none is.
    pub(crate) fn switches(&self) -> Switches {
        let mut s = Switches {
            name: self.name.is_some(),
            bytes: self.bytes || self.bits,
            buffer_percent: self.buffer_percent,
            timer: self.timer,
            rate: self.rate,
            average_rate: self.average_rate,
            progress: self.progress,
            eta: self.eta,
            fineta: self.fineta,
            last_written: self.last_written,
        };
        let any = s.bytes
            || s.buffer_percent
            || s.timer
            || s.rate
            || s.average_rate
            || s.progress
            || s.eta
            || s.fineta
            || s.last_written.is_some();
        if !any {
            s = Switches { bytes: true, timer: true, rate: true, progress: true, eta: true, ..s };
        }
        s
    }

    /// Counting lines (`-l`, or `-0` which implies it).
    pub(crate) fn counts_lines(&self) -> bool {
        self.line_mode || self.null
    }

    /// The inputs, standard input when none is named.
    pub(crate) fn inputs(&self) -> Vec<String> {
        if self.files.is_empty() { vec!["-".to_owned()] } else { self.files.clone() }
    }
}
