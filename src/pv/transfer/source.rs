//! An input being read: `-E` skips unreadable blocks (writing zeros in their place) and says
//! so once per run of them.

use std::fs::File;
use std::io::{self, Read, Seek};

use super::Plan;
use crate::pv::exit::{PvError, describe};

/// An input being read, with `-E`'s memory of whether the last read failed.
pub(super) struct Source<'a> {
    pub(super) file: &'a mut File,
    pub(super) name: &'a str,
    /// In a run of unreadable blocks (reported once, when it starts).
    pub(super) bad_run: bool,
}

impl Source<'_> {
    /// Reads into `buf`, skipping unreadable blocks with `-E`.
    pub(super) fn read(&mut self, buf: &mut [u8], plan: &Plan) -> Result<usize, PvError> {
        let name = self.name;
        let read = read_skipping(self.file, buf, plan.skip_errors, &mut self.bad_run, |at, e| {
            eprintln!(
                "fun pv: {name}: read error at byte {at}: {}; skipping unreadable blocks (written as zeros)",
                describe(e)
            );
        });
        read.map_err(|source| PvError::Read { name: name.to_owned(), source })
    }
}

/// Reads, with `skip` (`-E`) turning read errors into skipped zero bytes, up to 512 at a time.
/// `warn` is called once per run of failing reads (with the offset and the error), not once
/// per block.
pub(super) fn read_skipping<R: Read + Seek>(
    input: &mut R,
    buf: &mut [u8],
    skip: bool,
    bad_run: &mut bool,
    mut warn: impl FnMut(u64, &io::Error),
) -> io::Result<usize> {
    loop {
        match input.read(buf) {
            Ok(n) => {
                *bad_run = false;
                return Ok(n);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if skip => {
                let Ok(at) = input.stream_position() else { return Err(e) };
                let len = buf.len().min(512);
                // Not seekable (a pipe): the bytes cannot be skipped, so it is an error.
                if input.seek(io::SeekFrom::Current(len as i64)).is_err() {
                    return Err(io::Error::other("cannot skip on this input"));
                }
                if !*bad_run {
                    warn(at, &e);
                    *bad_run = true;
                }
                buf[..len].fill(0);
                return Ok(len);
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 8 KiB where reads fail inside the `bad` byte ranges.
    struct Flaky {
        data: io::Cursor<Vec<u8>>,
        bad: Vec<std::ops::Range<u64>>,
    }

    impl Read for Flaky {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let at = self.data.position();
            if self.bad.iter().any(|r| r.contains(&at)) {
                return Err(io::Error::from_raw_os_error(5));
            }
            // Stop at the next bad block, like a device returning what it could.
            let end =
                self.bad.iter().map(|r| r.start).filter(|&s| s > at).min().unwrap_or(u64::MAX);
            let len = buf.len().min(usize::try_from(end - at).unwrap_or(usize::MAX));
            self.data.read(&mut buf[..len])
        }
    }

    impl Seek for Flaky {
        fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
            self.data.seek(to)
        }
    }

    #[test]
    fn skipped_errors_are_reported_once_per_run_of_bad_blocks() {
        let mut input =
            Flaky { data: io::Cursor::new(vec![7; 8192]), bad: vec![1024..3072, 5120..6144] };
        let (mut out, mut warnings, mut bad_run) = (Vec::new(), Vec::new(), false);
        let mut buf = [0; 4096];
        loop {
            let n =
                read_skipping(&mut input, &mut buf, true, &mut bad_run, |at, _| warnings.push(at))
                    .expect("skips");
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        // Two runs of bad blocks (four and two 512-byte blocks): two warnings, at their starts.
        assert_eq!(warnings, vec![1024, 5120]);
        let mut expected = vec![7; 8192];
        expected[1024..3072].fill(0);
        expected[5120..6144].fill(0);
        assert!(out == expected);
    }

    #[test]
    fn without_skipping_a_read_error_is_a_read_error() {
        let mut input = Flaky { data: io::Cursor::new(vec![7; 100]), bad: vec![0..50, 50..100] };
        let mut bad_run = false;
        let result = read_skipping(&mut input, &mut [0; 10], false, &mut bad_run, |_, _| {});
        assert!(result.is_err());
    }
}
