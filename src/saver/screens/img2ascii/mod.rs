//! `img2ascii`: pictures (PNG, JPEG, GIF) from a file, a folder (a slideshow) or a URL, drawn
//! as characters by brightness or as coloured half blocks (two pixels per cell), revealed as if
//! typed or all at once; animated GIFs play.
//!
//! No I/O happens in `update` or `draw`, and no decoding happens on the frame loop: a key ends
//! the saver at once even while a large animation is decoded. A single file, and the first
//! picture of a folder, are read and checked from their headers before the loop starts (size,
//! canvas, and the total work of an animation, [`picture::check`]: a file that is refused is a
//! one-line error at once); the decoding itself, the next pictures of a folder and anything
//! from a URL are done on a worker thread, through `crate::files` and `crate::net::fetch` with
//! their size caps, and handed over through a channel that `update` polls, with "loading ..."
//! on the screen meanwhile. A single file that fails to decode on the worker ends the run with
//! its one-line error (the engine asks [`Screen::settle`] after every update); a folder's
//! picture is named on the screen and skipped; a headless run or a recording waits for the
//! worker, so its output is reproducible. Decoded pictures are kept ([`cache`]), so a rotation
//! or a slideshow never decodes the same file twice. Decoding is bounded (see [`picture`]), so
//! a hostile file gets a calm message, never a crash.

mod cache;
pub(crate) mod picture;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use clap::{Parser, ValueEnum};
use rand::rngs::StdRng;

use self::picture::{Picture, PictureError, brightness, fit};
use crate::saver::kit::paint;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Color, Style};
use crate::saver::kit::color::Depth;
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver img2ascii                          our own sunset picture
  fun saver img2ascii -p photo.jpg             a picture, typed out in colour blocks
  fun saver img2ascii -p ~/Pictures -d 30      a slideshow, 30 s per picture
  fun saver img2ascii -p cat.gif -r none       an animated GIF, at once
  fun saver img2ascii -p https://example.org/a.png -m ascii
  fun saver img2ascii -p photo.png -m ascii -c ' .oO@' -i";

/// Pictures as characters or colour half blocks: a file, a folder (slideshow) or a URL.
#[derive(Debug, Parser)]
#[command(name = "fun saver img2ascii", after_help = EXAMPLES)]
pub(crate) struct Img2AsciiArgs {
    /// A PNG, JPEG or GIF file, a folder of them, or an http(s) URL (files up to 32 MiB and
    /// 30 megapixels; an animation up to 300 frames and 300 megapixels decoded in all, frames x
    /// canvas; URLs up to the network limit of 5 MiB). Default: a picture of our own.
    #[arg(short, long, value_name = "PATH|DIR|URL")]
    pub(crate) path: Option<String>,

    /// How to draw: characters by brightness, coloured half blocks, or auto (blocks when the
    /// terminal has 256 colours or more).
    #[arg(short, long, value_enum, default_value = "auto")]
    pub(crate) mode: Mode,

    /// How the picture appears: typed cell by cell, line by line, or all at once.
    #[arg(short, long, value_enum, default_value = "typing")]
    pub(crate) reveal: Reveal,

    /// Typing speed in cells per second (10-100000).
    #[arg(long, default_value_t = 1200.0, value_name = "N", value_parser = values::within(10.0f32, 100_000.0))]
    pub(crate) cps: f32,

    /// Seconds each picture of a folder is shown (1-3600).
    #[arg(short, long, default_value_t = 15.0, value_name = "SECONDS", value_parser = values::within(1.0f32, 3600.0))]
    pub(crate) delay: f32,

    /// Characters from dark to bright, for the character mode (2-64 of them).
    #[arg(short, long, value_name = "CHARS")]
    pub(crate) chars: Option<String>,

    /// Swap dark and bright in the character mode (for light terminals).
    #[arg(short, long)]
    pub(crate) invert: bool,
}

/// Drawing modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Mode {
    Auto,
    Ascii,
    Blocks,
}

/// Reveal styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Reveal {
    Typing,
    Lines,
    None,
}

/// Where the pictures come from.
#[derive(Debug)]
enum Source {
    Builtin,
    File,
    Folder { files: Vec<PathBuf>, next: usize },
    Url(String),
}

/// Most pictures listed from a folder.
const MAX_FILES: usize = 5000;

