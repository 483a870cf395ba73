//! Finding calendar files: the main file (`-f`, `$CALENDAR_DIR`, `./calendar`,
//! `~/.calendar/calendar`, `/etc/calendar/default`, then our bundled default) and the files it
//! includes (the including file's folder for `"x"`, then the working folder, `~/.calendar`,
//! `/etc/calendar`, `/usr/share/calendar`, then the calendars bundled from `calendars/`).

use std::path::{Path, PathBuf};

use super::preprocess::{Origin, Resolve, Source};

include!(concat!(env!("OUT_DIR"), "/bundled_calendars.rs"));

/// Bundled calendars, as (file name, text).
#[must_use]
pub fn bundled() -> &'static [(&'static str, &'static str)] {
    BUNDLED_CALENDARS
}

/// A bundled calendar by name, accepting `lotr` for `calendar.lotr`.
#[must_use]
pub fn bundled_source(name: &str) -> Option<Source> {
    let find = |n: &str| BUNDLED_CALENDARS.iter().find(|(file, _)| *file == n);
    let (file, text) = find(name).or_else(|| find(&format!("calendar.{name}")))?;
    Some(Source {
        origin: Origin { name: format!("<bundled>/{file}"), dir: None, bundled: true },
        text: (*text).to_owned(),
    })
}

/// The one-line description of a bundled calendar: its first comment's text.
#[must_use]
pub fn description(text: &str) -> String {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let inner = first.trim_start_matches("/*").trim_end_matches("*/").trim();
    // "/* lotr: dates of the War of the Ring */" -> "dates of the War of the Ring".
    match inner.split_once(':') {
        Some((head, rest)) if !head.contains(' ') => rest.trim().to_owned(),
        _ => inner.to_owned(),
    }
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{0}: no such calendar file (looked in {1})")]
    NotFound(String, String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0}: is a directory")]
    Directory(String),
    #[error("{0}: binary file, not a calendar")]
    Binary(String),
}

/// Reads a calendar file from disk. Invalid UTF-8 is kept (lines are checked later, so the
/// warning can name the line).
pub fn read(path: &Path) -> Result<Source, SourceError> {
    let name = path.display().to_string();
    if path.is_dir() {
        return Err(SourceError::Directory(name));
    }
    let bytes = std::fs::read(path).map_err(|e| SourceError::Io(name.clone(), e))?;
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(SourceError::Binary(name));
    }
    let text = decode(bytes);
    Ok(Source {
        origin: Origin { name, dir: path.parent().map(Path::to_path_buf), bundled: false },
        text,
    })
}

/// Decodes bytes as UTF-8; invalid sequences become U+FFFD so that the line can be reported and
/// skipped like the reference skips lines it cannot decode.
#[must_use]
pub fn decode(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Resolves includes on disk and in the bundled set.
pub struct Resolver {
    /// The working folder of the run (the reference's cpp `-I.`).
    pub cwd: PathBuf,
    pub home: Option<PathBuf>,
}

impl Resolver {
    fn search_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.cwd.clone()];
        if let Some(home) = &self.home {
            dirs.push(home.join(".calendar"));
        }
        dirs.push(PathBuf::from("/etc/calendar"));
        dirs.push(PathBuf::from("/usr/share/calendar"));
        dirs
    }

    /// Where `-f NAME` and includes are looked for, for messages.
    #[must_use]
    pub fn describe_search(&self) -> String {
        let mut parts: Vec<String> =
            self.search_dirs().iter().map(|d| d.display().to_string()).collect();
        parts.push("the bundled calendars".to_owned());
        parts.join(", ")
    }

    /// Finds `name` on disk (as given, then in the search folders) or bundled.
    pub fn find(&self, name: &str) -> Result<Source, SourceError> {
        let given = self.cwd.join(name);
        if given.exists() {
            return read(&given);
        }
        if !Path::new(name).is_absolute() {
            for dir in self.search_dirs().iter().skip(1) {
                let path = dir.join(name);
                if path.is_file() {
                    return read(&path);
                }
            }
        }
        bundled_source(name)
            .ok_or_else(|| SourceError::NotFound(name.to_owned(), self.describe_search()))
    }
}

impl Resolve for Resolver {
    fn resolve(&self, name: &str, angled: bool, from: &Origin) -> Option<Source> {
        if from.bundled
            && let Some(source) = bundled_source(name)
        {
            return Some(source);
        }
        let mut dirs = Vec::new();
        if !angled {
            dirs.push(from.dir.clone().unwrap_or_else(|| self.cwd.clone()));
        }
        dirs.extend(self.search_dirs());
        let path = Path::new(name);
        if path.is_absolute() {
            return read(path).ok();
        }
        dirs.iter()
            .map(|d| d.join(name))
            .find(|p| p.is_file())
            .and_then(|p| read(&p).ok())
            .or_else(|| bundled_source(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn description_strips_the_comment_and_the_name() {
        assert_eq!(description("/* lotr: the War of the Ring */\n"), "the War of the Ring");
        assert_eq!(description("/* Plain words here */"), "Plain words here");
    }
}
