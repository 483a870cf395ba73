//! `bonsai`: a tree grows from a pot, branch by branch, and comes into leaf (the idea of
//! cbonsai; the growth rules, the pots and the drawing are our own).
//!
//! Growth is a set of growing tips, each moving one cell per step. The trunk climbs from the
//! pot, thick at the base (three columns on a wide screen, then two, then one), leaning and
//! swaying; as it goes it sends out branches to alternating sides, which grow more sideways
//! than up and send out twigs of their own; near the top the trunk forks into the crown. A
//! branch or twig that ends leaves a cluster of leaves: a rounded clump a few cells across, lit
//! from above (lighter shades on top). The trunk's life is scaled to the window's height, so
//! the tree fills a good part of the screen. Every tip keeps inside the window and off the pot
//! and the message box, and each child has a shorter life than its parent, so a tree always
//! finishes. The same `--seed` grows the same tree.
//!
//! Leaves follow the season (from the date, or `--season`): spring green with pink blossom,
//! summer greens, autumn reds, oranges and golds. A winter tree is bare but full: twice as many
//! fine twigs, snow lying on the branches and in clumps at their ends, snow on the pot.

use clap::{Parser, ValueEnum};
use rand::Rng;
use rand::rngs::StdRng;

use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Attrs, Color, Style};
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver bonsai                      one tree, grown live
  fun saver bonsai -i                   a new tree after each one (-w seconds apart)
  fun saver bonsai -m 'gone fishing'    with a message beside it
  fun saver bonsai -L 60 -M 8           a taller, bushier tree
  fun saver bonsai --season autumn      red and golden leaves
  fun saver bonsai --seed 42            the same tree every time";

/// A bonsai tree that grows branch by branch, with leaves, a pot and a message.
#[derive(Debug, Parser)]
#[command(name = "fun saver bonsai", after_help = EXAMPLES)]
pub(crate) struct BonsaiArgs {
    /// Grow a new tree after each one is done.
    #[arg(short, long)]
    pub(crate) infinite: bool,

    /// Seconds to show a finished tree before the next (with -i; 0-600).
    #[arg(short, long, default_value_t = 4.0, value_name = "SECONDS", value_parser = values::within(0.0f32, 600.0))]
    pub(crate) wait: f32,

    /// Seconds per growth step (0.001-1).
    #[arg(short, long, default_value_t = 0.03, value_name = "SECONDS", value_parser = values::within(0.001f32, 1.0))]
    pub(crate) step: f32,

    /// Life of the trunk, i.e. how big the tree grows (4-200; scaled to the window's height).
    #[arg(short = 'L', long, default_value_t = 32, value_name = "N", value_parser = values::within(4u16, 200))]
    pub(crate) life: u16,

    /// How often branches split (0-20).
    #[arg(short = 'M', long, default_value_t = 5, value_name = "N",
          value_parser = values::within(0u8, 20))]
    pub(crate) multiplier: u8,

    /// Leaf characters, comma-separated (at most 16, one cell wide each).
    #[arg(short = 'c', long, default_value = "&,*,@,%", value_name = "LIST")]
    pub(crate) leaves: String,

    /// A message shown in a box beside the tree (at most 300 characters).
    #[arg(short, long, value_name = "TEXT", value_parser = values::text_up_to(300))]
    pub(crate) message: Option<String>,

    /// Pot: 0 none, 1 a wide bowl on feet, 2 a small pot.
    #[arg(short, long, default_value_t = 1, value_name = "0-2",
          value_parser = values::within(0u8, 2))]
    pub(crate) pot: u8,

    /// Season of the leaves (default: from today's date).
    #[arg(long, value_enum)]
    pub(crate) season: Option<Season>,
}

/// Seasons, for the leaves' colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

