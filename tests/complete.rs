//! Shell completion as a shell runs it: the script `fun completions bash` prints is sourced in
//! a real bash, its completion function is called the way bash calls it at a TAB, and what it
//! puts in COMPREPLY is checked (screen names, a screen from a private XDG_CONFIG_HOME, the
//! bundled calendars, file paths). The other shells' scripts are generated and checked for the
//! callback they rely on. A screen's own options and their values complete in bash, zsh and
//! fish (the zsh and fish tests are ignored: .ci/run installs those shells).

use std::path::Path;
use std::process::Command;

use crate::util::fun;

/// The folder holding the `fun` under test: the scripts call `fun` from PATH.
fn bin_dir() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_fun")).parent().expect("a folder")
}

/// Runs bash's completion for `line` (the last word is the one being completed, possibly
/// empty) in `cwd` with `config` as XDG_CONFIG_HOME; returns COMPREPLY's words.
fn bash_complete(line: &[&str], config: &Path, cwd: &Path) -> Vec<String> {
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        "source <(fun completions bash) || exit 9\n\
         COMP_WORDS=({words})\n\
         COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n\
         COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}\n\
         _clap_complete_fun fun \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words = words.join(" ")
    );
    let path = format!("{}:{}", bin_dir().display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &script])
        .env("PATH", path)
        .env("XDG_CONFIG_HOME", config)
        .current_dir(cwd)
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{line:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect()
}

fn user_config() -> tempfile::TempDir {
    let config = tempfile::tempdir().expect("temp dir");
    let dir = config.path().join("fun/screens");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "hello\n").expect("write");
    std::fs::write(
        dir.join("mynotes.screen"),
        "name = \"mynotes\"\nabout = \"my notes\"\nkind = \"text\"\nfile = \"notes.txt\"\n",
    )
    .expect("write");
    config
}

#[test]
fn bash_completes_subcommands_and_options() {
    let config = user_config();
    let cwd = config.path();
    let top = bash_complete(&["fun", ""], config.path(), cwd);
    for sub in ["saver", "pv", "type", "calendar", "completions"] {
        assert!(top.contains(&sub.to_owned()), "{sub} missing from {top:?}");
    }
    assert_eq!(bash_complete(&["fun", "saver", "--fp"], config.path(), cwd), ["--fps"]);
    let shells = bash_complete(&["fun", "completions", ""], config.path(), cwd);
    assert!(shells.contains(&"zsh".to_owned()), "{shells:?}");
}

#[test]
fn bash_completes_the_plasma_palettes() {
    let config = user_config();
    let cwd = config.path();
    let names = bash_complete(&["fun", "saver", "plasma", "--palette", ""], config.path(), cwd);
    for name in ["theme", "aurora", "ocean", "fire", "sunset", "candy", "rainbow"] {
        assert!(names.contains(&name.to_owned()), "{name} missing from {names:?}");
    }
    assert_eq!(
        bash_complete(&["fun", "saver", "plasma", "-p", "su"], config.path(), cwd),
        ["sunset"]
    );
}

#[test]
fn bash_completes_built_in_bundled_and_user_screens() {
    let config = user_config();
    let cwd = config.path();
    let all = bash_complete(&["fun", "saver", ""], config.path(), cwd);
    for screen in ["matrix", "clock", "rocket", "asciimation", "mynotes"] {
        assert!(all.contains(&screen.to_owned()), "{screen} missing from {all:?}");
    }
    assert_eq!(bash_complete(&["fun", "saver", "myn"], config.path(), cwd), ["mynotes"]);
    assert_eq!(
        bash_complete(&["fun", "saver", "--seed", "3", "mat"], config.path(), cwd),
        ["matrix"]
    );
    // A list of screens goes on after names and after a standalone `+`; after a screen's own
    // option the words are the screen's: no screen names there.
    assert_eq!(bash_complete(&["fun", "saver", "matrix", "clo"], config.path(), cwd), ["clock"]);
    assert_eq!(
        bash_complete(&["fun", "saver", "matrix", "-r", "+", "myn"], config.path(), cwd),
        ["mynotes"]
    );
    let after = bash_complete(&["fun", "saver", "matrix", "-r", ""], config.path(), cwd);
    assert!(!after.contains(&"clock".to_owned()), "{after:?}");
}

#[test]
fn bash_completes_playlists_from_the_config_file() {
    let config = user_config();
    std::fs::write(
        config.path().join("fun/config.toml"),
        "[saver.playlist.evening]\nscreens = [\"matrix\", \"clock\"]\n\
         [saver.playlist.morning]\nscreens = [\"rocket\"]\n",
    )
    .expect("write");
    let cwd = config.path();
    let names = bash_complete(&["fun", "saver", "--playlist", ""], config.path(), cwd);
    assert_eq!(names, ["evening", "morning"]);
    let names = bash_complete(&["fun", "saver", "--playlist", "ev"], config.path(), cwd);
    assert_eq!(names, ["evening"]);
}

#[test]
fn bash_completes_calendar_names_and_paths() {
    let config = user_config();
    let cwd = tempfile::tempdir().expect("temp dir");
    std::fs::write(cwd.path().join("lodge.cal"), "01/01\tx\n").expect("write");
    let names = bash_complete(&["fun", "calendar", "-f", "lo"], config.path(), cwd.path());
    assert_eq!(names, ["lotr", "lodge.cal"]);
    let all = bash_complete(&["fun", "calendar", "-f", ""], config.path(), cwd.path());
    for name in ["all", "lotr", "holiday", "discordian"] {
        assert!(all.contains(&name.to_owned()), "{name} missing from {all:?}");
    }
    let files = bash_complete(&["fun", "pv", "lod"], config.path(), cwd.path());
    assert_eq!(files, ["lodge.cal"]);
    let out = bash_complete(&["fun", "pv", "-o", "lod"], config.path(), cwd.path());
    assert_eq!(out, ["lodge.cal"]);
}

