//! Moving the data: inputs concatenated like cat(1) into the output, never altering, dropping or
//! reordering a byte. splice(2) between pipes (grown to 1 MiB) when nothing needs to see the
//! bytes, a large read/write buffer otherwise, and the rate limit scheduling each unit (a whole
//! UTF-8 character or escape sequence, or a line with `-l`) at its own deadline.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rustix::pipe::SpliceFlags;

use super::shared::Shared;
use super::{EXIT_ACCESS, EXIT_SAME_FILE, EXIT_TRANSFER};
use crate::stdio::WriteFailure;
use crate::typing::unit::{MAX_UNIT, unit_len};

/// What the copy loop needs to know.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Units per second (bytes, or lines with `line_mode`).
    pub rate_limit: Option<u64>,
    pub line_mode: bool,
    /// Line separator for line mode (`\n`, or NUL with `-0`).
    pub separator: u8,
    pub buffer_size: Option<usize>,
    pub no_splice: bool,
    pub skip_errors: bool,
    /// Stop after this many bytes (`-S`).
    pub stop_at: Option<u64>,
    /// Read and throw away (`-X`).
    pub discard: bool,
    /// Keep the last bytes written for `%A`.
    pub keep_last: usize,
}

/// The default buffer: big enough that syscalls are a small cost, small enough to stay in the
/// CPU cache (1 MiB measured twice as slow as 256 KiB for file to /dev/null).
const DEFAULT_BUFFER: usize = 256 << 10;
/// Pipes are grown to this so splice moves big chunks.
const PIPE_SIZE: usize = 1 << 20;

/// An input by name (`-` is standard input).
pub fn open_input(name: &str) -> io::Result<File> {
    if name == "-" {
        let fd = io::stdin().as_fd().try_clone_to_owned()?;
        return Ok(File::from(fd));
    }
    let file = File::open(name)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::new(io::ErrorKind::IsADirectory, "Is a directory"));
    }
    Ok(file)
}

/// Why copying one input stopped early.
#[derive(Debug)]
enum CopyError {
    /// Reading the input failed (and `-E` could not skip it).
    Read(io::Error),
    /// Writing the output failed.
    Write(io::Error),
}

/// Copies `inputs` to `out` under `plan`, updating `shared`. Returns pv's exit bits.
pub fn run(inputs: &[String], out: &mut File, plan: &Plan, shared: &Arc<Shared>) -> u8 {
    let mut status = 0;
    let out_meta = out.metadata().ok();
    let _ = rustix::pipe::fcntl_setpipe_size(out.as_fd(), PIPE_SIZE);
    let mut limiter = plan.rate_limit.map(Limiter::new);
    for (index, name) in inputs.iter().enumerate() {
        shared.current_file.store(index, Ordering::Relaxed);
        let mut input = match open_input(name) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("fun pv: {name}: {}", describe(&e));
                status |= EXIT_ACCESS;
                continue;
            }
        };
        if let (Some(o), Ok(i)) = (&out_meta, input.metadata())
            && is_same_file(&i, o)
        {
            eprintln!("fun pv: {name}: input file is output file");
            status |= EXIT_SAME_FILE;
            continue;
        }
        let mut source = Source { file: &mut input, name, bad_run: false };
        match copy_one(&mut source, out, plan, shared, limiter.as_mut(), index) {
            Ok(Flow::Continue) => {}
            Ok(Flow::Stop) => break,
            Err(CopyError::Write(e)) => {
                if WriteFailure::classify(&e) == WriteFailure::ReaderGone {
                    // The reader went away: pv's quiet end.
                    shared.output_closed.store(true, Ordering::Relaxed);
                } else {
                    eprintln!("fun pv: write error: {}", describe(&e));
                    status |= EXIT_TRANSFER;
                }
                break;
            }
            Err(CopyError::Read(e)) => {
                eprintln!("fun pv: {name}: read error: {}", describe(&e));
                status |= EXIT_TRANSFER;
            }
        }
    }
    status
}

/// Whether `input` is the regular file `out` and has something in it (copying an empty file
/// onto itself is harmless; copying a non-empty one would never end, or empty it with `-o`).
fn is_same_file(input: &std::fs::Metadata, out: &std::fs::Metadata) -> bool {
    out.is_file()
        && input.is_file()
        && out.dev() == input.dev()
        && out.ino() == input.ino()
        && input.len() > 0
}

