//! Costing nothing when nobody looks: while the terminal reports that it lost the focus
//! (`CSI ? 1004 h` focus reporting; `src/term/keys.rs` reads the reports) the engine draws
//! nothing and sleeps until an input, and it resumes at once on focus. `--dim-after` fades every
//! screen to a dark palette after a while: each colour is mixed towards black in a few steps
//! over three seconds, one repaint per step.

use std::time::Duration;

use crate::saver::kit::color::DIM_STEPS as STEPS;

/// How long the fade to the dark palette takes (in [`STEPS`] steps).
const FADE: Duration = Duration::from_secs(3);

/// Whether the terminal on standard input (or output) has had no key for `wanted`: the time
/// the kernel last read from it (its access time, kept to about 8 s). When that cannot be
/// known, it counts as idle.
#[must_use]
pub(crate) fn terminal_idle_for(wanted: Duration) -> bool {
    let stdin = rustix::stdio::stdin();
    let stdout = rustix::stdio::stdout();
    let fd = if rustix::termios::isatty(stdin) { stdin } else { stdout };
    let Ok(name) = rustix::termios::ttyname(fd, Vec::new()) else { return true };
    let path = std::path::Path::new(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(
        name.as_bytes(),
    ));
    let Ok(read_at) = std::fs::metadata(path).and_then(|m| m.accessed()) else { return true };
    match std::time::SystemTime::now().duration_since(read_at) {
        Ok(idle) => idle >= wanted,
        // A last key in the future: the clock moved; do not start.
        Err(_) => false,
    }
}

/// Focus and dimming state of a run.
#[derive(Clone, Debug)]
pub(crate) struct Power {
    dim_after: Option<Duration>,
    focused: bool,
}

impl Power {
    #[must_use]
    pub(crate) fn new(dim_after: Option<Duration>) -> Power {
        Power { dim_after, focused: true }
    }

    /// Whether frames are drawn (the terminal has the focus, or never said otherwise).
    #[must_use]
    pub(crate) fn focused(&self) -> bool {
        self.focused
    }

    pub(crate) fn set_focus(&mut self, focused: bool) {
        self.focused = focused;
    }

    /// The dimming step at `running` time since the start: 0 (none) to [`STEPS`].
    #[must_use]
    pub(crate) fn dim_step(&self, running: Duration) -> u8 {
        let Some(after) = self.dim_after else { return 0 };
        let Some(into) = running.checked_sub(after) else { return 0 };
        let step = into.as_secs_f64() / FADE.as_secs_f64() * f64::from(STEPS);
        (step.floor() as u8).saturating_add(1).min(STEPS)
    }

    /// The longest wait before the dimming changes (`None`: it never will again).
    #[must_use]
    pub(crate) fn next_change(&self, running: Duration) -> Option<Duration> {
        let after = self.dim_after?;
        if self.dim_step(running) >= STEPS {
            return None;
        }
        let step = FADE / u32::from(STEPS);
        Some(match after.checked_sub(running) {
            Some(left) if !left.is_zero() => left,
            _ => step,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn power(dim_after: u64) -> Power {
        Power::new(Some(Duration::from_secs(dim_after)))
    }

    #[test]
    fn dimming_starts_after_the_delay_and_steps_down() {
        let p = power(10);
        assert_eq!(p.dim_step(Duration::from_secs(9)), 0);
        assert_eq!(p.dim_step(Duration::from_secs(10)), 1);
        assert_eq!(p.dim_step(Duration::from_millis(11_600)), 4);
        assert_eq!(p.dim_step(Duration::from_secs(60)), STEPS);
        assert_eq!(p.next_change(Duration::from_secs(4)), Some(Duration::from_secs(6)));
        assert_eq!(p.next_change(Duration::from_secs(11)), Some(Duration::from_millis(500)));
        assert_eq!(p.next_change(Duration::from_secs(60)), None);
        assert_eq!(Power::new(None).dim_step(Duration::from_secs(999)), 0);
    }
}
