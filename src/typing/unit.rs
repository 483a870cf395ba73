//! Splitting a byte stream into indivisible "typing units".
//!
//! A unit is what a typist (or `pv -L` at typing speed) writes in one go: one whole UTF-8
//! character, or one whole terminal escape sequence (CSI, OSC, DCS, ... or a short ESC
//! sequence). Writing a unit in pieces would show half a character or a half-applied escape,
//! so both `fun pv` and `fun type` schedule units, never bytes. Invalid bytes are units of one
//! byte: nothing is ever dropped or altered.
//!
//! Every unit is at most [`MAX_UNIT`] bytes, and [`unit_len`] looks at no more than that many:
//! an escape sequence that has not ended by then (`ESC [` and thousands of digits, an OSC that
//! never sees its terminator) is not a sequence, and its bytes go through as plain one-byte
//! units. So a caller holding `MAX_UNIT` bytes always gets a unit (it can never wait forever
//! for more input), and splitting a buffer costs time linear in its length.

/// The longest unit, and the most bytes [`unit_len`] ever looks at.
pub(crate) const MAX_UNIT: usize = 4096;

const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;

/// Length of the unit at the start of `buf`.
///
/// Returns `None` when `buf` is empty, or when the unit may be longer than what `buf` holds and
/// more input can still arrive (`eof == false`); never when `buf` holds [`MAX_UNIT`] bytes or
/// more. At end of input every non-empty buffer yields a unit, so a truncated sequence is
/// written as it is.
#[must_use]
pub(crate) fn unit_len(buf: &[u8], eof: bool) -> Option<usize> {
    let first = *buf.first()?;
    let view = &buf[..buf.len().min(MAX_UNIT)];
    let (len, complete) = match first {
        ESC => escape_len(view),
        0xC2..=0xDF => utf8_len(view, 2),
        0xE0..=0xEF => utf8_len(view, 3),
        0xF0..=0xF4 => utf8_len(view, 4),
        _ => (1, true),
    };
    if complete {
        Some(len)
    } else if view.len() == MAX_UNIT {
        // Past the cap it is not a sequence: the lead byte goes alone, as a plain byte.
        Some(1)
    } else if eof {
        Some(len)
    } else {
        None
    }
}

/// Length of a UTF-8 character of `want` bytes; an invalid continuation makes the lead byte a
/// unit of its own.
fn utf8_len(buf: &[u8], want: usize) -> (usize, bool) {
    let available = buf.len().min(want);
    for &b in &buf[1..available] {
        if b & 0xC0 != 0x80 {
            return (1, true);
        }
    }
    if available == want { (want, true) } else { (available, false) }
}

/// Length of the escape sequence starting at `buf[0] == ESC`, and whether it is complete.
fn escape_len(buf: &[u8]) -> (usize, bool) {
    let Some(&second) = buf.get(1) else {
        return (1, false);
    };
    match second {
        b'[' => csi_len(buf),
        b']' | b'P' | b'X' | b'^' | b'_' => string_len(buf),
        0x20..=0x2F => {
            // nF sequence: intermediates, then one final byte.
            for (i, &b) in buf.iter().enumerate().skip(2) {
                match b {
                    0x20..=0x2F => {}
                    0x30..=0x7E => return (i + 1, true),
                    _ => return (i, true),
                }
            }
            (buf.len(), false)
        }
        0x30..=0x7E => (2, true),
        // ESC followed by a control or non-ASCII byte is not a sequence: ESC alone.
        _ => (1, true),
    }
}

/// CSI: parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, final byte 0x40-0x7E.
fn csi_len(buf: &[u8]) -> (usize, bool) {
    for (i, &b) in buf.iter().enumerate().skip(2) {
        match b {
            0x20..=0x3F => {}
            0x40..=0x7E => return (i + 1, true),
            // Malformed: end the sequence before the stray byte.
            _ => return (i, true),
        }
    }
    (buf.len(), false)
}

/// OSC/DCS/SOS/PM/APC: up to and including BEL or ST (`ESC \`).
fn string_len(buf: &[u8]) -> (usize, bool) {
    let mut i = 2;
    while i < buf.len() {
        match buf[i] {
            BEL => return (i + 1, true),
            ESC if buf.get(i + 1) == Some(&b'\\') => return (i + 2, true),
            _ => i += 1,
        }
    }
    (buf.len(), false)
}

