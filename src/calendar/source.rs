//! Finding and reading calendar files: the main file (`-f`, `$CALENDAR_DIR`, `./calendar`,
//! `~/.calendar/calendar`, `/etc/calendar/default`, then our bundled default) and the files it
//! includes (the including file's folder for `"x"`, then the working folder, `~/.calendar`,
//! `/etc/calendar`, `/usr/share/calendar`, then the calendars bundled from `calendars/`).
//!
//! Every file is read through [`crate::files::read_capped`]: it must be a regular file (a
//! device or FIFO is refused by name and never blocks) of at most [`FILE_CAP`] bytes. Standard
//! input (`-f -`) is a stream with the same cap.

use std::path::{Path, PathBuf};

use crate::files::{ReadError, display_path};

use super::preprocess::{Origin, Resolve, Source};

include!(concat!(env!("OUT_DIR"), "/bundled_calendars.rs"));

/// The largest calendar file (or standard input) read: Debian's largest is 60 KiB, all of
/// `calendar.all` with its includes about 300 KiB.
pub(crate) const FILE_CAP: u64 = 4 << 20;

/// Bundled calendars, as (file name, text).
#[must_use]
pub(crate) fn bundled() -> &'static [(&'static str, &'static str)] {
    BUNDLED_CALENDARS
}

/// A bundled calendar by name, accepting `lotr` for `calendar.lotr`.
#[must_use]
pub(crate) fn bundled_source(name: &str) -> Option<Source> {
    let find = |n: &str| BUNDLED_CALENDARS.iter().find(|(file, _)| *file == n);
    let (file, text) = find(name).or_else(|| find(&format!("calendar.{name}")))?;
    Some(Source {
        origin: Origin { name: format!("<bundled>/{file}"), dir: None, bundled: true },
        text: (*text).to_owned(),
    })
}

/// The one-line description of a bundled calendar: its first comment's text.
#[must_use]
pub(crate) fn description(text: &str) -> String {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let inner = first.trim_start_matches("/*").trim_end_matches("*/").trim();
    // "/* lotr: dates of the War of the Ring */" -> "dates of the War of the Ring".
    match inner.split_once(':') {
        Some((head, rest)) if !head.contains(' ') => rest.trim().to_owned(),
        _ => inner.to_owned(),
    }
}

/// Why a calendar file could not be read. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SourceError {
    /// Not on disk under any search folder, nor bundled.
    #[error("{name}: no such calendar file (looked in {searched})")]
    NotFound { name: String, searched: String },
    /// On disk but unreadable: not a regular file, too large, permission denied, EIO.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A NUL byte near the start: not text.
    #[error("{0}: binary file, not a calendar")]
    Binary(String),
}

/// Reads a calendar file from disk (a regular file of at most [`FILE_CAP`] bytes). Invalid
/// UTF-8 is kept (lines are checked later, so the warning can name the line).
pub(crate) fn read(path: &Path) -> Result<Source, SourceError> {
    let bytes = crate::files::read_capped(path, FILE_CAP)?;
    let origin = Origin {
        name: display_path(path),
        dir: path.parent().map(Path::to_path_buf),
        bundled: false,
    };
    from_bytes(bytes, origin)
}

/// Reads standard input as a calendar (`-f -`): a stream, with the same cap as a file.
pub(crate) fn read_stdin() -> Result<Source, SourceError> {
    let bytes = crate::files::read_stream_capped(std::io::stdin().lock(), "<stdin>", FILE_CAP)?;
    from_bytes(bytes, Origin { name: "<stdin>".into(), dir: None, bundled: false })
}

fn from_bytes(bytes: Vec<u8>, origin: Origin) -> Result<Source, SourceError> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(SourceError::Binary(origin.name));
    }
    Ok(Source { origin, text: decode(bytes) })
}

/// Decodes bytes as UTF-8; invalid sequences become U+FFFD so that the line can be reported and
/// skipped like the reference skips lines it cannot decode.
#[must_use]
pub(crate) fn decode(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The system's calendar folders, searched after the user's (the reference's cpp `-I`s).
pub(crate) const SYSTEM_DIRS: [&str; 2] = ["/etc/calendar", "/usr/share/calendar"];

/// Resolves `-f` names and includes on disk and in the bundled set.
pub(crate) struct Resolver {
    /// The working folder of the run (the reference's cpp `-I.`).
    pub(crate) cwd: PathBuf,
    pub(crate) home: Option<PathBuf>,
    /// The system's calendar folders ([`SYSTEM_DIRS`]; others in tests): searched last, and
    /// their files' warnings are shown only when asked for.
    pub(crate) system: Vec<PathBuf>,
}

impl Resolver {
    /// A resolver for a run in `cwd`, with the system folders [`SYSTEM_DIRS`].
    pub(crate) fn new(cwd: PathBuf, home: Option<PathBuf>) -> Self {
        Self { cwd, home, system: SYSTEM_DIRS.iter().map(PathBuf::from).collect() }
    }

    fn search_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.cwd.clone()];
        if let Some(home) = &self.home {
            dirs.push(home.join(".calendar"));
        }
        dirs.extend(self.system.iter().cloned());
        dirs
    }

    /// Where `-f NAME` and includes are looked for, for messages.
    #[must_use]
    pub(crate) fn describe_search(&self) -> String {
        let mut parts: Vec<String> = self.search_dirs().iter().map(|d| display_path(d)).collect();
        parts.push("the bundled calendars".to_owned());
        parts.join(", ")
    }

    fn not_found(&self, name: &str) -> SourceError {
        SourceError::NotFound {
            name: crate::sanitize::sanitize_line(name.as_bytes()),
            searched: self.describe_search(),
        }
    }

    /// Finds `name` on disk (as given, then in the search folders) or bundled. A file that
    /// exists but cannot be read is an error saying why, not "no such file".
    pub(crate) fn find(&self, name: &str) -> Result<Source, SourceError> {
        let given = self.cwd.join(name);
        if given.exists() {
            return read(&given);
        }
        if !Path::new(name).is_absolute() {
            for dir in self.search_dirs().iter().skip(1) {
                let path = dir.join(name);
                if path.exists() {
                    return read(&path);
                }
            }
        }
        bundled_source(name).ok_or_else(|| self.not_found(name))
    }
}

