//! The scripted screens against their contract: the bundled examples render their golden
//! frames with a fixed seed, and hostile scripts are each stopped in the documented way (one
//! line naming the file, line and column, shown by the screen, which then reports
//! [`Screen::stopped`]).

use super::header;
use super::screen::ScriptScreen;
use super::{Script, bundled};
use crate::saver::kit::screen::{Screen, Size};
use crate::saver::kit::testing;

fn script(name: &str, text: &str) -> Script {
    Script { name: name.into(), file: format!("{name}.rhai"), text: text.into(), path: None }
}

/// Builds `text` as a screen with its header's defaults.
fn screen(text: &str) -> anyhow::Result<ScriptScreen> {
    let header = header::parse(text).map_err(|e| anyhow::anyhow!(e))?;
    let values = header.options.iter().map(|o| (o.name.clone(), o.default.clone())).collect();
    ScriptScreen::new(script("t", text), &header, values, false)
}

/// Runs `text` for `frames` frames; returns the last frame as text and whether it stopped.
fn run(text: &str, frames: u32) -> (String, bool) {
    let mut screen = screen(text).expect("compiles");
    let frame = testing::run_frames(&mut screen, Size { width: 60, height: 12 }, frames, 0.05, 1);
    (frame.to_text(), screen.stopped())
}

#[test]
fn the_examples_render_their_golden_frames() {
    let examples = bundled();
    assert!(examples.len() >= 3, "{examples:?}");
    for name in ["bounce", "fountain", "rain"] {
        let example = examples.iter().find(|s| s.name == name).expect("bundled");
        let header = header::parse(&example.text).expect("header");
        let values = header.options.iter().map(|o| (o.name.clone(), o.default.clone())).collect();
        let mut screen =
            ScriptScreen::new(example.clone(), &header, values, false).expect("compiles");
        // As in a headless run: the operation count is the only budget.
        screen.settle(true).expect("settles");
        let frame = testing::run_frames(&mut screen, Size { width: 60, height: 16 }, 40, 0.05, 7);
        assert!(!screen.stopped(), "{name}: {}", frame.to_text());
        let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/script")
            .join(format!("{name}.txt"));
        let expected = std::fs::read_to_string(&golden).expect("golden file");
        assert_eq!(frame.to_text(), expected, "{name} differs from {}", golden.display());
    }
}

#[test]
fn the_starter_script_runs() {
    let (text, stopped) = run(super::STARTER, 20);
    assert!(!stopped, "{text}");
    assert!(text.contains("my screen: t = 1 s"), "{text}");
}

#[test]
fn the_api_draws_with_the_canvas_rules() {
    let text = r#"
        fn init(size, options) { this.n = 0; }
        fn update(dt) { this.n += 1; }
        fn draw(c) {
            c.text(-2, 0, "hello", "primary");
            c.put(3.7, 1, "xyz", rgb(255, 0, 0), "bold");
            c.fill(0, 2, 3, 2, '#');
            c.text(0, 4, "" + c.width + "x" + c.height + " " + this.n + " " + c.depth);
            c.put(-1, 5, "!");
            c.put(100000, 5, "!");
            c.column(59, 9, "abcd", "dim");
            c.column(58, -2, "xyz");
        }
    "#;
    let (frame, stopped) = run(text, 3);
    assert!(!stopped, "{frame}");
    let lines: Vec<&str> = frame.lines().collect();
    assert_eq!(lines[0].trim_end(), format!("llo{}z", " ".repeat(55)));
    assert_eq!(lines[1].trim_end(), "   x");
    assert_eq!(lines[2].trim_end(), "###");
    assert_eq!(lines[3].trim_end(), "###");
    assert_eq!(lines[4].trim_end(), "60x12 3 truecolor");
    assert_eq!(lines[5].trim_end(), "");
    assert_eq!(&lines[0][58..], "z");
    assert!(lines[9].ends_with('a') && lines[10].ends_with('b') && lines[11].ends_with('c'));
}

