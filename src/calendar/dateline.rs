//! The date at the start of a calendar line, up to the first TAB: numeric and named forms in
//! either order, `*` wildcards, weekdays with an index (`Sun+2`, `MonLast`), Easter-relative
//! specials, FreeBSD's astronomical specials and year-specific dates.
//!
//! Fields are separated by anything that is not a letter, a digit, `*` or TAB; a word may carry
//! a glued `+N`/`-N` offset. Names match by their first three letters, like the reference.

use chrono::{NaiveDate, Weekday};

use super::locale::Names;

/// A movable day computed per year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Special {
    Easter,
    Paskha,
    Pesach,
    NewMoon,
    FullMoon,
    MarEquinox,
    JunSolstice,
    SepEquinox,
    DecSolstice,
    ChineseNewYear,
}

impl Special {
    pub(crate) const ALL: [(Special, &'static str); 10] = [
        (Special::Easter, "easter"),
        (Special::Paskha, "paskha"),
        (Special::Pesach, "pesach"),
        (Special::NewMoon, "newmoon"),
        (Special::FullMoon, "fullmoon"),
        (Special::MarEquinox, "marequinox"),
        (Special::JunSolstice, "junsolstice"),
        (Special::SepEquinox, "sepequinox"),
        (Special::DecSolstice, "decsolstice"),
        (Special::ChineseNewYear, "chinesenewyear"),
    ];

    /// The special a `NAME=alias` line renames, by its key (any case).
    #[must_use]
    pub(crate) fn from_key(key: &str) -> Option<Special> {
        Special::ALL.iter().find(|(_, name)| key.eq_ignore_ascii_case(name)).map(|&(s, _)| s)
    }
}

/// When a line's event happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum When {
    /// The same month and day every year.
    Yearly { month: u32, day: u32 },
    /// The same day of every month.
    Monthly { day: u32 },
    /// Every week.
    Weekly(Weekday),
    /// The `index`-th (1..=5, or -1..=-4 from the end) weekday of `month`, or of every month.
    NthWeekday { month: Option<u32>, weekday: Weekday, index: i32 },
    /// A special day plus an offset in days, every year.
    Special { special: Special, offset: i32 },
    /// One day of one year (FreeBSD's `2026/04/17`).
    Once(NaiveDate),
    /// A date that never matches (`02/30`, `* *`, an unknown word).
    Never,
}

/// A parsed date field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DateSpec {
    pub(crate) when: When,
    /// Printed with `*` after the date.
    pub(crate) marked: bool,
}

/// User-defined names for the specials (`Easter=Ostern`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Aliases(Vec<(String, Special)>);

impl Aliases {
    pub(crate) fn set(&mut self, special: Special, name: &str) {
        self.0.retain(|(_, s)| *s != special);
        self.0.push((name.to_lowercase(), special));
    }

    fn lookup(&self, word: &str) -> Option<Special> {
        self.0.iter().find(|(name, _)| word.starts_with(name.as_str())).map(|&(_, s)| s)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Field {
    Num(u64),
    Star,
    Word { word: String, offset: Option<i32> },
}

/// Splits the date part into fields.
fn fields(date: &str) -> Vec<Field> {
    let mut out = Vec::new();
    let mut chars = date.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c == '*' {
            chars.next();
            out.push(Field::Star);
        } else if c.is_ascii_digit() {
            let mut n: u64 = 0;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(u64::from(d));
                chars.next();
            }
            out.push(Field::Num(n));
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&c) = chars.peek().filter(|c| c.is_alphabetic()) {
                word.extend(c.to_lowercase());
                chars.next();
            }
            let mut offset = None;
            if let Some(&sign @ ('+' | '-')) = chars.peek() {
                let mut look = chars.clone();
                look.next();
                if look.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                    let mut n: i64 = 0;
                    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                        n = (n * 10 + i64::from(d)).min(100_000);
                        chars.next();
                    }
                    let n = i32::try_from(n).unwrap_or(100_000);
                    offset = Some(if sign == '-' { -n } else { n });
                }
            }
            out.push(Field::Word { word, offset });
        } else {
            chars.next();
        }
    }
    out
}

