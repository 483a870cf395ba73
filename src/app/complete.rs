//! Shell completion: `fun completions SHELL` prints a small script that the shell sources; at
//! every TAB that script runs `fun` again with `COMPLETE=SHELL` in its environment, and
//! [`answer_request`] (called first thing in `app::main`) answers from the clap definition.
//!
//! Completing at run time instead of shipping a generated script is what lets screen names from
//! the user's own folder (`~/.config/fun/screens`) complete, and what keeps new options of any
//! tool completing without anyone touching this file: the command line offered is
//! [`command`], the clap definition plus:
//! - each tool's own completers ([`crate::tool::Tool::completers`]: the saver's screen and
//!   playlist names, the calendar's bundled calendars);
//! - file-path completion for every option whose value name says FILE (or DIR), so a new
//!   `--something FILE` option completes paths without being declared here.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Arg, ValueHint};
use clap_complete::env::{CompleteEnv, Shells};

use crate::tool::Tool;

/// The environment variable the completion scripts set when they call `fun` back.
const REQUEST_VAR: &str = "COMPLETE";
/// The program the scripts call: found on `PATH`, so one script serves every install.
const COMPLETER: &str = "fun";

/// Appended to the zsh script: installed as `_fun` in `fpath` (what packages do), the file is
/// the body of an autoloaded function that zsh runs at the first TAB; the script only defines
/// the completer, so without this the first TAB would offer nothing. Sourced, it does nothing.
const ZSH_AUTOLOAD: &str = "if [ \"${funcstack[1]}\" = \"_fun\" ]; then\n    \
                            _clap_dynamic_completer_fun \"$@\"\nfi\n";

/// `fun completions`, a subcommand of the top.
pub const TOOL: Tool = Tool {
    name: "completions",
    command: tool_command,
    run: tool_run,
    completers: crate::tool::no_completers,
};

fn tool_command() -> clap::Command {
    let about = "Print the shell completion script for bash, zsh, fish, elvish or powershell";
    crate::tool::command_of::<Args>("completions", about)
}

fn tool_run(words: &[OsString]) -> anyhow::Result<ExitCode> {
    crate::tool::parse_and_run(tool_command(), words, |args: Args| run(&args))
}

/// `fun completions SHELL`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
source <(fun completions bash)                      bash, for this shell\n  \
fun completions bash > ~/.local/share/bash-completion/completions/fun\n  \
fun completions zsh > ~/.zfunc/_fun                 zsh (with ~/.zfunc in fpath)\n  \
fun completions fish > ~/.config/fish/completions/fun.fish\n\n\
The script calls `fun` (from PATH) at each TAB, so screens added later complete too.")]
pub struct Args {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_name = "SHELL", value_parser = shell_names())]
    shell: String,
}

fn shell_names() -> Vec<&'static str> {
    Shells::builtins().names().collect()
}

/// Prints the registration script for `args.shell`.
///
/// # Errors
/// When standard output cannot be written.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let shells = Shells::builtins();
    let Some(shell) = shells.completer(&args.shell) else {
        anyhow::bail!("unknown shell {}", crate::sanitize::quoted(&args.shell)); // clap has checked the name already
    };
    let mut script = Vec::new();
    shell.write_registration(REQUEST_VAR, "fun", "fun", COMPLETER, &mut script)?;
    if args.shell == "zsh" {
        script.extend_from_slice(ZSH_AUTOLOAD.as_bytes());
    }
    crate::stdio::print_all(&crate::sanitize::CleanText::keep(script))
}

/// Answers a completion request from a shell's script (`COMPLETE=SHELL` in the environment).
/// `None` when this is an ordinary run; otherwise the candidates have been printed and the
/// caller exits with the returned code. Never inlined into `main`: its clap structures would
/// deepen the stack every tool runs on by 4 KB, a page kept for the whole run (issue 27).
#[must_use]
#[inline(never)]
pub fn answer_request(args: &[OsString]) -> Option<ExitCode> {
    // Every ordinary run passes here first: leave at once, before any completion work.
    std::env::var_os(REQUEST_VAR)?;
    let cwd = std::env::current_dir().ok();
    let request = CompleteEnv::with_factory(command)
        .var(REQUEST_VAR)
        .completer(COMPLETER)
        .try_complete(args, cwd.as_deref());
    match request {
        Ok(false) => None,
        Ok(true) => Some(ExitCode::SUCCESS),
        Err(err) => Some(crate::exit::exit_for_clap_error(&err, crate::exit::USAGE)),
    }
}

