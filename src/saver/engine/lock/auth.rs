//! The password and its check: a buffer that is wiped when dropped, and a worker thread that
//! asks the authenticator (PAM, in the product; a fake in tests) while the frame loop goes on
//! drawing and reading keys and signals. The worker only reports its verdict over a channel;
//! the main thread decides what happens (only `main` exits).

use std::fmt;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use zeroize::Zeroizing;

/// The longest password kept, in bytes; keys beyond it are dropped (a pasted flood).
pub(crate) const MAX_PASSWORD: usize = 512;

/// A typed password: allocated once at its full size (so it is never moved by a reallocation,
/// leaving a copy behind) and wiped, capacity included, when dropped. Never printed.
pub(crate) struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    pub(crate) fn new() -> Secret {
        Secret(Zeroizing::new(Vec::with_capacity(MAX_PASSWORD)))
    }

    /// Adds a byte; `false` (and nothing added) when the buffer is full.
    pub(crate) fn push(&mut self, byte: u8) -> bool {
        if self.0.len() >= MAX_PASSWORD {
            return false;
        }
        self.0.push(byte);
        true
    }

    /// Removes the last character (all the bytes of a UTF-8 one).
    pub(crate) fn pop_char(&mut self) {
        while let Some(byte) = self.0.pop() {
            // A continuation byte (10xxxxxx) is part of the character before it.
            if byte & 0xC0 != 0x80 {
                break;
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// What an authenticator says about a password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Accepted,
    /// Refused, with a short reason to show (never the password).
    Refused(String),
}

/// Checks a password for the user who locked (PAM in the product). Runs on the worker thread;
/// it may take seconds (PAM's own delay after a failure).
pub(crate) trait Authenticator: Send + Sync {
    fn check(&self, password: &[u8]) -> Verdict;
}

/// Runs one check at a time on a worker thread.
pub(crate) struct Checker {
    auth: Arc<dyn Authenticator>,
    pending: Option<Receiver<Verdict>>,
}

impl Checker {
    pub(crate) fn new(auth: Arc<dyn Authenticator>) -> Checker {
        Checker { auth, pending: None }
    }

    /// Starts checking `secret` (wiped by the worker when the check is done).
    pub(crate) fn start(&mut self, secret: Secret) {
        let (tx, rx) = mpsc::channel();
        let auth = Arc::clone(&self.auth);
        let worker = std::thread::Builder::new().name("lock-check".into()).spawn(move || {
            // A panic here refuses this attempt; the lock (and the terminal's lock mode) stays.
            crate::term::keep_terminal_on_panic();
            let verdict = auth.check(secret.bytes());
            drop(secret);
            let _ = tx.send(verdict);
        });
        // No thread: the sender went with the closure, which `poll` reports as a refusal.
        drop(worker);
        self.pending = Some(rx);
    }

    /// Whether a check is running.
    pub(crate) fn busy(&self) -> bool {
        self.pending.is_some()
    }

    /// The verdict, once the worker has one. A worker that died (or could not start) refuses.
    pub(crate) fn poll(&mut self) -> Option<Verdict> {
        let rx = self.pending.as_ref()?;
        let verdict = match rx.try_recv() {
            Ok(verdict) => verdict,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Verdict::Refused("the check failed".into()),
        };
        self.pending = None;
        Some(verdict)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_buffer_is_bounded_and_never_printed() {
        let mut secret = Secret::new();
        for _ in 0..MAX_PASSWORD {
            assert!(secret.push(b'x'));
        }
        assert!(!secret.push(b'y'));
        assert_eq!(secret.bytes().len(), MAX_PASSWORD);
        assert_eq!(format!("{secret:?}"), "Secret(..)");
    }

    #[test]
    fn backspace_removes_a_whole_character() {
        let mut secret = Secret::new();
        for &b in "aé".as_bytes() {
            secret.push(b);
        }
        secret.pop_char();
        assert_eq!(secret.bytes(), b"a");
        secret.pop_char();
        secret.pop_char();
        assert!(secret.is_empty());
    }

    struct Only(&'static [u8]);
    impl Authenticator for Only {
        fn check(&self, password: &[u8]) -> Verdict {
            if password == self.0 { Verdict::Accepted } else { Verdict::Refused("no".into()) }
        }
    }

    fn wait(checker: &mut Checker) -> Verdict {
        loop {
            if let Some(verdict) = checker.poll() {
                return verdict;
            }
            std::thread::yield_now();
        }
    }

    #[test]
    fn the_worker_reports_its_verdict() {
        let mut checker = Checker::new(Arc::new(Only(b"right")));
        let mut secret = Secret::new();
        assert!(b"right".iter().all(|&b| secret.push(b)));
        checker.start(secret);
        assert!(checker.busy());
        assert_eq!(wait(&mut checker), Verdict::Accepted);
        assert!(!checker.busy());
        checker.start(Secret::new());
        assert_eq!(wait(&mut checker), Verdict::Refused("no".into()));
    }

    #[test]
    fn a_worker_that_dies_refuses() {
        struct Panics;
        impl Authenticator for Panics {
            fn check(&self, _: &[u8]) -> Verdict {
                panic!("broken module")
            }
        }
        let mut checker = Checker::new(Arc::new(Panics));
        checker.start(Secret::new());
        assert_eq!(wait(&mut checker), Verdict::Refused("the check failed".into()));
    }
}
