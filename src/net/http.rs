//! The HTTP side of a fetch (reqwest, blocking, rustls): the request with its deadline, and a
//! body read that stops at the size cap or the deadline, whichever comes first.

use std::io::Read;
use std::time::Instant;

use super::{FetchError, Limits};

pub(super) fn get(url: &str, limits: &Limits) -> Result<Vec<u8>, FetchError> {
    let deadline = Instant::now() + limits.timeout;
    let network = |reason: String| FetchError::Network { url: url.to_owned(), reason };
    // Once per process; an error means a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::blocking::Client::builder()
        .user_agent(concat!("fun/", env!("CARGO_PKG_VERSION"), " (terminal screensaver)"))
        .connect_timeout(limits.connect_timeout)
        .timeout(limits.timeout)
        .redirect(reqwest::redirect::Policy::limited(10))
        .gzip(true)
        .build()
        .map_err(|e| network(e.to_string()))?;
    // The request's own timeout covers the whole exchange, body included (see the module docs).
    let response =
        client.get(url).timeout(limits.timeout).send().map_err(|e| network(short_reason(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(FetchError::Status { url: url.to_owned(), status: status.as_u16() });
    }
    read_body(response, deadline, limits.max_bytes).map_err(|e| match e {
        BodyError::TooLarge => FetchError::TooLarge { url: url.to_owned(), max: limits.max_bytes },
        BodyError::TimedOut => network("timed out".to_owned()),
        BodyError::Io(e) if is_timeout(&e) => network("timed out".to_owned()),
        BodyError::Io(e) => network(e.to_string()),
    })
}

/// Why reading a body stopped.
#[derive(Debug)]
enum BodyError {
    TooLarge,
    TimedOut,
    Io(std::io::Error),
}

/// Reads `body` to the end, at most `max_bytes`, giving up once `deadline` has passed.
fn read_body(mut body: impl Read, deadline: Instant, max_bytes: u64) -> Result<Vec<u8>, BodyError> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if Instant::now() >= deadline {
            return Err(BodyError::TimedOut);
        }
        let n = match body.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(BodyError::Io(e)),
        };
        if (out.len() + n) as u64 > max_bytes {
            return Err(BodyError::TooLarge);
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

/// Whether `err` or anything in its source chain is a timeout (reqwest wraps its deadline error
/// in an I/O error when it fires during a body read).
fn is_timeout(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        let io_timeout = e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut);
        if io_timeout || e.downcast_ref::<reqwest::Error>().is_some_and(reqwest::Error::is_timeout)
        {
            return true;
        }
        current = e.source();
    }
    false
}

fn short_reason(e: &reqwest::Error) -> String {
    if is_timeout(e) {
        "timed out".to_owned()
    } else if e.is_connect() {
        "cannot connect".to_owned()
    } else if e.is_redirect() {
        "too many redirects".to_owned()
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A reader that yields one byte per call, forever, taking `pause` per call.
    struct Drip(Duration);

    impl Read for Drip {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            std::thread::sleep(self.0);
            buf[0] = b'x';
            Ok(1)
        }
    }

    #[test]
    fn a_dripping_body_ends_at_the_deadline() {
        let deadline = Instant::now() + Duration::from_millis(200);
        let result = read_body(Drip(Duration::from_millis(20)), deadline, 1 << 20);
        assert!(matches!(result, Err(BodyError::TimedOut)), "{result:?}");
    }

    #[test]
    fn a_body_over_the_cap_is_refused_without_reading_on() {
        let deadline = Instant::now() + Duration::from_secs(3600);
        let result = read_body(std::io::repeat(b'x'), deadline, 100_000);
        assert!(matches!(result, Err(BodyError::TooLarge)), "{result:?}");
        let body = read_body(&b"hello"[..], deadline, 5).expect("fits");
        assert_eq!(body, b"hello");
    }
}
