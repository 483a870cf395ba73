//! Turns the bytes `fun saver NAME --headless --stream` writes into a small SVG picture of the
//! last frame, for the README and docs/gallery.md (run by scripts/gallery.sh):
//!
//! ```sh
//! fun saver fire --headless --stream --size 80x24 --frames 40 \
//!   | cargo run --example screen_svg -- 80 24 > docs/img/fire.svg
//! ```
//!
//! The bytes are replayed through the vt100 crate, as the tests do, and the screen it ends on
//! is drawn cell run by cell run: a `<rect>` per run of one background colour, a `<text>` per
//! run of one foreground colour and weight, each pinned to its columns with `textLength`, so
//! the picture keeps its grid in any monospace font.

use std::fmt::Write as _;
use std::io::Read;
use std::num::NonZeroU16;

/// Cell size in SVG units.
const CELL_W: u32 = 8;
const CELL_H: u32 = 16;
const BACKGROUND: &str = "#101010";
const FOREGROUND: &str = "#d0d0d0";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [cols, rows] = [0, 1].map(|i| args.get(i).and_then(|a| a.parse::<u16>().ok()));
    let (Some(cols), Some(rows)) = (cols.and_then(NonZeroU16::new), rows.and_then(NonZeroU16::new))
    else {
        return Err("usage: screen_svg COLUMNS ROWS < stream > picture.svg".into());
    };
    let mut bytes = Vec::new();
    std::io::stdin().lock().take(256 << 20).read_to_end(&mut bytes)?;
    let mut parser = vt100::Parser::new(rows, cols, 0);
    parser.process(&bytes);
    print!("{}", svg(parser.screen(), cols.get(), rows.get()));
    Ok(())
}

/// One cell as drawn: its text and colours.
#[derive(Clone, PartialEq)]
struct Look {
    fg: String,
    bg: Option<String>,
    bold: bool,
}

fn look(cell: &vt100::Cell) -> Look {
    let (mut fg, mut bg) = (cell.fgcolor(), cell.bgcolor());
    if cell.inverse() {
        std::mem::swap(&mut fg, &mut bg);
    }
    let fg = colour(fg).unwrap_or_else(|| {
        if cell.inverse() { BACKGROUND.to_owned() } else { FOREGROUND.to_owned() }
    });
    let bg = colour(bg).or_else(|| cell.inverse().then(|| FOREGROUND.to_owned()));
    Look { fg, bg, bold: cell.bold() }
}

fn svg(screen: &vt100::Screen, cols: u16, rows: u16) -> String {
    let (width, height) = (u32::from(cols) * CELL_W, u32::from(rows) * CELL_H);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         font-family=\"DejaVu Sans Mono,Menlo,Consolas,Noto Sans Mono CJK JP,MS Gothic,monospace\" font-size=\"13.3\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"{BACKGROUND}\"/>\n"
    );
    for row in 0..rows {
        let cells: Vec<(String, Look)> = (0..cols)
            .map(|col| match screen.cell(row, col) {
                Some(cell) if !cell.is_wide_continuation() => {
                    let text = if cell.has_contents() { cell.contents() } else { " " };
                    (text.to_string(), look(cell))
                }
                Some(cell) => (String::new(), look(cell)),
                None => (" ".to_owned(), Look { fg: FOREGROUND.into(), bg: None, bold: false }),
            })
            .collect();
        backgrounds(&mut out, &cells, row);
        texts(&mut out, &cells, row);
    }
    out.push_str("</svg>\n");
    out
}

/// A `<rect>` per run of cells with one background colour.
fn backgrounds(out: &mut String, cells: &[(String, Look)], row: u16) {
    let mut col = 0;
    while col < cells.len() {
        let Some(bg) = &cells[col].1.bg else {
            col += 1;
            continue;
        };
        let start = col;
        while col < cells.len() && cells[col].1.bg.as_ref() == Some(bg) {
            col += 1;
        }
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{CELL_H}\" fill=\"{bg}\"/>",
            start as u32 * CELL_W,
            u32::from(row) * CELL_H,
            (col - start) as u32 * CELL_W,
        );
    }
}

/// A `<text>` per run of cells with one foreground colour and weight (blank runs skipped).
fn texts(out: &mut String, cells: &[(String, Look)], row: u16) {
    let mut col = 0;
    while col < cells.len() {
        let start = col;
        let (fg, bold) = (&cells[col].1.fg, cells[col].1.bold);
        let mut text = String::new();
        while col < cells.len() && &cells[col].1.fg == fg && cells[col].1.bold == bold {
            text.push_str(&cells[col].0);
            col += 1;
        }
        if text.trim().is_empty() {
            continue;
        }
        let weight = if bold { " font-weight=\"bold\"" } else { "" };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\" \
             fill=\"{fg}\"{weight} xml:space=\"preserve\">{}</text>",
            start as u32 * CELL_W,
            u32::from(row) * CELL_H + 12,
            (col - start) as u32 * CELL_W,
            escape(&text),
        );
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A terminal colour as `#rrggbb` (`None` for the default).
fn colour(color: vt100::Color) -> Option<String> {
    let (r, g, b) = match color {
        vt100::Color::Default => return None,
        vt100::Color::Rgb(r, g, b) => (r, g, b),
        vt100::Color::Idx(i) => indexed(i),
    };
    Some(format!("#{r:02x}{g:02x}{b:02x}"))
}

/// The xterm 256-colour palette.
fn indexed(i: u8) -> (u8, u8, u8) {
    const BASIC: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 49, 49),
        (13, 188, 121),
        (229, 229, 16),
        (36, 114, 200),
        (188, 63, 188),
        (17, 168, 205),
        (229, 229, 229),
        (102, 102, 102),
        (241, 76, 76),
        (35, 209, 139),
        (245, 245, 67),
        (59, 142, 234),
        (214, 112, 214),
        (41, 184, 219),
        (255, 255, 255),
    ];
    match i {
        0..=15 => BASIC[usize::from(i)],
        16..=231 => {
            let level = |n: u8| if n == 0 { 0 } else { 55 + 40 * n };
            let n = i - 16;
            (level(n / 36), level(n / 6 % 6), level(n % 6))
        }
        _ => {
            let gray = 8 + 10 * (i - 232);
            (gray, gray, gray)
        }
    }
}
