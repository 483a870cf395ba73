//! Abbreviated long options, as pv's getopt_long(3) takes them: any unique start of a long
//! option stands for it (`--rate-lim 1k`, `--progres`; clap's `infer_long_args` on
//! [`Args`]), an exact name wins over longer ones (`--rate`), and a start shared by several
//! gets getopt's kind of message, naming them all in their order:
//! `option '--rat' is ambiguous; possibilities: '--rate' '--rate-limit'`.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::Args;

/// The long options of `fun pv`, `--help` and `--version` included, in declaration order,
/// from the clap definitions.
fn long_options() -> Vec<String> {
    let mut command = <Args as clap::Args>::augment_args(clap::Command::new("pv").version("0"));
    command.build();
    command.get_arguments().filter_map(|a| a.get_long().map(str::to_owned)).collect()
}

/// The long options that start with `prefix` (the word without its `--` or `=VALUE`), when
/// there are several and none is exactly `prefix`.
#[must_use]
pub(crate) fn ambiguous(prefix: &str) -> Option<Vec<String>> {
    let names = long_options();
    if prefix.is_empty() || names.iter().any(|n| n == prefix) {
        return None;
    }
    let matches: Vec<String> = names.into_iter().filter(|n| n.starts_with(prefix)).collect();
    (matches.len() > 1).then_some(matches)
}

/// The one line `fun pv` prints for a command-line error (after `fun pv: `): getopt's
/// message for an ambiguous long option (the word as typed, `=VALUE` included), else clap's
/// first line.
#[must_use]
pub fn usage_line(err: &clap::Error, words: &[OsString]) -> String {
    if err.kind() == ErrorKind::UnknownArgument
        && let Some(ContextValue::String(arg)) = err.get(ContextKind::InvalidArg)
        && let Some(prefix) = arg.strip_prefix("--")
        && let Some(names) = ambiguous(prefix)
    {
        let typed = words
            .iter()
            .filter_map(|w| w.to_str())
            .find(|w| *w == arg || w.strip_prefix(arg.as_str()).is_some_and(|r| r.starts_with('=')))
            .unwrap_or(arg);
        let typed = crate::sanitize::sanitize_line(typed.as_bytes());
        let list: Vec<String> = names.iter().map(|n| format!("'--{n}'")).collect();
        return format!("option '{typed}' is ambiguous; possibilities: {}", list.join(" "));
    }
    let text = err.render().to_string();
    let first = text.lines().next().unwrap_or_default();
    first.strip_prefix("error: ").unwrap_or(first).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(words: &[&str]) -> Result<Args, clap::Error> {
        let command = <Args as clap::Args>::augment_args(clap::Command::new("pv").version("0"));
        let matches =
            command.try_get_matches_from(std::iter::once("pv").chain(words.iter().copied()))?;
        <Args as clap::FromArgMatches>::from_arg_matches(&matches)
    }

    #[test]
    fn unique_starts_stand_for_their_option_and_exact_names_win() {
        let args = parse(&["--rate-lim", "1k", "--progres", "--time"]).expect("parses");
        assert!(args.rate_limit.is_some() && args.progress && args.timer);
        let args = parse(&["--rate"]).expect("exact");
        assert!(args.rate && args.rate_limit.is_none());
        let args = parse(&["--rate-limit=2k", "--on-progress", "5", "true"]).expect("exact");
        assert!(args.rate_limit.is_some() && args.on_progress.is_some() && !args.on_progress_shell);
    }

    #[test]
    fn a_shared_start_names_every_option_it_could_be() {
        assert_eq!(ambiguous("rat"), Some(vec!["rate".to_owned(), "rate-limit".to_owned()]));
        assert_eq!(ambiguous("rate"), None, "an exact name");
        assert_eq!(ambiguous("rate-l"), None, "unique");
        assert_eq!(ambiguous("zzz"), None);
        for (words, line) in [
            (&["--rat"][..], "option '--rat' is ambiguous; possibilities: '--rate' '--rate-limit'"),
            (
                &["-q", "--rat=5"][..],
                "option '--rat=5' is ambiguous; possibilities: '--rate' '--rate-limit'",
            ),
            (&["--bogus"][..], "unexpected argument '--bogus' found"),
        ] {
            let err = parse(words).expect_err("refused");
            let words: Vec<OsString> = words.iter().map(OsString::from).collect();
            assert_eq!(usage_line(&err, &words), line);
        }
    }
}