/// The command line as completion sees it: the clap definition plus run-time candidates.
#[must_use]
pub fn command() -> clap::Command {
    super::TOOLS.iter().fold(with_path_hints(super::command()), |cmd, tool| {
        cmd.mut_subcommand(tool.name, tool.completers)
    })
}

/// Adds path completion to every argument, in every subcommand, whose value name mentions a
/// file or a folder and that declares no hint of its own.
fn with_path_hints(cmd: clap::Command) -> clap::Command {
    let ids: Vec<(clap::Id, ValueHint)> = cmd
        .get_arguments()
        .filter(|arg| arg.get_value_hint() == ValueHint::Unknown)
        .filter_map(|arg| Some((arg.get_id().clone(), path_hint(arg)?)))
        .collect();
    let mut cmd =
        ids.into_iter().fold(cmd, |cmd, (id, hint)| cmd.mut_arg(id, |a| a.value_hint(hint)));
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, with_path_hints);
    }
    cmd
}

/// `FILE`, `FILE.ics`, `@FILE` → a file path; `DIR` → a folder.
fn path_hint(arg: &Arg) -> Option<ValueHint> {
    if !arg.get_action().takes_values() {
        return None;
    }
    let names = arg.get_value_names()?;
    let upper = names.iter().map(|n| n.to_string().to_ascii_uppercase()).collect::<Vec<_>>();
    // `PID[:FD]|=NAME|@LISTFILE`: alternatives, mostly not paths.
    if upper.iter().any(|n| n.contains('|')) {
        return None;
    }
    if upper.iter().any(|n| n.contains("FILE") || n.contains("PATH")) {
        Some(ValueHint::FilePath)
    } else if upper.iter().any(|n| n.contains("DIR")) {
        Some(ValueHint::DirPath)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(cmd: &clap::Command, sub: &str, id: &str) -> ValueHint {
        let sub = cmd.find_subcommand(sub).expect("subcommand");
        sub.get_arguments().find(|a| a.get_id() == id).expect("argument").get_value_hint()
    }

    #[test]
    fn file_arguments_get_path_hints_from_their_value_names() {
        let mut cmd = command();
        cmd.build();
        assert_eq!(hint(&cmd, "pv", "files"), ValueHint::FilePath);
        // A `PathBuf` argument already has clap derive's AnyPath, which completes paths too.
        assert_eq!(hint(&cmd, "type", "files"), ValueHint::AnyPath);
        assert_eq!(hint(&cmd, "calendar", "from_ics"), ValueHint::FilePath);
        assert_eq!(hint(&cmd, "saver", "fps"), ValueHint::Unknown);
    }

    /// What the engine offers for the last word of `words` (the shells' own scripts are
    /// exercised in tests/complete.rs).
    fn offered(words: &[&str]) -> Vec<String> {
        let mut cmd = command();
        let args: Vec<OsString> = words.iter().map(OsString::from).collect();
        let index = args.len() - 1;
        clap_complete::engine::complete(&mut cmd, args, index, None)
            .expect("completes")
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn screen_names_complete_in_first_place_only() {
        assert_eq!(offered(&["fun", "saver", "mat"]), ["matrix"]);
        assert_eq!(offered(&["fun", "saver", "--fps", "30", "mat"]), ["matrix"]);
        assert!(!offered(&["fun", "saver", "matrix", ""]).contains(&"maze".to_string()));
        // Engine options are still offered after the name: they are accepted there.
        assert!(offered(&["fun", "saver", "matrix", "--f"]).contains(&"--fps".to_string()));
    }

    #[test]
    fn every_shell_has_a_registration_script() {
        let shells = Shells::builtins();
        for name in shell_names() {
            let shell = shells.completer(name).expect("a built-in shell");
            let mut script = Vec::new();
            shell.write_registration(REQUEST_VAR, "fun", "fun", COMPLETER, &mut script).unwrap();
            let script = String::from_utf8(script).unwrap();
            assert!(script.contains(REQUEST_VAR) && script.contains("fun"), "{name}: {script}");
        }
    }
}
