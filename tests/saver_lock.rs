//! `fun saver --lock`: its options, `install --lock`, and the lock on a real pseudo-terminal
//! (the escape keys, a pasted flood, a refused password, SIGTERM and a hang-up). The whole
//! PAM round trip with a test user, in tmux, is .ci/checks/lock.sh (it needs root).

use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustix::pty::OpenptFlags;

use crate::util::saver_in_home;

#[test]
fn lock_is_not_for_previews_and_the_service_name_is_bounded() {
    let home = tempfile::tempdir().expect("home");
    let (code, _, err) = saver_in_home(home.path(), &["--lock", "--headless", "clock"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--lock") && err.contains("--headless"), "{err}");
    for bad in ["../etc/shadow", "", "x y"] {
        let (code, _, err) = saver_in_home(home.path(), &["--lock", "--pam-service", bad, "clock"]);
        assert_eq!(code, 2, "{bad:?}: {err}");
    }
    let (code, out, _) = saver_in_home(home.path(), &["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--lock") && out.contains("--pam-service"), "{out}");
}

#[test]
fn without_a_terminal_the_lock_never_starts() {
    let home = tempfile::tempdir().expect("home");
    let (code, out, err) = saver_in_home(home.path(), &["--lock", "clock"]);
    assert_ne!(code, 0);
    assert!(out.is_empty(), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn install_lock_takes_the_place_of_vlock_and_uninstall_gives_it_back() {
    let home = tempfile::tempdir().expect("home");
    let rc = home.path().join(".tmux.conf");
    let original = "set -g mouse on\nset -g lock-command vlock\nset -g lock-after-time 900\n";
    std::fs::write(&rc, original).expect("rc");
    // Without --lock the user's lock is left alone.
    let (code, _, err) = saver_in_home(home.path(), &["install", "tmux", "--apply"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(std::fs::read_to_string(&rc).expect("rc"), original);
    let (code, _, err) =
        saver_in_home(home.path(), &["install", "tmux", "--lock", "--apply", "--after", "10m"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning") && err.contains("lock-command vlock"), "{err}");
    let text = std::fs::read_to_string(&rc).expect("rc");
    assert!(text.starts_with(original), "the user's lines are kept: {text}");
    let block = &text[original.len()..];
    assert!(block.contains("set -g lock-after-time 600\n"), "{block}");
    assert!(block.contains(" saver --lock matrix\"\n"), "{block}");
    assert!(block.contains("set -g lock-server on\n"), "{block}");
    let (code, _, err) = saver_in_home(home.path(), &["uninstall", "tmux"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&rc).expect("rc"), original);
}

#[test]
fn install_lock_prints_the_lock_for_the_shells_and_refuses_screen() {
    let home = tempfile::tempdir().expect("home");
    for env in ["zsh", "fish"] {
        let (code, out, err) = saver_in_home(home.path(), &["install", env, "--lock", "clock"]);
        assert_eq!(code, 0, "{env}: {err}");
        assert!(out.contains("saver --if-idle=300s --lock clock"), "{env}: {out}");
    }
    let (code, _, err) = saver_in_home(home.path(), &["install", "screen", "--lock"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("GNU screen") && err.contains("tmux"), "{err}");
}

/// A pseudo-terminal's master, and its slave for the child's standard descriptors.
fn pty(cols: u16, rows: u16) -> (OwnedFd, OwnedFd) {
    let flags = OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC;
    let master = rustix::pty::openpt(flags).expect("openpt");
    rustix::pty::grantpt(&master).expect("grantpt");
    rustix::pty::unlockpt(&master).expect("unlockpt");
    let name = rustix::pty::ptsname(&master, Vec::new()).expect("ptsname");
    let open = rustix::fs::OFlags::RDWR | rustix::fs::OFlags::NOCTTY;
    let slave = rustix::fs::open(name.as_c_str(), open, rustix::fs::Mode::empty()).expect("slave");
    let size = rustix::termios::Winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    rustix::termios::tcsetwinsize(&slave, size).expect("winsize");
    (master, slave)
}

/// `fun saver ARGS` on a fresh pty in a process group of its own (so a suspend would be
/// acted on); the pty's master.
fn spawn_bare(args: &[&str]) -> (Child, OwnedFd) {
    use std::os::unix::process::CommandExt;
    let (master, slave) = pty(60, 16);
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_fun"))
        .arg("saver")
        .args(args)
        .env_remove("FUN_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(Stdio::from(slave.try_clone().expect("dup")))
        .stdout(Stdio::from(slave.try_clone().expect("dup")))
        .stderr(Stdio::from(slave))
        .process_group(0)
        .spawn()
        .expect("spawn");
    (child, master)
}

/// [`spawn_bare`] with a thread collecting everything the saver writes.
fn spawn_on_pty(args: &[&str]) -> (Child, OwnedFd, Arc<Mutex<Vec<u8>>>) {
    let (child, master) = spawn_bare(args);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let reader = std::fs::File::from(master.try_clone().expect("dup"));
    let sink = Arc::clone(&seen);
    std::thread::spawn(move || {
        let mut reader = reader;
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = reader.read(&mut buf) {
            sink.lock().expect("sink").extend_from_slice(&buf[..n]);
        }
    });
    (child, master, seen)
}

/// The screen the output draws, once `wanted` is on it (or a panic after a minute: the
/// limit only keeps a broken run from hanging the suite).
fn wait_for_screen(seen: &Mutex<Vec<u8>>, wanted: &str) -> String {
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let nz = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero");
        let mut parser = vt100::Parser::new(nz(16), nz(60), 0);
        parser.process(&seen.lock().expect("seen"));
        let contents = parser.screen().contents();
        if contents.contains(wanted) {
            return contents;
        }
        assert!(Instant::now() < until, "{wanted:?} never showed:\n{contents}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until the saver has taken the terminal (the alternate screen).
fn wait_for_start(seen: &Mutex<Vec<u8>>) {
    let until = Instant::now() + Duration::from_secs(60);
    while !seen.lock().expect("seen").windows(8).any(|w| w == b"\x1b[?1049h") {
        assert!(Instant::now() < until, "the saver never started");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(Instant::now() < until, "the lock did not end");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn on_a_terminal_no_key_escapes_the_lock_and_sigterm_ends_it() {
    let (mut child, master, seen) = spawn_on_pty(&["--lock", "--pam-service", "other", "clock"]);
    let mut keys = std::fs::File::from(master.try_clone().expect("dup"));
    wait_for_start(&seen);
    // Ctrl+C, Ctrl+Z, Ctrl+\, Ctrl+S, Ctrl+Q, Ctrl+D, an arrow key, Esc, then a pasted flood.
    keys.write_all(b"\x03\x1a\x1c\x13\x11\x04\x1b[A\x1b").expect("keys");
    keys.write_all(&vec![b'z'; 64 * 1024]).expect("flood");
    // Then a wrong password: its refusal on the screen proves every key before it was read
    // and the process is still running (not ended, not stopped).
    keys.write_all(b"\x15not-the-password\r").expect("password");
    let screen = wait_for_screen(&seen, "wait");
    assert!(screen.contains("password: [        ]") || screen.contains("password: [********]"));
    assert!(!String::from_utf8_lossy(&seen.lock().expect("seen")).contains("not-the-password"));
    assert_eq!(child.try_wait().expect("wait"), None);
    rustix::process::kill_process(
        rustix::process::Pid::from_child(&child),
        rustix::process::Signal::TERM,
    )
    .expect("kill");
    let status = wait_exit(&mut child);
    assert_eq!(status.code(), Some(143));
    let out = seen.lock().expect("seen").clone();
    let tail = &out[out.len().saturating_sub(64)..];
    assert!(tail.windows(8).any(|w| w == b"\x1b[?1049l"), "the terminal was not restored");
}

/// Runs a lock on a pty and hangs up once the saver has written `marker`; its exit status.
fn hang_up_after(marker: &[u8]) -> Option<i32> {
    let (mut child, master) = spawn_bare(&["--lock", "--pam-service", "other", "clock"]);
    let mut out = std::fs::File::from(master);
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(marker.len()).any(|w| w == marker) {
        let n = out.read(&mut buf).expect("read");
        assert!(n > 0, "the saver never started");
        seen.extend_from_slice(&buf[..n]);
    }
    // The last descriptor of the master: the terminal hangs up.
    drop(out);
    wait_exit(&mut child).code()
}

#[test]
fn a_hangup_ends_the_lock() {
    // The first frame (its clear) means the frame loop runs: the hang-up comes while locked.
    assert_eq!(hang_up_after(b"\x1b[2J"), Some(129));
    // At once after the terminal is taken (before or during the first frame): the same.
    assert_eq!(hang_up_after(b"\x1b[?1049h"), Some(129));
}
