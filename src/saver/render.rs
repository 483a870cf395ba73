//! The diff encoder: turns "what the terminal shows" plus "the next frame" into the fewest bytes.
//!
//! cmatrix and rusty-rain spend 86-96 % of their output on escape sequences (docs/saver.md,
//! section "Cost"): a colour change and an absolute cursor move before almost every glyph.
//! This encoder
//! - writes only the cells that changed,
//! - groups them by style, so each colour is selected once per frame rather than once per cell,
//! - caches the cursor position and the SGR state, so no redundant escape is ever sent,
//! - picks the cheapest motion for every jump: absolute `CUP`, relative `CUU/CUD/CUF/CUB`,
//!   `CHA`, bare `LF`/`BS`/`CR` (raw mode turns off the tty's output processing, so `LF` moves
//!   straight down), or simply re-printing up to a few cells that already carry the current
//!   style,
//! - tries row-major and column-major order for each style group and keeps the shorter (falling
//!   rain changes columns, text changes rows),
//! - wraps a non-empty frame in synchronized-update sequences (DEC mode 2026) so terminals that
//!   support it never show half a frame; an unchanged frame writes nothing at all.

use std::io::Write as _;

use super::buffer::{Attrs, Buffer, Cell, Color, Style};

/// Begin / end synchronized update (terminals without support ignore them).
pub(crate) const SYNC_BEGIN: &[u8] = b"\x1b[?2026h";
pub(crate) const SYNC_END: &[u8] = b"\x1b[?2026l";

/// Largest gap the encoder bridges by re-printing cells instead of moving the cursor.
const MAX_REPRINT: u16 = 4;

/// The encoder's knowledge of the terminal: cursor position and current SGR, when known.
#[derive(Clone, Debug, Default)]
pub(crate) struct Encoder {
    cursor: Option<(u16, u16)>,
    sgr: Option<Style>,
}

/// A `HashMap` with FxHash (rustc-hash), for the per-frame style maps: keys are small and
/// ours, so a fast non-cryptographic hash is right, and SipHash dominated a profile of matrix.
pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Groups larger than this (full repaints) skip the quadratic nearest-neighbour ordering.
const GREEDY_LIMIT: usize = 600;

impl Encoder {
    #[must_use]
    pub(crate) fn new() -> Encoder {
        Encoder::default()
    }

