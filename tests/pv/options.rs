//! The options pv 1.7 to 1.10 added: `-g`, `-x`, `-Z`, `-Y`, `-K`, `-O`, `-U`, `-s @DIR`, and
//! `-T` following a slow reader. Every copying case is checked byte for byte.

use std::os::unix::fs::MetadataExt;
use std::process::{Command, Stdio};

use super::{TIMEOUT, copies_intact, exit_code, fun, piped, pseudo_random, wait_until, zeros};

fn fun_pv() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fun"));
    command.arg("pv");
    command
}

/// The lines of a `-f` display (updates end with `\r`, the last with `\r\n`).
fn lines(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .split(['\r', '\n'])
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_gauge_shows_the_rate_against_the_highest() {
    let out = piped(
        "(head -c 200000 /dev/zero; sleep 0.5; head -c 1000 /dev/zero)",
        &["-f", "-pg", "-i", "0.2", "-w", "60"],
    );
    let shown = lines(&out.stderr);
    assert!(shown.iter().all(|l| l.contains("]/")), "{shown:?}");
    assert_eq!(out.stdout.len(), 201_000);
}

#[test]
fn bits_count_eight_a_byte() {
    fun()
        .args(["pv", "-f", "-b", "-8", "-i", "600"])
        .write_stdin(zeros(100))
        .assert()
        .success()
        .stderr(" 800  b\r\n");
    fun()
        .args(["pv", "-f", "-n", "-b", "-8", "-i", "600"])
        .write_stdin(zeros(100))
        .assert()
        .success()
        .stderr("800\n");
}

#[test]
fn window_titles_are_sanitised() {
    let out = fun()
        .args(["pv", "-f", "-x", "window:%N %b", "-N", "a\x1b]52;c;eA==\x07b", "-i", "600"])
        .write_stdin(zeros(10))
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let start = err.find("\x1b]2;").expect("a title");
    let title = &err
        [start + 4..err[start..].find("\x1b\\").map(|e| start + e).expect("the end of the title")];
    assert!(!title.contains(['\x1b', '\x07']), "{title:?}");
    assert!(title.contains("10.0  B"), "{title:?}");
    // Without -f and not on a terminal, nothing at all.
    fun().args(["pv", "-x", "window"]).write_stdin(zeros(10)).assert().success().stderr("");
    fun().args(["pv", "-x", "bogus"]).write_stdin("").assert().code(64);
}

#[test]
fn the_process_title_shows_the_progress() {
    let mut child = fun_pv()
        .args(["-q", "-x", "process:%b done", "-i", "0.1", "-L", "1000"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    std::io::Write::write_all(&mut stdin, &zeros(500)).expect("write");
    let cmdline = format!("/proc/{}/cmdline", child.id());
    let mut seen = String::new();
    wait_until("the process title", || {
        seen = String::from_utf8_lossy(&std::fs::read(&cmdline).unwrap_or_default()).into_owned();
        seen.starts_with("fun pv -- ") && seen.contains("done")
    });
    drop(stdin);
    assert_eq!(exit_code(&mut child), Some(0), "{seen:?}");
}

#[test]
fn error_skip_blocks_with_skip_errors() {
    // The start of our own address space is unmapped: with -Z 64K each failing read skips to
    // the next 64 KiB boundary. One message, and the zeros in place of the bytes.
    let out = fun()
        .args(["pv", "-q", "-E", "-Z", "64K", "-S", "-s", "1M", "/proc/self/mem"])
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(out.stdout == zeros(1 << 20));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    // -Z alone implies -E.
    let out = fun()
        .args(["pv", "-q", "-Z", "4096", "-S", "-s", "8K", "/proc/self/mem"])
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success() && out.stdout == zeros(8192));
}

#[test]
fn sync_direct_and_sparse_keep_every_byte() {
    let data = pseudo_random(1 << 20);
    for args in [
        &["-q", "-Y"][..],
        &["-q", "-Y", "-L", "20M"],
        &["-q", "-K"],
        &["-q", "-K", "-L", "20M"],
        &["-q", "-O"],
        &["-q", "-K", "-Y", "-O", "-B", "5000"],
    ] {
        copies_intact(args, &data);
    }
}

/// Copies `input` with `fun pv ARGS input -o output` and checks the output is the input.
fn copy_to_file(args: &[&str], data: &[u8]) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("tempdir");
    let input = dir.path().join("in");
    let output = dir.path().join("out");
    std::fs::write(&input, data).expect("write");
    let out = fun()
        .arg("pv")
        .args(args)
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {err}");
    assert!(std::fs::read(&output).expect("read") == data, "{args:?}");
    (dir, output, err)
}

#[test]
fn sparse_output_makes_holes_where_the_filesystem_can() {
    let mut data = zeros(4 << 20);
    data[100] = 1;
    data[(3 << 20) + 5] = 2;
    let (_dir, output, _) = copy_to_file(&["-q", "-O"], &data);
    let meta = std::fs::metadata(&output).expect("meta");
    assert_eq!(meta.len(), 4 << 20);
    // A filesystem with holes allocates far less than 4 MiB.
    let probe = output.with_file_name("probe");
    let file = std::fs::File::create(&probe).expect("probe");
    file.set_len(4 << 20).expect("hole");
    if std::fs::metadata(&probe).expect("meta").blocks() < 64 {
        assert!(meta.blocks() * 512 < 1 << 20, "{} blocks", meta.blocks());
    }
    // Ending in zeros: the length is still right.
    let (_dir, output, _) = copy_to_file(&["-q", "-O"], &zeros(100_000));
    assert_eq!(std::fs::metadata(&output).expect("meta").len(), 100_000);
}

#[test]
fn direct_io_writes_to_files_or_says_why_not() {
    let data = pseudo_random(3 << 20);
    let (_dir, _, err) = copy_to_file(&["-q", "-K"], &data);
    assert!(err.is_empty() || err.lines().all(|l| l.contains("direct I/O")), "{err}");
}

#[test]
fn store_and_forward_sends_everything_after_storing_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let data = pseudo_random(300_000);
    let out = fun()
        .arg("pv")
        .args(["-f", "-i", "600", "-U"])
        .arg(&store)
        .write_stdin(data.clone())
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(out.stdout == data);
    assert!(std::fs::read(&store).expect("kept") == data, "the store file stays");
    let shown = lines(&out.stderr);
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown[0].starts_with("  (input):"), "{shown:?}");
    assert!(shown[1].contains("100%"), "the size is known in the second stage: {shown:?}");
    // "-": a temporary file in $TMPDIR, gone afterwards.
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = fun()
        .args(["pv", "-q", "-U", "-"])
        .env("TMPDIR", tmp.path())
        .write_stdin(data.clone())
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success() && out.stdout == data);
    // (Only our private runtime directory may be there: no XDG_RUNTIME_DIR in tests.)
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| !name.starts_with("fun-pv-"))
        .collect();
    assert!(left.is_empty(), "temporary file left: {left:?}");
}

