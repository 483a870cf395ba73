//! `fun saver`: the screen list, per-screen help, errors, and headless renders of the built-in
//! screens at fixed seeds and sizes (asserted on content), resize, the too-small view, and the
//! engine's escape stream replayed through the vt100 crate.

use std::num::NonZeroU16;

use predicates::prelude::*;

use crate::util::fun;

/// The built-in screens, as the registry lists them (so a new screen is tested at once).
fn builtin() -> Vec<String> {
    fun::saver::registry::builtin().into_iter().map(|info| info.name).collect()
}

/// Runs `fun saver ARGS` and returns stdout, asserting success.
fn saver(args: &[&str]) -> String {
    let assert = fun().arg("saver").args(args).assert().success();
    String::from_utf8(assert.get_output().stdout.clone()).expect("utf-8 output")
}

fn headless(screen: &[&str], size: &str, frames: u32, seed: u32) -> String {
    let frames = frames.to_string();
    let seed = seed.to_string();
    let mut args = screen.to_vec();
    args.extend([
        "--headless",
        "--size",
        size,
        "--frames",
        &frames,
        "--seed",
        &seed,
        "--time",
        "2026-11-22T12:34:56",
    ]);
    saver(&args)
}

fn vt(rows: u16, cols: u16) -> vt100::Parser {
    let nz = |n: u16| NonZeroU16::new(n).expect("non-zero size");
    vt100::Parser::new(nz(rows), nz(cols), 0)
}

#[test]
fn no_screen_lists_every_builtin() {
    for args in [&[][..], &["--list"], &["-l"]] {
        let out = saver(args);
        for name in builtin() {
            let line = out.lines().find(|l| l.starts_with(&name)).unwrap_or_else(|| {
                panic!("{name} missing from the list:\n{out}");
            });
            // NAME, at least two spaces, a description.
            let rest = &line[name.len()..];
            assert!(rest.starts_with("  ") && rest.trim().len() > 10, "{line:?}");
        }
    }
}

#[test]
fn each_screen_has_help_with_examples_and_engine_options() {
    for name in builtin() {
        let out = saver(&[&name, "--help"]);
        assert!(out.contains(&format!("Usage: fun saver {name}")), "{out}");
        assert!(out.contains("Examples:"), "{out}");
        assert!(out.contains("--fps"), "{out}");
    }
}

#[test]
fn unknown_screen_lists_the_names() {
    let assert = fun().args(["saver", "nosuchscreen"]).assert().code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("nosuchscreen"), "{err}");
    for name in builtin() {
        assert!(err.contains(&name), "{name} not offered: {err}");
    }
}