/// Whether the input named `name` (`-` is standard input) is the regular file `out`.
#[must_use]
pub fn same_file(name: &str, out: &std::fs::Metadata) -> bool {
    let input = if name == "-" {
        io::stdin().as_fd().try_clone_to_owned().ok().and_then(|fd| File::from(fd).metadata().ok())
    } else {
        std::fs::metadata(name).ok()
    };
    input.is_some_and(|i| is_same_file(&i, out))
}

/// An io::Error as a short message without the "(os error N)" noise.
#[must_use]
pub fn describe(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

enum Flow {
    Continue,
    Stop,
}

fn can_splice(plan: &Plan) -> bool {
    !plan.no_splice
        && plan.rate_limit.is_none()
        && !plan.line_mode
        && !plan.skip_errors
        && !plan.discard
        && plan.keep_last == 0
        && plan.buffer_size.is_none()
}

fn remaining_allowed(plan: &Plan, shared: &Shared, want: usize) -> Option<usize> {
    match plan.stop_at {
        Some(limit) => {
            let done = shared.bytes.load(Ordering::Relaxed);
            let left = limit.saturating_sub(done);
            (left > 0).then(|| want.min(usize::try_from(left).unwrap_or(usize::MAX)))
        }
        None => Some(want),
    }
}

fn copy_one(
    source: &mut Source<'_>,
    out: &mut File,
    plan: &Plan,
    shared: &Arc<Shared>,
    limiter: Option<&mut Limiter>,
    index: usize,
) -> Result<Flow, CopyError> {
    if can_splice(plan) {
        // A regular file: sendfile(2) copies in the kernel to any output (even /dev/null,
        // where splice refuses), without passing the bytes through our memory. Otherwise
        // splice(2), when one side is a pipe.
        let kernel = if source.file.metadata().is_ok_and(|m| m.is_file()) {
            Kernel::Sendfile
        } else {
            let _ = rustix::pipe::fcntl_setpipe_size(source.file.as_fd(), PIPE_SIZE);
            Kernel::Splice
        };
        shared.splicing.store(kernel == Kernel::Splice, Ordering::Relaxed);
        let moved = kernel_copy(kernel, source.file, out, plan, shared, index);
        shared.splicing.store(false, Ordering::Relaxed);
        if let Some(flow) = moved {
            return Ok(flow);
        }
    }
    let size = plan.buffer_size.unwrap_or(DEFAULT_BUFFER);
    let mut buf = vec![0_u8; size];
    match limiter {
        None => copy_direct(source, out, plan, shared, index, &mut buf),
        Some(limiter) => copy_limited(source, out, plan, shared, limiter, index, &mut buf),
    }
}

/// The most bytes read ahead under a rate limit: about a quarter second of data, so handing
/// out a character at a time never moves a big buffer (which cost CPU at -L 8); never less than
/// one whole unit, so a unit (or, with `-l`, a piece of a long line) always fits.
fn read_ahead(plan: &Plan, buffer: usize) -> usize {
    let quarter = plan.rate_limit.map_or(buffer as u64, |r| r / 4);
    usize::try_from(quarter).unwrap_or(usize::MAX).clamp(MAX_UNIT, buffer.max(MAX_UNIT))
}

/// With a rate limit: read ahead a little, and write each unit when its deadline comes.
fn copy_limited(
    input: &mut Source<'_>,
    out: &mut File,
    plan: &Plan,
    shared: &Arc<Shared>,
    limiter: &mut Limiter,
    index: usize,
    buf: &mut [u8],
) -> Result<Flow, CopyError> {
    let window = read_ahead(plan, buf.len());
    // Bytes read but not yet written.
    let mut pending: Vec<u8> = Vec::with_capacity(window);
    let mut eof = false;
    let mut flow = Flow::Continue;
    loop {
        if !eof && pending.len() < window {
            let room = window - pending.len();
            match readable(plan, shared, pending.len(), room.min(buf.len())) {
                Some(want) => match input.read(&mut buf[..want], plan)? {
                    0 => eof = true,
                    n => pending.extend_from_slice(&buf[..n]),
                },
                None => {
                    eof = true;
                    flow = Flow::Stop;
                }
            }
        }
        if pending.is_empty() {
            if eof {
                return Ok(flow);
            }
            continue;
        }
        // A full read-ahead must make progress even without a whole unit or line in it.
        let full = pending.len() >= window;
        let n = limiter.take(&pending, eof, full, plan);
        if n == 0 {
            continue;
        }
        let chunk = &pending[..n];
        if !plan.discard {
            out.write_all(chunk).map_err(CopyError::Write)?;
        }
        let amount = if plan.line_mode {
            chunk.iter().filter(|&&b| b == plan.separator).count() as u64
        } else {
            n as u64
        };
        shared.add(index, n as u64, amount);
        if plan.keep_last > 0 {
            shared.remember(chunk, plan.keep_last);
        }
        pending.drain(..n);
    }
}

/// How many bytes may be read now: up to `want`, less what `-S` still allows beyond the
/// `pending` bytes already read; None once `-S` is reached.
fn readable(plan: &Plan, shared: &Shared, pending: usize, want: usize) -> Option<usize> {
    let Some(limit) = plan.stop_at else { return Some(want) };
    let done = shared.bytes.load(Ordering::Relaxed) + pending as u64;
    let left = limit.saturating_sub(done);
    (left > 0).then(|| want.min(usize::try_from(left).unwrap_or(usize::MAX)))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kernel {
    Sendfile,
    Splice,
}

/// Moves the data in the kernel. None when the kernel cannot (splice or sendfile refused, or
/// failed for any reason other than a closed pipe): the read/write path then carries on from
/// where it stopped, and meets and names the same error itself (read or write side).
fn kernel_copy(
    kernel: Kernel,
    input: &File,
    out: &File,
    plan: &Plan,
    shared: &Shared,
    index: usize,
) -> Option<Flow> {
    loop {
        let Some(len) = remaining_allowed(plan, shared, PIPE_SIZE) else {
            return Some(Flow::Stop);
        };
        let moved = match kernel {
            Kernel::Sendfile => rustix::fs::sendfile(out.as_fd(), input.as_fd(), None, len),
            Kernel::Splice => {
                rustix::pipe::splice(input.as_fd(), None, out.as_fd(), None, len, SpliceFlags::MORE)
            }
        };
        match moved {
            Ok(0) => return Some(Flow::Continue),
            Ok(n) => shared.add(index, n as u64, n as u64),
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => {}
            Err(_) => return None,
        }
    }
}

/// Without a rate limit: read into the buffer and write it straight out, no extra copy.
fn copy_direct(
    input: &mut Source<'_>,
    out: &mut File,
    plan: &Plan,
    shared: &Arc<Shared>,
    index: usize,
    buf: &mut [u8],
) -> Result<Flow, CopyError> {
    loop {
        let Some(want) = remaining_allowed(plan, shared, buf.len()) else { return Ok(Flow::Stop) };
        let n = input.read(&mut buf[..want], plan)?;
        if n == 0 {
            return Ok(Flow::Continue);
        }
        let chunk = &buf[..n];
        if !plan.discard {
            out.write_all(chunk).map_err(CopyError::Write)?;
        }
        let amount = if plan.line_mode {
            chunk.iter().filter(|&&b| b == plan.separator).count() as u64
        } else {
            n as u64
        };
        shared.add(index, n as u64, amount);
        if plan.keep_last > 0 {
            shared.remember(chunk, plan.keep_last);
        }
    }
}

/// An input being read, with `-E`'s memory of whether the last read failed.
struct Source<'a> {
    file: &'a mut File,
    name: &'a str,
    /// In a run of unreadable blocks (reported once, when it starts).
    bad_run: bool,
}

impl Source<'_> {
    fn read(&mut self, buf: &mut [u8], plan: &Plan) -> Result<usize, CopyError> {
        let name = self.name;
        read_skipping(self.file, buf, plan.skip_errors, &mut self.bad_run, |at, e| {
            eprintln!(
                "fun pv: {name}: read error at byte {at}: {}; skipping unreadable blocks (written as zeros)",
                describe(e)
            );
        })
    }
}

