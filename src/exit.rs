//! How the process ends: the exit statuses every tool shares and the one mapping of a clap error
//! to an exit (fd's `exit_codes.rs` pattern). At the bottom: any tool and the top may use it,
//! it uses nothing of theirs.
//!
//! pv's own statuses (a bitmask, 64 for a bad command line) stay in `pv::exit`; this module has
//! what is common: clap's usual 2 for a command-line error, and 128 + N after a signal.

use std::process::ExitCode;

use signal_hook::consts::SIGHUP;

use crate::sanitize::{CleanText, Whitespace};

/// Exit status for a command-line error (clap's usual 2); pv uses its own 64.
pub const USAGE: u8 = 2;

/// The one mapping of a clap error to the process's exit: prints it where clap wants it
/// (`--help` and `--version` on stdout, usage errors on stderr) and returns success for a
/// display, `usage` for an error.
///
/// clap quotes the words it complains about as they are, and on a terminal it writes them
/// raw (a file name from a glob such as `$'\e]0;T\a'` would retitle the window): an error that
/// quotes anything but clean text is printed as sanitised plain text instead.
pub fn exit_for_clap_error(err: &clap::Error, usage: impl Into<ExitCode>) -> ExitCode {
    // Printing can only fail if stdout/stderr are gone; nothing more to tell anyone then.
    if quotes_unclean_text(err) {
        use std::io::Write;
        let text = CleanText::new(err.render().to_string(), Whitespace::Keep);
        let _ = if err.use_stderr() {
            std::io::stderr().lock().write_all(text.as_str().as_bytes())
        } else {
            std::io::stdout().lock().write_all(text.as_str().as_bytes())
        };
    } else {
        let _ = err.print();
    }
    if err.use_stderr() { usage.into() } else { ExitCode::SUCCESS }
}

/// Whether `err` would show text that is not clean: a quoted word with a control or bidi
/// character, or anything in its styled rendering beyond clap's own colours (`ESC [ ... m`).
fn quotes_unclean_text(err: &clap::Error) -> bool {
    use clap::error::ContextValue;
    let unclean = |text: &str| !crate::sanitize::is_clean(text.as_bytes()) || text.contains('\n');
    let in_context = err.context().any(|(_, value)| match value {
        ContextValue::String(s) => unclean(s),
        ContextValue::Strings(words) => words.iter().any(|w| unclean(w)),
        ContextValue::StyledStr(s) => unclean(&s.to_string()),
        _ => false,
    });
    in_context
        || !crate::sanitize::is_clean(without_sgr(&err.render().ansi().to_string()).as_bytes())
}

/// `text` without its SGR sequences (`ESC [ digits and ; m`), the only escapes clap writes.
fn without_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let params = after.find(|c: char| !c.is_ascii_digit() && c != ';').unwrap_or(after.len());
        if after[params..].starts_with('m') {
            rest = &after[params + 1..];
        } else {
            out.push('\x1b');
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    out
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
