//! The numbers behind the line, by pv's definitions: the rate over the last interval, the
//! average over the `-m` window (a ring of samples one or five seconds apart, measured up to
//! now so that it falls while no data moves), the percentage
//! (or the indicator's position when the size is unknown), the highest rate for `-g`, and the
//! statistics `-v` prints (min/mean/max/standard deviation of the measured rates).

use std::collections::VecDeque;

/// Intervals shorter than this are not measured (their bytes count in the next one).
const SHORTEST_MEASURED: f64 = 0.01;

/// The rate statistics of `-v`: every measured interval's rate.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Stats {
    pub(crate) count: u64,
    pub(crate) min: f64,
    pub(crate) max: f64,
    sum: f64,
    sum_of_squares: f64,
}

impl Stats {
    fn add(&mut self, rate: f64) {
        if self.count == 0 || rate < self.min {
            self.min = rate;
        }
        self.max = self.max.max(rate);
        self.sum += rate;
        self.sum_of_squares += rate * rate;
        self.count += 1;
    }

    /// The mean of the measured rates.
    #[must_use]
    pub(crate) fn mean(&self) -> f64 {
        if self.count == 0 { 0.0 } else { self.sum / self.count as f64 }
    }

    /// The population standard deviation of the measured rates (pv's "mdev").
    #[must_use]
    pub(crate) fn deviation(&self) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let mean = self.mean();
        (self.sum_of_squares / self.count as f64 - mean * mean).max(0.0).sqrt()
    }

    /// pv's `-v` line (rates scaled by `scale`: 8 for bits).
    #[must_use]
    pub(crate) fn line(&self, scale: f64, unit: &str) -> String {
        if self.count == 0 {
            return "rate not measured\n".to_owned();
        }
        format!(
            "rate min/avg/max/mdev = {:.3}/{:.3}/{:.3}/{:.3} {unit}\n",
            self.min * scale,
            self.mean() * scale,
            self.max * scale,
            self.deviation() * scale
        )
    }
}

/// What one update shows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Reading {
    pub(crate) rate: f64,
    pub(crate) average: f64,
    pub(crate) eta_rate: f64,
    pub(crate) percentage: f64,
    pub(crate) rate_max: f64,
}

/// The running calculation for one progress line.
#[derive(Clone, Debug)]
pub(crate) struct Calc {
    previous_amount: u64,
    previous_elapsed: f64,
    previous_rate: f64,
    /// Amount since the last measured interval (for intervals too short to measure).
    unmeasured: u64,
    pub(crate) stats: Stats,
    history: VecDeque<(f64, u64)>,
    history_len: usize,
    history_step: f64,
    window_rate: f64,
    percentage: f64,
    /// Amount there when watching began (`-d`).
    pub(crate) initial: u64,
}

impl Calc {
    /// A calculation of progress watched from outside (`-d`, `-Q`) that began at `initial`:
    /// neither the rates nor the ETA count what was there before.
    #[must_use]
    pub(crate) fn starting_at(window: u32, initial: u64) -> Calc {
        Calc { initial, previous_amount: initial, ..Calc::new(window) }
    }

    /// A calculation averaging over `window` seconds (`-m`, pv's default 30).
    #[must_use]
    pub(crate) fn new(window: u32) -> Calc {
        let window = window.max(1) as usize;
        let (history_len, history_step) =
            if window >= 20 { (window / 5 + 1, 5.0) } else { (window + 1, 1.0) };
        Calc {
            previous_amount: 0,
            previous_elapsed: 0.0,
            previous_rate: 0.0,
            unmeasured: 0,
            stats: Stats::default(),
            history: VecDeque::with_capacity(history_len),
            history_len,
            history_step,
            window_rate: 0.0,
            percentage: 0.0,
            initial: 0,
        }
    }

    /// Takes a reading of `amount` at `elapsed` seconds; `last` for the final update (the
    /// whole-transfer average is then shown as both rates).
    pub(crate) fn update(
        &mut self,
        amount: u64,
        elapsed: f64,
        size: Option<u64>,
        last: bool,
    ) -> Reading {
        let since_last = amount.saturating_sub(self.previous_amount);
        self.previous_amount = amount;
        let interval = elapsed - self.previous_elapsed;
        let mut rate = if interval <= SHORTEST_MEASURED {
            self.unmeasured += since_last;
            self.previous_rate
        } else {
            let measured = (since_last + self.unmeasured) as f64 / interval;
            self.previous_elapsed = elapsed;
            self.unmeasured = 0;
            self.stats.add(measured);
            measured
        };
        self.previous_rate = rate;
        self.sample(elapsed, amount, rate);
        let mut average = self.window_rate;
        if last {
            average = amount.saturating_sub(self.initial) as f64 / elapsed.max(0.000_001);
            rate = average;
        }
        match size.filter(|&s| s > 0) {
            Some(size) => self.percentage = amount as f64 * 100.0 / size as f64,
            None => {
                if rate > 0.0 {
                    self.percentage += 2.0;
                }
                if self.percentage > 199.0 {
                    self.percentage = 0.0;
                }
            }
        }
        self.percentage = self.percentage.clamp(0.0, 100_000.0);
        Reading {
            rate,
            average,
            eta_rate: self.window_rate,
            percentage: self.percentage,
            rate_max: self.stats.max,
        }
    }

