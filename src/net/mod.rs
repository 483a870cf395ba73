//! Fetching text from the network for the saver's network screens, politely and safely: GET
//! only, a User-Agent naming fun, redirects followed, gzip, a 5 s connect and 20 s total
//! timeout, a 5 MiB size cap, the usual proxy variables (reqwest reads them), and a cache of
//! the last good response per URL under `$XDG_CACHE_HOME/fun/` that is used when a fetch fails.
//! A local file path works wherever a URL does, so every screen can be used offline; it must be
//! a regular file (a FIFO or device is refused, never blocked on) within the same size cap.
//!
//! The total timeout is a deadline for the whole exchange, body included: reqwest's blocking
//! client only applies its own `timeout` to each wait (each read of the body), so a server that
//! drips a byte every half second would never time out. The deadline is set on the request
//! (which reqwest enforces until the body is complete) and checked again between reads.
//!
//! This is blocking code: screens call it on a worker thread (`saver::data::source::Job`).

pub mod cache;
#[cfg(feature = "net")]
mod http;

use std::path::Path;
use std::time::Duration;

use thiserror::Error;

use crate::files::ReadError;

/// Limits of a fetch.
#[derive(Clone, Debug)]
pub struct Limits {
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub max_bytes: u64,
    /// Where the last good responses are kept (None: no cache).
    pub cache_dir: Option<std::path::PathBuf>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(20),
            max_bytes: 5 << 20,
            cache_dir: cache::dir(),
        }
    }
}

/// Why a fetch failed, in words for the screen.
#[derive(Debug, Error)]
pub enum FetchError {
    #[error("{0}: {1}")]
    File(String, String),
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: larger than {max} bytes")]
    TooLarge { url: String, max: u64 },
    #[error("{url}: {reason}")]
    Network { url: String, reason: String },
    #[error("{0}: networking is not built in (cargo feature net)")]
    NoNetwork(String),
}

/// A response body, and how old it is when it came from the cache.
#[derive(Clone, Debug)]
pub struct Fetched {
    pub body: Vec<u8>,
    pub cached_age: Option<Duration>,
}

fn is_url(target: &str) -> bool {
    target.starts_with("http://") || target.starts_with("https://")
}

/// Fetches `target` (a URL or a local path) within `limits`; on failure the cached copy of a
/// URL is returned if there is one.
pub fn fetch(target: &str, limits: &Limits) -> Result<Fetched, FetchError> {
    if !is_url(target) {
        let path = target.strip_prefix("file://").unwrap_or(target);
        let body =
            crate::files::read_capped(Path::new(path), limits.max_bytes).map_err(|e| match e {
                ReadError::TooLarge { path, .. } => {
                    FetchError::TooLarge { url: path, max: limits.max_bytes }
                }
                other => FetchError::File(other.path().to_owned(), short_file_reason(&other)),
            })?;
        return Ok(Fetched { body, cached_age: None });
    }
    match get(target, limits) {
        Ok(body) => {
            if let Some(dir) = &limits.cache_dir {
                cache::store(dir, target, &body);
            }
            Ok(Fetched { body, cached_age: None })
        }
        Err(err) => match limits
            .cache_dir
            .as_deref()
            .and_then(|dir| cache::load(dir, target, limits.max_bytes))
        {
            Some((body, age)) => Ok(Fetched { body, cached_age: Some(age) }),
            None => Err(err),
        },
    }
}

/// The reason part of a file error (the path is said once, by [`FetchError::File`]).
fn short_file_reason(err: &ReadError) -> String {
    match err {
        ReadError::NotFound { .. } => "no such file".to_owned(),
        ReadError::NotRegular { kind, .. } => format!("is a {kind}, not a regular file"),
        ReadError::TooLarge { cap, .. } => format!("larger than the {cap} limit"),
        ReadError::Io { source, .. } => source.to_string(),
    }
}

#[cfg(feature = "net")]
use http::get;

#[cfg(not(feature = "net"))]
fn get(url: &str, _limits: &Limits) -> Result<Vec<u8>, FetchError> {
    Err(FetchError::NoNetwork(url.to_owned()))
}

/// "cached 5 min ago" style age.
#[must_use]
pub fn describe_age(age: Duration) -> String {
    let s = age.as_secs();
    match s {
        0..60 => "cached just now".to_owned(),
        60..3600 => format!("cached {} min ago", s / 60),
        3600..86_400 => format!("cached {} h ago", s / 3600),
        _ => format!("cached {} days ago", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_files_must_be_regular_and_small() {
        let limits = Limits { cache_dir: None, ..Limits::default() };
        let err = fetch("/dev/zero", &limits).expect_err("device");
        assert_eq!(err.to_string(), "/dev/zero: is a character device, not a regular file");
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from_raw_mode(0o600))
            .expect("mkfifo");
        let err = fetch(&fifo.display().to_string(), &limits).expect_err("fifo");
        assert!(err.to_string().ends_with("is a FIFO, not a regular file"), "{err}");
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2000]).expect("write");
        let small = Limits { max_bytes: 1000, ..limits };
        let err = fetch(&big.display().to_string(), &small).expect_err("too large");
        assert!(matches!(err, FetchError::TooLarge { max: 1000, .. }), "{err:?}");
    }
}
