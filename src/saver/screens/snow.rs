//! `snow`: snow falling at three depths, blown by a gusting wind, settling on the ground and on
//! the tops of big letters (`--text`), until it thaws and starts again.
//!
//! Flakes far away are small, dim and slow and fall behind everything; nearer ones are bigger,
//! brighter and faster and settle where they land. A flake moves one cell at a time (so it can
//! never fall through a thin ledge), and on landing it may slide off a peak to either side, so
//! snow builds up in mounds and on every ledge of the letters. When a good part of the screen
//! is white, the snow thaws away and the cycle starts over.

use clap::Parser;
use rand::Rng;
use rand::rngs::StdRng;

use crate::saver::kit::{bigfont, paint};
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Attrs, Color, Style};
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver snow                           quiet snowfall
  fun saver snow -t 'Happy holidays'       snow settling on big letters
  fun saver snow -w -2 -g 2                blowing hard to the left, gusty
  fun saver snow -d 3                      a blizzard";

/// Snow at several depths with wind, piling up on the ground and on big letters.
#[derive(Debug, Parser)]
#[command(name = "fun saver snow", after_help = EXAMPLES)]
pub(crate) struct SnowArgs {
    /// Big letters in the middle for the snow to settle on (at most 60 characters).
    #[arg(short, long, value_name = "TEXT", value_parser = values::text_up_to(60))]
    pub(crate) text: Option<String>,

    /// Wind in cells per second (-5 to 5; negative blows left).
    #[arg(short, long, default_value_t = 0.6, value_name = "-5..5", allow_hyphen_values = true, value_parser = values::within(-5.0f32, 5.0))]
    pub(crate) wind: f32,

    /// How gusty the wind is (0-3).
    #[arg(short, long, default_value_t = 1.0, value_name = "0-3", value_parser = values::within(0.0f32, 3.0))]
    pub(crate) gust: f32,

    /// How much snow falls (0.1-5).
    #[arg(short, long, default_value_t = 1.0, value_name = "0.1-5", value_parser = values::within(0.1f32, 5.0))]
    pub(crate) density: f32,
}

#[derive(Clone, Copy, Debug)]
struct Flake {
    x: f32,
    y: f32,
    /// 0 far, 1 middle, 2 near.
    layer: u8,
    /// Phase of its sideways sway.
    phase: f32,
}

/// What fills a cell of the landscape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ground {
    Air,
    Letter,
    Snow,
}

/// The snow screen.
pub(crate) struct Snow {
    args: SnowArgs,
    size: Size,
    ground: Vec<Ground>,
    flakes: Vec<Flake>,
    settled: usize,
    thawing: bool,
    time: f32,
}

