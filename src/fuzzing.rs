//! Entry points for the fuzz targets in `fuzz/` (cargo-fuzz, libFuzzer) and for the corpus
//! replay in the test suite: one function per parser, taking the fuzzer's bytes and handing them
//! to the parser's real entry point, the way the program does (no copy of any parser here).
//!
//! Each function must return for every input without a panic, an abort, unbounded memory or
//! unbounded time; a few also check a property of the result (the sanitiser's output is clean,
//! a valid `-R` request survives being written again). Nothing here is reachable from the
//! command line: the binary never calls this module; it is public only so that the fuzz crate,
//! which links the library, can reach the crate-private parsers.
//!
//! Where a parser takes options as well as text, the first bytes of the input choose them
//! (`Options`), so the fuzzer explores both.

use crate::calendar::diag::Warnings;
use crate::calendar::preprocess::{self, Origin, Resolve, Source};
use crate::calendar::source::SourceError;

/// A fuzz target's entry point.
pub type Target = fn(&[u8]);

/// The fuzz targets, by name: the names of `fuzz/fuzz_targets/*.rs`, `fuzz/corpus/*/` and
/// `fuzz/regressions/*/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("calendar_lines", calendar_lines),
    ("calendar_preprocess", calendar_preprocess),
    ("ics_import", ics_import),
    ("saver_config", saver_config),
    ("screen_file", screen_file),
    ("script_header", script_header),
    ("asciimation", asciimation),
    ("fortune", fortune),
    ("pv_format", pv_format),
    ("units", units),
    ("pv_remote", pv_remote),
    ("feed", feed),
    ("html", html),
    ("picture", picture),
    ("keys", keys),
    ("sanitize", sanitize),
];

/// Option bits taken from the front of an input, then the rest as the text.
struct Options<'a> {
    head: &'a [u8],
    rest: &'a [u8],
}

impl<'a> Options<'a> {
    /// The first `n` bytes are options (zeros when the input is shorter).
    fn split(data: &'a [u8], n: usize) -> Options<'a> {
        let cut = n.min(data.len());
        Options { head: &data[..cut], rest: &data[cut..] }
    }

    fn byte(&self, i: usize) -> u8 {
        self.head.get(i).copied().unwrap_or(0)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(self.rest).into_owned()
    }
}

/// Calendar lines (`MM/DD<TAB>text`, specials, `LANG=`, aliases) read into events, as after
/// the preprocessor: the date parser (`calendar::dateline`) and the occurrence rules.
/// Options: the day (byte 0: day of the year 2024), the days ahead and behind (bytes 1, 2),
/// strict and Julian (byte 3).
pub fn calendar_lines(data: &[u8]) {
    use crate::calendar::{events, locale, occur, window};
    let options = Options::split(data, 4);
    let first = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let today = first + chrono::Days::new(u64::from(options.byte(0)) * 2);
    let window = window::Window::new(
        today,
        window::WindowOptions {
            ahead: Some(u32::from(options.byte(1)) * 4),
            behind: Some(u32::from(options.byte(2))),
            friday_extra: None,
        },
    );
    let rules = occur::Rules {
        strict: options.byte(3) & 1 != 0,
        julian: options.byte(3) & 2 != 0,
        utc_offset_secs: 3600,
    };
    let text = options.text();
    let file: std::rc::Rc<str> = "fuzz".into();
    let lines: Vec<preprocess::Line> = text
        .split('\n')
        .enumerate()
        .map(|(i, t)| preprocess::Line { text: t.to_owned(), file: file.clone(), line: i + 1 })
        .collect();
    let mut warnings = Warnings::default();
    let _ = events::collect(&lines, &window, rules, locale::Names::english(), &mut warnings);
}

/// Includes for the preprocessor target: the bundled calendars by name, and `fuzz` (any
/// spelling of the name `fuzz`) for the input itself, so that self-inclusion is explored.
struct FuzzFiles<'a> {
    text: &'a str,
}

