//! Helpers shared by the integration tests.

use assert_cmd::Command;

/// The `fun` binary under test.
pub fn fun() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fun"))
}

/// Path of a fixture file under `tests/fixtures/`.
#[allow(dead_code)]
pub fn fixture(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// `fun saver ARGS` in a private home: HOME and XDG_CONFIG_HOME inside `home`, and nothing of
/// the caller's shell (ZDOTDIR, FUN_CONFIG, TMUX) reaching it; (status, stdout, stderr).
pub fn saver_in_home(home: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = fun()
        .arg("saver")
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("ZDOTDIR")
        .env_remove("FUN_CONFIG")
        .env_remove("TMUX")
        .output()
        .expect("runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// A local HTTP server on 127.0.0.1 (there is no internet here) that hands each request to
/// `answer` for at most 60 s; returns its base URL, `http://127.0.0.1:PORT`.
pub fn serve_locally(answer: impl Fn(tiny_http::Request) + Send + 'static) -> String {
    use std::time::{Duration, Instant};
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = server.server_addr().to_ip().map(|a| a.port()).expect("ip address");
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(200)) {
                answer(request);
            }
        }
    });
    format!("http://127.0.0.1:{port}")
}
