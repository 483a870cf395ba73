//! `pipes`: pipes that grow across the screen, turning at random, until the screen is full
//! enough to start over (the idea of pipes.sh, written here from scratch).
//!
//! Each pipe is a head moving one cell per step. The cell it leaves gets the glyph that joins
//! the side it came in by and the side it goes out by, so turns are drawn as corners. A pipe
//! never steps off the screen: at an edge it turns, so no pipe is ever cut by the border and
//! every joint connects to a cell inside. Only the new cells change from frame to frame, which
//! makes this one of the cheapest screens on the wire. A run starts with several pipes already
//! grown (a sixth of the way to `--reset`), so the screen looks like itself from the first frame.

use clap::{Parser, ValueEnum};
use rand::Rng;
use rand::rngs::StdRng;

use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Color, Style};
use crate::saver::kit::color::{self, Depth};
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver pipes                        three pipes in line-drawing characters
  fun saver pipes -p 8 -t heavy -t rounded   eight pipes, heavy and rounded ones
  fun saver pipes -R -s 0.95             rainbow pipes that rarely turn
  fun saver pipes -P neon --rate 80      neon colours, fast
  fun saver pipes -t ascii               plain ASCII (for any terminal)";

/// Pipes that grow and turn until the screen fills up, then start over.
#[derive(Debug, Parser)]
#[command(name = "fun saver pipes", after_help = EXAMPLES)]
pub(crate) struct PipesArgs {
    /// How many pipes grow at once (1-64).
    #[arg(short, long, default_value_t = 3, value_name = "N", value_parser = values::within(1u8, 64))]
    pub(crate) pipes: u8,

    /// Pipe style; repeat to mix styles (each pipe takes the next one).
    #[arg(short = 't', long = "type", value_enum, default_value = "line")]
    pub(crate) styles: Vec<PipeStyle>,

    /// Chance of going straight at each step (0-1; the rest are turns).
    #[arg(short, long, default_value_t = 0.85, value_name = "0-1", value_parser = values::within(0.0f32, 1.0))]
    pub(crate) straight: f32,

    /// Start over once this fraction of the screen is covered (0.05-1).
    #[arg(short, long, default_value_t = 0.6, value_name = "RATIO", value_parser = values::within(0.05f32, 1.0))]
    pub(crate) reset: f32,

    /// Colours: classic, neon, pastel or theme (the --theme colours).
    #[arg(short = 'P', long, value_enum, default_value = "classic")]
    pub(crate) palette: Palette,

    /// Rainbow: the colour of each pipe shifts as it grows.
    #[arg(short = 'R', long)]
    pub(crate) rainbow: bool,

    /// Cells each pipe grows per second (1-500).
    #[arg(long, default_value_t = 30.0, value_name = "CELLS/S", value_parser = values::within(1.0f32, 500.0))]
    pub(crate) rate: f32,
}

/// Pipe glyph sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PipeStyle {
    /// Light box drawing: ─ │ ┌ ┐ └ ┘.
    Line,
    /// Rounded corners: ╭ ╮ ╰ ╯.
    Rounded,
    /// Heavy lines: ━ ┃ ┏ ┓ ┗ ┛.
    Heavy,
    /// Double lines: ═ ║ ╔ ╗ ╚ ╝.
    Double,
    /// ASCII: - | +.
    Ascii,
}

/// Colour palettes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Palette {
    Classic,
    Neon,
    Pastel,
    Theme,
}

const CLASSIC: &[(u8, u8, u8)] = &[
    (220, 50, 47),
    (40, 200, 64),
    (230, 200, 40),
    (60, 110, 255),
    (200, 70, 210),
    (40, 200, 210),
    (225, 225, 225),
];
const NEON: &[(u8, u8, u8)] =
    &[(255, 20, 147), (0, 191, 255), (57, 255, 20), (255, 140, 0), (191, 64, 255), (0, 255, 200)];
const PASTEL: &[(u8, u8, u8)] =
    &[(255, 179, 186), (255, 223, 186), (255, 255, 186), (186, 255, 201), (186, 225, 255)];

/// Directions: up, right, down, left (bit i of a joint mask is direction i).
const STEPS: [(i32, i32); 4] = [(0, -1), (1, 0), (0, 1), (-1, 0)];
const UP: u8 = 1;
const RIGHT: u8 = 2;
const DOWN: u8 = 4;
const LEFT: u8 = 8;

