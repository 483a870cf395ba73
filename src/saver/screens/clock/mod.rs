//! `clock`: a big digital clock with the date, or a binary (BCD) clock; a countdown and a
//! stopwatch (`timer.rs`), several cities side by side (`zones.rs`), digits that fill the
//! window (`--fill`) and the weekday in big letters.
//!
//! It draws only when the second changes: `frame_interval` is the time to the next full second
//! of the wall clock the engine passed in, and a frame equal to the previous one writes nothing,
//! so a running clock costs one small diff per second (the seconds digit) and almost no CPU.
//! Against burn-in the whole clock drifts by one cell every minute along a small bouncing path
//! around the centre (`--no-drift` keeps it still).

use std::time::Duration;

use chrono::{NaiveDateTime, Timelike};
use clap::Parser;
use rand::rngs::StdRng;

mod timer;
pub(crate) mod zones;

use crate::saver::kit::paint::bounce;
use crate::saver::kit::{bigfont, font};
use crate::saver::kit::screen::KeyAction;
use self::timer::Timer;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Attrs, Color, Style};
use crate::saver::kit::values::{self, ValueError};
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver clock                  HH:MM:SS and the date, drifting slowly against burn-in
  fun saver clock -t               12-hour clock with AM/PM
  fun saver clock -n -z 2          no seconds, twice as big
  fun saver clock -b               binary (BCD) clock
  fun saver clock -f '%Y-%m-%d'    ISO date
  fun saver clock --theme amber    amber digits
  fun saver clock --fill --weekday digits as big as the window, the weekday above
  fun saver clock --countdown 25m  a countdown: at zero a bell and a flash, then it counts up
  fun saver clock --stopwatch      space pauses, r resets, any other key exits
  fun saver clock --tz Europe/Paris --tz Asia/Tokyo --tz America/New_York   three cities";

/// A big digital clock with the date; binary mode; slow drift against burn-in.
#[derive(Debug, Parser)]
#[command(name = "fun saver clock", after_help = EXAMPLES)]
pub(crate) struct ClockArgs {
    /// 12-hour clock with AM/PM.
    #[arg(short = 't', long = "twelve", visible_alias = "ampm", short_alias = 'm')]
    pub(crate) twelve: bool,

    /// Hide the seconds.
    #[arg(short = 'n', long)]
    pub(crate) no_seconds: bool,

    /// Binary clock: one column of bits per digit (BCD).
    #[arg(short, long)]
    pub(crate) binary: bool,

    /// Hide the date.
    #[arg(short = 'D', long)]
    pub(crate) no_date: bool,

    /// Date format (strftime, as in `date +FORMAT`; up to 100 characters).
    #[arg(short, long, default_value = "%A, %-d %B %Y", value_name = "FORMAT",
          value_parser = date_format)]
    pub(crate) format: String,

    /// Digit size (1-4); 0 picks the largest that fits.
    #[arg(short = 'z', long, default_value_t = 1, value_name = "N",
          value_parser = values::within(0u16, 4))]
    pub(crate) scale: u16,

    /// Keep the clock still (no drift against burn-in).
    #[arg(long)]
    pub(crate) no_drift: bool,

    /// Digits as big as the window: each pixel stretched to fill it (any size).
    #[arg(long, conflicts_with = "binary")]
    pub(crate) fill: bool,

    /// The weekday in big letters above the time.
    #[arg(long, conflicts_with_all = ["binary", "tz"])]
    pub(crate) weekday: bool,

    /// Count down from DURATION, 1s-99h (e.g. 25m, 1h30m): at zero the bell rings and the
    /// screen flashes, then it counts up in the accent colour.
    #[arg(long, value_name = "DURATION", conflicts_with_all = ["binary", "tz", "stopwatch"],
          value_parser = values::duration(Duration::from_secs(1), Duration::from_secs(99 * 3600)))]
    pub(crate) countdown: Option<Duration>,

    /// A stopwatch in tenths: space pauses and goes on, r resets, any other key exits.
    #[arg(long, conflicts_with_all = ["binary", "tz"])]
    pub(crate) stopwatch: bool,

    /// Show the time in ZONE, an IANA name such as Europe/Paris (repeatable, up to 8 cities
    /// side by side).
    #[arg(long, value_name = "ZONE", value_parser = zones::parse, conflicts_with = "binary")]
    pub(crate) tz: Vec<jiff::tz::TimeZone>,
}