impl Resolve for FuzzFiles<'_> {
    type Error = SourceError;

    fn resolve(&self, name: &str, _angled: bool, _from: &Origin) -> Result<Source, SourceError> {
        if name == "fuzz" {
            let origin = Origin { name: "fuzz".to_owned(), dir: None, bundled: false };
            return Ok(Source { origin, text: self.text.to_owned() });
        }
        crate::calendar::source::bundled_source(name).ok_or_else(|| SourceError::NotFound {
            name: name.to_owned(),
            searched: "the fuzz target".to_owned(),
        })
    }
}

/// The calendar preprocessor (`#include`, `#define`, `#if...`, comments, line joins), its
/// output then read as calendar lines. Option: strict (byte 0).
pub fn calendar_preprocess(data: &[u8]) {
    let options = Options::split(data, 1);
    let text = crate::calendar::source::decode(options.rest.to_vec());
    let source = Source {
        origin: Origin { name: "main".to_owned(), dir: None, bundled: false },
        text: text.clone(),
    };
    let files = FuzzFiles { text: &text };
    let mut warnings = Warnings::default();
    let strict = options.byte(0) & 1 != 0;
    let _ = preprocess::preprocess(&source, &files, preprocess::Options { strict }, &mut warnings);
}

/// `fun calendar --from-ics`: an iCalendar file converted into calendar lines (content lines,
/// VEVENTs, RRULE/RDATE/EXDATE expansion, time zones).
pub fn ics_import(data: &[u8]) {
    let mut warnings = Warnings::default();
    let _ = crate::calendar::ics::import::convert(
        data,
        "fuzz.ics",
        Some("Europe/Paris"),
        &mut warnings,
    );
}

/// The saver's `config.toml`, checked against every screen's options, and its problems listed.
pub fn saver_config(data: &[u8]) {
    use crate::saver::app::config;
    // The file is read as UTF-8 or refused, as `config::load` does.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let screens = crate::saver::registry::builtin();
    let engine = crate::saver::app::args::command();
    if let Ok(parsed) = config::parse(text, "fuzz.toml", &screens, &engine) {
        let names: Vec<&str> = screens.iter().map(|s| s.name.as_str()).collect();
        let used = config::Used { screens: names, playlist: None };
        let _ = parsed.problems(&used);
    }
}

/// A `.screen` file (a data-defined screen).
pub fn screen_file(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::saver::screens::data::def::parse("fuzz.screen", &text);
}

/// A scripted screen's header (the leading `//!` lines of a `.rhai` file) and its options as
/// clap arguments, with each default checked again by the option's own value parser (a header
/// that parses must declare defaults its options accept).
pub fn script_header(data: &[u8]) {
    use crate::saver::screens::script::header;
    let text = String::from_utf8_lossy(data);
    if let Ok(parsed) = header::parse(&text) {
        for option in &parsed.options {
            let _ = option.arg();
            if let header::Value::Int(_) | header::Value::Float(_) = option.default {
                assert!(header::check(&option.kind, &default_text(&option.default)).is_ok());
            }
        }
    }
}

fn default_text(value: &crate::saver::screens::script::header::Value) -> String {
    use crate::saver::screens::script::header::Value;
    match value {
        Value::Int(n) => n.to_string(),
        Value::Float(x) => x.to_string(),
        Value::Text(t) => t.clone(),
        Value::Flag(b) => b.to_string(),
    }
}

/// An asciimation's frames file (`.frames`).
pub fn asciimation(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::saver::screens::data::asciimation::parse(&text);
}

/// A fortune file, split into its entries (after the sanitiser, as `--file` reads it).
pub fn fortune(data: &[u8]) {
    let text = crate::sanitize::sanitize_with(data, crate::sanitize::Whitespace::Keep);
    let _ = crate::saver::screens::fortune::entries(&text);
}