#[test]
fn batch_calls_draw_many_cells_at_once() {
    let text = r#"
        fn draw(c) {
            c.put_many([0, 2, 4.5, -1], [0, 1, 2, 3], ["a", 'b', "c", "d"], "primary", "bold");
            c.trails([10, 12], [5, 3.9], ["xyz", "uv"], "dim");
        }
    "#;
    let (frame, stopped) = run(text, 1);
    assert!(!stopped, "{frame}");
    let lines: Vec<&str> = frame.lines().map(str::trim_end).collect();
    assert_eq!(
        &lines[..6],
        ["a", "  b         u", "    c     x v", "          y", "          z", ""]
    );
    let (frame, stopped) = run("fn draw(c) { c.put_many([1, 2], [1], [\"a\", \"b\"], ()); }", 1);
    assert!(stopped && frame.contains("ys: shorter than the x array"), "{frame}");
}

#[test]
fn the_header_sets_the_frame_rate() {
    let fast = screen("//! fps: 50\nfn draw(c) {}").expect("compiles");
    assert_eq!(fast.frame_interval(), std::time::Duration::from_millis(20));
    let default = screen("fn draw(c) {}").expect("compiles");
    assert_eq!(default.frame_interval(), std::time::Duration::from_millis(50));
}

#[test]
fn random_numbers_are_seeded() {
    let text = "fn init(s, o) { this.v = []; for i in 0..5 { this.v.push(rand(0, 9)); } }\n\
                fn draw(c) { c.text(0, 0, this.v.map(|x| x.to_string()).reduce(|a, b| a + b)); }";
    // No closures in this engine: a plain loop.
    let text = text.replace(
        "this.v.map(|x| x.to_string()).reduce(|a, b| a + b)",
        "{ let s = \"\"; for x in this.v { s += x; } s }",
    );
    assert_eq!(run(&text, 1), run(&text, 1));
}

/// Runs a hostile script and returns the one-line reason it was stopped with.
fn stopped_with(text: &str) -> String {
    let (frame, stopped) = run(text, 3);
    assert!(stopped, "not stopped: {frame}");
    let line = frame.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    line.trim().to_owned()
}

#[test]
fn endless_loops_and_deep_recursion_are_stopped_within_the_budget() {
    for (text, why) in [
        ("fn update(dt) { loop { } }\nfn draw(c) {}", "t.rhai: stopped:"),
        ("fn draw(c) { while true { c.width; } }", "t.rhai: stopped:"),
        ("fn f(n) { f(n + 1) }\nfn update(dt) { f(0) }\nfn draw(c) {}", "nested deeper than"),
        ("fn init(s, o) { loop {} }\nfn draw(c) {}", "t.rhai: stopped:"),
    ] {
        let line = stopped_with(text);
        assert!(line.contains(why), "{text}: {line}");
    }
}

#[test]
fn huge_strings_arrays_and_maps_are_stopped() {
    for (text, why) in [
        ("fn update(dt) { let s = \"x\"; loop { s += s; } }\nfn draw(c) {}", "stopped:"),
        ("fn update(dt) { let a = []; loop { a.push(1); } }\nfn draw(c) {}", "stopped:"),
        (
            "fn update(dt) { let a = []; loop { a.push([1, 2, 3, 4, 5, 6, 7, 8]); } }\nfn draw(c) {}",
            "stopped:",
        ),
        (
            "fn update(dt) { let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; } }\nfn draw(c) {}",
            "stopped:",
        ),
        (
            "fn init(s, o) { this.a = []; }\nfn update(dt) { for i in 0..100000 { this.a.push(i); } }\nfn draw(c) {}",
            "stopped:",
        ),
        ("fn draw(c) { loop { c.put(0, 0, \"x\"); } }", "t.rhai"),
        // Nesting without end: each level is small, the depth is what grows (the size limits
        // count nested elements, which keeps the engine's recursive checks and drops shallow).
        ("fn update(dt) { let a = []; loop { a = [a]; } }\nfn draw(c) {}", "stopped:"),
        ("fn update(dt) { let m = #{}; loop { m = #{m: m}; } }\nfn draw(c) {}", "stopped:"),
        (
            "fn init(s, o) { this.a = []; }\nfn update(dt) { for i in 0..5000 { this.a = [this.a]; } }\nfn draw(c) {}",
            "stopped:",
        ),
    ] {
        let line = stopped_with(text);
        assert!(line.contains(why), "{text}: {line}");
    }
}

