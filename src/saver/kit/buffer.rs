//! The cell buffer screens draw into.
//!
//! A grid of [`Cell`]s with clipped drawing helpers. Wide characters (CJK, katakana) take two
//! columns: the left cell holds the character, the right one is a [`Cell::CONTINUATION`] so that
//! the diff in the engine never writes into the middle of a wide glyph.
//!
//! The buffer also keeps what the engine needs to stay cheap on a big terminal, where most
//! cells do not change from one frame to the next:
//! - one dirty bit per cell written since the engine last looked ([`Buffer::drain_changes`]), so
//!   the diff visits the cells a screen touched instead of the whole grid;
//! - per row, the span of columns written since the last [`Buffer::clear`], so blanking the
//!   buffer for the next frame touches only what the last one drew;
//! - optionally a [`StyleMap`], so every style is mapped to the terminal's colour depth as it is
//!   drawn (once per distinct style, not once per cell per frame);
//! - beside every cell, what the terminal shows there (for the engine's frame buffer), in the
//!   same 16-byte slot: the diff compares the two halves of a slot that the screen's write has
//!   just brought into the cache. (With a separate "shown" buffer, its read was a second
//!   cache miss per changed cell: 19 % of a 400x120 matrix run's CPU in the profile.)
//! - each cell stored as its character and the index of its style in the buffer's
//!   palette (8 bytes, not the 16 of a [`Cell`]): four slots share a cache line, where two
//!   32-byte slots did, and a 400x120 frame takes 0.75 MB instead of 1.5 MB (issue 27).

use unicode_width::UnicodeWidthChar;

use crate::saver::kit::color::{Depth, StyleMap};

pub use crate::saver::kit::style::{Attrs, Color, FastMap, Style};

/// One terminal cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cell {
    pub ch: char,
    pub style: Style,
}

impl Cell {
    /// A blank cell in the default colours.
    pub const BLANK: Cell =
        Cell { ch: ' ', style: Style { fg: Color::Reset, bg: Color::Reset, attrs: Attrs::NONE } };
    /// Marks the right half of a wide character; the engine never prints it.
    pub const CONTINUATION: char = '\0';

    #[must_use]
    pub fn is_continuation(self) -> bool {
        self.ch == Self::CONTINUATION
    }
}

/// A cell as the buffer stores it: its character and its style's index in the [`Palette`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Packed {
    ch: char,
    style: u32,
}

impl Packed {
    /// A blank in the default style (always index 0).
    const BLANK: Packed = Packed { ch: ' ', style: 0 };

    fn is_continuation(self) -> bool {
        self.ch == Cell::CONTINUATION
    }
}

/// A cell and what the terminal shows at its place (blank in buffers the engine does not diff).
#[derive(Clone, Copy, Debug)]
#[repr(C, align(16))]
struct Slot {
    cell: Packed,
    shown: Packed,
}

const _: () = assert!(std::mem::size_of::<Slot>() == 16, "four slots share a cache line");

impl Slot {
    const BLANK: Slot = Slot { cell: Packed::BLANK, shown: Packed::BLANK };
}

/// The distinct styles in a buffer's cells, each stored once: a cell holds its style's index.
/// Index 0 is the default style. Equal styles have equal indices, so cells compare by index.
#[derive(Clone, Debug)]
struct Palette {
    styles: Vec<Style>,
    ids: FastMap<Style, u32>,
    /// The last few styles drawn (before the colour mapping) and their indices: a screen draws
    /// with a handful, so usually neither the mapping nor the index is hashed.
    recent: [(Style, u32); 8],
    next_recent: usize,
}

impl Palette {
    fn new() -> Palette {
        let mut ids = FastMap::default();
        ids.insert(Style::default(), 0);
        Palette {
            styles: vec![Style::default()],
            ids,
            recent: [(Style::default(), 0); 8],
            next_recent: 0,
        }
    }

    /// The index of `style`, added if new.
    fn intern(&mut self, style: Style) -> u32 {
        let next = self.styles.len() as u32;
        let id = *self.ids.entry(style).or_insert(next);
        if id == next {
            self.styles.push(style);
        }
        id
    }

