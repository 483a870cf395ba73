//! `-c`: several `fun pv -c` in one pipeline each keep their own row on the terminal. They
//! agree through a small file per terminal in the private directory ([`private_dir`]),
//! locked with flock(2) while read or written, and also while a row is drawn so two never
//! interleave their escapes:
//!
//! ```text
//! top 17          the screen row of the first slot (asked with ESC[6n by the first comer)
//! rows 3          the most slots ever used (the last one out moves below them)
//! 4242 0 1        one line per process: pid, first slot, number of slots
//! ```
//!
//! Only a process in the terminal's foreground group asks where the cursor is (it changes the
//! terminal's modes to read the answer), and a row is drawn only when the write cannot stop
//! this process ([`super::job`]): a background `fun pv -c` never stops holding the lock.
//!
//! The file is untrusted input like any other: at most 4 KiB and 64 entries are read, entries
//! of dead processes are dropped, and anything malformed starts a fresh file.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rustix::fs::FlockOperation;

use super::job::{in_foreground, write_cannot_stop};
use crate::pv::runtime::{alive, private_dir};

/// The most bytes of the row file read.
const MAX_FILE: u64 = 4096;
/// The most processes sharing a terminal's rows.
const MAX_ENTRIES: usize = 64;
/// How long the terminal may take to say where the cursor is.
const ANSWER_WAIT: Duration = Duration::from_secs(1);

/// Who uses which rows, as read from the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Rows {
    pub(crate) top: u32,
    pub(crate) used: u32,
    /// (pid, first slot, slots).
    pub(crate) entries: Vec<(u32, u32, u32)>,
}

impl Rows {
    /// Parses the file; None when anything in it is not as written by [`Rows::to_text`].
    #[must_use]
    pub(crate) fn parse(text: &str) -> Option<Rows> {
        let mut lines = text.lines();
        let top = lines.next()?.strip_prefix("top ")?.parse().ok().filter(|&t| t > 0)?;
        let used = lines.next()?.strip_prefix("rows ")?.parse().ok().filter(|&r| r <= 999)?;
        let mut entries = Vec::new();
        for line in lines.take(MAX_ENTRIES) {
            let mut words = line.split(' ').map(|w| w.parse::<u32>().ok());
            let (Some(Some(pid)), Some(Some(first)), Some(Some(count)), None) =
                (words.next(), words.next(), words.next(), words.next())
            else {
                return None;
            };
            if count == 0 || count > 999 || first > 999 {
                return None;
            }
            entries.push((pid, first, count));
        }
        Some(Rows { top, used, entries })
    }

    #[must_use]
    pub(crate) fn to_text(&self) -> String {
        let mut text = format!("top {}\nrows {}\n", self.top, self.used);
        for (pid, first, count) in &self.entries {
            text.push_str(&format!("{pid} {first} {count}\n"));
        }
        text
    }

    /// The first slot of a free run of `count` slots.
    #[must_use]
    pub(crate) fn free_run(&self, count: u32) -> u32 {
        let mut start = 0;
        loop {
            let clash = self
                .entries
                .iter()
                .find(|(_, first, n)| start < first + n && *first < start + count);
            match clash {
                Some((_, first, n)) => start = first + n,
                None => return start,
            }
        }
    }
}

/// This process's rows.
pub(crate) struct Cursor {
    file: File,
    path: PathBuf,
    tty: File,
    pid: u32,
    first: u32,
    count: u32,
}

/// Holds the row file's lock; unlocks when dropped.
struct Locked<'a>(&'a File);

impl<'a> Locked<'a> {
    fn new(file: &'a File) -> io::Result<Locked<'a>> {
        rustix::fs::flock(file.as_fd(), FlockOperation::LockExclusive)?;
        Ok(Locked(file))
    }
}

impl Drop for Locked<'_> {
    fn drop(&mut self) {
        let _ = rustix::fs::flock(self.0.as_fd(), FlockOperation::Unlock);
    }
}

