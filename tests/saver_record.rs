//! `fun saver NAME --record FILE.cast`: the asciicast v2 file parsed line by line (header,
//! events with the simulated clock at the screen's frame rate), its bytes compared with the
//! stream of a headless run, its replay through vt100 compared with the headless frame, and
//! the errors (the 64 MiB cap is a unit test in src/saver/record.rs). `.ci/checks/record.sh` has asciinema itself read a recording.

use std::num::NonZeroU16;
use std::path::Path;

use predicates::prelude::*;

use crate::util::fun;

/// The engine options shared by the recording and the headless runs it is compared with.
const SAME: [&str; 10] = [
    "--seed",
    "7",
    "--fps",
    "10",
    "--color-depth",
    "256",
    "--time",
    "2026-12-24T20:15:42",
    "--size",
    "40x12",
];

/// The terminal guard's opening bytes: alternate screen, hidden cursor, no auto-wrap, focus
/// reports.
const OPENING: &str = "\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[?1004h";

fn record(screen: &str, dir: &Path, extra: &[&str]) -> (serde_json::Value, Vec<(f64, String)>) {
    let cast = dir.join(format!("{screen}.cast"));
    fun()
        .args(["saver", screen, "--record"])
        .arg(&cast)
        .args(SAME)
        .args(extra)
        .env("XDG_CONFIG_HOME", dir)
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&cast).expect("the recording");
    let mut lines = text.lines();
    let header: serde_json::Value =
        serde_json::from_str(lines.next().expect("a header")).expect("header JSON");
    let events = lines
        .map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).expect("event JSON");
            let array = event.as_array().expect("an event is an array");
            assert_eq!(array.len(), 3, "{line}");
            assert_eq!(array[1], "o", "{line}");
            let time = array[0].as_f64().expect("a time");
            (time, array[2].as_str().expect("data").to_owned())
        })
        .collect();
    (header, events)
}

fn headless(screen: &str, dir: &Path, extra: &[&str]) -> Vec<u8> {
    let out = fun()
        .args(["saver", screen, "--headless"])
        .args(SAME)
        .args(extra)
        .env("XDG_CONFIG_HOME", dir)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn a_recording_is_asciicast_v2_with_the_engine_clock_and_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (header, events) = record("matrix", dir.path(), &["--duration", "2s"]);
    assert_eq!(header["version"], 2);
    assert_eq!(header["width"], 40);
    assert_eq!(header["height"], 12);
    assert_eq!(header["title"], "fun saver matrix");
    assert!(header["timestamp"].as_i64().is_some_and(|t| t > 1_600_000_000), "{header}");
    assert!(header["env"]["TERM"].is_string(), "{header}");
    // --fps 10 for 2 s: frames at 0.0, 0.1, ... 2.0 (matrix changes every frame).
    let times: Vec<f64> = events.iter().map(|(t, _)| *t).collect();
    assert_eq!(times.len(), 21, "{times:?}");
    for (i, time) in times.iter().enumerate() {
        assert!((time - i as f64 / 10.0).abs() < 1e-6, "{times:?}");
    }
    // The bytes are those a terminal would get: the guard's opening, then the engine's frames,
    // exactly what a headless run of the same 21 frames streams.
    let recorded: String = events.iter().map(|(_, data)| data.as_str()).collect();
    let streamed = headless("matrix", dir.path(), &["--frames", "21", "--stream"]);
    assert_eq!(recorded, format!("{OPENING}{}", String::from_utf8(streamed).expect("UTF-8")));
    // Replayed, the last frame is the headless frame.
    let nz = |n: u16| NonZeroU16::new(n).expect("non-zero");
    let mut parser = vt100::Parser::new(nz(12), nz(40), 0);
    parser.process(recorded.as_bytes());
    let replayed: Vec<String> =
        parser.screen().rows(0, 40).map(|row| row.trim_end().to_owned()).collect();
    let frame = String::from_utf8(headless("matrix", dir.path(), &["--frames", "21"])).unwrap();
    let expected: Vec<&str> = frame.lines().collect();
    assert_eq!(replayed, expected);
    assert!(replayed.iter().any(|row| !row.is_empty()), "an empty frame proves nothing");
}

#[test]
fn the_default_length_is_ten_seconds_at_the_screens_own_rate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cast = dir.path().join("clock.cast");
    fun()
        .args(["saver", "clock", "--record"])
        .arg(&cast)
        .args(["--size", "60x12", "--time", "2026-12-24T20:15:42"])
        .assert()
        .success();
    let text = std::fs::read_to_string(&cast).expect("the recording");
    let last: serde_json::Value =
        serde_json::from_str(text.lines().last().expect("events")).expect("JSON");
    let end = last[0].as_f64().expect("a time");
    // The clock redraws just after each second turns: the last change is at about 10 s.
    assert!((9.0..=10.1).contains(&end), "the last change at {end} s");
    // The clock draws once a second: ten or eleven changes, not hundreds of frames.
    let events = text.lines().count() - 1;
    assert!((10..=11).contains(&events), "{events} events");
}

#[test]
fn bad_uses_are_refused_and_nothing_is_left_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cast = dir.path().join("keep.cast");
    std::fs::write(&cast, "precious").expect("write");
    // A screen option error: the existing file is untouched, no temporary file remains.
    fun().args(["saver", "matrix", "--no-such-option", "--record"]).arg(&cast).assert().code(2);
    assert_eq!(std::fs::read_to_string(&cast).unwrap(), "precious");
    fun()
        .args(["saver", "matrix", "--duration", "5s"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--duration needs --record"));
    fun()
        .args(["saver", "matrix", "--record", "x.cast", "--duration", "2h"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--duration"));
    fun()
        .args(["saver", "matrix", "--record", "/dev/null"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/dev/null: exists and is not a regular file"));
    fun()
        .args(["saver", "matrix", "--record"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a regular file"));
    fun()
        .args(["saver", "matrix", "--record", "/nonexistent-dir/x.cast"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/nonexistent-dir/x.cast: cannot write in its folder"));
    fun().args(["saver", "matrix", "--headless", "--record", "x.cast"]).assert().code(2);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["keep.cast"]);
}

#[test]
fn sigterm_stops_a_long_recording_and_removes_the_temporary_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["saver", "matrix", "--record"])
        .arg(dir.path().join("long.cast"))
        .args(["--duration", "1h", "--fps", "240", "--size", "200x60"])
        .spawn()
        .expect("starts");
    // Wait (a hang detector, not a time limit) until the recording is under way.
    let started = std::time::Instant::now();
    while std::fs::read_dir(dir.path()).unwrap().count() == 0 {
        assert!(started.elapsed().as_secs() < 60, "no temporary file appeared");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("signal sent");
    let status = child.wait().expect("ends");
    assert_eq!(status.code(), Some(143));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "a file was left behind");
}
