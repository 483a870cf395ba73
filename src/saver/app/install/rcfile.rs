//! The marked block in a user's rc file: added, replaced or removed without touching a single
//! byte outside it. The file is read with a size cap (a regular file only: a FIFO, a device or a
//! link to one is refused by name), a copy of the old text is kept beside it, and the new text
//! is written to a temporary file in the same folder and renamed over the old one, so a crash
//! leaves either the old file or the new one, never half of each. A link (dotfile managers
//! link rc files) is followed and its target is written.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The first and last lines of our block.
pub(crate) const BEGIN: &str = "# >>> fun saver >>>";
pub(crate) const END: &str = "# <<< fun saver <<<";
/// The largest rc file read.
pub(crate) const MAX_RC: u64 = 1024 * 1024;

/// Why an rc file cannot be changed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RcError {
    #[error(transparent)]
    Read(#[from] crate::files::ReadError),
    #[error("{path}:{line}: a \"{BEGIN}\" line without its \"{END}\"; fix it by hand")]
    Unclosed { path: String, line: usize },
    #[error("{path}:{line}: a second fun saver block; remove one by hand")]
    Twice { path: String, line: usize },
    #[error("{path}: not UTF-8 text")]
    NotText { path: String },
    #[error("{path}: {source}")]
    Write { path: String, source: std::io::Error },
}

/// Where the block is: byte ranges of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Found {
    /// From the start of the BEGIN line to the end of the END line (with its newline).
    start: usize,
    end: usize,
}

/// Finds our block in `text` (`Ok(None)` when there is none). `Err((line, twice))` for a BEGIN
/// without an END, or a second block.
fn find(text: &str) -> Result<Option<Found>, (usize, bool)> {
    let mut found = None;
    let mut open: Option<(usize, usize)> = None;
    let mut at = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        match (bare == BEGIN, bare == END, open) {
            (true, _, _) if found.is_some() || open.is_some() => return Err((number + 1, true)),
            (true, _, _) => open = Some((at, number + 1)),
            (_, true, Some((start, _))) => {
                found = Some(Found { start, end: at + line.len() });
                open = None;
            }
            _ => {}
        }
        at += line.len();
    }
    match open {
        Some((_, line)) => Err((line, false)),
        None => Ok(found),
    }
}

/// `text` with `block` (its lines, without the markers) in our block: replacing the old one in
/// place, or appended after a blank line.
///
/// # Errors
/// An unclosed or doubled block (line number, whether doubled).
pub(crate) fn with_block(text: &str, block: &str) -> Result<String, (usize, bool)> {
    let mut body = String::new();
    body.push_str(BEGIN);
    body.push('\n');
    for line in block.lines() {
        body.push_str(line);
        body.push('\n');
    }
    body.push_str(END);
    body.push('\n');
    Ok(match find(text)? {
        Some(found) => format!("{}{body}{}", &text[..found.start], &text[found.end..]),
        None if text.is_empty() => body,
        None if text.ends_with('\n') => format!("{text}\n{body}"),
        None => format!("{text}\n\n{body}"),
    })
}

/// `text` without our block (and without the blank line `with_block` put before it); `None`
/// when there is no block.
///
/// # Errors
/// An unclosed or doubled block (line number, whether doubled).
pub(crate) fn without_block(text: &str) -> Result<Option<String>, (usize, bool)> {
    let Some(found) = find(text)? else { return Ok(None) };
    let (before, after) = (&text[..found.start], &text[found.end..]);
    // The blank line we added before the block goes too, if the block ends the file.
    let before = if after.is_empty() {
        if before.ends_with("\n\n") {
            before[..before.len() - 1].to_owned()
        } else {
            before.to_owned()
        }
    } else {
        before.to_owned()
    };
    Ok(Some(format!("{before}{after}")))
}

/// An rc file: its real path (links followed) and its text (empty when it does not exist).
pub(crate) struct RcFile {
    pub(crate) path: PathBuf,
    pub(crate) shown: String,
    pub(crate) text: String,
    pub(crate) exists: bool,
}

impl RcFile {
    /// Reads `path` (capped, regular files only; a missing file is empty).
    ///
    /// # Errors
    /// Not a regular file, too large, not UTF-8, unreadable.
    pub(crate) fn read(path: &Path) -> Result<RcFile, RcError> {
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let shown = crate::files::display_path(path);
        match crate::files::read_capped(&real, MAX_RC) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes)
                    .map_err(|_| RcError::NotText { path: shown.clone() })?;
                Ok(RcFile { path: real, shown, text, exists: true })
            }
            Err(crate::files::ReadError::NotFound { .. }) => {
                Ok(RcFile { path: real, shown, text: String::new(), exists: false })
            }
            Err(err) => Err(err.into()),
        }
    }

    /// The error for a block problem at `line`.
    pub(crate) fn block_error(&self, (line, twice): (usize, bool)) -> RcError {
        let path = self.shown.clone();
        if twice { RcError::Twice { path, line } } else { RcError::Unclosed { path, line } }
    }

    /// Writes `text` in place of the file: the old text to `FILE.fun-saver.bak` first (when
    /// there was a file), then a temporary file renamed over it, with the old permissions.
    ///
    /// # Errors
    /// Any step failing (the original is untouched then).
    pub(crate) fn replace(&self, text: &str) -> Result<Option<PathBuf>, RcError> {
        let err = |source| RcError::Write { path: self.shown.clone(), source };
        let dir =
            self.path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(err)?;
        let name =
            self.path.file_name().map_or_else(|| "rc".into(), |n| n.to_string_lossy().into_owned());
        let backup = if self.exists {
            let backup = dir.join(format!("{name}.fun-saver.bak"));
            write_atomically(dir, &backup, self.text.as_bytes(), None).map_err(err)?;
            Some(backup)
        } else {
            None
        };
        let mode = std::fs::metadata(&self.path).ok().map(|m| m.permissions());
        write_atomically(dir, &self.path, text.as_bytes(), mode).map_err(err)?;
        Ok(backup)
    }
}

