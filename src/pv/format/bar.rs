//! The progress bar in its four styles (`-u`, `%{bar-...}`), as pv 1.10 draws it: a filled part
//! (with a `>` tip in the plain style, a partial cell in the granular and shaded ones), or for
//! an unknown size an indicator moving across and back.

use unicode_width::UnicodeWidthStr;

/// How the bar is drawn (`-u`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum BarStyle {
    #[default]
    Plain,
    Block,
    Granular,
    Shaded,
}

/// The pieces a style is drawn with.
struct Pieces {
    /// The moving indicator for an unknown size.
    indicator: &'static str,
    /// The tip after the filled part (plain only).
    tip: Option<&'static str>,
    /// Empty cell first, full cell last, partial cells between.
    fillers: &'static [&'static str],
}

const PLAIN: Pieces = Pieces { indicator: "<=>", tip: Some(">"), fillers: &[" ", "="] };
const BLOCK: Pieces = Pieces { indicator: "◀▶", tip: None, fillers: &[" ", "█"] };
const GRANULAR: Pieces =
    Pieces {
        indicator: "◀▶", tip: None, fillers: &[" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    };
const SHADED: Pieces =
    Pieces { indicator: "▒▓▒", tip: None, fillers: &["░", "▒", "▓", "█"] };

impl BarStyle {
    /// The pieces, falling back to plain where UTF-8 cannot be shown (as pv does).
    fn pieces(self, utf8: bool) -> &'static Pieces {
        match self {
            BarStyle::Block if utf8 => &BLOCK,
            BarStyle::Granular if utf8 => &GRANULAR,
            BarStyle::Shaded if utf8 => &SHADED,
            _ => &PLAIN,
        }
    }
}

/// The bar for a known percentage in `area` columns (no brackets).
#[must_use]
pub(crate) fn filled(style: BarStyle, utf8: bool, area: usize, percentage: f64) -> String {
    let pieces = style.pieces(utf8);
    let full = pieces.fillers[pieces.fillers.len() - 1];
    let percentage = if percentage.is_finite() { percentage.max(0.0) } else { 0.0 };
    let exact = area as f64 * percentage / 100.0;
    let mut cells = exact as usize;
    if pieces.tip.is_some() && cells > 0 {
        cells -= 1;
    }
    let cells = cells.min(area);
    let mut out = String::with_capacity(area * 3);
    for _ in 0..cells {
        out.push_str(full);
    }
    let mut used = cells;
    if let Some(tip) = pieces.tip {
        if used < area {
            out.push_str(tip);
            used += 1;
        }
    } else if used < area && pieces.fillers.len() > 2 {
        let steps = pieces.fillers.len() - 1;
        let part = ((exact - cells as f64) * steps as f64).max(0.0) as usize;
        out.push_str(pieces.fillers[part.min(steps)]);
        used += 1;
    }
    for _ in used..area {
        out.push_str(pieces.fillers[0]);
    }
    out
}

/// The moving indicator for an unknown size at `position` (0 to 199, folded back after 100),
/// in `width` columns including the indicator (no brackets).
#[must_use]
pub(crate) fn moving(style: BarStyle, utf8: bool, area: usize, position: f64) -> String {
    let pieces = style.pieces(utf8);
    let mut position = if position.is_finite() { position.max(0.0) % 200.0 } else { 0.0 };
    if position > 100.0 {
        position = 200.0 - position;
    }
    let before = ((area as f64 * position / 100.0) as usize).min(area);
    let mut out = String::with_capacity(area * 3 + 8);
    for _ in 0..before {
        out.push_str(pieces.fillers[0]);
    }
    out.push_str(pieces.indicator);
    for _ in before..area {
        out.push_str(pieces.fillers[0]);
    }
    out
}

/// Columns the indicator of `style` takes.
#[must_use]
pub(crate) fn indicator_width(style: BarStyle, utf8: bool) -> usize {
    style.pieces(utf8).indicator.width()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_bars_like_pv() {
        assert_eq!(filled(BarStyle::Plain, true, 10, 0.0), ">         ");
        assert_eq!(filled(BarStyle::Plain, true, 10, 50.0), "====>     ");
        assert_eq!(filled(BarStyle::Plain, true, 10, 100.0), "=========>");
        assert_eq!(filled(BarStyle::Plain, true, 10, 150.0), "==========");
        assert_eq!(moving(BarStyle::Plain, true, 5, 40.0), "  <=>   ");
        assert_eq!(moving(BarStyle::Plain, true, 5, 160.0), "  <=>   ");
    }

    #[test]
    fn unicode_bars_and_their_fallback() {
        assert_eq!(filled(BarStyle::Block, true, 4, 50.0), "██  ");
        assert_eq!(filled(BarStyle::Block, false, 4, 50.0), "=>  ");
        // 33% of 8 cells: 2 full and 0.64 of a cell (5 of 8 eighths).
        assert_eq!(filled(BarStyle::Granular, true, 8, 33.0), "██▋     ");
        assert_eq!(filled(BarStyle::Shaded, true, 8, 33.0), "██▒░░░░░");
        assert_eq!(filled(BarStyle::Shaded, true, 4, 100.0), "████");
        assert_eq!(indicator_width(BarStyle::Block, true), 2);
    }
}
