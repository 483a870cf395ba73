//! Who ends `fun pv`: only the main thread. The copy runs on a thread of its own and the
//! display on another (when it has anything to do between messages); both report to the main
//! thread over one channel, a socket pair carrying a byte per event, and so do SIGINT, SIGTERM
//! and SIGHUP, whose handlers write their byte into it (no thread waits for signals). So a
//! signal ends pv within moments whatever the copy is doing (blocked writing to a full pipe,
//! reading an idle one, sleeping under `-L`): the main thread has the final line drawn
//! (waiting at most [`FINAL_DRAW`] for it), cleans up (the `-P` file) and returns, and the
//! process ends with the copy thread still blocked. While it waits, the main thread also
//! accepts the `-R`/`-Q` peers ([`Receiver::serve`]), so a quiet `fun pv -qL 8` runs two
//! threads, the main one asleep (issue 27).

use std::cell::RefCell;
use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{RecvError, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::exit::PvError;

/// What the main thread waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// SIGINT, SIGTERM or SIGHUP arrived.
    Stop,
    /// The copy is over (its exit bits are in the shared counters).
    Finished,
    /// The display drew its final line.
    Drawn,
    /// `-M`: the input side's copy is over.
    InputDone,
    /// `-M`: the command exited.
    Exited,
}

impl Event {
    /// The byte that carries the event. [`Event::Stop`]'s is the one signal-hook's handler
    /// writes.
    fn byte(self) -> u8 {
        match self {
            Event::Stop => b'X',
            Event::Finished => b'F',
            Event::Drawn => b'D',
            Event::InputDone => b'I',
            Event::Exited => b'E',
        }
    }

    fn from_byte(byte: u8) -> Option<Event> {
        [Event::Stop, Event::Finished, Event::Drawn, Event::InputDone, Event::Exited]
            .into_iter()
            .find(|event| event.byte() == byte)
    }
}

/// The sending side of the channel: one byte per event into a socket, which a signal handler
/// may write to as well (an mpsc channel could not be fed by a handler without a thread
/// waiting for the signals).
pub(crate) struct Sender(Arc<UnixStream>);

impl Clone for Sender {
    fn clone(&self) -> Self {
        Sender(Arc::clone(&self.0))
    }
}

impl Sender {
    /// Sends `event` (a one-byte write: whole, whatever the other writers do).
    ///
    /// # Errors
    /// When the main thread is gone.
    pub(crate) fn send(&self, event: Event) -> std::io::Result<()> {
        (&*self.0).write_all(&[event.byte()])
    }
}

/// The main thread's side of the channel, and the listening socket it answers while it
/// waits (the `-R`/`-Q` server: no thread of its own just to wait for peers).
pub(crate) struct Receiver {
    socket: UnixStream,
    listening: RefCell<Option<Listening>>,
}

/// A listening socket and what to do with each peer.
struct Listening {
    listener: UnixListener,
    answer: Box<dyn FnMut(UnixStream)>,
    /// After a failed accept (out of descriptors), the listener rests until then rather than
    /// wake the main thread again at once.
    rest_until: Option<Instant>,
}

/// How long the listener rests after a failed accept.
const ACCEPT_REST: Duration = Duration::from_millis(50);

fn channel() -> std::io::Result<(Sender, Receiver)> {
    let (write, read) = UnixStream::pair()?;
    Ok((Sender(Arc::new(write)), Receiver { socket: read, listening: RefCell::new(None) }))
}

impl Receiver {
    /// The next event, waiting as long as it takes.
    pub(crate) fn recv(&self) -> Result<Event, RecvError> {
        self.next(None).map_err(|_| RecvError)
    }

    /// The next event, waiting at most `timeout`.
    pub(crate) fn recv_timeout(&self, timeout: Duration) -> Result<Event, RecvTimeoutError> {
        self.next(Some(Instant::now() + timeout))
    }

