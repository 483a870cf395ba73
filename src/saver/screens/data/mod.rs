//! Screens defined as data: `.screen` files from the bundled `screens/` folder (embedded in the
//! binary) and from `$XDG_CONFIG_HOME/fun/screens/` (user files win on a name clash), in three
//! kinds: asciimation, typing and text. The format is documented in docs/screens.md.
//!
//! A bad file never takes the other screens down: it is reported on stderr as
//! `fun saver: FILE:LINE: problem` and left out.

pub(crate) mod asciimation;
pub(crate) mod def;
pub mod source;
pub(crate) mod text;
pub(crate) mod typing;

use std::path::{Path, PathBuf};

use clap::{CommandFactory, FromArgMatches, Parser};

use self::def::{Kind, ScreenDef};
use self::source::Source;
use crate::saver::kit::screen::{MakeScreen, Screen, ScreenInfo};
use crate::saver::kit::values;

include!(concat!(env!("OUT_DIR"), "/bundled_screens.rs"));

/// Where a definition came from: bundled files resolve `file` in the bundled set first.
#[derive(Clone, Debug)]
enum Origin {
    Bundled,
    User(PathBuf),
}

/// The largest asciimation file played (the classic Star Wars one is about 2.4 MB).
const MAX_ASCIIMATION: u64 = 16 * 1024 * 1024;
/// The largest `.screen` file read (they are a few lines).
const MAX_SCREEN_FILE: u64 = 64 * 1024;
/// Most entries looked at in the user's screens folder, and most `.screen` files read from it.
const MAX_FOLDER_ENTRIES: usize = 10_000;
const MAX_USER_SCREENS: usize = 500;

/// Options every data screen takes (the kind decides which matter).
#[derive(Debug, Parser)]
struct DataArgs {
    /// Play or show this file instead (an asciimation: the classic format, 13 rows a frame;
    /// up to 16 MiB, a text up to 256 KiB).
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// Type the files of this directory (typing screens).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Typing speed in characters per second (0.1-10000).
    #[arg(long, value_name = "N", value_parser = values::within(0.1, 10_000.0))]
    cps: Option<f64>,
    /// Seconds between refreshes (the kind sets the range and the help; see `refresh_arg`).
    #[arg(long, value_name = "SECONDS")]
    refresh: Option<f64>,
}

/// `--refresh` for a kind: a pause between texts (typing, 0-3600 s) or the time between
/// refreshes (text, 0.5-86400 s).
fn refresh_arg(kind: Kind, arg: clap::Arg) -> clap::Arg {
    match kind {
        Kind::Typing => arg
            .help("Seconds to pause between two texts (0-3600)")
            .value_parser(values::within(0.0, 3600.0)),
        Kind::Text | Kind::Asciimation => arg
            .help("Seconds between refreshes (0.5-86400)")
            .value_parser(values::within(0.5, 86_400.0)),
    }
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
pub(crate) fn bundled_file(name: &str) -> Option<&'static str> {
    BUNDLED_SCREENS.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

fn resolve(origin: &Origin, file: &str) -> PathBuf {
    resolve_in(origin, file, crate::xdg::home().as_deref())
}

/// `file` or `dir` of a definition as a path: `~` or `~/...` in the home folder (as a shell
/// would expand it: screen files are written by hand), otherwise relative to the user's
/// `.screen` file. Without a home, `~` stays a plain name.
fn resolve_in(origin: &Origin, file: &str, home: Option<&Path>) -> PathBuf {
    let in_home = match (file.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
            Some(home.join(rest.trim_start_matches('/')))
        }
        _ => None,
    };
    match (in_home, origin) {
        (Some(path), _) => path,
        (None, Origin::User(dir)) => dir.join(file),
        (None, Origin::Bundled) => PathBuf::from(file),
    }
}

/// Where the text of `def` comes from, with the user's options; files and folders are checked
/// now (regular files or folders only, sizes capped), so a bad one is an error before the
/// screen starts.
fn source(def: &ScreenDef, origin: &Origin, args: &DataArgs) -> anyhow::Result<Source> {
    let path = match (&args.file, &args.dir, &def.file, &def.dir, &def.command) {
        (Some(path), _, _, _, _) | (None, Some(path), _, _, _) => path.clone(),
        (None, None, Some(f), _, _) => match (origin, bundled_file(f)) {
            (Origin::Bundled, Some(text)) => return Ok(Source::Embedded(vec![text])),
            _ => resolve(origin, f),
        },
        (None, None, None, Some(d), _) => resolve(origin, d),
        (None, None, None, None, Some(argv)) => return Ok(Source::Command(argv.clone())),
        _ => anyhow::bail!("{}: nothing to show", def.name),
    };
    if def.kind == Kind::Asciimation {
        // Read whole by `build`, with its own cap.
        return Ok(Source::File(path));
    }
    Ok(Source::checked(path)?)
}

