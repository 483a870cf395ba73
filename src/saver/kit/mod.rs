//! The screen API: everything a screen is written against, and nothing of the engine, the
//! screens or the product. The drawing surface (`style`, `color`, `theme`, `buffer`), the
//! contract (`screen`), the value parsers for screen options (`values`), the paint helpers and
//! fonts (`paint`, `font`, `bigfont`).

pub(crate) mod bigfont;
pub(crate) mod buffer;
pub(crate) mod color;
pub(crate) mod font;
pub(crate) mod paint;
pub(crate) mod screen;
pub(crate) mod style;
pub(crate) mod theme;
pub(crate) mod values;
