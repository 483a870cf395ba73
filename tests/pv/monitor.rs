//! `-M SIDE -- COMMAND`: the command's input and output pass through fun pv byte for byte,
//! a command that fails or exits at once ends pv with a message, and a signal ends both.

use std::process::{Command, Stdio};

use super::{TIMEOUT, exit_code, fun, pseudo_random, signal, wait_until};

#[test]
fn both_sides_pass_every_byte_and_show_the_ratio() {
    let data = pseudo_random(2 << 20);
    let out = fun()
        .args(["pv", "-f", "-i", "600", "-w", "80", "-M", "both", "--", "tr", "a-z", "A-Z"])
        .write_stdin(data.clone())
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let expected: Vec<u8> = data.iter().map(u8::to_ascii_uppercase).collect();
    assert!(out.stdout == expected, "the command's output was altered");
    let err = String::from_utf8_lossy(&out.stderr);
    let rows: Vec<&str> = err.split(['\r', '\n']).filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].contains("2.00MiB"), "input side: {rows:?}");
    assert!(rows[1].trim_end().ends_with("1:1"), "output side with the ratio: {rows:?}");
}

#[test]
fn one_side_and_names() {
    let out = fun()
        .args(["pv", "-f", "-i", "600", "-N", "made", "-M", "out", "--", "seq", "1", "100000"])
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let expected: String = (1..=100_000).map(|i| format!("{i}\n")).collect();
    assert!(out.stdout == expected.as_bytes());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("     made:"));
    let dir = tempfile::tempdir().expect("tempdir");
    let sink = dir.path().join("sink");
    let data = pseudo_random(500_000);
    let script = format!("cat > '{}'", sink.display());
    fun()
        .args(["pv", "-q", "-M", "in", "--", "sh", "-c", &script])
        .write_stdin(data.clone())
        .timeout(TIMEOUT)
        .assert()
        .success();
    assert!(std::fs::read(&sink).expect("sink") == data);
}

#[test]
fn commands_that_fail_or_exit_at_once() {
    let cases: [(&[&str], &str); 3] = [
        (&["both", "--", "/nonexistent/command"], "-M /nonexistent/command"),
        (&["out", "--", "sh", "-c", "exit 3"], "exited with status 3"),
        (&["in", "--", "sh", "-c", "kill -TERM $$"], "killed by signal 15"),
    ];
    for (args, names) in cases {
        let out = fun()
            .args(["pv", "-q", "-M"])
            .args(args)
            .write_stdin("data")
            .timeout(TIMEOUT)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(names), "{err}");
    }
    fun()
        .args(["pv", "-M", "both"])
        .assert()
        .code(64)
        .stderr(predicates::str::contains("no command"));
    fun().args(["pv", "-M", "sideways", "--", "true"]).assert().code(64);
    // A command that exits at once while our standard input stays open and idle: pv ends too.
    let mut child = Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-q", "-M", "both", "--", "true"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    assert_eq!(exit_code(&mut child), Some(0));
}

#[test]
fn files_the_command_opens_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::write(&data, pseudo_random(1 << 20)).expect("write");
    // The command reads 300000 bytes, then waits on a FIFO the test opens only once the
    // line shows them: it cannot end, with its file, before fun pv has drawn it.
    let gate = dir.path().join("gate");
    assert!(Command::new("mkfifo").arg(&gate).status().expect("mkfifo").success());
    let script = format!(
        "exec 3<'{}'; head -c 300000 <&3 >/dev/null; read -r go < '{}' || true",
        data.display(),
        gate.display()
    );
    let shown = dir.path().join("shown");
    let mut child = Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-f", "-i", "0.1", "-M", "files", "--", "sh", "-c", &script])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&shown).expect("shown"))
        .spawn()
        .expect("spawn");
    let read_shown =
        || String::from_utf8_lossy(&std::fs::read(&shown).expect("shown")).into_owned();
    let drawn =
        |err: &str| err.contains("   3:") && err.contains("/data:") && err.contains(" 292KiB");
    wait_until("the file's line", || drawn(&read_shown()));
    drop(std::fs::OpenOptions::new().write(true).open(&gate).expect("open the gate"));
    let code = exit_code(&mut child);
    let err = read_shown();
    assert_eq!(code, Some(0), "{err}");
    assert!(drawn(&err), "{err}");
}

#[test]
fn a_signal_ends_pv_and_its_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pidfile = dir.path().join("command");
    let script = format!("echo $$ > '{}'; exec sleep 60", pidfile.display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-q", "-M", "both", "--", "sh", "-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_until("the command", || {
        std::fs::read_to_string(&pidfile).is_ok_and(|p| p.ends_with('\n'))
    });
    let command: i32 = std::fs::read_to_string(&pidfile).expect("pid").trim().parse().expect("pid");
    signal(&child, rustix::process::Signal::TERM);
    assert_eq!(exit_code(&mut child), Some(32));
    let gone = || {
        let stat = std::fs::read_to_string(format!("/proc/{command}/stat")).unwrap_or_default();
        stat.is_empty() || stat.contains(") Z")
    };
    wait_until("the command to end", gone);
}
