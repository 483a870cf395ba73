//! The private directory `fun pv` keeps its sockets (`-R`, `-Q`) and its `-c` row file in, in
//! a place no other user can create first (as pv 1.10: `/run/user/UID`, else `~/.pv`):
//! `$XDG_RUNTIME_DIR/fun-pv`, else `/run/user/UID/fun-pv`, else `~/.fun-pv`. Never a name in
//! a shared folder such as /tmp, where another local user could make it before us and leave
//! `-R`/`-Q` unable to find anything. It is created with mode 0700 and refused, with the
//! reason named (owner, mode, link), unless it is a real directory owned by this user that
//! no one else can enter; `~` must be ours and closed to others' writes.

use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The directory, created if needed.
///
/// # Errors
/// When it cannot be created, or exists but is not private to this user (named in the error).
pub(crate) fn private_dir() -> io::Result<PathBuf> {
    let uid = rustix::process::getuid().as_raw();
    let dir = location(uid, std::env::var_os("XDG_RUNTIME_DIR"), std::env::var_os("HOME"))?;
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => {
            return Err(io::Error::new(
                e.kind(),
                format!("{}: {e}", crate::files::display_path(&dir)),
            ));
        }
    }
    owned_private(&dir, uid)?;
    Ok(dir)
}

/// Where the directory goes: in the first private runtime directory (`runtime`, then
/// systemd's `/run/user/UID`), else in `home` when it is this user's and others cannot write
/// to it.
fn location(
    uid: u32,
    runtime: Option<std::ffi::OsString>,
    home: Option<std::ffi::OsString>,
) -> io::Result<PathBuf> {
    let runtime = runtime
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from(format!("/run/user/{uid}"))])
        .find(|p| p.is_absolute() && owned_private(p, uid).is_ok());
    if let Some(base) = runtime {
        return Ok(base.join("fun-pv"));
    }
    let home = home.map(PathBuf::from).filter(|h| h.is_absolute()).ok_or_else(|| {
        io::Error::new(io::ErrorKind::NotFound, "neither XDG_RUNTIME_DIR nor HOME is set")
    })?;
    let meta = std::fs::metadata(&home).map_err(|e| {
        io::Error::new(e.kind(), format!("{}: {e}", crate::files::display_path(&home)))
    })?;
    if !meta.is_dir() || meta.uid() != uid || meta.permissions().mode() & 0o022 != 0 {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{}: not this user's home (owner uid {}, mode {:04o}): set XDG_RUNTIME_DIR",
                crate::files::display_path(&home),
                meta.uid(),
                meta.permissions().mode() & 0o7777
            ),
        ));
    }
    Ok(home.join(".fun-pv"))
}

/// Checks that `dir` is a directory (not a symlink to one) owned by `uid`, closed to others;
/// the error says which of these fails.
fn owned_private(dir: &Path, uid: u32) -> io::Result<()> {
    let name = crate::files::display_path(dir);
    let meta = std::fs::symlink_metadata(dir)
        .map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))?;
    let mode = meta.permissions().mode() & 0o7777;
    let why = if meta.file_type().is_symlink() {
        "a symbolic link".to_owned()
    } else if !meta.is_dir() {
        "not a directory".to_owned()
    } else if meta.uid() != uid {
        format!("owned by uid {}, not this user (uid {uid})", meta.uid())
    } else if mode & 0o077 != 0 {
        format!("mode {mode:04o}: others may enter it")
    } else {
        return Ok(());
    };
    Err(io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("{name}: not a private directory of this user: {why}"),
    ))
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
        let why = owned_private(&open, uid).expect_err("open").to_string();
        assert!(
            why.ends_with("not a private directory of this user: mode 0755: others may enter it"),
            "{why}"
        );
        let why = owned_private(&link, uid).expect_err("link").to_string();
        assert!(why.ends_with("a symbolic link"), "{why}");
        assert!(alive(std::process::id()));
        assert!(!alive(4_194_304 + 1));
    }

    #[test]
    fn the_place_is_never_a_shared_folder() {
        let uid = rustix::process::getuid().as_raw();
        let tmp = tempfile::tempdir().expect("tempdir");
        let runtime = tmp.path().join("runtime");
        std::fs::DirBuilder::new().mode(0o700).create(&runtime).expect("mkdir");
        let home = tmp.path().join("home");
        std::fs::DirBuilder::new().mode(0o755).create(&home).expect("mkdir");
        let at = |runtime: Option<&Path>, home: Option<&Path>| {
            location(uid, runtime.map(Into::into), home.map(Into::into))
        };
        assert_eq!(at(Some(&runtime), Some(&home)).expect("runtime"), runtime.join("fun-pv"));
        if !Path::new(&format!("/run/user/{uid}")).exists() {
            // No runtime directory: the home, never $TMPDIR.
            assert_eq!(at(None, Some(&home)).expect("home"), home.join(".fun-pv"));
            let open = tmp.path().join("open");
            std::fs::DirBuilder::new().mode(0o777).create(&open).expect("mkdir");
            std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).expect("chmod");
            let why = at(Some(&open), Some(&open)).expect_err("a home others write to").to_string();
            assert!(why.contains("mode 0777") && why.contains("set XDG_RUNTIME_DIR"), "{why}");
            assert!(at(None, None).is_err());
        }
    }
}
