//! Making untrusted text safe to draw on a terminal: remote feeds, web pages, command output.
//!
//! Escape sequences (CSI, OSC such as window-title changes, DCS, SOS/PM/APC, short ESC forms)
//! and C0/C1 control characters are removed, except newlines; tabs become four spaces; invalid
//! UTF-8 becomes U+FFFD. Nothing that reaches the screen can move the cursor, change colours,
//! retitle the window, ring the bell or clear the screen.

use crate::typing::unit::units;

/// Sanitises `bytes` for display (see the module docs).
#[must_use]
pub fn sanitize(bytes: &[u8]) -> String {
    let mut clean = Vec::with_capacity(bytes.len());
    for unit in units(bytes) {
        match unit {
            [0x1b, ..] => {}
            b"\t" => clean.extend_from_slice(b"    "),
            b"\n" => clean.push(b'\n'),
            [b] if b.is_ascii_control() => {}
            other => clean.extend_from_slice(other),
        }
    }
    // C1 controls (U+0080-U+009F, e.g. the one-character CSI U+009B) are removed after decoding.
    String::from_utf8_lossy(&clean).chars().filter(|c| !c.is_control() || *c == '\n').collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_and_controls_are_removed() {
        assert_eq!(sanitize(b"a\x1b]2;owned\x07b\x1b[2Jc\x07\td\r\n"), "abc    d\n");
        assert_eq!(sanitize(b"x\x1bP+q\x1b\\y\x1b(0z"), "xyz");
        assert_eq!(sanitize("\u{9b}31mred".as_bytes()), "31mred");
        assert_eq!(sanitize(b"\xffok"), "\u{fffd}ok");
    }

    proptest! {
        #[test]
        fn output_never_holds_escape_or_control(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let out = sanitize(&bytes);
            prop_assert!(out.chars().all(|c| c == '\n' || !c.is_control()));
        }
    }
}
