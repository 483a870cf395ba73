//! Month and weekday names per locale, for `LANG=xx_YY` lines in calendar files and for the
//! date column: every glibc locale, from the table in [`super::locale_table`] (glibc's locale
//! sources: `mon`, `abmon`, `alt_mon`, `ab_alt_mon`, `day`, `abday`, `d_fmt`), so no name is
//! typed by hand here and no installed locale is needed.
//!
//! Matching follows the reference (Debian's calendar, which asks the C library): a word names
//! a month when it starts with the locale's full name (`%B`), else its abbreviation (`%b`), else
//! with an English three-letter abbreviation, case-insensitively; weekdays likewise (`%A`, `%a`).
//! Outside strict mode the locale's nominative forms (`alt_mon`: `Май` beside `мая`) count too,
//! and names are also matched without their trailing period (`févr.` is written `févr`, and a
//! period is never part of a word).

use chrono::Weekday;

use super::locale_table::{Field, LocaleData};

/// English names, the fallback of every locale (and the reference's, whatever its locale).
const ENGLISH_MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const ENGLISH_DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Sun,
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
];

/// The names of one locale, as printed and as matched.
#[derive(Debug)]
pub(crate) struct Names {
    /// The locale as named in the `LANG=` line (or the environment).
    pub(crate) name: String,
    /// `%b`, January first, printed in the date column.
    abmon: Vec<&'static str>,
    /// `%a`, Sunday first, printed by `-w`.
    abday: Vec<&'static str>,
    /// The reference's lists, lower-cased and trimmed: full months, abbreviated months.
    strict_months: [Vec<String>; 2],
    /// Full weekdays, abbreviated weekdays.
    strict_days: [Vec<String>; 2],
    /// Default mode: full, nominative, abbreviated and nominative abbreviated months, each also
    /// without a trailing period.
    months: Vec<Vec<String>>,
    days: Vec<Vec<String>>,
    /// For locales whose month names are numbers with a suffix (`1月`): the suffix after the
    /// month and the day in `d_fmt` (`月`, `日`), so `1月15日` reads as January 15.
    pub(crate) month_suffix: Option<String>,
    pub(crate) day_suffix: Option<String>,
}

/// Lower-cased, with trailing white space removed (as the reference trims `%b`), empty names
/// dropped by the caller.
fn fold(name: &str) -> String {
    name.trim_end().to_lowercase()
}

fn folded(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| fold(n)).collect()
}

/// `names` plus, where they differ, the same without a trailing period.
fn with_and_without_period(names: &[&str]) -> [Vec<String>; 2] {
    let full = folded(names);
    let bare = full.iter().map(|n| n.trim_end_matches('.').to_owned()).collect();
    [full, bare]
}

/// The text right after `%spec` in `format`, up to the next conversion (`%m` in `%Y年%m月%d日`
/// is followed by `月`).
fn suffix_after(format: &str, spec: &str) -> Option<String> {
    let rest = &format[format.find(spec)? + spec.len()..];
    let suffix = rest.split('%').next().unwrap_or("").trim();
    (!suffix.is_empty() && suffix.chars().all(char::is_alphabetic)).then(|| suffix.to_lowercase())
}

impl Names {
    /// The names of `name` (`ru_RU.UTF-8`, `de_DE@euro`, `C`), or None for an unknown locale.
    #[must_use]
    pub(crate) fn of(name: &str) -> Option<Names> {
        Some(Names::from_locale(glibc_locale(name)?, name))
    }

    /// English: the C locale.
    #[must_use]
    pub(crate) fn english() -> Names {
        Names::from_locale(LocaleData::posix(), "C")
    }

    fn from_locale(locale: LocaleData, name: &str) -> Names {
        let abmon = locale.list(Field::AbMon);
        let mon = locale.list(Field::Mon);
        let abday = locale.list(Field::AbDay);
        let day = locale.list(Field::Day);
        let alt_mon = locale.optional_list(Field::AltMon).unwrap_or_else(|| mon.clone());
        let ab_alt_mon = locale.optional_list(Field::AbAltMon).unwrap_or_else(|| abmon.clone());
        let d_fmt = locale.text(Field::DFmt);
        let months = [&mon, &alt_mon, &abmon, &ab_alt_mon]
            .iter()
            .flat_map(|list| with_and_without_period(list))
            .collect();
        let days = [&day, &abday].iter().flat_map(|list| with_and_without_period(list)).collect();
        let numeric = mon.iter().enumerate().all(|(i, m)| m.starts_with(&(i + 1).to_string()));
        Names {
            name: name.to_owned(),
            strict_months: [folded(&mon), folded(&abmon)],
            strict_days: [folded(&day), folded(&abday)],
            abmon,
            abday,
            months,
            days,
            month_suffix: if numeric { suffix_after(d_fmt, "%m") } else { None },
            day_suffix: if numeric { suffix_after(d_fmt, "%d") } else { None },
        }
    }

    /// The abbreviated name of month `month0` (0 = January), as `%b` prints it.
    #[must_use]
    pub(crate) fn month_abbr(&self, month0: usize) -> &'static str {
        self.abmon.get(month0).copied().unwrap_or("???")
    }

    /// The abbreviated name of `weekday`, as `%a` prints it.
    #[must_use]
    pub(crate) fn weekday_abbr(&self, weekday: Weekday) -> &'static str {
        self.abday.get(weekday.num_days_from_sunday() as usize).copied().unwrap_or("???")
    }

    /// The month (1-12) that the lower-cased `word` names.
    #[must_use]
    pub(crate) fn month(&self, word: &str, strict: bool) -> Option<u32> {
        let lists: &[Vec<String>] = if strict { &self.strict_months } else { &self.months };
        let english = ENGLISH_MONTHS.iter().position(|m| word.starts_with(m));
        first_prefix(lists, word).or(english).map(|i| i as u32 + 1)
    }

    /// The weekday that the lower-cased `word` names.
    #[must_use]
    pub(crate) fn weekday(&self, word: &str, strict: bool) -> Option<Weekday> {
        let lists: &[Vec<String>] = if strict { &self.strict_days } else { &self.days };
        let english = ENGLISH_DAYS.iter().position(|d| word.starts_with(d));
        first_prefix(lists, word).or(english).map(|i| WEEKDAYS[i])
    }
}

