//! Escapes: a user's screen folder and config file full of escape sequences, C1 controls,
//! bidi overrides and newlines, in every place text is read from (descriptions, file names,
//! keys, section and playlist names, values, playlist entries), against every command that
//! prints them. Nothing a terminal would obey or reorder may come out, on stdout or stderr.

use std::path::Path;

use super::*;

/// The pieces a hostile file mixes into its text.
const PIECES: [&str; 9] = [
    "\u{1b}[2J",
    "\u{1b}]0;owned\u{7}",
    "\u{1b}]52;c;ZWNobyBvd25lZA==\u{1b}\\",
    "\u{1b}P+q\u{1b}\\",
    "\u{9b}31m",
    "\u{202e}",
    "\u{2067}",
    "\u{7}",
    "\r",
];

fn harmful(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A folder for XDG_CONFIG_HOME with hostile screens and a hostile config.toml.
fn hostile_folder() -> tempfile::TempDir {
    let config = tempfile::tempdir().expect("tempdir");
    let screens = config.path().join("fun").join("screens");
    std::fs::create_dir_all(&screens).expect("mkdir");
    for (i, piece) in PIECES.iter().enumerate() {
        let about = format!("about {i}{piece}\\n{piece}more");
        let file = format!(
            "name = \"evil{i}\"\nabout = \"{about}\"\nkind = \"text\"\ncommand = \"true\"\n"
        );
        std::fs::write(screens.join(format!("evil{i}.screen")), file).expect("write");
        // A bad file whose name and unknown key hold the piece: reported by name.
        let bad = format!("name = \"bad{i}\"\nk{piece}ey = \"1\"\n");
        std::fs::write(screens.join(format!("bad{i}{piece}.screen")), bad).expect("write");
    }
    let mut toml = String::from("[saver]\n");
    for (i, piece) in PIECES.iter().enumerate() {
        let key = piece.escape_unicode();
        toml.push_str(&format!("\"k{i}{key}\" = \"v{key}\"\n"));
    }
    toml.push_str("[saver.screen.\"cl\\u001b[2Jock\"]\nfps = 1\n[saver.screen.clock]\n");
    toml.push_str("\"tw\\u009b2Jelve\" = true\n");
    toml.push_str("[saver.playlists.\"n\\u001b]0;T\\u0007\\n[x]\"]\n");
    toml.push_str("screens = [\"\\u001b[2Jclock\", [\"matrix\", \"--\\u202erainbow\"]]\n");
    std::fs::write(config.path().join("fun").join("config.toml"), toml).expect("write");
    config
}

/// A command line, and an environment variable to set for it.
type Case<'a> = (&'a [&'a str], Option<(&'a str, &'a str)>);

fn run(config: &Path, args: &[&str], env: Option<(&str, &str)>) -> Output {
    let mut cmd = limited(args);
    cmd.env("XDG_CONFIG_HOME", config);
    if let Some((name, value)) = env {
        cmd.env(name, value);
    }
    cmd.output().expect("fun runs")
}

#[test]
fn a_hostile_screen_folder_and_config_never_reach_the_terminal_raw() {
    let config = hostile_folder();
    let cases: [Case<'_>; 7] = [
        (&["saver", "--list"], None),
        (&["saver", "config"], None),
        (&["saver", "clock", "--headless", "--size", "20x5"], None),
        (&["saver", "evil0", "--help"], None),
        (&["saver", "--playlist", "x", "--headless"], None),
        (&["--", "fun", "saver", "evil"], Some(("COMPLETE", "fish"))),
        (&["--", "fun", "saver", "evil"], Some(("COMPLETE", "zsh"))),
    ];
    for (args, env) in cases {
        let out = run(config.path(), args, env);
        assert_no_crash(&out);
        for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.chars().any(harmful), "{args:?} {what}: {text:?}");
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The problems are capped (20 and a count), a problem is one line.
        assert!(stderr.lines().count() <= 21 + PIECES.len(), "{args:?}: {stderr}");
    }
    let list = run(config.path(), &["saver", "--list"], None);
    let stdout = String::from_utf8_lossy(&list.stdout);
    let evil = stdout.lines().filter(|l| l.starts_with("evil")).count();
    assert_eq!(evil, PIECES.len(), "one line per screen: {stdout}");
}
