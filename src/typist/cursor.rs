//! Waiting for a step's deadline, optionally blinking a block cursor while the pause lasts.
//!
//! The cursor is drawn as `█` followed by a backspace and erased with a space and a backspace,
//! so the next typed character lands in the same cell. It is only used on a terminal.

use std::io::{self, Write};
use std::thread;
use std::time::{Duration, Instant};

use super::BLINK_AFTER;

/// Half a blink period.
const BLINK: Duration = Duration::from_millis(500);

/// Sleeps until `deadline`; with `blink`, long pauses show a blinking cursor that is erased
/// again before returning.
pub(crate) fn wait_until(out: &mut impl Write, deadline: Instant, blink: bool) -> io::Result<()> {
    let now = Instant::now();
    if deadline <= now {
        return Ok(());
    }
    if !blink || deadline - now < BLINK_AFTER {
        thread::sleep(deadline - now);
        return Ok(());
    }
    // Once the pause is long enough to blink, the cursor shows at least once, however late
    // this thread gets to run.
    let mut shown = false;
    loop {
        out.write_all(if shown { " \x08".as_bytes() } else { "█\x08".as_bytes() })?;
        out.flush()?;
        shown = !shown;
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        thread::sleep(BLINK.min(deadline - now));
    }
    if shown {
        out.write_all(b" \x08")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_pauses_write_nothing() {
        let mut out = Vec::new();
        wait_until(&mut out, Instant::now() + Duration::from_millis(5), true).ok();
        assert!(out.is_empty());
    }

    #[test]
    fn blinking_leaves_the_cell_blank() {
        let mut out = Vec::new();
        wait_until(&mut out, Instant::now() + Duration::from_millis(700), true).ok();
        let text = String::from_utf8_lossy(&out).into_owned();
        assert!(text.starts_with("█\x08"), "{text:?}");
        assert!(text.ends_with(" \x08"), "{text:?}");
    }
}
