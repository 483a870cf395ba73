//! Standard descriptors that are closed, or `/dev/null` opened read-write as Python's
//! `subprocess.DEVNULL` and Node's `'ignore'` pass it: a closed stdout is an error for every
//! tool that writes there (nothing is silently lost), `/dev/null` passed on purpose is not.

use std::process::Stdio;

/// Runs `fun ARGS` under `sh` with `redirect` applied (e.g. `>&-`), returning the output.
fn run_redirected(args: &str, redirect: &str) -> std::process::Output {
    let fun = env!("CARGO_BIN_EXE_fun");
    let file = crate::util::fixture("calendar/calendar.basics");
    let script =
        format!("exec {fun} {} {redirect}", args.replace("FILE", &file.display().to_string()));
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.arg("-c").arg(script).timeout(super::TIME_LIMIT);
    cmd.output().expect("sh runs")
}

/// `/dev/null` opened for reading and writing, as Python's `subprocess.DEVNULL` opens it.
fn devnull_read_write() -> std::fs::File {
    std::fs::OpenOptions::new().read(true).write(true).open("/dev/null").expect("/dev/null")
}

const TOOLS: [(&str, i32); 3] =
    [("pv -q FILE", 16), ("type --cps 100000 FILE", 1), ("calendar -f lotr -t 20260101 -A 365", 1)];

#[test]
fn a_closed_stdout_is_an_error_for_every_tool() {
    for (args, code) in TOOLS {
        let out = run_redirected(args, ">&-");
        super::assert_calm_failure(&out, code, "Bad file descriptor");
    }
}

#[test]
fn a_closed_stdout_is_an_error_for_every_printing_command() {
    let printing = [
        "saver --list",
        "saver config --example",
        "saver matrix --headless --frames 2",
        "saver matrix --headless --stream --frames 2",
        "man pv",
        "completions bash",
    ];
    for args in printing {
        let out = run_redirected(args, ">&-");
        super::assert_calm_failure(&out, 1, "Bad file descriptor");
    }
}

#[test]
fn a_closed_stdin_is_an_error_when_it_is_read() {
    let out = run_redirected("pv -q", "<&-");
    super::assert_no_crash(&out);
    assert_ne!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn dev_null_passed_on_purpose_is_used_quietly() {
    for (args, _) in TOOLS {
        let file = crate::util::fixture("calendar/calendar.basics");
        let args: Vec<String> = args
            .split(' ')
            .map(|a| if a == "FILE" { file.display().to_string() } else { a.into() })
            .collect();
        // std's Command (assert_cmd cannot take a descriptor), with `timeout` as the hang guard.
        let out = std::process::Command::new("timeout")
            .arg(super::TIME_LIMIT.as_secs().to_string())
            .arg(env!("CARGO_BIN_EXE_fun"))
            .args(&args)
            .stdin(Stdio::from(devnull_read_write()))
            .stdout(Stdio::from(devnull_read_write()))
            .output()
            .expect("runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}