#[test]
fn an_error_in_any_callback_stops_the_script_naming_the_place() {
    for (text, at) in [
        ("fn init(s, o) { throw \"boom\"; }\nfn draw(c) {}", "t.rhai:1:17:"),
        ("fn update(dt) {\n  let x = 1 / 0;\n}\nfn draw(c) {}", "t.rhai:2:"),
        ("fn draw(c) { c.put(0, 0, \"x\", 42); }", "t.rhai:1:"),
        ("fn draw(c) { no_such_function(); }", "t.rhai:1:14: Function not found"),
        (
            "fn draw(c) { c.put(\"a\", 0, \"x\"); }",
            "t.rhai:1:16: Runtime error: x: expected a number",
        ),
    ] {
        let line = stopped_with(text);
        assert!(line.starts_with(at), "{text}: {line}");
    }
    // resize, after the first layout.
    let text = "fn resize(s) { throw \"bad size\"; }\nfn draw(c) {}";
    let mut screen = screen(text).expect("compiles");
    testing::run_frames(&mut screen, Size { width: 30, height: 5 }, 1, 0.05, 1);
    assert!(!screen.stopped());
    screen.resize(Size { width: 40, height: 5 }, &mut rand::SeedableRng::seed_from_u64(1));
    assert!(screen.stopped());
}

#[test]
fn files_processes_network_eval_and_import_are_not_there() {
    for text in [
        "fn draw(c) { open_file(\"/etc/passwd\"); }",
        "fn draw(c) { system(\"touch /tmp/pwned\"); }",
        "fn draw(c) { exec(\"sh\"); }",
        "fn draw(c) { connect(\"127.0.0.1:80\"); }",
        "fn draw(c) { env(\"HOME\"); }",
        "fn draw(c) { timestamp(); }",
        "fn draw(c) { print(\"to the terminal\"); debug(\"x\"); throw \"still here\"; }",
    ] {
        let line = stopped_with(text);
        assert!(line.starts_with("t.rhai:1:"), "{text}: {line}");
    }
    for text in [
        "fn draw(c) { eval(\"1\"); }",
        "import \"x\" as y;\nfn draw(c) {}",
        "fn draw(c) { let f = File::open(\"/etc/passwd\"); }",
    ] {
        let err = screen(text).err().expect("refused").to_string();
        assert!(err.starts_with("t.rhai:"), "{text}: {err}");
    }
}

#[test]
fn the_contract_is_checked_when_compiling() {
    for (text, why) in [
        ("fn update(dt) {}", "no draw(canvas)"),
        ("fn draw() {}", "draw(canvas)"),
        ("fn init(size) {}\nfn draw(c) {}", "init(size, options)"),
        ("fn draw(c) { let }", "t.rhai:1:"),
    ] {
        let err = screen(text).err().expect("refused").to_string();
        assert!(err.contains(why), "{text}: {err}");
    }
}

#[test]
fn the_state_kept_between_calls_is_bounded() {
    use super::limits::{MAX_STATE_VALUES, check_state};
    use rhai::{Array, Dynamic, Map};
    // Many small maps, each under the engine's own size limits, together over the state's.
    let small: Map = (0..100).map(|i| (format!("k{i}").into(), Dynamic::from_int(i))).collect();
    let many: Array =
        (0..MAX_STATE_VALUES / 100 + 1).map(|_| Dynamic::from_map(small.clone())).collect();
    let mut state = Map::new();
    state.insert("m".into(), Dynamic::from_array(many));
    let err = check_state(&Dynamic::from_map(state)).expect_err("too big");
    assert!(err.contains("more than 500000 values"), "{err}");
    let text: Array = (0..40).map(|_| Dynamic::from("x".repeat(1 << 20))).collect();
    let err = check_state(&Dynamic::from_array(text)).expect_err("too much text");
    assert!(err.contains("32 MiB"), "{err}");
    assert!(check_state(&Dynamic::from_map(small)).is_ok());
}
