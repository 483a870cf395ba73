//! Copies in the kernel: sendfile(2) from a regular file (to a file or device, /dev/null
//! included, where splice refuses), splice(2) when a side is a pipe (grown to 1 MiB). The bytes
//! never pass through our memory.
//!
//! Never from a file into a pipe or socket: the kernel would hand the reader references to the
//! file's cached pages, not a copy, and what the reader gets is what those pages hold when it
//! reads. A file truncated meanwhile has the rest of its last page zeroed (zeros that were
//! never in the file), a file rewritten in place shows its new bytes. Only bytes that were
//! read may be written, so that copy goes through our buffer.

use std::fs::{File, Metadata};
use std::os::fd::AsFd;
use std::os::unix::fs::FileTypeExt;

use rustix::pipe::SpliceFlags;

use super::{Flow, PIPE_SIZE, Plan, remaining_allowed};
use crate::pv::shared::Shared;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kernel {
    Sendfile,
    Splice,
}

/// How the kernel may move the data from `input` to `output`; None when it must not (a
/// file's cached pages into a pipe or socket, see the module's note).
pub(super) fn choose(input: &Metadata, output: &Metadata) -> Option<Kernel> {
    let cached = |m: &Metadata| m.is_file() || m.file_type().is_block_device();
    if !cached(input) {
        return Some(Kernel::Splice);
    }
    // These copy the bytes within the call; pipes and sockets keep page references.
    (cached(output) || output.file_type().is_char_device()).then_some(Kernel::Sendfile)
}

/// Moves the data in the kernel. None when the kernel cannot (splice or sendfile refused, or
/// failed for any reason other than a closed pipe), or when `-R` set a rate limit: the
/// read/write path then carries on from where it stopped, and meets and names the same error
/// itself (read or write side).
pub(super) fn kernel_copy(
    kernel: Kernel,
    input: &File,
    out: &File,
    plan: &Plan,
    shared: &Shared,
    index: usize,
) -> Option<Flow> {
    loop {
        if shared.rate_limit.load(std::sync::atomic::Ordering::Relaxed) > 0 {
            // -R set a rate limit: the buffered copy carries on under it.
            return None;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_goes_into_a_pipe_through_our_buffer() {
        let file = tempfile::NamedTempFile::new().expect("temp");
        let file = file.as_file().metadata().expect("meta");
        let (reader, writer) = rustix::pipe::pipe().expect("pipe");
        let pipe_in = File::from(reader).metadata().expect("meta");
        let pipe_out = File::from(writer).metadata().expect("meta");
        let null = std::fs::metadata("/dev/null").expect("meta");
        assert_eq!(choose(&file, &pipe_out), None);
        assert_eq!(choose(&file, &null), Some(Kernel::Sendfile));
        assert_eq!(choose(&file, &file), Some(Kernel::Sendfile));
        assert_eq!(choose(&pipe_in, &pipe_out), Some(Kernel::Splice));
        assert_eq!(choose(&pipe_in, &file), Some(Kernel::Splice));
    }
}
