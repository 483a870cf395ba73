//! The progress line, as a pure function of a [`Snapshot`]: pv's segments (`%N %b %T %t %r %a
//! %p %e %I %nA`), the `-F` format with 1.6.20's tokens and the newest long `%{name}` forms, the
//! bar fitted to the width, and pv's rule of dropping segments that do not fit.

use super::options::MAX_COLUMNS;
use crate::units::{Unit, format_amount};

/// Everything the line shows, at one moment.
#[derive(Clone, Debug, Default)]
pub(crate) struct Snapshot {
    /// Bytes (or lines in line mode) transferred.
    pub(crate) amount: u64,
    /// Seconds since the transfer started (pauses excluded).
    pub(crate) elapsed: f64,
    /// Rate over the last interval (whole-transfer average on the final line).
    pub(crate) rate: f64,
    /// Whole-transfer average rate.
    pub(crate) average: f64,
    /// Expected total, if known.
    pub(crate) size: Option<u64>,
    /// The last bytes written (for `%A`).
    pub(crate) last_written: Vec<u8>,
    /// Buffer fill in percent, or None while splicing (shown as `{----}`).
    pub(crate) buffer_percent: Option<u8>,
    /// The final update: ETA blanked, average rate shown as the rate.
    pub(crate) last: bool,
    /// Position of the `<=>` indicator when the size is unknown (0..=100).
    pub(crate) bounce: u32,
}

/// One piece of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    Literal(String),
    Name,
    Bytes,
    BufferPercent,
    Timer,
    Rate,
    AverageRate,
    /// Bar and percentage (`%p`), bar only, or percentage only.
    Progress {
        bar: bool,
        amount: bool,
    },
    Eta,
    FinEta,
    LastWritten(usize),
}

/// Fixed settings of the display.
#[derive(Clone, Debug)]
pub(crate) struct Style {
    pub(crate) unit: Unit,
    pub(crate) name: Option<String>,
    pub(crate) bar: BarStyle,
}

/// How the bar is drawn (`-u`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum BarStyle {
    #[default]
    Plain,
    Block,
    Granular,
    Shaded,
}

/// The default segments for the enabled switches, in pv's fixed order.
#[must_use]
pub(crate) fn switches_layout(switches: &Switches) -> Vec<Token> {
    let mut out = Vec::new();
    let s = switches;
    let pairs = [
        (s.name, Token::Name),
        (s.bytes, Token::Bytes),
        (s.buffer_percent, Token::BufferPercent),
        (s.timer, Token::Timer),
        (s.rate, Token::Rate),
        (s.average_rate, Token::AverageRate),
        (s.progress, Token::Progress { bar: true, amount: true }),
        (s.eta, Token::Eta),
        (s.fineta, Token::FinEta),
    ];
    for (on, token) in pairs {
        if on {
            out.push(token);
        }
    }
    if let Some(n) = s.last_written {
        out.push(Token::LastWritten(n));
    }
    out
}

/// Which display switches are on.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Switches {
    pub(crate) name: bool,
    pub(crate) bytes: bool,
    pub(crate) buffer_percent: bool,
    pub(crate) timer: bool,
    pub(crate) rate: bool,
    pub(crate) average_rate: bool,
    pub(crate) progress: bool,
    pub(crate) eta: bool,
    pub(crate) fineta: bool,
    pub(crate) last_written: Option<usize>,
}

/// A `-F` format that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum FormatError {
    /// `%nA` asks for more bytes than a line can show.
    #[error("%{digits}A: more than {MAX_COLUMNS} bytes")]
    CountTooLarge { digits: String },
}

/// A parsed `-F` format (a type of its own so clap takes it as one value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Format(pub Vec<Token>);

/// `-F FORMAT` for clap.
///
/// # Errors
/// As [`parse_format`].
pub(crate) fn format_arg(text: &str) -> Result<Format, FormatError> {
    parse_format(text).map(Format)
}

