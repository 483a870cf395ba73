//! Moving the data: inputs concatenated like cat(1) into the output, never altering, dropping or
//! reordering a byte. In the kernel when nothing needs to see the bytes ([`kernel`]), through a
//! buffer otherwise ([`buffered`]), with the rate limit ([`limiter`]) scheduling each unit at its
//! own deadline (and taking a new limit from `-R` while it runs), `-E`/`-Z` skipping unreadable
//! blocks ([`source`]), and `-O`/`-Y`/`-K`/`-X` shaping the writes ([`output`]).

mod buffered;
mod kernel;
mod limiter;
pub(crate) mod output;
mod source;

use std::fs::File;
use std::io;
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use self::kernel::Kernel;
use self::limiter::Limiter;
use self::output::{Output, Writing};
pub(crate) use self::source::Skip;
use self::source::Source;
use super::exit::{ExitStatus, PvError};
use super::shared::Shared;
use crate::stdio::WriteFailure;

/// What the copy loop needs to know.
#[derive(Clone, Debug, Default)]
pub(crate) struct Plan {
    pub(crate) line_mode: bool,
    /// Line separator for line mode (`\n`, or NUL with `-0`).
    pub(crate) separator: u8,
    pub(crate) buffer_size: Option<usize>,
    pub(crate) no_splice: bool,
    pub(crate) skip: Skip,
    /// Stop after this many bytes (`-S`); never 0, which is an unknown size (copy it all).
    pub(crate) stop_at: Option<u64>,
    pub(crate) writing: Writing,
    /// Grow the pipes to 1 MiB (not with `-B` or `-T`: a buffer that is asked for, or shown,
    /// must be the one that fills up when the reader is slow).
    pub(crate) grow_pipes: bool,
}

/// The default buffer: big enough that syscalls are a small cost, small enough to stay in the
/// CPU cache (1 MiB measured twice as slow as 256 KiB for file to /dev/null).
const DEFAULT_BUFFER: usize = 256 << 10;
/// Pipes are grown to this so splice moves big chunks.
const PIPE_SIZE: usize = 1 << 20;
/// O_DIRECT wants buffers on this boundary (the largest logical block size in common use).
const DIRECT_ALIGN: usize = 4096;

/// Copies `inputs` to `out` under `plan`, updating `shared`; reports each failure on stderr.
/// Returns pv's exit bits.
pub(crate) fn run(
    inputs: &[String],
    out: &mut File,
    plan: &Plan,
    shared: &Arc<Shared>,
) -> ExitStatus {
    let mut status = ExitStatus::empty();
    let out_meta = out.metadata().ok();
    if plan.grow_pipes {
        let _ = rustix::pipe::fcntl_setpipe_size(out.as_fd(), PIPE_SIZE);
    }
    let mut output = Output::new(out, plan.writing);
    let mut limiter = None;
    for (index, name) in inputs.iter().enumerate() {
        shared.current_file.store(index, Ordering::Relaxed);
        let input = Input { index, name, out_meta: out_meta.as_ref() };
        match input
            .open()
            .and_then(|file| input.copy(file, &mut output, plan, shared, &mut limiter))
        {
            Ok(Flow::Continue) => {}
            Ok(Flow::Stop) => break,
            Err(PvError::Write { source })
                if WriteFailure::classify(&source) == WriteFailure::ReaderGone =>
            {
                // The reader went away: pv's quiet end.
                return status;
            }
            Err(e @ PvError::Write { .. }) => return status | e.report(),
            // A missing or unreadable input: reported, and the next one copied.
            Err(e) => status |= e.report(),
        }
    }
    if let Err(source) = output.finish() {
        status |= PvError::Write { source }.report();
    }
    status
}

/// Copies the already open `file` (named `name` in messages) to `out`: `-M`'s output side,
/// reading the command's output pipe. Returns pv's exit bits.
pub(crate) fn run_open(
    name: &str,
    file: File,
    out: &mut File,
    plan: &Plan,
    shared: &Arc<Shared>,
) -> ExitStatus {
    if plan.grow_pipes {
        let _ = rustix::pipe::fcntl_setpipe_size(out.as_fd(), PIPE_SIZE);
    }
    let mut output = Output::new(out, plan.writing);
    let input = Input { index: 0, name, out_meta: None };
    let mut status = match input.copy(file, &mut output, plan, shared, &mut None) {
        Ok(_) => ExitStatus::empty(),
        Err(PvError::Write { source })
            if WriteFailure::classify(&source) == WriteFailure::ReaderGone =>
        {
            return ExitStatus::empty();
        }
        Err(e) => e.report(),
    };
    if let Err(source) = output.finish() {
        status |= PvError::Write { source }.report();
    }
    status
}

/// One input of the list.
struct Input<'a> {
    index: usize,
    name: &'a str,
    out_meta: Option<&'a std::fs::Metadata>,
}

