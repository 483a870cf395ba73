//! Scripted screens (`.rhai` files) from the outside: listed with the others, options checked
//! like a built-in's, a broken script never stopping the list or another screen, a rotation
//! moving on from a stopped script, and `fun saver new`. The engine's own limits are unit
//! tests (src/saver/screens/script/tests.rs); the hostile runs under prlimit are in
//! tests/abuse/script.rs.
#![cfg(feature = "script")]

use crate::util::saver_in_home;

/// A private home whose screens folder holds `files` (name, text).
fn home_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().join(".config/fun/screens");
    std::fs::create_dir_all(&dir).expect("mkdir");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write");
    }
    home
}

const GOOD: &str = "//! about: a good one\nfn draw(c) { c.text(0, 0, \"good screen\"); }\n";

#[test]
fn the_examples_are_listed_and_render_the_same_with_a_seed() {
    let home = home_with(&[]);
    let (code, list, _) = saver_in_home(home.path(), &["--list"]);
    assert_eq!(code, 0);
    for name in ["bounce", "fountain", "rain"] {
        assert!(list.lines().any(|l| l.starts_with(name) && !l.contains("broken")), "{list}");
        let args = [name, "--headless", "--size", "60x16", "--frames", "30", "--seed", "3"];
        let (code, first, err) = saver_in_home(home.path(), &args);
        assert_eq!(code, 0, "{err}");
        assert!(first.chars().any(|c| !c.is_whitespace()), "{name} drew nothing");
        assert_eq!(saver_in_home(home.path(), &args).1, first, "{name} is not reproducible");
    }
}

#[test]
fn script_options_are_checked_and_documented_like_a_builtins() {
    let home = home_with(&[]);
    let (code, _, err) = saver_in_home(home.path(), &["bounce", "--pace", "500", "--headless"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--pace") && err.contains("500 is not within 1 to 100"), "{err}");
    let (code, help, _) = saver_in_home(home.path(), &["bounce", "--help"]);
    assert_eq!(code, 0);
    for part in
        ["fun saver bounce", "--word <TEXT>", "(1-100)", "[default: 12]", "--watch", "Examples"]
    {
        assert!(help.contains(part), "{part}: {help}");
    }
    let (code, _, err) = saver_in_home(home.path(), &["bounce", "--watch", "--headless"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("bounce.rhai: bundled; --watch needs a script file"), "{err}");
    let (code, out, err) =
        saver_in_home(home.path(), &["bounce", "--word", "hello", "--headless", "--frames", "3"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("hello"), "{out}");
}

#[test]
fn a_broken_script_never_stops_the_list_or_the_other_screens() {
    let home = home_with(&[
        ("good.rhai", GOOD),
        ("typo.rhai", "//! about: a typo\nfn draw(c) {\n  c.text(0, 0, \"x\"\n}\n"),
        ("badopt.rhai", "//! about: x\n//! option n: int = 9, 1..5, count\nfn draw(c) {}\n"),
        ("nodraw.rhai", "fn update(dt) {}\n"),
        ("engine.rhai", "//! about: x\n//! option fps: int = 9, 1..50, count\nfn draw(c) {}\n"),
    ]);
    let (code, list, err) = saver_in_home(home.path(), &["--list"]);
    assert_eq!(code, 0, "{err}");
    let line = |name: &str| list.lines().find(|l| l.starts_with(name)).unwrap_or_default();
    assert!(line("typo").contains("broken: ") && line("typo").contains("typo.rhai:4:1:"), "{list}");
    assert!(line("badopt").contains("badopt.rhai:2: the default"), "{list}");
    assert!(line("nodraw").contains("no draw(canvas)"), "{list}");
    assert!(line("engine").contains("engine.rhai:2: option \"fps\" is an engine option"), "{list}");
    assert!(line("good").contains("a good one") && line("matrix").contains("rain"), "{list}");
    let (code, out, _) = saver_in_home(home.path(), &["good", "--headless", "--size", "20x5"]);
    assert_eq!((code, out.lines().next()), (0, Some("good screen")));
    let (code, _, err) = saver_in_home(home.path(), &["matrix", "--headless"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = saver_in_home(home.path(), &["typo", "--headless"]);
    assert_ne!(code, 0);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("typo.rhai:4:1:"), "{err}");
}

#[test]
fn a_rotation_moves_on_from_a_stopped_script() {
    let bad = "fn update(dt) { throw \"gave up\"; }\nfn draw(c) {}\n";
    let home = home_with(&[("bad.rhai", bad), ("good.rhai", GOOD)]);
    let args = ["bad", "good", "--headless", "--size", "30x5", "--frames", "10"];
    let (code, out, err) =
        saver_in_home(home.path(), &[&args[..], &["--transition", "none"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("good screen"), "{out}");
    // Alone, the stopped script shows why, on one line, and the run ends normally.
    let (code, out, err) = saver_in_home(home.path(), &["bad", "--headless", "--frames", "3"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("bad.rhai:1:17: Runtime error: gave up"), "{out}");
}

#[test]
fn new_writes_a_starter_once_and_it_runs() {
    let home = home_with(&[]);
    let (code, out, err) = saver_in_home(home.path(), &["new", "sparks"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("sparks.rhai") && out.contains("--watch"), "{out}");
    let path = home.path().join(".config/fun/screens/sparks.rhai");
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(text.starts_with("//! about:"), "{text}");
    let (code, out, err) = saver_in_home(home.path(), &["sparks", "--headless", "--frames", "5"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("my screen"), "{out}");
    std::fs::write(&path, "mine").expect("edit");
    let (code, _, err) = saver_in_home(home.path(), &["new", "sparks"]);
    assert_eq!(code, 1);
    assert!(err.contains("sparks.rhai: already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "mine");
    for bad in ["Sparks", "../x", "a/b", "", &"x".repeat(33)] {
        let (code, _, err) = saver_in_home(home.path(), &["new", bad]);
        assert_eq!(code, 1, "{bad}: {err}");
        assert!(err.contains("lower-case letters"), "{bad}: {err}");
    }
}
