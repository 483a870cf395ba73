//! The keys the engine itself answers while a screen runs: `n` or the right arrow shows the next
//! screen of a rotation or playlist, `p` or space pauses (the frame stays; again resumes), `?`
//! shows a one-line help naming the keys and the screen. Every other key ends the run, as
//! before. A screen's own keys come first (the clock's stopwatch takes space): the engine asks
//! the screen, and maps only the keys it leaves ([`command`]). On a single screen `n` does
//! nothing (there is no next screen; it does not end the run either, so the keys mean the same
//! everywhere).
//!
//! [`command`] is the whole mapping, kept a small pure function so that a mode that takes
//! every key (the lock) can branch before it.

use std::time::Duration;

use crate::saver::kit::buffer::{Attrs, Buffer, Style};
use crate::saver::kit::paint::text_width;
use crate::saver::kit::screen::Theme;
use crate::term::keys::Arrow;

/// A key press as the engine gets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Press {
    /// A key's (first) byte.
    Byte(u8),
    /// An arrow key.
    Arrow(Arrow),
}

/// What a key asks of the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Command {
    /// The next screen of a rotation (nothing on a single screen).
    Next,
    /// Pause, or resume.
    Pause,
    /// Show the keys and the screen's name (or hide them).
    Help,
    /// End the run.
    Exit,
}

/// What `press` means to the engine, once the screen has left it.
#[must_use]
pub(crate) fn command(press: Press) -> Command {
    match press {
        Press::Byte(b'n' | b'N') | Press::Arrow(Arrow::Right) => Command::Next,
        Press::Byte(b'p' | b'P' | b' ') => Command::Pause,
        Press::Byte(b'?') => Command::Help,
        Press::Byte(_) | Press::Arrow(_) => Command::Exit,
    }
}

/// How long the help line stays unless a key hides it first.
pub(crate) const HELP_FOR: Duration = Duration::from_secs(4);

/// The help line: the screen shown, whether the run is paused, and the keys.
#[must_use]
pub(crate) fn help_text(name: &str, rotation: bool, paused: bool) -> String {
    let state = if paused { " (paused)" } else { "" };
    let next = if rotation { "n/→ next · " } else { "" };
    format!(" {name}{state} · {next}p/space pause · ? help · other keys exit ")
}

/// Draws `text` on the bottom row, centred, in reverse video (readable over any screen),
/// clipped to the width.
pub(crate) fn draw_help(buf: &mut Buffer, text: &str, theme: &Theme) {
    let (width, height) = (buf.width(), buf.height());
    if width == 0 || height == 0 {
        return;
    }
    // `put_str` clips at the right edge.
    let x = width.saturating_sub(text_width(text)) / 2;
    let style = Style::fg(theme.text).with_attrs(Attrs::REVERSE | Attrs::BOLD);
    buf.put_str(x, height - 1, text, style);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_and_the_right_arrow_move_on_p_and_space_pause_and_question_mark_helps() {
        assert_eq!(command(Press::Byte(b'n')), Command::Next);
        assert_eq!(command(Press::Arrow(Arrow::Right)), Command::Next);
        assert_eq!(command(Press::Byte(b'p')), Command::Pause);
        assert_eq!(command(Press::Byte(b' ')), Command::Pause);
        assert_eq!(command(Press::Byte(b'?')), Command::Help);
    }

    #[test]
    fn every_other_key_ends_the_run() {
        for byte in [b'q', b'x', 0x1b, 0x03, b'\r', b'1'] {
            assert_eq!(command(Press::Byte(byte)), Command::Exit, "{byte}");
        }
        for arrow in [Arrow::Up, Arrow::Down, Arrow::Left] {
            assert_eq!(command(Press::Arrow(arrow)), Command::Exit, "{arrow:?}");
        }
    }

    #[test]
    fn the_help_names_the_screen_and_only_the_keys_that_work() {
        let single = help_text("matrix", false, false);
        assert!(single.contains("matrix") && single.contains("p/space pause"), "{single}");
        assert!(!single.contains("next"), "{single}");
        let rotation = help_text("clock", true, true);
        assert!(rotation.contains("clock (paused)") && rotation.contains("n/→ next"));
    }

    #[test]
    fn the_help_line_is_clipped_to_a_narrow_screen() {
        let mut buf = Buffer::new(10, 3);
        draw_help(&mut buf, &help_text("matrix", true, false), &Theme::default());
        let text = buf.to_text();
        let row = text.lines().nth(2).expect("three rows");
        assert!(row.starts_with(" matrix ·") && row.chars().count() <= 10, "{row:?}");
    }
}
