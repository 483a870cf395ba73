//! The terminal guard: takes over the terminal for a full-screen program, tells it about keys,
//! resizes, signals and a vanished terminal, and always gives the terminal back.
//!
//! `TerminalGuard::enter` opens the terminal without ever blocking (see `tty.rs`), turns on
//! raw mode (saving the exact original settings), switches to the alternate screen, hides the
//! cursor and turns off auto-wrap. `TerminalGuard::wait` is one `epoll_wait(2)` on the terminal
//! and on the signals' self-pipe (`signals.rs`), both registered once at the start: a key, a
//! resize, SIGTERM/SIGINT/SIGHUP/SIGQUIT or a hang-up wake it at once, and nothing wakes it
//! otherwise. (A `poll(2)` of both every frame cost a screensaver 18 % of its CPU in the
//! kernel, looking up both files and setting up their wait queues each time.) `TerminalGuard::write` writes
//! without blocking and, while the terminal does not take output, waits in the same kind of
//! poll, so a termination signal still ends the program however stuck the terminal is.
//!
//! A hang-up (the terminal window closed, `tmux kill-server`, a dropped ssh connection) shows
//! as POLLHUP/POLLERR, as a read that returns 0 or as EIO; each is reported as
//! `Wake::Hangup`, never retried.
//!
//! Everything is undone by `restore`, which is idempotent, never blocks for more than a
//! moment, and runs from `Drop` (any exit, an error unwinding through `?`) and from the panic
//! hook, which restores *first* and then lets the previous hook print the report on a usable
//! terminal (`panic = "unwind"` stays on in Cargo.toml, so `Drop` runs as well). The user's
//! scrollback is never touched: the alternate screen has none, and `ED 3` is never sent.
//!
//! Job control (`job.rs`): SIGTSTP, or the user's suspend key (Ctrl+Z, which raw mode turns
//! into a plain byte), gives the terminal back as `restore` does and stops the process; when
//! it runs again (SIGCONT, `fg`) the terminal is taken again and the caller is told to repaint
//! everything (`Wake::Continued`).
//!
//! Locked (`TerminalGuard::enter_locked`, for `fun saver --lock`): the keyboard cannot end or
//! suspend the program. Raw mode already clears ISIG (Ctrl+C, Ctrl+\\ and Ctrl+Z are plain bytes),
//! IXON (Ctrl+S and Ctrl+Q do not stop output) and IEXTEN (Ctrl+V); on top of that SIGINT and
//! SIGQUIT are caught and ignored, a SIGTSTP never stops us, and the interrupt, quit and suspend
//! keys are plain keys. SIGTERM and SIGHUP still end the run, and so does a hang-up. Every byte
//! read is a key for the lock (a password is typed, not one key), queued up to
//! `MAX_PENDING_KEYS`; the rest of a pasted flood is read and dropped.

mod job;
pub(crate) mod keys;
mod signals;
mod tty;

use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::{Arc, Mutex, Once, TryLockError};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, epoll, poll};
use rustix::io::Errno;

use self::keys::Key;
use self::signals::SignalPipe;
use self::tty::{Restore, Tty};

/// Enter: alternate screen, hide cursor, auto-wrap off (so the bottom-right cell never scrolls),
/// focus reports on (a terminal that has none ignores the request).
pub(crate) const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[?1004h";
/// Leave: focus reports off, reset colours, auto-wrap on, show cursor, back to the main screen
/// (which puts the cursor back where it was).
const LEAVE: &[u8] = b"\x1b[?1004l\x1b[0m\x1b[?7h\x1b[?25h\x1b[?1049l";

/// What to restore, while a guard holds the terminal (read by [`restore`] and the panic hook).
static ACTIVE: Mutex<Option<Restore>> = Mutex::new(None);
static PANIC_HOOK: Once = Once::new();

/// What ended a wait or a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wake {
    /// A key was pressed (its first byte).
    Key(u8),
    /// An arrow key was pressed.
    Arrow(keys::Arrow),
    /// The terminal gained (`true`) or lost the focus.
    Focus(bool),
    /// The window was resized (read the new size with [`TerminalGuard::size`]).
    Resized,
    /// A termination signal (SIGTERM, SIGINT, SIGHUP, SIGQUIT).
    Signal(i32),
    /// The terminal is gone: hang-up, end of input, or EIO.
    Hangup,
    /// The process was stopped and runs again (job control); the terminal has been taken
    /// again and shows nothing of ours: everything must be repainted.
    Continued,
}

