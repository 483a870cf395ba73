//! The built-in screens, one file each. Each file exposes `info() -> ScreenInfo`, listed in
//! `registry::builtin`.

pub mod clock;
pub mod font;
pub mod matrix;
pub mod randtxt;
pub mod sysmon;

use super::buffer::Buffer;

/// Display width of `text` in cells.
#[must_use]
pub fn text_width(text: &str) -> u16 {
    u16::try_from(unicode_width::UnicodeWidthStr::width(text)).unwrap_or(u16::MAX)
}

/// The column at which `text` is centred in `buf` (0 if it does not fit).
#[must_use]
pub fn centre_x(buf: &Buffer, text: &str) -> u16 {
    buf.width().saturating_sub(text_width(text)) / 2
}
