//! iCalendar content lines (RFC 5545 section 3.1) from untrusted bytes: unfolding, the
//! `NAME;PARAM=VALUE,"QUOTED":value` grammar, and TEXT escaping in both directions.
//!
//! Everything here is a single forward pass: a file of folded, garbled or binary lines costs
//! time in proportion to its size, and a line that does not parse is reported by the caller
//! and skipped, never the whole file.

use std::borrow::Cow;

/// One unfolded content line: its name (upper case), parameters and raw value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ContentLine {
    /// The property or `BEGIN`/`END`, upper-cased (names are case-insensitive).
    pub(crate) name: String,
    /// Parameters in order, names upper-cased, values unquoted.
    pub(crate) params: Vec<(String, Vec<String>)>,
    /// Everything after the colon that ends the parameters, still escaped.
    pub(crate) value: String,
}

impl ContentLine {
    /// The first value of parameter `name` (upper case), if given.
    #[must_use]
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).and_then(|(_, v)| v.first()).map(String::as_str)
    }
}

/// Joins folded lines (a line starting with a space or a TAB continues the one before it, less
/// that one character) and returns each logical line with the number of its first physical line.
/// Line ends may be CRLF or LF. Unfolding works on bytes, so a UTF-8 character split over a fold
/// (which some producers do) is whole again before decoding; invalid UTF-8 becomes U+FFFD.
#[must_use]
pub(crate) fn unfold(bytes: &[u8]) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut current: Option<(usize, Vec<u8>)> = None;
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        match (raw.first(), current.as_mut()) {
            (Some(b' ' | b'\t'), Some((_, text))) => text.extend_from_slice(&raw[1..]),
            _ => {
                if let Some((line, text)) = current.take() {
                    lines.push((line, into_string(text)));
                }
                current = Some((index + 1, raw.to_vec()));
            }
        }
    }
    if let Some((line, text)) = current.filter(|(_, text)| !text.is_empty()) {
        lines.push((line, into_string(text)));
    }
    lines
}

fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A name or parameter name: letters, digits and `-` (iana-token and x-name).
fn is_name(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Parses one unfolded line; `None` when it is not a content line (no colon, a bad name, an
/// unterminated quote).
#[must_use]
pub(crate) fn parse_line(line: &str) -> Option<ContentLine> {
    let end = line.find([';', ':'])?;
    let name = &line[..end];
    if !is_name(name) {
        return None;
    }
    let mut rest = &line[end..];
    let mut params = Vec::new();
    while let Some(after) = rest.strip_prefix(';') {
        let eq = after.find('=')?;
        let param = &after[..eq];
        if !is_name(param) {
            return None;
        }
        let (values, left) = param_values(&after[eq + 1..])?;
        params.push((param.to_ascii_uppercase(), values));
        rest = left;
    }
    let value = rest.strip_prefix(':')?;
    Some(ContentLine { name: name.to_ascii_uppercase(), params, value: value.to_owned() })
}

/// Reads `value *("," value)` where a value is quoted (`"..."`, no quote inside) or runs to the
/// next `,`, `;` or `:`; returns the values and what follows them.
fn param_values(mut text: &str) -> Option<(Vec<String>, &str)> {
    let mut values = Vec::new();
    loop {
        let (value, left) = if let Some(quoted) = text.strip_prefix('"') {
            let close = quoted.find('"')?;
            (&quoted[..close], &quoted[close + 1..])
        } else {
            let end = text.find([',', ';', ':']).unwrap_or(text.len());
            (&text[..end], &text[end..])
        };
        values.push(value.to_owned());
        match left.strip_prefix(',') {
            Some(next) => text = next,
            None => return Some((values, left)),
        }
    }
}

/// Undoes TEXT escaping: `\\`, `\;`, `\,`, `\n` or `\N` (a newline) and, leniently, `\:`; any
/// other backslash is kept as it is.
#[must_use]
pub(crate) fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('\\') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(c @ ('\\' | ';' | ',' | ':')) => out.push(c),
            Some('n' | 'N') => out.push('\n'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}

/// Escapes TEXT for a property value: backslash, semicolon, comma and newline.
#[must_use]
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['\\', ';', ',', '\n']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

/// The longest content line, in octets without the CRLF (RFC 5545 section 3.1).
pub(crate) const FOLD_AT: usize = 75;

/// Appends `line` to `out` folded at [`FOLD_AT`] octets, never inside a UTF-8 character, each
/// physical line ended by CRLF and each continuation started by one space.
pub(crate) fn fold_into(out: &mut Vec<u8>, line: &str) {
    let mut rest = line;
    let mut room = FOLD_AT;
    while rest.len() > room {
        // A UTF-8 character is at most 4 bytes, so the cut is at least room - 3 > 0.
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.extend_from_slice(&rest.as_bytes()[..cut]);
        out.extend_from_slice(b"\r\n ");
        rest = &rest[cut..];
        room = FOLD_AT - 1;
    }
    out.extend_from_slice(rest.as_bytes());
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unfolds_crlf_and_lf_and_tabs() {
        let text = b"SUMMARY:a long\r\n  line\r\n\t end\nDTSTART:2026\n\r\nX:y";
        let lines = unfold(text);
        assert_eq!(
            lines,
            vec![
                (1, "SUMMARY:a long line end".to_owned()),
                (4, "DTSTART:2026".to_owned()),
                (5, String::new()),
                (6, "X:y".to_owned())
            ]
        );
    }

    #[test]
    fn a_character_split_over_a_fold_is_joined_before_decoding() {
        let text = "SUMMARY:caf\u{e9}".as_bytes();
        let (head, tail) = text.split_at(text.len() - 1);
        let folded = [head, b"\r\n ", tail].concat();
        assert_eq!(unfold(&folded), vec![(1, "SUMMARY:caf\u{e9}".to_owned())]);
    }

    #[test]
    fn parses_names_params_and_values() {
        let line = parse_line("dtstart;Value=DATE;X-A=\"a;b:c\",d:20260101").expect("parses");
        assert_eq!(line.name, "DTSTART");
        assert_eq!(
            line.params,
            vec![
                ("VALUE".to_owned(), vec!["DATE".to_owned()]),
                ("X-A".to_owned(), vec!["a;b:c".to_owned(), "d".to_owned()])
            ]
        );
        assert_eq!(line.value, "20260101");
        assert_eq!(line.param("VALUE"), Some("DATE"));
        assert_eq!(parse_line("SUMMARY:a:b;c").map(|l| l.value), Some("a:b;c".to_owned()));
        assert_eq!(parse_line("EMPTY:").map(|l| l.value), Some(String::new()));
    }

    #[test]
    fn rejects_what_is_not_a_content_line() {
        for bad in ["", "no colon", ":value", "BAD NAME:x", "A;=x:y", "A;B=\"open:x", "A;B:x"] {
            assert_eq!(parse_line(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn escaping_round_trips_every_special_character() {
        let text = "a\\b;c,d\ne:f \u{1F600}";
        let escaped = escape(text);
        assert_eq!(escaped, "a\\\\b\\;c\\,d\\ne:f \u{1F600}");
        assert_eq!(unescape(&escaped), text);
        assert_eq!(unescape("x\\Ny\\:z\\q\\"), "x\ny:z\\q\\");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "\u{732b}\u{1F600}x".repeat(40));
        let mut out = Vec::new();
        fold_into(&mut out, &line);
        let text = String::from_utf8(out.clone()).expect("folding keeps UTF-8 whole");
        let physical: Vec<&str> = text.split_terminator("\r\n").collect();
        assert!(physical.len() > 4);
        for (i, part) in physical.iter().enumerate() {
            assert!(part.len() <= FOLD_AT, "line {i} has {} octets", part.len());
            assert_eq!(part.starts_with(' '), i > 0);
        }
        assert!(text.ends_with("\r\n"));
        assert_eq!(unfold(&out), vec![(1, line)]);
    }

    #[test]
    fn short_lines_are_not_folded() {
        let mut out = Vec::new();
        fold_into(&mut out, &"x".repeat(FOLD_AT));
        assert_eq!(out.len(), FOLD_AT + 2);
    }

    proptest! {
        #[test]
        fn fold_then_unfold_is_the_identity(text in "\\PC{0,400}") {
            let line = format!("X:{}", text.replace(['\r', '\n'], ""));
            let mut out = Vec::new();
            fold_into(&mut out, &line);
            prop_assert!(std::str::from_utf8(&out).is_ok());
            prop_assert!(out.split(|&b| b == b'\n').all(|l| l.len() <= FOLD_AT + 1));
            prop_assert_eq!(unfold(&out), vec![(1, line)]);
        }

        #[test]
        fn escape_then_unescape_is_the_identity(text in "\\PC{0,200}") {
            let escaped = escape(&text);
            prop_assert_eq!(unescape(&escaped), text.as_str());
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            for (_, line) in unfold(&bytes) {
                let _ = parse_line(&line);
                let _ = unescape(&line);
            }
        }
    }

    /// Issue 20: every parser is linear. One property folded `n` times, and a line of `n`
    /// parameters of `n` values each side of quotes.
    #[test]
    fn unfolding_and_content_lines_are_linear() {
        use crate::calendar::linear::assert_linear;
        let folded = |n: usize| format!("SUMMARY:{}\r\n", "abc\r\n ".repeat(n)).into_bytes();
        assert_linear("folds", 20_000, folded, |b| {
            let _ = unfold(b);
        });
        let params = |n: usize| format!("X{}:v", ";P=\"a,b\",c".repeat(n));
        assert_linear("parameters", 10_000, params, |line| {
            let _ = parse_line(line);
        });
        let escapes = |n: usize| "\\n\\,x".repeat(n);
        assert_linear("escapes", 20_000, escapes, |text| {
            let _ = unescape(text);
        });
    }
}
