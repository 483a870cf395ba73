//! Scripted screens: a `.rhai` file in the user's screens folder (`~/.config/fun/screens/`, the
//! folder of the data screens) or in the bundled `screens/` is a screen named after the file.
//! Its leading `//!` lines declare the description and the options ([`header`]); its functions
//! are the screen contract ([`screen`], behind the `script` feature), run by a sandboxed Rhai
//! engine with per-call limits ([`limits`]) and the screen API only ([`api`]). The API is
//! documented in docs/scripting.md.
//!
//! Listing the screens reads only the headers: no script engine is built unless a script
//! screen is chosen (or `fun saver --list` checks that each script compiles). A bad file never
//! takes the other screens down: it is listed as broken, with its reason.

#[cfg(feature = "script")]
pub mod api;
pub mod header;
#[cfg(feature = "script")]
pub mod limits;
#[cfg(feature = "script")]
pub mod screen;
#[cfg(feature = "script")]
pub mod watch;

use std::path::{Path, PathBuf};

use self::header::Header;
use crate::saver::kit::screen::{MakeScreen, ScreenInfo, ScreenOptions};

/// The largest script read.
pub const MAX_SCRIPT: u64 = 256 * 1024;
/// Most entries looked at in the screens folder, and most scripts read from it.
const MAX_FOLDER_ENTRIES: usize = 10_000;
const MAX_USER_SCRIPTS: usize = 500;
/// The file name ending of a script screen.
pub const EXTENSION: &str = "rhai";

/// A script's text and where it came from.
#[derive(Clone, Debug)]
pub struct Script {
    /// The screen's name (the file's name without `.rhai`).
    pub name: String,
    /// The file as shown in messages (`<bundled>/rain.rhai` for a bundled one).
    pub file: String,
    pub text: String,
    /// The file on disk (none for a bundled script), for `--watch`.
    #[cfg_attr(not(feature = "script"), allow(dead_code))]
    pub path: Option<PathBuf>,
}

/// Reads the script at `path`: a regular file of at most [`MAX_SCRIPT`] bytes, UTF-8.
///
/// # Errors
/// One clean line naming the file.
pub fn read_script(path: &Path) -> Result<Script, String> {
    let bytes = crate::files::read_capped(path, MAX_SCRIPT).map_err(|e| e.to_string())?;
    let file = crate::files::display_path(path);
    let text = String::from_utf8(bytes).map_err(|_| format!("{file}: not UTF-8 text"))?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if !header::valid_name(stem) {
        return Err(format!(
            "{file}: a screen's name (the file's, without .rhai) is 1-{} lower-case letters, \
             digits and dashes",
            header::MAX_NAME
        ));
    }
    Ok(Script { name: stem.to_owned(), file, text, path: Some(path.to_path_buf()) })
}

fn bundled() -> Vec<Script> {
    crate::saver::screens::data::BUNDLED_SCREENS
        .iter()
        .filter_map(|(file, text)| {
            let name = file.strip_suffix(".rhai")?;
            Some(Script {
                name: name.to_owned(),
                file: format!("<bundled>/{file}"),
                text: (*text).to_owned(),
                path: None,
            })
        })
        .collect()
}

/// The scripts of the user's folder, bounded like the data screens: at most
/// [`MAX_FOLDER_ENTRIES`] entries looked at and [`MAX_USER_SCRIPTS`] scripts read.
fn user_scripts(dir: &Path, warnings: &mut Vec<String>) -> Vec<Script> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .take(MAX_FOLDER_ENTRIES)
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == EXTENSION))
        .collect();
    paths.sort();
    if paths.len() > MAX_USER_SCRIPTS {
        let shown = crate::files::display_path(dir);
        warnings.push(format!("{shown}: only the first {MAX_USER_SCRIPTS} scripts are read"));
        paths.truncate(MAX_USER_SCRIPTS);
    }
    paths.iter().filter_map(|path| read_script(path).map_err(|e| warnings.push(e)).ok()).collect()
}

