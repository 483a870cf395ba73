//! What the encoder knows of the terminal (cursor position and current SGR) and the bytes that
//! change it: the cheapest cursor motion to a cell, the shortest SGR change, a printed glyph.
//!
//! A [`Pen`] is a small `Copy` value, so the encoder can price a visiting order by running a
//! copy of it over the cells ([`Pen::order_cost`]) without producing a byte, and then write only
//! the cheapest order. The price is exact: every motion writes exactly what [`Pen::move_cost`]
//! said it would.

use crate::saver::kit::buffer::{Attrs, Buffer, Color, Style};

/// Largest gap bridged by re-printing cells instead of moving the cursor.
const MAX_REPRINT: u16 = 4;

/// The terminal's cursor position and SGR state, when known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Pen {
    pub(super) cursor: Option<(u16, u16)>,
    pub(super) sgr: Option<Style>,
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

impl Pen {
    /// Bytes needed to move the cursor to (x, y).
    pub(super) fn move_cost(&self, next: &Buffer, x: u16, y: u16) -> usize {
        match self.cursor {
            Some(at) if at == (x, y) => 0,
            Some((cx, cy)) => {
                let relative = vertical_cost(cy, y).0 + self.horizontal_cost(next, cx, x, y).0;
                relative.min(cup_len(x, y))
            }
            None => cup_len(x, y),
        }
    }

    /// Where the cursor is after printing the cell at (x, y) (unknown at the right margin,
    /// where it depends on the terminal's wrap state).
    pub(super) fn after_print(next: &Buffer, x: u16, y: u16) -> Option<(u16, u16)> {
        let wide = next.is_continuation_at(x + 1, y);
        let after = x + if wide { 2 } else { 1 };
        (after < next.width()).then_some((after, y))
    }

    /// Bytes of motion needed to visit `cells` in this order with `style` selected (the SGR
    /// and the glyphs cost the same in every order, so they are left out).
    pub(super) fn order_cost(mut self, next: &Buffer, style: Style, cells: &[(u16, u16)]) -> usize {
        self.sgr = Some(style);
        let mut cost = 0;
        for &(x, y) in cells {
            cost += self.move_cost(next, x, y);
            self.cursor = Pen::after_print(next, x, y);
        }
        cost
    }

    /// Writes one style group, visiting `cells` in the given order.
    pub(super) fn write_group(
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
            push_char(out, cell.ch);
            self.cursor = Pen::after_print(next, x, y);
        }
    }

    /// Selects `style`, sending only the parameters that differ from the current state.
    pub(super) fn set_style(&mut self, style: Style, out: &mut Vec<u8>) {
        if self.sgr == Some(style) {
            return;
        }
        let (from, reset) = match self.sgr {
            Some(cur) if cur.attrs.bits() & !style.attrs.bits() == 0 => (cur, false),
            _ => (Style::default(), true),
        };
        let start = out.len();
        out.extend_from_slice(b"\x1b[");
        let mut params = Params { out, first: true };
        if reset {
            params.next().push(b'0');
        }
        for (attr, code) in [
            (Attrs::BOLD, b'1'),
            (Attrs::DIM, b'2'),
            (Attrs::ITALIC, b'3'),
            (Attrs::UNDERLINE, b'4'),
            (Attrs::REVERSE, b'7'),
        ] {
            if style.attrs.contains(attr) && !from.attrs.contains(attr) {
                params.next().push(code);
            }
        }
        if style.fg != from.fg {
            color_param(params.next(), style.fg, false);
        }
        if style.bg != from.bg {
            color_param(params.next(), style.bg, true);
        }
        if params.first {
            out.truncate(start);
        } else {
            out.push(b'm');
        }
        self.sgr = Some(style);
    }

    /// Moves the cursor to (x, y) by the cheapest available means.
    fn move_to(&mut self, next: &Buffer, x: u16, y: u16, out: &mut Vec<u8>) {
        if self.cursor == Some((x, y)) {
            return;
        }
        let best = self.cursor.map(|(cx, cy)| {
            let (vlen, vkind) = vertical_cost(cy, y);
            let (hlen, hkind) = self.horizontal_cost(next, cx, x, y);
            (vlen + hlen, vkind, hkind, cx, cy)
        });
        match best {
            Some((len, vkind, hkind, cx, cy)) if len < cup_len(x, y) => {
                emit_vertical(vkind, cy, y, out);
                emit_horizontal(next, hkind, cx, x, y, out);
            }
            _ => {
                let mut seq = Seq::csi();
                seq.number(y + 1);
                if x != 0 {
                    seq.push(b';');
                    seq.number(x + 1);
                }
                seq.push(b'H');
                seq.append_to(out);
            }
        }
        self.cursor = Some((x, y));
    }

    fn horizontal_cost(&self, next: &Buffer, cx: u16, x: u16, y: u16) -> (usize, Horizontal) {
        use Horizontal as H;
        if x == cx {
            return (0, H::Stay);
        }
        let mut best = (csi_len(x + 1), H::Cha);
        let mut consider = |len: usize, kind: Horizontal| {
            if len < best.0 {
                best = (len, kind);
            }
        };
        if x == 0 {
            consider(1, H::Cr);
        }
        if x > cx {
            consider(csi_len(x - cx), H::Forward);
            if x - cx <= MAX_REPRINT
                && let Some(bytes) = self.reprint_len(next, cx, x, y)
            {
                consider(bytes, H::Reprint);
            }
        } else {
            let n = cx - x;
            consider(usize::from(n), H::Backspace);
            consider(csi_len(n), H::Back);
        }
        best
    }

    /// Bytes needed to re-print the cells cx..x of row y, if they all carry the current style
    /// and are single-width; `None` otherwise.
    fn reprint_len(&self, next: &Buffer, cx: u16, x: u16, y: u16) -> Option<usize> {
        let style = self.sgr?;
        if cx > x {
            return None;
        }
        let mut bytes = 0;
        for col in cx..x {
            let cell = next.get(col, y)?;
            if cell.is_continuation() || cell.style != style {
                return None;
            }
            bytes += cell.ch.len_utf8();
        }
        // The last re-printed cell must not be the left half of a wide character.
        if next.is_continuation_at(x, y) {
            return None;
        }
        Some(bytes)
    }
}

