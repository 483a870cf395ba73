//! The standard descriptors, made safe at start-up, and what a failed write to them means.
//!
//! A program started with a standard descriptor closed (`fun pv FILE >&-`) would have the next
//! file it opens land on that number, so "standard output" would silently be the input file.
//! [`guard_closed`] puts a placeholder on each closed one: `/dev/null` opened in the *wrong*
//! direction, so the first write to a closed stdout fails with `EBADF`, exactly as it would
//! have, and is reported, and no later open can take the number.
//!
//! [`WriteFailure::classify`] says what a write error means: a closed pipe (`EPIPE`) is the
//! reader's choice and ends the program quietly (pv's and cat's behaviour); anything else
//! (`EBADF`, `EIO`, `ENOSPC`) is an error that must be reported and give a non-zero exit.

use std::io::{self, Write};
use std::os::fd::AsFd;

/// Fills closed standard descriptors with placeholders (see the module docs). Call first thing
/// in `main`, before anything is opened.
pub fn guard_closed() {
    let closed = |fd: std::os::fd::BorrowedFd<'_>| {
        matches!(rustix::io::fcntl_getfd(fd), Err(rustix::io::Errno::BADF))
    };
    if closed(io::stdin().as_fd())
        && let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null")
    {
        let _ = rustix::stdio::dup2_stdin(null.as_fd());
    }
    if (closed(io::stdout().as_fd()) || is_runtime_placeholder())
        && let Ok(null) = std::fs::File::open("/dev/null")
    {
        let _ = rustix::stdio::dup2_stdout(null.as_fd());
    }
    if closed(io::stderr().as_fd())
        && let Ok(null) = std::fs::File::open("/dev/null")
    {
        let _ = rustix::stdio::dup2_stderr(null.as_fd());
    }
}

/// Whether standard output is the placeholder Rust's runtime puts on a closed one before `main`
/// runs: `/dev/null` opened read-write, an open file description of its own. (The runtime
/// does this for every closed standard descriptor, so by the time `main` runs a closed stdout
/// looks open, and writes to it would vanish.) A `/dev/null` that a parent set up is told
/// apart by how it was opened: shells, systemd, Go and Rust's `Stdio::null` open it write-only
/// for an output; daemon(3) opens it read-write but shares one description across 0, 1 and 2.
/// What is still taken for a closed stdout: a lone read-write `/dev/null` on fd 1 only (e.g.
/// Python's `stdout=DEVNULL` without `stdin=DEVNULL`), whose writes then fail with `EBADF`.
fn is_runtime_placeholder() -> bool {
    use rustix::fs::{FileType, OFlags, major, minor};
    let out = io::stdout();
    let is_dev_null = rustix::fs::fstat(out.as_fd()).is_ok_and(|st| {
        FileType::from_raw_mode(st.st_mode) == FileType::CharacterDevice
            && major(st.st_rdev) == 1
            && minor(st.st_rdev) == 3
    });
    let read_write = rustix::fs::fcntl_getfl(out.as_fd())
        .is_ok_and(|flags| flags & OFlags::ACCMODE == OFlags::RDWR);
    is_dev_null && read_write && !shares_description_with_stdin_or_stderr()
}

/// Whether fd 1's open file description is also fd 0's or fd 2's: file status flags belong to
/// the description, so toggling `O_APPEND` on fd 1 shows on the others exactly when they share
/// it. (Only called on `/dev/null`, where `O_APPEND` changes nothing.)
fn shares_description_with_stdin_or_stderr() -> bool {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    let (stdin, stdout, stderr) = (io::stdin(), io::stdout(), io::stderr());
    let Ok(flags) = fcntl_getfl(stdout.as_fd()) else { return false };
    let others = [stdin.as_fd(), stderr.as_fd()];
    let before: Vec<_> = others.iter().map(|fd| fcntl_getfl(fd).ok()).collect();
    if fcntl_setfl(stdout.as_fd(), flags ^ OFlags::APPEND).is_err() {
        return false;
    }
    let after: Vec<_> = others.iter().map(|fd| fcntl_getfl(fd).ok()).collect();
    let _ = fcntl_setfl(stdout.as_fd(), flags);
    before != after
}

/// What a failed write to an output means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteFailure {
    /// The reader went away (`EPIPE`): stop quietly, exit as if done.
    ReaderGone,
    /// A real error (`EBADF`, `EIO`, `ENOSPC`, ...): report it, exit non-zero.
    Error,
}

impl WriteFailure {
    /// Classifies a write error.
    #[must_use]
    pub fn classify(err: &io::Error) -> WriteFailure {
        if err.kind() == io::ErrorKind::BrokenPipe {
            WriteFailure::ReaderGone
        } else {
            WriteFailure::Error
        }
    }
}

/// Writes all of `bytes` to standard output and flushes it.
///
/// # Errors
/// The write error, unchanged (classify it with [`WriteFailure::classify`]).
pub fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_pipe_is_quiet_and_others_are_errors() {
        let pipe = io::Error::from(io::ErrorKind::BrokenPipe);
        assert_eq!(WriteFailure::classify(&pipe), WriteFailure::ReaderGone);
        for errno in [rustix::io::Errno::BADF, rustix::io::Errno::IO, rustix::io::Errno::NOSPC] {
            let err = io::Error::from(errno);
            assert_eq!(WriteFailure::classify(&err), WriteFailure::Error, "{err}");
        }
    }
}
