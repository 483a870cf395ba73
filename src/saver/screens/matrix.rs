//! `matrix`: falling glyph rain.
//!
//! Every column has its own fall speed; drops enter at the top and fall down (termsaver's rain
//! rises because it scrolls). A drop is a bright head, a light "neck", a body in the main
//! colour and a tail that fades out in a few steps. The glyph of a cell is chosen when the head
//! enters it and stays until the tail leaves, so a moving drop only changes a handful of cells
//! per step (new head, the colour boundaries, the erased end): that, with the engine's
//! style-grouped diff, is why this costs a fraction of cmatrix's bytes. The fade has few, well
//! separated levels for the same reason: each level boundary is one changed cell per step.

use clap::{Parser, ValueEnum};
use rand::Rng;
use rand::rngs::StdRng;

use crate::saver::buffer::{Attrs, Buffer, Color, Style};
use crate::saver::color::{self, mix};
use crate::saver::limits;
use crate::saver::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

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
          value_parser = limits::within(0.1f32, 4.0))]
    pub(crate) density: f32,

    /// Average fall speed in rows per second, 0.5-200; each column varies around it.
    #[arg(short = 'u', long = "fall", default_value_t = 9.0, value_name = "ROWS/S",
          value_parser = limits::within(0.5f32, 200.0))]
    pub(crate) fall: f32,

    /// Average tail length in rows, 2-500.
    #[arg(short, long, default_value_t = 22, value_name = "ROWS",
          value_parser = limits::within(2u16, 500))]
    pub(crate) tail: u16,

    /// Fade steps at the end of each tail (0-8); each step costs bandwidth.
    #[arg(short, long, default_value_t = 2, value_name = "STEPS",
          value_parser = limits::within(0u8, 8))]
    pub(crate) fade: u8,

    /// Rain colour, a name or #rrggbb (default: the theme's colour).
    #[arg(short = 'C', value_name = "COLOR", value_parser = color::parse_color)]
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
    #[arg(short = 'M', long, value_name = "TEXT", value_parser = limits::text_up_to(200))]
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

/// One falling drop: the head row (fractional) and its tail length.
#[derive(Clone, Debug)]
struct Drop {
    head: f32,
    tail: u16,
    hue: f32,
    /// Random bits: which tail cells dissolve early.
    id: u32,
}

#[derive(Clone, Debug, Default)]
struct Column {
    speed: f32,
    drops: Vec<Drop>,
    /// Seconds until the next drop may start.
    wait: f32,
}

/// The matrix screen.
pub(crate) struct Matrix {
    args: MatrixArgs,
    kind: Glyphs,
    glyphs: Vec<char>,
    color: Option<Color>,
    size: Size,
    columns: Vec<Column>,
    /// The glyph of every cell, chosen when a head enters it (row-major).
    cells: Vec<char>,
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
        cells: vec![],
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
    fn glyph(&self, rng: &mut StdRng) -> char {
        self.glyphs[rng.random_range(0..self.glyphs.len())]
    }

    fn new_column(&self, x: u16, rng: &mut StdRng) -> Column {
        let speed = self.args.fall * rng.random_range(0.45..1.55);
        // Full-width glyphs take two cells: only every other column rains.
        let wait = if self.kind == Glyphs::Zenkaku && x % 2 == 1 {
            f32::INFINITY
        } else {
            rng.random_range(0.0..3.0) / self.args.density
        };
        Column { speed, drops: Vec::new(), wait }
    }

    /// Seconds to wait after a drop starts before the next one in the same column.
    fn gap(&self, column_speed: f32, tail: u16, rng: &mut StdRng) -> f32 {
        let rows = f32::from(tail)
            + f32::from(tail) * rng.random_range(0.3..2.2) * 1.6 / self.args.density;
        rows / column_speed
    }

