//! `bonsai`: a little tree grows from a pot, branch by branch, and comes into leaf (the idea of
//! cbonsai; the growth rules, the pots and the drawing are our own).
//!
//! Growth is a set of growing tips. The trunk climbs from the pot, leaning now and then; as it
//! goes it sends out shoots to alternating sides, which grow more sideways than up and branch
//! again; a tip near the end of its life turns into thin twigs, and a tip that dies leaves a
//! cluster of leaves. Every tip keeps inside the window and off the pot and the message box,
//! and each child has a shorter life than its parent, so a tree always finishes. The same
//! `--seed` grows the same tree. Leaves follow the season (from the date, or `--season`):
//! spring blossom, summer green, autumn reds and golds, a bare winter tree with snow.

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
  fun saver bonsai -L 60 -M 8           a bigger, bushier tree
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

    /// Life of the trunk, i.e. how big the tree grows (4-200).
    #[arg(short = 'L', long, default_value_t = 32, value_name = "N", value_parser = values::within(4u16, 200))]
    pub(crate) life: u16,

    /// How often branches split (0-20).
    #[arg(short = 'M', long, default_value_t = 5, value_name = "N",
          value_parser = values::within(0u8, 20))]
    pub(crate) multiplier: u8,

    /// Leaf characters, comma-separated (at most 16, one cell wide each).
    #[arg(short = 'c', long, default_value = "*,@,%", value_name = "LIST")]
    pub(crate) leaves: String,

    /// A message shown in a box beside the tree (at most 300 characters).
    #[arg(short, long, value_name = "TEXT", value_parser = values::text_up_to(300))]
    pub(crate) message: Option<String>,

    /// Pot: 0 none, 1 a wide bowl, 2 a small pot.
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
    Shoot(i32),
    Twig,
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
    Wood { trunk: bool },
    Leaf(u8),
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
    debt: f32,
    /// Seconds the finished tree has been shown.
    shown_for: f32,
    /// Trees grown so far.
    pub(crate) trees: u32,
}

