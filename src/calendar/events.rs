//! From preprocessed lines to the dated events of the window: settings lines (`LANG=`,
//! `CALENDAR=`, `Easter=alias`), continuation lines, and date lines with their description.

use std::rc::Rc;

use chrono::NaiveDate;

use super::dateline::{self, Aliases, Special};
use super::occur::{self, Rules};
use super::preprocess::Line;
use super::window::Window;

/// One line of output-to-be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub date: NaiveDate,
    pub marked: bool,
    /// From the first TAB to the end of the line, then any continuation lines (each with its
    /// leading TAB, joined by newlines).
    pub text: String,
}

/// Locales whose month and day names are English, so a `LANG=` switch to them changes nothing.
fn is_english_locale(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "c" || lower == "posix" || lower.starts_with("c.") || lower.starts_with("en_")
}

/// Collects the events of `lines` that fall in `window`, in date order then input order.
/// Warnings (naming file and line) are pushed to `warnings`.
pub fn collect(
    lines: &[Line],
    window: &Window,
    mut rules: Rules,
    warnings: &mut Vec<String>,
) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    let mut aliases = Aliases::default();
    // Indices of the events made by the last date line, for its continuation lines.
    let mut last: Vec<usize> = Vec::new();
    let mut warned_locale: Option<Rc<str>> = None;
    for line in lines {
        let text = line.text.trim_end();
        if text.is_empty() || text.starts_with("# ") {
            continue;
        }
        if text.contains('\u{FFFD}') {
            warnings.push(format!("{}:{}: invalid UTF-8, line skipped", line.file, line.line));
            last.clear();
            continue;
        }
        if let Some(locale) = text.strip_prefix("LANG=") {
            let utf8 = locale.len() >= 5 && locale[..5].eq_ignore_ascii_case("utf-8");
            if !utf8 && !is_english_locale(locale) && warned_locale.as_ref() != Some(&line.file) {
                warnings.push(format!(
                    "{}:{}: LANG={locale}: locale not supported, dates stay in English",
                    line.file, line.line
                ));
                warned_locale = Some(line.file.clone());
            }
            continue;
        }
        if let Some((key, value)) = text.split_once('=') {
            if key.eq_ignore_ascii_case("CALENDAR") {
                rules.julian = value.eq_ignore_ascii_case("julian");
                continue;
            }
            if key.eq_ignore_ascii_case("BODUN") || key.eq_ignore_ascii_case("SEQUENCE") {
                continue;
            }
            if let Some(special) = Special::from_key(key) {
                if !value.is_empty() {
                    aliases.set(special, value);
                }
                continue;
            }
        }
        if text.starts_with('\t') {
            for &i in &last {
                events[i].text.push('\n');
                events[i].text.push_str(text);
            }
            continue;
        }
        last.clear();
        let Some(tab) = text.find('\t') else { continue };
        let (date, description) = text.split_at(tab);
        let spec = dateline::parse(date, &aliases);
        for day in occur::occurrences(spec.when, window, rules) {
            last.push(events.len());
            events.push(Event { date: day, marked: spec.marked, text: description.to_owned() });
        }
    }
    // Stable: same-day events keep their input order.
    events.sort_by_key(|e| e.date);
    events
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

    fn run(text: &str, today: (i32, u32, u32), ahead: u32) -> (Vec<Event>, Vec<String>) {
        let today = NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap_or_default();
        let window =
            Window::new(today, WindowOptions { ahead: Some(ahead), ..WindowOptions::default() });
        let mut warnings = Vec::new();
        let events = collect(&lines(text), &window, Rules::default(), &mut warnings);
        (events, warnings)
    }

    #[test]
    fn continuation_lines_attach_to_matching_entries_only() {
        let (events, _) =
            run("04/17\tparty\n\tmore\n05/01\tlater\n\tnot shown\n", (2024, 4, 17), 1);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].text, "\tparty\n\tmore");
    }

    #[test]
    fn lines_without_tab_are_ignored_and_end_the_entry() {
        let (events, _) = run("04/17\tparty\nApr 17 no tab\n\tcontinued\n", (2024, 4, 17), 1);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].text, "\tparty");
    }

    #[test]
    fn aliases_and_julian() {
        let (events, _) =
            run("Easter=Ostern\nOstern-1\tsat\nCALENDAR=julian\n12/25\txmas\n", (2024, 1, 1), 365);
        let texts: Vec<_> = events.iter().map(|e| (e.date.to_string(), e.text.as_str())).collect();
        assert_eq!(
            texts,
            vec![("2024-01-07".to_owned(), "\txmas"), ("2024-03-30".to_owned(), "\tsat")]
        );
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
        let texts: Vec<_> = events.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, vec!["\ta", "\tb", "\tc"]);
    }
}
