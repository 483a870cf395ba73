//! The top: `fun TOOL ...` dispatched to the tool, which parses its own words; shell
//! completion and the manual pages, all built from the list of [`TOOLS`]. Nothing below this
//! folder imports it.
//!
//! When the binary is invoked as `pv` or `calendar` (a symlink), it behaves as `fun pv` /
//! `fun calendar` so it can be a drop-in replacement.

pub mod complete;
pub mod man;

use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;

use crate::exit::{USAGE, exit_for_clap_error};
use crate::sanitize::CleanLine;
use crate::tool::Tool;

/// Every subcommand of `fun`, in the order the help lists them.
pub const TOOLS: [&Tool; 6] = [
    &crate::saver::TOOL,
    &crate::pv::TOOL,
    &crate::typist::TOOL,
    &crate::calendar::TOOL,
    &complete::TOOL,
    &man::TOOL,
];

/// The whole command line of `fun`: its own options and one subcommand per tool.
#[must_use]
pub fn command() -> clap::Command {
    TOOLS.iter().fold(top_options(), |top, tool| top.subcommand((tool.command)()))
}

/// `fun`'s own options, without the tools: enough to answer `fun --version`, which then
/// builds no tool's command line (building them all was most of its start-up, issue 27).
fn top_options() -> clap::Command {
    clap::Command::new("fun")
        .version(env!("CARGO_PKG_VERSION"))
        .about(env!("CARGO_PKG_DESCRIPTION"))
        .propagate_version(true)
        .subcommand_required(true)
        .arg_required_else_help(true)
}

/// `fun --version` or `fun -V` and nothing else.
fn asks_version_only(args: &[OsString]) -> bool {
    args.len() == 2 && (args[1] == "--version" || args[1] == "-V")
}

/// What the binary's C `main` (src/main.rs) runs: [`main`], with what Rust's runtime would
/// have done around it: a panic that reaches here (after the hook restored the terminal and
/// printed it) gives exit code 101, and the exit code comes back as a number for src/main.rs,
/// the one place that ends the process (std's exit there flushes standard output on the way
/// out). SIGPIPE is ignored first, as the runtime would have: a closed pipe is then an `EPIPE`
/// each tool handles.
#[must_use]
pub fn start() -> i32 {
    fun_stdio_probe::ignore_sigpipe();
    std::panic::catch_unwind(main).map_or(101, exit_number)
}

/// The number of an [`ExitCode`]: stable Rust does not give it back (`ExitCode::exit_process`
/// is unstable), but on Unix an exit code is one of 256 and compares by value.
fn exit_number(code: ExitCode) -> i32 {
    (0..=u8::MAX).find(|&n| ExitCode::from(n) == code).map_or(1, i32::from)
}

/// Parses `std::env::args_os`, runs the chosen tool and returns its exit code.
pub fn main() -> ExitCode {
    crate::stdio::guard_closed();
    let argv: Vec<OsString> = std::env::args_os().collect();
    // A shell's completion script calling back (`COMPLETE=bash fun -- fun saver ma`).
    if let Some(code) = complete::answer_request(&argv) {
        return code;
    }
    let args = multicall_args(argv);
    let Some(tool) = args.get(1).and_then(|word| TOOLS.iter().find(|t| word == t.name)) else {
        return run_top(&args);
    };
    match (tool.run)(&args[1..]) {
        Ok(code) => code,
        Err(err) => {
            crate::stdio::warn(tool.name, &error_line(&err));
            ExitCode::FAILURE
        }
    }
}

/// No tool named: `fun`, `fun --help`, `fun help pv`, a typo. The top's parser says it. Never
/// inlined: its clap structures would make `main`'s stack frame 4 KB deeper under every tool,
/// a page each tool keeps for its whole run (issue 27).
#[inline(never)]
fn run_top(args: &[OsString]) -> ExitCode {
    let top = if asks_version_only(args) { top_options() } else { command() };
    match top.clone().try_get_matches_from(args) {
        Err(err) => exit_for_clap_error(&crate::suggest::clap_error(err, &top), USAGE),
        Ok(_) => ExitCode::from(USAGE),
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
    fn an_exit_code_gives_its_number_back() {
        assert_eq!(exit_number(ExitCode::SUCCESS), 0);
        assert_eq!(exit_number(ExitCode::FAILURE), 1);
        for n in [2, 64, 101, 255] {
            assert_eq!(exit_number(ExitCode::from(n)), i32::from(n));
        }
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
    fn only_a_lone_version_flag_skips_the_tools() {
        let words = |w: &[&str]| w.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(asks_version_only(&words(&["fun", "--version"])));
        assert!(asks_version_only(&words(&["fun", "-V"])));
        assert!(!asks_version_only(&words(&["fun", "--help"])));
        assert!(!asks_version_only(&words(&["fun", "-V", "x"])));
        let version = top_options().render_version();
        assert_eq!(version, command().render_version());
    }

    #[test]
    fn plain_fun_is_unchanged() {
        let args = multicall_args(vec!["fun".into(), "saver".into()]);
        assert_eq!(args, vec![OsString::from("fun"), "saver".into()]);
    }

    #[test]
    fn cli_definition_is_consistent() {
        command().debug_assert();
    }

    /// Each tool parses its own words with its own command: it must read exactly as the same
    /// subcommand of `fun` (usage, help, version), or `fun TOOL --help` would change.
    #[test]
    fn each_tool_reads_as_under_fun() {
        let mut top = command();
        top.build();
        for tool in TOOLS {
            let mut under = top.find_subcommand(tool.name).expect("a subcommand").clone();
            let mut own = crate::tool::own_command((tool.command)());
            own.build();
            assert_eq!(own.render_usage().to_string(), under.render_usage().to_string());
            assert_eq!(own.render_long_help().to_string(), under.render_long_help().to_string());
            assert_eq!(own.render_version(), under.render_version(), "{}", tool.name);
        }
    }
}