/// Laid-out cells, row by row (`None`: nothing drawn there).
type Cells = Vec<Option<(char, Style)>>;

/// The img2ascii screen.
pub(crate) struct Img2Ascii {
    args: Img2AsciiArgs,
    ramp: Vec<char>,
    size: Size,
    source: Source,
    picture: Option<Arc<Picture>>,
    frame: usize,
    frame_clock: f32,
    /// Shown instead of (or under) the picture: loading, or why a picture failed.
    message: Option<String>,
    /// Why the single file given cannot be shown (for [`Screen::settle`]).
    failed: Option<LoadError>,
    pending: Option<Receiver<Result<Arc<Picture>, LoadError>>>,
    /// The drawn cells of the current frame, and the rectangle they fill.
    grid: Cells,
    rect: (u16, u16, u16, u16),
    grid_for: Option<(usize, Size)>,
    /// The colour depth the grid is laid out for (half blocks or characters), told by the
    /// first update: from then on a resize lays out at once.
    layout_depth: Option<Depth>,
    revealed: f32,
    shown_for: f32,
}

fn is_url(path: &str) -> bool {
    path.starts_with("http://") || path.starts_with("https://")
}

fn is_picture_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["png", "jpg", "jpeg", "gif"].contains(&e.to_ascii_lowercase().as_str()))
}

/// Why a picture could not be shown; each names the file, folder or URL (sanitised).
#[derive(Debug, thiserror::Error)]
pub(crate) enum LoadError {
    #[error(transparent)]
    Read(#[from] crate::files::ReadError),
    #[error("{name}: {source}")]
    Folder { name: String, source: std::io::Error },
    #[error("{0}: no PNG, JPEG or GIF files")]
    NoPictures(String),
    /// A fetch failed; the text is the fetch error, sanitised.
    #[error("{0}")]
    Fetch(String),
    #[error("{name}: {source}")]
    Decode { name: String, source: PictureError },
    #[error("the picture's loader stopped")]
    LoaderGone,
}

/// The pictures in a folder (not recursive, hidden files skipped), sorted by name.
fn list_pictures(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let name = crate::files::display_path(dir);
    let entries =
        std::fs::read_dir(dir).map_err(|source| LoadError::Folder { name: name.clone(), source })?;
    // Entries looked at are bounded too: a folder of a million other files must not stall.
    let mut files: Vec<PathBuf> = entries
        .take(MAX_FILES * 100)
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let hidden = p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
            !hidden && is_picture_name(p) && p.is_file()
        })
        .take(MAX_FILES)
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(LoadError::NoPictures(name));
    }
    Ok(files)
}

/// A file read and checked from its headers (cheap), ready to decode on a worker; or its
/// picture, decoded before.
enum Prepared {
    Decoded(Arc<Picture>),
    Bytes { name: String, key: Option<cache::Key>, bytes: Vec<u8> },
}

/// Reads a file and checks what decoding it would cost: one line naming the file when it is
/// refused. A picture decoded before (same path, time and size) is taken from the cache.
fn prepare(path: &Path) -> Result<Prepared, LoadError> {
    if let Some(picture) = cache::Key::at(path).ok().and_then(|key| cache::get(&key)) {
        return Ok(Prepared::Decoded(picture));
    }
    let name = crate::files::display_path(path);
    let file = crate::files::open_regular(path)?;
    let key = cache::Key::of(path, &file).ok();
    let bytes = crate::files::read_stream_capped(file, &name, picture::MAX_FILE)?;
    picture::check(&bytes).map_err(|source| LoadError::Decode { name: name.clone(), source })?;
    Ok(Prepared::Bytes { name, key, bytes })
}

impl Prepared {
    /// The picture (the decoding is the slow part: for the worker thread), kept in the cache.
    fn decode(self) -> Result<Arc<Picture>, LoadError> {
        let (name, key, bytes) = match self {
            Prepared::Decoded(picture) => return Ok(picture),
            Prepared::Bytes { name, key, bytes } => (name, key, bytes),
        };
        let decoded = picture::decode(&bytes).map_err(|source| LoadError::Decode { name, source });
        let picture = Arc::new(decoded?);
        if let Some(key) = key {
            cache::put(key, Arc::clone(&picture));
        }
        Ok(picture)
    }
}