/// English month abbreviations, for numeric month names (`1月` reads as `jan`).
const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const INDEX_WORDS: [(&str, i32); 6] =
    [("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("fifth", 5), ("last", -1)];

/// What a date field is read with: the specials' aliases, the month and weekday names of the
/// locale in force, and whether to reproduce the reference's faults.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    pub(crate) aliases: &'a Aliases,
    pub(crate) names: &'a Names,
    pub(crate) strict: bool,
}

/// A date field with a word that names no month, weekday or special day.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown month or weekday name \"{0}\", line skipped")]
pub(crate) struct UnknownName(pub(crate) String);

/// What a word names.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Name {
    Month(u32),
    Weekday(Weekday, Option<i32>),
    Special(Special, i32),
    Unknown,
}

fn name_of(word: &str, offset: Option<i32>, context: &Context<'_>) -> Name {
    if let Some(special) = context.aliases.lookup(word) {
        return Name::Special(special, offset.unwrap_or(0));
    }
    if let Some(&(special, _)) = Special::ALL.iter().find(|(_, name)| word.starts_with(name)) {
        return Name::Special(special, offset.unwrap_or(0));
    }
    if let Some(month) = context.names.month(word, context.strict) {
        return Name::Month(month);
    }
    if let Some(weekday) = context.names.weekday(word, context.strict) {
        let suffix = INDEX_WORDS.iter().find(|(s, _)| word.len() > 3 && word.ends_with(s));
        // A glued +N/-N wins over an index word (`SatFirst-1` is the last Saturday).
        let index = offset.or(suffix.map(|&(_, i)| i));
        return Name::Weekday(weekday, index);
    }
    Name::Unknown
}

/// Locales with numeric month names write `1月15日`: the month suffix turns the number before
/// it into that month, the day suffix is dropped. One pass into a new list: removing fields in
/// place moved the rest of the list each time, n² on a line of many suffixes.
fn read_numeric_months(fields: &mut Vec<Field>, names: &Names) {
    let is = |field: &Field, suffix: &Option<String>| matches!((field, suffix), (Field::Word { word, .. }, Some(s)) if word == s);
    let mut read: Vec<Field> = Vec::with_capacity(fields.len());
    for field in fields.drain(..) {
        if is(&field, &names.day_suffix) {
            continue;
        }
        if is(&field, &names.month_suffix)
            && let Some(last) = read.last_mut()
            && let Field::Num(n @ 1..=12) = *last
        {
            *last = Field::Word { word: MONTHS[(n - 1) as usize].to_owned(), offset: None };
            continue;
        }
        read.push(field);
    }
    *fields = read;
}

fn days_in_month_max(month: u32) -> u32 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A yearly month/day, or never if impossible in every year. Day 0 means the 1st.
fn yearly(month: u64, day: u64) -> When {
    let (Ok(month), Ok(day)) = (u32::try_from(month), u32::try_from(day)) else {
        return When::Never;
    };
    if !(1..=12).contains(&month) || day > days_in_month_max(month) {
        return When::Never;
    }
    When::Yearly { month, day: day.max(1) }
}

fn monthly(day: u64) -> When {
    match u32::try_from(day) {
        Ok(day @ 1..=31) => When::Monthly { day },
        Ok(0) => When::Monthly { day: 1 },
        _ => When::Never,
    }
}

fn weekday_when(
    month: Option<u32>,
    weekday: Weekday,
    index: Option<i32>,
    every_month: bool,
) -> When {
    match index {
        Some(i @ (-4..=-1 | 1..=5)) => When::NthWeekday { month, weekday, index: i },
        _ if month.is_some() || every_month => When::NthWeekday { month, weekday, index: 1 },
        _ => When::Weekly(weekday),
    }
}

/// Parses the date part of a line (everything before the first TAB). Outside strict mode a
/// word that names nothing is an error (the line is reported and skipped); in strict mode it is
/// treated like the reference does (first: never; later: ignored).
pub(crate) fn parse(date: &str, context: &Context<'_>) -> Result<DateSpec, UnknownName> {
    let mut fields = fields(date);
    if context.names.month_suffix.is_some() {
        read_numeric_months(&mut fields, context.names);
    }
    let mut named: Vec<Option<Name>> = fields
        .iter()
        .map(|f| match f {
            Field::Word { word, offset } => Some(name_of(word, *offset, context)),
            _ => None,
        })
        .collect();
    if !context.strict
        && let Some(i) = named.iter().position(|n| *n == Some(Name::Unknown))
        && let Field::Word { word, .. } = &fields[i]
    {
        return Err(UnknownName(word.clone()));
    }
    // An unknown word first means the line never matches; later ones are ignored, like the
    // reference (`10/LastSun` is October 1st there).
    if named.first() != Some(&Some(Name::Unknown)) {
        let keep: Vec<bool> = named.iter().map(|n| *n != Some(Name::Unknown)).collect();
        let mut k = keep.iter();
        fields.retain(|_| *k.next().unwrap_or(&true));
        named.retain(|n| *n != Some(Name::Unknown));
    }
    let (when, marked) = when_of(&fields, &named);
    Ok(DateSpec { when, marked: marked || date.ends_with('*') })
}

