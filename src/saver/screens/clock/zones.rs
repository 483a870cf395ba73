//! Several cities side by side (`--tz Europe/Paris --tz Asia/Tokyo`): the IANA time zones of
//! tz database bundled in the binary (jiff's copy, read on first use), each clock in a tile of its own with the city's name and its date, the tiles laid
//! out in the grid that gives the biggest digits.

use chrono::{NaiveDateTime, TimeZone, Timelike};
use jiff::tz::TimeZone as Tz;

use crate::saver::kit::font;
use crate::saver::kit::paint::text_width;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Attrs, Color, Style};
use crate::saver::kit::values::ValueError;
use crate::saver::kit::screen::Theme;

/// Most zones shown at once.
pub(crate) const MAX_ZONES: usize = 8;

/// A value parser for an IANA zone name (`Europe/Paris`, `UTC`).
///
/// # Errors
/// Not a zone of the bundled database (the nearest name is suggested).
pub(crate) fn parse(text: &str) -> Result<Tz, ValueError> {
    jiff::tz::db().get(text).map_err(|_| {
        let names = names();
        let near = crate::suggest::nearest(text, names.iter().map(String::as_str));
        ValueError::Unknown {
            what: "time zone",
            text: text.to_owned(),
            choices: near.map_or_else(|| "an IANA name such as Europe/Paris".to_owned(), |n| format!("for example {n}")),
        }
    })
}

/// Every zone name of the bundled database (`Europe/Paris`), for suggestions and completion.
#[must_use]
pub(crate) fn names() -> Vec<String> {
    jiff::tz::db().available().map(|name| name.as_str().to_owned()).collect()
}

/// A zone's IANA name (`Europe/Paris`).
#[must_use]
pub(crate) fn name(tz: &Tz) -> &str {
    tz.iana_name().unwrap_or("UTC")
}

/// The city of a zone: the last part of its name, with spaces (`America/New_York`: New York).
#[must_use]
pub(crate) fn label(tz: &Tz) -> String {
    let name = name(tz);
    name.rsplit('/').next().unwrap_or(name).replace('_', " ")
}

/// The local wall-clock time `local` as it is in `tz`.
#[must_use]
pub(crate) fn in_zone(local: NaiveDateTime, tz: &Tz) -> NaiveDateTime {
    let utc = match chrono::Local.from_local_datetime(&local).earliest() {
        Some(at) => at.naive_utc(),
        // A local time that does not exist (the hour skipped in spring): read it as UTC.
        None => local,
    };
    let offset = jiff::Timestamp::from_second(utc.and_utc().timestamp())
        .map_or(0, |at| tz.to_offset(at).seconds());
    utc + chrono::TimeDelta::seconds(i64::from(offset))
}

/// Draws one tile per zone into `buf`.
pub(crate) fn draw(buf: &mut Canvas<'_>, zones: &[Tz], now: NaiveDateTime, seconds: bool, theme: &Theme) {
    if zones.is_empty() {
        return;
    }
    let sample = if seconds { "88:88:88" } else { "88:88" };
    let (cols, scale) = best_grid(buf.width(), buf.height(), zones.len(), sample);
    let rows = zones.len().div_ceil(cols) as u16;
    let (tile_w, tile_h) = (buf.width() / cols as u16, buf.height() / rows.max(1));
    let lit = Style { fg: Color::Reset, bg: theme.primary, attrs: Attrs::NONE };
    for (i, tz) in zones.iter().enumerate() {
        let (col, row) = ((i % cols) as u16, (i / cols) as u16);
        let at = in_zone(now, tz);
        let text = if seconds {
            format!("{:02}:{:02}:{:02}", at.hour(), at.minute(), at.second())
        } else {
            format!("{:02}:{:02}", at.hour(), at.minute())
        };
        let (w, h) = (font::width(&text, scale), font::height(scale) + 3);
        let x = col * tile_w + tile_w.saturating_sub(w) / 2;
        let y = row * tile_h + tile_h.saturating_sub(h) / 2;
        font::draw(buf, x, y, &text, scale, lit);
        let city = label(tz);
        let date = at.format("%a %-d %b").to_string();
        let centre = |t: &str| col * tile_w + tile_w.saturating_sub(text_width(t)) / 2;
        let name_style = Style::fg(theme.accent).with_attrs(Attrs::BOLD);
        buf.put_str(centre(&city), y + font::height(scale) + 1, &city, name_style);
        buf.put_str(centre(&date), y + font::height(scale) + 2, &date, Style::fg(theme.text));
    }
}

/// The number of columns and the digit scale that give the biggest digits for `n` tiles.
fn best_grid(width: u16, height: u16, n: usize, sample: &str) -> (usize, u16) {
    // The biggest digits win; between equals, more columns (side by side).
    let mut best: Option<(usize, u16)> = None;
    for cols in 1..=n {
        let rows = n.div_ceil(cols) as u16;
        let (tile_w, tile_h) = (width / cols as u16, height / rows);
        let fits = |s: u16| font::width(sample, s) + 2 <= tile_w && font::height(s) + 3 <= tile_h;
        if let Some(scale) = (1..=8).rev().find(|&s| fits(s))
            && best.is_none_or(|(c, s)| scale > s || (scale == s && cols > c))
        {
            best = Some((cols, scale));
        }
    }
    best.unwrap_or((1, 1))
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;

    fn zone(text: &str) -> Tz {
        parse(text).expect("zone")
    }

    #[test]
    fn every_zone_of_the_database_is_there() {
        let names = names();
        assert!(names.len() > 500, "{}", names.len());
        assert!(names.iter().all(|n| parse(n).is_ok()));
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").expect("time")
    }

    #[test]
    fn zones_parse_and_suggest() {
        assert_eq!(parse("Europe/Paris").map(|t| name(&t).to_owned()), Ok("Europe/Paris".to_owned()));
        let err = parse("Europe/Pari").expect_err("unknown");
        assert!(err.to_string().contains("Europe/Paris"), "{err}");
        assert!(parse("").is_err());
    }

    #[test]
    fn labels_are_city_names() {
        assert_eq!(label(&zone("America/New_York")), "New York");
        assert_eq!(label(&zone("UTC")), "UTC");
    }

    #[test]
    fn times_move_by_the_zone_offset() {
        let utc = chrono::Utc.from_utc_datetime(&at("2026-01-15T12:00:00"));
        let local = utc.with_timezone(&chrono::Local).naive_local();
        assert_eq!(in_zone(local, &zone("Asia/Tokyo")).hour(), 21);
        assert_eq!(in_zone(local, &zone("America/New_York")).hour(), 7);
        // Summer time: New York is 4 hours behind UTC in July.
        let utc = chrono::Utc.from_utc_datetime(&at("2026-07-15T12:00:00"));
        let local = utc.with_timezone(&chrono::Local).naive_local();
        assert_eq!(in_zone(local, &zone("America/New_York")).hour(), 8);
    }

    #[test]
    fn tiles_side_by_side_when_they_fit() {
        assert_eq!(best_grid(120, 20, 3, "88:88").0, 3);
        assert_eq!(best_grid(40, 40, 3, "88:88").0, 1);
        let mut buf = Buffer::new(120, 20);
        let zones = [zone("Europe/Paris"), zone("Asia/Tokyo"), zone("America/New_York")];
        draw(&mut buf.canvas(), &zones, at("2026-01-15T12:00:00"), false, &Theme::default());
        let text = buf.to_text();
        let names = text.lines().find(|l| l.contains("Paris")).expect("names");
        assert!(names.contains("Tokyo") && names.contains("New York"), "{text}");
    }
}
