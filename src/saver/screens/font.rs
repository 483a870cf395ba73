//! A 3x5 block font for digits and the colon, drawn as blocks of background colour.
//!
//! Each "pixel" is `2 * scale` cells wide and `scale` rows high (terminal cells are about twice
//! as tall as wide). Pixels are spaces on a coloured background, so a pixel costs one byte per
//! cell on the wire instead of three for `█`.

use crate::saver::buffer::{Buffer, Style};

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
        ' ' => [".", ".", ".", ".", "."],
        _ => return None,
    })
}

/// Glyph height in pixels.
pub(crate) const ROWS: u16 = 5;

/// Width in cells of `text` at `scale`, with one pixel of space between glyphs.
#[must_use]
pub(crate) fn width(text: &str, scale: u16) -> u16 {
    let pixel = 2 * scale;
    let mut cols = 0u16;
    for (i, ch) in text.chars().enumerate() {
        let w = bitmap(ch).map_or(0, |b| b[0].len() as u16);
        cols += w * pixel + if i > 0 { pixel / 2 } else { 0 };
    }
    cols
}

/// Height in cells at `scale`.
#[must_use]
pub(crate) fn height(scale: u16) -> u16 {
    ROWS * scale
}

/// Draws `text` with its top-left corner at (x, y); lit pixels get `lit` (use a background
/// colour), unlit ones are left as they are.
pub(crate) fn draw(buf: &mut Buffer, x: u16, y: u16, text: &str, scale: u16, lit: Style) {
    let pixel = 2 * scale;
    let mut left = x;
    for (i, ch) in text.chars().enumerate() {
        let Some(rows) = bitmap(ch) else { continue };
        if i > 0 {
            left += pixel / 2;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, bit) in row.bytes().enumerate() {
                if bit == b'#' {
                    let px = left + c as u16 * pixel;
                    let py = y + r as u16 * scale;
                    buf.fill(px, py, pixel, scale, ' ', lit);
                }
            }
        }
        left += rows[0].len() as u16 * pixel;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saver::buffer::{Attrs, Color};

    #[test]
    fn digits_render_as_blocks() {
        let mut buf = Buffer::new(20, 5);
        let lit = Style { fg: Color::Reset, bg: Color::Indexed(2), attrs: Attrs::NONE };
        draw(&mut buf, 0, 0, "1:", 1, lit);
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
