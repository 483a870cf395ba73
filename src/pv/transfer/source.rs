//! An input being read: `-E` skips unreadable blocks (writing zeros in their place, 512 bytes
//! at a time, or up to the next `-Z` block boundary) and says so once per run of them (`-EE`:
//! once per file); `-K` reads with O_DIRECT until the kernel refuses an unaligned read.

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
    /// `-EE`: an error was reported for this file already.
    pub(super) reported: bool,
    /// O_DIRECT is on and not yet refused.
    pub(super) direct: bool,
}

/// How `-E` and `-Z` skip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Skip {
    /// `-E` given this many times (0: read errors are errors).
    pub(crate) times: u8,
    /// `-Z BYTES`: skip to the next boundary of blocks this big.
    pub(crate) block: Option<u64>,
}

const EINVAL: i32 = rustix::io::Errno::INVAL.raw_os_error();

impl Source<'_> {
    /// Reads into `buf`, skipping unreadable blocks with `-E`.
    pub(super) fn read(&mut self, buf: &mut [u8], plan: &Plan) -> Result<usize, PvError> {
        let name = self.name;
        let once_per_file = plan.skip.times > 1;
        let reported = &mut self.reported;
        loop {
            let read = read_skipping(self.file, buf, plan.skip, &mut self.bad_run, |at, e| {
                if once_per_file && *reported {
                    return;
                }
                *reported = true;
                let line = format!(
                    "{name}: read error at byte {at}: {}; skipping unreadable blocks (written as zeros)",
                    describe(e)
                );
                crate::stdio::warn("pv", &crate::sanitize::CleanLine::message(line));
            });
            match read {
                Err(e) if self.direct && e.raw_os_error() == Some(EINVAL) => {
                    // O_DIRECT refused this read (alignment): the rest through the cache.
                    self.direct = false;
                    super::output::set_direct(self.file, false)
                        .map_err(|source| PvError::Read { name: name.to_owned(), source })?;
                }
                other => {
                    return other.map_err(|source| PvError::Read { name: name.to_owned(), source });
                }
            }
        }
    }
}

impl Source<'_> {
    /// Whether a read would not wait: the input has bytes, its end, or an error to report.
    pub(super) fn ready(&self) -> bool {
        use rustix::event::{PollFd, PollFlags, Timespec, poll};
        let mut fds = [PollFd::new(&*self.file, PollFlags::IN)];
        let now = Timespec { tv_sec: 0, tv_nsec: 0 };
        // A poll that fails says nothing: reading is what finds out.
        poll(&mut fds, Some(&now)).map_or(true, |n| n > 0)
    }
}

/// Reads, with `skip` (`-E`) turning read errors into skipped zero bytes: up to 512 at a time,
/// or with `-Z` to the next block boundary. `warn` is called once per run of failing reads
/// (with the offset and the error), not once per block.
pub(super) fn read_skipping<R: Read + Seek>(
    input: &mut R,
    buf: &mut [u8],
    skip: Skip,
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
            Err(e) if e.raw_os_error() == Some(EINVAL) => return Err(e),
            Err(e) if skip.times > 0 => {
                let Ok(at) = input.stream_position() else { return Err(e) };
                let step = match skip.block.filter(|&b| b > 0) {
                    Some(block) => block - at % block,
                    None => 512,
                };
                let len = buf.len().min(usize::try_from(step).unwrap_or(usize::MAX));
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

    const ONCE: Skip = Skip { times: 1, block: None };

    #[test]
    fn skipped_errors_are_reported_once_per_run_of_bad_blocks() {
        let mut input =
            Flaky { data: io::Cursor::new(vec![7; 8192]), bad: vec![1024..3072, 5120..6144] };
        let (mut out, mut warnings, mut bad_run) = (Vec::new(), Vec::new(), false);
        let mut buf = [0; 4096];
        loop {
            let n =
                read_skipping(&mut input, &mut buf, ONCE, &mut bad_run, |at, _| warnings.push(at))
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
        let result =
            read_skipping(&mut input, &mut [0; 10], Skip::default(), &mut bad_run, |_, _| {});
        assert!(result.is_err());
    }

    #[test]
    fn error_skip_blocks_jump_to_the_next_boundary() {
        let mut input =
            Flaky { data: io::Cursor::new(vec![7; 8192]), bad: vec![1000..1001, 9000..9000] };
        let skip = Skip { times: 1, block: Some(4096) };
        let (mut out, mut bad_run) = (Vec::new(), false);
        let mut buf = [0; 8192];
        loop {
            let n =
                read_skipping(&mut input, &mut buf, skip, &mut bad_run, |_, _| {}).expect("skips");
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        // The bad byte costs the rest of its 4 KiB block.
        let mut expected = vec![7; 8192];
        expected[1000..4096].fill(0);
        assert!(out == expected);
    }
}
