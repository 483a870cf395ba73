//! Overlays on any screen: a clock, the date or a message (`--overlay`, `--overlay-pos`,
//! `--message`, `--message-file`), drawn by the engine over the screen's frame in a box of
//! cleared cells, so it stays readable over the busiest screen, and drifting by a cell now and
//! then against burn-in.
//!
//! `--message-file` is read by a worker thread, never by the frame loop: it looks at the file
//! twice a second and re-reads it when its size, time or inode changed (so a script can write
//! "build 73% done" into it), reads only regular files up to a cap, and sanitises the text. The
//! frame loop only takes the newest text from a channel. A file that is missing, too large or
//! not a regular file is shown as a short note in the box instead.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use chrono::NaiveDateTime;

use crate::saver::kit::buffer::{Attrs, Buffer, Style};
use crate::saver::kit::paint::text_width;
use crate::saver::kit::screen::Theme;

/// The largest message file read.
pub(crate) const MAX_MESSAGE_FILE: u64 = 64 * 1024;
/// Most lines and characters per line of a message shown.
const MAX_LINES: usize = 5;
pub(crate) const MAX_CHARS: usize = 200;
/// How often the worker looks at the message file.
const LOOK_EVERY: Duration = Duration::from_millis(500);

/// What an overlay shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Kind {
    /// The time, HH:MM:SS.
    Clock,
    /// The date, e.g. Wed 4 Mar 2026.
    Date,
    /// The text of --message or --message-file.
    Message,
}

/// Where the overlay box sits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Position {
    TopLeft,
    Top,
    TopRight,
    Left,
    #[value(alias = "center")]
    Centre,
    Right,
    BottomLeft,
    Bottom,
    #[default]
    BottomRight,
}

/// Where the text of [`Kind::Message`] comes from.
#[derive(Debug, Clone)]
pub(crate) enum MessageFrom {
    Nothing,
    Text(String),
    /// A file, watched by a worker and re-read when it changes.
    File(PathBuf),
}

impl Overlay {
    /// The overlay showing `wanted` at `position` (`None`: nothing to show). Each kind is
    /// shown once, in the order first given; a message implies [`Kind::Message`].
    #[must_use]
    pub(crate) fn new(
        wanted: &[Kind],
        position: Position,
        message: MessageFrom,
    ) -> Option<Overlay> {
        let mut kinds: Vec<Kind> = Vec::new();
        for kind in wanted {
            if !kinds.contains(kind) {
                kinds.push(*kind);
            }
        }
        if !matches!(message, MessageFrom::Nothing) && !kinds.contains(&Kind::Message) {
            kinds.push(Kind::Message);
        }
        if kinds.is_empty() {
            return None;
        }
        let message = match message {
            MessageFrom::File(path) => Message::watch(path),
            MessageFrom::Text(text) => Message::Fixed(text),
            MessageFrom::Nothing => Message::Fixed(String::new()),
        };
        Some(Overlay { kinds, position, message, now: None, elapsed: Duration::ZERO })
    }
}

/// The message's text: fixed, or the latest from the worker that watches a file.
enum Message {
    Fixed(String),
    Watched { text: String, updates: Receiver<String> },
}

impl Message {
    /// Reads the file once now (before the frame loop starts; a FIFO or a device is refused
    /// without blocking), then watches it on a worker thread.
    fn watch(path: PathBuf) -> Message {
        let (tx, rx) = mpsc::channel();
        let seen = stamp(&path);
        let mut text = read_message(&path);
        let spawned = std::thread::Builder::new()
            .name("message-file".into())
            .spawn(move || watch_file(&path, seen, &tx));
        if let Err(e) = spawned {
            text = format!("cannot watch the message file: {e}");
        }
        Message::Watched { text, updates: rx }
    }

    fn text(&mut self) -> &str {
        match self {
            Message::Fixed(text) => text,
            Message::Watched { text, updates } => {
                // The newest text wins; an ended worker leaves the last one shown.
                while let Ok(newer) = updates.try_recv() {
                    *text = newer;
                }
                text
            }
        }
    }
}