impl Cursor {
    /// Joins (or starts) the terminal's rows. None when stderr is not a terminal, the
    /// terminal does not answer, or the file cannot be used: pv's plain line is drawn then.
    pub(crate) fn open() -> Option<Cursor> {
        let stderr = std::io::stderr();
        let name = rustix::termios::ttyname(&stderr, Vec::new()).ok()?;
        let tty_path = PathBuf::from(std::ffi::OsStr::from_bytes(name.as_bytes()));
        let tty = std::fs::OpenOptions::new().read(true).write(true).open(&tty_path).ok()?;
        let device = tty.metadata().ok()?.rdev();
        let path = private_dir().ok()?.join(format!("cursor-{device:x}"));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .ok()?;
        let mut cursor = Cursor { file, path, tty, pid: std::process::id(), first: 0, count: 0 };
        cursor.claim(1).ok()?;
        Some(cursor)
    }

    fn read(&self) -> Rows {
        let mut text = String::new();
        let mut reader = &self.file;
        let _ = reader.seek(io::SeekFrom::Start(0));
        let _ = reader.take(MAX_FILE).read_to_string(&mut text);
        let mut rows = Rows::parse(&text).unwrap_or_default();
        rows.entries.retain(|&(pid, ..)| alive(pid));
        if rows.entries.is_empty() {
            rows.used = 0;
        }
        rows
    }

    fn write(&self, rows: &Rows) -> io::Result<()> {
        let mut writer = &self.file;
        writer.seek(io::SeekFrom::Start(0))?;
        self.file.set_len(0)?;
        writer.write_all(rows.to_text().as_bytes())
    }

    /// Takes `count` slots (moving if the ones held are too few).
    fn claim(&mut self, count: u32) -> io::Result<()> {
        let _lock = Locked::new(&self.file)?;
        let mut rows = self.read();
        rows.entries.retain(|&(pid, ..)| pid != self.pid);
        if rows.entries.is_empty() || rows.top == 0 {
            rows.top = ask_row(&self.tty)?;
            rows.used = 0;
        }
        self.first = rows.free_run(count);
        self.count = count;
        rows.entries.push((self.pid, self.first, count));
        rows.used = rows.used.max(self.first + count);
        self.write(&rows)
    }

    /// Draws `lines` at this process's rows, scrolling the screen first if they would fall
    /// below its `height`.
    pub(crate) fn draw(&mut self, lines: &[String], height: usize) {
        if !write_cannot_stop(&self.tty) {
            return;
        }
        let wanted = u32::try_from(lines.len()).unwrap_or(u32::MAX).clamp(1, 999);
        if wanted > self.count && self.claim(wanted).is_err() {
            return;
        }
        let Ok(_lock) = Locked::new(&self.file) else { return };
        let mut rows = self.read();
        if !rows.entries.iter().any(|&(pid, ..)| pid == self.pid) {
            rows.entries.push((self.pid, self.first, self.count));
            rows.used = rows.used.max(self.first + self.count);
        }
        let height = u32::try_from(height).unwrap_or(u32::MAX).max(1);
        let mut out = String::new();
        let bottom = rows.top.saturating_add(rows.used).saturating_sub(1);
        if bottom > height {
            // Not enough room below the first row: scroll the screen up, for everyone.
            let lift = bottom - height;
            out.push_str(&format!("\x1b[{height};1H{}", "\n".repeat(lift as usize)));
            rows.top = rows.top.saturating_sub(lift).max(1);
        }
        for (i, line) in lines.iter().enumerate() {
            let row = rows.top + self.first + i as u32;
            out.push_str(&format!("\x1b[{row};1H{line}"));
        }
        let _ = (&self.tty).write_all(out.as_bytes());
        let _ = self.write(&rows);
    }

    /// Leaves the rows; the last one out moves the cursor below all of them.
    pub(crate) fn close(self) {
        let Ok(_lock) = Locked::new(&self.file) else { return };
        let mut rows = self.read();
        rows.entries.retain(|&(pid, ..)| pid != self.pid);
        if rows.entries.is_empty() {
            let below = (rows.top + rows.used.max(self.first + self.count)).saturating_sub(1);
            if write_cannot_stop(&self.tty) {
                let _ = (&self.tty).write_all(format!("\x1b[{below};1H\n").as_bytes());
            }
            let _ = std::fs::remove_file(&self.path);
        } else {
            let _ = self.write(&rows);
        }
    }
}

