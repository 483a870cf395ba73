//! `plasma`: the demoscene plasma, a sum of slowly moving sine waves seen through a cyclic
//! colour palette.
//!
//! The field is four waves: two along the axes, one diagonal and one ring around a point that
//! wanders; their sum, scaled to 0..1, indexes a palette that wraps around (so colours flow
//! without a seam). Cells are background-coloured spaces. Without colour the same field is shown
//! as characters by brightness (a triangle of the field, so the characters flow too).
//!
//! Calm by default: the palette is the theme's own colour in many close shades (dark, dim, main,
//! light and back: the green theme gives shades of green), flowing slowly; `--palette` picks a
//! named one. With 256 colours many steps fall on the same palette entry, so each cell is an
//! upper half block whose two pixels are an ordered dither (a 2x2 matrix over the half-pixels)
//! of its step's entry and the next step's, by how far along the run of equal entries it is. With 16 colours there are too few colours for
//! close steps, so the steps between
//! two neighbouring colours of the palette are dithered with the shade characters `░▒▓`
//! (foreground the next colour over the background of this one).
//!
//! Cost: every cell of the screen is part of the picture, so the budget is met by showing the
//! field in a limited number of levels (`--levels`, 16 by default) with hysteresis (a cell is
//! repainted only once the field has moved well past its level), by a slow flow and a frame rate
//! of 8 per second (the motion is slow, so more frames would only cost bytes), and by one-byte
//! cells with one colour selection per level and frame (the engine's style groups). With 16
//! colours the palette has only as many entries as the terminal has suitable colours.

use clap::{Parser, ValueEnum};
use rand::Rng;
use rand::rngs::StdRng;

use crate::saver::kit::paint;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Color, Style};
use crate::saver::kit::color::{self, Depth};
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver plasma                     calm shades of the theme's colour
  fun saver plasma --theme ice         shades of cold blue
  fun saver plasma -p ocean -f 0.5     deep blues, flowing slowly
  fun saver plasma -p rainbow -f 2     the full rainbow, faster
  fun saver plasma --color-depth none  characters by brightness
  fun saver plasma -l 32 --fps 15      smoother (more bytes per second)";

/// A truecolor plasma that degrades to 256 and 16 colours and to characters.
#[derive(Debug, Parser)]
#[command(name = "fun saver plasma", after_help = EXAMPLES)]
pub(crate) struct PlasmaArgs {
    /// Palette: theme (shades of the theme's colour), aurora, ocean, fire, sunset, candy or
    /// rainbow.
    #[arg(short, long, value_enum, default_value = "theme", value_name = "NAME")]
    pub(crate) palette: PlasmaPalette,

    /// How fast the plasma flows (0.1-5).
    #[arg(short, long, default_value_t = 1.0, value_name = "0.1-5", value_parser = values::within(0.1f32, 5.0))]
    pub(crate) flow: f32,

    /// Colour levels shown (4-64); more is smoother and costs more bytes.
    #[arg(short, long, default_value_t = 32, value_name = "4-64", value_parser = values::within(4u8, 64))]
    pub(crate) levels: u8,

    /// Size of the waves (0.2-5; larger is broader).
    #[arg(short, long, default_value_t = 1.0, value_name = "0.2-5", value_parser = values::within(0.2f32, 5.0))]
    pub(crate) zoom: f32,
}

/// Palettes (all wrap around: the last colour leads back to the first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlasmaPalette {
    /// Shades of the theme's colour, dark to light and back.
    Theme,
    /// Greens, teals and violets.
    Aurora,
    /// Deep blues to foam.
    Ocean,
    /// Embers to yellow flame.
    Fire,
    /// Purple dusk, rose and gold.
    Sunset,
    /// Pink, cream, sky and lilac.
    Candy,
    /// Every hue.
    Rainbow,
}

/// The shade characters of the 16-colour dither, from none of the next colour to most of it.
const DITHER: [char; 4] = [' ', '░', '▒', '▓'];

/// The plasma screen.
pub(crate) struct Plasma {
    args: PlasmaArgs,
    size: Size,
    time: f32,
    /// Random phases, so every run (seed) has its own plasma.
    phases: [f32; 4],
    /// The level each cell shows (see the module comment on hysteresis).
    shown: Vec<u8>,
    /// `shown` is still blank after a resize: its first levels depend on the colour depth,
    /// which comes with the next update (or, drawn before one, with the theme).
    fresh: bool,
}