    fn step(&mut self, dt: f32, rng: &mut StdRng) {
        let (w, h) = (usize::from(self.size.width), i32::from(self.size.height));
        for x in 0..w {
            let mut column = std::mem::take(&mut self.columns[x]);
            for drop in &mut column.drops {
                let before = drop.head.floor() as i32;
                drop.head += column.speed * dt;
                let after = drop.head.floor() as i32;
                for row in (before + 1).max(0)..=after.min(h - 1) {
                    let glyph = self.glyph(rng);
                    self.cells[row as usize * w + x] = glyph;
                }
            }
            column.drops.retain(|d| d.head - f32::from(d.tail) < h as f32);
            column.wait -= dt;
            if column.wait <= 0.0 {
                let avg = f32::from(self.args.tail);
                let tail = (avg * rng.random_range(0.5..1.5)).round().max(2.0) as u16;
                column.drops.push(Drop {
                    head: -1.0,
                    tail,
                    hue: rng.random_range(0.0..360.0),
                    id: rng.random(),
                });
                column.wait = self.gap(column.speed, tail, rng);
            }
            self.columns[x] = column;
        }
        if self.args.mutate {
            let visible = self.columns.iter().map(|c| c.drops.len()).sum::<usize>() as f32;
            let mut changes = visible * f32::from(self.args.tail) * 0.05 * dt;
            while changes > 0.0 {
                if changes < 1.0 && !rng.random_bool(f64::from(changes)) {
                    break;
                }
                changes -= 1.0;
                let i = rng.random_range(0..self.cells.len().max(1));
                if let Some(slot) = self.cells.get_mut(i) {
                    *slot = self.glyphs[rng.random_range(0..self.glyphs.len())];
                }
            }
        }
    }

    /// The style of the cell `i` rows behind a head, in a drop of `tail` rows; `None` when the
    /// cell has already dissolved.
    ///
    /// Levels: a bold near-white head, the body in the main colour, then `--fade` darker steps
    /// over the last third of the tail. Every level boundary costs one changed cell per step, so
    /// the fade is coarse; meanwhile cells vanish at random (a quarter by the first step, half
    /// by the last), which reads as the tail dissolving and saves the bytes of the later steps.
    fn style(&self, i: u16, drop: &Drop, x: u16, shades: &[Color], accent: Color) -> Option<Style> {
        let tail = drop.tail;
        let levels = u16::from(self.args.fade);
        let fade = (tail / 3).max(levels);
        let (color, head) = if i == 0 {
            (accent, true)
        } else if i + fade <= tail || levels == 0 {
            (shades[0], false)
        } else {
            let into = f32::from(i + fade - tail) / f32::from(fade);
            let level = (into * f32::from(levels)).ceil().clamp(1.0, f32::from(levels));
            // The tail dissolves: each cell has its own random threshold (keyed on the row,
            // not on `i`, so a cell vanishes once and stays gone); by the last step half of
            // them are gone. A vanished cell skips its remaining fade steps' bytes.
            let row = (drop.head.floor() as i32 - i32::from(i)).max(0) as u32;
            let mixed = (drop.id ^ row.wrapping_mul(0x9E37_79B9)).wrapping_mul(0x85EB_CA6B);
            let threshold = (mixed >> 8) as f32 / (1u32 << 24) as f32;
            if threshold < 0.5 * level / f32::from(levels) {
                return None;
            }
            (shades[level as usize], false)
        };
        let y = (drop.head.floor() as i32 - i32::from(i)).max(0) as u16;
        let bold =
            head || self.args.all_bold || (self.args.bold && cell_hash(x, y).is_multiple_of(3));
        Some(Style::fg(color).with_attrs(if bold { Attrs::BOLD } else { Attrs::NONE }))
    }

    fn draw_message(&self, buf: &mut Buffer, theme: &Theme) {
        let Some(message) = &self.args.message else { return };
        let text: String = message.chars().filter(|c| !c.is_control()).collect();
        let width = super::text_width(&text).min(buf.width().saturating_sub(4));
        let (bw, bh) = (width + 4, 3);
        let x = buf.width().saturating_sub(bw) / 2;
        let y = buf.height().saturating_sub(bh) / 2;
        buf.fill(x, y, bw, bh, ' ', Style::default());
        let style = Style::fg(self.color.unwrap_or(theme.accent)).with_attrs(Attrs::BOLD);
        let mut clipped = String::new();
        let mut used = 0;
        for ch in text.chars() {
            let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0) as u16;
            if used + w > width {
                break;
            }
            used += w;
            clipped.push(ch);
        }
        buf.put_str(x + 2, y + 1, &clipped, style);
    }
}

