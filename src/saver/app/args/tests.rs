//! The engine's command line: value checks, the reordering of options given after a screen's
//! name, and drift tests that tie the derived lists, the help and the docs to the definition.

use std::collections::BTreeSet;

use super::*;

/// A whole `fun saver` command line, as the saver parses its words (`argv[1..]`).
fn parse(argv: &[&str]) -> Result<Args, clap::Error> {
    let words: Vec<OsString> = argv[1..].iter().map(OsString::from).collect();
    let (line, _) = crate::tool::parse::<Line>(saver_command(), &engine_options_first(words))?;
    Ok(line.args)
}

/// A whole `fun saver` command line, its words (`argv[1..]`) reordered.
fn reordered(argv: &[&str]) -> Vec<String> {
    let words: Vec<OsString> = argv[1..].iter().map(OsString::from).collect();
    let words = engine_options_first(words);
    argv[..1]
        .iter()
        .map(|a| (*a).to_owned())
        .chain(words.iter().map(|a| a.to_string_lossy().into_owned()))
        .collect()
}

/// A sample value for every engine option that takes one. The drift test fails when an option
/// is added to `Args` without a line here.
const SAMPLES: &[(&str, Option<&str>)] = &[
    ("--list", None),
    ("--fps", Some("30")),
    ("--speed", Some("2")),
    ("--seed", Some("7")),
    ("--color", Some("amber")),
    ("--theme", Some("ice")),
    ("--color-depth", Some("16")),
    ("--headless", None),
    ("--print", None),
    ("--size", Some("40x12")),
    ("--frames", Some("3")),
    ("--ansi", None),
    ("--stream", None),
    ("--time", Some("2026-01-02T03:04:05")),
    ("--resize", Some("1:30x10")),
    ("--every", Some("90s")),
    ("--shuffle", None),
    ("--random", None),
    ("--playlist", Some("evening")),
    ("--transition", Some("none")),
    ("--overlay", Some("clock")),
    ("--overlay-pos", Some("top-left")),
    ("--message", Some("back soon")),
    ("--message-file", Some("msg.txt")),
    ("--dim-after", Some("10m")),
    ("--if-idle", Some("5m")),
    ("--lock", None),
    ("--pam-service", Some("login")),
    ("--config", Some("my.toml")),
    ("--record", Some("out.cast")),
    ("--duration", Some("5s")),
    #[cfg(feature = "test-hooks")]
    ("--test-panic-after", Some("10")),
];

#[test]
fn sizes() {
    assert_eq!(parse_size("80x24"), Ok(Size { width: 80, height: 24 }));
    assert_eq!(parse_size("1000X1000"), Ok(Size::MAX));
    assert!(matches!(parse_size("80"), Err(ValueError::Format { .. })));
    assert!(parse_size("0x5").is_err());
    assert!(parse_size("1001x5").unwrap_err().to_string().starts_with("width: "));
    assert!(parse_size("20000x20000").is_err());
    assert!(parse_size("5x70000").unwrap_err().to_string().starts_with("height: "));
    assert_eq!(parse_resize("3:40x12"), Ok((3, Size { width: 40, height: 12 })));
    assert!(parse_resize("x:40x12").unwrap_err().to_string().starts_with("frame: "));
}

#[test]
fn out_of_range_values_are_usage_errors_naming_the_option() {
    for (argv, option) in [
        (&["--fps", "0"][..], "--fps"),
        (&["--speed", "11"], "--speed"),
        (&["--frames", "0"], "--frames"),
        (&["--frames", "100001"], "--frames"),
        (&["--size", "20000x20000"], "--size"),
    ] {
        let mut full = vec!["fun", "saver", "matrix"];
        full.extend_from_slice(argv);
        let err = parse(&full).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation, "{argv:?}");
        assert!(err.to_string().contains(option), "{err}");
    }
}

#[test]
fn options_after_the_name_move_in_front_of_it() {
    let moved = reordered(&["fun", "saver", "--seed", "3", "matrix", "-M", "hi", "--fps=30"]);
    assert_eq!(moved, ["fun", "saver", "--seed", "3", "--fps=30", "matrix", "-M", "hi"]);
    let moved = reordered(&["fun", "saver", "matrix", "--headless", "-r", "--size", "9x9"]);
    assert_eq!(moved, ["fun", "saver", "--headless", "--size", "9x9", "matrix", "-r"]);
}

#[test]
fn double_dash_keeps_the_rest_for_the_screen() {
    let moved = reordered(&["fun", "saver", "matrix", "--fps", "3", "--", "--fps", "4"]);
    assert_eq!(moved, ["fun", "saver", "--fps", "3", "matrix", "--fps", "4"]);
}

#[test]
fn other_command_lines_are_left_alone() {
    for argv in [
        &["fun", "saver"][..],
        &["fun", "saver", "--fps", "3"],
        &["fun", "saver", "--", "matrix", "--fps", "3"],
        // A value option at the very end has no value to move with it.
        &["fun", "saver", "matrix", "--fps"],
    ] {
        assert_eq!(reordered(argv), argv, "{argv:?}");
    }
}

#[test]
fn the_later_option_wins_and_repeats_add_up() {
    let args = parse(&["fun", "saver", "--fps", "5", "--headless", "matrix", "--fps", "10"])
        .expect("parses");
    assert_eq!((args.fps, args.headless), (Some(10.0), true));
    let args =
        parse(&["fun", "saver", "--resize", "1:20x5", "clock", "--resize", "2:30x6"]).expect("ok");
    assert_eq!(args.resize.len(), 2);
    assert_eq!(args.screen, ["clock"]);
}

/// Every long option of the definition.
fn defined() -> BTreeSet<String> {
    engine_options().iter().map(|o| o.long.clone()).collect()
}

#[test]
fn every_engine_option_works_before_and_after_the_name() {
    let sampled: BTreeSet<String> = SAMPLES.iter().map(|(o, _)| (*o).to_owned()).collect();
    assert_eq!(sampled, defined(), "SAMPLES and the Args definition differ");
    for (option, value) in SAMPLES {
        let given: Vec<&str> = std::iter::once(*option).chain(*value).collect();
        let mut before = vec!["fun", "saver"];
        before.extend(&given);
        before.push("matrix");
        let mut after = vec!["fun", "saver", "matrix"];
        after.extend(&given);
        assert_eq!(reordered(&after), before, "{option}");
        let (a, b) = (parse(&before).expect("before"), parse(&after).expect("after"));
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{option}");
        assert_eq!(b.screen, ["matrix"], "{option} was left to the screen");
    }
}

#[test]
fn the_screen_help_and_the_docs_name_every_option() {
    let help = engine_help();
    let docs = include_str!("../../../../docs/saver.md");
    let command = <Args as clap::Args>::augment_args(clap::Command::new("fun saver"));
    for arg in command.get_arguments() {
        let Some(long) = arg.get_long() else { continue };
        let option = format!("`--{long}");
        if !arg.is_hide_set() && long != "list" {
            assert!(help.contains(&format!("--{long}")), "--{long} missing from:\n{help}");
        }
        assert!(docs.contains(&option), "docs/saver.md does not mention --{long}");
    }
}