    /// Clears the screen and resets the colours; afterwards the terminal shows a blank buffer.
    /// (`ED 2` only: the alternate screen has no scrollback, and `ED 3` is never sent.)
    pub(crate) fn clear(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\x1b[0m\x1b[H\x1b[2J");
        self.cursor = Some((0, 0));
        self.sgr = Some(Style::default());
    }

    /// Appends the bytes that turn `prev` (on screen) into `next`; both must have the same size.
    /// Returns the number of cells written. Nothing is appended when nothing changed.
    pub(crate) fn encode(&mut self, prev: &Buffer, next: &Buffer, out: &mut Vec<u8>) -> usize {
        debug_assert_eq!((prev.width(), prev.height()), (next.width(), next.height()));
        let groups = changed_cells_by_style(prev, next, self.sgr);
        if groups.is_empty() {
            return 0;
        }
        out.extend_from_slice(SYNC_BEGIN);
        let mut written = 0;
        let mut best = Vec::new();
        let mut trial = Vec::new();
        for (style, mut cells) in groups {
            written += cells.len();
            // Try several visiting orders from the same starting state; keep the shortest.
            let mut best_state = self.clone();
            best.clear();
            best_state.write_group(next, style, &cells, &mut best);
            let mut orders = Vec::new();
            if cells.len() <= GREEDY_LIMIT {
                orders.push(self.greedy_order(next, style, &cells));
            }
            cells.sort_unstable_by_key(|&(x, y)| (x, y));
            orders.push(cells);
            for order in orders {
                let mut state = self.clone();
                trial.clear();
                state.write_group(next, style, &order, &mut trial);
                if trial.len() < best.len() {
                    std::mem::swap(&mut best, &mut trial);
                    best_state = state;
                }
            }
            *self = best_state;
            out.extend_from_slice(&best);
        }
        out.extend_from_slice(SYNC_END);
        written
    }

    /// Nearest-neighbour tour of `cells` by exact motion cost, starting at the cursor.
    fn greedy_order(&self, next: &Buffer, style: Style, cells: &[(u16, u16)]) -> Vec<(u16, u16)> {
        let mut sim = self.clone();
        sim.sgr = Some(style);
        let mut left = cells.to_vec();
        let mut order = Vec::with_capacity(cells.len());
        while !left.is_empty() {
            let mut best = (usize::MAX, 0);
            for (i, &(x, y)) in left.iter().enumerate() {
                let cost = sim.move_cost(next, x, y);
                if cost < best.0 {
                    best = (cost, i);
                    if cost == 0 {
                        break;
                    }
                }
            }
            let (x, y) = left.swap_remove(best.1);
            order.push((x, y));
            let wide = next.get(x + 1, y).is_some_and(Cell::is_continuation);
            let after = x + if wide { 2 } else { 1 };
            sim.cursor = (after < next.width()).then_some((after, y));
        }
        order
    }

    /// Bytes needed to move the cursor to (x, y).
    fn move_cost(&self, next: &Buffer, x: u16, y: u16) -> usize {
        if self.cursor == Some((x, y)) {
            return 0;
        }
        let absolute = cup_len(x, y);
        match self.cursor {
            Some((cx, cy)) => {
                let relative = vertical_cost(cy, y).0 + self.horizontal_cost(next, cx, x, y).0;
                relative.min(absolute)
            }
            None => absolute,
        }
    }

    /// Writes one style group, visiting `cells` in the given order.
    fn write_group(
        &mut self,
        next: &Buffer,
        style: Style,
        cells: &[(u16, u16)],
        out: &mut Vec<u8>,
    ) {
        self.set_style(style, out);
        for &(x, y) in cells {
            self.move_to(next, x, y, out);
            let Some(cell) = next.get(x, y) else { continue };
            self.print(next, x, y, cell, out);
        }
    }

    fn print(&mut self, next: &Buffer, x: u16, y: u16, cell: &Cell, out: &mut Vec<u8>) {
        let mut utf8 = [0u8; 4];
        out.extend_from_slice(cell.ch.encode_utf8(&mut utf8).as_bytes());
        let wide = next.get(x + 1, y).is_some_and(Cell::is_continuation);
        let after = x + if wide { 2 } else { 1 };
        // At the right margin the cursor position depends on the terminal's wrap state.
        self.cursor = (after < next.width()).then_some((after, y));
    }

    /// Selects `style`, sending only the parameters that differ from the current state.
    fn set_style(&mut self, style: Style, out: &mut Vec<u8>) {
        if self.sgr == Some(style) {
            return;
        }
        let mut params: Vec<u8> = Vec::with_capacity(24);
        let (from, reset) = match self.sgr {
            Some(cur) if cur.attrs.bits() & !style.attrs.bits() == 0 => (cur, false),
            _ => (Style::default(), true),
        };
        if reset {
            params.push(b'0');
        }
        for (attr, code) in [
            (Attrs::BOLD, 1u8),
            (Attrs::DIM, 2),
            (Attrs::ITALIC, 3),
            (Attrs::UNDERLINE, 4),
            (Attrs::REVERSE, 7),
        ] {
            if style.attrs.contains(attr) && !from.attrs.contains(attr) {
                push_param(&mut params, |p| write!(p, "{code}"));
            }
        }
        if style.fg != from.fg {
            push_param(&mut params, |p| color_param(p, style.fg, false));
        }
        if style.bg != from.bg {
            push_param(&mut params, |p| color_param(p, style.bg, true));
        }
        if !params.is_empty() {
            out.extend_from_slice(b"\x1b[");
            out.extend_from_slice(&params);
            out.push(b'm');
        }
        self.sgr = Some(style);
    }

    /// Moves the cursor to (x, y) by the cheapest available means.
    fn move_to(&mut self, next: &Buffer, x: u16, y: u16, out: &mut Vec<u8>) {
        if self.cursor == Some((x, y)) {
            return;
        }
        let absolute = cup_len(x, y);
        let best = self.cursor.map(|(cx, cy)| {
            let (vlen, vkind) = vertical_cost(cy, y);
            let (hlen, hkind) = self.horizontal_cost(next, cx, x, y);
            (vlen + hlen, vkind, hkind)
        });
        match best {
            Some((len, vkind, hkind)) if len < absolute => {
                let (cx, cy) = self.cursor.unwrap_or((0, 0));
                emit_vertical(vkind, cy, y, out);
                self.emit_horizontal(next, hkind, cx, x, y, out);
            }
            _ => {
                if x == 0 {
                    let _ = write!(out, "\x1b[{}H", y + 1);
                } else {
                    let _ = write!(out, "\x1b[{};{}H", y + 1, x + 1);
                }
            }
        }
        self.cursor = Some((x, y));
    }

    fn horizontal_cost(&self, next: &Buffer, cx: u16, x: u16, y: u16) -> (usize, Horizontal) {
        use Horizontal as H;
        let mut best = (usize::MAX, H::Cha);
        let mut consider = |len: usize, kind: Horizontal| {
            if len < best.0 {
                best = (len, kind);
            }
        };
        if x == cx {
            return (0, H::Stay);
        }
        consider(csi_len(x + 1), H::Cha);
        if x == 0 {
            consider(1, H::Cr);
        }
        if x > cx {
            consider(csi_len(x - cx), H::Forward);
            if let Some(bytes) = self.reprint_len(next, cx, x, y) {
                consider(bytes, H::Reprint);
            }
        } else {
            let n = cx - x;
            consider(usize::from(n), H::Backspace);
            consider(csi_len(n), H::Back);
        }
        best
    }

    /// Bytes needed to re-print the cells cx..x of row y, if they all carry the current style,
    /// are single-width and the gap is small; `None` otherwise.
    fn reprint_len(&self, next: &Buffer, cx: u16, x: u16, y: u16) -> Option<usize> {
        if x - cx > MAX_REPRINT {
            return None;
        }
        let style = self.sgr?;
        let mut bytes = 0;
        for col in cx..x {
            let cell = next.get(col, y)?;
            let wide = next.get(col + 1, y).is_some_and(Cell::is_continuation);
            if cell.is_continuation() || wide || cell.style != style {
                return None;
            }
            bytes += cell.ch.len_utf8();
        }
        Some(bytes)
    }

    fn emit_horizontal(
        &self,
        next: &Buffer,
        kind: Horizontal,
        cx: u16,
        x: u16,
        y: u16,
        out: &mut Vec<u8>,
    ) {
        match kind {
            Horizontal::Stay => {}
            Horizontal::Cr => out.push(b'\r'),
            Horizontal::Cha => csi(out, x + 1, b'G'),
            Horizontal::Forward => csi(out, x - cx, b'C'),
            Horizontal::Back => csi(out, cx - x, b'D'),
            Horizontal::Backspace => out.extend(std::iter::repeat_n(b'\x08', usize::from(cx - x))),
            Horizontal::Reprint => {
                let mut utf8 = [0u8; 4];
                for col in cx..x {
                    let ch = next.get(col, y).map_or(' ', |c| c.ch);
                    out.extend_from_slice(ch.encode_utf8(&mut utf8).as_bytes());
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Horizontal {
    Stay,
    Cr,
    Cha,
    Forward,
    Back,
    Backspace,
    Reprint,
}

#[derive(Clone, Copy, Debug)]
enum Vertical {
    Stay,
    LineFeeds,
    Down,
    Up,
}

fn vertical_cost(cy: u16, y: u16) -> (usize, Vertical) {
    match y.cmp(&cy) {
        std::cmp::Ordering::Equal => (0, Vertical::Stay),
        std::cmp::Ordering::Greater => {
            let n = y - cy;
            // A line feed is one byte and, with output processing off, moves straight down.
            // Never at the bottom row: we only ever feed down to a row that exists.
            if usize::from(n) <= csi_len(n) {
                (usize::from(n), Vertical::LineFeeds)
            } else {
                (csi_len(n), Vertical::Down)
            }
        }
        std::cmp::Ordering::Less => (csi_len(cy - y), Vertical::Up),
    }
}

fn emit_vertical(kind: Vertical, cy: u16, y: u16, out: &mut Vec<u8>) {
    match kind {
        Vertical::Stay => {}
        Vertical::LineFeeds => out.extend(std::iter::repeat_n(b'\n', usize::from(y - cy))),
        Vertical::Down => csi(out, y - cy, b'B'),
        Vertical::Up => csi(out, cy - y, b'A'),
    }
}

fn digits(n: u16) -> usize {
    match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        1000..=9999 => 4,
        _ => 5,
    }
}

/// Length of `ESC [ n X`, where n = 1 is omitted.
fn csi_len(n: u16) -> usize {
    if n == 1 { 3 } else { 3 + digits(n) }
}

fn csi(out: &mut Vec<u8>, n: u16, final_byte: u8) {
    if n == 1 {
        out.extend_from_slice(&[0x1b, b'[', final_byte]);
    } else {
        let _ = write!(out, "\x1b[{n}{}", final_byte as char);
    }
}

fn cup_len(x: u16, y: u16) -> usize {
    if x == 0 { 3 + digits(y + 1) } else { 4 + digits(y + 1) + digits(x + 1) }
}

fn push_param(params: &mut Vec<u8>, write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) {
    if !params.is_empty() {
        params.push(b';');
    }
    let _ = write(params);
}

fn color_param(p: &mut Vec<u8>, color: Color, background: bool) -> std::io::Result<()> {
    let base: u8 = if background { 40 } else { 30 };
    match color {
        Color::Reset => write!(p, "{}", base + 9),
        Color::Indexed(i @ 0..=7) => write!(p, "{}", base + i),
        Color::Indexed(i @ 8..=15) => write!(p, "{}", base + 60 + i - 8),
        Color::Indexed(i) => write!(p, "{};5;{i}", base + 8),
        Color::Rgb(r, g, b) => write!(p, "{};2;{r};{g};{b}", base + 8),
    }
}

/// The cells of `next` that differ from `prev`, grouped by style (the current SGR's group
/// first, so the frame often starts without a colour change), each group in row-major order.
/// Continuation cells are skipped: the wide character to their left covers them.
fn changed_cells_by_style(
    prev: &Buffer,
    next: &Buffer,
    current: Option<Style>,
) -> Vec<(Style, Vec<(u16, u16)>)> {
    let mut groups: Vec<(Style, Vec<(u16, u16)>)> = Vec::new();
    let mut index: FastMap<Style, usize> = FastMap::default();
    // Consecutive changed cells usually share a style: remember the last lookup.
    let mut last: Option<(Style, usize)> = None;
    if let Some(style) = current {
        groups.push((style, Vec::new()));
        index.insert(style, 0);
    }
    for y in 0..next.height() {
        let (old, new) = (prev.row(y), next.row(y));
        for (x, (a, b)) in old.iter().zip(new).enumerate() {
            if a == b || b.is_continuation() {
                continue;
            }
            let slot = match last {
                Some((style, slot)) if style == b.style => slot,
                _ => *index.entry(b.style).or_insert_with(|| {
                    groups.push((b.style, Vec::new()));
                    groups.len() - 1
                }),
            };
            last = Some((b.style, slot));
            groups[slot].1.push((x as u16, y));
        }
    }
    groups.retain(|(_, cells)| !cells.is_empty());
    groups
}

/// The whole buffer as ANSI text for a normal (scrolling) terminal: one line per row, SGR
/// changes only where the style changes, a reset at the end of each line. Used by
/// `--headless --ansi` previews.
#[must_use]
pub(crate) fn to_ansi_lines(buf: &Buffer) -> Vec<u8> {
    let mut out = Vec::new();
    for y in 0..buf.height() {
        let mut enc = Encoder { cursor: None, sgr: Some(Style::default()) };
        let row = buf.row(y);
        let last = row.iter().rposition(|c| *c != Cell::BLANK).map_or(0, |i| i + 1);
        let mut utf8 = [0u8; 4];
        for cell in &row[..last] {
            if cell.is_continuation() {
                continue;
            }
            enc.set_style(cell.style, &mut out);
            out.extend_from_slice(cell.ch.encode_utf8(&mut utf8).as_bytes());
        }
        if enc.sgr != Some(Style::default()) {
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
        let colors = [Color::Reset, Color::Indexed(2), Color::Indexed(46), Color::Rgb(1, 2, 3)];
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
    fn sgr_removal_uses_a_reset() {
        let mut enc = Encoder::new();
        let mut out = Vec::new();
        enc.set_style(Style::fg(Color::Indexed(2)).with_attrs(Attrs::BOLD), &mut out);
        out.clear();
        enc.set_style(Style::fg(Color::Indexed(2)), &mut out);
        assert_eq!(out, b"\x1b[0;32m");
        out.clear();
        enc.set_style(Style::fg(Color::Rgb(1, 2, 3)), &mut out);
        assert_eq!(out, b"\x1b[38;2;1;2;3m");
    }

    #[test]
    fn ansi_lines_trim_and_reset() {
        let mut buf = Buffer::new(6, 2);
        buf.put_str(0, 0, "ab", Style::fg(Color::Indexed(1)));
        let text = String::from_utf8(to_ansi_lines(&buf)).unwrap();
        assert_eq!(text, "\x1b[31mab\x1b[0m\n\n");
    }
}
