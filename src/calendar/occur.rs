//! The days inside a window on which a date spec falls.
//!
//! Yearly and special dates are computed for every year the window touches. Monthly dates are
//! listed for every month that has the day; with `strict` the reference's bug is reproduced
//! (its walk stops at the first month lacking the day, so `* 31` from January shows only
//! January 31), which is what the differential test compares against.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::astro::{self, Phase, Season};
use super::dateline::{Special, When};
use super::feasts;
use super::window::Window;

/// Options that change which days match.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Rules {
    /// Reproduce the reference's monthly-walk bug.
    pub(crate) strict: bool,
    /// `CALENDAR=julian`: explicit month/day dates are shifted by 13 days.
    pub(crate) julian: bool,
    /// UTC offset used for moon phases and equinoxes.
    pub(crate) utc_offset_secs: i32,
}

fn months_between(start: NaiveDate, end: NaiveDate) -> impl Iterator<Item = (i32, u32)> {
    let first = start.year() * 12 + start.month0() as i32;
    let last = end.year() * 12 + end.month0() as i32;
    (first..=last).map(|m| (m.div_euclid(12), m.rem_euclid(12) as u32 + 1))
}

/// The `index`-th `weekday` of a month (negative counts from the end).
fn nth_weekday(year: i32, month: u32, weekday: Weekday, index: i32) -> Option<NaiveDate> {
    if index > 0 {
        let n = u8::try_from(index).ok()?;
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
    } else {
        let first_next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let last = first_next.pred_opt()?;
        let back = (7 + last.weekday().num_days_from_sunday() - weekday.num_days_from_sunday()) % 7;
        let date = last.checked_sub_days(Days::new(
            u64::from(back) + 7 * u64::from(index.unsigned_abs() - 1),
        ))?;
        (date.month() == month).then_some(date)
    }
}

fn special_dates(special: Special, year: i32, rules: Rules) -> Vec<NaiveDate> {
    let offset = rules.utc_offset_secs;
    match special {
        Special::Easter => feasts::easter(year).into_iter().collect(),
        Special::Paskha => feasts::paskha(year).into_iter().collect(),
        Special::Pesach => feasts::pesach(year).into_iter().collect(),
        Special::NewMoon => astro::moon_phases(year, Phase::New, offset),
        Special::FullMoon => astro::moon_phases(year, Phase::Full, offset),
        Special::MarEquinox => {
            astro::season(year, Season::MarEquinox, offset).into_iter().collect()
        }
        Special::JunSolstice => {
            astro::season(year, Season::JunSolstice, offset).into_iter().collect()
        }
        Special::SepEquinox => {
            astro::season(year, Season::SepEquinox, offset).into_iter().collect()
        }
        Special::DecSolstice => {
            astro::season(year, Season::DecSolstice, offset).into_iter().collect()
        }
        Special::ChineseNewYear => astro::chinese_new_year(year).into_iter().collect(),
    }
}

/// Walks the months of the window, collecting the day `day_in(year, month)` of each. In strict
/// mode the walk stops at the first month after the window's first month that lacks the day,
/// like the reference (whose first month may lack it: `31` from April 1st still shows May 31).
fn monthly_walk(
    start: NaiveDate,
    end: NaiveDate,
    rules: Rules,
    out: &mut Vec<NaiveDate>,
    day_in: impl Fn(i32, u32) -> Option<NaiveDate>,
) {
    for (i, (year, month)) in months_between(start, end).enumerate() {
        match day_in(year, month) {
            Some(date) if date < start => {}
            Some(date) if date <= end => out.push(date),
            Some(_) => break,
            None if rules.strict && i > 0 => break,
            None => {}
        }
    }
}

/// Special days computed once per (special, year) for the whole run: a file of a million
/// `FullMoon` lines costs one moon computation per year, not one per line.
#[derive(Debug, Default)]
pub(crate) struct SpecialCache(HashMap<(Special, i32), Vec<NaiveDate>>);

impl SpecialCache {
    fn get(&mut self, special: Special, year: i32, rules: Rules) -> &[NaiveDate] {
        self.0.entry((special, year)).or_insert_with(|| special_dates(special, year, rules))
    }
}

