//! The month and weekday names of every glibc locale, as one text embedded in the binary
//! (`locales.tsv`, written by `scripts/locale-table.py` from the glibc data of the
//! `pure-rust-locales` crate): a line a locale, its name and seven tab-separated fields, `|`
//! between the names of a list.
//!
//! Why not the crate itself: its 6,500 names are `&str` constants in arrays of pointers, which
//! the loader relocates at every start of `fun`, whatever the subcommand (about 100 KB written,
//! so resident, in every process). Here a locale costs nothing until a calendar asks for it,
//! and then one scan of the text.

/// The text of the table, one locale a line, sorted by name.
const TABLE: &str = include_str!("locales.tsv");

/// The fields of a line after the locale's name, in the table's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    /// `%B`, January first.
    Mon = 0,
    /// `%b`.
    AbMon,
    /// The nominative forms (`alt_mon`), when the locale has them.
    AltMon,
    /// Their abbreviations (`ab_alt_mon`).
    AbAltMon,
    /// `%A`, Sunday first.
    Day,
    /// `%a`.
    AbDay,
    /// The date format, `d_fmt`.
    DFmt,
}

/// One locale's line of the table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LocaleData {
    fields: [&'static str; 7],
}

impl LocaleData {
    /// The line of the locale named exactly `name` (`de_DE`, `de_DE@euro`, `POSIX`).
    #[must_use]
    pub(crate) fn find(name: &str) -> Option<LocaleData> {
        TABLE.lines().find_map(|line| {
            let (key, rest) = line.split_once('\t')?;
            (key == name).then(|| LocaleData::parse(rest))
        })
    }

    /// The POSIX locale (English names), the first line of the table.
    #[must_use]
    pub(crate) fn posix() -> LocaleData {
        // Always found (a test checks it); empty lists would only mean English-only matching.
        LocaleData::find("POSIX").unwrap_or(LocaleData { fields: [""; 7] })
    }

    fn parse(rest: &'static str) -> LocaleData {
        let mut fields = [""; 7];
        for (slot, text) in fields.iter_mut().zip(rest.split('\t')) {
            *slot = text;
        }
        LocaleData { fields }
    }

    /// The names of a list field (empty when the locale has none).
    #[must_use]
    pub(crate) fn list(&self, field: Field) -> Vec<&'static str> {
        self.optional_list(field).unwrap_or_default()
    }

    /// The names of a list field, or None when the locale does not define it (`alt_mon`).
    #[must_use]
    pub(crate) fn optional_list(&self, field: Field) -> Option<Vec<&'static str>> {
        let text = self.fields[field as usize];
        (!text.is_empty()).then(|| text.split('|').collect())
    }

    /// A text field (`d_fmt`).
    #[must_use]
    pub(crate) fn text(&self, field: Field) -> &'static str {
        self.fields[field as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pure_rust_locales::{Locale, locale_match};

    #[test]
    fn every_locale_matches_the_glibc_data() {
        let mut count = 0;
        for line in TABLE.lines() {
            let name = line.split('\t').next().unwrap_or_default();
            let locale = Locale::try_from(name).unwrap_or_else(|_| panic!("{name} is a locale"));
            let ours = LocaleData::find(name).unwrap_or_else(|| panic!("{name} is found"));
            let glibc: [(Field, Option<&[&str]>); 6] = [
                (Field::Mon, Some(locale_match!(locale => LC_TIME::MON))),
                (Field::AbMon, Some(locale_match!(locale => LC_TIME::ABMON))),
                (Field::AltMon, locale_match!(locale => LC_TIME::ALT_MON)),
                (Field::AbAltMon, locale_match!(locale => LC_TIME::AB_ALT_MON)),
                (Field::Day, Some(locale_match!(locale => LC_TIME::DAY))),
                (Field::AbDay, Some(locale_match!(locale => LC_TIME::ABDAY))),
            ];
            for (field, names) in glibc {
                assert_eq!(ours.optional_list(field).as_deref(), names, "{name}: {field:?}");
            }
            assert_eq!(ours.text(Field::DFmt), locale_match!(locale => LC_TIME::D_FMT), "{name}");
            count += 1;
        }
        // Every locale of the crate (scripts/locale-table.py lists them from its source).
        assert_eq!(count, 336);
    }

    #[test]
    fn posix_is_english_and_unknown_names_are_none() {
        let posix = LocaleData::posix();
        assert_eq!(posix.list(Field::AbMon)[0], "Jan");
        assert_eq!(posix.list(Field::Day)[6], "Saturday");
        assert!(posix.optional_list(Field::AltMon).is_none());
        assert!(LocaleData::find("xx_YY").is_none());
        assert!(LocaleData::find("de_DE@euro").is_some());
        assert!(LocaleData::find("de").is_none(), "names match whole");
    }
}
