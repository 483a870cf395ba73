//! Hostile scripted screens, run by the built binary under the suite's memory and hang limits:
//! each is stopped in the documented way (the run goes on and shows one line naming the file
//! and why), and hostile files in the screens folder are refused by name.
#![cfg(feature = "script")]

use super::{assert_no_crash, limited};

/// A private home whose screens folder holds `name.rhai` with `text`.
fn home_with(name: &str, text: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().join(".config/fun/screens");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join(format!("{name}.rhai")), text).expect("write");
    home
}

fn run(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    limited(&[&["saver"], args].concat())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("FUN_CONFIG")
        .output()
        .expect("runs")
}

#[test]
fn hostile_scripts_are_stopped_and_the_saver_goes_on() {
    let cases = [
        ("fn update(dt) { loop {} }\nfn draw(c) {}", "stopped: more than"),
        ("fn f(n) { f(n + 1) }\nfn init(s, o) { f(0) }\nfn draw(c) {}", "nested deeper"),
        ("fn update(dt) { let s = \"xx\"; loop { s += s; } }\nfn draw(c) {}", "stopped:"),
        (
            "fn update(dt) { let a = []; loop { a.push([0, 0, 0, 0, 0, 0, 0, 0]); } }\nfn draw(c) {}",
            "stopped:",
        ),
        (
            "fn init(s, o) { this.m = #{}; }\nfn update(dt) { for i in 0..200000 { this.m[`${i}`] = i; } }\nfn draw(c) {}",
            "stopped:",
        ),
        ("fn draw(c) { loop { c.fill(0, 0, 1000, 1000, \"x\"); } }", "stopped:"),
        ("fn update(dt) { let a = []; loop { a = [a]; } }\nfn draw(c) {}", "stopped:"),
        ("fn update(dt) { let m = #{}; loop { m = #{m: m}; } }\nfn draw(c) {}", "stopped:"),
        ("fn draw(c) { throw \"in draw\"; }", "hostile.rhai:1:14:"),
        ("fn draw(c) { open(\"/etc/shadow\"); }", "Function not found: open"),
        ("fn draw(c) { run(\"touch /tmp/fun-script-pwned\"); }", "Function not found: run"),
        ("fn draw(c) { http_get(\"http://127.0.0.1/\"); }", "Function not found: http_get"),
    ];
    for (text, why) in cases {
        let home = home_with("hostile", text);
        let out = run(home.path(), &["hostile", "--headless", "--size", "200x5", "--frames", "3"]);
        assert_no_crash(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{text}: {stderr}");
        let shown = stdout.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        assert!(shown.contains("hostile.rhai") && shown.contains(why), "{text}: {stdout}");
    }
    assert!(!std::path::Path::new("/tmp/fun-script-pwned").exists());
}

#[test]
fn scripts_that_do_not_compile_or_escape_are_refused_with_one_line() {
    for (text, why) in [
        ("fn draw(c) { eval(\"1\") }", "hostile.rhai:1:"),
        ("import \"std\" as s;\nfn draw(c) {}", "hostile.rhai:1:"),
        ("fn draw(c) {", "hostile.rhai:1:"),
    ] {
        let home = home_with("hostile", text);
        let out = run(home.path(), &["hostile", "--headless"]);
        super::assert_calm_failure(&out, 1, why);
    }
}

#[test]
fn hostile_files_in_the_screens_folder_are_refused_by_name() {
    let home = home_with("ok", "fn draw(c) { c.text(0, 0, \"still here\"); }");
    let dir = home.path().join(".config/fun/screens");
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.rhai")).expect("symlink");
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        dir.join("fifo.rhai"),
        rustix::fs::Mode::from_raw_mode(0o600),
    )
    .expect("mkfifo");
    std::fs::write(dir.join("big.rhai"), "//".repeat(200 * 1024)).expect("write");
    std::fs::write(dir.join("Bad Name.rhai"), "fn draw(c) {}").expect("write");
    let out = run(home.path(), &["ok", "--headless", "--size", "30x6"]);
    assert_no_crash(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("still here"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for warning in [
        "zero.rhai: is a character device",
        "fifo.rhai: is a FIFO",
        "big.rhai: larger than the 256 KiB limit",
        "Bad Name.rhai: a screen's name",
    ] {
        assert!(stderr.contains(warning), "{warning}: {stderr}");
    }
}
