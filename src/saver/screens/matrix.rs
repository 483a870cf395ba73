//! `matrix`: falling glyph rain.
//!
//! Every column has its own fall speed; drops enter at the top and fall down (termsaver's rain
//! rises because it scrolls). A drop is a bright head, a light "neck", a body in the main
//! colour and a tail that fades out in a few steps. The glyph of a cell is chosen when the head
//! enters it and stays until the tail leaves, so a moving drop only changes a handful of cells
//! per step (new head, the colour boundaries, the erased end): that, with the engine's
//! style-grouped diff, is why this costs a fraction of cmatrix's bytes. The fade has few, well
//! separated levels for the same reason: each level boundary is one changed cell per step.

mod paint;

use clap::{Parser, ValueEnum};
use rand::Rng;
use rand::rngs::StdRng;

use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::Color;
use crate::saver::kit::theme;
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver matrix                   green rain with katakana, digits and symbols
  fun saver matrix -g ascii -d 2     denser ASCII rain
  fun saver matrix -k -r             katakana, every drop its own colour
  fun saver matrix -C '#ff8800' -B   amber and all bold
  fun saver matrix -M 'back in 5'    a message in the middle
  fun saver matrix -u 25 --fps 30    faster rain at 30 frames per second";

/// Falling glyph rain with per-column speeds, bright heads and fading tails.
#[derive(Debug, Parser)]
#[command(name = "fun saver matrix", after_help = EXAMPLES)]
pub(crate) struct MatrixArgs {
    /// Glyph set [default: mixed; ascii when the locale (LC_ALL, LC_CTYPE, LANG) is not UTF-8].
    #[arg(short, long, value_enum)]
    pub(crate) glyphs: Option<Glyphs>,

    /// Katakana only (same as --glyphs katakana).
    #[arg(short = 'k', visible_short_alias = 'c', long = "kana")]
    pub(crate) kana: bool,

    /// How much rain: 0.1 (sparse) to 4 (dense).
    #[arg(short, long, default_value_t = 1.0, value_name = "0.1-4",
          value_parser = values::within(0.1f32, 4.0))]
    pub(crate) density: f32,

    /// Average fall speed in rows per second, 0.5-200; each column varies around it.
    #[arg(short = 'u', long = "fall", default_value_t = 9.0, value_name = "ROWS/S",
          value_parser = values::within(0.5f32, 200.0))]
    pub(crate) fall: f32,

    /// Average tail length in rows, 2-500.
    #[arg(short, long, default_value_t = 22, value_name = "ROWS",
          value_parser = values::within(2u16, 500))]
    pub(crate) tail: u16,

    /// Fade steps at the end of each tail (0-8); each step costs bandwidth.
    #[arg(short, long, default_value_t = 2, value_name = "STEPS",
          value_parser = values::within(0u8, 8))]
    pub(crate) fade: u8,

    /// Rain colour, a name or #rrggbb (default: the theme's colour).
    #[arg(short = 'C', value_name = "COLOR", value_parser = theme::parse_color)]
    pub(crate) color: Option<Color>,

    /// Rainbow: every drop its own colour.
    #[arg(short, long)]
    pub(crate) rainbow: bool,

    /// Make some glyphs bold at random.
    #[arg(short, long)]
    pub(crate) bold: bool,

    /// Make every glyph bold.
    #[arg(short = 'B', long = "all-bold")]
    pub(crate) all_bold: bool,

    /// Glyphs change now and then while they are on screen.
    #[arg(short, long)]
    pub(crate) mutate: bool,

    /// A message shown in a box in the middle of the screen (up to 200 characters).
    #[arg(short = 'M', long, value_name = "TEXT", value_parser = values::text_up_to(200))]
    pub(crate) message: Option<String>,
}

/// The glyph sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Glyphs {
    /// Half-width katakana, digits and a few symbols (the film look).
    Mixed,
    /// Half-width katakana only.
    Katakana,
    /// Printable ASCII.
    Ascii,
    /// 0 and 1.
    Binary,
    /// Decimal digits.
    Digits,
    /// Full-width katakana (two cells each, every other column).
    Zenkaku,
}

