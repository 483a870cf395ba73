//! iCalendar (RFC 5545) in and out of `fun calendar`: `--ics` writes the events of the window
//! as an iCalendar file, `--from-ics FILE` turns an iCalendar file into calendar(1) lines.
//!
//! Both directions are written here rather than with the `icalendar` crate, whose parser (tried
//! at 0.17) rejects a whole file for one malformed line, takes quadratic time on LF-only files
//! and recurses once per nested `BEGIN` (a stack overflow on a hostile file), and whose writer
//! gives random UIDs. The crate is used in the tests, to check what `--ics` writes.

mod content;
pub(crate) mod export;
pub(crate) mod import;
mod rrule;
pub(crate) mod vevent;

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use super::diag::{Level, Warnings};
use super::events::Events;
use crate::files::display_path;
use crate::sanitize::{CleanLine, CleanText};
use crate::stdio::stdout_file;

/// `--ics`: writes `events` to standard output as an iCalendar file.
pub(crate) fn print(events: &Events) -> anyhow::Result<ExitCode> {
    let now = chrono::Utc::now();
    let result = stdout_file().and_then(|file| {
        let mut out = BufWriter::new(file);
        let left_out = export::write(&mut out, events, now)?;
        out.flush()?;
        Ok(left_out)
    });
    let left_out = match result {
        Ok(n) => n,
        Err(e) => return crate::stdio::exit_after_write(Err(e)),
    };
    if left_out > 0 {
        eprintln!(
            "fun calendar: {left_out} events after 9999-12-30 left out (iCalendar dates end in 9999)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `--from-ics FILE`: prints calendar(1) lines for the events of `name` (`-` for standard input)
/// and, on standard error, what was left out.
pub(crate) fn run_import(name: &str, level: Level) -> anyhow::Result<ExitCode> {
    let (bytes, shown) = if name == "-" {
        let stdin = std::io::stdin().lock();
        (crate::files::read_stream_capped(stdin, "<stdin>", import::ICS_CAP)?, "<stdin>".to_owned())
    } else {
        let path = std::path::Path::new(name);
        (crate::files::read_capped(path, import::ICS_CAP)?, display_path(path))
    };
    let mut warnings = Warnings::new(level);
    let zone = import::local_zone();
    // A file refused whole gets one message, not one per line as well.
    let text = import::convert(&bytes, &shown, zone.as_deref(), &mut warnings)?;
    for warning in warnings.lines() {
        crate::stdio::warn("calendar", &CleanLine::message(warning));
    }
    crate::stdio::print_all(&CleanText::keep(text))
}
