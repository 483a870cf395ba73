//! The terminal's file descriptors: opened so that no read or write can ever block, put into
//! raw mode with the exact original settings saved, and put back.
//!
//! Standard output's open file is shared with the shell and every other process of the
//! terminal, so making it non-blocking would leak into them. Instead the terminal is opened
//! again by name (`ttyname(1)`, e.g. `/dev/pts/3`): a new open file of the same device, on which
//! `O_NONBLOCK` is ours alone, used for reading keys and for writing frames. When that open is
//! refused (after `su`, the terminal belongs to another user), standard output itself is used
//! (and standard input for keys if standard output is write-only), made non-blocking, and its
//! original flags are put back by [`Restore::run`].

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::fs::OFlags;
use rustix::io::Errno;
use rustix::termios::{OptionalActions, Termios};

/// The terminal, non-blocking, for output and (when possible) input.
pub(crate) struct Tty {
    /// Where frames go.
    pub(crate) output: Arc<OwnedFd>,
    /// Where keys come from (usually the same descriptor); `None` when the terminal cannot be
    /// read (its hang-up is still seen on `output`).
    pub(crate) input: Option<Arc<OwnedFd>>,
    /// Descriptors whose shared flags we changed, with the flags to put back.
    pub(crate) shared_flags: Vec<(Arc<OwnedFd>, OFlags)>,
}

impl Tty {
    /// Opens the terminal that standard output is connected to.
    ///
    /// # Errors
    /// When standard output is not a terminal or its flags cannot be changed.
    pub(crate) fn open() -> io::Result<Tty> {
        let stdout = rustix::stdio::stdout();
        if let Some(fd) = reopen(stdout) {
            let fd = Arc::new(fd);
            return Ok(Tty { output: Arc::clone(&fd), input: Some(fd), shared_flags: Vec::new() });
        }
        let output = Arc::new(rustix::io::dup(stdout)?);
        let readable = rustix::fs::fcntl_getfl(&*output)?.contains(OFlags::RDWR);
        let stdin = rustix::stdio::stdin();
        let input = if readable {
            Some(Arc::clone(&output))
        } else if rustix::termios::isatty(stdin) {
            Some(Arc::new(rustix::io::dup(stdin)?))
        } else {
            None
        };
        // Read every original first: stdin and stdout often share one open file.
        let mut shared_flags = vec![(Arc::clone(&output), rustix::fs::fcntl_getfl(&*output)?)];
        if let Some(input) = input.as_ref().filter(|i| !Arc::ptr_eq(i, &output)) {
            shared_flags.push((Arc::clone(input), rustix::fs::fcntl_getfl(&**input)?));
        }
        for (fd, flags) in &shared_flags {
            rustix::fs::fcntl_setfl(&**fd, *flags | OFlags::NONBLOCK)?;
        }
        Ok(Tty { output, input, shared_flags })
    }

    /// Puts back the flags `open` changed on shared descriptors (when setting up fails before
    /// a [`Restore`] takes them over).
    pub(crate) fn put_back_flags(&self) {
        put_back_flags(&self.shared_flags);
    }
}

fn put_back_flags(shared_flags: &[(Arc<OwnedFd>, OFlags)]) {
    for (fd, flags) in shared_flags {
        let _ = rustix::fs::fcntl_setfl(&**fd, *flags);
    }
}

/// A new open file of the terminal behind `fd`, non-blocking, if it can be opened.
fn reopen(fd: BorrowedFd<'_>) -> Option<OwnedFd> {
    let name = rustix::termios::ttyname(fd, Vec::new()).ok()?;
    let flags = OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC | OFlags::NONBLOCK;
    let reopened = rustix::fs::open(name.as_c_str(), flags, rustix::fs::Mode::empty()).ok()?;
    rustix::termios::isatty(&reopened).then_some(reopened)
}

/// Everything needed to put the terminal back, held where the panic hook can reach it.
pub(crate) struct Restore {
    pub(crate) fd: Arc<OwnedFd>,
    pub(crate) termios: Termios,
    pub(crate) shared_flags: Vec<(Arc<OwnedFd>, OFlags)>,
}

/// How long the final restore may wait for room to write: a terminal that does not drain its
/// output must not keep a dying process alive.
const RESTORE_WAIT: Duration = Duration::from_millis(200);

