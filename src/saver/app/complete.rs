//! The saver's completers (the top asks for them through [`crate::saver::TOOL`]): screen names (built-in,
//! bundled and the user's, with their descriptions) for the first word after `fun saver`, and
//! wherever a list of screens goes on (after other names, or a standalone `+`); after a
//! screen's name, that screen's own options and their values, from its clap definition
//! ([`ScreenInfo::options`]), beside the engine's long options (accepted there too); values
//! no definition lists (themes, time zones, playlists) from their own lists.

use std::ffi::{OsStr, OsString};

use clap::Arg;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::saver::kit::screen::ScreenInfo;

/// Adds the completers to `fun saver`'s command.
pub(crate) fn completers(saver: clap::Command) -> clap::Command {
    let screens = crate::saver::app::registry::all_quiet();
    let saver = with_value_completers(screen_positionals(saver));
    let engine: Vec<Arg> = saver.get_arguments().filter_map(engine_copy).collect();
    crate::saver::app::lookup::list(&screens)
        .into_iter()
        .filter_map(|(name, _)| crate::saver::app::lookup::find(&screens, name))
        .fold(saver, |saver, info| saver.subcommand(screen_command(info, &engine)))
}

/// A screen as completion sees it: a subcommand named after it with its own options (values
/// included: a `ValueEnum`'s names, the themes, the time zones), the engine's long options,
/// and, when the screen takes no words of its own, the next screens of a list.
fn screen_command(info: &ScreenInfo, engine: &[Arg]) -> clap::Command {
    let own = (info.options)().name(info.name.clone()).about(info.about.clone());
    let taken: Vec<String> =
        own.get_arguments().filter_map(|a| a.get_long().map(str::to_owned)).collect();
    let has_positionals = own.get_positionals().next().is_some();
    let mut cmd = engine
        .iter()
        .filter(|arg| !arg.get_long().is_some_and(|long| taken.iter().any(|t| t == long)))
        .fold(own, |cmd, arg| cmd.arg(arg.clone()));
    if !has_positionals {
        let more = Arg::new("engine-more-screens")
            .value_name("SCREEN")
            .num_args(0..)
            .add(ArgValueCompleter::new(more_screens));
        cmd = cmd.arg(more);
    }
    with_value_completers(cmd)
}

/// An engine option as it may follow a screen's name: its long form only (short letters are
/// the screen's), under an id of its own (a screen may use the same field name), without the
/// relations to other engine options (not there to refer to).
fn engine_copy(arg: &Arg) -> Option<Arg> {
    let long = arg.get_long()?;
    let mut copy = Arg::new(format!("engine-{}", arg.get_id()))
        .long(long.to_owned())
        .action(arg.get_action().clone())
        .value_parser(arg.get_value_parser().clone())
        .value_hint(arg.get_value_hint())
        .hide(arg.is_hide_set());
    if let Some(help) = arg.get_help() {
        copy = copy.help(help.clone());
    }
    if let Some(count) = arg.get_num_args() {
        copy = copy.num_args(count);
    }
    if let Some(names) = arg.get_value_names() {
        copy = copy.value_names(names.to_vec());
    }
    Some(copy)
}

/// A completer of values: the candidates starting with the word being completed.
type ValuesOf = fn(&OsStr) -> Vec<CompletionCandidate>;

/// Adds completers for the values no clap definition lists: `--theme` (the themes), a `ZONE`
/// (the IANA time zones), `--playlist` (the config file's playlists).
fn with_value_completers(cmd: clap::Command) -> clap::Command {
    let completer = |arg: &Arg| -> Option<ValuesOf> {
        let zone = arg.get_value_names().is_some_and(|names| names.iter().any(|n| n == "ZONE"));
        match arg.get_long() {
            Some("theme") => Some(theme_names),
            Some("playlist") => Some(playlist_names),
            _ if zone => Some(zone_names),
            _ => None,
        }
    };
    let found: Vec<(clap::Id, ValuesOf)> = cmd
        .get_arguments()
        .filter_map(|arg| Some((arg.get_id().clone(), completer(arg)?)))
        .collect();
    found.into_iter().fold(cmd, |cmd, (id, complete)| {
        cmd.mut_arg(id, |arg| arg.add(ArgValueCompleter::new(complete)))
    })
}

/// The colour themes (`--theme`), described.
fn theme_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    crate::saver::kit::theme::THEMES
        .iter()
        .filter(|(name, _)| name.starts_with(prefix.as_ref()))
        .map(|(name, about)| CompletionCandidate::new(name).help(Some((*about).into())))
        .collect()
}

/// The IANA time zones (the clock's `--tz`): `Europe/Pa` gives `Europe/Paris`.
fn zone_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    crate::saver::screens::clock::zones::names()
        .into_iter()
        .filter(|name| name.starts_with(prefix.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
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
            arg.num_args(1).action(clap::ArgAction::Set).trailing_var_arg(false)
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
    let known = |word: &str| crate::saver::app::lookup::find(&screens, word).is_some();
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

/// The candidates among `screens` that start with `current`, described.
fn screen_candidates(
    screens: &[crate::saver::kit::screen::ScreenInfo],
    current: &OsStr,
) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    crate::saver::app::lookup::list(screens)
        .into_iter()
        .filter(|(name, _)| name.starts_with(prefix.as_ref()))
        .map(|(name, about)| CompletionCandidate::new(name).help(Some(about.to_owned().into())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_screen_completes_as_a_valid_subcommand_with_the_engine_options() {
        let saver = completers(crate::saver::app::args::saver_command());
        // clap's own checks of every subcommand (duplicate ids, names, shorts).
        saver.clone().debug_assert();
        for info in crate::saver::app::registry::builtin() {
            let screen = saver.find_subcommand(&info.name).expect("a subcommand per screen");
            let longs: Vec<&str> = screen.get_arguments().filter_map(Arg::get_long).collect();
            assert!(longs.contains(&"fps") && longs.contains(&"theme"), "{}: {longs:?}", info.name);
        }
        let clock = saver.find_subcommand("clock").expect("clock");
        let tz = clock.get_arguments().find(|a| a.get_long() == Some("tz")).expect("--tz");
        assert!(tz.get::<ArgValueCompleter>().is_some(), "--tz completes zones");
    }

    #[test]
    fn zones_and_themes_complete_by_prefix() {
        let values = |found: Vec<CompletionCandidate>| -> Vec<String> {
            found.iter().map(|c| c.get_value().to_string_lossy().into_owned()).collect()
        };
        assert_eq!(values(zone_names(OsStr::new("Europe/Pa"))), ["Europe/Paris"]);
        assert!(values(zone_names(OsStr::new(""))).len() > 400);
        assert_eq!(values(theme_names(OsStr::new("so"))), ["solarized"]);
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
}