impl Season {
    fn of_month(month: u32) -> Season {
        match month {
            3..=5 => Season::Spring,
            6..=8 => Season::Summer,
            9..=11 => Season::Autumn,
            _ => Season::Winter,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Trunk,
    Branch(i32),
    Twig(i32),
}

#[derive(Clone, Copy, Debug)]
struct Tip {
    x: i32,
    y: i32,
    kind: Kind,
    life: i32,
    age: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// Wood: the trunk's shade (0 dark, 1 light) or a branch.
    Wood { trunk: bool, shade: u8 },
    /// A leaf (or a clump of snow), with its shade 0-3 (3 lightest).
    Leaf(u8),
    /// Snow lying on a branch.
    Snow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Mark {
    x: u16,
    y: u16,
    ch: char,
    part: Part,
}

/// A rectangle of cells: x, y, width, height.
type Rect = (i32, i32, i32, i32);

/// The bonsai screen.
pub(crate) struct Bonsai {
    args: BonsaiArgs,
    leaves: Vec<char>,
    season: Season,
    size: Size,
    /// Where the tree may grow (inclusive bounds: left, top, right, bottom).
    area: (i32, i32, i32, i32),
    pot: Option<Rect>,
    message_box: Option<Rect>,
    message_lines: Vec<String>,
    marks: Vec<Mark>,
    tips: Vec<Tip>,
    /// The trunk's life at the start (its thickness tapers with the life left).
    trunk_life: i32,
    /// Rows above the pot (branches' lives scale with it).
    room: i32,
    /// The cells of the trunk (row by row), which leaves and snow never hide.
    trunk_cells: Vec<bool>,
    debt: f32,
    /// Seconds the finished tree has been shown.
    shown_for: f32,
    /// Trees grown so far.
    pub(crate) trees: u32,
}

/// Most growing tips at once (a bound on a tree's size whatever the options).
const MAX_TIPS: usize = 600;

/// Most marks in one tree (wood, leaves, snow): a bound on memory whatever the options.
const MAX_MARKS: usize = 60_000;

/// Builds the screen from its options.
///
/// # Errors
/// Out-of-range numbers, bad leaves, a message that is too long.
pub(crate) fn build(args: BonsaiArgs) -> anyhow::Result<Bonsai> {
    let items: Vec<&str> = args.leaves.split(',').map(str::trim).collect();
    let leaves: Vec<char> = items
        .iter()
        .filter_map(|s| s.chars().next().filter(|_| s.chars().count() == 1))
        .filter(|c| unicode_width::UnicodeWidthChar::width(*c) == Some(1))
        .collect();
    if leaves.len() != items.len() || leaves.is_empty() || leaves.len() > 16 {
        return Err(values::usage_error(
            "-c/--leaves: give 1-16 one-cell characters separated by commas",
        ));
    }
    Ok(Bonsai {
        leaves,
        season: args.season.unwrap_or(Season::Summer),
        args,
        size: Size { width: 0, height: 0 },
        area: (0, 0, 0, 0),
        pot: None,
        message_box: None,
        message_lines: Vec::new(),
        marks: Vec::new(),
        tips: Vec::new(),
        trunk_life: 0,
        room: 0,
        trunk_cells: Vec::new(),
        debt: 0.0,
        shown_for: 0.0,
        trees: 0,
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("bonsai", "a bonsai tree grows branch by branch, in season", build)
}

/// Splits a message into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let word: String = word.chars().filter(|c| !c.is_control()).take(width).collect();
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A percentage chance.
fn chance(rng: &mut StdRng, percent: i32) -> bool {
    rng.random_range(0..100) < percent
}

impl Bonsai {
    fn layout(&mut self) {
        let (w, h) = (i32::from(self.size.width), i32::from(self.size.height));
        let mut right = w - 1;
        self.message_box = None;
        self.message_lines.clear();
        if let Some(message) = &self.args.message {
            let width = (w / 3 - 4).clamp(6, 30) as usize;
            let lines = wrap(message, width);
            let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as i32;
            let (bw, bh) = (longest + 4, lines.len() as i32 + 2);
            if bw < w / 2 && bh < h - 2 {
                let (bx, by) = (w - bw - 1, (h - bh) / 2);
                self.message_box = Some((bx, by, bw, bh));
                self.message_lines = lines;
                right = bx - 2;
            }
        }
        let centre = right / 2;
        // A short window keeps a two-line pot, so the tree has room.
        let (pot_w, pot_h) = match self.args.pot {
            1 => ((right / 3).clamp(11, 45), if h >= 16 { 4 } else { 2 }),
            2 => ((right / 6).clamp(8, 17), if h >= 16 { 3 } else { 2 }),
            _ => (0, 0),
        };
        let bottom = if pot_h > 0 {
            self.pot = Some((centre - pot_w / 2, h - pot_h, pot_w, pot_h));
            h - pot_h - 1
        } else {
            self.pot = None;
            h - 1
        };
        self.area = (0, 0, right.max(1), bottom.max(0));
    }

    fn new_tree(&mut self) {
        self.marks.clear();
        self.trunk_cells = vec![false; usize::from(self.size.width) * usize::from(self.size.height)];
        self.shown_for = 0.0;
        let (left, top, right, bottom) = self.area;
        // The trunk climbs a row a step; at the default life of 32 it stops at about 45% of
        // the room above the pot, and the branches and the crown fill the rest.
        let room = (bottom - top + 1).max(4);
        self.room = room;
        let life = i32::from(self.args.life) * room * 45 / (32 * 100);
        self.trunk_life = life.max(4);
        let base = Tip {
            x: (left + right) / 2,
            // Just below the growing area (on the rim): the first step is the first wood.
            y: bottom + 1,
            kind: Kind::Trunk,
            life: self.trunk_life,
            age: 0,
        };
        self.tips = vec![base];
        self.trees += 1;
    }

    fn inside(&self, x: i32, y: i32) -> bool {
        let (left, top, right, bottom) = self.area;
        x >= left && x <= right && y >= top && y <= bottom
    }

    /// The move of a tip this step: (dx, dy).
    fn direction(&self, tip: &Tip, rng: &mut StdRng) -> (i32, i32) {
        let roll = |rng: &mut StdRng, n: i32| rng.random_range(0..n);
        match tip.kind {
            Kind::Trunk => {
                // Straight up at the base, then leaning now and then.
                let dx = if tip.age < 3 {
                    0
                } else {
                    match roll(rng, 10) {
                        0..=1 => -1,
                        2..=3 => 1,
                        _ => 0,
                    }
                };
                (dx, -1)
            }
            Kind::Branch(side) => {
                let dy = match roll(rng, 10) {
                    0..=3 => -1,
                    4 => 1,
                    _ => 0,
                };
                let dx = match roll(rng, 10) {
                    0 => -side,
                    1..=2 => 0,
                    3..=8 => side,
                    _ => 2 * side,
                };
                (if dx == 0 && dy == 0 { side } else { dx }, dy)
            }
            Kind::Twig(side) => {
                let dx = match roll(rng, 6) {
                    0 => -side,
                    1 => 0,
                    _ => side,
                };
                let dy = if roll(rng, 3) == 0 { 0 } else { -1 };
                (if dx == 0 && dy == 0 { side } else { dx }, dy)
            }
        }
    }

    fn wood_char(kind: Kind, dx: i32, dy: i32) -> char {
        match (dx.signum(), dy.signum()) {
            (_, 0) if matches!(kind, Kind::Twig(_)) => '~',
            (_, 0) => '_',
            (-1, -1) | (1, 1) => '\\',
            (1, -1) | (-1, 1) => '/',
            _ => '|',
        }
    }

    fn mark(&mut self, x: i32, y: i32, ch: char, part: Part) {
        if !self.inside(x, y) || self.marks.len() >= MAX_MARKS {
            return;
        }
        let cell = y as usize * usize::from(self.size.width) + x as usize;
        let trunk = matches!(part, Part::Wood { trunk: true, .. });
        if let Some(slot) = self.trunk_cells.get_mut(cell) {
            if *slot && !trunk {
                // Leaves, snow and twigs never hide the trunk.
                return;
            }
            *slot |= trunk;
        }
        self.marks.push(Mark { x: x as u16, y: y as u16, ch, part });
    }

    /// The trunk's thickness in columns now: 3 (on a wide screen), 2, then 1 as it tapers.
    fn thickness(&self, tip: &Tip) -> i32 {
        let widest = if self.size.width >= 60 { 3 } else { 2 };
        let left = tip.life * 3 / self.trunk_life.max(1);
        (left + 1).min(widest).max(1)
    }

    /// Wood for a tip that moved (dx, dy) to where it is now.
    fn wood(&mut self, tip: &Tip, dx: i32, dy: i32) {
        let ch = Bonsai::wood_char(tip.kind, dx, dy);
        if tip.kind != Kind::Trunk {
            if dx.abs() == 2 {
                // A long sideways step: the branch passes through the cell in between.
                self.mark(tip.x - dx / 2, tip.y, '_', Part::Wood { trunk: false, shade: 0 });
            }
            self.mark(tip.x, tip.y, ch, Part::Wood { trunk: false, shade: 0 });
            return;
        }
        let thick = self.thickness(tip);
        for i in 0..thick {
            // The left column in the shade, the others lit: bark with some roundness.
            let shade = u8::from(i > 0);
            self.mark(tip.x - thick / 2 + i, tip.y, ch, Part::Wood { trunk: true, shade });
        }
    }

    /// A rounded clump of leaves (or of snow in winter) around (x, y), lit from above.
    fn leaf_cluster(&mut self, x: i32, y: i32, size: i32, rng: &mut StdRng) {
        let winter = self.season == Season::Winter;
        let (rx, ry) = if winter { (1 + size, 0) } else { (2 + size, 1 + size / 2) };
        for dy in -ry..=ry {
            for dx in -rx..=rx {
                let (fx, fy) = (dx as f32 / (rx as f32 + 0.5), dy as f32 / (ry as f32 + 0.5));
                let d = fx * fx + fy * fy;
                if d > 1.0 || rng.random_range(0.0..1.0) > 1.1 - d {
                    continue;
                }
                let (ch, shade) = if winter {
                    (['*', '.', '\''][rng.random_range(0..3)], 3)
                } else {
                    let light = if ry == 0 { 1.0 } else { (-dy as f32 / ry as f32 + 1.0) / 2.0 };
                    let shade = (light * 2.5 + rng.random_range(0.0..1.5)) as u8;
                    (self.leaves[rng.random_range(0..self.leaves.len())], shade.min(3))
                };
                self.mark(x + dx, y + dy, ch, Part::Leaf(shade));
            }
        }
    }

    /// Snow lying on the wood just grown (winter): on the cell above it.
    fn snow_on(&mut self, tip: &Tip, rng: &mut StdRng) {
        if self.season == Season::Winter && tip.kind != Kind::Trunk && chance(rng, 45) {
            let ch = ['.', '_', '\''][rng.random_range(0..3)];
            self.mark(tip.x, tip.y - 1, ch, Part::Snow);
        }
    }

    /// The children a tip sends out this step.
    fn offshoots(&self, tip: &Tip, rng: &mut StdRng) -> Vec<Tip> {
        let multiplier = i32::from(self.args.multiplier);
        let winter = self.season == Season::Winter;
        let mut out = Vec::new();
        match tip.kind {
            Kind::Trunk => {
                // Branches: long ones low on the trunk, shorter ones higher up, and at the top
                // the crown, a branch to each side.
                let reach = self.room * i32::from(self.args.life) / 32;
                let low = 60 + 40 * tip.life / self.trunk_life.max(1);
                if tip.age > 2 && tip.life > 1 && chance(rng, 8 + 4 * multiplier) {
                    let side = if tip.age % 2 == 0 { -1 } else { 1 };
                    let life = (reach * low / 100 * rng.random_range(60..100) / 100).max(4);
                    out.push(Tip { kind: Kind::Branch(side), life, age: 0, ..*tip });
                }
                if tip.life == 1 {
                    for side in [-1, 1] {
                        let life = (reach * rng.random_range(50..80) / 100).max(4);
                        out.push(Tip { kind: Kind::Branch(side), life, age: 0, ..*tip });
                    }
                    if tip.age <= self.trunk_life {
                        // The first top forks into two thinner leaders that climb on (their
                        // age keeps them from forking again).
                        let life = (self.trunk_life / 2).max(3);
                        out.push(Tip { x: tip.x - 1, life, ..*tip });
                        out.push(Tip { x: tip.x + 1, life, ..*tip });
                    }
                }
            }
            Kind::Branch(side) => {
                let twiggy = if winter { 16 } else { 8 };
                if tip.age > 1 && chance(rng, twiggy + 2 * multiplier) {
                    let turn = if chance(rng, 70) { side } else { -side };
                    let life = (tip.life * rng.random_range(40..80) / 100).clamp(3, 10);
                    out.push(Tip { kind: Kind::Twig(turn), life, age: 0, ..*tip });
                }
            }
            Kind::Twig(side) => {
                if winter && tip.age > 1 && chance(rng, 15) {
                    out.push(Tip { kind: Kind::Twig(-side), life: tip.life.min(4), age: 0, ..*tip });
                }
            }
        }
        out
    }

    /// Moves a tip one step, turning it back from the edges; false when it cannot move.
    fn advance(&self, tip: &mut Tip, rng: &mut StdRng) -> Option<(i32, i32)> {
        let (mut dx, mut dy) = self.direction(tip, rng);
        if !self.inside(tip.x + dx, tip.y + dy) {
            // Turn back from the edge, or stop climbing at the top.
            dx = if self.inside(tip.x - dx, tip.y) { -dx } else { 0 };
            dy = if self.inside(tip.x + dx, tip.y + dy) { dy } else { 0 };
            if !self.inside(tip.x + dx, tip.y + dy) || (dx == 0 && dy == 0) {
                return None;
            }
        }
        tip.x += dx;
        tip.y += dy;
        tip.life -= 1;
        tip.age += 1;
        Some((dx, dy))
    }

    /// Grows every tip by one cell; returns false when the tree is finished.
    fn grow(&mut self, rng: &mut StdRng) -> bool {
        let tips = std::mem::take(&mut self.tips);
        let mut next = Vec::with_capacity(tips.len());
        for mut tip in tips {
            if tip.life <= 0 {
                let size = if tip.kind == Kind::Trunk { 3 } else { rng.random_range(1..3) };
                self.leaf_cluster(tip.x, tip.y, size, rng);
                continue;
            }
            let Some((dx, dy)) = self.advance(&mut tip, rng) else {
                tip.life = 0;
                next.push(tip);
                continue;
            };
            self.wood(&tip, dx, dy);
            self.snow_on(&tip, rng);
            next.extend(self.offshoots(&tip, rng));
            // Leaves along the twigs and the outer part of the branches, not only at their ends.
            let leafy = match tip.kind {
                Kind::Twig(_) => 35,
                Kind::Branch(_) if tip.life < 8 => 20,
                _ => 0,
            };
            if self.season != Season::Winter && chance(rng, leafy) {
                self.leaf_cluster(tip.x, tip.y - 1, 0, rng);
            }
            next.push(tip);
        }
        next.truncate(MAX_TIPS);
        self.tips = next;
        !self.tips.is_empty()
    }

    fn leaf_color(&self, shade: u8) -> Color {
        let pick = |colors: [(u8, u8, u8); 4]| {
            let (r, g, b) = colors[usize::from(shade) % 4];
            Color::Rgb(r, g, b)
        };
        // Darkest (underneath) to lightest (on top).
        match self.season {
            Season::Spring => pick([(60, 150, 60), (110, 200, 80), (250, 170, 205), (255, 215, 235)]),
            Season::Summer => pick([(20, 110, 35), (40, 155, 50), (80, 195, 60), (150, 225, 90)]),
            Season::Autumn => pick([(150, 50, 25), (210, 90, 20), (235, 150, 30), (250, 205, 70)]),
            Season::Winter => pick([(190, 200, 215), (215, 225, 240), (235, 240, 250), (255, 255, 255)]),
        }
    }

    /// The pot: a rim with soil (or snow), a body, a bottom and feet (pot 1), or a small
    /// three-line pot (pot 2); a short window gets two lines.
    fn draw_pot(&self, buf: &mut Canvas<'_>) {
        let Some((x, y, w, h)) = self.pot else { return };
        let clay = Style::fg(Color::Rgb(200, 110, 40));
        let dark = Style::fg(Color::Rgb(140, 80, 30));
        let soil = if self.season == Season::Winter {
            Style::fg(Color::Rgb(240, 245, 255))
        } else {
            Style::fg(Color::Rgb(120, 80, 30))
        };
        let inner = (w - 2).max(0) as usize;
        let (x, y) = (x.max(0) as u16, y.max(0) as u16);
        let (open, close) = if self.args.pot == 1 { ('(', ')') } else { ('[', ']') };
        buf.put_char(x, y, open, clay);
        buf.put_str(x + 1, y, &"~".repeat(inner), soil);
        buf.put_char(x + 1 + inner as u16, y, close, clay);
        // Each line is one column narrower on each side than the one above.
        let mut row = 1u16;
        if h >= 3 {
            // The body, with a band of glaze dots.
            let n = inner.saturating_sub(2);
            let dot = |i: usize| i > 0 && i + 1 < n && (i as i64 - (n / 2) as i64).rem_euclid(3) == 0;
            let band: String = (0..n).map(|i| if dot(i) { '·' } else { ' ' }).collect();
            buf.put_str(x + 1, y + 1, &format!("\\{band}/"), clay);
            row += 1;
        }
        let bottom = "_".repeat(inner.saturating_sub(2 * usize::from(row)));
        buf.put_str(x + row, y + row, &format!("\\{bottom}/"), clay);
        if h >= 4 {
            // Two feet under the bottom's ends.
            let foot = "╘═╛";
            let gap = " ".repeat((w as usize).saturating_sub(12));
            buf.put_str(x + 3, y + 3, &format!("{foot}{gap}{foot}"), dark);
        }
    }

    fn draw_message(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let Some((x, y, w, h)) = self.message_box else { return };
        let frame = Style::fg(theme.dim);
        let (x, y, w, h) = (x as u16, y as u16, w as u16, h as u16);
        let bar = "─".repeat(usize::from(w - 2));
        buf.put_str(x, y, &format!("╭{bar}╮"), frame);
        buf.put_str(x, y + h - 1, &format!("╰{bar}╯"), frame);
        for row in 1..h - 1 {
            buf.put_char(x, y + row, '│', frame);
            buf.put_char(x + w - 1, y + row, '│', frame);
        }
        for (i, line) in self.message_lines.iter().enumerate() {
            buf.put_str(x + 2, y + 1 + i as u16, line, Style::fg(theme.text));
        }
    }

    fn mark_style(&self, part: Part) -> Style {
        match part {
            Part::Wood { trunk: true, shade } => {
                // Browns whose blue stays near 0, so that 256 colours keep them brown (a blue of 50
                // or more rounds up to the cube's 95 and turns them pink).
                let bark = if shade == 0 { (120, 72, 25) } else { (170, 105, 35) };
                Style::fg(Color::Rgb(bark.0, bark.1, bark.2)).with_attrs(Attrs::BOLD)
            }
            Part::Wood { trunk: false, .. } => {
                let twig = if self.season == Season::Winter { (110, 100, 92) } else { (150, 100, 40) };
                Style::fg(Color::Rgb(twig.0, twig.1, twig.2))
            }
            Part::Leaf(shade) => {
                let style = Style::fg(self.leaf_color(shade));
                if shade == 3 { style.with_attrs(Attrs::BOLD) } else { style }
            }
            Part::Snow => Style::fg(Color::Rgb(245, 248, 255)).with_attrs(Attrs::BOLD),
        }
    }
}

impl Screen for Bonsai {
    /// `--print` shows the tree grown (a few seconds at the default step; bounded by the
    /// engine).
    fn print_after(&self) -> std::time::Duration {
        std::time::Duration::from_secs(600)
    }

    fn finished(&self) -> bool {
        self.tips.is_empty()
    }

    fn min_size(&self) -> Size {
        Size { width: 20, height: 8 }
    }

    fn resize(&mut self, size: Size, _rng: &mut StdRng) {
        self.size = size;
        self.layout();
        self.new_tree();
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        if self.args.season.is_none() {
            self.season = Season::of_month(chrono::Datelike::month(&ctx.now));
        }
        let dt = ctx.dt.as_secs_f32().min(1.0);
        if self.tips.is_empty() {
            self.shown_for += dt;
            if self.args.infinite && self.shown_for >= self.args.wait {
                self.new_tree();
            }
            return;
        }
        self.debt += dt / self.args.step;
        let mut budget = 2000;
        while self.debt >= 1.0 && budget > 0 {
            self.debt -= 1.0;
            budget -= 1;
            if !self.grow(ctx.rng) {
                self.debt = 0.0;
                break;
            }
        }
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        for mark in &self.marks {
            buf.put_char(mark.x, mark.y, mark.ch, self.mark_style(mark.part));
        }
        self.draw_pot(buf);
        self.draw_message(buf, theme);
    }

    fn frame_interval(&self) -> std::time::Duration {
        if self.tips.is_empty() {
            // Finished: nothing moves until the next tree.
            return std::time::Duration::from_millis(250);
        }
        std::time::Duration::from_secs_f32(self.args.step.max(1.0 / 30.0))
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use crate::saver::kit::testing::{args, run_frames};

    fn grown(list: &[&str], w: u16, h: u16, seed: u64) -> (Bonsai, Buffer) {
        let mut b = build(args("bonsai", list)).expect("valid");
        let buf = run_frames(&mut b, Size { width: w, height: h }, 400, 0.05, seed);
        (b, buf)
    }

    fn overlaps(rect: Option<Rect>, x: u16, y: u16) -> bool {
        rect.is_some_and(|(rx, ry, rw, rh)| {
            let (x, y) = (i32::from(x), i32::from(y));
            x >= rx && x < rx + rw && y >= ry && y < ry + rh
        })
    }

    #[test]
    fn the_tree_stays_inside_the_window_and_off_the_pot_and_the_message() {
        for (w, h, seed) in [(20, 8, 1), (40, 15, 2), (80, 24, 3), (200, 60, 4), (31, 40, 5)] {
            let list = ["-L", "80", "-M", "12", "-m", "a message for the box beside the tree"];
            let (b, _) = grown(&list, w, h, seed);
            assert!(b.tips.is_empty(), "finished at {w}x{h}");
            assert!(b.marks.len() > 5, "a tree grew at {w}x{h}");
            for m in &b.marks {
                assert!(m.x < w && m.y < h, "({},{}) outside {w}x{h}", m.x, m.y);
                assert!(!overlaps(b.pot, m.x, m.y), "on the pot at {w}x{h}");
                assert!(!overlaps(b.message_box, m.x, m.y), "on the message at {w}x{h}");
            }
        }
    }

    #[test]
    fn it_grows_up_from_the_pot_with_leaves() {
        let (b, buf) = grown(&["--season", "summer"], 60, 20, 7);
        let (px, py, pw, _) = b.pot.expect("a pot");
        let text = buf.to_text();
        let rows: Vec<&str> = text.lines().collect();
        assert!(rows[py as usize].contains("(~~"), "{text}");
        // The trunk starts just above the middle of the pot.
        let base = b.marks.first().expect("wood");
        assert!((i32::from(base.x) - (px + pw / 2)).abs() <= 2, "{text}");
        assert_eq!(i32::from(base.y), py - 1, "{text}");
        assert!(text.chars().filter(|c| "&*@%".contains(*c)).count() > 10, "{text}");
        assert!(b.marks.iter().map(|m| m.y).min() < Some(10), "it grows up: {text}");
    }

    /// The cells of each part of a grown tree: (wood, trunk, leaves, snow), and the tree's
    /// bounding box (width, height).
    fn census(b: &Bonsai) -> ([usize; 4], (u16, u16)) {
        let mut cells = std::collections::HashMap::new();
        for m in &b.marks {
            cells.insert((m.x, m.y), m.part);
        }
        let mut counts = [0; 4];
        for part in cells.values() {
            let i = match part {
                Part::Wood { trunk: false, .. } => 0,
                Part::Wood { trunk: true, .. } => 1,
                Part::Leaf(_) => 2,
                Part::Snow => 3,
            };
            counts[i] += 1;
        }
        let xs = cells.keys().map(|k| k.0);
        let ys = cells.keys().map(|k| k.1);
        let (x0, x1) = (xs.clone().min().unwrap_or(0), xs.max().unwrap_or(0));
        let (y0, y1) = (ys.clone().min().unwrap_or(0), ys.max().unwrap_or(0));
        (counts, (x1 - x0 + 1, y1 - y0 + 1))
    }

    #[test]
    fn a_dense_leafy_tree_fills_a_good_part_of_the_screen() {
        for seed in [1, 2, 3] {
            let (b, buf) = grown(&["--season", "summer"], 120, 40, seed);
            let ([wood, trunk, leaves, _], (w, h)) = census(&b);
            let text = buf.to_text();
            assert!(leaves > 400, "seed {seed}: {leaves} leaves\n{text}");
            assert!(wood > 60 && trunk > 30, "seed {seed}: wood {wood}, trunk {trunk}\n{text}");
            assert!(w >= 40 && h >= 20, "seed {seed}: {w}x{h}\n{text}");
            // Leaves in several colours.
            let shades: std::collections::HashSet<u8> = b
                .marks
                .iter()
                .filter_map(|m| if let Part::Leaf(s) = m.part { Some(s) } else { None })
                .collect();
            assert!(shades.len() >= 3, "{shades:?}");
        }
    }

    #[test]
    fn the_trunk_is_thick_at_the_base() {
        let (b, buf) = grown(&["--season", "summer"], 120, 40, 4);
        let (_, py, _, _) = b.pot.expect("a pot");
        let base_row = (py - 1) as u16;
        let trunk = b.marks.iter().filter(|m| m.y == base_row && matches!(m.part, Part::Wood { trunk: true, .. }));
        assert_eq!(trunk.count(), 3, "{}", buf.to_text());
    }

    #[test]
    fn the_pot_has_several_lines_and_feet() {
        let (b, buf) = grown(&[], 120, 40, 4);
        let (_, py, _, ph) = b.pot.expect("a pot");
        assert_eq!(ph, 4);
        let text = buf.to_text();
        let rows: Vec<&str> = text.lines().collect();
        let py = py as usize;
        assert!(rows[py].contains("(~~") && rows[py].trim_end().ends_with("~)"), "{text}");
        assert!(rows[py + 1].contains('·') && rows[py + 1].trim_start().starts_with('\\'), "{text}");
        assert!(rows[py + 2].contains("\\___"), "{text}");
        assert_eq!(rows[py + 3].matches("╘═╛").count(), 2, "{text}");
    }

    #[test]
    fn winter_is_bare_branches_with_snow_not_a_few_white_marks() {
        let (b, buf) = grown(&["--season", "winter"], 120, 40, 3);
        let ([wood, _, snow_clumps, snow], (w, h)) = census(&b);
        let text = buf.to_text();
        assert!(wood > 150, "bare but full: {wood} twigs\n{text}");
        assert!(snow + snow_clumps > 120, "snow: {snow} + {snow_clumps}\n{text}");
        assert!(w >= 40 && h >= 20, "{w}x{h}\n{text}");
        // Snow lies on the pot's rim too.
        assert_eq!(b.season, Season::Winter);
    }

    #[test]
    fn same_seed_same_tree_and_infinite_grows_another() {
        let (a, _) = grown(&[], 60, 20, 9);
        let (b, _) = grown(&[], 60, 20, 9);
        assert_eq!(a.marks, b.marks);
        let (c, _) = grown(&["-i", "-w", "0", "-s", "0.01"], 60, 20, 9);
        assert!(c.trees > 1);
    }

    #[test]
    fn seasons_colour_the_leaves() {
        let (spring, _) = grown(&["--season", "spring"], 60, 20, 3);
        let (autumn, _) = grown(&["--season", "autumn"], 60, 20, 3);
        assert_ne!(spring.leaf_color(1), autumn.leaf_color(1));
        assert_eq!(Season::of_month(12), Season::Winter);
        assert_eq!(Season::of_month(10), Season::Autumn);
    }

    #[test]
    fn message_is_wrapped_in_a_box() {
        let (_, buf) = grown(&["-m", "back in five minutes, have a nice tree"], 80, 20, 1);
        let text = buf.to_text();
        assert!(text.contains("╭") && text.contains("╯"), "{text}");
        assert!(text.contains("back in five"), "{text}");
        assert_eq!(wrap("aaa bbb ccc", 7), vec!["aaa bbb", "ccc"]);
    }

    #[test]
    fn bad_options() {
        let long = "x".repeat(301);
        for bad in [
            &["-L", "2"][..],
            &["-M", "21"],
            &["-s", "0"],
            &["-p", "3"],
            &["-c", ""],
            &["-c", "ab,c"],
            &["-m", &long],
        ] {
            assert!(crate::saver::kit::testing::refused("bonsai", bad, build), "{bad:?}");
        }
    }
}
