//! Every copy path keeps every byte, whatever the options.

use std::path::PathBuf;

use super::{ONE_UPDATE, TIMEOUT, copies_intact, fun, pseudo_random, zeros};

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
        .args(ONE_UPDATE)
        .write_stdin(zeros(100))
        .assert()
        .success()
        .stderr("50\n");
}

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
fn skipped_read_errors_are_reported_once_per_run() {
    // Our own address space below the program is unmapped: every read there fails (EIO), so
    // the first megabyte is one run of 2048 bad blocks. It used to print 2048 lines.
    let out = fun()
        .args(["pv", "-q", "-E", "-S", "-s", "1M", "/proc/self/mem"])
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(out.stdout == zeros(1 << 20));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/proc/self/mem") && err.contains("byte 0"), "{err}");
}

#[test]
fn bytes_read_are_not_held_back_by_an_idle_input() {
    // "hello" is written and the input then stays open and idle: under a rate limit all of it
    // must come out, not wait behind a read for more (it used to wait for the next input).
    use std::io::{Read, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-qL", "100"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    let mut output = child.stdout.take().expect("stdout");
    input.write_all(b"hello").expect("write");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut got = [0_u8; 5];
        let read = output.read_exact(&mut got).map(|()| got);
        let _ = tx.send(read.map(|got| (got, output)));
    });
    let received = rx.recv_timeout(TIMEOUT).expect("hello out while the input idles");
    let (got, mut output) = received.expect("read");
    assert_eq!(&got, b"hello");
    input.write_all(b" world").expect("write");
    drop(input);
    let mut rest = Vec::new();
    output.read_to_end(&mut rest).expect("read");
    assert_eq!(rest, b" world");
    assert!(child.wait().expect("wait").success());
}
