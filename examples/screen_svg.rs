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
//!
//! With `--animate FROM SECONDS FRAMES` it reads an asciicast v2 recording instead
//! (`fun saver NAME --record`) and draws an animated picture: the screen as it is at FRAMES
//! moments evenly spread over SECONDS from FROM seconds into the recording, shown in turn in a
//! loop by a CSS animation (one keyframe rule; each frame a group with its own delay). The cells
//! that are the same in every frame are drawn once, outside the frames, which keeps the file
//! small; a picture over 200 KiB is made again with fewer frames (a screen whose every cell
//! changes colour, such as plasma, gets fewer):
//!
//! ```sh
//! fun saver fire --record fire.cast --duration 4s --size 80x24 --seed 7
//! cargo run --example screen_svg -- 80 24 --animate 1 3 12 < fire.cast > docs/img/fire.svg
//! ```

use std::fmt::Write as _;
use std::io::Read;
use std::num::NonZeroU16;

/// Cell size in SVG units.
const CELL_W: u32 = 8;
const CELL_H: u32 = 16;
const BACKGROUND: &str = "#101010";
/// The largest animated picture: frames are dropped (fewer over the same time) to stay under.
const MAX_BYTES: usize = 200 * 1024;
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
    if args.get(2).map(String::as_str) == Some("--animate") {
        let numbers: Vec<f64> = args[3..].iter().filter_map(|a| a.parse().ok()).collect();
        let [from, seconds, frames] = numbers[..] else {
            return Err(
                "usage: screen_svg COLUMNS ROWS --animate FROM SECONDS FRAMES < cast".into()
            );
        };
        let cast = String::from_utf8(bytes)?;
        // Fewer frames (over the same time) until the picture fits the budget.
        let mut frames = frames.max(1.0) as usize;
        loop {
            let moments: Vec<f64> =
                (0..frames).map(|i| from + seconds * i as f64 / frames as f64).collect();
            let screens = replay_cast(&cast, rows, cols, &moments)?;
            let picture = animated_svg(&screens, cols.get(), rows.get(), seconds);
            if picture.len() <= MAX_BYTES || frames == 1 {
                print!("{picture}");
                return Ok(());
            }
            frames = (frames * 2 / 3).max(1);
        }
    }
    let mut parser = vt100::Parser::new(rows, cols, 0);
    parser.process(&bytes);
    print!("{}", svg(parser.screen(), cols.get(), rows.get()));
    Ok(())
}

/// The screen at each of `moments` (seconds, ascending) of an asciicast v2 recording.
fn replay_cast(
    cast: &str,
    rows: NonZeroU16,
    cols: NonZeroU16,
    moments: &[f64],
) -> Result<Vec<vt100::Screen>, Box<dyn std::error::Error>> {
    let mut parser = vt100::Parser::new(rows, cols, 0);
    let mut screens = Vec::new();
    let mut pending = moments.iter().peekable();
    for line in cast.lines().skip(1) {
        let event: serde_json::Value = serde_json::from_str(line)?;
        let time = event[0].as_f64().ok_or("an event without a time")?;
        while let Some(&&moment) = pending.peek()
            && moment < time
        {
            screens.push(parser.screen().clone());
            pending.next();
        }
        parser.process(event[2].as_str().ok_or("an event without data")?.as_bytes());
    }
    screens.extend(pending.map(|_| parser.screen().clone()));
    Ok(screens)
}

/// The cells of one screen, row by row, as drawn.
fn grid(screen: &vt100::Screen, cols: u16, rows: u16) -> Vec<Vec<(String, Look)>> {
    (0..rows)
        .map(|row| {
            (0..cols)
                .map(|col| match screen.cell(row, col) {
                    Some(cell) if !cell.is_wide_continuation() => {
                        let text = if cell.has_contents() { cell.contents() } else { " " };
                        (text.to_string(), look(cell))
                    }
                    Some(cell) => (String::new(), look(cell)),
                    None => (" ".to_owned(), blank()),
                })
                .collect()
        })
        .collect()
}

