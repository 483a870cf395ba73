//! Counters shared between the copy loop, the display thread and the `-Q`/`-R` server: plain
//! atomics, so the copy loop pays no lock or syscall per chunk for being watched (the last
//! bytes and last line for `%A`/`%L` are kept only when the layout shows them).

use std::collections::VecDeque;
use std::os::fd::OwnedFd;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Ordering};

use super::exit::ExitStatus;
use super::format::KEPT_BYTES;

/// No size known (in [`Shared::size`]).
const UNKNOWN: u64 = u64::MAX;

/// What the display reads while the copy runs.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Bytes written (or read, with `-X`).
    pub(crate) bytes: AtomicU64,
    /// What the display counts: bytes, or lines in line mode.
    pub(crate) amount: AtomicU64,
    /// Counting lines (the amount is lines, the pipe correction does not apply).
    pub(crate) line_mode: bool,
    /// Per input file, bytes moved (for `--per-file`).
    pub(crate) per_file: Vec<AtomicU64>,
    pub(crate) current_file: AtomicUsize,
    /// splice(2) is moving the data (shown as `{----}` by `-T`).
    pub(crate) splicing: AtomicBool,
    /// Bytes read into the buffer and not yet written (`-T`).
    pub(crate) buffered: AtomicUsize,
    /// The buffer's size (0: no buffer in use).
    pub(crate) buffer_size: AtomicUsize,
    /// pv's exit bits so far.
    pub(crate) status: AtomicU8,
    /// The rate limit in units per second (0: none); `-R` changes it while the copy runs.
    pub(crate) rate_limit: AtomicU64,
    /// How many of the last bytes to keep for `%A` and `%L` (0: none).
    pub(crate) keep_last: AtomicUsize,
    /// The last bytes written, for `%A` and `%L`.
    last: Mutex<VecDeque<u8>>,
    /// The output, when it is a pipe: what its reader has not taken yet is not progress.
    pub(crate) output_pipe: Option<OwnedFd>,
    /// Seconds elapsed, as the display last saw them (for `-Q`), in microseconds.
    elapsed_micros: AtomicU64,
    /// The total size the display uses (for `-Q`).
    size: AtomicU64,
}

impl Shared {
    #[must_use]
    pub(crate) fn new(files: usize, line_mode: bool) -> Shared {
        Shared {
            bytes: AtomicU64::new(0),
            amount: AtomicU64::new(0),
            line_mode,
            per_file: (0..files).map(|_| AtomicU64::new(0)).collect(),
            current_file: AtomicUsize::new(0),
            splicing: AtomicBool::new(false),
            buffered: AtomicUsize::new(0),
            buffer_size: AtomicUsize::new(0),
            status: AtomicU8::new(0),
            rate_limit: AtomicU64::new(0),
            keep_last: AtomicUsize::new(0),
            last: Mutex::new(VecDeque::new()),
            output_pipe: None,
            elapsed_micros: AtomicU64::new(0),
            size: AtomicU64::new(UNKNOWN),
        }
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

    /// Keeps the tail of what was written when the layout shows it (time linear in the
    /// chunk, memory bounded by [`KEPT_BYTES`]).
    pub(crate) fn remember(&self, chunk: &[u8]) {
        let keep = self.keep_last.load(Ordering::Relaxed).min(KEPT_BYTES);
        if keep == 0 {
            return;
        }
        if let Ok(mut last) = self.last.lock() {
            last.extend(&chunk[chunk.len().saturating_sub(keep)..]);
            let excess = last.len().saturating_sub(keep);
            last.drain(..excess);
        }
    }

    /// The last bytes written.
    pub(crate) fn last_written(&self) -> Vec<u8> {
        self.last.lock().map(|l| l.iter().copied().collect()).unwrap_or_default()
    }

    /// The last complete line written (without its newline).
    pub(crate) fn previous_line(&self) -> Vec<u8> {
        let Ok(last) = self.last.lock() else { return Vec::new() };
        let bytes: Vec<u8> = last.iter().copied().collect();
        let Some(end) = bytes.iter().rposition(|&b| b == b'\n') else { return Vec::new() };
        let start = bytes[..end].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        bytes[start..end].to_vec()
    }

    /// The amount to show: with a pipe as the output, less what its reader has not taken yet
    /// (pv 1.10), so the line follows the reader rather than the pipe's buffer.
    pub(crate) fn shown_amount(&self) -> u64 {
        let amount = self.amount.load(Ordering::Relaxed);
        if self.line_mode {
            return amount;
        }
        let waiting = self.unconsumed();
        amount.saturating_sub(waiting)
    }

    /// Bytes sitting in the output pipe (0 when the output is not a pipe).
    pub(crate) fn unconsumed(&self) -> u64 {
        self.output_pipe.as_ref().and_then(|fd| rustix::io::ioctl_fionread(fd).ok()).unwrap_or(0)
    }

    /// Records what the display shows, for `-Q`.
    pub(crate) fn publish(&self, elapsed: f64, size: Option<u64>) {
        self.elapsed_micros.store((elapsed * 1e6) as u64, Ordering::Relaxed);
        self.size.store(size.unwrap_or(UNKNOWN), Ordering::Relaxed);
    }

    /// What `-Q` reports: (elapsed seconds, amount, size).
    pub(crate) fn published(&self) -> (f64, u64, Option<u64>) {
        let size = self.size.load(Ordering::Relaxed);
        (
            self.elapsed_micros.load(Ordering::Relaxed) as f64 / 1e6,
            self.shown_amount(),
            (size != UNKNOWN).then_some(size),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_and_the_last_line() {
        let shared = Shared::new(1, false);
        shared.remember(b"ignored");
        assert!(shared.last_written().is_empty(), "nothing kept unless asked");
        shared.keep_last.store(12, Ordering::Relaxed);
        shared.remember(b"first\nsecond\nthi");
        assert_eq!(shared.last_written(), b"t\nsecond\nthi");
        assert_eq!(shared.previous_line(), b"second");
        shared.remember(b"rd\n");
        assert_eq!(shared.previous_line(), b"third");
    }
}
