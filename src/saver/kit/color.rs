//! Colours: colour-depth detection and mapping, mixing, the dimmed palette.
//!
//! Screens paint with any [`Color`] (often 24-bit gradients). Just before diffing, the engine maps
//! every cell to what the terminal can show ([`Depth`]), so two gradient steps that land on the
//! same 256-colour index cost nothing to "change", and `NO_COLOR` drops colour entirely while
//! keeping attributes (bold, reverse), which is what the convention asks for.

use crate::saver::kit::style::{Attrs, Color, FastMap, Style};
use crate::saver::kit::values::ValueError;

/// The steps of `--dim-after`'s fade to the dark palette ([`dim`]).
pub const DIM_STEPS: u8 = 6;
/// How much of each colour is left at the end of the fade.
const DARKEST: f32 = 0.3;

/// How many colours the terminal can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// No colour at all (`NO_COLOR`, `TERM=dumb`, `--color-depth none`).
    Mono,
    /// The 16 ANSI colours.
    Ansi16,
    /// The xterm 256-colour palette.
    Indexed256,
    /// 24-bit colour.
    TrueColor,
}

impl Depth {
    /// Parses `--color-depth`.
    ///
    /// # Errors
    /// [`ValueError::Unknown`] for anything else.
    pub fn parse(text: &str) -> Result<Depth, ValueError> {
        match text.to_ascii_lowercase().as_str() {
            "none" | "mono" | "0" | "2" => Ok(Depth::Mono),
            "16" | "ansi" => Ok(Depth::Ansi16),
            "256" => Ok(Depth::Indexed256),
            "truecolor" | "24bit" | "rgb" | "16m" => Ok(Depth::TrueColor),
            _ => Err(ValueError::Unknown {
                what: "colour depth",
                text: text.to_owned(),
                choices: "none, 16, 256 or truecolor".to_owned(),
            }),
        }
    }

    /// The depth the environment asks for. `NO_COLOR` is read by anstyle-query, the one check
    /// every tool of fun shares; the rest by [`Depth::detect`].
    #[must_use]
    pub fn from_env() -> Depth {
        Depth::detect(anstyle_query::no_color(), |k| std::env::var(k).ok())
    }

    /// The depth for `no_color` (a non-empty `NO_COLOR`, which wins) and the variables `var`
    /// gives: `COLORTERM=truecolor|24bit`, then a `TERM` naming 256 colours or a known truecolor
    /// terminal, then `TERM=dumb`; anything else gets the 16 ANSI colours.
    #[must_use]
    pub fn detect(no_color: bool, var: impl Fn(&str) -> Option<String>) -> Depth {
        if no_color {
            return Depth::Mono;
        }
        let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return Depth::TrueColor;
        }
        let term = var("TERM").unwrap_or_default().to_ascii_lowercase();
        if term.is_empty() || term == "dumb" {
            return Depth::Mono;
        }
        if term.contains("direct") || term.contains("truecolor") {
            return Depth::TrueColor;
        }
        if term.contains("256") || term.starts_with("tmux") || term.starts_with("xterm-kitty") {
            return Depth::Indexed256;
        }
        Depth::Ansi16
    }

    /// Maps a colour to one this depth can show (`Reset` for mono).
    #[must_use]
    pub fn map(self, color: Color) -> Color {
        match (self, color) {
            (_, Color::Reset) | (Depth::Mono, _) => Color::Reset,
            (Depth::TrueColor, c) => c,
            (Depth::Indexed256, Color::Indexed(i)) => Color::Indexed(i),
            (Depth::Indexed256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256(r, g, b)),
            (Depth::Ansi16, Color::Indexed(i)) if i < 16 => Color::Indexed(i),
            (Depth::Ansi16, c) => {
                let (r, g, b) = to_rgb(c).unwrap_or((255, 255, 255));
                Color::Indexed(nearest_16(r, g, b))
            }
        }
    }

    /// Maps a whole style. In mono, colour-only distinctions are lost, so reverse video and
    /// bold survive but a background colour becomes reverse video (so block digits stay visible).
    #[must_use]
    pub fn map_style(self, style: Style) -> Style {
        if self == Depth::Mono {
            let attrs = if style.bg == Color::Reset {
                style.attrs
            } else {
                style.attrs.union(Attrs::REVERSE)
            };
            return Style { fg: Color::Reset, bg: Color::Reset, attrs };
        }
        if self == Depth::Ansi16
            && let Color::Rgb(r, g, b) = style.fg
        {
            // With 16 colours a dark shade would become black (invisible on a dark terminal,
            // loud on a light one): keep the hue and show the darkness with the dim attribute.
            let (index, dim) = hue_16(r, g, b);
            let attrs = if dim { style.attrs.union(Attrs::DIM) } else { style.attrs };
            return Style { fg: Color::Indexed(index), bg: self.map(style.bg), attrs };
        }
        Style { fg: self.map(style.fg), bg: self.map(style.bg), attrs: style.attrs }
    }
}

