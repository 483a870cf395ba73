//! The text kind: a file's or a command's output, centred, refreshed every N seconds. When the
//! command is missing or fails (or the network is down, for `wttr`), a calm message says so and
//! the screen keeps trying with backoff: 5 s, then 10, 20, ... up to 5 minutes (never longer
//! than the refresh), instead of waiting a whole refresh. Against
//! burn-in the text drifts by a cell every minute around the centre, like the clock.

use std::time::Duration;

use rand::Rng;
use rand::rngs::StdRng;

use super::source::{Pending, Source, SourceError, Text, read_now};
use crate::saver::kit::buffer::{Attrs, Style};
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::screen::{Ctx, Screen, Size, Theme};

/// Shows a text centred.
pub(crate) struct TextScreen {
    source: Source,
    refresh: f64,
    content: Option<Result<Text, SourceError>>,
    pending: Option<Pending>,
    since: f64,
    /// Seconds from the last load to the next: the refresh, or the backoff after a failure.
    wait: f64,
    /// Failures in a row, for the backoff.
    failures: u32,
    elapsed: Duration,
}

/// The first wait after a failure, and the longest.
const FIRST_RETRY: f64 = 5.0;
const LONGEST_RETRY: f64 = 300.0;

impl TextScreen {
    #[must_use]
    pub(crate) fn new(source: Source, refresh: f64) -> TextScreen {
        TextScreen {
            source,
            refresh,
            content: None,
            pending: None,
            since: 0.0,
            wait: refresh,
            failures: 0,
            elapsed: Duration::ZERO,
        }
    }

    /// Takes a loaded text (or why there is none) and sets the wait before the next load.
    fn arrived(&mut self, content: Result<Text, SourceError>) {
        if content.is_ok() {
            self.failures = 0;
            self.wait = self.refresh;
        } else {
            self.failures = self.failures.saturating_add(1);
            let doubled = FIRST_RETRY * 2f64.powi(self.failures.min(16) as i32 - 1);
            self.wait = doubled.min(LONGEST_RETRY).min(self.refresh);
        }
        self.content = Some(content);
    }

    /// While the last load failed: the failures in a row and the seconds until the next try.
    #[cfg(test)]
    pub(crate) fn backoff(&self) -> Option<(u32, f64)> {
        matches!(self.content, Some(Err(_))).then(|| (self.failures, self.wait - self.since))
    }

    fn reload(&mut self, rng: &mut StdRng) {
        self.since = 0.0;
        let pick = rng.random_range(0..usize::MAX);
        match self.source.start(pick as u64) {
            Some(pending) => self.pending = Some(pending),
            None => {
                self.arrived(read_now(&self.source, pick).map(|body| Text { body, note: None }))
            }
        }
    }
}

/// A discreet note in the bottom-right corner (for example how old a cached copy is).
pub(crate) fn draw_note(buf: &mut Canvas<'_>, note: &str, theme: &Theme) {
    let width = crate::saver::kit::paint::text_width(note);
    let x = buf.width().saturating_sub(width + 1);
    buf.put_str(x, buf.height().saturating_sub(1), note, Style::fg(theme.dim));
}

/// The top-left corner of a `width` x `height` block centred in `buf`, moved by up to two cells
/// each way along a slow bouncing path (one step a minute) against burn-in.
fn drifted(buf: &Canvas<'_>, width: u16, height: u16, elapsed: Duration) -> (u16, u16) {
    let (slack_x, slack_y) =
        (buf.width().saturating_sub(width), buf.height().saturating_sub(height));
    let minutes = elapsed.as_secs() / 60;
    let (range_x, range_y) = (slack_x.min(4), slack_y.min(2));
    // Started half-way along the path, so the first minute is exactly centred.
    let bounce = |step: u64, range: u16| {
        crate::saver::kit::paint::bounce(step + u64::from(range / 2), range)
    };
    let x = slack_x / 2 - range_x / 2 + bounce(minutes, range_x);
    let y = slack_y / 2 - range_y / 2 + bounce(minutes / 2, range_y);
    (x, y)
}

impl Screen for TextScreen {
    fn min_size(&self) -> Size {
        Size { width: 20, height: 3 }
    }

    fn resize(&mut self, _size: Size, rng: &mut StdRng) {
        if self.content.is_none() && self.pending.is_none() {
            self.reload(rng);
        }
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        if let Some(result) = self.pending.as_mut().and_then(Pending::poll) {
            self.arrived(result);
            self.pending = None;
        }
        self.since += ctx.dt.as_secs_f64();
        self.elapsed = ctx.elapsed;
        if self.since >= self.wait && self.pending.is_none() {
            self.reload(ctx.rng);
        }
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let (text, style) = match &self.content {
            Some(Ok(text)) => (text.body.trim_end().to_owned(), Style::fg(theme.text)),
            Some(Err(why)) => (
                format!(
                    "nothing to show yet\n{why}\n(trying again in {:.0} s)",
                    (self.wait - self.since).max(0.0)
                ),
                Style::fg(theme.dim).with_attrs(Attrs::ITALIC),
            ),
            None => ("...".to_owned(), Style::fg(theme.dim)),
        };
        let lines: Vec<&str> = text.lines().collect();
        let width =
            lines.iter().map(|l| crate::saver::kit::paint::text_width(l)).max().unwrap_or(0);
        let shown = lines.len().min(usize::from(buf.height()));
        let (x, y) = drifted(buf, width, shown as u16, self.elapsed);
        for (i, line) in lines.iter().take(shown).enumerate() {
            buf.put_str(x, y + i as u16, line, style);
        }
        if let Some(Ok(Text { note: Some(note), .. })) = &self.content {
            draw_note(buf, note, theme);
        }
    }

    fn ready(&mut self) -> bool {
        self.pending.as_mut().is_none_or(Pending::ready)
    }

    fn frame_interval(&self) -> Duration {
        if self.pending.is_some() {
            Duration::from_millis(100)
        } else {
            Duration::from_secs_f64((self.wait - self.since).clamp(0.1, 1.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_by_doubling_up_to_five_minutes_and_a_success_resets() {
        let mut screen = TextScreen::new(Source::Embedded(vec!["hello"]), 1800.0);
        let waits: Vec<f64> = (0..9)
            .map(|_| {
                screen.arrived(Err(SourceError::WorkerGone));
                screen.wait
            })
            .collect();
        assert_eq!(waits, [5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 300.0, 300.0, 300.0]);
        screen.arrived(Ok(Text { body: "sunny".into(), note: None }));
        assert_eq!((screen.wait, screen.failures), (1800.0, 0));
        // Never longer than the refresh itself.
        let mut quick = TextScreen::new(Source::Embedded(vec!["hello"]), 12.0);
        for _ in 0..3 {
            quick.arrived(Err(SourceError::WorkerGone));
        }
        assert_eq!(quick.wait, 12.0);
    }
}