impl Glyphs {
    fn chars(self) -> Vec<char> {
        // Half-width katakana are one cell wide, so every column can be used.
        let kana = ('\u{FF66}'..='\u{FF9D}').collect::<Vec<_>>();
        match self {
            Glyphs::Katakana => kana,
            Glyphs::Mixed => {
                let mut v = kana;
                v.extend("0123456789".chars());
                v.extend("Z:.=*+-<>|\"".chars());
                v
            }
            Glyphs::Ascii => ('!'..='~').collect(),
            Glyphs::Binary => vec!['0', '1'],
            Glyphs::Digits => ('0'..='9').collect(),
            Glyphs::Zenkaku => ('\u{30A1}'..='\u{30F6}').collect(),
        }
    }
}

/// Columns fall at 0.45-1.55 times the average speed.
const SLOWEST_COLUMN: f32 = 0.45;
const FASTEST_COLUMN: f32 = 1.55;
/// The most rows the fastest drop moves between two frames: below 1, so no row is skipped,
/// with a margin for frames that come a little late.
const MAX_ROWS_PER_FRAME: f32 = 0.9;
/// Frame rates: slow rain still shows new drops and changing glyphs promptly; fast rain is
/// not drawn more often than cmatrix draws.
const MIN_FPS: f32 = 5.0;
const MAX_FPS: f32 = 25.0;

/// One falling drop: the head row (fractional) and its tail length.
#[derive(Clone, Copy, Debug)]
struct Drop {
    head: f32,
    /// `floor(head)`, kept: painting asks for it for every cell it repaints, and the
    /// conversion showed in the profile. (Heads stay below 1000 rows + 750 of tail + one step.)
    row: i16,
    tail: u16,
    hue: f32,
    /// Random bits: which tail cells dissolve early.
    id: u32,
}

impl Drop {
    fn new(tail: u16, hue: f32, id: u32) -> Drop {
        Drop { head: -1.0, row: -1, tail, hue, id }
    }

    /// The row of the head.
    fn row(&self) -> i32 {
        i32::from(self.row)
    }

    /// Falls `rows` further.
    fn fall(&mut self, rows: f32) {
        self.head += rows;
        self.row = floor(self.head) as i16;
    }
}

/// `x.floor() as i32` without the libm call that `floor` becomes on baseline x86-64 (it showed
/// in the profile); the same value for every finite `x` and for the infinities.
fn floor(x: f32) -> i32 {
    let t = x as i32;
    if (t as f32) > x { t - 1 } else { t }
}

/// One column of rain; its drops are `Matrix::drops[start..start + len]`, oldest first.
#[derive(Clone, Copy, Debug, Default)]
struct Column {
    speed: f32,
    /// Seconds until the next drop may start.
    wait: f32,
    start: u32,
    len: u32,
}

impl Column {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// The matrix screen.
pub(crate) struct Matrix {
    args: MatrixArgs,
    kind: Glyphs,
    glyphs: Vec<char>,
    color: Option<Color>,
    size: Size,
    columns: Vec<Column>,
    /// Every drop, column after column, in one array: a step walks it from end to end (one
    /// allocation per column, as before, cost a cache miss per column after every sleep; the
    /// update was 15 % of a frame at 120x40, mostly those misses).
    drops: Vec<Drop>,
    /// The array the next step rebuilds `drops` into (kept for its allocation).
    spare: Vec<Drop>,
    /// The glyph of every cell (an index into `glyphs`), chosen when a head enters it; column
    /// after column, so the rows of a column that a frame repaints are next to each other in
    /// memory, and one byte each, so a 4K terminal's glyphs take 48 KB of cache, not 192 KB
    /// (a cache miss per repainted cell showed in the profile at 400x120).
    cells: Vec<u8>,
    /// The rows that may look different since the last paint, as (column, first, last).
    changed: Vec<(u16, u16, u16)>,
    /// Repaint everything next time (after a resize, or when `changed` grew too long).
    repaint_all: bool,
    /// Per tail length, where a cell's look changes along the drop (`fade_boundaries`).
    boundaries: Vec<Vec<u16>>,
    /// The shared look and the (rain, accent) colours it was made for (`remembered_look`).
    look_made: Option<((Color, Color), Option<paint::Look>)>,
}

/// Builds the screen from its options.
///
/// # Errors
/// None today: every value was checked while parsing (the signature is the registry's).
pub(crate) fn build(args: MatrixArgs) -> anyhow::Result<Matrix> {
    let color = args.color;
    let kind = match args.glyphs {
        _ if args.kana => Glyphs::Katakana,
        Some(kind) => kind,
        None if utf8_locale(|k| std::env::var(k).ok()) => Glyphs::Mixed,
        None => Glyphs::Ascii,
    };
    let glyphs = kind.chars();
    Ok(Matrix {
        args,
        kind,
        glyphs,
        color,
        size: Size { width: 0, height: 0 },
        columns: vec![],
        drops: vec![],
        spare: vec![],
        cells: vec![],
        changed: vec![],
        repaint_all: true,
        boundaries: vec![],
        look_made: None,
    })
}

/// Whether the locale says UTF-8: the first non-empty of LC_ALL, LC_CTYPE, LANG decides; with
/// none set, UTF-8 is assumed (what current terminals use).
fn utf8_locale(var: impl Fn(&str) -> Option<String>) -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| var(k).filter(|v| !v.is_empty()))
        .is_none_or(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("matrix", "falling glyph rain with fading tails (like cmatrix)", build)
}

