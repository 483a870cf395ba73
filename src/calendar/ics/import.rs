//! `fun calendar --from-ics FILE`: calendar(1) lines for the events of an iCalendar file, and a
//! message for each event that no calendar(1) date can express.
//!
//! - One-off events become year-specific lines (`2026/03/14<TAB>text`, an extension of fun's
//!   and FreeBSD's); an all-day event of several days gets one line per day (up to
//!   [`MAX_SPAN_DAYS`]).
//! - Rules that repeat forever become the calendar(1) dates that repeat the same way (see
//!   [`super::rrule::date_fields`]).
//! - Rules that end (`COUNT`, `UNTIL`), and rules with an interval, are expanded into dated
//!   lines, within [`MAX_OCCURRENCES`] per event and a scan budget for the whole file.
//! - Timed events keep their date, with the time at the start of the text.
//!
//! The text is made safe twice over: no control characters (crate::sanitize), and nothing that
//! calendar(1)'s preprocessor would act on (`/*`, a trailing backslash, a `#` opening a line).

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use chrono::{Datelike, Days, NaiveDate};

use super::rrule::{self, Rule, RuleError};
use super::vevent::{self, Event, Start};
use crate::calendar::diag::Warnings;

/// The largest iCalendar file read (a busy personal calendar over ten years is a few MiB).
pub(crate) const ICS_CAP: u64 = 16 << 20;
/// An all-day event longer than this is shown on its first day only.
pub(crate) const MAX_SPAN_DAYS: i64 = 31;
/// A repeating event with more occurrences than this is not expanded into dated lines.
pub(crate) const MAX_OCCURRENCES: usize = 1000;
/// How far (in days, a century) a rule that ends is followed from its start.
const SCAN_DAYS: usize = crate::calendar::window::MAX_COUNT as usize;
/// Days examined, for the whole file, while expanding rules that end: bounds the work a
/// hostile file of many long-running rules can cause.
pub(crate) const SCAN_BUDGET: u64 = 10_000_000;
/// Most calendar lines written; the rest of the file is left out with a message.
pub(crate) const MAX_LINES: usize = 1_000_000;
/// Most bytes written: an event's text is repeated on each of its dates, so a long description
/// on a thousand dates would otherwise turn 16 MiB into 16 GiB.
pub(crate) const MAX_OUTPUT: usize = 64 << 20;

/// What the first lines of the output say.
const HEADER: &str = "/* Imported from an iCalendar file by fun calendar --from-ics. */\n\
                      LANG=UTF-8\n";

/// Why a file is not converted at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum ImportError {
    #[error("{0}: binary file, not an iCalendar file")]
    Binary(String),
    #[error("{0}: not an iCalendar file (no BEGIN:VCALENDAR)")]
    NotICalendar(String),
}

/// Converts the iCalendar text `bytes` (from `file`) into calendar(1) lines; events left out
/// and lines not understood are added to `warnings`. `local_zone` is the IANA name of the local
/// time zone, if known: times in other zones are labelled with theirs.
pub(crate) fn convert(
    bytes: &[u8],
    file: &str,
    local_zone: Option<&str>,
    warnings: &mut Warnings,
) -> Result<String, ImportError> {
    if bytes.contains(&0) {
        return Err(ImportError::Binary(file.to_owned()));
    }
    let parsed = vevent::parse(bytes, file, warnings);
    if !parsed.has_calendar {
        return Err(ImportError::NotICalendar(file.to_owned()));
    }
    let mut converter = Converter {
        file,
        local_zone,
        budget: SCAN_BUDGET,
        budget_spent: false,
        out: String::from(HEADER),
        lines: 0,
        overrides: overrides(&parsed.events),
        warnings,
    };
    for event in &parsed.events {
        if converter.lines >= MAX_LINES || converter.out.len() >= MAX_OUTPUT {
            let cap = crate::files::human_size(MAX_OUTPUT as u64);
            let msg =
                format_args!("more than {MAX_LINES} calendar lines or {cap}; the rest is left out");
            converter.warnings.stop(file, event.line, msg);
            break;
        }
        converter.event(event);
    }
    for (name, count) in parsed.other.iter().filter(|(name, _)| *name != "VTIMEZONE") {
        let msg = format_args!("{name} components left out (only VEVENTs have dates): {count}");
        converter.warnings.at(file, 0, msg);
    }
    Ok(converter.out)
}

