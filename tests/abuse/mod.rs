//! The abuse suite: every subcommand of the built binary against hostile inputs, under hard
//! limits (1 GiB of address space, and a 60 s hang detector), asserting no panic, no abort, no hang, the documented
//! exit code and a one-line error naming the culprit. One module per tool; the cases and what
//! they prove are listed in docs/maintainers/robustness.md.

// Until every tool module has its cases.
#![allow(dead_code)]

mod calendar;
mod escapes;
mod files;
#[cfg(feature = "net")]
mod net;
mod pv;
mod saver;
mod screens;
mod script;
mod stdio;
mod typist;

use std::process::Output;
use std::time::Duration;

/// Address-space limit for every run: far above what any case needs, far below "until the
/// allocator fails".
pub const MEMORY_LIMIT: &str = "--as=1073741824";
/// Wall-clock limit: a case still running after this is a hang. It detects hangs only, it does
/// not time anything: every case ends in well under a second on an idle core, but CI runs them
/// side by side on 2 busy cores (and a hang is an endless wait, never a slow minute).
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// `fun ARGS...` run under `prlimit` with the memory limit and the time limit.
pub fn limited(args: &[&str]) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new("prlimit");
    cmd.arg(MEMORY_LIMIT).arg("--").arg(env!("CARGO_BIN_EXE_fun")).args(args);
    cmd.timeout(TIME_LIMIT);
    cmd
}

/// Checks what every hostile run must show: it ended by itself (no timeout), no panic or
/// abort, and (when it failed) exactly one line on stderr that contains `names`.
pub fn assert_calm_failure(out: &Output, code: i32, names: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "exit status; stderr: {stderr}");
    assert_no_crash(out);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr, got: {stderr}");
    assert!(lines[0].contains(names), "stderr should name {names:?}: {stderr}");
}

/// No panic, no abort, no signal death.
pub fn assert_no_crash(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().is_some(), "killed by a signal (timeout or abort): {stderr}");
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("memory allocation"), "allocation failure: {stderr}");
}
