//! The output side of a buffered copy: `-X` writes nothing, `-O` seeks over whole blocks of
//! zeros in a regular file (and sets its length at the end), `-Y` flushes each write to disk,
//! and `-K` writes with O_DIRECT, dropping back to the page cache (once, with a warning)
//! when the kernel refuses an unaligned write. The bytes that arrive are the bytes written.

use std::fs::File;
use std::io::{self, Seek, Write};
use std::os::fd::AsFd;

use rustix::fs::OFlags;

/// The block `-O` looks at: a whole block of zeros becomes a hole.
pub(crate) const SPARSE_BLOCK: usize = 4096;

const EINVAL: i32 = rustix::io::Errno::INVAL.raw_os_error();

/// How a buffered copy writes.
pub(crate) struct Output<'a> {
    file: &'a mut File,
    discard: bool,
    sparse: bool,
    sync: bool,
    /// O_DIRECT is on and not yet refused.
    direct: bool,
    /// Bytes skipped over at the end that the file's length must still cover.
    hole_at_end: bool,
}

/// The output's settings.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Writing {
    pub(crate) discard: bool,
    pub(crate) sparse: bool,
    pub(crate) sync: bool,
    pub(crate) direct: bool,
}

/// Sets or clears O_DIRECT on `file`.
pub(crate) fn set_direct(file: &File, on: bool) -> io::Result<()> {
    let flags = rustix::fs::fcntl_getfl(file.as_fd())?;
    let flags = if on { flags | OFlags::DIRECT } else { flags - OFlags::DIRECT };
    Ok(rustix::fs::fcntl_setfl(file.as_fd(), flags)?)
}

/// Whether O_DIRECT makes sense on `file`: regular files and block devices (on a pipe it
/// would mean packet mode, which changes how the reader sees the data).
pub(crate) fn direct_applies(file: &File) -> bool {
    use std::os::unix::fs::FileTypeExt;
    file.metadata().is_ok_and(|m| m.is_file() || m.file_type().is_block_device())
}

impl<'a> Output<'a> {
    /// Wraps `file`: `-O` only applies to a regular file, `-K` only where the kernel takes it.
    pub(crate) fn new(file: &'a mut File, how: Writing) -> Output<'a> {
        let regular = file.metadata().is_ok_and(|m| m.is_file());
        let mut direct = false;
        if how.direct && !how.discard && direct_applies(file) {
            match set_direct(file, true) {
                Ok(()) => direct = true,
                Err(e) => warn_direct("the output", &e),
            }
        }
        Output {
            file,
            discard: how.discard,
            sparse: how.sparse && regular,
            sync: how.sync,
            direct,
            hole_at_end: false,
        }
    }

    /// The file written to.
    pub(crate) fn file(&self) -> &File {
        self.file
    }

    /// Writes `chunk` whole.
    ///
    /// # Errors
    /// The write (or seek, or sync) error.
    pub(crate) fn write_all(&mut self, chunk: &[u8]) -> io::Result<()> {
        if self.discard {
            return Ok(());
        }
        if self.sparse {
            for block in chunk.chunks(SPARSE_BLOCK) {
                if block.len() == SPARSE_BLOCK && block.iter().all(|&b| b == 0) {
                    self.file.seek(io::SeekFrom::Current(SPARSE_BLOCK as i64))?;
                    self.hole_at_end = true;
                } else {
                    self.write_plain(block)?;
                    self.hole_at_end = false;
                }
            }
        } else {
            self.write_plain(chunk)?;
        }
        if self.sync {
            // Nothing to flush on a pipe or terminal: only real errors count.
            match rustix::fs::fdatasync(self.file.as_fd()) {
                Ok(()) | Err(rustix::io::Errno::INVAL | rustix::io::Errno::ROFS) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    fn write_plain(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            match self.file.write(bytes) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if self.direct && e.raw_os_error() == Some(EINVAL) => {
                    // O_DIRECT wants aligned sizes, offsets and memory (the last piece rarely
                    // is): the rest goes through the page cache, from where this one stopped.
                    self.direct = false;
                    set_direct(self.file, false)?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Ends the output: a file ending in skipped zeros gets its full length.
    ///
    /// # Errors
    /// The seek or truncate error.
    pub(crate) fn finish(&mut self) -> io::Result<()> {
        if self.hole_at_end {
            let end = self.file.stream_position()?;
            self.file.set_len(end)?;
            self.hole_at_end = false;
        }
        Ok(())
    }
}

/// Says once per side that O_DIRECT was refused.
pub(crate) fn warn_direct(what: &str, e: &io::Error) {
    eprintln!(
        "fun pv: -K: direct I/O is not possible on {what} ({}); using the page cache",
        crate::pv::exit::describe(e)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_output_keeps_every_byte_and_the_length() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out");
        let mut file = File::create(&path).expect("create");
        let mut data = vec![0_u8; SPARSE_BLOCK * 3 + 100];
        data[SPARSE_BLOCK + 7] = 9;
        {
            let mut out = Output::new(&mut file, Writing { sparse: true, ..Writing::default() });
            out.write_all(&data[..SPARSE_BLOCK * 2]).expect("write");
            out.write_all(&data[SPARSE_BLOCK * 2..]).expect("write");
            out.finish().expect("finish");
        }
        assert_eq!(std::fs::read(&path).expect("read"), data);
        let mut trailing = File::create(dir.path().join("t")).expect("create");
        let mut out = Output::new(&mut trailing, Writing { sparse: true, ..Writing::default() });
        out.write_all(&[0; SPARSE_BLOCK * 2]).expect("write");
        out.finish().expect("finish");
        assert_eq!(std::fs::metadata(dir.path().join("t")).expect("meta").len(), 8192);
    }

    #[test]
    fn sync_and_discard() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out");
        let mut file = File::create(&path).expect("create");
        Output::new(&mut file, Writing { sync: true, ..Writing::default() })
            .write_all(b"abc")
            .expect("write");
        Output::new(&mut file, Writing { discard: true, ..Writing::default() })
            .write_all(b"def")
            .expect("nothing");
        assert_eq!(std::fs::read(&path).expect("read"), b"abc");
    }
}