/// The dates of changed occurrences (`RECURRENCE-ID`) by UID, sorted: they replace the
/// occurrence of the repeating event, which must then not be listed as well.
fn overrides(events: &[Event]) -> HashMap<&str, Vec<NaiveDate>> {
    let mut map: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
    for event in events {
        if let (Some(uid), Some(date)) = (&event.uid, event.recurrence_id) {
            map.entry(uid.as_str()).or_default().push(date);
        }
    }
    for dates in map.values_mut() {
        dates.sort_unstable();
    }
    map
}

/// The dates an event is not on: its EXDATEs and the dates of its changed occurrences, both
/// sorted, so each test is a binary search. (A list searched from the start made an event of
/// 200,000 RDATEs and EXDATEs take 17 s; the changed dates are shared by every event with
/// that UID, never copied.)
struct Excluded<'e> {
    exdates: Vec<NaiveDate>,
    changed: &'e [NaiveDate],
}

impl Excluded<'_> {
    fn contains(&self, date: NaiveDate) -> bool {
        self.exdates.binary_search(&date).is_ok() || self.changed.binary_search(&date).is_ok()
    }

    fn len(&self) -> usize {
        self.exdates.len() + self.changed.len()
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

struct Converter<'a> {
    file: &'a str,
    local_zone: Option<&'a str>,
    budget: u64,
    budget_spent: bool,
    out: String,
    lines: usize,
    overrides: HashMap<&'a str, Vec<NaiveDate>>,
    warnings: &'a mut Warnings,
}

/// What an event turns into.
enum Plan {
    /// calendar(1) date fields, each followed by the event's text.
    Fields(Vec<String>),
    /// Why the event is left out.
    Skip(String),
}

