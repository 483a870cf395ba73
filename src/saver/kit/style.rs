//! The bottom of the drawing surface: [`Color`], [`Attrs`] and [`Style`], what a cell is drawn
//! with. They import nothing of the saver; the buffer, the colour mapping, the themes and every
//! screen build on them.

/// A `HashMap` with FxHash (rustc-hash), for the per-frame style maps: keys are small and
/// ours, so a fast non-cryptographic hash is right, and SipHash dominated a profile of matrix.
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// A terminal colour, mapped by the engine to what the terminal supports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Color {
    /// The terminal's default colour.
    #[default]
    Reset,
    /// One of the 256 indexed colours (0-15 are the classic ANSI colours).
    Indexed(u8),
    /// A 24-bit colour.
    Rgb(u8, u8, u8),
}

/// Text attributes, as a small bit set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Attrs(u8);

impl Attrs {
    pub const NONE: Attrs = Attrs(0);
    pub const BOLD: Attrs = Attrs(1);
    pub const DIM: Attrs = Attrs(2);
    pub const ITALIC: Attrs = Attrs(4);
    pub const UNDERLINE: Attrs = Attrs(8);
    pub const REVERSE: Attrs = Attrs(16);

    #[must_use]
    pub const fn contains(self, other: Attrs) -> bool {
        self.0 & other.0 == other.0
    }

    #[must_use]
    pub const fn union(self, other: Attrs) -> Attrs {
        Attrs(self.0 | other.0)
    }

    #[must_use]
    pub const fn bits(self) -> u8 {
        self.0
    }
}

impl std::ops::BitOr for Attrs {
    type Output = Attrs;
    fn bitor(self, rhs: Attrs) -> Attrs {
        self.union(rhs)
    }
}

/// Foreground, background and attributes of drawn text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Style {
    pub fg: Color,
    pub bg: Color,
    pub attrs: Attrs,
}

impl Style {
    #[must_use]
    pub const fn fg(color: Color) -> Style {
        Style { fg: color, bg: Color::Reset, attrs: Attrs::NONE }
    }

    #[must_use]
    pub const fn with_attrs(self, attrs: Attrs) -> Style {
        Style { attrs: self.attrs.union(attrs), ..self }
    }
}