/// Owns the full-screen terminal state for its lifetime.
pub(crate) struct TerminalGuard {
    tty: Tty,
    signals: SignalPipe,
    /// Watches the signals' pipe ([`SIGNALS`]) and the terminal ([`TERMINAL`]).
    epoll: OwnedFd,
    /// The user's suspend key (Ctrl+Z), read from their settings before raw mode.
    suspend_key: Option<u8>,
    /// The user's interrupt and quit keys (Ctrl+C, Ctrl+\\) and their signals.
    signal_keys: Vec<(u8, i32)>,
    /// Locked: no key or keyboard signal ends or stops the run (see the module documentation).
    locked: bool,
    /// Locked: the keys read but not yet handed out, oldest first.
    pending: keys::PendingKeys,
}

/// The most keys kept waiting while locked: more than any password; a paste beyond it is
/// read and dropped, so a flood costs a bounded amount of memory and work.
pub(crate) const MAX_PENDING_KEYS: usize = 1024;

/// What an epoll event is about.
const SIGNALS: u64 = 0;
const TERMINAL: u64 = 1;

/// The epoll set `wait` sleeps on: the signals' pipe, and the terminal's input (or, when it
/// cannot be read, its output, for nothing but the hang-up and error that epoll always reports).
fn watch(tty: &Tty, signals: &SignalPipe) -> io::Result<OwnedFd> {
    let set = epoll::create(epoll::CreateFlags::CLOEXEC)?;
    let data = epoll::EventData::new_u64;
    epoll::add(&set, signals.fd(), data(SIGNALS), epoll::EventFlags::IN)?;
    let (watched, events) = match &tty.input {
        Some(input) => (input, epoll::EventFlags::IN),
        None => (&tty.output, epoll::EventFlags::empty()),
    };
    epoll::add(&set, watched.as_fd(), data(TERMINAL), events)?;
    Ok(set)
}

impl TerminalGuard {
    /// Checks that stdout is a terminal, then enters full-screen mode.
    ///
    /// # Errors
    /// When stdout is not a terminal, or raw mode cannot be enabled.
    pub(crate) fn enter() -> anyhow::Result<TerminalGuard> {
        TerminalGuard::enter_as(false)
    }

    /// [`TerminalGuard::enter`], locked: the keyboard cannot end or suspend the run (see the
    /// module documentation).
    ///
    /// # Errors
    /// As [`TerminalGuard::enter`].
    pub(crate) fn enter_locked() -> anyhow::Result<TerminalGuard> {
        TerminalGuard::enter_as(true)
    }

    fn enter_as(locked: bool) -> anyhow::Result<TerminalGuard> {
        if !rustix::termios::isatty(rustix::stdio::stdout()) {
            anyhow::bail!(
                "stdout is not a terminal; run it in a terminal \
                 (or preview with --headless --size 80x24 --frames 50)"
            );
        }
        install_panic_hook();
        // Signals first: one that arrives while the terminal is being set up is seen by the
        // first wait, and the terminal is restored as on any other exit.
        let signals = if locked { SignalPipe::install_locked()? } else { SignalPipe::install()? };
        let tty = Tty::open().map_err(|e| anyhow::anyhow!("cannot open the terminal: {e}"))?;
        // Until `ACTIVE` holds the restore, a failure must put back the flags `open` changed.
        let set_up = watch(&tty, &signals)
            .map_err(|e| anyhow::anyhow!("cannot watch the terminal for input: {e}"))
            .and_then(|epoll| {
                let termios = tty::enable_raw(tty.output.as_fd())
                    .map_err(|e| anyhow::anyhow!("cannot switch the terminal to raw mode: {e}"))?;
                Ok((epoll, termios))
            });
        let (epoll, termios) = set_up.inspect_err(|_| tty.put_back_flags())?;
        let suspend_key = job::suspend_key(&termios).filter(|_| !locked);
        let signal_keys = if locked { Vec::new() } else { job::signal_keys(&termios) };
        let restore = Restore {
            fd: Arc::clone(&tty.output),
            termios,
            shared_flags: tty.shared_flags.clone(),
        };
        *ACTIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(restore);
        let pending = keys::PendingKeys::with_capacity(if locked { MAX_PENDING_KEYS } else { 0 });
        let guard =
            TerminalGuard { tty, signals, epoll, suspend_key, signal_keys, locked, pending };
        let deadline = Instant::now() + Duration::from_secs(1);
        tty::write_until(guard.tty.output.as_fd(), ENTER, deadline)
            .map_err(|e| anyhow::anyhow!("cannot write to the terminal: {e}"))?;
        Ok(guard)
    }

    /// The terminal's size in cells (columns, rows); 80x24 when it reports none.
    ///
    /// # Errors
    /// When the terminal cannot be asked (it is gone).
    pub(crate) fn size(&self) -> io::Result<(u16, u16)> {
        let size = rustix::termios::tcgetwinsize(&*self.tty.output)?;
        Ok(match (size.ws_col, size.ws_row) {
            (0, _) | (_, 0) => (80, 24),
            (cols, rows) => (cols, rows),
        })
    }