#[test]
fn bad_options_are_usage_errors() {
    // One policy: a value outside its range, a bad value or an unknown option is clap's usage
    // error (one `error:` line naming the option, then a hint), exit 2; nothing is clamped.
    for (args, needle) in [
        (&["matrix", "-d", "9"][..], "--density"),
        (&["matrix", "-C", "puce"], "-C"),
        (&["clock", "-z", "9"], "--scale"),
        (&["sysmon", "-i", "0"], "--interval"),
        (&["matrix", "--fps", "0"], "--fps"),
        (&["matrix", "--speed", "100"], "--speed"),
        (&["matrix", "--bogus"], "--bogus"),
        (&["matrix", "-g", "runes"], "runes"),
        (&["matrix", "--size", "10"], "--size"),
        (&["matrix", "--color", "puce"], "puce"),
        (&["--theme", "plaid", "clock"], "plaid"),
    ] {
        let out = fun().arg("saver").args(args).assert().code(2).get_output().stderr.clone();
        let err = String::from_utf8_lossy(&out);
        let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{args:?}: {err}");
        assert!(errors[0].contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn without_a_terminal_it_exits_1_with_a_message() {
    fun()
        .args(["saver", "matrix"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a terminal"));
}

#[test]
fn matrix_snapshot_is_reproducible_and_uses_its_glyphs() {
    let a = headless(&["matrix", "-g", "binary"], "60x20", 40, 7);
    let b = headless(&["matrix", "-g", "binary"], "60x20", 40, 7);
    assert_eq!(a, b, "same seed, same frame");
    assert_eq!(a.lines().count(), 20);
    assert!(a.lines().all(|l| l.chars().count() <= 60));
    assert!(a.chars().all(|c| "01 \n".contains(c)), "{a}");
    let glyphs = a.chars().filter(|c| *c == '0' || *c == '1').count();
    assert!(glyphs > 150, "too little rain ({glyphs}):\n{a}");
    let c = headless(&["matrix", "-g", "binary"], "60x20", 40, 8);
    assert_ne!(a, c, "another seed, another frame");
}

#[test]
fn matrix_katakana_and_message() {
    let out = headless(&["matrix", "-k", "-M", "BRB"], "61x21", 30, 3);
    let kana = out.chars().filter(|c| ('\u{FF66}'..='\u{FF9D}').contains(c)).count();
    assert!(kana > 100, "{out}");
    let line = out.lines().nth(10).expect("row 10");
    assert!(line.contains("  BRB  "), "message row: {line:?}");
    let col = line.chars().position(|c| c == 'B').expect("B");
    assert_eq!(col, 29, "{line:?}");
}

#[test]
fn matrix_animates_between_frames() {
    // (That drops fall, not rise, is a unit test in src/saver/screens/matrix.rs.)
    let early = headless(&["matrix", "-g", "digits"], "40x30", 1, 11);
    let later = headless(&["matrix", "-g", "digits"], "40x30", 26, 11);
    assert_ne!(early, later);
}

#[test]
fn clock_snapshot() {
    // 40 columns are too narrow for HH:MM:SS at scale 1 (47 columns): the too-small view.
    let out = headless(&["clock", "--no-drift"], "40x10", 1, 0);
    assert!(out.contains("too small"), "{out}");
    let out = headless(&["clock", "--no-drift"], "60x9", 1, 0);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows[1], "          ██ ██████    ██████ ██  ██    ██████ ██████");
    assert_eq!(rows[2], "          ██     ██ ██     ██ ██  ██ ██ ██     ██");
    assert_eq!(rows[3], "          ██ ██████    ██████ ██████    ██████ ██████");
    assert_eq!(rows[4], "          ██ ██     ██     ██     ██ ██     ██ ██  ██");
    assert_eq!(rows[7].trim(), "Sunday, 22 November 2026");
}

#[test]
fn clock_advances_with_simulated_time() {
    // 3 frames: 12:34:56, :57, :58 -> the seconds digits show 58.
    let out = headless(&["clock", "--no-drift", "-D"], "60x9", 3, 0);
    let rows: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
    // The seconds read 58: the second pixel row of an 8 has both sides lit (a 6 would not),
    // and there is no date line.
    assert!(rows[1].ends_with("██  ██"), "{out}");
    assert!(!out.contains("2026"), "{out}");
}

#[test]
fn clock_binary_and_twelve_hour() {
    let out = headless(&["clock", "-b", "-f", "%Y-%m-%d"], "50x10", 1, 0);
    assert!(out.contains("2026-11-22"), "{out}");
    assert!(out.contains("··"), "{out}");
    let out = headless(&["clock", "-t"], "80x12", 1, 0);
    assert!(out.contains("PM"), "{out}");
}

#[test]
fn randtxt_shows_the_word() {
    let out = headless(&["randtxt", "-w", "hello world"], "50x12", 40, 1);
    assert_eq!(out.matches("hello world").count(), 1, "{out}");
}

#[test]
fn sysmon_demo_graphs() {
    let out = headless(&["sysmon", "--source", "demo"], "60x16", 30, 4);
    assert!(out.starts_with(" CPU "), "{out}");
    assert!(out.contains(" MEM ") && out.contains("GiB"), "{out}");
    assert!(out.contains('█'), "{out}");
    let ascii = headless(&["sysmon", "--source", "demo", "-a"], "60x16", 30, 4);
    assert!(ascii.contains('#') && !ascii.contains('█'), "{ascii}");
}

#[test]
fn sysmon_reads_proc() {
    let out = headless(&["sysmon"], "60x16", 3, 4);
    assert!(out.contains("CPU") && out.contains("MEM"), "{out}");
}

#[test]
fn resize_relayouts() {
    let out = saver(&[
        "matrix",
        "--headless",
        "--size",
        "60x20",
        "--frames",
        "10",
        "--seed",
        "1",
        "--resize",
        "5:30x8",
    ]);
    assert_eq!(out.lines().count(), 8, "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 30), "{out}");
    assert!(out.trim().len() > 20, "rain continues after the resize:\n{out}");
    // Growing back from too small to big enough resumes the screen.
    let out = saver(&[
        "clock",
        "--headless",
        "--size",
        "10x3",
        "--frames",
        "3",
        "--resize",
        "2:70x10",
        "--no-drift",
        "--time",
        "2026-11-22T12:34:56",
    ]);
    assert!(out.contains("Sunday") && !out.contains("small"), "{out}");
}

#[test]
fn too_small_view() {
    let out = headless(&["sysmon"], "20x5", 2, 0);
    assert!(out.contains("too small"), "{out}");
    assert!(out.contains("sysmon needs 30x8"), "{out}");
    assert!(out.contains("this is 20x5"), "{out}");
}

#[test]
fn engine_options_work_after_the_screen_name() {
    let before =
        saver(&["--seed", "5", "matrix", "--headless", "--size", "30x10", "--frames", "5"]);
    let after = saver(&["matrix", "--seed", "5", "--headless", "--size=30x10", "--frames", "5"]);
    assert_eq!(before, after);
}

#[test]
fn escape_stream_replays_to_the_same_grid() {
    for screen in [
        &["matrix"][..],
        &["matrix", "-r", "-b"],
        &["matrix", "-g", "zenkaku", "-M", "wide ｱ"],
        &["clock"],
        &["sysmon", "--source", "demo"],
    ] {
        let mut args = screen.to_vec();
        let common = ["--headless", "--size", "70x20", "--frames", "60", "--seed", "9"];
        args.extend(common);
        args.extend(["--time", "2026-11-22T23:59:30"]);
        let text = saver(&args);
        let mut stream_args = args.clone();
        stream_args.extend(["--stream", "--color-depth", "256"]);
        let assert = fun().arg("saver").args(&stream_args).assert().success();
        let mut parser = vt(20, 70);
        parser.process(&assert.get_output().stdout);
        let screen_grid = parser.screen();
        let mut replayed = String::new();
        for row in 0..20 {
            let mut line = String::new();
            for col in 0..70 {
                let cell = screen_grid.cell(row, col).expect("cell");
                if cell.is_wide_continuation() {
                    continue;
                }
                let contents = cell.contents();
                let block = cell.bgcolor() != vt100::Color::Default || cell.inverse();
                line.push_str(match contents {
                    "" | " " if block => "█",
                    "" => " ",
                    s => s,
                });
            }
            replayed.push_str(line.trim_end());
            replayed.push('\n');
        }
        assert_eq!(replayed, text, "{screen:?}");
    }
}

#[test]
fn escape_stream_uses_the_alternate_screen_only_through_the_guard() {
    // The headless stream is frames only: no mode switches, no scrollback erase (ED 3).
    let assert = fun()
        .args([
            "saver",
            "matrix",
            "--headless",
            "--frames",
            "5",
            "--stream",
            "--color-depth",
            "256",
        ])
        .assert()
        .success();
    let out = &assert.get_output().stdout;
    let text = String::from_utf8_lossy(out);
    assert!(!text.contains("\x1b[3J"));
    assert!(!text.contains("\x1b[?1049"));
    assert!(text.contains("\x1b[?2026h"), "frames are synchronized updates");
}

#[test]
fn color_depths_and_no_color() {
    let run = |env_no_color: bool, extra: &[&str]| {
        let mut cmd = fun();
        cmd.args(["saver", "matrix", "--headless", "--size", "40x10", "--frames", "3", "--ansi"]);
        cmd.args(extra).env_remove("NO_COLOR").env("TERM", "xterm-256color");
        if env_no_color {
            cmd.env("NO_COLOR", "1");
        }
        let assert = cmd.assert().success();
        String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
    };
    let mono = run(true, &[]);
    assert!(!mono.contains("38;"), "NO_COLOR: no colours");
    assert!(mono.contains("\x1b[1m"), "NO_COLOR keeps bold heads");
    let c256 = run(false, &[]);
    assert!(c256.contains("38;5;") && !c256.contains("38;2;"), "256 colours from TERM");
    let truecolor = run(false, &["--color-depth", "truecolor"]);
    assert!(truecolor.contains("38;2;"));
    let sixteen = run(false, &["--color-depth", "16", "--color", "#ff8800"]);
    assert!(!sixteen.contains("38;5;") && !sixteen.contains("38;2;"));
}