fn blank() -> Look {
    Look { fg: FOREGROUND.into(), bg: None, bold: false }
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

/// The SVG being written: its body, and a class for each text style used (the style sheet
/// is written in front of the body at the end, which keeps every `<text>` short).
#[derive(Default)]
struct Svg {
    body: String,
    classes: Vec<(String, bool)>,
    style: String,
}

impl Svg {
    /// The class of text in `fg` (bold or not): a short name given in order of first use.
    fn class(&mut self, fg: &str, bold: bool) -> String {
        let index = match self.classes.iter().position(|(f, b)| f == fg && *b == bold) {
            Some(i) => i,
            None => {
                self.classes.push((fg.to_owned(), bold));
                self.classes.len() - 1
            }
        };
        let mut name = String::new();
        let mut n = index;
        loop {
            name.insert(0, char::from(b'a' + (n % 26) as u8));
            n /= 26;
            if n == 0 {
                break name;
            }
            n -= 1;
        }
    }

    fn finish(mut self, cols: u16, rows: u16) -> String {
        let (width, height) = (u32::from(cols) * CELL_W, u32::from(rows) * CELL_H);
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
             font-family=\"DejaVu Sans Mono,Menlo,Consolas,Noto Sans Mono CJK JP,MS Gothic,monospace\" \
             font-size=\"13.3\" xml:space=\"preserve\">\n<style>"
        );
        for (i, (fg, bold)) in std::mem::take(&mut self.classes).iter().enumerate() {
            let name = self.class(fg, *bold);
            let weight = if *bold { ";font-weight:bold" } else { "" };
            let _ = write!(out, ".{name}{{fill:{fg}{weight}}}");
            debug_assert_eq!(self.classes.len(), i + 1);
        }
        out.push_str(&self.style);
        let _ =
            writeln!(out, "</style>\n<rect width=\"100%\" height=\"100%\" fill=\"{BACKGROUND}\"/>");
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }

    fn draw_cells(&mut self, grid: &[Vec<(String, Look)>]) {
        for (row, cells) in grid.iter().enumerate() {
            backgrounds(&mut self.body, cells, row as u16);
            self.texts(cells, row as u16);
        }
    }

    /// A `<text>` per run of cells with one foreground colour and weight; blank cells join
    /// any run, and blank runs are skipped.
    fn texts(&mut self, cells: &[(String, Look)], row: u16) {
        let is_blank = |cell: &(String, Look)| cell.0.trim().is_empty() && cell.1.bg.is_none();
        let mut col = 0;
        while col < cells.len() {
            if is_blank(&cells[col]) {
                col += 1;
                continue;
            }
            let start = col;
            let (fg, bold) = (cells[col].1.fg.clone(), cells[col].1.bold);
            let mut end = col;
            while col < cells.len()
                && ((cells[col].1.fg == fg && cells[col].1.bold == bold) || is_blank(&cells[col]))
            {
                if !is_blank(&cells[col]) {
                    end = col + 1;
                }
                col += 1;
            }
            col = end;
            let text: String = cells[start..end].iter().map(|c| c.0.as_str()).collect();
            let class = self.class(&fg, bold);
            // A single cell needs no length: its position alone keeps the grid.
            let length = match end - start {
                1 => String::new(),
                cells => format!(" textLength=\"{}\"", cells as u32 * CELL_W),
            };
            let _ = writeln!(
                self.body,
                "<text x=\"{}\" y=\"{}\"{length} class=\"{class}\">{}</text>",
                start as u32 * CELL_W,
                u32::from(row) * CELL_H + 12,
                escape(&text),
            );
        }
    }
}

/// `screens` shown in turn over `seconds`, in a loop: the cells they share drawn once, then a
/// group per frame with the cells that change, visible during its slice of the loop.
fn animated_svg(screens: &[vt100::Screen], cols: u16, rows: u16, seconds: f64) -> String {
    let grids: Vec<_> = screens.iter().map(|s| grid(s, cols, rows)).collect();
    let mut svg = Svg::default();
    let Some(first) = grids.first() else { return svg.finish(cols, rows) };
    let same = |row: usize, col: usize| grids.iter().all(|g| g[row][col] == first[row][col]);
    let shared: Vec<Vec<bool>> =
        (0..first.len()).map(|r| (0..first[r].len()).map(|c| same(r, c)).collect()).collect();
    // The grid with only the shared cells (or only the others); a wide character's
    // continuation cell stays empty.
    let only = |grid: &[Vec<(String, Look)>], keep_shared: bool| -> Vec<Vec<(String, Look)>> {
        let keep = |r: usize, c: usize, cell: &(String, Look)| {
            if shared[r][c] == keep_shared {
                cell.clone()
            } else {
                (" ".repeat(cell.0.len().min(1)), blank())
            }
        };
        grid.iter()
            .enumerate()
            .map(|(r, row)| row.iter().enumerate().map(|(c, cell)| keep(r, c, cell)).collect())
            .collect()
    };
    let frames = grids.len();
    let slice = 100.0 / frames as f64;
    svg.style = format!(
        "g{{visibility:hidden;animation:k {seconds}s step-end infinite}}\
         @keyframes k{{0%{{visibility:visible}}{slice:.3}%{{visibility:hidden}}}}"
    );
    svg.draw_cells(&only(first, true));
    for (i, grid) in grids.iter().enumerate() {
        let delay = seconds * i as f64 / frames as f64;
        let _ = writeln!(svg.body, "<g style=\"animation-delay:{delay:.3}s\">");
        svg.draw_cells(&only(grid, false));
        svg.body.push_str("</g>\n");
    }
    svg.finish(cols, rows)
}

fn svg(screen: &vt100::Screen, cols: u16, rows: u16) -> String {
    let mut svg = Svg::default();
    svg.draw_cells(&grid(screen, cols, rows));
    svg.finish(cols, rows)
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
