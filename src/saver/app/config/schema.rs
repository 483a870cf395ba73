//! Which keys a config section takes, and what a key's value means, derived from the clap
//! definitions: a key is a long option's name (`fps`, `color-depth`, `twelve`), a value is what
//! the option would be given on the command line. Each value is turned into command-line words
//! and checked by the very parser the command line uses, so the config and the command line
//! cannot disagree about names, ranges or shapes.

use std::ops::Range;

use clap::{Arg, ArgAction, Command};
use toml::Spanned;

use super::tree::Node;

/// One option a config key stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OptionKey {
    /// The long name without dashes: the key.
    pub(crate) long: String,
    /// `true`/`false` rather than a value.
    pub(crate) flag: bool,
    /// An array gives it several times (`tz = ["Europe/Paris", "Asia/Tokyo"]`).
    pub(crate) repeatable: bool,
}

/// The keys of `command`: every long option `keep` accepts (`--help` never).
#[must_use]
pub(crate) fn keys(command: &Command, keep: impl Fn(&Arg) -> bool) -> Vec<OptionKey> {
    command
        .get_arguments()
        .filter(|arg| arg.get_id() != "help" && keep(arg))
        .filter_map(|arg| {
            let long = arg.get_long()?.to_owned();
            let action = arg.get_action();
            let flag = matches!(action, ArgAction::SetTrue | ArgAction::SetFalse);
            let repeatable = matches!(action, ArgAction::Append | ArgAction::Count);
            Some(OptionKey { long, flag, repeatable })
        })
        .collect()
}

/// A problem with a value: where it is and what is wrong.
pub(crate) type ValueProblem = (Range<usize>, String);

/// The command-line words for `key = value`, checked by `command` (a missing required option
/// of the command is not this value's problem and is ignored).
///
/// # Errors
/// The place of the offending value (an array element, or the value) and why.
pub(crate) fn words(
    command: &Command,
    key: &OptionKey,
    value: &Spanned<Node>,
) -> Result<Vec<String>, ValueProblem> {
    let option = format!("--{}", key.long);
    let mut words = Vec::new();
    let scalars: Vec<&Spanned<Node>> = match value.get_ref() {
        Node::Array(items) if key.repeatable && !key.flag => items.iter().collect(),
        Node::Array(_) => {
            return Err((value.span(), format!("{} takes one value, not an array", key.long)));
        }
        Node::Table(_) => {
            return Err((value.span(), format!("{} takes a value, not a table", key.long)));
        }
        _ => vec![value],
    };
    for item in scalars {
        match (key.flag, item.get_ref()) {
            (true, Node::Bool(true)) => words.push(option.clone()),
            (true, Node::Bool(false)) => {}
            (true, other) => {
                return Err((
                    item.span(),
                    format!("{} is true or false, not {}", key.long, other.kind()),
                ));
            }
            (false, node) => {
                let word = node.word().ok_or_else(|| {
                    (item.span(), format!("{} takes a value, not {}", key.long, node.kind()))
                })?;
                words.push(option.clone());
                words.push(word);
            }
        }
        check(command, &words).map_err(|why| (item.span(), why.to_string()))?;
    }
    Ok(words)
}

/// Why a config value does not parse as the option it stands for.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OptionError {
    #[error("asks for help, which a config cannot show")]
    AsksForHelp,
    /// clap's one-line reason.
    #[error("{0}")]
    Invalid(String),
}

/// Parses `words` with `command`.
///
/// # Errors
/// What clap says is wrong with the words (a required option missing elsewhere is fine).
pub(crate) fn check(command: &Command, words: &[String]) -> Result<(), OptionError> {
    let argv = std::iter::once("fun saver".to_owned()).chain(words.iter().cloned());
    match command.clone().try_get_matches_from(argv) {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == clap::error::ErrorKind::MissingRequiredArgument => Ok(()),
        Err(err) if !err.use_stderr() => Err(OptionError::AsksForHelp),
        Err(err) => Err(OptionError::Invalid(first_line(&err))),
    }
}

/// clap's error as one line, without its `error: ` prefix.
#[must_use]
pub(crate) fn first_line(err: &clap::Error) -> String {
    let text = err.render().to_string();
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}

/// "unknown key "x"" with a suggestion when one is close.
pub(crate) use crate::suggest::unknown;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, clap::Parser)]
    struct Sample {
        #[arg(long, value_parser = crate::saver::kit::values::within(1u32, 10))]
        count: Option<u32>,
        #[arg(long)]
        loud: bool,
        #[arg(long)]
        tz: Vec<String>,
        #[arg(long, required = true)]
        url: Option<String>,
    }

    fn command() -> Command {
        <Sample as clap::CommandFactory>::command()
    }

    fn key(name: &str) -> OptionKey {
        keys(&command(), |_| true).into_iter().find(|k| k.long == name).expect("a key")
    }

    fn node(value: Node) -> Spanned<Node> {
        Spanned::new(3..5, value)
    }

    #[test]
    fn keys_come_from_the_definition() {
        let names: Vec<String> = keys(&command(), |_| true).into_iter().map(|k| k.long).collect();
        assert_eq!(names, ["count", "loud", "tz", "url"]);
        assert!(key("loud").flag && !key("loud").repeatable);
        assert!(key("tz").repeatable && !key("tz").flag);
    }

    #[test]
    fn values_become_checked_words() {
        assert_eq!(
            words(&command(), &key("count"), &node(Node::Int(3))),
            Ok(vec!["--count".into(), "3".into()])
        );
        assert_eq!(
            words(&command(), &key("loud"), &node(Node::Bool(true))),
            Ok(vec!["--loud".into()])
        );
        assert_eq!(words(&command(), &key("loud"), &node(Node::Bool(false))), Ok(vec![]));
        let zones = Node::Array(vec![node(Node::Str("A".into())), node(Node::Str("B".into()))]);
        assert_eq!(words(&command(), &key("tz"), &node(zones)).map(|w| w.len()), Ok(4));
    }

    #[test]
    fn bad_values_say_why_and_where() {
        let (span, why) = words(&command(), &key("count"), &node(Node::Int(11))).unwrap_err();
        assert_eq!(span, 3..5);
        assert!(why.contains("11 is not within 1 to 10"), "{why}");
        let (_, why) = words(&command(), &key("loud"), &node(Node::Str("yes".into()))).unwrap_err();
        assert!(why.contains("true or false"), "{why}");
        let (_, why) = words(&command(), &key("count"), &node(Node::Array(vec![]))).unwrap_err();
        assert!(why.contains("one value"), "{why}");
    }

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(
            unknown("key", "twelv", &["twelve", "binary"]),
            "unknown key \"twelv\" (did you mean \"twelve\"?)"
        );
    }
}
