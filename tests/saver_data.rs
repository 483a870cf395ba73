//! Data-defined screens, `programmer` and `asciimation` (alias `starwars`), rendered headlessly with fixed seeds; the
//! loader on good and bad files with a private `XDG_CONFIG_HOME`.

use std::path::Path;

use predicates::prelude::*;

use crate::util::{fixture, fun};

/// `fun saver ARGS --headless ...` with a private config folder; returns stdout.
fn headless(config: &Path, args: &[&str], size: &str, frames: &str) -> String {
    let out = fun()
        .arg("saver")
        .args(args)
        .args(["--headless", "--size", size, "--frames", frames, "--seed", "7"])
        .env("XDG_CONFIG_HOME", config)
        .output()
        .expect("fun runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn rocket_counts_down_and_lifts_off() {
    let config = tempfile::tempdir().expect("temp dir");
    let first = headless(config.path(), &["rocket"], "60x16", "1");
    assert!(first.contains("T-10"), "{first}");
    assert!(first.contains("|fu|"), "{first}");
    // 10 countdown seconds and the ignition later, the rocket is in the air.
    let later = headless(config.path(), &["rocket"], "60x16", "16");
    assert!(later.contains("LIFTOFF") || later.contains("IGNITION"), "{later}");
}

#[test]
fn asciimation_plays_the_rocket_as_its_sample_and_starwars_is_its_alias() {
    let config = tempfile::tempdir().expect("temp dir");
    let sample = headless(config.path(), &["asciimation"], "60x16", "1");
    assert!(sample.contains("T-10") && sample.contains("|fu|"), "{sample}");
    assert_eq!(headless(config.path(), &["starwars"], "60x16", "1"), sample);
    let help = fun().args(["saver", "starwars", "--help"]).output().expect("runs");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("fun saver asciimation"), "{help}");
}

#[test]
fn starwars_plays_the_users_own_file() {
    let config = tempfile::tempdir().expect("temp dir");
    let file = fixture("screens/two-frames.txt");
    let path = file.to_str().expect("utf-8");
    let first = headless(config.path(), &["starwars", "--file", path], "40x15", "1");
    assert!(first.contains("AAAAAAAAAA") && !first.contains("BBBB"), "{first}");
    let second = headless(config.path(), &["starwars", "--file", path], "40x15", "2");
    assert!(second.contains("BBBBBBBBBB"), "{second}");
    // Centred: 15 columns of margin on a 40-wide screen for 10-wide art.
    assert!(first.lines().any(|l| l == format!("{}AAAAAAAAAA", " ".repeat(15))), "{first}");
}

#[test]
fn a_bad_asciimation_file_is_a_clear_error() {
    let config = tempfile::tempdir().expect("temp dir");
    let bad = config.path().join("bad.txt");
    std::fs::write(&bad, "not a number\n").expect("write");
    fun()
        .args(["saver", "starwars", "--file"])
        .arg(&bad)
        .args(["--headless", "--frames", "1"])
        .env("XDG_CONFIG_HOME", config.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("bad.txt:1: expected a frame duration"));
}

#[test]
fn programmer_types_code_with_colours() {
    let config = tempfile::tempdir().expect("temp dir");
    let file = fixture("screens/hello.rs");
    let path = file.to_str().expect("utf-8");
    let text =
        headless(config.path(), &["programmer", "--path", path, "--cps", "200"], "50x10", "300");
    assert!(text.contains("fn main() {"), "{text}");
    assert!(text.contains("let answer = 42;"), "{text}");
    let own = headless(config.path(), &["programmer"], "80x10", "80");
    assert!(own.contains("//"), "fun's own source starts with doc comments: {own}");
    let ansi = fun()
        .args(["saver", "programmer", "--path", path, "--cps", "200", "--headless", "--ansi"])
        .args(["--size", "50x10", "--frames", "300", "--seed", "7"])
        .env("XDG_CONFIG_HOME", config.path())
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&ansi.stdout).matches("\x1b[").count() > 5, "coloured");
}

#[test]
fn user_screens_load_override_and_survive_bad_files() {
    let config = tempfile::tempdir().expect("temp dir");
    let dir = config.path().join("fun/screens");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "remember the milk\n").expect("write");
    std::fs::write(
        dir.join("notes.screen"),
        "name = \"notes\"\nabout = \"my notes\"\nkind = \"text\"\nfile = \"notes.txt\"\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("typed.screen"),
        "name = \"typed\"\nkind = \"typing\"\nfile = \"notes.txt\"\ncps = 500\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("rocket.screen"),
        "name = \"rocket\"\nabout = \"mine now\"\nkind = \"text\"\nfile = \"notes.txt\"\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("broken.screen"),
        "name = \"broken\"\nkind = \"video\"\nfile = \"x\"\n",
    )
    .expect("write");
    let list = fun()
        .args(["saver", "--list"])
        .env("XDG_CONFIG_HOME", config.path())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&list.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&list.stderr).into_owned();
    assert!(list.status.success());
    assert!(stdout.lines().any(|l| l.starts_with("notes") && l.ends_with("my notes")), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("rocket") && l.ends_with("mine now")), "{stdout}");
    assert!(stdout.contains("matrix") && stdout.contains("asciimation"), "{stdout}");
    assert!(!stdout.contains("broken"), "{stdout}");
    assert!(stderr.contains("broken.screen:2: kind"), "{stderr}");
    let shown = headless(config.path(), &["notes"], "40x5", "2");
    assert!(shown.lines().any(|l| l.trim() == "remember the milk"), "{shown}");
    let typed = headless(config.path(), &["typed"], "40x5", "200");
    assert!(typed.contains("remember the milk"), "{typed}");
}

#[test]
fn a_failing_command_shows_a_calm_message() {
    let config = tempfile::tempdir().expect("temp dir");
    let dir = config.path().join("fun/screens");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("nope.screen"),
        "name = \"nope\"\nkind = \"text\"\ncommand = \"no-such-program-here\"\n",
    )
    .expect("write");
    // The worker needs a moment of real time; frames of virtual time go by meanwhile.
    let mut seen = String::new();
    for _ in 0..20 {
        seen = headless(config.path(), &["nope"], "60x8", "400");
        if seen.contains("nothing to show yet") {
            break;
        }
    }
    assert!(seen.contains("no-such-program-here"), "{seen}");
}

#[test]
fn a_tilde_in_a_screen_file_is_the_home_folder() {
    let home = tempfile::tempdir().expect("temp dir");
    let screens = home.path().join(".config/fun/screens");
    std::fs::create_dir_all(&screens).expect("mkdir");
    std::fs::create_dir_all(home.path().join("notes")).expect("mkdir");
    std::fs::write(home.path().join("notes/today.txt"), "buy more tea\n").expect("write");
    let journal = "name = \"journal\"\nkind = \"typing\"\ndir = \"~/notes\"\ncps = 1000\n";
    std::fs::write(screens.join("journal.screen"), journal).expect("write");
    let (status, out, err) = crate::util::saver_in_home(
        home.path(),
        &["journal", "--headless", "--size", "40x5", "--frames", "30"],
    );
    assert_eq!(status, 0, "{err}");
    assert!(out.contains("buy more tea"), "{out}");
}