impl Converter<'_> {
    fn event(&mut self, event: &Event) {
        let Some(start) = &event.start else {
            return self.report(event, None, "has no start date (DTSTART)", true);
        };
        if event.cancelled {
            return self.report(event, Some(start.date()), "is cancelled", true);
        }
        let plan = match (&event.rule, event.recurrence_id) {
            (Some(Err(why)), None) => Plan::Skip(why.to_string()),
            (Some(Ok(rule)), None) => self.repeating(event, rule, start),
            _ => self.dated(event, start, std::iter::once(start.date())),
        };
        match plan {
            Plan::Skip(why) => self.report(event, Some(start.date()), &why, true),
            Plan::Fields(fields) => {
                let (summary, description) = self.texts(event, start);
                self.emit(&fields, &summary, &description);
            }
        }
    }

    /// Says on stderr why `event` is left out (`skipped`) or what of it is lost.
    fn report(&mut self, event: &Event, date: Option<NaiveDate>, why: &str, skipped: bool) {
        let title: String = event.summary.chars().take(60).collect();
        let date = date.map(|d| format!(" ({d})")).unwrap_or_default();
        let tail = if skipped { ", left out" } else { "" };
        let title = crate::sanitize::quoted(&title);
        let msg = format_args!("{title}{date}: {why}{tail}");
        self.warnings.at(self.file, event.line, msg);
    }

    /// The dates an event that does not repeat (or that repeats as a list of dates) is on.
    fn dated(
        &mut self,
        event: &Event,
        start: &Start,
        dates: impl Iterator<Item = NaiveDate>,
    ) -> Plan {
        let excluded = self.excluded(event);
        // The cap holds while the dates are gathered: at most MAX_OCCURRENCES + 1 are ever
        // kept, so each date costs one lookup and one insertion into a small set.
        let mut days = BTreeSet::new();
        for day in dates.chain(event.rdates.iter().copied()) {
            if !excluded.contains(day) {
                days.insert(day);
            }
            if days.len() > MAX_OCCURRENCES {
                return Plan::Skip(format!("has more than {MAX_OCCURRENCES} dates"));
            }
        }
        let span = match start {
            Start::Date(_) if event.days > MAX_SPAN_DAYS => {
                let why = format!("lasts {} days; only its first day is listed", event.days);
                self.report(event, Some(start.date()), &why, false);
                1
            }
            Start::Date(_) => event.days,
            Start::Timed { .. } => 1,
        };
        let fields: Vec<String> = days
            .iter()
            .flat_map(|d| (0..span).filter_map(|k| d.checked_add_days(Days::new(k as u64))))
            .filter(|d| d.year() >= 1000)
            .map(|d| format!("{:04}/{:02}/{:02}", d.year(), d.month(), d.day()))
            .collect();
        if fields.is_empty() {
            return Plan::Skip("has no date calendar(1) can write (years 1000 to 9999)".into());
        }
        Plan::Fields(fields)
    }

    /// EXDATEs and the dates of changed occurrences.
    fn excluded(&self, event: &Event) -> Excluded<'_> {
        let changed = event.uid.as_deref().and_then(|uid| self.overrides.get(uid));
        let changed = match changed {
            Some(dates) if event.recurrence_id.is_none() => dates.as_slice(),
            _ => &[],
        };
        let mut exdates = event.exdates.clone();
        exdates.sort_unstable();
        Excluded { exdates, changed }
    }

    /// A repeating event: expanded into dated lines when it ends, else written as the
    /// calendar(1) dates that repeat the same way.
    fn repeating(&mut self, event: &Event, rule: &Rule, start: &Start) -> Plan {
        let first = start.date();
        let forever = rrule::date_fields(rule, first);
        if rule.is_bounded() {
            match self.expand(rule, first) {
                Ok(dates) => return self.dated(event, start, dates.into_iter()),
                Err(why) if forever.is_err() => return Plan::Skip(why.to_string()),
                Err(why) => {
                    let why = format!("{why}; listed as repeating forever");
                    self.report(event, Some(first), &why, false);
                }
            }
        }
        let fields = match forever {
            Ok(fields) => fields,
            Err(why) => return Plan::Skip(why.to_string()),
        };
        let excluded = self.excluded(event);
        if !excluded.is_empty() {
            let why = format!(
                "changed or excluded occurrences (RECURRENCE-ID, EXDATE) that still show on \
                 their old dates, since calendar(1) cannot skip one occurrence: {}",
                excluded.len()
            );
            self.report(event, Some(first), &why, false);
        }
        if event.days > 1 && matches!(start, Start::Date(_)) {
            let why = format!("lasts {} days; only its first day is listed", event.days);
            self.report(event, Some(first), &why, false);
        }
        let mut fields = fields;
        if let Plan::Fields(extra) = self.dated_rdates(event, start) {
            fields.extend(extra);
        }
        Plan::Fields(fields)
    }

    /// The RDATEs of a repeating event, as dated lines.
    fn dated_rdates(&mut self, event: &Event, start: &Start) -> Plan {
        if event.rdates.is_empty() {
            return Plan::Fields(Vec::new());
        }
        self.dated(event, start, std::iter::empty())
    }

    /// The occurrences of a rule that ends, day by day from its start.
    fn expand(&mut self, rule: &Rule, start: NaiveDate) -> Result<Vec<NaiveDate>, RuleError> {
        let count = rule.count.map_or(usize::MAX, |c| c as usize);
        let mut dates = Vec::new();
        for day in start.iter_days().take(SCAN_DAYS) {
            if rule.until.is_some_and(|until| day > until) || dates.len() >= count {
                return Ok(dates);
            }
            if self.budget == 0 {
                if !self.budget_spent {
                    self.budget_spent = true;
                    let msg = format_args!(
                        "the repeating events that end need more than {SCAN_BUDGET} days \
                         examined; from here on they are left out"
                    );
                    self.warnings.stop(self.file, 0, msg);
                }
                return Err(RuleError::ScanBudgetSpent);
            }
            self.budget -= 1;
            if rrule::matches(rule, day, start) {
                if dates.len() == MAX_OCCURRENCES {
                    return Err(RuleError::TooManyOccurrences(MAX_OCCURRENCES));
                }
                dates.push(day);
            }
        }
        Err(RuleError::OverACentury)
    }

    /// The first line's text (time first for a timed event) and the continuation lines.
    fn texts(&self, event: &Event, start: &Start) -> (String, Vec<String>) {
        let mut summary = safe(&event.summary, false);
        if summary.is_empty() {
            summary = "(untitled)".to_owned();
        }
        if let Start::Timed { at, zone } = start {
            let mut time = vevent::time_text(at.time());
            if let Some(Start::Timed { at: end, .. }) = &event.end
                && end.date() == at.date()
                && end > at
            {
                let _ = write!(time, "-{}", vevent::time_text(end.time()));
            }
            if let Some(zone) = zone.as_deref().filter(|z| Some(*z) != self.local_zone) {
                let _ = write!(time, " ({})", safe(zone, false));
            }
            summary = format!("{time} {summary}");
        }
        // Cleaned once: a long summary compared with each of many description lines was
        // cleaned again for each.
        let plain_summary = safe(&event.summary, false);
        let description = event
            .description
            .lines()
            .map(|line| safe(line, true))
            .filter(|line| !line.is_empty() && *line != plain_summary)
            .collect();
        (summary, description)
    }

    fn emit(&mut self, fields: &[String], summary: &str, description: &[String]) {
        for field in fields {
            if self.lines >= MAX_LINES || self.out.len() >= MAX_OUTPUT {
                return;
            }
            self.lines += 1;
            let _ = writeln!(self.out, "{field}\t{summary}");
            for line in description {
                let _ = writeln!(self.out, "\t{line}");
            }
        }
    }
}