/// Reads, checks and decodes a file (for the worker thread).
fn load_file(path: &Path) -> Result<Arc<Picture>, LoadError> {
    prepare(path)?.decode()
}

/// Fetches and decodes a URL (blocking: for the worker thread).
fn load_url(url: &str, limits: &crate::net::Limits) -> Result<Arc<Picture>, LoadError> {
    let fetched = crate::net::fetch(url, limits)
        .map_err(|e| LoadError::Fetch(crate::sanitize::sanitize_line(e.to_string().as_bytes())))?;
    let name = crate::sanitize::sanitize_line(url.as_bytes());
    let picture =
        picture::decode(&fetched.body).map_err(|source| LoadError::Decode { name, source })?;
    Ok(Arc::new(picture))
}

/// Runs a load on a worker thread; the screen polls the receiver.
fn spawn(
    work: impl FnOnce() -> Result<Arc<Picture>, LoadError> + Send + 'static,
) -> Receiver<Result<Arc<Picture>, LoadError>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx
}

/// Builds the screen from its options (a file, or a folder's first picture, is read and
/// checked here, and decoded on a worker).
///
/// # Errors
/// Out-of-range numbers, a bad character ramp, a file or folder that cannot be shown.
pub(crate) fn build(args: Img2AsciiArgs) -> anyhow::Result<Img2Ascii> {
    let ramp: Vec<char> = match &args.chars {
        Some(chars) => chars.chars().collect(),
        None => paint::RAMP.to_vec(),
    };
    let one_cell = |c: &char| unicode_width::UnicodeWidthChar::width(*c) == Some(1);
    if !(2..=64).contains(&ramp.len()) || !ramp.iter().all(one_cell) {
        return Err(values::usage_error(
            "-c/--chars: give 2-64 printable one-cell characters, dark to bright",
        ));
    }
    let mut screen = Img2Ascii {
        args,
        ramp,
        size: Size { width: 0, height: 0 },
        source: Source::Builtin,
        picture: None,
        frame: 0,
        frame_clock: 0.0,
        message: None,
        failed: None,
        pending: None,
        grid: Vec::new(),
        rect: (0, 0, 0, 0),
        grid_for: None,
        layout_depth: None,
        revealed: 0.0,
        shown_for: 0.0,
    };
    match screen.args.path.clone() {
        None => screen.picture = Some(Arc::new(picture::builtin())),
        Some(url) if is_url(&url) => {
            let shown = crate::sanitize::sanitize_line(url.as_bytes());
            screen.message = Some(format!("fetching {shown} ..."));
            let target = url.clone();
            screen.pending = Some(spawn(move || load_url(&target, &crate::net::Limits::default())));
            screen.source = Source::Url(url);
        }
        Some(path) => {
            let path = PathBuf::from(path);
            if path.is_dir() {
                let files = list_pictures(&path)?;
                // The first picture that decodes; the reasons of those that did not.
                let mut last_error = String::new();
                for (i, file) in files.iter().enumerate().take(20) {
                    match prepare(file) {
                        Ok(prepared) => {
                            screen.start(prepared);
                            screen.source = Source::Folder { next: i + 1, files };
                            return Ok(screen);
                        }
                        Err(e) => last_error = e.to_string(),
                    }
                }
                anyhow::bail!("{last_error}");
            }
            screen.start(prepare(&path)?);
            screen.source = Source::File;
        }
    }
    Ok(screen)
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("img2ascii", "pictures as characters or colour blocks (slideshow, GIF)", build)
}

impl Img2Ascii {
    fn blocks(&self, depth: Depth) -> bool {
        match self.args.mode {
            Mode::Blocks => paint::has_color(depth),
            Mode::Ascii => false,
            Mode::Auto => matches!(depth, Depth::Indexed256 | Depth::TrueColor),
        }
    }

    /// Lays out the current frame for the current size again, unless it is laid out already
    /// (or the depth is not known yet).
    fn rebuild(&mut self) {
        let key = (self.frame, self.size);
        let Some(depth) = self.layout_depth else { return };
        if self.grid_for == Some(key) {
            return;
        }
        self.grid_for = Some(key);
        (self.grid, self.rect) = self.layout(depth);
    }