impl Input<'_> {
    /// Opens the input, refusing it if it is the output file.
    fn open(&self) -> Result<File, PvError> {
        let name = self.name;
        let file = crate::files::open_stream(name)
            .map_err(|source| PvError::Open { name: name.to_owned(), source })?;
        if let (Some(o), Ok(i)) = (self.out_meta, file.metadata())
            && is_same_file(&i, o)
        {
            return Err(PvError::SameFile { name: name.to_owned() });
        }
        Ok(file)
    }

    /// Copies the open input `file`.
    fn copy(
        &self,
        mut file: File,
        out: &mut Output<'_>,
        plan: &Plan,
        shared: &Arc<Shared>,
        limiter: &mut Option<Limiter>,
    ) -> Result<Flow, PvError> {
        let name = self.name;
        let direct = plan.writing.direct && output::direct_applies(&file) && {
            let set = output::set_direct(&file, true);
            if let Err(e) = &set {
                output::warn_direct(&crate::sanitize::quoted(name), e);
            }
            set.is_ok()
        };
        let mut source = Source { file: &mut file, name, bad_run: false, reported: false, direct };
        if can_splice(plan, shared)
            && let Some(flow) = in_kernel(&source, out, plan, shared, self.index)
        {
            return Ok(flow);
        }
        let size = plan.buffer_size.unwrap_or(DEFAULT_BUFFER).max(1);
        let mut storage = Vec::new();
        let buf = aligned(&mut storage, size, if direct { DIRECT_ALIGN } else { 1 });
        shared.buffer_size.store(buf.len(), Ordering::Relaxed);
        let copy = buffered::Copy { plan, shared, index: self.index };
        // Without a rate limit, straight through; None means one came from -R meanwhile, and
        // the copy carries on under it.
        if shared.rate_limit.load(Ordering::Relaxed) == 0
            && let Some(flow) = copy.direct(&mut source, out, buf)?
        {
            return Ok(flow);
        }
        let limiter =
            limiter.get_or_insert_with(|| Limiter::new(shared.rate_limit.load(Ordering::Relaxed)));
        copy.limited(&mut source, out, limiter, buf)
    }
}

/// A `size`-byte slice of `storage` starting on an `align` boundary.
fn aligned(storage: &mut Vec<u8>, size: usize, align: usize) -> &mut [u8] {
    let size = size.div_ceil(align) * align;
    // Zeroed by the allocator (calloc: fresh pages from the kernel for a big buffer), not by
    // a memset over all of it: a rate-limited copy touches only the few bytes it reads ahead,
    // and the 256 KiB memset was 64 page faults and 7 % of `fun pv -qL 8`'s start (issue 27).
    *storage = vec![0; size + align - 1];
    let offset = storage.as_ptr().align_offset(align).min(align - 1);
    &mut storage[offset..offset + size]
}

/// Copies in the kernel: sendfile(2) from a file, splice(2) from a pipe or device. None when
/// the kernel cannot or must not (the buffered copy then carries on from where it stopped).
fn in_kernel(
    source: &Source<'_>,
    out: &Output<'_>,
    plan: &Plan,
    shared: &Shared,
    index: usize,
) -> Option<Flow> {
    let input = source.file.metadata().ok()?;
    let output = out.file().metadata().ok()?;
    let kernel = kernel::choose(&input, &output)?;
    if kernel == Kernel::Splice {
        let _ = rustix::pipe::fcntl_setpipe_size(source.file.as_fd(), PIPE_SIZE);
    }
    shared.splicing.store(kernel == Kernel::Splice, Ordering::Relaxed);
    let moved = kernel::kernel_copy(kernel, source.file, out.file(), plan, shared, index);
    shared.splicing.store(false, Ordering::Relaxed);
    moved
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
pub(crate) fn same_file(name: &str, out: &std::fs::Metadata) -> bool {
    let input = if name == "-" {
        io::stdin().as_fd().try_clone_to_owned().ok().and_then(|fd| File::from(fd).metadata().ok())
    } else {
        std::fs::metadata(name).ok()
    };
    input.is_some_and(|i| is_same_file(&i, out))
}

/// What to do after an input.
#[derive(Clone, Copy, Debug, Default)]
enum Flow {
    /// Go on with the next input.
    #[default]
    Continue,
    /// `-S` reached its size: stop.
    Stop,
}

/// Whether nothing needs to see the bytes, so the kernel may move them.
fn can_splice(plan: &Plan, shared: &Shared) -> bool {
    let w = plan.writing;
    !plan.no_splice
        && shared.rate_limit.load(Ordering::Relaxed) == 0
        && !plan.line_mode
        && plan.skip.times == 0
        && !(w.discard || w.sparse || w.sync || w.direct)
        && shared.keep_last.load(Ordering::Relaxed) == 0
        && plan.buffer_size.is_none()
}

/// How much of `want` may still be copied under `-S`; None once the size is reached.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_buffers() {
        let mut storage = Vec::new();
        let buf = aligned(&mut storage, 10_000, DIRECT_ALIGN);
        assert_eq!(buf.len(), 12_288);
        assert_eq!(buf.as_ptr().align_offset(DIRECT_ALIGN), 0);
        let mut plain = Vec::new();
        assert_eq!(aligned(&mut plain, 7, 1).len(), 7);
    }
}