/// What identifies a version of the file without reading it: inode, size, modification time.
type Stamp = (u64, u64, std::time::SystemTime);

fn stamp(path: &Path) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.ino(), meta.len(), meta.modified().ok()?))
}

/// The worker: sends the file's text whenever it changes from `seen`, until the engine is gone.
fn watch_file(path: &Path, seen: Option<Stamp>, tx: &mpsc::Sender<String>) {
    let mut last = seen;
    loop {
        std::thread::sleep(LOOK_EVERY);
        let now = stamp(path);
        if now != last {
            last = now;
            if tx.send(read_message(path)).is_err() {
                return;
            }
        }
    }
}

/// The message in `path`: sanitised, its first lines, each cut to length; or what is wrong.
#[must_use]
pub(crate) fn read_message(path: &Path) -> String {
    match crate::files::read_capped(path, MAX_MESSAGE_FILE) {
        Ok(bytes) => tidy(&crate::sanitize::sanitize(&bytes)),
        Err(err) => crate::sanitize::sanitize_line(err.to_string().as_bytes()),
    }
}

/// At most [`MAX_LINES`] non-empty lines of at most [`MAX_CHARS`] characters.
fn tidy(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .take(MAX_LINES)
        .map(|l| l.chars().take(MAX_CHARS).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// An overlay being shown.
pub(crate) struct Overlay {
    kinds: Vec<Kind>,
    position: Position,
    message: Message,
    now: Option<NaiveDateTime>,
    elapsed: Duration,
}

impl Overlay {
    /// The wall-clock time and the time since the start (for the drift).
    pub(crate) fn update(&mut self, now: NaiveDateTime, elapsed: Duration) {
        self.now = Some(now);
        self.elapsed = elapsed;
    }

    /// The longest wait before the overlay needs a new frame.
    #[must_use]
    pub(crate) fn interval(&self) -> Duration {
        Duration::from_secs(1)
    }

    fn lines(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        for kind in self.kinds.clone() {
            match (kind, self.now) {
                (Kind::Clock, Some(now)) => lines.push(now.format("%H:%M:%S").to_string()),
                (Kind::Date, Some(now)) => lines.push(now.format("%a %-d %b %Y").to_string()),
                (Kind::Message, _) => lines.extend(self.message.text().lines().map(str::to_owned)),
                _ => {}
            }
        }
        lines
    }

    /// Draws the box over `buf`.
    pub(crate) fn draw(&mut self, buf: &mut Buffer, theme: &Theme) {
        let lines = self.lines();
        if lines.is_empty() {
            return;
        }
        let text_w = lines.iter().map(|l| text_width(l)).max().unwrap_or(0);
        let (w, h) =
            (text_w.saturating_add(4).min(buf.width()), (lines.len() as u16 + 2).min(buf.height()));
        let (x, y) = self.place(buf.width(), buf.height(), w, h);
        buf.fill(x, y, w, h, ' ', Style::default());
        let style = Style::fg(theme.accent).with_attrs(Attrs::BOLD);
        for (i, line) in lines.iter().enumerate().take(usize::from(h.saturating_sub(2))) {
            let lx = x + 2 + (text_w - text_width(line)) / 2;
            buf.put_str(lx, y + 1 + i as u16, line, style);
        }
    }

    /// The box's top-left corner: its position, a cell from the edges, plus a slow drift of up
    /// to two cells each way against burn-in.
    fn place(&self, width: u16, height: u16, w: u16, h: u16) -> (u16, u16) {
        let (slack_x, slack_y) = (width.saturating_sub(w), height.saturating_sub(h));
        let minutes = self.elapsed.as_secs() / 60;
        let dx = crate::saver::kit::paint::bounce(minutes, 2);
        let dy = crate::saver::kit::paint::bounce(minutes / 2, 1);
        let (left, centre_x, right) = (1 + dx, slack_x / 2 + dx, slack_x.saturating_sub(1 + dx));
        let (top, middle, bottom) = (dy, slack_y / 2 + dy, slack_y.saturating_sub(dy));
        let (x, y) = match self.position {
            Position::TopLeft => (left, top),
            Position::Top => (centre_x, top),
            Position::TopRight => (right, top),
            Position::Left => (left, middle),
            Position::Centre => (centre_x, middle),
            Position::Right => (right, middle),
            Position::BottomLeft => (left, bottom),
            Position::Bottom => (centre_x, bottom),
            Position::BottomRight => (right, bottom),
        };
        (x.min(slack_x), y.min(slack_y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlay(kinds: &[Kind], position: Position, message: MessageFrom) -> Overlay {
        Overlay::new(kinds, position, message).expect("an overlay")
    }

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 4)
            .and_then(|d| d.and_hms_opt(5, 6, 7))
            .expect("date")
    }

    fn drawn(o: &mut Overlay, w: u16, h: u16) -> Buffer {
        let mut buf = Buffer::new(w, h);
        buf.fill(0, 0, w, h, '#', Style::default());
        o.update(at(), Duration::ZERO);
        o.draw(&mut buf, &Theme::default());
        buf
    }

    #[test]
    fn clock_and_date_in_a_cleared_box_in_the_corner() {
        let mut o =
            overlay(&[Kind::Clock, Kind::Date], Position::BottomRight, MessageFrom::Nothing);
        let text = drawn(&mut o, 40, 8).to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[4], format!("{}{}#", "#".repeat(21), " ".repeat(18)), "{text}");
        assert!(lines[5].ends_with("#     05:06:07     #"), "{text}");
        assert!(lines[6].ends_with("#  Wed 4 Mar 2026  #"), "{text}");
        assert!(lines[7].ends_with("#                  #"), "{text}");
    }

    #[test]
    fn a_message_alone_implies_the_message_overlay_and_can_be_centred() {
        let mut o = overlay(&[], Position::Centre, MessageFrom::Text("back in 5".into()));
        let text = drawn(&mut o, 21, 5).to_text();
        assert_eq!(text.lines().nth(2), Some("####  back in 5  ####"), "{text}");
    }

    #[test]
    fn the_box_drifts_slowly() {
        let mut o = overlay(&[Kind::Clock], Position::BottomRight, MessageFrom::Nothing);
        let a = drawn(&mut o, 40, 8);
        o.update(at(), Duration::from_secs(60));
        let mut b = Buffer::new(40, 8);
        o.draw(&mut b, &Theme::default());
        assert_ne!(a.to_text(), b.to_text());
    }

    #[test]
    fn a_message_file_is_sanitised_and_cut() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("msg");
        let long = "x".repeat(300);
        std::fs::write(
            &path,
            format!("\x1b]52;c;aGk=\x07build \x1b[31m73%\n\n{long}\n3\n4\n5\n6\n7\n"),
        )
        .expect("write");
        let text = read_message(&path);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "build 73%");
        assert_eq!(lines[1].chars().count(), MAX_CHARS);
        assert_eq!(lines.len(), MAX_LINES);
        std::fs::write(&path, vec![b'a'; 70 * 1024]).expect("write");
        assert!(read_message(&path).contains("larger than the 64 KiB limit"));
        assert!(read_message(&dir.path().join("none")).contains("none"));
    }

    #[test]
    fn the_worker_sends_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("msg");
        std::fs::write(&path, "one").expect("write");
        let mut message = Message::watch(path.clone());
        let wait_for = |message: &mut Message, want: &str| {
            for _ in 0..200 {
                if message.text() == want {
                    return;
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            panic!("never saw {want:?}: {:?}", message.text());
        };
        wait_for(&mut message, "one");
        std::fs::write(&path, "two, longer").expect("write");
        wait_for(&mut message, "two, longer");
    }
}
