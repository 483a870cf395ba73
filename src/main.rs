//! The `fun` binary: parse the command line, dispatch to a tool, map its result to an exit code.
//!
//! Everything lives in the library (`src/lib.rs`) so the integration tests can drive it too.
//!
//! The C `main` is ours (`#![no_main]`), so Rust's runtime start-up does not run: to put a
//! guard under the main thread's stack it asks glibc where that stack is, and glibc answers by
//! reading and `sscanf`-parsing `/proc/self/maps`, a third of `fun --version`'s CPU time and
//! three of the C library's 64 KiB code windows kept resident by every run (issue 27). What
//! else it does is done elsewhere: the standard descriptors (`stdio::guard_closed`), SIGPIPE
//! ignored (`fun-stdio-probe`), a panic turned into exit code 101 and standard output flushed
//! at the end (`app::start`). What is given up: a stack overflow of the main thread ends in a
//! plain SIGSEGV instead of std's one-line message before the same abort, and a panic on it
//! names the thread `<unnamed>` instead of `main`.
// The test harness (`cargo test` builds this file as a test binary too) keeps its own main.
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
use std::ffi::{c_char, c_int};

/// The process's entry, called by the C library's start-up code; `std::env::args_os` works
/// without the runtime (glibc hands argv to std's own `.init_array` function).
#[cfg(not(test))]
#[expect(unsafe_code, reason = "the one unsafe item of the crate: the C entry point's name")]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    std::process::exit(fun::app::start())
}
