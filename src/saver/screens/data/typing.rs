//! The typing kind: a text typed out with the shared typing rhythm ([`crate::typing`]), scrolling
//! up as it fills the screen; when a text is done it pauses, then types the next one (another
//! file of a directory, or the command's output again). `programmer` adds syntax colours.
//!
//! The first text of a run gets a head start, so the screen looks like itself within its first
//! seconds: a leading comment block (a file's header) and then up to half a screen of lines
//! (at most a third of the text, at least two lines) appear at once, as if the typist had been
//! at it for a while, and typing goes on from there.

use std::time::Duration;

use rand::Rng;
use rand::rngs::StdRng;

use super::source::{Pending, Source, SourceError, Text, read_now};
use crate::saver::kit::buffer::{Attrs, Color, Style};
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::screen::{Ctx, Screen, Size, Theme};
use crate::typing::{Rhythm, Step, Typist};

/// Types texts one after another.
pub(crate) struct TypingScreen {
    source: Source,
    cps: f64,
    pause: f64,
    syntax: bool,
    typist: Option<Typist>,
    next: Option<Step>,
    /// Seconds owed to the typist (time passed but not yet spent on steps).
    owed: f64,
    lines: Vec<String>,
    size: Size,
    pending: Option<Pending>,
    /// Waiting before the next text (seconds left).
    resting: f64,
    error: Option<String>,
    /// Failures in a row, for the retry backoff.
    failures: u32,
    note: Option<String>,
    /// The next text is the run's first: it gets a head start.
    head_start: bool,
}

/// Whether a line is part of a comment block or blank (a file's header, for the head start).
fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || ["//", "#", "/*", "*", "--", ";"].iter().any(|p| t.starts_with(p))
}

/// The byte length of the head start of `text` on a screen of `height` rows: the leading
/// comment block (when `skip_header`) and then up to half a screen of lines, at most a third of
/// the text (at least two lines), never the whole text.
fn head_start_len(text: &str, height: usize, skip_header: bool) -> usize {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut n = 0;
    if skip_header {
        while n < lines.len() && is_comment_or_blank(lines[n]) {
            n += 1;
        }
    }
    n += (lines.len() / 3).max(2).min(height / 2);
    let n = n.min(lines.len().saturating_sub(1));
    lines[..n].iter().map(|l| l.len()).sum()
}

impl TypingScreen {
    #[must_use]
    pub(crate) fn new(source: Source, cps: f64, pause: f64, syntax: bool) -> TypingScreen {
        TypingScreen {
            source,
            cps,
            pause,
            syntax,
            typist: None,
            next: None,
            owed: 0.0,
            lines: vec![String::new()],
            size: Size { width: 80, height: 24 },
            pending: None,
            resting: 0.0,
            error: None,
            failures: 0,
            note: None,
            head_start: true,
        }
    }

    fn start(&mut self, text: Result<Text, SourceError>, rng: &mut StdRng) {
        match text {
            Ok(Text { body: text, note }) => {
                self.failures = 0;
                self.note = note;
                if self.lines.len() > 1 || !self.lines[0].is_empty() {
                    self.lines.push(String::new());
                }
                let ahead = if std::mem::take(&mut self.head_start) {
                    head_start_len(&text, usize::from(self.size.height), self.syntax)
                } else {
                    0
                };
                self.type_bytes(&text.as_bytes()[..ahead]);
                let mut typist = Typist::new(Rhythm::human(self.cps), rng.random());
                typist.push(&text.as_bytes()[ahead..]);
                typist.finish();
                self.typist = Some(typist);
                self.error = None;
            }
            Err(why) => {
                // Retry with backoff: 5 s, 10 s, 20 s ... up to 5 minutes.
                self.failures = self.failures.saturating_add(1);
                self.resting = (5.0 * 2f64.powi(self.failures.min(6) as i32 - 1)).min(300.0);
                self.error = Some(why.to_string());
            }
        }
    }

    fn load(&mut self, rng: &mut StdRng) {
        let pick = rng.random_range(0..usize::MAX);
        match self.source.start(pick as u64) {
            Some(pending) => self.pending = Some(pending),
            None => {
                let text = read_now(&self.source, pick).map(|body| Text { body, note: None });
                self.start(text, rng);
            }
        }
    }

