//! The output side of a buffered copy: `-X` writes nothing, `-O` seeks over whole blocks of
//! zeros in a regular file (and sets its length at the end) where that leaves zeros behind: not
//! in append mode (the seek would be ignored and the zeros lost) nor over the bytes the file
//! already had (they would stay), where the zeros are written; `-Y` flushes each write to disk,
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
    /// With `-O`: where the next byte goes, and the file's length when the copy began (below
    /// it a skipped block would leave the old bytes in place of the zeros).
    position: u64,
    old_end: u64,
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
    /// Wraps `file`: `-O` only applies to a regular file not opened for appending (`>>`),
    /// `-K` only where the kernel takes it.
    pub(crate) fn new(file: &'a mut File, how: Writing) -> Output<'a> {
        let (sparse, position, old_end) = if how.sparse { sparse_start(file) } else { None }
            .map_or((false, 0, 0), |(position, end)| (true, position, end));
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
            sparse,
            sync: how.sync,
            direct,
            hole_at_end: false,
            position,
            old_end,
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
                if block.len() == SPARSE_BLOCK
                    && self.position >= self.old_end
                    && block.iter().all(|&b| b == 0)
                {
                    self.file.seek(io::SeekFrom::Current(SPARSE_BLOCK as i64))?;
                    self.hole_at_end = true;
                } else {
                    self.write_plain(block)?;
                    self.hole_at_end = false;
                }
                self.position += block.len() as u64;
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

/// Where `-O` may seek over zeros in `file`: its position and its length now. None when it
/// may not: not a regular file, or opened for appending (where writes go to the end whatever
/// the position, so a skipped block would simply be lost).
fn sparse_start(file: &mut File) -> Option<(u64, u64)> {
    let regular = file.metadata().ok().filter(std::fs::Metadata::is_file)?;
    let flags = rustix::fs::fcntl_getfl(file.as_fd()).ok()?;
    if flags.contains(OFlags::APPEND) {
        return None;
    }
    Some((file.stream_position().ok()?, regular.len()))
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

    /// `data` written with `-O` to a file that holds `before` and is opened by `open`.
    fn sparse_onto(before: &[u8], data: &[u8], open: &mut std::fs::OpenOptions) -> Vec<u8> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out");
        std::fs::write(&path, before).expect("write");
        let mut file = open.open(&path).expect("open");
        let mut out = Output::new(&mut file, Writing { sparse: true, ..Writing::default() });
        out.write_all(data).expect("write");
        out.finish().expect("finish");
        std::fs::read(&path).expect("read")
    }

    #[test]
    fn sparse_output_in_append_mode_writes_the_zeros() {
        let mut data = vec![7_u8; 100];
        data.resize(100 + SPARSE_BLOCK * 4, 0);
        let got = sparse_onto(b"HEAD", &data, std::fs::OpenOptions::new().append(true));
        assert!(got == [b"HEAD".as_slice(), &data].concat(), "{} bytes", got.len());
    }

    #[test]
    fn sparse_output_never_leaves_old_bytes_in_place_of_zeros() {
        // Opened without truncating (sh's 1<>): the old bytes under the zeros must go.
        let old = vec![9_u8; SPARSE_BLOCK * 3];
        let mut data = vec![0_u8; SPARSE_BLOCK * 5];
        data[0] = 1;
        let got = sparse_onto(&old, &data, std::fs::OpenOptions::new().write(true));
        assert!(got == data, "{} bytes", got.len());
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
