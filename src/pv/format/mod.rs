//! The progress line, as a pure function of a [`Snapshot`], by pv 1.10's rules: the display
//! switches make a format (`%N %b %T %t %r %a %p %e %I %nA`, [`switches_layout`]), a `-F` format
//! is parsed ([`parse`]); fixed-width pieces are drawn first and the bar (and `%L`) share the
//! columns left over. Nothing is ever dropped for want of room, so the line keeps its length.

mod bar;
mod parse;
mod sgr;
#[cfg(test)]
mod tests;

use unicode_width::UnicodeWidthStr;

pub(crate) use self::bar::BarStyle;
pub(crate) use self::parse::{Format, FormatError, format_arg, parse_format};
use crate::units::{Unit, format_amount};

/// The most bytes `%A` and `%L` keep (bigger widths show what there is, padded).
pub(crate) const KEPT_BYTES: usize = 4096;

/// Everything the line shows, at one moment.
#[derive(Clone, Debug, Default)]
pub(crate) struct Snapshot {
    /// Bytes (or lines in line mode) transferred.
    pub(crate) amount: u64,
    /// Seconds since the transfer started (pauses excluded).
    pub(crate) elapsed: f64,
    /// Rate over the last interval (whole-transfer average on the final line).
    pub(crate) rate: f64,
    /// Average rate over the `-m` window (whole-transfer average on the final line).
    pub(crate) average: f64,
    /// Average rate over the `-m` window, for the ETA.
    pub(crate) eta_rate: f64,
    /// Expected total, if known.
    pub(crate) size: Option<u64>,
    /// Amount already there when watching began (`-d`): not part of the ETA.
    pub(crate) initial: u64,
    /// Percent done, or for an unknown size the indicator's position (0 to 199).
    pub(crate) percentage: f64,
    /// The highest rate measured (`-g`).
    pub(crate) rate_max: f64,
    /// The last bytes written (for `%A`).
    pub(crate) last_written: Vec<u8>,
    /// The last whole line written (for `%L`).
    pub(crate) previous_line: Vec<u8>,
    /// The transfer buffer (for `%T`).
    pub(crate) buffer: Buffer,
    /// Bytes through the other side of `--monitor both` (for `%{ratio}`).
    pub(crate) other_side: Option<u64>,
    /// The final update: ETA blanked, average rate shown as the rate.
    pub(crate) last: bool,
}

/// What `%T` shows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) enum Buffer {
    /// No buffer in use (nothing shown).
    #[default]
    Unused,
    /// The kernel moves the data (`{----}`).
    Splicing,
    /// Percent of the buffer holding data not yet written.
    Fill(f64),
}

/// How much of the bar a `%p`-like token draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Progress {
    /// `%p`: `[bar] NNN%` (or the rate gauge).
    Full,
    /// `%{progress-bar-only}` and `%{bar-STYLE}`: the bar alone, no brackets.
    BarOnly(Option<BarStyle>),
    /// `%{progress-amount-only}`: the percentage alone.
    AmountOnly,
}

/// One piece of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    Literal(String),
    /// `%N`, padded to the width (9 by default).
    Name(usize),
    Bytes,
    BufferPercent,
    Timer,
    Rate,
    AverageRate,
    Ratio,
    /// The bar; width 0 shares the columns left over.
    Progress {
        kind: Progress,
        width: usize,
    },
    Eta,
    FinEta,
    /// `%nA`: the last n bytes written.
    LastWritten(usize),
    /// `%nL`: the last line written; width 0 shares the columns left over.
    PreviousLine(usize),
    /// `%{sgr:...}`: a ready escape sequence.
    Sgr(String),
}

impl Token {
    /// Takes a share of the columns left over (pv's "dynamic" segments).
    fn is_dynamic(&self) -> bool {
        match self {
            Token::Progress { kind: Progress::Full | Progress::BarOnly(_), width } => *width == 0,
            Token::PreviousLine(width) => *width == 0,
            _ => false,
        }
    }
}

