//! `fun calendar --ics`: the events of the window as an iCalendar (RFC 5545) file.
//!
//! Every occurrence in the window is one all-day VEVENT on its concrete date (a weekly or
//! Easter-relative line gives one event per day it falls on; the `*` that marks such dates in
//! calendar(1)'s output has no iCalendar counterpart and is not written). The first line of the
//! entry is the SUMMARY; its continuation lines, if any, are the DESCRIPTION. The UID is derived
//! from the entry's text and date, so the same event gets the same UID in every run.

use std::collections::HashMap;
use std::io::{self, Write};

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::content::{escape, fold_into};
use crate::calendar::events::Events;
use crate::sanitize::{Whitespace, is_clean, sanitize_with};

/// What follows the hash in every UID: a domain-like name that cannot belong to anyone
/// (`.invalid` is reserved by RFC 2606).
pub(crate) const UID_DOMAIN: &str = "fun-calendar.invalid";

/// Writes `events` as one VCALENDAR to `out`, stamped with `now`. Returns how many events were
/// left out because their date cannot be written (years after 9999).
pub(crate) fn write(
    out: &mut impl Write,
    events: &Events,
    now: DateTime<Utc>,
) -> io::Result<usize> {
    let mut buffer = Vec::with_capacity(64 * 1024);
    let version = env!("CARGO_PKG_VERSION");
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!("PRODID:-//fun//fun calendar {version}//EN"),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold_into(&mut buffer, line);
    }
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut uids = UidMaker::default();
    let mut left_out = 0;
    for event in &events.events {
        let Some(next) = event.date.succ_opt().filter(|d| d.year() <= 9999) else {
            left_out += 1;
            continue;
        };
        let text = events.text(event);
        let (summary, description) = split_text(text);
        fold_into(&mut buffer, "BEGIN:VEVENT");
        fold_into(&mut buffer, &format!("UID:{}", uids.uid(text, event.date)));
        fold_into(&mut buffer, &format!("DTSTAMP:{stamp}"));
        fold_into(&mut buffer, &format!("DTSTART;VALUE=DATE:{}", date_value(event.date)));
        fold_into(&mut buffer, &format!("DTEND;VALUE=DATE:{}", date_value(next)));
        fold_into(&mut buffer, &format!("SUMMARY:{}", escape(&summary)));
        if let Some(description) = description {
            fold_into(&mut buffer, &format!("DESCRIPTION:{}", escape(&description)));
        }
        // A day's note, not a busy day: other calendars must not block the time.
        fold_into(&mut buffer, "TRANSP:TRANSPARENT");
        fold_into(&mut buffer, "END:VEVENT");
        if buffer.len() >= 60 * 1024 {
            out.write_all(&buffer)?;
            buffer.clear();
        }
    }
    fold_into(&mut buffer, "END:VCALENDAR");
    out.write_all(&buffer)?;
    Ok(left_out)
}

/// `YYYYMMDD`.
fn date_value(date: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// The SUMMARY (the entry's first line) and DESCRIPTION (its continuation lines, one per
/// line) of a calendar entry's text, which starts at its first TAB: no control characters,
/// TABs between words as spaces, the indentation of each line dropped.
#[must_use]
pub(crate) fn split_text(text: &str) -> (String, Option<String>) {
    let clean = if is_clean(text.as_bytes()) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(sanitize_with(text.as_bytes(), Whitespace::Keep))
    };
    let mut lines = clean.split('\n').map(|line| line.trim().replace('\t', " "));
    let summary = lines.next().unwrap_or_default();
    let rest: Vec<String> = lines.collect();
    let description = (!rest.is_empty()).then(|| rest.join("\n"));
    (summary, description)
}

/// Stable UIDs: a hash of the entry's text and date, and a counter for the same text twice on
/// one day (two lines of the same file), so that UIDs stay unique within the file.
#[derive(Default)]
struct UidMaker {
    seen: HashMap<u64, u32>,
}

impl UidMaker {
    fn uid(&mut self, text: &str, date: NaiveDate) -> String {
        let hash = fnv1a(&[text.as_bytes(), b"\0", date_value(date).as_bytes()]);
        let count = self.seen.entry(hash).or_default();
        *count += 1;
        let date = date_value(date);
        match *count {
            1 => format!("{date}-{hash:016x}@{UID_DOMAIN}"),
            n => format!("{date}-{hash:016x}-{n}@{UID_DOMAIN}"),
        }
    }
}

/// 64-bit FNV-1a: fixed by its definition, so UIDs do not change with the Rust version (std's
/// hasher may) or between runs.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|p| p.iter()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::events::Event;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn events(list: &[(NaiveDate, &str)]) -> Events {
        let mut events = Events::default();
        for (i, (date, text)) in list.iter().enumerate() {
            events.texts.push((*text).to_owned());
            events.events.push(Event { date: *date, marked: false, entry: i, locale: 0 });
        }
        events
    }

    fn render(list: &[(NaiveDate, &str)]) -> String {
        let mut out = Vec::new();
        let now = DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default();
        write(&mut out, &events(list), now).expect("writes to a Vec");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn a_whole_calendar_with_crlf_and_stable_uids() {
        let text =
            render(&[(d(2026, 5, 25), "\tMemorial Day"), (d(2026, 5, 25), "\tMemorial Day")]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fun//fun calendar "));
        assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains(['\r', '\n']), "every line ends in CRLF");
        assert!(text.contains("DTSTAMP:20260101T000000Z\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20260525\r\nDTEND;VALUE=DATE:20260526\r\n"));
        let uids: Vec<&str> = text.lines().filter(|l| l.starts_with("UID:")).collect();
        assert_eq!(uids.len(), 2);
        assert_ne!(uids[0], uids[1], "the same text twice on a day gets two UIDs");
        assert!(uids[0].ends_with("@fun-calendar.invalid"));
        assert!(uids[1].ends_with("-2@fun-calendar.invalid"));
        assert_eq!(
            text,
            render(&[(d(2026, 5, 25), "\tMemorial Day"), (d(2026, 5, 25), "\tMemorial Day")])
        );
    }

    #[test]
    fn text_is_escaped_sanitised_and_split() {
        let text = render(&[(d(2026, 1, 1), "\tA; B, C\\D\x1b[31m\x07\tend\n\tsecond\n\t\tthird")]);
        assert!(text.contains("SUMMARY:A\\; B\\, C\\\\D end\r\n"), "{text}");
        assert!(text.contains("DESCRIPTION:second\\nthird\r\n"), "{text}");
        assert!(!text.contains('\x1b') && !text.contains('\x07'));
    }

    #[test]
    fn long_utf8_text_is_folded_at_75_octets() {
        let long = format!("\t{}", "\u{00e9}t\u{00e9} \u{1F31E} ".repeat(30));
        let text = render(&[(d(2026, 7, 1), &long)]);
        for line in text.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}\r\n", long.trim())));
    }

    #[test]
    fn dates_after_9999_are_left_out() {
        let mut out = Vec::new();
        let list = events(&[(d(9999, 12, 31), "\tlast"), (d(9999, 12, 30), "\tok")]);
        assert_eq!(write(&mut out, &list, Utc::now()).expect("writes to a Vec"), 1);
        let text = String::from_utf8_lossy(&out);
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 1);
        assert!(text.contains("SUMMARY:ok"));
    }
}