    /// Waits up to `timeout` for a key, a resize, a termination signal or a hang-up; `None`
    /// when the time ran out (or the wake-up was for nothing, such as a focus report).
    ///
    /// # Errors
    /// When polling or reading fails for another reason than the terminal going away.
    pub(crate) fn wait(&mut self, timeout: Duration) -> io::Result<Option<Wake>> {
        // The flags are the truth; the pipe only wakes. A write may have drained the pipe
        // while a resize was pending, so look before sleeping.
        if let Some(wake) = self.flags() {
            return Ok(Some(wake));
        }
        if let Some(wake) = self.job_control() {
            return Ok(Some(wake));
        }
        if let Some(key) = self.pending.pop() {
            return Ok(Some(Wake::Key(key)));
        }
        let mut events = [MaybeUninit::<epoll::Event>::uninit(); 2];
        let (mut signalled, mut terminal) = (false, PollFlags::empty());
        match epoll::wait(&self.epoll, &mut events, Some(&tty::timespec(timeout))) {
            Ok((ready, _)) => {
                for event in ready.iter() {
                    let (data, flags) = (event.data.u64(), event.flags);
                    if data == SIGNALS {
                        signalled = true;
                    } else {
                        terminal = as_poll_flags(flags);
                    }
                }
            }
            Err(Errno::INTR) => {}
            Err(err) => return Err(err.into()),
        }
        if signalled {
            self.signals.drain();
            if let Some(wake) = self.flags().or_else(|| self.job_control()) {
                return Ok(Some(wake));
            }
        }
        if is_hangup(terminal) {
            return Ok(Some(Wake::Hangup));
        }
        if terminal.contains(PollFlags::IN) {
            return self.read_keys_or_suspend();
        }
        Ok(None)
    }

    /// Writes all of `bytes`. Returns `Some` when something ended the run before they were all
    /// written: a termination signal or a key while the terminal took no output, or a hang-up
    /// (which includes EIO on write).
    ///
    /// # Errors
    /// Any other write error (the caller ends the run with it; nothing is retried).
    pub(crate) fn write(&mut self, bytes: &[u8]) -> io::Result<Option<Wake>> {
        let mut rest = bytes;
        while !rest.is_empty() {
            match rustix::io::write(&*self.tty.output, rest) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    rest = &rest[n..];
                    // A short write means the terminal's buffer is full (a pty takes about 10
                    // KB at a time, less than a 4K terminal's matrix frame): the next write
                    // would only fail with EAGAIN, so wait for room at once.
                    if !rest.is_empty()
                        && let Some(wake) = self.wait_writable()?
                    {
                        return Ok(Some(wake));
                    }
                }
                Err(Errno::INTR) => {}
                Err(Errno::AGAIN) => {
                    if let Some(wake) = self.wait_writable()? {
                        return Ok(Some(wake));
                    }
                }
                Err(Errno::IO) => return Ok(Some(Wake::Hangup)),
                Err(err) => return Err(err.into()),
            }
        }
        Ok(None)
    }

    /// Sleeps until the terminal takes output again, or a signal, a key or a hang-up.
    fn wait_writable(&mut self) -> io::Result<Option<Wake>> {
        if let Some(sig) = self.signals.termination() {
            return Ok(Some(Wake::Signal(sig)));
        }
        let same = self.tty.input.as_ref().is_some_and(|i| Arc::ptr_eq(i, &self.tty.output));
        let out_events = if same { PollFlags::OUT | PollFlags::IN } else { PollFlags::OUT };
        let input = self.tty.input.as_ref().filter(|_| !same);
        let mut fds = vec![
            PollFd::from_borrowed_fd(self.signals.fd(), PollFlags::IN),
            PollFd::from_borrowed_fd(self.tty.output.as_fd(), out_events),
        ];
        if let Some(input) = input {
            fds.push(PollFd::from_borrowed_fd(input.as_fd(), PollFlags::IN));
        }
        match poll(&mut fds, None) {
            Ok(_) | Err(Errno::INTR) => {}
            Err(err) => return Err(err.into()),
        }
        let revents: Vec<PollFlags> = fds.iter().map(PollFd::revents).collect();
        drop(fds);
        if !revents[0].is_empty() {
            self.signals.drain();
            // A resize stays pending for the next wait; an ending interrupts the write, and so
            // does a stop (the rest of the frame is repainted anyway when we run again).
            if let Some(sig) = self.signals.termination() {
                return Ok(Some(Wake::Signal(sig)));
            }
            if let Some(wake) = self.job_control() {
                return Ok(Some(wake));
            }
        }
        if revents[1..].iter().any(|r| is_hangup(*r)) {
            return Ok(Some(Wake::Hangup));
        }
        if revents[1..].iter().any(|r| r.contains(PollFlags::IN)) {
            return match self.read_keys_or_suspend()? {
                Some(wake @ (Wake::Key(_) | Wake::Arrow(_) | Wake::Hangup | Wake::Continued)) => {
                    Ok(Some(wake))
                }
                _ => Ok(None),
            };
        }
        Ok(None)
    }

    /// A pending termination signal, else a pending resize.
    fn flags(&self) -> Option<Wake> {
        if let Some(sig) = self.signals.termination() {
            return Some(Wake::Signal(sig));
        }
        self.signals.take_resize().then_some(Wake::Resized)
    }

    /// Reads what the terminal has (never blocks: the descriptor is non-blocking).
    fn read_keys(&mut self) -> io::Result<Option<Wake>> {
        let Some(input) = &self.tty.input else { return Ok(None) };
        let mut buf = [0u8; 256];
        match rustix::io::read(&**input, &mut buf) {
            // End of input on a terminal: it was hung up.
            Ok(0) | Err(Errno::IO) => Ok(Some(Wake::Hangup)),
            Ok(n) if self.locked => {
                let wake = self.queue_keys(&buf[..n]);
                zeroize::Zeroize::zeroize(&mut buf);
                Ok(wake)
            }
            Ok(n) => {
                let keys = keys::parse(&buf[..n]);
                let pressed = keys.iter().find_map(|k| match k {
                    Key::Press(byte) => Some(Wake::Key(*byte)),
                    Key::Arrow(arrow) => Some(Wake::Arrow(*arrow)),
                    _ => None,
                });
                let focus = keys.iter().rev().find_map(|k| match k {
                    Key::FocusIn => Some(Wake::Focus(true)),
                    Key::FocusOut => Some(Wake::Focus(false)),
                    Key::Press(_) | Key::Arrow(_) => None,
                });
                Ok(pressed.or(focus))
            }
            Err(Errno::AGAIN | Errno::INTR) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }
}

