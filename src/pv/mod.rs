//! `fun pv`: a pipe viewer compatible with pv 1.6.20 (options, progress line, `-n` output, exit
//! codes), faster (splice(2) with 1 MiB pipes, no per-chunk select or alarm), with a rate limit
//! that schedules each character at its own deadline, and `--per-file` bars.

pub mod control;
pub mod display;
pub mod format;
pub mod options;
pub mod shared;
pub mod transfer;
pub mod watchfd;

use std::fs::File;
use std::io::IsTerminal;
use std::os::fd::AsFd;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use self::control::{Control, Event, PidFile};
use self::display::{Config, Display, Numeric};
use self::format::{BarStyle, Style, Switches};
use self::options::{SizeArg, WatchTarget};
use self::shared::Shared;
use self::transfer::Plan;
use crate::units::{Amount, Unit};

/// pv's exit status bits.
pub const EXIT_ACCESS: u8 = 2;
pub const EXIT_SAME_FILE: u8 = 4;
pub const EXIT_TRANSFER: u8 = 16;
pub const EXIT_SIGNAL: u8 = 32;
pub const EXIT_USAGE: u8 = 64;

/// Options of `fun pv` (pv's, same letters and meanings).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  fun pv big.iso > /dev/sdX          progress of a copy\n  tar c dir | fun pv -s 2G | gzip > a.tgz\n  cmd | fun pv -qL 8                 retype the output at 8 characters a second\n  fun pv --per-file a b c > all      one bar per file plus the total"
)]
pub struct Args {
    /// Files to copy in order ("-" or none: standard input).
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Show a progress bar.
    #[arg(short = 'p', long)]
    pub progress: bool,
    /// Show the elapsed time.
    #[arg(short = 't', long)]
    pub timer: bool,
    /// Show the estimated time left.
    #[arg(short = 'e', long)]
    pub eta: bool,
    /// Show the estimated finish time of day.
    #[arg(short = 'I', long)]
    pub fineta: bool,
    /// Show the current rate.
    #[arg(short = 'r', long)]
    pub rate: bool,
    /// Show the average rate.
    #[arg(short = 'a', long)]
    pub average_rate: bool,
    /// Show the bytes transferred.
    #[arg(short = 'b', long)]
    pub bytes: bool,
    /// Count in bits.
    #[arg(short = '8', long)]
    pub bits: bool,
    /// Show the buffer fill percentage.
    #[arg(short = 'T', long)]
    pub buffer_percent: bool,
    /// Show the last NUM bytes written (up to 65535).
    #[arg(short = 'A', long, allow_hyphen_values = true, value_name = "NUM", value_parser = options::columns)]
    pub last_written: Option<usize>,
    /// Use FORMAT for the line (%p %t %e %I %r %a %b %T %nA %N %% and %{long-names}; n up to
    /// 65535).
    #[arg(short = 'F', long, allow_hyphen_values = true, value_name = "FORMAT", value_parser = format::format_arg)]
    pub format: Option<format::Format>,
    /// Print numbers (percent, or with -b bytes) one per line instead of a line.
    #[arg(short = 'n', long)]
    pub numeric: bool,
    /// Show nothing.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Wait for the first byte before showing anything.
    #[arg(short = 'W', long)]
    pub wait: bool,
    /// Show nothing for SEC seconds (up to 86400).
    #[arg(short = 'D', long, allow_hyphen_values = true, value_name = "SEC", value_parser = options::delay)]
    pub delay_start: Option<f64>,
    /// Total size (K, M, G, T suffixes, up to 1048576T; @FILE for a file's size).
    #[arg(short = 's', long, allow_hyphen_values = true, value_name = "SIZE", value_parser = options::size)]
    pub size: Option<SizeArg>,
    /// Count lines instead of bytes.
    #[arg(short = 'l', long)]
    pub line_mode: bool,
    /// Lines end with NUL (implies -l).
    #[arg(short = '0', long)]
    pub null: bool,
    /// Seconds between updates, 0.1 to 600 (default 1).
    #[arg(short = 'i', long, allow_hyphen_values = true, value_name = "SEC", value_parser = options::interval)]
    pub interval: Option<f64>,
    /// Seconds of history for the average rate, 1 to 3600 (accepted for compatibility).
    #[arg(short = 'm', long, allow_hyphen_values = true, value_name = "SEC", value_parser = options::average_window)]
    pub average_rate_window: Option<u32>,
    /// Assume the terminal is N columns wide (up to 65535; 0: ask the terminal).
    #[arg(short = 'w', long, allow_hyphen_values = true, value_name = "N", value_parser = options::columns)]
    pub width: Option<usize>,
    /// Assume the terminal is N rows high (up to 65535).
    #[arg(short = 'H', long, allow_hyphen_values = true, value_name = "N", value_parser = options::columns)]
    pub height: Option<usize>,
    /// Prefix the line with NAME.
    #[arg(short = 'N', long, allow_hyphen_values = true, value_name = "NAME")]
    pub name: Option<String>,
    /// Show the display even when stderr is not a terminal.
    #[arg(short = 'f', long)]
    pub force: bool,
    /// Use powers of 1000 instead of 1024.
    #[arg(short = 'k', long)]
    pub si: bool,
    /// Bar style.
    #[arg(short = 'u', long, value_enum, value_name = "STYLE")]
    pub bar_style: Option<BarStyle>,
    /// Print rate statistics at the end.
    #[arg(short = 'v', long)]
    pub stats: bool,
    /// Limit the transfer to RATE bytes (lines with -l) per second (up to 1048576T; 0: no
    /// limit).
    #[arg(short = 'L', long, allow_hyphen_values = true, value_name = "RATE", value_parser = options::rate)]
    pub rate_limit: Option<Amount>,
    /// Buffer size (up to 64M; 0: the default).
    #[arg(short = 'B', long, allow_hyphen_values = true, value_name = "BYTES", value_parser = options::buffer)]
    pub buffer_size: Option<Amount>,
    /// Never use splice(2).
    #[arg(short = 'C', long)]
    pub no_splice: bool,
    /// Skip read errors.
    #[arg(short = 'E', long)]
    pub skip_errors: bool,
    /// Stop after --size bytes.
    #[arg(short = 'S', long)]
    pub stop_at_size: bool,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long, allow_hyphen_values = true, value_name = "FILE")]
    pub output: Option<String>,
    /// Read and discard, writing nothing.
    #[arg(short = 'X', long)]
    pub discard: bool,
    /// Write the process ID to FILE.
    #[arg(short = 'P', long, allow_hyphen_values = true, value_name = "FILE")]
    pub pidfile: Option<String>,
    /// Watch file descriptor FD of process PID (its first file without :FD; PID up to 4194304,
    /// FD up to 1073741823).
    #[arg(short = 'd', long, allow_hyphen_values = true, value_name = "PID[:FD]", value_parser = options::watch_target)]
    pub watchfd: Option<WatchTarget>,
    /// One progress bar per input file plus the total (drawn with indicatif).
    #[arg(long)]
    pub per_file: bool,
}

