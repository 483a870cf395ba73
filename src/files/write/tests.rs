//! The writer's guarantees, one test each. The owner tests need root (CI runs as root): they
//! give a file to a test user (uid 12345) to play "another user's file".

use super::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

const USER: u32 = 12345;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("meta").mode() & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains("fun-tmp"))
        .collect()
}

#[test]
fn a_new_file_is_written_whole_and_no_temporary_file_is_left() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("new");
    write_file(&path, b"hello\n", Options::FOLLOW).expect("write");
    assert_eq!(std::fs::read(&path).expect("read"), b"hello\n");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn the_mode_of_an_existing_file_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("secret");
    std::fs::write(&path, "old").expect("write");
    chmod(&path, 0o600);
    write_file(&path, b"new", Options::FOLLOW).expect("write");
    assert_eq!(mode(&path), 0o600);
    chmod(&path, 0o640);
    write_file(&path, b"newer", Options::FOLLOW).expect("write");
    assert_eq!(
        (mode(&path), std::fs::read_to_string(&path).expect("read").as_str()),
        (0o640, "newer")
    );
}

#[test]
fn a_read_only_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ro");
    std::fs::write(&path, "old").expect("write");
    chmod(&path, 0o444);
    let err = write_file(&path, b"new", Options::FOLLOW).expect_err("refused");
    assert!(matches!(err, WriteError::ReadOnly { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "old");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn follow_writes_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("dotfiles/rc");
    std::fs::create_dir(dir.path().join("dotfiles")).expect("mkdir");
    std::fs::write(&real, "old").expect("write");
    let link = dir.path().join(".rc");
    std::os::unix::fs::symlink("dotfiles/rc", &link).expect("link");
    write_file(&link, b"new", Options::FOLLOW).expect("write");
    assert!(std::fs::symlink_metadata(&link).expect("lstat").file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&real).expect("read"), "new");
}

#[test]
fn a_dangling_link_gets_its_target_created_and_stays_a_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("dotfiles")).expect("mkdir");
    let link = dir.path().join(".rc");
    std::os::unix::fs::symlink(dir.path().join("dotfiles/rc"), &link).expect("link");
    write_file(&link, b"new", Options::FOLLOW).expect("write");
    assert!(std::fs::symlink_metadata(&link).expect("lstat").file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(dir.path().join("dotfiles/rc")).expect("read"), "new");
}

#[test]
fn replace_never_writes_through_a_planted_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").expect("write");
    let planted = dir.path().join("fun.1");
    std::os::unix::fs::symlink(&victim, &planted).expect("link");
    write_file(&planted, b"page", Options::REPLACE).expect("write");
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "precious");
    assert!(std::fs::symlink_metadata(&planted).expect("lstat").file_type().is_file());
    assert_eq!(std::fs::read_to_string(&planted).expect("read"), "page");
}

#[test]
fn devices_folders_hard_links_and_loops_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let null = dir.path().join("null");
    std::os::unix::fs::symlink("/dev/null", &null).expect("link");
    let err = write_file(&null, b"x", Options::FOLLOW).expect_err("device");
    assert!(matches!(err, WriteError::NotRegular { .. }), "{err}");
    let err = write_file(dir.path(), b"x", Options::REPLACE).expect_err("folder");
    assert!(matches!(err, WriteError::NotRegular { .. }), "{err}");
    let one = dir.path().join("one");
    std::fs::write(&one, "shared").expect("write");
    std::fs::hard_link(&one, dir.path().join("two")).expect("hard link");
    let err = write_file(&one, b"x", Options::FOLLOW).expect_err("hard links");
    assert!(matches!(err, WriteError::HardLinks { links: 2, .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&one).expect("read"), "shared");
    let loop_a = dir.path().join("a");
    std::os::unix::fs::symlink("b", &loop_a).expect("link");
    std::os::unix::fs::symlink("a", dir.path().join("b")).expect("link");
    let err = write_file(&loop_a, b"x", Options::FOLLOW).expect_err("loop");
    assert!(matches!(err, WriteError::LinkLoop { .. }), "{err}");
}

#[test]
fn a_dropped_pending_write_leaves_the_target_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("f");
    std::fs::write(&path, "old").expect("write");
    let pending = plan(&path, Options::FOLLOW).expect("plan").begin().expect("begin");
    pending.file().write_all(b"half").expect("write");
    drop(pending);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "old");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn like_gives_a_copy_its_originals_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original = dir.path().join("rc");
    std::fs::write(&original, "secret").expect("write");
    chmod(&original, 0o600);
    let like = Ownership::of(&std::fs::metadata(&original).expect("meta"));
    let backup = dir.path().join("rc.bak");
    std::fs::write(&backup, "stale").expect("write");
    chmod(&backup, 0o644);
    write_file(&backup, b"secret", Options { like: Some(like), ..Options::REPLACE })
        .expect("write");
    assert_eq!(mode(&backup), 0o600);
}

#[test]
fn root_keeps_another_users_owner_group_and_mode() {
    if !rustix::process::geteuid().is_root() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".zshrc");
    std::fs::write(&path, "export TOKEN=x\n").expect("write");
    std::os::unix::fs::chown(&path, Some(USER), Some(USER)).expect("chown");
    chmod(&path, 0o600);
    write_file(&path, b"new\n", Options::FOLLOW).expect("write");
    let meta = std::fs::metadata(&path).expect("meta");
    assert_eq!((meta.uid(), meta.gid(), meta.mode() & 0o7777), (USER, USER, 0o600));
}

#[test]
fn root_creates_a_dangling_links_target_for_the_links_owner() {
    if !rustix::process::geteuid().is_root() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join(".rc");
    std::os::unix::fs::symlink(dir.path().join("target"), &link).expect("link");
    std::os::unix::fs::lchown(&link, Some(USER), Some(USER)).expect("lchown");
    write_file(&link, b"x", Options::FOLLOW).expect("write");
    let meta = std::fs::metadata(dir.path().join("target")).expect("meta");
    assert_eq!((meta.uid(), meta.gid()), (USER, USER));
}

#[test]
fn replace_gives_a_planted_file_a_new_owner_and_the_usual_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let planted = dir.path().join("fun.1");
    std::fs::write(&planted, "planted").expect("write");
    chmod(&planted, 0o4777);
    std::fs::hard_link(&planted, dir.path().join("other")).expect("hard link");
    write_file(&planted, b"page", Options::REPLACE).expect("write");
    assert_eq!(mode(&planted) & 0o7000, 0, "no set-id bit carried over");
    assert_eq!(std::fs::read_to_string(dir.path().join("other")).expect("read"), "planted");
    let meta = std::fs::metadata(&planted).expect("meta");
    assert_eq!(meta.uid(), rustix::process::geteuid().as_raw());
}
