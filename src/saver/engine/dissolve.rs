//! The dissolve: over about a second, the cells of the screen change to the next screen's one
//! by one in a random order. Every cell gets a random rank once; a frame shows the next screen
//! in the cells whose rank is below the progress. The diffed renderer then writes only the
//! cells that changed since the last frame, about a thirtieth of the screen per frame.

use std::time::Duration;

use rand::Rng;
use rand::seq::SliceRandom;

use crate::saver::kit::buffer::{Buffer, Cell};
use crate::saver::kit::screen::Size;

/// How long a dissolve takes.
pub(crate) const DURATION: Duration = Duration::from_secs(1);
/// Frames per second while dissolving.
pub(crate) const FRAME: Duration = Duration::from_millis(33);

/// One dissolve in progress.
pub(crate) struct Dissolve {
    size: Size,
    /// The rank of every cell (row-major): a permutation of 0..cells.
    ranks: Vec<u32>,
    elapsed: Duration,
}

impl Dissolve {
    /// A new dissolve over `size`, in a random order.
    pub(crate) fn new(size: Size, rng: &mut impl Rng) -> Dissolve {
        let cells = usize::from(size.width) * usize::from(size.height);
        let mut ranks: Vec<u32> =
            (0..cells).map(|i| u32::try_from(i).unwrap_or(u32::MAX)).collect();
        ranks.shuffle(rng);
        Dissolve { size, ranks, elapsed: Duration::ZERO }
    }

    /// After a resize: the same progress, over the new size.
    pub(crate) fn resize(&mut self, size: Size, rng: &mut impl Rng) {
        let elapsed = self.elapsed;
        *self = Dissolve::new(size, rng);
        self.elapsed = elapsed;
    }

    /// Advances by `dt`; `true` when the dissolve is complete.
    pub(crate) fn advance(&mut self, dt: Duration) -> bool {
        self.elapsed += dt;
        self.elapsed >= DURATION
    }

    /// How many cells show the next screen now.
    fn threshold(&self) -> u32 {
        let progress = (self.elapsed.as_secs_f64() / DURATION.as_secs_f64()).clamp(0.0, 1.0);
        (progress * self.ranks.len() as f64) as u32
    }

    /// Copies the cells of `next` whose turn has come into `buf` (both of `size`).
    pub(crate) fn compose(&self, buf: &mut Buffer, next: &Buffer) {
        let threshold = self.threshold();
        let width = usize::from(self.size.width);
        let chosen = |x: u16, y: u16| {
            let i = usize::from(y) * width + usize::from(x);
            self.ranks.get(i).is_some_and(|&r| r < threshold)
        };
        for y in 0..self.size.height.min(buf.height()).min(next.height()) {
            for x in 0..self.size.width.min(buf.width()).min(next.width()) {
                if !chosen(x, y) {
                    continue;
                }
                let Some(cell) = next.get(x, y) else { continue };
                if cell.is_continuation() {
                    // The right half of a wide glyph: drawn with its left half when that was
                    // chosen too, else a blank in its colours.
                    if x == 0 || !chosen(x - 1, y) {
                        buf.put_char(x, y, ' ', cell.style);
                    }
                    continue;
                }
                let Cell { ch, style } = cell;
                if buf.put_char(x, y, ch, style) == 0 {
                    buf.put_char(x, y, ' ', style);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saver::kit::buffer::Style;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn filled(ch: char, w: u16, h: u16) -> Buffer {
        let mut buf = Buffer::new(w, h);
        buf.fill(0, 0, w, h, ch, Style::default());
        buf
    }

    fn count(buf: &Buffer, ch: char) -> usize {
        (0..buf.height()).flat_map(|y| buf.row(y)).filter(|c| c.ch == ch).count()
    }

    #[test]
    fn cells_change_gradually_then_all() {
        let size = Size { width: 20, height: 10 };
        let mut d = Dissolve::new(size, &mut StdRng::seed_from_u64(1));
        let next = filled('b', 20, 10);
        let mut seen = Vec::new();
        for _ in 0..4 {
            let mut buf = filled('a', 20, 10);
            d.compose(&mut buf, &next);
            seen.push(count(&buf, 'b'));
            d.advance(DURATION / 4);
        }
        assert_eq!(seen, [0, 50, 100, 150]);
        assert!(d.advance(Duration::ZERO));
        let mut buf = filled('a', 20, 10);
        d.compose(&mut buf, &next);
        assert_eq!(count(&buf, 'b'), 200);
    }

    #[test]
    fn the_order_is_random_not_row_by_row() {
        let size = Size { width: 40, height: 10 };
        let mut d = Dissolve::new(size, &mut StdRng::seed_from_u64(2));
        d.advance(DURATION / 4);
        let mut buf = filled('a', 40, 10);
        d.compose(&mut buf, &filled('b', 40, 10));
        let rows_touched = (0..10).filter(|&y| buf.row(y).any(|c| c.ch == 'b')).count();
        assert_eq!(rows_touched, 10);
    }

    #[test]
    fn wide_glyphs_are_never_split() {
        let size = Size { width: 10, height: 1 };
        let mut next = Buffer::new(10, 1);
        next.put_str(0, 0, "アイウエオ", Style::default());
        for seed in 0..20 {
            let mut d = Dissolve::new(size, &mut StdRng::seed_from_u64(seed));
            d.advance(DURATION / 2);
            let mut buf = Buffer::new(10, 1);
            buf.put_str(0, 0, "カキクケコ", Style::default());
            d.compose(&mut buf, &next);
            let row: Vec<_> = buf.row(0).collect();
            for (x, cell) in row.iter().enumerate() {
                if cell.is_continuation() {
                    assert!(
                        x > 0 && !row[x - 1].is_continuation() && row[x - 1].ch != ' ',
                        "{row:?}"
                    );
                }
            }
        }
    }
}
