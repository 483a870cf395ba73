//! What the bytes read from the terminal mean, as far as a full-screen program that ends on
//! any key needs to know. Every byte is a key press except the focus reports `ESC [ I` (focus
//! in) and `ESC [ O` (focus out), which a terminal sends after `CSI ? 1004 h` (the guard asks
//! for them, so the saver can draw nothing while the terminal is hidden); a focus change is
//! never "a key was pressed". The arrow keys' sequences (`ESC [ A`..`ESC [ D`, or `ESC O A`..
//! in application mode) are one key each, so that a saver can move on with the right arrow.

/// One thing the user did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    /// A key (or part of one: a function key's escape sequence counts once per byte), with
    /// its byte.
    Press(u8),
    /// An arrow key (its whole escape sequence).
    Arrow(Arrow),
    /// The terminal window gained focus.
    FocusIn,
    /// The terminal window lost focus.
    FocusOut,
}

/// An arrow key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Arrow {
    Up,
    Down,
    Right,
    Left,
}

impl Arrow {
    /// The arrow whose sequence `bytes` starts with (`ESC [ X` or `ESC O X`), and its length.
    fn at_start(bytes: &[u8]) -> Option<Arrow> {
        let [0x1b, b'[' | b'O', last, ..] = bytes else { return None };
        Some(match last {
            b'A' => Arrow::Up,
            b'B' => Arrow::Down,
            b'C' => Arrow::Right,
            b'D' => Arrow::Left,
            _ => return None,
        })
    }
}

const FOCUS_IN: &[u8] = b"\x1b[I";
const FOCUS_OUT: &[u8] = b"\x1b[O";

/// Splits bytes read from the terminal into keys and focus reports, in order.
pub(crate) fn parse(bytes: &[u8]) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(FOCUS_IN) {
            keys.push(Key::FocusIn);
            rest = after;
        } else if let Some(after) = rest.strip_prefix(FOCUS_OUT) {
            keys.push(Key::FocusOut);
            rest = after;
        } else if let Some(arrow) = Arrow::at_start(rest) {
            keys.push(Key::Arrow(arrow));
            rest = &rest[3..];
        } else {
            keys.push(Key::Press(rest[0]));
            rest = &rest[1..];
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_is_a_key() {
        assert_eq!(parse(b"q"), vec![Key::Press(b'q')]);
        assert_eq!(parse(b"\x03"), vec![Key::Press(3)]);
        assert_eq!(parse(b"\x1b"), vec![Key::Press(0x1b)]);
        assert!(parse(b"").is_empty());
    }

    #[test]
    fn focus_reports_are_not_keys() {
        assert_eq!(parse(b"\x1b[I\x1b[O"), vec![Key::FocusIn, Key::FocusOut]);
        assert_eq!(parse(b"\x1b[Ix"), vec![Key::FocusIn, Key::Press(b'x')]);
    }

    #[test]
    fn an_arrow_key_is_one_key() {
        assert_eq!(parse(b"\x1b[A"), vec![Key::Arrow(Arrow::Up)]);
        assert_eq!(parse(b"\x1b[Cx"), vec![Key::Arrow(Arrow::Right), Key::Press(b'x')]);
        assert_eq!(parse(b"\x1bOD"), vec![Key::Arrow(Arrow::Left)]);
        // Escape then `[`, and other sequences, are still keys byte by byte.
        assert_eq!(parse(b"\x1b[Z")[0], Key::Press(0x1b));
    }
}