/// Builds the screen from its options.
///
/// # Errors
/// Out-of-range numbers.
pub(crate) fn build(args: PlasmaArgs) -> anyhow::Result<Plasma> {
    Ok(Plasma {
        args,
        size: Size { width: 0, height: 0 },
        time: 0.0,
        phases: [0.0; 4],
        shown: Vec::new(),
        fresh: false,
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("plasma", "a flowing colour plasma (characters without colour)", build)
}

impl Plasma {
    /// The field at a cell, in 0..1.
    fn field(&self, x: f32, y: f32) -> f32 {
        let t = self.time;
        let [a, b, c, d] = self.phases;
        // Cells are about twice as tall as wide: count rows double so waves are round.
        let (x, y) = (x / (8.0 * self.args.zoom), 2.0 * y / (8.0 * self.args.zoom));
        let (cx, cy) = (5.0 + 4.0 * (t * 0.13 + a).sin(), 3.0 + 3.0 * (t * 0.17 + b).cos());
        let v = (x + t * 0.5 + c).sin()
            + (y * 0.8 - t * 0.4 + d).sin()
            + ((x + y) * 0.6 + t * 0.3).sin()
            + ((x - cx).hypot(y - cy) * 1.2 - t * 0.6).sin();
        (v + 4.0) / 8.0
    }

    /// Palette length for this depth (16 colours get a short palette of their own).
    fn palette_len(&self, depth: Depth) -> usize {
        if depth == Depth::Ansi16 {
            DITHER.len() * self.ring_16().len()
        } else {
            usize::from(self.args.levels)
        }
    }

    /// Moves the levels in `shown` towards the field now.
    fn recompute(&self, shown: &mut [u8], depth: Depth) {
        let w = usize::from(self.size.width);
        let levels = self.palette_len(depth) as f32;
        for (i, shown) in shown.iter_mut().enumerate() {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            // The field is scaled so the palette wraps about once and a half across its range
            // (broad, calm bands).
            let v = (self.field(x, y) * 1.5).fract() * levels;
            let level = f32::from(*shown) + 0.5;
            // Distance around the cycle, so wrapping from the last level to 0 is a small step.
            let mut diff = (v - level).abs();
            diff = diff.min(levels - diff);
            if diff > 0.8 {
                *shown = (v as u8).min(levels as u8 - 1);
            }
        }
    }

    /// The palette's ring of 16-colour indices (dithered between neighbours).
    fn ring_16(&self) -> &'static [u8] {
        match self.args.palette {
            PlasmaPalette::Fire => &[0, 1, 9, 11, 9, 1],
            PlasmaPalette::Ocean => &[0, 4, 12, 14, 12, 4],
            PlasmaPalette::Candy => &[13, 15, 14, 5],
            PlasmaPalette::Aurora => &[0, 2, 10, 6, 5, 2],
            PlasmaPalette::Sunset => &[0, 5, 1, 9, 11, 9, 1, 5],
            PlasmaPalette::Rainbow => &[9, 11, 10, 14, 12, 13],
            // Replaced by the theme's own hue in `cell_16`.
            PlasmaPalette::Theme => &[0, 8, 7, 15, 7, 8],
        }
    }

    /// The 16-colour ring of the theme: black, the theme's hue dark, bright, and back.
    fn theme_ring_16(theme: &Theme) -> [u8; 4] {
        let (r, g, b) = color::to_rgb(theme.primary).unwrap_or((0, 205, 60));
        let (index, _) = color::hue_16(r, g, b);
        if index == 0 || index == 7 || index == 8 || index == 15 {
            return [0, 8, 7, 8];
        }
        let dark = if index > 8 { index - 8 } else { index };
        [0, dark, dark + 8, dark]
    }

    /// A cell at 16 colours: a shade character dithering one ring colour into the next.
    fn cell_16(&self, level: u8, theme: &Theme) -> (char, Style) {
        let theme_ring;
        let ring: &[u8] = if self.args.palette == PlasmaPalette::Theme {
            theme_ring = Plasma::theme_ring_16(theme);
            &theme_ring
        } else {
            self.ring_16()
        };
        let (step, shade) = (usize::from(level) / DITHER.len(), usize::from(level) % DITHER.len());
        let here = ring[step % ring.len()];
        let next = ring[(step + 1) % ring.len()];
        let style = Style { fg: Color::Indexed(next), bg: Color::Indexed(here), ..Style::default() };
        (DITHER[shade], style)
    }

    /// The 256-colour dither of every level: consecutive levels that fall on the same palette
    /// entry form a run, and a level's place in its run says how much of the next run's entry
    /// it mixes in (so a dither only ever mixes two neighbouring colours of the palette).
    fn table_256(&self, theme: &Theme) -> Vec<(u8, u8, f32)> {
        let n = self.palette_len(theme.depth);
        let index = |level: usize| {
            let (r, g, b) = color::to_rgb(self.color((level % n) as u8, theme)).unwrap_or((0, 0, 0));
            color::nearest_256(r, g, b)
        };
        let entries: Vec<u8> = (0..n).map(index).collect();
        (0..n)
            .map(|level| {
                let here = entries[level];
                let start = (0..=level).rev().take_while(|&l| entries[l] == here).last().unwrap_or(level);
                let end = (level..n).take_while(|&l| entries[l] == here).last().unwrap_or(level) + 1;
                let next = entries[end % n];
                let place = (level - start) as f32 / (end - start) as f32;
                (here, next, place)
            })
            .collect()
    }

    /// A cell at 256 colours: its level's two entries dithered over its two half-pixels.
    fn cell_256(entry: (u8, u8, f32), x: u16) -> (char, Style) {
        // A 2x2 ordered-dither matrix; the rows are the cell's top and bottom halves.
        const BAYER: [[f32; 2]; 2] = [[0.125, 0.625], [0.875, 0.375]];
        let (here, next, place) = entry;
        let column = usize::from(x % 2);
        let pick = |threshold: f32| if place > threshold { next } else { here };
        let (top, bottom) = (pick(BAYER[0][column]), pick(BAYER[1][column]));
        if top == bottom {
            (' ', Style { bg: Color::Indexed(top), ..Style::default() })
        } else {
            ('▀', Style { fg: Color::Indexed(top), bg: Color::Indexed(bottom), ..Style::default() })
        }
    }

    /// The colour of a level with 256 colours or true colour: a closed loop through the
    /// palette's stops.
    fn color(&self, level: u8, theme: &Theme) -> Color {
        let n = self.palette_len(theme.depth);
        let t = f32::from(level) / n as f32;
        let wave = |stops: &[(u8, u8, u8)]| {
            let pos = t * stops.len() as f32;
            let i = pos as usize % stops.len();
            let j = (i + 1) % stops.len();
            let f = pos.fract();
            let lerp = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * f) as u8;
            let ((r0, g0, b0), (r1, g1, b1)) = (stops[i], stops[j]);
            Color::Rgb(lerp(r0, r1), lerp(g0, g1), lerp(b0, b1))
        };
        match self.args.palette {
            PlasmaPalette::Rainbow => color::hue(t * 360.0),
            PlasmaPalette::Fire => {
                wave(&[(40, 0, 0), (200, 30, 0), (255, 150, 0), (255, 240, 150), (220, 80, 0)])
            }
            PlasmaPalette::Ocean => {
                wave(&[(0, 10, 60), (0, 80, 160), (40, 190, 220), (200, 250, 255), (0, 120, 140)])
            }
            PlasmaPalette::Candy => {
                wave(&[(255, 90, 170), (255, 200, 90), (120, 230, 255), (190, 120, 255)])
            }
            PlasmaPalette::Aurora => wave(&[
                (0, 20, 30),
                (0, 120, 80),
                (60, 220, 140),
                (40, 160, 200),
                (120, 60, 180),
                (20, 40, 80),
            ]),
            PlasmaPalette::Sunset => wave(&[
                (30, 10, 60),
                (120, 30, 110),
                (230, 80, 90),
                (255, 170, 60),
                (250, 220, 140),
                (200, 70, 80),
                (80, 20, 90),
            ]),
            PlasmaPalette::Theme => {
                let base = theme.primary;
                let dark = color::mix(base, Color::Rgb(0, 0, 0), 0.85);
                let dim = color::mix(base, Color::Rgb(0, 0, 0), 0.55);
                let light = color::mix(base, Color::Rgb(255, 255, 255), 0.35);
                let rgb = |c: Color| color::to_rgb(c).unwrap_or((200, 200, 200));
                wave(&[rgb(dark), rgb(dim), rgb(base), rgb(light), rgb(base), rgb(dim)])
            }
        }
    }
}

