//! Shell completion: `fun completions SHELL` prints a small script that the shell sources; at
//! every TAB that script runs `fun` again with `COMPLETE=SHELL` in its environment, and
//! [`answer_request`] (called first thing in `cli::main`) answers from the clap definition.
//!
//! Completing at run time instead of shipping a generated script is what lets screen names from
//! the user's own folder (`~/.config/fun/screens`) complete, and what keeps new options of any
//! tool completing without anyone touching this file: the command line offered is
//! [`command`], the clap definition plus three things only known here:
//! - screen names (built-in, bundled and the user's, with their descriptions) for the first
//!   word after `fun saver`, and wherever a list of screens goes on (after other names, or a
//!   standalone `+`); playlist names from the config file for `--playlist`;
//! - bundled calendar names, beside file paths, for `fun calendar -f`;
//! - file-path completion for every option whose value name says FILE (or DIR), so a new
//!   `--something FILE` option completes paths without being declared here.

use std::ffi::{OsStr, OsString};
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::{Arg, ValueHint};
use clap_complete::engine::{
    ArgValueCompleter, CompletionCandidate, PathCompleter, ValueCompleter,
};
use clap_complete::env::{CompleteEnv, Shells};

/// The environment variable the completion scripts set when they call `fun` back.
const REQUEST_VAR: &str = "COMPLETE";
/// The program the scripts call: found on `PATH`, so one script serves every install.
const COMPLETER: &str = "fun";

/// Appended to the zsh script: installed as `_fun` in `fpath` (what packages do), the file is
/// the body of an autoloaded function that zsh runs at the first TAB; the script only defines
/// the completer, so without this the first TAB would offer nothing. Sourced, it does nothing.
const ZSH_AUTOLOAD: &str = "if [ \"${funcstack[1]}\" = \"_fun\" ]; then\n    \
                            _clap_dynamic_completer_fun \"$@\"\nfi\n";

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
        anyhow::bail!("unknown shell {:?}", args.shell); // clap has checked the name already
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
/// caller exits with the returned code.
#[must_use]
pub fn answer_request(args: &[OsString]) -> Option<ExitCode> {
    // Every ordinary run passes here first: leave at once, before any completion work.
    std::env::var_os(REQUEST_VAR)?;
    let cwd = std::env::current_dir().ok();
    if let Some(at) = args.iter().position(|a| a == "--") {
        let words = args[at + 1..].iter().map(|a| a.to_string_lossy().into_owned()).collect();
        let _ = REQUEST.set(words);
    }
    let request = CompleteEnv::with_factory(command)
        .var(REQUEST_VAR)
        .completer(COMPLETER)
        .try_complete(args, cwd.as_deref());
    match request {
        Ok(false) => None,
        Ok(true) => Some(ExitCode::SUCCESS),
        Err(err) => Some(crate::cli::exit_for_clap_error(&err, crate::cli::USAGE_EXIT)),
    }
}

/// The command line as completion sees it: the clap definition plus run-time candidates.
#[must_use]
pub fn command() -> clap::Command {
    let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    with_path_hints(cmd)
        .mut_subcommand("saver", |saver| {
            screen_positionals(saver)
                .mut_arg("playlist", |arg| arg.add(ArgValueCompleter::new(playlist_names)))
        })
        .mut_subcommand("calendar", |calendar| {
            calendar.mut_arg("file", |arg| arg.add(ArgValueCompleter::new(calendar_files)))
        })
}

/// `fun saver`'s trailing `SCREEN [OPTIONS]` is one argument to the parser; for completion it
/// is split in two, the screen's name (completed from the registry) and the words after it
/// (the screen's own, completed as files by the shell), because the completion engine counts
/// the values of one multi-value positional ambiguously (the first and second both as 0).
fn screen_positionals(saver: clap::Command) -> clap::Command {
    let rest = Arg::new("screen_options")
        .value_name("OPTIONS")
        .num_args(0..)
        .trailing_var_arg(true)
        .allow_hyphen_values(true)
        .add(ArgValueCompleter::new(more_screens));
    saver
        .mut_arg("screen", |arg| {
            arg.num_args(1)
                .action(clap::ArgAction::Set)
                .trailing_var_arg(false)
                .add(ArgValueCompleter::new(screen_names))
        })
        .arg(rest)
}

/// The words of the command line being completed, for the completers that need the words
/// before the current one (set once by [`answer_request`]).
static REQUEST: OnceLock<Vec<String>> = OnceLock::new();