/// The date the fields give, and whether it is marked `*` by its kind (weekday-based and
/// special dates are).
fn when_of(fields: &[Field], named: &[Option<Name>]) -> (When, bool) {
    match (fields, named) {
        ([], _) => (When::Never, false),
        (_, [Some(Name::Special(special, offset)), ..]) => {
            (When::Special { special: *special, offset: *offset }, true)
        }
        (_, [Some(Name::Unknown), ..]) => (When::Never, false),
        (_, [Some(Name::Month(m)), Some(Name::Weekday(w, i)), ..])
        | (_, [Some(Name::Weekday(w, i)), Some(Name::Month(m)), ..]) => {
            (weekday_when(Some(*m), *w, *i, false), true)
        }
        ([Field::Num(m), ..], [None, Some(Name::Weekday(w, i)), ..]) => match u32::try_from(*m) {
            Ok(m @ 1..=12) => (weekday_when(Some(m), *w, *i, false), true),
            _ => (When::Never, true),
        },
        ([Field::Star, ..], [None, Some(Name::Weekday(w, i)), ..])
        | ([_, Field::Star, ..], [Some(Name::Weekday(w, i)), ..]) => {
            (weekday_when(None, *w, *i, true), true)
        }
        (_, [Some(Name::Weekday(w, i)), ..]) if !matches!(fields, [Field::Num(_), ..]) => {
            (weekday_when(None, *w, *i, false), true)
        }
        _ => (numeric_or_month(fields, named), false),
    }
}

