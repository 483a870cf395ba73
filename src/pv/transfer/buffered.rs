//! Copies through our own buffer: straight read/write, or under a rate limit a small
//! read-ahead handed out unit by unit at each unit's deadline. While data waits in the buffer
//! its amount is shown by `-T`.

use std::sync::atomic::Ordering;

use super::limiter::Limiter;
use super::output::Output;
use super::source::Source;
use super::{Flow, Plan, remaining_allowed};
use crate::pv::exit::PvError;
use crate::pv::shared::Shared;
use crate::typing::unit::MAX_UNIT;

/// One input's buffered copy.
pub(super) struct Copy<'a> {
    pub(super) plan: &'a Plan,
    pub(super) shared: &'a Shared,
    pub(super) index: usize,
}

impl Copy<'_> {
    /// Counts a written chunk.
    fn written(&self, chunk: &[u8]) {
        let amount = if self.plan.line_mode {
            chunk.iter().filter(|&&b| b == self.plan.separator).count() as u64
        } else {
            chunk.len() as u64
        };
        self.shared.add(self.index, chunk.len() as u64, amount);
        self.shared.remember(chunk);
    }

    /// Without a rate limit: read into the buffer and write it straight out, no extra copy.
    /// None when `-R` set a rate limit meanwhile (the limited copy carries on).
    pub(super) fn direct(
        &self,
        input: &mut Source<'_>,
        out: &mut Output<'_>,
        buf: &mut [u8],
    ) -> Result<Option<Flow>, PvError> {
        loop {
            if self.shared.rate_limit.load(Ordering::Relaxed) > 0 {
                return Ok(None);
            }
            let Some(want) = remaining_allowed(self.plan, self.shared, buf.len()) else {
                return Ok(Some(Flow::Stop));
            };
            let n = input.read(&mut buf[..want], self.plan)?;
            if n == 0 {
                return Ok(Some(Flow::Continue));
            }
            let chunk = &buf[..n];
            self.shared.buffered.store(n, Ordering::Relaxed);
            out.write_all(chunk).map_err(|source| PvError::Write { source })?;
            self.shared.buffered.store(0, Ordering::Relaxed);
            self.written(chunk);
        }
    }

    /// With a rate limit: read ahead a little, and write each unit when its deadline comes.
    pub(super) fn limited(
        &self,
        input: &mut Source<'_>,
        out: &mut Output<'_>,
        limiter: &mut Limiter,
        buf: &mut [u8],
    ) -> Result<Flow, PvError> {
        // Bytes read but not yet written.
        let mut pending: Vec<u8> = Vec::new();
        let mut eof = false;
        let mut flow = Flow::Continue;
        loop {
            if self.shared.rate_limit.load(Ordering::Relaxed) == 0 {
                // -R lifted the limit: what was read goes out, then straight through again
                // (None: a new limit came meanwhile).
                if !pending.is_empty() {
                    out.write_all(&pending).map_err(|source| PvError::Write { source })?;
                    self.written(&pending);
                    pending.clear();
                    self.shared.buffered.store(0, Ordering::Relaxed);
                }
                if eof {
                    return Ok(flow);
                }
                if let Some(flow) = self.direct(input, out, buf)? {
                    return Ok(flow);
                }
            }
            limiter.follow(self.shared.rate_limit.load(Ordering::Relaxed));
            let window = read_ahead(limiter.rate(), buf.len());
            if !eof && pending.len() < window {
                let room = window - pending.len();
                match readable(self.plan, self.shared, pending.len(), room.min(buf.len())) {
                    Some(want) => match input.read(&mut buf[..want], self.plan)? {
                        0 => eof = true,
                        n => pending.extend_from_slice(&buf[..n]),
                    },
                    None => {
                        eof = true;
                        flow = Flow::Stop;
                    }
                }
            }
            self.shared.buffered.store(pending.len(), Ordering::Relaxed);
            if pending.is_empty() {
                if eof {
                    return Ok(flow);
                }
                continue;
            }
            // A full read-ahead must make progress even without a whole unit or line in it.
            let full = pending.len() >= window;
            let n = limiter.take(&pending, eof, full, self.plan);
            if n == 0 {
                continue;
            }
            let chunk = &pending[..n];
            out.write_all(chunk).map_err(|source| PvError::Write { source })?;
            self.written(chunk);
            pending.drain(..n);
            self.shared.buffered.store(pending.len(), Ordering::Relaxed);
        }
    }
}

/// The most bytes read ahead under a rate limit: about a quarter second of data, so handing
/// out a character at a time never moves a big buffer (which cost CPU at -L 8); never less than
/// one whole unit, so a unit (or, with `-l`, a piece of a long line) always fits.
fn read_ahead(rate: u64, buffer: usize) -> usize {
    usize::try_from(rate / 4).unwrap_or(usize::MAX).clamp(MAX_UNIT, buffer.max(MAX_UNIT))
}

/// How many bytes may be read now: up to `want`, less what `-S` still allows beyond the
/// `pending` bytes already read; None once `-S` is reached.
fn readable(plan: &Plan, shared: &Shared, pending: usize, want: usize) -> Option<usize> {
    let Some(limit) = plan.stop_at else { return Some(want) };
    let done = shared.bytes.load(Ordering::Relaxed) + pending as u64;
    let left = limit.saturating_sub(done);
    (left > 0).then(|| want.min(usize::try_from(left).unwrap_or(usize::MAX)))
}
