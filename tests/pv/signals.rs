//! SIGINT, SIGTERM and SIGHUP end pv (exit 32) within moments in every state, and the pid
//! file goes with it.

use super::{exit_code, signal, wait_until};

#[test]
fn signals_end_pv_in_every_state_and_remove_the_pid_file() {
    use rustix::process::Signal;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("temp dir");
    let text = dir.path().join("text");
    std::fs::write(&text, "typed slowly\n").expect("write");
    let text = text.to_str().expect("utf-8 path");
    // Another fun pv, slow, for -Q to follow (its socket in a runtime directory of our own).
    let runtime = tempfile::tempdir().expect("temp dir");
    let mut other = Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-q", "-L", "1", text])
        .env("XDG_RUNTIME_DIR", runtime.path())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    let other_pid = other.id().to_string();
    // (what it is doing when the signal comes, arguments, stdin is an idle pipe)
    let states: [(&str, Vec<&str>, bool); 10] = [
        ("blocked writing to a full pipe", vec!["-q", "/dev/zero"], false),
        ("blocked reading an idle pipe", vec!["-q"], true),
        ("sleeping under -L", vec!["-q", "-L", "1", text], false),
        ("drawing, output pipe full", vec!["-f", "-i", "0.1", "/dev/zero"], false),
        // Its stderr is a full pipe too: the final line cannot be drawn, pv ends anyway.
        ("drawing to a full stderr", vec!["-f", "-w", "65535", "-i", "0.1", "/dev/zero"], false),
        ("storing (-U), input idle", vec!["-q", "-U", "-"], true),
        ("forwarding (-U) under -L", vec!["-q", "-U", "-", "-L", "1", text], false),
        ("monitoring a command (-M)", vec!["-q", "-M", "both", "--", "cat"], true),
        ("watching a process (-d)", vec!["-q", "-d", "1"], false),
        ("following another fun pv (-Q)", vec!["-f", "-i", "0.1", "-Q", &other_pid], false),
    ];
    let mut checked = 0;
    for (state, (name, args, idle_stdin)) in states.iter().enumerate() {
        for sig in [Signal::TERM, Signal::INT, Signal::HUP] {
            let pidfile = dir.path().join(format!("pid-{state}-{}", sig.as_raw()));
            let mut child = Command::new(env!("CARGO_BIN_EXE_fun"))
                .env("XDG_RUNTIME_DIR", runtime.path())
                .arg("pv")
                .arg("-P")
                .arg(&pidfile)
                .args(args)
                .stdin(if *idle_stdin { Stdio::piped() } else { Stdio::null() })
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn");
            wait_until("the pid file", || pidfile.exists());
            let written = std::fs::read_to_string(&pidfile).expect("pid file");
            assert_eq!(written, format!("{}\n", child.id()));
            // Give it a moment to get into the state; a signal before that must work too.
            std::thread::sleep(std::time::Duration::from_millis(300));
            signal(&child, sig);
            assert_eq!(exit_code(&mut child), Some(32), "{name}, {sig:?}");
            assert!(!pidfile.exists(), "{name}, {sig:?}: pid file left behind");
            checked += 1;
        }
    }
    assert_eq!(checked, 30);
    other.kill().expect("kill");
    other.wait().expect("reap");
}
