//! The VEVENTs of an untrusted iCalendar file: the component structure (nesting bounded, a
//! mismatched or missing `END` recovered from), the properties that decide an event's days and
//! text, and its dates read into local dates. Unknown properties and components are ignored; a
//! line that is not a content line is reported and skipped.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use super::content::{ContentLine, parse_line, unescape, unfold};
use super::rrule::{self, Rule, RuleError};
use crate::calendar::diag::Warnings;

/// Deepest component nesting followed (VCALENDAR > VEVENT > VALARM is 3); deeper `BEGIN`s are
/// counted, not stored, so a file of a million `BEGIN` lines costs no memory.
pub(crate) const MAX_DEPTH: usize = 64;

/// When an event starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Start {
    /// An all-day event.
    Date(NaiveDate),
    /// A timed one, in local time (UTC times converted) or in the named zone.
    Timed { at: NaiveDateTime, zone: Option<String> },
}

impl Start {
    #[must_use]
    pub(crate) fn date(&self) -> NaiveDate {
        match self {
            Start::Date(date) => *date,
            Start::Timed { at, .. } => at.date(),
        }
    }
}

/// One VEVENT, as far as calendar(1) lines can use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Event {
    /// The line of its `BEGIN:VEVENT`.
    pub(crate) line: usize,
    pub(crate) uid: Option<String>,
    /// Unescaped, not yet sanitised.
    pub(crate) summary: String,
    pub(crate) description: String,
    pub(crate) start: Option<Start>,
    pub(crate) end: Option<Start>,
    /// Days an all-day event lasts (from `DTEND` or `DURATION`), at least 1.
    pub(crate) days: i64,
    pub(crate) rule: Option<Result<Rule, RuleError>>,
    pub(crate) rdates: Vec<NaiveDate>,
    pub(crate) exdates: Vec<NaiveDate>,
    /// Set on an event that changes one occurrence of a repeating event with the same UID.
    pub(crate) recurrence_id: Option<NaiveDate>,
    pub(crate) cancelled: bool,
}

/// What a file holds: its events, and how many components of other kinds were passed over.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) has_calendar: bool,
    pub(crate) events: Vec<Event>,
    pub(crate) other: BTreeMap<String, usize>,
}

/// An event being read: its properties so far, the depth of its BEGIN and that line.
struct Open {
    props: Vec<(usize, ContentLine)>,
    depth: usize,
    begin: usize,
}

/// The walk through a file's components.
struct Walker<'w> {
    file: &'w str,
    warnings: &'w mut Warnings,
    parsed: Parsed,
    /// Names of the open components, outermost first.
    stack: Vec<String>,
    /// BEGINs past [`MAX_DEPTH`] still open, counted only.
    too_deep: usize,
    current: Option<Open>,
}

/// Reads the events of `bytes`; `file` names it in warnings.
pub(crate) fn parse(bytes: &[u8], file: &str, warnings: &mut Warnings) -> Parsed {
    let mut walker = Walker {
        file,
        warnings,
        parsed: Parsed::default(),
        stack: Vec::new(),
        too_deep: 0,
        current: None,
    };
    for (number, text) in unfold(bytes) {
        if text.trim().is_empty() {
            continue;
        }
        if text.contains('\u{FFFD}') {
            let msg = "invalid UTF-8 (iCalendar files are UTF-8), shown as \u{FFFD}";
            walker.warnings.at(file, number, msg);
        }
        let Some(line) = parse_line(&text) else {
            walker.warnings.at(file, number, "not an iCalendar content line, ignored");
            continue;
        };
        match line.name.as_str() {
            "BEGIN" => walker.begin(line.value.trim().to_ascii_uppercase(), number),
            "END" if walker.too_deep > 0 => walker.too_deep -= 1,
            "END" => walker.end(&line.value.trim().to_ascii_uppercase(), number),
            _ => walker.property(line, number),
        }
    }
    if let Some(open) = walker.current.take() {
        walker.unterminated(&open);
    }
    walker.parsed
}