    /// The current frame as cells for the current size and `depth`, and the rectangle they
    /// fill (pure computation).
    fn layout(&self, depth: Depth) -> (Cells, (u16, u16, u16, u16)) {
        let Some(frame) = self.picture.as_ref().and_then(|p| p.frames.get(self.frame)) else {
            return (Vec::new(), (0, 0, 0, 0));
        };
        let (cols, rows) = (self.size.width, self.size.height);
        let mut grid = Vec::new();
        let (w, h);
        if self.blocks(depth) {
            let (pw, ph, px) = fit(frame, cols, rows * 2, 1.0);
            (w, h) = (pw, ph.div_ceil(2));
            let rgb = |p: [u8; 3]| Color::Rgb(p[0], p[1], p[2]);
            for y in 0..h {
                for x in 0..w {
                    let top = px[2 * y * pw + x];
                    let bottom = px.get((2 * y + 1) * pw + x).copied();
                    let cell = match bottom {
                        Some(b) if b == top => (' ', Style { bg: rgb(top), ..Style::default() }),
                        Some(b) => ('▀', Style { fg: rgb(top), bg: rgb(b), ..Style::default() }),
                        None => ('▀', Style::fg(rgb(top))),
                    };
                    grid.push(Some(cell));
                }
            }
        } else {
            let (pw, ph, px) = fit(frame, cols, rows, 2.0);
            (w, h) = (pw, ph);
            let last = self.ramp.len() - 1;
            for p in px {
                let mut v = brightness(p);
                if self.args.invert {
                    v = 1.0 - v;
                }
                let ch = self.ramp[((v * last as f32).round() as usize).min(last)];
                let style = if paint::has_color(depth) {
                    Style::fg(Color::Rgb(p[0], p[1], p[2]))
                } else {
                    Style::default()
                };
                grid.push((ch != ' ').then_some((ch, style)));
            }
        }
        let (w, h) = (w as u16, h as u16);
        (grid, ((cols - w.min(cols)) / 2, (rows - h.min(rows)) / 2, w, h))
    }

    fn total_cells(&self) -> f32 {
        f32::from(self.rect.2) * f32::from(self.rect.3)
    }

    /// Shows a picture decoded before at once, else decodes it on the worker (loading...).
    fn start(&mut self, prepared: Prepared) {
        match prepared {
            Prepared::Decoded(picture) => self.show(picture),
            Prepared::Bytes { ref name, .. } => {
                self.message = Some(format!("loading {name} ..."));
                self.pending = Some(spawn(move || prepared.decode()));
            }
        }
    }

    fn show(&mut self, picture: Arc<Picture>) {
        self.picture = Some(picture);
        self.message = None;
        self.frame = 0;
        self.frame_clock = 0.0;
        self.grid_for = None;
        self.revealed = 0.0;
        self.shown_for = 0.0;
    }

    /// The next picture of a folder, on the worker.
    fn load_next(&mut self) {
        if let Source::Folder { files, next } = &mut self.source {
            let file = files[*next % files.len()].clone();
            *next = (*next + 1) % files.len();
            self.pending = Some(spawn(move || load_file(&file)));
        }
    }

    fn poll(&mut self) {
        let Some(rx) = &self.pending else { return };
        let result = match rx.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err(LoadError::LoaderGone),
        };
        self.pending = None;
        self.loaded(result);
    }

    /// What the worker answered: the picture, or why not.
    fn loaded(&mut self, result: Result<Arc<Picture>, LoadError>) {
        match result {
            // A single file that cannot be shown ends the run with its one line, as a file
            // refused from its header does.
            Err(why) if matches!(self.source, Source::File) => self.failed = Some(why),
            Ok(picture) => self.show(picture),
            Err(why) => {
                // Stay calm: say why, keep what is shown, and move on (folders) or retry later.
                self.message = Some(why.to_string());
                self.shown_for = 0.0;
            }
        }
    }

    fn advance_animation(&mut self, dt: f32) {
        let Some(picture) = &self.picture else { return };
        if picture.frames.len() < 2 {
            return;
        }
        self.frame_clock += dt;
        let delay = picture.frames[self.frame].delay.as_secs_f32().max(0.02);
        if self.frame_clock >= delay {
            self.frame_clock -= delay;
            self.frame = (self.frame + 1) % picture.frames.len();
        }
    }
}