#[test]
fn every_shell_gets_a_script_that_calls_fun_back() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = fun().args(["completions", shell]).output().expect("runs");
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains("COMPLETE") && script.contains("fun"), "{shell}: {script}");
    }
    fun().args(["completions", "tcsh"]).assert().failure().code(2);
}

#[test]
#[ignore = "needs fish (.ci/run installs it)"]
fn fish_completes_screen_names() {
    let config = user_config();
    let path = format!("{}:{}", bin_dir().display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("fish")
        .args(["--no-config", "-c", "fun completions fish | source; complete -C 'fun saver myn'"])
        .env("PATH", path)
        .env("XDG_CONFIG_HOME", config.path())
        .output()
        .expect("fish runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.trim_end(), "mynotes\tmy notes", "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
#[ignore = "needs zsh (.ci/run installs it)"]
fn zsh_accepts_its_script() {
    let out = fun().args(["completions", "zsh"]).output().expect("runs");
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), &out.stdout).expect("write");
    let status = Command::new("zsh").arg("-n").arg(file.path()).status().expect("zsh runs");
    assert!(status.success(), "zsh rejects its script");
}

#[test]
fn the_completion_callback_answers_directly() {
    let out =
        fun().args(["--", "fun", "saver", "clo"]).env("COMPLETE", "fish").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("clock\t"), "{text}");
}

/// The glyph sets of `fun saver matrix -g` (its clap `ValueEnum`).
const GLYPH_SETS: [&str; 6] = ["mixed", "katakana", "ascii", "binary", "digits", "zenkaku"];

/// Checks a shell's answers for a screen's own options and values: `complete` gets the words
/// (the last one being completed) and returns the values offered, descriptions removed.
fn screen_options_and_values_complete(complete: impl Fn(&[&str]) -> Vec<String>) {
    assert_eq!(complete(&["fun", "saver", "matrix", "--de"]), ["--density"]);
    assert_eq!(complete(&["fun", "saver", "matrix", "-g", ""]), GLYPH_SETS);
    assert_eq!(complete(&["fun", "saver", "matrix", "--glyphs", "kat"]), ["katakana"]);
    assert_eq!(complete(&["fun", "saver", "clock", "--tz", "Europe/Pa"]), ["Europe/Paris"]);
    assert_eq!(complete(&["fun", "saver", "clock", "--theme", "am"]), ["amber"]);
    assert_eq!(complete(&["fun", "saver", "--theme", "so"]), ["solarized"]);
    // The engine's options are still offered after a screen's name, beside the screen's.
    let both = complete(&["fun", "saver", "matrix", "--f"]);
    for option in ["--fall", "--fade", "--fps", "--frames"] {
        assert!(both.contains(&option.to_owned()), "{option} missing from {both:?}");
    }
}

#[test]
fn bash_completes_a_screens_own_options_and_values() {
    let config = user_config();
    let cwd = config.path();
    screen_options_and_values_complete(|line| bash_complete(line, config.path(), cwd));
}

/// `PATH` with the `fun` under test first.
fn test_path() -> String {
    format!("{}:{}", bin_dir().display(), std::env::var("PATH").unwrap_or_default())
}

#[test]
#[ignore = "needs fish (.ci/run installs it)"]
fn fish_completes_a_screens_own_options_and_values() {
    let config = user_config();
    screen_options_and_values_complete(|line| {
        let script = format!("fun completions fish | source; complete -C '{}'", line.join(" "));
        let out = Command::new("fish")
            .args(["--no-config", "-c", &script])
            .env("PATH", test_path())
            .env("XDG_CONFIG_HOME", config.path())
            .output()
            .expect("fish runs");
        let text = String::from_utf8_lossy(&out.stdout);
        text.lines().map(|l| l.split('\t').next().unwrap_or("").to_owned()).collect()
    });
}

/// Runs zsh's completion function from `fun completions zsh` the way zsh's completion system
/// calls it (`words`, `CURRENT`), with `_describe` (which needs a live line editor) replaced by
/// one printing the candidates it is given.
fn zsh_complete(line: &[&str], config: &Path) -> Vec<String> {
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        "compdef() {{ : }}\n\
         _describe() {{ print -rl -- \"${{(@P)3}}\" }}\n\
         source <(fun completions zsh) || exit 9\n\
         words=({words}); CURRENT=${{#words}}\n\
         _clap_dynamic_completer_fun\n",
        words = words.join(" ")
    );
    let out = Command::new("zsh")
        .args(["-f", "-c", &script])
        .env("PATH", test_path())
        .env("XDG_CONFIG_HOME", config)
        .output()
        .expect("zsh runs");
    assert!(out.status.success(), "{line:?}: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    // `value:description`, with any `:` of the value escaped as `\:`.
    text.lines()
        .map(|l| {
            let end = l.match_indices(':').find(|(i, _)| !l[..*i].ends_with('\\'));
            l[..end.map_or(l.len(), |(i, _)| i)].replace("\\:", ":")
        })
        .collect()
}

#[test]
#[ignore = "needs zsh (.ci/run installs it)"]
fn zsh_completes_a_screens_own_options_and_values() {
    let config = user_config();
    screen_options_and_values_complete(|line| zsh_complete(line, config.path()));
}