/// Builds the screen for `def` with the user's options.
fn build(def: &ScreenDef, origin: &Origin, args: &DataArgs) -> anyhow::Result<Box<dyn Screen>> {
    let source = source(def, origin, args)?;
    Ok(match def.kind {
        Kind::Asciimation => {
            let (name, text) = match &source {
                Source::Embedded(texts) => (def.name.clone(), texts[0].to_owned()),
                Source::File(path) => {
                    let bytes = crate::files::read_capped(path, MAX_ASCIIMATION)?;
                    let name = crate::files::display_path(path);
                    (name, String::from_utf8_lossy(&bytes).into_owned())
                }
                _ => anyhow::bail!("{}: an asciimation plays a file", def.name),
            };
            let frames = asciimation::parse(&text)
                .map_err(|(line, why)| anyhow::anyhow!("{name}:{line}: {why}"))?;
            Box::new(asciimation::Asciimation::new(frames))
        }
        // The values were checked: by the option parsers, or by `def::parse` for the file's.
        Kind::Typing => Box::new(typing::TypingScreen::new(
            source,
            args.cps.unwrap_or(def.cps),
            args.refresh.unwrap_or(3.0),
            false,
        )),
        Kind::Text => Box::new(text::TextScreen::new(source, args.refresh.unwrap_or(def.refresh))),
    })
}

/// The options of a data screen of `def`'s kind (only those that matter for it are shown).
fn command(def: &ScreenDef) -> clap::Command {
    let hidden: &[&str] = match def.kind {
        Kind::Asciimation => &["dir", "cps", "refresh"],
        Kind::Typing => &[],
        Kind::Text => &["dir", "cps"],
    };
    let mut command = DataArgs::command()
        .name(format!("fun saver {}", def.name))
        .about(def.about.clone())
        .after_help(examples(def));
    for id in hidden {
        command = command.mut_arg(*id, |a| a.hide(true));
    }
    command.mut_arg("refresh", |a| refresh_arg(def.kind, a))
}

fn info(mut def: ScreenDef, origin: Origin) -> ScreenInfo {
    // The description comes from a file: shown by `--list`, `NAME --help` (clap prints it as
    // it is) and the shells' completion menus, so it is one clean line from here on.
    def.about = crate::sanitize::CleanLine::new(&def.about).into_string();
    let name = def.name.clone();
    let about = def.about.clone();
    let for_options = def.clone();
    let options: crate::saver::kit::screen::ScreenOptions = Box::new(move || command(&for_options));
    let make: MakeScreen = Box::new(move |argv: &[String]| {
        let argv = std::iter::once(format!("fun saver {}", def.name)).chain(argv.iter().cloned());
        let matches = command(&def).try_get_matches_from(argv)?;
        let args = DataArgs::from_arg_matches(&matches)?;
        build(&def, &origin, &args)
    });
    ScreenInfo { name, about, make, options }
}

/// The user's screen folder: `$XDG_CONFIG_HOME/fun/screens`, else `~/.config/fun/screens`.
#[must_use]
pub(crate) fn user_dir() -> Option<PathBuf> {
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

/// The bundled screens (`screens/` in the repository), without the user's: what a manual page
/// lists. A bad bundled file is a bug caught by `bundled_screens_load_cleanly`.
#[must_use]
pub(crate) fn load_bundled() -> Vec<ScreenInfo> {
    parse_bundled(&mut Vec::new())
}

fn parse_bundled(warnings: &mut Vec<String>) -> Vec<ScreenInfo> {
    let bundled = BUNDLED_SCREENS
        .iter()
        .filter(|(n, _)| n.ends_with(".screen"))
        .map(|(n, t)| (format!("<bundled>/{n}"), (*t).to_owned(), Origin::Bundled))
        .collect();
    parse_all(bundled, warnings)
}

/// Bundled then user screens, and the warnings for files that could not be read.
#[must_use]
pub(crate) fn load_with_warnings() -> (Vec<ScreenInfo>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut screens = parse_bundled(&mut warnings);
    if let Some(dir) = user_dir() {
        let user = read_user_files(&dir, &mut warnings);
        screens.extend(parse_all(user, &mut warnings));
    }
    (screens, warnings)
}

/// The `.screen` files of the user's folder, bounded: at most [`MAX_FOLDER_ENTRIES`] entries
/// looked at and [`MAX_USER_SCREENS`] files read, each a regular file of at most
/// [`MAX_SCREEN_FILE`] bytes (a FIFO or a device is refused by name, without blocking).
fn read_user_files(dir: &Path, warnings: &mut Vec<String>) -> Vec<(String, String, Origin)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let shown = crate::files::display_path(dir);
    let mut looked_at = 0;
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in entries {
        looked_at += 1;
        if looked_at > MAX_FOLDER_ENTRIES {
            warnings.push(format!(
                "{shown}: more than {MAX_FOLDER_ENTRIES} entries; the rest are not looked at"
            ));
            break;
        }
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "screen") {
            files.push(path);
        }
    }
    files.sort();
    if files.len() > MAX_USER_SCREENS {
        warnings.push(format!(
            "{shown}: {} screen files; only the first {MAX_USER_SCREENS} are read",
            files.len()
        ));
        files.truncate(MAX_USER_SCREENS);
    }
    files
        .into_iter()
        .filter_map(|path| match crate::files::read_capped(&path, MAX_SCREEN_FILE) {
            Ok(bytes) => Some((
                crate::files::display_path(&path),
                String::from_utf8_lossy(&bytes).into_owned(),
                Origin::User(dir.to_path_buf()),
            )),
            Err(e) => {
                warnings.push(e.to_string());
                None
            }
        })
        .collect()
}

