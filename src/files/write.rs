//! The one writer for the user's files (rc files and their backups, manual pages, recordings,
//! pid files): the new bytes go to a new temporary file in the target's own folder, are flushed
//! to disk and renamed over the target, so a crash, a full disk or a refusal leaves the old file
//! or the new one, never half of each, and never a changed file after an error.
//!
//! What the target was survives: its owner and group (a file root writes for another user stays
//! that user's), its mode (a 0600 file never becomes 0644, even for a moment: the temporary file
//! is 0600 until its owner is set), and its links, resolved deliberately by [`Links`]:
//!
//! - [`Links::Follow`] (a user's own file, e.g. an rc file a dotfile manager links): the link
//!   is followed to its final target and that file is written; the link stays a link. A
//!   dangling link (a fresh dotfiles checkout) creates its target.
//! - [`Links::Replace`] (files we own the name of, in a folder someone else may write: manual
//!   pages, backups): whatever is at the path (a link, a stale file, someone else's file) is
//!   replaced by a new file of ours, never written through, and lends it nothing (not even its
//!   owner: a file planted in a system folder must not keep its planter as owner).
//!
//! Refused before anything is written, as an editor would, when following: a read-only target
//! (no write bit at all, even for root), a target that is not a regular file, a file with
//! several hard links (a rename would split them), and a file whose owner cannot be kept (not
//! root, someone else's); when replacing, only a path that is neither a file nor a link (a
//! folder). Never an existing path opened for writing: only the new temporary file (`O_EXCL`).

use std::fs::{File, Metadata};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::display_path;

/// The most links followed from one path (as the kernel's own limit, `ELOOP`).
const MAX_LINKS: usize = 40;

/// How a symbolic link at the target's path is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Links {
    /// Write the file the link points to (created when missing); the link is kept.
    Follow,
    /// Replace the link itself with the new file; what it points to is never touched.
    Replace,
}

/// The owner, group and mode a written file takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ownership {
    pub uid: u32,
    pub gid: u32,
    /// Permission bits (`0o7777` at most).
    pub mode: u32,
}

impl Ownership {
    /// The ownership of an existing file.
    #[must_use]
    pub fn of(meta: &Metadata) -> Ownership {
        Ownership { uid: meta.uid(), gid: meta.gid(), mode: meta.mode() & 0o7777 }
    }
}

/// How to write.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub links: Links,
    /// The owner, group and mode to give the file instead of the existing file's (a backup
    /// takes its original's). `None`: the existing file's, or a new file's usual ones.
    pub like: Option<Ownership>,
    /// Create the target's folder (and its parents) when missing.
    pub create_folder: bool,
}

impl Options {
    /// Follow links, keep what the file was, folder must exist.
    pub const FOLLOW: Options = Options { links: Links::Follow, like: None, create_folder: false };
    /// Replace links, keep what a regular file was, folder must exist.
    pub const REPLACE: Options =
        Options { links: Links::Replace, like: None, create_folder: false };
}

/// Why a file was not written. Every variant leaves the target as it was.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: read-only (no write permission); nothing was changed")]
    ReadOnly { path: String },
    #[error("{path}: is a {kind}, not a regular file; nothing was changed")]
    NotRegular { path: String, kind: &'static str },
    #[error("{path}: has {links} hard links, which replacing it would split; nothing was changed")]
    HardLinks { path: String, links: u64 },
    #[error(
        "{path}: owned by user {uid}, and only root can write it back with that owner; \
         nothing was changed"
    )]
    Owner { path: String, uid: u32 },
    #[error("{path}: too many levels of symbolic links; nothing was changed")]
    LinkLoop { path: String },
    #[error("{path}: cannot write in its folder: {source}")]
    Folder {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// A checked plan to write one file: where the bytes go and what they become.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The file that is replaced (links followed for [`Links::Follow`]).
    pub target: PathBuf,
    /// The target as it is now (`None`: it does not exist yet).
    pub existing: Option<Metadata>,
    /// The owner and group to give the file (`None`: whoever runs this, as for any new file).
    owner: Option<(u32, u32)>,
    /// The mode to give the file (`None`: the usual 0666 less the umask).
    mode: Option<u32>,
    create_folder: bool,
}

/// A file being written: write into [`Pending::file`], then [`Pending::commit`]. Dropped
/// without a commit, the temporary file is removed and the target is untouched.
#[derive(Debug)]
pub struct Pending {
    file: File,
    temp: PathBuf,
    plan: Plan,
    committed: bool,
}

/// Follows `path`'s links to the file they end at (which may not exist): where a write with
/// [`Links::Follow`] lands, and so the file to read first.
///
/// # Errors
/// A link loop, or a link that cannot be read.
pub fn follow(path: &Path) -> Result<PathBuf, WriteError> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let to = std::fs::read_link(&at).map_err(|source| io_error(&at, source))?;
                at = match at.parent() {
                    Some(folder) if to.is_relative() => folder.join(to),
                    _ => to,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(WriteError::LinkLoop { path: display_path(path) })
}

fn io_error(path: &Path, source: io::Error) -> WriteError {
    WriteError::Io { path: display_path(path), source }
}

