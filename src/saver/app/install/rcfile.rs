//! The marked block in a user's rc file: added, replaced or removed without touching a single
//! byte outside it. The file is read with a size cap (a regular file only: a FIFO, a device or a
//! link to one is refused by name), a copy of the old text is kept beside it with the same
//! owner and mode, and the new text is written by the one writer for the user's files
//! ([`crate::files::write`]): a temporary file renamed over the old one, owner, group and mode
//! kept, a link (dotfile managers link rc files) followed and kept, even a dangling one. Every
//! refusal (read-only, hard links, an owner that cannot be kept) comes before the first write.

use std::path::{Path, PathBuf};

use crate::files::write::{self, Links, Options, Ownership, WriteError};

/// The first and last lines of our block.
pub(crate) const BEGIN: &str = "# >>> fun saver >>>";
pub(crate) const END: &str = "# <<< fun saver <<<";
/// The largest rc file read, and written.
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
    #[error("{path}: with the block it would be larger than 1 MiB; nothing was changed")]
    TooLarge { path: String },
    #[error(transparent)]
    Write(#[from] WriteError),
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
/// place, or appended after exactly one added newline (a blank line after a last line that
/// had its newline, the missing newline otherwise), which [`without_block`] takes away again.
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
        None => format!("{text}\n{body}"),
    })
}

/// `text` without our block (and without the newline `with_block` put before it when the
/// block ends the file); `None` when there is no block.
///
/// # Errors
/// An unclosed or doubled block (line number, whether doubled).
pub(crate) fn without_block(text: &str) -> Result<Option<String>, (usize, bool)> {
    let Some(found) = find(text)? else { return Ok(None) };
    let (before, after) = (&text[..found.start], &text[found.end..]);
    let before = match (after.is_empty(), before.strip_suffix('\n')) {
        (true, Some(trimmed)) => trimmed,
        _ => before,
    };
    Ok(Some(format!("{before}{after}")))
}

/// Checks that `uninstall` will take the block out of `applied` again, giving back `original`
/// byte for byte when it had no block (a guard: `with_block` is built so that it always does).
///
/// # Errors
/// As [`without_block`]; `(0, false)` when the round trip would not give the file back.
pub(crate) fn check_undo(original: &str, applied: &str) -> Result<(), (usize, bool)> {
    let undone = without_block(applied)?;
    match (find(original)?, undone) {
        (None, Some(text)) if text == original => Ok(()),
        (Some(_), Some(_)) => Ok(()),
        _ => Err((0, false)),
    }
}

/// An rc file: where it really is (links followed) and its text (empty when it does not
/// exist).
pub(crate) struct RcFile {
    /// The path as given (a link stays a link: the writer follows it again).
    pub(crate) given: PathBuf,
    /// The file the links end at.
    pub(crate) path: PathBuf,
    pub(crate) shown: String,
    pub(crate) text: String,
    pub(crate) exists: bool,
}

