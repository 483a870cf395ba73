//! The cell buffer screens draw into.
//!
//! A grid of [`Cell`]s with clipped drawing helpers. Wide characters (CJK, katakana) take two
//! columns: the left cell holds the character, the right one is a [`Cell::CONTINUATION`] so that
//! the diff in the engine never writes into the middle of a wide glyph.

use unicode_width::UnicodeWidthChar;

/// A terminal colour, mapped by the engine to what the terminal supports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) enum Color {
    /// The terminal's default colour.
    #[default]
    Reset,
    /// One of the 256 indexed colours (0-15 are the classic ANSI colours).
    Indexed(u8),
    /// A 24-bit colour.
    Rgb(u8, u8, u8),
}

/// Text attributes, as a small bit set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Attrs(u8);

impl Attrs {
    pub(crate) const NONE: Attrs = Attrs(0);
    pub(crate) const BOLD: Attrs = Attrs(1);
    pub(crate) const DIM: Attrs = Attrs(2);
    pub(crate) const ITALIC: Attrs = Attrs(4);
    pub(crate) const UNDERLINE: Attrs = Attrs(8);
    pub(crate) const REVERSE: Attrs = Attrs(16);

    #[must_use]
    pub(crate) const fn contains(self, other: Attrs) -> bool {
        self.0 & other.0 == other.0
    }

    #[must_use]
    pub(crate) const fn union(self, other: Attrs) -> Attrs {
        Attrs(self.0 | other.0)
    }

    #[must_use]
    pub(crate) const fn bits(self) -> u8 {
        self.0
    }
}

impl std::ops::BitOr for Attrs {
    type Output = Attrs;
    fn bitor(self, rhs: Attrs) -> Attrs {
        self.union(rhs)
    }
}

/// Foreground, background and attributes of drawn text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Style {
    pub(crate) fg: Color,
    pub(crate) bg: Color,
    pub(crate) attrs: Attrs,
}

impl Style {
    #[must_use]
    pub(crate) const fn fg(color: Color) -> Style {
        Style { fg: color, bg: Color::Reset, attrs: Attrs::NONE }
    }

    #[must_use]
    pub(crate) const fn with_attrs(self, attrs: Attrs) -> Style {
        Style { attrs: self.attrs.union(attrs), ..self }
    }
}

/// One terminal cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Cell {
    pub(crate) ch: char,
    pub(crate) style: Style,
}

impl Cell {
    /// A blank cell in the default colours.
    pub(crate) const BLANK: Cell =
        Cell { ch: ' ', style: Style { fg: Color::Reset, bg: Color::Reset, attrs: Attrs::NONE } };
    /// Marks the right half of a wide character; the engine never prints it.
    pub(crate) const CONTINUATION: char = '\0';

    #[must_use]
    pub(crate) fn is_continuation(&self) -> bool {
        self.ch == Self::CONTINUATION
    }
}

/// A width x height grid of cells, row-major.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Buffer {
    width: u16,
    height: u16,
    cells: Vec<Cell>,
}

impl Buffer {
    #[must_use]
    pub(crate) fn new(width: u16, height: u16) -> Buffer {
        Buffer { width, height, cells: vec![Cell::BLANK; usize::from(width) * usize::from(height)] }
    }

    #[must_use]
    pub(crate) fn width(&self) -> u16 {
        self.width
    }

    #[must_use]
    pub(crate) fn height(&self) -> u16 {
        self.height
    }