    /// Adds a sample to the `-m` window every history step, and works out the window's
    /// average rate: from its oldest sample to now. pv 1.10 keeps the same samples (the first
    /// at its first update) but measures only up to the newest, so its average freezes between
    /// samples (up to 5 s with the default window) and a stall shows only when the next one is
    /// taken; measured to now, with the start of the transfer as the first sample, the
    /// average falls at every update while no data moves.
    fn sample(&mut self, elapsed: f64, amount: u64, rate: f64) {
        if self.history.is_empty() {
            self.history.push_back((0.0, self.initial));
        }
        if self.history.back().is_some_and(|&(at, _)| elapsed >= at + self.history_step) {
            if self.history.len() == self.history_len {
                self.history.pop_front();
            }
            self.history.push_back((elapsed, amount));
        }
        self.window_rate = match self.history.front() {
            Some(&(t0, a0)) if elapsed - t0 > SHORTEST_MEASURED => {
                amount.saturating_sub(a0) as f64 / (elapsed - t0)
            }
            _ => rate,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_percentages() {
        let mut calc = Calc::new(30);
        let r = calc.update(100, 1.0, Some(400), false);
        assert_eq!((r.rate, r.percentage), (100.0, 25.0));
        let r = calc.update(300, 2.0, Some(400), false);
        assert_eq!(r.rate, 200.0);
        // The window's samples are five seconds apart past 20 s of window: still the start.
        assert_eq!(r.average, 150.0);
        let r = calc.update(400, 4.0, Some(400), true);
        assert_eq!((r.rate, r.average, r.percentage), (100.0, 100.0, 100.0));
        assert_eq!(calc.stats.count, 3);
        assert_eq!((calc.stats.min, calc.stats.max), (50.0, 200.0));
    }

    #[test]
    fn short_intervals_are_carried_over() {
        let mut calc = Calc::new(5);
        calc.update(100, 1.0, None, false);
        let r = calc.update(150, 1.005, None, false);
        assert_eq!(r.rate, 100.0, "too short to measure: the previous rate");
        let r = calc.update(300, 2.0, None, false);
        assert_eq!(r.rate, 200.0, "measured from the last measured update");
        assert_eq!(calc.stats.count, 2);
    }

    #[test]
    fn the_window_average_uses_samples_a_second_apart() {
        let mut calc = Calc::new(2);
        for (t, amount) in [(1.0, 100), (2.0, 300), (3.0, 600), (4.0, 1000)] {
            calc.update(amount, t, None, false);
        }
        // A window of 2 s keeps 3 samples: from 2 s (300 bytes) to now, 4.5 s.
        assert_eq!(calc.update(1000, 4.5, None, false).average, 280.0);
    }

    #[test]
    fn the_average_falls_at_every_update_of_a_stall() {
        for window in [3, 30] {
            let mut calc = Calc::new(window);
            let mut t = 0.0;
            for _ in 0..20 {
                t += 0.5;
                calc.update((t * 1000.0) as u64, t, None, false);
            }
            let before = calc.update(10_000, 10.0, None, false).average;
            // Three seconds without data, an update every half second.
            let stall: Vec<f64> = (1..=6)
                .map(|i| calc.update(10_000, 10.0 + f64::from(i) * 0.5, None, false).average)
                .collect();
            let mut previous = before;
            for average in &stall {
                assert!(*average < previous, "-m {window}: {before} then {stall:?}");
                previous = *average;
            }
            // Data again: it rises again.
            let after = calc.update(20_000, 13.5, None, false).average;
            assert!(after > previous, "-m {window}: {after} after {previous}");
        }
    }

    #[test]
    fn pvs_own_average_rate_case_stays_near_100() {
        // pv's test: 100 bytes, a 1 s gap, 110 bytes, a 1 s gap, shown every 0.5 s.
        let mut calc = Calc::new(30);
        for (t, amount) in [(0.5, 100), (1.0, 100), (1.5, 210), (2.0, 210)] {
            assert!(calc.update(amount, t, None, false).average >= 80.0, "at {t}");
        }
    }

    #[test]
    fn watched_progress_counts_only_what_moved_while_watched() {
        let mut calc = Calc::starting_at(30, 1000);
        calc.update(1000, 0.001, Some(3000), false);
        let r = calc.update(1500, 1.0, Some(3000), false);
        assert_eq!((r.rate, r.eta_rate), (500.0, 500.0));
    }

    #[test]
    fn the_indicator_moves_while_data_moves() {
        let mut calc = Calc::new(30);
        let positions: Vec<f64> =
            (1..=101).map(|i| calc.update(i * 10, i as f64, None, false).percentage).collect();
        assert_eq!(positions[0], 2.0);
        assert_eq!(positions[98], 198.0);
        assert_eq!(positions[99], 0.0);
        let still = calc.update(1010, 102.0, None, false).percentage;
        assert_eq!(still, positions[100], "no data, no movement");
    }

    #[test]
    fn statistics_like_pv() {
        let mut stats = Stats::default();
        for rate in [1.0, 2.0, 3.0, 4.0] {
            stats.add(rate);
        }
        assert_eq!(stats.mean(), 2.5);
        assert!((stats.deviation() - 1.118_034).abs() < 1e-6);
        assert_eq!(stats.line(1.0, "B/s"), "rate min/avg/max/mdev = 1.000/2.500/4.000/1.118 B/s\n");
        assert_eq!(Stats::default().line(1.0, "B/s"), "rate not measured\n");
    }
}
