//! The built-in screens, one file each. Each file exposes `info() -> ScreenInfo`.
//!
//! Adding a built-in screen is one file here plus its name in the `builtin_screens!` line
//! below, which declares the module and lists it in `registry::builtin`.

pub(crate) mod bigfont;
pub(crate) mod font;
pub(crate) mod paint;

use super::buffer::Buffer;
use super::screen::ScreenInfo;

/// Declares each screen module and builds the list of their registry entries, in order.
macro_rules! builtin_screens {
    ($($name:ident),* $(,)?) => {
        $(pub mod $name;)*

        /// The registry entries of the built-in screens.
        #[must_use]
        pub(crate) fn builtin() -> Vec<ScreenInfo> {
            vec![$($name::info()),*]
        }
    };
}

builtin_screens!(
    matrix, clock, randtxt, sysmon, programmer, pipes, fire, life, starfield, plasma, maze, bonsai,
    donut, snow, aquarium, img2ascii, fortune
);

/// Display width of `text` in cells.
#[must_use]
pub(crate) fn text_width(text: &str) -> u16 {
    u16::try_from(unicode_width::UnicodeWidthStr::width(text)).unwrap_or(u16::MAX)
}

/// The column at which `text` is centred in `buf` (0 if it does not fit).
#[must_use]
pub(crate) fn centre_x(buf: &Buffer, text: &str) -> u16 {
    buf.width().saturating_sub(text_width(text)) / 2
}

/// 0, 1, ..., range, range-1, ..., 0, 1, ... (a triangle wave).
pub(crate) fn bounce(step: u64, range: u16) -> u16 {
    if range == 0 {
        return 0;
    }
    let period = 2 * u64::from(range);
    let phase = step % period;
    (if phase <= u64::from(range) { phase } else { period - phase }) as u16
}