/// After the first screen's name: more screen names where a list of screens goes on
/// (`fun saver matrix clock ` and after a standalone `+`), nothing where the words are the
/// screen's own options.
fn more_screens(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(words) = REQUEST.get() else { return Vec::new() };
    // Bash and zsh say which word is completed; the other shells end the line there.
    let at = std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|i| i.parse::<usize>().ok())
        .unwrap_or(words.len().saturating_sub(1))
        .min(words.len());
    let screens = crate::saver::registry::all_quiet();
    let known = |word: &str| crate::saver::registry::find(&screens, word).is_some();
    if continues_screen_list(&words[..at], known) {
        screen_candidates(&screens, current)
    } else {
        Vec::new()
    }
}

/// Whether `before` (`fun saver [ENGINE OPTIONS] NAME ...`, the words before the one being
/// completed) ends where another screen's name may go: right after a standalone `+`, or
/// after a list of screen names only.
fn continues_screen_list(before: &[String], known: impl Fn(&str) -> bool) -> bool {
    let engine = crate::saver::args::command();
    let takes_value = |word: &str| {
        let long = word.strip_prefix("--").filter(|w| !w.contains('='));
        engine
            .get_arguments()
            .any(|a| a.get_action().takes_values() && long.is_some_and(|l| a.get_long() == Some(l)))
    };
    let mut words = before.iter().skip(2).map(String::as_str);
    let first = loop {
        match words.next() {
            Some(word) if word.starts_with('-') => {
                if takes_value(word) {
                    words.next();
                }
            }
            Some(word) => break word,
            None => return false,
        }
    };
    let rest: Vec<&str> = words.collect();
    match rest.last() {
        Some(&"+") => true,
        _ => !rest.contains(&"+") && known(first) && rest.iter().all(|w| known(w)),
    }
}

/// The playlists of the config file (`[saver.playlists.NAME]`), for `--playlist`.
fn playlist_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    let screens = crate::saver::registry::all_quiet();
    let Ok(config) = crate::saver::config::load(None, &screens) else { return Vec::new() };
    config
        .playlists
        .keys()
        .filter(|name| name.starts_with(prefix.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
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

/// Every screen `fun saver` knows (built-in, bundled, the user's), with its description.
fn screen_names(current: &OsStr) -> Vec<CompletionCandidate> {
    screen_candidates(&crate::saver::registry::all_quiet(), current)
}

/// The candidates among `screens` that start with `current`, described.
fn screen_candidates(
    screens: &[crate::saver::screen::ScreenInfo],
    current: &OsStr,
) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    crate::saver::registry::list(screens)
        .into_iter()
        .filter(|(name, _)| name.starts_with(prefix.as_ref()))
        .map(|(name, about)| CompletionCandidate::new(name).help(Some(about.to_owned().into())))
        .collect()
}

/// `fun calendar -f`: the bundled calendars by short name, then files.
fn calendar_files(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    let mut candidates: Vec<CompletionCandidate> = crate::calendar::bundled_names()
        .into_iter()
        .filter(|(name, _)| name.starts_with(prefix.as_ref()))
        .map(|(name, about)| CompletionCandidate::new(name).help(Some(about.into())))
        .collect();
    candidates.extend(PathCompleter::file().stdio().complete(current));
    candidates
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
    fn screen_lists_go_on_after_names_and_plus_signs() {
        let known = |w: &str| ["matrix", "clock", "rocket"].contains(&w);
        let words = |line: &str| -> Vec<String> {
            line.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
        };
        let goes_on = |line: &str| continues_screen_list(&words(line), known);
        assert!(goes_on("fun saver matrix"));
        assert!(goes_on("fun saver matrix clock"));
        assert!(goes_on("fun saver --fps 30 matrix"));
        assert!(goes_on("fun saver matrix -r +"));
        assert!(!goes_on("fun saver matrix -r"));
        assert!(!goes_on("fun saver randtxt -w"));
        assert!(!goes_on("fun saver matrix -r + clock"));
        assert!(!goes_on("fun saver"));
    }

    #[test]
    fn calendar_names_complete_without_their_prefix() {
        let values: Vec<_> =
            calendar_files(OsStr::new("lo")).iter().map(|c| c.get_value().to_owned()).collect();
        assert!(values.contains(&OsString::from("lotr")), "{values:?}");
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
