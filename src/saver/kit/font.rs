//! A 3x5 block font for digits and the colon, drawn as blocks of background colour.
//!
//! Each "pixel" is `2 * scale` cells wide and `scale` rows high (terminal cells are about twice
//! as tall as wide). Pixels are spaces on a coloured background, so a pixel costs one byte per
//! cell on the wire instead of three for `█`.

use crate::saver::kit::buffer::Style;
use crate::saver::kit::canvas::Canvas;

/// Rows of a glyph, top to bottom; `#` is a lit pixel.
fn bitmap(ch: char) -> Option<[&'static str; 5]> {
    Some(match ch {
        '0' => ["###", "#.#", "#.#", "#.#", "###"],
        '1' => ["..#", "..#", "..#", "..#", "..#"],
        '2' => ["###", "..#", "###", "#..", "###"],
        '3' => ["###", "..#", "###", "..#", "###"],
        '4' => ["#.#", "#.#", "###", "..#", "..#"],
        '5' => ["###", "#..", "###", "..#", "###"],
        '6' => ["###", "#..", "###", "#.#", "###"],
        '7' => ["###", "..#", "..#", "..#", "..#"],
        '8' => ["###", "#.#", "###", "#.#", "###"],
        '9' => ["###", "#.#", "###", "..#", "###"],
        ':' => [".", "#", ".", "#", "."],
        '.' => [".", ".", ".", ".", "#"],
        '+' => ["...", ".#.", "###", ".#.", "..."],
        '-' => ["...", "...", "###", "...", "..."],
        ' ' => [".", ".", ".", ".", "."],
        _ => return None,
    })
}

/// Glyph height in pixels.
pub const ROWS: u16 = 5;

/// Width in cells of `text` at `scale` (pixels of `2 * scale` by `scale` cells).
#[must_use]
pub fn width(text: &str, scale: u16) -> u16 {
    width_px(text, 2 * scale)
}

/// Width in cells of `text` with pixels `pixel_w` cells wide (the gap between glyphs is half
/// a pixel, at least one cell).
#[must_use]
pub fn width_px(text: &str, pixel_w: u16) -> u16 {
    let gap = (pixel_w / 2).max(1);
    let mut cols = 0u16;
    for (i, ch) in text.chars().enumerate() {
        let w = bitmap(ch).map_or(0, |b| b[0].len() as u16);
        cols = cols.saturating_add(w.saturating_mul(pixel_w)).saturating_add(if i > 0 {
            gap
        } else {
            0
        });
    }
    cols
}

/// Height in cells at `scale`.
#[must_use]
pub fn height(scale: u16) -> u16 {
    ROWS * scale
}

/// Draws `text` with its top-left corner at (x, y); lit pixels get `lit` (use a background
/// colour), unlit ones are left as they are.
pub fn draw(buf: &mut Canvas<'_>, x: u16, y: u16, text: &str, scale: u16, lit: Style) {
    draw_px(buf, (x, y), text, (2 * scale, scale), lit);
}

/// Draws `text` at `at` with pixels of `pixel` (width, height) cells: any size, so the digits
/// can fill a window.
pub fn draw_px(buf: &mut Canvas<'_>, at: (u16, u16), text: &str, pixel: (u16, u16), lit: Style) {
    let (pw, ph) = pixel;
    let gap = (pw / 2).max(1);
    let mut left = at.0;
    for (i, ch) in text.chars().enumerate() {
        let Some(rows) = bitmap(ch) else { continue };
        if i > 0 {
            left = left.saturating_add(gap);
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, bit) in row.bytes().enumerate() {
                if bit == b'#' {
                    let px = left.saturating_add((c as u16).saturating_mul(pw));
                    let py = at.1.saturating_add((r as u16).saturating_mul(ph));
                    buf.fill(px, py, pw, ph, ' ', lit);
                }
            }
        }
        left = left.saturating_add((rows[0].len() as u16).saturating_mul(pw));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saver::kit::buffer::Buffer;
    use crate::saver::kit::buffer::{Attrs, Color};

    #[test]
    fn digits_render_as_blocks() {
        let mut buf = Buffer::new(20, 5);
        let lit = Style { fg: Color::Reset, bg: Color::Indexed(2), attrs: Attrs::NONE };
        draw(&mut buf.canvas(), 0, 0, "1:", 1, lit);
        // '1' is the right column of its 3-pixel cell: cells 4-5 lit on every row.
        for y in 0..5 {
            assert_eq!(buf.get(4, y).map(|c| c.style.bg), Some(Color::Indexed(2)));
            assert_eq!(buf.get(0, y).map(|c| c.style.bg), Some(Color::Reset));
        }
        // The colon after a one-pixel gap (1 cell at scale 1): rows 1 and 3 only.
        assert_eq!(buf.get(7, 1).map(|c| c.style.bg), Some(Color::Indexed(2)));
        assert_eq!(buf.get(7, 2).map(|c| c.style.bg), Some(Color::Reset));
    }

    #[test]
    fn widths() {
        assert_eq!(width("8", 1), 6);
        assert_eq!(width("88:88", 1), 6 * 4 + 2 + 4);
        assert_eq!(width("88", 2), 12 * 2 + 2);
        assert_eq!(height(2), 10);
    }
}