/// The clock screen.
pub(crate) struct Clock {
    args: ClockArgs,
    size: Size,
    now: Option<NaiveDateTime>,
    elapsed: Duration,
    timer: Option<Timer>,
}

/// A date format of at most 100 characters that chrono can use (chrono reports a bad format
/// only while formatting, so it is tried once here).
fn date_format(text: &str) -> Result<String, ValueError> {
    let format = values::text_up_to(100)(text)?;
    let mut probe = String::new();
    let sample = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0));
    if let Some(sample) = sample
        && std::fmt::Write::write_fmt(&mut probe, format_args!("{}", sample.format(&format)))
            .is_err()
    {
        return Err(ValueError::format("a strftime date format such as %Y-%m-%d", &format));
    }
    Ok(format)
}

/// Builds the screen from its options.
///
/// # Errors
/// More than [`zones::MAX_ZONES`] zones (a usage error).
pub(crate) fn build(args: ClockArgs) -> anyhow::Result<Clock> {
    if args.tz.len() > zones::MAX_ZONES {
        let message = format!("--tz: at most {} zones", zones::MAX_ZONES);
        return Err(values::usage_error(&message));
    }
    let timer = match (args.countdown, args.stopwatch) {
        (Some(total), _) => Some(Timer::countdown(total)),
        (None, true) => Some(Timer::stopwatch()),
        (None, false) => None,
    };
    Ok(Clock { args, size: Size { width: 0, height: 0 }, now: None, elapsed: Duration::ZERO, timer })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("clock", "big digital clock with the date (12/24 h, binary)", build)
}

impl Clock {
    fn time_text(&self, now: NaiveDateTime) -> (String, Option<&'static str>) {
        let (hour, suffix) = if self.args.twelve {
            let (pm, h) = now.hour12();
            (h, Some(if pm { "PM" } else { "AM" }))
        } else {
            (now.hour(), None)
        };
        let text = if self.args.no_seconds {
            format!("{hour:02}:{:02}", now.minute())
        } else {
            format!("{hour:02}:{:02}:{:02}", now.minute(), now.second())
        };
        (text, suffix)
    }

    /// The digit scale for this size (the requested one, or the largest that fits).
    fn scale(&self, size: Size) -> u16 {
        if self.args.scale > 0 {
            return self.args.scale;
        }
        largest_scale(size, self.sample(), 4)
    }

    /// The widest the time can be, for sizing: every digit an 8.
    fn sample(&self) -> &'static str {
        if self.args.no_seconds { "88:88" } else { "88:88:88" }
    }

    /// The date line under the clock: `--format` applied, control characters dropped.
    fn date_text(&self, now: NaiveDateTime) -> String {
        now.format(&self.args.format).to_string().chars().filter(|c| !c.is_control()).collect()
    }

    /// The pixel size (cells wide, cells high) for `sample` in this window with `extra_rows`
    /// of text under or over it: `--fill` stretches the pixels to fill the window, otherwise
    /// the digit scale decides.
    fn pixel(&self, sample: &str, extra_rows: u16) -> (u16, u16) {
        if !self.args.fill {
            let scale = self.scale(self.size);
            return (2 * scale, scale);
        }
        let room_w = self.size.width.saturating_sub(4);
        let room_h = self.size.height.saturating_sub(extra_rows + 2);
        let pw = (1..=room_w.max(1)).rev().find(|&p| font::width_px(sample, p) <= room_w).unwrap_or(1);
        (pw, (room_h / font::ROWS).max(1))
    }

    /// Size of the drawing (clock plus date) in cells.
    fn extent(&self, scale: u16) -> Size {
        let date_rows = if self.args.no_date { 0 } else { 2 };
        if self.args.binary {
            let digits = if self.args.no_seconds { 4 } else { 6 };
            // Two cells per bit, a space between digits, two more between the pairs, and
            // the 8-4-2-1 labels on the left.
            let width = 3 + digits * 3 + (digits / 2 - 1) * 2;
            return Size { width, height: 4 + date_rows };
        }
        let sample = self.sample();
        let suffix = if self.args.twelve { 3 } else { 0 };
        Size { width: font::width(sample, scale) + suffix, height: font::height(scale) + date_rows }
    }

    /// The top-left corner: centred, plus a slow drift of up to 4 columns and 2 rows.
    fn origin(&self, extent: Size) -> (u16, u16) {
        let slack_x = self.size.width.saturating_sub(extent.width);
        let slack_y = self.size.height.saturating_sub(extent.height);
        let (mut x, mut y) = (slack_x / 2, slack_y / 2);
        if !self.args.no_drift {
            let minutes = self.elapsed.as_secs() / 60;
            let range_x = slack_x.min(8);
            let range_y = slack_y.min(4);
            x = x - range_x / 2 + bounce(minutes, range_x);
            y = y - range_y / 2 + bounce(minutes / 3, range_y);
        }
        (x, y)
    }

    fn draw_binary(&self, buf: &mut Canvas<'_>, now: NaiveDateTime, x: u16, y: u16, theme: &Theme) {
        let (text, _) = self.time_text(now);
        let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
        let on = Style { fg: Color::Reset, bg: theme.primary, attrs: Attrs::NONE };
        let off = Style::fg(theme.dim);
        for (row, weight) in [8u32, 4, 2, 1].iter().enumerate() {
            let label = weight.to_string();
            buf.put_str(x, y + row as u16, &label, Style::fg(theme.dim));
        }
        let mut col = x + 3;
        for (i, digit) in digits.iter().enumerate() {
            if i > 0 && i % 2 == 0 {
                col += 2;
            }
            for (row, weight) in [8u32, 4, 2, 1].iter().enumerate() {
                let y = y + row as u16;
                if digit & weight != 0 {
                    buf.fill(col, y, 2, 1, ' ', on);
                } else {
                    buf.put_str(col, y, "··", off);
                }
            }
            col += 3;
        }
    }
}

