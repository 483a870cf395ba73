//! The config file: `$XDG_CONFIG_HOME/fun/config.toml` (or `--config FILE`, or `FUN_CONFIG`),
//! documented in docs/config.md.
//!
//! ```toml
//! [saver]                      # engine defaults: the long options' names
//! theme = "amber"
//! [saver.screen.clock]         # a screen's defaults: its long options' names
//! twelve = true
//! playlist = "evening"        # what a plain `fun saver` plays
//! [saver.playlists.evening]    # `fun saver --playlist evening`
//! screens = ["matrix --rainbow", "clock", "rocket"]
//! every = "2m"
//! ```
//!
//! Every key is a long option and every value what that option takes, checked by the same clap
//! parser as the command line (`schema.rs`), so nothing is defined twice. Precedence: the
//! command line, then the playlist, then `[saver]`, then the built-in defaults. A problem is
//! reported with the file, line, column and key (and the nearest valid key for a typo); it stops
//! the saver only when it is in a section this run uses, otherwise it is reported and the saver
//! starts.
//!
//! Playlists are `[saver.playlists.NAME]`: the old spelling `[saver.playlist.NAME]` made the
//! documented `playlist = "NAME"` key a TOML error (a key cannot be a string and a table), so
//! it is still read, with a warning that names the new spelling.

mod report;
pub(crate) mod schema;
pub(crate) mod tree;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use clap::Command;
use toml::Spanned;

use self::schema::OptionKey;
use self::tree::{Document, Node, Table};
use crate::files::ReadError;
use crate::saver::kit::screen::ScreenInfo;

pub use self::report::ConfigCommand;
pub(crate) use self::report::{example, given, print_effective};

/// The largest config file read (a long one is a few KiB).
pub(crate) const MAX_CONFIG: u64 = 256 * 1024;

/// The environment variable naming another config file (a user setting, like `--config`).
pub(crate) const ENV_VAR: &str = "FUN_CONFIG";

/// The engine option that chooses the file.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct ConfigArgs {
    /// Read this config file instead of $XDG_CONFIG_HOME/fun/config.toml (also FUN_CONFIG;
    /// a regular file of at most 256 KiB).
    #[arg(long = "config", value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,
}

/// How the file was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    Option,
    Env,
    Default,
}

/// The file a config came from.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    pub(crate) shown: String,
    pub(crate) origin: Origin,
}

/// One `key = value` that is valid, with the command-line words it stands for.
#[derive(Clone, Debug)]
pub(crate) struct Setting {
    pub(crate) key: String,
    pub(crate) value: Node,
    pub(crate) words: Vec<String>,
    pub(crate) line: usize,
}

/// A problem in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) line: usize,
    pub(crate) column: usize,
    /// The section, as written in the file (`saver.screen.clock`).
    pub(crate) section: String,
    pub(crate) message: String,
}

/// The valid settings of a section and its problems.
#[derive(Clone, Debug, Default)]
pub(crate) struct Section {
    pub(crate) settings: Vec<Setting>,
    pub(crate) problems: Vec<Problem>,
}

/// A named playlist: its screens (each a name and its options) and its engine settings.
#[derive(Clone, Debug, Default)]
pub(crate) struct Playlist {
    pub(crate) screens: Vec<Vec<String>>,
    pub(crate) section: Section,
}

/// A config file that could not be used at all.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConfigError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("{file}:{line}:{column}: {message}")]
    Syntax { file: String, line: usize, column: usize, message: String },
}

/// The config, checked.
#[derive(Clone, Debug, Default)]
pub(crate) struct Config {
    pub(crate) source: Option<Source>,
    /// The file's name in messages.
    pub(crate) shown: String,
    pub(crate) engine: Section,
    pub(crate) screens: BTreeMap<String, Section>,
    pub(crate) playlists: BTreeMap<String, Playlist>,
    /// Problems outside every section a run can use (an unknown table, an unknown screen).
    pub(crate) elsewhere: Vec<Problem>,
    /// What is read but should be written otherwise (the old playlist spelling).
    pub(crate) warnings: Vec<Problem>,
}

