//! Signals as something a `poll(2)` loop can wait for: the self-pipe pattern.
//!
//! signal-hook's handlers store what happened in atomics (which termination signal, whether the
//! window was resized) and then write a byte to a non-blocking socket (`pipe::register`). The
//! read end sits in the same `poll` as the terminal, so a signal wakes the loop at once, whatever
//! it was waiting for (input, the next frame, room to write), with no periodic wake-ups. The
//! order follows signal-hook's documentation: the handlers set the flag first and then write;
//! the reader empties the socket first and then looks at the flags, so no signal is lost.
//!
//! Job control has two flags of its own: SIGTSTP (`kill -TSTP`, or Ctrl+Z where the terminal
//! sends it) asks the program to give the terminal back and stop, and SIGCONT says it runs
//! again (after our own stop, or a `kill -STOP` we never saw). SIGTTIN and SIGTTOU are left to
//! their default action: they stop a process that touches the terminal from the background
//! (`bg` after Ctrl+Z), before it changes anything, which is what job control wants; a
//! handler would make the kernel restart the call and signal again, forever.

use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::SigId;
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGWINCH};

/// The signals that end the program gracefully (the terminal is restored first).
pub(crate) const TERMINATING_SIGNALS: [i32; 4] = [SIGTERM, SIGHUP, SIGQUIT, SIGINT];
/// The signals that end a lock: the terminal is gone, or the user's own account asked.
pub(crate) const LOCK_ENDING_SIGNALS: [i32; 2] = [SIGTERM, SIGHUP];

/// The installed handlers and the read end of their wake-up socket.
pub(crate) struct SignalPipe {
    wake: UnixStream,
    /// The last termination signal received (0: none).
    terminating: Arc<AtomicUsize>,
    /// A SIGWINCH arrived since the last [`SignalPipe::take_resize`].
    resized: Arc<AtomicBool>,
    /// A SIGTSTP arrived since the last [`SignalPipe::take_stop`].
    stop: Arc<AtomicBool>,
    /// A SIGCONT arrived since the last [`SignalPipe::take_continued`].
    continued: Arc<AtomicBool>,
    ids: Vec<SigId>,
}

impl SignalPipe {
    /// Installs the handlers for the termination signals, SIGWINCH, SIGTSTP and SIGCONT.
    ///
    /// # Errors
    /// When the socket pair cannot be created or a handler cannot be installed.
    pub(crate) fn install() -> io::Result<SignalPipe> {
        SignalPipe::install_for(&TERMINATING_SIGNALS)
    }

    /// Installs the handlers for a lock: SIGTERM and SIGHUP end the run; SIGINT and SIGQUIT
    /// are caught and ignored (a second wall behind raw mode's cleared ISIG: a `kill -INT`
    /// from a script does not open the lock either); SIGTSTP is taken by its flag, which the
    /// locked guard never acts on.
    ///
    /// # Errors
    /// When the socket pair cannot be created or a handler cannot be installed.
    pub(crate) fn install_locked() -> io::Result<SignalPipe> {
        SignalPipe::install_locked_for(&LOCK_ENDING_SIGNALS, &[SIGINT, SIGQUIT])
    }

    /// [`SignalPipe::install_locked`] with the ending and ignored signals given (tests use
    /// signals nobody else handles).
    ///
    /// # Errors
    /// As [`SignalPipe::install_for`].
    pub(crate) fn install_locked_for(ending: &[i32], ignored: &[i32]) -> io::Result<SignalPipe> {
        let mut pipe = SignalPipe::install_for(ending)?;
        let caught = Arc::new(AtomicBool::new(false));
        for &sig in ignored {
            pipe.ids.push(signal_hook::flag::register(sig, Arc::clone(&caught))?);
        }
        Ok(pipe)
    }

    /// Installs the handlers for `terminating` (tests use signals nobody else handles),
    /// SIGWINCH, SIGTSTP and SIGCONT.
    ///
    /// # Errors
    /// When the socket pair cannot be created or a handler cannot be installed.
    pub(crate) fn install_for(terminating: &[i32]) -> io::Result<SignalPipe> {
        let (wake, writer) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        let mut pipe = SignalPipe {
            wake,
            terminating: Arc::new(AtomicUsize::new(0)),
            resized: Arc::new(AtomicBool::new(false)),
            stop: Arc::new(AtomicBool::new(false)),
            continued: Arc::new(AtomicBool::new(false)),
            ids: Vec::new(),
        };
        for &sig in terminating {
            let flag = Arc::clone(&pipe.terminating);
            // Registered before the pipe write: signal-hook runs a signal's actions in order.
            pipe.ids.push(signal_hook::flag::register_usize(sig, flag, sig as usize)?);
            pipe.ids.push(signal_hook::low_level::pipe::register(sig, writer.try_clone()?)?);
        }
        for (sig, flag) in
            [(SIGWINCH, &pipe.resized), (SIGTSTP, &pipe.stop), (SIGCONT, &pipe.continued)]
        {
            pipe.ids.push(signal_hook::flag::register(sig, Arc::clone(flag))?);
            pipe.ids.push(signal_hook::low_level::pipe::register(sig, writer.try_clone()?)?);
        }
        Ok(pipe)
    }

    /// The descriptor to poll for reading.
    pub(crate) fn fd(&self) -> BorrowedFd<'_> {
        self.wake.as_fd()
    }

    /// Empties the wake-up socket (call when `poll` said it is readable, before the flags).
    pub(crate) fn drain(&self) {
        let mut buf = [0u8; 64];
        let mut wake = &self.wake;
        // Non-blocking: stops at WouldBlock (empty), or on any other error.
        while matches!(wake.read(&mut buf), Ok(n) if n > 0) {}
    }

    /// The termination signal received, if any (it stays set: the program is ending).
    pub(crate) fn termination(&self) -> Option<i32> {
        match self.terminating.load(Ordering::SeqCst) {
            0 => None,
            sig => i32::try_from(sig).ok(),
        }
    }

    /// Whether the window was resized since the last call.
    pub(crate) fn take_resize(&self) -> bool {
        self.resized.swap(false, Ordering::SeqCst)
    }

    /// Whether a SIGTSTP asked us to stop since the last call.
    pub(crate) fn take_stop(&self) -> bool {
        self.stop.swap(false, Ordering::SeqCst)
    }

    /// Whether a SIGCONT arrived since the last call.
    pub(crate) fn take_continued(&self) -> bool {
        self.continued.swap(false, Ordering::SeqCst)
    }
}

impl Drop for SignalPipe {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustix::event::{PollFd, PollFlags, poll};

    #[test]
    fn a_resize_wakes_the_poll_and_is_reported_once() {
        let pipe = SignalPipe::install().expect("install");
        signal_hook::low_level::raise(SIGWINCH).expect("raise");
        let mut fds = [PollFd::from_borrowed_fd(pipe.fd(), PollFlags::IN)];
        let timeout = rustix::event::Timespec { tv_sec: 5, tv_nsec: 0 };
        assert_eq!(poll(&mut fds, Some(&timeout)).expect("poll"), 1);
        pipe.drain();
        assert!(pipe.take_resize());
        assert!(!pipe.take_resize());
        assert_eq!(pipe.termination(), None);
        // Drained: a second poll with no timeout left finds nothing.
        let zero = rustix::event::Timespec { tv_sec: 0, tv_nsec: 0 };
        assert_eq!(poll(&mut fds, Some(&zero)).expect("poll"), 0);
    }
}