/// Dates made of numbers, stars and month names.
fn numeric_or_month(fields: &[Field], named: &[Option<Name>]) -> When {
    match (fields, named) {
        // Year-specific: 2026/04/17.
        ([Field::Num(y), Field::Num(m), Field::Num(d), ..], _) if *y >= 1000 => {
            let date = i32::try_from(*y).ok().and_then(|y| {
                NaiveDate::from_ymd_opt(y, u32::try_from(*m).ok()?, u32::try_from(*d).ok()?)
            });
            date.map_or(When::Never, When::Once)
        }
        ([Field::Num(a), Field::Num(b), ..], _) => {
            if *a > 12 {
                yearly(*b, *a)
            } else {
                yearly(*a, *b)
            }
        }
        ([Field::Num(n)], _) if *n <= 12 => yearly(*n, 1),
        ([Field::Num(n)], _) => monthly(*n),
        ([Field::Star], _) => When::Monthly { day: 1 },
        ([Field::Star, Field::Num(n), ..], _) | ([Field::Num(n), Field::Star, ..], _) => {
            monthly(*n)
        }
        (_, [Some(Name::Month(m))]) => When::Yearly { month: *m, day: 1 },
        ([_, Field::Num(d), ..], [Some(Name::Month(m)), ..])
        | ([Field::Num(d), _, ..], [None, Some(Name::Month(m)), ..]) => yearly(u64::from(*m), *d),
        _ => When::Never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Strict mode (the reference's reading), English names.
    fn parse_strict(s: &str, aliases: &Aliases) -> DateSpec {
        let names = Names::english();
        let context = Context { aliases, names: &names, strict: true };
        parse(s, &context).unwrap_or_else(|e| panic!("strict mode never refuses: {e}"))
    }

    fn when(s: &str) -> When {
        parse_strict(s, &Aliases::default()).when
    }

    /// Default mode under the locale `locale`.
    fn read(s: &str, locale: &str) -> Result<When, UnknownName> {
        let names = Names::of(locale).unwrap_or_else(Names::english);
        let aliases = Aliases::default();
        parse(s, &Context { aliases: &aliases, names: &names, strict: false }).map(|d| d.when)
    }

    #[test]
    fn numeric_and_named_forms() {
        let apr17 = When::Yearly { month: 4, day: 17 };
        for s in [
            "04/17",
            "4/17",
            "04-17",
            "04.17",
            "4 17",
            "Apr 17",
            "Apr. 17",
            "April 17",
            "APR 17",
            "Apr17",
            "17 Apr",
            "17 April",
            "17Apr",
            "17/04",
            "17.4",
            "4/17/2025",
            "Apr 17, 2024",
            "Aprxyz 17",
        ] {
            assert_eq!(when(s), apr17, "{s}");
        }
        assert_eq!(when("6 7"), When::Yearly { month: 6, day: 7 });
        assert_eq!(when("June"), When::Yearly { month: 6, day: 1 });
        assert_eq!(when("7"), When::Yearly { month: 7, day: 1 });
        assert_eq!(when("4/0"), When::Yearly { month: 4, day: 1 });
    }

    #[test]
    fn impossible_dates_never_match() {
        for s in ["02/30", "04/31", "00/10", "13/13", "Dec 32", "* *", "Su", "Blah 4"] {
            assert_eq!(when(s), When::Never, "{s}");
        }
        assert_eq!(when("02/29"), When::Yearly { month: 2, day: 29 });
    }

    #[test]
    fn unknown_words_after_the_first_field_are_ignored() {
        assert_eq!(when("10/LastSun"), When::Yearly { month: 10, day: 1 });
        assert_eq!(when("Oct Blah"), When::Yearly { month: 10, day: 1 });
        assert_eq!(when("15 Blah"), When::Monthly { day: 15 });
        assert_eq!(when("Thu Blah"), When::Weekly(Weekday::Thu));
    }

    #[test]
    fn wildcards() {
        assert_eq!(when("13"), When::Monthly { day: 13 });
        assert_eq!(when("* 15"), When::Monthly { day: 15 });
        assert_eq!(when("15 *"), When::Monthly { day: 15 });
        assert!(parse_strict("15 *", &Aliases::default()).marked);
        assert_eq!(when("*"), When::Monthly { day: 1 });
    }

    #[test]
    fn weekdays() {
        assert_eq!(when("Thursday"), When::Weekly(Weekday::Thu));
        assert_eq!(when("thu."), When::Weekly(Weekday::Thu));
        assert_eq!(
            when("Sun+2"),
            When::NthWeekday { month: None, weekday: Weekday::Sun, index: 2 }
        );
        assert_eq!(
            when("SunLast"),
            When::NthWeekday { month: None, weekday: Weekday::Sun, index: -1 }
        );
        assert_eq!(when("Sun+6"), When::Weekly(Weekday::Sun));
        let jan_sun2 = When::NthWeekday { month: Some(1), weekday: Weekday::Sun, index: 2 };
        for s in ["Jan Sun+2", "Jan/Sun+2", "Sun+2 Jan", "01/SunSecond"] {
            assert_eq!(when(s), jan_sun2, "{s}");
        }
        assert_eq!(
            when("Oct/SatFirst-1"),
            When::NthWeekday { month: Some(10), weekday: Weekday::Sat, index: -1 }
        );
        assert_eq!(
            when("Jan Thursday"),
            When::NthWeekday { month: Some(1), weekday: Weekday::Thu, index: 1 }
        );
        assert_eq!(
            when("* Sun+1"),
            When::NthWeekday { month: None, weekday: Weekday::Sun, index: 1 }
        );
        assert_eq!(
            when("11/Thu+4"),
            When::NthWeekday { month: Some(11), weekday: Weekday::Thu, index: 4 }
        );
        assert!(parse_strict("Thursday", &Aliases::default()).marked);
    }

    #[test]
    fn specials_and_aliases() {
        assert_eq!(when("Easter-2"), When::Special { special: Special::Easter, offset: -2 });
        assert_eq!(when("easter -2"), When::Special { special: Special::Easter, offset: 0 });
        assert_eq!(when("Easterly"), When::Special { special: Special::Easter, offset: 0 });
        assert_eq!(when("Paskha+1"), When::Special { special: Special::Paskha, offset: 1 });
        assert_eq!(when("MarEquinox"), When::Special { special: Special::MarEquinox, offset: 0 });
        let mut aliases = Aliases::default();
        aliases.set(Special::Easter, "Ostern");
        assert_eq!(
            parse_strict("Ostern-2", &aliases).when,
            When::Special { special: Special::Easter, offset: -2 }
        );
    }

    #[test]
    fn year_specific_dates() {
        assert_eq!(
            when("2026/04/17"),
            When::Once(NaiveDate::from_ymd_opt(2026, 4, 17).unwrap_or_default())
        );
        assert_eq!(when("2026/02/30"), When::Never);
    }

    #[test]
    fn unknown_names_are_refused_outside_strict_mode() {
        assert_eq!(read("1 Smarch", "C"), Err(UnknownName("smarch".into())));
        assert_eq!(when("1 Smarch"), When::Yearly { month: 1, day: 1 }, "the reference's reading");
        assert_eq!(read("10/LastSun", "C"), Err(UnknownName("lastsun".into())));
        assert_eq!(read("Blah 4", "C"), Err(UnknownName("blah".into())));
        // Without LANG=ru_RU the Russian name is unknown: never January 1st.
        assert_eq!(read("1 марта", "C"), Err(UnknownName("марта".into())));
    }

    #[test]
    fn localized_names() {
        let march1 = Ok(When::Yearly { month: 3, day: 1 });
        for s in ["1 марта", "1 Марта", "1 март", "марта 1", "1 мар.", "03/01", "1 March"]
        {
            assert_eq!(read(s, "ru_RU.UTF-8"), march1, "{s}");
        }
        assert_eq!(read("1 févr.", "fr_FR.UTF-8"), Ok(When::Yearly { month: 2, day: 1 }));
        assert_eq!(read("Mär 17", "de_DE.UTF-8"), Ok(When::Yearly { month: 3, day: 17 }));
        assert_eq!(
            read("Mai/SonntagLast", "de_DE.UTF-8"),
            Ok(When::NthWeekday { month: Some(5), weekday: Weekday::Sun, index: -1 })
        );
        assert_eq!(read("Неділя", "uk_UA.UTF-8"), Ok(When::Weekly(Weekday::Sun)));
        assert_eq!(read("5月3日", "ja_JP.UTF-8"), Ok(When::Yearly { month: 5, day: 3 }));
        assert_eq!(read("12月", "ja_JP.UTF-8"), Ok(When::Yearly { month: 12, day: 1 }));
    }

    /// Issue 20: every parser is linear. A date of many day suffixes (`1日1日1日...` in a
    /// locale with numeric months) removed one field at a time: n² moves.
    #[test]
    fn numeric_month_suffixes_are_linear() {
        let names = Names::of("ja_JP.UTF-8").expect("ja_JP names are built in");
        let context = Context { aliases: &Aliases::default(), names: &names, strict: true };
        crate::calendar::linear::assert_linear(
            "day suffixes",
            20_000,
            |n| "1日".repeat(n),
            |s| {
                let _ = parse(s, &context);
            },
        );
        crate::calendar::linear::assert_linear(
            "plain date fields",
            20_000,
            |n| "Apr 17 ".repeat(n),
            |s| {
                let _ = parse(s, &context);
            },
        );
        assert_eq!(
            parse("5月3日5月", &context).map(|d| d.when),
            Ok(When::Yearly { month: 5, day: 3 })
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_strict(&s, &Aliases::default());
            let _ = read(&s, "ru_RU.UTF-8");
        }

        #[test]
        fn never_panics_on_date_like_input(s in "[0-9A-Za-z*/+ .-]{0,24}") {
            let _ = parse_strict(&s, &Aliases::default());
            let _ = read(&s, "ru_RU.UTF-8");
        }

        /// The split is linear: never more fields than characters, never more word text than
        /// the input's lower-cased length (`İ` lower-cases to two characters).
        #[test]
        fn fields_are_linear_in_the_input(s in "([0-9]{1,30}|[A-Za-zİß]{1,30}|[*/+ .-]){0,60}") {
            let split = fields(&s);
            prop_assert!(split.len() <= s.chars().count());
            let words: usize = split
                .iter()
                .map(|f| if let Field::Word { word, .. } = f { word.len() } else { 0 })
                .sum();
            prop_assert!(words <= 2 * s.len());
        }
    }
}
