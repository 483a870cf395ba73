//! Making untrusted text safe to draw on a terminal: remote feeds, web pages, command output,
//! calendar files from the current folder, file names echoed in error messages.
//!
//! Escape sequences (CSI, OSC such as window-title or clipboard changes, DCS, SOS/PM/APC, short
//! ESC forms), C0/C1 control characters and the bidirectional overrides and isolates (U+202A-E,
//! U+2066-9, which can make text read backwards) are removed; invalid UTF-8 becomes U+FFFD.
//! Nothing that reaches the screen can move the cursor, change colours, retitle the window, set
//! the clipboard, ring the bell, clear the screen or reorder what the reader sees. What happens
//! to tabs and newlines depends on where the text goes ([`Whitespace`]).
//!
//! Printing is a matter of types, not of habit: [`CleanLine`] (one line: no newline, no tab)
//! and [`CleanText`] (lines) can only be made by the sanitiser, and the printing edges
//! ([`crate::stdio::print_all`], [`crate::stdio::warn`], the error line of `crate::cli`) take
//! them, so text that was not cleaned cannot be handed to them.

use crate::typing::unit::units;

/// What to do with tabs and newlines, the only controls that may survive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whitespace {
    /// Newlines kept, a tab becomes four spaces (text drawn into a cell buffer).
    Layout,
    /// Newlines and tabs kept as they are (line-oriented output such as calendar's).
    Keep,
    /// One line: newlines and tabs become spaces (error messages, titles).
    OneLine,
}

/// One line of text that went through the sanitiser: no escape sequence, no control character
/// (not even a newline or a tab), no bidirectional control. Only [`CleanLine::new`] and
/// [`CleanLine::message`] make one, so a function taking `&CleanLine` cannot be given raw text.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CleanLine(String);

impl CleanLine {
    /// `bytes` as one clean line: escapes and controls removed, newlines and tabs made spaces.
    #[must_use]
    pub fn new(bytes: impl AsRef<[u8]>) -> CleanLine {
        CleanLine(sanitize_line(bytes.as_ref()))
    }

