//! Themes: the four colours a screen paints with ([`Theme`]), the named themes of `--theme`,
//! and `--color`'s colour names.

use crate::saver::kit::color::{Depth, mix};
use crate::saver::kit::style::Color;
use crate::saver::kit::values::ValueError;

/// The colours a screen should use, chosen by the engine from `--color` / the theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    /// The main colour (matrix rain, clock digits, typed text).
    pub primary: Color,
    /// Highlights (matrix heads, the cursor, titles).
    pub accent: Color,
    /// Secondary text (fading tails, status lines).
    pub dim: Color,
    /// Plain text.
    pub text: Color,
    /// The terminal's colour depth (the engine fills it in from `--color-depth` or the
    /// terminal). Screens that paint with colour alone (fire, plasma, half-block pictures)
    /// switch to characters for [`Depth::Mono`] (`NO_COLOR`) and may choose their own palette
    /// for 16 colours. The named themes say [`Depth::TrueColor`].
    pub depth: Depth,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            primary: Color::Indexed(2),
            accent: Color::Indexed(15),
            dim: Color::Indexed(8),
            text: Color::Reset,
            depth: Depth::TrueColor,
        }
    }
}

/// Parses a colour name or `#rrggbb` / `rrggbb`.
///
/// # Errors
/// [`ValueError::Unknown`] for anything else.
pub fn parse_color(text: &str) -> Result<Color, ValueError> {
    let lower = text.trim().to_ascii_lowercase();
    let hex = lower.strip_prefix('#').unwrap_or(&lower);
    if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
        return Ok(Color::Rgb(byte(0), byte(2), byte(4)));
    }
    let rgb = match lower.replace(['-', '_', ' '], "").as_str() {
        "black" => (0, 0, 0),
        "red" => (220, 40, 40),
        "green" => (0, 205, 60),
        "yellow" => (230, 210, 40),
        "blue" => (60, 120, 255),
        "magenta" | "purple" => (200, 60, 220),
        "cyan" => (0, 200, 220),
        "white" | "grey" | "gray" => (210, 210, 210),
        "orange" | "amber" => (255, 170, 0),
        "pink" => (255, 110, 180),
        _ => {
            return Err(ValueError::Unknown {
                what: "colour",
                text: text.to_owned(),
                choices: "a name such as green, amber, cyan, or #rrggbb".to_owned(),
            });
        }
    };
    Ok(Color::Rgb(rgb.0, rgb.1, rgb.2))
}

/// The names accepted by `--theme`, with a short description.
pub const THEMES: &[(&str, &str)] = &[
    ("green", "green phosphor (the default)"),
    ("amber", "amber monochrome monitor"),
    ("ice", "cold blue and white"),
    ("red", "red alert"),
    ("mono", "greys only"),
    ("solarized", "solarized cyan, yellow and base tones"),
    ("terminal", "the terminal's own 16 colours, no 256/RGB colours"),
];

/// A theme built around one main colour: a near-white accent and a darker dim shade.
#[must_use]
pub fn theme_from(primary: Color) -> Theme {
    Theme {
        primary,
        accent: mix(primary, Color::Rgb(255, 255, 255), 0.8),
        dim: mix(primary, Color::Rgb(0, 0, 0), 0.55),
        text: mix(primary, Color::Rgb(255, 255, 255), 0.35),
        depth: Depth::TrueColor,
    }
}

/// Looks up a `--theme` name.
///
/// # Errors
/// [`ValueError::Unknown`] for a name that is not in [`THEMES`].
pub fn theme(name: &str) -> Result<Theme, ValueError> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "green" | "matrix" => default_theme(),
        "amber" => theme_from(Color::Rgb(255, 176, 0)),
        "ice" => Theme {
            primary: Color::Rgb(80, 170, 255),
            accent: Color::Rgb(235, 245, 255),
            dim: Color::Rgb(30, 70, 130),
            text: Color::Rgb(190, 220, 255),
            depth: Depth::TrueColor,
        },
        "red" => theme_from(Color::Rgb(230, 30, 30)),
        "mono" => Theme {
            primary: Color::Rgb(190, 190, 190),
            accent: Color::Rgb(255, 255, 255),
            dim: Color::Rgb(90, 90, 90),
            text: Color::Rgb(220, 220, 220),
            depth: Depth::TrueColor,
        },
        "solarized" => Theme {
            primary: Color::Rgb(42, 161, 152),
            accent: Color::Rgb(181, 137, 0),
            dim: Color::Rgb(88, 110, 117),
            text: Color::Rgb(147, 161, 161),
            depth: Depth::TrueColor,
        },
        "terminal" => Theme::default(),
        _ => {
            let names: Vec<&str> = THEMES.iter().map(|(n, _)| *n).collect();
            return Err(ValueError::Unknown {
                what: "theme",
                text: name.to_owned(),
                choices: names.join(", "),
            });
        }
    })
}

/// The theme used without `--theme` or `--color`: green phosphor.
#[must_use]
pub fn default_theme() -> Theme {
    theme_from(Color::Rgb(0, 205, 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_colours() {
        assert_eq!(parse_color("#ff8000"), Ok(Color::Rgb(255, 128, 0)));
        assert_eq!(parse_color("FF8000"), Ok(Color::Rgb(255, 128, 0)));
        assert!(parse_color("Green").is_ok());
        assert!(parse_color("bright-ish").unwrap_err().to_string().contains("bright-ish"));
        assert!(theme("nope").unwrap_err().to_string().contains("amber"));
    }
}
