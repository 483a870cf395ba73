//! Small drawing helpers shared by the generative screens: brightness ramps, colour gradients,
//! half-block "pixels" (two per cell), text widths, and a triangle wave.

use crate::saver::kit::buffer::{Color, Style};
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::color::Depth;

/// Characters from dark to bright, for drawing brightness without colour (our own ramp: each
/// step covers visibly more of the cell than the one before).
pub const RAMP: &[char] = &[' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'];

/// The ramp character for a brightness in 0..=1 (0 is blank).
#[must_use]
pub fn ramp_char(value: f32) -> char {
    let last = RAMP.len() - 1;
    let i = (value.clamp(0.0, 1.0) * last as f32).round() as usize;
    RAMP[i.min(last)]
}

/// A colour along a gradient of `(position, colour)` stops (positions ascending in 0..=1).
#[must_use]
pub fn gradient(stops: &[(f32, (u8, u8, u8))], t: f32) -> Color {
    let t = t.clamp(0.0, 1.0);
    let Some(first) = stops.first() else { return Color::Reset };
    let mut prev = *first;
    for &stop in stops {
        if t <= stop.0 {
            let span = (stop.0 - prev.0).max(1e-6);
            let f = ((t - prev.0) / span).clamp(0.0, 1.0);
            let lerp = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * f) as u8;
            let ((r0, g0, b0), (r1, g1, b1)) = (prev.1, stop.1);
            return Color::Rgb(lerp(r0, r1), lerp(g0, g1), lerp(b0, b1));
        }
        prev = stop;
    }
    let (r, g, b) = prev.1;
    Color::Rgb(r, g, b)
}

/// Whether the depth can show two colours per cell (upper half block on a background).
#[must_use]
pub fn has_color(depth: Depth) -> bool {
    depth != Depth::Mono
}

/// Draws two vertically stacked "pixels" into one cell with the upper half block: the top one
/// as the foreground, the bottom one as the background. `None` is the terminal's own background.
pub fn half_block(buf: &mut Canvas<'_>, x: u16, y: u16, top: Option<Color>, bottom: Option<Color>) {
    let (ch, style) = match (top, bottom) {
        (None, None) => return,
        (Some(t), None) => ('▀', Style::fg(t)),
        (None, Some(b)) => ('▄', Style::fg(b)),
        // Equal colours: a background-coloured space is one byte instead of three.
        (Some(t), Some(b)) if t == b => (' ', Style { bg: t, ..Style::default() }),
        (Some(t), Some(b)) => ('▀', Style { fg: t, bg: b, ..Style::default() }),
    };
    buf.put_char(x, y, ch, style);
}

/// A uniformly random value in `0..1` from a cheap integer hash of a position and a phase;
/// used where a per-cell texture must stay the same from frame to frame (no rng draw).
#[must_use]
pub fn hash01(x: u32, y: u32, phase: u32) -> f32 {
    let mut h = x.wrapping_mul(0x9E37_79B1) ^ y.wrapping_mul(0x85EB_CA77) ^ phase;
    h ^= h >> 15;
    h = h.wrapping_mul(0x2C1B_3C6D);
    h ^= h >> 12;
    (h >> 8) as f32 / (1u32 << 24) as f32
}

/// Display width of `text` in cells.
#[must_use]
pub fn text_width(text: &str) -> u16 {
    u16::try_from(unicode_width::UnicodeWidthStr::width(text)).unwrap_or(u16::MAX)
}

/// The column at which `text` is centred in `buf` (0 if it does not fit).
#[must_use]
pub fn centre_x(buf: &Canvas<'_>, text: &str) -> u16 {
    buf.width().saturating_sub(text_width(text)) / 2
}

/// 0, 1, ..., range, range-1, ..., 0, 1, ... (a triangle wave).
pub fn bounce(step: u64, range: u16) -> u16 {
    if range == 0 {
        return 0;
    }
    let period = 2 * u64::from(range);
    let phase = step % period;
    (if phase <= u64::from(range) { phase } else { period - phase }) as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saver::kit::buffer::Buffer;

    #[test]
    fn ramp_ends() {
        assert_eq!(ramp_char(0.0), ' ');
        assert_eq!(ramp_char(1.0), '@');
        assert_eq!(ramp_char(7.0), '@');
    }

    #[test]
    fn gradient_interpolates() {
        let stops = [(0.0, (0, 0, 0)), (1.0, (200, 100, 0))];
        assert_eq!(gradient(&stops, 0.5), Color::Rgb(100, 50, 0));
        assert_eq!(gradient(&stops, 2.0), Color::Rgb(200, 100, 0));
    }

    #[test]
    fn half_blocks() {
        let mut buf = Buffer::new(3, 1);
        let red = Color::Rgb(255, 0, 0);
        half_block(&mut buf.canvas(), 0, 0, Some(red), None);
        half_block(&mut buf.canvas(), 1, 0, None, Some(red));
        half_block(&mut buf.canvas(), 2, 0, Some(red), Some(red));
        assert_eq!(buf.to_text(), "▀▄\n");
        assert_eq!(buf.get(2, 0).map(|c| c.style.bg), Some(red));
    }
}
