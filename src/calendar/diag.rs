//! Warnings about calendar files (bad lines, unreadable includes, caps reached), each naming
//! file and line. A hostile file can produce one per line, so only the first
//! [`MAX_SHOWN`] are kept; the rest are counted and summed up in one last line.

/// Warnings kept for display; a file with a million bad lines must not print a million lines.
pub(crate) const MAX_SHOWN: usize = 100;

/// The warnings of one run.
#[derive(Debug, Default)]
pub(crate) struct Warnings {
    shown: Vec<String>,
    dropped: usize,
}

impl Warnings {
    /// Records a warning about `file` at `line` (0 for the whole file).
    pub(crate) fn at(&mut self, file: &str, line: usize, msg: impl std::fmt::Display) {
        if self.shown.len() < MAX_SHOWN {
            self.shown.push(format!("{file}:{line}: {msg}"));
        } else {
            self.dropped += 1;
        }
    }

    /// Records why the rest of the input is left out: always kept, past the cap too (it
    /// happens once per run).
    pub(crate) fn stop(&mut self, file: &str, line: usize, msg: impl std::fmt::Display) {
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
}
