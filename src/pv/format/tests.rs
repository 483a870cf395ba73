//! The line against lines captured from pv 1.10.5 (built from its source here), and the
//! bounds of rendering.

use proptest::prelude::*;

use super::*;
use crate::pv::options::MAX_COLUMNS;

fn style() -> Style {
    Style { utf8: true, ..Style::default() }
}

/// A final snapshot of `amount` bytes of `size`, as pv computes its percentage.
fn snap(amount: u64, size: Option<u64>) -> Snapshot {
    let percentage = size.map_or(2.0, |s| amount as f64 * 100.0 / s as f64);
    Snapshot { amount, size, percentage, ..Snapshot::default() }
}

fn layout(format: &str) -> Vec<Token> {
    parse_format(format).expect("format")
}

fn default_layout() -> Vec<Token> {
    switches_layout(&Switches {
        bytes: true,
        timer: true,
        rate: true,
        progress: true,
        eta: true,
        ..Switches::default()
    })
}

#[test]
fn bars_match_pv_1_10() {
    // `head -c N /dev/zero | pv -f -p -s 100 -w 40 -i 600`.
    let cases = [
        (0, "[>                                ]   0%"),
        (20, "[=====>                           ]  20%"),
        (50, "[===============>                 ]  50%"),
        (99, "[===============================> ]  99%"),
        (100, "[================================>] 100%"),
        (150, "[=================================] 150%"),
    ];
    for (n, expected) in cases {
        assert_eq!(render(&layout("%p"), &snap(n, Some(100)), &style(), 40).text, expected, "{n}");
    }
    // Unknown size, first update: the indicator has moved 2% (`pv -f -pe -w 60`: no size,
    // so no ETA segment at all).
    let mut s = snap(50, None);
    s.last = true;
    let line = render(
        &switches_layout(&Switches { progress: true, ..Switches::default() }),
        &s,
        &style(),
        60,
    );
    assert_eq!(line.text, format!("[ <=>{}]", " ".repeat(54)));
}

#[test]
fn bar_pieces_match_pv_1_10() {
    let s = snap(50, Some(200));
    assert_eq!(
        render(&layout("%{progress-amount-only}|%{progress-bar-only}|"), &s, &style(), 30).text,
        " 25%|=====>                  |"
    );
    assert_eq!(render(&layout("[%20p]"), &s, &style(), 30).text, "[[==>          ]  25%]");
    let third = snap(50, Some(150));
    let three = layout("%{bar-block}|%{bar-shaded}|%{bar-granular}");
    assert_eq!(render(&three, &third, &style(), 30).text, "███      |███░░░░░░|███      ");
    let unknown = snap(50, None);
    assert_eq!(render(&three, &unknown, &style(), 30).text, "◀▶       |▒▓▒░░░░░░|◀▶       ");
    let ascii = Style { utf8: false, ..style() };
    assert_eq!(render(&layout("%{bar-block}"), &third, &ascii, 10).text, "==>       ");
}

#[test]
fn the_default_line_keeps_its_length() {
    let mut s = snap(20 << 20, Some(100 << 20));
    s.elapsed = 1.2;
    s.rate = 20.0 * 1_048_576.0;
    s.eta_rate = s.rate;
    let line = render(&default_layout(), &s, &style(), 80);
    assert_eq!(
        line.text,
        "20.0MiB 0:00:01 [20.0MiB/s] [=====>                           ]  20% ETA 0:00:04"
    );
    let mut done = snap(100 << 20, Some(100 << 20));
    done.elapsed = 4.93;
    done.rate = 21_286_092.8;
    done.last = true;
    let last = render(&default_layout(), &done, &style(), 80);
    assert_eq!(
        last.text,
        " 100MiB 0:00:04 [20.3MiB/s] [================================>] 100%            "
    );
    assert_eq!(line.width, 80);
    assert_eq!(last.width, 80);
    // pv 1.10 drops nothing for want of room: only the bar shrinks, then goes.
    let narrow = render(&default_layout(), &s, &style(), 20);
    assert_eq!(narrow.text, "20.0MiB 0:00:01 [20.0MiB/s]  ETA 0:00:04");
}

#[test]
fn magnitude_boundaries_keep_the_width() {
    // pv's "Display length at magnitude boundary" tests: 999 KiB to 1000 KiB to 1.46 MiB,
    // and rates from KiB/s down to bytes.
    let bytes = layout("%b %t");
    let widths: Vec<usize> = [999 * 1024, 1000 * 1024, 1_500_000, 3]
        .iter()
        .map(|&n| render(&bytes, &snap(n, None), &style(), 80).width)
        .collect();
    assert!(widths.iter().all(|&w| w == widths[0]), "{widths:?}");
    let rates = layout("%r");
    let widths: Vec<usize> = [997_000.0, 1023.0, 3.0, 505_000.0]
        .iter()
        .map(|&r| render(&rates, &Snapshot { rate: r, ..Snapshot::default() }, &style(), 80).width)
        .collect();
    assert!(widths.iter().all(|&w| w == widths[0]), "{widths:?}");
}

#[test]
fn bits_names_and_rates_like_pv_1_10() {
    let bits = Style { unit: Unit::Bits, ..style() };
    assert_eq!(render(&layout("%b"), &snap(100, None), &bits, 80).text, " 800  b");
    let si_bits = Style { unit: Unit::SiBits, ..style() };
    assert_eq!(render(&layout("%b"), &snap(1000, None), &si_bits, 80).text, "8.00kb");
    let named = Style { name: Some("ab".into()), ..style() };
    assert_eq!(
        render(&layout("%N|%15N|"), &snap(0, None), &named, 80).text,
        "       ab:|             ab:|"
    );
    assert_eq!(render(&layout("%N|"), &snap(0, None), &style(), 80).text, "|", "no name, nothing");
    let rates = Snapshot { rate: 2048.0, average: 1024.0, ..Snapshot::default() };
    assert_eq!(render(&layout("%r %a"), &rates, &style(), 80).text, "[2.00KiB/s] (1.00KiB/s)");
}

