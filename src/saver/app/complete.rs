//! The saver's completers (the top asks for them through [`crate::saver::TOOL`]): screen names (built-in,
//! bundled and the user's, with their descriptions) for the first word after `fun saver`, and
//! wherever a list of screens goes on (after other names, or a standalone `+`); playlist names
//! from the config file for `--playlist`.

use std::ffi::{OsStr, OsString};

use clap::Arg;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

/// Adds the completers to `fun saver`'s command.
pub(crate) fn completers(saver: clap::Command) -> clap::Command {
    screen_positionals(saver)
        .mut_arg("playlist", |arg| arg.add(ArgValueCompleter::new(playlist_names)))
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

/// The words of the command line being completed (`fun -- fun saver matrix ...`: those after
/// the `--` a completion script puts before them), for the completers that need the words
/// before the current one.
fn request_words() -> Vec<String> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let at = args.iter().position(|a| a == "--").map_or(args.len(), |at| at + 1);
    args[at..].iter().map(|a| a.to_string_lossy().into_owned()).collect()
}

/// After the first screen's name: more screen names where a list of screens goes on
/// (`fun saver matrix clock ` and after a standalone `+`), nothing where the words are the
/// screen's own options.
fn more_screens(current: &OsStr) -> Vec<CompletionCandidate> {
    let words = request_words();
    // Bash and zsh say which word is completed; the other shells end the line there.
    let at = std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|i| i.parse::<usize>().ok())
        .unwrap_or(words.len().saturating_sub(1))
        .min(words.len());
    let screens = crate::saver::app::registry::all_quiet();
    let known = |word: &str| crate::saver::app::registry::find(&screens, word).is_some();
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
    let engine = crate::saver::app::args::command();
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
    let screens = crate::saver::app::registry::all_quiet();
    let Ok(config) =
        crate::saver::app::config::load(None, &screens, &crate::saver::app::args::command())
    else {
        return Vec::new();
    };
    config
        .playlists
        .keys()
        .filter(|name| name.starts_with(prefix.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}

/// Every screen `fun saver` knows (built-in, bundled, the user's), with its description.
fn screen_names(current: &OsStr) -> Vec<CompletionCandidate> {
    screen_candidates(&crate::saver::app::registry::all_quiet(), current)
}

/// The candidates among `screens` that start with `current`, described.
fn screen_candidates(
    screens: &[crate::saver::kit::screen::ScreenInfo],
    current: &OsStr,
) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    crate::saver::app::registry::list(screens)
        .into_iter()
        .filter(|(name, _)| name.starts_with(prefix.as_ref()))
        .map(|(name, about)| CompletionCandidate::new(name).help(Some(about.to_owned().into())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
