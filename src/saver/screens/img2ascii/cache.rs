//! Decoded pictures kept for the life of the process, so that a picture is never decoded twice:
//! a rotation (`img2ascii -p cat.gif + clock`) builds the screen again each time it comes back,
//! and a slideshow comes back to its first picture after the last.
//!
//! A picture is known by its path, modification time and size: a file changed in place
//! (another time or size) is read and decoded again. The cache is bounded by
//! [`MAX_PICTURES`] entries and [`MAX_BYTES`] of pixels; the least recently used go first,
//! and a picture larger than the whole budget is not kept.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use super::picture::Picture;

/// Most pictures kept.
pub(crate) const MAX_PICTURES: usize = 16;
/// Most bytes of pixels kept, in all (one animation of 300 frames of 240x240 is 52 MB).
pub(crate) const MAX_BYTES: usize = 64 << 20;

/// What identifies a file's content well enough to reuse its decoded picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Key {
    path: PathBuf,
    modified: Option<SystemTime>,
    len: u64,
}

impl Key {
    /// The key of the open `file` at `path` (its metadata, not the path's: no race).
    pub(crate) fn of(path: &Path, file: &File) -> std::io::Result<Key> {
        let meta = file.metadata()?;
        Ok(Key { path: path.to_path_buf(), modified: meta.modified().ok(), len: meta.len() })
    }

    /// The key of what `path` names now (for a look-up before opening it).
    pub(crate) fn at(path: &Path) -> std::io::Result<Key> {
        let meta = std::fs::metadata(path)?;
        Ok(Key { path: path.to_path_buf(), modified: meta.modified().ok(), len: meta.len() })
    }
}

/// Least recently used last.
static CACHE: Mutex<Vec<(Key, Arc<Picture>)>> = Mutex::new(Vec::new());

fn bytes(picture: &Picture) -> usize {
    picture.frames.iter().map(|f| f.pixels.len() * 3).sum()
}

/// The picture decoded for `key`, if it is kept.
pub(crate) fn get(key: &Key) -> Option<Arc<Picture>> {
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    let at = cache.iter().position(|(k, _)| k == key)?;
    let entry = cache.remove(at);
    let picture = Arc::clone(&entry.1);
    cache.push(entry);
    Some(picture)
}

/// Keeps `picture` for `key`, dropping the least recently used beyond the bounds.
pub(crate) fn put(key: Key, picture: Arc<Picture>) {
    if bytes(&picture) > MAX_BYTES {
        return;
    }
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    // An older version of the same file is of no use any more.
    cache.retain(|(k, _)| k.path != key.path);
    cache.push((key, picture));
    while cache.len() > MAX_PICTURES
        || cache.iter().map(|(_, p)| bytes(p)).sum::<usize>() > MAX_BYTES
    {
        cache.remove(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saver::screens::img2ascii::picture::Frame;

    fn picture(side: u32) -> Arc<Picture> {
        let pixels = vec![[1, 2, 3]; (side * side) as usize];
        let frame = Frame { width: side, height: side, pixels, delay: std::time::Duration::ZERO };
        Arc::new(Picture { frames: vec![frame] })
    }

    fn key(name: &str, len: u64) -> Key {
        Key { path: PathBuf::from(format!("/cache-test/{name}")), modified: None, len }
    }

    #[test]
    fn a_changed_file_is_a_new_picture_and_the_cache_stays_bounded() {
        put(key("a", 1), picture(4));
        assert!(get(&key("a", 1)).is_some());
        // Another size (or time): not the same content.
        assert!(get(&key("a", 2)).is_none());
        put(key("a", 2), picture(4));
        assert!(get(&key("a", 1)).is_none(), "the old version was dropped");
        // Too large for the budget: not kept.
        put(key("huge", 1), picture(5000));
        assert!(get(&key("huge", 1)).is_none());
        for i in 0..(MAX_PICTURES as u64 + 4) {
            put(key("many", 1000 + i), picture(2));
            put(key(&format!("many-{i}"), 1), picture(2));
        }
        let cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
        assert!(cache.len() <= MAX_PICTURES);
    }
}