#[test]
fn eta_and_finish_time() {
    let mut s = snap(50, Some(100));
    s.eta_rate = 10.0;
    assert_eq!(render(&layout("%e"), &s, &style(), 80).text, "ETA 0:00:05");
    let fin = render(&layout("%I"), &s, &style(), 80).text;
    assert!(fin.starts_with("FIN ") && fin.len() == 12, "{fin}");
    s.last = true;
    assert_eq!(render(&layout("%e"), &s, &style(), 80).text, " ".repeat(11));
    assert!(render(&layout("%I"), &s, &style(), 80).text.starts_with("FIN "), "pv 1.10 keeps FIN");
    assert_eq!(render(&layout("%e%I"), &snap(5, None), &style(), 80).text, "", "no size, no ETA");
    s.eta_rate = 0.0;
    s.last = false;
    assert_eq!(render(&layout("%e"), &s, &style(), 80).text, "ETA 0:00:00");
}

#[test]
fn last_written_previous_line_buffer_and_ratio() {
    let mut s = snap(50, None);
    s.last_written = b"ab\ncd".to_vec();
    assert_eq!(render(&layout("%8A|"), &s, &style(), 80).text, "...ab.cd|");
    s.previous_line = b"line\tone".to_vec();
    assert_eq!(render(&layout("%10L|"), &s, &style(), 80).text, "line one  |");
    assert_eq!(render(&layout("%L|"), &s, &style(), 12).text, "line one   |");
    s.buffer = Buffer::Fill(42.4);
    assert_eq!(render(&layout("%T"), &s, &style(), 80).text, "{ 42%}");
    s.buffer = Buffer::Splicing;
    assert_eq!(render(&layout("%T"), &s, &style(), 80).text, "{----}");
    s.buffer = Buffer::Unused;
    assert_eq!(render(&layout("%T"), &s, &style(), 80).text, "");
    let mut ratio = snap(10, None);
    assert_eq!(render(&layout("%{ratio}"), &ratio, &style(), 80).text, "-:-");
    ratio.other_side = Some(100);
    assert_eq!(render(&layout("%{ratio}"), &ratio, &style(), 80).text, "10:1");
    ratio.other_side = Some(3);
    assert_eq!(render(&layout("%{ratio}"), &ratio, &style(), 80).text, "1:3.333");
}

#[test]
fn gauge_shows_the_rate_against_the_highest() {
    let gauge = Style { gauge: true, ..style() };
    let s = Snapshot { rate: 50.0, rate_max: 100.0, ..Snapshot::default() };
    assert_eq!(render(&layout("%p"), &s, &gauge, 30).text, "[========>         ]/ 100  B/s");
    assert_eq!(render(&layout("%{progress-amount-only}"), &s, &gauge, 30).text, " 100  B/s");
}

#[test]
fn colour_only_where_allowed_and_always_reset() {
    let colour = Style { colour: true, ..style() };
    let tokens = layout("%{sgr:red}%b");
    let line = render(&tokens, &snap(5, None), &colour, 80);
    assert_eq!(line.text, "\x1b[31m5.00  B\x1b[m");
    assert_eq!(line.width, 7);
    assert_eq!(render(&tokens, &snap(5, None), &style(), 80).text, "5.00  B");
}

#[test]
fn numbers_for_numeric_formats() {
    let numeric = Style { numeric: true, ..style() };
    let mut s = snap(50, Some(200));
    s.elapsed = 1.5;
    s.rate = 33.3;
    let tokens = layout("{\"t\":%t,\"b\":%b,\"r\":%r,\"p\":%{progress-amount-only}}");
    assert_eq!(
        render(&tokens, &s, &numeric, 80).text,
        "{\"t\":1.5000,\"b\":50,\"r\":33.3000,\"p\":25}"
    );
}

#[test]
fn clocks() {
    assert_eq!(clock(0.0), "0:00:00");
    assert_eq!(clock(3725.9), "1:02:05");
    assert_eq!(clock(86_400.0), "24:00:00");
    assert_eq!(clock(90_061.0), "1:01:01:01");
    assert_eq!(clock(f64::INFINITY), "0:00:00");
}

proptest! {
    /// Rendering a parsed format is bounded by the width, its text and its widths.
    #[test]
    fn rendering_is_bounded(
        text in "(%[0-9]{0,6}[pterabTANL%]|%\\{[a-z:,-]{0,14}\\}|[^%]{0,5}){0,12}",
        width in 0usize..=MAX_COLUMNS,
        amount: u64,
        known: bool,
    ) {
        if let Ok(tokens) = parse_format(&text) {
            let size = known.then_some(amount / 2 + 1);
            let s = Snapshot { amount, size, percentage: 150.0, ..Snapshot::default() };
            let line = render(&tokens, &s, &style(), width);
            let bound = text.len() + width + tokens.len() * (MAX_COLUMNS + 64);
            prop_assert!(line.text.chars().count() <= bound);
        }
    }

    /// The default line is as wide as the terminal whatever the numbers (when it fits).
    #[test]
    fn the_default_line_fills_the_width(amount in 0u64..(1 << 50), rate in 0.0f64..1e12, width in 80usize..300) {
        let mut s = snap(amount, Some(amount.max(1)));
        s.rate = rate;
        s.eta_rate = rate;
        prop_assert_eq!(render(&default_layout(), &s, &style(), width).width, width);
    }
}
