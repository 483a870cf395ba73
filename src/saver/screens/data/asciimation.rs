//! The asciimation kind: the classic flip-book format (each frame is a line with how long to
//! show it, in 1/15 s, then 13 lines of art), played centred and in a loop.

use std::time::Duration;

use rand::rngs::StdRng;

use crate::saver::kit::buffer::Style;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::screen::{Ctx, Screen, Size, Theme};

/// Rows of art per frame in the classic format.
pub(crate) const ROWS: usize = 13;
/// Duration units per second.
const TICKS_PER_SECOND: f64 = 15.0;

/// One frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Frame {
    pub(crate) ticks: u32,
    pub(crate) lines: Vec<String>,
}

/// Parses the classic format; errors name the line (1-based) whose duration is not a number.
pub(crate) fn parse(text: &str) -> Result<Vec<Frame>, (usize, String)> {
    let lines: Vec<&str> = text.lines().map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let mut frames = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        // Blank lines between frames (or at the end) are tolerated.
        if lines[i].trim().is_empty() && frames.len() * (ROWS + 1) != i {
            i += 1;
            continue;
        }
        let ticks: u32 = lines[i].trim().parse().map_err(|_| {
            (
                i + 1,
                format!(
                    "expected a frame duration (a number of 1/15 s), found {}",
                    crate::sanitize::quoted(lines[i])
                ),
            )
        })?;
        let art: Vec<String> = lines[i + 1..lines.len().min(i + 1 + ROWS)]
            .iter()
            .map(|l| l.chars().map(|c| if c.is_control() { ' ' } else { c }).collect())
            .collect();
        frames.push(Frame { ticks: ticks.clamp(1, 15 * 60), lines: art });
        i += 1 + ROWS;
    }
    if frames.is_empty() {
        return Err((1, "no frames".to_owned()));
    }
    Ok(frames)
}

/// Plays frames in a loop.
pub(crate) struct Asciimation {
    frames: Vec<Frame>,
    current: usize,
    /// Seconds shown of the current frame.
    shown: f64,
    width: u16,
}

impl Asciimation {
    #[must_use]
    pub(crate) fn new(frames: Vec<Frame>) -> Asciimation {
        let width = frames
            .iter()
            .flat_map(|f| f.lines.iter())
            .map(|l| crate::saver::kit::paint::text_width(l))
            .max()
            .unwrap_or(0);
        Asciimation { frames, current: 0, shown: 0.0, width }
    }

    fn frame_seconds(&self) -> f64 {
        f64::from(self.frames[self.current].ticks) / TICKS_PER_SECOND
    }
}

impl Screen for Asciimation {
    fn min_size(&self) -> Size {
        Size { width: self.width.clamp(10, 80), height: ROWS as u16 }
    }

    fn resize(&mut self, _size: Size, _rng: &mut StdRng) {}

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.shown += ctx.dt.as_secs_f64();
        // A long step (suspended process) skips frames instead of looping forever.
        for _ in 0..self.frames.len() {
            let len = self.frame_seconds();
            if self.shown < len {
                break;
            }
            self.shown -= len;
            self.current = (self.current + 1) % self.frames.len();
        }
        self.shown = self.shown.min(self.frame_seconds());
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let frame = &self.frames[self.current];
        let x = buf.width().saturating_sub(self.width) / 2;
        let y = buf.height().saturating_sub(ROWS as u16) / 2;
        for (row, line) in frame.lines.iter().enumerate() {
            buf.put_str(x, y + row as u16, line, Style::fg(theme.text));
        }
    }

    fn frame_interval(&self) -> Duration {
        Duration::from_secs_f64((self.frame_seconds() - self.shown).clamp(0.02, 60.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn two_frames() -> String {
        let mut s = String::from("2\n");
        s.push_str(&"A\n".repeat(ROWS));
        s.push_str("1\n");
        s.push_str(&"B\n".repeat(ROWS));
        s
    }

    #[test]
    fn parses_the_classic_format() {
        let frames = parse(&two_frames()).unwrap();
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[0].ticks, 2);
        assert_eq!(frames[1].lines.len(), ROWS);
    }

    #[test]
    fn bad_duration_names_the_line() {
        let mut text = two_frames();
        text = text.replacen("1\n", "x\n", 1);
        assert_eq!(parse(&text).unwrap_err().0, ROWS + 2);
        assert!(parse("").is_err());
    }

    #[test]
    fn bundled_rocket_has_at_least_30_frames() {
        let text = include_str!("../../../../screens/rocket.frames");
        assert!(parse(text).unwrap().len() >= 30);
    }

    proptest! {
        #[test]
        fn never_panics(text in "(\\PC|\n|[0-9]){0,400}") {
            let _ = parse(&text);
        }
    }
}