fn opposite(dir: u8) -> u8 {
    (dir + 2) % 4
}

/// The glyph joining the sides in `mask` (two bits) in `style`.
fn glyph(style: PipeStyle, mask: u8) -> char {
    let set: [char; 6] = match style {
        PipeStyle::Line => ['─', '│', '┌', '┐', '└', '┘'],
        PipeStyle::Rounded => ['─', '│', '╭', '╮', '╰', '╯'],
        PipeStyle::Heavy => ['━', '┃', '┏', '┓', '┗', '┛'],
        PipeStyle::Double => ['═', '║', '╔', '╗', '╚', '╝'],
        PipeStyle::Ascii => ['-', '|', '+', '+', '+', '+'],
    };
    match mask {
        m if m == LEFT | RIGHT => set[0],
        m if m == UP | DOWN => set[1],
        m if m == DOWN | RIGHT => set[2],
        m if m == DOWN | LEFT => set[3],
        m if m == UP | RIGHT => set[4],
        _ => set[5],
    }
}

/// How a cell is coloured: a palette entry (resolved at draw time, so themes apply) or a hue.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ink {
    Palette(u8),
    Hue(f32),
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Joint {
    mask: u8,
    style: PipeStyle,
    ink: Ink,
}

#[derive(Clone, Debug)]
struct Pipe {
    x: i32,
    y: i32,
    /// The direction the head is moving in; `None` before its first step.
    dir: Option<u8>,
    style: PipeStyle,
    ink: Ink,
    /// Cells left before the pipe starts again elsewhere.
    left: u32,
}

/// The pipes screen.
pub(crate) struct Pipes {
    args: PipesArgs,
    size: Size,
    cells: Vec<Option<Joint>>,
    filled: usize,
    pipes: Vec<Pipe>,
    /// Fractional steps carried over between updates.
    debt: f32,
    spawned: usize,
}

