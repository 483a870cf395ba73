//! One transfer, from the options to the exit status: the settings they add up to, the output
//! opened (refusing an input that is the output before truncating it), then the copy on a
//! thread of its own and the display on another, while the main thread waits for the end or a
//! signal ([`Control`]).

use std::fs::File;
use std::io::IsTerminal;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::time::Duration;

use super::args::Args;
use super::control::{Control, Event};
use super::display::{Config, Display, Numeric};
use super::exit::{ExitStatus, PvError};
use super::format::{self, Style};
use super::options::SizeArg;
use super::shared::Shared;
use super::transfer::{self, Plan};
use crate::units::Unit;

/// A transfer ready to run.
pub(super) struct Transfer {
    inputs: Vec<String>,
    out: File,
    plan: Plan,
    /// What to show, when anything is shown.
    display: Option<Config>,
}

impl Transfer {
    /// Works out the settings and opens the output.
    pub(super) fn prepare(args: &Args) -> Result<Transfer, PvError> {
        let inputs = args.inputs();
        let size = total_size(args, &inputs)?;
        let out = match &args.output {
            Some(path) => open_output(path, &inputs)?,
            None => crate::stdio::stdout_file().map_err(|source| PvError::Write { source })?,
        };
        let visible =
            !args.quiet && (args.force || args.numeric || std::io::stderr().is_terminal());
        let display = visible.then(|| display_config(args, &inputs, size));
        Ok(Transfer { plan: plan(args, size), inputs, out, display })
    }

    /// Runs the copy and the display until both are done or a signal comes.
    pub(super) fn run(self, control: &Control) -> ExitStatus {
        let Transfer { inputs, mut out, plan, display } = self;
        let shared = Arc::new(Shared::new(inputs.len()));
        let display = display.map(|config| {
            let flags = control.flags.clone();
            Display::spawn(config, Arc::clone(&shared), flags, control.sender.clone())
        });
        let copier = Arc::clone(&shared);
        let report = control.sender.clone();
        std::thread::spawn(move || {
            copier.fail(transfer::run(&inputs, &mut out, &plan, &copier));
            let _ = report.send(Event::Finished);
        });
        let mut signalled = control.wait_for_copy();
        if let Some(display) = &display {
            display.finish();
            signalled |= control.wait_for_final_line(signalled);
        }
        let status = shared.status();
        if signalled { status | ExitStatus::SIGNAL } else { status }
    }
}

/// What the copy loop needs from the options.
fn plan(args: &Args, size: Option<u64>) -> Plan {
    Plan {
        // Zero means no limit (and the default buffer), as in pv.
        rate_limit: args.rate_limit.map(|r| r.resolve(args.si)).filter(|&r| r > 0),
        line_mode: args.counts_lines(),
        separator: if args.null { 0 } else { b'\n' },
        buffer_size: args
            .buffer_size
            .map(|b| b.resolve(args.si))
            .filter(|&b| b > 0)
            .map(|b| usize::try_from(b).unwrap_or(usize::MAX)),
        no_splice: args.no_splice || args.buffer_percent || args.last_written.is_some(),
        skip_errors: args.skip_errors,
        stop_at: if args.stop_at_size { size } else { None },
        discard: args.discard,
        keep_last: args.last_written.map_or(0, |n| if n == 0 { 16 } else { n }),
    }
}

/// What the display shows and how.
fn display_config(args: &Args, inputs: &[String], size: Option<u64>) -> Config {
    let unit = match (args.bits, args.counts_lines(), args.si) {
        (true, _, _) => Unit::Bits,
        (_, true, _) => Unit::Count,
        (_, _, true) => Unit::SiBytes,
        _ => Unit::Bytes,
    };
    let style = Style { unit, name: args.name.clone(), bar: args.bar_style.unwrap_or_default() };
    let (tokens, custom_format) = match &args.format {
        Some(format) => (format.0.clone(), true),
        None => (format::switches_layout(&args.switches()), false),
    };
    let per_file = (args.per_file && inputs.len() > 1).then(|| {
        inputs.iter().map(|f| (f.clone(), std::fs::metadata(f).ok().map(|m| m.len()))).collect()
    });
    let numeric =
        args.numeric.then_some(Numeric { timer: args.timer, bytes: args.bytes, rate: args.rate });
    Config {
        tokens,
        custom_format,
        style,
        numeric,
        interval: Duration::from_secs_f64(args.interval.unwrap_or(1.0)),
        width: args.width.filter(|&w| w > 0),
        size,
        wait_for_data: args.wait,
        delay: Duration::from_secs_f64(args.delay_start.unwrap_or(0.0)),
        stats: args.stats,
        per_file,
    }
}

/// The total size: `-s`, or the sum of the regular files' sizes.
fn total_size(args: &Args, inputs: &[String]) -> Result<Option<u64>, PvError> {
    match &args.size {
        Some(SizeArg::FileSize(path)) => {
            return std::fs::metadata(path).map(|m| Some(m.len())).map_err(|source| {
                PvError::SizeFile { path: crate::files::display_path(path), source }
            });
        }
        Some(SizeArg::Amount(amount)) => return Ok(Some(amount.resolve(args.si))),
        None => {}
    }
    if args.counts_lines() {
        return Ok(None);
    }
    let mut total = 0;
    for name in inputs {
        let meta = if name == "-" {
            std::io::stdin()
                .as_fd()
                .try_clone_to_owned()
                .ok()
                .and_then(|fd| File::from(fd).metadata().ok())
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
fn open_output(path: &str, inputs: &[String]) -> Result<File, PvError> {
    let failed = |source| PvError::Output { path: path.to_owned(), source };
    let out = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(failed)?;
    let meta = out.metadata().map_err(failed)?;
    if meta.is_file() {
        if let Some(name) = inputs.iter().find(|name| transfer::same_file(name, &meta)) {
            return Err(PvError::SameFile { name: name.clone() });
        }
        out.set_len(0).map_err(failed)?;
    }
    Ok(out)
}
