//! Copies in the kernel: sendfile(2) from a regular file (to any output, /dev/null included,
//! where splice refuses), splice(2) when a side is a pipe (grown to 1 MiB). The bytes never
//! pass through our memory.

use std::fs::File;
use std::os::fd::AsFd;

use rustix::pipe::SpliceFlags;

use super::{Flow, PIPE_SIZE, Plan, remaining_allowed};
use crate::pv::shared::Shared;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kernel {
    Sendfile,
    Splice,
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
