//! Where a data screen's text comes from: a file, a directory of files, a command's output, or
//! text built into the binary. Commands run without a shell on a worker thread, with a timeout
//! and a size cap, so the frame loop never waits; everything is sanitised before it is drawn.

use std::io::Read;

use crate::files::ReadError;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// Longest a command may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);
/// Most output kept from a command; the largest file typed or shown (a larger one is refused
/// by name, and skipped in a folder). At 25 characters a second this is three hours of typing.
pub(crate) const MAX_TEXT: usize = 256 * 1024;
/// Most files listed from a folder.
const MAX_FILES: usize = 5000;
/// Most folder entries looked at in one walk, and the deepest level: a home folder can hold
/// millions of files, and the walk must stay quick and small.
const MAX_ENTRIES: usize = 100_000;
const MAX_DEPTH: usize = 32;

/// A text fetched on a worker thread, with an optional note shown discreetly (a cache age).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    pub body: String,
    pub note: Option<String>,
}

/// Why a text could not be had. The screens show it calmly (`nothing to show yet`) and try
/// again later; every part that came from outside (a path, a command's name, a server's
/// answer) is sanitised before it is stored.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A file could not be read (missing, not a regular file, too large, unreadable).
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A file with NUL bytes in its first 8 KiB.
    #[error("{path}: binary file")]
    Binary { path: String },
    /// A folder without a single file to show.
    #[error("{dir}: no files")]
    NoFiles { dir: String },
    /// A folder whose files could not be read or are binary.
    #[error("{dir}: no readable text files")]
    NoTextFiles { dir: String },
    /// No text was built into the binary for this screen.
    #[error("no built-in text")]
    NoBuiltIn,
    /// Commands and jobs run on a worker thread, never in the frame loop.
    #[error("{what}: runs on a worker thread")]
    Asynchronous { what: String },
    /// A command with no program (a definition checks this; kept for safety).
    #[error("empty command")]
    EmptyCommand,
    /// A command could not be started.
    #[error("{name}: {reason}")]
    Start { name: String, reason: std::io::Error },
    /// A command ran longer than `COMMAND_TIMEOUT`.
    #[error("{name}: no answer in {} s", COMMAND_TIMEOUT.as_secs())]
    Timeout { name: String },
    /// A command failed without any output.
    #[error("{name}: {status}")]
    Failed { name: String, status: std::process::ExitStatus },
    /// The worker thread ended without an answer.
    #[error("the worker stopped")]
    WorkerGone,
    /// A network screen's fetch or feed failed (the reason is already sanitised).
    #[error("{reason}")]
    Fetch { reason: String },
}

impl SourceError {
    /// A failure reported by a fetch, sanitised for the screen.
    pub(crate) fn fetch(reason: impl std::fmt::Display) -> SourceError {
        SourceError::Fetch { reason: sanitize(reason.to_string().as_bytes()) }
    }
}

/// Work that produces a text on a worker thread (network screens); gets a seed for its choices.
pub(crate) type JobFn = dyn Fn(u64) -> Result<Text, SourceError> + Send + Sync;

/// A cloneable job.
#[derive(Clone)]
pub(crate) struct Job(pub Arc<JobFn>);

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

/// A text source.
#[derive(Clone, Debug)]
pub(crate) enum Source {
    File(PathBuf),
    Dir(PathBuf),
    Command(Vec<String>),
    Embedded(Vec<&'static str>),
    /// Texts read before the screen started (a fortune file's entries); one is picked.
    Texts(Arc<Vec<String>>),
    Job(Job),
}

impl Source {
    /// A folder, or a regular file of at most [`MAX_TEXT`] bytes, checked now so that a bad
    /// path is reported before the screen starts (a FIFO or a device is refused by name, and
    /// nothing blocks).
    ///
    /// # Errors
    /// The path is missing, not a folder or regular file, too large, or unreadable.
    pub(crate) fn checked(path: PathBuf) -> Result<Source, ReadError> {
        let name = crate::files::display_path(&path);
        let meta = std::fs::metadata(&path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound { path: name.clone() },
            _ => ReadError::Io { path: name.clone(), source },
        })?;
        if meta.is_dir() {
            return Ok(Source::Dir(path));
        }
        if meta.is_file() && meta.len() > MAX_TEXT as u64 {
            let cap = crate::files::human_size(MAX_TEXT as u64);
            return Err(ReadError::TooLarge { path: name, cap });
        }
        crate::files::open_regular(&path)?;
        Ok(Source::File(path))
    }