/// A usage error found after parsing (pv's exit 64).
fn usage(message: &str) -> anyhow::Result<ExitCode> {
    eprintln!("fun pv: {message}");
    Ok(ExitCode::from(EXIT_USAGE))
}

/// The total size: `-s`, or the sum of the regular files' sizes.
fn total_size(args: &Args, files: &[String]) -> Result<Option<u64>, String> {
    match &args.size {
        Some(SizeArg::FileSize(path)) => {
            return std::fs::metadata(path).map(|m| Some(m.len())).map_err(|e| {
                format!("-s @{}: {}", crate::files::display_path(path), transfer::describe(&e))
            });
        }
        Some(SizeArg::Amount(amount)) => return Ok(Some(amount.resolve(args.si))),
        None => {}
    }
    if args.line_mode || args.null {
        return Ok(None);
    }
    let mut total = 0;
    for name in files {
        let meta = if name == "-" {
            File::from(std::io::stdin().as_fd().try_clone_to_owned().map_err(|e| e.to_string())?)
                .metadata()
                .ok()
        } else {
            std::fs::metadata(name).ok()
        };
        match meta {
            Some(m) if m.is_file() => total += m.len(),
            _ => return Ok(None),
        }
    }
    Ok((total > 0).then_some(total))
}

/// Opens `-o PATH`, truncating it only once no input turns out to be that same file (which
/// would otherwise be emptied before it is read): refused with pv's exit 4, file untouched.
fn open_output(path: &str, inputs: &[String]) -> Result<File, (String, u8)> {
    let failed = |e: &std::io::Error| (format!("{path}: {}", transfer::describe(e)), EXIT_ACCESS);
    let out = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| failed(&e))?;
    let meta = out.metadata().map_err(|e| failed(&e))?;
    if meta.is_file() {
        for name in inputs {
            if transfer::same_file(name, &meta) {
                return Err((format!("{name}: input file is output file"), EXIT_SAME_FILE));
            }
        }
        out.set_len(0).map_err(|e| failed(&e))?;
    }
    Ok(out)
}

