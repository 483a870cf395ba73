//! The display thread: every `-i` seconds it reads the shared counters of each row (the
//! transfer, or one row per input with `--per-file`, or the two sides of `--monitor both`),
//! works out pv's numbers ([`Calc`]) and hands the lines to the chosen view ([`terminal`]):
//! pv's `\r` line, `-c` cursor rows, `-n` numbers, `--log` lines or `--json` objects; plus the
//! `-x` titles, the `--on-progress` hooks and the `-v` statistics. It also notices SIGWINCH
//! (re-reads the width) and SIGCONT (the stopped time is not transfer time), publishes the
//! elapsed time for `-Q`, and takes new settings from `-R`. It never ends the process: asked
//! to finish, it draws the final update and tells the main thread ([`Event::Drawn`]).

mod cursor;
pub(crate) mod extra;
pub(crate) mod hooks;
mod job;
mod json;
pub(crate) mod outside;
mod settings;
mod terminal;

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub(crate) use self::extra::Extra;
pub(crate) use self::hooks::Hooks;
pub(crate) use self::settings::Settings;
pub(crate) use self::terminal::View;
use super::calc::Calc;
use super::control::{Event, Flags, Sender};
use super::exit::ExitStatus;
use super::format::{self, Buffer, Line, Snapshot, Style, Token};
use super::shared::Shared;

/// How to show progress.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) view: View,
    /// The line's layout (from the switches or `-F`).
    pub(crate) tokens: Vec<Token>,
    pub(crate) style: Style,
    pub(crate) interval: Duration,
    pub(crate) width: Option<usize>,
    pub(crate) height: Option<usize>,
    pub(crate) wait_for_data: bool,
    pub(crate) delay: Duration,
    pub(crate) stats: bool,
    /// `-m` seconds.
    pub(crate) window: u32,
    pub(crate) extra: Option<Extra>,
    pub(crate) hooks: Option<Hooks>,
    /// `-n` without `-F`: pv 1.6.20's numbers, kept as they were.
    pub(crate) classic_numeric: Option<Numeric>,
}

/// What `-n` prints without `-F`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Numeric {
    pub(crate) timer: bool,
    pub(crate) bytes: bool,
    pub(crate) rate: bool,
}

/// One line of the display and where its numbers come from.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub(crate) shared: Arc<Shared>,
    /// `--per-file`: the input whose counter this row shows (None: the whole transfer).
    pub(crate) file: Option<usize>,
    /// The name shown by `%N` (None: the style's).
    pub(crate) name: Option<String>,
    pub(crate) size: Option<u64>,
    /// The other side of `--monitor both`, for `%{ratio}`.
    pub(crate) other: Option<Arc<Shared>>,
    /// A layout of its own (`--monitor` with two `-F`), else the config's.
    pub(crate) tokens: Option<Vec<Token>>,
}

impl Row {
    /// The row of a whole transfer.
    #[must_use]
    pub(crate) fn whole(shared: Arc<Shared>, size: Option<u64>) -> Row {
        Row { shared, file: None, name: None, size, other: None, tokens: None }
    }
}

/// What the main thread tells the display.
enum Message {
    /// Draw the final update (the transfer's exit bits so far, for `--json`).
    Finish(ExitStatus),
    /// New settings from `-R`.
    Remote(Box<Settings>),
    /// The total became known (`-l`'s lines counted).
    Size(u64),
    /// `-Q` asks: publish the figures now, then answer on the channel.
    Publish(mpsc::Sender<()>),
}

/// How long a `-Q` answer waits for the display to publish fresh figures.
const PUBLISH_WAIT: Duration = Duration::from_millis(200);

/// A running display; [`Display::finish`] has it draw the final update, after which it sends
/// [`Event::Drawn`].
#[derive(Clone)]
pub(crate) struct Display {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    /// On a thread of its own, woken by its ticks and by messages.
    Thread(mpsc::Sender<Message>),
    /// A display with nothing to do between messages (see [`Config::ticks`]) needs no thread:
    /// each message is handled on the sender's thread, so a quiet `fun pv -qL 8` starts no
    /// display thread at all (issue 27). None once finished.
    Inline(Arc<Mutex<Option<Quiet>>>),
}

/// The display without a thread, and where it reports its final line.
struct Quiet {
    painter: Painter,
    schedule: Schedule,
    report: Sender,
}

impl Display {
    pub(crate) fn spawn(config: Config, rows: Vec<Row>, flags: Flags, report: Sender) -> Display {
        if !config.ticks() {
            let schedule = Schedule::new(&config);
            let painter = Painter::new(config, rows, flags);
            let quiet = Quiet { painter, schedule, report };
            return Display { inner: Inner::Inline(Arc::new(Mutex::new(Some(quiet)))) };
        }
        let (messages, rx) = mpsc::channel();
        thread::spawn(move || {
            Painter::new(config, rows, flags).run(&rx);
            let _ = report.send(Event::Drawn);
        });
        Display { inner: Inner::Thread(messages) }
    }

