//! The last good response per URL, under `$XDG_CACHE_HOME/fun/` (default `~/.cache/fun/`), one
//! file per URL named by a hash of it. Failures to write are ignored: the cache is a nicety.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The cache folder.
#[must_use]
pub fn dir() -> Option<PathBuf> {
    Some(crate::xdg::base_dir("XDG_CACHE_HOME", ".cache")?.join("fun"))
}

fn path_for(dir: &Path, url: &str) -> PathBuf {
    // FNV-1a would do as well; DefaultHasher with fixed keys is stable within a Rust release,
    // and a changed name only costs one refetch.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    url.hash(&mut hasher);
    dir.join(format!("{:016x}.body", hasher.finish()))
}

/// Saves the body of `url` in `dir`.
pub fn store(dir: &Path, url: &str, body: &[u8]) {
    let path = path_for(dir, url);
    let _ = std::fs::create_dir_all(dir);
    let tmp = path.with_extension("tmp");
    if std::fs::write(&tmp, body).is_ok() {
        let _ = std::fs::rename(&tmp, &path);
    }
}

/// The cached body of `url` and its age; a cache file that is not a regular file or holds more
/// than `max_bytes` (the fetch's own cap) is ignored.
#[must_use]
pub fn load(dir: &Path, url: &str, max_bytes: u64) -> Option<(Vec<u8>, Duration)> {
    let path = path_for(dir, url);
    let body = crate::files::read_capped(&path, max_bytes).ok()?;
    let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    let age = SystemTime::now().duration_since(modified).unwrap_or_default();
    Some((body, age))
}
