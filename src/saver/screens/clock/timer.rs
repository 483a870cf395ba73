//! The clock's countdown and stopwatch. A countdown shows the time left; at zero it rings the
//! bell once, flashes the screen for three seconds, and then counts up from zero in the accent
//! colour so the overrun is seen. A stopwatch counts up in tenths; space pauses and resumes it,
//! `r` resets it, any other key ends the saver (the engine hands keys to the screen).

use std::time::Duration;

use crate::saver::kit::screen::KeyAction;

/// How long the flash at the end of a countdown lasts, and how fast it blinks.
pub(crate) const FLASH: Duration = Duration::from_secs(3);
const BLINK: Duration = Duration::from_millis(500);

/// What the timer shows now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Reading {
    /// The digits, e.g. `04:59`, `+00:07`, `01:02.3`.
    pub(crate) text: String,
    /// The countdown is over (counting up, in another colour).
    pub(crate) over: bool,
    /// The screen is inverted now (the flash at the end).
    pub(crate) flash: bool,
    /// A note under the digits (`paused`, `time is up`).
    pub(crate) note: Option<&'static str>,
}

/// A countdown or a stopwatch.
#[derive(Clone, Debug)]
pub(crate) enum Timer {
    Countdown { total: Duration, elapsed: Duration, rang: bool, bell: bool },
    Stopwatch { elapsed: Duration, running: bool },
}

impl Timer {
    #[must_use]
    pub(crate) fn countdown(total: Duration) -> Timer {
        Timer::Countdown { total, elapsed: Duration::ZERO, rang: false, bell: false }
    }

    #[must_use]
    pub(crate) fn stopwatch() -> Timer {
        Timer::Stopwatch { elapsed: Duration::ZERO, running: true }
    }

    /// Advances by `dt`.
    pub(crate) fn update(&mut self, dt: Duration) {
        match self {
            Timer::Countdown { total, elapsed, rang, bell } => {
                *elapsed += dt;
                if *elapsed >= *total && !*rang {
                    *rang = true;
                    *bell = true;
                }
            }
            Timer::Stopwatch { elapsed, running } => {
                if *running {
                    *elapsed += dt;
                }
            }
        }
    }

    /// A key: the stopwatch takes space and `r`; everything else ends the run.
    pub(crate) fn key(&mut self, key: u8) -> KeyAction {
        match (self, key) {
            (Timer::Stopwatch { running, .. }, b' ') => {
                *running = !*running;
                KeyAction::Taken
            }
            (Timer::Stopwatch { elapsed, .. }, b'r' | b'R') => {
                *elapsed = Duration::ZERO;
                KeyAction::Taken
            }
            _ => KeyAction::Exit,
        }
    }

    /// Whether the bell should ring now (once, at the end of a countdown).
    pub(crate) fn take_bell(&mut self) -> bool {
        match self {
            Timer::Countdown { bell, .. } => std::mem::take(bell),
            Timer::Stopwatch { .. } => false,
        }
    }

    /// What to show.
    #[must_use]
    pub(crate) fn reading(&self) -> Reading {
        match self {
            Timer::Countdown { total, elapsed, .. } => match elapsed.checked_sub(*total) {
                Some(over) => {
                    let flash = over < FLASH && (over.as_millis() / BLINK.as_millis()).is_multiple_of(2);
                    let note = Some("time is up");
                    Reading { text: format!("+{}", clock_text(over.as_secs(), *total)), over: true, flash, note }
                }
                None => {
                    // Whole seconds left, rounded up: 4.2 s left shows 00:05 until 4.0.
                    let left = (*total - *elapsed).as_nanos().div_ceil(1_000_000_000);
                    let left = u64::try_from(left).unwrap_or(u64::MAX);
                    Reading { text: clock_text(left, *total), over: false, flash: false, note: None }
                }
            },
            Timer::Stopwatch { elapsed, running } => {
                let tenths = elapsed.as_millis() / 100;
                let secs = u64::try_from(tenths / 10).unwrap_or(u64::MAX);
                let text = format!("{}.{}", clock_text(secs, Duration::ZERO), tenths % 10);
                let note = (!running).then_some("paused (space: go on, r: reset)");
                Reading { text, over: false, flash: false, note }
            }
        }
    }

    /// How long until the reading changes.
    #[must_use]
    pub(crate) fn interval(&self) -> Duration {
        match self {
            Timer::Countdown { total, elapsed, .. } => match elapsed.checked_sub(*total) {
                Some(over) if over < FLASH => BLINK - Duration::from_millis((over.as_millis() % 500) as u64),
                Some(over) => Duration::from_secs(1) - Duration::from_nanos(u64::from(over.subsec_nanos())),
                None => {
                    let left = *total - *elapsed;
                    let into = left.subsec_nanos();
                    if into == 0 { Duration::from_secs(1) } else { Duration::from_nanos(u64::from(into)) }
                }
            },
            Timer::Stopwatch { running: true, .. } => Duration::from_millis(100),
            Timer::Stopwatch { running: false, .. } => Duration::from_secs(1),
        }
    }
}

/// `secs` as `MM:SS`, or `H:MM:SS` when the countdown's total (or the time) reaches an hour.
fn clock_text(secs: u64, total: Duration) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 || total >= Duration::from_secs(3600) {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn a_countdown_counts_down_rings_once_flashes_then_counts_up() {
        let mut t = Timer::countdown(secs(300.0));
        assert_eq!(t.reading().text, "05:00");
        t.update(secs(0.2));
        assert_eq!(t.reading().text, "05:00");
        assert_eq!(t.interval(), secs(0.8));
        t.update(secs(0.8));
        assert_eq!(t.reading().text, "04:59");
        assert!(!t.take_bell());
        t.update(secs(299.0));
        let end = t.reading();
        assert_eq!((end.text.as_str(), end.over, end.flash), ("+00:00", true, true));
        assert!(t.take_bell());
        assert!(!t.take_bell(), "the bell rings once");
        t.update(secs(0.6));
        assert!(!t.reading().flash, "it blinks");
        t.update(secs(7.0));
        let later = t.reading();
        assert_eq!((later.text.as_str(), later.over, later.flash), ("+00:07", true, false));
    }

    #[test]
    fn long_countdowns_show_hours() {
        assert_eq!(Timer::countdown(secs(5400.0)).reading().text, "1:30:00");
        assert_eq!(Timer::countdown(secs(3600.0)).reading().text, "1:00:00");
    }

    #[test]
    fn the_stopwatch_pauses_resets_and_lets_other_keys_end_the_run() {
        let mut t = Timer::stopwatch();
        t.update(secs(61.25));
        assert_eq!(t.reading().text, "01:01.2");
        assert_eq!(t.key(b' '), KeyAction::Taken);
        t.update(secs(10.0));
        assert_eq!(t.reading().text, "01:01.2");
        assert!(t.reading().note.is_some());
        assert_eq!(t.key(b' '), KeyAction::Taken);
        t.update(secs(1.0));
        assert_eq!(t.reading().text, "01:02.2");
        assert_eq!(t.key(b'r'), KeyAction::Taken);
        assert_eq!(t.reading().text, "00:00.0");
        assert_eq!(t.key(b'q'), KeyAction::Exit);
        assert_eq!(Timer::countdown(secs(5.0)).key(b' '), KeyAction::Exit);
    }
}