impl Clock {
    /// The time with `--fill` or `--weekday`: the digits at the pixel size that fills the
    /// window, the weekday in big letters above, the date under.
    fn draw_big(&self, buf: &mut Canvas<'_>, now: NaiveDateTime, theme: &Theme) {
        let (text, _) = self.time_text(now);
        let weekday = self.args.weekday.then(|| now.format("%A").to_string().to_uppercase());
        let day_rows = if weekday.is_some() { font::ROWS + 1 } else { 0 };
        let date_rows = if self.args.no_date { 0 } else { 2 };
        let pixel = self.pixel(&eights(&text), day_rows + date_rows);
        let extent = Size {
            width: font::width_px(&text, pixel.0),
            height: font::ROWS * pixel.1 + day_rows + date_rows,
        };
        let (x, mut y) = self.origin(extent);
        if let Some(day) = weekday {
            draw_letters(buf, y, &day, theme);
            y += day_rows;
        }
        let lit = Style { fg: Color::Reset, bg: theme.primary, attrs: Attrs::NONE };
        font::draw_px(buf, (x, y), &text, pixel, lit);
        if !self.args.no_date {
            let date = self.date_text(now);
            let dx = buf.width().saturating_sub(crate::saver::kit::paint::text_width(&date)) / 2;
            buf.put_str(dx, y + font::ROWS * pixel.1 + 1, &date, Style::fg(theme.text));
        }
    }

    /// A countdown or stopwatch reading: big digits (in the accent colour once a countdown is
    /// over), inverted while it flashes, with its note underneath.
    fn draw_timer(&self, buf: &mut Canvas<'_>, reading: &timer::Reading, theme: &Theme) {
        let colour = if reading.over { theme.accent } else { theme.primary };
        let mut lit = Style { fg: Color::Reset, bg: colour, attrs: Attrs::NONE };
        if reading.flash {
            buf.fill(0, 0, buf.width(), buf.height(), ' ', lit);
            lit = Style::default();
        }
        let sample = eights(&reading.text);
        let pixel = if self.args.fill || self.args.scale == 0 {
            self.pixel_filling(&sample)
        } else {
            (2 * self.args.scale, self.args.scale)
        };
        let extent = Size { width: font::width_px(&reading.text, pixel.0), height: font::ROWS * pixel.1 + 2 };
        let (x, y) = self.origin(extent);
        font::draw_px(buf, (x, y), &reading.text, pixel, lit);
        if let Some(note) = reading.note {
            let nx = buf.width().saturating_sub(crate::saver::kit::paint::text_width(note)) / 2;
            let style = if reading.flash { Style::default() } else { Style::fg(theme.dim) };
            buf.put_str(nx, y + font::ROWS * pixel.1 + 1, note, style);
        }
    }

