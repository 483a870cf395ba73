//! Hostile inputs for `fun pv`: every number option with values past its bound, widths that
//! used to abort or spin, inputs that used to hang the rate limiter, and every copy path checked
//! byte for byte (output equals input) on data chosen to trip it.

use std::path::Path;
use std::process::Command;

use super::*;

/// Garbage for the copy paths: every byte value, NULs, escape starts, invalid UTF-8.
fn junk(n: usize) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    let mut out: Vec<u8> = (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    for (i, chunk) in out.chunks_mut(997).enumerate() {
        chunk[0] = [0x1b, b'\n', 0, 0xc3, 0xff][i % 5];
    }
    out
}

/// Runs `fun pv ARGS` (under the limits) on `input` and checks it copied every byte unchanged.
fn assert_copies(args: &[&str], input: &[u8]) -> Output {
    let mut all = vec!["pv"];
    all.extend_from_slice(args);
    let out = limited(&all).write_stdin(input.to_vec()).output().expect("runs");
    assert_no_crash(&out);
    assert!(out.status.success(), "pv {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(checksum(&out.stdout), checksum(input), "pv {args:?} altered the data");
    out
}

/// FNV-1a over the bytes and their count.
fn checksum(bytes: &[u8]) -> (usize, u64) {
    let hash = bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    (bytes.len(), hash)
}

#[test]
fn number_options_past_their_bounds_are_usage_errors() {
    let hostile = ["-1", "NaN", "inf", "1e999", "99999999999999999999999", "", "x", "0x10"];
    let cases: [(&str, &str, &[&str]); 11] = [
        ("-s", "--size", &["1048577T"]),
        ("-L", "--rate-limit", &["1048577T"]),
        ("-B", "--buffer-size", &["65M", "1T"]),
        ("-i", "--interval", &["0", "0.01", "601"]),
        ("-D", "--delay-start", &["86401"]),
        ("-m", "--average-rate-window", &["0", "3601"]),
        ("-w", "--width", &["65536", "1099511627776"]),
        ("-H", "--height", &["65536"]),
        ("-A", "--last-written", &["65536", "4294967296"]),
        ("-d", "--watchfd", &["0", "4194305", "1:1073741824", "1:", "1:2:3"]),
        ("-F", "--format", &["%65536A", "%99999999999999999999A", "%1099511627776{last-written}"]),
    ];
    for (short, long, past) in cases {
        let values: Vec<&str> = if short == "-F" {
            past.to_vec()
        } else {
            hostile.iter().chain(past).copied().collect()
        };
        for value in values {
            let out =
                limited(&["pv", "-f", short, value]).write_stdin("data").output().expect("runs");
            assert_calm_failure(&out, 64, long);
            assert!(out.stdout.is_empty(), "pv {short} {value:?} copied before refusing");
        }
    }
}

#[test]
fn huge_widths_are_refused_before_any_byte_moves() {
    // -w 1099511627776 used to abort on allocation mid-copy; -A 4294967296 and %99999999A
    // spun on quadratic padding, ignoring SIGTERM.
    for args in
        [["-f", "-w", "1099511627776"], ["-f", "-A", "4294967296"], ["-f", "-F", "%99999999A"]]
    {
        let mut all = vec!["pv"];
        all.extend_from_slice(&args);
        let out = limited(&all).write_stdin(junk(1 << 20)).output().expect("runs");
        assert_calm_failure(&out, 64, "--");
    }
    // The largest allowed ones work, and copy every byte.
    assert_copies(&["-f", "-w", "65535", "-A", "65535", "-i", "0.1"], &junk(1 << 20));
    assert_copies(&["-f", "-F", "%65535A %b", "-i", "0.1"], &junk(1 << 20));
}

#[test]
fn every_copy_path_keeps_every_byte() {
    let data = junk(3 << 20);
    for args in [
        &["-q"][..],
        &["-q", "-C"],
        &["-q", "-B", "4095"],
        &["-q", "-B", "64M"],
        &["-q", "-E"],
        &["-q", "-l"],
        &["-q", "-0"],
        &["-q", "-L", "1G"],
        &["-q", "-L", "0"],
        &["-q", "-l", "-L", "1000000"],
        &["-f", "-A", "65535", "-T", "-pterab", "-i", "0.1"],
        &["-n", "-b", "-l"],
        &["-q", "-S", "-s", "100G"],
    ] {
        assert_copies(args, &data);
    }
    // A one-byte buffer is a syscall per byte: a smaller input.
    assert_copies(&["-q", "-B", "1"], &data[..100_000]);
    assert_copies(&["-q", "-B", "1", "-L", "1G"], &data[..100_000]);
}

#[test]
fn rate_limited_copies_always_make_progress() {
    // Tiny buffers, a line far longer than the read-ahead, and ESC [ with thousands of digits:
    // each used to panic or wait forever for the end of its unit.
    let text = "a line, é€ \x1b[1mbold\x1b[0m\n".repeat(20);
    for buffer in ["0", "1", "4095"] {
        assert_copies(&["-q", "-B", buffer, "-L", "1M"], text.as_bytes());
        assert_copies(&["-q", "-B", buffer, "-l", "-L", "100000"], text.as_bytes());
    }
    let mut line = junk(1 << 20);
    line.retain(|&b| b != b'\n');
    assert_copies(&["-q", "-l", "-L", "5"], &line);
    let mut csi = b"\x1b[".to_vec();
    csi.resize(1 << 20, b'9');
    assert_copies(&["-q", "-L", "10M"], &csi);
}

#[test]
fn an_input_that_is_the_output_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let same = dir.path().join("same");
    std::fs::write(&same, junk(10_000)).expect("write");
    let path = same.to_str().expect("utf-8 path");
    let out = limited(&["pv", "-q", path, "-o", path]).output().expect("runs");
    assert_calm_failure(&out, 4, "input file is output file");
    assert_eq!(std::fs::read(&same).expect("read"), junk(10_000));
}

