//! The total size of a transfer: `-s SIZE`, `-s @PATH` (a file's size, a block device's,
//! or the sum of the regular files under a directory, like `du --apparent-size -b` without
//! the directories themselves), or the sum of the inputs' sizes when they are all regular
//! files. The directory walk never follows a symlink and is bounded in depth and entries.

use std::fs::File;
use std::io::{self, Seek};
use std::os::fd::AsFd;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use super::exit::PvError;

/// `-s @DIR`: the deepest directory looked into.
pub(crate) const MAX_DEPTH: usize = 64;
/// `-s @DIR`: the most entries looked at.
pub(crate) const MAX_ENTRIES: u64 = 1_000_000;

/// Why `-s @DIR` gave up.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WalkError {
    #[error("more than {MAX_ENTRIES} entries")]
    TooMany,
    #[error("more than {MAX_DEPTH} directories deep")]
    TooDeep,
    #[error("{}", crate::pv::exit::describe(.0))]
    Io(#[from] io::Error),
}

/// The size `-s @PATH` stands for.
///
/// # Errors
/// [`PvError::SizeFile`] naming the path and what went wrong.
pub(crate) fn size_of(path: &Path) -> Result<u64, PvError> {
    let failed = |why: String| PvError::SizeFile { path: crate::files::display_path(path), why };
    let meta = std::fs::metadata(path).map_err(|e| failed(crate::pv::exit::describe(&e)))?;
    if meta.is_dir() {
        let mut entries = 0;
        return walk(path, 0, &mut entries).map_err(|e| failed(e.to_string()));
    }
    if meta.file_type().is_block_device() {
        return block_device_size(path).map_err(|e| failed(crate::pv::exit::describe(&e)));
    }
    Ok(meta.len())
}

/// The size of a block device (seeking to its end).
fn block_device_size(path: &Path) -> io::Result<u64> {
    let mut file = File::open(path)?;
    file.seek(io::SeekFrom::End(0))
}

/// The sum of the regular files' sizes under `dir`, counting entries against the bound.
fn walk(dir: &Path, depth: usize, entries: &mut u64) -> Result<u64, WalkError> {
    if depth > MAX_DEPTH {
        return Err(WalkError::TooDeep);
    }
    let mut total: u64 = 0;
    for entry in std::fs::read_dir(dir)? {
        *entries += 1;
        if *entries > MAX_ENTRIES {
            return Err(WalkError::TooMany);
        }
        let entry = entry?;
        // The entry itself, not what a symlink points at: no loops, no escaping the tree.
        let kind = entry.file_type()?;
        if kind.is_dir() {
            total = total.saturating_add(walk(&entry.path(), depth + 1, entries)?);
        } else if kind.is_file() {
            total = total.saturating_add(entry.metadata()?.len());
        }
    }
    Ok(total)
}

/// The sum of the inputs' sizes when every input is a regular file (or a block device),
/// standard input included; None otherwise.
pub(crate) fn inputs_size(inputs: &[String]) -> Option<u64> {
    let mut total: u64 = 0;
    for name in inputs {
        let meta = if name == "-" {
            io::stdin()
                .as_fd()
                .try_clone_to_owned()
                .ok()
                .and_then(|fd| File::from(fd).metadata().ok())?
        } else {
            std::fs::metadata(name).ok()?
        };
        if meta.is_file() {
            total = total.saturating_add(meta.len());
        } else if meta.file_type().is_block_device() && name != "-" {
            total = total.saturating_add(block_device_size(Path::new(name)).ok()?);
        } else {
            return None;
        }
    }
    (total > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_sum_their_regular_files_and_skip_symlinks() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::write(root.join("a"), vec![0; 100]).expect("a");
        std::fs::create_dir(root.join("sub")).expect("sub");
        std::fs::write(root.join("sub/b"), vec![0; 50]).expect("b");
        std::os::unix::fs::symlink(root, root.join("sub/loop")).expect("loop");
        std::os::unix::fs::symlink(root.join("a"), root.join("alias")).expect("alias");
        assert_eq!(size_of(root).expect("size"), 150);
        assert_eq!(size_of(&root.join("a")).expect("size"), 100);
        assert!(size_of(&root.join("missing")).is_err());
    }

    #[test]
    fn a_deep_tree_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut path = dir.path().to_path_buf();
        for _ in 0..=MAX_DEPTH + 1 {
            path.push("d");
        }
        std::fs::create_dir_all(&path).expect("deep");
        let err = size_of(dir.path()).expect_err("too deep");
        assert!(err.to_string().contains("deep"), "{err}");
    }
}