/// Every day of `window` on which `when` falls, in date order.
#[must_use]
pub(crate) fn occurrences(
    when: When,
    window: &Window,
    rules: Rules,
    cache: &mut SpecialCache,
) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let (start, end) = (window.start, window.end);
    match when {
        When::Never => {}
        When::Once(date) => out.extend(window.contains(date).then_some(date)),
        When::Yearly { month, day } => yearly(month, day, window, rules, &mut out),
        When::Monthly { day } => {
            monthly_walk(start, end, rules, &mut out, |year, month| {
                NaiveDate::from_ymd_opt(year, month, day)
            });
        }
        When::Weekly(weekday) => {
            let ahead =
                (7 + weekday.num_days_from_sunday() - start.weekday().num_days_from_sunday()) % 7;
            let mut date = start.checked_add_days(Days::new(u64::from(ahead)));
            while let Some(d) = date.filter(|d| *d <= end) {
                out.push(d);
                date = d.checked_add_days(Days::new(7));
            }
        }
        When::NthWeekday { month: Some(month), weekday, index } => {
            out.extend((start.year()..=end.year()).filter_map(|year| {
                nth_weekday(year, month, weekday, index).filter(|d| window.contains(*d))
            }));
        }
        When::NthWeekday { month: None, weekday, index } => {
            monthly_walk(start, end, rules, &mut out, |year, month| {
                nth_weekday(year, month, weekday, index)
            });
        }
        When::Special { special, offset } => {
            for year in start.year() - 1..=end.year() + 1 {
                let days = Days::new(u64::from(offset.unsigned_abs()));
                out.extend(cache.get(special, year, rules).iter().filter_map(|base| {
                    let date = if offset >= 0 {
                        base.checked_add_days(days)
                    } else {
                        base.checked_sub_days(days)
                    };
                    date.filter(|d| window.contains(*d))
                }));
            }
            out.sort_unstable();
        }
    }
    out
}

/// A month and day every year of the window (the year before too, for the Julian shift).
fn yearly(month: u32, day: u32, window: &Window, rules: Rules, out: &mut Vec<NaiveDate>) {
    let shift = if rules.julian { 13 } else { 0 };
    for year in window.start.year() - 1..=window.end.year() {
        let date = NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
            // The reference's short-window path lets mktime turn Feb 29 into Mar 1.
            (window.is_short() && month == 2 && day == 29)
                .then(|| NaiveDate::from_ymd_opt(year, 3, 1))
                .flatten()
        });
        if let Some(date) =
            date.and_then(|d| d.checked_add_days(Days::new(shift))).filter(|d| window.contains(*d))
        {
            out.push(date);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::window::WindowOptions;
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn win(today: NaiveDate, ahead: u32) -> Window {
        Window::new(today, WindowOptions { ahead: Some(ahead), ..WindowOptions::default() })
    }

    #[test]
    fn leap_day_moves_only_in_short_windows() {
        let feb29 = When::Yearly { month: 2, day: 29 };
        assert_eq!(
            occurrences(
                feb29,
                &win(d(2025, 2, 28), 3),
                Rules::default(),
                &mut SpecialCache::default()
            ),
            vec![d(2025, 3, 1)]
        );
        assert!(
            occurrences(
                feb29,
                &win(d(2025, 2, 28), 60),
                Rules::default(),
                &mut SpecialCache::default()
            )
            .is_empty()
        );
        assert_eq!(
            occurrences(
                feb29,
                &win(d(2024, 2, 28), 3),
                Rules::default(),
                &mut SpecialCache::default()
            ),
            vec![d(2024, 2, 29)]
        );
    }

    #[test]
    fn monthly_walk_fixed_and_strict() {
        let day31 = When::Monthly { day: 31 };
        let year = win(d(2024, 1, 1), 365);
        assert_eq!(
            occurrences(day31, &year, Rules::default(), &mut SpecialCache::default()).len(),
            7
        );
        let strict = Rules { strict: true, ..Rules::default() };
        assert_eq!(
            occurrences(day31, &year, strict, &mut SpecialCache::default()),
            vec![d(2024, 1, 31)]
        );
    }

    #[test]
    fn nth_weekdays() {
        assert_eq!(nth_weekday(2026, 11, Weekday::Thu, 4), Some(d(2026, 11, 26)));
        assert_eq!(nth_weekday(2026, 5, Weekday::Mon, -1), Some(d(2026, 5, 25)));
        assert_eq!(nth_weekday(2024, 4, Weekday::Mon, -2), Some(d(2024, 4, 22)));
        assert_eq!(nth_weekday(2024, 2, Weekday::Fri, 5), None);
    }

    #[test]
    fn julian_shift_crosses_the_year() {
        let xmas = When::Yearly { month: 12, day: 25 };
        let rules = Rules { julian: true, ..Rules::default() };
        assert_eq!(
            occurrences(xmas, &win(d(2024, 12, 15), 30), rules, &mut SpecialCache::default()),
            vec![d(2025, 1, 7)]
        );
    }

    #[test]
    fn specials_with_offsets() {
        let good_friday = When::Special { special: Special::Easter, offset: -2 };
        assert_eq!(
            occurrences(
                good_friday,
                &win(d(2026, 1, 1), 365),
                Rules::default(),
                &mut SpecialCache::default()
            ),
            vec![d(2026, 4, 3)]
        );
    }
}
