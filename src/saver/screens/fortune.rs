//! `fortune`: a fortune cookie, centred, a new one every 30 seconds. It runs the `fortune`
//! program when it is installed, and otherwise (or with `--bundled`) picks from our own
//! collection, `screens/fortunes.txt` (embedded): original sayings and public-domain quotations
//! with their authors. `--file` takes any file in the fortune format: entries separated by
//! lines that hold only `%`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Parser;

use crate::saver::screens::data::source::Source;
use crate::saver::screens::data::text::TextScreen;
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, ScreenInfo};

const EXAMPLES: &str = "Examples:
  fun saver fortune                  the fortune program's cookies, or our own collection
  fun saver fortune --bundled        always our own collection
  fun saver fortune --file quotes    your own file: entries separated by lines of %
  fun saver fortune --refresh 10     a new one every 10 seconds";

/// The bundled collection's file in `screens/`.
const BUNDLED: &str = "fortunes.txt";
/// The largest fortune file read (the classic collections are a few hundred KiB each).
const MAX_FILE: u64 = 4 * 1024 * 1024;
/// Most entries kept from a file, and the longest entry shown.
const MAX_ENTRIES: usize = 100_000;
const MAX_ENTRY: usize = 4096;

/// A fortune cookie every 30 seconds, from `fortune` or our own collection.
#[derive(Debug, Parser)]
#[command(name = "fun saver fortune", after_help = EXAMPLES)]
pub(crate) struct FortuneArgs {
    /// Pick from this fortune-format file instead (entries separated by lines holding only
    /// %; a regular file up to 4 MiB).
    #[arg(long, value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,

    /// Use the bundled collection even when the fortune program is installed.
    #[arg(long, conflicts_with = "file")]
    pub(crate) bundled: bool,

    /// Seconds between fortunes (0.5-86400).
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS",
          value_parser = values::within(0.5, 86_400.0))]
    pub(crate) refresh: f64,
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("fortune", "a fortune cookie every 30 seconds (fortune, or our own)", build)
}

/// Builds the screen: a file's entries, the `fortune` program, or the bundled collection.
///
/// # Errors
/// The file is missing, not a regular file, too large, or holds no entry.
pub(crate) fn build(args: FortuneArgs) -> anyhow::Result<TextScreen> {
    // PATH is searched only when the program may be used (no --file, no --bundled).
    let source = match &args.file {
        Some(path) => from_file(path)?,
        None if args.bundled => Source::Embedded(bundled()),
        None => match find_program("fortune") {
            Some(program) => Source::Command(vec![program.to_string_lossy().into_owned()]),
            None => Source::Embedded(bundled()),
        },
    };
    Ok(TextScreen::new(source, args.refresh))
}

/// The bundled collection's entries.
#[must_use]
pub(crate) fn bundled() -> Vec<&'static str> {
    crate::saver::screens::data::bundled_file(BUNDLED).map(entries).unwrap_or_default()
}

/// The entries of a fortune-format text: split at lines holding only `%`, blank ones dropped.
#[must_use]
pub(crate) fn entries(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == "%" {
            out.push(&text[start..at]);
            start = at + line.len();
        }
        at += line.len();
    }
    out.push(&text[start..]);
    out.retain(|e| !e.trim().is_empty());
    out
}

/// A file's entries, read now (capped, regular files only), sanitised when shown.
fn from_file(path: &Path) -> anyhow::Result<Source> {
    let bytes = crate::files::read_capped(path, MAX_FILE)?;
    let text = crate::sanitize::sanitize_with(&bytes, crate::sanitize::Whitespace::Keep);
    let list: Vec<String> = entries(&text)
        .into_iter()
        .take(MAX_ENTRIES)
        .map(|e| e.chars().take(MAX_ENTRY).collect())
        .collect();
    if list.is_empty() {
        anyhow::bail!("{}: no fortunes (entries are separated by lines holding only %)", crate::files::display_path(path));
    }
    Ok(Source::Texts(Arc::new(list)))
}

/// `name` in a folder of `PATH` (or `/usr/games`, where Debian puts `fortune`), if it is an
/// executable file there.
fn find_program(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/games")])
        .map(|dir| dir.join(name))
        .find(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collection_has_at_least_300_entries_each_readable() {
        let all = bundled();
        assert!(all.len() >= 300, "{}", all.len());
        let mut seen = std::collections::BTreeSet::new();
        for entry in &all {
            assert!(seen.insert(entry.trim()), "twice: {entry}");
            for line in entry.lines() {
                assert!(line.chars().count() <= 78, "too wide for a terminal: {line}");
                assert!(crate::sanitize::is_clean(line.as_bytes()), "{line:?}");
            }
        }
    }

    #[test]
    fn every_quotation_names_its_author_work_and_year_before_1929() {
        let mut quotations = 0;
        for entry in bundled() {
            let Some(attribution) = entry.lines().rev().find(|l| l.trim_start().starts_with("-- ")) else {
                continue;
            };
            quotations += 1;
            let year: u32 = attribution
                .rsplit('(')
                .next()
                .and_then(|y| y.trim_end().strip_suffix(')'))
                .and_then(|y| y.parse().ok())
                .unwrap_or_else(|| panic!("no (year): {attribution}"));
            assert!(year < 1929, "{attribution}");
            assert!(attribution.contains(", "), "author, work: {attribution}");
        }
        assert!(quotations >= 100, "{quotations}");
    }

    #[test]
    fn entries_split_at_percent_lines_only() {
        assert_eq!(entries("a\n%\nb 100%\nc\n%\n\n%\n"), ["a\n", "b 100%\nc\n"]);
        assert_eq!(entries("only one"), ["only one"]);
        assert!(entries("%\n%\n").is_empty());
        assert_eq!(entries("x\r\n%\r\ny"), ["x\r\n", "y"]);
    }

    #[test]
    fn a_file_is_read_capped_and_must_hold_entries() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("f");
        std::fs::write(&file, "one\n%\ntwo\n").expect("write");
        assert!(matches!(from_file(&file), Ok(Source::Texts(t)) if t.len() == 2));
        std::fs::write(&file, "%\n\n%\n").expect("write");
        assert!(from_file(&file).expect_err("empty").to_string().contains("no fortunes"));
    }

    proptest::proptest! {
        #[test]
        fn entries_never_hold_a_separator_line(text in "(%\n|[a-z% ]{0,8}\n){0,30}") {
            for entry in entries(&text) {
                proptest::prop_assert!(entry.lines().all(|l| l != "%"));
            }
        }
    }
}