/// Fixed settings of the display.
#[derive(Clone, Debug)]
pub(crate) struct Style {
    pub(crate) unit: Unit,
    pub(crate) name: Option<String>,
    pub(crate) bar: BarStyle,
    /// The terminal shows UTF-8 (else the Unicode bars fall back to plain).
    pub(crate) utf8: bool,
    /// `%{sgr}` may colour this line.
    pub(crate) colour: bool,
    /// `-n`: numbers instead of human-readable amounts.
    pub(crate) numeric: bool,
    /// `-g`: with an unknown size the bar shows the rate against the highest seen.
    pub(crate) gauge: bool,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            unit: Unit::Bytes,
            name: None,
            bar: BarStyle::Plain,
            utf8: false,
            colour: false,
            numeric: false,
            gauge: false,
        }
    }
}

/// Which display switches are on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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

/// The format the display switches make, in pv's fixed order, joined by spaces.
#[must_use]
pub(crate) fn switches_layout(switches: &Switches) -> Vec<Token> {
    let s = switches;
    let pairs = [
        (s.name, Token::Name(0)),
        (s.bytes, Token::Bytes),
        (s.buffer_percent, Token::BufferPercent),
        (s.timer, Token::Timer),
        (s.rate, Token::Rate),
        (s.average_rate, Token::AverageRate),
        (s.progress, Token::Progress { kind: Progress::Full, width: 0 }),
        (s.eta, Token::Eta),
        (s.fineta, Token::FinEta),
        (s.last_written.is_some_and(|n| n > 0), Token::LastWritten(s.last_written.unwrap_or(0))),
    ];
    switched_on(pairs)
}

/// The format of `-n`: `%t %b %r %{progress-amount-only}`, each when its switch is on.
#[must_use]
pub(crate) fn numeric_layout(timer: bool, bytes: bool, rate: bool) -> Vec<Token> {
    let pairs = [
        (timer, Token::Timer),
        (bytes, Token::Bytes),
        (rate, Token::Rate),
        (!(bytes || rate), Token::Progress { kind: Progress::AmountOnly, width: 0 }),
    ];
    switched_on(pairs)
}

/// The tokens whose switch is on, in order, separated by single spaces (pv's default layouts).
fn switched_on(pairs: impl IntoIterator<Item = (bool, Token)>) -> Vec<Token> {
    let mut out = Vec::new();
    for token in pairs.into_iter().filter_map(|(on, token)| on.then_some(token)) {
        if !out.is_empty() {
            out.push(Token::Literal(" ".into()));
        }
        out.push(token);
    }
    out
}