/// Most growing tips at once (a bound on a tree's size whatever the options).
const MAX_TIPS: usize = 600;

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
        let (pot_w, pot_h) = match self.args.pot {
            1 => ((right / 3).clamp(9, 41), 2),
            2 => ((right / 6).clamp(7, 15), 2),
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
        self.shown_for = 0.0;
        let (left, _, right, bottom) = self.area;
        let base = Tip {
            x: (left + right) / 2,
            // Just below the growing area (on the rim): the first step is the first wood.
            y: bottom + 1,
            kind: Kind::Trunk,
            life: i32::from(self.args.life),
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
                let dy = if tip.age < 2 || roll(rng, 10) < 7 { -1 } else { 0 };
                let dx = match roll(rng, 10) {
                    0..=1 => -1,
                    2..=3 => 1,
                    _ => 0,
                };
                (if dy == 0 && dx == 0 { 1 - 2 * roll(rng, 2) } else { dx }, dy)
            }
            Kind::Shoot(side) => {
                let dy = if roll(rng, 10) < 5 { -1 } else { 0 };
                let dx = match roll(rng, 12) {
                    0 => -side,
                    1..=3 => 0,
                    4..=10 => side,
                    _ => 2 * side,
                };
                (if dx == 0 && dy == 0 { side } else { dx }, dy)
            }
            Kind::Twig => {
                let dx = roll(rng, 5) - 2;
                let dy = roll(rng, 3) - 1;
                if dx == 0 && dy >= 0 { (1 - 2 * roll(rng, 2), -1) } else { (dx, dy) }
            }
        }
    }

    fn wood_char(kind: Kind, dx: i32, dy: i32) -> char {
        match (dx.signum(), dy.signum()) {
            (_, 0) if kind == Kind::Twig => '~',
            (_, 0) => '_',
            (-1, _) => '\\',
            (1, _) => '/',
            _ => '|',
        }
    }

    fn mark(&mut self, x: i32, y: i32, ch: char, part: Part) {
        if self.inside(x, y) {
            self.marks.push(Mark { x: x as u16, y: y as u16, ch, part });
        }
    }

    fn leaf_cluster(&mut self, x: i32, y: i32, rng: &mut StdRng) {
        let count = if self.season == Season::Winter { 2 } else { rng.random_range(4..9) };
        for _ in 0..count {
            let (lx, ly) = (x + rng.random_range(-2..=2), y + rng.random_range(-1..=1));
            let leaf = rng.random_range(0..self.leaves.len());
            let shade = rng.random_range(0..4);
            self.mark(lx, ly, self.leaves[leaf], Part::Leaf(shade));
        }
    }

    /// Grows every tip by one cell; returns false when the tree is finished.
    fn grow(&mut self, rng: &mut StdRng) -> bool {
        let tips = std::mem::take(&mut self.tips);
        let mut next = Vec::with_capacity(tips.len());
        let multiplier = i32::from(self.args.multiplier);
        for mut tip in tips {
            if tip.life <= 0 {
                self.leaf_cluster(tip.x, tip.y, rng);
                continue;
            }
            let (mut dx, mut dy) = self.direction(&tip, rng);
            if !self.inside(tip.x + dx, tip.y + dy) {
                // Turn back from the edge, or stop climbing at the top.
                dx = if self.inside(tip.x - dx, tip.y) { -dx } else { 0 };
                dy = if self.inside(tip.x + dx, tip.y + dy) { dy } else { 0 };
                if !self.inside(tip.x + dx, tip.y + dy) || (dx == 0 && dy == 0) {
                    tip.life = 0;
                    next.push(tip);
                    continue;
                }
            }
            if dx.abs() == 2 {
                // A long sideways step: the branch passes through the cell in between.
                let kind = tip.kind;
                self.mark(tip.x + dx / 2, tip.y, '_', Part::Wood { trunk: kind == Kind::Trunk });
            }
            tip.x += dx;
            tip.y += dy;
            tip.life -= 1;
            tip.age += 1;
            let ch = Bonsai::wood_char(tip.kind, dx, dy);
            self.mark(tip.x, tip.y, ch, Part::Wood { trunk: tip.kind == Kind::Trunk });
            // Branching: the trunk sends out shoots to alternating sides; shoots split into
            // twigs near the end of their lives.
            let chance = 5 + 4 * multiplier;
            match tip.kind {
                Kind::Trunk if tip.age > 2 && tip.life > 4 && rng.random_range(0..100) < chance => {
                    let side = if tip.age % 2 == 0 { -1 } else { 1 };
                    let life = tip.life * rng.random_range(50..90) / 100;
                    next.push(Tip { kind: Kind::Shoot(side), life, age: 0, ..tip });
                }
                Kind::Shoot(_) if tip.life < 8 && rng.random_range(0..100) < chance => {
                    next.push(Tip { kind: Kind::Twig, life: tip.life.min(4), age: 0, ..tip });
                }
                _ => {}
            }
            if tip.kind != Kind::Twig && tip.life < 3 {
                tip.kind = Kind::Twig;
            }
            if tip.kind == Kind::Twig && self.season != Season::Winter && rng.random_bool(0.4) {
                let leaf = self.leaves[rng.random_range(0..self.leaves.len())];
                let shade = rng.random_range(0..4);
                self.mark(tip.x + rng.random_range(-1..=1), tip.y - 1, leaf, Part::Leaf(shade));
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
        match self.season {
            Season::Spring => pick([(120, 220, 90), (255, 160, 200), (160, 235, 120), (250, 200, 225)]),
            Season::Summer => pick([(40, 170, 50), (90, 200, 60), (20, 130, 40), (140, 220, 80)]),
            Season::Autumn => pick([(230, 120, 20), (200, 50, 30), (240, 190, 40), (160, 90, 30)]),
            Season::Winter => pick([(240, 240, 250), (210, 220, 235), (255, 255, 255), (190, 200, 215)]),
        }
    }

    fn draw_pot(&self, buf: &mut Canvas<'_>) {
        let Some((x, y, w, _)) = self.pot else { return };
        let clay = Style::fg(Color::Rgb(190, 110, 70));
        let soil = Style::fg(Color::Rgb(120, 80, 40));
        let inner = (w - 2).max(0) as usize;
        let (rim, body) = if self.args.pot == 1 {
            (format!("[{}]", "=".repeat(inner)), format!(" \\{}/", "_".repeat(inner.saturating_sub(2))))
        } else {
            (format!("|{}|", "~".repeat(inner)), format!(" \\{}/", "_".repeat(inner.saturating_sub(2))))
        };
        let (x, y) = (x.max(0) as u16, y.max(0) as u16);
        buf.put_str(x, y, &rim, clay);
        if self.args.pot == 2 {
            buf.put_str(x + 1, y, &"~".repeat(inner), soil);
        }
        buf.put_str(x, y + 1, &body, clay);
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
        let bark = Color::Rgb(150, 95, 45);
        let twig = Color::Rgb(120, 85, 50);
        for mark in &self.marks {
            let style = match mark.part {
                Part::Wood { trunk: true } => Style::fg(bark).with_attrs(Attrs::BOLD),
                Part::Wood { trunk: false } => Style::fg(twig),
                Part::Leaf(shade) => Style::fg(self.leaf_color(shade)),
            };
            buf.put_char(mark.x, mark.y, mark.ch, style);
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
        assert!(rows[py as usize].contains("[="), "{text}");
        // The trunk starts just above the middle of the pot.
        let base = b.marks.first().expect("wood");
        assert!((i32::from(base.x) - (px + pw / 2)).abs() <= 2, "{text}");
        assert_eq!(i32::from(base.y), py - 1, "{text}");
        assert!(text.chars().filter(|c| "*@%".contains(*c)).count() > 10, "{text}");
        assert!(b.marks.iter().map(|m| m.y).min() < Some(10), "it grows up: {text}");
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