    /// Hands `message` to the display: over its channel, or handled here when it has no thread.
    fn send(&self, message: Message) {
        match &self.inner {
            Inner::Thread(messages) => {
                let _ = messages.send(message);
            }
            Inner::Inline(quiet) => {
                let Ok(mut guard) = quiet.lock() else { return };
                let Some(mut quiet) = guard.take() else { return };
                if let Message::Finish(status) = message {
                    drop(guard);
                    quiet.painter.finish(status);
                    let _ = quiet.report.send(Event::Drawn);
                    return;
                }
                quiet.painter.handle(Some(message), &mut quiet.schedule);
                *guard = Some(quiet);
            }
        }
    }

    /// Asks for the final update (without waiting for it, when the display has a thread).
    pub(crate) fn finish(&self, status: ExitStatus) {
        self.send(Message::Finish(status));
    }

    /// Hands new settings from `-R` to the display.
    pub(crate) fn reconfigure(&self, settings: Settings) {
        self.send(Message::Remote(Box::new(settings)));
    }

    /// Sets the whole transfer's size.
    pub(crate) fn set_size(&self, size: u64) {
        self.send(Message::Size(size));
    }

    /// Has the display publish its figures for `-Q` now (a display that does not tick,
    /// see [`Config::ticks`], publishes only on request), waiting at most [`PUBLISH_WAIT`].
    pub(crate) fn publish_now(&self) {
        let (done, published) = mpsc::channel();
        self.send(Message::Publish(done));
        let _ = published.recv_timeout(PUBLISH_WAIT);
    }
}

/// When the display draws next, and from when on at all (`-D`).
struct Schedule {
    next: Instant,
    show_after: Instant,
}

impl Schedule {
    fn new(config: &Config) -> Schedule {
        let now = Instant::now();
        Schedule { next: now + config.interval, show_after: now + config.delay }
    }
}

impl Config {
    /// Whether the display has anything to do between messages: something to draw, a
    /// title or hook to update, or rates to sample for `--stats`. A quiet `fun pv -qL 8`
    /// has not, and its display thread then sleeps until a message comes instead of waking
    /// ten times a second (issue 27).
    #[must_use]
    pub(crate) fn ticks(&self) -> bool {
        self.view != View::Hidden || self.stats || self.extra.is_some() || self.hooks.is_some()
    }
}

/// How many trailing bytes a layout needs kept (`%A`, and `%L` its line).
#[must_use]
pub(crate) fn kept_bytes(tokens: &[Token], extra: Option<&Extra>) -> usize {
    let extra = extra.and_then(|e| e.spec().tokens.clone()).unwrap_or_default();
    tokens.iter().chain(&extra).fold(0, |keep, token| match token {
        Token::LastWritten(n) => keep.max((*n).min(format::KEPT_BYTES)),
        Token::PreviousLine(_) => format::KEPT_BYTES,
        _ => keep,
    })
}

/// The terminal's width from stderr, 80 when it cannot tell.
pub(crate) fn terminal_width() -> usize {
    terminal_size().0
}

/// The terminal's (width, height) from stderr, (80, 25) when it cannot tell.
pub(crate) fn terminal_size() -> (usize, usize) {
    rustix::termios::tcgetwinsize(std::io::stderr())
        .ok()
        .filter(|w| w.ws_col > 0 && w.ws_row > 0)
        .map_or((80, 25), |w| (usize::from(w.ws_col), usize::from(w.ws_row)))
}

/// A row with its running calculation.
struct Live {
    row: Row,
    calc: Calc,
}

struct Painter {
    config: Config,
    rows: Vec<Live>,
    signals: Flags,
    width: usize,
    height: usize,
    started: Option<Instant>,
    paused: Duration,
    last_tick: Instant,
    view: terminal::Terminal,
    /// Position of the `-n` sawtooth for an unknown size (pv 1.6.20's 0-100-0).
    sawtooth: (i32, i32),
}

impl Painter {
    fn new(config: Config, rows: Vec<Row>, signals: Flags) -> Painter {
        let (columns, lines) = terminal_size();
        let now = Instant::now();
        let rows =
            rows.into_iter().map(|row| Live { row, calc: Calc::new(config.window) }).collect();
        let view = terminal::Terminal::new(config.view);
        Painter {
            started: (!config.wait_for_data).then_some(now),
            width: config.width.unwrap_or(columns),
            height: config.height.unwrap_or(lines),
            config,
            rows,
            signals,
            paused: Duration::ZERO,
            last_tick: now,
            view,
            sawtooth: (0, 2),
        }
    }

