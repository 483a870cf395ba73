//! The diff encoder: turns "what the terminal shows" plus "the next frame" into the fewest bytes.
//!
//! cmatrix and rusty-rain spend 86-96 % of their output on escape sequences
//! (docs/maintainers/performance.md, "fun saver"): a colour change and an absolute cursor move before almost every glyph.
//! This encoder
//! - looks only at the cells the screen drew or blanked since the last frame (the buffer's dirty
//!   marks) and writes only those that changed,
//! - groups them by style, so each colour is selected once per frame rather than once per cell,
//! - caches the cursor position and the SGR state, so no redundant escape is ever sent,
//! - picks the cheapest motion for every jump: absolute `CUP`, relative `CUU/CUD/CUF/CUB`,
//!   `CHA`, bare `LF`/`BS`/`CR` (raw mode turns off the tty's output processing, so `LF` moves
//!   straight down), or simply re-printing up to a few cells that already carry the current
//!   style (`render/pen.rs`),
//! - visits a style group's cells in row-major order, or for a small group (a pipe's new
//!   segments, a clock's changed digit) in a nearest-neighbour tour when that is cheaper (both
//!   are priced exactly before anything is written),
//! - wraps a non-empty frame in synchronized-update sequences (DEC mode 2026) so terminals that
//!   support it never show half a frame; an unchanged frame writes nothing at all.
//!
//! Nothing on this path allocates once the scratch vectors have grown to a frame's size, and no
//! number goes through `fmt`.

mod pen;

use self::pen::Pen;
use crate::saver::kit::buffer::{Buffer, Cell, Style};

/// Begin / end synchronized update (terminals without support ignore them).
pub(crate) const SYNC_BEGIN: &[u8] = b"\x1b[?2026h";
pub(crate) const SYNC_END: &[u8] = b"\x1b[?2026l";

/// The encoder: what it knows of the terminal, plus scratch space kept between frames.
#[derive(Debug, Default)]
pub(crate) struct Encoder {
    pen: Pen,
    groups: Groups,
    /// Scratch for the nearest-neighbour tour: the tour and the cells not visited yet.
    tour: Vec<(u16, u16)>,
    left: Vec<(u16, u16)>,
}

/// The changed cells of a frame grouped by style, in order of first appearance (the current
/// SGR's group first, so a frame often starts without a colour change); each group's cells in
/// row-major order. Styles are the frame buffer's style indices (equal styles, equal indices):
/// a cell finds its group by one table lookup, where comparing styles against the last one and
/// then a list of a dozen was about a tenth of a 400x120 matrix frame (issue 27).
#[derive(Debug, Default)]
struct Groups {
    list: Vec<(u32, Vec<(u16, u16)>)>,
    /// How many entries of `list` this frame uses (the rest keep their allocations).
    used: usize,
    /// Per style index, 1 + its group's place in `list` this frame, or 0 (reset in `start` for
    /// the indices the last frame used, so a frame costs what it changed, not the palette size).
    slot_of: Vec<u32>,
}

impl Groups {
    fn start(&mut self, current: Option<u32>, styles: usize) {
        for (id, cells) in &mut self.list[..self.used] {
            cells.clear();
            if let Some(slot) = self.slot_of.get_mut(*id as usize) {
                *slot = 0;
            }
        }
        self.used = 0;
        if self.slot_of.len() < styles {
            self.slot_of.resize(styles, 0);
        }
        if let Some(id) = current {
            self.slot(id);
        }
    }

    /// The group of style index `id`, new or not (`start` made room for every index).
    fn slot(&mut self, id: u32) -> usize {
        match self.slot_of[id as usize] {
            0 => {
                if self.used == self.list.len() {
                    self.list.push((id, Vec::new()));
                }
                self.list[self.used].0 = id;
                self.used += 1;
                self.slot_of[id as usize] = self.used as u32;
                self.used - 1
            }
            at => at as usize - 1,
        }
    }

    fn add(&mut self, id: u32, x: u16, y: u16) {
        let slot = self.slot(id);
        self.list[slot].1.push((x, y));
    }

