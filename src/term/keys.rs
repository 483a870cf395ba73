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
    /// The arrow's sequence as `ESC [ X`: how a locked guard hands it on, byte by byte (the
    /// lock's prompt reads and skips whole sequences itself).
    pub(crate) fn sequence(self) -> [u8; 3] {
        let last = match self {
            Arrow::Up => b'A',
            Arrow::Down => b'B',
            Arrow::Right => b'C',
            Arrow::Left => b'D',
        };
        [0x1b, b'[', last]
    }

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
    iter(bytes).collect()
}

/// [`parse`] without collecting (nothing is copied: a locked guard's bytes may be a password).
pub(crate) fn iter(bytes: &[u8]) -> impl Iterator<Item = Key> + '_ {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        let (key, after) = if let Some(after) = rest.strip_prefix(FOCUS_IN) {
            (Key::FocusIn, after)
        } else if let Some(after) = rest.strip_prefix(FOCUS_OUT) {
            (Key::FocusOut, after)
        } else if let Some(arrow) = Arrow::at_start(rest) {
            (Key::Arrow(arrow), &rest[3..])
        } else {
            let (&byte, after) = rest.split_first()?;
            (Key::Press(byte), after)
        };
        rest = after;
        Some(key)
    })
}

/// Keys read but not yet handed out (a locked guard's: they may be a password being typed).
/// Allocated once at its full size, so no reallocation leaves a copy behind, and each byte is
/// wiped as it is handed out, and the rest when dropped.
pub(crate) struct PendingKeys {
    bytes: Vec<u8>,
    next: usize,
}

impl PendingKeys {
    pub(crate) fn with_capacity(capacity: usize) -> PendingKeys {
        PendingKeys { bytes: Vec::with_capacity(capacity), next: 0 }
    }

    /// Adds a key; `false` (dropped) when full.
    pub(crate) fn push(&mut self, byte: u8) -> bool {
        if self.bytes.len() >= self.bytes.capacity() {
            return false;
        }
        self.bytes.push(byte);
        true
    }

    /// The oldest key, wiped from the queue.
    pub(crate) fn pop(&mut self) -> Option<u8> {
        let slot = self.bytes.get_mut(self.next)?;
        let byte = std::mem::take(slot);
        zeroize::Zeroize::zeroize(slot);
        self.next += 1;
        if self.next == self.bytes.len() {
            // Every byte has been wiped: start again at the front.
            self.bytes.clear();
            self.next = 0;
        }
        Some(byte)
    }
}

impl Drop for PendingKeys {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_keys_come_out_in_order_bounded_and_wiped() {
        let mut keys = PendingKeys::with_capacity(4);
        assert!(b"abcd".iter().all(|&b| keys.push(b)));
        assert!(!keys.push(b'e'));
        assert_eq!(keys.pop(), Some(b'a'));
        assert_eq!(keys.bytes[0], 0, "a key handed out is wiped");
        assert!(!keys.push(b'e'), "still full until every key is out");
        assert_eq!(
            [keys.pop(), keys.pop(), keys.pop(), keys.pop()],
            [Some(b'b'), Some(b'c'), Some(b'd'), None]
        );
        assert!(keys.push(b'f'));
        assert_eq!(keys.pop(), Some(b'f'));
    }

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