    fn remember(&mut self, drawn: Style, id: u32) {
        self.recent[self.next_recent] = (drawn, id);
        self.next_recent = (self.next_recent + 1) % self.recent.len();
    }
}

/// A width x height grid of cells, row-major.
#[derive(Clone, Debug)]
pub struct Buffer {
    width: u16,
    height: u16,
    slots: Vec<Slot>,
    /// Per row, the columns `lo..hi` written since the last `clear` (empty when `lo >= hi`).
    written: Vec<(u16, u16)>,
    /// One bit per cell written since the last `drain_changes`, row after row, each row starting
    /// on a new word.
    dirty: Vec<u64>,
    /// Words of `dirty` per row.
    words: usize,
    /// Where drawn styles are mapped to the terminal's colour depth; `None` keeps them as drawn.
    styles: Option<StyleMap>,
    /// Whether a wide character was put since the last resize: until then no cell can be half
    /// of one, and writes skip the neighbour checks (7 % of a big matrix frame in the profile).
    wide: bool,
    /// The styles the cells (and the shown cells) index.
    palette: Palette,
}

/// Sets the bits `lo..hi` of a row's dirty words.
fn mark_bits(words: &mut [u64], lo: usize, hi: usize) {
    for (w, word) in words.iter_mut().enumerate().take(hi.div_ceil(64)).skip(lo / 64) {
        let from = lo.max(w * 64) - w * 64;
        let to = hi.min(w * 64 + 64) - w * 64;
        *word |= (u64::MAX >> (64 - (to - from))) << from;
    }
}

/// Two buffers are equal when they show the same cells; the bookkeeping does not count.
impl PartialEq for Buffer {
    fn eq(&self, other: &Buffer) -> bool {
        (self.width, self.height) == (other.width, other.height)
            && self
                .slots
                .iter()
                .zip(&other.slots)
                .all(|(a, b)| self.unpack(a.cell) == other.unpack(b.cell))
    }
}

impl Eq for Buffer {}

const NOTHING_WRITTEN: (u16, u16) = (u16::MAX, 0);

impl Buffer {
    #[must_use]
    pub fn new(width: u16, height: u16) -> Buffer {
        let mut buf = Buffer {
            width: 0,
            height: 0,
            slots: Vec::new(),
            written: Vec::new(),
            dirty: Vec::new(),
            words: 0,
            styles: None,
            wide: false,
            palette: Palette::new(),
        };
        buf.resize(width, height);
        buf
    }

    /// From now on every style drawn is dimmed by `dim` steps (`color::dim`) and mapped to
    /// `depth` (the engine's frame buffer).
    pub fn map_styles_to(&mut self, depth: Depth, dim: u8) {
        self.styles = Some(StyleMap::new(depth, dim));
        // The remembered styles were mapped the old way.
        self.forget_recent();
    }

    /// Empties the palette's memory of recent styles (it maps drawn styles to indices).
    fn forget_recent(&mut self) {
        let blank = Style::default();
        let mapped = self.styles.as_mut().map_or(blank, |map| map.map(blank));
        let id = self.palette.intern(mapped);
        self.palette.recent = [(blank, id); 8];
    }

    /// The index of the drawn `style`, mapped to the terminal's colour depth if asked.
    #[inline]
    fn style_id(&mut self, drawn: Style) -> u32 {
        if let Some(&(_, id)) = self.palette.recent.iter().find(|(s, _)| *s == drawn) {
            return id;
        }
        if self.palette.styles.len() >= (4 * self.slots.len()).max(1024) {
            self.compact_palette();
        }
        let mapped = match &mut self.styles {
            Some(map) => map.map(drawn),
            None => drawn,
        };
        let id = self.palette.intern(mapped);
        self.palette.remember(drawn, id);
        id
    }

