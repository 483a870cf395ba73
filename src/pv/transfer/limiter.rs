//! The rate limit (`-L`): each unit (a whole UTF-8 character or escape sequence, or a line
//! with `-l`) gets its own deadline, so `cmd | fun pv -qL 8` looks like typing.

use std::time::{Duration, Instant};

use super::Plan;
use crate::typing::unit::unit_len;

/// The rate limit: each unit has a deadline `origin + sent / rate`; units are released when it
/// has passed. At high rates units are batched to about 50 writes a second; after a stall the
/// schedule is moved rather than caught up in a burst longer than a second.
pub(crate) struct Limiter {
    rate: f64,
    origin: Instant,
    sent: u64,
}

impl Limiter {
    pub(crate) fn new(rate: u64) -> Limiter {
        Limiter { rate: rate.max(1) as f64, origin: Instant::now(), sent: 0 }
    }

    /// Units per second.
    pub(crate) fn rate(&self) -> u64 {
        self.rate as u64
    }

    /// Takes a new rate from `-R` (0: keep the current one): the schedule starts again from
    /// now, so a lower rate applies at once and a higher one without a burst.
    pub(crate) fn follow(&mut self, rate: u64) {
        if rate > 0 && rate != self.rate as u64 {
            *self = Limiter::new(rate);
        }
    }

    fn deadline(&self, units: u64) -> Instant {
        self.origin + Duration::from_secs_f64(units as f64 / self.rate)
    }

    /// Waits as needed, then says how many bytes of `pending` may be written now. With `full`
    /// (the read-ahead is full) the answer is never 0.
    pub(super) fn take(&mut self, pending: &[u8], eof: bool, full: bool, plan: &Plan) -> usize {
        let batch = ((self.rate / 50.0) as u64).max(1);
        // The clock is read once a wake (vDSO, no syscall, but each read after a sleep costs
        // cache and TLB misses: a second one was 5 % of `fun pv -qL 8`'s CPU, issue 27).
        let now = Instant::now();
        let mut due = self.deadline(self.sent);
        // Fell far behind (slow input)? Move the schedule instead of bursting.
        if now > due + Duration::from_secs(1) {
            self.origin = now - Duration::from_secs_f64(self.sent as f64 / self.rate);
            due = self.deadline(self.sent);
        }
        let wake = if batch == 1 { due } else { self.deadline(self.sent + batch - 1) };
        // After the sleep it is at least `wake`, when `batch` units are due: what fell due
        // while the thread was late goes out on the next turn, which finds its deadline
        // passed and does not sleep.
        let allowed = if wake > now {
            std::thread::sleep(wake - now);
            batch
        } else {
            let elapsed = now.saturating_duration_since(self.origin).as_secs_f64();
            ((elapsed * self.rate) as u64 + 1).saturating_sub(self.sent).max(1)
        };
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

    fn lines_plan() -> Plan {
        Plan { line_mode: true, separator: b'\n', ..Plan::default() }
    }

    #[test]
    fn whole_lines_and_long_pieces() {
        let mut limiter = Limiter::new(1_000_000);
        // Complete lines go whole; a piece without a newline waits for more input...
        assert_eq!(limiter.take(b"ab\ncd", false, false, &lines_plan()), 3);
        assert_eq!(limiter.take(b"cd", false, false, &lines_plan()), 0);
        // ...unless the read-ahead is full or the input ended: then it goes as it is.
        assert_eq!(limiter.take(b"cd", false, true, &lines_plan()), 2);
        assert_eq!(limiter.take(b"cd", true, false, &lines_plan()), 2);
    }

    #[test]
    fn escapes_cost_no_time() {
        let mut limiter = Limiter::new(1_000_000);
        let plan = Plan::default();
        let text = b"\x1b[1mX";
        assert_eq!(limiter.take(text, true, false, &plan), text.len());
        assert_eq!(limiter.sent, 1);
    }

    #[test]
    fn a_new_rate_starts_a_new_schedule() {
        let mut limiter = Limiter::new(100);
        limiter.sent = 50;
        limiter.follow(0);
        assert_eq!((limiter.rate(), limiter.sent), (100, 50));
        limiter.follow(1000);
        assert_eq!((limiter.rate(), limiter.sent), (1000, 0));
    }
}
