//! Which of the standard descriptors (0, 1, 2) were closed when the process started.
//!
//! Rust's runtime opens `/dev/null` read-write on every closed standard descriptor before
//! `main` runs, so that no file opened later lands on those numbers. That is safe, but it also
//! hides the fact: `fun pv FILE >&-` would then write into `/dev/null` and exit 0, where `cat`
//! reports "Bad file descriptor". From inside `main` the runtime's `/dev/null` cannot be told
//! apart from one a parent passed on purpose (Python's `subprocess.DEVNULL`, Node's `'ignore'`
//! and daemon(3) open it read-write too), so the only exact answer is to look before the
//! runtime does: a function in `.init_array`, which the loader runs before the C `main` that
//! starts Rust's runtime.
//!
//! It also has [`ignore_sigpipe`]: `fun`'s C `main` skips Rust's runtime start-up (see
//! src/main.rs), which would have set SIGPIPE to ignored, so that a write to a closed pipe
//! fails with `EPIPE` (and is handled) instead of killing the process.
//!
//! This crate is separate so that the main crate keeps its `unsafe_code` lint; its unsafe is
//! the constructor's link section, one `fcntl(F_GETFD)` per descriptor, which only reads, and
//! one `signal(2)`.

use std::sync::atomic::{AtomicU8, Ordering};

/// Bit `fd` is set when descriptor `fd` was closed at start. Written once, before `main`.
static CLOSED_AT_START: AtomicU8 = AtomicU8::new(0);

/// Runs before Rust's runtime initialises (and before `main`): records the closed descriptors.
extern "C" fn probe() {
    let mut closed = 0u8;
    for fd in 0..3 {
        // SAFETY: F_GETFD only reads the descriptor flags of `fd`; an invalid descriptor gives
        // -1 with EBADF and changes nothing.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            closed |= 1 << fd;
        }
    }
    CLOSED_AT_START.store(closed, Ordering::Relaxed);
}

/// The loader calls every function pointer in `.init_array` before `main`.
#[used]
// SAFETY: the section holds plain `extern "C" fn()` pointers, which is what the loader expects;
// `probe` needs no initialised Rust runtime (no allocation, no std I/O, no panics).
#[unsafe(link_section = ".init_array")]
static PROBE: extern "C" fn() = probe;

/// Sets SIGPIPE to ignored, as Rust's runtime does before a Rust `main` (children started
/// with `std::process::Command` get the default back, as before).
pub fn ignore_sigpipe() {
    // SAFETY: SIG_IGN is a valid disposition for SIGPIPE and no handler code is involved.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
}

/// Whether standard descriptor `fd` (0, 1 or 2) was closed when the process started.
#[must_use]
pub fn was_closed_at_start(fd: u8) -> bool {
    fd < 3 && CLOSED_AT_START.load(Ordering::Relaxed) & (1 << fd) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_runner_starts_with_its_descriptors_open() {
        assert!(!was_closed_at_start(0) || !was_closed_at_start(1) || !was_closed_at_start(2));
        assert!(!was_closed_at_start(7));
    }
}
