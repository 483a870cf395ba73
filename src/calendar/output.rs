//! Printing events the way the reference does (`%b %d`, the `*` marker, the description from its
//! TAB), with an optional weekday prefix and colour on a terminal; and the `--list` table.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};

use super::events::{Event, Events};
use super::locale::Names;
use super::source;
use crate::sanitize::{Whitespace, is_clean, sanitize_with};
use crate::stdio::{exit_after_write, stdout_file};

/// How to print.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    /// `-w`: `Wed Apr 17` instead of `Apr 17`.
    pub(crate) weekday: bool,
    pub(crate) color: bool,
    /// Remove escapes and controls from the text: the output is a terminal, and calendar files
    /// (`./calendar` in whatever folder the user is in) are not trusted to drive it.
    pub(crate) sanitize: bool,
    pub(crate) today: NaiveDate,
}

const BOLD_YELLOW: &str = "\x1b[1;33m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// Formats one event exactly like the reference (plus colour when asked).
#[cfg(test)]
#[must_use]
fn format_event(event: &Event, text: &str, style: Style) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_event(&mut out, event, text, &Names::english(), style);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes one event exactly like the reference (`%b %d`, or `%a %b %d` with `-w`, in the
/// locale of its line; plus colour when asked).
fn write_event(
    out: &mut impl Write,
    event: &Event,
    text: &str,
    names: &Names,
    style: Style,
) -> io::Result<()> {
    // Hand-formatted: chrono's strftime re-parses its pattern on every call, which showed up
    // as half the run time on Debian's 5000-line calendar.all.
    let month = names.month_abbr(event.date.month0() as usize);
    let day = event.date.day();
    let marker = if event.marked { '*' } else { ' ' };
    let (on, off, text_on, text_off) = match (style.color, event.date == style.today) {
        (false, _) => ("", "", "", ""),
        (true, true) => (BOLD_YELLOW, RESET, "\x1b[1m", RESET),
        (true, false) => (CYAN, RESET, "", ""),
    };
    out.write_all(on.as_bytes())?;
    if style.weekday {
        write!(out, "{} ", names.weekday_abbr(event.date.weekday()))?;
    }
    write!(out, "{month} {day:02}{off}{marker}{text_on}")?;
    if style.sanitize && !is_clean(text.as_bytes()) {
        out.write_all(sanitize_with(text.as_bytes(), Whitespace::Keep).as_bytes())?;
    } else {
        out.write_all(text.as_bytes())?;
    }
    writeln!(out, "{text_off}")
}

/// Prints all events to stdout.
pub(crate) fn print(events: &Events, style: Style) -> anyhow::Result<ExitCode> {
    let result = stdout_file().and_then(|file| {
        let mut out = BufWriter::new(file);
        for event in &events.events {
            write_event(&mut out, event, events.text(event), events.names(event), style)?;
        }
        out.flush()
    });
    exit_after_write(result)
}

/// `--list`: one bundled calendar per line with its description.
pub(crate) fn list(bundled: &[(&str, &str)]) -> anyhow::Result<ExitCode> {
    let width = bundled.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    let result = stdout_file().and_then(|file| {
        let mut out = BufWriter::new(file);
        for (name, text) in bundled {
            writeln!(out, "{name:width$}  {}", source::description(text))?;
        }
        out.flush()
    });
    exit_after_write(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(marked: bool) -> Event {
        let date = NaiveDate::from_ymd_opt(2024, 4, 17).unwrap_or_default();
        Event { date, marked, entry: 0, locale: 0 }
    }

    fn style(weekday: bool) -> Style {
        Style { weekday, color: false, sanitize: false, today: NaiveDate::default() }
    }

    #[test]
    fn reference_bytes() {
        assert_eq!(
            format_event(&event(false), "\tAn unexpected party", style(false)),
            "Apr 17 \tAn unexpected party\n"
        );
        assert_eq!(format_event(&event(true), "\tx\n\tmore", style(false)), "Apr 17*\tx\n\tmore\n");
        assert_eq!(format_event(&event(false), "\tx", style(true)), "Wed Apr 17 \tx\n");
    }

    #[test]
    fn terminal_output_is_sanitised_and_pipes_keep_the_bytes() {
        let hostile = "\tx\x1b]52;c;b3duZWQ=\x07y\x1b[2J \u{202e}txt.exe\n\tmore\x07";
        let mut tty = style(false);
        tty.sanitize = true;
        assert_eq!(format_event(&event(false), hostile, tty), "Apr 17 \txy txt.exe\n\tmore\n");
        assert_eq!(
            format_event(&event(false), hostile, style(false)),
            format!("Apr 17 {hostile}\n")
        );
    }

    #[test]
    fn dates_print_in_the_locale_of_their_line() {
        let ru = Names::of("ru_RU.UTF-8").expect("ru_RU");
        let mut out = Vec::new();
        write_event(&mut out, &event(false), "\tx", &ru, style(true)).expect("write");
        assert_eq!(String::from_utf8_lossy(&out), "Ср апр 17 \tx\n");
    }
}
