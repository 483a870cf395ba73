//! pv's bytes (issue 28): the cases where a mode invented or dropped bytes. `-O` onto a file
//! opened for appending, `-S` with a size of 0, the kernel's copy of a file truncated while it
//! is read, `-L` below 1, and `-l` reading standard input twice. The whole mode-by-input matrix, against Debian's pv, is
//! `.ci/checks/pv-integrity.sh`.

use std::io::Read;
use std::process::Stdio;

use super::{TIMEOUT, fun, pseudo_random, wait_until};

/// 100 KB of data then 1 MB of zeros (the issue's `tz.bin`).
fn data_then_zeros() -> Vec<u8> {
    let mut data = pseudo_random(100_000);
    data.resize(1_100_000, 0);
    data
}

/// Runs `sh -c SCRIPT` with `$0` the fun binary, `$1` a file holding `data` and `$2` `out`
/// (a hang detector bounds it).
fn shell(script: &str, data: &[u8], out: &std::path::Path) -> std::process::Output {
    let input = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(input.path(), data).expect("write");
    assert_cmd::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_fun"))
        .arg(input.path())
        .arg(out)
        .timeout(TIMEOUT)
        .output()
        .expect("runs")
}

#[test]
fn sparse_output_opened_for_appending_keeps_the_zeros() {
    // printf HEAD > ap.bin; fun pv -qO tz.bin >> ap.bin: the zeros used to vanish (104,676
    // bytes instead of 1,100,004), the seek being ignored in append mode.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ap.bin");
    std::fs::write(&path, b"HEAD").expect("write");
    let data = data_then_zeros();
    let run = shell(r#""$0" pv -qO "$1" >> "$2""#, &data, &path);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let got = std::fs::read(&path).expect("read");
    assert_eq!(got.len(), 4 + data.len());
    assert!(got == [b"HEAD".as_slice(), &data].concat(), "the bytes differ");
}

#[test]
fn sparse_output_over_an_old_file_replaces_its_bytes_with_the_zeros() {
    // sh's 1<> opens without truncating: a skipped block would leave the old bytes there.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.bin");
    std::fs::write(&path, vec![0xa5; 600_000]).expect("write");
    let data = data_then_zeros();
    let run = shell(r#""$0" pv -qO "$1" 1<> "$2""#, &data, &path);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(std::fs::read(&path).expect("read") == data, "old bytes left in place of zeros");
}

#[test]
fn stop_at_a_size_of_zero_copies_everything() {
    // 0 is an unknown size, as in pv: -S then stops nowhere. It used to copy nothing.
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty");
    std::fs::write(&empty, b"").expect("write");
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).expect("mkdir");
    let data = pseudo_random(300_000);
    let input = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(input.path(), &data).expect("write");
    for size in ["0".to_owned(), format!("@{}", empty.display()), format!("@{}", folder.display())]
    {
        for via_stdin in [false, true] {
            let mut cmd = fun();
            cmd.args(["pv", "-q", "-S", "-s", &size]).timeout(TIMEOUT);
            if via_stdin {
                cmd.write_stdin(data.clone());
            } else {
                cmd.arg(input.path());
            }
            let out = cmd.output().expect("runs");
            assert!(out.status.success(), "-s {size}: {}", String::from_utf8_lossy(&out.stderr));
            assert!(out.stdout == data, "-s {size}: {} bytes out", out.stdout.len());
        }
    }
}

#[test]
fn a_file_truncated_while_read_gives_only_bytes_it_held() {
    // The kernel copy put references to the file's pages in the pipe; truncating the file
    // zeroed the rest of the last page under them, and the reader got zeros never in the file.
    let data: Vec<u8> = pseudo_random(3 << 20).into_iter().map(|b| b | 1).collect();
    let input = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(input.path(), &data).expect("write");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-q"])
        .arg(input.path())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdout = child.stdout.take().expect("stdout");
    // fun pv grows its pipe to 1 MiB: wait until it holds the bytes past the cut (a hang
    // detector bounds it), so the cut is certainly under data already in the pipe.
    let cut = 1_000_001;
    wait_until("the pipe to fill", || {
        rustix::io::ioctl_fionread(&stdout).is_ok_and(|n| n >= cut + 8192)
    });
    std::fs::OpenOptions::new()
        .write(true)
        .open(input.path())
        .and_then(|f| f.set_len(cut))
        .expect("truncate");
    let mut got = Vec::new();
    stdout.read_to_end(&mut got).expect("read");
    assert!(child.wait().expect("wait").success());
    assert!(got.len() >= usize::try_from(cut).expect("small"), "{} bytes", got.len());
    let first_wrong = got.iter().zip(&data).position(|(a, b)| a != b);
    assert_eq!(first_wrong, None, "{} bytes out, not the file's", got.len());
}

#[test]
fn a_rate_below_one_is_refused() {
    // -L 0.5 rounded to 0, which is no limit: refused as pv refuses it (exit 64).
    for rate in ["0.5", "0.9"] {
        let out = fun()
            .args(["pv", "-q", "-L", rate])
            .write_stdin("data\n")
            .timeout(TIMEOUT)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(64), "-L {rate}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("rate-limit") && err.contains("below 1"), "{err}");
    }
    let text = pseudo_random(100);
    let out = fun()
        .args(["pv", "-q", "-L", "0.5k"])
        .write_stdin(text.clone())
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success() && out.stdout == text, "-L 0.5k is 512 bytes a second");
}

#[test]
fn line_mode_from_a_redirected_file_keeps_every_byte() {
    // `fun pv -l < FILE`: counting the file's lines for the total read the same descriptor
    // as the copy (standard input shares its offset), and the copy lost what the count read.
    let mut data = pseudo_random(3 << 20);
    data.extend_from_slice(b"last line without a newline");
    for option in ["-l", "-0"] {
        let out = shell(&format!(r#"exec "$0" pv -q {option} < "$1""#), &data, "-".as_ref());
        assert!(out.status.success(), "{option}");
        assert!(out.stdout == data, "{option}: {} bytes of {}", out.stdout.len(), data.len());
    }
}
