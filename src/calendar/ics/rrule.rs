//! Recurrence rules (RFC 5545 `RRULE`): reading the common part of the grammar, saying which
//! rules calendar(1) can express and with which date fields, and deciding whether a day is an
//! occurrence (to expand rules that end, with `COUNT` or `UNTIL`, into dated lines).
//!
//! Every list in a rule is checked against its range and deduplicated while it is read, so a
//! hostile rule with a million `BYDAY` values costs one pass and leaves at most a few dozen.

use chrono::{Datelike, NaiveDate, Weekday};

/// How often a rule repeats (`SECONDLY`, `MINUTELY` and `HOURLY` are refused when read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Freq {
    Yearly,
    Monthly,
    Weekly,
    Daily,
}

impl Freq {
    fn unit(self) -> &'static str {
        match self {
            Freq::Yearly => "year",
            Freq::Monthly => "month",
            Freq::Weekly => "week",
            Freq::Daily => "day",
        }
    }
}

/// A weekday with an optional ordinal (`2MO`, `-1SU`, `FR`).
pub(crate) type ByDay = (Option<i32>, Weekday);

/// The parts of a rule that decide its days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rule {
    pub(crate) freq: Freq,
    pub(crate) interval: u32,
    pub(crate) count: Option<u32>,
    pub(crate) until: Option<NaiveDate>,
    pub(crate) by_month: Vec<u32>,
    pub(crate) by_month_day: Vec<i32>,
    pub(crate) by_day: Vec<ByDay>,
    pub(crate) week_start: Weekday,
}

impl Rule {
    /// Whether the rule ends (`COUNT` or `UNTIL`).
    #[must_use]
    pub(crate) fn is_bounded(&self) -> bool {
        self.count.is_some() || self.until.is_some()
    }
}

/// Why a rule cannot be read, or cannot be written as calendar(1) lines. The messages are the
/// reasons `--from-ics` prints for the events it leaves out.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum RuleError {
    #[error("RRULE part {} not understood", crate::sanitize::quoted(.0))]
    NotUnderstood(String),
    #[error("RRULE has no FREQ")]
    NoFreq,
    #[error("repeats several times a day")]
    SeveralTimesADay,
    #[error("its RRULE uses {0}, which fun does not read")]
    UnreadPart(String),
    #[error("its RRULE uses the {0} calendar scale")]
    CalendarScale(String),
    #[error("its RRULE uses BYSETPOS beyond one weekday")]
    SetPosBeyondOneWeekday,
    #[error("repeats every {every} {unit}s; calendar(1) cannot skip {unit}s")]
    Interval { every: u32, unit: &'static str },
    #[error("repeats only in some months or on some days of the month")]
    SomeMonthsOrDays,
    #[error("never falls on a real date")]
    NeverARealDate,
    #[error("falls on a weekday and a day of the month at once (such as Friday the 13th)")]
    WeekdayAndDay,
    #[error("repeats every {0} of some months; calendar(1) has no such date")]
    EveryWeekdayOfSomeMonths(Weekday),
    #[error("falls on weekday {0} of the year")]
    WeekdayOfTheYear(i32),
    #[error("falls on weekday {0} of a month")]
    WeekdayOfAMonth(i32),
    #[error("repeats monthly in some months only")]
    SomeMonthsOnly,
    #[error("falls on a day counted from the end of the month, which calendar(1) cannot express")]
    DayFromTheEnd,
    #[error("not expanded: the file's scan budget is spent")]
    ScanBudgetSpent,
    #[error("repeats more than {0} times")]
    TooManyOccurrences(usize),
    #[error("repeats for more than a century")]
    OverACentury,
}

