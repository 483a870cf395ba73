//! `-d` with several arguments, `=NAME` and `@LISTFILE`, against real processes reading files.

use std::io::Write;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};

use super::{TIMEOUT, exit_code, fun, wait_until, zeros};

/// A process (a copy of `sh` named `name`) with `file` open on fd 3 that reads one line of it
/// each time the test sends a line on its input ([`step`]) and ends when the test closes that
/// input: it cannot end, or move on, before the test lets it, however slow the machine is.
/// Returned once fd 3 is open.
fn reader(dir: &Path, name: &str, file: &Path) -> (Child, ChildStdin) {
    let shell = dir.join(name);
    if !shell.exists() {
        std::fs::copy("/bin/sh", &shell).expect("copy sh");
    }
    let script = format!("exec 3<'{}'; while read -r go; do read -r l <&3; done", file.display());
    // Another test's fork may still hold the copy open for writing for a moment (ETXTBSY).
    let mut tries = 0;
    let mut child = loop {
        match Command::new(&shell).arg("-c").arg(&script).stdin(Stdio::piped()).spawn() {
            Ok(child) => break child,
            Err(e) if e.raw_os_error() == Some(26) && tries < 50 => tries += 1,
            Err(e) => panic!("reader: {e}"),
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let fd3 = format!("/proc/{}/fd/3", child.id());
    wait_until("the reader to open its file", || {
        std::fs::read_link(&fd3).is_ok_and(|target| target == file)
    });
    let input = child.stdin.take().expect("stdin");
    (child, input)
}

/// Lets the reader read one more line.
fn step(input: &mut ChildStdin) {
    input.write_all(b"go\n").expect("step the reader");
}

fn numbers(path: &Path, n: usize) {
    let text: String = (1..=n).map(|i| format!("{i}\n")).collect();
    std::fs::write(path, text).expect("write");
}

/// Starts `fun pv -f -i 0.2 -w 100 -d ARGS`, its display going into `shown`.
fn watch(args: &[String], shown: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-f", "-i", "0.2", "-w", "100", "-d"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(shown).expect("shown"))
        .spawn()
        .expect("watch")
}

/// The rows shown so far (cursor-up escapes split off).
fn rows(shown: &Path) -> Vec<String> {
    let text =
        String::from_utf8_lossy(&std::fs::read(shown).expect("shown")).replace("\x1b[A", "\n");
    text.split(['\r', '\n']).filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
}

/// The positions shown on the rows of `pid`'s fd 3.
fn positions(rows: &[String], pid: u32) -> std::collections::BTreeSet<String> {
    let prefix = format!("{pid:>8}:   3:");
    let mine = rows.iter().filter(|r| r.starts_with(&prefix));
    mine.filter_map(|r| r.split_whitespace().nth(2).map(str::to_owned)).collect()
}

#[test]
fn several_processes_each_descriptor_on_its_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("alpha"), dir.path().join("beta"));
    numbers(&a, 100);
    numbers(&b, 300);
    let (mut one, mut one_input) = reader(dir.path(), "funpvwatcha", &a);
    let (mut two, mut two_input) = reader(dir.path(), "funpvwatchb", &b);
    let shown = dir.path().join("shown");
    let mut watcher = watch(&[one.id().to_string(), two.id().to_string()], &shown);
    let seen = |count: usize| {
        let rows = rows(&shown);
        [one.id(), two.id()].iter().all(|&pid| positions(&rows, pid).len() >= count)
    };
    wait_until("both rows", || seen(1));
    // One line at a time until the watcher has seen both move.
    wait_until("progress on both rows", || {
        step(&mut one_input);
        step(&mut two_input);
        std::thread::sleep(std::time::Duration::from_millis(300));
        seen(2)
    });
    drop((one_input, two_input));
    assert_eq!(exit_code(&mut watcher), Some(0));
    let rows = rows(&shown);
    for (pid, name) in [(one.id(), "alpha"), (two.id(), "beta")] {
        let prefix = format!("{pid:>8}:   3:");
        let mine: Vec<&String> = rows.iter().filter(|r| r.starts_with(&prefix)).collect();
        assert!(mine.iter().all(|r| r.contains(name)), "{rows:?}");
        assert!(positions(&rows, pid).len() > 1, "{pid}: no progress seen in {rows:?}");
    }
    one.wait().expect("reap");
    two.wait().expect("reap");
}

/// Watches `args` (naming the reader), until its fd 3 row is seen; then lets the reader end
/// and returns the watcher's exit code and rows.
fn watch_one_reader(
    args: &[String],
    input: ChildStdin,
    shown: &Path,
) -> (Option<i32>, Vec<String>) {
    let mut watcher = watch(args, shown);
    let row = |r: &String| r.contains("3:/") && r.contains("/data:");
    wait_until("the reader's row", || rows(shown).iter().any(row));
    drop(input);
    let code = exit_code(&mut watcher);
    (code, rows(shown))
}

#[test]
fn processes_by_name_and_from_a_list_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    numbers(&data, 50);
    let name = format!("fpv{}", std::process::id());
    let shown = dir.path().join("shown");
    let (mut by_name, input) = reader(dir.path(), &name, &data);
    let list = dir.path().join("list");
    std::fs::write(&list, format!("{}\n\n", by_name.id())).expect("list");
    let (code, rows) = watch_one_reader(&[format!("={name}")], input, &shown);
    assert_eq!(code, Some(0));
    assert!(rows.iter().any(|r| r.starts_with("   3:/") && r.contains("/data:")), "{rows:?}");
    by_name.wait().expect("reap");
    let (mut listed, input) = reader(dir.path(), &name, &data);
    std::fs::write(&list, format!("{}\n", listed.id())).expect("list");
    let (code, rows) = watch_one_reader(&[format!("@{}", list.display())], input, &shown);
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
    let (mut child, input) = reader(dir.path(), "funpvwatchend", &data);
    let shown = dir.path().join("shown");
    // Once it is watching (its row is drawn), the process ends; so does the watcher.
    let (code, rows) = watch_one_reader(&[child.id().to_string()], input, &shown);
    child.wait().expect("reap");
    assert_eq!(code, Some(0), "{rows:?}");
}
