//! SIGINT, SIGTERM and SIGHUP end pv (exit 32) within moments in every state, and the pid
//! file goes with it.

use super::{exit_code, signal, wait_until};

#[test]
fn signals_end_pv_in_every_state_and_remove_the_pid_file() {
    use rustix::process::Signal;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("temp dir");
    // At 1 byte/s this is about 18 hours of forwarding: no case can end by itself.
    let long = dir.path().join("long");
    std::fs::write(&long, vec![b'x'; 64 * 1024]).expect("write");
    let long = long.to_str().expect("utf-8 path");
    // Another fun pv for -Q to follow (its socket in a runtime directory of our own). Its
    // input is a pipe we hold open until the end, so it cannot finish while the cases run,
    // however slow the machine is.
    let runtime = tempfile::tempdir().expect("temp dir");
    let private = std::os::unix::fs::PermissionsExt::from_mode(0o700);
    std::fs::set_permissions(runtime.path(), private).expect("chmod");
    let mut other = Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-q", "-L", "1", "-"])
        .env("XDG_RUNTIME_DIR", runtime.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut other_input = other.stdin.take().expect("stdin");
    std::io::Write::write_all(&mut other_input, b"typed slowly\n").expect("write");
    let other_pid = other.id().to_string();
    let other_socket = runtime.path().join("fun-pv").join(format!("{other_pid}.sock"));
    wait_until("the followed pv's socket", || other_socket.exists());
    // (what it is doing when the signal comes, arguments, stdin is an idle pipe)
    let states: [(&str, Vec<&str>, bool); 10] = [
        ("blocked writing to a full pipe", vec!["-q", "/dev/zero"], false),
        ("blocked reading an idle pipe", vec!["-q"], true),
        ("sleeping under -L", vec!["-q", "-L", "1", "/dev/zero"], false),
        ("drawing, output pipe full", vec!["-f", "-i", "0.1", "/dev/zero"], false),
        // Its stderr is a full pipe too: the final line cannot be drawn, pv ends anyway.
        ("drawing to a full stderr", vec!["-f", "-w", "65535", "-i", "0.1", "/dev/zero"], false),
        ("storing (-U), input idle", vec!["-q", "-U", "-"], true),
        ("forwarding (-U) under -L", vec!["-q", "-U", "-", "-L", "1", long], false),
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
            // Give it a moment to get into the state. The verdict does not hang on this pause:
            // no case ends by itself, and a signal before the state must work too.
            std::thread::sleep(std::time::Duration::from_millis(300));
            signal(&child, sig);
            assert_eq!(exit_code(&mut child), Some(32), "{name}, {sig:?}");
            assert!(!pidfile.exists(), "{name}, {sig:?}: pid file left behind");
            checked += 1;
        }
    }
    assert_eq!(checked, 30);
    assert!(other.try_wait().expect("wait").is_none(), "the followed pv ended by itself");
    drop(other_input);
    other.kill().expect("kill");
    other.wait().expect("reap");
}
