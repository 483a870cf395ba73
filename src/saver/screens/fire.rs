//! `fire`: a fire rising from the bottom of the screen (the effect of aafire and cacafire,
//! written here from the idea: heat rises, drifts sideways and cools at random).
//!
//! The model is a heat field in 0..1, one value per cell. The bottom row is the fuel, flickering
//! hot; every other cell takes the heat of a cell below it, shifted sideways by the wind and a
//! random jitter, minus a random cooling step sized so that the flames reach `--height` of the
//! screen. Heat is shown through a heat palette (black, deep red, red, orange, yellow, white),
//! quantised to a few levels: in truecolor and 256 colours a gradient, with 16 colours the
//! terminal's own reds and yellows, and without colour (`NO_COLOR`) characters by brightness.
//!
//! Cost: a full-screen effect changes most of its cells every frame, so the budget is met by
//! the frame rate (10 per second, not cmatrix's 25), by the quantisation with hysteresis (a
//! cell whose level did not change costs nothing), by drawing each cell as a background-coloured
//! space (one byte, and one colour per level per frame through the engine's style groups), and
//! by the flames' height (only the burning part of the screen changes).

use clap::Parser;
use rand::Rng;
use rand::rngs::StdRng;

use crate::saver::kit::paint;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Color, Style};
use crate::saver::kit::color::Depth;
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver fire                      a fire in the lower half of the screen
  fun saver fire -i 1 -H 0.8          a big, hot fire
  fun saver fire -w 0.6               blown to the right
  fun saver fire --chars              drawn with characters, like aafire
  fun saver fire --fps 20             smoother (and more bytes per second)";

/// A rising fire with a heat palette, wind and intensity.
#[derive(Debug, Parser)]
#[command(name = "fun saver fire", after_help = EXAMPLES)]
pub(crate) struct FireArgs {
    /// How hot the fuel burns (0.1-1): a cooler fire flickers lower and has gaps.
    #[arg(short, long, default_value_t = 0.8, value_name = "0.1-1", value_parser = values::within(0.1f32, 1.0))]
    pub(crate) intensity: f32,

    /// Wind (-1 to 1): negative blows the flames left, positive right.
    #[arg(short, long, default_value_t = 0.0, value_name = "-1..1", allow_hyphen_values = true, value_parser = values::within(-1.0f32, 1.0))]
    pub(crate) wind: f32,

    /// How high the flames reach, as a fraction of the screen height (0.1-1).
    #[arg(short = 'H', long, default_value_t = 0.55, value_name = "0.1-1", value_parser = values::within(0.1f32, 1.0))]
    pub(crate) height: f32,

    /// Draw the flames with characters by brightness, even when colours are available.
    #[arg(short, long)]
    pub(crate) chars: bool,
}

/// Heat levels shown (a cell costs bytes only when its level changes).
const LEVELS: usize = 10;

/// The heat palette: ember to white, in RGB.
const HEAT: &[(f32, (u8, u8, u8))] = &[
    (0.0, (20, 0, 0)),
    (0.15, (110, 10, 0)),
    (0.35, (200, 30, 0)),
    (0.55, (250, 110, 0)),
    (0.75, (255, 190, 20)),
    (0.9, (255, 240, 120)),
    (1.0, (255, 255, 230)),
];

/// The same palette in the 16 ANSI colours: red, bright red, yellow, bright yellow, white.
const HEAT16: [u8; 5] = [1, 9, 3, 11, 15];

/// The fire screen.
pub(crate) struct Fire {
    args: FireArgs,
    size: Size,
    heat: Vec<f32>,
    /// Where the fuel is cooler (moving gaps in the flames).
    fuel: Vec<f32>,
    /// The level each cell shows; it changes only when the heat has moved well past it
    /// (hysteresis), so a cell hovering at a level boundary does not flicker and cost bytes.
    shown: Vec<u8>,
    /// How far the cooling texture has scrolled up.
    scroll: u32,
    debt: f32,
}

