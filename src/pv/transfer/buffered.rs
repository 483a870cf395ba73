//! Copies through our own buffer: straight read/write, or under a rate limit a small
//! read-ahead handed out unit by unit at each unit's deadline.

use std::fs::File;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::limiter::Limiter;
use super::source::Source;
use super::{Flow, Plan, remaining_allowed};
use crate::pv::exit::PvError;
use crate::pv::shared::Shared;
use crate::typing::unit::MAX_UNIT;

/// Without a rate limit: read into the buffer and write it straight out, no extra copy.
pub(super) fn copy_direct(
    input: &mut Source<'_>,
    out: &mut File,
    plan: &Plan,
    shared: &Arc<Shared>,
    index: usize,
    buf: &mut [u8],
) -> Result<Flow, PvError> {
    loop {
        let Some(want) = remaining_allowed(plan, shared, buf.len()) else { return Ok(Flow::Stop) };
        let n = input.read(&mut buf[..want], plan)?;
        if n == 0 {
            return Ok(Flow::Continue);
        }
        let chunk = &buf[..n];
        if !plan.discard {
            out.write_all(chunk).map_err(|source| PvError::Write { source })?;
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

/// The most bytes read ahead under a rate limit: about a quarter second of data, so handing
/// out a character at a time never moves a big buffer (which cost CPU at -L 8); never less than
/// one whole unit, so a unit (or, with `-l`, a piece of a long line) always fits.
fn read_ahead(plan: &Plan, buffer: usize) -> usize {
    let quarter = plan.rate_limit.map_or(buffer as u64, |r| r / 4);
    usize::try_from(quarter).unwrap_or(usize::MAX).clamp(MAX_UNIT, buffer.max(MAX_UNIT))
}

/// With a rate limit: read ahead a little, and write each unit when its deadline comes.
pub(super) fn copy_limited(
    input: &mut Source<'_>,
    out: &mut File,
    plan: &Plan,
    shared: &Arc<Shared>,
    limiter: &mut Limiter,
    index: usize,
    buf: &mut [u8],
) -> Result<Flow, PvError> {
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
            out.write_all(chunk).map_err(|source| PvError::Write { source })?;
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