/// [`Depth::map_style`] with a memory: a frame has a handful of distinct styles, most cells
/// share the style of the one drawn before them, and mapping an RGB colour to a palette is a
/// search, so each style is mapped once and looked up after that.
#[derive(Clone, Debug)]
pub struct StyleMap {
    depth: Depth,
    dim: u8,
    /// The last few styles asked for and their answers (a screen draws with a handful, so
    /// usually no hashing at all), replaced in turn. Eight: matrix draws with five (blank, head,
    /// body, two fade steps), and with four slots every lookup of a 400x120 frame missed in
    /// turn and hashed (the profile showed it).
    recent: [(Style, Style); 8],
    next_recent: usize,
    known: FastMap<Style, Style>,
}

impl StyleMap {
    /// Styles seen are remembered up to this many (a screen that paints smooth 24-bit gradients
    /// may use thousands); then the memory starts over.
    const MAX_KNOWN: usize = 4096;

    /// Maps to `depth` after dimming by `dim` steps ([`dim`]; 0 leaves styles as drawn).
    #[must_use]
    pub fn new(depth: Depth, dim: u8) -> StyleMap {
        let blank = Style::default();
        let recent = [(blank, depth.map_style(self::dim(blank, dim))); 8];
        StyleMap { depth, dim, recent, next_recent: 0, known: FastMap::default() }
    }

    /// `style` as the terminal can show it.
    #[inline]
    pub fn map(&mut self, style: Style) -> Style {
        if let Some((_, mapped)) = self.recent.iter().find(|(s, _)| *s == style) {
            return *mapped;
        }
        if self.known.len() >= Self::MAX_KNOWN {
            self.known.clear();
        }
        let (depth, dim) = (self.depth, self.dim);
        let mapped =
            *self.known.entry(style).or_insert_with(|| depth.map_style(self::dim(style, dim)));
        self.recent[self.next_recent] = (style, mapped);
        self.next_recent = (self.next_recent + 1) % self.recent.len();
        mapped
    }
}

/// The xterm default palette for the 16 ANSI colours.
const ANSI16: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

/// The six levels of each channel in the 6x6x6 cube (indices 16-231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The RGB value of a colour (`None` for the terminal default).
#[must_use]
pub fn to_rgb(color: Color) -> Option<(u8, u8, u8)> {
    match color {
        Color::Reset => None,
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(i @ 0..=15) => Some(ANSI16[usize::from(i)]),
        Color::Indexed(i @ 16..=231) => {
            let i = i - 16;
            Some((
                CUBE[usize::from(i / 36)],
                CUBE[usize::from(i / 6 % 6)],
                CUBE[usize::from(i % 6)],
            ))
        }
        Color::Indexed(i) => {
            let v = 8 + 10 * (i - 232);
            Some((v, v, v))
        }
    }
}

fn dist2((r1, g1, b1): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> u32 {
    // Weighted towards green, which the eye resolves best (a cheap "redmean"-like metric).
    let dr = i32::from(r1) - i32::from(r2);
    let dg = i32::from(g1) - i32::from(g2);
    let db = i32::from(b1) - i32::from(b2);
    (2 * dr * dr + 4 * dg * dg + 3 * db * db).unsigned_abs()
}

fn nearest_cube_level(v: u8) -> usize {
    let mut best = 0;
    for (i, level) in CUBE.iter().enumerate() {
        if v.abs_diff(*level) < v.abs_diff(CUBE[best]) {
            best = i;
        }
    }
    best
}

/// The nearest entry of the 256-colour palette (cube or grey ramp; never 0-15, whose actual
/// colours vary between terminal themes).
#[must_use]
pub fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    let (ri, gi, bi) = (nearest_cube_level(r), nearest_cube_level(g), nearest_cube_level(b));
    let cube = (CUBE[ri], CUBE[gi], CUBE[bi]);
    let cube_index = 16 + 36 * ri + 6 * gi + bi;
    let avg = (u16::from(r) + u16::from(g) + u16::from(b)) / 3;
    let grey_step = (avg.saturating_sub(3) / 10).min(23) as u8;
    let grey_value = 8 + 10 * grey_step;
    let grey = (grey_value, grey_value, grey_value);
    // Only near-grey colours may use the grey ramp: a dark green must stay green (the end of a
    // matrix tail), even where a grey is numerically a little closer.
    let saturated = r.max(g).max(b) - r.min(g).min(b) > 24;
    if !saturated && dist2((r, g, b), grey) < dist2((r, g, b), cube) {
        232 + grey_step
    } else {
        cube_index as u8
    }
}

