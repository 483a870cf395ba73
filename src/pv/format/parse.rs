//! Parsing a `-F` format (and `-x`'s `:FORMAT`) into [`Token`]s, by pv 1.10's rules: `%` then
//! an optional width, then a letter or a `{long-name}`; anything unknown is kept as it was
//! written; an unclosed `{` ends at the next `%`.

use super::bar::BarStyle;
use super::sgr;
use super::{Progress, Token};
use crate::pv::options::MAX_COLUMNS;

/// A `-F` format that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum FormatError {
    /// A width (`%20p`, `%16A`, ...) wider than a terminal can be.
    #[error("%{digits}{sequence}: more than {MAX_COLUMNS} columns")]
    WidthTooLarge { digits: String, sequence: String },
}

/// A parsed `-F` format (a type of its own so clap takes it as one value), with its text for
/// `-R` to pass on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Format {
    pub(crate) tokens: Vec<Token>,
    pub(crate) text: String,
}

/// `-F FORMAT` for clap.
///
/// # Errors
/// As [`parse_format`].
pub(crate) fn format_arg(text: &str) -> Result<Format, FormatError> {
    Ok(Format { tokens: parse_format(text)?, text: text.to_owned() })
}

/// What follows a `%`: its width digits and its sequence (one character or `{...}`).
struct Sequence<'a> {
    /// The digits as written (kept in the text when the sequence is unknown).
    written: &'a str,
    /// The width they give (none when they run to the end of the text, as pv's strtoul).
    digits: &'a str,
    /// The letter, or the braced name with its braces (`{timer}`); empty at the end of text.
    body: &'a str,
    /// The braced name was not closed (it stopped at a `%` or the end).
    unclosed: bool,
}

/// Splits the text after a `%` into its sequence and the rest.
fn sequence(after: &str) -> (Sequence<'_>, &str) {
    let digits_len = after.bytes().take_while(u8::is_ascii_digit).count();
    let (written, rest) = after.split_at(digits_len);
    let digits = if rest.is_empty() { "" } else { written };
    let make = |body, unclosed| Sequence { written, digits, body, unclosed };
    let Some(first) = rest.chars().next() else {
        return (make("", false), rest);
    };
    if first == '%' && !written.is_empty() {
        // `%5%`: the digits stay as text and the second `%` starts a sequence of its own.
        return (make("", false), rest);
    }
    if first != '{' {
        let (body, rest) = rest.split_at(first.len_utf8());
        return (make(body, false), rest);
    }
    match rest.find(['}', '%']) {
        Some(end) if rest.as_bytes()[end] == b'}' => {
            let (body, rest) = rest.split_at(end + 1);
            (make(body, false), rest)
        }
        Some(end) => {
            let (body, rest) = rest.split_at(end);
            (make(body, true), rest)
        }
        None => (make(rest, true), ""),
    }
}

/// Parses a `-F` format string. Unknown `%x` sequences are kept literally, like pv.
///
/// # Errors
/// A width above [`MAX_COLUMNS`] on a known sequence.
pub(crate) fn parse_format(format: &str) -> Result<Vec<Token>, FormatError> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut rest = format;
    while let Some(at) = rest.find('%') {
        literal.push_str(&rest[..at]);
        let (seq, after) = sequence(&rest[at + 1..]);
        rest = after;
        let token = if seq.unclosed { None } else { known(&seq)? };
        match token {
            Some(Token::Literal(text)) => literal.push_str(&text),
            Some(token) => {
                if !literal.is_empty() {
                    out.push(Token::Literal(std::mem::take(&mut literal)));
                }
                out.push(token);
            }
            None => {
                literal.push('%');
                literal.push_str(seq.written);
                literal.push_str(seq.body);
            }
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        out.push(Token::Literal(literal));
    }
    Ok(out)
}

