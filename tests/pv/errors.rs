//! Exit codes and one-line messages.

use predicates::prelude::*;

use super::{TIMEOUT, exit_code, fun, pseudo_random, wait_until, zeros};

#[test]
fn exit_codes_and_errors() {
    fun().args(["pv", "--bogus"]).assert().code(64);
    fun()
        .args(["pv", "-L", "abc"])
        .write_stdin("")
        .assert()
        .code(64)
        .stderr(predicate::str::contains("--rate-limit").and(predicate::str::contains("'abc'")));
    fun()
        .args(["pv", "-s", "1.5.5"])
        .write_stdin("")
        .assert()
        .code(64)
        .stderr(predicate::str::contains("1.5.5"));
    let dir = tempfile::tempdir().expect("temp dir");
    fun()
        .arg("pv")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Is a directory"));
    fun()
        .args(["pv", "-q", "-o", "/dev/full"])
        .write_stdin("data")
        .assert()
        .code(16)
        .stderr(predicate::str::contains("No space left on device"));
    let file = dir.path().join("same");
    std::fs::write(&file, "abc\n").expect("write");
    let out = std::fs::OpenOptions::new().append(true).open(&file).expect("open");
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_fun"))
        .arg("pv")
        .arg(&file)
        .stdout(out)
        .output()
        .expect("runs");
    assert_eq!(result.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&result.stderr).contains("input file is output file"));
}

#[test]
fn quiet_when_stderr_is_not_a_terminal() {
    fun().arg("pv").write_stdin("abc").assert().success().stdout("abc").stderr("");
}

#[test]
fn help_and_version_go_to_stdout() {
    fun().args(["pv", "-h"]).assert().success().stdout(predicate::str::contains("--rate-limit"));
    fun().args(["pv", "-V"]).assert().success().stdout(predicate::str::contains("0."));
}

#[test]
fn output_file_that_is_an_input_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let same = dir.path().join("same");
    let other = dir.path().join("other");
    std::fs::write(&same, "precious\n").expect("write");
    std::fs::write(&other, "other\n").expect("write");
    for inputs in [vec![&same], vec![&other, &same]] {
        let out = fun()
            .args(["pv", "-q"])
            .args(&inputs)
            .arg("-o")
            .arg(&same)
            .timeout(TIMEOUT)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(4), "{inputs:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("input file is output file"));
        assert_eq!(std::fs::read(&same).expect("read"), b"precious\n", "{inputs:?}");
    }
    // Standard input can be the output file too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-q", "-o"])
        .arg(&same)
        .stdin(std::fs::File::open(&same).expect("open"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(std::fs::read(&same).expect("read"), b"precious\n");
    // A different output file is still truncated and written.
    fun().args(["pv", "-q"]).arg(&same).arg("-o").arg(&other).assert().success();
    assert_eq!(std::fs::read(&other).expect("read"), b"precious\n");
}

#[test]
fn a_closed_standard_output_is_an_error() {
    // `>&-`: cat says "Bad file descriptor" and exits 1; pv's transfer bit for us.
    let file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(file.path(), pseudo_random(10_000)).expect("write");
    let run = |tool: &[&str]| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" >&-"#)
            .arg(env!("CARGO_BIN_EXE_fun"))
            .args(tool)
            .arg(file.path())
            .output()
            .expect("runs")
    };
    for args in [&["pv"][..], &["pv", "-q", "-C"], &["pv", "-q", "-L", "1G"]] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(16), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("Bad file descriptor"), "{args:?}: {err}");
    }
    let out = run(&["type", "--cps", "1000000"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Bad file descriptor"));
    // A closed pipe stays quiet, as in pv.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#""$0" pv /dev/zero | head -c 10 >/dev/null"#)
        .arg(env!("CARGO_BIN_EXE_fun"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(out.stderr.is_empty());
}

#[test]
fn watching_writes_the_pid_file_and_refuses_missing_descriptors() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::write(&data, zeros(1000)).expect("write");
    let mut reader = Command::new("sleep")
        .arg("60")
        .stdin(std::fs::File::open(&data).expect("open"))
        .spawn()
        .expect("sleep");
    let pid = reader.id().to_string();
    // A descriptor the process does not have: an error, and the pid file is gone after it.
    let pidfile = dir.path().join("pid");
    let out = fun()
        .args(["pv", "-d", &format!("{pid}:99"), "-P"])
        .arg(&pidfile)
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fd 99"));
    assert!(!pidfile.exists());
    // A real one: the pid file is written (scripts wait for it), and removed at the end.
    let mut watcher = Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-f", "-i", "0.1", "-d", &format!("{pid}:0"), "-P"])
        .arg(&pidfile)
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_until("the pid file", || pidfile.exists());
    reader.kill().expect("kill");
    reader.wait().expect("reap");
    assert_eq!(exit_code(&mut watcher), Some(0));
    assert!(!pidfile.exists());
}

#[test]
fn a_pid_file_that_cannot_be_written_is_pv_exit_1() {
    let out = fun()
        .args(["pv", "-q", "-P", "/nonexistent/dir/pid"])
        .write_stdin("data")
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/dir/pid") && err.lines().count() == 1, "{err}");
    assert!(out.stdout.is_empty(), "copied without its pid file");
}