impl Screen for Img2Ascii {
    fn min_size(&self) -> Size {
        Size { width: 8, height: 4 }
    }

    fn settle(&mut self, wait: bool) -> anyhow::Result<()> {
        if wait && let Some(rx) = self.pending.take() {
            self.loaded(rx.recv().unwrap_or(Err(LoadError::LoaderGone)));
        }
        self.failed.take().map_or(Ok(()), |why| Err(why.into()))
    }

    fn resize(&mut self, size: Size, _rng: &mut StdRng) {
        self.size = size;
        self.rebuild();
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        if self.layout_depth.is_none() {
            self.layout_depth = Some(ctx.depth);
            self.rebuild();
        }
        let dt = ctx.dt.as_secs_f32().min(1.0);
        self.poll();
        let total = self.total_cells();
        if self.revealed < total {
            self.revealed = match self.args.reveal {
                Reveal::None => total,
                // Lines are shown whole (see `draw`), at the same speed.
                Reveal::Typing | Reveal::Lines => self.revealed + dt * self.args.cps,
            };
        } else {
            self.shown_for += dt;
            self.advance_animation(dt);
        }
        let folder = matches!(self.source, Source::Folder { .. });
        let failed = self.message.is_some() && self.picture.is_some();
        let wait = if failed { 3.0 } else { self.args.delay };
        if folder && self.pending.is_none() && self.shown_for >= wait {
            self.shown_for = 0.0;
            self.load_next();
        }
        if let Source::Url(url) = &self.source
            && self.picture.is_none()
            && self.pending.is_none()
            && self.shown_for >= 30.0
        {
            // Retry a failed URL now and then.
            let target = url.clone();
            self.shown_for = 0.0;
            self.pending = Some(spawn(move || load_url(&target, &crate::net::Limits::default())));
        }
        if self.picture.is_none() {
            self.shown_for += dt;
        }
        self.rebuild();
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        // Drawn before the first update (a rotation's next screen): laid out here.
        let first;
        let (grid, (x0, y0, w, h)) = if self.layout_depth.is_none() {
            first = self.layout(theme.depth);
            (&first.0, first.1)
        } else {
            (&self.grid, self.rect)
        };
        let mut shown = self.revealed.min(f32::from(w) * f32::from(h)) as usize;
        if self.args.reveal == Reveal::Lines && w > 0 {
            shown -= shown % usize::from(w);
        }
        for (i, cell) in grid.iter().enumerate().take(shown) {
            let Some((ch, style)) = cell else { continue };
            let (x, y) = (x0 + (i % usize::from(w)) as u16, y0 + (i / usize::from(w)) as u16);
            buf.put_char(x, y, *ch, *style);
        }
        if let Some(message) = &self.message {
            let width = buf.width().saturating_sub(2);
            let text: String = message.chars().take(usize::from(width)).collect();
            let x = crate::saver::kit::paint::centre_x(buf, &text);
            let y = if self.picture.is_some() { buf.height() - 1 } else { buf.height() / 2 };
            buf.put_str(x, y, &text, Style::fg(theme.dim));
        }
    }