    fn type_bytes(&mut self, bytes: &[u8]) {
        for c in String::from_utf8_lossy(bytes).chars() {
            match c {
                '\n' => self.lines.push(String::new()),
                '\u{8}' => {
                    if let Some(line) = self.lines.last_mut() {
                        line.pop();
                    }
                }
                c if c.is_control() => {}
                c => {
                    let width = usize::from(self.size.width.max(1));
                    if self.lines.last().is_some_and(|l| l.chars().count() >= width) {
                        self.lines.push(String::new());
                    }
                    if let Some(line) = self.lines.last_mut() {
                        line.push(c);
                    }
                }
            }
        }
        let keep = usize::from(self.size.height.max(1));
        if self.lines.len() > keep {
            self.lines.drain(..self.lines.len() - keep);
        }
    }
}

const KEYWORDS: &[&str] = &[
    "fn", "let", "mut", "pub", "use", "mod", "struct", "enum", "impl", "trait", "for", "while",
    "loop", "if", "else", "match", "return", "const", "static", "self", "Self", "true", "false",
    "where", "as", "in", "break", "continue", "def", "class", "import", "from", "function", "var",
    "int", "char", "void", "include", "async", "await", "type", "unsafe", "crate", "super",
];

/// Syntax colours for one line of code: comments, strings, numbers and keywords.
fn draw_code(buf: &mut Canvas<'_>, y: u16, line: &str, theme: &Theme) {
    let plain = Style::fg(theme.text);
    let comment = Style::fg(theme.dim).with_attrs(Attrs::ITALIC);
    let string = Style::fg(Color::Indexed(2));
    let number = Style::fg(Color::Indexed(5));
    let keyword = Style::fg(theme.accent).with_attrs(Attrs::BOLD);
    let mut x = 0;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        // Linear in the line: the rest is only built when it is drawn, once.
        if c == '/' && next == Some('/') || c == '#' && (next == Some(' ') || i == 0) {
            let rest: String = chars[i..].iter().collect();
            buf.put_str(x, y, &rest, comment);
            return;
        }
        let (len, style) = if c == '"' || c == '\'' {
            let end =
                chars[i + 1..].iter().position(|&d| d == c).map_or(chars.len() - i, |p| p + 2);
            (end, string)
        } else if c.is_ascii_digit() {
            (
                chars[i..]
                    .iter()
                    .take_while(|d| d.is_ascii_alphanumeric() || **d == '_' || **d == '.')
                    .count(),
                number,
            )
        } else if c.is_alphanumeric() || c == '_' {
            let n = chars[i..].iter().take_while(|d| d.is_alphanumeric() || **d == '_').count();
            let word: String = chars[i..i + n].iter().collect();
            (n, if KEYWORDS.contains(&word.as_str()) { keyword } else { plain })
        } else {
            (1, plain)
        };
        let piece: String = chars[i..i + len.max(1)].iter().collect();
        x += buf.put_str(x, y, &piece, style);
        i += len.max(1);
    }
}

impl Screen for TypingScreen {
    /// `--print` shows the first text typed out (or why there is none).
    fn print_after(&self) -> Duration {
        Duration::from_secs(600)
    }

    fn finished(&self) -> bool {
        self.error.is_some() || (self.typist.is_none() && self.pending.is_none())
    }