    /// `--fill` pixels, or with `-z 0` the largest whole scale that fits.
    fn pixel_filling(&self, sample: &str) -> (u16, u16) {
        if self.args.fill {
            return self.pixel(sample, 2);
        }
        let scale = largest_scale(self.size, sample, 8);
        (2 * scale, scale)
    }
}

/// `text` in the big letter font, centred on row `y`: two cells a pixel when it fits, else one.
fn draw_letters(buf: &mut Canvas<'_>, y: u16, text: &str, theme: &Theme) {
    let rows = bigfont::render(text);
    let columns = rows.first().map_or(0, Vec::len) as u16;
    let pw = if columns * 2 + 2 <= buf.width() { 2 } else { 1 };
    let lit = Style { fg: Color::Reset, bg: theme.accent, attrs: Attrs::NONE };
    if columns * pw > buf.width() {
        let x = buf.width().saturating_sub(crate::saver::kit::paint::text_width(text)) / 2;
        buf.put_str(x, y + 2, text, Style::fg(theme.accent).with_attrs(Attrs::BOLD));
        return;
    }
    let x0 = (buf.width() - columns * pw) / 2;
    for (r, row) in rows.iter().enumerate() {
        for (c, &on) in row.iter().enumerate() {
            if on {
                buf.fill(x0 + c as u16 * pw, y + r as u16, pw, 1, ' ', lit);
            }
        }
    }
}

fn fits(size: Size, width: u16, height: u16) -> bool {
    size.width >= width && size.height >= height
}

/// The largest digit scale up to `max` at which `sample` fits in `size` with a margin (1 at least).
fn largest_scale(size: Size, sample: &str, max: u16) -> u16 {
    (1..=max)
        .rev()
        .find(|&s| fits(size, font::width(sample, s) + 4, font::height(s) + 2))
        .unwrap_or(1)
}

/// `text` with every digit an 8: the widest reading of the same shape, for sizing.
fn eights(text: &str) -> String {
    text.replace(|c: char| c.is_ascii_digit(), "8")
}


impl Screen for Clock {
    fn min_size(&self) -> Size {
        let extent = self.extent(self.args.scale.max(1));
        Size { width: extent.width.max(10), height: extent.height.max(3) }
    }

    fn resize(&mut self, size: Size, _rng: &mut StdRng) {
        self.size = size;
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.now = Some(ctx.now);
        self.elapsed = ctx.elapsed;
        if let Some(timer) = &mut self.timer {
            timer.update(ctx.dt);
        }
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let Some(now) = self.now else { return };
        if let Some(timer) = &self.timer {
            self.draw_timer(buf, &timer.reading(), theme);
            return;
        }
        if !self.args.tz.is_empty() {
            zones::draw(buf, &self.args.tz, now, !self.args.no_seconds, theme);
            return;
        }
        if self.args.fill || self.args.weekday {
            self.draw_big(buf, now, theme);
            return;
        }
        let scale = self.scale(self.size);
        let extent = self.extent(scale);
        let (x, y) = self.origin(extent);
        let clock_rows = if self.args.binary {
            self.draw_binary(buf, now, x, y, theme);
            4
        } else {
            let (text, suffix) = self.time_text(now);
            let lit = Style { fg: Color::Reset, bg: theme.primary, attrs: Attrs::NONE };
            font::draw(buf, x, y, &text, scale, lit);
            if let Some(suffix) = suffix {
                let sx = x + font::width(&text, scale) + 1;
                buf.put_str(sx, y, suffix, Style::fg(theme.accent).with_attrs(Attrs::BOLD));
            }
            font::height(scale)
        };
        if !self.args.no_date {
            let date = self.date_text(now);
            let dx = x + extent.width.saturating_sub(crate::saver::kit::paint::text_width(&date)) / 2;
            buf.put_str(dx, y + clock_rows + 1, &date, Style::fg(theme.text));
        }
    }

    fn key(&mut self, key: u8) -> KeyAction {
        match &mut self.timer {
            Some(timer) => timer.key(key),
            None => KeyAction::Exit,
        }
    }

    fn take_bell(&mut self) -> bool {
        self.timer.as_mut().is_some_and(Timer::take_bell)
    }

    /// `--print` shows the time now.
    fn print_after(&self) -> Duration {
        Duration::ZERO
    }