impl Resolve for Resolver {
    type Error = SourceError;

    fn resolve(&self, name: &str, angled: bool, from: &Origin) -> Result<Source, SourceError> {
        if from.bundled
            && let Some(source) = bundled_source(name)
        {
            return Ok(source);
        }
        let path = Path::new(name);
        if path.is_absolute() {
            return if path.exists() { read(path) } else { Err(self.not_found(name)) };
        }
        let mut dirs = Vec::new();
        if !angled {
            dirs.push(from.dir.clone().unwrap_or_else(|| self.cwd.clone()));
        }
        dirs.extend(self.search_dirs());
        match dirs.iter().map(|d| d.join(name)).find(|p| p.exists()) {
            Some(found) => read(&found),
            None => bundled_source(name).ok_or_else(|| self.not_found(name)),
        }
    }

    fn is_system(&self, origin: &Origin) -> bool {
        origin.bundled
            || origin.dir.as_ref().is_some_and(|dir| self.system.iter().any(|s| dir.starts_with(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::diag::{Level, Warnings};
    use crate::calendar::events::collect;
    use crate::calendar::locale::Names;
    use crate::calendar::occur::Rules;
    use crate::calendar::preprocess::{Options, preprocess};
    use crate::calendar::window::{Window, WindowOptions};

    #[test]
    fn bundled_calendars_are_embedded_with_descriptions() {
        assert!(bundled().len() >= 10, "{:?}", bundled().iter().map(|b| b.0).collect::<Vec<_>>());
        for (name, text) in bundled() {
            assert!(!description(text).is_empty(), "{name} has no description");
        }
        assert!(bundled_source("lotr").is_some());
        assert!(bundled_source("calendar.lotr").is_some());
        assert!(bundled_source("nope").is_none());
    }

    /// The warnings of a run of `main` (in `user/`), which includes `<calendar.bad>` from a
    /// fixture system folder; both have a bad line.
    fn warnings_of_a_user_file_including_a_system_one(level: Level) -> Vec<String> {
        let dir = tempfile::tempdir().expect("temp dir");
        let (user, system) = (dir.path().join("user"), dir.path().join("system"));
        std::fs::create_dir_all(&user).expect("mkdir");
        std::fs::create_dir_all(system.join("xx_XX")).expect("mkdir");
        std::fs::write(system.join("calendar.bad"), "#include <xx_XX/calendar.sub>\nmei 5\tx\n")
            .expect("write");
        std::fs::write(system.join("xx_XX/calendar.sub"), "nedjeljalast 1\tx\n").expect("write");
        std::fs::write(user.join("main"), "#include <calendar.bad>\nSmarch 1\tx\n").expect("write");
        let resolver = Resolver { cwd: user.clone(), home: None, system: vec![system] };
        let main = read(&user.join("main")).expect("read");
        let mut warnings = Warnings::new(level);
        let lines = preprocess(&main, &resolver, Options::default(), &mut warnings);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let window = Window::new(day, WindowOptions::default());
        collect(&lines, &window, Rules::default(), Names::english(), &mut warnings);
        let root = format!("{}/", display_path(dir.path()));
        warnings.as_slice().iter().map(|w| w.replace(&root, "")).collect()
    }

    #[test]
    fn only_the_users_own_files_are_warned_about_unless_asked() {
        let user = "user/main:2: unknown month or weekday name \"smarch\", line skipped";
        assert_eq!(warnings_of_a_user_file_including_a_system_one(Level::User), [user]);
        assert_eq!(
            warnings_of_a_user_file_including_a_system_one(Level::All),
            [
                "system/xx_XX/calendar.sub:1: unknown month or weekday name \"nedjeljalast\", \
                 line skipped",
                "system/calendar.bad:2: unknown month or weekday name \"mei\", line skipped",
                user
            ]
        );
        assert!(warnings_of_a_user_file_including_a_system_one(Level::Quiet).is_empty());
    }

    #[test]
    fn description_strips_the_comment_and_the_name() {
        assert_eq!(description("/* lotr: the War of the Ring */\n"), "the War of the Ring");
        assert_eq!(description("/* Plain words here */"), "Plain words here");
    }
}