impl Screen for Plasma {
    fn min_size(&self) -> Size {
        Size { width: 4, height: 2 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        self.size = size;
        if self.phases == [0.0; 4] {
            self.phases = std::array::from_fn(|_| rng.random_range(0.0..std::f32::consts::TAU));
        }
        self.shown = vec![0; usize::from(size.width) * usize::from(size.height)];
        self.fresh = true;
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        let mut shown = std::mem::take(&mut self.shown);
        if std::mem::take(&mut self.fresh) {
            self.recompute(&mut shown, ctx.depth);
        }
        // Slow by default: a band takes several seconds to cross a cell's width of colour.
        self.time += ctx.dt.as_secs_f32().min(1.0) * self.args.flow * 0.35;
        self.recompute(&mut shown, ctx.depth);
        self.shown = shown;
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let w = usize::from(self.size.width);
        let n = self.palette_len(theme.depth) as f32;
        let first;
        let shown = if self.fresh {
            let mut levels = self.shown.clone();
            self.recompute(&mut levels, theme.depth);
            first = levels;
            &first
        } else {
            &self.shown
        };
        let table =
            if theme.depth == Depth::Indexed256 { self.table_256(theme) } else { Vec::new() };
        for (i, &level) in shown.iter().enumerate() {
            let (x, y) = ((i % w) as u16, (i / w) as u16);
            if theme.depth == Depth::Ansi16 {
                let (ch, style) = self.cell_16(level, theme);
                buf.put_char(x, y, ch, style);
            } else if theme.depth == Depth::Indexed256 {
                let (ch, style) = Plasma::cell_256(table[usize::from(level)], x);
                buf.put_char(x, y, ch, style);
            } else if paint::has_color(theme.depth) {
                let style = Style { bg: self.color(level, theme), ..Style::default() };
                buf.put_char(x, y, ' ', style);
            } else {
                // A triangle over the cycle: bright in the middle, dark at both ends.
                let t = f32::from(level) / n;
                buf.put_char(x, y, paint::ramp_char(1.0 - (2.0 * t - 1.0).abs()), Style::default());
            }
        }
    }

    fn frame_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(125)
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use crate::saver::kit::testing::{args, run_frames_at};

    fn plasma(list: &[&str], depth: Depth, frames: u32) -> (Plasma, Buffer) {
        let mut p = build(args("plasma", list)).expect("valid");
        let buf = run_frames_at(&mut p, Size { width: 48, height: 16 }, (frames, 0.125, 4), depth);
        (p, buf)
    }

    #[test]
    fn fills_the_screen_with_a_smooth_palette() {
        let (p, buf) = plasma(&[], Depth::TrueColor, 5);
        let mut colours = std::collections::HashSet::new();
        for y in 0..16 {
            for x in 0..48 {
                let cell = buf.get(x, y).expect("cell");
                assert_eq!(cell.ch, ' ');
                assert_ne!(cell.style.bg, Color::Reset, "({x},{y}) unpainted");
                colours.insert(cell.style.bg);
            }
        }
        assert!(colours.len() >= 8, "{}", colours.len());
        assert!(colours.len() <= usize::from(p.args.levels));
        // Neighbours are close on the palette cycle (a smooth field, not noise).
        let mut jumps = 0;
        for i in 1..p.shown.len() {
            let d = p.shown[i].abs_diff(p.shown[i - 1]);
            jumps += usize::from(d > 6 && d < 26);
        }
        assert!(jumps < p.shown.len() / 10, "{jumps}");
    }

    #[test]
    fn the_default_follows_the_theme_in_close_shades() {
        let mut p = build(args("plasma", &[])).expect("valid");
        let size = Size { width: 48, height: 16 };
        let mut buf = Buffer::new(48, 16);
        let mut rng = rand::SeedableRng::seed_from_u64(4);
        p.resize(size, &mut rng);
        let green = crate::saver::kit::theme::default_theme();
        p.draw(&mut buf.canvas(), &green);
        let mut shades = std::collections::HashSet::new();
        for y in 0..16 {
            for x in 0..48 {
                let bg = buf.get(x, y).expect("cell").style.bg;
                let (r, g, b) = color::to_rgb(bg).expect("painted");
                assert!(g >= r && g >= b, "({x},{y}) {bg:?} is not a shade of green");
                shades.insert(bg);
            }
        }
        assert!(shades.len() >= 16, "many close steps: {}", shades.len());
        // Neighbouring levels are close colours: no step over a quarter of the range.
        for level in 1..32u8 {
            let (a, b) = (p.color(level - 1, &green), p.color(level, &green));
            let (a, b) = (color::to_rgb(a).expect("rgb"), color::to_rgb(b).expect("rgb"));
            assert!(a.1.abs_diff(b.1) < 64, "level {level}: {a:?} -> {b:?}");
        }
    }

    #[test]
    fn sixteen_colours_are_dithered_in_the_theme_hue() {
        let (_, buf) = plasma(&[], Depth::Ansi16, 3);
        let mut shades = std::collections::HashSet::new();
        for y in 0..16 {
            for x in 0..48 {
                let cell = buf.get(x, y).expect("cell");
                shades.insert(cell.ch);
                for c in [cell.style.fg, cell.style.bg] {
                    // Black and the two greens of the default (green) theme only.
                    assert!(matches!(c, Color::Indexed(0 | 2 | 10)), "{c:?}");
                }
            }
        }
        assert!(shades.len() >= 3, "{shades:?}");
    }

    #[test]
    fn at_256_colours_steps_between_cube_levels_are_dithered() {
        let (_, buf) = plasma(&[], Depth::Indexed256, 3);
        let (mut mixed, mut pairs) = (0, std::collections::HashSet::new());
        for y in 0..16 {
            for x in 0..48 {
                let cell = buf.get(x, y).expect("cell");
                assert!(matches!(cell.style.bg, Color::Indexed(i) if i >= 16), "{cell:?}");
                if cell.ch == '▀' {
                    mixed += 1;
                    assert!(matches!(cell.style.fg, Color::Indexed(i) if i >= 16), "{cell:?}");
                }
                pairs.insert((cell.ch, cell.style.fg, cell.style.bg));
            }
        }
        assert!(mixed > 48 * 16 / 4, "{mixed} dithered cells");
        // More distinct looks than the cube has greens on its own.
        assert!(pairs.len() >= 12, "{}", pairs.len());
        // A dither mixes only neighbouring entries of the palette.
        let p = build(args("plasma", &[])).expect("valid");
        let theme = Theme { depth: Depth::Indexed256, ..crate::saver::kit::theme::default_theme() };
        let table = p.table_256(&theme);
        let entries: Vec<u8> = table.iter().map(|e| e.0).collect();
        for (level, (here, next, place)) in table.iter().enumerate() {
            assert!((0.0..1.0).contains(place));
            let mut end = level;
            while end < entries.len() && entries[end] == *here {
                end += 1;
            }
            assert_eq!(*next, entries[end % entries.len()], "{level}: {table:?}");
        }
    }

    #[test]
    fn named_palettes() {
        for name in ["theme", "aurora", "ocean", "fire", "sunset", "candy", "rainbow"] {
            let (_, buf) = plasma(&["-p", name], Depth::TrueColor, 2);
            assert_ne!(buf.get(0, 0).expect("cell").style.bg, Color::Reset, "{name}");
        }
    }

    #[test]
    fn it_flows() {
        let (a, _) = plasma(&[], Depth::TrueColor, 2);
        let (b, _) = plasma(&[], Depth::TrueColor, 40);
        let changed = a.shown.iter().zip(&b.shown).filter(|(x, y)| x != y).count();
        assert!(changed > a.shown.len() / 4, "{changed}");
    }

    #[test]
    fn degrades_to_sixteen_colours_and_to_characters() {
        let (_, sixteen) = plasma(&[], Depth::Ansi16, 3);
        for y in 0..16 {
            for x in 0..48 {
                let bg = sixteen.get(x, y).expect("cell").style.bg;
                assert!(matches!(bg, Color::Indexed(i) if i < 16), "{bg:?}");
            }
        }
        let (_, mono) = plasma(&[], Depth::Mono, 3);
        let text = mono.to_text();
        let kinds: std::collections::HashSet<char> = text.chars().collect();
        assert!(kinds.len() >= 6, "{text}");
        assert!(text.lines().all(|l| l.chars().all(|c| paint::RAMP.contains(&c))), "{text}");
    }

    #[test]
    fn bad_options() {
        for bad in [&["-f", "0"][..], &["-l", "3"], &["-l", "65"], &["-z", "9"]] {
            assert!(crate::saver::kit::testing::refused("plasma", bad, build), "{bad:?}");
        }
    }
}
