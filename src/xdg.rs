//! The XDG base directories used by fun: the user's screens live under the config directory,
//! the network cache under the cache directory, calendars under the home folder.

use std::path::PathBuf;

/// `$VAR` if set and not empty, else `$HOME/fallback` (e.g. `XDG_CACHE_HOME`, `.cache`).
#[must_use]
pub fn base_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(fallback)))
}

/// The user's home folder (`$HOME`, when set and not empty): the only place fun reads it.
#[must_use]
pub fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
}