    /// From now on, whenever the main thread waits for an event, peers connecting to
    /// `listener` are accepted and handed to `answer` (which must not block).
    ///
    /// # Errors
    /// When the listener cannot be made non-blocking.
    pub(crate) fn serve(
        &self,
        listener: UnixListener,
        answer: Box<dyn FnMut(UnixStream)>,
    ) -> std::io::Result<()> {
        // A peer gone between poll and accept must not block the main thread.
        listener.set_nonblocking(true)?;
        *self.listening.borrow_mut() = Some(Listening { listener, answer, rest_until: None });
        Ok(())
    }

    fn next(&self, until: Option<Instant>) -> Result<Event, RecvTimeoutError> {
        loop {
            self.wait(until)?;
            let mut byte = [0_u8];
            match (&self.socket).read(&mut byte) {
                Ok(0) => return Err(RecvTimeoutError::Disconnected),
                // A byte we did not write can only be a signal handler's (signal-hook writes
                // b"X" today; should that change, a signal must still stop pv).
                Ok(_) => return Ok(Event::from_byte(byte[0]).unwrap_or(Event::Stop)),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Err(RecvTimeoutError::Disconnected),
            }
        }
    }

    /// Waits until an event can be read (or `until`), answering peers meanwhile.
    fn wait(&self, until: Option<Instant>) -> Result<(), RecvTimeoutError> {
        use rustix::event::{PollFd, PollFlags, poll};
        loop {
            let now = Instant::now();
            let mut listening = self.listening.borrow_mut();
            let awake = listening.as_mut().is_some_and(|l| l.awake(now));
            let resting = listening.as_ref().and_then(|l| l.rest_until);
            let listener = listening.as_mut().filter(|_| awake);
            let timeout = [until, resting].into_iter().flatten().min().map(|at| {
                let left = at.saturating_duration_since(now);
                rustix::event::Timespec::try_from(left)
                    .unwrap_or(rustix::event::Timespec { tv_sec: 1, tv_nsec: 0 })
            });
            let mut fds = vec![PollFd::new(&self.socket, PollFlags::IN)];
            if let Some(l) = &listener {
                fds.push(PollFd::new(&l.listener, PollFlags::IN));
            }
            let polled = poll(&mut fds, timeout.as_ref());
            let event = !fds[0].revents().is_empty();
            let peer = fds.get(1).is_some_and(|fd| !fd.revents().is_empty());
            drop(fds);
            match polled {
                Ok(_) if event => return Ok(()),
                Ok(_) if peer => listener.into_iter().for_each(Listening::accept_one),
                Ok(_) | Err(rustix::io::Errno::INTR) => {
                    if until.is_some_and(|until| Instant::now() >= until) {
                        return Err(RecvTimeoutError::Timeout);
                    }
                }
                Err(_) => return Err(RecvTimeoutError::Disconnected),
            }
        }
    }
}

impl Listening {
    /// Whether the listener is not resting (after a failed accept) at `now`.
    fn awake(&mut self, now: Instant) -> bool {
        self.rest_until = self.rest_until.filter(|&t| t > now);
        self.rest_until.is_none()
    }