/// Parses an `RRULE` value. `date_of` reads the `UNTIL` value (a DATE or a DATE-TIME) into the
/// local date it means. Parts that do not change which days occur (`WKST` aside, `BYHOUR`,
/// `BYMINUTE`, `BYSECOND` with one value each) are ignored; the error says what else stops it.
pub(crate) fn parse(
    value: &str,
    date_of: impl Fn(&str) -> Option<NaiveDate>,
) -> Result<Rule, RuleError> {
    let mut rule = Rule {
        freq: Freq::Yearly,
        interval: 1,
        count: None,
        until: None,
        by_month: Vec::new(),
        by_month_day: Vec::new(),
        by_day: Vec::new(),
        week_start: Weekday::Mon,
    };
    let mut freq = None;
    let mut set_pos = Vec::new();
    for part in value.split(';').filter(|p| !p.is_empty()) {
        let (key, val) = part.split_once('=').ok_or_else(|| bad(part))?;
        let key = key.to_ascii_uppercase();
        match key.as_str() {
            "FREQ" => freq = Some(parse_freq(val)?),
            "INTERVAL" => rule.interval = number(part, val, 1, 100_000)?,
            "COUNT" => rule.count = Some(number(part, val, 1, u32::MAX)?),
            "UNTIL" => rule.until = Some(date_of(val).ok_or_else(|| bad(part))?),
            "BYMONTH" => rule.by_month = list(part, val, |v| number(part, v, 1, 12))?,
            "BYMONTHDAY" => rule.by_month_day = list(part, val, |v| day_number(part, v, 31))?,
            "BYDAY" => {
                let days = list(part, val, |v| {
                    by_day(part, v).map(|(n, d)| (n, d.num_days_from_monday()))
                })?;
                rule.by_day =
                    days.into_iter().map(|(n, d)| (n, ALL_WEEKDAYS[d as usize % 7])).collect();
            }
            "BYSETPOS" => set_pos = list(part, val, |v| day_number(part, v, 366))?,
            "WKST" => rule.week_start = weekday(val).ok_or_else(|| bad(part))?,
            "BYHOUR" | "BYMINUTE" | "BYSECOND" if val.contains(',') => {
                return Err(RuleError::SeveralTimesADay);
            }
            "BYYEARDAY" | "BYWEEKNO" => {
                return Err(RuleError::UnreadPart(key));
            }
            "RSCALE" if !val.eq_ignore_ascii_case("GREGORIAN") => {
                return Err(RuleError::CalendarScale(short(val)));
            }
            _ => {}
        }
    }
    rule.freq = freq.ok_or(RuleError::NoFreq)?;
    match (set_pos.as_slice(), rule.by_day.as_slice()) {
        ([], _) => {}
        (&[pos], &[(None, weekday)]) => rule.by_day = vec![(Some(pos), weekday)],
        _ => return Err(RuleError::SetPosBeyondOneWeekday),
    }
    Ok(rule)
}

/// At most 40 characters of a value, for messages.
fn short(text: &str) -> String {
    text.chars().take(40).collect()
}

fn bad(part: &str) -> RuleError {
    RuleError::NotUnderstood(short(part))
}

fn parse_freq(val: &str) -> Result<Freq, RuleError> {
    match val.to_ascii_uppercase().as_str() {
        "YEARLY" => Ok(Freq::Yearly),
        "MONTHLY" => Ok(Freq::Monthly),
        "WEEKLY" => Ok(Freq::Weekly),
        "DAILY" => Ok(Freq::Daily),
        "HOURLY" | "MINUTELY" | "SECONDLY" => Err(RuleError::SeveralTimesADay),
        _ => Err(bad(&format!("FREQ={val}"))),
    }
}

fn number(part: &str, val: &str, min: u32, max: u32) -> Result<u32, RuleError> {
    val.trim_start_matches('+')
        .parse()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| bad(part))
}

/// A signed day number, 1..=max or -max..=-1.
fn day_number(part: &str, val: &str, max: i32) -> Result<i32, RuleError> {
    val.parse::<i32>().ok().filter(|n| *n != 0 && n.abs() <= max).ok_or_else(|| bad(part))
}

