//! What a tool shows the top (uutils coreutils' pattern: each tool exports its clap `Command`
//! and a `main` that parses its own words). The top (`app`) builds dispatch, completion and the
//! manual pages from a list of [`Tool`]s and knows nothing else of them; a tool never imports
//! the top.

use std::ffi::OsString;
use std::process::ExitCode;

/// One tool of `fun`: `fun NAME ...`.
pub struct Tool {
    /// The subcommand's name: `saver`, `pv`, `type`, `calendar`.
    pub name: &'static str,
    /// The tool's command line as a subcommand of `fun` (help, man page, completion).
    pub command: fn() -> clap::Command,
    /// Runs the tool on its own words (`NAME ARGS...`, the name first): parses them with
    /// [`own_command`], reports a command-line error itself (with its own exit status), and
    /// returns any other error for the top to print as `fun NAME: error`.
    pub run: fn(&[OsString]) -> anyhow::Result<ExitCode>,
    /// Adds the run-time completers (screen names, bundled calendars) to `command`.
    pub completers: fn(clap::Command) -> clap::Command,
}

/// No completers beyond what the clap definition says.
#[must_use]
pub fn no_completers(command: clap::Command) -> clap::Command {
    command
}

/// A tool's `command` as it parses its own words: what `fun` gives each subcommand when it
/// builds it (the name `fun NAME` in the usage, `fun-NAME` before the version, the version
/// down to nested subcommands), so help, errors and `--version` read as under `fun`.
#[must_use]
pub fn own_command(command: clap::Command) -> clap::Command {
    let name = command.get_name().to_owned();
    command
        .bin_name(format!("fun {name}"))
        .display_name(format!("fun-{name}"))
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
}

/// Parses a tool's own words (`NAME ARGS...`) with its `command` into its arguments, and the
/// matches for where each value came from. A clap error (`--help` included) is the caller's to
/// print with its exit status ([`crate::exit::exit_for_clap_error`]).
///
/// # Errors
/// The words do not fit the command, or they ask for help or the version.
pub fn parse<A: clap::FromArgMatches>(
    command: clap::Command,
    words: &[OsString],
) -> Result<(A, clap::ArgMatches), clap::Error> {
    let mut command = own_command(command);
    let matches = command
        .try_get_matches_from_mut(words)
        .map_err(|err| crate::suggest::clap_error(err, &command))?;
    let args = A::from_arg_matches(&matches).map_err(|err| err.format(&mut command))?;
    Ok((args, matches))
}

/// The command of a tool whose options are one clap `Args` struct: `fun NAME`, with `about` as
/// its one-line description (what a derived subcommand with that doc comment has).
#[must_use]
pub fn command_of<A: clap::Args>(name: &'static str, about: &'static str) -> clap::Command {
    A::augment_args(clap::Command::new(name)).about(about).long_about(None)
}

/// A tool's `run` for the usual case: parses its words into `A` and runs it; a command-line
/// error (or `--help`) is printed with the usual exit status 2 ([`crate::exit::USAGE`]).
///
/// # Errors
/// Those of `run`.
pub fn parse_and_run<A: clap::FromArgMatches>(
    command: clap::Command,
    words: &[OsString],
    run: impl FnOnce(A) -> anyhow::Result<ExitCode>,
) -> anyhow::Result<ExitCode> {
    match parse::<A>(command, words) {
        Ok((args, _)) => run(args),
        Err(err) => Ok(crate::exit::exit_for_clap_error(&err, crate::exit::USAGE)),
    }
}