fn cell_hash(x: u16, y: u16) -> u32 {
    (u32::from(x).wrapping_mul(73_856_093) ^ u32::from(y).wrapping_mul(19_349_663)) >> 7
}

impl Screen for Matrix {
    fn min_size(&self) -> Size {
        Size { width: 4, height: 3 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        self.size = size;
        self.cells = vec![' '; usize::from(size.width) * usize::from(size.height)];
        self.columns = (0..size.width).map(|x| self.new_column(x, rng)).collect();
        // Warm up so the screen starts (and re-starts after a resize) full of rain.
        let warm_up = f32::from(size.height) / (self.args.fall * 0.45) + 1.0;
        let steps = (warm_up / 0.05).min(400.0) as u32;
        for _ in 0..steps {
            self.step(0.05, rng);
        }
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        // Large steps (a suspended process) would make drops jump; cap them.
        let dt = ctx.dt.as_secs_f32().min(0.25);
        self.step(dt, ctx.rng);
    }

    fn draw(&self, buf: &mut Buffer, theme: &Theme) {
        let base_color = self.color.unwrap_or(theme.primary);
        let (w, h) = (self.size.width, self.size.height);
        for (x, column) in self.columns.iter().enumerate() {
            let x = x as u16;
            for drop in &column.drops {
                let head = drop.head.floor() as i32;
                let (base, accent) = if self.args.rainbow {
                    let hue = color::hue(drop.hue);
                    (hue, mix(hue, Color::Rgb(255, 255, 255), 0.75))
                } else {
                    (base_color, theme.accent)
                };
                // The body colour and the fade steps, darker and darker.
                let levels = self.args.fade;
                let shades: Vec<Color> = (0..=levels)
                    .map(|l| {
                        mix(
                            base,
                            Color::Rgb(0, 0, 0),
                            0.75 * f32::from(l) / f32::from(levels.max(1)),
                        )
                    })
                    .collect();
                for i in 0..=drop.tail {
                    let row = head - i32::from(i);
                    if row < 0 {
                        break;
                    }
                    if row >= i32::from(h) {
                        continue;
                    }
                    let y = row as u16;
                    let Some(style) = self.style(i, drop, x, &shades, accent) else { continue };
                    let glyph = self.cells[usize::from(y) * usize::from(w) + usize::from(x)];
                    buf.put_char(x, y, glyph, style);
                }
            }
        }
        self.draw_message(buf, theme);
    }

    fn frame_interval(&self) -> std::time::Duration {
        // 25 frames per second, cmatrix's default rate.
        std::time::Duration::from_millis(40)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
            for d in &c.drops {
                v.push((x, d.head.floor() as i32));
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
        m.draw(&mut buf, &Theme::default());
        let text = buf.to_text();
        let glyphs = text.chars().filter(|c| *c == '0' || *c == '1').count();
        assert!(glyphs > 40, "too little rain:\n{text}");
        assert!(text.chars().all(|c| "01 \n".contains(c)), "{text}");
    }

    #[test]
    fn heads_are_bold_and_brightest() {
        let (m, _) = matrix(&[], 40, 20, 3);
        let mut buf = Buffer::new(40, 20);
        let theme = crate::saver::color::theme("green").unwrap();
        m.draw(&mut buf, &theme);
        let (x, row) = heads(&m).into_iter().find(|(_, r)| (0..20).contains(r)).unwrap();
        let cell = buf.get(x as u16, row as u16).unwrap();
        assert!(cell.style.attrs.contains(Attrs::BOLD));
        assert_eq!(cell.style.fg, theme.accent);
    }

    #[test]
    fn message_is_centred() {
        let (m, _) = matrix(&["-M", "HELLO"], 41, 21, 4);
        let mut buf = Buffer::new(41, 21);
        m.draw(&mut buf, &Theme::default());
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
        m.draw(&mut buf, &Theme::default());
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
    fn same_seed_same_rain() {
        let (a, _) = matrix(&[], 30, 10, 9);
        let (b, _) = matrix(&[], 30, 10, 9);
        assert_eq!(a.cells, b.cells);
    }
}
