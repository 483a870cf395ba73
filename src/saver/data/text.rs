//! The text kind: a file's or a command's output, centred, refreshed every N seconds. When the
//! command is missing or fails, a calm message says so and the screen keeps trying.

use std::time::Duration;

use rand::Rng;
use rand::rngs::StdRng;

use super::source::{Pending, Source, SourceError, Text, read_now};
use crate::saver::buffer::{Attrs, Buffer, Style};
use crate::saver::screen::{Ctx, Screen, Size, Theme};

/// Shows a text centred.
pub(crate) struct TextScreen {
    source: Source,
    refresh: f64,
    content: Option<Result<Text, SourceError>>,
    pending: Option<Pending>,
    since: f64,
}

impl TextScreen {
    #[must_use]
    pub(crate) fn new(source: Source, refresh: f64) -> TextScreen {
        TextScreen { source, refresh, content: None, pending: None, since: 0.0 }
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
pub(crate) fn draw_note(buf: &mut Buffer, note: &str, theme: &Theme) {
    let width = crate::saver::screens::text_width(note);
    let x = buf.width().saturating_sub(width + 1);
    buf.put_str(x, buf.height().saturating_sub(1), note, Style::fg(theme.dim));
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
        if let Some(result) = self.pending.as_ref().and_then(Pending::poll) {
            self.content = Some(result);
            self.pending = None;
        }
        self.since += ctx.dt.as_secs_f64();
        if self.since >= self.refresh && self.pending.is_none() {
            self.reload(ctx.rng);
        }
    }

    fn draw(&self, buf: &mut Buffer, theme: &Theme) {
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
        let width = lines.iter().map(|l| crate::saver::screens::text_width(l)).max().unwrap_or(0);
        let x = buf.width().saturating_sub(width) / 2;
        let shown = lines.len().min(usize::from(buf.height()));
        let y = (buf.height() - shown as u16) / 2;
        for (i, line) in lines.iter().take(shown).enumerate() {
            buf.put_str(x, y + i as u16, line, style);
        }
        if let Some(Ok(Text { note: Some(note), .. })) = &self.content {
            draw_note(buf, note, theme);
        }
    }

    fn frame_interval(&self) -> Duration {
        if self.pending.is_some() {
            Duration::from_millis(100)
        } else {
            Duration::from_secs_f64((self.refresh - self.since).clamp(0.1, 1.0))
        }
    }
}
