//! `fun pv` end to end, one module per area: the line against golden lines captured from
//! pv 1.10.5 (`display`), bytes intact under every copy path (`integrity`), exit codes and
//! messages (`errors`), signals in every state (`signals`), the 1.10 options (`options`),
//! `-R`/`-Q` (`remote`), `-d` (`watch`), `-M` (`monitor`), `-c` in a real terminal
//! (`terminal`), the users' wishes (`wishes`) and the hardening and feel-in-the-hand cases
//! of issues 20 and 24 (`hardening`).

mod bytes;
mod display;
mod errors;
mod hardening;
mod integrity;
mod monitor;
mod options;
mod remote;
mod signals;
mod terminal;
mod watch;
mod wishes;

pub use crate::util::{fixture, fun};

pub fn zeros(n: usize) -> Vec<u8> {
    vec![0; n]
}

pub fn pseudo_random(n: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// An update interval longer than any run: only the final line is drawn, so what a test sees
/// does not depend on how fast the machine is.
pub const ONE_UPDATE: [&str; 2] = ["-i", "600"];

/// Runs `fun pv ARGS FILE` on `data` in a file, expecting success and the same bytes out.
pub fn copies_intact(args: &[&str], data: &[u8]) {
    let file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(file.path(), data).expect("write");
    let out = fun().arg("pv").args(args).arg(file.path()).timeout(TIMEOUT).output().expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pv {args:?}: {:?} {err}", out.status);
    assert!(out.stdout == data, "pv {args:?} altered the data ({} bytes out)", out.stdout.len());
}

/// A hang detector only (2 busy cores): every case here ends in well under a second.
pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Waits (as a hang detector, not a timing check) until `done` holds.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

pub fn signal(child: &std::process::Child, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(child.id().cast_signed()).expect("pid");
    rustix::process::kill_process(pid, signal).expect("kill");
}

/// Waits for `child` to end by itself (hang detector) and returns its exit code.
pub fn exit_code(child: &mut std::process::Child) -> Option<i32> {
    let mut status = None;
    wait_until("pv to exit", || {
        status = child.try_wait().expect("wait");
        status.is_some()
    });
    status.and_then(|s| s.code())
}

/// `sh -c SCRIPT` feeding `fun pv ARGS`, returning its output (a hang detector bounds it).
pub fn piped(script: &str, args: &[&str]) -> std::process::Output {
    let pipeline = format!("{script} | \"$0\" pv \"$@\"");
    let out = assert_cmd::Command::new("sh")
        .arg("-c")
        .arg(pipeline)
        .arg(env!("CARGO_BIN_EXE_fun"))
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// `sh -c "(BEFORE; wait; AFTER) | PROGRAM ARGS"`, where the wait is on a FIFO the test opens
/// only once `ready` holds for what has been drawn so far: a stall that lasts until the test
/// has seen what it needs, whatever the machine's speed. Returns the output; success expected.
pub fn stalled(
    program: &str,
    (before, after): (&str, &str),
    args: &[&str],
    ready: impl Fn(&str) -> bool,
) -> std::process::Output {
    let dir = tempfile::tempdir().expect("tempdir");
    let (gate, out, err) =
        (dir.path().join("gate"), dir.path().join("out"), dir.path().join("err"));
    let made = std::process::Command::new("mkfifo").arg(&gate).status().expect("mkfifo");
    assert!(made.success());
    let script = format!(
        "gate=$1 out=$2 err=$3; shift 3; ({before}; read -r go < \"$gate\" || true; {after}) | {program} \"$@\" >\"$out\" 2>\"$err\""
    );
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("sh")
        .args([&gate, &out, &err])
        .args(args)
        .spawn()
        .expect("runs");
    let drawn = || String::from_utf8_lossy(&std::fs::read(&err).unwrap_or_default()).into_owned();
    wait_until("what the stall is for", || ready(&drawn()));
    drop(std::fs::OpenOptions::new().write(true).open(&gate).expect("open the gate"));
    let code = exit_code(&mut child);
    let output = std::process::Output {
        status: child.wait().expect("status"),
        stdout: std::fs::read(&out).expect("out"),
        stderr: std::fs::read(&err).expect("err"),
    };
    assert_eq!(code, Some(0), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    output
}
