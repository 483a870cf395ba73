//! Doubling checks for the calendar's parsers (tests only): every parser of untrusted text must
//! take time in proportion to its input, never its square. Each check builds the same hostile
//! shape at two sizes, `n` and `4n`, and compares the best of several timings of each: a linear
//! parser takes about 4 times as long on the larger input, a quadratic one 16 times.
//!
//! The figure compared is a ratio of two timings taken in the same test, one after the other,
//! so it does not depend on how fast the machine is; the time is the thread's CPU time, so it
//! does not count the moments when another process had the core (on a loaded machine the wall
//! clock made a plain loop look quadratic), and the best of several runs drops the rest of the
//! noise. The bound ([`MAX_RATIO`]) is generous: twice the linear figure, half the quadratic
//! one.

use std::time::Duration;

use rustix::time::{ClockId, clock_gettime};

/// Largest accepted ratio of the time on `4n` to the time on `n` (linear: 4, n log n: about
/// 4.5, quadratic: 16).
pub(crate) const MAX_RATIO: f64 = 8.0;

/// Runs per size; the best one counts.
const RUNS: usize = 5;

/// The CPU time this thread has used.
pub(crate) fn cpu_time() -> Duration {
    let now = clock_gettime(ClockId::ThreadCPUTime);
    Duration::new(now.tv_sec.try_into().unwrap_or(0), now.tv_nsec.try_into().unwrap_or(0))
}

/// The best time of [`RUNS`] runs of `work` on `input`.
fn best_time<T>(input: &T, work: &impl Fn(&T)) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = cpu_time();
            work(input);
            cpu_time().saturating_sub(start)
        })
        .min()
        .unwrap_or_default()
}

/// The ratio of `work`'s best time on `make(4 * n)` to that on `make(n)`.
pub(crate) fn ratio<T>(n: usize, make: impl Fn(usize) -> T, work: impl Fn(&T)) -> f64 {
    let (small, large) = (make(n), make(4 * n));
    work(&small); // warm the allocator and the caches
    let (t1, t4) = (best_time(&small, &work), best_time(&large, &work));
    t4.as_secs_f64() / t1.as_secs_f64().max(1e-9)
}

/// Fails the test when `work` is not linear in the size `make` is given (see the module).
pub(crate) fn assert_linear<T>(what: &str, n: usize, make: impl Fn(usize) -> T, work: impl Fn(&T)) {
    let ratio = ratio(n, make, work);
    assert!(
        ratio <= MAX_RATIO,
        "{what}: 4 times the input took {ratio:.1} times as long (at most {MAX_RATIO} allowed): \
         quadratic?"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check itself must fail on a quadratic, or it proves nothing.
    #[test]
    fn a_quadratic_is_caught() {
        let quadratic = |v: &Vec<u32>| {
            let mut hits = 0u64;
            for a in v {
                hits += v.iter().filter(|b| *b == a).count() as u64;
            }
            std::hint::black_box(hits);
        };
        let r = ratio(1500, |n| (0..n as u32).collect::<Vec<_>>(), quadratic);
        assert!(r > MAX_RATIO, "a quadratic gave only {r:.1}");
    }
}