    fn frame_interval(&self) -> std::time::Duration {
        let revealing = self.revealed < self.total_cells();
        let animated = self.picture.as_ref().is_some_and(|p| p.frames.len() > 1);
        std::time::Duration::from_millis(if revealing || animated { 40 } else { 250 })
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use crate::saver::kit::testing::{args, run_frames, run_frames_at};

    fn screen(list: &[&str], depth: Depth, frames: u32) -> (Img2Ascii, Buffer) {
        let mut s = build(args("img2ascii", list)).expect("valid");
        s.settle(true).expect("loads");
        let buf = run_frames_at(&mut s, Size { width: 60, height: 20 }, (frames, 0.04, 1), depth);
        (s, buf)
    }

    #[test]
    fn the_builtin_picture_in_blocks_and_in_characters() {
        let (s, buf) = screen(&["-r", "none"], Depth::TrueColor, 2);
        // 192x108 into 60x40 square pixels: 60 wide, 34 pixel rows = 17 cells, centred.
        assert_eq!(s.rect, (0, 1, 60, 17));
        let sun = buf.get(37, 1 + 17 * 60 / 108).expect("cell");
        let colour = if sun.ch == ' ' { sun.style.bg } else { sun.style.fg };
        assert!(matches!(colour, Color::Rgb(r, g, _) if r > 200 && g > 180), "{sun:?}");
        let (_, text) = screen(&["-r", "none", "-m", "ascii"], Depth::Mono, 2);
        let out = text.to_text();
        let kinds: std::collections::HashSet<char> = out.chars().filter(|c| *c != '\n').collect();
        assert!(kinds.len() >= 6, "{out}");
        assert!(out.chars().all(|c| c == '\n' || paint::RAMP.contains(&c)), "{out}");
    }

    #[test]
    fn typing_reveals_cell_by_cell_and_lines_row_by_row() {
        let (s, buf) = screen(&["--cps", "300"], Depth::TrueColor, 10);
        let drawn = (0..20u16).flat_map(|y| (0..60u16).map(move |x| (x, y)));
        let count = drawn.filter(|&(x, y)| buf.get(x, y).is_some_and(|c| c.style != Style::default())).count();
        assert!((100..=130).contains(&count), "0.4 s at 300 cells/s: {count}");
        assert!(s.revealed < s.total_cells());
        let (_, lines) = screen(&["-r", "lines", "--cps", "600"], Depth::TrueColor, 5);
        let rows_drawn = (0..20u16)
            .filter(|&y| (0..60u16).any(|x| lines.get(x, y).is_some_and(|c| c.style != Style::default())))
            .count();
        assert!((1..=3).contains(&rows_drawn), "0.2 s at 600 cells/s, 60 a line: {rows_drawn}");
        for y in 0..20u16 {
            let row: Vec<bool> = (0..60u16).map(|x| lines.get(x, y).is_some_and(|c| c.style != Style::default())).collect();
            assert!(row.iter().all(|&d| d) || !row.iter().any(|&d| d), "whole lines only");
        }
    }

    fn write_png(dir: &Path, name: &str, colour: [u8; 3]) -> PathBuf {
        let path = dir.join(name);
        image::RgbImage::from_pixel(40, 30, image::Rgb(colour)).save(&path).expect("save png");
        path
    }

    fn wait_for_load(s: &mut Img2Ascii) {
        // A hang detector only: the worker decodes a tiny file.
        for _ in 0..1000 {
            if s.pending.is_none() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
            s.poll();
        }
        panic!("the loader did not answer");
    }

    #[test]
    fn a_folder_is_a_slideshow() {
        let dir = tempfile::tempdir().expect("tempdir");
        write_png(dir.path(), "1.png", [250, 0, 0]);
        write_png(dir.path(), "2.png", [0, 0, 250]);
        std::fs::write(dir.path().join("3.png"), b"broken").expect("write");
        let folder = dir.path().to_string_lossy().into_owned();
        let (mut s, _) = screen(&["-p", &folder, "-d", "1", "-r", "none"], Depth::TrueColor, 5);
        let first = s.picture.clone().expect("first picture");
        assert_eq!(first.frames[0].pixels[0], [250, 0, 0]);
        // After the delay the next picture is loaded on the worker and shown.
        let _ = run_frames(&mut s, Size { width: 60, height: 20 }, 30, 0.04, 1);
        wait_for_load(&mut s);
        assert_eq!(s.picture.as_ref().map(|p| p.frames[0].pixels[0]), Some([0, 0, 250]));
        // The broken one is named calmly, and the show goes on.
        let _ = run_frames(&mut s, Size { width: 60, height: 20 }, 30, 0.04, 1);
        wait_for_load(&mut s);
        let message = s.message.clone().unwrap_or_default();
        assert!(message.contains("3.png"), "{message}");
        let mut buf = Buffer::new(60, 20);
        s.draw(&mut buf.canvas(), &Theme::default());
        assert!(buf.to_text().contains("3.png"), "{}", buf.to_text());
    }

    #[test]
    fn animated_gifs_play() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("blink.gif");
        {
            let file = std::fs::File::create(&path).expect("create");
            let mut encoder = image::codecs::gif::GifEncoder::new(file);
            let frames = [[255u8, 0, 0, 255], [0, 255, 0, 255]].map(|c| {
                let buffer = image::RgbaImage::from_pixel(20, 10, image::Rgba(c));
                image::Frame::from_parts(buffer, 0, 0, image::Delay::from_numer_denom_ms(100, 1))
            });
            encoder.encode_frames(frames).expect("encode");
        }
        let (s, a) = screen(&["-p", &path.to_string_lossy(), "-r", "none"], Depth::TrueColor, 2);
        assert_eq!(s.picture.as_ref().map(|p| p.frames.len()), Some(2));
        let (_, b) = screen(&["-p", &path.to_string_lossy(), "-r", "none"], Depth::TrueColor, 5);
        let colour = |buf: &Buffer| buf.get(30, 10).map(|c| c.style.bg);
        assert_ne!(colour(&a), colour(&b), "the frame changed after 100 ms");
    }