#[test]
fn paths_that_are_not_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = dir.path().to_str().expect("utf-8 path");
    let out = limited(&["pv", "-q", name]).output().expect("runs");
    assert_calm_failure(&out, 2, name);
    let missing = dir.path().join("missing");
    let out = limited(&["pv", "-q", missing.to_str().expect("utf-8")]).output().expect("runs");
    assert_calm_failure(&out, 2, "missing");
    // A size from a device or a missing file.
    let out =
        limited(&["pv", "-q", "-s", "@/nonexistent/x"]).write_stdin("").output().expect("runs");
    assert_calm_failure(&out, 64, "/nonexistent/x");
    assert!(Path::new("/dev/zero").exists());
    assert_copies(&["-q", "-s", "@/dev/zero"], b"abc");
}

#[test]
fn endless_inputs_with_a_stop() {
    let out = limited(&["pv", "-q", "-S", "-s", "8M", "/dev/zero"]).output().expect("runs");
    assert_no_crash(&out);
    assert!(out.status.success());
    assert_eq!(checksum(&out.stdout), checksum(&vec![0; 8 << 20]));
}

#[test]
fn new_number_options_past_their_bounds_are_usage_errors() {
    // pv 1.10's options and ours: the same calm refusal, naming the option.
    let cases: [(&[&str], &str); 9] = [
        (&["-Z", "65M"], "--error-skip-block"),
        (&["-Z", "-1"], "--error-skip-block"),
        (&["-R", "0"], "--remote"),
        (&["-Q", "4194305"], "--query"),
        (&["-M", "sideways"], "--monitor"),
        (&["-x", "nowhere"], "--extra-display"),
        (&["-x", "window:%65536p"], "--extra-display"),
        (&["-d", "=a/b"], "--watchfd"),
        (&["-u", "neon"], "--bar-style"),
    ];
    for (args, long) in cases {
        let mut all = vec!["pv", "-f"];
        all.extend_from_slice(args);
        let out = limited(&all).write_stdin("data").output().expect("runs");
        assert_calm_failure(&out, 64, long);
        assert!(out.stdout.is_empty(), "pv {args:?} copied before refusing");
    }
    for step in ["0", "101", "1e9", "-5"] {
        let out = limited(&["pv", "--on-progress", step, "true"])
            .write_stdin("x")
            .output()
            .expect("runs");
        assert_calm_failure(&out, 64, "--on-progress");
    }
}

#[test]
fn hostile_list_files_and_directory_trees() {
    // @LISTFILE that is a device, a FIFO or enormous: refused by name, nothing read.
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let big = dir.path().join("big");
    std::fs::write(&big, "1\n".repeat(40_000)).expect("write");
    for list in ["/dev/zero".to_owned(), fifo.display().to_string(), big.display().to_string()] {
        let out = limited(&["pv", "-d", &format!("@{list}")]).output().expect("runs");
        assert_calm_failure(&out, 64, &list);
    }
    // -s @DIR over a symlink loop, and over all of /proc (many entries, links everywhere):
    // bounded, calm, and the copy is intact.
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("a/b")).expect("tree");
    std::os::unix::fs::symlink(&tree, tree.join("a/b/loop")).expect("loop");
    std::os::unix::fs::symlink("loop", tree.join("a/b/self")).expect("self");
    std::fs::write(tree.join("a/file"), junk(1000)).expect("file");
    let arg = format!("@{}", tree.display());
    assert_copies(&["-f", "-n", "-s", &arg], &junk(500));
    let out = limited(&["pv", "-q", "-s", "@/proc"]).write_stdin("abc").output().expect("runs");
    assert_no_crash(&out);
    assert!(out.status.success() || out.status.code() == Some(64), "{out:?}");
}

#[test]
fn store_and_forward_into_places_that_fail() {
    for store in ["/dev/full", "/nonexistent/dir/x", "/proc/version"] {
        let out =
            limited(&["pv", "-q", "-U", store]).write_stdin(junk(100_000)).output().expect("runs");
        assert_no_crash(&out);
        assert!(!out.status.success(), "{store}");
        assert!(out.stdout.is_empty(), "{store}: forwarded what was not stored");
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1, "{store}");
    }
}

#[test]
fn monitored_commands_that_misbehave() {
    // Exits at once with our input still open; floods its output; never reads its input.
    let out = limited(&["pv", "-q", "-M", "both", "--", "true"])
        .write_stdin(junk(1 << 20))
        .output()
        .expect("runs");
    assert_no_crash(&out);
    assert!(out.status.success());
    let out = limited(&["pv", "-q", "-S", "-s", "4M", "-M", "out", "--", "cat", "/dev/zero"])
        .output()
        .expect("runs");
    assert_no_crash(&out);
    assert_eq!(checksum(&out.stdout), checksum(&vec![0; 4 << 20]));
    let out = limited(&["pv", "-q", "-M", "in", "--", "sleep", "0.2"])
        .write_stdin(junk(4 << 20))
        .output()
        .expect("runs");
    assert_no_crash(&out);
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn hooks_cannot_pile_up() {
    // A step of 1% with a command that takes a while: one at a time, and pv still ends (the
    // last one is waited for at most 5 s).
    let out = limited(&["pv", "-q", "-s", "1M", "-i", "0.1", "--on-progress", "1", "sleep 0.3"])
        .write_stdin(junk(1 << 20))
        .output()
        .expect("runs");
    assert_no_crash(&out);
    assert!(out.status.success());
    assert_eq!(checksum(&out.stdout), checksum(&junk(1 << 20)));
}