impl Walker<'_> {
    fn begin(&mut self, name: String, number: usize) {
        if self.stack.len() >= MAX_DEPTH {
            self.too_deep += 1;
            return;
        }
        self.parsed.has_calendar |= name == "VCALENDAR";
        if name == "VEVENT" {
            // Events do not nest: the one still open lacks its END.
            if let Some(open) = self.current.take() {
                self.unterminated(&open);
                self.stack.truncate(open.depth - 1);
            }
            let depth = self.stack.len() + 1;
            self.current = Some(Open { props: Vec::new(), depth, begin: number });
        } else if name != "VCALENDAR" && self.current.is_none() && self.stack.len() <= 1 {
            *self.parsed.other.entry(short_name(&name)).or_default() += 1;
        }
        self.stack.push(name);
    }

    /// Closes `name` and whatever is open inside it (a missing END is forgiven, except an
    /// event's own).
    fn end(&mut self, name: &str, number: usize) {
        let Some(index) = self.stack.iter().rposition(|n| n == name) else {
            let msg = format_args!("END:{} without its BEGIN, ignored", short_name(name));
            self.warnings.at(self.file, number, msg);
            return;
        };
        self.stack.truncate(index);
        match self.current.take() {
            Some(open) if index < open.depth => {
                if index + 1 == open.depth && name == "VEVENT" {
                    let event = event(open.begin, &open.props, self.file, self.warnings);
                    self.parsed.events.push(event);
                } else {
                    self.unterminated(&open);
                }
            }
            other => self.current = other,
        }
    }

    /// Keeps a property of the open event (not of a component inside it, such as a VALARM).
    fn property(&mut self, line: ContentLine, number: usize) {
        let depth = self.stack.len();
        if let Some(open) = self.current.as_mut().filter(|open| open.depth == depth)
            && is_used(&line.name)
        {
            open.props.push((number, line));
        }
    }

    fn unterminated(&mut self, open: &Open) {
        self.warnings.at(self.file, open.begin, "VEVENT without END:VEVENT, left out");
    }
}

/// A component name for messages and counts, cut short.
fn short_name(name: &str) -> String {
    crate::sanitize::sanitize_line(name.chars().take(40).collect::<String>().as_bytes())
}

/// The properties an event's lines are made from; the rest are not kept.
fn is_used(name: &str) -> bool {
    matches!(
        name,
        "UID"
            | "SUMMARY"
            | "DESCRIPTION"
            | "DTSTART"
            | "DTEND"
            | "DURATION"
            | "RRULE"
            | "RDATE"
            | "EXDATE"
            | "RECURRENCE-ID"
            | "STATUS"
    )
}

