//! Hostile inputs for `fun type`: number options past their bounds, escape sequences that
//! never end, binary junk, paths that are not files.

use super::*;

#[test]
fn number_options_past_their_bounds_are_usage_errors() {
    let hostile = ["-1", "0", "NaN", "inf", "1e999", "", "x"];
    let cases: [(&str, &[&str]); 4] = [
        ("--cps", &["1000001"]),
        ("--wpm", &["1000001"]),
        ("--jitter", &["0.91", "2"]),
        ("--typos", &["1.01", "2"]),
    ];
    for (option, past) in cases {
        for value in hostile.iter().chain(past) {
            // 0 is a valid jitter and typo rate.
            if *value == "0" && matches!(option, "--jitter" | "--typos") {
                continue;
            }
            let out = limited(&["type", option, value]).write_stdin("a").output().expect("runs");
            assert_no_crash(&out);
            assert_eq!(out.status.code(), Some(2), "type {option} {value:?}");
            let first =
                String::from_utf8_lossy(&out.stderr).lines().next().unwrap_or("").to_owned();
            assert!(first.contains(option), "type {option} {value:?}: {first}");
            assert!(out.stdout.is_empty());
        }
    }
}

#[test]
fn runaway_escape_sequences_are_typed_through() {
    // ESC [ and 256 KB of digits, and an OSC that never ends: typed as plain bytes, every byte
    // out (it used to hold the sequence until end of input, rescanning it for every read).
    for start in [&b"\x1b["[..], b"\x1b]0;"] {
        let mut input = start.to_vec();
        input.resize(256 << 10, b'5');
        let out = limited(&["type", "--even", "--cps", "1000000"])
            .write_stdin(input.clone())
            .output()
            .expect("runs");
        assert_no_crash(&out);
        assert!(out.status.success());
        assert!(out.stdout == input, "{} bytes out of {}", out.stdout.len(), input.len());
    }
}

#[test]
fn binary_junk_comes_out_unchanged() {
    let input: Vec<u8> = (0..=255u8).cycle().take(64 << 10).collect();
    let out =
        limited(&["type", "--cps", "1000000"]).write_stdin(input.clone()).output().expect("runs");
    assert_no_crash(&out);
    assert!(out.status.success());
    assert!(out.stdout == input);
}

#[test]
fn a_directory_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = dir.path().to_str().expect("utf-8 path");
    let out = limited(&["type", name]).output().expect("runs");
    assert_calm_failure(&out, 1, name);
}