/// Every script: bundled, then the user's (which win on a name clash in the registry).
fn all_scripts(user: bool, warnings: &mut Vec<String>) -> Vec<Script> {
    let mut scripts = bundled();
    if user && let Some(dir) = crate::saver::screens::data::user_dir() {
        scripts.extend(user_scripts(&dir, warnings));
    }
    scripts
}

fn examples(name: &str) -> String {
    format!(
        "Examples:\n  fun saver {name}\n  fun saver {name} --watch          reload the script when its file changes\n  \
         fun saver {name} --headless --seed 1   a frame as text"
    )
}

fn command(script: &Script, header: &Header) -> clap::Command {
    let watch = clap::Arg::new("watch")
        .long("watch")
        .action(clap::ArgAction::SetTrue)
        .help("Reload the script when its file changes (a broken edit shows its error)");
    clap::Command::new(format!("fun saver {}", script.name))
        .about(header.about.clone())
        .args(header.options.iter().map(header::OptionDef::arg))
        .arg(watch)
        .after_help(examples(&script.name))
}

/// The registry entry of a script whose header reads.
fn info(script: Script, header: Header) -> ScreenInfo {
    let name = script.name.clone();
    let about = header.about.clone();
    let (for_options, for_make) = ((script.clone(), header.clone()), (script, header));
    let options: ScreenOptions = Box::new(move || command(&for_options.0, &for_options.1));
    let make: MakeScreen = Box::new(move |argv: &[String]| {
        let (script, header) = &for_make;
        let argv =
            std::iter::once(format!("fun saver {}", script.name)).chain(argv.iter().cloned());
        let matches = command(script, header).try_get_matches_from(argv)?;
        build(script, header, &matches)
    });
    ScreenInfo { name, about, make, options }
}

#[cfg(feature = "script")]
fn build(
    script: &Script,
    header: &Header,
    matches: &clap::ArgMatches,
) -> anyhow::Result<Box<dyn crate::saver::kit::screen::Screen>> {
    let values = header::values(header, matches);
    let screen =
        screen::ScriptScreen::new(script.clone(), header, values, matches.get_flag("watch"))?;
    Ok(Box::new(screen))
}

#[cfg(not(feature = "script"))]
fn build(
    script: &Script,
    _: &Header,
    _: &clap::ArgMatches,
) -> anyhow::Result<Box<dyn crate::saver::kit::screen::Screen>> {
    anyhow::bail!(
        "{}: a scripted screen; this fun was built without the `script` feature",
        script.file
    )
}

/// The registry entry of a script whose header does not read: listed as broken, and an error
/// naming the line when chosen.
fn broken_info(script: &Script, why: String) -> ScreenInfo {
    let message = crate::sanitize::CleanLine::message(&why).into_string();
    let about = format!("broken: {message}");
    let usage = format!("fun saver {}", script.name);
    let options: ScreenOptions = Box::new(move || clap::Command::new(usage.clone()));
    let make: MakeScreen = Box::new(move |_: &[String]| Err(anyhow::anyhow!(message.clone())));
    ScreenInfo { name: script.name.clone(), about, make, options }
}

/// The header of `script`, checked against the `taken` option names.
fn read_header(script: &Script, taken: &[String]) -> Result<Header, String> {
    header::parse(&script.text)
        .and_then(|h| header::check_taken(&h, taken).map(|()| h))
        .map_err(|e| format!("{}:{}: {}", script.file, e.line, e.message))
}

fn infos(scripts: Vec<Script>, taken: &[String]) -> Vec<ScreenInfo> {
    scripts
        .into_iter()
        .map(|script| match read_header(&script, taken) {
            Ok(header) => info(script, header),
            Err(why) => broken_info(&script, why),
        })
        .collect()
}

/// The bundled scripted screens (for the manual page).
#[must_use]
pub(crate) fn load_bundled(taken: &[String]) -> Vec<ScreenInfo> {
    infos(bundled(), taken)
}

/// Bundled then user scripted screens, and the warnings for files that could not be read.
#[must_use]
pub(crate) fn load_with_warnings(taken: &[String]) -> (Vec<ScreenInfo>, Vec<String>) {
    let mut warnings = Vec::new();
    let scripts = all_scripts(true, &mut warnings);
    (infos(scripts, taken), warnings)
}

