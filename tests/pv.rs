//! `fun pv` end to end: output bytes against golden lines captured from Debian's pv 1.6.20
//! (tests/fixtures/pv/cases.txt: name, input size, options), byte integrity under every copy
//! path, exit codes and error messages.

use std::path::PathBuf;

use predicates::prelude::*;

use crate::util::{fixture, fun};

fn zeros(n: usize) -> Vec<u8> {
    vec![0; n]
}

fn cases() -> Vec<(String, usize, Vec<String>)> {
    let text = std::fs::read_to_string(fixture("pv/cases.txt")).expect("cases");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.split('\t');
            let name = parts.next().unwrap_or_default().to_owned();
            let n = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let args =
                parts.next().unwrap_or_default().split_whitespace().map(str::to_owned).collect();
            (name, n, args)
        })
        .collect()
}

#[test]
fn display_matches_pv_byte_for_byte() {
    let mut checked = 0;
    for (name, n, args) in cases() {
        let expected = std::fs::read(fixture(&format!("pv/{name}.err"))).expect("golden");
        let out = fun().arg("pv").args(&args).write_stdin(zeros(n)).output().expect("runs");
        assert!(out.status.success(), "{name}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&expected),
            "case {name}: pv {args:?}"
        );
        assert_eq!(out.stdout.len(), n, "{name}: data passed through");
        checked += 1;
    }
    assert!(checked >= 15);
}

fn pseudo_random(n: usize) -> Vec<u8> {
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

#[test]
fn bytes_are_never_altered() {
    let data = pseudo_random(3 << 20);
    for args in [
        vec!["-q"],
        vec!["-q", "-C"],
        vec!["-q", "-B", "4097"],
        vec!["-q", "-E"],
        vec!["-q", "-l"],
        vec!["-q", "-L", "50M"],
        vec!["-q", "-l", "-L", "1000000"],
        vec!["-f", "-A", "16", "-T", "-pterab"],
        vec!["-n", "-b"],
    ] {
        let out = fun().arg("pv").args(&args).write_stdin(data.clone()).output().expect("runs");
        assert!(out.status.success(), "{args:?}");
        assert!(out.stdout == data, "pv {args:?} altered the data");
    }
}

#[test]
fn slow_rates_keep_characters_and_escapes_whole() {
    let text = "h\u{e9}llo \x1b[1mw\x1b[0m\n".as_bytes().to_vec();
    let out = fun().args(["pv", "-qL", "400"]).write_stdin(text.clone()).output().expect("runs");
    assert_eq!(out.stdout, text);
}

#[test]
fn several_files_are_concatenated_and_missing_ones_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a: PathBuf = dir.path().join("a");
    let b: PathBuf = dir.path().join("b");
    std::fs::write(&a, pseudo_random(100_000)).expect("write");
    std::fs::write(&b, b"tail\n").expect("write");
    let mut expected = pseudo_random(100_000);
    expected.extend_from_slice(b"tail\n");
    let out = fun()
        .arg("pv")
        .arg("-q")
        .arg(&a)
        .arg(dir.path().join("missing"))
        .arg(&b)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout == expected);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("missing: No such file or directory"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn stop_at_size_and_discard() {
    let out = fun()
        .args(["pv", "-q", "-S", "-s", "1000"])
        .write_stdin(pseudo_random(5000))
        .output()
        .expect("runs");
    assert!(out.stdout == pseudo_random(5000)[..1000]);
    let out = fun()
        .args(["pv", "-X", "-f", "-n", "-b"])
        .write_stdin(zeros(1 << 20))
        .output()
        .expect("runs");
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).ends_with("1048576\n"));
}

#[test]
fn size_from_a_file() {
    let file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(file.path(), zeros(200)).expect("write");
    let arg = format!("@{}", file.path().display());
    fun()
        .args(["pv", "-f", "-n", "-s", &arg])
        .write_stdin(zeros(100))
        .assert()
        .success()
        .stderr("50\n");
}

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

/// Live comparison with Debian's pv on the deterministic cases (CI installs pv).
#[test]
#[ignore = "needs Debian's pv"]
fn display_matches_live_pv() {
    for (name, n, args) in cases() {
        let theirs = std::process::Command::new("pv")
            .args(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().expect("stdin").write_all(&zeros(n))?;
                child.wait_with_output()
            })
            .expect("pv runs");
        let ours = fun().arg("pv").args(&args).write_stdin(zeros(n)).output().expect("fun runs");
        assert_eq!(
            String::from_utf8_lossy(&ours.stderr),
            String::from_utf8_lossy(&theirs.stderr),
            "{name}"
        );
    }
}

/// Runs `fun pv ARGS FILE` on `data` in a file, expecting success and the same bytes out.
fn copies_intact(args: &[&str], data: &[u8]) {
    let file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(file.path(), data).expect("write");
    let out = fun().arg("pv").args(args).arg(file.path()).timeout(TIMEOUT).output().expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pv {args:?}: {:?} {err}", out.status);
    assert!(out.stdout == data, "pv {args:?} altered the data ({} bytes out)", out.stdout.len());
}

/// A hang detector only (2 busy cores): every case here ends in well under a second.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

#[test]
fn tiny_buffers_under_a_rate_limit() {
    let text = "line one\nline two, é€\n\x1b[1mbold\x1b[0m\nlast\n".repeat(8);
    for args in [
        ["-q", "-B", "1", "-L", "100k"],
        ["-q", "-B", "0", "-L", "100k"],
        ["-q", "-B", "4095", "-L", "100k"],
        ["-q", "-B", "1", "-lL", "2000"],
        ["-q", "-B", "4095", "-lL", "2000"],
    ] {
        copies_intact(&args, text.as_bytes());
    }
}

#[test]
fn long_lines_and_runaway_escapes_under_a_rate_limit() {
    // A 200 KB line with -l, and ESC [ followed by 300 KB of digits: both used to wait forever
    // for the end of a unit that did not fit the read-ahead.
    let mut line = vec![b'x'; 200_000];
    line.push(b'\n');
    copies_intact(&["-q", "-l", "-L", "10"], &line);
    let mut csi = b"\x1b[".to_vec();
    csi.resize(300_000, b'7');
    csi.extend_from_slice(b"m tail\n");
    copies_intact(&["-q", "-L", "1M"], &csi);
}

#[test]
fn a_zero_rate_is_no_limit() {
    // 1 MB at "0 bytes a second": pv treats 0 as no limit; we used to crawl at 1 B/s.
    copies_intact(&["-q", "-L", "0"], &pseudo_random(1 << 20));
    copies_intact(&["-q", "-l", "-L", "0"], &pseudo_random(1 << 20));
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