/// The sections a run uses: their problems stop it, the others are only reported.
#[derive(Clone, Debug, Default)]
pub(crate) struct Used<'a> {
    pub(crate) playlist: Option<&'a str>,
    pub(crate) screens: Vec<&'a str>,
}

/// Where the config file is: `--config`, else `FUN_CONFIG`, else the default place.
#[must_use]
pub(crate) fn locate(option: Option<&Path>) -> Option<(PathBuf, Origin)> {
    if let Some(path) = option {
        return Some((path.to_path_buf(), Origin::Option));
    }
    if let Some(path) = std::env::var_os(ENV_VAR).filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(path), Origin::Env));
    }
    let dir = crate::xdg::base_dir("XDG_CONFIG_HOME", ".config")?;
    Some((dir.join("fun").join("config.toml"), Origin::Default))
}

/// Reads and checks the config. A missing file at the default place is no config; a file named
/// by `--config` or `FUN_CONFIG` must exist.
///
/// # Errors
/// The file cannot be read (not a regular file, too large, unreadable) or is not TOML.
/// `engine` is the saver's clap command: the config's engine keys are its long options.
///
/// # Errors
/// The file cannot be read (not a regular file, too large, unreadable) or is not TOML.
pub(crate) fn load(
    option: Option<&Path>,
    screens: &[ScreenInfo],
    engine: &Command,
) -> Result<Config, ConfigError> {
    let Some((path, origin)) = locate(option) else { return Ok(Config::default()) };
    let bytes = match crate::files::read_capped(&path, MAX_CONFIG) {
        Ok(bytes) => bytes,
        Err(ReadError::NotFound { .. }) if origin == Origin::Default => {
            return Ok(Config::default());
        }
        Err(err) => return Err(err.into()),
    };
    let shown = crate::files::display_path(&path);
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, column) =
            tree::position(&String::from_utf8_lossy(e.as_bytes()), e.utf8_error().valid_up_to());
        ConfigError::Syntax { file: shown.clone(), line, column, message: "not UTF-8".into() }
    })?;
    let mut config = parse(&text, &shown, screens, engine)?;
    config.source = Some(Source { shown, origin });
    Ok(config)
}

/// Parses and checks the text of a config file called `shown`.
///
/// # Errors
/// The text is not TOML.
pub(crate) fn parse(
    text: &str,
    shown: &str,
    screens: &[ScreenInfo],
    engine: &Command,
) -> Result<Config, ConfigError> {
    let Document(root) = toml::from_str::<Document>(text).map_err(|err| {
        let (line, column) = tree::position(text, err.span().map_or(0, |s| s.start));
        let message = err.message().lines().next().unwrap_or("not TOML").to_owned();
        ConfigError::Syntax { file: shown.to_owned(), line, column, message }
    })?;
    let config = Config { shown: shown.to_owned(), ..Config::default() };
    let mut checker = Checker { text, engine, config };
    for (key, value) in &root {
        if key.get_ref() == "saver" {
            match value.get_ref() {
                Node::Table(table) => checker.saver(table, screens),
                other => checker.elsewhere(
                    value.span(),
                    "",
                    format!("saver is a table, not {}", other.kind()),
                ),
            }
        } else {
            let message = schema::unknown("table", key.get_ref(), &["saver"]);
            checker.elsewhere(key.span(), "", message);
        }
    }
    Ok(checker.config)
}

/// The help heading of the engine's headless options (the config file has no keys for them).
pub(crate) const HEADLESS: &str = "Headless previews";

/// The config keys of `engine` (the saver's command): its long options, less the ones that only
/// make sense on a command line (listing, headless previews, choosing the config file).
#[must_use]
pub(crate) fn engine_keys(engine: &Command) -> Vec<OptionKey> {
    schema::keys(engine, |arg| {
        !arg.is_hide_set()
            && arg.get_help_heading() != Some(HEADLESS)
            && !matches!(arg.get_id().as_str(), "list" | "file")
    })
}