/// The folder a file is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Whether this process runs as root.
fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Checks that `path` can be replaced as `options` say, without changing anything.
///
/// # Errors
/// A refusal (read-only, not a regular file, hard links, an owner that cannot be kept, a link
/// loop) or an error reading what is there.
pub fn plan(path: &Path, options: Options) -> Result<Plan, WriteError> {
    let target = match options.links {
        Links::Follow => follow(path)?,
        Links::Replace => path.to_path_buf(),
    };
    let shown = display_path(&target);
    let existing = match std::fs::symlink_metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(source) => return Err(io_error(&target, source)),
    };
    if let Some(meta) = &existing {
        check_existing(meta, &target, options.links)?;
    }
    let kept =
        existing.as_ref().filter(|m| options.links == Links::Follow && m.file_type().is_file());
    let model = options.like.or_else(|| kept.map(Ownership::of));
    let mut owner = model.map(|m| (m.uid, m.gid));
    if owner.is_none() && target != path {
        // A new file at a dangling link's target belongs to whoever made the link (root
        // writing a user's dotfiles link must not leave them a file they cannot change).
        owner = std::fs::symlink_metadata(path).ok().map(|link| (link.uid(), link.gid()));
    }
    if let Some((uid, _)) = owner
        && !is_root()
        && uid != rustix::process::geteuid().as_raw()
    {
        return Err(WriteError::Owner { path: shown, uid });
    }
    let mode = model.map(|m| m.mode);
    Ok(Plan { target, existing, owner, mode, create_folder: options.create_folder })
}

/// The refusals for a path that exists.
fn check_existing(meta: &Metadata, target: &Path, links: Links) -> Result<(), WriteError> {
    let path = display_path(target);
    let kind = meta.file_type();
    if links == Links::Replace && (kind.is_symlink() || kind.is_file()) {
        return Ok(());
    }
    if !kind.is_file() {
        return Err(WriteError::NotRegular { path, kind: super::kind_name(kind) });
    }
    if meta.mode() & 0o222 == 0 {
        return Err(WriteError::ReadOnly { path });
    }
    if !is_root() && rustix::fs::access(target, rustix::fs::Access::WRITE_OK).is_err() {
        return Err(WriteError::ReadOnly { path });
    }
    if meta.nlink() > 1 {
        return Err(WriteError::HardLinks { path, links: meta.nlink() });
    }
    Ok(())
}

impl Plan {
    /// Starts writing: a new temporary file beside the target.
    ///
    /// # Errors
    /// The folder cannot be created or does not take new files.
    pub fn begin(self) -> Result<Pending, WriteError> {
        let folder = folder_of(&self.target).to_path_buf();
        if self.create_folder {
            std::fs::create_dir_all(&folder).map_err(|source| io_error(&folder, source))?;
        }
        let name = self.target.file_name().map_or_else(
            || "file".into(),
            |n| n.to_string_lossy().chars().take(100).collect::<String>(),
        );
        // 0600 while it is being written (and while its owner is still root's); a new file
        // without a model takes the usual 0666 less the umask.
        let mode = if self.mode.is_some() { 0o600 } else { 0o666 };
        let mut last = io::Error::other("no free temporary name");
        for _ in 0..16 {
            let temp = folder.join(format!(".{name}.{:08x}.fun-tmp", rand::random::<u32>()));
            match std::fs::OpenOptions::new().write(true).create_new(true).mode(mode).open(&temp) {
                Ok(file) => return Ok(Pending { file, temp, plan: self, committed: false }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
                Err(source) => {
                    return Err(WriteError::Folder { path: display_path(&self.target), source });
                }
            }
        }
        Err(WriteError::Folder { path: display_path(&self.target), source: last })
    }

    /// Writes `bytes` as the whole new file.
    ///
    /// # Errors
    /// As [`Plan::begin`] and [`Pending::commit`], or a failed write (the target is untouched).
    pub fn write(self, bytes: &[u8]) -> Result<(), WriteError> {
        let mut pending = self.begin()?;
        let target = pending.plan.target.clone();
        pending.file.write_all(bytes).map_err(|source| io_error(&target, source))?;
        pending.commit()
    }
}

impl Pending {
    /// The temporary file, to write the new contents into.
    #[must_use]
    pub fn file(&self) -> &File {
        &self.file
    }

    /// The file being replaced.
    #[must_use]
    pub fn target(&self) -> &Path {
        &self.plan.target
    }

    /// Gives the file its owner and mode, flushes it to disk and renames it over the target.
    ///
    /// # Errors
    /// Any step failing: the temporary file is removed and the target is untouched.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let target = self.plan.target.clone();
        let fail = |source| io_error(&target, source);
        if let Some((uid, gid)) = self.plan.owner {
            let meta = self.file.metadata().map_err(fail)?;
            if meta.uid() != uid || meta.gid() != gid {
                // The owner first: changing it clears the set-id bits the mode then restores.
                let (uid, gid) = (rustix::fs::Uid::from_raw(uid), rustix::fs::Gid::from_raw(gid));
                rustix::fs::fchown(&self.file, Some(uid), Some(gid))
                    .map_err(|e| fail(io::Error::from(e)))?;
            }
        }
        if let Some(mode) = self.plan.mode {
            self.file.set_permissions(std::fs::Permissions::from_mode(mode)).map_err(fail)?;
        }
        self.file.sync_all().map_err(fail)?;
        std::fs::rename(&self.temp, &target).map_err(fail)?;
        self.committed = true;
        // The rename itself on disk too (best effort: some file systems refuse a folder fsync).
        if let Ok(folder) = File::open(folder_of(&target)) {
            let _ = folder.sync_all();
        }
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Replaces the file at `path` with `bytes` (see the module's documentation).
///
/// # Errors
/// A refusal or an I/O error; the file is as it was either way.
pub fn write_file(path: &Path, bytes: &[u8], options: Options) -> Result<(), WriteError> {
    plan(path, options)?.write(bytes)
}

#[cfg(test)]
mod tests;
