//! `--json`: one JSON object per update on stderr, one per line, for scripts and dashboards,
//! and a final summary. The schema (documented in docs/pv-compat.md, `"version": 1`):
//!
//! ```text
//! {"version":1,"type":"progress","elapsed":1.002,"transferred":1048576,"unit":"bytes",
//!  "size":4194304,"percent":25.000,"rate":1046528.000,"average_rate":1046528.000,"eta":3.008,
//!  "name":null,"rows":[...]}
//! {"version":1,"type":"summary", ...the same fields..., "rate_min":..,"rate_mean":..,
//!  "rate_max":..,"rate_stddev":..,"measurements":3,"status":0}
//! ```
//!
//! `rows` is there only with several rows (`--per-file`, `--monitor both`, several `-d`
//! descriptors): each with `name`, `transferred`, `size`, `percent`. Written by hand: the
//! schema is small and fixed, so no serialisation crate is needed.

use std::fmt::Write as _;

use crate::pv::calc::Stats;
use crate::pv::exit::ExitStatus;
use crate::pv::format::{Snapshot, Style};
use crate::units::Unit;

/// The version of the schema; bumped when a field changes meaning or goes away.
pub(crate) const VERSION: u32 = 1;

/// A JSON string literal.
#[must_use]
pub(crate) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn number(value: f64) -> String {
    if value.is_finite() { format!("{value:.3}") } else { "null".to_owned() }
}

fn optional<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "null".to_owned(), |v| v.to_string())
}

fn percent(snap: &Snapshot) -> Option<String> {
    snap.size.map(|size| number(snap.amount as f64 * 100.0 / size.max(1) as f64))
}

/// Seconds left at the window's average rate, when a size is known and data moves.
fn eta(snap: &Snapshot) -> Option<String> {
    let size = snap.size?;
    (snap.eta_rate >= 0.001 && !snap.last)
        .then(|| number(size.saturating_sub(snap.amount) as f64 / snap.eta_rate))
}

/// The fields every object has.
fn common(snap: &Snapshot, style: &Style, name: Option<&str>) -> String {
    let unit = if style.unit == Unit::Count { "lines" } else { "bytes" };
    format!(
        "\"elapsed\":{},\"transferred\":{},\"unit\":\"{unit}\",\"size\":{},\"percent\":{},\
         \"rate\":{},\"average_rate\":{},\"eta\":{},\"name\":{}",
        number(snap.elapsed),
        snap.amount,
        optional(snap.size),
        percent(snap).unwrap_or_else(|| "null".into()),
        number(snap.rate),
        number(snap.average),
        optional(eta(snap)),
        name.map_or_else(|| "null".to_owned(), string),
    )
}

/// One update (the summary when `last`), with a newline.
#[must_use]
pub(crate) fn update(
    snaps: &[Snapshot],
    names: &[Option<String>],
    style: &Style,
    last: bool,
    status: ExitStatus,
    stats: &Stats,
) -> String {
    let Some(total) = snaps.last() else { return String::new() };
    let total_name = names.last().cloned().flatten().or_else(|| style.name.clone());
    let kind = if last { "summary" } else { "progress" };
    let mut out = format!(
        "{{\"version\":{VERSION},\"type\":\"{kind}\",{}",
        common(total, style, total_name.as_deref())
    );
    if snaps.len() > 1 {
        out.push_str(",\"rows\":[");
        for (i, (snap, name)) in snaps[..snaps.len() - 1].iter().zip(names).enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(
                out,
                "{{\"name\":{},\"transferred\":{},\"size\":{},\"percent\":{}}}",
                name.as_deref().map_or_else(|| "null".to_owned(), string),
                snap.amount,
                optional(snap.size),
                percent(snap).unwrap_or_else(|| "null".into()),
            );
        }
        out.push(']');
    }
    if last {
        let _ = write!(
            out,
            ",\"rate_min\":{},\"rate_mean\":{},\"rate_max\":{},\"rate_stddev\":{},\
             \"measurements\":{},\"status\":{}",
            number(stats.min),
            number(stats.mean()),
            number(stats.max),
            number(stats.deviation()),
            stats.count,
            status.bits()
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string("a\"b\\c\n\u{1b}é"), "\"a\\\"b\\\\c\\n\\u001bé\"");
    }

    #[test]
    fn updates_and_the_summary() {
        let style = Style::default();
        let snap = Snapshot {
            amount: 50,
            elapsed: 1.0,
            rate: 50.0,
            average: 50.0,
            eta_rate: 50.0,
            size: Some(100),
            ..Snapshot::default()
        };
        let line = update(
            std::slice::from_ref(&snap),
            &[None],
            &style,
            false,
            ExitStatus::empty(),
            &Stats::default(),
        );
        assert_eq!(
            line,
            "{\"version\":1,\"type\":\"progress\",\"elapsed\":1.000,\"transferred\":50,\
             \"unit\":\"bytes\",\"size\":100,\"percent\":50.000,\"rate\":50.000,\
             \"average_rate\":50.000,\"eta\":1.000,\"name\":null}\n"
        );
        let files = [snap.clone(), snap];
        let names = [Some("a".to_owned()), None];
        let summary = update(&files, &names, &style, true, ExitStatus::ACCESS, &Stats::default());
        assert!(summary.contains("\"type\":\"summary\""));
        assert!(summary.contains("\"rows\":[{\"name\":\"a\",\"transferred\":50,\"size\":100"));
        assert!(summary.ends_with("\"measurements\":0,\"status\":2}\n"));
    }
}
