//! `life`: Conway's Game of Life, and any other "B/S" rule of the same family.
//!
//! The world wraps around the edges (a torus). By default each character cell shows two cells of
//! the world stacked (the upper and lower half blocks), so the world has twice the vertical
//! resolution and its cells are square. Cells are coloured by age: newborns bright, survivors
//! settling into the main colour and the oldest dim. When the world stagnates (dies out, falls
//! into a short cycle, or barely changes any more, e.g. a lone glider crossing an empty world)
//! it is seeded again.
//!
//! Cost: a young soup changes a tenth of its cells every generation, and every changed cell
//! costs bytes and the engine's encoder time, so the defaults (6 generations per second, 15 %
//! of the world alive at seeding, three shades of age) keep it well inside cmatrix's CPU and
//! bytes per second; `-g` and `-d` trade liveliness for cost.

use std::collections::VecDeque;

use clap::Parser;
use rand::Rng;
use rand::rngs::StdRng;

use crate::saver::kit::paint;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Color, Style};
use crate::saver::kit::color::mix;
use crate::saver::kit::values::{self, ValueError};
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver life                     Conway's rules (B3/S23), two cells per character
  fun saver life -r B36/S23          HighLife (with its replicators)
  fun saver life -r B3678/S34678     Day & Night
  fun saver life -g 30 -d 0.5        faster, from a denser soup
  fun saver life --full              one cell per character";

/// Conway's Game of Life (or another B/S rule), coloured by age, reseeding when it stagnates.
#[derive(Debug, Parser)]
#[command(name = "fun saver life", after_help = EXAMPLES)]
pub(crate) struct LifeArgs {
    /// The rule: B then the neighbour counts that give birth, S then those that survive.
    #[arg(short, long, default_value = "B3/S23", value_name = "Bxx/Sxx")]
    pub(crate) rule: String,

    /// Generations per second (1-60); each generation costs bytes on the wire.
    #[arg(short, long, default_value_t = 6.0, value_name = "N", value_parser = values::within(1.0f32, 60.0))]
    pub(crate) gps: f32,

    /// How much of the world is alive after seeding (0.05-0.95).
    #[arg(short, long, default_value_t = 0.15, value_name = "0.05-0.95", value_parser = values::within(0.05f32, 0.95))]
    pub(crate) density: f32,

    /// One world cell per character instead of two (half blocks).
    #[arg(short, long)]
    pub(crate) full: bool,
}

/// A life-like rule: bit n of `birth`/`survive` is set when n live neighbours give birth /
/// keep a cell alive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rule {
    pub(crate) birth: u16,
    pub(crate) survive: u16,
}

impl Rule {
    /// Parses `B3/S23` (case-insensitive; the parts in either order; digits 0-8).
    ///
    /// # Errors
    /// [`ValueError::Format`] naming the expected shape.
    pub(crate) fn parse(text: &str) -> Result<Rule, ValueError> {
        let bad = || ValueError::format("B<digits>/S<digits> such as B3/S23", text);
        if text.len() > 24 {
            return Err(bad());
        }
        let (mut birth, mut survive) = (None, None);
        for part in text.split('/') {
            let mut chars = part.chars();
            let slot = match chars.next().map(|c| c.to_ascii_uppercase()) {
                Some('B') => &mut birth,
                Some('S') => &mut survive,
                _ => return Err(bad()),
            };
            let mut bits = 0u16;
            for c in chars {
                let n = c.to_digit(10).filter(|&n| n <= 8).ok_or_else(bad)?;
                bits |= 1 << n;
            }
            if slot.replace(bits).is_some() {
                return Err(bad());
            }
        }
        match (birth, survive) {
            (Some(birth), Some(survive)) => Ok(Rule { birth, survive }),
            _ => Err(bad()),
        }
    }

    fn next(self, alive: bool, neighbours: u8) -> bool {
        let mask = if alive { self.survive } else { self.birth };
        mask & (1 << neighbours) != 0
    }
}

/// How many recent generations are remembered to spot cycles.
const HISTORY: usize = 64;
/// Generations of near-stillness (or of a repeating cycle) before the world is seeded again.
const PATIENCE: u32 = 60;

/// The world: `age[i]` is 0 for a dead cell, else how many generations it has lived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct World {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) age: Vec<u16>,
}

impl World {
    #[must_use]
    pub(crate) fn new(width: usize, height: usize) -> World {
        World { width, height, age: vec![0; width * height] }
    }

    #[cfg(test)]
    #[must_use]
    pub(crate) fn alive(&self, x: usize, y: usize) -> bool {
        self.age[y * self.width + x] > 0
    }