/// Reads, with `skip` (`-E`) turning read errors into skipped zero bytes, up to 512 at a time.
/// `warn` is called once per run of failing reads (with the offset and the error), not once
/// per block.
fn read_skipping<R: Read + Seek>(
    input: &mut R,
    buf: &mut [u8],
    skip: bool,
    bad_run: &mut bool,
    mut warn: impl FnMut(u64, &io::Error),
) -> Result<usize, CopyError> {
    loop {
        match input.read(buf) {
            Ok(n) => {
                *bad_run = false;
                return Ok(n);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if skip => {
                let Ok(at) = input.stream_position() else { return Err(CopyError::Read(e)) };
                let len = buf.len().min(512);
                // Not seekable (a pipe): the bytes cannot be skipped, so it is an error.
                if input.seek(io::SeekFrom::Current(len as i64)).is_err() {
                    return Err(CopyError::Read(io::Error::other("cannot skip on this input")));
                }
                if !*bad_run {
                    warn(at, &e);
                    *bad_run = true;
                }
                buf[..len].fill(0);
                return Ok(len);
            }
            Err(e) => return Err(CopyError::Read(e)),
        }
    }
}

/// The rate limit: each unit has a deadline `origin + sent / rate`; units are released when it
/// has passed. At high rates units are batched to about 50 writes a second; after a stall the
/// schedule is moved rather than caught up in a burst longer than a second.
pub struct Limiter {
    rate: f64,
    origin: Instant,
    sent: u64,
}

impl Limiter {
    #[must_use]
    pub fn new(rate: u64) -> Limiter {
        Limiter { rate: rate.max(1) as f64, origin: Instant::now(), sent: 0 }
    }

    fn deadline(&self, units: u64) -> Instant {
        self.origin + Duration::from_secs_f64(units as f64 / self.rate)
    }

    /// Waits as needed, then says how many bytes of `pending` may be written now. With `full`
    /// (the read-ahead is full) the answer is never 0.
    fn take(&mut self, pending: &[u8], eof: bool, full: bool, plan: &Plan) -> usize {
        let batch = ((self.rate / 50.0) as u64).max(1);
        let now = Instant::now();
        // Fell far behind (slow input)? Move the schedule instead of bursting.
        if now > self.deadline(self.sent) + Duration::from_secs(1) {
            self.origin = now - Duration::from_secs_f64(self.sent as f64 / self.rate);
        }
        let wake = self.deadline(self.sent + batch - 1);
        let now = Instant::now();
        if wake > now {
            std::thread::sleep(wake - now);
        }
        let elapsed = self.origin.elapsed().as_secs_f64();
        let allowed = ((elapsed * self.rate) as u64 + 1).saturating_sub(self.sent).max(1);
        if plan.line_mode {
            return self.take_lines(pending, eof || full, plan.separator, allowed);
        }
        let mut used = 0;
        let mut counted = 0;
        while used < pending.len() {
            // A full read-ahead holds at least MAX_UNIT bytes, so the first unit is always there.
            let Some(len) = unit_len(&pending[used..], eof) else { break };
            let escape = pending[used] == 0x1b && len > 1;
            if !escape && counted + len as u64 > allowed && counted > 0 {
                break;
            }
            used += len;
            if escape {
                // Escape sequences are not "typed": they cost no time.
                continue;
            }
            counted += len as u64;
            if counted >= allowed {
                break;
            }
        }
        self.sent += counted;
        used
    }

    /// Whole lines, as many as allowed. When no line ends in `pending` and no more can be read
    /// ahead (`flush`), the piece goes out as it is and counts as a line only at end of input:
    /// a line longer than the read-ahead streams through instead of waiting forever.
    fn take_lines(&mut self, pending: &[u8], flush: bool, separator: u8, allowed: u64) -> usize {
        let mut used = 0;
        let mut lines = 0;
        while lines < allowed {
            match pending[used..].iter().position(|&b| b == separator) {
                Some(i) => {
                    used += i + 1;
                    lines += 1;
                }
                None => {
                    if flush && used == 0 {
                        used = pending.len();
                    }
                    break;
                }
            }
        }
        self.sent += lines;
        used
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
        assert!(matches!(result, Err(CopyError::Read(_))));
    }
}
