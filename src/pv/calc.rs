//! The numbers behind the line, by pv's definitions: the rate over the last interval, the
//! average over the `-m` window (a ring of samples one or five seconds apart), the percentage
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

    /// Adds a sample to the `-m` window every history step, and works out its average rate.
    fn sample(&mut self, elapsed: f64, amount: u64, rate: f64) {
        if let Some(&(at, _)) = self.history.back()
            && at > 0.0
            && elapsed < at + self.history_step
        {
            return;
        }
        if self.history.back().is_some_and(|&(at, _)| at <= 0.0) {
            self.history.pop_back();
        }
        if self.history.len() == self.history_len {
            self.history.pop_front();
        }
        self.history.push_back((elapsed, amount));
        self.window_rate = match (self.history.front(), self.history.back()) {
            (Some(&(t0, a0)), Some(&(t1, a1))) if self.history.len() > 1 => {
                a1.saturating_sub(a0) as f64 / (t1 - t0).max(0.000_001)
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
        // The window has one sample per five seconds past 20 s of window: still the first.
        assert_eq!(r.average, 100.0);
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
        // A window of 2 s keeps 3 samples: 2 s to 4 s, 700 bytes.
        assert_eq!(calc.update(1000, 4.5, None, false).average, 350.0);
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