fn switches(args: &Args) -> Switches {
    let mut s = Switches {
        name: args.name.is_some(),
        bytes: args.bytes || args.bits,
        buffer_percent: args.buffer_percent,
        timer: args.timer,
        rate: args.rate,
        average_rate: args.average_rate,
        progress: args.progress,
        eta: args.eta,
        fineta: args.fineta,
        last_written: args.last_written,
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

/// Runs `fun pv`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Signals first: from here on they only ask the main thread to end (and clean up).
    let control = Control::install()?;
    let _pidfile = match args.pidfile.as_deref().map(PidFile::create).transpose() {
        Ok(pidfile) => pidfile,
        Err(e) => {
            let path = args.pidfile.as_deref().unwrap_or_default();
            eprintln!("fun pv: {path}: {}", transfer::describe(&e));
            return Ok(ExitCode::from(1));
        }
    };
    if let Some(target) = args.watchfd {
        return Ok(watchfd::run(target, &args, &control));
    }
    let files = if args.files.is_empty() { vec!["-".to_owned()] } else { args.files.clone() };
    // Zero means no limit (and the default buffer), as in pv.
    let rate_limit = args.rate_limit.map(|r| r.resolve(args.si)).filter(|&r| r > 0);
    let buffer_size = args
        .buffer_size
        .map(|b| b.resolve(args.si))
        .filter(|&b| b > 0)
        .map(|b| usize::try_from(b).unwrap_or(usize::MAX));
    let interval = Duration::from_secs_f64(args.interval.unwrap_or(1.0));
    let delay = Duration::from_secs_f64(args.delay_start.unwrap_or(0.0));
    let size = match total_size(&args, &files) {
        Ok(s) => s,
        Err(e) => return usage(&e),
    };
    let line_mode = args.line_mode || args.null;
    let mut out = match &args.output {
        Some(path) => match open_output(path, &files) {
            Ok(f) => f,
            Err((message, code)) => {
                eprintln!("fun pv: {message}");
                return Ok(ExitCode::from(code));
            }
        },
        None => File::from(std::io::stdout().as_fd().try_clone_to_owned()?),
    };

    let shared = Arc::new(Shared::new(files.len()));
    let visible = !args.quiet && (args.force || args.numeric || std::io::stderr().is_terminal());
    let display = visible.then(|| {
        let unit = match (args.bits, line_mode, args.si) {
            (true, _, _) => Unit::Bits,
            (_, true, _) => Unit::Count,
            (_, _, true) => Unit::SiBytes,
            _ => Unit::Bytes,
        };
        let style =
            Style { unit, name: args.name.clone(), bar: args.bar_style.unwrap_or_default() };
        let (tokens, custom_format) = match &args.format {
            Some(format) => (format.0.clone(), true),
            None => (format::switches_layout(&switches(&args)), false),
        };
        let per_file = (args.per_file && files.len() > 1).then(|| {
            files.iter().map(|f| (f.clone(), std::fs::metadata(f).ok().map(|m| m.len()))).collect()
        });
        let numeric = args.numeric.then_some(Numeric {
            timer: args.timer,
            bytes: args.bytes,
            rate: args.rate,
        });
        let config = Config {
            tokens,
            custom_format,
            style,
            numeric,
            interval,
            width: args.width.filter(|&w| w > 0),
            size,
            wait_for_data: args.wait,
            delay,
            stats: args.stats,
            per_file,
        };
        Display::spawn(config, Arc::clone(&shared), control.flags.clone(), control.sender.clone())
    });
    let plan = Plan {
        rate_limit,
        line_mode,
        separator: if args.null { 0 } else { b'\n' },
        buffer_size,
        no_splice: args.no_splice || args.buffer_percent || args.last_written.is_some(),
        skip_errors: args.skip_errors,
        stop_at: if args.stop_at_size { size } else { None },
        discard: args.discard,
        keep_last: args.last_written.map_or(0, |n| if n == 0 { 16 } else { n }),
    };
    let copier = Arc::clone(&shared);
    let report = control.sender.clone();
    std::thread::spawn(move || {
        let status = transfer::run(&files, &mut out, &plan, &copier);
        copier.fail(status);
        let _ = report.send(Event::Finished);
    });
    let mut signalled = control.wait_for_copy();
    if let Some(display) = &display {
        display.finish();
        signalled |= control.wait_for_final_line(signalled);
    }
    let mut status = shared.status();
    if signalled {
        status |= EXIT_SIGNAL;
    }
    Ok(ExitCode::from(status))
}