    /// `bytes` as a diagnostic: one clean line cut at [`MESSAGE_MAX_CHARS`] characters.
    #[must_use]
    pub fn message(bytes: impl AsRef<[u8]>) -> CleanLine {
        CleanLine(message_line(bytes.as_ref()))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, for a caller that stores it (it stays clean, but loses the type).
    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for CleanLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lines of text that went through the sanitiser: no escape sequence, no control character but
/// newlines and tabs, no bidirectional control. Made only by the sanitiser ([`CleanText::new`])
/// or from [`CleanLine`]s, so a function taking `&CleanText` cannot be given raw text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CleanText(String);

impl CleanText {
    /// `bytes` cleaned, with tabs and newlines treated as `whitespace` says.
    #[must_use]
    pub fn new(bytes: impl AsRef<[u8]>, whitespace: Whitespace) -> CleanText {
        CleanText(sanitize_with(bytes.as_ref(), whitespace))
    }

    /// `bytes` cleaned with tabs and newlines kept: text that is already clean (a generated
    /// page, a script, calendar lines) comes out byte for byte as it went in.
    #[must_use]
    pub fn keep(bytes: impl AsRef<[u8]>) -> CleanText {
        let bytes = bytes.as_ref();
        match std::str::from_utf8(bytes) {
            Ok(text) if is_clean(bytes) => CleanText(text.to_owned()),
            _ => CleanText::new(bytes, Whitespace::Keep),
        }
    }

    /// Appends `line` and a newline.
    pub fn push_line(&mut self, line: &CleanLine) {
        self.0.push_str(line.as_str());
        self.0.push('\n');
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<CleanLine> for CleanText {
    fn from(line: CleanLine) -> CleanText {
        CleanText(line.0)
    }
}

impl std::fmt::Display for CleanText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Sanitises `bytes` for display in a cell buffer (see the module docs).
#[must_use]
pub fn sanitize(bytes: &[u8]) -> String {
    sanitize_with(bytes, Whitespace::Layout)
}

/// Sanitises `bytes` into one line, for messages that echo a path or a value.
#[must_use]
pub fn sanitize_line(bytes: &[u8]) -> String {
    sanitize_with(bytes, Whitespace::OneLine)
}

/// The longest diagnostic [`message_line`] lets through, in characters: enough for a path, a
/// line number and a quoted excerpt; a message that quotes a whole 4 MiB line is not.
pub const MESSAGE_MAX_CHARS: usize = 1000;

/// A diagnostic for stderr: one sanitised line of at most [`MESSAGE_MAX_CHARS`] characters
/// (cut with `…`), since a message may quote a line of a hostile file or a long value.
#[must_use]
pub fn message_line(bytes: &[u8]) -> String {
    let mut line = sanitize_line(bytes);
    if let Some((cut, _)) = line.char_indices().nth(MESSAGE_MAX_CHARS) {
        line.truncate(cut);
        line.push('…');
    }
    line
}

/// Sanitises `bytes`, treating tabs and newlines as `whitespace` says.
#[must_use]
pub fn sanitize_with(bytes: &[u8], whitespace: Whitespace) -> String {
    let mut clean = Vec::with_capacity(bytes.len());
    for unit in units(bytes) {
        match (unit, whitespace) {
            ([0x1b, ..], _) => {}
            (b"\t", Whitespace::Layout) => clean.extend_from_slice(b"    "),
            (b"\t" | b"\n", Whitespace::Keep) => clean.extend_from_slice(unit),
            (b"\t" | b"\n", Whitespace::OneLine) => clean.push(b' '),
            (b"\n", Whitespace::Layout) => clean.push(b'\n'),
            ([b], _) if b.is_ascii_control() => {}
            (other, _) => clean.extend_from_slice(other),
        }
    }
    // C1 controls (U+0080-U+009F, e.g. the one-character CSI U+009B) and bidi controls are
    // removed after decoding.
    String::from_utf8_lossy(&clean).chars().filter(|&c| is_allowed(c)).collect()
}

/// Whether `c` may reach the terminal once escapes are gone.
fn is_allowed(c: char) -> bool {
    (!c.is_control() || c == '\n' || c == '\t') && !is_bidi_control(c)
}
/// `text` in double quotes for a message, each character that would act on a terminal shown
/// instead (`\n`, `\t`, `\r`, `\e`, other controls and bidi controls as `<U+NNNN>`) and a quote
/// as `\"`: what a user reads and can type again, not Rust's debug text.
#[must_use]
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x1b' => out.push_str("\\e"),
            '"' => out.push_str("\\\""),
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("<U+{:04X}>", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The explicit bidirectional formatting characters (embeddings, overrides, isolates and the
/// marks): text containing them can display in an order other than the one it is stored in.
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `bytes` would reach the terminal unchanged by [`sanitize_with`] in `Keep` mode:
/// lets hot paths skip the copy for the (usual) clean text.
#[must_use]
pub fn is_clean(bytes: &[u8]) -> bool {
    let plain = bytes.iter().all(|&b| b == b'\t' || b == b'\n' || (0x20..0x7f).contains(&b));
    plain || std::str::from_utf8(bytes).is_ok_and(|s| s.chars().all(is_allowed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_shows_controls_the_user_can_read_not_rust_debug_text() {
        assert_eq!(quoted("textt"), "\"textt\"");
        assert_eq!(quoted("a\nb\t\x1b[2J\"\u{202e}\x07"), "\"a\\nb\\t\\e[2J\\\"<U+202E><U+0007>\"");
        assert!(is_clean(quoted("\x1b]0;x\x07\u{9b}").as_bytes()));
    }

    #[test]
    fn a_message_is_cut_at_its_maximum() {
        let long = format!("f:1: found {}", "é".repeat(5 * MESSAGE_MAX_CHARS));
        let line = message_line(long.as_bytes());
        assert_eq!(line.chars().count(), MESSAGE_MAX_CHARS + 1);
        assert!(line.starts_with("f:1: found é") && line.ends_with("é…"), "{line}");
        assert_eq!(message_line(b"short\nmessage"), "short message");
    }
    use proptest::prelude::*;

    #[test]
    fn escapes_and_controls_are_removed() {
        assert_eq!(sanitize(b"a\x1b]2;owned\x07b\x1b[2Jc\x07\td\r\n"), "abc    d\n");
        assert_eq!(sanitize(b"x\x1bP+q\x1b\\y\x1b(0z"), "xyz");
        assert_eq!(sanitize("\u{9b}31mred".as_bytes()), "31mred");
        assert_eq!(sanitize(b"\xffok"), "\u{fffd}ok");
    }

    #[test]
    fn clipboard_and_bidi_tricks_are_removed() {
        let hostile = "x\x1b]52;c;ZWNobyBvd25lZA==\x07y \u{202e}gnp.exe\u{202c} \u{2067}z";
        assert_eq!(sanitize_with(hostile.as_bytes(), Whitespace::Keep), "xy gnp.exe z");
    }

    #[test]
    fn whitespace_modes() {
        assert_eq!(sanitize_with(b"a\tb\nc", Whitespace::Keep), "a\tb\nc");
        assert_eq!(sanitize_with(b"a\tb\nc", Whitespace::OneLine), "a b c");
        assert_eq!(sanitize_with(b"a\tb\nc", Whitespace::Layout), "a    b\nc");
    }

    #[test]
    fn clean_text_is_recognised() {
        assert!(is_clean(b"Jan 01\tNew Year\n"));
        assert!(is_clean("янв 01\tНовый год".as_bytes()));
        assert!(!is_clean(b"a\x1b[2J"));
        assert!(!is_clean("a\u{202e}b".as_bytes()));
        assert!(!is_clean(b"\xff"));
    }

    #[test]
    fn the_issue_cases_become_harmless_lines() {
        let about = "ab\x1b[2J\x1b]0;T\x07cd\nfake line \u{202e}txt.exe";
        assert_eq!(CleanLine::new(about).as_str(), "abcd fake line txt.exe");
        let key = "unknown key \"x\u{1b}]0;T\u{7}\u{1b}[2J\" and \"y\u{202e}\"";
        assert_eq!(CleanLine::message(key).to_string(), "unknown key \"x\" and \"y\"");
        let mut text = CleanText::keep("Jan 01\tNew Year\n");
        text.push_line(&CleanLine::new("a\nb"));
        assert_eq!(text.as_str(), "Jan 01\tNew Year\na b\n");
        assert_eq!(CleanText::keep(b"a\x1b[2J\tb\xff").as_str(), "a\tb\u{fffd}");
    }

    /// Bytes that mix plain text, UTF-8, stray bytes and the hostile pieces the sanitiser exists
    /// for (escape sequences, C1 controls, bidi overrides and isolates, line breaks).
    fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
        const PIECES: [&str; 22] = [
            "\x1b[2J",
            "\x1b]0;T\x07",
            "\x1b]52;c;eA==\x1b\\",
            "\x1bP+q\x1b\\",
            "\x1b",
            "\u{9b}31m",
            "\u{85}",
            "\u{202a}",
            "\u{202d}",
            "\u{202e}",
            "\u{2066}",
            "\u{2067}",
            "\u{2068}",
            "\u{2069}",
            "\u{200e}",
            "\u{200f}",
            "\n",
            "\r",
            "\t",
            "\x07",
            "\x00",
            "\x7f",
        ];
        let piece = prop_oneof![
            proptest::sample::select(&PIECES[..]).prop_map(|p| p.as_bytes().to_vec()),
            any::<char>().prop_map(|c| c.to_string().into_bytes()),
            any::<u8>().prop_map(|b| vec![b]),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn clean_types_never_hold_a_control_or_bidi_char(bytes in hostile_bytes()) {
            for line in [CleanLine::new(&bytes), CleanLine::message(&bytes)] {
                prop_assert!(
                    line.as_str().chars().all(|c| !c.is_control() && !is_bidi_control(c)),
                    "{:?}", line
                );
            }
            for text in [
                CleanText::keep(&bytes),
                CleanText::new(&bytes, Whitespace::Layout),
                CleanText::from(CleanLine::new(&bytes)),
            ] {
                let allowed = |c: char| !c.is_control() || c == '\n' || c == '\t';
                prop_assert!(
                    text.as_str().chars().all(|c| allowed(c) && !is_bidi_control(c)),
                    "{:?}", text
                );
            }
        }

        #[test]
        fn output_never_holds_escape_or_control(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            for mode in [Whitespace::Layout, Whitespace::Keep, Whitespace::OneLine] {
                let out = sanitize_with(&bytes, mode);
                prop_assert!(out.chars().all(is_allowed));
                prop_assert!(mode == Whitespace::Keep || !out.contains('\t'));
                prop_assert!(mode != Whitespace::OneLine || !out.contains('\n'));
                prop_assert_eq!(is_clean(out.as_bytes()), true);
            }
        }

        #[test]
        fn clean_input_is_unchanged(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            if is_clean(&bytes) {
                let out = sanitize_with(&bytes, Whitespace::Keep);
                prop_assert_eq!(out.as_bytes(), &bytes[..]);
            }
        }
    }
}
