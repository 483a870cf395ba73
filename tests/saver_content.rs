//! Recordings and headless runs wait for the content a screen's worker brings (a command's
//! output, a page, a feed) before their simulated clock starts: `fortune` from a slow
//! `fortune` program, and `rfc`, `rssfeed`, `urlfetcher` and `wttr` against a slow local
//! server on 127.0.0.1, record their text rather than "..." or "connecting...".

use std::path::Path;
use std::time::Duration;

use crate::util::{fixture, fun, serve_locally};

/// How long the server and the fake `fortune` take to answer: far longer than rendering a
/// few simulated seconds takes, so a run that does not wait records no content.
const SLOW: Duration = Duration::from_millis(600);

/// A server answering after [`SLOW`] for at most 60 s; returns its base URL.
fn serve_slowly() -> String {
    serve_locally(|request| {
        std::thread::spawn(move || {
            std::thread::sleep(SLOW);
            let body = match request.url() {
                "/rfc1.txt" => std::fs::read("scripts/gallery/rfc1.txt").expect("rfc1"),
                "/feed" => std::fs::read(fixture("net/rss2.xml")).expect("feed"),
                "/page" => b"<html><body><h1>Slow page</h1><p>arrived</p></body></html>".to_vec(),
                "/weather" => b"Weather report: Testville\n  sunny  21 C\n".to_vec(),
                _ => return drop(request.respond(tiny_http::Response::empty(404))),
            };
            let _ = request.respond(tiny_http::Response::from_data(body));
        });
    })
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("non-zero")
}

/// Records `args` for 5 s into `dir` and returns the last screen of the replay.
fn record(dir: &Path, args: &[&str]) -> String {
    let cast = dir.join("c.cast");
    let out = fun()
        .arg("saver")
        .args(args)
        .args(["--seed", "7", "--size", "80x24", "--duration", "5s", "--record"])
        .arg(&cast)
        .env("HOME", dir)
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_CONFIG_HOME", dir)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&cast).expect("the recording");
    let mut parser = vt100::Parser::new(nz(24), nz(80), 0);
    for line in text.lines().skip(1) {
        let event: serde_json::Value = serde_json::from_str(line).expect("event JSON");
        parser.process(event[2].as_str().expect("data").as_bytes());
    }
    parser.screen().contents()
}

#[test]
fn a_fortune_recording_shows_the_slow_programs_fortune() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("bin");
    let program = bin.join("fortune");
    std::fs::write(&program, "#!/bin/sh\nsleep 0.6\necho 'A slow fortune arrives.'\n")
        .expect("script");
    std::fs::set_permissions(&program, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let cast = dir.path().join("f.cast");
    fun()
        .args(["saver", "fortune", "--record"])
        .arg(&cast)
        .args(["--duration", "5s"])
        .env("PATH", path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&cast).expect("the recording");
    assert!(text.contains("A slow fortune arrives."), "{text}");
}

#[test]
fn network_screens_record_their_content_not_connecting() {
    let base = serve_slowly();
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&[&str], &str); 4] = [
        (
            &["rfc", "-n", "1", "--cps", "10000", "--base", &format!("{base}/")],
            "something pleasant",
        ),
        (&["rssfeed", "-u", &format!("{base}/feed"), "--cps", "10000"], "Newest item"),
        (&["urlfetcher", "-u", &format!("{base}/page"), "--cps", "10000"], "Slow page"),
        (&["wttr", "--url", &format!("{base}/weather")], "Testville"),
    ];
    for (args, expected) in cases {
        let shown = record(dir.path(), args);
        assert!(shown.contains(expected), "{args:?}:\n{shown}");
    }
}

#[test]
fn a_headless_run_waits_for_the_content_too() {
    let base = serve_slowly();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = fun()
        .args(["saver", "wttr", "--url", &format!("{base}/weather"), "--headless"])
        .env("XDG_CACHE_HOME", dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Testville"));
}