/// A playlist's keys: `screens`, and the engine's keys except choosing what to play.
fn playlist_keys(engine: &Command) -> Vec<OptionKey> {
    engine_keys(engine)
        .into_iter()
        .filter(|k| !matches!(k.long.as_str(), "playlist" | "random"))
        .collect()
}

struct Checker<'t> {
    text: &'t str,
    /// The saver's command, whose long options are the engine keys.
    engine: &'t Command,
    config: Config,
}

impl Checker<'_> {
    fn problem(&self, span: Range<usize>, section: &str, message: String) -> Problem {
        let (line, column) = tree::position(self.text, span.start);
        Problem { line, column, section: section.to_owned(), message }
    }

    fn elsewhere(&mut self, span: Range<usize>, section: &str, message: String) {
        let problem = self.problem(span, section, message);
        self.config.elsewhere.push(problem);
    }

    fn line(&self, span: &Range<usize>) -> usize {
        tree::position(self.text, span.start).0
    }

    /// `[saver]`: engine keys, `screen` and `playlists` (and the old `playlist` tables).
    fn saver(&mut self, table: &Table, screens: &[ScreenInfo]) {
        let engine = self.engine;
        let keys = engine_keys(engine);
        let mut section = Section::default();
        let mut flat = Vec::new();
        for (key, value) in table {
            match (key.get_ref().as_str(), value.get_ref()) {
                ("screen", Node::Table(per_screen)) => self.screens(per_screen, screens),
                ("playlists", Node::Table(lists)) => self.playlists(lists, screens, "playlists"),
                ("playlist", Node::Table(lists)) => {
                    for name in lists.iter().map(|(name, _)| name) {
                        let message = format!(
                            "warning: [saver.playlist.{0}] is the old spelling of \
                             [saver.playlists.{0}] (it cannot stand beside playlist = \"{0}\"); \
                             read as before",
                            name.get_ref()
                        );
                        let warning = self.problem(name.span(), "saver", message);
                        self.config.warnings.push(warning);
                    }
                    self.playlists(lists, screens, "playlist");
                }
                ("screen" | "playlists", other) => {
                    let message =
                        format!("{} is a table of tables, not {}", key.get_ref(), other.kind());
                    section.problems.push(self.problem(value.span(), "saver", message));
                }
                _ => flat.push((key.clone(), value.clone())),
            }
        }
        self.settings(&flat, engine, &keys, &["screen", "playlists"], "saver", &mut section);
        self.config.engine = section;
    }

    /// Checks `table` against `keys` (parsed by `command`) into `section`.
    fn settings(
        &self,
        table: &Table,
        command: &Command,
        keys: &[OptionKey],
        extra: &[&str],
        name: &str,
        section: &mut Section,
    ) {
        let mut seen = BTreeSet::new();
        for (key, value) in table {
            let Some(option) = keys.iter().find(|k| &k.long == key.get_ref()) else {
                let mut known: Vec<&str> = keys.iter().map(|k| k.long.as_str()).collect();
                known.extend(extra);
                let message = format!("{name}: {}", schema::unknown("key", key.get_ref(), &known));
                section.problems.push(self.problem(key.span(), name, message));
                continue;
            };
            seen.insert(option.long.clone());
            match schema::words(command, option, value) {
                Ok(words) => section.settings.push(Setting {
                    key: option.long.clone(),
                    value: value.get_ref().clone(),
                    words,
                    line: self.line(&key.span()),
                }),
                Err((span, why)) => {
                    let message = format!("{name}.{}: {why}", option.long);
                    section.problems.push(self.problem(span, name, message));
                }
            }
        }
    }

    /// `[saver.screen.NAME]` tables.
    fn screens(&mut self, tables: &Table, screens: &[ScreenInfo]) {
        let names: Vec<&str> = screens.iter().map(|s| s.name.as_str()).collect();
        for (name, value) in tables {
            let section_name = format!("saver.screen.{}", name.get_ref());
            let Some(info) = crate::saver::app::lookup::find(screens, name.get_ref()) else {
                let message = format!(
                    "{section_name}: {}",
                    schema::unknown("screen", name.get_ref(), &names)
                );
                self.elsewhere(name.span(), &section_name, message);
                continue;
            };
            let mut section = Section::default();
            match value.get_ref() {
                Node::Table(table) => {
                    let command = (info.options)();
                    let keys = schema::keys(&command, |_| true);
                    self.settings(table, &command, &keys, &[], &section_name, &mut section);
                }
                other => {
                    let message = format!("{section_name} is a table, not {}", other.kind());
                    section.problems.push(self.problem(value.span(), &section_name, message));
                }
            }
            self.config.screens.insert(name.get_ref().clone(), section);
        }
    }

    /// `[saver.playlists.NAME]` tables (`spelling`: `playlists`, or the old `playlist`).
    fn playlists(&mut self, tables: &Table, screens: &[ScreenInfo], spelling: &str) {
        let engine = self.engine;
        let keys = playlist_keys(engine);
        for (name, value) in tables {
            let section_name = format!("saver.{spelling}.{}", name.get_ref());
            let mut playlist = Playlist::default();
            let Node::Table(table) = value.get_ref() else {
                let message = format!("{section_name} is a table, not {}", value.get_ref().kind());
                playlist.section.problems.push(self.problem(value.span(), &section_name, message));
                self.config.playlists.insert(name.get_ref().clone(), playlist);
                continue;
            };
            let (lists, rest): (Table, Table) =
                table.iter().cloned().partition(|(k, _)| k.get_ref() == "screens");
            self.settings(&rest, engine, &keys, &["screens"], &section_name, &mut playlist.section);
            match lists.first() {
                Some((_, list)) => {
                    self.playlist_screens(list, screens, &section_name, &mut playlist)
                }
                None => {
                    let message =
                        format!("{section_name}: needs screens = [\"matrix\", \"clock\", ...]");
                    playlist.section.problems.push(self.problem(
                        name.span(),
                        &section_name,
                        message,
                    ));
                }
            }
            self.config.playlists.insert(name.get_ref().clone(), playlist);
        }
    }

    /// `screens = ["matrix -r", ["randtxt", "-w", "hello world"], ...]`.
    fn playlist_screens(
        &self,
        list: &Spanned<Node>,
        screens: &[ScreenInfo],
        section_name: &str,
        playlist: &mut Playlist,
    ) {
        let Node::Array(items) = list.get_ref() else {
            let message =
                format!("{section_name}.screens is an array, not {}", list.get_ref().kind());
            playlist.section.problems.push(self.problem(list.span(), section_name, message));
            return;
        };
        for item in items {
            match screen_words(item.get_ref())
                .and_then(|words| check_screen(&words, screens).map(|()| words))
            {
                Ok(words) => playlist.screens.push(words),
                Err(why) => {
                    let message = format!("{section_name}.screens: {why}");
                    playlist.section.problems.push(self.problem(
                        item.span(),
                        section_name,
                        message,
                    ));
                }
            }
        }
        if items.is_empty() {
            let message = format!("{section_name}.screens is empty");
            playlist.section.problems.push(self.problem(list.span(), section_name, message));
        }
    }
}

