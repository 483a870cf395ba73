//! How matrix paints: the look of every cell of a drop, the whole screen, and only the rows
//! that changed since the last paint.
//!
//! A drop that falls one row changes a few of its cells: the new head, the old head (now body),
//! the fade steps near its end and the row it left. The body in between looks the same at
//! every step (each cell keeps its glyph, the colour is the same), so repainting only those
//! rows gives the same picture as painting everything, at a fraction of the work:
//! [`Matrix::paint_changes`] does that for the rows `step` recorded (where a cell's place in the
//! drop crossed a boundary between head, body, fade steps and outside; see
//! [`Matrix::fade_boundaries`]), and a test checks that the result is the same as
//! [`Matrix::paint_all`] frame after frame.

use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Attrs, Color, Style};
use crate::saver::kit::color::{self, mix};
use crate::saver::kit::screen::Theme;

use super::{Drop, Matrix};

/// The colours of a drop: the body and its fade steps (darker and darker), and the head.
#[derive(Clone, Copy, Debug)]
pub(super) struct Look {
    shades: [Color; 9],
    accent: Color,
}

impl Look {
    const NONE: Look = Look { shades: [Color::Reset; 9], accent: Color::Reset };
}

impl Matrix {
    /// The look every drop shares, or `None` in rainbow mode (each drop its own).
    fn shared_look(&self, theme: &Theme) -> Option<Look> {
        (!self.args.rainbow).then(|| self.look(self.color.unwrap_or(theme.primary), theme.accent))
    }

    /// `shared_look`, made once per theme colours rather than every frame (27 colour mixes
    /// with rounding showed in the profile of a frame that changes a few hundred cells).
    fn remembered_look(&mut self, theme: &Theme) -> Option<Look> {
        let key = (self.color.unwrap_or(theme.primary), theme.accent);
        match self.look_made {
            Some((made_for, look)) if made_for == key => look,
            _ => {
                let look = self.shared_look(theme);
                self.look_made = Some((key, look));
                look
            }
        }
    }

    fn look(&self, base: Color, accent: Color) -> Look {
        let levels = self.args.fade;
        let mut shades = [Color::Reset; 9];
        for (l, shade) in shades.iter_mut().enumerate().take(usize::from(levels) + 1) {
            let l = l as f32;
            *shade = mix(base, Color::Rgb(0, 0, 0), 0.75 * l / f32::from(levels.max(1)));
        }
        Look { shades, accent }
    }

    /// The look of `drop`: the shared one, or else its own, made in `own`.
    fn look_of<'a>(&self, drop: &Drop, shared: Option<&'a Look>, own: &'a mut Look) -> &'a Look {
        match shared {
            Some(look) => look,
            None => {
                let hue = color::hue(drop.hue);
                *own = self.look(hue, mix(hue, Color::Rgb(255, 255, 255), 0.75));
                own
            }
        }
    }

    /// Paints every drop and the message into a blank `buf`.
    pub(super) fn paint_all(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let shared = self.shared_look(theme);
        let h = i32::from(self.size.height);
        for (x, column) in self.columns.iter().enumerate() {
            let x = x as u16;
            for drop in &self.drops[column.range()] {
                let mut own = Look::NONE;
                let look = self.look_of(drop, shared.as_ref(), &mut own);
                let head = drop.row();
                for i in 0..=drop.tail {
                    let row = head - i32::from(i);
                    if row < 0 {
                        break;
                    }
                    if row < h {
                        self.paint_cell(buf, x, row as u16, i, drop, look);
                    }
                }
            }
        }
        self.draw_message(buf, theme);
    }

    /// Repaints the rows `step` recorded as changed into `buf`, which holds the last paint.
    /// (A row recorded twice is painted twice, the same way: cheaper than sorting the list.)
    pub(super) fn paint_changes(&mut self, buf: &mut Canvas<'_>, theme: &Theme) {
        let shared = self.remembered_look(theme);
        for &(x, lo, hi) in &self.changed {
            for row in lo..=hi {
                self.repaint_cell(buf, x, row, shared.as_ref());
            }
        }
        self.draw_message(buf, theme);
    }

    /// Paints the cell (x, row) as `paint_all` leaves it: the last drop that paints it wins,
    /// else it is blank.
    fn repaint_cell(&self, buf: &mut Canvas<'_>, x: u16, row: u16, shared: Option<&Look>) {
        let column = self.columns[usize::from(x)];
        for drop in self.drops[column.range()].iter().rev() {
            let i = drop.row() - i32::from(row);
            if !(0..=i32::from(drop.tail)).contains(&i) {
                continue;
            }
            let mut own = Look::NONE;
            let look = self.look_of(drop, shared, &mut own);
            if self.paint_cell(buf, x, row, i as u16, drop, look) {
                return;
            }
        }
        buf.put_char(x, row, ' ', Style::default());
    }

