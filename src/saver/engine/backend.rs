//! Where frames go and where time and input come from: the real terminal, or a headless
//! simulation for tests and previews.
//!
//! The frame loop in `engine.rs` is written once against [`Backend`]. The terminal backend waits
//! with the terminal guard's `poll(2)` (keys, resizes, signals and hang-ups wake it at once; no
//! busy waiting, no periodic wake-ups) and reads the real clocks; the headless one advances a
//! simulated clock by exactly the time the loop asked to wait, so a headless run of N frames is
//! deterministic and instant.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use crate::saver::kit::screen::Size;
use crate::term::{TerminalGuard, Wake};

/// Something that happened while the loop was waiting (or writing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    /// A key (its first byte): the saver's default exit, like `cmatrix -s`, unless the screen
    /// takes it.
    Key(u8),
    /// An arrow key (the right one shows the next screen of a rotation).
    Arrow(crate::term::keys::Arrow),
    /// The terminal gained (`true`) or lost the focus.
    Focus(bool),
    /// The terminal was resized (SIGWINCH).
    Resize(Size),
    /// A termination signal (SIGTERM, SIGHUP, SIGQUIT, SIGINT).
    Signal(i32),
    /// The terminal went away (hang-up, end of input, EIO).
    Hangup,
    /// The process was stopped and runs again (Ctrl+Z, then `fg`): the terminal shows nothing
    /// of ours any more, so everything is repainted, and the stop is not animated through.
    Continued,
}

/// The engine's window to the outside world.
pub(crate) trait Backend {
    /// The current size of the drawing area.
    fn size(&mut self) -> io::Result<Size>;
    /// Monotonic time since the backend started.
    fn now(&self) -> Duration;
    /// Local wall-clock time (the clock screen shows it).
    fn wall(&self) -> NaiveDateTime;
    /// Waits up to `timeout` for input; `None` when the time ran out.
    fn wait(&mut self, timeout: Duration) -> io::Result<Option<Input>>;
    /// Writes one frame's bytes. `Some` when the run must end before they were all written (a
    /// signal or a key while the terminal took no output, or a hang-up).
    fn write_frame(&mut self, bytes: &[u8]) -> io::Result<Option<Input>>;
    /// Called after each frame; `true` ends the run (headless frame count reached).
    fn frame_done(&mut self) -> bool {
        false
    }
}

/// The real terminal. Holds the guard, so dropping the backend restores the terminal.
pub(crate) struct TerminalBackend {
    guard: TerminalGuard,
    start: Instant,
}

impl TerminalBackend {
    /// Enters full-screen mode (fails with a clear message without a terminal).
    ///
    /// # Errors
    /// When stdout is not a terminal or raw mode cannot be enabled.
    pub(crate) fn new() -> anyhow::Result<TerminalBackend> {
        let guard = TerminalGuard::enter()?;
        Ok(TerminalBackend { guard, start: Instant::now() })
    }

    /// [`TerminalBackend::new`] for a lock: the keyboard cannot end or suspend the run, and
    /// every byte typed is a key (`TerminalGuard::enter_locked`).
    ///
    /// # Errors
    /// As [`TerminalBackend::new`].
    pub(crate) fn new_locked() -> anyhow::Result<TerminalBackend> {
        let guard = TerminalGuard::enter_locked()?;
        Ok(TerminalBackend { guard, start: Instant::now() })
    }

    fn input(&mut self, wake: Wake) -> io::Result<Input> {
        Ok(match wake {
            Wake::Key(byte) => Input::Key(byte),
            Wake::Arrow(arrow) => Input::Arrow(arrow),
            Wake::Focus(focused) => Input::Focus(focused),
            Wake::Signal(sig) => Input::Signal(sig),
            Wake::Hangup => Input::Hangup,
            Wake::Continued => Input::Continued,
            Wake::Resized => Input::Resize(self.size()?),
        })
    }
}

impl Backend for TerminalBackend {
    fn size(&mut self) -> io::Result<Size> {
        let (width, height) = self.guard.size()?;
        // A terminal larger than the engine's bound is drawn in its top-left corner.
        Ok(Size { width, height }.bounded())
    }

