//! The top-level command line: one subcommand per tool, and the mapping of their results to
//! process exit codes.
//!
//! pv reports bad options with exit code 64, so a parse error under `fun pv` maps to 64; every
//! other tool uses clap's usual 2. When the binary is invoked as `pv` or `calendar` (a symlink),
//! it behaves as `fun pv` / `fun calendar` so it can be a drop-in replacement.

use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::sanitize::{CleanLine, CleanText, Whitespace};

/// Terminal fun: a screensaver engine, a pipe viewer with a typing simulator, and a calendar.
#[derive(Debug, Parser)]
#[command(name = "fun", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run an ASCII screensaver (`fun saver` lists the screens).
    Saver(Box<crate::saver::Args>),
    /// Monitor the progress of data through a pipe (compatible with pv).
    Pv(Box<crate::pv::Args>),
    /// Retype text with a human typing rhythm.
    Type(crate::typist::Args),
    /// Show upcoming events from calendar files (compatible with BSD calendar).
    Calendar(crate::calendar::Args),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell.
    Completions(crate::complete::Args),
    /// Print a manual page (`fun man pv | man -l -`), or write them all with --dir.
    Man(crate::man::Args),
}

/// Exit status for a command-line error under `fun pv` (pv's "bad option" bit).
const PV_USAGE_EXIT: crate::pv::ExitStatus = crate::pv::ExitStatus::USAGE;
/// Exit status for a command-line error under every other tool (clap's usual 2).
pub(crate) const USAGE_EXIT: u8 = 2;

/// The one mapping of a clap error to the process's exit: prints it where clap wants it
/// (`--help` and `--version` on stdout, usage errors on stderr) and returns success for a
/// display, `usage` for an error.
///
/// clap quotes the words it complains about as they are, and on a terminal it writes them
/// raw (a file name from a glob such as `$'\e]0;T\a'` would retitle the window): an error that
/// quotes anything but clean text is printed as sanitised plain text instead.
pub(crate) fn exit_for_clap_error(err: &clap::Error, usage: impl Into<ExitCode>) -> ExitCode {
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

/// Parses `std::env::args_os`, runs the chosen tool and returns its exit code.
pub fn main() -> ExitCode {
    crate::stdio::guard_closed();
    let argv: Vec<OsString> = std::env::args_os().collect();
    // A shell's completion script calling back (`COMPLETE=bash fun -- fun saver ma`).
    if let Some(code) = crate::complete::answer_request(&argv) {
        return code;
    }
    // `fun saver NAME --fps 30` is `fun saver --fps 30 NAME`: one parse for every engine option.
    let args = crate::saver::engine_options_first(multicall_args(argv));
    let is_pv = args.get(1).is_some_and(|a| a == "pv");
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(err) => {
            let usage_error = err.use_stderr();
            if usage_error && is_pv {
                // One line naming the option, like pv's own usage errors.
                let line = crate::pv::usage_line(&err, &args);
                crate::stdio::warn("pv", &CleanLine::message(line));
                return ExitCode::from(PV_USAGE_EXIT);
            }
            return if is_pv {
                exit_for_clap_error(&err, PV_USAGE_EXIT)
            } else {
                exit_for_clap_error(&err, USAGE_EXIT)
            };
        }
    };
    let (tool, result) = match cli.command {
        Command::Saver(saver) => ("saver", crate::saver::run(*saver, &args)),
        Command::Pv(args) => ("pv", crate::pv::run(*args)),
        Command::Type(args) => ("type", crate::typist::run(args)),
        Command::Calendar(args) => ("calendar", crate::calendar::run(args)),
        Command::Completions(args) => ("completions", crate::complete::run(&args)),
        Command::Man(args) => ("man", crate::man::run(&args)),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            crate::stdio::warn(tool, &error_line(&err));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes as one line for stderr: `context: cause: cause`, where a cause that
/// its parent's text already ends with is not repeated (an error type that shows its source,
/// like `NAME: {source}`, would otherwise print it twice), no control character from a path
/// or a value reaches the terminal, and a message quoting a huge value is cut
/// ([`CleanLine::message`]).
fn error_line(err: &anyhow::Error) -> CleanLine {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.is_empty() {
            line = text;
        } else if !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
    }
    CleanLine::message(line)
}

/// When invoked through a symlink named `pv` or `calendar`, insert that subcommand.
fn multicall_args(mut args: Vec<OsString>) -> Vec<OsString> {
    let invoked_as = args
        .first()
        .and_then(|a| Path::new(a).file_stem())
        .and_then(|s| s.to_str())
        .map(str::to_owned);
    if let Some(tool @ ("pv" | "calendar")) = invoked_as.as_deref() {
        args.insert(1, OsString::from(tool));
        args[0] = OsString::from("fun");
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error type that shows its source in its own text, as many of ours do.
    #[derive(Debug, thiserror::Error)]
    #[error("{path}: {source}")]
    struct ShowsSource {
        path: String,
        source: std::io::Error,
    }

    #[test]
    fn a_cause_already_shown_is_not_repeated() {
        let io = std::io::Error::other("Input/output error");
        let err = anyhow::Error::new(ShowsSource { path: "/x".into(), source: io })
            .context("screen rocket");
        assert_eq!(error_line(&err).as_str(), "screen rocket: /x: Input/output error");
    }

    #[test]
    fn causes_not_yet_shown_are_joined() {
        let err = anyhow::Error::new(std::io::Error::other("Bad file descriptor"))
            .context("cannot write to standard output");
        assert_eq!(
            error_line(&err).as_str(),
            "cannot write to standard output: Bad file descriptor"
        );
    }

    #[test]
    fn the_line_is_one_clean_line() {
        let err = anyhow::anyhow!("/tmp/a\nb\x1b]52;c;AAAA\x07: no such file");
        let line = error_line(&err).into_string();
        assert!(
            !line.contains('\n') && !line.contains('\x1b') && !line.contains('\x07'),
            "{line:?}"
        );
        assert!(line.ends_with(": no such file"), "{line:?}");
    }

    #[test]
    fn symlink_named_pv_becomes_fun_pv() {
        let args = multicall_args(vec!["/usr/local/bin/pv".into(), "-q".into()]);
        assert_eq!(args, vec![OsString::from("fun"), "pv".into(), "-q".into()]);
    }

    #[test]
    fn plain_fun_is_unchanged() {
        let args = multicall_args(vec!["fun".into(), "saver".into()]);
        assert_eq!(args, vec![OsString::from("fun"), "saver".into()]);
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
