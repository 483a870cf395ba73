//! From preprocessed lines to the dated events of the window: settings lines (`LANG=`,
//! `CALENDAR=`, `Easter=alias`), continuation lines, and date lines with their description.

use std::rc::Rc;

use chrono::NaiveDate;

use super::dateline::{self, Aliases, Context, Special};
use super::diag::Warnings;
use super::locale::Names;
use super::occur::{self, Rules, SpecialCache};
use super::preprocess::Line;
use super::window::Window;

/// Most events listed in one run (a weekly line over a century is 5,218 of them); past it the
/// rest are left out with a warning, so memory stays bounded whatever the file and window.
pub(crate) const MAX_EVENTS: usize = 4_000_000;

/// One line of output-to-be: a day and the entry shown on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Event {
    pub(crate) date: NaiveDate,
    pub(crate) marked: bool,
    /// Index into [`Events::texts`]: every occurrence of an entry shares its text.
    pub(crate) entry: usize,
    /// Index into [`Events::locales`]: the names its date is printed with (the locale in force
    /// at its line, as the reference prints it).
    pub(crate) locale: usize,
}

/// The events of a window, in date order then input order, and the texts they show.
#[derive(Debug, Default)]
pub(crate) struct Events {
    pub(crate) events: Vec<Event>,
    /// Per entry: from the first TAB to the end of the line, then any continuation lines
    /// (each with its leading TAB, joined by newlines).
    pub(crate) texts: Vec<String>,
    /// Every locale the input switched to, the starting one first.
    pub(crate) locales: Vec<Names>,
}

impl Events {
    /// The text of `event`.
    #[must_use]
    pub(crate) fn text(&self, event: &Event) -> &str {
        &self.texts[event.entry]
    }

    /// The month and weekday names `event` is printed with.
    #[must_use]
    pub(crate) fn names(&self, event: &Event) -> &Names {
        &self.locales[event.locale]
    }
}

/// The state carried from line to line: settings lines change it for the lines after them.
struct Reader<'w> {
    window: &'w Window,
    rules: Rules,
    aliases: Aliases,
    cache: SpecialCache,
    /// The entry of the last date line, if it matched, for its continuation lines.
    last: Option<usize>,
    /// The locale in force (index into `out.locales`).
    locale: usize,
    warned_locale: Option<Rc<str>>,
    out: Events,
    warnings: &'w mut Warnings,
}

/// Collects the events of `lines` that fall in `window`, in date order then input order,
/// reading names in `locale` until a `LANG=` line says otherwise. Warnings (naming file and
/// line) are added to `warnings`.
pub(crate) fn collect(
    lines: &[Line],
    window: &Window,
    rules: Rules,
    locale: Names,
    warnings: &mut Warnings,
) -> Events {
    let mut reader = Reader {
        window,
        rules,
        aliases: Aliases::default(),
        cache: SpecialCache::default(),
        last: None,
        locale: 0,
        warned_locale: None,
        out: Events { locales: vec![locale], ..Events::default() },
        warnings,
    };
    for line in lines {
        if reader.out.events.len() >= MAX_EVENTS {
            let msg =
                format_args!("more than {MAX_EVENTS} events in the window; the rest are left out");
            reader.warnings.stop(&line.file, line.line, msg);
            break;
        }
        reader.line(line);
    }
    let mut out = reader.out;
    // Stable: same-day events keep their input order.
    out.events.sort_by_key(|e| e.date);
    out
}