fn list<T: Ord>(
    part: &str,
    val: &str,
    item: impl Fn(&str) -> Result<T, RuleError>,
) -> Result<Vec<T>, RuleError> {
    if val.is_empty() {
        return Err(bad(part));
    }
    let mut items = val.split(',').map(item).collect::<Result<Vec<_>, _>>()?;
    items.sort_unstable();
    items.dedup();
    Ok(items)
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code.to_ascii_uppercase().as_str() {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

/// `2MO`, `-1SU`, `+3TH`, `FR`.
fn by_day(part: &str, val: &str) -> Result<ByDay, RuleError> {
    let split = val.len().saturating_sub(2);
    let (ordinal, code) = (val.get(..split).ok_or_else(|| bad(part))?, &val[split..]);
    let weekday = weekday(code).ok_or_else(|| bad(part))?;
    if ordinal.is_empty() {
        return Ok((None, weekday));
    }
    Ok((Some(day_number(part, ordinal.trim_start_matches('+'), 53)?), weekday))
}

/// The weekday as calendar(1) spells it (English, which every locale also accepts).
fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

/// `MonSecond`, `SunLast`, `Fri+5`, `Mon-2`: the weekday of a month calendar(1) reads.
fn nth_weekday_field(index: i32, weekday: Weekday) -> Option<String> {
    let name = weekday_name(weekday);
    let suffix = match index {
        1 => "First".to_owned(),
        2 => "Second".to_owned(),
        3 => "Third".to_owned(),
        4 => "Fourth".to_owned(),
        -1 => "Last".to_owned(),
        5 | -4..=-2 => format!("{index:+}"),
        _ => return None,
    };
    Some(format!("{name}{suffix}"))
}

fn weekly_fields(days: impl Iterator<Item = Weekday>) -> Vec<String> {
    days.map(|d| weekday_name(d).to_owned()).collect()
}

/// The date fields of calendar(1) lines that together repeat like `rule` (started on `start`)
/// does forever, or why there are none. Bounds (`COUNT`, `UNTIL`) are the caller's business.
pub(crate) fn date_fields(rule: &Rule, start: NaiveDate) -> Result<Vec<String>, RuleError> {
    if rule.interval > 1 {
        return Err(RuleError::Interval { every: rule.interval, unit: rule.freq.unit() });
    }
    let mut fields = match rule.freq {
        Freq::Yearly => yearly_fields(rule, start)?,
        Freq::Monthly => monthly_fields(rule, start)?,
        Freq::Weekly | Freq::Daily => {
            if !rule.by_month.is_empty() || !rule.by_month_day.is_empty() {
                return Err(RuleError::SomeMonthsOrDays);
            }
            if rule.by_day.iter().any(|(n, _)| n.is_some()) {
                return Err(bad("BYDAY"));
            }
            match (rule.freq, rule.by_day.is_empty()) {
                (Freq::Weekly, true) => weekly_fields([start.weekday()].into_iter()),
                (_, true) => weekly_fields(ALL_WEEKDAYS.into_iter()),
                (_, false) => weekly_fields(rule.by_day.iter().map(|(_, d)| *d)),
            }
        }
    };
    fields.dedup();
    Ok(fields)
}

const ALL_WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn yearly_fields(rule: &Rule, start: NaiveDate) -> Result<Vec<String>, RuleError> {
    if rule.by_day.is_empty() {
        let months =
            if rule.by_month.is_empty() { vec![start.month()] } else { rule.by_month.clone() };
        let days = month_days(rule, start)?;
        let fields: Vec<String> = months
            .iter()
            .flat_map(|&m| days.iter().map(move |&d| (m, d)))
            // A leap year, so that February 29 counts as a real date.
            .filter(|&(m, d)| NaiveDate::from_ymd_opt(2024, m, d).is_some())
            .map(|(m, d)| format!("{m:02}/{d:02}"))
            .collect();
        return if fields.is_empty() { Err(RuleError::NeverARealDate) } else { Ok(fields) };
    }
    if !rule.by_month_day.is_empty() {
        return Err(RuleError::WeekdayAndDay);
    }
    let mut fields = Vec::new();
    for &(ordinal, weekday) in &rule.by_day {
        let index = ordinal.ok_or(RuleError::EveryWeekdayOfSomeMonths(weekday))?;
        // Without BYMONTH the index counts in the year: the first four of a weekday are in
        // January and the last four in December, which have 31 days.
        let months = match (rule.by_month.is_empty(), index) {
            (false, _) => rule.by_month.clone(),
            (true, 1..=4) => vec![1],
            (true, -4..=-1) => vec![12],
            (true, _) => return Err(RuleError::WeekdayOfTheYear(index)),
        };
        let field = nth_weekday_field(index, weekday).ok_or(RuleError::WeekdayOfAMonth(index))?;
        fields.extend(months.iter().map(|m| format!("{m:02}/{field}")));
    }
    Ok(fields)
}

fn monthly_fields(rule: &Rule, start: NaiveDate) -> Result<Vec<String>, RuleError> {
    if !rule.by_month.is_empty() {
        return Err(RuleError::SomeMonthsOnly);
    }
    if rule.by_day.is_empty() {
        return Ok(month_days(rule, start)?.iter().map(|d| format!("* {d}")).collect());
    }
    if !rule.by_month_day.is_empty() {
        return Err(RuleError::WeekdayAndDay);
    }
    rule.by_day
        .iter()
        .map(|&(ordinal, weekday)| match ordinal {
            // Every such weekday of every month is every week.
            None => Ok(weekday_name(weekday).to_owned()),
            Some(index) => {
                nth_weekday_field(index, weekday).ok_or(RuleError::WeekdayOfAMonth(index))
            }
        })
        .collect()
}

/// The days of the month a yearly or monthly rule names (the start's by default).
fn month_days(rule: &Rule, start: NaiveDate) -> Result<Vec<u32>, RuleError> {
    if rule.by_month_day.is_empty() {
        return Ok(vec![start.day()]);
    }
    rule.by_month_day
        .iter()
        .map(|&d| u32::try_from(d).map_err(|_| RuleError::DayFromTheEnd))
        .collect()
}

fn days_in_month(date: NaiveDate) -> u32 {
    let (y, m) = (date.year(), date.month());
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(31, |last| last.day())
}

fn days_in_year(date: NaiveDate) -> u32 {
    if NaiveDate::from_ymd_opt(date.year(), 2, 29).is_some() { 366 } else { 365 }
}

/// Whether `date` is the `index`-th (negative: from the end) of its weekday in its month, or in
/// its year when `in_year`.
fn is_nth(date: NaiveDate, index: i32, in_year: bool) -> bool {
    let (position, length) = if in_year {
        (date.ordinal(), days_in_year(date))
    } else {
        (date.day(), days_in_month(date))
    };
    let from_start = i64::from((position - 1) / 7 + 1);
    let from_end = i64::from((length - position) / 7 + 1);
    i64::from(index) == from_start || i64::from(index) == -from_end
}

/// Whether `date` (on or after `start`) is in the period the interval allows.
fn in_interval(rule: &Rule, date: NaiveDate, start: NaiveDate) -> bool {
    let interval = i64::from(rule.interval);
    let steps = match rule.freq {
        Freq::Yearly => i64::from(date.year() - start.year()),
        Freq::Monthly => {
            i64::from(date.year() - start.year()) * 12 + i64::from(date.month())
                - i64::from(start.month())
        }
        Freq::Weekly => {
            let week_of = |d: NaiveDate| {
                let back = (7 + d.weekday().num_days_from_monday()
                    - rule.week_start.num_days_from_monday())
                    % 7;
                d.num_days_from_ce() - back as i32
            };
            i64::from((week_of(date) - week_of(start)) / 7)
        }
        Freq::Daily => i64::from(date.num_days_from_ce() - start.num_days_from_ce()),
    };
    steps % interval == 0
}

/// Whether `date` is an occurrence of `rule` started on `start` (bounds aside: the caller stops
/// at `UNTIL` and counts for `COUNT`). The start itself always is, as RFC 5545 says.
#[must_use]
pub(crate) fn matches(rule: &Rule, date: NaiveDate, start: NaiveDate) -> bool {
    if date == start {
        return true;
    }
    if date < start || !in_interval(rule, date, start) {
        return false;
    }
    if !rule.by_month.is_empty() && !rule.by_month.contains(&date.month()) {
        return false;
    }
    let month_length = days_in_month(date);
    let day_ok = |d: &i32| {
        let day = if *d > 0 { *d } else { month_length as i32 + 1 + d };
        day == date.day() as i32
    };
    if !rule.by_month_day.is_empty() && !rule.by_month_day.iter().any(day_ok) {
        return false;
    }
    let in_year = rule.freq == Freq::Yearly && rule.by_month.is_empty();
    if !rule.by_day.is_empty() {
        return rule.by_day.iter().any(|&(ordinal, weekday)| {
            weekday == date.weekday() && ordinal.is_none_or(|n| is_nth(date, n, in_year))
        });
    }
    if !rule.by_month_day.is_empty() {
        return true;
    }
    match rule.freq {
        Freq::Yearly => {
            (rule.by_month.is_empty() && date.month() == start.month() || !rule.by_month.is_empty())
                && date.day() == start.day()
        }
        Freq::Monthly => date.day() == start.day(),
        Freq::Weekly => date.weekday() == start.weekday(),
        Freq::Daily => true,
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::dateline::{self, Aliases, Context, When};
    use super::super::super::locale::Names;
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn rule(text: &str) -> Rule {
        parse(text, |v| NaiveDate::parse_from_str(&v[..8.min(v.len())], "%Y%m%d").ok())
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn fields(text: &str, start: NaiveDate) -> Result<Vec<String>, RuleError> {
        date_fields(&rule(text), start)
    }

    /// What fun's own date parser makes of a field.
    fn when(field: &str) -> When {
        let names = Names::english();
        let context = Context { aliases: &Aliases::default(), names: &names, strict: false };
        dateline::parse(field, &context).map(|s| s.when).unwrap_or(When::Never)
    }

    #[test]
    fn reads_the_common_grammar() {
        let r = rule("FREQ=monthly;INTERVAL=2;BYDAY=-1FR,2MO,2MO;COUNT=5;WKST=SU");
        assert_eq!(r.freq, Freq::Monthly);
        assert_eq!(r.interval, 2);
        assert_eq!(r.count, Some(5));
        assert_eq!(r.by_day, vec![(Some(-1), Weekday::Fri), (Some(2), Weekday::Mon)]);
        assert_eq!(r.week_start, Weekday::Sun);
        assert_eq!(rule("FREQ=YEARLY;UNTIL=20301231T235959Z").until, Some(d(2030, 12, 31)));
        let set_pos = rule("FREQ=MONTHLY;BYDAY=TH;BYSETPOS=3");
        assert_eq!(set_pos.by_day, vec![(Some(3), Weekday::Thu)]);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        let no_date = |_: &str| None;
        for (text, why) in [
            ("BYDAY=MO", "no FREQ"),
            ("FREQ=HOURLY", "several times a day"),
            ("FREQ=DAILY;BYHOUR=9,17", "several times a day"),
            ("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO"),
            ("FREQ=YEARLY;BYMONTH=13", "BYMONTH=13"),
            ("FREQ=YEARLY;BYDAY=XX", "BYDAY=XX"),
            ("FREQ=YEARLY;UNTIL=soon", "UNTIL=soon"),
            ("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1", "BYSETPOS"),
            ("FREQ=YEARLY;RSCALE=HEBREW", "HEBREW"),
            ("FREQ=FORTNIGHTLY", "FORTNIGHTLY"),
        ] {
            let err = parse(text, no_date).expect_err(text);
            assert!(err.to_string().contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn expressible_rules_become_fields_fun_reads_back() {
        let start = d(2026, 5, 25);
        for (text, expected, meaning) in [
            ("FREQ=YEARLY", "05/25", When::Yearly { month: 5, day: 25 }),
            ("FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=4", "07/04", When::Yearly { month: 7, day: 4 }),
            (
                "FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO",
                "05/MonLast",
                When::NthWeekday { month: Some(5), weekday: Weekday::Mon, index: -1 },
            ),
            (
                "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
                "11/ThuFourth",
                When::NthWeekday { month: Some(11), weekday: Weekday::Thu, index: 4 },
            ),
            (
                "FREQ=YEARLY;BYDAY=2SU",
                "01/SunSecond",
                When::NthWeekday { month: Some(1), weekday: Weekday::Sun, index: 2 },
            ),
            (
                "FREQ=YEARLY;BYMONTH=3;BYDAY=-2SA",
                "03/Sat-2",
                When::NthWeekday { month: Some(3), weekday: Weekday::Sat, index: -2 },
            ),
            ("FREQ=MONTHLY;BYMONTHDAY=15", "* 15", When::Monthly { day: 15 }),
            ("FREQ=MONTHLY", "* 25", When::Monthly { day: 25 }),
            (
                "FREQ=MONTHLY;BYDAY=+5FR",
                "Fri+5",
                When::NthWeekday { month: None, weekday: Weekday::Fri, index: 5 },
            ),
            ("FREQ=MONTHLY;BYDAY=WE", "Wed", When::Weekly(Weekday::Wed)),
            ("FREQ=WEEKLY", "Mon", When::Weekly(Weekday::Mon)),
            ("FREQ=WEEKLY;INTERVAL=1;BYDAY=SU", "Sun", When::Weekly(Weekday::Sun)),
        ] {
            assert_eq!(fields(text, start), Ok(vec![expected.to_owned()]), "{text}");
            assert_eq!(when(expected), meaning, "{expected}");
        }
        let daily = fields("FREQ=DAILY", start).expect("daily");
        assert_eq!(daily, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
        let several = fields("FREQ=WEEKLY;BYDAY=TU,TH", start).expect("weekly");
        assert_eq!(several, ["Tue", "Thu"]);
        let two_months = fields("FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1", start).expect("yearly");
        assert_eq!(two_months, ["01/01", "07/01"]);
    }

    #[test]
    fn inexpressible_rules_say_why() {
        let start = d(2026, 5, 25);
        for (text, why) in [
            ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
            ("FREQ=MONTHLY;BYMONTHDAY=-1", "end of the month"),
            ("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "Friday the 13th"),
            ("FREQ=YEARLY;BYMONTH=5;BYDAY=MO", "every Mon"),
            ("FREQ=YEARLY;BYDAY=20MO", "weekday 20 of the year"),
            ("FREQ=MONTHLY;BYMONTH=1,2", "some months"),
            ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never"),
            ("FREQ=MONTHLY;BYDAY=-5MO", "weekday -5"),
        ] {
            let err = fields(text, start).expect_err(text);
            assert!(err.to_string().contains(why), "{text}: {err}");
        }
    }

    fn occurrences(text: &str, start: NaiveDate, days: u64) -> Vec<NaiveDate> {
        let r = rule(text);
        start.iter_days().take(days as usize).filter(|&day| matches(&r, day, start)).collect()
    }

    #[test]
    fn matching_follows_rfc_5545_examples() {
        // Every other week on Tuesday and Thursday (RFC 5545 3.8.5.3).
        let start = d(1997, 9, 2);
        let got = occurrences("FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,TH", start, 20);
        assert_eq!(got, [d(1997, 9, 2), d(1997, 9, 4), d(1997, 9, 16), d(1997, 9, 18)]);
        // The last Monday of May, and the first Friday of each month.
        let got = occurrences("FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO", d(2026, 1, 1), 800);
        assert_eq!(got, [d(2026, 1, 1), d(2026, 5, 25), d(2027, 5, 31)]);
        let got = occurrences("FREQ=MONTHLY;BYDAY=1FR", d(1997, 9, 5), 70);
        assert_eq!(got, [d(1997, 9, 5), d(1997, 10, 3), d(1997, 11, 7)]);
        // The last day of each month, and the 20th Monday of the year.
        let got = occurrences("FREQ=MONTHLY;BYMONTHDAY=-1", d(2026, 1, 31), 65);
        assert_eq!(got, [d(2026, 1, 31), d(2026, 2, 28), d(2026, 3, 31)]);
        let got = occurrences("FREQ=YEARLY;BYDAY=20MO", d(1997, 5, 19), 400);
        assert_eq!(got, [d(1997, 5, 19), d(1998, 5, 18)]);
        // Every 18 months on the 10th; every 3 days.
        let got = occurrences("FREQ=MONTHLY;INTERVAL=18;BYMONTHDAY=10", d(1997, 9, 10), 600);
        assert_eq!(got, [d(1997, 9, 10), d(1999, 3, 10)]);
        let got = occurrences("FREQ=DAILY;INTERVAL=3", d(2026, 1, 1), 7);
        assert_eq!(got, [d(2026, 1, 1), d(2026, 1, 4), d(2026, 1, 7)]);
    }

    /// Issue 20: every parser is linear. Rule lists of `n` items (kept sorted and deduplicated
    /// as they are read).
    #[test]
    fn rule_lists_are_linear() {
        let list = |n: usize| {
            format!(
                "FREQ=MONTHLY;BYDAY={};BYMONTHDAY={}",
                "MO,-1FR,".repeat(n) + "SU",
                "1,-31,".repeat(n) + "2"
            )
        };
        crate::calendar::linear::assert_linear("BYDAY, BYMONTHDAY", 5_000, list, |value| {
            let _ = parse(value, |_| None);
        });
    }
}