/// Parses a `-F` format string. Unknown `%x` sequences are kept literally, like pv.
///
/// # Errors
/// A count (`%nA`) above [`MAX_COLUMNS`].
pub(crate) fn parse_format(format: &str) -> Result<Vec<Token>, FormatError> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(d);
            chars.next();
        }
        let token = match chars.peek().copied() {
            Some('{') => {
                chars.next();
                match braced_name(&mut chars) {
                    Some(name) => long_token(&name, &digits)?,
                    // No closing brace: the text stays as it was.
                    None => Some(Token::Literal(format!(
                        "%{digits}{{{}",
                        chars.by_ref().collect::<String>()
                    ))),
                }
            }
            Some(k) => {
                chars.next();
                short_token(k, &digits)?
            }
            None => None,
        };
        match token {
            Some(Token::Literal(text)) => literal.push_str(&text),
            Some(token) => {
                if !literal.is_empty() {
                    out.push(Token::Literal(std::mem::take(&mut literal)));
                }
                out.push(token);
            }
            None => {
                // A trailing `%` is kept as it is, like pv.
                literal.push('%');
                literal.push_str(&digits);
            }
        }
    }
    if !literal.is_empty() {
        out.push(Token::Literal(literal));
    }
    Ok(out)
}

/// The name of a `%{name}`, up to its closing brace; None (and nothing consumed) without one.
fn braced_name(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    let rest = chars.clone();
    let mut name = String::new();
    for c in chars.by_ref() {
        if c == '}' {
            return Some(name);
        }
        name.push(c);
    }
    *chars = rest;
    None
}

/// The count of `%nA`: none is pv's default of 16, more than [`MAX_COLUMNS`] is refused.
fn last_count(digits: &str) -> Result<usize, FormatError> {
    if digits.is_empty() {
        return Ok(0);
    }
    digits
        .parse()
        .ok()
        .filter(|&n| n <= MAX_COLUMNS)
        .ok_or_else(|| FormatError::CountTooLarge { digits: digits.to_owned() })
}

fn short_token(k: char, digits: &str) -> Result<Option<Token>, FormatError> {
    Ok(Some(match k {
        'p' => Token::Progress { bar: true, amount: true },
        't' => Token::Timer,
        'e' => Token::Eta,
        'I' => Token::FinEta,
        'r' => Token::Rate,
        'a' => Token::AverageRate,
        'b' => Token::Bytes,
        'T' => Token::BufferPercent,
        'A' => Token::LastWritten(last_count(digits)?),
        'N' => Token::Name,
        '%' => Token::Literal("%".into()),
        other => Token::Literal(format!("%{digits}{other}")),
    }))
}

fn long_token(name: &str, digits: &str) -> Result<Option<Token>, FormatError> {
    Ok(Some(match name {
        "progress" => Token::Progress { bar: true, amount: true },
        "progress-bar-only" | "bar-plain" | "bar-block" | "bar-granular" | "bar-shaded" => {
            Token::Progress { bar: true, amount: false }
        }
        "progress-amount-only" => Token::Progress { bar: false, amount: true },
        "timer" => Token::Timer,
        "eta" => Token::Eta,
        "fineta" => Token::FinEta,
        "rate" => Token::Rate,
        "average-rate" => Token::AverageRate,
        "bytes" | "transferred" => Token::Bytes,
        "buffer-percent" => Token::BufferPercent,
        "last-written" => Token::LastWritten(last_count(digits)?),
        "name" => Token::Name,
        other => Token::Literal(format!("%{digits}{{{other}}}")),
    }))
}

