//! Hostile servers for the network fetch that the network screens use (`fun::net::fetch`): a
//! body that drips one byte at a time past the deadline, a server that accepts and never
//! answers, an endless redirect, a gzip bomb, an endless body. Each must end by the deadline or
//! the size cap with a calm reason, and fall back to the cache when there is one.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use fun::net::{self, FetchError, Limits};

/// How the hostile server answers each connection.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Headers, then one byte every 100 ms for a minute.
    Drip,
    /// Reads the request and never answers.
    Silent,
    /// Redirects to itself forever.
    RedirectLoop,
    /// A small gzip body that inflates past any cap.
    GzipBomb,
    /// `Content-Length` absent, body endless and fast.
    Endless,
}

/// Serves `behaviour` on 127.0.0.1 for a minute, one thread per connection; returns the URL.
fn hostile(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream, behaviour));
        }
    });
    format!("http://127.0.0.1:{port}/feed")
}

fn answer(mut stream: TcpStream, behaviour: Behaviour) {
    let mut request = [0u8; 4096];
    let _ = stream.read(&mut request);
    let until = Instant::now() + Duration::from_secs(60);
    let _ = match behaviour {
        Behaviour::Drip => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
            while Instant::now() < until && stream.write_all(b"x").is_ok() {
                std::thread::sleep(Duration::from_millis(100));
            }
            Ok(())
        }
        Behaviour::Silent => {
            std::thread::sleep(until - Instant::now());
            Ok(())
        }
        Behaviour::RedirectLoop => {
            stream.write_all(b"HTTP/1.1 302 Found\r\nLocation: /feed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        }
        Behaviour::GzipBomb => {
            let body = gzip_of_zeros(64 << 20);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body))
        }
        Behaviour::Endless => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
            let block = [b'y'; 64 * 1024];
            while Instant::now() < until && stream.write_all(&block).is_ok() {}
            Ok(())
        }
    };
}

/// A gzip stream of `len` zero bytes, made with stored-free deflate by the system's gzip (the
/// tests may not depend on a compression crate the binary does not use).
fn gzip_of_zeros(len: usize) -> Vec<u8> {
    let mut child = std::process::Command::new("gzip")
        .arg("-c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip is installed");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&vec![0u8; len]));
    let out = child.wait_with_output().expect("gzip runs");
    writer.join().expect("writer").expect("written");
    out.stdout
}

fn limits(timeout_ms: u64, cache: Option<&std::path::Path>) -> Limits {
    Limits {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_millis(timeout_ms),
        max_bytes: 1 << 20,
        cache_dir: cache.map(std::path::Path::to_path_buf),
    }
}

/// Fetches with a hang detector around it: the fetch must return by itself well before 30 s
/// (its deadline is about a second; this bound only catches a hang, it does not time it).
fn fetch_within_reason(url: &str, limits: &Limits) -> Result<net::Fetched, FetchError> {
    let (tx, rx) = std::sync::mpsc::channel();
    let (url, limits) = (url.to_owned(), limits.clone());
    std::thread::spawn(move || tx.send(net::fetch(&url, &limits)));
    rx.recv_timeout(Duration::from_secs(30)).expect("the fetch hung past its deadline")
}

#[test]
fn a_dripping_server_times_out_at_the_deadline() {
    let url = hostile(Behaviour::Drip);
    let err = fetch_within_reason(&url, &limits(1000, None)).expect_err("must time out");
    assert!(err.to_string().ends_with("timed out"), "{err}");
}

#[test]
fn a_dripping_server_falls_back_to_the_cache() {
    let cache = tempfile::tempdir().expect("tempdir");
    let url = hostile(Behaviour::Drip);
    net::cache::store(cache.path(), &url, b"<rss>cached</rss>");
    let got = fetch_within_reason(&url, &limits(1000, Some(cache.path()))).expect("cached copy");
    assert_eq!(got.body, b"<rss>cached</rss>");
    assert!(got.cached_age.is_some());
}

#[test]
fn a_silent_server_times_out() {
    let url = hostile(Behaviour::Silent);
    let err = fetch_within_reason(&url, &limits(1000, None)).expect_err("must time out");
    assert!(err.to_string().ends_with("timed out"), "{err}");
}

#[test]
fn an_endless_redirect_is_cut_short() {
    let url = hostile(Behaviour::RedirectLoop);
    let err = fetch_within_reason(&url, &limits(5000, None)).expect_err("must fail");
    assert!(err.to_string().contains("redirect"), "{err}");
}

#[test]
fn a_gzip_bomb_stops_at_the_size_cap() {
    let url = hostile(Behaviour::GzipBomb);
    let err = fetch_within_reason(&url, &limits(10_000, None)).expect_err("must be refused");
    assert!(matches!(err, FetchError::TooLarge { .. }), "{err:?}");
}

#[test]
fn an_endless_body_stops_at_the_size_cap() {
    let url = hostile(Behaviour::Endless);
    let err = fetch_within_reason(&url, &limits(10_000, None)).expect_err("must be refused");
    assert!(matches!(err, FetchError::TooLarge { .. }), "{err:?}");
}