impl Restore {
    /// Writes `leave` (with a short bounded wait), then the original terminal settings and file
    /// flags. Never blocks for long and never loops on an error: a vanished terminal answers
    /// EIO at once, which simply ends each step.
    pub(crate) fn run(self, leave: &[u8]) {
        self.give_back(leave);
    }

    /// [`Restore::run`] without giving up what it needs to take the terminal again (job
    /// control: the terminal goes back to the shell while we are stopped).
    pub(crate) fn give_back(&self, leave: &[u8]) {
        // From the background (`kill -STOP`, `bg`, then `kill %1`) the terminal is the shell's,
        // and the kernel would stop us inside `tcsetattr` as we end: leave it alone. A terminal
        // that cannot be asked is gone, and every step below fails at once.
        let group = rustix::process::getpgrp();
        if rustix::termios::tcgetpgrp(&*self.fd).is_ok_and(|foreground| foreground != group) {
            put_back_flags(&self.shared_flags);
            return;
        }
        let deadline = Instant::now() + RESTORE_WAIT;
        let _ = write_until(self.fd.as_fd(), leave, deadline);
        // Keys typed but not read (the rest of the key that ended the run, a key pressed
        // while leaving) were meant for us: they must not reach the program underneath.
        let _ = rustix::termios::tcflush(&*self.fd, rustix::termios::QueueSelector::IFlush);
        // TCSANOW: TCSADRAIN would wait for the output to drain, which may be never.
        let _ = rustix::termios::tcsetattr(&*self.fd, OptionalActions::Now, &self.termios);
        put_back_flags(&self.shared_flags);
    }

    /// Takes the terminal again after [`Restore::give_back`]: our flags on shared descriptors,
    /// raw mode (from the settings saved at the start, not from what the shell left), then
    /// `enter`. In a background process group the kernel stops us at `tcsetattr` (SIGTTOU)
    /// until we are in the foreground again, before anything is changed.
    ///
    /// # Errors
    /// When the terminal cannot be set up again (it is gone).
    pub(crate) fn take_again(&self, enter: &[u8]) -> io::Result<()> {
        for (fd, flags) in &self.shared_flags {
            rustix::fs::fcntl_setfl(&**fd, *flags | OFlags::NONBLOCK)?;
        }
        let mut raw = self.termios.clone();
        raw.make_raw();
        rustix::termios::tcsetattr(&*self.fd, OptionalActions::Now, &raw)?;
        write_until(self.fd.as_fd(), enter, Instant::now() + RESTORE_WAIT)
    }
}

/// Switches `fd`'s terminal to raw mode; returns the original settings.
///
/// # Errors
/// When the settings cannot be read or changed.
pub(crate) fn enable_raw(fd: BorrowedFd<'_>) -> io::Result<Termios> {
    let original = rustix::termios::tcgetattr(fd)?;
    let mut raw = original.clone();
    raw.make_raw();
    rustix::termios::tcsetattr(fd, OptionalActions::Now, &raw)?;
    Ok(original)
}

/// Writes all of `bytes` to the non-blocking `fd`, waiting for room until `deadline`.
///
/// # Errors
/// The write error, or `TimedOut` at the deadline.
pub(crate) fn write_until(fd: BorrowedFd<'_>, bytes: &[u8], deadline: Instant) -> io::Result<()> {
    let mut rest = bytes;
    while !rest.is_empty() {
        match rustix::io::write(fd, rest) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => rest = &rest[n..],
            Err(Errno::INTR) => {}
            Err(Errno::AGAIN) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(io::ErrorKind::TimedOut.into());
                }
                let mut fds = [PollFd::from_borrowed_fd(fd, PollFlags::OUT)];
                match poll(&mut fds, Some(&timespec(left))) {
                    Ok(_) | Err(Errno::INTR) => {}
                    Err(err) => return Err(err.into()),
                }
                if fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                    return Err(io::ErrorKind::BrokenPipe.into());
                }
            }
            Err(err) => return Err(err.into()),
        }
    }
    Ok(())
}

/// `duration` as a poll timeout (capped at a day; the callers never wait that long).
pub(crate) fn timespec(duration: Duration) -> Timespec {
    let capped = duration.min(Duration::from_secs(86_400));
    Timespec::try_from(capped).unwrap_or(Timespec { tv_sec: 86_400, tv_nsec: 0 })
}