    fn min_size(&self) -> Size {
        Size { width: 20, height: 5 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        self.size = size;
        if self.typist.is_none() && self.pending.is_none() && self.error.is_none() {
            self.load(rng);
        }
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        let dt = ctx.dt.as_secs_f64();
        if let Some(result) = self.pending.as_mut().and_then(Pending::poll) {
            self.pending = None;
            self.start(result, ctx.rng);
        }
        if self.typist.is_none() {
            if self.pending.is_none() {
                self.resting -= dt;
                if self.resting <= 0.0 {
                    self.load(ctx.rng);
                }
            }
            return;
        }
        self.owed += dt;
        loop {
            if self.next.is_none() {
                self.next = self.typist.as_mut().and_then(Typist::next_step);
            }
            let Some(step) = self.next.take() else {
                // The text is done: rest, then the next one.
                self.typist = None;
                self.owed = 0.0;
                self.resting = self.pause;
                return;
            };
            let delay = step.delay.as_secs_f64();
            if delay > self.owed {
                self.next = Some(step);
                return;
            }
            self.owed -= delay;
            self.type_bytes(&step.bytes);
        }
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        if let Some(why) = &self.error {
            let style = Style::fg(theme.dim).with_attrs(Attrs::ITALIC);
            let retry = format!("trying again in {:.0} s", self.resting.max(0.0));
            for (i, text) in
                ["nothing to show yet", why.as_str(), retry.as_str()].iter().enumerate()
            {
                let x = buf.width().saturating_sub(crate::saver::kit::paint::text_width(text)) / 2;
                buf.put_str(x, (buf.height() / 2).saturating_sub(1) + i as u16, text, style);
            }
            return;
        }
        if self.pending.is_some() && self.typist.is_none() && self.lines.len() <= 1 {
            let text = "connecting...";
            let x = buf.width().saturating_sub(crate::saver::kit::paint::text_width(text)) / 2;
            buf.put_str(x, buf.height() / 2, text, Style::fg(theme.dim));
        }
        let height = usize::from(buf.height());
        let start = self.lines.len().saturating_sub(height);
        for (row, line) in self.lines[start..].iter().enumerate() {
            if self.syntax {
                draw_code(buf, row as u16, line, theme);
            } else {
                buf.put_str(0, row as u16, line, Style::fg(theme.text));
            }
        }
        // The cursor after the last character.
        let row = (self.lines.len() - start).saturating_sub(1) as u16;
        let col = self.lines.last().map_or(0, |l| crate::saver::kit::paint::text_width(l));
        buf.put_char(col, row, '█', Style::fg(theme.accent));
        if let Some(note) = &self.note {
            super::text::draw_note(buf, note, theme);
        }
    }

    fn ready(&mut self) -> bool {
        self.pending.as_mut().is_none_or(Pending::ready)
    }

    fn frame_interval(&self) -> Duration {
        match &self.next {
            Some(step) => {
                Duration::from_secs_f64((step.delay.as_secs_f64() - self.owed).clamp(0.02, 1.0))
            }
            None if self.typist.is_some() => Duration::from_millis(20),
            None => Duration::from_millis(250),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saver::kit::buffer::Buffer;

    fn styles(line: &str) -> Vec<(char, Style)> {
        let mut buf = Buffer::new(80, 1);
        draw_code(&mut buf.canvas(), 0, line, &Theme::default());
        buf.row(0).take(line.chars().count()).map(|c| (c.ch, c.style)).collect()
    }

    #[test]
    fn the_head_start_skips_the_header_and_shows_some_lines() {
        let code =
            "//! header\n//! more\n\nfn a() {}\nfn b() {}\nfn c() {}\nfn d() {}\nfn e() {}\n";
        let ahead = head_start_len(code, 40, true);
        // The three header lines and then two lines of code (a third of 8 lines).
        assert_eq!(&code[..ahead], "//! header\n//! more\n\nfn a() {}\nfn b() {}\n");
        let release = "NAME=\"Debian\"\nID=debian\nVERSION=12\nA=1\nB=2\nC=3\nD=4\nE=5\nF=6\n";
        assert_eq!(
            head_start_len(release, 40, false),
            "NAME=\"Debian\"\nID=debian\nVERSION=12\n".len()
        );
        // Half a screen at most, and never the whole text.
        let long = "x\n".repeat(300);
        assert_eq!(head_start_len(&long, 20, false), 20);
        assert_eq!(head_start_len("one line", 40, false), 0);
        assert_eq!(head_start_len("a\nb", 40, false), 2);
    }

    #[test]
    fn the_first_text_starts_ahead_and_the_next_types_from_its_start() {
        let texts = vec!["A=1\nB=2\nC=3\nD=4\nE=5\nF=6\n"];
        let mut screen = TypingScreen::new(Source::Embedded(texts), 10.0, 0.1, false);
        let mut rng = <StdRng as rand::SeedableRng>::seed_from_u64(1);
        screen.resize(Size { width: 40, height: 20 }, &mut rng);
        assert_eq!(screen.lines[..2], ["A=1".to_string(), "B=2".to_string()]);
        screen.head_start = false;
        screen.lines = vec![String::new()];
        screen.start(Ok(Text { body: "X=1\nY=2\nZ=3\n".into(), note: None }), &mut rng);
        assert_eq!(screen.lines, vec![String::new()], "typed from the start");
    }

    #[test]
    fn code_is_coloured_by_kind() {
        let cells = styles("let s = \"a\"; // x");
        let theme = Theme::default();
        assert_eq!(cells[0].1, Style::fg(theme.accent).with_attrs(Attrs::BOLD), "keyword");
        assert_eq!(cells[8].1, Style::fg(Color::Indexed(2)), "string");
        let comment = Style::fg(theme.dim).with_attrs(Attrs::ITALIC);
        assert!(cells[13..].iter().all(|(_, s)| *s == comment), "comment: {cells:?}");
        assert_eq!(styles("# heading")[2].1, comment);
        assert_ne!(styles("a#b")[1].1, comment, "# inside a line is not a comment");
    }
}