    /// Resizes and blanks the buffer.
    pub(crate) fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        self.cells.clear();
        self.cells.resize(usize::from(width) * usize::from(height), Cell::BLANK);
    }

    /// Blanks every cell.
    pub(crate) fn clear(&mut self) {
        self.cells.fill(Cell::BLANK);
    }

    fn index(&self, x: u16, y: u16) -> Option<usize> {
        (x < self.width && y < self.height)
            .then(|| usize::from(y) * usize::from(self.width) + usize::from(x))
    }

    /// The cell at (x, y), if inside.
    #[must_use]
    pub(crate) fn get(&self, x: u16, y: u16) -> Option<&Cell> {
        self.index(x, y).map(|i| &self.cells[i])
    }

    /// All cells of row `y` (empty if outside).
    #[must_use]
    pub(crate) fn row(&self, y: u16) -> &[Cell] {
        match self.index(0, y) {
            Some(start) => &self.cells[start..start + usize::from(self.width)],
            None => &[],
        }
    }

    /// Puts one character; returns the columns it took (0 if clipped or zero-width).
    /// A wide character that does not fit entirely is not drawn.
    pub(crate) fn put_char(&mut self, x: u16, y: u16, ch: char, style: Style) -> u16 {
        let ch = if ch.is_control() { ' ' } else { ch };
        let width = match ch.width() {
            Some(w @ 1..=2) => w as u16,
            _ => return 0,
        };
        let Some(i) = self.index(x, y) else { return 0 };
        if width == 2 && x + 1 >= self.width {
            return 0;
        }
        self.clear_wide_neighbours(x, y);
        self.cells[i] = Cell { ch, style };
        if width == 2 {
            self.clear_wide_neighbours(x + 1, y);
            self.cells[i + 1] = Cell { ch: Cell::CONTINUATION, style };
        }
        width
    }

    /// Before overwriting (x, y): if it is half of a wide character, blank the other half so no
    /// orphaned half remains.
    fn clear_wide_neighbours(&mut self, x: u16, y: u16) {
        let Some(i) = self.index(x, y) else { return };
        if self.cells[i].is_continuation() && x > 0 {
            self.cells[i - 1] = Cell::BLANK;
        }
        if x + 1 < self.width && self.cells[i + 1].is_continuation() {
            self.cells[i + 1] = Cell::BLANK;
        }
    }

    /// Puts a string starting at (x, y), clipped at the right edge; returns the columns used.
    pub(crate) fn put_str(&mut self, x: u16, y: u16, text: &str, style: Style) -> u16 {
        let mut col = x;
        for ch in text.chars() {
            if col >= self.width {
                break;
            }
            col += self.put_char(col, y, ch, style);
        }
        col - x
    }

    /// Rewrites the style of every cell (the engine maps colours to the terminal's depth).
    pub(crate) fn map_styles(&mut self, mut f: impl FnMut(Style) -> Style) {
        for cell in &mut self.cells {
            cell.style = f(cell.style);
        }
    }

    /// Fills a rectangle (clipped) with one character and style; wide characters are not
    /// allowed here and become spaces.
    pub(crate) fn fill(&mut self, x: u16, y: u16, width: u16, height: u16, ch: char, style: Style) {
        let ch = if ch.width() == Some(1) { ch } else { ' ' };
        for row in y..y.saturating_add(height).min(self.height) {
            for col in x..x.saturating_add(width).min(self.width) {
                self.put_char(col, row, ch, style);
            }
        }
    }

    /// The buffer as plain text, one line per row, trailing spaces trimmed (for tests; the
    /// headless output is `saver::text_view`).
    #[cfg(test)]
    #[must_use]
    pub(crate) fn to_text(&self) -> String {
        let mut out = String::new();
        for y in 0..self.height {
            let line: String =
                self.row(y).iter().filter(|c| !c.is_continuation()).map(|c| c.ch).collect();
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_str_clips_at_the_edge() {
        let mut buf = Buffer::new(5, 2);
        assert_eq!(buf.put_str(3, 0, "hello", Style::default()), 2);
        assert_eq!(buf.to_text(), "   he\n\n");
    }

    #[test]
    fn wide_characters_take_two_cells() {
        let mut buf = Buffer::new(6, 1);
        assert_eq!(buf.put_str(0, 0, "アイ", Style::default()), 4);
        assert!(buf.get(1, 0).is_some_and(Cell::is_continuation));
        assert_eq!(buf.to_text(), "アイ\n");
    }

    #[test]
    fn wide_character_does_not_straddle_the_edge() {
        let mut buf = Buffer::new(3, 1);
        assert_eq!(buf.put_str(0, 0, "アイ", Style::default()), 2);
        assert_eq!(buf.to_text(), "ア\n");
    }

    #[test]
    fn overwriting_half_a_wide_char_blanks_the_other_half() {
        let mut buf = Buffer::new(4, 1);
        buf.put_str(0, 0, "ア", Style::default());
        buf.put_char(1, 0, 'x', Style::default());
        assert_eq!(buf.to_text(), " x\n");
    }

    #[test]
    fn control_characters_become_spaces() {
        let mut buf = Buffer::new(3, 1);
        buf.put_str(0, 0, "a\x1bb", Style::default());
        assert_eq!(buf.to_text(), "a b\n");
    }

    #[test]
    fn out_of_range_is_ignored() {
        let mut buf = Buffer::new(2, 2);
        assert_eq!(buf.put_char(5, 5, 'x', Style::default()), 0);
        assert!(buf.get(5, 5).is_none());
        assert!(buf.row(9).is_empty());
    }
}
