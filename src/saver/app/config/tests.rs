//! The config file: parsing, where problems are reported, precedence, the example.

use super::*;
use crate::saver::app::registry;

fn config(text: &str) -> Config {
    parse(text, "cfg.toml", &registry::builtin(), &engine()).expect("TOML")
}

/// The saver's command, as `fun saver` hands it to the config.
fn engine() -> Command {
    crate::saver::app::args::command()
}

fn problems(config: &Config) -> Vec<String> {
    let (fatal, reported) = config.problems(&Used::default());
    fatal.into_iter().chain(reported).collect()
}

#[test]
fn the_example_parses_without_a_problem() {
    let parsed = config(example());
    assert!(problems(&parsed).is_empty(), "{:?}", problems(&parsed));
    assert!(!parsed.engine.settings.is_empty());
    assert!(parsed.screens.contains_key("clock"));
}

#[test]
fn a_typo_names_file_line_column_key_and_the_nearest_key() {
    let parsed = config("[saver]\ntheme = \"amber\"\nfsp = 30\n");
    assert_eq!(
        problems(&parsed),
        ["cfg.toml:3:1: saver: unknown key \"fsp\" (did you mean \"fps\"?)"]
    );
    let parsed = config("[saver.screen.clock]\ntwelv = true\n");
    let all = problems(&parsed).join("\n");
    assert!(
        all.contains(
            "cfg.toml:2:1: saver.screen.clock: unknown key \"twelv\" (did you mean \"twelve\"?)"
        ),
        "{all}"
    );
}

#[test]
fn values_are_checked_by_the_command_line_parser() {
    let parsed = config("[saver]\nfps = 0\nspeed = \"fast\"\ntheme = true\n");
    let all = problems(&parsed).join("\n");
    assert!(all.contains("cfg.toml:2:7: saver.fps: "), "{all}");
    assert!(all.contains("0 is not within 0.1 to 240"), "{all}");
    assert!(all.contains("cfg.toml:3:9: saver.speed: "), "{all}");
    assert!(all.contains("cfg.toml:4:9: saver.theme: "), "{all}");
    assert!(parsed.engine.settings.is_empty());
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let err = parse("[saver]\nfps = = 3\n", "cfg.toml", &registry::builtin(), &engine())
        .expect_err("error");
    let text = err.to_string();
    assert!(text.starts_with("cfg.toml:2:"), "{text}");
}

#[test]
fn problems_stop_a_run_only_in_the_sections_it_uses() {
    let parsed = config("[saver.screen.clock]\ntwelv = true\n[saver.screen.matrix]\ndensity = 2\n");
    let matrix = Used { playlist: None, screens: vec!["matrix"] };
    let (fatal, reported) = parsed.problems(&matrix);
    assert!(fatal.is_empty() && reported.len() == 1, "{fatal:?} {reported:?}");
    let clock = Used { playlist: None, screens: vec!["clock"] };
    assert_eq!(parsed.problems(&clock).0.len(), 1);
    let engine = config("[saver]\nbogus = 1\n");
    assert_eq!(engine.problems(&matrix).0.len(), 1, "[saver] is always used");
}

#[test]
fn unknown_tables_and_screens_are_reported_with_a_suggestion() {
    let parsed = config("[savr]\n[saver.screen.clokc]\nx = 1\n");
    let all = problems(&parsed).join("\n");
    assert!(all.contains("unknown table \"savr\" (did you mean \"saver\"?)"), "{all}");
    assert!(all.contains("unknown screen \"clokc\" (did you mean \"clock\"?)"), "{all}");
}

#[test]
fn screen_defaults_yield_to_the_command_line() {
    let parsed = config("[saver.screen.clock]\nformat = \"%Y\"\ntwelve = true\n");
    let screens = registry::builtin();
    let clock = crate::saver::app::lookup::find(&screens, "clock").expect("clock");
    let args = parsed.screen_args(clock, &["--format".into(), "%d".into()]);
    assert_eq!(args, ["--twelve", "--format", "%d"]);
    let args = parsed.screen_args(clock, &["-f".into(), "%d".into()]);
    assert_eq!(args, ["--twelve", "-f", "%d"], "a short option counts as given");
}

#[test]
fn engine_words_skip_what_the_command_line_gives() {
    let parsed = config("[saver]\nfps = 10\ntheme = \"amber\"\n");
    let given = BTreeSet::from(["fps".to_owned()]);
    assert_eq!(parsed.engine_words(None, &given), ["--theme", "amber"]);
}

#[test]
fn arrays_tables_and_dates_in_the_wrong_place() {
    let parsed = config("[saver]\nfps = [1, 2]\nscreen = 3\n");
    let all = problems(&parsed).join("\n");
    assert!(all.contains("fps takes one value, not an array"), "{all}");
    assert!(all.contains("screen is a table of tables"), "{all}");
    assert!(parse("[saver]\nfps = 1979-05-27\n", "c", &registry::builtin(), &engine()).is_err());
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 64, ..Default::default() })]

    #[test]
    fn any_text_is_answered_without_panic(text in "\\PC{0,300}") {
        let _ = parse(&text, "c", &[], &engine());
    }

    #[test]
    fn any_key_value_in_saver_is_accepted_or_reported(key in "[a-z-]{1,12}", value in "[0-9a-z\"#. ]{0,12}") {
        let text = format!("[saver]\n{key} = {value}\n");
        if let Ok(parsed) = parse(&text, "c", &[], &engine()) {
            let (fatal, _) = parsed.problems(&Used::default());
            proptest::prop_assert!(fatal.iter().all(|line| line.starts_with("c:2:")), "{fatal:?}");
        }
    }
}

/// `fun saver config --example` with every commented-out setting uncommented: the documented
/// `playlist = "evening"` beside the `[saver.playlists.evening]` table (a TOML error with the
/// old `[saver.playlist.evening]` spelling), and every other key.
#[test]
fn the_example_with_every_setting_uncommented_loads_without_a_problem() {
    let uncommented: String = example()
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) if rest.split_once(" = ").is_some_and(|(k, _)| !k.contains(' ')) => {
                format!("{rest}\n")
            }
            _ => format!("{line}\n"),
        })
        .collect();
    assert!(uncommented.contains("\nplaylist = \"evening\""), "{uncommented}");
    let parsed = config(&uncommented);
    assert!(problems(&parsed).is_empty(), "{:?}", problems(&parsed));
    assert!(parsed.warnings.is_empty());
    assert!(parsed.engine.settings.iter().any(|s| s.key == "playlist"));
    assert!(parsed.playlists.contains_key("evening"));
}

#[test]
fn the_old_playlist_spelling_is_read_with_a_warning() {
    let parsed = config("[saver.playlist.night]\nscreens = [\"clock\"]\n");
    assert!(problems(&parsed).is_empty(), "{:?}", problems(&parsed));
    assert_eq!(parsed.playlists["night"].screens, [vec!["clock".to_owned()]]);
    let warnings = parsed.warning_lines();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].starts_with("cfg.toml:1:"), "{warnings:?}");
    assert!(warnings[0].contains("[saver.playlists.night]"), "{warnings:?}");
    let err = parse(
        "[saver]\nplaylist = \"night\"\n[saver.playlist.night]\nscreens = [\"clock\"]\n",
        "c",
        &registry::builtin(),
        &engine(),
    );
    assert!(err.is_err(), "the old spelling beside the key is still TOML's error");
}