/// Every scripted screen; files that cannot be read are reported on stderr and left out.
#[must_use]
pub(crate) fn load_all(taken: &[String]) -> Vec<ScreenInfo> {
    let (screens, warnings) = load_with_warnings(taken);
    for warning in warnings {
        crate::stdio::warn("saver", &crate::sanitize::CleanLine::message(warning));
    }
    screens
}

/// The scripts that do not compile, as `(name, "broken: FILE:LINE:COLUMN: why")`, for
/// `fun saver --list` (which builds one checking engine for them; nothing else does).
#[cfg(feature = "script")]
#[must_use]
pub(crate) fn broken() -> Vec<(String, String)> {
    let engine = api::checker();
    let mut ignored = Vec::new();
    all_scripts(true, &mut ignored)
        .into_iter()
        .filter(|s| header::parse(&s.text).is_ok())
        .filter_map(|script| {
            let ast =
                engine.compile(&script.text).map_err(|e| limits::describe_parse(&script.file, &e));
            let why =
                ast.and_then(|ast| contract(&ast).map_err(|w| format!("{}: {w}", script.file)));
            why.err().map(|why| (script.name, format!("broken: {}", limits::line(&why))))
        })
        .collect()
}

/// Checks a compiled script's functions against the contract: `draw(canvas)` is required;
/// `init(size, options)`, `update(dt)` and `resize(size)` are optional.
///
/// # Errors
/// The function that is missing or takes the wrong number of parameters.
#[cfg(feature = "script")]
pub fn contract(ast: &rhai::AST) -> Result<(), String> {
    const CONTRACT: &[(&str, usize, &str)] = &[
        ("init", 2, "init(size, options)"),
        ("update", 1, "update(dt)"),
        ("draw", 1, "draw(canvas)"),
        ("resize", 1, "resize(size)"),
    ];
    for f in ast.iter_functions() {
        if let Some((_, count, shape)) = CONTRACT.iter().find(|(n, _, _)| *n == f.name)
            && f.params.len() != *count
        {
            return Err(format!("the contract's function is {shape}"));
        }
    }
    if !ast.iter_functions().any(|f| f.name == "draw") {
        return Err("no draw(canvas) function".to_owned());
    }
    Ok(())
}

/// The starter script `fun saver new` writes.
pub const STARTER: &str = include_str!("starter.rhai");

/// `fun saver new NAME`: writes the starter script to the user's screens folder (creating the
/// folder), through the one writer; an existing file is never replaced.
///
/// # Errors
/// A bad name, no home folder, an existing file, or the write's error.
pub fn write_new(name: &str) -> anyhow::Result<PathBuf> {
    if !header::valid_name(name) {
        anyhow::bail!(
            "{}: a screen's name is 1-{} lower-case letters, digits and dashes, starting with a letter",
            crate::sanitize::quoted(name),
            header::MAX_NAME
        );
    }
    let dir = crate::saver::screens::data::user_dir()
        .ok_or_else(|| anyhow::anyhow!("no home folder for the screens folder"))?;
    let path = dir.join(format!("{name}.{EXTENSION}"));
    if std::fs::symlink_metadata(&path).is_ok() {
        anyhow::bail!(
            "{}: already exists; edit it, or choose another name",
            crate::files::display_path(&path)
        );
    }
    let options = crate::files::write::Options {
        links: crate::files::write::Links::Replace,
        like: None,
        create_folder: true,
    };
    crate::files::write::write_file(&path, STARTER.as_bytes(), options)?;
    Ok(path)
}
#[cfg(all(test, feature = "script"))]
mod tests;

#[cfg(all(test, not(feature = "script")))]
mod without_the_feature {
    #[test]
    fn script_screens_are_listed_and_say_they_need_the_feature() {
        let screens = super::infos(super::bundled(), &[]);
        let bounce = screens.iter().find(|s| s.name == "bounce").expect("listed");
        let err = (bounce.make)(&[]).err().expect("refused").to_string();
        assert!(err.contains("built without the `script` feature"), "{err}");
    }
}