/// `H:MM:SS`, or `D:HH:MM:SS` past a day (capped at pv's 360000000 seconds).
#[must_use]
pub(crate) fn clock(seconds: f64) -> String {
    let s = if seconds.is_finite() { seconds.clamp(0.0, 360_000_000.0) as u64 } else { 0 };
    let (d, h, m, sec) = (s / 86_400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    if s > 86_400 {
        format!("{d}:{h:02}:{m:02}:{sec:02}")
    } else {
        format!("{}:{m:02}:{sec:02}", s / 3600)
    }
}

/// Seconds left at the window's average rate (0 when nothing can be said yet).
fn remaining_seconds(snap: &Snapshot) -> u64 {
    let Some(size) = snap.size else { return 0 };
    let done = snap.amount.saturating_sub(snap.initial);
    if done < 1 || snap.eta_rate < 0.001 {
        return 0;
    }
    let left = size.saturating_sub(snap.initial) as f64 - done as f64;
    (left / snap.eta_rate).clamp(0.0, 360_000_000.0) as u64
}

/// The amount in the style's unit (bits count 8 per byte unless counting lines).
fn scaled(amount: f64, style: &Style) -> f64 {
    if style.unit.is_bits() { amount * 8.0 } else { amount }
}

/// `-n` renders numbers plainly.
fn numeric_text(token: &Token, snap: &Snapshot, style: &Style) -> Option<String> {
    Some(match token {
        Token::Timer => format!("{:.4}", snap.elapsed.clamp(0.0, 360_000_000.0)),
        Token::Bytes => format!("{}", scaled(snap.amount as f64, style) as u64),
        Token::Rate => format!("{:.4}", scaled(snap.rate, style)),
        Token::AverageRate => format!("{:.4}", scaled(snap.average, style)),
        Token::Progress { kind: Progress::AmountOnly, .. } => format!("{:.0}", snap.percentage),
        _ => return None,
    })
}

/// The text of a token that does not depend on the width left over.
fn fixed_text(token: &Token, snap: &Snapshot, style: &Style) -> String {
    if style.numeric
        && let Some(text) = numeric_text(token, snap, style)
    {
        return text;
    }
    let amount = |v: f64, suffix: &str| format_amount(scaled(v, style), style.unit, suffix);
    match token {
        Token::Literal(text) => text.clone(),
        Token::Name(width) => match &style.name {
            Some(name) => {
                let width = if *width == 0 { 9 } else { (*width).min(500) };
                let name: String = crate::sanitize::sanitize_line(name.as_bytes());
                let name: String = name.chars().take(500).collect();
                format!("{name:>width$}:")
            }
            None => String::new(),
        },
        Token::Bytes => amount(snap.amount as f64, ""),
        Token::BufferPercent => match snap.buffer {
            Buffer::Unused => String::new(),
            Buffer::Splicing => "{----}".to_owned(),
            Buffer::Fill(p) => format!("{{{p:3.0}%}}"),
        },
        Token::Timer => clock(snap.elapsed),
        Token::Rate => format!("[{}]", amount(snap.rate, "/s")),
        Token::AverageRate => format!("({})", amount(snap.average, "/s")),
        Token::Ratio => ratio(snap),
        Token::Eta => eta(snap),
        Token::FinEta => fineta(snap),
        Token::LastWritten(n) => {
            let n = (*n).min(KEPT_BYTES);
            let kept = &snap.last_written[snap.last_written.len().saturating_sub(n)..];
            let mut out = ".".repeat(n - kept.len());
            out.extend(
                kept.iter().map(|&b| if (0x20..0x7f).contains(&b) { b as char } else { '.' }),
            );
            out
        }
        Token::PreviousLine(n) => previous_line(snap, *n),
        Token::Progress { kind: Progress::AmountOnly, .. } => {
            after_bar(snap, style).map(|t| t[1..].to_owned()).unwrap_or_default()
        }
        Token::Progress { width, .. } => progress(token, snap, style, *width),
        Token::Sgr(seq) => {
            if style.colour {
                seq.clone()
            } else {
                String::new()
            }
        }
    }
}

fn eta(snap: &Snapshot) -> String {
    if snap.size.is_none() {
        return String::new();
    }
    let text = format!("ETA {}", clock(remaining_seconds(snap) as f64));
    if snap.last { " ".repeat(text.len()) } else { text }
}

fn fineta(snap: &Snapshot) -> String {
    if snap.size.is_none() {
        return String::new();
    }
    let remaining = remaining_seconds(snap);
    let at = chrono::Local::now() + chrono::TimeDelta::seconds(remaining as i64);
    let layout = if remaining > 6 * 3600 { "FIN %Y-%m-%d %H:%M:%S" } else { "FIN %H:%M:%S" };
    at.format(layout).to_string()
}

fn ratio(snap: &Snapshot) -> String {
    let (other, this) = (snap.other_side.unwrap_or(0), snap.amount);
    if other == 0 || this == 0 {
        return "-:-".to_owned();
    }
    if other == this {
        return "1:1".to_owned();
    }
    let (big, small) = (other.max(this) as f64, other.min(this) as f64);
    let value = significant(big / small, 4);
    if other > this { format!("{value}:1") } else { format!("1:{value}") }
}

/// C's `%.Ng`: N significant digits, trailing zeros removed.
fn significant(value: f64, digits: i32) -> String {
    if value == 0.0 || !value.is_finite() {
        return "0".to_owned();
    }
    let magnitude = value.abs().log10().floor() as i32;
    if magnitude >= digits {
        return format!("{value:.*e}", (digits - 1) as usize);
    }
    let decimals = (digits - 1 - magnitude).max(0) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

fn previous_line(snap: &Snapshot, width: usize) -> String {
    let width = width.min(KEPT_BYTES);
    let mut out: String = snap
        .previous_line
        .iter()
        .take(width)
        .map(|&b| if (0x20..0x7f).contains(&b) { b as char } else { ' ' })
        .collect();
    let shown = out.len();
    out.push_str(&" ".repeat(width - shown));
    out
}

/// What follows the bar: ` NNN%`, or with `-g` and an unknown size `/MAXRATE`; None when
/// neither a size nor the gauge gives a percentage.
fn after_bar(snap: &Snapshot, style: &Style) -> Option<String> {
    if snap.size.is_some() {
        return Some(format!(" {:3}%", snap.percentage as i64));
    }
    style
        .gauge
        .then(|| format!("/{}", format_amount(scaled(snap.rate_max, style), style.unit, "/s")))
}

/// A bar token in `width` columns (empty when it does not fit).
fn progress(token: &Token, snap: &Snapshot, style: &Style, width: usize) -> String {
    let Token::Progress { kind, .. } = token else { return String::new() };
    let (sides, amount, bar_style) = match kind {
        Progress::Full => (true, true, style.bar),
        Progress::BarOnly(chosen) => (false, false, chosen.unwrap_or(style.bar)),
        Progress::AmountOnly => return String::new(),
    };
    let brackets = if sides { 2 } else { 0 };
    let Some(after) = after_bar(snap, style) else {
        let needed = bar::indicator_width(bar_style, style.utf8) + brackets;
        if width < needed + usize::from(sides) {
            return String::new();
        }
        let inner = bar::moving(bar_style, style.utf8, width - needed, snap.percentage);
        return if sides { format!("[{inner}]") } else { inner };
    };
    let percentage = if snap.size.is_some() {
        snap.percentage
    } else if snap.rate_max > 0.0 {
        100.0 * snap.rate / snap.rate_max
    } else {
        0.0
    };
    let after = if amount { after } else { String::new() };
    let Some(area) = width.checked_sub(after.width() + brackets) else { return String::new() };
    let inner = bar::filled(bar_style, style.utf8, area, percentage);
    if sides { format!("[{inner}]{after}") } else { format!("{inner}{after}") }
}

/// A drawn line and the columns it takes (escape sequences take none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) width: usize,
}

/// Columns `text` takes on a terminal, escape sequences excluded.
fn columns(text: &str) -> usize {
    if !text.contains('\x1b') {
        return text.width();
    }
    let mut width = 0;
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        width += rest[..at].width();
        let after = &rest[at..];
        let end = after.find('m').map_or(after.len(), |m| m + 1);
        rest = &after[end..];
    }
    width + rest.width()
}