    fn frame_interval(&self) -> Duration {
        if let Some(timer) = &self.timer {
            return timer.interval();
        }
        // Wake just after the next full second of the wall clock.
        let into = self.now.map_or(0, |n| n.nanosecond().min(999_999_999));
        Duration::from_nanos(u64::from(1_000_000_000 - into)) + Duration::from_millis(2)
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use rand::SeedableRng;

    fn clock(args: &[&str], w: u16, h: u16, at: &str, elapsed_s: u64) -> Buffer {
        let args: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
        let mut c = build(screen::parse_args::<ClockArgs>("clock", &args).unwrap()).unwrap();
        let mut rng = StdRng::seed_from_u64(0);
        let size = Size { width: w, height: h };
        c.resize(size, &mut rng);
        let now = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S").unwrap();
        let mut ctx = Ctx {
            rng: &mut rng,
            dt: Duration::ZERO,
            elapsed: Duration::from_secs(elapsed_s),
            now,
            depth: crate::saver::kit::color::Depth::TrueColor,
        };
        c.update(&mut ctx);
        let mut buf = Buffer::new(w, h);
        c.draw(&mut buf.canvas(), &Theme::default());
        buf
    }

    fn lit_cells(buf: &Buffer) -> usize {
        (0..buf.height())
            .flat_map(|y| buf.row(y))
            .filter(|c| c.style.bg != Color::Reset)
            .count()
    }

    #[test]
    fn shows_the_date_centred_under_the_digits() {
        let buf = clock(&[], 80, 24, "2026-11-22T12:34:56", 0);
        let text = buf.to_text();
        assert!(text.contains("Sunday, 22 November 2026"), "{text}");
        assert!(lit_cells(&buf) > 60);
    }

    #[test]
    fn twelve_hour_shows_pm() {
        let buf = clock(&["-t"], 80, 24, "2026-11-22T15:04:05", 0);
        assert!(buf.to_text().contains("PM"));
    }

    #[test]
    fn seconds_change_only_a_few_cells() {
        let a = clock(&[], 80, 24, "2026-11-22T12:34:56", 0);
        let b = clock(&[], 80, 24, "2026-11-22T12:34:57", 1);
        let mut changed = 0;
        for y in 0..24 {
            changed += a.row(y).zip(b.row(y)).filter(|(p, q)| p != q).count();
        }
        assert!(changed > 0 && changed <= 30, "{changed} cells changed");
    }

    #[test]
    fn drifts_after_a_minute() {
        let a = clock(&[], 80, 24, "2026-11-22T12:34:56", 0);
        let b = clock(&[], 80, 24, "2026-11-22T12:34:56", 60);
        assert_ne!(a, b);
        let c = clock(&["--no-drift"], 80, 24, "2026-11-22T12:34:56", 60);
        let d = clock(&["--no-drift"], 80, 24, "2026-11-22T12:34:56", 0);
        assert_eq!(c, d);
    }

    #[test]
    fn binary_mode_sets_bits() {
        // 12:34:56 -> digits 1 2 3 4 5 6; bits set: 1,1,2,2,2,1,2,1... = 1+1+2+1+2+2 = 9 bits.
        let buf = clock(&["-b", "-D"], 40, 10, "2026-11-22T12:34:56", 0);
        assert_eq!(lit_cells(&buf), 9 * 2);
        assert!(buf.to_text().contains("··"));
    }

    #[test]
    fn frame_interval_reaches_the_next_second() {
        let args: Vec<String> = vec![];
        let mut c = build(screen::parse_args::<ClockArgs>("clock", &args).unwrap()).unwrap();
        c.now =
            NaiveDateTime::parse_from_str("2026-11-22T12:00:00.250", "%Y-%m-%dT%H:%M:%S%.3f").ok();
        assert_eq!(c.frame_interval(), Duration::from_millis(752));
    }

    #[test]
    fn auto_scale_grows_with_the_terminal() {
        let args: Vec<String> = vec!["-z".into(), "0".into()];
        let c = build(screen::parse_args::<ClockArgs>("clock", &args).unwrap()).unwrap();
        assert_eq!(c.scale(Size { width: 60, height: 12 }), 1);
        assert_eq!(c.scale(Size { width: 120, height: 40 }), 2);
    }

    #[test]
    fn bounce_is_a_triangle() {
        let v: Vec<u16> = (0..9).map(|s| bounce(s, 3)).collect();
        assert_eq!(v, [0, 1, 2, 3, 2, 1, 0, 1, 2]);
    }
}
