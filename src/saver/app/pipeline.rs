//! A screen rendered frame after frame without a terminal: the frame-time benchmark's view of
//! the engine (`benches/render.rs`, run by `cargo bench`). In the product layer: it finds the
//! screen by name in the registry.
//!
//! Each [`Pipeline::frame`] is exactly one turn of the real frame loop when a frame is due:
//! advance the screen by its own frame interval, draw, map the colours, diff and encode. Only
//! the terminal is missing (no `poll`, no `write`), and time is simulated, so the work per frame
//! is the same from run to run.

use std::time::Duration;

use anyhow::Context as _;
use chrono::NaiveDateTime;

use crate::saver::app::registry;
use crate::saver::engine::{Engine, Settings};
use crate::saver::kit::color::Depth;
use crate::saver::kit::screen::Size;

/// One screen, its engine and a simulated clock.
pub struct Pipeline {
    engine: Engine,
    now: Duration,
    start: NaiveDateTime,
}

impl Pipeline {
    /// Builds screen `args[0]` with the options `args[1..]` at `width` x `height`, seed 1, the
    /// default theme and 256 colours (what tmux and most terminals report), and draws the first
    /// frame.
    ///
    /// # Errors
    /// An unknown screen or bad screen options.
    pub fn new(args: &[&str], width: u16, height: u16) -> anyhow::Result<Pipeline> {
        let (name, options) = args.split_first().context("no screen name")?;
        let screens = registry::all();
        let info = crate::saver::app::lookup::find(&screens, name)
            .with_context(|| format!("no screen {name}"))?;
        let options: Vec<String> = options.iter().map(|s| (*s).to_string()).collect();
        let screen = (info.make)(&options)?;
        let settings = Settings { seed: 1, depth: Depth::Indexed256, ..Settings::default() };
        let size = Size { width, height }.bounded();
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
            .and_then(|d| d.and_hms_opt(3, 4, 5))
            .context("start time")?;
        let mut pipeline = Pipeline {
            engine: Engine::new(name, screen, settings, size),
            now: Duration::ZERO,
            start,
        };
        pipeline.frame();
        Ok(pipeline)
    }

    /// Renders the next frame (update, draw, diff, encode); returns the bytes it would write.
    pub fn frame(&mut self) -> usize {
        let dt = self.engine.interval();
        self.now += dt;
        let wall = self.start + chrono::Duration::from_std(self.now).unwrap_or_default();
        self.engine.update(dt, wall);
        self.engine.render().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_frames_of_a_screen() {
        let mut pipeline = Pipeline::new(&["matrix", "-d", "2"], 40, 12).expect("matrix");
        let bytes: usize = (0..25).map(|_| pipeline.frame()).sum();
        assert!(bytes > 0);
        assert!(Pipeline::new(&["no-such-screen"], 40, 12).is_err());
        assert!(Pipeline::new(&[], 40, 12).is_err());
    }
}