/// Builds the screen from its options.
///
/// # Errors
/// Out-of-range numbers.
pub(crate) fn build(args: FireArgs) -> anyhow::Result<Fire> {
    Ok(Fire {
        args,
        size: Size { width: 0, height: 0 },
        heat: Vec::new(),
        fuel: Vec::new(),
        shown: Vec::new(),
        scroll: 0,
        debt: 0.0,
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("fire", "a rising fire with a heat palette and wind", build)
}

/// Simulation steps per second (independent of the frame rate).
const STEPS_PER_SECOND: f32 = 24.0;

impl Fire {
    fn step(&mut self, rng: &mut StdRng) {
        let (w, h) = (usize::from(self.size.width), usize::from(self.size.height));
        if w == 0 || h < 2 {
            return;
        }
        // The fuel: slowly wandering cool spots, fewer the more intense the fire.
        for x in 0..w {
            let drift = rng.random_range(-0.08..0.08);
            self.fuel[x] = (self.fuel[x] + drift).clamp(0.0, 1.0);
        }
        let bottom = (h - 1) * w;
        for x in 0..w {
            let hot = self.fuel[x] < 0.35 + 0.6 * self.args.intensity;
            let target = if hot { rng.random_range(0.8..1.0) } else { rng.random_range(0.1..0.4) };
            // The fuel glows rather than sparkles: it moves towards a new heat each step.
            let glow = &mut self.heat[bottom + x];
            *glow += (target - *glow) * 0.3;
        }
        // Each cell averages the heat of the cells below it (which smooths the flames into
        // tongues instead of noise), shifted by the wind, minus a cooling taken from a noise
        // texture that scrolls up with the flames. Cooling per row is sized so the flames fade
        // out at about --height of the screen.
        self.scroll = self.scroll.wrapping_add(1);
        let reach = (self.args.height * h as f32).max(2.0);
        let cool = 1.0 / reach;
        // Wind moves where each cell takes its heat from, by a fraction of a cell per row.
        let drift = self.args.wind * 0.8;
        for y in 0..h - 1 {
            let (below, below2) = ((y + 1) * w, (y + 2).min(h - 1) * w);
            for x in 0..w {
                let c = x as f32 - drift;
                let sample = |row: usize, at: f32| {
                    let at = at.clamp(0.0, (w - 1) as f32);
                    let (i, f) = (at.floor() as usize, at.fract());
                    let j = (i + 1).min(w - 1);
                    self.heat[row + i] * (1.0 - f) + self.heat[row + j] * f
                };
                let sum = sample(below, c - 1.0)
                    + sample(below, c)
                    + sample(below, c + 1.0)
                    + sample(below2, c - drift);
                let texture = paint::hash01(x as u32, (y as u32).wrapping_add(self.scroll), 7);
                let loss = cool * (0.3 + 1.4 * texture);
                self.heat[y * w + x] = (sum / 4.0 - loss).max(0.0);
            }
        }
    }

    fn settle_levels(&mut self) {
        for (shown, &value) in self.shown.iter_mut().zip(&self.heat) {
            let v = value * LEVELS as f32;
            if (v - (f32::from(*shown) + 0.5)).abs() > 0.8 || v < 0.5 {
                *shown = (v as u8).min(LEVELS as u8);
            }
        }
    }

    fn color(level: usize, depth: Depth) -> Color {
        let t = level as f32 / LEVELS as f32;
        if depth == Depth::Ansi16 {
            let i = ((t * HEAT16.len() as f32) as usize).min(HEAT16.len() - 1);
            return Color::Indexed(HEAT16[i]);
        }
        paint::gradient(HEAT, t)
    }
}

impl Screen for Fire {
    fn min_size(&self) -> Size {
        Size { width: 10, height: 5 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        self.size = size;
        self.heat = vec![0.0; usize::from(size.width) * usize::from(size.height)];
        self.fuel = (0..size.width).map(|_| rng.random_range(0.0..1.0)).collect();
        self.shown = vec![0; self.heat.len()];
        // Start burning: simulate a moment so the first frame is not empty (bounded work, so a
        // huge terminal does not delay the first frame).
        let area = usize::from(size.width) * usize::from(size.height);
        let steps = usize::from(size.height).min(200).min(4_000_000 / area.max(1)).max(1);
        for _ in 0..steps {
            self.step(rng);
        }
        self.settle_levels();
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.debt += ctx.dt.as_secs_f32().min(0.5) * STEPS_PER_SECOND;
        while self.debt >= 1.0 {
            self.debt -= 1.0;
            self.step(ctx.rng);
        }
        self.settle_levels();
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let w = usize::from(self.size.width);
        let chars = self.args.chars || !paint::has_color(theme.depth);
        for (i, &level) in self.shown.iter().enumerate() {
            let level = usize::from(level);
            if level == 0 {
                continue;
            }
            let (x, y) = ((i % w) as u16, (i / w) as u16);
            let t = level as f32 / LEVELS as f32;
            if chars {
                let style = if paint::has_color(theme.depth) {
                    Style::fg(Fire::color(level, theme.depth))
                } else {
                    Style::default()
                };
                buf.put_char(x, y, paint::ramp_char(t), style);
            } else {
                buf.put_char(x, y, ' ', Style { bg: Fire::color(level, theme.depth), ..Style::default() });
            }
        }
    }

    fn frame_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(100)
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use crate::saver::kit::testing::{args, run_frames, run_frames_at};

    fn fire(list: &[&str], depth: Depth, w: u16, h: u16) -> (Fire, Buffer) {
        let mut f = build(args("fire", list)).expect("valid");
        let buf = run_frames_at(&mut f, Size { width: w, height: h }, (30, 0.083, 5), depth);
        (f, buf)
    }

    /// Mean heat of each row, top to bottom.
    fn rows(f: &Fire) -> Vec<f32> {
        let w = usize::from(f.size.width);
        f.heat.chunks(w).map(|r| r.iter().sum::<f32>() / w as f32).collect()
    }

    #[test]
    fn heat_rises_from_the_bottom_and_cools() {
        let (f, buf) = fire(&[], Depth::TrueColor, 60, 30);
        let r = rows(&f);
        assert!(r[29] > 0.5, "the fuel burns: {r:?}");
        assert!(r[29] > r[20] && r[20] > r[10], "hotter below: {r:?}");
        assert!(r[0] < 0.02, "the top stays dark: {r:?}");
        // Hot cells are drawn as coloured blocks, the top rows are empty.
        let bottom = buf.get(30, 29).expect("cell");
        assert_ne!(bottom.style.bg, Color::Reset);
        assert!(buf.to_text().lines().next().is_some_and(str::is_empty));
    }

    #[test]
    fn height_bounds_the_flames() {
        let (low, _) = fire(&["-H", "0.2"], Depth::TrueColor, 60, 40);
        let (high, _) = fire(&["-H", "0.9"], Depth::TrueColor, 60, 40);
        let lit = |f: &Fire| rows(f).iter().filter(|&&v| v > 0.05).count();
        assert!(lit(&low) < lit(&high), "{} vs {}", lit(&low), lit(&high));
        assert!(lit(&low) <= 14, "{}", lit(&low));
    }

    #[test]
    fn wind_blows_the_heat_sideways() {
        // One burning spot in the middle; the wind carries its flame to one side.
        let centre = |wind: &str| {
            let mut f = build(args("fire", &["-w", wind, "-i", "0.1", "-H", "1"])).expect("valid");
            let size = Size { width: 60, height: 30 };
            let _ = run_frames(&mut f, size, 0, 0.1, 5);
            f.heat.fill(0.0);
            f.fuel = (0..60).map(|x| if (28..32).contains(&x) { 0.0 } else { 1.0 }).collect();
            let mut rng = <StdRng as rand::SeedableRng>::seed_from_u64(1);
            for _ in 0..40 {
                f.step(&mut rng);
            }
            let (mut mass, mut moment) = (0.0, 0.0);
            for y in 10..20 {
                for x in 0..60 {
                    mass += f.heat[y * 60 + x];
                    moment += f.heat[y * 60 + x] * x as f32;
                }
            }
            moment / mass
        };
        let (left, calm, right) = (centre("-1"), centre("0"), centre("1"));
        assert!(left < calm - 3.0 && right > calm + 3.0, "{left} {calm} {right}");
    }

    #[test]
    fn no_colour_uses_characters_and_sixteen_colours_use_the_ansi_reds() {
        let (_, mono) = fire(&[], Depth::Mono, 40, 20);
        let text = mono.to_text();
        assert!(text.contains('@') || text.contains('%'), "{text}");
        assert!(text.contains('.') || text.contains(':'), "{text}");
        let (_, sixteen) = fire(&[], Depth::Ansi16, 40, 20);
        let bg = sixteen.get(20, 19).expect("cell").style.bg;
        assert!(matches!(bg, Color::Indexed(i) if HEAT16.contains(&i)), "{bg:?}");
    }

    #[test]
    fn bad_options() {
        for bad in [&["-i", "0"][..], &["-w", "2"], &["-H", "1.5"]] {
            assert!(crate::saver::kit::testing::refused("fire", bad, build), "{bad:?}");
        }
    }
}
