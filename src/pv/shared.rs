//! Counters shared between the copy loop and the display thread: plain atomics, so the copy
//! loop pays no lock or syscall per chunk for being watched.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Ordering};

/// What the display reads while the copy runs.
#[derive(Debug, Default)]
pub struct Shared {
    /// Bytes written (or read, with `-X`).
    pub bytes: AtomicU64,
    /// What the display counts: bytes, or lines in line mode.
    pub amount: AtomicU64,
    /// Per input file, bytes moved (for `--per-file`).
    pub per_file: Vec<AtomicU64>,
    pub current_file: AtomicUsize,
    /// splice(2) is moving the data (shown as `{----}` by `-T`).
    pub splicing: AtomicBool,
    /// The reader of our output went away.
    pub output_closed: AtomicBool,
    /// pv's exit bits so far.
    pub status: AtomicU8,
    /// The last bytes written, for `%A`.
    pub last: Mutex<VecDeque<u8>>,
}

impl Shared {
    #[must_use]
    pub fn new(files: usize) -> Shared {
        Shared { per_file: (0..files).map(|_| AtomicU64::new(0)).collect(), ..Shared::default() }
    }

    /// Adds pv exit bits.
    pub fn fail(&self, bits: u8) {
        self.status.fetch_or(bits, Ordering::Relaxed);
    }

    /// pv's exit bits so far.
    #[must_use]
    pub fn status(&self) -> u8 {
        self.status.load(Ordering::Relaxed)
    }

    /// Records `bytes` moved from file `index`, counting `amount` for the display.
    pub fn add(&self, index: usize, bytes: u64, amount: u64) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.amount.fetch_add(amount, Ordering::Relaxed);
        if let Some(counter) = self.per_file.get(index) {
            counter.fetch_add(bytes, Ordering::Relaxed);
        }
    }

    /// Keeps the last `keep` bytes of what was written (time linear in the chunk).
    pub fn remember(&self, chunk: &[u8], keep: usize) {
        if let Ok(mut last) = self.last.lock() {
            last.extend(&chunk[chunk.len().saturating_sub(keep)..]);
            let excess = last.len().saturating_sub(keep);
            last.drain(..excess);
        }
    }
}