    #[cfg(feature = "net")]
    #[test]
    fn pictures_from_a_url() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let mut body = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(8, 8, image::Rgb([1, 200, 3]))
            .write_to(&mut body, image::ImageFormat::Png)
            .expect("png");
        let body = body.into_inner();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        });
        let limits = crate::net::Limits { cache_dir: None, ..crate::net::Limits::default() };
        let picture = load_url(&format!("http://127.0.0.1:{port}/p.png"), &limits).expect("fetched");
        assert_eq!(picture.frames[0].pixels[0], [1, 200, 3]);
        let _ = server.join();
        // Nobody listening: a calm reason naming the URL, no panic.
        let err = load_url(&format!("http://127.0.0.1:{port}/gone.png"), &limits).expect_err("refused");
        assert!(err.to_string().contains("127.0.0.1"), "{err}");
    }

    #[test]
    fn a_work_bomb_is_refused_naming_the_file_and_the_bound() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bomb.gif");
        std::fs::write(&path, picture::tests::pixel_frames_gif(5000, 6000, 300)).expect("write");
        let err = build(args("img2ascii", &["-p", &path.to_string_lossy()])).err().expect("refused");
        let text = err.to_string();
        assert!(text.contains("bomb.gif") && text.contains("300 megapixels"), "{text}");
        assert_eq!(text.lines().count(), 1, "{text}");
    }

    #[test]
    fn the_picture_is_decoded_on_the_worker_while_loading_shows() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write_png(dir.path(), "slow.png", [9, 200, 9]);
        let mut s = build(args("img2ascii", &["-p", &path.to_string_lossy(), "-r", "none"]))
            .expect("valid");
        // Nothing was decoded on this thread: the picture comes from the worker, and until it
        // has been taken in, the screen says what it is loading.
        assert!(s.picture.is_none() && s.pending.is_some());
        s.resize(Size { width: 60, height: 20 }, &mut rand::SeedableRng::seed_from_u64(1));
        let mut buf = Buffer::new(60, 20);
        s.draw(&mut buf.canvas(), &Theme::default());
        assert!(buf.to_text().contains("loading"), "{}", buf.to_text());
        assert!(buf.to_text().contains("slow.png"), "{}", buf.to_text());
        wait_for_load(&mut s);
        assert_eq!(s.picture.as_ref().map(|p| p.frames[0].pixels[0]), Some([9, 200, 9]));
    }

    #[test]
    fn a_picture_is_never_decoded_twice_in_a_rotation() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write_png(dir.path(), "again.png", [1, 2, 250]);
        let list = ["-p", &*path.to_string_lossy()].map(str::to_owned);
        let list: Vec<&str> = list.iter().map(String::as_str).collect();
        let (first, _) = screen(&list, Depth::TrueColor, 1);
        // The rotation builds the screen again when it comes back: the picture is there at
        // once, the very same one, with no worker.
        let again = build(args("img2ascii", &list)).expect("valid");
        assert!(again.pending.is_none());
        let (a, b) = (first.picture.expect("first"), again.picture.expect("again"));
        assert!(Arc::ptr_eq(&a, &b));
        // The file changed (another size): decoded afresh.
        image::RgbImage::from_pixel(41, 30, image::Rgb([7, 7, 7])).save(&path).expect("save");
        let changed = build(args("img2ascii", &list)).expect("valid");
        assert!(changed.pending.is_some() && changed.picture.is_none());
    }

    #[test]
    fn bad_options() {
        for bad in [&["--cps", "1"][..], &["-d", "0"], &["-c", "x"], &["-p", "/no/such/file.png"]] {
            assert!(crate::saver::kit::testing::refused("img2ascii", bad, build), "{bad:?}");
        }
    }
}