    fn is_empty(&self) -> bool {
        self.list[..self.used].iter().all(|(_, cells)| cells.is_empty())
    }
}

impl Encoder {
    #[must_use]
    pub(crate) fn new() -> Encoder {
        Encoder::default()
    }

    /// Clears the screen and resets the colours; afterwards the terminal shows a blank buffer.
    /// (`ED 2` only: the alternate screen has no scrollback, and `ED 3` is never sent.)
    pub(crate) fn clear(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\x1b[0m\x1b[H\x1b[2J");
        self.pen = Pen { cursor: Some((0, 0)), sgr: Some(Style::default()) };
    }

    /// Appends the bytes that turn `prev` (on screen) into `next`, comparing every cell; both
    /// must have the same size. Returns the number of cells written. Nothing is appended when
    /// nothing changed. (The engine uses [`Encoder::encode_dirty`]; this is its reference.)
    #[cfg(test)]
    pub(crate) fn encode(&mut self, prev: &Buffer, next: &Buffer, out: &mut Vec<u8>) -> usize {
        debug_assert_eq!((prev.width(), prev.height()), (next.width(), next.height()));
        self.start_groups(next);
        for y in 0..next.height() {
            for (x, (a, b)) in prev.row(y).zip(next.row(y)).enumerate() {
                // Continuation cells are skipped: the wide character to their left covers them.
                if a != b && !b.is_continuation() {
                    let id = next.style_index(b.style).expect("a style of a drawn cell");
                    self.groups.add(id, x as u16, y);
                }
            }
        }
        self.write_groups(next, out)
    }

    /// Like `Encoder::encode` (the test-only reference), but compares `next` with what it
    /// records the terminal shows, only where it was drawn since the last call (its dirty
    /// marks), and then records that the terminal shows all of it: the cost follows what the
    /// screen drew, not the terminal's size.
    pub(crate) fn encode_dirty(&mut self, next: &mut Buffer, out: &mut Vec<u8>) -> usize {
        self.start_groups(next);
        let groups = &mut self.groups;
        next.drain_changes(|x, y, ch, id| {
            if ch != Cell::CONTINUATION {
                groups.add(id, x, y);
            }
        });
        self.write_groups(next, out)
    }

    /// Empties the groups for a frame drawn in `next`, the current SGR's group first.
    fn start_groups(&mut self, next: &Buffer) {
        let current = self.pen.sgr.and_then(|style| next.style_index(style));
        self.groups.start(current, next.style_count());
    }

    fn write_groups(&mut self, next: &Buffer, out: &mut Vec<u8>) -> usize {
        if self.groups.is_empty() {
            return 0;
        }
        out.extend_from_slice(SYNC_BEGIN);
        let mut written = 0;
        for g in 0..self.groups.used {
            let (id, cells) = &self.groups.list[g];
            if cells.is_empty() {
                continue;
            }
            let style = next.style_at(*id);
            written += cells.len();
            let toured = cells.len() <= TOUR_LIMIT && {
                let tour_cost = nearest_neighbour_tour(
                    self.pen,
                    next,
                    style,
                    cells,
                    &mut self.left,
                    &mut self.tour,
                );
                tour_cost < self.pen.order_cost(next, style, cells)
            };
            let order = if toured { &self.tour } else { cells };
            self.pen.write_group(next, style, order, out);
        }
        out.extend_from_slice(SYNC_END);
        written
    }
}

/// Groups up to this size also get a nearest-neighbour tour. The search is quadratic: on big
/// groups (hundreds of cells in a 400x120 matrix frame) it took most of a frame's time, while it
/// saved only 1-4 % of the bytes over row-major order (column-major order, also tried before,
/// saved 0.05 % on matrix and 1 % on donut, for a sort per group); on small groups (a pipe's few
/// new segments) it is cheap and saves the most.
const TOUR_LIMIT: usize = 16;

/// From the cursor, always the cell cheapest to move to next (exact byte cost); into `order`.
/// Returns the motion cost.
fn nearest_neighbour_tour(
    pen: Pen,
    next: &Buffer,
    style: Style,
    cells: &[(u16, u16)],
    left: &mut Vec<(u16, u16)>,
    order: &mut Vec<(u16, u16)>,
) -> usize {
    let mut pen = Pen { sgr: Some(style), ..pen };
    left.clear();
    left.extend_from_slice(cells);
    order.clear();
    let mut total = 0;
    while !left.is_empty() {
        let mut best = (usize::MAX, 0);
        for (i, &(x, y)) in left.iter().enumerate() {
            let cost = pen.move_cost(next, x, y);
            if cost < best.0 {
                best = (cost, i);
                if cost == 0 {
                    break;
                }
            }
        }
        let (x, y) = left.swap_remove(best.1);
        order.push((x, y));
        total += best.0;
        pen.cursor = Pen::after_print(next, x, y);
    }
    total
}

/// The whole buffer as ANSI text for a normal (scrolling) terminal: one line per row, SGR
/// changes only where the style changes, a reset at the end of each line. Used by
/// `--headless --ansi` previews.
#[must_use]
pub(crate) fn to_ansi_lines(buf: &Buffer) -> Vec<u8> {
    let mut out = Vec::new();
    for y in 0..buf.height() {
        let mut pen = Pen { cursor: None, sgr: Some(Style::default()) };
        let row = buf.row(y);
        let last = row.clone().rposition(|c| c != Cell::BLANK).map_or(0, |i| i + 1);
        for cell in row.take(last) {
            if cell.is_continuation() {
                continue;
            }
            pen.set_style(cell.style, &mut out);
            pen::push_char(&mut out, cell.ch);
        }
        if pen.sgr != Some(Style::default()) {
            out.extend_from_slice(b"\x1b[0m");
        }
        out.push(b'\n');
    }
    out
}

/// A vt100 parser of `h` rows and `w` columns (tests feed the engine's output into it).
#[cfg(test)]
#[must_use]
pub(crate) fn vt_parser(h: u16, w: u16) -> vt100::Parser {
    let nz = |n: u16| std::num::NonZeroU16::new(n.max(1)).unwrap_or(std::num::NonZeroU16::MIN);
    vt100::Parser::new(nz(h), nz(w), 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saver::kit::buffer::{Attrs, Color};

    fn screen_after(bytes: &[u8], w: u16, h: u16) -> vt100::Parser {
        let mut parser = vt_parser(h, w);
        parser.process(bytes);
        parser
    }

    fn assert_same_grid(parser: &vt100::Parser, buf: &Buffer) {
        let screen = parser.screen();
        for y in 0..buf.height() {
            for x in 0..buf.width() {
                let cell = buf.get(x, y).unwrap();
                if cell.is_continuation() {
                    continue;
                }
                let vt = screen.cell(y, x).unwrap();
                let got = if vt.contents().is_empty() { " " } else { vt.contents() };
                assert_eq!(got, cell.ch.to_string(), "char at {x},{y}");
                assert_eq!(vt.bold(), cell.style.attrs.contains(Attrs::BOLD), "bold at {x},{y}");
                let fg = match cell.style.fg {
                    Color::Reset => vt100::Color::Default,
                    Color::Indexed(i) => vt100::Color::Idx(i),
                    Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
                };
                assert_eq!(vt.fgcolor(), fg, "fg at {x},{y}");
            }
        }
    }

    fn random_buffer(seed: u64, w: u16, h: u16) -> Buffer {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut buf = Buffer::new(w, h);
        let glyphs = ['a', 'b', 'ア', 'イ', '█', ' ', '0'];
        // More styles than the encoder searches in a line, so its index is used too.
        let colors = [
            Color::Reset,
            Color::Indexed(2),
            Color::Indexed(46),
            Color::Indexed(9),
            Color::Indexed(200),
            Color::Indexed(240),
            Color::Rgb(1, 2, 3),
            Color::Rgb(200, 100, 0),
        ];
        for _ in 0..(w * h / 3) {
            let x = rng.random_range(0..w);
            let y = rng.random_range(0..h);
            let ch = glyphs[rng.random_range(0..glyphs.len())];
            let mut style = Style::fg(colors[rng.random_range(0..colors.len())]);
            if rng.random_bool(0.3) {
                style = style.with_attrs(Attrs::BOLD);
            }
            buf.put_char(x, y, ch, style);
        }
        buf
    }

    #[test]
    fn unchanged_frame_writes_nothing() {
        let buf = random_buffer(1, 20, 6);
        let mut enc = Encoder::new();
        let mut out = Vec::new();
        assert_eq!(enc.encode(&buf, &buf, &mut out), 0);
        assert!(out.is_empty());
    }

    #[test]
    fn random_frame_sequences_reproduce_the_grid() {
        let (w, h) = (30, 10);
        let mut enc = Encoder::new();
        let mut out = Vec::new();
        enc.clear(&mut out);
        let mut prev = Buffer::new(w, h);
        for seed in 0..60 {
            let next = random_buffer(seed, w, h);
            enc.encode(&prev, &next, &mut out);
            let parser = screen_after(&out, w, h);
            assert_same_grid(&parser, &next);
            prev = next;
        }
    }

    #[test]
    fn dirty_frames_reproduce_the_grid() {
        use rand::{Rng, SeedableRng};
        let (w, h) = (70, 9);
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let mut enc = Encoder::new();
        let mut out = Vec::new();
        enc.clear(&mut out);
        let mut next = Buffer::new(w, h);
        for seed in 0..80 {
            // Sometimes a new frame on a blanked buffer, sometimes a few changes on the last.
            if seed % 3 == 0 {
                next.clear();
            }
            let extra = random_buffer(seed, w, h);
            for _ in 0..rng.random_range(0..200) {
                let (x, y) = (rng.random_range(0..w), rng.random_range(0..h));
                let cell = extra.get(x, y).unwrap();
                if !cell.is_continuation() {
                    next.put_char(x, y, cell.ch, cell.style);
                }
            }
            enc.encode_dirty(&mut next, &mut out);
            assert!(next.is_shown());
            assert_same_grid(&screen_after(&out, w, h), &next);
        }
        // Nothing drawn since: nothing written.
        let len = out.len();
        assert_eq!(enc.encode_dirty(&mut next, &mut out), 0);
        assert_eq!(out.len(), len);
    }

    #[test]
    fn one_style_selected_once_per_frame() {
        let mut next = Buffer::new(40, 10);
        let green = Style::fg(Color::Indexed(46));
        for x in (0..40).step_by(3) {
            next.put_char(x, x % 10, 'x', green);
        }
        let mut enc = Encoder::new();
        let mut out = Vec::new();
        enc.clear(&mut out);
        out.clear();
        enc.encode(&Buffer::new(40, 10), &next, &mut out);
        let text = String::from_utf8_lossy(&out);
        assert_eq!(text.matches("38;5;46").count(), 1, "{text:?}");
    }

    #[test]
    fn vertical_runs_use_line_feeds() {
        let mut next = Buffer::new(10, 10);
        for y in 2..8 {
            next.put_char(4, y, 'x', Style::default());
        }
        let mut enc = Encoder::new();
        let mut out = Vec::new();
        enc.clear(&mut out);
        out.clear();
        enc.encode(&Buffer::new(10, 10), &next, &mut out);
        // One absolute move, then "\n\x08" (2 bytes) between the glyphs.
        let body = &out[SYNC_BEGIN.len()..out.len() - SYNC_END.len()];
        assert_eq!(body, b"\x1b[3;5Hx\n\x08x\n\x08x\n\x08x\n\x08x\n\x08x");
    }

    #[test]
    fn ansi_lines_trim_and_reset() {
        let mut buf = Buffer::new(6, 2);
        buf.put_str(0, 0, "ab", Style::fg(Color::Indexed(1)));
        let text = String::from_utf8(to_ansi_lines(&buf)).unwrap();
        assert_eq!(text, "\x1b[31mab\x1b[0m\n\n");
    }
}
