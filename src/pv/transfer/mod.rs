//! Moving the data: inputs concatenated like cat(1) into the output, never altering, dropping or
//! reordering a byte. In the kernel when nothing needs to see the bytes ([`kernel`]), through a
//! buffer otherwise ([`buffered`]), with the rate limit ([`limiter`]) scheduling each unit at its
//! own deadline, and `-E` skipping unreadable blocks ([`source`]).

mod buffered;
mod kernel;
mod limiter;
mod source;

use std::fs::File;
use std::io;
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use self::kernel::Kernel;
use self::limiter::Limiter;
use self::source::Source;
use super::exit::{ExitStatus, PvError};
use super::shared::Shared;
use crate::stdio::WriteFailure;

/// What the copy loop needs to know.
#[derive(Clone, Debug, Default)]
pub(crate) struct Plan {
    /// Units per second (bytes, or lines with `line_mode`).
    pub(crate) rate_limit: Option<u64>,
    pub(crate) line_mode: bool,
    /// Line separator for line mode (`\n`, or NUL with `-0`).
    pub(crate) separator: u8,
    pub(crate) buffer_size: Option<usize>,
    pub(crate) no_splice: bool,
    pub(crate) skip_errors: bool,
    /// Stop after this many bytes (`-S`).
    pub(crate) stop_at: Option<u64>,
    /// Read and throw away (`-X`).
    pub(crate) discard: bool,
    /// Keep the last bytes written for `%A`.
    pub(crate) keep_last: usize,
}

/// The default buffer: big enough that syscalls are a small cost, small enough to stay in the
/// CPU cache (1 MiB measured twice as slow as 256 KiB for file to /dev/null).
const DEFAULT_BUFFER: usize = 256 << 10;
/// Pipes are grown to this so splice moves big chunks.
const PIPE_SIZE: usize = 1 << 20;

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
    let _ = rustix::pipe::fcntl_setpipe_size(out.as_fd(), PIPE_SIZE);
    let mut limiter = plan.rate_limit.map(Limiter::new);
    for (index, name) in inputs.iter().enumerate() {
        shared.current_file.store(index, Ordering::Relaxed);
        let input = Input { index, name, out_meta: out_meta.as_ref() };
        match input.copy(out, plan, shared, limiter.as_mut()) {
            Ok(Flow::Continue) => {}
            Ok(Flow::Stop) => break,
            Err(PvError::Write { source })
                if WriteFailure::classify(&source) == WriteFailure::ReaderGone =>
            {
                // The reader went away: pv's quiet end.
                break;
            }
            Err(e @ PvError::Write { .. }) => {
                status |= e.report();
                break;
            }
            // A missing or unreadable input: reported, and the next one copied.
            Err(e) => status |= e.report(),
        }
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
    /// Opens the input, refuses it if it is the output file, and copies it.
    fn copy(
        &self,
        out: &mut File,
        plan: &Plan,
        shared: &Arc<Shared>,
        limiter: Option<&mut Limiter>,
    ) -> Result<Flow, PvError> {
        let name = self.name;
        let mut file = crate::files::open_stream(name)
            .map_err(|source| PvError::Open { name: name.to_owned(), source })?;
        if let (Some(o), Ok(i)) = (self.out_meta, file.metadata())
            && is_same_file(&i, o)
        {
            return Err(PvError::SameFile { name: name.to_owned() });
        }
        let mut source = Source { file: &mut file, name, bad_run: false };
        if can_splice(plan)
            && let Some(flow) = in_kernel(&source, out, plan, shared, self.index)
        {
            return Ok(flow);
        }
        let mut buf = vec![0_u8; plan.buffer_size.unwrap_or(DEFAULT_BUFFER)];
        match limiter {
            None => buffered::copy_direct(&mut source, out, plan, shared, self.index, &mut buf),
            Some(limiter) => buffered::copy_limited(
                &mut source,
                out,
                plan,
                shared,
                limiter,
                self.index,
                &mut buf,
            ),
        }
    }
}

/// Copies in the kernel: sendfile(2) from a regular file, splice(2) otherwise. None when the
/// kernel cannot (the buffered copy then carries on from where it stopped).
fn in_kernel(
    source: &Source<'_>,
    out: &File,
    plan: &Plan,
    shared: &Shared,
    index: usize,
) -> Option<Flow> {
    let kernel = if source.file.metadata().is_ok_and(|m| m.is_file()) {
        Kernel::Sendfile
    } else {
        let _ = rustix::pipe::fcntl_setpipe_size(source.file.as_fd(), PIPE_SIZE);
        Kernel::Splice
    };
    shared.splicing.store(kernel == Kernel::Splice, Ordering::Relaxed);
    let moved = kernel::kernel_copy(kernel, source.file, out, plan, shared, index);
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
enum Flow {
    /// Go on with the next input.
    Continue,
    /// `-S` reached its size: stop.
    Stop,
}

/// Whether nothing needs to see the bytes, so the kernel may move them.
fn can_splice(plan: &Plan) -> bool {
    !plan.no_splice
        && plan.rate_limit.is_none()
        && !plan.line_mode
        && !plan.skip_errors
        && !plan.discard
        && plan.keep_last == 0
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