/// Builds an event from its properties (the first of each counts; `RDATE` and `EXDATE` add up).
fn event(
    begin: usize,
    props: &[(usize, ContentLine)],
    file: &str,
    warnings: &mut Warnings,
) -> Event {
    let first = |name: &str| props.iter().find(|(_, p)| p.name == name).map(|(_, p)| p);
    let mut bad_value = |prop: &ContentLine, number: usize| {
        let msg = format_args!(
            "{} value {} not understood, ignored",
            prop.name,
            crate::sanitize::quoted(&short_name(&prop.value))
        );
        warnings.at(file, number, msg);
    };
    let mut date_prop = |name: &str| {
        let (number, prop) = props.iter().find(|(_, p)| p.name == name)?;
        let start = parse_start(prop);
        if start.is_none() {
            bad_value(prop, *number);
        }
        start
    };
    let start = date_prop("DTSTART");
    let end = date_prop("DTEND");
    let days = match (&start, &end, first("DURATION")) {
        (Some(Start::Date(s)), Some(Start::Date(e)), _) => (*e - *s).num_days().max(1),
        (Some(Start::Date(_)), None, Some(duration)) => duration_days(&duration.value).unwrap_or(1),
        _ => 1,
    };
    let dates = |name: &str| -> Vec<NaiveDate> {
        props
            .iter()
            .filter(|(_, p)| p.name == name)
            .flat_map(|(_, p)| {
                let tzid = p.param("TZID").map(str::to_owned);
                p.value
                    .split(',')
                    .filter_map(move |v| parse_value(v, tzid.as_deref()).map(|s| s.date()))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let text =
        |name: &str| first(name).map(|p| unescape(&p.value).into_owned()).unwrap_or_default();
    Event {
        line: begin,
        uid: first("UID").map(|p| p.value.clone()),
        summary: text("SUMMARY"),
        description: text("DESCRIPTION"),
        rule: first("RRULE")
            .map(|p| rrule::parse(&p.value, |v| parse_value(v, None).map(|s| s.date()))),
        rdates: dates("RDATE"),
        exdates: dates("EXDATE"),
        recurrence_id: first("RECURRENCE-ID").and_then(parse_start).map(|s| s.date()),
        cancelled: first("STATUS")
            .is_some_and(|p| p.value.trim().eq_ignore_ascii_case("CANCELLED")),
        start,
        end,
        days,
    }
}

/// A DTSTART-like property: its value with its `TZID`.
fn parse_start(prop: &ContentLine) -> Option<Start> {
    parse_value(prop.value.trim(), prop.param("TZID"))
}

/// `20260314` (a DATE), `20260314T093000` (floating or in `tzid`), `20260314T093000Z` (UTC,
/// converted to local time).
pub(crate) fn parse_value(value: &str, tzid: Option<&str>) -> Option<Start> {
    let value = value.trim();
    if value.len() == 8 {
        return NaiveDate::parse_from_str(value, "%Y%m%d").ok().map(Start::Date);
    }
    let (naive, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(local) => (local, true),
        None => (value, false),
    };
    if naive.len() != 15 {
        return None;
    }
    let at = NaiveDateTime::parse_from_str(naive, "%Y%m%dT%H%M%S").ok()?;
    if utc {
        let local = chrono::Local.from_utc_datetime(&at).naive_local();
        return Some(Start::Timed { at: local, zone: None });
    }
    Some(Start::Timed { at, zone: tzid.map(str::to_owned) })
}

/// Whole days of a `DURATION` like `P3D` or `P1W` (an all-day event's length).
fn duration_days(value: &str) -> Option<i64> {
    let body = value.trim().strip_prefix('+').unwrap_or(value.trim()).strip_prefix('P')?;
    // The unit is the last character, which need not be one byte (fuzzing: `P3\u{FFFD}`).
    let (number, unit) = body.split_at(body.char_indices().last()?.0);
    let n: i64 = number.parse().ok().filter(|n| (1..=100_000).contains(n))?;
    match unit {
        "D" => Some(n),
        "W" => Some(n * 7),
        _ => None,
    }
}

/// The time of day of a timed start, as text: `09:30`, or `09:30:15` with seconds.
#[must_use]
pub(crate) fn time_text(time: NaiveTime) -> String {
    use chrono::Timelike;
    if time.second() == 0 {
        format!("{:02}:{:02}", time.hour(), time.minute())
    } else {
        format!("{:02}:{:02}:{:02}", time.hour(), time.minute(), time.second())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn events(text: &str) -> (Parsed, Vec<String>) {
        let mut warnings = Warnings::default();
        let parsed = parse(text.as_bytes(), "f.ics", &mut warnings);
        (parsed, warnings.as_slice().to_vec())
    }

    #[test]
    fn reads_events_and_passes_over_other_components() {
        let (parsed, warnings) = events(
            "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nDTSTART:19700101T000000\nEND:VTIMEZONE\n\
             BEGIN:VEVENT\nSUMMARY:Tea\\, biscuits\nDTSTART;VALUE=DATE:20260314\n\
             DTEND;VALUE=DATE:20260317\nX-UNKNOWN;A=B:ignored\nBEGIN:VALARM\nDESCRIPTION:alarm\n\
             END:VALARM\nEND:VEVENT\nBEGIN:VTODO\nEND:VTODO\nEND:VCALENDAR\n",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(parsed.has_calendar);
        assert_eq!(parsed.events.len(), 1);
        let event = &parsed.events[0];
        assert_eq!(event.summary, "Tea, biscuits");
        assert_eq!(event.description, "", "the alarm's description is not the event's");
        assert_eq!(event.start, Some(Start::Date(d(2026, 3, 14))));
        assert_eq!(event.days, 3);
        assert_eq!(event.line, 5);
        let other: Vec<_> = parsed.other.into_iter().collect();
        assert_eq!(other, [("VTIMEZONE".to_owned(), 1), ("VTODO".to_owned(), 1)]);
    }

    #[test]
    fn recovers_from_garbled_and_unbalanced_lines() {
        let (parsed, warnings) = events(
            "BEGIN:VCALENDAR\n\x01garbage\nEND:VTODO\nBEGIN:VEVENT\nSUMMARY:a\nBEGIN:VEVENT\n\
             DTSTART:2026\nSUMMARY:b\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:c\nEND:VCALENDAR\n",
        );
        assert_eq!(parsed.events.len(), 1, "{:?}", parsed.events);
        assert_eq!(parsed.events[0].summary, "b");
        assert_eq!(
            warnings,
            [
                "f.ics:2: not an iCalendar content line, ignored",
                "f.ics:3: END:VTODO without its BEGIN, ignored",
                "f.ics:4: VEVENT without END:VEVENT, left out",
                "f.ics:7: DTSTART value \"2026\" not understood, ignored",
                "f.ics:10: VEVENT without END:VEVENT, left out",
            ]
        );
    }

    #[test]
    fn invalid_utf8_is_reported_and_replaced() {
        let mut warnings = Warnings::default();
        let text = b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:caf\xe9\nEND:VEVENT\n";
        let parsed = parse(text, "f.ics", &mut warnings);
        assert_eq!(parsed.events[0].summary, "caf\u{FFFD}");
        assert_eq!(
            warnings.as_slice(),
            ["f.ics:3: invalid UTF-8 (iCalendar files are UTF-8), shown as \u{FFFD}"]
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let text =
            format!("{}BEGIN:VEVENT\nSUMMARY:deep\nEND:VEVENT\n", "BEGIN:X\n".repeat(100_000));
        let (parsed, _) = events(&text);
        assert!(parsed.events.is_empty(), "an event past the depth limit is not read");
        // Top-level components only are counted (the outer two).
        assert_eq!(parsed.other.get("X"), Some(&2));
        // An event inside the limit is read, and the ENDs past it are matched by count.
        let inside = format!(
            "BEGIN:VCALENDAR\n{0}BEGIN:VEVENT\nSUMMARY:ok\nDTSTART:20260101\nEND:VEVENT\n{1}\
             END:VCALENDAR\n",
            "BEGIN:X\n".repeat(MAX_DEPTH - 2),
            "END:X\n".repeat(MAX_DEPTH - 2),
        );
        let (parsed, warnings) = events(&inside);
        assert_eq!(parsed.events.len(), 1, "{warnings:?}");
    }

    #[test]
    fn values_and_durations() {
        assert_eq!(parse_value("20260314", None), Some(Start::Date(d(2026, 3, 14))));
        let at = d(2026, 3, 14).and_hms_opt(9, 30, 0).unwrap_or_default();
        assert_eq!(
            parse_value("20260314T093000", Some("Europe/Paris")),
            Some(Start::Timed { at, zone: Some("Europe/Paris".into()) })
        );
        for bad in
            ["2026031", "20261314", "20260314T9", "20260314T256000", "", "\u{e9}\u{e9}\u{e9}\u{e9}"]
        {
            assert_eq!(parse_value(bad, None), None, "{bad:?}");
        }
        assert_eq!(duration_days("P3D"), Some(3));
        assert_eq!(duration_days("P2W"), Some(14));
        assert_eq!(duration_days("PT1H"), None);
        assert_eq!(duration_days("P"), None);
        assert_eq!(time_text(NaiveTime::from_hms_opt(9, 5, 0).unwrap_or_default()), "09:05");
    }

    /// Found by the `ics_import` fuzz target (fuzz/regressions/ics_import/duration-multibyte-unit):
    /// a `DURATION` ending in a character of several bytes panicked (cut inside it).
    #[test]
    fn a_duration_ending_in_a_multibyte_character_is_refused() {
        assert_eq!(duration_days("P3\u{FFFD}"), None);
        assert_eq!(duration_days("P\u{e9}"), None);
        assert_eq!(duration_days("+P1\u{1F600}"), None);
        let mut warnings = Warnings::default();
        let ics = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20240101\r\nDURATION:P3\u{FFFD}\r\n\
                   SUMMARY:x\r\nEND:VEVENT\r\n";
        let parsed = parse(ics.as_bytes(), "t.ics", &mut warnings);
        assert_eq!(parsed.events.len(), 1, "{:?}", warnings.as_slice());
    }

    /// Issue 20: every parser is linear. `n` events, and one event of `n` properties.
    #[test]
    fn components_and_properties_are_linear() {
        use crate::calendar::linear::assert_linear;
        let events = |n: usize| {
            let event = "BEGIN:VEVENT\r\nUID:u\r\nDTSTART;VALUE=DATE:20260314\r\nSUMMARY:s\r\nEND:VEVENT\r\n";
            format!("BEGIN:VCALENDAR\r\n{}END:VCALENDAR\r\n", event.repeat(n)).into_bytes()
        };
        let work = |bytes: &Vec<u8>| {
            let mut warnings = Warnings::default();
            let _ = parse(bytes, "f", &mut warnings);
        };
        assert_linear("events", 2_000, events, work);
        let properties = |n: usize| {
            let props = "RDATE;VALUE=DATE:20260315\r\nX-OTHER:x\r\nDESCRIPTION:d\r\n".repeat(n);
            format!("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260314\r\n{props}END:VEVENT\r\nEND:VCALENDAR\r\n")
                .into_bytes()
        };
        assert_linear("properties", 2_000, properties, work);
    }
}