/// Why a playlist entry is not a screen to run.
#[derive(Debug, thiserror::Error)]
enum ScreenError {
    #[error("a screen's words are strings, not {0}")]
    WordNotAString(&'static str),
    #[error("a screen is a string or an array of strings, not {0}")]
    NotAScreen(&'static str),
    #[error("an empty screen")]
    Empty,
    /// The unknown name, with the nearest known one when there is one.
    #[error("{0}")]
    Unknown(String),
    #[error("{screen}: {why}")]
    Options { screen: String, why: schema::OptionError },
}

/// A playlist entry as words: a string split at blanks, or an array of strings taken as is.
fn screen_words(node: &Node) -> Result<Vec<String>, ScreenError> {
    let words: Vec<String> = match node {
        Node::Str(text) => text.split_whitespace().map(str::to_owned).collect(),
        Node::Array(items) => items
            .iter()
            .map(|i| match i.get_ref() {
                Node::Str(s) => Ok(s.clone()),
                other => Err(ScreenError::WordNotAString(other.kind())),
            })
            .collect::<Result<_, _>>()?,
        other => return Err(ScreenError::NotAScreen(other.kind())),
    };
    if words.is_empty() {
        return Err(ScreenError::Empty);
    }
    Ok(words)
}

/// A known screen whose options parse.
fn check_screen(words: &[String], screens: &[ScreenInfo]) -> Result<(), ScreenError> {
    let Some(info) = crate::saver::app::lookup::find(screens, &words[0]) else {
        let names: Vec<&str> = screens.iter().map(|s| s.name.as_str()).collect();
        return Err(ScreenError::Unknown(schema::unknown("screen", &words[0], &names)));
    };
    schema::check(&(info.options)(), &words[1..])
        .map_err(|why| ScreenError::Options { screen: words[0].clone(), why })
}

impl Config {
    /// The config's engine words for a run: `[saver]`, then the playlist's, each only for the
    /// options the command line did not give (`given` holds their long names).
    #[must_use]
    pub(crate) fn engine_words(
        &self,
        playlist: Option<&str>,
        given: &BTreeSet<String>,
    ) -> Vec<String> {
        let from_list = playlist.and_then(|p| self.playlists.get(p)).map(|p| &p.section.settings);
        let in_list: BTreeSet<&str> =
            from_list.into_iter().flatten().map(|s| s.key.as_str()).collect();
        let mut words = Vec::new();
        for setting in &self.engine.settings {
            if !given.contains(&setting.key) && !in_list.contains(setting.key.as_str()) {
                words.extend(setting.words.iter().cloned());
            }
        }
        for setting in from_list.into_iter().flatten() {
            if !given.contains(&setting.key) {
                words.extend(setting.words.iter().cloned());
            }
        }
        words
    }

    /// A screen's arguments with its config defaults in front, for the options `args` does not
    /// give itself.
    #[must_use]
    pub(crate) fn screen_args(&self, info: &ScreenInfo, args: &[String]) -> Vec<String> {
        let Some(section) = self.screens.get(&info.name) else { return args.to_vec() };
        let command = (info.options)().ignore_errors(true);
        let argv = std::iter::once(format!("fun saver {}", info.name)).chain(args.iter().cloned());
        let given = command.try_get_matches_from(argv).ok();
        let is_given = |key: &str| {
            let Some(matches) = &given else { return false };
            let command = (info.options)();
            command.get_arguments().filter(|a| a.get_long() == Some(key)).any(|a| {
                matches.value_source(a.get_id().as_str())
                    == Some(clap::parser::ValueSource::CommandLine)
            })
        };
        let mut out: Vec<String> = Vec::new();
        for setting in &section.settings {
            if !is_given(&setting.key) {
                out.extend(setting.words.iter().cloned());
            }
        }
        out.extend(args.iter().cloned());
        out
    }

    /// The warnings, as lines: read, but better written otherwise.
    #[must_use]
    pub(crate) fn warning_lines(&self) -> Vec<String> {
        let line = |p: &Problem| format!("{}:{}:{}: {}", self.shown, p.line, p.column, p.message);
        self.warnings.iter().map(line).collect()
    }

    /// The problems that stop a run using `used`, and those only reported, as lines.
    #[must_use]
    pub(crate) fn problems(&self, used: &Used<'_>) -> (Vec<String>, Vec<String>) {
        let line = |p: &Problem| format!("{}:{}:{}: {}", self.shown, p.line, p.column, p.message);
        let (mut fatal, mut reported) = (Vec::new(), Vec::new());
        fatal.extend(self.engine.problems.iter().map(line));
        for (name, section) in &self.screens {
            let target =
                if used.screens.contains(&name.as_str()) { &mut fatal } else { &mut reported };
            target.extend(section.problems.iter().map(line));
        }
        for (name, playlist) in &self.playlists {
            let target =
                if used.playlist == Some(name.as_str()) { &mut fatal } else { &mut reported };
            target.extend(playlist.section.problems.iter().map(line));
        }
        reported.extend(self.elsewhere.iter().map(line));
        (fatal, reported)
    }
}

#[cfg(test)]
mod tests;
