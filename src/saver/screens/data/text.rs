//! The text kind: a file's or a command's output, centred, refreshed every N seconds. When the
//! command is missing or fails, a calm message says so and the screen keeps trying. Against
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
    elapsed: Duration,
}

impl TextScreen {
    #[must_use]
    pub(crate) fn new(source: Source, refresh: f64) -> TextScreen {
        TextScreen {
            source,
            refresh,
            content: None,
            pending: None,
            since: 0.0,
            elapsed: Duration::ZERO,
        }
    }

    fn reload(&mut self, rng: &mut StdRng) {
        self.since = 0.0;
        let pick = rng.random_range(0..usize::MAX);
        match self.source.start(pick as u64) {
            Some(pending) => self.pending = Some(pending),
            None => {
                self.content =
                    Some(read_now(&self.source, pick).map(|body| Text { body, note: None }))
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
            self.content = Some(result);
            self.pending = None;
        }
        self.since += ctx.dt.as_secs_f64();
        self.elapsed = ctx.elapsed;
        if self.since >= self.refresh && self.pending.is_none() {
            self.reload(ctx.rng);
        }
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let (text, style) = match &self.content {
            Some(Ok(text)) => (text.body.trim_end().to_owned(), Style::fg(theme.text)),
            Some(Err(why)) => (
                format!(
                    "nothing to show yet\n{why}\n(trying again in {:.0} s)",
                    (self.refresh - self.since).max(0.0)
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
            Duration::from_secs_f64((self.refresh - self.since).clamp(0.1, 1.0))
        }
    }
}