/// pv's `-F FORMAT`, parsed and drawn. Options: the width (bytes 0-1), the amount, size and
/// percentage (bytes 2-4), the bar style, UTF-8, colour and numeric switches (byte 5).
pub fn pv_format(data: &[u8]) {
    use crate::pv::format::{self, BarStyle, Snapshot, Style};
    let options = Options::split(data, 6);
    let Ok(tokens) = format::parse_format(&options.text()) else { return };
    let width = usize::from(u16::from_le_bytes([options.byte(0), options.byte(1)]));
    let amount = u64::from(options.byte(2)) << 20;
    let size = (options.byte(3) != 0).then(|| u64::from(options.byte(3)) << 21);
    let snap = Snapshot {
        amount,
        size,
        elapsed: f64::from(options.byte(4)),
        rate: 1e6,
        average: 1e6,
        eta_rate: 1e6,
        percentage: f64::from(options.byte(4) % 200),
        last_written: options.rest.iter().copied().take(64).collect(),
        previous_line: options.rest.iter().copied().take(80).collect(),
        ..Snapshot::default()
    };
    let bits = options.byte(5);
    let bar = [BarStyle::Plain, BarStyle::Block, BarStyle::Granular, BarStyle::Shaded]
        [usize::from(bits & 3)];
    let style = Style {
        bar,
        utf8: bits & 4 != 0,
        colour: bits & 8 != 0,
        numeric: bits & 16 != 0,
        gauge: bits & 32 != 0,
        ..Style::default()
    };
    let _ = format::render(&tokens, &snap, &style, width);
}

/// Sizes (`1.5M`), seconds, whole numbers and the saver's durations (`1h30m`), and the amounts
/// they give printed back as pv prints them.
pub fn units(data: &[u8]) {
    use crate::units::{Amount, Unit, format_amount, parse_seconds, parse_within};
    let text = String::from_utf8_lossy(data);
    if let Ok(amount) = Amount::parse(&text, u64::MAX) {
        for si in [false, true] {
            let value = amount.resolve(si) as f64;
            for unit in [Unit::Bytes, Unit::SiBytes, Unit::Count, Unit::Bits, Unit::SiBits] {
                let _ = format_amount(value, unit, "/s");
            }
        }
    }
    let _ = Amount::parse(&text, 1 << 40);
    if let Ok(seconds) = parse_seconds(&text, &(0.0..=f64::MAX)) {
        let _ = format_amount(seconds, Unit::Bytes, "");
    }
    let _ = parse_within(&text, &(0..=u64::MAX), "whole number");
    let _ = crate::saver::kit::values::parse_duration(&text);
}

/// The `-R`/`-Q` wire format: a request as the receiving pv reads it, and a query response as
/// the asking pv reads it. A request that parses must still parse once written again, unless
/// written again it passes the message cap (percent-encoding triples the bytes of non-ASCII
/// text: the fuzzer found such formats, which the receiver refuses whole as too long).
pub fn pv_remote(data: &[u8]) {
    use crate::pv::remote::{MAX_MESSAGE, Request, State, parse_request};
    let text = String::from_utf8_lossy(data);
    if let Ok(Request::Remote(settings)) = parse_request(&text) {
        let again = settings.to_request();
        let body = again.strip_suffix('\n').unwrap_or(&again);
        if body.len() <= MAX_MESSAGE {
            let back = parse_request(body);
            assert!(back.is_ok(), "a parsed request written again is refused: {again:?}");
        }
    }
    let _ = State::parse(&text);
}

/// RSS and Atom feeds (`rssfeed`), each item formatted with a format taken from the input's
/// first line.
pub fn feed(data: &[u8]) {
    use crate::saver::netscreens::feed;
    let (format, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) if at < 200 => {
            (String::from_utf8_lossy(&data[..at]).into_owned(), &data[at + 1..])
        }
        _ => ("{title}\\n{date} {link}\\n{description}".to_owned(), data),
    };
    if let Ok(items) = feed::parse(body) {
        for item in items.iter().take(100) {
            let _ = feed::format_item(item, &format);
        }
    }
}

