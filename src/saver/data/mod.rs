//! Screens defined as data: `.screen` files from the bundled `screens/` folder (embedded in the
//! binary) and from `$XDG_CONFIG_HOME/fun/screens/` (user files win on a name clash), in three
//! kinds: asciimation, typing and text. The format is documented in docs/screens.md.
//!
//! A bad file never takes the other screens down: it is reported on stderr as
//! `fun saver: FILE:LINE: problem` and left out.

pub mod asciimation;
pub mod def;
pub mod source;
pub mod text;
pub mod typing;

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser};

use self::def::{Kind, ScreenDef};
use self::source::Source;
use crate::saver::screen::{MakeScreen, Screen, ScreenInfo};

include!(concat!(env!("OUT_DIR"), "/bundled_screens.rs"));

/// Where a definition came from: bundled files resolve `file` in the bundled set first.
#[derive(Clone, Debug)]
enum Origin {
    Bundled,
    User(PathBuf),
}

/// Options every data screen takes (the kind decides which matter).
#[derive(Debug, Parser)]
struct DataArgs {
    /// Play or show this file instead (an asciimation: the classic format, 13 rows a frame).
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// Type the files of this directory (typing screens).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Typing speed in characters per second (typing screens).
    #[arg(long, value_name = "N")]
    cps: Option<f64>,
    /// Seconds between refreshes (text screens) or pauses between texts (typing screens).
    #[arg(long, value_name = "SECONDS")]
    refresh: Option<f64>,
}

fn examples(def: &ScreenDef) -> String {
    let n = &def.name;
    match def.kind {
        Kind::Asciimation => format!(
            "Examples:\n  fun saver {n}                      play it in a loop\n  fun saver {n} --file sw1.txt       play your own classic-format file"
        ),
        Kind::Typing => format!(
            "Examples:\n  fun saver {n}\n  fun saver {n} --cps 30             faster\n  fun saver {n} --dir ~/notes        type your own files"
        ),
        Kind::Text => format!(
            "Examples:\n  fun saver {n}\n  fun saver {n} --refresh 10         a new one every 10 seconds\n  fun saver {n} --file motd.txt      show a file instead"
        ),
    }
}

/// The bundled file called `name`, if any.
fn bundled_file(name: &str) -> Option<&'static str> {
    BUNDLED_SCREENS.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

fn resolve(origin: &Origin, file: &str) -> PathBuf {
    match origin {
        Origin::User(dir) => dir.join(file),
        Origin::Bundled => PathBuf::from(file),
    }
}

/// Builds the screen for `def` with the user's options.
fn build(def: &ScreenDef, origin: &Origin, args: &DataArgs) -> anyhow::Result<Box<dyn Screen>> {
    let file = args.file.clone();
    let source = match (&file, &args.dir, &def.file, &def.dir, &def.command) {
        (Some(path), _, _, _, _) => Source::File(path.clone()),
        (None, Some(dir), _, _, _) => Source::Dir(dir.clone()),
        (None, None, Some(f), _, _) => match (origin, bundled_file(f)) {
            (Origin::Bundled, Some(text)) => Source::Embedded(vec![text]),
            _ => Source::File(resolve(origin, f)),
        },
        (None, None, None, Some(d), _) => Source::Dir(resolve(origin, d)),
        (None, None, None, None, Some(argv)) => Source::Command(argv.clone()),
        _ => anyhow::bail!("{}: nothing to show", def.name),
    };
    Ok(match def.kind {
        Kind::Asciimation => {
            let (name, text) = match &source {
                Source::Embedded(texts) => (def.name.clone(), texts[0].to_owned()),
                Source::File(path) => {
                    let bytes = std::fs::read(path)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                    (path.display().to_string(), String::from_utf8_lossy(&bytes).into_owned())
                }
                _ => anyhow::bail!("{}: an asciimation plays a file", def.name),
            };
            let frames = asciimation::parse(&text)
                .map_err(|(line, why)| anyhow::anyhow!("{name}:{line}: {why}"))?;
            Box::new(asciimation::Asciimation::new(frames))
        }
        Kind::Typing => {
            let cps = args.cps.unwrap_or(def.cps).clamp(0.1, 10_000.0);
            Box::new(typing::TypingScreen::new(
                source,
                cps,
                args.refresh.unwrap_or(3.0).clamp(0.0, 3600.0),
                false,
            ))
        }
        Kind::Text => Box::new(text::TextScreen::new(
            source,
            args.refresh.unwrap_or(def.refresh).clamp(0.5, 86_400.0),
        )),
    })
}