/// Builds the screen from its options.
///
/// # Errors
/// Out-of-range numbers or a text that is too long.
pub(crate) fn build(args: SnowArgs) -> anyhow::Result<Snow> {
    Ok(Snow {
        args,
        size: Size { width: 0, height: 0 },
        ground: Vec::new(),
        flakes: Vec::new(),
        settled: 0,
        thawing: false,
        time: 0.0,
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("snow", "snow at several depths, piling up (on --text too)", build)
}

/// Fall speed (rows per second) and wind factor of each layer, far to near.
const LAYERS: [(f32, f32); 3] = [(1.6, 0.4), (3.2, 0.7), (5.5, 1.0)];

/// Wraps `text` at spaces into lines of at most `max` font pixels wide.
fn lines_fitting(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if bigfont::render(&format!("{line} {word}"))[0].len() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

impl Snow {
    fn index(&self, x: i32, y: i32) -> Option<usize> {
        let (w, h) = (i32::from(self.size.width), i32::from(self.size.height));
        (x >= 0 && y >= 0 && x < w && y < h).then(|| (y * w + x) as usize)
    }

    /// Whether a flake cannot enter (x, y): below the bottom, a letter, or settled snow.
    fn solid(&self, x: i32, y: i32) -> bool {
        if y >= i32::from(self.size.height) {
            return true;
        }
        self.index(x, y).is_some_and(|i| self.ground[i] != Ground::Air)
    }

    fn place_text(&mut self) {
        let Some(text) = &self.args.text else { return };
        let (w, h) = (usize::from(self.size.width), usize::from(self.size.height));
        let room = w.saturating_sub(4);
        // Two cells per pixel when it fits (cells are tall), else one, else wrapped lines.
        let one_line = bigfont::render(text)[0].len();
        let (scale, lines) = if one_line * 2 <= room {
            (2, vec![text.clone()])
        } else if one_line <= room {
            (1, vec![text.clone()])
        } else {
            (1, lines_fitting(text, room))
        };
        let block = lines.len() * (bigfont::ROWS + 1);
        let top = (h.saturating_sub(block) * 11 / 20).max(1);
        for (n, line) in lines.iter().enumerate() {
            let rows = bigfont::render(line);
            let left = w.saturating_sub(rows[0].len() * scale) / 2;
            for (dy, row) in rows.iter().enumerate() {
                for (dx, &on) in row.iter().enumerate() {
                    for s in 0..scale {
                        let (x, y) = (left + dx * scale + s, top + n * (bigfont::ROWS + 1) + dy);
                        if on && x < w && y < h.saturating_sub(1) {
                            self.ground[y * w + x] = Ground::Letter;
                        }
                    }
                }
            }
        }
    }

    fn new_flake(&self, rng: &mut StdRng, anywhere: bool) -> Flake {
        let h = f32::from(self.size.height);
        Flake {
            x: rng.random_range(0.0..f32::from(self.size.width)),
            y: if anywhere { rng.random_range(0.0..h) } else { -1.0 },
            layer: match rng.random_range(0..10) {
                0..=4 => 0,
                5..=7 => 1,
                _ => 2,
            },
            phase: rng.random_range(0.0..std::f32::consts::TAU),
        }
    }

    fn wind(&self) -> f32 {
        let t = self.time;
        self.args.wind + self.args.gust * (0.8 * (t * 0.21).sin() + 0.5 * (t * 0.53 + 1.0).sin())
    }

    /// Moves a flake by one cell down (and sideways as the wind takes it); returns false when
    /// it has landed (and settled, for the two nearer layers) or left at the bottom.
    fn fall(&mut self, flake: &mut Flake, dx: f32, rng: &mut StdRng) -> bool {
        let w = i32::from(self.size.width);
        let (x, y) = (flake.x as i32, flake.y.floor() as i32);
        let nx = ((flake.x + dx).rem_euclid(w as f32)) as i32;
        if !self.solid(nx, y + 1) {
            flake.x = (flake.x + dx).rem_euclid(w as f32);
            flake.y += 1.0;
            return true;
        }
        if nx != x && !self.solid(x, y + 1) {
            flake.y += 1.0; // the wind pushed it against something: straight down instead
            return true;
        }
        if flake.layer == 0 {
            return false; // far flakes fall behind everything and vanish
        }
        // Landed on something: slide off a peak now and then, so snow forms mounds.
        let side = if rng.random_bool(0.5) { 1 } else { -1 };
        let sx = (x + side).rem_euclid(w);
        if rng.random_bool(0.6) && !self.solid(sx, y) && !self.solid(sx, y + 1) {
            flake.x = sx as f32 + 0.5;
            flake.y += 1.0;
            return true;
        }
        if let Some(i) = self.index(x, y)
            && self.ground[i] == Ground::Air
        {
            self.ground[i] = Ground::Snow;
            self.settled += 1;
        }
        false
    }

    /// Melts snow from the top down (a cell with snow above it waits), so nothing floats.
    fn thaw(&mut self, dt: f32, rng: &mut StdRng) {
        let chance = f64::from((dt * 0.6).min(1.0));
        let w = usize::from(self.size.width);
        for i in 0..self.ground.len() {
            let covered = i >= w && self.ground[i - w] == Ground::Snow;
            if self.ground[i] == Ground::Snow && !covered && rng.random_bool(chance) {
                self.ground[i] = Ground::Air;
                self.settled -= 1;
            }
        }
    }

    fn flake_count(&self) -> usize {
        let area = f32::from(self.size.width) * f32::from(self.size.height);
        ((area / 25.0 * self.args.density) as usize).clamp(5, 20_000)
    }
}

impl Screen for Snow {
    fn min_size(&self) -> Size {
        Size { width: 10, height: 5 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        self.size = size;
        self.ground = vec![Ground::Air; usize::from(size.width) * usize::from(size.height)];
        self.settled = 0;
        self.thawing = false;
        self.place_text();
        let n = self.flake_count();
        self.flakes = (0..n).map(|_| self.new_flake(rng, true)).collect();
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        let dt = ctx.dt.as_secs_f32().min(0.5);
        self.time += dt;
        let wind = self.wind();
        let mut flakes = std::mem::take(&mut self.flakes);
        for flake in &mut flakes {
            let (speed, drift) = LAYERS[usize::from(flake.layer)];
            let sway = 0.6 * (self.time * 1.3 + flake.phase).sin();
            let dx = (wind + sway) * drift * dt;
            let target = flake.y + speed * dt;
            // Cell by cell, so no flake skips over a ledge.
            let mut alive = true;
            while alive && target.floor() > flake.y.floor() {
                let step = dx / (speed * dt).max(1.0);
                alive = self.fall(flake, step, ctx.rng);
            }
            if alive {
                flake.y = target;
                flake.x = (flake.x + dx).rem_euclid(f32::from(self.size.width));
            } else {
                *flake = self.new_flake(ctx.rng, false);
            }
        }
        self.flakes = flakes;
        let area = self.ground.len();
        if self.settled * 100 > area * 22 {
            self.thawing = true;
        }
        if self.thawing {
            self.thaw(dt, ctx.rng);
            self.thawing = self.settled * 100 > area * 2;
        }
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let color = paint::has_color(theme.depth);
        let w = usize::from(self.size.width);
        let white = Color::Rgb(245, 248, 255);
        // Far flakes first: nearer ones and the landscape are drawn over them.
        let flake_styles = [
            ('.', Style::fg(Color::Rgb(120, 130, 150))),
            ('•', Style::fg(Color::Rgb(190, 200, 215))),
            ('*', Style::fg(white).with_attrs(Attrs::BOLD)),
        ];
        for layer in 0..3u8 {
            for flake in self.flakes.iter().filter(|f| f.layer == layer) {
                if flake.y < 0.0 {
                    continue;
                }
                let (ch, style) = flake_styles[usize::from(layer)];
                let style = if color { style } else { Style::default() };
                buf.put_char(flake.x as u16, flake.y as u16, ch, style);
            }
        }
        for (i, cell) in self.ground.iter().enumerate() {
            let (x, y) = ((i % w) as u16, (i / w) as u16);
            let fill = match cell {
                Ground::Air => continue,
                Ground::Letter => theme.primary,
                Ground::Snow => white,
            };
            if color {
                buf.put_char(x, y, ' ', Style { bg: fill, ..Style::default() });
            } else {
                buf.put_char(x, y, if *cell == Ground::Snow { '▒' } else { '█' }, Style::default());
            }
        }
    }

    fn frame_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(66)
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use crate::saver::kit::testing::{args, run_frames};

    fn snow(list: &[&str], w: u16, h: u16, frames: u32) -> (Snow, Buffer) {
        let mut s = build(args("snow", list)).expect("valid");
        let buf = run_frames(&mut s, Size { width: w, height: h }, frames, 0.066, 3);
        (s, buf)
    }

    #[test]
    fn snow_piles_up_on_the_ground() {
        let (s, _) = snow(&["-d", "4"], 40, 12, 300);
        let w = 40;
        let bottom = (0..w).filter(|&x| s.ground[11 * w + x] == Ground::Snow).count();
        assert!(bottom > 8, "the ground whitens: {bottom}");
        // Settled snow always rests on something: the ground, a letter or more snow.
        for (i, cell) in s.ground.iter().enumerate() {
            if *cell == Ground::Snow {
                let (x, y) = ((i % w) as i32, (i / w) as i32);
                assert!(s.solid(x, y + 1), "floating snow at ({x},{y})");
            }
        }
    }

    #[test]
    fn snow_settles_on_the_tops_of_the_letters() {
        let (s, buf) = snow(&["-t", "HI", "-d", "5", "-g", "0", "-w", "0"], 40, 14, 400);
        let w = 40;
        let letters: Vec<usize> = (0..s.ground.len()).filter(|&i| s.ground[i] == Ground::Letter).collect();
        assert!(!letters.is_empty());
        let top = letters.iter().map(|i| i / w).min().unwrap_or(0);
        let on_top = (0..w).filter(|&x| {
            top > 0 && s.ground[(top - 1) * w + x] == Ground::Snow && s.ground[top * w + x] == Ground::Letter
        });
        assert!(on_top.count() >= 4, "{}", buf.to_text());
    }

    #[test]
    fn layers_fall_at_their_own_speeds() {
        assert!(LAYERS[0].0 < LAYERS[1].0 && LAYERS[1].0 < LAYERS[2].0);
        let (s, buf) = snow(&[], 60, 20, 20);
        let text = buf.to_text();
        assert!(text.contains('*') && text.contains('.'), "{text}");
        assert!((0..3).all(|l| s.flakes.iter().any(|f| f.layer == l)));
    }

    #[test]
    fn it_thaws_when_deep() {
        let (mut s, _) = snow(&["-d", "5"], 20, 8, 1);
        for cell in s.ground.iter_mut().skip(20 * 4) {
            *cell = Ground::Snow;
        }
        s.settled = 80;
        let _ = run_frames(&mut s, Size { width: 20, height: 8 }, 0, 0.066, 3);
        s.ground.iter_mut().skip(20 * 4).for_each(|c| *c = Ground::Snow);
        s.settled = 80;
        let mut rng = <StdRng as rand::SeedableRng>::seed_from_u64(2);
        let now = chrono::NaiveDateTime::default();
        for _ in 0..200 {
            let dt = std::time::Duration::from_millis(66);
            let mut ctx = Ctx { rng: &mut rng, dt, elapsed: dt, now, depth: crate::saver::kit::color::Depth::TrueColor };
            s.update(&mut ctx);
        }
        assert!(s.settled < 40, "{}", s.settled);
    }

    #[test]
    fn long_text_is_wrapped_to_fit() {
        let lines = lines_fitting("happy new year to everyone", 50);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| bigfont::render(l)[0].len() <= 50), "{lines:?}");
        let (s, _) = snow(&["-t", "happy new year to everyone"], 40, 20, 1);
        assert!(s.ground.iter().filter(|&&g| g == Ground::Letter).count() > 50);
    }

    #[test]
    fn bad_options() {
        let long = "x".repeat(61);
        for bad in [&["-w", "9"][..], &["-g", "4"], &["-d", "0"], &["-t", &long]] {
            assert!(crate::saver::kit::testing::refused("snow", bad, build), "{bad:?}");
        }
    }
}