    /// Starts an asynchronous source (a command or a job).
    #[must_use]
    pub(crate) fn start(&self, seed: u64) -> Option<Pending> {
        match self {
            Source::Command(argv) => {
                let argv = argv.clone();
                Some(Pending::spawn(move || {
                    run_command(&argv).map(|body| Text { body, note: None })
                }))
            }
            Source::Job(job) => {
                let job = job.clone();
                Some(Pending::spawn(move || (job.0)(seed)))
            }
            _ => None,
        }
    }
}

pub(crate) use crate::sanitize::sanitize;

fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

/// A regular file's text, sanitised: at most [`MAX_TEXT`] bytes, binary files refused.
fn read_text(path: &Path) -> Result<String, SourceError> {
    let bytes = crate::files::read_capped(path, MAX_TEXT as u64)?;
    if is_binary(&bytes) {
        return Err(SourceError::Binary { path: crate::files::display_path(path) });
    }
    Ok(sanitize(&bytes))
}

/// Regular files under `dir` (recursively, sorted, hidden names skipped; binary files are
/// skipped when read). Symbolic links, FIFOs, devices and sockets are never listed (the entry
/// types come from the folder itself, without following links), and the walk is bounded:
/// [`MAX_FILES`] files, [`MAX_ENTRIES`] entries looked at, [`MAX_DEPTH`] levels.
#[must_use]
pub(crate) fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut looked_at = 0;
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((folder, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        let mut names: Vec<(PathBuf, std::fs::FileType)> = entries
            .take(MAX_ENTRIES.saturating_sub(looked_at))
            .filter_map(|e| e.ok().and_then(|e| Some((e.path(), e.file_type().ok()?))))
            .collect();
        looked_at += names.len().max(1);
        names.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, kind) in names {
            if out.len() >= MAX_FILES {
                return out;
            }
            let hidden =
                path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            if kind.is_dir() && depth < MAX_DEPTH {
                stack.push((path, depth + 1));
            } else if kind.is_file() {
                out.push(path);
            }
        }
        if looked_at >= MAX_ENTRIES {
            break;
        }
    }
    out
}

/// Reads the source now (files and built-in text), picking entry `pick` of several.
/// Commands are not run here; see [`Pending`].
///
/// # Errors
/// Why there is no text (see [`SourceError`]).
pub(crate) fn read_now(source: &Source, pick: usize) -> Result<String, SourceError> {
    match source {
        Source::File(path) => read_text(path),
        Source::Dir(dir) => {
            let files = list_files(dir);
            if files.is_empty() {
                return Err(SourceError::NoFiles { dir: crate::files::display_path(dir) });
            }
            // Try from the picked file on until a readable text file turns up.
            (0..files.len().min(50))
                .map(|i| read_text(&files[(pick + i) % files.len()]))
                .find(Result::is_ok)
                .unwrap_or_else(|| {
                    Err(SourceError::NoTextFiles { dir: crate::files::display_path(dir) })
                })
        }
        Source::Embedded(texts) if !texts.is_empty() => Ok(texts[pick % texts.len()].to_owned()),
        Source::Embedded(_) => Err(SourceError::NoBuiltIn),
        Source::Texts(texts) if !texts.is_empty() => Ok(texts[pick % texts.len()].clone()),
        Source::Texts(_) => Err(SourceError::NoBuiltIn),
        Source::Command(argv) => Err(SourceError::Asynchronous { what: sanitize_line(argv) }),
        Source::Job(_) => Err(SourceError::Asynchronous { what: "the job".to_owned() }),
    }
}

/// A command or job running on a worker thread.
pub(crate) struct Pending {
    rx: Receiver<Result<Text, SourceError>>,
    /// The answer, once [`Pending::ready`] saw it and before [`Pending::poll`] takes it.
    arrived: Option<Result<Text, SourceError>>,
}

impl Pending {
    /// Runs `work` on a worker thread.
    pub(crate) fn spawn(
        work: impl FnOnce() -> Result<Text, SourceError> + Send + 'static,
    ) -> Pending {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(work());
        });
        Pending { rx, arrived: None }
    }

    #[cfg(test)]
    /// Starts `argv` (no shell): its standard output, sanitised, or a one-line reason.
    #[must_use]
    pub(crate) fn start(argv: Vec<String>) -> Pending {
        Pending::spawn(move || run_command(&argv).map(|body| Text { body, note: None }))
    }

    /// The result, once there.
    pub(crate) fn poll(&mut self) -> Option<Result<Text, SourceError>> {
        if let Some(result) = self.arrived.take() {
            return Some(result);
        }
        match self.rx.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(SourceError::WorkerGone)),
        }
    }

    /// Whether the answer (a text or a reason) is there; it is kept for the next
    /// [`Pending::poll`].
    pub(crate) fn ready(&mut self) -> bool {
        if self.arrived.is_none() {
            self.arrived = self.poll();
        }
        self.arrived.is_some()
    }
}