    fn run(mut self, messages: &mpsc::Receiver<Message>) {
        let mut schedule = Schedule::new(&self.config);
        let ticks = self.config.ticks();
        loop {
            let tick = self.config.interval.min(Duration::from_millis(100));
            let message = if ticks {
                messages.recv_timeout(tick)
            } else {
                messages.recv().map_err(|_| RecvTimeoutError::Disconnected)
            };
            match message {
                Ok(Message::Finish(status)) => return self.finish(status),
                Err(RecvTimeoutError::Disconnected) => return self.finish(ExitStatus::empty()),
                Ok(message) => self.handle(Some(message), &mut schedule),
                Err(RecvTimeoutError::Timeout) => self.handle(None, &mut schedule),
            }
        }
    }

    /// Handles one message other than `Finish` (None: a tick), then draws if it is time.
    fn handle(&mut self, message: Option<Message>, schedule: &mut Schedule) {
        let mut answer = None;
        match message {
            None | Some(Message::Finish(_)) => {}
            Some(Message::Publish(done)) => answer = Some(done),
            Some(Message::Remote(settings)) => self.apply(*settings),
            Some(Message::Size(size)) => {
                for live in &mut self.rows {
                    if live.row.file.is_none() && live.row.size.is_none() {
                        live.row.size = Some(size);
                    }
                }
            }
        }
        self.account_pause();
        if self.started.is_none() && self.primary().bytes.load(Ordering::Relaxed) > 0 {
            self.started = Some(Instant::now());
        }
        self.publish();
        if let Some(done) = answer {
            let _ = done.send(());
        }
        let now = Instant::now();
        if now >= schedule.next {
            schedule.next += self.config.interval;
            if schedule.next < now {
                schedule.next = now + self.config.interval;
            }
            if now >= schedule.show_after && self.started.is_some() {
                self.draw(false, ExitStatus::empty());
            }
        }
    }

    fn finish(mut self, status: ExitStatus) {
        self.account_pause();
        if self.started.is_none() {
            self.started = Some(Instant::now());
        }
        self.draw(true, status);
        self.view.close();
        if self.config.stats {
            let stats = self.rows.last().map(|live| live.calc.stats).unwrap_or_default();
            let bits = self.config.style.unit.is_bits();
            let text = stats.line(if bits { 8.0 } else { 1.0 }, if bits { "b/s" } else { "B/s" });
            terminal::write_stderr(text.as_bytes());
        }
        if let Some(hooks) = &mut self.config.hooks {
            hooks.wait();
        }
    }

    /// The row whose counters stand for the whole transfer (the last one).
    fn primary(&self) -> &Shared {
        &self.rows[self.rows.len() - 1].row.shared
    }

    fn elapsed(&self) -> f64 {
        self.started.map_or(0.0, |s| s.elapsed().saturating_sub(self.paused).as_secs_f64())
    }

    /// Keeps `-Q`'s view of the transfer current.
    fn publish(&self) {
        let elapsed = self.elapsed();
        for live in &self.rows {
            live.row.shared.publish(elapsed, live.row.size);
        }
    }

    /// Time between ticks far beyond the tick length after a SIGCONT was spent stopped. A
    /// display that does not tick cannot tell a stop from a wait, so `-Q`'s elapsed time of a
    /// quiet pv includes the time it was stopped.
    fn account_pause(&mut self) {
        let now = Instant::now();
        let gap = now - self.last_tick;
        self.last_tick = now;
        if self.signals.resumed.swap(false, Ordering::Relaxed) && self.config.ticks() {
            let expected = self.config.interval.min(Duration::from_millis(100));
            self.paused += gap.saturating_sub(expected);
        }
        if self.signals.resized.swap(false, Ordering::Relaxed) {
            let (columns, lines) = terminal_size();
            self.width = self.config.width.unwrap_or(columns);
            self.height = self.config.height.unwrap_or(lines);
        }
    }

    /// Takes `-R`'s settings: the layout, name, size, interval, width and height.
    fn apply(&mut self, settings: Settings) {
        if let Some(tokens) = settings.tokens(&self.config) {
            self.config.tokens = tokens;
        }
        self.config.style.name = settings.name.clone();
        if let Some(size) = settings.size {
            for live in &mut self.rows {
                if live.row.file.is_none() {
                    live.row.size = Some(size);
                }
            }
        }
        if let Some(interval) = settings.interval {
            self.config.interval = interval;
        }
        if let Some(width) = settings.width {
            self.config.width = Some(width);
            self.width = width;
        }
        if let Some(height) = settings.height {
            self.config.height = Some(height);
            self.height = height;
        }
        if let Some(extra) = settings.extra {
            self.config.extra = Some(extra);
        }
        let keep = kept_bytes(&self.config.tokens, self.config.extra.as_ref());
        for live in &self.rows {
            live.row.shared.keep_last.fetch_max(keep, Ordering::Relaxed);
        }
    }

