//! The XDG base directories used by fun: the user's screens live under the config directory,
//! the network cache under the cache directory.

use std::path::PathBuf;

/// `$VAR` if set and not empty, else `$HOME/fallback` (e.g. `XDG_CACHE_HOME`, `.cache`).
#[must_use]
pub fn base_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from).or_else(|| {
        std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| PathBuf::from(h).join(fallback))
    })
}