fn run_command(argv: &[String]) -> Result<String, SourceError> {
    let Some(program) = argv.first() else {
        return Err(SourceError::EmptyCommand);
    };
    let name = sanitize_line(std::slice::from_ref(program));
    let mut child = Command::new(program)
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|reason| SourceError::Start { name: name.clone(), reason })?;
    let Some(mut stdout) = child.stdout.take() else { return Err(SourceError::WorkerGone) };
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = (&mut stdout).take(MAX_TEXT as u64).read_to_end(&mut bytes);
        bytes
    });
    let deadline = Instant::now() + COMMAND_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(SourceError::Timeout { name });
            }
            Err(reason) => return Err(SourceError::Start { name, reason }),
        }
    };
    let bytes = reader.join().unwrap_or_default();
    if !status.success() && bytes.is_empty() {
        return Err(SourceError::Failed { name, status });
    }
    Ok(sanitize(&bytes))
}

/// A command line as it may be shown: sanitised, one line.
fn sanitize_line(argv: &[String]) -> String {
    crate::sanitize::sanitize_line(argv.join(" ").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_run_with_a_result_or_a_reason() {
        let mut ok = Pending::start(vec!["echo".into(), "hello".into()]);
        let mut missing = Pending::start(vec!["no-such-command-here".into()]);
        let wait = |p: &mut Pending| loop {
            if let Some(r) = p.poll() {
                return r;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(wait(&mut ok).map(|t| t.body).expect("output"), "hello\n");
        let missing = wait(&mut missing).expect_err("missing");
        assert!(matches!(missing, SourceError::Start { .. }), "{missing}");
        assert!(missing.to_string().contains("no-such-command-here"), "{missing}");
    }

    fn mkfifo(path: &Path) {
        rustix::fs::mkfifoat(rustix::fs::CWD, path, rustix::fs::Mode::from_raw_mode(0o600))
            .expect("mkfifo");
    }

    #[test]
    fn checked_sources_refuse_fifos_devices_and_big_files_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("pipe");
        mkfifo(&fifo);
        // No writer: a plain open would block forever.
        let err = Source::checked(fifo).expect_err("fifo");
        assert!(err.to_string().contains("pipe: is a FIFO"), "{err}");
        let err = Source::checked(PathBuf::from("/dev/zero")).expect_err("device");
        assert!(err.to_string().contains("character device"), "{err}");
        let big = dir.path().join("big.txt");
        std::fs::write(&big, vec![b'a'; MAX_TEXT + 1]).expect("write");
        let err = Source::checked(big).expect_err("too large");
        assert!(err.to_string().contains("big.txt: larger than the 256 KiB limit"), "{err}");
        let err = Source::checked(dir.path().join("missing")).expect_err("missing");
        assert!(matches!(err, ReadError::NotFound { .. }), "{err}");
        assert!(matches!(Source::checked(dir.path().to_path_buf()), Ok(Source::Dir(_))));
    }

    #[test]
    fn folder_walks_skip_special_files_links_and_deep_levels() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.rs"), "fn a() {}").expect("write");
        mkfifo(&dir.path().join("fifo.rs"));
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.rs")).expect("symlink");
        std::fs::write(dir.path().join(".hidden.rs"), "x").expect("write");
        let mut deep = dir.path().to_path_buf();
        for level in 0..=MAX_DEPTH + 1 {
            deep.push(format!("d{level}"));
        }
        std::fs::create_dir_all(&deep).expect("mkdir");
        std::fs::write(deep.join("too_deep.rs"), "x").expect("write");
        let shallow = dir.path().join("d0").join("d1").join("shallow.rs");
        std::fs::write(&shallow, "x").expect("write");
        let files = list_files(dir.path());
        assert_eq!(files, vec![dir.path().join("a.rs"), shallow]);
    }

    #[test]
    fn a_file_over_the_cap_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = dir.path().join("big.txt");
        std::fs::write(&big, vec![b'a'; MAX_TEXT + 1]).expect("write");
        let err = read_now(&Source::File(big), 0).expect_err("too large").to_string();
        assert!(err.contains("big.txt") && err.contains("256 KiB"), "{err}");
    }
}
