//! `-d` with several arguments, `=NAME` and `@LISTFILE`, against real processes reading files.

use std::process::{Child, Command, Stdio};

use super::{TIMEOUT, exit_code, fun, zeros};

/// A process (a copy of `sh` named `name`) that reads `lines` lines of `file` on fd 3, one
/// every 0.3 s, then sleeps a moment.
fn reader(dir: &std::path::Path, name: &str, file: &std::path::Path, lines: usize) -> Child {
    let shell = dir.join(name);
    if !shell.exists() {
        std::fs::copy("/bin/sh", &shell).expect("copy sh");
    }
    let script = format!(
        "exec 3<'{}'; sleep 0.5; i=0; while [ $i -lt {lines} ]; do read -r l <&3; i=$((i+1)); sleep 0.3; done; sleep 0.5",
        file.display()
    );
    // Another test's fork may still hold the copy open for writing for a moment (ETXTBSY).
    let mut tries = 0;
    loop {
        match Command::new(&shell).arg("-c").arg(&script).stdin(Stdio::null()).spawn() {
            Ok(child) => return child,
            Err(e) if e.raw_os_error() == Some(26) && tries < 50 => tries += 1,
            Err(e) => panic!("reader: {e}"),
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn numbers(path: &std::path::Path, n: usize) {
    let text: String = (1..=n).map(|i| format!("{i}\n")).collect();
    std::fs::write(path, text).expect("write");
}

/// Runs `fun pv -f -i 0.2 -d ARGS`, returning its rows (cursor-up escapes split off).
fn watch(args: &[String]) -> (Option<i32>, Vec<String>) {
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-f", "-i", "0.2", "-w", "100", "-d"])
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stderr).replace("\x1b[A", "\n");
    let rows =
        text.split(['\r', '\n']).filter(|l| !l.trim().is_empty()).map(str::to_owned).collect();
    (out.status.code(), rows)
}

#[test]
fn several_processes_each_descriptor_on_its_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("alpha"), dir.path().join("beta"));
    numbers(&a, 100);
    numbers(&b, 300);
    let mut one = reader(dir.path(), "funpvwatcha", &a, 3);
    let mut two = reader(dir.path(), "funpvwatchb", &b, 3);
    let (code, rows) = watch(&[one.id().to_string(), two.id().to_string()]);
    assert_eq!(code, Some(0));
    for (pid, name) in [(one.id(), "alpha"), (two.id(), "beta")] {
        let prefix = format!("{pid:>8}:   3:");
        let mine: Vec<&String> = rows.iter().filter(|r| r.starts_with(&prefix)).collect();
        assert!(mine.iter().all(|r| r.contains(name)), "{rows:?}");
        let positions: std::collections::BTreeSet<&str> =
            mine.iter().filter_map(|r| r.split_whitespace().nth(2)).collect();
        assert!(positions.len() > 1, "{pid}: no progress seen in {rows:?}");
    }
    one.wait().expect("reap");
    two.wait().expect("reap");
}

#[test]
fn processes_by_name_and_from_a_list_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    numbers(&data, 50);
    let name = format!("fpv{}", std::process::id());
    let mut by_name = reader(dir.path(), &name, &data, 2);
    let list = dir.path().join("list");
    std::fs::write(&list, format!("{}\n\n", by_name.id())).expect("list");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let (code, rows) = watch(&[format!("={name}")]);
    assert_eq!(code, Some(0));
    assert!(rows.iter().any(|r| r.starts_with("   3:/") && r.contains("/data:")), "{rows:?}");
    by_name.wait().expect("reap");
    let mut listed = reader(dir.path(), &name, &data, 2);
    std::fs::write(&list, format!("{}\n", listed.id())).expect("list");
    let (code, rows) = watch(&[format!("@{}", list.display())]);
    assert_eq!(code, Some(0));
    assert!(rows.iter().any(|r| r.contains("3:/") && r.contains("/data:")), "{rows:?}");
    listed.wait().expect("reap");
}

#[test]
fn bad_watch_arguments_are_one_line_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(Vec<String>, i32, &str); 5] = [
        (vec!["=no-such-process-name".into()], 2, "=no-such-process-name: no such process"),
        (vec!["@/dev/zero".into()], 64, "/dev/zero"),
        (vec![format!("@{}", dir.path().join("missing").display())], 64, "missing"),
        (vec!["4194304".into()], 2, "4194304"),
        (vec!["1".into(), "x:y".into()], 64, "x:y"),
    ];
    for (args, code, names) in cases {
        let out = fun().args(["pv", "-d"]).args(&args).timeout(TIMEOUT).output().expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(names), "{args:?}: {err}");
    }
    let nested = dir.path().join("nested");
    std::fs::write(&nested, "@/etc/passwd\n").expect("write");
    let out =
        fun().arg("pv").arg("-d").arg(format!("@{}", nested.display())).output().expect("runs");
    assert_eq!(out.status.code(), Some(64));
    let _ = zeros(0);
}

#[test]
fn watching_ends_when_the_process_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    numbers(&data, 10);
    let mut child = reader(dir.path(), "funpvwatchend", &data, 1);
    let mut watcher = Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-q", "-d", &child.id().to_string()])
        .spawn()
        .expect("watch");
    child.wait().expect("reap");
    assert_eq!(exit_code(&mut watcher), Some(0));
}
