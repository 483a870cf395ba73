//! Where the lines go on stderr: pv's `\r` line (a block of lines, redrawn in place, when there
//! are several), `-c` cursor-positioned rows, `--log` plain lines, or numbers (`-n`, `--json`)
//! one per line. A shrinking line is padded with up to 15 spaces to erase what it leaves, as
//! pv does. Nothing is drawn while another process group has the terminal unless `-f`, and
//! a background `fun pv` never writes where the write would stop it ([`job`]).

use std::io::Write;

use super::cursor::Cursor;
use super::job::{self, in_foreground};
use crate::pv::format::Line;

/// How the progress is shown on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum View {
    /// Nothing on stderr (`-q`, or stderr not a terminal without `-f`).
    Hidden,
    /// pv's line, redrawn after `\r` (several rows as a block).
    Line { force: bool },
    /// `-c`: each row at its own place on the screen, shared with other `fun pv -c`.
    Cursor { force: bool },
    /// `--log`: one plain line per update.
    Log,
    /// `-n` and `--json`: text as it comes, one update per line.
    Numbers,
    /// `--json`: one object per update.
    Json,
}

/// Writes to stderr, ignoring failures (a closed stderr must not stop the copy), and not at
/// all while the write would stop this process (in the background under `stty tostop`).
pub(crate) fn write_stderr(bytes: &[u8]) {
    let stderr = std::io::stderr();
    if job::write_cannot_stop(&stderr) {
        let _ = stderr.lock().write_all(bytes);
    }
}

/// The state of the view between updates.
pub(crate) struct Terminal {
    view: View,
    /// Columns of each row last drawn (for the padding that erases a shrinking line).
    widths: Vec<usize>,
    /// The screen width at the last draw.
    screen: usize,
    /// Rows in the block last drawn (to move back up over them).
    drawn: usize,
    cursor: Option<Cursor>,
    /// `-c` started in the background: the rows are joined at the first draw in the
    /// foreground (asking the terminal where the cursor is would stop a background process).
    cursor_later: bool,
}

impl Terminal {
    pub(crate) fn new(view: View) -> Terminal {
        let mut terminal = Terminal {
            view,
            widths: Vec::new(),
            screen: 0,
            drawn: 0,
            cursor: None,
            cursor_later: false,
        };
        if matches!(view, View::Cursor { .. }) {
            if in_foreground(std::io::stderr()) {
                terminal.join_rows();
            } else {
                terminal.cursor_later = true;
            }
        }
        terminal
    }

    /// `-c`: takes a row among the terminal's `fun pv -c` (in the foreground only). Without
    /// a terminal to position on, -c falls back to pv's plain line.
    fn join_rows(&mut self) {
        self.cursor_later = false;
        self.cursor = Cursor::open();
        if let (View::Cursor { force }, None) = (self.view, &self.cursor) {
            self.view = View::Line { force };
        }
    }

    pub(crate) fn is_json(&self) -> bool {
        self.view == View::Json
    }

    /// Whether anything is drawn on stderr right now (also for `-x`'s window title).
    pub(crate) fn may_draw(&self) -> bool {
        match self.view {
            View::Hidden => false,
            View::Line { force } | View::Cursor { force } => {
                force || in_foreground(std::io::stderr())
            }
            View::Log | View::Numbers | View::Json => true,
        }
    }

    /// Writes text as it is (`-n`, `--json`).
    pub(crate) fn numbers(&mut self, text: &str) {
        if self.view != View::Hidden {
            write_stderr(text.as_bytes());
        }
    }

    /// Draws the rows (`last`: the final update).
    pub(crate) fn draw(&mut self, lines: &[Line], last: bool, width: usize, height: usize) {
        if self.cursor_later {
            if !in_foreground(std::io::stderr()) {
                return;
            }
            self.join_rows();
        }
        if !self.may_draw() {
            return;
        }
        let mut out = String::new();
        match self.view {
            View::Hidden | View::Numbers | View::Json => return,
            View::Log => {
                for line in lines {
                    out.push_str(line.text.trim_end());
                    out.push('\n');
                }
            }
            View::Line { .. } => self.block(&mut out, lines, last, width),
            View::Cursor { .. } => {
                let padded = self.padded(lines, width);
                if let Some(cursor) = &mut self.cursor {
                    cursor.draw(&padded, height);
                }
                return;
            }
        }
        write_stderr(out.as_bytes());
    }

    /// The rows with the padding that erases what a shorter line leaves behind.
    fn padded(&mut self, lines: &[Line], width: usize) -> Vec<String> {
        let wider_screen = width >= self.screen;
        self.screen = width;
        self.widths.resize(self.widths.len().max(lines.len()), 0);
        let mut out = Vec::with_capacity(self.widths.len());
        for (i, previous) in self.widths.iter_mut().enumerate() {
            let (mut text, mut columns) = match lines.get(i) {
                Some(line) => (line.text.clone(), line.width),
                None => (String::new(), 0),
            };
            if columns < *previous && wider_screen {
                let pad = (*previous - columns).min(15);
                text.push_str(&" ".repeat(pad));
                columns += pad;
            }
            *previous = columns;
            out.push(text);
        }
        out
    }

    /// pv's `\r` block: back up over the rows drawn last time, draw each row, end with `\r`
    /// (and a newline on the final update).
    fn block(&mut self, out: &mut String, lines: &[Line], last: bool, width: usize) {
        if self.drawn > 1 {
            out.push_str(&"\x1b[A".repeat(self.drawn - 1));
        }
        let rows = self.padded(lines, width);
        self.drawn = rows.len();
        for (i, row) in rows.iter().enumerate() {
            out.push_str(row);
            out.push('\r');
            if i + 1 < rows.len() {
                out.push('\n');
            }
        }
        if last {
            out.push('\n');
            self.drawn = 0;
        }
    }

    /// Ends the view: a newline after a block left open (drawn without a final update), and
    /// `-c` moves below the rows of every `fun pv -c`.
    pub(crate) fn close(&mut self) {
        if self.drawn > 0 && matches!(self.view, View::Line { .. }) {
            write_stderr(b"\n");
            self.drawn = 0;
        }
        if let Some(cursor) = self.cursor.take() {
            cursor.close();
        }
    }

    /// Shows `text` as the window title (`-x window`), when drawing is allowed.
    pub(crate) fn title(&self, text: &str) {
        if self.may_draw() {
            write_stderr(format!("\x1b]2;{text}\x1b\\").as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line {
        Line { text: text.into(), width: text.len() }
    }

    #[test]
    fn shrinking_lines_are_padded_and_blocks_redrawn_in_place() {
        let mut t = Terminal::new(View::Line { force: true });
        let mut out = String::new();
        t.block(&mut out, &[line("long line"), line("two")], false, 80);
        assert_eq!(out, "long line\r\ntwo\r");
        out.clear();
        t.block(&mut out, &[line("short"), line("two")], true, 80);
        assert_eq!(out, "\x1b[Ashort    \r\ntwo\r\n");
        let mut single = Terminal::new(View::Line { force: true });
        let mut out = String::new();
        single.block(&mut out, &[line(&"x".repeat(40))], false, 80);
        single.block(&mut out, &[line("y")], false, 80);
        assert!(out.ends_with(&format!("y{}\r", " ".repeat(15))));
    }
}
