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

/// The fixed-time headless clock ([`CLOCK_AT`]) with `config` as the config file.
fn clock_with_config(config: &str) -> (i32, String, String) {
    saver_in(config_home(Some(config)).path(), &CLOCK_AT)
}

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
    let (code, out, stderr) = clock_with_config("[saver.screen.clock]\ntwelv = true\n");
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
    let (code, out, stderr) = clock_with_config("[saver.screen.matrix]\ndensty = 2\n");
    assert_eq!(code, 0, "{stderr}");
    assert!(out.contains("2026"), "{out}");
    assert!(stderr.contains("unknown key \"densty\" (did you mean \"density\"?)"), "{stderr}");
    assert!(stderr.contains("not used now"), "{stderr}");
}

#[test]
fn a_syntax_error_names_the_file_line_and_column() {
    let (code, _, stderr) = clock_with_config("[saver]\ntheme = \"amber\n");
    assert_eq!(code, 1);
    assert!(stderr.contains("config.toml:2:"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// A headless run of `args` with a fixed seed and start time, in an empty config folder.
fn headless(args: &[&str], size: &str, frames: u32) -> String {
    let home = config_home(None);
    let frames = frames.to_string();
    let mut full = vec!["--headless", "--size", size, "--frames", &frames, "--seed", "3"];
    full.extend(["--time", "2026-03-04T05:06:07"]);
    full.extend(args);
    let (code, out, stderr) = saver_in(home.path(), &full);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    out
}

#[test]
fn a_list_of_screens_rotates_every_so_often() {
    // The clock draws once a second: frames 1-6 cover the first 5 s, then the change.
    let args =
        ["clock", "-n", "+", "randtxt", "-w", "HELLO", "--every", "5s", "--transition", "none"];
    let before = headless(&args, "50x10", 5);
    assert!(before.contains('█') && !before.contains("HELLO"), "{before}");
    let after = headless(&args, "50x10", 12);
    assert!(!after.contains('█'), "the clock is gone:\n{after}");
}

#[test]
fn the_dissolve_mixes_the_two_screens_for_a_second() {
    // The clock's frames 1-11 cover 10 s, then 30 frames a second dissolve it.
    let args = ["clock", "-n", "+", "randtxt", "-w", "HELLO", "-d", "60", "--every", "10s"];
    let blocks = |text: &str| text.matches('█').count();
    let full = blocks(&headless(&args, "50x10", 6));
    let middle = blocks(&headless(&args, "50x10", 27));
    let done = blocks(&headless(&args, "50x10", 44));
    assert!(full > 40 && middle > 0 && middle < full && done == 0, "{full} {middle} {done}");
}

#[test]
fn a_bare_list_of_names_and_the_plus_syntax_agree() {
    let a = headless(&["clock", "randtxt", "--every", "5s", "--transition", "none"], "50x10", 12);
    let b =
        headless(&["clock", "+", "randtxt", "--every", "5s", "--transition", "none"], "50x10", 12);
    assert_eq!(a, b);
}

#[test]
fn bad_rotations_are_usage_errors_naming_the_problem() {
    let home = config_home(None);
    for (args, names) in [
        (&["matrix", "+"][..], "the screens"),
        (&["matrix", "+", "clock", "-q"], "'-q'"),
        (&["matrix", "clock", "--every", "1s"], "--every"),
        (&["matrix", "clock", "--every", "25h"], "--every"),
        (&["matrix", "clock", "--transition", "wipe"], "--transition"),
    ] {
        let (code, _, stderr) = saver_in(home.path(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(names), "{args:?}: {stderr}");
    }
    let (code, _, stderr) = saver_in(home.path(), &["matrix", "+", "nosuch"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown screen \"nosuch\""), "{stderr}");
}

#[test]
fn playlists_come_from_the_config() {
    let home = config_home(Some(
        "[saver.playlist.morning]\nscreens = [\"clock -n\", [\"randtxt\", \"-w\", \"GOOD DAY\"]]\n\
         every = \"5s\"\ntransition = \"none\"\n",
    ));
    let run = |frames: &str| {
        let args = [
            "--playlist",
            "morning",
            "--headless",
            "--size",
            "50x10",
            "--frames",
            frames,
            "--seed",
            "3",
        ];
        saver_in(home.path(), &args)
    };
    let (code, out, stderr) = run("3");
    assert_eq!(code, 0, "{stderr}");
    assert!(out.contains('█'), "{out}");
    let (_, out, _) = run("12");
    assert!(!out.contains('█'), "{out}");
    let (code, _, stderr) = saver_in(home.path(), &["--playlist", "mornin"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown playlist \"mornin\" (did you mean \"morning\"?)"), "{stderr}");
}

#[test]
fn a_broken_playlist_stops_only_the_runs_that_play_it() {
    let home = config_home(Some("[saver.playlist.bad]\nscreens = [\"clock --nope\"]\n"));
    let (code, _, stderr) = saver_in(home.path(), &["--playlist", "bad"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("config.toml:2:12: saver.playlist.bad.screens: clock:"), "{stderr}");
    let (code, _, stderr) = saver_in(home.path(), &CLOCK_AT);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("not used now"), "{stderr}");
}

#[test]
fn random_plays_screens_from_the_whole_list() {
    let out = headless(&["--random", "--every", "5s", "--transition", "none"], "60x16", 3);
    assert!(!out.trim().is_empty(), "{out}");
}

#[test]
fn overlays_draw_a_readable_box_over_any_screen() {
    let out = headless(
        &[
            "matrix",
            "-d",
            "4",
            "--overlay",
            "clock",
            "--overlay",
            "date",
            "--message",
            "build 73% done",
        ],
        "60x14",
        30,
    );
    let lines: Vec<&str> = out.lines().collect();
    let clock = lines.iter().position(|l| l.contains("05:06:")).expect("the clock");
    assert!(lines[clock + 1].contains("Wed 4 Mar 2026"), "{out}");
    assert!(lines[clock + 2].contains("build 73% done"), "{out}");
    // Cleared cells around the text, over the busiest rain.
    let at = lines[clock + 2].find("build").expect("message");
    assert_eq!(&lines[clock + 2][at - 2..at], "  ", "{out}");
}

#[test]
fn a_message_file_is_shown_sanitised_and_a_fifo_never_blocks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("status");
    std::fs::write(&file, "deploy \x1b]52;c;aGk=\x07step 3/5\x1b[2J\n").expect("write");
    let path = file.to_str().expect("utf-8");
    let out = headless(&["clock", "--message-file", path, "--overlay-pos", "top"], "60x14", 2);
    assert!(out.contains("deploy step 3/5"), "{out}");
    let fifo = dir.path().join("fifo");
    rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from_raw_mode(0o600))
        .expect("mkfifo");
    let out = headless(&["clock", "--message-file", fifo.to_str().expect("utf-8")], "60x14", 2);
    assert!(out.contains("is a FIFO"), "{out}");
}

#[test]
fn dim_after_fades_the_colours() {
    let args =
        ["plasma", "--dim-after", "10s", "--ansi", "--color-depth", "truecolor", "--fps", "2"];
    let bright = headless(&args, "40x10", 2);
    let dark = headless(&args, "40x10", 40);
    let brightness = |text: &str| -> u64 {
        text.split("\x1b[")
            .filter_map(|sgr| sgr.split_once('m'))
            .map(|(params, _)| {
                params
                    .split(';')
                    .filter_map(|p| p.parse::<u64>().ok())
                    .filter(|v| *v <= 255)
                    .sum::<u64>()
            })
            .sum::<u64>()
            / text.matches("\x1b[").count().max(1) as u64
    };
    assert!(
        brightness(&dark) < brightness(&bright),
        "{} {}",
        brightness(&dark),
        brightness(&bright)
    );
}

#[test]
fn a_countdown_rings_the_bell_once_at_zero() {
    let home = config_home(None);
    let args = [
        "--headless",
        "--stream",
        "--size",
        "60x12",
        "--frames",
        "12",
        "clock",
        "--countdown",
        "3s",
    ];
    let out =
        fun().arg("saver").args(args).env("XDG_CONFIG_HOME", home.path()).output().expect("runs");
    assert!(out.status.success());
    assert_eq!(out.stdout.iter().filter(|&&b| b == 0x07).count(), 1);
}

#[test]
fn the_clock_shows_several_cities_side_by_side() {
    let out = fun()
        .args([
            "saver",
            "--headless",
            "--size",
            "110x12",
            "--time",
            "2026-03-04T05:06:07",
            "clock",
            "-n",
        ])
        .args(["--tz", "Europe/Paris", "--tz", "Asia/Tokyo", "--tz", "America/New_York"])
        .env("TZ", "UTC")
        .env("XDG_CONFIG_HOME", config_home(None).path())
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let names = text.lines().find(|l| l.contains("Paris")).expect("names");
    assert!(names.contains("Tokyo") && names.contains("New York"), "{text}");
}

#[test]
fn clock_options_are_bounded_and_checked() {
    let home = config_home(None);
    for (args, names) in [
        (&["clock", "--countdown", "0s"][..], "--countdown"),
        (&["clock", "--countdown", "100h"], "--countdown"),
        (&["clock", "--countdown", "1m", "--stopwatch"], "--stopwatch"),
        (&["clock", "--tz", "Europe/Pari"], "Europe/Paris"),
        (&["clock", "--stopwatch", "-b"], "--binary"),
    ] {
        let (code, _, stderr) = saver_in(home.path(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(names), "{args:?}: {stderr}");
    }
    let mut nine = vec!["clock"];
    for _ in 0..9 {
        nine.extend(["--tz", "UTC"]);
    }
    let (code, _, stderr) = saver_in(home.path(), &nine);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("at most 8 zones"), "{stderr}");
}

#[test]
fn fill_makes_the_digits_as_big_as_the_window() {
    let small = headless(&["clock", "--no-drift"], "120x40", 1).matches('█').count();
    let filled = headless(&["clock", "--fill", "--no-drift"], "120x40", 1).matches('█').count();
    assert!(filled > small * 3, "{small} {filled}");
}

#[test]
fn fortune_without_the_fortune_program_shows_our_own_collection() {
    let home = config_home(None);
    let out = fun()
        .args(["saver", "fortune", "--headless", "--size", "80x12", "--seed", "1"])
        .env("XDG_CONFIG_HOME", home.path())
        .env("PATH", "/nonexistent")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    if !Path::new("/usr/games/fortune").exists() {
        assert!(text.trim().len() > 10 && !text.contains("No such file"), "{text}");
    }
    let bundled = headless(&["fortune", "--bundled"], "80x12", 1);
    assert!(bundled.trim().len() > 10, "{bundled}");
}

#[test]
fn fortune_takes_a_fortune_format_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mine");
    std::fs::write(&file, "only this one\n%\n").expect("write");
    let out = headless(&["fortune", "--file", file.to_str().expect("utf-8")], "60x8", 1);
    assert!(out.contains("only this one"), "{out}");
}

#[test]
fn install_prints_the_snippet_for_each_environment() {
    let home = tempfile::tempdir().expect("tempdir");
    let (code, tmux, _) = crate::util::saver_in_home(
        home.path(),
        &["install", "tmux", "--after", "90s", "matrix", "-r"],
    );
    assert_eq!(code, 0);
    assert!(
        tmux.contains("set -g lock-after-time 90") && tmux.contains("saver matrix -r\""),
        "{tmux}"
    );
    assert!(tmux.contains(".tmux.conf"), "{tmux}");
    let (_, screen, _) = crate::util::saver_in_home(home.path(), &["install", "screen"]);
    assert!(screen.contains("idle 300 blanker") && screen.contains("\"matrix\""), "{screen}");
    let (_, zsh, _) = crate::util::saver_in_home(
        home.path(),
        &["install", "zsh", "--after", "10m", "clock", "-t"],
    );
    assert!(zsh.contains("TMOUT=600") && zsh.contains("--if-idle=600s clock -t"), "{zsh}");
    let (_, fish, _) = crate::util::saver_in_home(home.path(), &["install", "fish"]);
    assert!(fish.contains("--on-signal USR1") && fish.contains("config.fish"), "{fish}");
    let (code, bash, _) = crate::util::saver_in_home(home.path(), &["install", "bash"]);
    assert_eq!(code, 0);
    assert!(bash.contains("no safe idle hook") && bash.contains("install tmux"), "{bash}");
    let (code, _, stderr) =
        crate::util::saver_in_home(home.path(), &["install", "bash", "--apply"]);
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn install_apply_is_idempotent_and_uninstall_gives_the_file_back() {
    let home = tempfile::tempdir().expect("tempdir");
    let rc = home.path().join(".tmux.conf");
    let original = "set -g mouse on\nbind r source-file ~/.tmux.conf\n";
    std::fs::write(&rc, original).expect("write");
    let (code, out, stderr) =
        crate::util::saver_in_home(home.path(), &["install", "tmux", "--apply", "--after", "2m"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.contains("added to"), "{out}");
    let applied = std::fs::read_to_string(&rc).expect("read");
    assert!(applied.starts_with(original) && applied.contains("lock-after-time 120"), "{applied}");
    assert_eq!(
        std::fs::read_to_string(home.path().join(".tmux.conf.fun-saver.bak")).expect("backup"),
        original
    );
    let (_, out, _) =
        crate::util::saver_in_home(home.path(), &["install", "tmux", "--apply", "--after", "2m"]);
    assert!(out.contains("already in"), "{out}");
    assert_eq!(std::fs::read_to_string(&rc).expect("read"), applied);
    let (_, _, _) =
        crate::util::saver_in_home(home.path(), &["install", "tmux", "--apply", "--after", "3m"]);
    let changed = std::fs::read_to_string(&rc).expect("read");
    assert_eq!(changed.matches("fun saver >>>").count(), 1, "{changed}");
    assert!(changed.contains("lock-after-time 180"), "{changed}");
    let (code, out, _) = crate::util::saver_in_home(home.path(), &["uninstall", "tmux"]);
    assert_eq!(code, 0);
    assert!(out.contains("removed from"), "{out}");
    assert_eq!(std::fs::read_to_string(&rc).expect("read"), original);
    let (_, out, _) = crate::util::saver_in_home(home.path(), &["uninstall", "tmux"]);
    assert!(out.contains("nothing changed"), "{out}");
}

#[test]
fn install_checks_the_saver_command_before_writing_anything() {
    let home = tempfile::tempdir().expect("tempdir");
    for (args, names) in [
        (&["install", "tmux", "--apply", "matrix", "-q"][..], "'-q'"),
        (&["install", "tmux", "--apply", "--after", "0s"], "--after"),
        (&["install", "tcsh"], "tcsh"),
    ] {
        let (code, _, stderr) = crate::util::saver_in_home(home.path(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(names), "{args:?}: {stderr}");
    }
    let (code, _, stderr) =
        crate::util::saver_in_home(home.path(), &["install", "zsh", "--apply", "nosuch"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!home.path().join(".zshrc").exists());
}

#[test]
fn if_idle_without_a_terminal_or_after_a_key_does_not_start() {
    // No terminal at all: idleness cannot be known, so it counts as idle and the usual "not a
    // terminal" error follows; with a terminal that just had a key it would exit 0 at once
    // (.ci/checks/idle.sh).
    let home = config_home(None);
    let (code, _, stderr) = saver_in(home.path(), &["--if-idle", "1s", "clock"]);
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) = saver_in(home.path(), &["--if-idle", "0s", "clock"]);
    assert_eq!(code, 2, "{stderr}");
}
