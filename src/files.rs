//! Reading the files that a user or another file names, safely: regular files only (a device,
//! FIFO or socket is refused by name), with a size cap, and without ever blocking on open.
//!
//! The file is opened with `O_NONBLOCK` and its type is checked on the open descriptor, so a
//! FIFO swapped in after a `stat` cannot make the open hang (opening a FIFO for reading blocks
//! until a writer appears; with `O_NONBLOCK` it returns at once and is then refused). For a
//! regular file `O_NONBLOCK` changes nothing.
//!
//! Streams (`-`, pipes, devices) are for the tools whose point is reading a stream (pv, type);
//! [`open_stream`] opens those, refusing only directories.
//!
//! Writing a user's file goes through [`write`](mod@write), the one writer (temporary file, rename;
//! owner, mode and links kept; refusals change nothing).

pub mod write;

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::AsFd;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Why a named file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The path does not exist.
    #[error("{path}: no such file")]
    NotFound { path: String },
    /// The path exists but is not a regular file (a directory, device, FIFO or socket).
    #[error("{path}: is a {kind}, not a regular file")]
    NotRegular { path: String, kind: &'static str },
    /// The file is larger than the cap for its kind.
    #[error("{path}: larger than the {cap} limit")]
    TooLarge { path: String, cap: String },
    /// Any other I/O error (permissions, EIO).
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

impl ReadError {
    /// The path named in the error.
    #[must_use]
    pub fn path(&self) -> &str {
        match self {
            ReadError::NotFound { path }
            | ReadError::NotRegular { path, .. }
            | ReadError::TooLarge { path, .. }
            | ReadError::Io { path, .. } => path,
        }
    }
}

/// A path as it may be shown in a message: control characters and escapes removed, so a file
/// name cannot drive the terminal that shows the error.
#[must_use]
pub fn display_path(path: &Path) -> String {
    crate::sanitize::sanitize_line(path.as_os_str().as_encoded_bytes())
}

/// What kind of non-regular file `file_type` is, for messages.
#[must_use]
pub fn kind_name(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        "directory"
    } else if file_type.is_fifo() {
        "FIFO"
    } else if file_type.is_char_device() {
        "character device"
    } else if file_type.is_block_device() {
        "block device"
    } else if file_type.is_socket() {
        "socket"
    } else if file_type.is_file() {
        "regular file"
    } else {
        "special file"
    }
}

/// Opens `path` for reading without blocking and checks that it is a regular file.
///
/// # Errors
/// [`ReadError`] naming the path: missing, not a regular file, or an I/O error.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    let name = display_path(path);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound { path: name.clone() },
            _ => ReadError::Io { path: name.clone(), source },
        })?;
    let file_type =
        file.metadata().map_err(|source| ReadError::Io { path: name.clone(), source })?.file_type();
    if !file_type.is_file() {
        return Err(ReadError::NotRegular { path: name, kind: kind_name(file_type) });
    }
    // Back to blocking reads: a regular file never blocks, but the flag would also be seen by
    // anyone we pass the descriptor to.
    let _ = rustix::fs::fcntl_setfl(file.as_fd(), rustix::fs::OFlags::empty());
    Ok(file)
}

/// Reads the regular file at `path`, refusing it when it holds more than `cap` bytes.
///
/// # Errors
/// [`ReadError`] naming the path and, for [`ReadError::TooLarge`], the cap.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let name = display_path(path);
    // Sized from the file's length, so a file is read in one call plus the one that sees its
    // end (a `take` hides the length from `read_to_end`, which then grows from 32 bytes: 536
    // reads for the 68 files of `calendar.all`). A file that grew meanwhile still stops at cap.
    let length = file.metadata().map_or(0, |meta| meta.len());
    read_sized(file, &name, cap, length)
}

/// Reads `reader` to the end, refusing more than `cap` bytes (for stdin and other streams
/// whose whole text is needed). `name` is used in errors.
///
/// # Errors
/// [`ReadError::TooLarge`] past the cap, [`ReadError::Io`] on a read error.
pub fn read_stream_capped(reader: impl Read, name: &str, cap: u64) -> Result<Vec<u8>, ReadError> {
    read_sized(reader, name, cap, 0)
}