/// Writes SGR parameters separated by `;`.
struct Params<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl Params<'_> {
    /// The output, after a separator if a parameter came before.
    fn next(&mut self) -> &mut Vec<u8> {
        if !std::mem::take(&mut self.first) {
            self.out.push(b';');
        }
        self.out
    }
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

fn emit_horizontal(next: &Buffer, kind: Horizontal, cx: u16, x: u16, y: u16, out: &mut Vec<u8>) {
    match kind {
        Horizontal::Stay => {}
        Horizontal::Cr => out.push(b'\r'),
        Horizontal::Cha => csi(out, x + 1, b'G'),
        Horizontal::Forward => csi(out, x - cx, b'C'),
        Horizontal::Back => csi(out, cx - x, b'D'),
        Horizontal::Backspace => out.extend(std::iter::repeat_n(b'\x08', usize::from(cx - x))),
        Horizontal::Reprint => {
            for col in cx..x {
                push_char(out, next.get(col, y).map_or(' ', |c| c.ch));
            }
        }
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
    let mut seq = Seq::csi();
    if n != 1 {
        seq.number(n);
    }
    seq.push(final_byte);
    seq.append_to(out);
}

/// A cursor motion assembled on the stack and appended to the frame in one fixed-size copy:
/// pushing its three to five pieces one by one (each a capacity check and a length update)
/// was a sixth of the encoder's work on a 400x120 matrix frame (issue 27).
struct Seq {
    bytes: [u8; 16],
    len: usize,
}

impl Seq {
    /// `ESC [`, the start of every motion.
    #[inline]
    fn csi() -> Seq {
        let mut bytes = [0; 16];
        bytes[..2].copy_from_slice(b"\x1b[");
        Seq { bytes, len: 2 }
    }

    /// Appends a byte (a motion has at most 14: `ESC [ 65535 ; 65535 H`).
    #[inline]
    fn push(&mut self, byte: u8) {
        self.bytes[self.len] = byte;
        self.len += 1;
    }

    /// Appends `n` in decimal, as `push_number` does.
    #[inline]
    fn number(&mut self, mut n: u16) {
        let end = self.len + digits(n);
        for at in (self.len..end).rev() {
            self.bytes[at] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        self.len = end;
    }

    /// Appends the sequence to `out`: the whole array is copied (a fixed size, so no call to
    /// `memcpy`) and the tail cut off again.
    #[inline]
    fn append_to(&self, out: &mut Vec<u8>) {
        let at = out.len();
        out.extend_from_slice(&self.bytes);
        out.truncate(at + self.len);
    }
}

/// Length of the absolute move `CUP` to (x, y) (the column is omitted for the first one).
fn cup_len(x: u16, y: u16) -> usize {
    if x == 0 { 3 + digits(y + 1) } else { 4 + digits(y + 1) + digits(x + 1) }
}

/// Appends `n` in decimal (what `write!` would, without the formatting machinery: this runs for
/// almost every cursor move).
pub(super) fn push_number(out: &mut Vec<u8>, n: u16) {
    let mut digits = [0u8; 5];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    push_few(out, &digits[at..]);
}

/// Appends `ch` in UTF-8.
pub(super) fn push_char(out: &mut Vec<u8>, ch: char) {
    let mut utf8 = [0u8; 4];
    push_few(out, ch.encode_utf8(&mut utf8).as_bytes());
}

/// Appends up to 5 bytes as one fixed-size copy: `extend_from_slice` of a slice whose length
/// is not known at compile time is a call to `memmove`, which cost more than the bytes it
/// copied here (3 % of a 400x120 matrix frame in the profile).
#[inline]
fn push_few(out: &mut Vec<u8>, bytes: &[u8]) {
    match *bytes {
        [a] => out.push(a),
        [a, b] => out.extend_from_slice(&[a, b]),
        [a, b, c] => out.extend_from_slice(&[a, b, c]),
        [a, b, c, d] => out.extend_from_slice(&[a, b, c, d]),
        _ => out.extend_from_slice(bytes),
    }
}

fn color_param(p: &mut Vec<u8>, color: Color, background: bool) {
    let base: u16 = if background { 40 } else { 30 };
    match color {
        Color::Reset => push_number(p, base + 9),
        Color::Indexed(i @ 0..=7) => push_number(p, base + u16::from(i)),
        Color::Indexed(i @ 8..=15) => push_number(p, base + 60 + u16::from(i) - 8),
        Color::Indexed(i) => {
            push_number(p, base + 8);
            p.extend_from_slice(b";5;");
            push_number(p, u16::from(i));
        }
        Color::Rgb(r, g, b) => {
            push_number(p, base + 8);
            p.extend_from_slice(b";2;");
            push_number(p, u16::from(r));
            p.push(b';');
            push_number(p, u16::from(g));
            p.push(b';');
            push_number(p, u16::from(b));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saver::kit::buffer::Cell;

    #[test]
    fn numbers_as_write_would() {
        for n in [0u16, 1, 9, 10, 99, 100, 999, 1000, 65535] {
            let mut out = Vec::new();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }

    #[test]
    fn motions_as_write_would() {
        for n in [0u16, 1, 2, 9, 10, 99, 100, 999, 1000, 9999, 10000, 65535] {
            let mut out = b"ab".to_vec();
            csi(&mut out, n, b'C');
            let want = if n == 1 { "\x1b[C".to_string() } else { format!("\x1b[{n}C") };
            assert_eq!(out, [&b"ab"[..], want.as_bytes()].concat());
        }
        let mut pen = Pen::default();
        let next = Buffer::new(20, 20);
        let mut out = Vec::new();
        pen.move_to(&next, 7, 12, &mut out);
        assert_eq!(out, b"\x1b[13;8H");
        let mut seq = Seq::csi();
        for n in [65535, 65535] {
            seq.number(n);
            seq.push(b';');
        }
        seq.append_to(&mut out);
        assert_eq!(out, b"\x1b[13;8H\x1b[65535;65535;");
    }

    #[test]
    fn sgr_removal_uses_a_reset() {
        let mut pen = Pen::default();
        let mut out = Vec::new();
        pen.set_style(Style::fg(Color::Indexed(2)).with_attrs(Attrs::BOLD), &mut out);
        assert_eq!(out, b"\x1b[0;1;32m");
        out.clear();
        pen.set_style(Style::fg(Color::Indexed(2)), &mut out);
        assert_eq!(out, b"\x1b[0;32m");
        out.clear();
        pen.set_style(Style::fg(Color::Rgb(1, 2, 3)), &mut out);
        assert_eq!(out, b"\x1b[38;2;1;2;3m");
        out.clear();
        pen.set_style(Style { bg: Color::Indexed(200), ..Style::fg(Color::Indexed(12)) }, &mut out);
        assert_eq!(out, b"\x1b[94;48;5;200m");
        out.clear();
        pen.set_style(Style { bg: Color::Indexed(200), ..Style::fg(Color::Indexed(12)) }, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn a_price_is_what_the_motion_writes() {
        let mut next = Buffer::new(300, 120);
        let style = Style::fg(Color::Indexed(2));
        let mut cells = Vec::new();
        for i in 0..400u32 {
            let (x, y) = ((i * 7919 % 300) as u16, (i * 104_729 % 120) as u16);
            next.put_char(x, y, if i % 5 == 0 { 'ア' } else { 'x' }, style);
            cells.push((x, y));
        }
        cells.retain(|&(x, y)| !next.get(x, y).is_some_and(Cell::is_continuation));
        for start in [None, Some((0, 0)), Some((150, 60))] {
            let pen = Pen { cursor: start, sgr: Some(style) };
            let mut out = Vec::new();
            let mut writer = pen;
            writer.write_group(&next, style, &cells, &mut out);
            let glyphs: usize =
                cells.iter().map(|&(x, y)| next.get(x, y).unwrap().ch.len_utf8()).sum();
            assert_eq!(out.len(), pen.order_cost(&next, style, &cells) + glyphs);
        }
    }
}