    /// One generation under `rule`; returns how many cells changed state.
    pub(crate) fn step(&mut self, rule: Rule) -> usize {
        let (w, h) = (self.width, self.height);
        // Plain indexing over a 0/1 copy: this runs over every cell several times a second.
        let alive: Vec<u8> = self.age.iter().map(|&a| u8::from(a > 0)).collect();
        let mut next = vec![0u16; w * h];
        let mut changed = 0;
        for y in 0..h {
            let up = ((y + h - 1) % h) * w;
            let row = y * w;
            let down = ((y + 1) % h) * w;
            for x in 0..w {
                let (l, r) = (if x == 0 { w - 1 } else { x - 1 }, if x + 1 == w { 0 } else { x + 1 });
                let n = alive[up + l]
                    + alive[up + x]
                    + alive[up + r]
                    + alive[row + l]
                    + alive[row + r]
                    + alive[down + l]
                    + alive[down + x]
                    + alive[down + r];
                let age = self.age[row + x];
                let lives = rule.next(age > 0, n);
                next[row + x] = if lives { age.saturating_add(1) } else { 0 };
                changed += usize::from(lives != (age > 0));
            }
        }
        self.age = next;
        changed
    }

    fn fingerprint(&self) -> u64 {
        // FNV-1a over the live cells.
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        for (i, &a) in self.age.iter().enumerate() {
            if a > 0 {
                h = (h ^ i as u64).wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    }
}

/// The life screen.
pub(crate) struct Life {
    args: LifeArgs,
    rule: Rule,
    world: World,
    history: VecDeque<u64>,
    /// Generations the world has looked stagnant in a row.
    stale: u32,
    debt: f32,
    /// How many times the world was seeded (for tests and curiosity).
    pub(crate) seeded: u32,
}

/// Builds the screen from its options.
///
/// # Errors
/// A bad rule or out-of-range numbers.
pub(crate) fn build(args: LifeArgs) -> anyhow::Result<Life> {
    let rule =
        Rule::parse(&args.rule).map_err(|e| values::usage_error(&format!("-r/--rule: {e}")))?;
    Ok(Life {
        args,
        rule,
        world: World::new(0, 0),
        history: VecDeque::new(),
        stale: 0,
        debt: 0.0,
        seeded: 0,
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("life", "Conway's Game of Life (any B/S rule), coloured by age", build)
}

impl Life {
    fn seed(&mut self, rng: &mut StdRng) {
        // One random byte per cell, eight cells per draw (a big world is seeded quickly).
        let threshold = (self.args.density * 256.0) as u16;
        for chunk in self.world.age.chunks_mut(8) {
            let bytes = rng.random::<u64>().to_le_bytes();
            for (age, byte) in chunk.iter_mut().zip(bytes) {
                *age = u16::from(u16::from(byte) < threshold);
            }
        }
        self.history.clear();
        self.stale = 0;
        self.seeded += 1;
    }

    fn generation(&mut self, rng: &mut StdRng) {
        let changed = self.world.step(self.rule);
        let print = self.world.fingerprint();
        let area = self.world.age.len();
        let alive = self.world.age.iter().any(|&a| a > 0);
        let cycling = self.history.contains(&print);
        // Barely anything happens: fewer than 0.3 % of the cells change per generation.
        let still = changed * 1000 < area * 3;
        self.stale = if cycling || still { self.stale + 1 } else { 0 };
        self.history.push_back(print);
        if self.history.len() > HISTORY {
            self.history.pop_front();
        }
        if !alive || self.stale >= PATIENCE {
            self.seed(rng);
        }
    }

    fn age_color(age: u16, theme: &Theme) -> Color {
        // Three shades only: every change of shade is a changed cell on the wire.
        match age {
            1 => mix(theme.accent, theme.primary, 0.3),
            2..=12 => theme.primary,
            _ => mix(theme.primary, theme.dim, 0.6),
        }
    }
}

impl Screen for Life {
    fn min_size(&self) -> Size {
        Size { width: 8, height: 4 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        let rows = if self.args.full { size.height } else { size.height * 2 };
        self.world = World::new(usize::from(size.width), usize::from(rows));
        self.seed(rng);
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.debt += ctx.dt.as_secs_f32().min(1.0) * self.args.gps;
        while self.debt >= 1.0 {
            self.debt -= 1.0;
            self.generation(ctx.rng);
        }
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let w = self.world.width;
        let color = paint::has_color(theme.depth);
        let ink = |age: u16| (age > 0).then(|| Life::age_color(age, theme));
        for y in 0..buf.height() {
            for x in 0..buf.width() {
                let xi = usize::from(x);
                if self.args.full {
                    let age = self.world.age[usize::from(y) * w + xi];
                    if let Some(c) = ink(age) {
                        let style = if color { Style::fg(c) } else { Style::default() };
                        buf.put_char(x, y, '█', style);
                    }
                    continue;
                }
                let top = self.world.age[2 * usize::from(y) * w + xi];
                let bottom = self.world.age[(2 * usize::from(y) + 1) * w + xi];
                if color {
                    paint::half_block(buf, x, y, ink(top), ink(bottom));
                } else {
                    let ch = match (top > 0, bottom > 0) {
                        (true, true) => '█',
                        (true, false) => '▀',
                        (false, true) => '▄',
                        (false, false) => continue,
                    };
                    buf.put_char(x, y, ch, Style::default());
                }
            }
        }
    }

    fn frame_interval(&self) -> std::time::Duration {
        std::time::Duration::from_secs_f32(1.0 / self.args.gps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saver::kit::testing::{args, run_frames};

    fn world(w: usize, h: usize, cells: &[(usize, usize)]) -> World {
        let mut world = World::new(w, h);
        for &(x, y) in cells {
            world.age[y * w + x] = 1;
        }
        world
    }

    fn live(world: &World) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        for y in 0..world.height {
            for x in 0..world.width {
                if world.alive(x, y) {
                    v.push((x, y));
                }
            }
        }
        v
    }

    #[test]
    fn a_glider_moves_one_cell_diagonally_every_four_generations() {
        let conway = Rule::parse("B3/S23").expect("valid");
        let glider = [(1, 0), (2, 1), (0, 2), (1, 2), (2, 2)];
        let mut w = world(10, 10, &glider);
        for _ in 0..4 {
            w.step(conway);
        }
        let moved: Vec<_> = glider.iter().map(|&(x, y)| (x + 1, y + 1)).collect();
        let mut expected = moved.clone();
        expected.sort_by_key(|&(x, y)| (y, x));
        assert_eq!(live(&w), expected);
        // And it wraps around the edges: 40 generations bring it back home on a 10x10 torus.
        for _ in 0..36 {
            w.step(conway);
        }
        let mut home = glider.to_vec();
        home.sort_by_key(|&(x, y)| (y, x));
        assert_eq!(live(&w), home);
    }

    #[test]
    fn blinker_and_block() {
        let conway = Rule::parse("b3/s23").expect("valid");
        let mut w = world(5, 5, &[(1, 2), (2, 2), (3, 2)]);
        w.step(conway);
        assert_eq!(live(&w), vec![(2, 1), (2, 2), (2, 3)]);
        let mut block = world(6, 6, &[(2, 2), (3, 2), (2, 3), (3, 3)]);
        assert_eq!(block.step(conway), 0);
        assert_eq!(block.age[2 * 6 + 2], 2, "survivors age");
    }

    #[test]
    fn rules_parse_and_differ() {
        let high = Rule::parse("B36/S23").expect("valid");
        assert_eq!(high, Rule { birth: 1 << 3 | 1 << 6, survive: 1 << 2 | 1 << 3 });
        assert_eq!(Rule::parse("S23/B3"), Rule::parse("B3/S23"));
        assert!(Rule::parse("B/S").is_ok(), "empty sets are a valid (dull) rule");
        for bad in ["", "B3", "B9/S23", "X3/S2", "B3/S2/B4", "B3/S2x", &"B3".repeat(20)] {
            assert!(Rule::parse(bad).is_err(), "{bad:?}");
        }
        // Six neighbours: born under HighLife, not under Conway.
        assert!(high.next(false, 6));
        assert!(!Rule::parse("B3/S23").expect("valid").next(false, 6));
    }

    #[test]
    fn stagnant_worlds_are_seeded_again() {
        let mut life = build(args("life", &["-g", "60"])).expect("valid");
        let _ = run_frames(&mut life, Size { width: 20, height: 8 }, 0, 0.1, 1);
        // Replace the soup by a lone blinker: a two-generation cycle.
        life.world = world(20, 16, &[(5, 5), (6, 5), (7, 5)]);
        life.history.clear();
        let mut rng = <StdRng as rand::SeedableRng>::seed_from_u64(3);
        let before = life.seeded;
        for _ in 0..=PATIENCE + 2 {
            life.generation(&mut rng);
        }
        assert_eq!(life.seeded, before + 1);
        assert!(live(&life.world).len() > 10, "a fresh soup: {}", live(&life.world).len());
    }

    #[test]
    fn half_blocks_show_two_cells_per_character() {
        let mut life = build(args("life", &[])).expect("valid");
        let buf = run_frames(&mut life, Size { width: 30, height: 10 }, 0, 0.1, 2);
        assert_eq!(life.world.height, 20);
        for y in 0..10u16 {
            for x in 0..30u16 {
                let top = life.world.alive(usize::from(x), 2 * usize::from(y));
                let bottom = life.world.alive(usize::from(x), 2 * usize::from(y) + 1);
                let ch = buf.get(x, y).expect("cell").ch;
                let expected = match (top, bottom) {
                    (true, true) => ' ', // a background-coloured space
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                };
                assert_eq!(ch, expected, "({x},{y})");
            }
        }
    }

    #[test]
    fn newborns_are_bright() {
        let mut life = build(args("life", &["--full"])).expect("valid");
        let buf = run_frames(&mut life, Size { width: 30, height: 10 }, 3, 0.1, 2);
        let theme = Theme::default();
        let i = life.world.age.iter().position(|&a| a == 1).expect("a newborn");
        let cell = buf.get((i % 30) as u16, (i / 30) as u16).expect("cell");
        assert_eq!((cell.ch, cell.style.fg), ('█', Life::age_color(1, &theme)));
        assert_ne!(Life::age_color(1, &theme), Life::age_color(30, &theme));
    }

    #[test]
    fn bad_options() {
        for bad in [&["-r", "B3"][..], &["-g", "0"], &["-d", "1"]] {
            assert!(crate::saver::kit::testing::refused("life", bad, build), "{bad:?}");
        }
    }
}
