//! The standard descriptors, made safe at start-up, and what a failed write to them means.
//!
//! A program started with a standard descriptor closed (`fun pv FILE >&-`) would have the next
//! file it opens land on that number, so "standard output" would silently be the input file.
//! [`guard_closed`] puts a placeholder on each closed one: `/dev/null` opened in the *wrong*
//! direction, so the first write to a closed stdout fails with `EBADF`, exactly as it would
//! have, and is reported, and no later open can take the number. Rust's runtime fills closed
//! descriptors with `/dev/null` before `main`, which hides the fact; `fun-stdio-probe`
//! (`crates/stdio-probe`) records it before the runtime starts, so `/dev/null` passed on
//! purpose (a shell's `>/dev/null`, Python's `subprocess.DEVNULL`) is never mistaken for it.
//!
//! [`WriteFailure::classify`] says what a write error means: a closed pipe (`EPIPE`) is the
//! reader's choice and ends the program quietly (pv's and cat's behaviour); anything else
//! (`EBADF`, `EIO`, `ENOSPC`) is an error that must be reported and give a non-zero exit.

use std::io;
use std::os::fd::{AsFd, AsRawFd, IntoRawFd};

use crate::sanitize::{CleanLine, CleanText};

/// Fills closed standard descriptors with placeholders (see the module docs). Call first thing
/// in `main`, before anything is opened.
pub fn guard_closed() {
    // Under Rust's runtime (the test harness) each closed descriptor already holds a read-write
    // `/dev/null`, indistinguishable from one a parent passed on purpose: the probe crate
    // looked before it ran. Under fun's own C `main` (src/main.rs) they are still closed, so
    // the placeholder's `open` takes the lowest free number, which may be that descriptor.
    let closed = fun_stdio_probe::was_closed_at_start;
    if closed(0) {
        place(std::fs::OpenOptions::new().write(true).open("/dev/null"), 0);
    }
    if closed(1) {
        place(std::fs::File::open("/dev/null"), 1);
    }
    if closed(2) {
        place(std::fs::File::open("/dev/null"), 2);
    }
}

/// Puts `placeholder` on standard descriptor `fd`: kept as it is when `open` gave it that
/// number, else duplicated onto it (and the original closed).
fn place(placeholder: io::Result<std::fs::File>, fd: i32) {
    let Ok(file) = placeholder else { return };
    if file.as_raw_fd() == fd {
        // It is the descriptor: closing `file` would close it again.
        let _ = file.into_raw_fd();
        return;
    }
    let _ = match fd {
        0 => rustix::stdio::dup2_stdin(file.as_fd()),
        1 => rustix::stdio::dup2_stdout(file.as_fd()),
        _ => rustix::stdio::dup2_stderr(file.as_fd()),
    };
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

/// The exit code after writing a tool's output: a closed pipe is a normal end (the reader chose
/// to stop, as with `fun calendar | head`), any other failure (`EBADF`, `EIO`, `ENOSPC`) is an
/// error naming standard output.
///
/// # Errors
/// When the write failed for any reason but a closed pipe.
pub fn exit_after_write(result: io::Result<()>) -> anyhow::Result<std::process::ExitCode> {
    match result {
        Ok(()) => Ok(std::process::ExitCode::SUCCESS),
        Err(e) if WriteFailure::classify(&e) == WriteFailure::ReaderGone => {
            Ok(std::process::ExitCode::SUCCESS)
        }
        Err(e) => Err(anyhow::Error::new(e).context("cannot write to standard output")),
    }
}

/// Writes `text` (a whole output held in memory: a script, a page, converted lines) to standard
/// output through [`stdout_file`], with [`exit_after_write`]'s meaning of the result. It takes
/// [`CleanText`], so nothing that was not through the sanitiser is printed.
///
/// # Errors
/// When standard output cannot be written (a closed pipe is not an error).
pub fn print_all(text: &CleanText) -> anyhow::Result<std::process::ExitCode> {
    use std::io::Write;
    let written = stdout_file().and_then(|mut out| {
        out.write_all(text.as_str().as_bytes())?;
        out.flush()
    });
    exit_after_write(written)
}

/// Prints `fun TOOL: LINE` on standard error: the one printer of errors and warnings. It takes
/// a [`CleanLine`], so a message quoting a file, a key or a value cannot move the cursor,
/// retitle the window, reorder the text or forge a line of its own. Failing to write to
/// standard error leaves nobody to tell, so the failure is ignored.
pub fn warn(tool: &'static str, line: &CleanLine) {
    use std::io::Write;
    let _ = writeln!(io::stderr().lock(), "fun {tool}: {line}");
}

/// Standard output as a plain file, for tools that must notice a lost write: `std::io::Stdout`
/// reports success for writes that fail with `EBADF` (std's answer to a closed stdout), so
/// `fun x >&-` would exit 0 with everything lost. Writing through a duplicate of fd 1 gets the
/// real error back.
///
/// # Errors
/// When fd 1 cannot be duplicated.
pub fn stdout_file() -> io::Result<std::fs::File> {
    Ok(std::fs::File::from(io::stdout().as_fd().try_clone_to_owned()?))
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
