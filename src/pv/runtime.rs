//! The private directory `fun pv` keeps its sockets (`-R`, `-Q`) and its `-c` row file in:
//! `$XDG_RUNTIME_DIR/fun-pv`, or `$TMPDIR/fun-pv-UID` without one, created with mode 0700 and
//! refused unless it is a real directory owned by this user that no one else can enter.

use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The directory, created if needed.
///
/// # Errors
/// When it cannot be created, or exists but is not private to this user (named in the error).
pub(crate) fn private_dir() -> io::Result<PathBuf> {
    let uid = rustix::process::getuid().as_raw();
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute() && owned_private(p, uid).is_ok());
    let dir = match runtime {
        Some(base) => base.join("fun-pv"),
        None => std::env::temp_dir().join(format!("fun-pv-{uid}")),
    };
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    owned_private(&dir, uid)?;
    Ok(dir)
}

/// Checks that `dir` is a directory (not a symlink to one) owned by `uid`, closed to others.
fn owned_private(dir: &Path, uid: u32) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(dir)?;
    let private = meta.is_dir() && meta.uid() == uid && meta.permissions().mode() & 0o077 == 0;
    if private {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{}: not a private directory of this user", crate::files::display_path(dir)),
        ))
    }
}

/// Whether process `pid` is alive.
#[must_use]
pub(crate) fn alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_private_directories_are_used() {
        let uid = rustix::process::getuid().as_raw();
        let tmp = tempfile::tempdir().expect("tempdir");
        let open = tmp.path().join("open");
        std::fs::DirBuilder::new().mode(0o755).create(&open).expect("mkdir");
        assert!(owned_private(&open, uid).is_err());
        let closed = tmp.path().join("closed");
        std::fs::DirBuilder::new().mode(0o700).create(&closed).expect("mkdir");
        assert!(owned_private(&closed, uid).is_ok());
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&closed, &link).expect("symlink");
        assert!(owned_private(&link, uid).is_err(), "a symlink is not the directory");
        assert!(alive(std::process::id()));
        assert!(!alive(4_194_304 + 1));
    }
}