impl Matrix {
    /// A random glyph, as an index into `glyphs`.
    fn glyph(&self, rng: &mut StdRng) -> u8 {
        // Every set has fewer than 256 glyphs (`Glyphs::chars`, checked by a test).
        rng.random_range(0..self.glyphs.len()) as u8
    }

    fn new_column(&self, x: u16, rng: &mut StdRng) -> Column {
        let speed = self.args.fall * rng.random_range(SLOWEST_COLUMN..FASTEST_COLUMN);
        // Full-width glyphs take two cells: only every other column rains.
        let wait = if self.kind == Glyphs::Zenkaku && x % 2 == 1 {
            f32::INFINITY
        } else {
            rng.random_range(0.0..3.0) / self.args.density
        };
        Column { speed, wait, start: 0, len: 0 }
    }

    /// Seconds to wait after a drop starts before the next one in the same column.
    fn gap(&self, column_speed: f32, tail: u16, rng: &mut StdRng) -> f32 {
        let rows = f32::from(tail)
            + f32::from(tail) * rng.random_range(0.3..2.2) * 1.6 / self.args.density;
        rows / column_speed
    }

    /// Records that rows `lo..=hi` (clipped to the screen) of column `x` may look different.
    fn touched(&mut self, x: usize, lo: i32, hi: i32) {
        let (lo, hi) = (lo.max(0), hi.min(i32::from(self.size.height) - 1));
        if lo > hi || self.repaint_all {
            return;
        }
        // Nobody painting (a frozen "too small" view) must not make this grow without bound;
        // past a quarter of the cells, painting everything is about as cheap. (A bound of a few
        // entries per column, as before, was hit on every frame of a big terminal, where each
        // moving drop records about five: the profile at 400x120 showed paint_all every frame.)
        if self.changed.len() >= self.cells.len() / 4 + 64 {
            self.repaint_all = true;
            self.changed.clear();
            return;
        }
        self.changed.push((x as u16, lo as u16, hi as u16));
    }

    /// The places along a drop of `tail` rows where a cell's look changes: 0 (the head
    /// enters), 1 (head to body), the start of each fade step, and `tail + 1` (the drop has
    /// left). A cell whose distance from the head crosses none of them looks the same after a
    /// move (its glyph and colour stay), so only the rows that cross one are repainted.
    fn fade_boundaries(&mut self, tail: u16) -> &[u16] {
        let t = usize::from(tail);
        if self.boundaries.len() <= t {
            self.boundaries.resize(t + 1, Vec::new());
        }
        if self.boundaries[t].is_empty() {
            let mut list = vec![0, 1];
            for i in 2..=tail {
                if self.fade_level(i, tail) != self.fade_level(i - 1, tail) {
                    list.push(i);
                }
            }
            list.push(tail + 1);
            self.boundaries[t] = list;
        }
        &self.boundaries[t]
    }

