//! Where a data screen's text comes from: a file, a directory of files, a command's output, or
//! text built into the binary. Commands run without a shell on a worker thread, with a timeout
//! and a size cap, so the frame loop never waits; everything is sanitised before it is drawn.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// Longest a command may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);
/// Most output kept from a command or file.
const MAX_TEXT: usize = 256 * 1024;
/// Most files listed from a directory.
const MAX_FILES: usize = 5000;

/// A text fetched on a worker thread, with an optional note shown discreetly (a cache age).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    pub body: String,
    pub note: Option<String>,
}

/// Work that produces a text on a worker thread (network screens); gets a seed for its choices.
pub type JobFn = dyn Fn(u64) -> Result<Text, String> + Send + Sync;

/// A cloneable job.
#[derive(Clone)]
pub struct Job(pub Arc<JobFn>);

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

/// A text source.
#[derive(Clone, Debug)]
pub enum Source {
    File(PathBuf),
    Dir(PathBuf),
    Command(Vec<String>),
    Embedded(Vec<&'static str>),
    Job(Job),
}

impl Source {
    /// Whether the text comes from a worker thread ([`Pending`]) rather than [`read_now`].
    #[must_use]
    pub fn is_async(&self) -> bool {
        matches!(self, Source::Command(_) | Source::Job(_))
    }

    /// Starts an asynchronous source (a command or a job).
    #[must_use]
    pub fn start(&self, seed: u64) -> Option<Pending> {
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

pub use crate::sanitize::sanitize;

fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

fn read_text(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_TEXT as u64).read_to_end(&mut bytes))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if is_binary(&bytes) {
        return Err(format!("{}: binary file", path.display()));
    }
    Ok(sanitize(&bytes))
}

/// Text files under `dir` (recursively, sorted, binary files skipped when read).
#[must_use]
pub fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        for path in names {
            if out.len() >= MAX_FILES {
                return out;
            }
            let hidden =
                path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
            if hidden || path.is_symlink() {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.is_file() {
                out.push(path);
            }
        }
    }
    out
}

/// Reads the source now (files and built-in text), picking entry `pick` of several.
/// Commands are not run here; see [`Pending`].
pub fn read_now(source: &Source, pick: usize) -> Result<String, String> {
    match source {
        Source::File(path) => read_text(path),
        Source::Dir(dir) => {
            let files = list_files(dir);
            if files.is_empty() {
                return Err(format!("{}: no files", dir.display()));
            }
            // Try from the picked file on until a readable text file turns up.
            (0..files.len().min(50))
                .map(|i| read_text(&files[(pick + i) % files.len()]))
                .find(Result::is_ok)
                .unwrap_or_else(|| Err(format!("{}: no readable text files", dir.display())))
        }
        Source::Embedded(texts) if !texts.is_empty() => Ok(texts[pick % texts.len()].to_owned()),
        Source::Embedded(_) => Err("no built-in text".to_owned()),
        Source::Command(argv) => Err(format!("{}: runs on a worker thread", argv.join(" "))),
        Source::Job(_) => Err("runs on a worker thread".to_owned()),
    }
}

/// A command or job running on a worker thread.
pub struct Pending(Receiver<Result<Text, String>>);

impl Pending {
    /// Runs `work` on a worker thread.
    pub fn spawn(work: impl FnOnce() -> Result<Text, String> + Send + 'static) -> Pending {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(work());
        });
        Pending(rx)
    }

    /// Starts `argv` (no shell): its standard output, sanitised, or a one-line reason.
    #[must_use]
    pub fn start(argv: Vec<String>) -> Pending {
        Pending::spawn(move || run_command(&argv).map(|body| Text { body, note: None }))
    }

    /// The result, once there.
    pub fn poll(&self) -> Option<Result<Text, String>> {
        match self.0.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("the command's worker stopped".to_owned())),
        }
    }
}

fn run_command(argv: &[String]) -> Result<String, String> {
    let name = argv.first().ok_or("empty command")?;
    let mut child = Command::new(name)
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{name}: {e}"))?;
    let mut stdout = child.stdout.take().ok_or("no output pipe")?;
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
                return Err(format!("{name}: no answer in {} s", COMMAND_TIMEOUT.as_secs()));
            }
            Err(e) => return Err(format!("{name}: {e}")),
        }
    };
    let bytes = reader.join().unwrap_or_default();
    if !status.success() && bytes.is_empty() {
        return Err(format!("{name}: {status}"));
    }
    Ok(sanitize(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_run_with_a_result_or_a_reason() {
        let ok = Pending::start(vec!["echo".into(), "hello".into()]);
        let missing = Pending::start(vec!["no-such-command-here".into()]);
        let wait = |p: &Pending| loop {
            if let Some(r) = p.poll() {
                return r;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(wait(&ok).map(|t| t.body), Ok("hello\n".to_owned()));
        assert!(wait(&missing).is_err_and(|e| e.contains("no-such-command-here")));
    }
}