fn info(def: ScreenDef, origin: Origin) -> ScreenInfo {
    let name = def.name.clone();
    let about = def.about.clone();
    let make: MakeScreen = Box::new(move |argv: &[String]| {
        // Only the options that matter for this kind are shown.
        let hidden: &[&str] = match def.kind {
            Kind::Asciimation => &["dir", "cps", "refresh"],
            Kind::Typing => &[],
            Kind::Text => &["dir", "cps"],
        };
        let mut command = DataArgs::command()
            .name(format!("fun saver {}", def.name))
            .about(def.about.clone())
            .after_help(examples(&def));
        for id in hidden {
            command = command.mut_arg(*id, |a| a.hide(true));
        }
        let argv = std::iter::once(format!("fun saver {}", def.name)).chain(argv.iter().cloned());
        let matches = command.try_get_matches_from(argv)?;
        let args = DataArgs::from_arg_matches(&matches)?;
        build(&def, &origin, &args)
    });
    ScreenInfo { name, about, make }
}

/// The user's screen folder: `$XDG_CONFIG_HOME/fun/screens`, else `~/.config/fun/screens`.
#[must_use]
pub fn user_dir() -> Option<PathBuf> {
    Some(crate::xdg::base_dir("XDG_CONFIG_HOME", ".config")?.join("fun").join("screens"))
}

/// Parses definitions, reporting bad ones in `warnings`.
fn parse_all(files: Vec<(String, String, Origin)>, warnings: &mut Vec<String>) -> Vec<ScreenInfo> {
    let mut out = Vec::new();
    for (name, text, origin) in files {
        match def::parse(&name, &text) {
            Ok(def) => out.push(info(def, origin)),
            Err(e) => warnings.push(e.to_string()),
        }
    }
    out
}

/// Bundled then user screens, and the warnings for files that could not be read.
#[must_use]
pub fn load_with_warnings() -> (Vec<ScreenInfo>, Vec<String>) {
    let mut warnings = Vec::new();
    let bundled = BUNDLED_SCREENS
        .iter()
        .filter(|(n, _)| n.ends_with(".screen"))
        .map(|(n, t)| (format!("<bundled>/{n}"), (*t).to_owned(), Origin::Bundled))
        .collect();
    let mut screens = parse_all(bundled, &mut warnings);
    if let Some(dir) = user_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "screen"));
        files.sort();
        let user = files
            .into_iter()
            .filter_map(|path| match std::fs::read(&path) {
                Ok(bytes) => Some((
                    path.display().to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                    Origin::User(dir.clone()),
                )),
                Err(e) => {
                    warnings.push(format!("{}: {e}", path.display()));
                    None
                }
            })
            .collect();
        screens.extend(parse_all(user, &mut warnings));
    }
    (screens, warnings)
}

/// Every data-defined screen; bad files are reported on stderr and left out.
#[must_use]
pub fn load_all() -> Vec<ScreenInfo> {
    let (screens, warnings) = load_with_warnings();
    for warning in warnings {
        eprintln!("fun saver: {warning}");
    }
    screens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_screens_load_cleanly() {
        let mut warnings = Vec::new();
        let files = BUNDLED_SCREENS
            .iter()
            .filter(|(n, _)| n.ends_with(".screen"))
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned(), Origin::Bundled))
            .collect();
        let screens = parse_all(files, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        let names: Vec<&str> = screens.iter().map(|s| s.name.as_str()).collect();
        for name in ["rocket", "starwars", "fortune", "osrelease"] {
            assert!(names.contains(&name), "{names:?}");
        }
    }
}
