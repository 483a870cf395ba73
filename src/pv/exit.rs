//! How `fun pv` fails: [`PvError`], one variant per kind of failure, each with its message and
//! its bit of pv's exit status ([`ExitStatus`], a bitmask: several failures in one run add up,
//! as in pv, e.g. a missing file and a write error give 2 | 16).

use std::io;
use std::process::ExitCode;

bitflags::bitflags! {
    /// pv's exit status bits (pv's manual, EXIT STATUS).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub(crate) struct ExitStatus: u8 {
        /// A problem with `-P`, `-R`, `-Q`, `-U` or `-M`.
        const PIDFILE = 1;
        /// A file could not be opened or found.
        const ACCESS = 2;
        /// An input is the output file.
        const SAME_FILE = 4;
        /// A read or write failed during the transfer.
        const TRANSFER = 16;
        /// Ended by SIGINT, SIGTERM or SIGHUP.
        const SIGNAL = 32;
        /// A bad command line (pv: also out of memory).
        const USAGE = 64;
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.bits())
    }
}

/// Everything that can go wrong in `fun pv`, with the file or option it concerns.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PvError {
    /// An input could not be opened (missing, a directory, no permission).
    #[error("{name}: {}", describe(source))]
    Open { name: String, source: io::Error },
    /// An input is the output file: copying it would never end, or empty it.
    #[error("{name}: input file is output file")]
    SameFile { name: String },
    /// Reading an input failed.
    #[error("{name}: read error: {}", describe(source))]
    Read { name: String, source: io::Error },
    /// Writing the output failed (not a closed pipe: that ends pv quietly).
    #[error("write error: {}", describe(source))]
    Write { source: io::Error },
    /// `-o FILE` could not be opened.
    #[error("{path}: {}", describe(source))]
    Output { path: String, source: io::Error },
    /// `-P FILE` could not be written.
    #[error("{path}: {}", describe(source))]
    PidFile { path: String, source: io::Error },
    /// `-s @PATH` could not be measured.
    #[error("-s @{path}: {why}")]
    SizeFile { path: String, why: String },
    /// `-U FILE` could not be made or read back.
    #[error("-U {path}: {}", describe(source))]
    Store { path: String, source: io::Error },
    /// `-d @LISTFILE` could not be read.
    #[error("-d @{path}: {why}")]
    ListFile { path: String, why: String },
    /// `-d =NAME`: no process has that name.
    #[error("-d ={name}: no such process")]
    NoProcessNamed { name: String },
    /// `-M`: the command could not be started.
    #[error("-M {command}: {}", describe(source))]
    MonitorStart { command: String, source: io::Error },
    /// `-M`: the command failed.
    #[error("-M {command}: {how}")]
    MonitorFailed { command: String, how: String },
    /// `-M` without a command.
    #[error("-M: no command given (put it after --)")]
    MonitorNothing,
    /// `-d PID`: no such process.
    #[error("-d: pid {pid}: No such process")]
    NoProcess { pid: u32 },
    /// `-d`: the process's descriptors cannot be read (another user's process): the same
    /// answer for `PID` and `PID:FD`.
    #[error("-d: pid {pid}: {}", describe(source))]
    Unwatchable { pid: u32, source: io::Error },
    /// `-d PID:FD`: the process has no such descriptor.
    #[error("-d: pid {pid}: fd {fd}: {}", describe(source))]
    NoDescriptor { pid: u32, fd: u32, source: io::Error },
}

impl PvError {
    /// The exit status bit this failure sets.
    pub(crate) fn status(&self) -> ExitStatus {
        match self {
            PvError::Open { .. }
            | PvError::Output { .. }
            | PvError::NoProcess { .. }
            | PvError::NoDescriptor { .. }
            | PvError::Unwatchable { .. } => ExitStatus::ACCESS,
            PvError::SameFile { .. } => ExitStatus::SAME_FILE,
            PvError::Read { .. } | PvError::Write { .. } => ExitStatus::TRANSFER,
            PvError::PidFile { .. }
            | PvError::Store { .. }
            | PvError::MonitorStart { .. }
            | PvError::MonitorFailed { .. } => ExitStatus::PIDFILE,
            PvError::SizeFile { .. } | PvError::ListFile { .. } | PvError::MonitorNothing => {
                ExitStatus::USAGE
            }
            PvError::NoProcessNamed { .. } => ExitStatus::ACCESS,
        }
    }

    /// Prints the one-line message (made harmless for a terminal: it may quote a path or a
    /// name) and returns the exit bit.
    pub(crate) fn report(&self) -> ExitStatus {
        crate::stdio::warn("pv", &crate::sanitize::CleanLine::message(self.to_string()));
        self.status()
    }
}

/// An io::Error as a short message without the "(os error N)" noise.
pub(crate) fn describe(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_bits() {
        let enoent = || io::Error::from_raw_os_error(2);
        let e = PvError::Open { name: "a".into(), source: enoent() };
        assert_eq!(e.to_string(), "a: No such file or directory");
        assert_eq!(e.status(), ExitStatus::ACCESS);
        let e = PvError::Write { source: io::Error::from_raw_os_error(28) };
        assert_eq!(e.to_string(), "write error: No space left on device");
        assert_eq!((e.status() | ExitStatus::ACCESS).bits(), 18);
        let e = PvError::NoDescriptor { pid: 7, fd: 99, source: enoent() };
        assert_eq!(e.to_string(), "-d: pid 7: fd 99: No such file or directory");
        assert_eq!(ExitStatus::USAGE.bits(), 64);
    }
}