/// `H:MM:SS`, or `D:HH:MM:SS` past a day.
#[must_use]
pub(crate) fn clock(seconds: f64) -> String {
    let s = if seconds.is_finite() { seconds.max(0.0) as u64 } else { 0 };
    let (d, h, m, sec) = (s / 86_400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    if d > 0 {
        format!("{d}:{h:02}:{m:02}:{sec:02}")
    } else {
        format!("{}:{m:02}:{sec:02}", s / 3600)
    }
}

/// The whole-percent progress (may exceed 100 if more came than announced).
fn percent(snap: &Snapshot) -> Option<u64> {
    let size = snap.size.filter(|&s| s > 0)?;
    Some(((snap.amount as f64 / size as f64) * 100.0) as u64)
}

fn text_of(token: &Token, snap: &Snapshot, style: &Style) -> String {
    let amount = |v: f64, suffix: &str| format_amount(v, style.unit, suffix, true);
    match token {
        Token::Literal(text) => text.clone(),
        Token::Name => format!("{:>9}:", style.name.as_deref().unwrap_or("")),
        Token::Bytes => amount(snap.amount as f64, ""),
        Token::BufferPercent => match snap.buffer_percent {
            Some(p) => format!("{{{p:3}%}}"),
            None => "{----}".to_owned(),
        },
        Token::Timer => clock(snap.elapsed),
        Token::Rate => {
            format!("[{}]", amount(if snap.last { snap.average } else { snap.rate }, "/s"))
        }
        Token::AverageRate => format!("[{}]", amount(snap.average, "/s")),
        Token::Eta => {
            let text = eta(snap);
            if snap.last { " ".repeat(text.chars().count()) } else { text }
        }
        Token::FinEta => {
            let remaining = remaining_seconds(snap).unwrap_or(0.0);
            let at = chrono::Local::now() + chrono::TimeDelta::seconds(remaining as i64);
            let text = if remaining > 6.0 * 3600.0 {
                at.format("ETA %Y-%m-%d %H:%M:%S").to_string()
            } else {
                at.format("ETA %H:%M:%S").to_string()
            };
            if snap.last || snap.size.is_none() { " ".repeat(text.len()) } else { text }
        }
        Token::LastWritten(n) => {
            let n = if *n == 0 { 16 } else { *n };
            let tail = &snap.last_written[snap.last_written.len().saturating_sub(n)..];
            let shown: String = tail
                .iter()
                .map(|&b| if (0x20..0x7f).contains(&b) { b as char } else { '.' })
                .collect();
            format!("{shown:>n$}")
        }
        Token::Progress { .. } => String::new(),
    }
}

fn remaining_seconds(snap: &Snapshot) -> Option<f64> {
    let size = snap.size?;
    if snap.average <= 0.0 {
        return None;
    }
    Some(size.saturating_sub(snap.amount) as f64 / snap.average)
}

fn eta(snap: &Snapshot) -> String {
    format!("ETA {}", clock(remaining_seconds(snap).unwrap_or(0.0)))
}

const BLOCKS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
const SHADES: [char; 4] = ['░', '▒', '▓', '█'];

/// The bar inside its brackets (`fill` columns), for a known or unknown size.
fn bar(snap: &Snapshot, fill: usize, style: BarStyle) -> String {
    let Some(pct) = percent(snap) else {
        // Unknown size: a `<=>` moving across, bouncing at the ends.
        let free = fill.saturating_sub(3);
        let pos = free * (snap.bounce.min(100) as usize) / 100;
        return format!("{}<=>{}", " ".repeat(pos), " ".repeat(free - pos));
    };
    let exact = fill as f64 * pct.min(100) as f64 / 100.0;
    let whole = (exact as usize).min(fill);
    match style {
        BarStyle::Plain => {
            if pct > 100 {
                "=".repeat(fill)
            } else {
                let eq = whole.saturating_sub(1);
                let arrow = usize::from(fill > eq);
                format!("{}{}{}", "=".repeat(eq), ">".repeat(arrow), " ".repeat(fill - eq - arrow))
            }
        }
        BarStyle::Block => format!("{}{}", "█".repeat(whole), " ".repeat(fill - whole)),
        BarStyle::Granular | BarStyle::Shaded => {
            let steps = if style == BarStyle::Granular { &BLOCKS[..] } else { &SHADES[..] };
            let size = snap.size.unwrap_or(1).max(1) as f64;
            let cells = (fill as f64 * (snap.amount as f64 / size).min(1.0)).max(0.0);
            let whole = (cells as usize).min(fill);
            let part = ((cells - whole as f64) * steps.len() as f64) as usize;
            let mut s = "█".repeat(whole);
            if whole < fill && part > 0 {
                s.push(steps[part - 1]);
            }
            let used = s.chars().count();
            s.push_str(&" ".repeat(fill - used));
            s
        }
    }
}

/// The progress segment filling `width` columns (None if even an empty bar does not fit).
fn progress(snap: &Snapshot, width: usize, token: &Token, style: BarStyle) -> Option<String> {
    let Token::Progress { bar: with_bar, amount } = token else { return None };
    let pct = percent(snap).filter(|_| *amount).map(|p| format!("{p:2}%"));
    if !with_bar {
        return Some(pct.unwrap_or_default());
    }
    let extra = match &pct {
        Some(p) => 3 + p.len(),
        None => 2,
    };
    let fill = width.checked_sub(extra).filter(|&f| f > 0)?;
    Some(match pct {
        Some(p) => format!("[{}] {p}", bar(snap, fill, style)),
        None => format!("[{}]", bar(snap, fill, style)),
    })
}

/// The line for the default (switches) layout: segments joined by spaces; the bar takes the
/// width left over; segments that would pass the width are dropped from the right.
#[must_use]
pub(crate) fn render_segments(
    tokens: &[Token],
    snap: &Snapshot,
    style: &Style,
    width: usize,
) -> String {
    // Without a size there is no ETA: the segment goes away entirely, like pv.
    let kept: Vec<Token> = tokens
        .iter()
        .filter(|t| snap.size.is_some() || !matches!(t, Token::Eta | Token::FinEta))
        .cloned()
        .collect();
    let tokens = kept.as_slice();
    let texts: Vec<Option<String>> = tokens
        .iter()
        .map(|t| (!matches!(t, Token::Progress { .. })).then(|| text_of(t, snap, style)))
        .collect();
    let fixed: usize = texts.iter().flatten().map(|t| t.chars().count()).sum::<usize>()
        + tokens.len().saturating_sub(1);
    let mut line = String::new();
    let mut used = 0;
    for (i, token) in tokens.iter().enumerate() {
        let text = match &texts[i] {
            Some(t) => t.clone(),
            None => {
                progress(snap, width.saturating_sub(fixed), token, style.bar).unwrap_or_default()
            }
        };
        let sep = usize::from(i + 1 < tokens.len());
        let len = text.chars().count();
        if used + len > width {
            break;
        }
        line.push_str(&text);
        used += len;
        if sep == 1 && used < width {
            line.push(' ');
            used += 1;
        }
    }
    line
}

/// The line for a `-F` format: tokens substituted, the bar fills what is left of the width.
#[must_use]
pub(crate) fn render_format(
    tokens: &[Token],
    snap: &Snapshot,
    style: &Style,
    width: usize,
) -> String {
    let texts: Vec<Option<String>> = tokens
        .iter()
        .map(|t| (!matches!(t, Token::Progress { bar: true, .. })).then(|| text_of(t, snap, style)))
        .collect();
    let fixed: usize = texts.iter().flatten().map(|t| t.chars().count()).sum();
    let bars = texts.iter().filter(|t| t.is_none()).count().max(1);
    let share = width.saturating_sub(fixed) / bars;
    tokens
        .iter()
        .zip(texts)
        .map(|(token, text)| {
            text.unwrap_or_else(|| progress(snap, share, token, style.bar).unwrap_or_default())
        })
        .collect()
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
            text in "(%[0-9]{0,25}[a-zA-Z%{}]?|%\\{[a-z-]{0,20}\\}?|[^%]{0,5}){0,40}",
        ) {
            if let Ok(tokens) = parse_format(&text) {
                prop_assert!(literal_len(&tokens) <= text.len());
                prop_assert!(tokens.len() <= text.len());
            }
        }

        /// Rendering a parsed format is bounded by the width, its text and its counts.
        #[test]
        fn rendering_is_bounded(
            text in "(%[0-9]{0,6}[pterabTAN%]|%\\{[a-z-]{0,14}\\}|[^%]{0,5}){0,12}",
            width in 0usize..=MAX_COLUMNS,
            amount: u64,
        ) {
            if let Ok(tokens) = parse_format(&text) {
                let snap = Snapshot { amount, size: Some(amount / 2 + 1), ..Snapshot::default() };
                let line = render_format(&tokens, &snap, &style(), width);
                let bound = literal_len(&tokens) + width + tokens.len() * (MAX_COLUMNS + 64);
                prop_assert!(line.chars().count() <= bound);
            }
        }
    }

    #[test]
    fn a_megabyte_format_parses_in_one_pass() {
        let text = "%b %A %{timer} plain ".repeat(50_000);
        let tokens = parse_format(&text).expect("parses");
        assert_eq!(tokens.len(), 6 * 50_000);
        assert!(literal_len(&tokens) < text.len());
    }

    fn style() -> Style {
        Style { unit: Unit::Bytes, name: None, bar: BarStyle::Plain }
    }

    fn snap(amount: u64, size: Option<u64>) -> Snapshot {
        Snapshot { amount, size, ..Snapshot::default() }
    }

    fn default_layout() -> Vec<Token> {
        switches_layout(&Switches {
            bytes: true,
            timer: true,
            rate: true,
            progress: true,
            eta: true,
            ..Switches::default()
        })
    }

    #[test]
    fn bars_match_pv() {
        // Captured from Debian's pv 1.6.20: `head -c N /dev/zero | pv -f -p -s 100 -w 40`.
        let only_bar = [Token::Progress { bar: true, amount: true }];
        let cases = [
            (0, "[>                                 ]  0%"),
            (20, "[=====>                            ] 20%"),
            (50, "[================>                 ] 50%"),
            (99, "[================================> ] 99%"),
            (100, "[================================>] 100%"),
            (150, "[=================================] 150%"),
        ];
        for (n, expected) in cases {
            assert_eq!(
                render_segments(&only_bar, &snap(n, Some(100)), &style(), 40),
                expected,
                "{n}"
            );
        }
        assert_eq!(
            render_segments(&only_bar, &snap(5, None), &style(), 40),
            "[<=>                                   ]"
        );
    }

    #[test]
    fn default_line_and_final_line() {
        let mut s = snap(20 << 20, Some(100 << 20));
        s.elapsed = 1.2;
        s.rate = 20.0 * 1048576.0;
        s.average = 20.0 * 1048576.0;
        assert_eq!(
            render_segments(&default_layout(), &s, &style(), 80),
            "20.0MiB 0:00:01 [20.0MiB/s] [=====>                            ] 20% ETA 0:00:04"
        );
        let mut done = snap(100 << 20, Some(100 << 20));
        done.elapsed = 4.93;
        done.average = 21_286_092.8;
        done.last = true;
        assert_eq!(
            render_segments(&default_layout(), &done, &style(), 80),
            " 100MiB 0:00:04 [20.3MiB/s] [================================>] 100%            "
        );
    }

    #[test]
    fn narrow_widths_drop_segments_like_pv() {
        let mut s = snap(40 << 20, Some(100 << 20));
        s.elapsed = 2.0;
        s.rate = 20.0 * 1048576.0;
        s.average = s.rate;
        assert_eq!(render_segments(&default_layout(), &s, &style(), 20), "40.0MiB 0:00:02 ");
        assert_eq!(
            render_segments(&default_layout(), &s, &style(), 30),
            "40.0MiB 0:00:02 [20.0MiB/s]  "
        );
        assert_eq!(
            render_segments(&default_layout(), &s, &style(), 45),
            "40.0MiB 0:00:02 [20.0MiB/s]  ETA 0:00:03"
        );
    }

    #[test]
    fn formats() {
        let tokens = parse_format("%b of %{timer} %z %% %5A|%{bogus}").expect("format");
        let mut s = snap(50, None);
        s.last_written = b"ab\ncdefg".to_vec();
        assert_eq!(
            render_format(&tokens, &s, &style(), 80),
            "50.0  B of 0:00:00 %z % cdefg|%{bogus}"
        );
        let named = Style { name: Some("myname".into()), ..style() };
        assert_eq!(render_format(&[Token::Name], &s, &named, 80), "   myname:");
    }

    #[test]
    fn no_eta_without_a_size() {
        let mut s = snap(5, None);
        s.last = true;
        let line = render_segments(&default_layout(), &s, &style(), 60);
        assert!(!line.contains("ETA"), "{line}");
        assert_eq!(line.len(), 60);
    }

    #[test]
    fn counts_are_bounded() {
        assert_eq!(parse_format("%65535A"), Ok(vec![Token::LastWritten(65_535)]));
        assert!(parse_format("%65536A").is_err());
        assert!(parse_format("%99999999999999999999999A").is_err());
        assert!(parse_format("%99999999{last-written}").is_err());
        // Digits before other tokens are not a count: kept or ignored, never refused.
        assert!(parse_format("%99999999999999999999999z").is_ok());
    }

    #[test]
    fn last_written_is_padded_in_linear_time() {
        let s = Snapshot { last_written: b"ab".to_vec(), ..Snapshot::default() };
        let text = text_of(&Token::LastWritten(MAX_COLUMNS), &s, &style());
        assert_eq!(text.len(), MAX_COLUMNS);
        assert!(text.ends_with(" ab"));
    }

    #[test]
    fn clocks() {
        assert_eq!(clock(0.0), "0:00:00");
        assert_eq!(clock(3725.9), "1:02:05");
        assert_eq!(clock(90_061.0), "1:01:01:01");
    }
}
