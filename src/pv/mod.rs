//! `fun pv`: a pipe viewer compatible with pv 1.6.20 (options, progress line, `-n` output, exit
//! codes), faster (splice(2) with 1 MiB pipes, no per-chunk select or alarm), with a rate limit
//! that schedules each character at its own deadline, and `--per-file` bars.
//!
//! [`run`] is the main thread: it installs the signals (`control`), writes the `-P` file, and
//! then either watches another process (`-d`, `watchfd`) or runs a transfer (`session`).

mod args;
mod control;
mod display;
mod exit;
mod format;
mod options;
mod session;
mod shared;
mod transfer;
mod watchfd;

use std::process::ExitCode;

pub use self::args::Args;
use self::control::{Control, PidFile};
pub(crate) use self::exit::ExitStatus;
use self::session::Transfer;

/// Runs `fun pv`.
///
/// # Errors
/// Only when the signal handlers cannot be installed; everything else is reported on stderr
/// and given pv's exit status.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Signals first: from here on they only ask this thread to end (and clean up).
    let control = Control::install()?;
    let _pidfile = match args.pidfile.as_deref().map(PidFile::create).transpose() {
        Ok(pidfile) => pidfile,
        Err(e) => return Ok(e.report().into()),
    };
    let status = match args.watchfd {
        Some(target) => watchfd::run(target, &args, &control),
        None => match Transfer::prepare(&args) {
            Ok(transfer) => transfer.run(&control),
            Err(e) => e.report(),
        },
    };
    Ok(status.into())
}
