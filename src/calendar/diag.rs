//! Warnings about calendar files (bad lines, unreadable includes, caps reached), each naming
//! file and line. A hostile file can produce one per line, so only the first
//! [`MAX_SHOWN`] are kept; the rest are counted and summed up in one last line.
//!
//! Which warnings are kept depends on the [`Level`]: by default only those about the user's
//! own files, since the system's calendars (`/usr/share/calendar`, `/etc/calendar`) and our
//! bundled ones are not the user's to fix, and Debian's calendar skips their odd lines silently.

use std::collections::HashSet;

/// Warnings kept for display; a file with a million bad lines must not print a million lines.
pub(crate) const MAX_SHOWN: usize = 100;

/// Which warnings a run shows (`-q`, the default, `-v`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Level {
    /// None at all (`-q`).
    Quiet,
    /// Those about the user's own files, and why input was left out.
    #[default]
    User,
    /// Those about system and bundled files too (`-v`).
    All,
}

/// The warnings of one run.
#[derive(Debug, Default)]
pub(crate) struct Warnings {
    level: Level,
    /// Names of the files that are not the user's (system or bundled calendars).
    system: HashSet<String>,
    shown: Vec<String>,
    dropped: usize,
}

impl Warnings {
    /// No warnings yet, keeping those `level` asks for.
    pub(crate) fn new(level: Level) -> Self {
        Self { level, ..Self::default() }
    }

    /// Marks `file` as a system (or bundled) file: its warnings are kept only at [`Level::All`].
    pub(crate) fn system_file(&mut self, file: &str) {
        if !self.system.contains(file) {
            self.system.insert(file.to_owned());
        }
    }

    /// Whether a warning about `file` is wanted at this level.
    fn wanted(&self, file: &str) -> bool {
        match self.level {
            Level::Quiet => false,
            Level::User => !self.system.contains(file),
            Level::All => true,
        }
    }

    /// Records a warning about `file` at `line` (0 for the whole file).
    pub(crate) fn at(&mut self, file: &str, line: usize, msg: impl std::fmt::Display) {
        if !self.wanted(file) {
            return;
        }
        if self.shown.len() < MAX_SHOWN {
            self.shown.push(format!("{file}:{line}: {msg}"));
        } else {
            self.dropped += 1;
        }
    }

    /// Records why the rest of the input is left out: always kept, past the cap too (it
    /// happens once per run), whichever file it is in: the output is short. Only `-q` hides it.
    pub(crate) fn stop(&mut self, file: &str, line: usize, msg: impl std::fmt::Display) {
        if self.level == Level::Quiet {
            return;
        }
        self.shown.push(format!("{file}:{line}: {msg}"));
    }

    /// The lines to print, sanitised (they echo file names and file text), with a summary of
    /// the ones left out.
    pub(crate) fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> =
            self.shown.iter().map(|w| crate::sanitize::message_line(w.as_bytes())).collect();
        if self.dropped > 0 {
            lines.push(format!("{} more warnings not shown", self.dropped));
        }
        lines
    }

    /// Whether nothing was reported.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// The warnings kept, unsanitised (for tests).
    #[cfg(test)]
    pub(crate) fn as_slice(&self) -> &[String] {
        &self.shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floods_are_summed_up_and_lines_are_sanitised() {
        let mut w = Warnings::default();
        for i in 0..MAX_SHOWN + 5 {
            w.at("f\x1b[2J", i, "bad\x07 line");
        }
        let lines = w.lines();
        assert_eq!(lines.len(), MAX_SHOWN + 1);
        assert_eq!(lines[0], "f:0: bad line");
        assert_eq!(lines[MAX_SHOWN], "5 more warnings not shown");
    }

    /// Records one warning about a user file, one about a system file and one stop.
    fn sample(level: Level) -> Vec<String> {
        let mut w = Warnings::new(level);
        w.system_file("/usr/share/calendar/calendar.dutch");
        w.at("/usr/share/calendar/calendar.dutch", 17, "system");
        w.at("/home/u/.calendar/calendar", 3, "user");
        w.stop("/home/u/.calendar/calendar", 9, "stopped");
        w.lines()
    }

    #[test]
    fn levels_choose_the_files_warned_about() {
        let user = ["/home/u/.calendar/calendar:3: user", "/home/u/.calendar/calendar:9: stopped"];
        assert_eq!(sample(Level::User), user);
        assert_eq!(sample(Level::All)[0], "/usr/share/calendar/calendar.dutch:17: system");
        assert_eq!(sample(Level::All)[1..], user);
        assert!(sample(Level::Quiet).is_empty());
    }
}