    /// Keeps only the styles some cell or shown cell uses (a screen drawing smooth 24-bit
    /// gradients meets new styles every frame). At most two per slot are in use, so at least
    /// half the palette goes each time: the cost per style drawn stays constant.
    #[cold]
    fn compact_palette(&mut self) {
        let old = std::mem::take(&mut self.palette.styles);
        let mut fresh = Palette::new();
        let mut moved = vec![u32::MAX; old.len()];
        moved[0] = 0;
        for slot in &mut self.slots {
            for packed in [&mut slot.cell, &mut slot.shown] {
                let at = packed.style as usize;
                if moved[at] == u32::MAX {
                    moved[at] = fresh.intern(old[at]);
                }
                packed.style = moved[at];
            }
        }
        self.palette = fresh;
        self.forget_recent();
    }

    /// The cell a packed one stands for.
    #[inline]
    fn unpack(&self, packed: Packed) -> Cell {
        Cell { ch: packed.ch, style: self.palette.styles[packed.style as usize] }
    }

    #[must_use]
    pub fn width(&self) -> u16 {
        self.width
    }

    #[must_use]
    pub fn height(&self) -> u16 {
        self.height
    }

    /// Resizes and blanks the buffer (and what it says the terminal shows); nothing is dirty
    /// afterwards.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        self.slots.clear();
        self.slots.resize(usize::from(width) * usize::from(height), Slot::BLANK);
        self.written.clear();
        self.written.resize(usize::from(height), NOTHING_WRITTEN);
        self.words = usize::from(width).div_ceil(64);
        self.dirty.clear();
        self.dirty.resize(self.words * usize::from(height), 0);
        self.wide = false;
        self.palette = Palette::new();
        self.forget_recent();
    }

    /// Blanks every cell written since the last clear (the others are blank already), marking
    /// them dirty.
    pub fn clear(&mut self) {
        let (width, words) = (usize::from(self.width), self.words);
        for (y, span) in self.written.iter_mut().enumerate() {
            let (lo, hi) = std::mem::replace(span, NOTHING_WRITTEN);
            if lo >= hi {
                continue;
            }
            let (lo, hi) = (usize::from(lo), usize::from(hi));
            for slot in &mut self.slots[y * width + lo..y * width + hi] {
                slot.cell = Packed::BLANK;
            }
            mark_bits(&mut self.dirty[y * words..(y + 1) * words], lo, hi);
        }
    }

    fn index(&self, x: u16, y: u16) -> Option<usize> {
        (x < self.width && y < self.height)
            .then(|| usize::from(y) * usize::from(self.width) + usize::from(x))
    }

    /// Stores `cell` at (x, y), which must be inside, and records the write.
    #[inline]
    fn set(&mut self, x: u16, y: u16, cell: Packed) {
        let (xi, yi) = (usize::from(x), usize::from(y));
        self.slots[yi * usize::from(self.width) + xi].cell = cell;
        let span = &mut self.written[yi];
        span.0 = span.0.min(x);
        span.1 = span.1.max(x + 1);
        self.dirty[yi * self.words + xi / 64] |= 1 << (xi % 64);
    }

    /// The cell at (x, y), if inside.
    #[must_use]
    #[inline]
    pub fn get(&self, x: u16, y: u16) -> Option<Cell> {
        self.index(x, y).map(|i| self.unpack(self.slots[i].cell))
    }

    /// Whether (x, y) is the right half of a wide character (`false` if outside). Cheap while
    /// no wide character was drawn: then the cell is not even read (the encoder asks this
    /// after every glyph it prints, and on a big terminal the read was a cache miss).
    #[must_use]
    #[inline]
    pub fn is_continuation_at(&self, x: u16, y: u16) -> bool {
        self.wide && self.index(x, y).is_some_and(|i| self.slots[i].cell.is_continuation())
    }

    /// All cells of row `y` (none if outside).
    #[must_use]
    pub fn row(
        &self,
        y: u16,
    ) -> impl DoubleEndedIterator<Item = Cell> + ExactSizeIterator + Clone + '_ {
        let slots = match self.index(0, y) {
            Some(start) => &self.slots[start..start + usize::from(self.width)],
            None => &[],
        };
        slots.iter().map(|slot| self.unpack(slot.cell))
    }

    /// Calls `visit(x, y, ch, style)` for every cell written since the last call that differs
    /// from what the terminal shows there, in row-major order, with its style as an index
    /// ([`Buffer::style_at`] gives the style; equal styles have equal indices until the next
    /// draw); afterwards the terminal is taken to show every cell, and the marks are forgotten.
    /// (Continuation cells are visited too.) The index, not the style: the encoder groups the
    /// cells by it, and comparing one number instead of two colours and attributes was most of
    /// its grouping cost (issue 27).
    pub fn drain_changes(&mut self, mut visit: impl FnMut(u16, u16, char, u32)) {
        let words = self.words;
        if words == 0 {
            return;
        }
        let width = usize::from(self.width);
        for (w, word) in self.dirty.iter_mut().enumerate() {
            let mut bits = std::mem::take(word);
            let (y, base) = (w / words, w % words * 64);
            while bits != 0 {
                let x = base + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let slot = &mut self.slots[y * width + x];
                if slot.cell != slot.shown {
                    slot.shown = slot.cell;
                    visit(x as u16, y as u16, slot.cell.ch, slot.cell.style);
                }
            }
        }
    }

    /// The style of index `id` (from [`Buffer::drain_changes`] or [`Buffer::style_index`]).
    #[must_use]
    #[inline]
    pub fn style_at(&self, id: u32) -> Style {
        self.palette.styles[id as usize]
    }

    /// The index of `style` if some cell (or shown cell) may use it, as stored (after the
    /// colour mapping); `None` when no cell can have it.
    #[must_use]
    pub fn style_index(&self, style: Style) -> Option<u32> {
        self.palette.ids.get(&style).copied()
    }

    /// How many style indices there are (every index is below this).
    #[must_use]
    pub fn style_count(&self) -> usize {
        self.palette.styles.len()
    }

    /// The terminal was cleared: it shows blanks everywhere now.
    pub fn terminal_cleared(&mut self) {
        for slot in &mut self.slots {
            slot.shown = Packed::BLANK;
        }
    }

    /// Whether the terminal shows every cell as it is (after [`Buffer::drain_changes`]).
    #[must_use]
    pub fn is_shown(&self) -> bool {
        self.slots.iter().all(|slot| slot.cell == slot.shown)
    }

    /// Puts one character; returns the columns it took (0 if clipped or zero-width).
    /// A wide character that does not fit entirely is not drawn.
    pub fn put_char(&mut self, x: u16, y: u16, ch: char, style: Style) -> u16 {
        // Printable ASCII and half-width katakana (matrix's rain) first: most glyphs are, and
        // the width tables are a lookup (6 % of a big matrix frame in the profile).
        let (ch, width) = if (' '..='~').contains(&ch) || ('\u{FF61}'..='\u{FF9F}').contains(&ch) {
            (ch, 1)
        } else {
            let ch = if ch.is_control() { ' ' } else { ch };
            match ch.width() {
                Some(w @ 1..=2) => (ch, w as u16),
                _ => return 0,
            }
        };
        if x >= self.width || y >= self.height || (width == 2 && x + 1 >= self.width) {
            return 0;
        }
        let style = self.style_id(style);
        self.wide |= width == 2;
        if self.wide {
            self.clear_wide_neighbours(x, y);
        }
        self.set(x, y, Packed { ch, style });
        if width == 2 {
            self.clear_wide_neighbours(x + 1, y);
            self.set(x + 1, y, Packed { ch: Cell::CONTINUATION, style });
        }
        width
    }

    /// Before overwriting (x, y), which must be inside: if it is half of a wide character,
    /// blank the other half so no orphaned half remains.
    #[inline]
    fn clear_wide_neighbours(&mut self, x: u16, y: u16) {
        let i = usize::from(y) * usize::from(self.width) + usize::from(x);
        if x > 0 && self.slots[i].cell.is_continuation() {
            self.set(x - 1, y, Packed::BLANK);
        }
        if x + 1 < self.width && self.slots[i + 1].cell.is_continuation() {
            self.set(x + 1, y, Packed::BLANK);
        }
    }

    /// Puts a string starting at (x, y), clipped at the right edge; returns the columns used.
    pub fn put_str(&mut self, x: u16, y: u16, text: &str, style: Style) -> u16 {
        let mut col = x;
        for ch in text.chars() {
            if col >= self.width {
                break;
            }
            col += self.put_char(col, y, ch, style);
        }
        col - x
    }

    /// Fills a rectangle (clipped) with one character and style; wide characters are not
    /// allowed here and become spaces.
    pub fn fill(&mut self, x: u16, y: u16, width: u16, height: u16, ch: char, style: Style) {
        let ch = if ch.width() == Some(1) { ch } else { ' ' };
        for row in y..y.saturating_add(height).min(self.height) {
            for col in x..x.saturating_add(width).min(self.width) {
                self.put_char(col, row, ch, style);
            }
        }
    }

    /// The buffer as plain text, one line per row, trailing spaces trimmed (for tests; the
    /// headless output is `saver::text_view`).
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for y in 0..self.height {
            let line: String = self.row(y).filter(|c| !c.is_continuation()).map(|c| c.ch).collect();
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
    fn the_width_fast_paths_agree_with_the_width_tables() {
        for ch in (' '..='~').chain('\u{FF61}'..='\u{FF9F}') {
            assert_eq!(ch.width(), Some(1), "{ch:?}");
            let mut buf = Buffer::new(3, 1);
            assert_eq!(buf.put_char(1, 0, ch, Style::default()), 1, "{ch:?}");
        }
    }

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
        assert!(buf.get(1, 0).is_some_and(|c| c.is_continuation()));
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

    /// Styles come back as drawn however many there were: the palette drops the ones no cell
    /// uses and keeps the others (a 24-bit gradient draws thousands).
    #[test]
    fn many_styles_come_back_as_drawn() {
        let mut buf = Buffer::new(8, 2);
        let style = |i: u32| Style::fg(Color::Rgb((i >> 16) as u8, (i >> 8) as u8, i as u8));
        for i in 0..5000_u32 {
            buf.put_char((i % 8) as u16, 0, 'x', style(i));
            if i == 3 {
                buf.put_char(0, 1, 'k', style(i));
            }
        }
        assert!(buf.palette.styles.len() <= 1024 + 1, "{}", buf.palette.styles.len());
        for x in 0..8_u16 {
            assert_eq!(buf.get(x, 0).map(|c| c.style), Some(style(4992 + u32::from(x))));
        }
        assert_eq!(buf.get(0, 1).map(|c| c.style), Some(style(3)));
        assert_eq!(buf.get(1, 1), Some(Cell::BLANK));
    }

    /// The diff sees a cell whose style changed back and forth as changed only when it differs
    /// from what the terminal shows.
    #[test]
    fn changes_compare_styles_not_indices_of_other_frames() {
        let mut buf = Buffer::new(2, 1);
        let red = Style::fg(Color::Indexed(1));
        buf.put_char(0, 0, 'a', red);
        let mut seen = Vec::new();
        buf.drain_changes(|x, _, ch, id| seen.push((x, ch, id)));
        let id = buf.style_index(red).expect("drawn");
        assert_eq!(seen, [(0, 'a', id)]);
        assert_eq!(buf.style_at(id), red);
        buf.clear();
        buf.put_char(0, 0, 'a', red);
        seen.clear();
        buf.drain_changes(|x, _, ch, id| seen.push((x, ch, id)));
        assert!(seen.is_empty(), "{seen:?}");
        assert!(buf.is_shown());
    }

    #[test]
    fn out_of_range_is_ignored() {
        let mut buf = Buffer::new(2, 2);
        assert_eq!(buf.put_char(5, 5, 'x', Style::default()), 0);
        assert!(buf.get(5, 5).is_none());
        assert_eq!(buf.row(9).len(), 0);
    }
}