/// The token a complete sequence names, None when it names nothing pv knows.
fn known(seq: &Sequence<'_>) -> Result<Option<Token>, FormatError> {
    if seq.body == "%" {
        return Ok(Some(Token::Literal("%".into())));
    }
    let name = seq.body.strip_prefix('{').and_then(|b| b.strip_suffix('}'));
    if let Some(codes) = name.and_then(|n| n.strip_prefix("sgr:")) {
        return Ok(Some(Token::Sgr(sgr::codes(codes))));
    }
    let width = || width(seq);
    let bar = |style| -> Result<Token, FormatError> {
        Ok(Token::Progress { kind: Progress::BarOnly(style), width: width()? })
    };
    let key = match name {
        // A single letter only counts as itself: `{p}` is not `p`.
        Some(n) if n.chars().count() < 2 => return Ok(None),
        Some(n) => n,
        None => seq.body,
    };
    let token = match key {
        "p" | "progress" => Token::Progress { kind: Progress::Full, width: width()? },
        "progress-bar-only" => bar(None)?,
        "bar-plain" => bar(Some(BarStyle::Plain))?,
        "bar-block" => bar(Some(BarStyle::Block))?,
        "bar-granular" => bar(Some(BarStyle::Granular))?,
        "bar-shaded" => bar(Some(BarStyle::Shaded))?,
        "progress-amount-only" => Token::Progress { kind: Progress::AmountOnly, width: 0 },
        "t" | "timer" => Token::Timer,
        "e" | "eta" => Token::Eta,
        "I" | "fineta" => Token::FinEta,
        "r" | "rate" => Token::Rate,
        "a" | "average-rate" => Token::AverageRate,
        "b" | "bytes" | "transferred" => Token::Bytes,
        "ratio" => Token::Ratio,
        "T" | "buffer-percent" => Token::BufferPercent,
        "A" | "last-written" => Token::LastWritten(width()?),
        "L" | "previous-line" => Token::PreviousLine(width()?),
        "N" | "name" => Token::Name(width()?),
        _ => return Ok(None),
    };
    Ok(Some(token))
}

/// The width digits of a known sequence, refused above [`MAX_COLUMNS`].
fn width(seq: &Sequence<'_>) -> Result<usize, FormatError> {
    if seq.digits.is_empty() {
        return Ok(0);
    }
    seq.digits.parse().ok().filter(|&n| n <= MAX_COLUMNS).ok_or_else(|| {
        FormatError::WidthTooLarge { digits: seq.digits.to_owned(), sequence: seq.body.to_owned() }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn literal_len(tokens: &[Token]) -> usize {
        tokens.iter().map(|t| if let Token::Literal(l) = t { l.len() } else { 0 }).sum()
    }

    proptest! {
        /// Any format either parses or is refused with a message; what it yields is never
        /// more text than it was given.
        #[test]
        fn any_format_parses_to_no_more_than_its_text(
            text in "(%[0-9]{0,25}[a-zA-Z%{}]?|%\\{[a-z:,-]{0,20}\\}?|[^%]{0,5}){0,40}",
        ) {
            if let Ok(tokens) = parse_format(&text) {
                prop_assert!(literal_len(&tokens) <= text.len());
                prop_assert!(tokens.len() <= text.len());
            }
        }

        /// Literal text without `%` comes back exactly.
        #[test]
        fn plain_text_is_kept(text in "[^%]{0,60}") {
            let tokens = parse_format(&text).expect("no sequences");
            let back: String = tokens.iter().map(|t| match t {
                Token::Literal(l) => l.as_str(),
                _ => "",
            }).collect();
            prop_assert_eq!(back, text);
        }
    }

    #[test]
    fn a_megabyte_format_parses_in_one_pass() {
        let text = "%b %A %{timer} plain %{sgr:red,bold} ".repeat(30_000);
        let tokens = parse_format(&text).expect("parses");
        assert_eq!(tokens.len(), 8 * 30_000);
        assert!(literal_len(&tokens) < text.len());
    }

    #[test]
    fn sequences_like_pv() {
        let tokens = parse_format("%b of %{timer} %z %% %5A|%{bogus}|%{abc%t").expect("format");
        assert_eq!(
            tokens,
            vec![
                Token::Bytes,
                Token::Literal(" of ".into()),
                Token::Timer,
                Token::Literal(" %z % ".into()),
                Token::LastWritten(5),
                Token::Literal("|%{bogus}|%{abc".into()),
                Token::Timer,
            ]
        );
        assert_eq!(parse_format("100%"), Ok(vec![Token::Literal("100%".into())]));
        assert_eq!(parse_format("%12"), Ok(vec![Token::Literal("%12".into())]));
        assert_eq!(
            parse_format("%20p%{bar-block}"),
            Ok(vec![
                Token::Progress { kind: Progress::Full, width: 20 },
                Token::Progress { kind: Progress::BarOnly(Some(BarStyle::Block)), width: 0 },
            ])
        );
        assert_eq!(parse_format("%{sgr:red,bold}"), Ok(vec![Token::Sgr("\x1b[31;1m".into())]));
        assert_eq!(parse_format("%{p}"), Ok(vec![Token::Literal("%{p}".into())]));
    }

    #[test]
    fn widths_are_bounded() {
        assert_eq!(parse_format("%65535A"), Ok(vec![Token::LastWritten(65_535)]));
        assert!(parse_format("%65536A").is_err());
        assert!(parse_format("%99999999999999999999999p").is_err());
        assert!(parse_format("%99999999{last-written}").is_err());
        // Digits before unknown sequences are not a width: kept, never refused.
        assert!(parse_format("%99999999999999999999999z").is_ok());
    }
}