    fn now(&self) -> Duration {
        self.start.elapsed()
    }

    fn wall(&self) -> NaiveDateTime {
        chrono::Local::now().naive_local()
    }

    fn wait(&mut self, timeout: Duration) -> io::Result<Option<Input>> {
        match self.guard.wait(timeout)? {
            Some(wake) => self.input(wake).map(Some),
            None => Ok(None),
        }
    }

    fn write_frame(&mut self, bytes: &[u8]) -> io::Result<Option<Input>> {
        match self.guard.write(bytes)? {
            Some(wake) => self.input(wake).map(Some),
            None => Ok(None),
        }
    }
}

/// A simulated terminal: fixed size (with scripted resizes), simulated time, frames recorded.
pub(crate) struct HeadlessBackend {
    size: Size,
    now: Duration,
    start_wall: NaiveDateTime,
    frames_left: u64,
    frames_drawn: u64,
    /// Resizes to apply before the given frame number (0-based).
    resizes: Vec<(u64, Size)>,
    /// Where every byte the engine writes goes (`--stream`), as it is written: nothing is
    /// accumulated, so a long run needs no more memory than a short one.
    stream: Option<Box<dyn Write>>,
}

impl HeadlessBackend {
    #[must_use]
    pub(crate) fn new(size: Size, frames: u64, start_wall: NaiveDateTime) -> HeadlessBackend {
        HeadlessBackend {
            size,
            now: Duration::ZERO,
            start_wall,
            frames_left: frames,
            frames_drawn: 0,
            resizes: Vec::new(),
            stream: None,
        }
    }

    /// Sends every byte the engine writes to `out`.
    pub(crate) fn stream_to(&mut self, out: Box<dyn Write>) {
        self.stream = Some(out);
    }

    /// Flushes the stream, if any.
    ///
    /// # Errors
    /// The stream's write error.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.stream.as_mut().map_or(Ok(()), |out| out.flush())
    }

    /// Schedules a resize to `size` before frame `frame` (0-based) is drawn.
    pub(crate) fn resize_before(&mut self, frame: u64, size: Size) {
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

    fn write_frame(&mut self, bytes: &[u8]) -> io::Result<Option<Input>> {
        if let Some(out) = &mut self.stream {
            out.write_all(bytes)?;
        }
        Ok(None)
    }

    fn frame_done(&mut self) -> bool {
        self.frames_drawn += 1;
        self.frames_left = self.frames_left.saturating_sub(1);
        self.frames_left == 0
    }
}

/// For the engine's tests: a headless backend whose waits deliver scripted inputs first, one
/// each, after at most `gap` of simulated time (a key typed, a focus lost).
#[cfg(test)]
pub(crate) struct Scripted {
    inner: HeadlessBackend,
    inputs: std::collections::VecDeque<Input>,
    gap: Duration,
}

#[cfg(test)]
impl Scripted {
    pub(crate) fn new(inner: HeadlessBackend, inputs: Vec<Input>, gap: Duration) -> Scripted {
        Scripted { inner, inputs: inputs.into(), gap }
    }
}

#[cfg(test)]
impl Backend for Scripted {
    fn size(&mut self) -> std::io::Result<Size> {
        self.inner.size()
    }
    fn now(&self) -> Duration {
        self.inner.now()
    }
    fn wall(&self) -> NaiveDateTime {
        self.inner.wall()
    }
    fn wait(&mut self, timeout: Duration) -> std::io::Result<Option<Input>> {
        if self.inputs.is_empty() {
            return self.inner.wait(timeout);
        }
        self.inner.wait(timeout.min(self.gap))?;
        Ok(self.inputs.pop_front())
    }
    fn write_frame(&mut self, bytes: &[u8]) -> std::io::Result<Option<Input>> {
        self.inner.write_frame(bytes)
    }
    fn frame_done(&mut self) -> bool {
        self.inner.frame_done()
    }
}
