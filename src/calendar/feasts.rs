//! Movable feasts computed from the year: Western Easter, Orthodox Easter (Paskha) and the first
//! day of Passover (Pesach, 15 Nisan).
//!
//! The results match Debian's calendar, which is what the date lines `Easter`, `Paskha` and
//! `Pesach` are compared against: in particular Paskha is the Julian computus shifted by a fixed
//! 13 days, exactly as the reference does (right for 1900-2099).

use chrono::NaiveDate;

/// Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm.
#[must_use]
pub(crate) fn easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// Orthodox Easter (Paskha): the Julian computus, moved to the Gregorian calendar by adding 13
/// days like the reference calendar does.
#[must_use]
pub(crate) fn paskha(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(4);
    let b = year.rem_euclid(7);
    let c = year.rem_euclid(19);
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    let julian =
        NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)?;
    julian.checked_add_days(chrono::Days::new(13))
}

/// The first day of Passover (15 Nisan), by Gauss's Passover formula, in the Gregorian calendar.
#[must_use]
pub(crate) fn pesach(year: i32) -> Option<NaiveDate> {
    let a = (12 * year + 12).rem_euclid(19);
    let b = year.rem_euclid(4);
    let q = 20.095_587_7 + 1.554_241_8 * f64::from(a) + 0.25 * f64::from(b)
        - 0.003_177_794 * f64::from(year);
    let mut day = q.floor() as i64;
    let frac = q - q.floor();
    let c = (day + 3 * i64::from(year) + 5 * i64::from(b) + 1).rem_euclid(7);
    if c == 2 || c == 4 || c == 6 {
        day += 1;
    } else if c == 1 && a > 6 && frac >= 0.632_870_37 {
        day += 2;
    } else if c == 0 && a > 11 && frac >= 0.897_723_76 {
        day += 1;
    }
    // `day` is a day of March in the Julian calendar; convert to Gregorian.
    let century = i64::from(year.div_euclid(100));
    let julian_lag = century - century.div_euclid(4) - 2;
    let march_first = NaiveDate::from_ymd_opt(year, 3, 1)?;
    let offset = day - 1 + julian_lag;
    march_first.checked_add_signed(chrono::TimeDelta::try_days(offset)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn western_easter_known_dates() {
        assert_eq!(easter(2024), d(2024, 3, 31));
        assert_eq!(easter(2025), d(2025, 4, 20));
        assert_eq!(easter(2026), d(2026, 4, 5));
        assert_eq!(easter(2027), d(2027, 3, 28));
        assert_eq!(easter(2038), d(2038, 4, 25));
        assert_eq!(easter(1961), d(1961, 4, 2));
    }

    #[test]
    fn orthodox_easter_known_dates() {
        assert_eq!(paskha(2024), d(2024, 5, 5));
        assert_eq!(paskha(2025), d(2025, 4, 20));
        assert_eq!(paskha(2026), d(2026, 4, 12));
        assert_eq!(paskha(2027), d(2027, 5, 2));
        assert_eq!(paskha(2038), d(2038, 4, 25));
    }

    #[test]
    fn passover_known_dates() {
        assert_eq!(pesach(2024), d(2024, 4, 23));
        assert_eq!(pesach(2025), d(2025, 4, 13));
        assert_eq!(pesach(2026), d(2026, 4, 2));
        assert_eq!(pesach(2027), d(2027, 4, 22));
        assert_eq!(pesach(2038), d(2038, 4, 20));
    }
}
