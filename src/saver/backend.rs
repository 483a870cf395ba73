//! Where frames go and where time and input come from: the real terminal, or a headless
//! simulation for tests and previews.
//!
//! The frame loop in `engine.rs` is written once against [`Backend`]. The terminal backend waits
//! for input with crossterm's `event::poll(timeout)` (no busy waiting) and reads the real
//! clocks; the headless one advances a simulated clock by exactly the time the loop asked to
//! wait, so a headless run of N frames is deterministic and instant.

use std::io;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use crossterm::event::{self, Event, KeyEventKind};

use super::screen::Size;
use crate::term::TerminalGuard;

/// Something that happened while the loop was waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// Any key: the saver's default exit, like `cmatrix -s`.
    Key,
    /// The terminal was resized (SIGWINCH, delivered by crossterm).
    Resize(Size),
    /// A termination signal (SIGTERM, SIGHUP, SIGQUIT, SIGINT).
    Signal(i32),
}

/// The engine's window to the outside world.
pub trait Backend {
    /// The current size of the drawing area.
    fn size(&mut self) -> io::Result<Size>;
    /// Monotonic time since the backend started.
    fn now(&self) -> Duration;
    /// Local wall-clock time (the clock screen shows it).
    fn wall(&self) -> NaiveDateTime;
    /// Waits up to `timeout` for input; `None` when the time ran out.
    fn wait(&mut self, timeout: Duration) -> io::Result<Option<Input>>;
    /// Writes one frame's bytes (one write call, then a flush).
    fn write_frame(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Called after each frame; `true` ends the run (headless frame count reached).
    fn frame_done(&mut self) -> bool {
        false
    }
}

/// The real terminal. Holds the guard, so dropping the backend restores the terminal.
pub struct TerminalBackend {
    guard: TerminalGuard,
    start: Instant,
    out: io::Stdout,
}

/// Longest single wait. A termination signal wakes the poll at once (the guard raises SIGWINCH,
/// which crossterm listens for), so this is only a safety net; it is long so that an idle
/// screen such as the clock wakes about once a second and no more.
const SIGNAL_CHECK: Duration = Duration::from_millis(1000);

impl TerminalBackend {
    /// Enters full-screen mode (fails with a clear message without a terminal).
    ///
    /// # Errors
    /// When stdout is not a terminal or raw mode cannot be enabled.
    pub fn new() -> anyhow::Result<TerminalBackend> {
        let guard = TerminalGuard::enter()?;
        Ok(TerminalBackend { guard, start: Instant::now(), out: io::stdout() })
    }
}

impl Backend for TerminalBackend {
    fn size(&mut self) -> io::Result<Size> {
        let (width, height) = crossterm::terminal::size()?;
        Ok(Size { width, height })
    }

    fn now(&self) -> Duration {
        self.start.elapsed()
    }

    fn wall(&self) -> NaiveDateTime {
        chrono::Local::now().naive_local()
    }

    fn wait(&mut self, timeout: Duration) -> io::Result<Option<Input>> {
        if let Some(sig) = self.guard.pending_signal() {
            return Ok(Some(Input::Signal(sig)));
        }
        if !event::poll(timeout.min(SIGNAL_CHECK))? {
            return Ok(self.guard.pending_signal().map(Input::Signal));
        }
        let event = event::read()?;
        // The guard's signal thread wakes us with a SIGWINCH: report the signal, not a resize.
        if let Some(sig) = self.guard.pending_signal() {
            return Ok(Some(Input::Signal(sig)));
        }
        Ok(match event {
            // Key releases/repeats only arrive with the kitty protocol, which we never enable;
            // filter them anyway so one key press cannot count twice.
            Event::Key(key) if key.kind != KeyEventKind::Release => Some(Input::Key),
            Event::Resize(width, height) => Some(Input::Resize(Size { width, height })),
            _ => None,
        })
    }

    fn write_frame(&mut self, bytes: &[u8]) -> io::Result<()> {
        // Straight to the file descriptor: std's stdout is line-buffered and would split a
        // frame containing line feeds (cursor moves) into two writes. Anything buffered before
        // (the guard's mode switches) was flushed already.
        let out = self.out.lock();
        let fd = out.as_fd();
        let mut rest = bytes;
        while !rest.is_empty() {
            match rustix::io::write(fd, rest) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => rest = &rest[n..],
                Err(rustix::io::Errno::INTR) => {}
                Err(err) => return Err(err.into()),
            }
        }
        Ok(())
    }
}

/// A simulated terminal: fixed size (with scripted resizes), simulated time, frames recorded.
pub struct HeadlessBackend {
    size: Size,
    now: Duration,
    start_wall: NaiveDateTime,
    frames_left: u64,
    frames_drawn: u64,
    /// Resizes to apply before the given frame number (0-based).
    resizes: Vec<(u64, Size)>,
    /// Every byte the engine wrote.
    pub stream: Vec<u8>,
}

impl HeadlessBackend {
    #[must_use]
    pub fn new(size: Size, frames: u64, start_wall: NaiveDateTime) -> HeadlessBackend {
        HeadlessBackend {
            size,
            now: Duration::ZERO,
            start_wall,
            frames_left: frames,
            frames_drawn: 0,
            resizes: Vec::new(),
            stream: Vec::new(),
        }
    }

    /// Schedules a resize to `size` before frame `frame` (0-based) is drawn.
    pub fn resize_before(&mut self, frame: u64, size: Size) {
        self.resizes.push((frame, size));
        self.resizes.sort_by_key(|(f, _)| *f);
    }
}

impl Backend for HeadlessBackend {
    fn size(&mut self) -> io::Result<Size> {
        Ok(self.size)
    }

    fn now(&self) -> Duration {
        self.now
    }

    fn wall(&self) -> NaiveDateTime {
        self.start_wall + chrono::Duration::from_std(self.now).unwrap_or_default()
    }

    fn wait(&mut self, timeout: Duration) -> io::Result<Option<Input>> {
        if let Some(&(frame, size)) = self.resizes.first()
            && frame <= self.frames_drawn
        {
            self.resizes.remove(0);
            self.size = size;
            return Ok(Some(Input::Resize(size)));
        }
        self.now += timeout;
        Ok(None)
    }

    fn write_frame(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.extend_from_slice(bytes);
        Ok(())
    }

    fn frame_done(&mut self) -> bool {
        self.frames_drawn += 1;
        self.frames_left = self.frames_left.saturating_sub(1);
        self.frames_left == 0
    }
}