/// Reads `reader` to the end into a buffer made for `expected` bytes, refusing more than `cap`.
fn read_sized(
    reader: impl Read,
    name: &str,
    cap: u64,
    expected: u64,
) -> Result<Vec<u8>, ReadError> {
    let room = usize::try_from(expected.min(cap)).unwrap_or(0).saturating_add(1);
    let mut bytes = Vec::with_capacity(room);
    reader
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io { path: name.to_owned(), source })?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge { path: name.to_owned(), cap: human_size(cap) });
    }
    Ok(bytes)
}

/// Opens an input that is meant to be a stream: `-` is standard input, anything else is opened
/// as it is (pipes, devices and FIFOs included); only a directory is refused.
///
/// # Errors
/// The open error, or `IsADirectory`.
pub fn open_stream(name: impl AsRef<Path>) -> io::Result<File> {
    let name = name.as_ref();
    if name == Path::new("-") {
        let fd = io::stdin().as_fd().try_clone_to_owned()?;
        return Ok(File::from(fd));
    }
    let file = File::open(name)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::new(io::ErrorKind::IsADirectory, "Is a directory"));
    }
    Ok(file)
}

/// `cap` in the units a user reads in help texts: "16 MiB", "512 KiB", "100 bytes".
#[must_use]
pub fn human_size(cap: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    const GIB: u64 = 1024 * MIB;
    match cap {
        c if c >= GIB && c % GIB == 0 => format!("{} GiB", c / GIB),
        c if c >= MIB && c % MIB == 0 => format!("{} MiB", c / MIB),
        c if c >= KIB && c % KIB == 0 => format!("{} KiB", c / KIB),
        c => format!("{c} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a");
        std::fs::write(&path, b"hello").expect("write");
        assert_eq!(read_capped(&path, 5).expect("read"), b"hello");
    }

    #[test]
    fn refuses_a_file_over_the_cap_and_names_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 2048]).expect("write");
        let err = read_capped(&path, 1024).expect_err("too large");
        assert!(matches!(err, ReadError::TooLarge { .. }));
        let msg = err.to_string();
        assert!(msg.contains("big") && msg.contains("1 KiB"), "{msg}");
    }

    #[test]
    fn refuses_devices_directories_and_fifos_without_blocking() {
        let err = read_capped(Path::new("/dev/zero"), 1 << 20).expect_err("device");
        assert!(err.to_string().contains("character device"), "{err}");
        let dir = tempfile::tempdir().expect("tempdir");
        let err = read_capped(dir.path(), 1 << 20).expect_err("dir");
        assert!(err.to_string().contains("directory"), "{err}");
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from_raw_mode(0o600))
            .expect("mkfifo");
        // No writer: a plain open would block forever.
        let err = read_capped(&fifo, 1 << 20).expect_err("fifo");
        assert!(err.to_string().contains("FIFO"), "{err}");
    }

    #[test]
    fn missing_file_is_not_found() {
        let err = read_capped(Path::new("/nonexistent/x"), 10).expect_err("missing");
        assert!(matches!(err, ReadError::NotFound { .. }), "{err:?}");
    }

    #[test]
    fn paths_in_messages_are_sanitised() {
        assert_eq!(display_path(Path::new("a\x1b]52;c;x\x07b\nc")), "ab c");
    }

    #[test]
    fn stream_cap_applies_to_readers() {
        let err = read_stream_capped(&b"abcdef"[..], "-", 3).expect_err("too large");
        assert_eq!(err.to_string(), "-: larger than the 3 bytes limit");
        assert_eq!(read_stream_capped(&b"abc"[..], "-", 3).expect("fits"), b"abc");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(16 << 20), "16 MiB");
        assert_eq!(human_size(1 << 30), "1 GiB");
        assert_eq!(human_size(1000), "1000 bytes");
    }
}
