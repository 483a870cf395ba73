//! The calendar's completer (the top asks for it through [`super::TOOL`]): `-f` offers the
//! bundled calendars by short name, beside file paths.

use std::ffi::OsStr;

use clap_complete::engine::{
    ArgValueCompleter, CompletionCandidate, PathCompleter, ValueCompleter,
};

/// Adds the completers to `fun calendar`'s command.
pub(crate) fn completers(calendar: clap::Command) -> clap::Command {
    calendar.mut_arg("file", |arg| arg.add(ArgValueCompleter::new(calendar_files)))
}

/// `fun calendar -f`: the bundled calendars by short name, then files.
fn calendar_files(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    let mut candidates: Vec<CompletionCandidate> = super::bundled_names()
        .into_iter()
        .filter(|(name, _)| name.starts_with(prefix.as_ref()))
        .map(|(name, about)| CompletionCandidate::new(name).help(Some(about.into())))
        .collect();
    candidates.extend(PathCompleter::file().stdio().complete(current));
    candidates
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::*;

    #[test]
    fn calendar_names_complete_without_their_prefix() {
        let values: Vec<_> =
            calendar_files(OsStr::new("lo")).iter().map(|c| c.get_value().to_owned()).collect();
        assert!(values.contains(&OsString::from("lotr")), "{values:?}");
    }
}