/// Every data-defined screen; bad files are reported on stderr and left out.
#[must_use]
pub(crate) fn load_all() -> Vec<ScreenInfo> {
    let (screens, warnings) = load_with_warnings();
    for warning in warnings {
        crate::stdio::warn("saver", &crate::sanitize::CleanLine::message(warning));
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
        for name in ["rocket", "asciimation", "osrelease"] {
            assert!(names.contains(&name), "{names:?}");
        }
    }

    #[test]
    fn a_tilde_is_the_home_folder_and_other_paths_are_beside_the_screen_file() {
        let user = Origin::User(PathBuf::from("/s"));
        let home = Some(Path::new("/home/me"));
        assert_eq!(resolve_in(&user, "~/notes", home), Path::new("/home/me/notes"));
        assert_eq!(resolve_in(&user, "~", home), Path::new("/home/me"));
        assert_eq!(resolve_in(&Origin::Bundled, "~/x.txt", home), Path::new("/home/me/x.txt"));
        assert_eq!(resolve_in(&user, "notes", home), Path::new("/s/notes"));
        assert_eq!(resolve_in(&user, "/abs", home), Path::new("/abs"));
        // `~user` is not expanded (it would need the password database), nor `~` without a home.
        assert_eq!(resolve_in(&user, "~bob/x", home), Path::new("/s/~bob/x"));
        assert_eq!(resolve_in(&user, "~/notes", None), Path::new("/s/~/notes"));
    }

    fn screen(name: &str) -> String {
        format!("name = \"{name}\"\nkind = \"text\"\nfile = \"x.txt\"\n")
    }

    #[test]
    fn user_files_fifos_devices_and_big_files_are_refused_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("ok.screen"), screen("ok")).expect("write");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            dir.path().join("pipe.screen"),
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .expect("mkfifo");
        let big = usize::try_from(MAX_SCREEN_FILE).expect("small") + 1;
        std::fs::write(dir.path().join("big.screen"), "#".repeat(big)).expect("write");
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.screen")).expect("link");
        let mut warnings = Vec::new();
        let files = read_user_files(dir.path(), &mut warnings);
        assert_eq!(files.len(), 1, "{warnings:?}");
        assert!(files[0].0.ends_with("ok.screen"));
        let all = warnings.join("\n");
        assert!(all.contains("pipe.screen: is a FIFO"), "{all}");
        assert!(all.contains("big.screen: larger than the 64 KiB limit"), "{all}");
        assert!(all.contains("zero.screen: is a character device"), "{all}");
    }

    #[test]
    fn the_user_folder_scan_is_bounded() {
        let dir = tempfile::tempdir().expect("tempdir");
        for i in 0..=MAX_USER_SCREENS {
            std::fs::write(dir.path().join(format!("s{i:04}.screen")), screen(&format!("s{i}")))
                .expect("write");
        }
        let mut warnings = Vec::new();
        assert_eq!(read_user_files(dir.path(), &mut warnings).len(), MAX_USER_SCREENS);
        assert!(warnings.iter().any(|w| w.contains("only the first 500")), "{warnings:?}");
        for i in 0..MAX_FOLDER_ENTRIES {
            std::fs::write(dir.path().join(format!("other{i}")), "").expect("write");
        }
        let mut warnings = Vec::new();
        assert!(read_user_files(dir.path(), &mut warnings).len() <= MAX_USER_SCREENS);
        assert!(warnings.iter().any(|w| w.contains("more than 10000 entries")), "{warnings:?}");
    }
}
