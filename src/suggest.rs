//! Did you mean: the closest of a few known names to a word that is none of them, for the
//! messages about an unknown name (a config key, a time zone, a screen, an option, a
//! subcommand). The one helper every tool uses: [`nearest`] picks the name, [`unknown`] words
//! the one-line message, [`clap_error`] puts the same choice into clap's own errors.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The candidate closest to `word`, if any is close enough to be a likely typo.
#[must_use]
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // A few edits (a swapped pair counts as one) or a close Jaro-Winkler score, as clap's own
    // suggestions do; the closest wins.
    candidates
        .into_iter()
        .filter_map(|c| {
            let edits = strsim::damerau_levenshtein(word, c);
            let close =
                edits <= (c.chars().count() / 3).max(1) || strsim::jaro_winkler(word, c) > 0.85;
            close.then_some((edits, c))
        })
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, c)| c)
}

/// `unknown WHAT "WORD" (did you mean "NEAR"?)`, or the known names when none is close and
/// they are few enough for one line.
#[must_use]
pub fn unknown(what: &str, word: &str, candidates: &[&str]) -> String {
    match nearest(word, candidates.iter().copied()) {
        Some(near) => format!("unknown {what} \"{word}\" (did you mean \"{near}\"?)"),
        None if candidates.len() <= 12 => {
            format!("unknown {what} \"{word}\" (known: {})", candidates.join(", "))
        }
        None => format!("unknown {what} \"{word}\""),
    }
}

/// `err` with its "did you mean" chosen by [`nearest`] among `command`'s long options (for an
/// unknown `--option`) or subcommands (for an unknown subcommand), so that clap's errors
/// suggest what every other message would. clap's own tip to pass the word after `--` is
/// dropped when a suggestion replaces it: a typo of an option is far likelier than a file
/// named like one.
#[must_use]
pub fn clap_error(mut err: clap::Error, command: &clap::Command) -> clap::Error {
    let Some(ContextValue::String(word)) = err.get(ContextKind::InvalidArg).cloned() else {
        return err;
    };
    match err.kind() {
        ErrorKind::UnknownArgument if word.starts_with("--") => {
            let name = word.split_once('=').map_or(word.as_str(), |(name, _)| name);
            let longs: Vec<String> = command
                .get_arguments()
                .filter(|arg| !arg.is_hide_set())
                .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
                .collect();
            if let Some(near) = nearest(name, longs.iter().map(String::as_str)) {
                err.insert(ContextKind::SuggestedArg, ContextValue::String(near.to_owned()));
                err.insert(ContextKind::Suggested, ContextValue::StyledStrs(Vec::new()));
            }
        }
        ErrorKind::InvalidSubcommand => {
            let names = command.get_subcommands().map(clap::Command::get_name);
            if let Some(near) = nearest(&word, names) {
                err.insert(
                    ContextKind::SuggestedSubcommand,
                    ContextValue::Strings(vec![near.to_owned()]),
                );
            }
        }
        _ => {}
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_option_gets_the_nearest_long_option() {
        let command = clap::Command::new("t")
            .arg(clap::Arg::new("wpm").long("wpm"))
            .arg(clap::Arg::new("file"));
        let err = command.clone().try_get_matches_from(["t", "--wmp", "3"]).unwrap_err();
        let text = clap_error(err, &command).to_string();
        assert!(text.contains("'--wpm'"), "{text}");
        assert!(!text.contains("-- --wmp"), "{text}");
    }

    #[test]
    fn the_message_names_the_nearest_or_the_few_known() {
        assert_eq!(
            unknown("key", "fsp", &["fps", "seed"]),
            "unknown key \"fsp\" (did you mean \"fps\"?)"
        );
        assert_eq!(
            unknown("key", "zzz", &["fps", "seed"]),
            "unknown key \"zzz\" (known: fps, seed)"
        );
    }

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(nearest("fsp", ["fps", "speed", "seed"]), Some("fps"));
        assert_eq!(nearest("colour-depth", ["color-depth", "color"]), Some("color-depth"));
        assert_eq!(nearest("zzz", ["fps"]), None);
    }
}
