//! The options of `fun pv`: pv 1.10's letters and meanings (and 1.11's `-M`), each number with
//! its bound ([`super::options`]), our own additions (`--json`, `--log`, `--on-progress`,
//! `--per-file`) as long options only, and the display switches they add up to.

use super::display::extra::{ExtraSpec, extra_arg};
use super::format::{self, BarStyle, Switches};
use super::options::{self, Side, SizeArg, WatchArg};
use crate::units::Amount;

/// Options of `fun pv` (pv's, same letters and meanings).
#[derive(Debug, clap::Args)]
#[command(
    infer_long_args = true,
    after_help = "Examples:\n  fun pv big.iso > /dev/sdX          progress of a copy\n  tar c dir | fun pv -s @dir | gzip > a.tgz\n  cmd | fun pv -qL 8                 retype the output at 8 characters a second\n  fun pv -M both -- gzip -9 < a > a.gz   progress of a command's input and output\n  fun pv -d 1234                     progress of the files process 1234 reads\n  fun pv -R 1234 -L 1M               slow down the fun pv running as process 1234\n  fun pv --per-file a b c > all      one line per file plus the total"
)]
pub struct Args {
    /// Files to copy in order ("-" or none: standard input); with -d, more processes to
    /// watch; with -M, the command to run and its arguments (after --).
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
    /// Show the average rate (over the -m window).
    #[arg(short = 'a', long)]
    pub(crate) average_rate: bool,
    /// Show the bytes transferred.
    #[arg(short = 'b', long)]
    pub(crate) bytes: bool,
    /// Count in bits (implies -b).
    #[arg(short = '8', long)]
    pub(crate) bits: bool,
    /// Show how full the transfer buffer is (implies -C).
    #[arg(short = 'T', long)]
    pub(crate) buffer_percent: bool,
    /// Show the last NUM bytes written (up to 65535; implies -C).
    #[arg(short = 'A', long, allow_hyphen_values = true, value_name = "NUM", value_parser = options::columns)]
    pub(crate) last_written: Option<usize>,
    /// Use FORMAT for the line (%p %t %e %I %r %a %b %T %nA %nL %N %% and %{long-names},
    /// widths up to 65535; twice with -M: input side, output side).
    #[arg(short = 'F', long, allow_hyphen_values = true, value_name = "FORMAT", value_parser = format::format_arg, action = clap::ArgAction::Append)]
    pub(crate) format: Vec<format::Format>,
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
    /// Total size (K, M, G, T suffixes, up to 1048576T; @FILE for a file's or block device's
    /// size, @DIR for the regular files under it, up to 1000000 entries 64 deep).
    #[arg(short = 's', long, allow_hyphen_values = true, value_name = "SIZE", value_parser = options::size)]
    pub(crate) size: Option<SizeArg>,
    /// With an unknown size, show the rate against the highest seen instead of a bouncing bar.
    #[arg(short = 'g', long)]
    pub(crate) gauge: bool,
    /// Count lines instead of bytes.
    #[arg(short = 'l', long)]
    pub(crate) line_mode: bool,
    /// Lines end with NUL (implies -l).
    #[arg(short = '0', long)]
    pub(crate) null: bool,
    /// Seconds between updates, 0.1 to 600 (default 1).
    #[arg(short = 'i', long, allow_hyphen_values = true, value_name = "SEC", value_parser = options::interval)]
    pub(crate) interval: Option<f64>,
    /// Seconds of history for the average rate and the ETA, 1 to 3600 (default 30).
    #[arg(short = 'm', long, allow_hyphen_values = true, value_name = "SEC", value_parser = options::average_window)]
    pub(crate) average_rate_window: Option<u32>,
    /// Assume the terminal is N columns wide (up to 65535; 0: ask the terminal).
    #[arg(short = 'w', long, allow_hyphen_values = true, value_name = "N", value_parser = options::columns)]
    pub(crate) width: Option<usize>,
    /// Assume the terminal is N rows high (up to 65535).
    #[arg(short = 'H', long, allow_hyphen_values = true, value_name = "N", value_parser = options::columns)]
    pub(crate) height: Option<usize>,
    /// Prefix the line with NAME (twice with -M: input side, output side).
    #[arg(short = 'N', long, allow_hyphen_values = true, value_name = "NAME", action = clap::ArgAction::Append)]
    pub(crate) name: Vec<String>,
    /// Show the display even when stderr is not a terminal.
    #[arg(short = 'f', long)]
    pub(crate) force: bool,
    /// Use powers of 1000 instead of 1024.
    #[arg(short = 'k', long)]
    pub(crate) si: bool,
    /// Bar style.
    #[arg(short = 'u', long, value_enum, value_name = "STYLE")]
    pub(crate) bar_style: Option<BarStyle>,
    /// Also show the progress in the window title and/or the process title: window,
    /// process, or both, optionally followed by :FORMAT.
    #[arg(short = 'x', long, allow_hyphen_values = true, value_name = "SPEC", value_parser = extra_arg)]
    pub(crate) extra_display: Option<ExtraSpec>,
    /// Print rate statistics (min/avg/max/mdev) at the end.
    #[arg(short = 'v', long)]
    pub(crate) stats: bool,
    /// Keep this line at its own place on the terminal (several fun pv -c in one pipeline).
    #[arg(short = 'c', long)]
    pub(crate) cursor: bool,
    /// Limit the transfer to RATE bytes (lines with -l) per second (1 to 1048576T; 0: no
    /// limit).
    #[arg(short = 'L', long, allow_hyphen_values = true, value_name = "RATE", value_parser = options::rate)]
    pub(crate) rate_limit: Option<Amount>,
    /// Buffer size (up to 64M; 0: the default; implies -C).
    #[arg(short = 'B', long, allow_hyphen_values = true, value_name = "BYTES", value_parser = options::buffer)]
    pub(crate) buffer_size: Option<Amount>,
    /// Never use splice(2).
    #[arg(short = 'C', long)]
    pub(crate) no_splice: bool,
    /// Skip read errors, writing zeros instead (twice: say so once per file).
    #[arg(short = 'E', long, action = clap::ArgAction::Count)]
    pub(crate) skip_errors: u8,
    /// With -E, skip whole BYTES blocks at an error (up to 64M; implies -E).
    #[arg(short = 'Z', long, allow_hyphen_values = true, value_name = "BYTES", value_parser = options::buffer)]
    pub(crate) error_skip_block: Option<Amount>,
    /// Stop after --size bytes.
    #[arg(short = 'S', long)]
    pub(crate) stop_at_size: bool,
    /// Flush each write to disk (fdatasync).
    #[arg(short = 'Y', long)]
    pub(crate) sync: bool,
    /// Bypass the page cache (O_DIRECT on files and block devices; falls back with a warning
    /// where refused).
    #[arg(short = 'K', long)]
    pub(crate) direct_io: bool,
    /// Seek over blocks of zeros instead of writing them, when the output is a regular file
    /// (implies -C).
    #[arg(short = 'O', long)]
    pub(crate) sparse: bool,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long, allow_hyphen_values = true, value_name = "FILE")]
    pub(crate) output: Option<String>,
    /// Read and discard, writing nothing.
    #[arg(short = 'X', long)]
    pub(crate) discard: bool,
    /// Read all input into FILE first, then send it on with its size known ("-": a temporary
    /// file, removed after).
    #[arg(short = 'U', long, allow_hyphen_values = true, value_name = "FILE")]
    pub(crate) store_and_forward: Option<String>,
    /// Write the process ID to FILE.
    #[arg(short = 'P', long, allow_hyphen_values = true, value_name = "FILE")]
    pub(crate) pidfile: Option<String>,
    /// Watch the files process PID reads (PID:FD one descriptor, =NAME processes by name,
    /// @LISTFILE one argument a line, up to 1024; PID up to 4194304, FD up to 1073741823).
    #[arg(short = 'd', long, allow_hyphen_values = true, value_name = "PID[:FD]|=NAME|@LISTFILE", value_parser = options::watch_arg)]
    pub(crate) watchfd: Option<WatchArg>,
    /// Change the settings of the fun pv running as process PID (up to 4194304) to this
    /// command line's.
    #[arg(short = 'R', long, value_name = "PID", value_parser = options::pid)]
    pub(crate) remote: Option<u32>,
    /// Show the progress of the fun pv running as process PID (up to 4194304).
    #[arg(short = 'Q', long, value_name = "PID", value_parser = options::pid)]
    pub(crate) query: Option<u32>,
    /// Run the command after -- and show the progress of its input, output or both
    /// (in|0|out|1|both|2, or files: what it opens itself).
    #[arg(short = 'M', long, value_name = "SIDE", value_parser = options::side)]
    pub(crate) monitor: Option<Side>,
    /// One line per input file plus the total.
    #[arg(long)]
    pub(crate) per_file: bool,
    /// Print one JSON object per update and a summary at the end on stderr (schema in
    /// docs/pv-compat.md).
    #[arg(long)]
    pub(crate) json: bool,
    /// With -f and stderr not a terminal, print one plain line per update (for log files).
    #[arg(long)]
    pub(crate) log: bool,
    /// Run COMMAND each time PERCENT more is done (1 to 100) and at the end, with FUN_PV_*
    /// variables; one at a time.
    #[arg(long, num_args = 2, value_names = ["PERCENT", "COMMAND"], allow_hyphen_values = true)]
    pub(crate) on_progress: Option<Vec<String>>,
    /// Run the --on-progress COMMAND through /bin/sh -c.
    #[arg(long, requires = "on_progress")]
    pub(crate) on_progress_shell: bool,
}

impl Args {
    /// The display switches: the ones given, or pv's default `-p -t -e -r -b` when none is.
    pub(crate) fn switches(&self) -> Switches {
        let mut s = Switches {
            name: !self.name.is_empty(),
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

    /// The name shown (the last `-N`).
    pub(crate) fn name(&self) -> Option<String> {
        self.name.last().cloned()
    }

    /// The `-F` format in force (the last one).
    pub(crate) fn format(&self) -> Option<&format::Format> {
        self.format.last()
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
