//! `fun saver config`: the effective configuration with where each value comes from, and
//! `fun saver config --example`: a commented example file (a test checks that it parses
//! without a single problem).

use std::collections::BTreeSet;
use std::io::{self, Write};

use clap::parser::ValueSource;
use clap::{ArgMatches, Command};

use super::tree::{Node, toml_string};
use super::{Config, Origin, Setting, engine_keys};

/// The example config file.
#[must_use]
pub(crate) fn example() -> &'static str {
    include_str!("example.toml")
}

/// The options of `fun saver config`.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(after_help = "Examples:
  fun saver config                          what is in effect, and where each value comes from
  mkdir -p ~/.config/fun                    the config's folder, if it is not there yet
  fun saver config --example > ~/.config/fun/config.toml   a commented file to start from
  fun saver --config my.toml config         check another file (exit 1 on any problem)

The file is $XDG_CONFIG_HOME/fun/config.toml (usually ~/.config/fun/config.toml), or the one
--config or FUN_CONFIG names.")]
pub struct ConfigCommand {
    /// Print a commented example config file instead (it parses as it is).
    #[arg(long)]
    pub(crate) example: bool,
}

/// A command-line word as a TOML value: a number stays a number.
fn word_value(word: &str) -> String {
    if word.parse::<i64>().is_ok() || word.parse::<f64>().is_ok_and(f64::is_finite) {
        word.to_owned()
    } else {
        toml_string(word)
    }
}

/// The values the command line gave for the option `long`, as TOML (`None` when not given).
fn from_command_line(matches: &ArgMatches, engine: &Command, long: &str) -> Option<String> {
    let arg = engine.get_arguments().find(|a| a.get_long() == Some(long))?;
    let id = arg.get_id().as_str();
    if matches.value_source(id) != Some(ValueSource::CommandLine) {
        return None;
    }
    let raw: Vec<String> = matches
        .get_raw(id)
        .map(|values| values.map(|v| word_value(&v.to_string_lossy())).collect())
        .unwrap_or_default();
    Some(match (raw.len(), arg.get_action().takes_values()) {
        (_, false) => "true".to_owned(),
        (1, _) => raw[0].clone(),
        _ => format!("[{}]", raw.join(", ")),
    })
}

/// The built-in default of the option `long`, as TOML, when the definition has one.
fn built_in(engine: &Command, long: &str) -> Option<String> {
    let arg = engine.get_arguments().find(|a| a.get_long() == Some(long))?;
    if !arg.get_action().takes_values() {
        return Some("false".to_owned());
    }
    let defaults: Vec<String> =
        arg.get_default_values().iter().map(|v| word_value(&v.to_string_lossy())).collect();
    (!defaults.is_empty()).then(|| defaults.join(", "))
}

/// A table name from the file as TOML: bare when it can be, else quoted with its controls and
/// bidirectional controls written as `\uXXXX`, so a name is shown as written, never obeyed
/// (a newline in it would otherwise forge a line of the report).
fn toml_key(name: &str) -> String {
    let bare = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if !name.is_empty() && name.chars().all(bare) {
        return name.to_owned();
    }
    let mut key = String::new();
    for c in toml_string(name).chars() {
        if crate::sanitize::is_bidi_control(c) {
            key.push_str(&format!("\\u{:04X}", u32::from(c)));
        } else {
            key.push(c);
        }
    }
    key
}

fn setting_line(setting: &Setting, file: &str, note: &str) -> String {
    format!("{} = {}  # {file}:{}{note}", setting.key, setting.value.to_toml(), setting.line)
}

/// Prints the effective configuration of a run with `matches` (the saver's command line).
///
/// # Errors
/// Writing to `out` failed.
pub(crate) fn print_effective(
    config: &Config,
    matches: &ArgMatches,
    engine: &Command,
    out: &mut dyn Write,
) -> io::Result<()> {
    let file = config.source.as_ref().map_or("", |s| s.shown.as_str());
    match &config.source {
        Some(source) => {
            let how = match source.origin {
                Origin::Option => "--config",
                Origin::Env => super::ENV_VAR,
                Origin::Default => "the default place",
            };
            writeln!(out, "# config file: {} ({how})", source.shown)?;
        }
        None => match super::locate(None) {
            Some((path, _)) => writeln!(
                out,
                "# config file: none ({} does not exist; `fun saver config --example` shows one)",
                crate::files::display_path(&path)
            )?,
            None => writeln!(out, "# config file: none")?,
        },
    }
    writeln!(out, "# precedence: command line > playlist > [saver] > built-in\n\n[saver]")?;
    let playlist_name = from_command_line(matches, engine, "playlist")
        .map(|v| v.trim_matches('"').to_owned())
        .or_else(|| {
            let setting = config.engine.settings.iter().find(|s| s.key == "playlist")?;
            setting.value.word()
        });
    let playlist = playlist_name.as_deref().and_then(|p| config.playlists.get(p));
    for key in engine_keys(engine) {
        let long = key.long.as_str();
        let in_list = playlist.and_then(|p| p.section.settings.iter().find(|s| s.key == long));
        let in_file = config.engine.settings.iter().find(|s| s.key == long);
        let line = if let Some(value) = from_command_line(matches, engine, long) {
            format!("{long} = {value}  # command line")
        } else if let Some(setting) = in_list {
            let name = toml_key(playlist_name.as_deref().unwrap_or_default());
            setting_line(setting, file, &format!(" (playlist {name})"))
        } else if let Some(setting) = in_file {
            setting_line(setting, file, "")
        } else if let Some(value) = built_in(engine, long) {
            format!("{long} = {value}  # built-in")
        } else {
            format!("# {long}: not set (built-in: see `fun saver --help`)")
        };
        writeln!(out, "{line}")?;
    }
    for (name, section) in &config.screens {
        if section.settings.is_empty() {
            continue;
        }
        writeln!(out, "\n[saver.screen.{}]", toml_key(name))?;
        for setting in &section.settings {
            writeln!(out, "{}", setting_line(setting, file, ""))?;
        }
    }
    for (name, list) in &config.playlists {
        let used = if playlist_name.as_deref() == Some(name.as_str()) { " (used now)" } else { "" };
        writeln!(out, "\n[saver.playlists.{}]{used}", toml_key(name))?;
        let screens: Vec<String> = list
            .screens
            .iter()
            .map(|words| {
                Node::Array(
                    words.iter().map(|w| toml::Spanned::new(0..0, Node::Str(w.clone()))).collect(),
                )
                .to_toml()
            })
            .collect();
        writeln!(out, "screens = [{}]", screens.join(", "))?;
        for setting in &list.section.settings {
            writeln!(out, "{}", setting_line(setting, file, ""))?;
        }
    }
    Ok(())
}

/// The long names of the engine options given on the command line.
#[must_use]
pub(crate) fn given(matches: &ArgMatches, engine: &Command) -> BTreeSet<String> {
    engine_keys(engine)
        .into_iter()
        .filter(|k| from_command_line(matches, engine, &k.long).is_some())
        .map(|k| k.long)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::toml_key;

    #[test]
    fn a_table_name_is_shown_never_obeyed() {
        assert_eq!(toml_key("night-2_b"), "night-2_b");
        assert_eq!(toml_key("a\nb\u{1b}[2J"), "\"a\\nb\\u001B[2J\"");
        assert_eq!(toml_key("x\u{202e}y"), "\"x\\u202Ey\"");
        assert_eq!(toml_key(""), "\"\"");
    }
}