/// The nearest of the 16 ANSI colours.
#[must_use]
pub fn nearest_16(r: u8, g: u8, b: u8) -> u8 {
    let mut best = 0u8;
    let mut best_d = u32::MAX;
    for (i, rgb) in ANSI16.iter().enumerate() {
        let d = dist2((r, g, b), *rgb);
        if d < best_d {
            best_d = d;
            best = i as u8;
        }
    }
    best
}

/// The 16-colour index that keeps the hue of a foreground colour, and whether it should be
/// dimmed: saturated colours are normalised to full brightness, matched to the six hues, and
/// shown bright (>= 192), normal, or dim (< 110); greys use black, grey and the two whites.
#[must_use]
pub fn hue_16(r: u8, g: u8, b: u8) -> (u8, bool) {
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    if max < 24 {
        return (0, false);
    }
    // Pale colours (a near-white matrix head) and greys keep their lightness: white, not green.
    if u16::from(max - min) * 4 <= u16::from(max) {
        return (nearest_16(r, g, b), false);
    }
    let scale = |v: u8| (u16::from(v) * 255 / u16::from(max)) as u8;
    let (nr, ng, nb) = (scale(r), scale(g), scale(b));
    let mut best = (u32::MAX, 1u8);
    for i in 1..=6u8 {
        let (pr, pg, pb) = ANSI16[usize::from(i) + 8];
        let d = dist2((nr, ng, nb), (pr, pg, pb));
        if d < best.0 {
            best = (d, i);
        }
    }
    match max {
        192.. => (best.1 + 8, false),
        110.. => (best.1, false),
        _ => (best.1, true),
    }
}

/// Linear mix of two colours: `t = 0` gives `a`, `t = 1` gives `b`. `Reset` counts as black.
#[must_use]
pub fn mix(a: Color, b: Color, t: f32) -> Color {
    let (ar, ag, ab) = to_rgb(a).unwrap_or((0, 0, 0));
    let (br, bg, bb) = to_rgb(b).unwrap_or((0, 0, 0));
    let t = t.clamp(0.0, 1.0);
    let lerp = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color::Rgb(lerp(ar, br), lerp(ag, bg), lerp(ab, bb))
}

/// A fully saturated colour of the given hue (0-360 degrees), for rainbow modes.
#[must_use]
pub fn hue(degrees: f32) -> Color {
    let h = degrees.rem_euclid(360.0) / 60.0;
    let x = 1.0 - (h % 2.0 - 1.0).abs();
    let (r, g, b) = match h as u32 {
        0 => (1.0, x, 0.0),
        1 => (x, 1.0, 0.0),
        2 => (0.0, 1.0, x),
        3 => (0.0, x, 1.0),
        4 => (x, 0.0, 1.0),
        _ => (1.0, 0.0, x),
    };
    let to = |v: f32| (v * 255.0).round() as u8;
    Color::Rgb(to(r), to(g), to(b))
}