    /// Accepts one peer and hands it over; after a failure the listener rests a moment.
    fn accept_one(&mut self) {
        match self.listener.accept() {
            Ok((stream, _)) => {
                // The peer's socket blocks (with timeouts) like any other.
                if stream.set_nonblocking(false).is_ok() {
                    (self.answer)(stream);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => self.rest_until = Some(Instant::now() + ACCEPT_REST),
        }
    }
}

/// How long a signalled pv waits for the final line (stderr may be a pipe nobody reads).
pub(crate) const FINAL_DRAW: Duration = Duration::from_millis(500);

/// Flags the display thread reads.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flags {
    /// SIGWINCH: read the terminal width again.
    pub(crate) resized: Arc<AtomicBool>,
    /// SIGCONT: the time just spent stopped is not transfer time.
    pub(crate) resumed: Arc<AtomicBool>,
}

/// The channel every thread reports on, with the signals feeding it.
pub(crate) struct Control {
    pub(crate) events: Receiver,
    pub(crate) sender: Sender,
    pub(crate) flags: Flags,
}

impl Control {
    /// Registers the signals. Call before anything that a signal must be able to undo (the
    /// `-P` file): from then on SIGINT/SIGTERM/SIGHUP only send [`Event::Stop`].
    ///
    /// # Errors
    /// When the signal handlers cannot be installed.
    pub(crate) fn install() -> std::io::Result<Control> {
        use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGWINCH};
        let (sender, events) = channel()?;
        // The handler writes its byte straight into the channel: no thread waits for signals.
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            signal_hook::low_level::pipe::register(signal, sender.0.try_clone()?)?;
        }
        let flags = Flags::default();
        signal_hook::flag::register(SIGWINCH, Arc::clone(&flags.resized))?;
        signal_hook::flag::register(SIGCONT, Arc::clone(&flags.resumed))?;
        Ok(Control { events, sender, flags })
    }

    /// Waits for the copy to finish or a signal. Returns whether a signal came.
    pub(crate) fn wait_for_copy(&self) -> bool {
        loop {
            match self.events.recv() {
                Ok(Event::Stop) => return true,
                Ok(Event::Finished) | Err(_) => return false,
                Ok(Event::Drawn | Event::InputDone | Event::Exited) => {}
            }
        }
    }

    /// Waits for the display's final line: until it is drawn, or, once a signal came (before
    /// or now), at most [`FINAL_DRAW`]. Returns whether a signal came while waiting.
    pub(crate) fn wait_for_final_line(&self, signalled: bool) -> bool {
        let mut deadline = signalled.then(|| Instant::now() + FINAL_DRAW);
        let mut stopped = false;
        loop {
            let event = match deadline {
                None => self.events.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(at) => self.events.recv_timeout(at.saturating_duration_since(Instant::now())),
            };
            match event {
                Ok(Event::Drawn) | Err(_) => return stopped,
                Ok(Event::Stop) => {
                    stopped = true;
                    deadline.get_or_insert_with(|| Instant::now() + FINAL_DRAW);
                }
                Ok(Event::Finished | Event::InputDone | Event::Exited) => {}
            }
        }
    }

    /// Sleeps for `interval` unless a signal comes first. Returns whether one came.
    pub(crate) fn sleep(&self, interval: Duration) -> bool {
        let until = Instant::now() + interval;
        loop {
            match self.events.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(Event::Stop) => return true,
                Err(RecvTimeoutError::Timeout) => return false,
                Ok(_) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(until.saturating_duration_since(Instant::now()));
                    return false;
                }
            }
        }
    }
}

/// The `-P` file: the process ID and a newline, removed when this is dropped (on every way out
/// of `run`, a signal included).
pub(crate) struct PidFile(std::path::PathBuf);

impl PidFile {
    /// Writes the file.
    ///
    /// # Errors
    /// [`PvError::PidFile`] when the file cannot be written.
    pub(crate) fn create(path: &str) -> Result<PidFile, PvError> {
        // Written to a new temporary file and renamed (the one writer for the user's files), as
        // pv 1.8 does: whoever waits for the file never sees it empty or half written.
        let id = std::process::id();
        // A link at the path is replaced, as pv's rename replaces it.
        let options = crate::files::write::Options::REPLACE;
        let bytes = format!("{id}\n");
        if let Err(err) = crate::files::write::write_file(path.as_ref(), bytes.as_bytes(), options)
        {
            let source = match err {
                crate::files::write::WriteError::Io { source, .. }
                | crate::files::write::WriteError::Folder { source, .. } => source,
                // A refusal (a folder at the path): its reason without the path, shown once.
                other => {
                    let text = other.to_string();
                    let shown = crate::files::display_path(path.as_ref());
                    let why = text.strip_prefix(&format!("{shown}: ")).unwrap_or(&text);
                    std::io::Error::other(why.to_owned())
                }
            };
            return Err(PvError::PidFile { path: path.to_owned(), source });
        }
        Ok(PidFile(path.into()))
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