/// Text that calendar(1) shows as it is: one line without controls, no `/*` (a comment to the
/// preprocessor), no trailing backslash (a line join), and on a continuation line no leading
/// `#` (a directive), which becomes the look-alike `＃`.
fn safe(text: &str, continuation: bool) -> String {
    let mut clean = crate::sanitize::sanitize_line(text.as_bytes()).replace("/*", "/ *");
    loop {
        let trimmed = clean.trim_end().trim_end_matches('\\');
        if trimmed.len() == clean.len() {
            break;
        }
        clean.truncate(trimmed.len());
    }
    let clean = clean.trim_start();
    match clean.strip_prefix('#') {
        Some(rest) if continuation => format!("\u{ff03}{rest}"),
        _ => clean.to_owned(),
    }
}

/// The IANA name of the local time zone: `TZ` when it names one, else the target of
/// `/etc/localtime`. Used only to leave the local zone's name out of imported times.
#[must_use]
pub(crate) fn local_zone() -> Option<String> {
    if let Some(tz) = std::env::var("TZ").ok().filter(|tz| !tz.is_empty()) {
        return Some(tz.trim_start_matches(':').to_owned());
    }
    let target = std::fs::read_link("/etc/localtime").ok()?;
    let text = target.to_string_lossy();
    text.split_once("zoneinfo/").map(|(_, zone)| zone.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::dateline::{self, Aliases, Context, When};
    use crate::calendar::locale::Names;
    use proptest::prelude::*;

    /// A date that mostly exists.
    const DATE: &str = "(19[5-9][0-9]|20[0-4][0-9])(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])";

    /// Strings matching `pattern`.
    fn re(pattern: &str) -> BoxedStrategy<String> {
        proptest::string::string_regex(pattern).expect("a regex").boxed()
    }

    /// Property lines of an event, valid or not.
    fn property() -> impl Strategy<Value = String> {
        let rule = "RRULE:FREQ=(YEARLY|MONTHLY|WEEKLY|DAILY|HOURLY|X);(INTERVAL=[0-3];)?\
                    (COUNT=[0-9]{1,3};)?(UNTIL=20[0-4][0-9]0[1-9]15;)?(BYMONTH=1?[0-9];)?\
                    (BYDAY=[-+]?[0-6]?(MO|TU|SU|XX)(,[0-9]?FR)?;)?(BYMONTHDAY=-?[0-3]?[0-9];)?\
                    (BYSETPOS=-?[0-9];)?(WKST=SU)?";
        prop_oneof![
            2 => re(&format!("DTEND(;VALUE=DATE)?:{DATE}(T[0-2][0-9][0-5][0-9]00Z?)?")),
            1 => re("DURATION:P[0-9]{1,3}[DWH]"),
            4 => re(rule),
            1 => re(&format!("(EX|R)DATE(;VALUE=DATE)?:{DATE}(,{DATE}){{0,3}}")),
            1 => re(&format!("RECURRENCE-ID;VALUE=DATE:{DATE}")),
            1 => re("UID:[a-c]"),
            1 => re("STATUS:CANCELLED"),
            2 => re("SUMMARY:\\PC{0,40}"),
            2 => re("DESCRIPTION:[#/*\\\\ a-z\\n]{0,60}"),
            1 => re("\\PC{0,30}"),
            1 => re("(BEGIN|END):(VALARM|VEVENT|VCALENDAR)"),
        ]
    }

    /// Events (a DTSTART and some properties between BEGIN and END) and stray lines.
    fn item() -> impl Strategy<Value = Vec<String>> {
        let start =
            format!("DTSTART(;VALUE=DATE|;TZID=[A-Za-z/]{{0,12}})?:{DATE}(T[0-2][0-9]3000Z?)?");
        let event = (
            proptest::string::string_regex(&start).expect("a regex"),
            proptest::collection::vec(property(), 0..6),
        )
            .prop_map(|(start, props)| {
                let mut lines = vec!["BEGIN:VEVENT".to_owned(), start];
                lines.extend(props);
                lines.push("END:VEVENT".to_owned());
                lines
            });
        prop_oneof![3 => event, 1 => property().prop_map(|line| vec![line])]
    }

    /// `lines` as a CRLF file, each folded every `fold` bytes (through UTF-8 characters too).
    fn folded(lines: &[String], fold: usize) -> Vec<u8> {
        let mut out = b"BEGIN:VCALENDAR\r\n".to_vec();
        for line in lines {
            for (i, chunk) in line.as_bytes().chunks(fold).enumerate() {
                if i > 0 {
                    out.extend_from_slice(b"\r\n ");
                }
                out.extend_from_slice(chunk);
            }
            out.extend_from_slice(b"\r\n");
        }
        out
    }

    /// Every line written is the header, a continuation, or a date fun reads and a text
    /// without control characters.
    fn check_output(text: &str) -> Result<(), TestCaseError> {
        let names = Names::english();
        let context = Context { aliases: &Aliases::default(), names: &names, strict: false };
        prop_assert!(text.starts_with(HEADER));
        for line in text[HEADER.len()..].lines() {
            prop_assert!(!line.chars().any(|c| c.is_control() && c != '\t'), "{line:?}");
            if let Some(rest) = line.strip_prefix('\t') {
                prop_assert!(!rest.trim_start().starts_with('#') && !rest.contains("/*"));
                continue;
            }
            let (date, rest) = line.split_once('\t').unwrap_or((line, ""));
            prop_assert!(!rest.is_empty() && !rest.contains('\t') && !rest.contains("/*"));
            let when = dateline::parse(date, &context).map(|spec| spec.when);
            prop_assert!(!matches!(when, Ok(When::Never) | Err(_)), "{date:?} is no date");
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4000)) {
            let mut warnings = Warnings::default();
            let _ = convert(&bytes, "f", None, &mut warnings);
        }

        #[test]
        fn garbled_folded_calendars_give_only_lines_fun_reads(
            items in proptest::collection::vec(item(), 0..12),
            fold in 1usize..90,
        ) {
            let lines: Vec<String> = items.into_iter().flatten().collect();
            let mut warnings = Warnings::default();
            let text = convert(&folded(&lines, fold), "f", Some("UTC"), &mut warnings);
            // A first line starting with a space continues BEGIN:VCALENDAR, which is then gone.
            let glued = lines.first().is_some_and(|l| l.starts_with([' ', '\t']));
            match text {
                Ok(text) => check_output(&text)?,
                Err(e) => prop_assert!(glued, "{e}"),
            }
        }
    }

    /// `count` different dates from 2000-01-01 on, as DATE values joined by commas.
    fn date_list(count: usize) -> String {
        let first = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date");
        first
            .iter_days()
            .take(count)
            .map(|d| d.format("%Y%m%d").to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// A calendar of `events` (each a list of property lines).
    fn calendar(events: &[Vec<String>]) -> Vec<u8> {
        let mut text = String::from("BEGIN:VCALENDAR\r\n");
        for event in events {
            text.push_str("BEGIN:VEVENT\r\n");
            for line in event {
                text.push_str(line);
                text.push_str("\r\n");
            }
            text.push_str("END:VEVENT\r\n");
        }
        text.push_str("END:VCALENDAR\r\n");
        text.into_bytes()
    }

    fn convert_ok(bytes: &[u8]) -> (String, Warnings) {
        let mut warnings = Warnings::default();
        let text = convert(bytes, "f", Some("UTC"), &mut warnings).expect("converted");
        (text, warnings)
    }

    /// Issue 20: `n` RDATEs all excluded by `n` EXDATEs took n² steps (200,000 dates: 17 s).
    fn rdates_cancelled_by_exdates(n: usize) -> Vec<u8> {
        let dates = date_list(n);
        calendar(&[vec![
            "DTSTART;VALUE=DATE:19990101".into(),
            "SUMMARY:many dates".into(),
            format!("RDATE;VALUE=DATE:{dates}"),
            format!("EXDATE;VALUE=DATE:{dates}"),
        ]])
    }

    #[test]
    fn rdates_times_exdates_is_linear() {
        crate::calendar::linear::assert_linear(
            "RDATE x EXDATE",
            5_000,
            rdates_cancelled_by_exdates,
            |b| {
                convert_ok(b);
            },
        );
        // Only the start is left once every RDATE is excluded.
        let (text, _) = convert_ok(&rdates_cancelled_by_exdates(3000));
        assert_eq!(&text[HEADER.len()..], "1999/01/01\tmany dates\n");
    }

    #[test]
    fn the_date_cap_counts_dates_left_after_exdates() {
        // 1500 RDATEs less 600 EXDATEs leave 900 dates (with DTSTART 901): listed.
        let (rdates, exdates) = (date_list(1500), date_list(600));
        let event = |ex: &str| {
            calendar(&[vec![
                "DTSTART;VALUE=DATE:19990101".into(),
                "SUMMARY:x".into(),
                format!("RDATE;VALUE=DATE:{rdates}"),
                format!("EXDATE;VALUE=DATE:{ex}"),
            ]])
        };
        let (text, warnings) = convert_ok(&event(&exdates));
        assert_eq!(text.lines().count() - 2, 901, "{warnings:?}");
        // 1500 RDATEs less 100 EXDATEs: over the cap, left out with a message.
        let (text, warnings) = convert_ok(&event(&date_list(100)));
        assert_eq!(text, HEADER);
        assert!(warnings.as_slice()[0].contains("has more than 1000 dates"), "{warnings:?}");
    }

    /// `n` repeating events and `n` changed occurrences, all with one UID: the changed dates
    /// were copied for each repeating event.
    fn shared_uid(n: usize) -> Vec<u8> {
        let master = vec![
            "UID:same".to_owned(),
            "DTSTART;VALUE=DATE:20000101".to_owned(),
            "RRULE:FREQ=YEARLY".to_owned(),
            "SUMMARY:m".to_owned(),
        ];
        let mut events = vec![master; n];
        let first = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date");
        for day in first.iter_days().take(n) {
            events.push(vec![
                "UID:same".to_owned(),
                format!("RECURRENCE-ID;VALUE=DATE:{}", day.format("%Y%m%d")),
                format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")),
                "SUMMARY:o".to_owned(),
            ]);
        }
        calendar(&events)
    }

    #[test]
    fn events_sharing_a_uid_are_linear() {
        crate::calendar::linear::assert_linear("RECURRENCE-ID by UID", 1_500, shared_uid, |b| {
            convert_ok(b);
        });
    }

    /// A summary of `n` bytes and a description of `n` lines: the summary was cleaned again
    /// for each line.
    fn long_summary_many_lines(n: usize) -> Vec<u8> {
        calendar(&[vec![
            "DTSTART;VALUE=DATE:20000101".into(),
            format!("SUMMARY:{}", "s".repeat(n)),
            format!("DESCRIPTION:{}", "d\\n".repeat(n)),
        ]])
    }

    #[test]
    fn long_texts_are_linear() {
        crate::calendar::linear::assert_linear(
            "summary x description",
            4_000,
            long_summary_many_lines,
            |b| {
                convert_ok(b);
            },
        );
    }

    #[test]
    fn output_is_capped_when_a_long_text_repeats_on_many_dates() {
        // 100 KB on 1000 dates, twice: 200 MB without the cap.
        let event = vec![
            "DTSTART;VALUE=DATE:19990101".to_owned(),
            format!("SUMMARY:{}", "s".repeat(100_000)),
            format!("RDATE;VALUE=DATE:{}", date_list(999)),
        ];
        let (text, warnings) = convert_ok(&calendar(&[event.clone(), event]));
        assert!(text.len() <= MAX_OUTPUT + 200_000, "{} bytes", text.len());
        assert!(warnings.as_slice()[0].contains("the rest is left out"), "{warnings:?}");
    }

    #[test]
    fn safe_text_cannot_drive_the_preprocessor() {
        assert_eq!(safe("a /* b */ c\\\\ \\", false), "a / * b */ c");
        assert_eq!(safe("  #include \"/etc/passwd\"", true), "\u{ff03}include \"/etc/passwd\"");
        assert_eq!(safe("#1 fan", false), "#1 fan");
        assert_eq!(safe("tab\there\x1b[2J\u{202e}", false), "tab here");
    }

    #[test]
    fn refuses_binary_and_non_icalendar_files() {
        let mut warnings = Warnings::default();
        assert_eq!(
            convert(b"BEGIN:VCALENDAR\0", "x", None, &mut warnings),
            Err(ImportError::Binary("x".into()))
        );
        assert_eq!(
            convert(b"hello\nworld\n", "x", None, &mut warnings),
            Err(ImportError::NotICalendar("x".into()))
        );
    }
}
