//! Astronomical dates for the FreeBSD-style specials: new and full moons, equinoxes and
//! solstices, and Chinese New Year.
//!
//! Moon phases and equinoxes use the series from Meeus, *Astronomical Algorithms* (ch. 27 and
//! 49), good to about a minute for 1900-2100; the day is taken in the caller's UTC offset.
//! Chinese New Year follows the modern rule in China Standard Time (UTC+8): month 11 holds the
//! December solstice, and the new year starts two new moons later, or three when a leap month
//! (a month without a principal solar term) falls between month 11 and the new year.

use chrono::{Datelike, NaiveDate};

/// Mean length of a lunation in days.
const SYNODIC_MONTH: f64 = 29.530_588_861;
/// Julian Day of 1970-01-01 00:00 UTC.
const UNIX_EPOCH_JD: f64 = 2_440_587.5;

fn sin_deg(x: f64) -> f64 {
    x.to_radians().sin()
}

fn cos_deg(x: f64) -> f64 {
    x.to_radians().cos()
}

/// Approximate TT - UT in days (good enough at the minute level for 1900-2100).
fn delta_t_days(year: f64) -> f64 {
    let t = year - 2000.0;
    let seconds = if year < 1950.0 {
        29.07 + 0.407 * (year - 1950.0) - (year - 1950.0).powi(2) / 233.0
    } else if year < 2005.0 {
        63.86 + 0.3345 * t - 0.060_374 * t * t
    } else {
        62.92 + 0.32217 * t + 0.005_589 * t * t
    };
    seconds.clamp(-20.0, 400.0) / 86_400.0
}

/// The civil date of a Julian Day (UT) at a UTC offset in seconds.
fn jd_to_date(jd_ut: f64, utc_offset_secs: i32) -> Option<NaiveDate> {
    let days = jd_ut - UNIX_EPOCH_JD + f64::from(utc_offset_secs) / 86_400.0;
    let day_number = days.floor();
    if !day_number.is_finite() || day_number.abs() > 1e7 {
        return None;
    }
    NaiveDate::from_ymd_opt(1970, 1, 1)?
        .checked_add_signed(chrono::TimeDelta::try_days(day_number as i64)?)
}

fn date_to_jd(date: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    UNIX_EPOCH_JD + (date - epoch).num_days() as f64
}

/// Which lunar phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    New,
    Full,
}

/// Julian Ephemeris Day of the phase for lunation number `k` (k = 0 is the new moon of
/// 2000-01-06), Meeus ch. 49 without the tiny planetary terms.
fn phase_jde(k: f64, phase: Phase) -> f64 {
    let k = match phase {
        Phase::New => k,
        Phase::Full => k + 0.5,
    };
    let t = k / 1236.85;
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let mut jde = 2_451_550.097_66 + SYNODIC_MONTH * k + 0.000_154_37 * t2 - 0.000_000_150 * t3
        + 0.000_000_000_73 * t4;
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let m = 2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3;
    let mp =
        201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4;
    let f =
        160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4;
    let om = 124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3;
    let (c1, c2, c3, c4, c5, c6, c7) = match phase {
        Phase::New => (-0.40720, 0.17241, 0.01608, 0.01039, 0.00739, -0.00514, 0.00208),
        Phase::Full => (-0.40614, 0.17302, 0.01614, 0.01043, 0.00734, -0.00515, 0.00209),
    };
    jde += c1 * sin_deg(mp)
        + c2 * e * sin_deg(m)
        + c3 * sin_deg(2.0 * mp)
        + c4 * sin_deg(2.0 * f)
        + c5 * e * sin_deg(mp - m)
        + c6 * e * sin_deg(mp + m)
        + c7 * e * e * sin_deg(2.0 * m)
        - 0.00111 * sin_deg(mp - 2.0 * f)
        - 0.00057 * sin_deg(mp + 2.0 * f)
        + 0.00056 * e * sin_deg(2.0 * mp + m)
        - 0.00042 * sin_deg(3.0 * mp)
        + 0.00042 * e * sin_deg(m + 2.0 * f)
        + 0.00038 * e * sin_deg(m - 2.0 * f)
        - 0.00024 * e * sin_deg(2.0 * mp - m)
        - 0.00017 * sin_deg(om)
        - 0.00007 * sin_deg(mp + 2.0 * m)
        + 0.00004 * sin_deg(2.0 * mp - 2.0 * f)
        + 0.00004 * sin_deg(3.0 * m)
        + 0.00003 * sin_deg(mp + m - 2.0 * f)
        + 0.00003 * sin_deg(2.0 * mp + 2.0 * f)
        - 0.00003 * sin_deg(mp + m + 2.0 * f)
        + 0.00003 * sin_deg(mp - m + 2.0 * f)
        - 0.00002 * sin_deg(mp - m - 2.0 * f)
        - 0.00002 * sin_deg(3.0 * mp + m)
        + 0.00002 * sin_deg(4.0 * mp);
    jde
}