/// Asks the terminal where the cursor is (ESC[6n) and returns its row, with echo and line
/// editing off while it answers, restored afterwards. Refused in the background, where
/// changing the modes would stop this process.
fn ask_row(tty: &File) -> io::Result<u32> {
    use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
    if !in_foreground(tty) {
        return Err(io::Error::other("not in the terminal's foreground"));
    }
    let saved = tcgetattr(tty)?;
    let mut raw = saved.clone();
    raw.local_modes.remove(LocalModes::ICANON | LocalModes::ECHO);
    tcsetattr(tty, OptionalActions::Now, &raw)?;
    let answer = read_answer(tty);
    let _ = tcsetattr(tty, OptionalActions::Now, &saved);
    answer
}

fn read_answer(tty: &File) -> io::Result<u32> {
    use rustix::event::{PollFd, PollFlags, poll};
    let mut writer = tty;
    writer.write_all(b"\x1b[6n")?;
    let deadline = Instant::now() + ANSWER_WAIT;
    let mut answer = Vec::new();
    while answer.len() < 32 && !answer.ends_with(b"R") {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let timeout = rustix::event::Timespec::try_from(left).ok();
        let mut fds = [PollFd::new(tty, PollFlags::IN)];
        if poll(&mut fds, timeout.as_ref())? == 0 {
            break;
        }
        let mut byte = [0_u8; 1];
        let mut reader = tty;
        if reader.read(&mut byte)? == 0 {
            break;
        }
        answer.push(byte[0]);
    }
    parse_answer(&answer)
        .ok_or_else(|| io::Error::other("the terminal did not say where the cursor is"))
}

/// The row of a cursor position report `ESC [ row ; col R` (anything typed before it skipped).
#[must_use]
pub(crate) fn parse_answer(answer: &[u8]) -> Option<u32> {
    let start = answer.windows(2).rposition(|w| w == b"\x1b[")? + 2;
    let text = std::str::from_utf8(&answer[start..]).ok()?;
    let (row, rest) = text.split_once(';')?;
    rest.strip_suffix('R')?.parse::<u32>().ok()?;
    row.parse().ok().filter(|&r| r > 0 && r < 100_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_row_file_round_trips_and_refuses_nonsense() {
        let rows = Rows { top: 17, used: 3, entries: vec![(4242, 0, 1), (4243, 1, 2)] };
        assert_eq!(Rows::parse(&rows.to_text()), Some(rows.clone()));
        assert_eq!(rows.free_run(1), 3);
        let sparse = Rows { top: 1, used: 4, entries: vec![(1, 0, 1), (2, 2, 2)] };
        assert_eq!(sparse.free_run(1), 1);
        assert_eq!(sparse.free_run(2), 4);
        for bad in [
            "",
            "top 0\nrows 1\n",
            "top 5\nrows 1\n1 2\n",
            "top 5\nrows 1\n1 2 3 4\n",
            "top 5\nrows 1\n1 2 0\n",
            "top x\nrows 1\n",
        ] {
            assert_eq!(Rows::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn cursor_reports() {
        assert_eq!(parse_answer(b"\x1b[12;1R"), Some(12));
        assert_eq!(parse_answer(b"typed\x1b[3;40R"), Some(3));
        assert_eq!(parse_answer(b"\x1b[0;1R"), None);
        assert_eq!(parse_answer(b"\x1b[12;1"), None);
    }

    proptest! {
        #[test]
        fn any_row_file_parses_or_is_refused(text in "(top|rows|[0-9 ]{0,12}|\n){0,30}") {
            if let Some(rows) = Rows::parse(&text) {
                prop_assert!(rows.entries.len() <= MAX_ENTRIES);
                prop_assert!(rows.free_run(3) <= 999 * MAX_ENTRIES as u32 + 999);
            }
        }

        #[test]
        fn any_answer_parses_or_is_refused(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let _ = parse_answer(&bytes);
        }
    }
}
