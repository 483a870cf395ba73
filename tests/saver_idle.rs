//! `fun saver` as an installed screensaver: the config file, rotation and playlists, overlays,
//! the clock's countdown, stopwatch and time zones, the bundled fortunes, and the idle-trigger
//! snippets. Headless runs with fixed seeds and times; the real-terminal parts are in
//! .ci/checks/idle.sh.

use std::path::Path;

use crate::util::fun;

/// A private config folder holding `text` as `fun/config.toml` (or nothing).
fn config_home(text: Option<&str>) -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("tempdir");
    if let Some(text) = text {
        std::fs::create_dir_all(home.path().join("fun")).expect("mkdir");
        std::fs::write(home.path().join("fun/config.toml"), text).expect("write");
    }
    home
}

/// `fun saver ARGS` with the config folder `home`; (status, stdout, stderr).
fn saver_in(home: &Path, args: &[&str]) -> (i32, String, String) {
    let out = fun()
        .arg("saver")
        .args(args)
        .env("XDG_CONFIG_HOME", home)
        .env_remove("FUN_CONFIG")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const CLOCK_AT: [&str; 6] =
    ["--headless", "--size", "60x12", "--time", "2026-03-04T05:06:07", "clock"];

#[test]
fn the_example_config_parses_and_is_reported_back() {
    let home = config_home(None);
    let (code, example, _) = saver_in(home.path(), &["config", "--example"]);
    assert_eq!(code, 0);
    let home = config_home(Some(&example));
    let (code, report, stderr) = saver_in(home.path(), &["config"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{report}");
    assert!(report.contains("theme = \"green\"  # "), "{report}");
    assert!(report.contains("[saver.screen.clock]"), "{report}");
}

#[test]
fn the_config_report_says_where_each_value_comes_from() {
    let home = config_home(Some("[saver]\ntheme = \"amber\"\nspeed = 2\n"));
    let (code, report, _) = saver_in(home.path(), &["--speed", "3", "config"]);
    assert_eq!(code, 0);
    assert!(report.contains("speed = 3  # command line"), "{report}");
    assert!(
        report.contains("theme = \"amber\"  # ") && report.contains("config.toml:2"),
        "{report}"
    );
    assert!(report.contains("# fps: not set"), "{report}");
}

#[test]
fn screen_defaults_from_the_config_and_the_command_line_wins() {
    let home = config_home(Some("[saver.screen.clock]\nformat = \"year %Y\"\n"));
    let (code, out, _) = saver_in(home.path(), &CLOCK_AT);
    assert_eq!(code, 0);
    assert!(out.contains("year 2026"), "{out}");
    let mut args = CLOCK_AT.to_vec();
    args.extend(["-f", "day %d"]);
    let (_, out, _) = saver_in(home.path(), &args);
    assert!(out.contains("day 04") && !out.contains("year"), "{out}");
}

#[test]
fn config_flag_and_environment_choose_the_file() {
    let home = config_home(None);
    let file = home.path().join("other.toml");
    std::fs::write(&file, "[saver.screen.clock]\nformat = \"other %Y\"\n").expect("write");
    let path = file.to_str().expect("utf-8");
    let mut args = vec!["--config", path];
    args.extend(CLOCK_AT);
    let (_, out, _) = saver_in(home.path(), &args);
    assert!(out.contains("other 2026"), "{out}");
    let out = fun()
        .arg("saver")
        .args(CLOCK_AT)
        .env("XDG_CONFIG_HOME", home.path())
        .env("FUN_CONFIG", &file)
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("other 2026"));
    let (code, _, stderr) = saver_in(home.path(), &["--config", "/nonexistent/x.toml", "clock"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("/nonexistent/x.toml"), "{stderr}");
}

#[test]
fn a_problem_in_a_used_section_stops_the_run_and_names_the_place() {
    let home = config_home(Some("[saver.screen.clock]\ntwelv = true\n"));
    let (code, out, stderr) = saver_in(home.path(), &CLOCK_AT);
    assert_eq!(code, 2, "{out}");
    assert!(
        stderr.contains(
            "config.toml:2:1: saver.screen.clock: unknown key \"twelv\" (did you mean \"twelve\"?)"
        ),
        "{stderr}"
    );
}

#[test]
fn a_problem_in_an_unused_section_is_reported_and_the_saver_starts() {
    let home = config_home(Some("[saver.screen.matrix]\ndensty = 2\n"));
    let (code, out, stderr) = saver_in(home.path(), &CLOCK_AT);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.contains("2026"), "{out}");
    assert!(stderr.contains("unknown key \"densty\" (did you mean \"density\"?)"), "{stderr}");
    assert!(stderr.contains("not used now"), "{stderr}");
}

#[test]
fn a_syntax_error_names_the_file_line_and_column() {
    let home = config_home(Some("[saver]\ntheme = \"amber\n"));
    let (code, _, stderr) = saver_in(home.path(), &CLOCK_AT);
    assert_eq!(code, 1);
    assert!(stderr.contains("config.toml:2:"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