/// Draws `tokens` in `width` columns: fixed pieces first, then the dynamic ones (bars, `%L`)
/// share what is left equally. A colour left on is reset at the end.
#[must_use]
pub(crate) fn render(tokens: &[Token], snap: &Snapshot, style: &Style, width: usize) -> Line {
    let mut texts: Vec<Option<String>> =
        tokens.iter().map(|t| (!t.is_dynamic()).then(|| fixed_text(t, snap, style))).collect();
    let fixed: usize = texts.iter().flatten().map(|t| columns(t)).sum();
    let dynamic = texts.iter().filter(|t| t.is_none()).count().max(1);
    let share = width.saturating_sub(fixed) / dynamic;
    for (token, text) in tokens.iter().zip(texts.iter_mut()) {
        if text.is_none() {
            *text = Some(match token {
                Token::PreviousLine(_) => previous_line(snap, share),
                _ => progress(token, snap, style, share),
            });
        }
    }
    let mut text: String = texts.into_iter().flatten().collect();
    let coloured = style.colour
        && tokens.iter().rev().find_map(|t| match t {
            Token::Sgr(seq) if !seq.is_empty() => Some(sgr::leaves_attributes(seq)),
            _ => None,
        }) == Some(true);
    if coloured {
        text.push_str("\x1b[m");
    }
    let width = columns(&text);
    Line { text, width }
}
