//! `%{sgr:red,bold}`: ECMA-48 Select Graphic Rendition codes from keywords or numbers, written
//! only where colour is allowed (the terminal line, never the window or process title).

/// The SGR code of each keyword (ECMA-48 / console_codes(4)).
const KEYWORDS: &[(&str, u8)] = &[
    ("reset", 0),
    ("none", 0),
    ("bold", 1),
    ("dim", 2),
    ("italic", 3),
    ("underscore", 4),
    ("underline", 4),
    ("blink", 5),
    ("reverse", 7),
    ("no-bold", 22),
    ("no-dim", 22),
    ("no-italic", 23),
    ("no-underscore", 24),
    ("no-underline", 24),
    ("no-blink", 25),
    ("no-reverse", 27),
    ("fg-default", 39),
    ("bg-default", 49),
];

/// The eight colours in code order (foreground 30 + n, background 40 + n).
const COLOURS: [&str; 8] = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

/// At most this many codes per escape sequence, as pv writes them.
const CODES_PER_SEQUENCE: usize = 16;

fn code(word: &str) -> Option<u8> {
    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse::<u8>().ok().filter(|&n| n < 255);
    }
    if let Some(&(_, code)) = KEYWORDS.iter().find(|(k, _)| *k == word) {
        return Some(code);
    }
    let (base, name) = match (word.strip_prefix("fg-"), word.strip_prefix("bg-")) {
        (Some(name), _) => (30, name),
        (_, Some(name)) => (40, name),
        _ => (30, word),
    };
    let name = if name == "brown" { "yellow" } else { name };
    COLOURS.iter().position(|c| *c == name).map(|i| base + i as u8)
}

/// The escape sequence(s) for a comma (or semicolon) separated list; unknown words are
/// skipped, so nothing at all when no word is known.
#[must_use]
pub(crate) fn codes(list: &str) -> String {
    let codes: Vec<u8> = list.split([',', ';']).filter_map(code).collect();
    codes
        .chunks(CODES_PER_SEQUENCE)
        .map(|chunk| {
            let numbers: Vec<String> = chunk.iter().map(u8::to_string).collect();
            format!("\x1b[{}m", numbers.join(";"))
        })
        .collect()
}

/// Whether a sequence from [`codes`] leaves an attribute on (its last code is not a reset), so
/// the line must end with a reset.
#[must_use]
pub(crate) fn leaves_attributes(sequence: &str) -> bool {
    let last = sequence.rsplit([';', '[']).next().and_then(|s| s.strip_suffix('m'));
    last.and_then(|n| n.parse::<u8>().ok()).is_some_and(|n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keywords_and_numbers() {
        assert_eq!(codes("green,bold"), "\x1b[32;1m");
        assert_eq!(codes("bg-brown;fg-cyan"), "\x1b[43;36m");
        assert_eq!(codes("reset"), "\x1b[0m");
        assert_eq!(codes("38,5,208"), "\x1b[38;5;208m");
        assert_eq!(codes("nonsense,255,"), "");
        assert_eq!(codes(&"1,".repeat(20)).matches('\x1b').count(), 2);
        assert!(leaves_attributes("\x1b[31m"));
        assert!(!leaves_attributes("\x1b[31;0m"));
        assert!(!leaves_attributes(""));
    }

    proptest! {
        /// Whatever the list, the output is only SGR sequences of digits.
        #[test]
        fn only_sgr_comes_out(list in "[a-z0-9,;-]{0,80}") {
            let out = codes(&list);
            prop_assert!(out.chars().all(|c| c == '\x1b' || c == '[' || c == ';' || c == 'm'
                || c.is_ascii_digit()));
            prop_assert!(out.len() <= 8 * list.len() + 8);
        }
    }
}
