//! The drawing surface a screen sees: a [`Canvas`] borrows the engine's frame [`Buffer`] and
//! offers only the drawing half of it (size, reading a cell, putting characters, filling,
//! clearing). The engine's half (the change marks, what the terminal shows, the style map) is
//! not reachable from a screen. Every method forwards to the buffer and is inlined, so drawing
//! through a canvas costs the same as drawing into the buffer.

use crate::saver::kit::buffer::{Buffer, Cell, Style};

/// A screen's view of the frame buffer; see the module documentation.
pub struct Canvas<'a> {
    buf: &'a mut Buffer,
}

impl<'a> Canvas<'a> {
    /// A canvas drawing into `buf`.
    #[inline]
    pub fn new(buf: &'a mut Buffer) -> Canvas<'a> {
        Canvas { buf }
    }

    /// The buffer behind the canvas: for the engine only (a screen never sees it).
    #[inline]
    pub(crate) fn buffer(&mut self) -> &mut Buffer {
        self.buf
    }

    /// Width in columns.
    #[must_use]
    #[inline]
    pub fn width(&self) -> u16 {
        self.buf.width()
    }

    /// Height in rows.
    #[must_use]
    #[inline]
    pub fn height(&self) -> u16 {
        self.buf.height()
    }

    /// The cell at (x, y), if inside.
    #[must_use]
    #[inline]
    pub fn get(&self, x: u16, y: u16) -> Option<Cell> {
        self.buf.get(x, y)
    }

    /// Blanks every cell (see [`Buffer::clear`]).
    #[inline]
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// Puts one character at (x, y), clipped; returns the columns it took (see
    /// [`Buffer::put_char`]).
    #[inline]
    pub fn put_char(&mut self, x: u16, y: u16, ch: char, style: Style) -> u16 {
        self.buf.put_char(x, y, ch, style)
    }

    /// Puts `text` from (x, y), clipped; returns the columns it took (see
    /// [`Buffer::put_str`]).
    #[inline]
    pub fn put_str(&mut self, x: u16, y: u16, text: &str, style: Style) -> u16 {
        self.buf.put_str(x, y, text, style)
    }

    /// Fills a rectangle with `ch` (see [`Buffer::fill`]).
    #[inline]
    pub fn fill(&mut self, x: u16, y: u16, width: u16, height: u16, ch: char, style: Style) {
        self.buf.fill(x, y, width, height, ch, style);
    }
}

impl Buffer {
    /// A [`Canvas`] over this buffer: what the engine and tests hand to a screen.
    #[inline]
    pub fn canvas(&mut self) -> Canvas<'_> {
        Canvas::new(self)
    }
}