/// Writes `bytes` to a new temporary file in `dir`, flushes it to disk and renames it to `to`.
fn write_atomically(
    dir: &Path,
    to: &Path,
    bytes: &[u8],
    mode: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    let name = format!(".fun-saver.{}.{:08x}.tmp", std::process::id(), rand::random::<u32>());
    let temp = dir.join(name);
    let written = (|| {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        file.write_all(bytes)?;
        if let Some(mode) = mode {
            file.set_permissions(mode)?;
        }
        file.sync_all()?;
        std::fs::rename(&temp, to)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_block_is_appended_replaced_and_removed() {
        let rc = "set -g mouse on\n";
        let once = with_block(rc, "a\nb").unwrap();
        assert_eq!(once, format!("set -g mouse on\n\n{BEGIN}\na\nb\n{END}\n"));
        assert_eq!(with_block(&once, "a\nb").unwrap(), once, "idempotent");
        let changed = with_block(&once, "c").unwrap();
        assert_eq!(changed, format!("set -g mouse on\n\n{BEGIN}\nc\n{END}\n"));
        assert_eq!(without_block(&changed).unwrap().as_deref(), Some(rc));
        assert_eq!(without_block(rc).unwrap(), None);
    }

    #[test]
    fn lines_after_the_block_stay_where_they_are() {
        let rc = format!("one\n{BEGIN}\nold\n{END}\ntwo\n");
        assert_eq!(with_block(&rc, "new").unwrap(), format!("one\n{BEGIN}\nnew\n{END}\ntwo\n"));
        assert_eq!(without_block(&rc).unwrap().as_deref(), Some("one\ntwo\n"));
    }

    #[test]
    fn broken_blocks_are_never_touched() {
        assert_eq!(with_block(&format!("x\n{BEGIN}\nold\n"), "n"), Err((2, false)));
        let twice = format!("{BEGIN}\n{END}\n{BEGIN}\n{END}\n");
        assert_eq!(without_block(&twice), Err((3, true)));
    }

    #[test]
    fn files_without_a_final_newline_or_empty() {
        assert_eq!(with_block("", "a").unwrap(), format!("{BEGIN}\na\n{END}\n"));
        assert_eq!(without_block(&with_block("", "a").unwrap()).unwrap().as_deref(), Some(""));
        let no_newline = with_block("x", "a").unwrap();
        assert!(no_newline.starts_with("x\n\n"));
    }

    #[test]
    fn replace_keeps_a_backup_and_the_mode_and_follows_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.conf");
        std::fs::write(&real, "old\n").expect("write");
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let link = dir.path().join(".tmux.conf");
        std::os::unix::fs::symlink(&real, &link).expect("link");
        let rc = RcFile::read(&link).expect("read");
        let backup = rc.replace("new\n").expect("replace").expect("a backup");
        assert_eq!(std::fs::read_to_string(&real).expect("read"), "new\n");
        assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(backup).expect("backup"), "old\n");
        let mode = std::fs::metadata(&real).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn devices_fifos_and_huge_files_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).expect("link");
        assert!(
            RcFile::read(&zero).err().expect("refused").to_string().contains("character device")
        );
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'#'; 2 << 20]).expect("write");
        assert!(RcFile::read(&big).err().expect("refused").to_string().contains("1 MiB"));
    }

    fn line() -> impl Strategy<Value = String> {
        "[ -~]{0,20}".prop_filter("not a marker", |l| l != BEGIN && l != END)
    }

    proptest! {
        #[test]
        fn apply_then_remove_gives_back_the_file(lines in proptest::collection::vec(line(), 0..20), block in "[a-z \n]{0,40}") {
            let original: String = lines.iter().map(|l| format!("{l}\n")).collect();
            let applied = with_block(&original, &block).expect("applies");
            prop_assert_eq!(with_block(&applied, &block).expect("again"), applied.clone());
            prop_assert!(applied.starts_with(&original));
            let removed = without_block(&applied).expect("removes").expect("a block");
            prop_assert_eq!(removed, original);
        }

        #[test]
        fn any_text_is_answered_without_panic(text in "(# >>> fun saver >>>\n|# <<< fun saver <<<\n|[ -~]{0,10}\n){0,12}") {
            let _ = with_block(&text, "x");
            let _ = without_block(&text);
        }
    }
}