    fn step(&mut self, dt: f32, rng: &mut StdRng) {
        let (w, h) = (usize::from(self.size.width), usize::from(self.size.height));
        let mut next = std::mem::take(&mut self.spare);
        next.clear();
        let gone = |d: &Drop| d.head - f32::from(d.tail) >= h as f32;
        for x in 0..w {
            let column = self.columns[x];
            for d in column.range() {
                let drop = &mut self.drops[d];
                let before = drop.row();
                drop.fall(column.speed * dt);
                let (after, drop) = (drop.row(), *drop);
                if after != before {
                    self.moved(x, before, after, &drop, rng);
                }
            }
            // Drops leave in the order they came (same speed, and each starts only after the
            // one before has fully entered), so only the first can have left.
            let start = next.len();
            let drops = &self.drops[column.range()];
            if drops.first().is_some_and(gone) {
                next.extend(drops.iter().filter(|d| !gone(d)));
            } else {
                next.extend_from_slice(drops);
            }
            let mut wait = column.wait - dt;
            if wait <= 0.0 {
                let avg = f32::from(self.args.tail);
                let tail = (avg * rng.random_range(0.5..1.5)).round().max(2.0) as u16;
                let drop = Drop::new(tail, rng.random_range(0.0..360.0), rng.random());
                wait = self.gap(column.speed, tail, rng);
                next.push(drop);
            }
            let (start, len) = (start as u32, (next.len() - start) as u32);
            self.columns[x] = Column { wait, start, len, ..column };
        }
        self.spare = std::mem::replace(&mut self.drops, next);
        if self.args.mutate {
            let visible = self.drops.len() as f32;
            let mut changes = visible * f32::from(self.args.tail) * 0.05 * dt;
            while changes > 0.0 {
                if changes < 1.0 && !rng.random_bool(f64::from(changes)) {
                    break;
                }
                changes -= 1.0;
                // A cell in row-major order, as always (so a seed mutates the same cells).
                let i = rng.random_range(0..self.cells.len().max(1));
                let (x, y) = (i % w.max(1), i / w.max(1));
                if x * h + y < self.cells.len() {
                    self.cells[x * h + y] = self.glyph(rng);
                    self.touched(x, y as i32, y as i32);
                }
            }
        }
    }

    /// A drop of column `x` moved from row `before` to `after`: new glyphs for the rows its
    /// head entered, and the rows whose look changed are recorded.
    fn moved(&mut self, x: usize, before: i32, after: i32, drop: &Drop, rng: &mut StdRng) {
        let h = usize::from(self.size.height);
        for row in (before + 1).max(0)..=after.min(h as i32 - 1) {
            let glyph = self.glyph(rng);
            self.cells[x * h + row as usize] = glyph;
        }
        let tail = drop.tail;
        // The cells that moved across a boundary: rows (before - b, after - b].
        for j in 0..self.fade_boundaries(tail).len() {
            let b = i32::from(self.boundaries[usize::from(tail)][j]);
            let (lo, hi) = (before - b + 1, after - b);
            if b < 2 {
                // The head entered, or left for the body: always a new look.
                self.touched(x, lo, hi);
                continue;
            }
            // A cell this drop hid (dissolved, or past its end) before and after the move
            // looks the same: whatever a repaint shows there comes from other drops, whose
            // moves record their own changes. (A sixth of a frame's repaints were these.)
            for row in lo..=hi {
                if !(self.hides(drop, before, row) && self.hides(drop, after, row)) {
                    self.touched(x, row, row);
                }
            }
        }
    }

    /// Whether `drop`, with its head at row `head`, paints nothing at `row` (the row is outside
    /// the drop, or its cell there has dissolved).
    fn hides(&self, drop: &Drop, head: i32, row: i32) -> bool {
        let i = head - row;
        if i < 0 || i > i32::from(drop.tail) {
            return true;
        }
        let level = self.fade_level(i as u16, drop.tail);
        level > 0 && row >= 0 && self.dissolved(drop, row as u16, level)
    }
}