impl RcFile {
    /// Reads `path` (capped, regular files only; a missing file is empty).
    ///
    /// # Errors
    /// Not a regular file, too large, not UTF-8, unreadable, a link loop.
    pub(crate) fn read(path: &Path) -> Result<RcFile, RcError> {
        let real = write::follow(path)?;
        let shown = crate::files::display_path(path);
        let given = path.to_path_buf();
        match crate::files::read_capped(&real, MAX_RC) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes)
                    .map_err(|_| RcError::NotText { path: shown.clone() })?;
                Ok(RcFile { given, path: real, shown, text, exists: true })
            }
            Err(crate::files::ReadError::NotFound { .. }) => {
                Ok(RcFile { given, path: real, shown, text: String::new(), exists: false })
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
    /// there was a file; same owner, group and mode as the file), then the new text. Every
    /// check of both writes is made before either is written.
    ///
    /// # Errors
    /// A refusal (nothing changed), or a step failing (the rc file is untouched then).
    pub(crate) fn replace(&self, text: &str) -> Result<Option<PathBuf>, RcError> {
        if text.len() as u64 > MAX_RC {
            return Err(RcError::TooLarge { path: self.shown.clone() });
        }
        let options = Options { links: Links::Follow, like: None, create_folder: true };
        let rc = write::plan(&self.given, options)?;
        let backup = match (&rc.existing, self.exists) {
            (Some(meta), true) => {
                let name = self
                    .path
                    .file_name()
                    .map_or_else(|| "rc".into(), |n| n.to_string_lossy().into_owned());
                let path = rc.target.with_file_name(format!("{name}.fun-saver.bak"));
                let like = Some(Ownership::of(meta));
                Some((write::plan(&path, Options { like, ..Options::REPLACE })?, path))
            }
            _ => None,
        };
        let backup = match backup {
            Some((plan, path)) => {
                plan.write(self.text.as_bytes())?;
                Some(path)
            }
            None => None,
        };
        rc.write(text.as_bytes())?;
        Ok(backup)
    }
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
        assert!(no_newline.starts_with(&format!("x\n{BEGIN}")), "{no_newline}");
        assert_eq!(without_block(&no_newline).unwrap().as_deref(), Some("x"), "no newline added");
        let crlf = with_block("a\r\nb", "z").unwrap();
        assert_eq!(without_block(&crlf).unwrap().as_deref(), Some("a\r\nb"));
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

    /// Rc-file text: lines of printable text, tabs, CR, non-ASCII, our markers inside other
    /// text or alone, with or without a final newline.
    fn rc_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[ -~\t\u{e9}\u{263a}]{0,40}",
            1 => Just(format!("  {BEGIN}")),
            1 => Just(format!("echo '{END}'")),
            1 => Just(BEGIN.to_owned()),
            1 => Just(END.to_owned()),
        ];
        let ending = prop_oneof![Just("\n"), Just("\r\n")];
        (proptest::collection::vec((piece, ending), 0..30), any::<bool>()).prop_map(
            |(lines, last_newline)| {
                let mut text: String = lines.iter().map(|(l, e)| format!("{l}{e}")).collect();
                if !last_newline {
                    text.truncate(text.trim_end_matches(['\r', '\n']).len());
                }
                text
            },
        )
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

        /// The rule for any file: random text (CRLF, no final newline, our markers inside
        /// other lines), and either install and uninstall give back the very same bytes, or
        /// install refuses (a marker line of ours already there without its pair).
        #[test]
        fn any_file_comes_back_byte_for_byte(text in rc_text(), block in "[ -~]{0,30}(\n[ -~]{0,30}){0,4}") {
            match with_block(&text, &block) {
                Ok(applied) if find(&text).ok().flatten().is_none() => {
                    prop_assert!(check_undo(&text, &applied).is_ok());
                    prop_assert_eq!(without_block(&applied).expect("removes"), Some(text));
                }
                Ok(applied) => prop_assert!(without_block(&applied).expect("removes").is_some()),
                Err(_) => prop_assert!(find(&text).is_err()),
            }
        }

    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// The same rule on disk, through the writer, for files up to the size cap: install
        /// then uninstall gives back the file's bytes and mode, or install refuses and the
        /// file is untouched (a block that would take it past the cap, a stray marker).
        #[test]
        fn any_file_on_disk_comes_back_or_is_not_touched(text in rc_text(), pad in 0usize..700, mode in prop_oneof![Just(0o600u32), Just(0o644), Just(0o640)]) {
            use std::os::unix::fs::PermissionsExt;
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("rc");
            let near_cap = usize::try_from(MAX_RC).expect("fits") - pad;
            let text = if pad % 2 == 0 { text } else {
                format!("{text}# {}\n", "x".repeat(near_cap.saturating_sub(text.len() + 3)))
            };
            std::fs::write(&path, &text).expect("write");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
            let block = "set -g lock-after-time 60\nset -g lock-command \"/f saver\"";
            let rc = RcFile::read(&path).expect("read");
            let added = with_block(&rc.text, block).ok().filter(|a| check_undo(&rc.text, a).is_ok());
            // A file that already had our block gets it replaced, then removed.
            let mut expected = text.clone();
            match added.map(|a| rc.replace(&a)) {
                Some(Ok(_)) => {
                    let rc = RcFile::read(&path).expect("read again");
                    let removed = without_block(&rc.text).expect("removes").expect("a block");
                    rc.replace(&removed).expect("uninstall is never refused");
                    expected = without_block(&text).expect("valid").unwrap_or(expected);
                }
                Some(Err(err)) => prop_assert!(matches!(err, RcError::TooLarge { .. }), "{err}"),
                None => {}
            }
            prop_assert_eq!(std::fs::read(&path).expect("read"), expected.into_bytes());
            let kept = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            prop_assert_eq!(kept, mode);
        }

        #[test]
        fn any_text_is_answered_without_panic(text in "(# >>> fun saver >>>\n|# <<< fun saver <<<\n|[ -~]{0,10}\n){0,12}") {
            let _ = with_block(&text, "x");
            let _ = without_block(&text);
        }
    }
}