    /// The snapshot of one row.
    fn snapshot(&mut self, index: usize, elapsed: f64, last: bool) -> Snapshot {
        let live = &mut self.rows[index];
        let shared = &live.row.shared;
        let amount = match live.row.file {
            Some(file) => shared.per_file.get(file).map_or(0, |c| c.load(Ordering::Relaxed)),
            None => shared.shown_amount(),
        };
        let reading = live.calc.update(amount, elapsed, live.row.size, last);
        Snapshot {
            amount,
            elapsed,
            rate: reading.rate,
            average: reading.average,
            eta_rate: reading.eta_rate,
            size: live.row.size.filter(|&s| s > 0),
            initial: live.calc.initial,
            percentage: reading.percentage,
            rate_max: reading.rate_max,
            last_written: shared.last_written(),
            previous_line: shared.previous_line(),
            buffer: shared.buffer(),
            other_side: live.row.other.as_ref().map(|o| o.bytes.load(Ordering::Relaxed)),
            last,
        }
    }

    fn draw(&mut self, last: bool, status: ExitStatus) {
        let elapsed = self.elapsed();
        let snaps: Vec<Snapshot> =
            (0..self.rows.len()).map(|i| self.snapshot(i, elapsed, last)).collect();
        let lines: Vec<Line> = snaps.iter().enumerate().map(|(i, s)| self.line(i, s)).collect();
        let primary = &snaps[snaps.len() - 1];
        if let Some(numeric) = self.config.classic_numeric {
            let text = self.numeric_line(primary, numeric);
            self.view.numbers(&text);
        } else if self.view.is_json() {
            let names: Vec<Option<String>> = self.rows.iter().map(|l| l.row.name.clone()).collect();
            let stats = self.rows[self.rows.len() - 1].calc.stats;
            let text = json::update(&snaps, &names, &self.config.style, last, status, &stats);
            self.view.numbers(&text);
        } else {
            self.view.draw(&lines, last, self.width, self.height);
        }
        if let Some(extra) = &mut self.config.extra {
            extra.show(&self.config.tokens, primary, &self.config.style, self.width, &self.view);
        }
        if let Some(hooks) = &mut self.config.hooks {
            hooks.progress(primary, self.config.style.name.as_deref(), last);
        }
    }

    fn line(&self, index: usize, snap: &Snapshot) -> Line {
        let row = &self.rows[index].row;
        let tokens = row.tokens.as_ref().unwrap_or(&self.config.tokens);
        if row.name.is_some() {
            let style = Style { name: row.name.clone(), ..self.config.style.clone() };
            format::render(tokens, snap, &style, self.width)
        } else {
            format::render(tokens, snap, &self.config.style, self.width)
        }
    }

    /// pv 1.6.20's `-n` line (kept as it was: whole percentages, a 0-100-0 sawtooth when the
    /// size is unknown).
    fn numeric_line(&mut self, snap: &Snapshot, numeric: Numeric) -> String {
        let mut parts = Vec::new();
        let bits = if self.config.style.unit.is_bits() { 8 } else { 1 };
        if numeric.timer {
            parts.push(format!("{:.4}", snap.elapsed));
        }
        if numeric.bytes {
            parts.push((snap.amount * bits).to_string());
        }
        if numeric.rate {
            parts.push(format!("{:.4}", snap.rate * bits as f64));
        }
        if !numeric.bytes && !numeric.rate {
            let pct = match snap.size {
                Some(size) => (snap.amount as f64 / size as f64 * 100.0) as u64,
                None => u64::try_from(self.sawtooth.0).unwrap_or(0),
            };
            parts.push(pct.to_string());
        }
        let (position, step) = &mut self.sawtooth;
        *position += *step;
        if !(0..=100).contains(position) {
            *step = -*step;
            *position = (*position).clamp(0, 100);
        }
        format!("{}\n", parts.join(" "))
    }
}

/// The buffer state `%T` shows for a transfer's counters.
impl Shared {
    pub(crate) fn buffer(&self) -> Buffer {
        if self.splicing.load(Ordering::Relaxed) {
            return Buffer::Splicing;
        }
        let size = self.buffer_size.load(Ordering::Relaxed);
        if size == 0 {
            return Buffer::Unused;
        }
        let held = self.buffered.load(Ordering::Relaxed).min(size);
        Buffer::Fill(held as f64 * 100.0 / size as f64)
    }
}