fn phase_jd_ut(k: f64, phase: Phase) -> f64 {
    let jde = phase_jde(k, phase);
    jde - delta_t_days(2000.0 + (jde - 2_451_545.0) / 365.25)
}

/// Every date in `year` (at the UTC offset) on which the phase occurs.
#[must_use]
pub(crate) fn moon_phases(year: i32, phase: Phase, utc_offset_secs: i32) -> Vec<NaiveDate> {
    let k0 = ((f64::from(year) - 2000.0) * 12.3685).floor() - 2.0;
    (0..16)
        .filter_map(|i| jd_to_date(phase_jd_ut(k0 + f64::from(i), phase), utc_offset_secs))
        .filter(|d| d.year() == year)
        .collect()
}

/// Which equinox or solstice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Season {
    MarEquinox,
    JunSolstice,
    SepEquinox,
    DecSolstice,
}

/// Periodic terms (A, B, C) of Meeus table 27.C.
const SEASON_TERMS: [(f64, f64, f64); 24] = [
    (485.0, 324.96, 1934.136),
    (203.0, 337.23, 32964.467),
    (199.0, 342.08, 20.186),
    (182.0, 27.85, 445_267.112),
    (156.0, 73.14, 45036.886),
    (136.0, 171.52, 22518.443),
    (77.0, 222.54, 65928.934),
    (74.0, 296.72, 3034.906),
    (70.0, 243.58, 9037.513),
    (58.0, 119.81, 33718.147),
    (52.0, 297.17, 150.678),
    (50.0, 21.02, 2281.226),
    (45.0, 247.54, 29929.562),
    (44.0, 325.15, 31555.956),
    (29.0, 60.93, 4443.417),
    (18.0, 155.12, 67555.328),
    (17.0, 288.79, 4562.452),
    (16.0, 198.04, 62894.029),
    (14.0, 199.76, 31436.921),
    (12.0, 95.39, 14577.848),
    (12.0, 287.11, 31931.756),
    (12.0, 320.81, 34777.259),
    (9.0, 227.73, 1222.114),
    (8.0, 15.45, 16859.074),
];

/// Julian Day (UT) of the equinox or solstice of `year` (Meeus ch. 27).
fn season_jd_ut(year: i32, season: Season) -> f64 {
    let y = (f64::from(year) - 2000.0) / 1000.0;
    let (y2, y3, y4) = (y * y, y * y * y, y * y * y * y);
    let jde0 = match season {
        Season::MarEquinox => {
            2_451_623.809_84 + 365_242.374_04 * y + 0.051_69 * y2 - 0.004_11 * y3 - 0.000_57 * y4
        }
        Season::JunSolstice => {
            2_451_716.567_67 + 365_241.626_03 * y + 0.003_25 * y2 + 0.008_88 * y3 - 0.000_30 * y4
        }
        Season::SepEquinox => {
            2_451_810.217_15 + 365_242.017_67 * y - 0.115_75 * y2 + 0.003_37 * y3 + 0.000_78 * y4
        }
        Season::DecSolstice => {
            2_451_900.059_52 + 365_242.740_49 * y - 0.062_23 * y2 - 0.008_23 * y3 + 0.000_32 * y4
        }
    };
    let t = (jde0 - 2_451_545.0) / 36525.0;
    let w = 35999.373 * t - 2.47;
    let dl = 1.0 + 0.0334 * cos_deg(w) + 0.0007 * cos_deg(2.0 * w);
    let s: f64 = SEASON_TERMS.iter().map(|&(a, b, c)| a * cos_deg(b + c * t)).sum();
    let jde = jde0 + 0.00001 * s / dl;
    jde - delta_t_days(f64::from(year))
}

/// The date of the equinox or solstice of `year` at the UTC offset.
#[must_use]
pub(crate) fn season(year: i32, season: Season, utc_offset_secs: i32) -> Option<NaiveDate> {
    jd_to_date(season_jd_ut(year, season), utc_offset_secs)
}

/// China Standard Time, in which the Chinese calendar is reckoned.
const CHINA_OFFSET: i32 = 8 * 3600;

/// The Sun's apparent longitude in degrees at a Julian Day (Meeus ch. 25, low precision).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36525.0;
    let l0 = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t;
    let m = 357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t;
    let c = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * sin_deg(m)
        + (0.019_993 - 0.000_101 * t) * sin_deg(2.0 * m)
        + 0.000_289 * sin_deg(3.0 * m);
    let omega = 125.04 - 1934.136 * t;
    (l0 + c - 0.005_69 - 0.004_78 * sin_deg(omega)).rem_euclid(360.0)
}

