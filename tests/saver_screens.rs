//! The generative screens (pipes, fire, life, ...) through the built binary: listed, help with
//! examples, reproducible headless frames with content checks, the engine's escape stream
//! replayed through vt100 to the same grid, resizes, and `NO_COLOR`.

use std::num::NonZeroU16;

use crate::util::fun;

/// Every screen added by the screens collection, with options that make a quick, busy render.
const SCREENS: &[&[&str]] = &[
    &["pipes"],
    &["fire"],
    &["life"],
    &["starfield"],
    &["plasma"],
    &["maze", "-r", "5"],
    &["bonsai", "-s", "0.01"],
    &["donut", "-o", "cube"],
    &["snow", "-t", "Hi there", "-d", "3"],
    &["aquarium"],
    &["img2ascii", "--cps", "5000"],
];

fn saver(args: &[&str]) -> String {
    let assert = fun().arg("saver").args(args).env_remove("NO_COLOR").assert().success();
    String::from_utf8(assert.get_output().stdout.clone()).expect("utf-8 output")
}

fn headless(screen: &[&str], size: &str, frames: u32, extra: &[&str]) -> String {
    let frames = frames.to_string();
    let mut args = screen.to_vec();
    args.extend(["--headless", "--size", size, "--frames", &frames, "--seed", "11"]);
    args.extend(["--time", "2026-12-24T20:00:00"]);
    args.extend(extra);
    saver(&args)
}