/// `style` at dimming step `step`.
#[must_use]
pub fn dim(style: Style, step: u8) -> Style {
    if step == 0 {
        return style;
    }
    let keep = 1.0 - (1.0 - DARKEST) * f32::from(step) / f32::from(DIM_STEPS);
    let darker = |c: Color| match c {
        Color::Reset => Color::Reset,
        other => mix(Color::Rgb(0, 0, 0), other, keep),
    };
    let mut dimmed = Style { fg: darker(style.fg), bg: darker(style.bg), attrs: style.attrs };
    // The terminal's own colours cannot be mixed: ask for its dim attribute instead.
    if style.fg == Color::Reset && step * 2 >= DIM_STEPS {
        dimmed.attrs = dimmed.attrs.union(Attrs::DIM);
    }
    dimmed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_string())
    }

    #[test]
    fn no_color_wins_over_everything() {
        let vars = [("COLORTERM", "truecolor"), ("TERM", "xterm-256color")];
        assert_eq!(Depth::detect(true, env(&vars)), Depth::Mono);
        assert_eq!(Depth::detect(false, env(&vars)), Depth::TrueColor);
    }

    #[test]
    fn detection_order() {
        assert_eq!(Depth::detect(false, env(&[("COLORTERM", "24bit")])), Depth::TrueColor);
        assert_eq!(Depth::detect(false, env(&[("TERM", "screen-256color")])), Depth::Indexed256);
        assert_eq!(Depth::detect(false, env(&[("TERM", "xterm")])), Depth::Ansi16);
        assert_eq!(Depth::detect(false, env(&[("TERM", "dumb")])), Depth::Mono);
    }

    #[test]
    fn cube_and_grey_mapping() {
        assert_eq!(nearest_256(255, 0, 0), 196);
        assert_eq!(nearest_256(0, 255, 0), 46);
        assert_eq!(nearest_256(128, 128, 128), 244);
        assert_eq!(nearest_256(0, 51, 15), 22, "dark green stays green");
        assert_eq!(to_rgb(Color::Indexed(46)), Some((0, 255, 0)));
        assert_eq!(nearest_16(0, 200, 0), 2);
        assert_eq!(Depth::Ansi16.map(Color::Indexed(46)), Color::Indexed(10));
    }

    #[test]
    fn every_256_index_maps_to_itself_from_its_rgb() {
        for i in 16..=255u8 {
            let (r, g, b) = to_rgb(Color::Indexed(i)).unwrap();
            let back = to_rgb(Color::Indexed(nearest_256(r, g, b))).unwrap();
            assert_eq!(back, (r, g, b), "index {i}");
        }
    }

    #[test]
    fn mono_keeps_blocks_visible_as_reverse_video() {
        let s = Style { fg: Color::Reset, bg: Color::Rgb(0, 200, 0), attrs: Attrs::NONE };
        assert!(Depth::Mono.map_style(s).attrs.contains(Attrs::REVERSE));
    }

    #[test]
    fn sixteen_colours_keep_the_hue_of_dark_shades() {
        assert_eq!(hue_16(0, 51, 15), (2, true));
        assert_eq!(hue_16(0, 128, 38), (2, false));
        assert_eq!(hue_16(0, 205, 60), (10, false));
        assert_eq!(hue_16(255, 170, 0), (11, false));
        assert_eq!(hue_16(10, 10, 10), (0, false));
        assert_eq!(hue_16(204, 245, 216), (7, false), "a pale head stays white");
        let s = Depth::Ansi16.map_style(Style::fg(Color::Rgb(0, 51, 15)));
        assert_eq!(s.fg, Color::Indexed(2));
        assert!(s.attrs.contains(Attrs::DIM));
    }

    #[test]
    fn style_map_remembers_what_map_style_says() {
        for depth in [Depth::Mono, Depth::Ansi16, Depth::Indexed256, Depth::TrueColor] {
            let mut map = StyleMap::new(depth, 0);
            for i in 0..5000u32 {
                let [r, g, b, a] = i.wrapping_mul(2_654_435_761).to_le_bytes();
                let style =
                    Style { fg: Color::Rgb(r, g, b), bg: Color::Indexed(a), attrs: Attrs::NONE };
                assert_eq!(map.map(style), depth.map_style(style));
                assert_eq!(map.map(style), depth.map_style(style));
            }
        }
    }

    #[test]
    fn hue_wheel() {
        assert_eq!(hue(0.0), Color::Rgb(255, 0, 0));
        assert_eq!(hue(120.0), Color::Rgb(0, 255, 0));
        assert_eq!(hue(240.0), Color::Rgb(0, 0, 255));
    }

    #[test]
    fn dimmed_colours_are_darker() {
        let green = Style::fg(Color::Rgb(0, 200, 0));
        assert_eq!(dim(green, 0), green);
        let Color::Rgb(_, g, _) = dim(green, DIM_STEPS).fg else { panic!("rgb") };
        assert!(g < 80 && g > 40, "{g}");
        assert!(dim(Style::default(), DIM_STEPS).attrs.contains(Attrs::DIM));
    }
}