/// Iterator over the units of a complete buffer (end of input is known).
pub(crate) fn units(buf: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = buf;
    std::iter::from_fn(move || {
        let len = unit_len(rest, true)?;
        let (unit, tail) = rest.split_at(len);
        rest = tail;
        Some(unit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(s: &[u8]) -> Vec<&[u8]> {
        units(s).collect()
    }

    #[test]
    fn ascii_is_one_byte_per_unit() {
        assert_eq!(split(b"ab\n"), vec![&b"a"[..], b"b", b"\n"]);
    }

    #[test]
    fn utf8_characters_are_whole() {
        assert_eq!(split("é€😀".as_bytes()), vec!["é".as_bytes(), "€".as_bytes(), "😀".as_bytes()]);
    }

    #[test]
    fn incomplete_utf8_waits_for_more_input() {
        assert_eq!(unit_len(&"€".as_bytes()[..2], false), None);
        assert_eq!(unit_len(&"€".as_bytes()[..2], true), Some(2));
    }

    #[test]
    fn invalid_bytes_are_single_units() {
        assert_eq!(split(b"\xC3A\xFF"), vec![&b"\xC3"[..], b"A", b"\xFF"]);
    }

    #[test]
    fn csi_sequences_are_whole() {
        assert_eq!(split(b"\x1b[1;31mX\x1b[0m"), vec![&b"\x1b[1;31m"[..], b"X", b"\x1b[0m"]);
        assert_eq!(unit_len(b"\x1b[1;3", false), None);
    }

    #[test]
    fn osc_ends_at_bel_or_st() {
        assert_eq!(unit_len(b"\x1b]2;title\x07rest", false), Some(10));
        assert_eq!(unit_len(b"\x1b]2;t\x1b\\rest", false), Some(7));
        assert_eq!(unit_len(b"\x1b]2;t", false), None);
    }

    #[test]
    fn short_escapes() {
        assert_eq!(unit_len(b"\x1b(Bx", false), Some(3));
        assert_eq!(unit_len(b"\x1b7x", false), Some(2));
        assert_eq!(unit_len(b"\x1b", false), None);
        assert_eq!(unit_len(b"\x1b", true), Some(1));
    }

    #[test]
    fn runaway_sequences_go_through_as_plain_bytes() {
        for start in [&b"\x1b]0;"[..], b"\x1b[", b"\x1bP", b"\x1b "] {
            let mut long = start.to_vec();
            long.resize(MAX_UNIT + 10, if start[1] == b'[' { b'1' } else { b' ' });
            assert_eq!(unit_len(&long, false), Some(1), "{start:?}");
            assert_eq!(unit_len(&long, true), Some(1), "{start:?}");
            // Short of the cap, more input may still end the sequence.
            assert_eq!(unit_len(&long[..MAX_UNIT - 1], false), None, "{start:?}");
        }
    }

    #[test]
    fn a_long_unterminated_csi_is_plain_bytes() {
        // ESC [ and a megabyte of digits: not a sequence, so one unit per byte (the old splitter
        // made it one unit only at end of input, and rescanned the whole tail for every byte
        // that arrived before).
        let mut long = b"\x1b[".to_vec();
        long.resize(1 << 20, b'7');
        assert!(units(&long).all(|u| u.len() == 1));
        assert_eq!(units(&long).count(), 1 << 20);
    }

    proptest! {
        #[test]
        fn units_concatenate_to_the_input(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let joined: Vec<u8> = units(&bytes).flatten().copied().collect();
            prop_assert_eq!(joined, bytes);
        }

        #[test]
        fn streaming_never_yields_empty_units(bytes in proptest::collection::vec(any::<u8>(), 1..64)) {
            if let Some(n) = unit_len(&bytes, false) {
                prop_assert!(n >= 1 && n <= bytes.len());
            }
        }

        /// The answer depends on the first MAX_UNIT bytes only (bounded work per unit), and a
        /// buffer that long always yields a unit (a streaming caller always makes progress).
        #[test]
        fn bounded_look_ahead_and_progress(
            head in proptest::collection::vec(prop_oneof![Just(0x1b_u8), Just(b'['), Just(b']'), Just(b'5'), Just(b';'), any::<u8>()], 1..64),
            fill in any::<u8>(),
            tail_a in proptest::collection::vec(any::<u8>(), 0..64),
            tail_b in proptest::collection::vec(any::<u8>(), 0..64),
            eof: bool,
        ) {
            let mut a = head.clone();
            a.resize(MAX_UNIT, fill);
            let mut b = a.clone();
            a.extend_from_slice(&tail_a);
            b.extend_from_slice(&tail_b);
            let len = unit_len(&a, eof);
            prop_assert_eq!(len, unit_len(&b, eof));
            prop_assert!(len.is_some_and(|n| (1..=MAX_UNIT).contains(&n)));
        }
    }
}