/// The grid a vt100 terminal shows after the stream, as the headless text view draws it
/// (background-coloured blanks as █).
fn replay(stream: &[u8], cols: u16, rows: u16) -> String {
    let nz = |n: u16| NonZeroU16::new(n).expect("non-zero size");
    let mut parser = vt100::Parser::new(nz(rows), nz(cols), 0);
    parser.process(stream);
    let screen = parser.screen();
    let mut out = String::new();
    for row in 0..rows {
        let mut line = String::new();
        for col in 0..cols {
            let cell = screen.cell(row, col).expect("cell");
            if cell.is_wide_continuation() {
                continue;
            }
            let block = cell.bgcolor() != vt100::Color::Default || cell.inverse();
            line.push_str(match cell.contents() {
                "" | " " if block => "█",
                "" => " ",
                s => s,
            });
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn listed_with_help_and_examples() {
    let list = saver(&["--list"]);
    for screen in SCREENS {
        let name = screen[0];
        assert!(list.lines().any(|l| l.starts_with(&format!("{name} "))), "{name}: {list}");
        let help = saver(&[name, "--help"]);
        assert!(help.contains(&format!("Usage: fun saver {name}")), "{help}");
        assert!(help.contains("Examples:") && help.contains("--fps"), "{help}");
    }
}

#[test]
fn frames_are_reproducible_and_not_blank() {
    for screen in SCREENS {
        let a = headless(screen, "60x18", 40, &[]);
        let b = headless(screen, "60x18", 40, &[]);
        assert_eq!(a, b, "{screen:?}");
        let drawn = a.chars().filter(|c| !c.is_whitespace()).count();
        assert!(drawn > 20, "{screen:?} draws too little:\n{a}");
        assert_eq!(a.lines().count(), 18);
    }
}

#[test]
fn escape_stream_replays_to_the_same_grid() {
    for screen in SCREENS {
        for depth in ["256", "truecolor", "16", "none"] {
            let extra = ["--color-depth", depth];
            let text = headless(screen, "50x16", 30, &extra);
            let mut args = screen.to_vec();
            args.extend(["--headless", "--size", "50x16", "--frames", "30", "--seed", "11"]);
            args.extend(["--time", "2026-12-24T20:00:00", "--stream"]);
            args.extend(extra);
            let assert = fun().arg("saver").args(&args).assert().success();
            let stream = &assert.get_output().stdout;
            assert_eq!(replay(stream, 50, 16), text, "{screen:?} at depth {depth}");
        }
    }
}

#[test]
fn resize_down_to_the_minimum_and_below() {
    for screen in SCREENS {
        // Shrink to tiny sizes and grow back: no panic, the too-small view below the minimum.
        let mut args = screen.to_vec();
        args.extend(["--headless", "--size", "80x24", "--frames", "12", "--seed", "2"]);
        args.extend(["--resize", "2:3x2", "--resize", "4:12x5", "--resize", "6:1x1"]);
        args.extend(["--resize", "8:200x60", "--resize", "10:33x9"]);
        let out = saver(&args);
        assert_eq!(out.lines().count(), 9, "{screen:?}");
        let tiny = saver(&[screen[0], "--headless", "--size", "2x2"]);
        assert!(tiny.lines().count() == 2, "{screen:?}: {tiny}");
    }
}

#[test]
fn no_color_means_no_colour_escapes() {
    for screen in SCREENS {
        let mut cmd = fun();
        cmd.arg("saver").args(*screen);
        cmd.args(["--headless", "--size", "40x12", "--frames", "20", "--ansi", "--seed", "4"]);
        cmd.env("NO_COLOR", "1").env("TERM", "xterm-256color");
        let assert = cmd.assert().success();
        let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        assert!(!out.contains("38;") && !out.contains("48;"), "{screen:?}: {out}");
        assert!(!out.contains("\x1b[7m"), "{screen:?} uses reverse video blocks: {out}");
        assert!(out.chars().filter(|c| !c.is_whitespace()).count() > 10, "{screen:?}: {out}");
    }
}

#[test]
fn fire_burns_at_the_bottom() {
    let out = headless(&["fire"], "60x20", 30, &["--color-depth", "none"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].trim().is_empty(), "{out}");
    let bottom = lines[19];
    assert!(bottom.chars().filter(|c| "#%@*".contains(*c)).count() > 20, "{out}");
}

#[test]
fn pipes_use_the_chosen_styles() {
    let out = headless(&["pipes", "-t", "double", "-p", "5"], "60x18", 80, &[]);
    assert!(out.chars().any(|c| "═║╔╗╚╝".contains(c)), "{out}");
    assert!(!out.chars().any(|c| "─│┌┐└┘".contains(c)), "{out}");
}

#[test]
fn life_draws_half_blocks() {
    let out = headless(&["life"], "60x18", 10, &["--color-depth", "none"]);
    assert!(out.contains('▀') && out.contains('▄'), "{out}");
}

#[test]
fn bad_values_name_the_option() {
    for (screen, option) in [
        (&["pipes", "-p", "65"][..], "--pipes"),
        (&["fire", "-w", "3"], "--wind"),
        (&["life", "-r", "B9/S1"], "--rule"),
        (&["starfield", "-w", "50"], "--warp"),
        (&["plasma", "-l", "2"], "--levels"),
        (&["maze", "-r", "0"], "--rate"),
        (&["bonsai", "-L", "1000"], "--life"),
        (&["donut", "-s", "9"], "--spin"),
        (&["snow", "-d", "0"], "--density"),
        (&["aquarium", "-o", "kraken"], "--only"),
        (&["img2ascii", "-d", "0"], "--delay"),
    ] {
        // A usage error: exit 2, one `error:` line naming the option (then clap's hint).
        let assert = fun().arg("saver").args(screen).args(["--headless"]).assert().code(2);
        let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{err}");
        assert!(errors[0].contains(option), "{err}");
    }
}

#[test]
fn plasma_without_colour_is_characters_by_brightness() {
    let out = headless(&["plasma"], "50x12", 5, &["--color-depth", "none"]);
    let kinds: std::collections::HashSet<char> = out.chars().filter(|c| *c != '\n').collect();
    assert!(kinds.len() >= 6 && kinds.iter().all(|c| " .:-=+*#%@".contains(*c)), "{out}");
}

#[test]
fn maze_is_walled_all_round() {
    let out = headless(&["maze"], "41x13", 100, &["--color-depth", "none"]);
    // Thin walls with an even margin (2 columns, 1 row), not a solid field.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "", "{out}");
    assert!(lines[1].starts_with("  ┌───") && lines[1].ends_with("───┐"), "{out}");
    assert!(lines[11].starts_with("  └───") && lines[11].ends_with("───┘"), "{out}");
    assert_eq!(lines[1].chars().count(), 41 - 2, "{out}");
    assert!(!out.contains('█'), "{out}");
}

#[test]
fn bonsai_grows_in_its_pot_with_a_message() {
    let out = headless(&["bonsai", "-s", "0.01", "-m", "hello there"], "70x20", 200, &[]);
    assert!(out.contains("(~~~") && out.contains("hello there"), "{out}");
    assert!(out.lines().take(15).any(|l| l.contains('|') || l.contains('/')), "{out}");
}

#[test]
fn starfield_shades_by_depth() {
    let out = headless(&["starfield", "-n", "400"], "60x18", 40, &[]);
    assert!(out.contains('*') && out.contains('.'), "{out}");
}

#[test]
fn donut_is_lit_by_characters() {
    let out = headless(&["donut"], "60x20", 5, &["--color-depth", "none"]);
    for ch in ['@', '.', '='] {
        assert!(out.contains(ch), "{ch:?}: {out}");
    }
}

#[test]
fn snow_builds_up_on_the_letters() {
    let out = headless(&["snow", "-t", "HI", "-d", "5"], "40x14", 300, &["--color-depth", "none"]);
    assert!(out.contains('█') && out.contains('▒'), "letters and snow: {out}");
}

#[test]
fn aquarium_has_water_sand_and_creatures() {
    let out = headless(&["aquarium", "-n", "10"], "80x24", 50, &[]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[1].contains("~~"), "{out}");
    assert!(out.contains('>') || out.contains('<'), "{out}");
}

#[test]
fn img2ascii_draws_a_picture_file_keeping_its_shape() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("square.png");
    // A white square on black, 100x100: square on screen too (twice as wide in characters).
    let image = image::RgbImage::from_fn(100, 100, |x, y| {
        let inside = (25..75).contains(&x) && (25..75).contains(&y);
        image::Rgb(if inside { [255, 255, 255] } else { [0, 0, 0] })
    });
    image.save(&path).expect("save");
    let path = path.to_string_lossy().into_owned();
    let out = headless(&["img2ascii", "-p", &path, "-m", "ascii", "-r", "none"], "80x20", 2, &[]);
    let rows: Vec<&str> = out.lines().filter(|l| l.contains('@')).collect();
    assert_eq!(rows.len(), 10, "{out}");
    let width = rows[0].trim().chars().count();
    assert!((19..=21).contains(&width), "twice as many columns as rows: {width}\n{out}");
    let blocks = headless(&["img2ascii", "-p", &path, "-r", "none"], "80x20", 2, &[]);
    assert!(blocks.contains('▀') || blocks.contains('█'), "{blocks}");
}

/// `fun saver ARGS` headless at 120x40 after three simulated seconds (ten frames a second).
fn at_three_seconds(screen: &[&str], extra: &[&str]) -> String {
    let mut args = screen.to_vec();
    args.extend(["--headless", "--size", "120x40", "--fps", "10", "--frames", "30", "--seed", "7"]);
    args.extend(extra);
    saver(&args)
}

#[test]
fn the_slow_starters_look_like_themselves_within_three_seconds() {
    // pipes: several pipes already (at least a tenth of the screen drawn).
    let pipes = at_three_seconds(&["pipes"], &[]);
    let drawn = pipes.chars().filter(|c| !c.is_whitespace()).count();
    assert!(drawn >= 120 * 40 / 10, "{drawn} cells\n{pipes}");
    // programmer: many lines of code, coloured (keywords bold in the accent colour).
    let code = at_three_seconds(&["programmer"], &[]);
    assert!(code.lines().filter(|l| !l.trim().is_empty()).count() >= 20, "{code}");
    let ansi = at_three_seconds(&["programmer"], &["--ansi"]);
    assert!(
        ansi.contains("\x1b[1;") || ansi.contains(";1m") || ansi.contains("\x1b[1m"),
        "no bold keywords"
    );
    assert!(ansi.matches("\x1b[").count() > 40, "colours: {ansi}");
    // osrelease: some lines already.
    let release = at_three_seconds(&["osrelease", "--file", "scripts/gallery/os-release"], &[]);
    assert!(release.lines().filter(|l| l.contains('=')).count() >= 3, "{release}");
    // sysmon: the graph spans the whole width from the first seconds.
    let graph = at_three_seconds(&["sysmon", "--source", "demo"], &[]);
    let bottom = graph.lines().nth(18).unwrap_or_default().to_owned();
    let bars = bottom.chars().filter(|c| "▁▂▃▄▅▆▇█".contains(*c)).count();
    assert!(bars >= 110, "{bars} columns: {graph}");
}