impl Reader<'_> {
    fn line(&mut self, line: &Line) {
        let text = line.text.trim_end();
        if text.is_empty() || text.starts_with("# ") {
            return;
        }
        if text.contains('\u{FFFD}') {
            self.warnings.at(&line.file, line.line, "invalid UTF-8, line skipped");
            self.last = None;
            return;
        }
        if self.setting(text, line) {
            return;
        }
        if text.starts_with('\t') {
            if let Some(entry) = self.last {
                let stored = &mut self.out.texts[entry];
                stored.push('\n');
                stored.push_str(text);
            }
            return;
        }
        self.last = None;
        let Some(tab) = text.find('\t') else { return };
        let (date, description) = text.split_at(tab);
        let context = Context {
            aliases: &self.aliases,
            names: &self.out.locales[self.locale],
            strict: self.rules.strict,
        };
        let spec = match dateline::parse(date, &context) {
            Ok(spec) => spec,
            Err(unknown) => {
                self.warnings.at(&line.file, line.line, unknown);
                return;
            }
        };
        let days = occur::occurrences(spec.when, self.window, self.rules, &mut self.cache);
        if days.is_empty() {
            return;
        }
        let entry = self.out.texts.len();
        self.out.texts.push(description.to_owned());
        self.last = Some(entry);
        let room = MAX_EVENTS - self.out.events.len();
        let (marked, locale) = (spec.marked, self.locale);
        let events = days.into_iter().take(room).map(|date| Event { date, marked, entry, locale });
        self.out.events.extend(events);
    }

    /// `LANG=xx_YY.UTF-8`: the names of that locale from here on (`LANG=UTF-8` only says how
    /// the file is encoded, and changes nothing).
    fn switch_locale(&mut self, locale: &str, line: &Line) {
        if locale.len() >= 5 && locale.as_bytes()[..5].eq_ignore_ascii_case(b"utf-8") {
            return;
        }
        if let Some(known) = self.out.locales.iter().position(|n| n.name == locale) {
            self.locale = known;
            return;
        }
        match Names::of(locale) {
            Some(names) => {
                self.locale = self.out.locales.len();
                self.out.locales.push(names);
            }
            None if self.warned_locale.as_ref() != Some(&line.file) => {
                let msg = format_args!(
                    "LANG={locale}: unknown locale, month and weekday names stay as they were"
                );
                self.warnings.at(&line.file, line.line, msg);
                self.warned_locale = Some(line.file.clone());
            }
            None => {}
        }
    }

    /// Handles `LANG=`, `CALENDAR=`, `BODUN=`, `SEQUENCE=` and `Easter=alias` lines; returns
    /// whether `text` was one.
    fn setting(&mut self, text: &str, line: &Line) -> bool {
        if let Some(locale) = text.strip_prefix("LANG=") {
            self.switch_locale(locale, line);
            return true;
        }
        let Some((key, value)) = text.split_once('=') else { return false };
        if key.eq_ignore_ascii_case("CALENDAR") {
            self.rules.julian = value.eq_ignore_ascii_case("julian");
            return true;
        }
        if key.eq_ignore_ascii_case("BODUN") || key.eq_ignore_ascii_case("SEQUENCE") {
            return true;
        }
        match Special::from_key(key) {
            Some(special) => {
                if !value.is_empty() {
                    self.aliases.set(special, value);
                }
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::window::WindowOptions;
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        let file: Rc<str> = "t".into();
        text.lines()
            .enumerate()
            .map(|(i, t)| Line { text: t.to_owned(), file: file.clone(), line: i + 1 })
            .collect()
    }

    /// (date, text) of each event, and the warnings.
    fn run(text: &str, today: (i32, u32, u32), ahead: u32) -> (Vec<(String, String)>, Vec<String>) {
        let today = NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap_or_default();
        let window =
            Window::new(today, WindowOptions { ahead: Some(ahead), ..WindowOptions::default() });
        let mut warnings = Warnings::default();
        let events =
            collect(&lines(text), &window, Rules::default(), Names::english(), &mut warnings);
        let shown =
            events.events.iter().map(|e| (e.date.to_string(), events.text(e).to_owned())).collect();
        (shown, warnings.as_slice().to_vec())
    }

    #[test]
    fn continuation_lines_attach_to_matching_entries_only() {
        let (events, _) =
            run("04/17\tparty\n\tmore\n05/01\tlater\n\tnot shown\n", (2024, 4, 17), 1);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].1, "\tparty\n\tmore");
    }

    #[test]
    fn lines_without_tab_are_ignored_and_end_the_entry() {
        let (events, _) = run("04/17\tparty\nApr 17 no tab\n\tcontinued\n", (2024, 4, 17), 1);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].1, "\tparty");
    }

    #[test]
    fn aliases_and_julian() {
        let (events, _) =
            run("Easter=Ostern\nOstern-1\tsat\nCALENDAR=julian\n12/25\txmas\n", (2024, 1, 1), 365);
        assert_eq!(
            events,
            vec![
                ("2024-01-07".to_owned(), "\txmas".to_owned()),
                ("2024-03-30".to_owned(), "\tsat".to_owned())
            ]
        );
    }

    #[test]
    fn lang_lines_switch_names_for_the_lines_after_them() {
        let text =
            "1 марта\tnot yet\nLANG=ru_RU.UTF-8\n1 марта\tspring\nLANG=UTF-8\n2 марта\tstill\n";
        let (events, warnings) = run(text, (2026, 3, 1), 1);
        assert_eq!(
            events,
            vec![
                ("2026-03-01".to_owned(), "\tspring".to_owned()),
                ("2026-03-02".to_owned(), "\tstill".to_owned())
            ]
        );
        assert_eq!(warnings, ["t:1: unknown month or weekday name \"марта\", line skipped"]);
    }

    #[test]
    fn unknown_locale_warns_and_goes_on() {
        let (events, warnings) = run("LANG=xx_YY.UTF-8\n04/17\tx\n", (2024, 4, 17), 0);
        assert_eq!(events.len(), 1);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("t:1: LANG=xx_YY.UTF-8"));
    }

    #[test]
    fn ordering_is_by_date_then_input() {
        let (events, _) = run("04/18\tb\n04/17\ta\n04/18\tc\n", (2024, 4, 17), 2);
        let texts: Vec<_> = events.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(texts, vec!["\ta", "\tb", "\tc"]);
    }
}
