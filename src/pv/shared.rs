//! Counters shared between the copy loop and the display thread: plain atomics, so the copy
//! loop pays no lock or syscall per chunk for being watched.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Ordering};

use super::exit::ExitStatus;

/// What the display reads while the copy runs.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// Bytes written (or read, with `-X`).
    pub(crate) bytes: AtomicU64,
    /// What the display counts: bytes, or lines in line mode.
    pub(crate) amount: AtomicU64,
    /// Per input file, bytes moved (for `--per-file`).
    pub(crate) per_file: Vec<AtomicU64>,
    pub(crate) current_file: AtomicUsize,
    /// splice(2) is moving the data (shown as `{----}` by `-T`).
    pub(crate) splicing: AtomicBool,
    /// pv's exit bits so far.
    pub(crate) status: AtomicU8,
    /// The last bytes written, for `%A`.
    pub(crate) last: Mutex<VecDeque<u8>>,
}

impl Shared {
    #[must_use]
    pub(crate) fn new(files: usize) -> Shared {
        Shared { per_file: (0..files).map(|_| AtomicU64::new(0)).collect(), ..Shared::default() }
    }

    /// Adds pv exit bits.
    pub(crate) fn fail(&self, bits: ExitStatus) {
        self.status.fetch_or(bits.bits(), Ordering::Relaxed);
    }

    /// pv's exit bits so far.
    pub(crate) fn status(&self) -> ExitStatus {
        ExitStatus::from_bits_truncate(self.status.load(Ordering::Relaxed))
    }

    /// Records `bytes` moved from file `index`, counting `amount` for the display.
    pub(crate) fn add(&self, index: usize, bytes: u64, amount: u64) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.amount.fetch_add(amount, Ordering::Relaxed);
        if let Some(counter) = self.per_file.get(index) {
            counter.fetch_add(bytes, Ordering::Relaxed);
        }
    }

    /// Keeps the last `keep` bytes of what was written (time linear in the chunk).
    pub(crate) fn remember(&self, chunk: &[u8], keep: usize) {
        if let Ok(mut last) = self.last.lock() {
            last.extend(&chunk[chunk.len().saturating_sub(keep)..]);
            let excess = last.len().saturating_sub(keep);
            last.drain(..excess);
        }
    }
}
