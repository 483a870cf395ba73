//! Fetching text from the network for the saver's network screens, politely and safely: GET
//! only, a User-Agent naming fun, redirects followed, gzip, a 5 s connect and 20 s total
//! timeout, a 5 MiB size cap, the usual proxy variables (reqwest reads them), and a cache of
//! the last good response per URL under `$XDG_CACHE_HOME/fun/` that is used when a fetch fails.
//! A local file path works wherever a URL does, so every screen can be used offline.
//!
//! This is blocking code: screens call it on a worker thread (`saver::data::source::Job`).

pub mod cache;

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use thiserror::Error;

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

impl Limits {
    /// The defaults, with `FUN_NET_TIMEOUT_MS` and `FUN_NET_MAX_BYTES` overriding them (used by
    /// the tests to trip the limits quickly).
    #[must_use]
    pub fn from_env() -> Limits {
        let mut limits = Limits::default();
        let number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        if let Some(ms) = number("FUN_NET_TIMEOUT_MS") {
            limits.timeout = Duration::from_millis(ms.max(1));
            limits.connect_timeout = limits.connect_timeout.min(limits.timeout);
        }
        if let Some(max) = number("FUN_NET_MAX_BYTES") {
            limits.max_bytes = max;
        }
        limits
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
        let mut body = Vec::new();
        std::fs::File::open(Path::new(path))
            .and_then(|f| f.take(limits.max_bytes + 1).read_to_end(&mut body))
            .map_err(|e| FetchError::File(path.to_owned(), e.to_string()))?;
        if body.len() as u64 > limits.max_bytes {
            return Err(FetchError::TooLarge { url: path.to_owned(), max: limits.max_bytes });
        }
        return Ok(Fetched { body, cached_age: None });
    }
    match get(target, limits) {
        Ok(body) => {
            if let Some(dir) = &limits.cache_dir {
                cache::store(dir, target, &body);
            }
            Ok(Fetched { body, cached_age: None })
        }
        Err(err) => match limits.cache_dir.as_deref().and_then(|dir| cache::load(dir, target)) {
            Some((body, age)) => Ok(Fetched { body, cached_age: Some(age) }),
            None => Err(err),
        },
    }
}

#[cfg(feature = "net")]
fn get(url: &str, limits: &Limits) -> Result<Vec<u8>, FetchError> {
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
    let response = client.get(url).send().map_err(|e| network(short_reason(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(FetchError::Status { url: url.to_owned(), status: status.as_u16() });
    }
    let mut body = Vec::new();
    response
        .take(limits.max_bytes + 1)
        .read_to_end(&mut body)
        .map_err(|e| network(e.to_string()))?;
    if body.len() as u64 > limits.max_bytes {
        return Err(FetchError::TooLarge { url: url.to_owned(), max: limits.max_bytes });
    }
    Ok(body)
}

#[cfg(feature = "net")]
fn short_reason(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "cannot connect".to_owned()
    } else if e.is_redirect() {
        "too many redirects".to_owned()
    } else {
        e.to_string()
    }
}

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
