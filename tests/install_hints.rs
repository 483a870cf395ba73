//! `fun saver install` and `uninstall` say what to do, and what they say works (issue 24):
//! install's own options anywhere on its line, and how the running tmux server forgets it.

use crate::util::saver_in_home;

#[test]
fn the_apply_hint_works_as_printed_at_the_end_of_the_line() {
    let home = tempfile::tempdir().expect("tempdir");
    let (code, out, err) =
        saver_in_home(home.path(), &["install", "zsh", "--after", "5s", "matrix"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(or run the same command with --apply)"), "{out}");
    let (code, out, err) =
        saver_in_home(home.path(), &["install", "zsh", "--after", "5s", "matrix", "--apply"]);
    assert_eq!(code, 0, "{out}{err}");
    let rc = std::fs::read_to_string(home.path().join(".zshrc")).expect("written");
    assert!(rc.contains("TMOUT=5") && rc.contains("--if-idle=5s matrix"), "{rc}");
}

#[test]
fn install_options_after_the_screen_are_install_s_and_screen_options_stay() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("my.tmux.conf");
    let rc = format!("--rc={}", file.display());
    let args = ["install", "tmux", "clock", "-t", "--apply", &rc, "--after", "90s"];
    let (code, out, err) = saver_in_home(home.path(), &args);
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(text.contains("lock-after-time 90"), "{text}");
    assert!(text.contains("clock -t"), "{text}");
    assert!(!text.contains("--apply"), "{text}");
}

#[test]
fn uninstall_tmux_says_how_the_running_server_forgets_the_saver() {
    let home = tempfile::tempdir().expect("tempdir");
    let (code, _, err) = saver_in_home(home.path(), &["install", "tmux", "--apply"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = saver_in_home(home.path(), &["uninstall", "tmux"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("removed from"), "{out}");
    assert!(out.contains("tmux set -gu lock-command; tmux set -gu lock-after-time"), "{out}");
}