impl TerminalGuard {
    /// Locked: queues every key of `bytes` (up to [`MAX_PENDING_KEYS`]) and hands out the
    /// oldest; a focus report alone is still reported.
    fn queue_keys(&mut self, bytes: &[u8]) -> Option<Wake> {
        let mut focus = None;
        for key in keys::iter(bytes) {
            match key {
                Key::Press(byte) => {
                    // Full: the rest of a pasted flood is dropped.
                    let _ = self.pending.push(byte);
                }
                Key::Arrow(arrow) => {
                    for byte in arrow.sequence() {
                        let _ = self.pending.push(byte);
                    }
                }
                Key::FocusIn => focus = Some(Wake::Focus(true)),
                Key::FocusOut => focus = Some(Wake::Focus(false)),
            }
        }
        self.pending.pop().map(Wake::Key).or(focus)
    }
}

/// The readiness epoll reported, as the poll flags the rest of this module reads.
fn as_poll_flags(flags: epoll::EventFlags) -> PollFlags {
    use epoll::EventFlags as E;
    [(E::IN, PollFlags::IN), (E::HUP, PollFlags::HUP), (E::ERR, PollFlags::ERR)]
        .into_iter()
        .filter(|(e, _)| flags.contains(*e))
        .fold(PollFlags::empty(), |all, (_, p)| all | p)
}

fn is_hangup(revents: PollFlags) -> bool {
    revents.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Restores the terminal if a guard left it in full-screen mode; safe to call any number of
/// times and from a panic hook. Errors are ignored: the terminal may already be gone.
pub(crate) fn restore() {
    let taken = match ACTIVE.try_lock() {
        Ok(mut active) => active.take(),
        Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner().take(),
        // Another thread is entering or restoring right now; it will finish the job.
        Err(TryLockError::WouldBlock) => None,
    };
    if let Some(restore) = taken {
        restore.run(LEAVE);
    }
}

std::thread_local! {
    /// This thread's panics leave the terminal as it is ([`keep_terminal_on_panic`]).
    static KEEP_ON_PANIC: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks the calling thread as one whose panic must not give the terminal back: a lock's
/// worker (its panic only refuses that attempt, `engine::lock::auth`), where a restore would
/// turn the keyboard's signal keys back on under a lock that goes on running.
pub(crate) fn keep_terminal_on_panic() {
    KEEP_ON_PANIC.with(|keep| keep.set(true));
}

/// Whether a panic on this thread restores the terminal.
fn restores_on_panic() -> bool {
    !KEEP_ON_PANIC.with(std::cell::Cell::get)
}

/// Installs (once) a panic hook that restores the terminal before the previous hook prints.
pub(crate) fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if restores_on_panic() {
                restore();
            }
            previous(info);
        }));
    });
}

#[cfg(test)]
mod tests;
