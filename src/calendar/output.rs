//! Printing events the way the reference does (`%b %d`, the `*` marker, the description from its
//! TAB), with an optional weekday prefix and colour on a terminal; and the `--list` table.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};

use super::events::Event;
use super::source;

/// How to print.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// `-w`: `Wed Apr 17` instead of `Apr 17`.
    pub weekday: bool,
    pub color: bool,
    pub today: NaiveDate,
}

const BOLD_YELLOW: &str = "\x1b[1;33m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// Formats one event exactly like the reference (plus colour when asked).
#[must_use]
pub fn format_event(event: &Event, style: Style) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_event(&mut out, event, style);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes one event exactly like the reference (plus colour when asked).
pub fn write_event(out: &mut impl Write, event: &Event, style: Style) -> io::Result<()> {
    // Hand-formatted: chrono's strftime re-parses its pattern on every call, which showed up
    // as half the run time on Debian's 5000-line calendar.all.
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let month = MONTHS[event.date.month0() as usize];
    let day = event.date.day();
    let marker = if event.marked { '*' } else { ' ' };
    let (on, off, text_on, text_off) = match (style.color, event.date == style.today) {
        (false, _) => ("", "", "", ""),
        (true, true) => (BOLD_YELLOW, RESET, "\x1b[1m", RESET),
        (true, false) => (CYAN, RESET, "", ""),
    };
    out.write_all(on.as_bytes())?;
    if style.weekday {
        let weekday = DAYS[event.date.weekday().num_days_from_monday() as usize];
        write!(out, "{weekday} ")?;
    }
    writeln!(out, "{month} {day:02}{off}{marker}{text_on}{}{text_off}", event.text)
}

/// Writes a result to stdout, treating a closed pipe as a normal end.
fn finish(result: io::Result<()>) -> anyhow::Result<ExitCode> {
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(anyhow::Error::new(e).context("cannot write to standard output")),
    }
}

/// Prints all events to stdout.
pub fn print(events: &[Event], style: Style) -> anyhow::Result<ExitCode> {
    let mut out = BufWriter::new(io::stdout().lock());
    let result =
        events.iter().try_for_each(|e| write_event(&mut out, e, style)).and_then(|()| out.flush());
    finish(result)
}

/// `--list`: one bundled calendar per line with its description.
pub fn list(bundled: &[(&str, &str)]) -> anyhow::Result<ExitCode> {
    let width = bundled.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    let mut out = BufWriter::new(io::stdout().lock());
    let result = bundled
        .iter()
        .try_for_each(|(name, text)| writeln!(out, "{name:width$}  {}", source::description(text)))
        .and_then(|()| out.flush());
    finish(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(marked: bool, text: &str) -> Event {
        Event {
            date: NaiveDate::from_ymd_opt(2024, 4, 17).unwrap_or_default(),
            marked,
            text: text.into(),
        }
    }

    fn style(weekday: bool) -> Style {
        Style { weekday, color: false, today: NaiveDate::default() }
    }

    #[test]
    fn reference_bytes() {
        assert_eq!(
            format_event(&event(false, "\tAn unexpected party"), style(false)),
            "Apr 17 \tAn unexpected party\n"
        );
        assert_eq!(format_event(&event(true, "\tx\n\tmore"), style(false)), "Apr 17*\tx\n\tmore\n");
        assert_eq!(format_event(&event(false, "\tx"), style(true)), "Wed Apr 17 \tx\n");
    }
}
