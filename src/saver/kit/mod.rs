//! The screen API: everything a screen is written against, and nothing of the engine, the
//! screens or the product. The drawing surface (`style`, `color`, `theme`, `buffer`), the
//! contract (`screen`), the value parsers for screen options (`values`), the paint helpers and
//! fonts (`paint`, `font`, `bigfont`), and a headless harness for tests (`testing`).
//!
//! A screen needs one import line, `use fun::saver::kit::prelude::*;` (inside the crate,
//! `crate::saver::kit::prelude::*`); docs/writing-a-screen.md walks through one.

pub mod bigfont;
pub mod buffer;
pub mod canvas;
pub mod color;
pub mod font;
pub mod paint;
pub mod screen;
pub mod style;
pub mod testing;
pub mod theme;
pub mod values;

/// What a screen is written with, in one import.
pub mod prelude {
    pub use super::buffer::Buffer;
    pub use super::canvas::Canvas;
    pub use super::color::{Depth, hue, mix};
    pub use super::paint::{centre_x, text_width};
    pub use super::screen::{Ctx, KeyAction, Screen, ScreenInfo, Size, builtin_info};
    pub use super::style::{Attrs, Color, Style};
    pub use super::testing;
    pub use super::theme::Theme;
    pub use super::values::{ValueError, duration, text_up_to, within};
    pub use rand::rngs::StdRng;
}