    /// Paints the cell `i` rows behind the head of `drop` at (x, row), unless it has dissolved;
    /// returns whether it painted.
    fn paint_cell(&self, buf: &mut Canvas<'_>, x: u16, row: u16, i: u16, drop: &Drop, look: &Look) -> bool {
        let Some(style) = self.style(i, drop, x, look) else { return false };
        let h = usize::from(self.size.height);
        let glyph = self.cells[usize::from(x) * h + usize::from(row)];
        buf.put_char(x, row, self.glyphs[usize::from(glyph)], style);
        true
    }

    /// The style of the cell `i` rows behind a head, in a drop of `tail` rows; `None` when the
    /// cell has already dissolved.
    ///
    /// Levels: a bold near-white head, the body in the main colour, then `--fade` darker steps
    /// over the last third of the tail. Every level boundary costs one changed cell per step, so
    /// the fade is coarse; meanwhile cells vanish at random (a quarter by the first step, half
    /// by the last), which reads as the tail dissolving and saves the bytes of the later steps.
    fn style(&self, i: u16, drop: &Drop, x: u16, look: &Look) -> Option<Style> {
        let y = (drop.row() - i32::from(i)).max(0) as u16;
        let (color, head) = match self.fade_level(i, drop.tail) {
            _ if i == 0 => (look.accent, true),
            0 => (look.shades[0], false),
            level => {
                if self.dissolved(drop, y, level) {
                    return None;
                }
                (look.shades[usize::from(level)], false)
            }
        };
        let bold =
            head || self.args.all_bold || (self.args.bold && cell_hash(x, y).is_multiple_of(3));
        Some(Style::fg(color).with_attrs(if bold { Attrs::BOLD } else { Attrs::NONE }))
    }

    /// Whether the cell of row `y` has vanished from `drop` at fade step `level` (1 or more).
    /// The tail dissolves: each cell has its own random threshold (keyed on the row, not on its
    /// place in the drop, so a cell vanishes once and stays gone); by the last step half of them
    /// are gone. A vanished cell skips its remaining fade steps' bytes.
    pub(super) fn dissolved(&self, drop: &Drop, y: u16, level: u16) -> bool {
        let levels = u16::from(self.args.fade);
        let mixed = (drop.id ^ u32::from(y).wrapping_mul(0x9E37_79B9)).wrapping_mul(0x85EB_CA6B);
        let threshold = (mixed >> 8) as f32 / (1u32 << 24) as f32;
        threshold < 0.5 * f32::from(level) / f32::from(levels)
    }

    /// The fade step (1..=`--fade`) of the cell `i` rows behind the head of a drop of `tail`
    /// rows; 0 for the head and the body.
    pub(super) fn fade_level(&self, i: u16, tail: u16) -> u16 {
        let levels = u16::from(self.args.fade);
        let fade = (tail / 3).max(levels);
        if i == 0 || i + fade <= tail || levels == 0 {
            return 0;
        }
        let into = f32::from(i + fade - tail) / f32::from(fade);
        ceil(into * f32::from(levels)).clamp(1.0, f32::from(levels)) as u16
    }

    pub(super) fn draw_message(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let Some(message) = &self.args.message else { return };
        let text: String = message.chars().filter(|c| !c.is_control()).collect();
        let width = crate::saver::kit::paint::text_width(&text).min(buf.width().saturating_sub(4));
        let (bw, bh) = (width + 4, 3);
        let x = buf.width().saturating_sub(bw) / 2;
        let y = buf.height().saturating_sub(bh) / 2;
        buf.fill(x, y, bw, bh, ' ', Style::default());
        let style = Style::fg(self.color.unwrap_or(theme.accent)).with_attrs(Attrs::BOLD);
        let mut clipped = String::new();
        let mut used = 0;
        for ch in text.chars() {
            let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0) as u16;
            if used + w > width {
                break;
            }
            used += w;
            clipped.push(ch);
        }
        buf.put_str(x + 2, y + 1, &clipped, style);
    }
}

fn cell_hash(x: u16, y: u16) -> u32 {
    (u32::from(x).wrapping_mul(73_856_093) ^ u32::from(y).wrapping_mul(19_349_663)) >> 7
}

/// `x.ceil()` for the small non-negative values here, without the libm call that `ceil`
/// becomes on baseline x86-64 (it showed in the profile).
fn ceil(x: f32) -> f32 {
    let t = x as i32 as f32;
    if t < x { t + 1.0 } else { t }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ceil_as_the_standard_library_does() {
        for step in 0..2000 {
            let x = step as f32 * 0.0049;
            assert_eq!(super::ceil(x), x.ceil(), "{x}");
        }
    }
}
