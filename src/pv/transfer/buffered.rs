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

    /// With a rate limit: read ahead, and write each unit when its deadline comes. Each unit
    /// costs one sleep and one write; the read-ahead is topped up only when it runs low, in one
    /// read of many units.
    pub(super) fn limited(
        &self,
        input: &mut Source<'_>,
        out: &mut Output<'_>,
        limiter: &mut Limiter,
        buf: &mut [u8],
    ) -> Result<Flow, PvError> {
        let mut ahead = ReadAhead::default();
        // The last take found nothing whole to write: only more input can help.
        let mut stalled = false;
        loop {
            if self.shared.rate_limit.load(Ordering::Relaxed) == 0 {
                // -R lifted the limit: what was read goes out, then straight through again
                // (None: a new limit came meanwhile).
                self.write(out, ahead.held())?;
                ahead.clear();
                self.shared.buffered.store(0, Ordering::Relaxed);
                if ahead.eof {
                    return Ok(ahead.flow);
                }
                if let Some(flow) = self.direct(input, out, buf)? {
                    return Ok(flow);
                }
            }
            limiter.follow(self.shared.rate_limit.load(Ordering::Relaxed));
            let window = read_ahead(limiter.rate(), buf.len());
            if ahead.wants(window, stalled, input) {
                self.top_up(&mut ahead, input, window, buf)?;
            }
            let pending = ahead.held();
            self.shared.buffered.store(pending.len(), Ordering::Relaxed);
            if pending.is_empty() {
                if ahead.eof {
                    return Ok(ahead.flow);
                }
                continue;
            }
            // A full read-ahead must make progress even without a whole unit or line in it.
            let full = pending.len() >= window;
            let n = limiter.take(pending, ahead.eof, full, self.plan);
            stalled = n == 0;
            if n > 0 {
                self.write(out, &pending[..n])?;
                ahead.consume(n);
                self.shared.buffered.store(ahead.held().len(), Ordering::Relaxed);
            }
        }
    }

    /// Writes and counts `chunk`.
    fn write(&self, out: &mut Output<'_>, chunk: &[u8]) -> Result<(), PvError> {
        if chunk.is_empty() {
            return Ok(());
        }
        out.write_all(chunk).map_err(|source| PvError::Write { source })?;
        self.written(chunk);
        Ok(())
    }

    /// One read into the read-ahead, up to `window` bytes held (and `-S`'s size).
    fn top_up(
        &self,
        ahead: &mut ReadAhead,
        input: &mut Source<'_>,
        window: usize,
        buf: &mut [u8],
    ) -> Result<(), PvError> {
        let held = ahead.held().len();
        let room = window.saturating_sub(held).min(buf.len());
        match readable(self.plan, self.shared, held, room) {
            Some(want) => match input.read(&mut buf[..want], self.plan)? {
                0 => ahead.eof = true,
                n => ahead.push(&buf[..n]),
            },
            None => {
                ahead.eof = true;
                ahead.flow = Flow::Stop;
            }
        }
        Ok(())
    }
}

/// The bytes read but not yet written under a rate limit: handed out from the front (no move
/// per unit), moved down only when topped up.
#[derive(Default)]
struct ReadAhead {
    bytes: Vec<u8>,
    /// Where the bytes not yet written start.
    start: usize,
    eof: bool,
    /// What to do once the bytes are out (Stop: `-S` reached its size).
    flow: Flow,
}

impl ReadAhead {
    fn held(&self) -> &[u8] {
        &self.bytes[self.start..]
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.start = 0;
    }

    fn push(&mut self, read: &[u8]) {
        self.bytes.drain(..self.start);
        self.start = 0;
        self.bytes.extend_from_slice(read);
    }

    /// Whether to read now: never past the end or `window`; when nothing whole is held, or
    /// the last take found nothing to write, a read that waits; else only once fewer than
    /// [`MAX_UNIT`] bytes are left, and then only what the input already has (a poll that
    /// does not wait), so bytes held are never kept waiting for an idle input.
    fn wants(&self, window: usize, stalled: bool, input: &Source<'_>) -> bool {
        let held = self.held().len();
        if self.eof || held >= window {
            return false;
        }
        held == 0 || stalled || (held < MAX_UNIT && input.ready())
    }
}

/// The most bytes read ahead under a rate limit: about a quarter second of data, so handing
/// out a character at a time never moves a big buffer (which cost CPU at -L 8); never less than
/// one whole unit, so a unit (or, with `-l`, a piece of a long line) always fits.
fn read_ahead(rate: u64, buffer: usize) -> usize {
    let least = 2 * MAX_UNIT;
    usize::try_from(rate / 4).unwrap_or(usize::MAX).clamp(least, buffer.max(least))
}

/// How many bytes may be read now: up to `want`, less what `-S` still allows beyond the
/// `pending` bytes already read; None once `-S` is reached.
fn readable(plan: &Plan, shared: &Shared, pending: usize, want: usize) -> Option<usize> {
    let Some(limit) = plan.stop_at else { return Some(want) };
    let done = shared.bytes.load(Ordering::Relaxed) + pending as u64;
    let left = limit.saturating_sub(done);
    (left > 0).then(|| want.min(usize::try_from(left).unwrap_or(usize::MAX)))
}