/// The index of the first name, list by list, that `word` starts with.
fn first_prefix(lists: &[Vec<String>], word: &str) -> Option<usize> {
    lists.iter().find_map(|list| {
        list.iter().position(|name| !name.is_empty() && word.starts_with(name.as_str()))
    })
}

/// The glibc locale a `LANG=` value names: the codeset (`.UTF-8`, `.ISO8859-1`) is dropped, a
/// modifier (`@euro`, `@latin`) kept when the data has that variant.
fn glibc_locale(name: &str) -> Option<LocaleData> {
    let (base, modifier) = match name.split_once('@') {
        Some((base, modifier)) => (base, Some(modifier)),
        None => (name, None),
    };
    let language = base.split('.').next().unwrap_or(base);
    if language.eq_ignore_ascii_case("C") || language.eq_ignore_ascii_case("POSIX") {
        return Some(LocaleData::posix());
    }
    modifier
        .and_then(|m| LocaleData::find(&format!("{language}@{m}")))
        .or_else(|| LocaleData::find(language))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(name: &str) -> Names {
        Names::of(name).unwrap_or_else(|| panic!("{name} is a glibc locale"))
    }

    #[test]
    fn the_locales_calendar_files_use_and_the_common_others_exist() {
        for name in [
            "ru_RU.UTF-8",
            "uk_UA.UTF-8",
            "de_DE.UTF-8",
            "de_AT.ISO8859-15",
            "fr_FR.ISO8859-1",
            "hu_HU.ISO8859-2",
            "hr_HR.UTF-8",
            "pt_BR.UTF-8",
            "es_ES.UTF-8",
            "it_IT.UTF-8",
            "nl_NL.UTF-8",
            "pl_PL.UTF-8",
            "cs_CZ.UTF-8",
            "sv_SE.UTF-8",
            "fi_FI.UTF-8",
            "ja_JP.UTF-8",
            "ru_RU.KOI8-R",
            "uk_UA.KOI8-U",
            "de_DE@euro",
            "en_US.UTF-8",
            "C",
            "POSIX",
            "C.UTF-8",
            "el_GR.UTF-8",
            "by_BY.UTF-8",
        ] {
            if name.starts_with("by_") {
                // The reference's belarusian check names a locale glibc does not have.
                assert!(Names::of(name).is_none());
                continue;
            }
            assert!(!names(name).month_abbr(0).is_empty(), "{name}");
        }
        assert!(Names::of("xx_YY.UTF-8").is_none());
    }

    #[test]
    fn printed_abbreviations_are_glibcs() {
        assert_eq!(names("ru_RU.UTF-8").month_abbr(0), "янв");
        assert_eq!(names("ru_RU.UTF-8").month_abbr(4), "мая");
        assert_eq!(names("de_DE.UTF-8").month_abbr(2), "Mär");
        assert_eq!(names("fr_FR.UTF-8").month_abbr(1), "févr.");
        assert_eq!(names("ru_RU.UTF-8").weekday_abbr(Weekday::Thu), "Чт");
        assert_eq!(Names::english().month_abbr(11), "Dec");
        assert_eq!(Names::english().weekday_abbr(Weekday::Sun), "Sun");
    }

    #[test]
    fn russian_months_in_both_cases_and_english_still_work() {
        let ru = names("ru_RU.UTF-8");
        for (word, month) in [
            ("марта", 3),
            ("март", 3),
            ("мар", 3),
            ("января", 1),
            ("январь", 1),
            ("май", 5),
            ("мая", 5),
            ("march", 3),
            ("dec", 12),
        ] {
            assert_eq!(ru.month(word, false), Some(month), "{word}");
        }
        // The reference knows only %B and %b: the nominative "май" is not May there.
        assert_eq!(ru.month("май", true), None);
        assert_eq!(ru.month("мая", true), Some(5));
        assert_eq!(ru.weekday("воскресенье", false), Some(Weekday::Sun));
        assert_eq!(ru.weekday("чт", false), Some(Weekday::Thu));
        assert_eq!(ru.month("смарта", false), None);
    }

    #[test]
    fn periods_and_case() {
        let fr = names("fr_FR.UTF-8");
        assert_eq!(fr.month("févr", false), Some(2));
        assert_eq!(
            fr.month("févr", true),
            None,
            "the reference never matches an abbreviation with a period"
        );
        assert_eq!(fr.month("FÉVRIER".to_lowercase().as_str(), false), Some(2));
        assert_eq!(fr.weekday("mer", false), Some(Weekday::Wed));
        let de = names("de_DE.UTF-8");
        assert_eq!(de.month("mär", false), Some(3));
        assert_eq!(de.month("mai", true), Some(5));
        assert_eq!(de.weekday("donnerstag", true), Some(Weekday::Thu));
    }

    #[test]
    fn numeric_month_names_give_their_suffixes() {
        let ja = names("ja_JP.UTF-8");
        assert_eq!(ja.month_suffix.as_deref(), Some("月"));
        assert_eq!(ja.day_suffix.as_deref(), Some("日"));
        assert_eq!(names("de_DE.UTF-8").month_suffix, None);
    }
}