/// Web pages as `urlfetcher` shows them (tags, entities), and the RFC index.
pub fn html(data: &[u8]) {
    use crate::saver::netscreens::{html, index_numbers};
    let text = String::from_utf8_lossy(data);
    let _ = html::to_text(&text);
    let _ = html::decode_entities(&text);
    let _ = index_numbers(&text);
}

/// `img2ascii`'s pictures (PNG, JPEG, GIF) with their caps, each frame fitted to a screen.
/// The caps are the point: a bomb must be refused or cut, within the fuzzer's time and memory.
pub fn picture(data: &[u8]) {
    use crate::saver::screens::img2ascii::picture;
    let Ok(decoded) = picture::decode(data) else { return };
    for frame in decoded.frames.iter().take(4) {
        let _ = picture::fit(frame, 80, 48, 1.0);
        let _ = picture::fit(frame, 200, 60, 2.0);
    }
}

/// Bytes read from the terminal, split into keys and focus reports: every byte is accounted
/// for (a focus report is three bytes, a key one).
pub fn keys(data: &[u8]) {
    use crate::term::keys::{Key, parse};
    let keys = parse(data);
    let bytes: usize = keys.iter().map(|k| if matches!(k, Key::Press(_)) { 1 } else { 3 }).sum();
    assert_eq!(bytes, data.len(), "keys do not account for every byte");
}

/// The sanitiser, in each of its modes: what comes out is clean (no escape, no control but tab
/// and newline, no bidi control) and does not change when sanitised again.
pub fn sanitize(data: &[u8]) {
    use crate::sanitize::{Whitespace, is_clean, message_line, sanitize_with};
    for mode in [Whitespace::Layout, Whitespace::Keep, Whitespace::OneLine] {
        let clean = sanitize_with(data, mode);
        assert!(is_clean(clean.as_bytes()), "{mode:?} output is not clean: {clean:?}");
        assert_eq!(sanitize_with(clean.as_bytes(), mode), clean, "{mode:?} is not idempotent");
        if mode == Whitespace::OneLine {
            assert!(!clean.contains(['\n', '\t']), "one line holds a newline or tab: {clean:?}");
        }
    }
    let line = message_line(data);
    assert!(is_clean(line.as_bytes()) && !line.contains('\n'), "message line: {line:?}");
}

#[cfg(test)]
mod tests {
    //! The corpus and the regressions of every target, replayed on stable by `cargo test`.

    use std::path::Path;

    #[test]
    fn every_target_has_a_corpus_and_a_fuzz_target() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
        for (name, _) in super::TARGETS {
            let target = root.join("fuzz_targets").join(format!("{name}.rs"));
            assert!(target.is_file(), "{} is missing", target.display());
            let corpus = root.join("corpus").join(name);
            let files = std::fs::read_dir(&corpus).map(Iterator::count).unwrap_or(0);
            assert!(files > 0, "{} is empty or missing", corpus.display());
        }
    }

    #[test]
    fn the_corpus_and_the_regressions_replay_cleanly() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
        let mut replayed = 0;
        for (name, run) in super::TARGETS {
            for kind in ["corpus", "regressions"] {
                let Ok(entries) = std::fs::read_dir(root.join(kind).join(name)) else { continue };
                for entry in entries {
                    let path = entry.expect("corpus entry").path();
                    let bytes = std::fs::read(&path).expect("corpus file");
                    let outcome = std::panic::catch_unwind(|| run(&bytes));
                    assert!(outcome.is_ok(), "{name}: {} panics", path.display());
                    replayed += 1;
                }
            }
        }
        assert!(replayed >= super::TARGETS.len(), "only {replayed} inputs replayed");
    }
}