impl Screen for Matrix {
    fn min_size(&self) -> Size {
        Size { width: 4, height: 3 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        self.size = size;
        self.cells = vec![0; usize::from(size.width) * usize::from(size.height)];
        self.columns = (0..size.width).map(|x| self.new_column(x, rng)).collect();
        self.drops.clear();
        // Warm up so the screen starts (and re-starts after a resize) full of rain.
        let warm_up = f32::from(size.height) / (self.args.fall * SLOWEST_COLUMN) + 1.0;
        let steps = (warm_up / 0.05).min(400.0) as u32;
        for _ in 0..steps {
            self.step(0.05, rng);
        }
        self.repaint_all = true;
        self.changed.clear();
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        // Large steps (a suspended process) would make drops jump; cap them.
        let dt = ctx.dt.as_secs_f32().min(0.25);
        self.step(dt, ctx.rng);
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        self.paint_all(buf, theme);
    }

    fn draw_changes(&mut self, buf: &mut Canvas<'_>, theme: &Theme, kept: bool) -> bool {
        if !kept || self.repaint_all {
            if kept {
                buf.clear();
            }
            self.paint_all(buf, theme);
        } else {
            self.paint_changes(buf, theme);
        }
        self.changed.clear();
        self.repaint_all = false;
        true
    }

    fn frame_interval(&self) -> std::time::Duration {
        // Often enough that every row step of every drop is shown (the fastest column moves at
        // most MAX_ROWS_PER_FRAME rows between frames), and no more often: every frame costs a
        // wake-up, and on a big terminal thousands of changed cells. 15.5 frames per second at
        // the default speed (cmatrix draws 25); never more than 25.
        let fastest = self.args.fall * FASTEST_COLUMN;
        let fps = (fastest / MAX_ROWS_PER_FRAME).clamp(MIN_FPS, MAX_FPS);
        std::time::Duration::from_secs_f32(1.0 / fps)
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use crate::saver::kit::buffer::Attrs;
    use rand::SeedableRng;

    fn matrix(args: &[&str], w: u16, h: u16, seed: u64) -> (Matrix, StdRng) {
        let args: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
        let parsed = screen::parse_args::<MatrixArgs>("matrix", &args).unwrap();
        let mut m = build(parsed).unwrap();
        let mut rng = StdRng::seed_from_u64(seed);
        m.resize(Size { width: w, height: h }, &mut rng);
        (m, rng)
    }

    fn heads(m: &Matrix) -> Vec<(usize, i32)> {
        let mut v = Vec::new();
        for (x, c) in m.columns.iter().enumerate() {
            for d in &m.drops[c.range()] {
                v.push((x, d.row()));
            }
        }
        v
    }

    #[test]
    fn rain_falls_down() {
        let (mut m, mut rng) = matrix(&[], 30, 20, 1);
        let before = heads(&m);
        m.step(0.5, &mut rng);
        let after = heads(&m);
        let mut moved = 0;
        for (x, row) in &before {
            if let Some((_, new)) = after.iter().find(|(ax, ar)| ax == x && ar >= row) {
                assert!(new >= row);
                moved += usize::from(new > row);
            }
        }
        assert!(moved > 0);
    }

    #[test]
    fn starts_full_and_uses_the_glyph_set() {
        let (m, _) = matrix(&["-g", "binary"], 40, 20, 2);
        let mut buf = Buffer::new(40, 20);
        m.draw(&mut buf.canvas(), &Theme::default());
        let text = buf.to_text();
        let glyphs = text.chars().filter(|c| *c == '0' || *c == '1').count();
        assert!(glyphs > 40, "too little rain:\n{text}");
        assert!(text.chars().all(|c| "01 \n".contains(c)), "{text}");
    }

    #[test]
    fn heads_are_bold_and_brightest() {
        let (m, _) = matrix(&[], 40, 20, 3);
        let mut buf = Buffer::new(40, 20);
        let theme = crate::saver::kit::theme::theme("green").unwrap();
        m.draw(&mut buf.canvas(), &theme);
        let (x, row) = heads(&m).into_iter().find(|(_, r)| (0..20).contains(r)).unwrap();
        let cell = buf.get(x as u16, row as u16).unwrap();
        assert!(cell.style.attrs.contains(Attrs::BOLD));
        assert_eq!(cell.style.fg, theme.accent);
    }

    #[test]
    fn message_is_centred() {
        let (m, _) = matrix(&["-M", "HELLO"], 41, 21, 4);
        let mut buf = Buffer::new(41, 21);
        m.draw(&mut buf.canvas(), &Theme::default());
        let line = buf.to_text().lines().nth(10).unwrap().to_string();
        assert!(line.contains("  HELLO  "), "{line:?}");
        let col = line.chars().collect::<String>().find("HELLO").map(|b| line[..b].chars().count());
        assert_eq!(col, Some(18));
    }

    #[test]
    fn bad_options() {
        for (bad, name) in [
            (&["-d", "9"][..], "--density"),
            (&["-u", "0"], "--fall"),
            (&["-C", "nocolour"], "-C"),
            (&["-t", "1"], "--tail"),
            (&["-f", "9"], "--fade"),
        ] {
            // Refused while parsing: a usage error naming the option, never clamped.
            let args: Vec<String> = bad.iter().map(|s| (*s).to_string()).collect();
            let err = screen::parse_args::<MatrixArgs>("matrix", &args).unwrap_err();
            let clap_err = err.downcast_ref::<clap::Error>().expect("a clap error");
            assert_eq!(clap_err.kind(), clap::error::ErrorKind::ValueValidation, "{bad:?}");
            assert!(clap_err.to_string().contains(name), "{clap_err}");
        }
    }

    #[test]
    fn full_width_katakana_use_every_other_column() {
        let (m, _) = matrix(&["-g", "zenkaku"], 40, 20, 6);
        let mut buf = Buffer::new(40, 20);
        m.draw(&mut buf.canvas(), &Theme::default());
        let mut wide = 0;
        for y in 0..20 {
            for x in 0..40 {
                let cell = buf.get(x, y).unwrap();
                if cell.ch != ' ' && !cell.is_continuation() {
                    assert_eq!(x % 2, 0, "glyph at odd column {x}");
                    assert!(buf.get(x + 1, y).unwrap().is_continuation());
                    wide += 1;
                }
            }
        }
        assert!(wide > 30, "{}", buf.to_text());
    }

    #[test]
    fn locale_decides_the_default_glyphs() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_string())
        };
        assert!(utf8_locale(env(&[])));
        assert!(utf8_locale(env(&[("LANG", "C.UTF-8")])));
        assert!(utf8_locale(env(&[("LC_ALL", ""), ("LANG", "en_US.utf8")])));
        assert!(!utf8_locale(env(&[("LC_ALL", "C"), ("LANG", "C.UTF-8")])));
        assert!(!utf8_locale(env(&[("LANG", "POSIX")])));
    }

    #[test]
    fn painting_only_the_changes_gives_the_same_picture() {
        let theme = crate::saver::kit::theme::theme("green").unwrap();
        let cases: [&[&str]; 7] = [
            &[],
            &["-m", "-b"],
            &["-r", "-f", "8", "-t", "4"],
            &["-g", "zenkaku", "-M", "世界 ab"],
            &["-M", "ｶﾞ世 x", "-d", "4", "-u", "40", "-m"],
            &["-f", "0", "-g", "ascii"],
            &["-B", "-d", "0.1", "-u", "200", "-t", "500"],
        ];
        for (k, args) in cases.iter().enumerate() {
            let (w, h) = (23 + 9 * k as u16, 7 + 5 * k as u16);
            let (mut m, mut rng) = matrix(args, w, h, k as u64);
            let mut kept = Buffer::new(w, h);
            if k % 2 == 1 {
                kept.map_styles_to(crate::saver::kit::color::Depth::Ansi16, 0);
            }
            assert!(m.draw_changes(&mut kept.canvas(), &theme, false));
            for frame in 0..400 {
                // Some frames are long (skipped rows), some change nothing; once in a while
                // many steps pass without a paint.
                let steps = if frame % 97 == 96 { 500 } else { 1 };
                for _ in 0..steps {
                    m.step([0.04, 0.013, 0.25, 0.0][frame % 4], &mut rng);
                }
                assert!(m.draw_changes(&mut kept.canvas(), &theme, true));
                let mut full = kept.clone();
                full.resize(w, h);
                m.draw(&mut full.canvas(), &theme);
                assert!(kept == full, "{args:?} frame {frame}:\n{}\n{}", kept.to_text(), full.to_text());
            }
        }
    }

    #[test]
    fn floor_as_the_standard_library_does() {
        for x in [-3.5f32, -1.0, -0.5, -0.0, 0.0, 0.2, 1.0, 7.99, 1e9, f32::INFINITY, f32::NAN] {
            assert_eq!(floor(x), x.floor() as i32, "{x}");
        }
        for step in 0..4000 {
            let x = step as f32 * 0.013 - 20.0;
            assert_eq!(floor(x), x.floor() as i32, "{x}");
        }
    }

    #[test]
    fn frames_come_as_often_as_the_fastest_drop_needs() {
        let fps = |args: &[&str]| 1.0 / matrix(args, 30, 10, 1).0.frame_interval().as_secs_f32();
        assert!((fps(&[]) - 15.5).abs() < 0.05, "{}", fps(&[]));
        assert_eq!(fps(&["-u", "0.5"]), MIN_FPS);
        assert_eq!(fps(&["-u", "100"]), MAX_FPS);
        let (m, mut rng) = matrix(&[], 30, 10, 1);
        let mut m = m;
        let before = heads(&m);
        m.step(m.frame_interval().as_secs_f32(), &mut rng);
        for ((x, a), (_, b)) in before.iter().zip(heads(&m)) {
            assert!(b - a <= 1, "column {x} skipped a row");
        }
    }

    #[test]
    fn every_glyph_set_fits_a_byte_index() {
        for kind in Glyphs::value_variants() {
            assert!((1..=256).contains(&kind.chars().len()), "{kind:?}");
        }
    }

    #[test]
    fn same_seed_same_rain() {
        let (a, _) = matrix(&[], 30, 10, 9);
        let (b, _) = matrix(&[], 30, 10, 9);
        assert_eq!(a.cells, b.cells);
    }
}
