//! Escapes never reach the terminal (issue 20): text from a user's screen file or config file
//! (a description, a key, a section name) is printed as clean text by `fun saver --list`,
//! `fun saver NAME --help`, the completion menus, `fun saver config` and the problem lines
//! printed at every saver start. The rule (the `CleanLine`/`CleanText` types of
//! `src/sanitize.rs`) is in docs/maintainers/robustness.md, "Escapes".

use std::path::Path;

use crate::util::fun;

/// An ESC sequence clearing the screen, an OSC retitling the window, a C1 CSI, a right-to-left
/// override and an isolate: what a hostile file puts in a description or a key.
const HOSTILE: &str = "\u{1b}[2J\u{1b}]0;T\u{7}\u{9b}31m\u{202e}\u{2066}";

/// Whether `text` holds anything a terminal would obey or reorder: a control character other
/// than a newline (and the tab of completion output), or a bidirectional control.
fn is_harmful(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(!text.chars().any(is_harmful), "{what} holds an escape or bidi control: {text:?}");
}

/// A private config folder with a user screen whose `about` holds escapes and a `\n`.
fn hostile_screen() -> tempfile::TempDir {
    let config = tempfile::tempdir().expect("tempdir");
    let screens = config.path().join("fun").join("screens");
    std::fs::create_dir_all(&screens).expect("mkdir");
    let about = format!("ab{HOSTILE}cd\\nforged line");
    let file =
        format!("name = \"evil\"\nabout = \"{about}\"\nkind = \"text\"\ncommand = \"date\"\n");
    std::fs::write(screens.join("evil.screen"), file).expect("write");
    config
}

fn saver_in(config: &Path, args: &[&str]) -> std::process::Output {
    fun().arg("saver").args(args).env("XDG_CONFIG_HOME", config).output().expect("fun runs")
}

#[test]
fn saver_list_prints_a_user_screens_about_as_one_clean_line() {
    let config = hostile_screen();
    let out = saver_in(config.path(), &["--list"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_clean("--list", &out.stdout);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let evil: Vec<&str> = stdout.lines().filter(|l| l.starts_with("evil ")).collect();
    assert_eq!(evil.len(), 1, "{stdout}");
    // The `\n` of the description does not forge a line of its own.
    assert!(evil[0].ends_with("ab31mcd forged line"), "{stdout}");
    assert!(!stdout.lines().any(|l| l.starts_with("forged")), "{stdout}");
}

#[test]
fn a_user_screens_help_and_completion_show_a_clean_about() {
    let config = hostile_screen();
    let help = saver_in(config.path(), &["evil", "--help"]);
    assert!(help.status.success(), "{}", String::from_utf8_lossy(&help.stderr));
    assert_clean("NAME --help", &help.stdout);
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("ab31mcd forged line\n"));
    let menu = fun()
        .args(["--", "fun", "saver", "ev"])
        .env("COMPLETE", "fish")
        .env("XDG_CONFIG_HOME", config.path())
        .output()
        .expect("fun runs");
    assert_clean("fish completion", &menu.stdout);
    assert_eq!(String::from_utf8_lossy(&menu.stdout), "evil\tab31mcd forged line\n");
}

/// A config folder whose config.toml has the key (OSC 0 and a clear-screen CSI), a key
/// with U+202E, and a playlist whose name holds a newline and a fake section.
fn hostile_config() -> tempfile::TempDir {
    let config = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(config.path().join("fun")).expect("mkdir");
    let text = "[saver.screen.matrix]\n\
                \"x\\u001b]0;T\\u0007\\u001b[2J\" = 1\n\
                \"y\u{202e}gnp.exe\" = 2\n\
                [saver.playlists.\"p\\n[forged]\\u202e\"]\n\
                screens = [\"clock\"]\n";
    std::fs::write(config.path().join("fun").join("config.toml"), text).expect("write");
    config
}

#[test]
fn config_keys_with_escapes_are_clean_on_every_saver_start() {
    let config = hostile_config();
    let out = saver_in(config.path(), &["clock", "--headless", "--size", "40x10", "--frames", "1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_clean("the problems at start", &out.stderr);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "one line per problem: {stderr}");
    assert!(lines[0].contains(":2:1: saver.screen.matrix: unknown key \"x\""), "{stderr}");
    assert!(lines[1].contains(":3:1: saver.screen.matrix: unknown key \"ygnp.exe\""), "{stderr}");
}

#[test]
fn saver_config_prints_escaped_keys_and_names_cleanly() {
    let config = hostile_config();
    let out = saver_in(config.path(), &["config"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_clean("config's stdout", &out.stdout);
    assert_clean("config's stderr", &out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The playlist's name is shown quoted, as written, and forges no section.
    assert!(stdout.contains("\n[saver.playlists.\"p\\n[forged]\\u202E\"]\n"), "{stdout}");
    assert!(!stdout.lines().any(|l| l.starts_with("[forged]")), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(stderr.contains("unknown key \"x\"") && stderr.contains("\"ygnp.exe\""), "{stderr}");
}

#[test]
fn a_usage_error_quoting_a_hostile_word_is_clean() {
    let out =
        fun().args(["saver", "clock", "--size", "8\u{202e}x\u{9b}2J"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_clean("the usage error", &out.stderr);
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value '8x2J'"));
}

/// `fun saver clock --size "$WORD"` with a terminal as its stderr (`script`); what it showed.
fn usage_error_on_a_terminal(word: &str) -> String {
    let fun = env!("CARGO_BIN_EXE_fun");
    let out = std::process::Command::new("script")
        .args(["-qec"])
        .arg(format!("'{fun}' saver clock --size \"$WORD\""))
        .arg("/dev/null")
        .env("WORD", word)
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn on_a_terminal_a_usage_error_never_writes_a_quoted_escape() {
    // clap writes the word it quotes raw on a terminal: a file name from a glob could retitle
    // the window or clear the screen.
    let shown = usage_error_on_a_terminal("8\u{1b}]0;owned\u{7}\u{1b}[2J");
    assert!(shown.contains("invalid value '8'"), "{shown:?}");
    assert!(!shown.contains("\u{1b}]") && !shown.contains("\u{1b}[2J"), "{shown:?}");
    assert!(!shown.contains('\u{7}'), "{shown:?}");
    // A clean word keeps clap's own output, colours included.
    let clean = usage_error_on_a_terminal("8");
    assert!(clean.contains("\u{1b}[1m") && clean.contains("invalid value"), "{clean:?}");
}