/// Whether a principal solar term (a longitude that is a multiple of 30 degrees) falls on a
/// China-time day in `[start, end)`.
fn has_principal_term(start: NaiveDate, end: NaiveDate) -> bool {
    // Longitudes at China-time midnights bracketing the month.
    let at = |d: NaiveDate| sun_longitude(date_to_jd(d) - f64::from(CHINA_OFFSET) / 86_400.0);
    let (l_start, l_end) = (at(start), at(end));
    let span = (l_end - l_start).rem_euclid(360.0);
    let to_next = (30.0 - l_start.rem_euclid(30.0)).rem_euclid(30.0);
    to_next < span || l_start.rem_euclid(30.0) == 0.0
}

/// New-moon days (China time) from the one on or before `date`, for `count` lunations.
fn new_moons_from(date: NaiveDate, count: usize) -> Vec<NaiveDate> {
    let jd = date_to_jd(date);
    let mut k = ((jd - 2_451_550.1) / SYNODIC_MONTH).floor() + 1.0;
    // Step back until the new moon falls on or before `date`.
    let day_of = |k: f64| jd_to_date(phase_jd_ut(k, Phase::New), CHINA_OFFSET);
    while day_of(k).is_some_and(|d| d > date) {
        k -= 1.0;
    }
    (0..count).filter_map(|i| day_of(k + i as f64)).collect()
}

/// Chinese New Year's day (China time) in the Gregorian `year`.
#[must_use]
pub(crate) fn chinese_new_year(year: i32) -> Option<NaiveDate> {
    let solstice_before = season(year - 1, Season::DecSolstice, CHINA_OFFSET)?;
    let solstice_after = season(year, Season::DecSolstice, CHINA_OFFSET)?;
    let moons = new_moons_from(solstice_before, 15);
    let month11 = *moons.first()?;
    let next_month11 = new_moons_from(solstice_after, 1).into_iter().next()?;
    let lunations = ((next_month11 - month11).num_days() as f64 / SYNODIC_MONTH).round() as i64;
    let mut new_year = 2;
    if lunations == 13 {
        // A leap year of the sui: if month 11 or 12 lacks a principal term it is the leap
        // month, and the new year comes one lunation later.
        let leap_early = (1..=2).any(|i| !has_principal_term(moons[i], moons[i + 1]));
        if leap_early {
            new_year = 3;
        }
    }
    moons.get(new_year).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn equinoxes_and_solstices_in_utc() {
        // Published UTC dates.
        assert_eq!(season(2024, Season::MarEquinox, 0), Some(d(2024, 3, 20)));
        assert_eq!(season(2024, Season::JunSolstice, 0), Some(d(2024, 6, 20)));
        assert_eq!(season(2024, Season::SepEquinox, 0), Some(d(2024, 9, 22)));
        assert_eq!(season(2024, Season::DecSolstice, 0), Some(d(2024, 12, 21)));
        assert_eq!(season(2026, Season::JunSolstice, 0), Some(d(2026, 6, 21)));
        assert_eq!(season(2026, Season::SepEquinox, 0), Some(d(2026, 9, 23)));
        assert_eq!(season(1900, Season::MarEquinox, 0), Some(d(1900, 3, 21)));
        assert_eq!(season(2100, Season::DecSolstice, 0), Some(d(2100, 12, 21)));
    }

    #[test]
    fn full_and_new_moons_in_utc() {
        let full_2024 = moon_phases(2024, Phase::Full, 0);
        assert!(full_2024.contains(&d(2024, 1, 25)), "{full_2024:?}");
        assert!(full_2024.contains(&d(2024, 4, 23)));
        assert!(full_2024.contains(&d(2024, 12, 15)));
        assert_eq!(full_2024.len(), 12);
        let new_2024 = moon_phases(2024, Phase::New, 0);
        assert!(new_2024.contains(&d(2024, 4, 8)), "{new_2024:?}"); // total solar eclipse
        assert!(new_2024.contains(&d(2024, 10, 2)));
        let new_2026 = moon_phases(2026, Phase::New, 0);
        assert!(new_2026.contains(&d(2026, 2, 17)), "{new_2026:?}"); // annular eclipse
        assert!(new_2026.contains(&d(2026, 8, 12))); // total solar eclipse
        assert!(moon_phases(1999, Phase::New, 0).contains(&d(1999, 8, 11)));
    }

    #[test]
    fn chinese_new_year_published_dates() {
        let published = [
            (1900, 1, 31),
            (1912, 2, 18),
            (1949, 1, 29),
            (1985, 2, 20),
            (1990, 1, 27),
            (2000, 2, 5),
            (2008, 2, 7),
            (2019, 2, 5),
            (2020, 1, 25),
            (2021, 2, 12),
            (2022, 2, 1),
            (2023, 1, 22),
            (2024, 2, 10),
            (2025, 1, 29),
            (2026, 2, 17),
            (2027, 2, 6),
            (2033, 1, 31),
            (2034, 2, 19),
            (2050, 1, 23),
            (2100, 2, 9),
        ];
        for (y, m, day) in published {
            assert_eq!(chinese_new_year(y), Some(d(y, m, day)), "Chinese New Year {y}");
        }
    }
}
