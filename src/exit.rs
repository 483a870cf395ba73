//! How the process ends: the exit statuses every tool shares and the one mapping of a clap error
//! to an exit (fd's `exit_codes.rs` pattern). At the bottom: any tool and the top may use it,
//! it uses nothing of theirs.
//!
//! pv's own statuses (a bitmask, 64 for a bad command line) stay in `pv::exit`; this module has
//! what is common: clap's usual 2 for a command-line error, and 128 + N after a signal.

use std::process::ExitCode;

use signal_hook::consts::SIGHUP;

/// Exit status for a command-line error (clap's usual 2); pv uses its own 64.
pub const USAGE: u8 = 2;

/// The one mapping of a clap error to the process's exit: prints it where clap wants it
/// (`--help` and `--version` on stdout, usage errors on stderr) and returns success for a
/// display, `usage` for an error.
pub fn exit_for_clap_error(err: &clap::Error, usage: impl Into<ExitCode>) -> ExitCode {
    // Printing can only fail if stdout/stderr are gone; nothing more to tell anyone then.
    let _ = err.print();
    if err.use_stderr() { usage.into() } else { ExitCode::SUCCESS }
}

/// The conventional exit status for a program ended by `signal` (128 + number).
#[must_use]
pub fn signal_exit_status(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(1)
}

/// The exit status after the terminal hung up: the same as for SIGHUP, which is what the
/// kernel sends along with a hang-up (129).
#[must_use]
pub fn hangup_exit_status() -> u8 {
    signal_exit_status(SIGHUP)
}

#[cfg(test)]
mod tests {
    use signal_hook::consts::{SIGINT, SIGTERM};

    use super::*;

    #[test]
    fn exit_status_for_signals() {
        assert_eq!(signal_exit_status(SIGTERM), 143);
        assert_eq!(signal_exit_status(SIGINT), 130);
        assert_eq!(hangup_exit_status(), 129);
    }
}