/// Builds the screen from its options.
///
/// # Errors
/// Out-of-range numbers.
pub(crate) fn build(args: PipesArgs) -> anyhow::Result<Pipes> {
    Ok(Pipes {
        args,
        size: Size { width: 0, height: 0 },
        cells: Vec::new(),
        filled: 0,
        pipes: Vec::new(),
        debt: 0.0,
        spawned: 0,
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("pipes", "pipes that grow and turn until the screen fills", build)
}

impl Pipes {
    fn palette_len(&self) -> usize {
        match self.args.palette {
            Palette::Classic => CLASSIC.len(),
            Palette::Neon => NEON.len(),
            Palette::Pastel => PASTEL.len(),
            Palette::Theme => 3,
        }
    }

    fn inside(&self, x: i32, y: i32) -> bool {
        x >= 0 && y >= 0 && x < i32::from(self.size.width) && y < i32::from(self.size.height)
    }

    fn new_pipe(&mut self, rng: &mut StdRng) -> Pipe {
        let style = self.args.styles[self.spawned % self.args.styles.len()];
        self.spawned += 1;
        let ink = if self.args.rainbow {
            Ink::Hue(rng.random_range(0.0..360.0))
        } else {
            Ink::Palette(rng.random_range(0..self.palette_len()) as u8)
        };
        // Start away from the edges, so the first cell (drawn straight) joins cells inside.
        Pipe {
            x: rng.random_range(1..i32::from(self.size.width) - 1),
            y: rng.random_range(1..i32::from(self.size.height) - 1),
            dir: None,
            style,
            ink,
            left: rng.random_range(60..400),
        }
    }

    /// The next direction: straight with the --straight chance, otherwise a turn; never off
    /// the screen.
    fn next_dir(&self, pipe: &Pipe, rng: &mut StdRng) -> u8 {
        let current = pipe.dir.unwrap_or_else(|| rng.random_range(0..4));
        let turn = if rng.random_bool(0.5) { 1 } else { 3 };
        // Going back is the last resort (only a 1-cell-wide screen needs it).
        let choices = if rng.random::<f32>() < self.args.straight {
            [current, (current + turn) % 4, (current + 4 - turn) % 4, opposite(current)]
        } else {
            [(current + turn) % 4, (current + 4 - turn) % 4, current, opposite(current)]
        };
        choices
            .into_iter()
            .find(|&d| {
                let (dx, dy) = STEPS[usize::from(d)];
                self.inside(pipe.x + dx, pipe.y + dy)
            })
            .unwrap_or(current)
    }

    fn step(&mut self, rng: &mut StdRng) {
        for i in 0..self.pipes.len() {
            let mut pipe = self.pipes[i].clone();
            if pipe.left == 0 {
                pipe = self.new_pipe(rng);
            }
            let out = self.next_dir(&pipe, rng);
            let came_from = opposite(pipe.dir.unwrap_or(out));
            let mask = (1 << came_from) | (1 << out);
            let index = pipe.y as usize * usize::from(self.size.width) + pipe.x as usize;
            if self.cells[index].is_none() {
                self.filled += 1;
            }
            self.cells[index] = Some(Joint { mask, style: pipe.style, ink: pipe.ink });
            let (dx, dy) = STEPS[usize::from(out)];
            pipe.x += dx;
            pipe.y += dy;
            pipe.dir = Some(out);
            pipe.left -= 1;
            if let Ink::Hue(h) = &mut pipe.ink {
                *h = (*h + 3.0) % 360.0;
            }
            self.pipes[i] = pipe;
        }
        let area = usize::from(self.size.width) * usize::from(self.size.height);
        if self.filled as f32 >= self.args.reset * area as f32 {
            self.start_over(rng);
        }
    }

    fn start_over(&mut self, rng: &mut StdRng) {
        self.cells.fill(None);
        self.filled = 0;
        self.pipes = (0..self.args.pipes).map(|_| self.new_pipe(rng)).collect();
    }

    fn color(&self, ink: Ink, theme: &Theme) -> Color {
        let rgb = |(r, g, b): (u8, u8, u8)| Color::Rgb(r, g, b);
        match (ink, self.args.palette) {
            (Ink::Hue(h), _) => color::hue(h),
            (Ink::Palette(i), Palette::Theme) => {
                [theme.primary, theme.accent, theme.text][usize::from(i) % 3]
            }
            (Ink::Palette(i), palette) => {
                let colors = match palette {
                    Palette::Neon => NEON,
                    Palette::Pastel => PASTEL,
                    _ => CLASSIC,
                };
                if theme.depth == Depth::Ansi16 && palette == Palette::Classic {
                    // The terminal's own bright colours, in the classic palette's order.
                    return Color::Indexed([9, 10, 11, 12, 13, 14, 15][usize::from(i) % 7]);
                }
                rgb(colors[usize::from(i) % colors.len()])
            }
        }
    }
}

impl Screen for Pipes {
    fn min_size(&self) -> Size {
        Size { width: 4, height: 3 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        self.size = size;
        self.cells = vec![None; usize::from(size.width) * usize::from(size.height)];
        self.start_over(rng);
        // A head start: grow until a sixth of the way to a reset (bounded by the steps a
        // screenful takes), so the first frame already shows several pipes.
        let area = self.cells.len();
        let target = (self.args.reset * area as f32 / 6.0) as usize;
        let mut budget = area;
        while self.filled < target && budget > 0 {
            self.step(rng);
            budget -= 1;
        }
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.debt += ctx.dt.as_secs_f32().min(0.5) * self.args.rate;
        while self.debt >= 1.0 {
            self.debt -= 1.0;
            self.step(ctx.rng);
        }
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let w = usize::from(self.size.width);
        for (i, cell) in self.cells.iter().enumerate() {
            let Some(joint) = cell else { continue };
            let (x, y) = ((i % w) as u16, (i / w) as u16);
            let style = Style::fg(self.color(joint.ink, theme));
            buf.put_char(x, y, glyph(joint.style, joint.mask), style);
        }
    }

    fn frame_interval(&self) -> std::time::Duration {
        // About one new cell per pipe per frame, at most 30 frames a second.
        std::time::Duration::from_secs_f32((1.0 / self.args.rate).max(1.0 / 30.0))
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use crate::saver::kit::testing::{args, run_frames};

    fn pipes(list: &[&str], w: u16, h: u16, frames: u32) -> (Pipes, Buffer) {
        let mut p = build(args("pipes", list)).expect("valid");
        let buf = run_frames(&mut p, Size { width: w, height: h }, frames, 0.1, 7);
        (p, buf)
    }

    #[test]
    fn every_joint_connects_inside_the_screen() {
        for (w, h) in [(4, 3), (20, 8), (61, 17)] {
            let (p, buf) = pipes(&["-p", "6", "-s", "0.3", "--rate", "200"], w, h, 40);
            for (i, cell) in p.cells.iter().enumerate() {
                let Some(joint) = cell else { continue };
                let (x, y) = ((i % usize::from(w)) as i32, (i / usize::from(w)) as i32);
                assert_eq!(joint.mask.count_ones(), 2);
                for (d, (dx, dy)) in STEPS.iter().enumerate() {
                    if joint.mask & (1 << d) != 0 {
                        assert!(p.inside(x + dx, y + dy), "({x},{y}) points off {w}x{h}");
                    }
                }
            }
            // (A tiny screen may have just started over: an empty frame is right then.)
            if p.filled > 0 {
                assert!(buf.to_text().chars().any(|c| "─│┌┐└┘".contains(c)), "{}", buf.to_text());
            }
        }
    }

    #[test]
    fn it_starts_with_several_pipes_already_grown() {
        let mut p = build(args("pipes", &[])).expect("valid");
        let mut rng = <StdRng as rand::SeedableRng>::seed_from_u64(3);
        p.resize(Size { width: 120, height: 40 }, &mut rng);
        let area = 120 * 40;
        // A sixth of the way to the reset at 60%: 10% of the screen before the first frame.
        assert!(p.filled * 10 >= area, "{} of {area}", p.filled);
        assert!(p.spawned > 3, "more pipes than the three growing: {}", p.spawned);
    }

    #[test]
    fn turns_are_corners_that_join_their_neighbours() {
        let (p, _) = pipes(&["-p", "1", "-s", "0.5", "-r", "1"], 30, 10, 10);
        let w = 30usize;
        // A corner's two sides each lead to a cell that is also part of a pipe (or the head).
        let heads: Vec<(i32, i32)> = p.pipes.iter().map(|q| (q.x, q.y)).collect();
        for (i, cell) in p.cells.iter().enumerate() {
            let Some(joint) = cell else { continue };
            let (x, y) = ((i % w) as i32, (i / w) as i32);
            let joined = STEPS.iter().enumerate().filter(|(d, _)| joint.mask & (1 << d) != 0);
            let linked = joined
                .filter(|(_, (dx, dy))| {
                    let (nx, ny) = (x + dx, y + dy);
                    heads.contains(&(nx, ny)) || p.cells[ny as usize * w + nx as usize].is_some()
                })
                .count();
            assert!(linked >= 1, "isolated joint at ({x},{y})");
        }
    }

    #[test]
    fn styles_mix_and_fill_resets() {
        let (p, buf) = pipes(&["-p", "4", "-t", "heavy", "-t", "ascii", "-r", "0.2"], 30, 10, 60);
        let text = buf.to_text();
        assert!(text.chars().any(|c| "━┃┏┓┗┛".contains(c)), "{text}");
        assert!(text.chars().any(|c| "-|+".contains(c)), "{text}");
        assert!(p.filled < 60, "reset at 20 % of 300 cells, got {}", p.filled);
        assert!(!text.chars().any(|c| "─│┌┐└┘".contains(c)), "{text}");
    }

    #[test]
    fn rainbow_colours_change_along_a_pipe() {
        let (p, _) = pipes(&["-p", "1", "-R", "-r", "1"], 40, 12, 20);
        let hues: Vec<f32> = p
            .cells
            .iter()
            .flatten()
            .filter_map(|j| if let Ink::Hue(h) = j.ink { Some(h) } else { None })
            .collect();
        assert!(hues.len() > 10);
        assert!(hues.windows(2).any(|w| (w[0] - w[1]).abs() > 1.0));
    }

    #[test]
    fn same_seed_same_pipes() {
        let (_, a) = pipes(&[], 30, 10, 30);
        let (_, b) = pipes(&[], 30, 10, 30);
        assert_eq!(a, b);
    }

    #[test]
    fn bad_options() {
        for bad in [&["-p", "0"][..], &["-s", "2"], &["-r", "0"], &["--rate", "0"]] {
            assert!(crate::saver::kit::testing::refused("pipes", bad, build), "{bad:?}");
        }
    }
}
