//! "Did you mean": every unknown screen, subcommand, option and config key gets one line naming
//! the closest match (issue 24), the same helper (src/suggest.rs) choosing it everywhere.

use crate::util::fun;

/// Runs `fun ARGS` with an empty home and config folder; (status, stderr).
fn run(args: &[&str]) -> (i32, String) {
    let home = tempfile::tempdir().expect("tempdir");
    let out = fun()
        .args(args)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env_remove("FUN_CONFIG")
        .output()
        .expect("runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_misspelt_screen_gets_the_nearest_screen_not_the_whole_list() {
    let (code, err) = run(&["saver", "matrx"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err, "fun saver: unknown screen \"matrx\" (did you mean \"matrix\"?)\n");
}

#[test]
fn a_misspelt_saver_subcommand_is_suggested_as_the_subcommand() {
    let (code, err) = run(&["saver", "instal"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err,
        "fun saver: unknown screen \"instal\" (did you mean the subcommand \"install\"?)\n"
    );
}

#[test]
fn a_word_near_nothing_still_lists_the_screens() {
    let (code, err) = run(&["saver", "qqqqqqqq"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("the screens are: ") && err.contains("matrix"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn an_unknown_engine_option_before_the_name_is_an_option_not_a_screen() {
    let (code, err) = run(&["saver", "--fsp", "3"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err, "error: unknown option \"--fsp\" (did you mean \"--fps\"?)\n");
}

#[test]
fn an_unknown_option_after_the_screen_suggests_an_engine_option() {
    let (code, err) = run(&["saver", "matrix", "--fsp", "3"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("a similar argument exists: '--fps'"), "{err}");
}

#[test]
fn a_typist_option_typo_gets_the_option_not_a_double_dash_tip() {
    let (code, err) = run(&["type", "--wmp", "50"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("a similar argument exists: '--wpm'"), "{err}");
    assert!(!err.contains("-- --wmp"), "{err}");
}

#[test]
fn an_install_line_with_a_misspelt_screen_gets_the_nearest() {
    let (code, err) = run(&["saver", "install", "zsh", "clokc"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("unknown screen \"clokc\" (did you mean \"clock\"?)"), "{err}");
}

#[test]
fn a_top_level_typo_gets_the_tool() {
    let (code, err) = run(&["sver"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("a similar subcommand exists: 'saver'"), "{err}");
}

#[test]
fn a_config_key_typo_gets_the_nearest_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("cfg.toml");
    std::fs::write(&file, "[saver]\nfsp = 30\n").expect("write");
    let (code, err) = run(&["saver", "--config", file.to_str().unwrap(), "clock", "--headless"]);
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("unknown key \"fsp\" (did you mean \"fps\"?)"), "{err}");
}

/// A broken user screen file is reported in the user's words, not Rust's debug text
/// (`kind Some("textt")`).
#[test]
fn a_broken_user_screen_has_no_debug_text() {
    let config = tempfile::tempdir().expect("tempdir");
    let dir = config.path().join("fun/screens");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let files = [
        ("typo.screen", "name = \"typo\"\nkind = \"textt\"\nfile = \"x\"\n"),
        ("nokind.screen", "name = \"nokind\"\nfile = \"x\"\n"),
        ("badname.screen", "name = \"a b\\u001b\"\nkind = \"text\"\nfile = \"x\"\n"),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write");
    }
    let out = fun()
        .args(["saver", "--list"])
        .env("XDG_CONFIG_HOME", config.path())
        .env_remove("FUN_CONFIG")
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("typo.screen:2: kind \"textt\": expected"), "{err}");
    assert!(err.contains("nokind.screen: kind missing: expected"), "{err}");
    assert!(!err.contains("Some(") && !err.contains("None"), "{err}");
    assert!(!err.contains("\\u{"), "{err}");
}

#[test]
fn an_unknown_page_or_playlist_is_quoted_not_debug_printed() {
    let (code, err) = run(&["saver", "--playlist", "nite"]);
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("no playlist \"nite\""), "{err}");
    assert!(!err.contains("Some("), "{err}");
}
