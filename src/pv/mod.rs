//! `fun pv`: a pipe viewer compatible with pv 1.10.5 (options, progress line, `-n` output, exit
//! codes) and pv 1.11's `-M`, faster (splice(2) with 1 MiB pipes, no per-chunk select or
//! alarm), with a rate limit that schedules each character at its own deadline, and the
//! wishes of pv's users behind long options (`--json`, `--log`, `--on-progress`,
//! `--per-file`).
//!
//! [`run`] is the main thread: it installs the signals (`control`), writes the `-P` file, and
//! then runs one mode: `-R` (change another fun pv), `-Q` (show another fun pv), `-d` (watch
//! another process's files), `-M` (run a command and watch its pipes), `-U` (store, then
//! forward), or a plain transfer (`session`).

mod abbrev;
mod args;
mod calc;
mod control;
mod display;
mod exit;
pub(crate) mod format;
mod monitor;
mod options;
pub(crate) mod remote;
mod runtime;
mod session;
mod setup;
mod shared;
mod sizes;
mod store;
mod transfer;
mod watchfd;

use std::process::ExitCode;

pub use self::args::Args;
use self::control::{Control, PidFile};
pub(crate) use self::exit::ExitStatus;
use self::session::Transfer;

/// `fun pv`, as the top sees it.
pub const TOOL: crate::tool::Tool =
    crate::tool::Tool { name: "pv", command, run: main, completers: crate::tool::no_completers };

/// `fun pv`'s command line.
fn command() -> clap::Command {
    let about = "Monitor the progress of data through a pipe (compatible with pv)";
    crate::tool::command_of::<Args>("pv", about)
}

/// `fun pv ARGS...`: parses its words, then [`run`]. A bad command line is pv's exit status 64
/// and one line naming the option, like pv's own usage errors.
fn main(words: &[std::ffi::OsString]) -> anyhow::Result<ExitCode> {
    let err = match crate::tool::parse::<Args>(command(), words) {
        Ok((args, _)) => return run(args),
        Err(err) => err,
    };
    if !err.use_stderr() {
        return Ok(crate::exit::exit_for_clap_error(&err, ExitStatus::USAGE));
    }
    let line = abbrev::usage_line(&err, words);
    crate::stdio::warn("pv", &crate::sanitize::CleanLine::message(line));
    Ok(ExitStatus::USAGE.into())
}

/// Runs `fun pv`.
///
/// # Errors
/// Only when the signal handlers cannot be installed; everything else is reported on stderr
/// and given pv's exit status.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Signals first: from here on they only ask this thread to end (and clean up).
    let control = Control::install()?;
    let hooks = match setup::hooks(&args) {
        Ok(hooks) => hooks,
        Err(message) => {
            crate::stdio::warn("pv", &crate::sanitize::CleanLine::message(message.to_string()));
            return Ok(ExitStatus::USAGE.into());
        }
    };
    if let Some(pid) = args.remote {
        return Ok(remote::remote(pid, &args).into());
    }
    let _pidfile = match args.pidfile.as_deref().map(PidFile::create).transpose() {
        Ok(pidfile) => pidfile,
        Err(e) => return Ok(e.report().into()),
    };
    let status = if let Some(pid) = args.query {
        remote::query(pid, setup::transfer_config(&args, true, None), args.name(), &control)
    } else if let Some(first) = &args.watchfd {
        watchfd::run(first, &args, &control)
    } else if let Some(side) = args.monitor {
        monitor::run(side, &args, hooks, &control)
    } else if let Some(path) = &args.store_and_forward {
        store::run(path, &args, hooks, &control)
    } else {
        match Transfer::prepare(&args, hooks) {
            Ok(transfer) => transfer.run(&control),
            Err(e) => e.report(),
        }
    };
    Ok(status.into())
}