#[test]
fn store_and_forward_into_a_full_or_unwritable_place_forwards_nothing() {
    let out = fun()
        .args(["pv", "-q", "-U", "/dev/full"])
        .write_stdin(zeros(10_000))
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(16));
    assert!(out.stdout.is_empty(), "half-stored data was forwarded");
    assert!(String::from_utf8_lossy(&out.stderr).contains("No space left on device"));
    let out = fun()
        .args(["pv", "-q", "-U", "/nonexistent/dir/store"])
        .write_stdin("x")
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let out = fun()
        .args(["pv", "-q", "-U", "-"])
        .env("TMPDIR", "/nonexistent/dir")
        .write_stdin("x")
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-U /nonexistent/dir"));
}

#[test]
fn size_from_a_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a"), zeros(120)).expect("a");
    std::fs::create_dir(dir.path().join("sub")).expect("sub");
    std::fs::write(dir.path().join("sub/b"), zeros(80)).expect("b");
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).expect("loop");
    let arg = format!("@{}", dir.path().display());
    fun()
        .args(["pv", "-n", "-s", &arg, "-i", "600"])
        .write_stdin(zeros(100))
        .assert()
        .success()
        .stderr("50\n");
    fun()
        .args(["pv", "-n", "-s", "@/nonexistent"])
        .write_stdin("")
        .assert()
        .code(64)
        .stderr(predicates::str::contains("/nonexistent"));
}

#[test]
fn the_buffer_fill_follows_a_slow_reader() {
    // The reader takes nothing (pv is blocked writing, its 1 KiB buffer full), then everything
    // (the buffer empties) while the input stays open: each step waits on a FIFO the test
    // opens only once the line shows the state, so both show whatever the machine's speed.
    let dir = tempfile::tempdir().expect("tempdir");
    let gates = ["read", "drain", "end"].map(|name| dir.path().join(name));
    for gate in &gates {
        assert!(Command::new("mkfifo").arg(gate).status().expect("mkfifo").success());
    }
    let stderr = dir.path().join("stderr");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(r#"(head -c 300000 /dev/zero; read -r go < "$4" || true) | "$0" pv -f -T -i 0.2 -B 1024 2>"$1" | (read -r go < "$2"; head -c 100000 >/dev/null; read -r go < "$3"; cat >/dev/null)"#)
        .arg(env!("CARGO_BIN_EXE_fun"))
        .arg(&stderr)
        .args(&gates)
        .stdout(Stdio::null())
        .spawn()
        .expect("runs");
    let shown = || lines(&std::fs::read(&stderr).unwrap_or_default());
    let open = |gate: &std::path::Path| {
        drop(std::fs::OpenOptions::new().write(true).open(gate).expect("open the gate"));
    };
    wait_until("the full buffer", || shown().iter().any(|l| l == "{100%}"));
    open(&gates[0]);
    open(&gates[1]);
    wait_until("the drained buffer", || shown().iter().any(|l| l == "{  0%}"));
    open(&gates[2]);
    assert_eq!(exit_code(&mut child), Some(0));
    let shown = shown();
    assert!(shown.iter().any(|l| l == "{100%}"), "blocked on the reader: {shown:?}");
    assert!(shown.iter().any(|l| l == "{  0%}"), "drained: {shown:?}");
}
