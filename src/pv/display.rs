//! The display thread: every `-i` seconds it reads the shared counters and draws pv's line on
//! stderr (`\r` updates, a final line and `\n`), or `-n` numbers, or `--per-file` bars with
//! indicatif. It also notices SIGWINCH (re-reads the width) and SIGCONT (excludes the stopped
//! time from the timer). It never ends the process: asked to finish, it draws the final line
//! and tells the main thread ([`Event::Drawn`]).

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use super::control::{Event, Flags};
use super::format::{self, Snapshot, Style, Token};
use super::shared::Shared;

/// How to show progress.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) tokens: Vec<Token>,
    /// `-F` was given (no segment dropping).
    pub(crate) custom_format: bool,
    pub(crate) style: Style,
    pub(crate) numeric: Option<Numeric>,
    pub(crate) interval: Duration,
    pub(crate) width: Option<usize>,
    pub(crate) size: Option<u64>,
    pub(crate) wait_for_data: bool,
    pub(crate) delay: Duration,
    pub(crate) stats: bool,
    /// `--per-file`: (name, size) of each input.
    pub(crate) per_file: Option<Vec<(String, Option<u64>)>>,
}

/// What `-n` prints.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Numeric {
    pub(crate) timer: bool,
    pub(crate) bytes: bool,
    pub(crate) rate: bool,
}

/// A running display; [`Display::finish`] has it draw the final update, after which it sends
/// [`Event::Drawn`].
pub(crate) struct Display {
    done: mpsc::Sender<()>,
}

impl Display {
    pub(crate) fn spawn(
        config: Config,
        shared: Arc<Shared>,
        flags: Flags,
        report: Sender<Event>,
    ) -> Display {
        let (done, rx) = mpsc::channel();
        thread::spawn(move || {
            Painter::new(config, shared, flags).run(&rx);
            let _ = report.send(Event::Drawn);
        });
        Display { done }
    }

    /// Asks for the final update (without waiting for it).
    pub(crate) fn finish(&self) {
        let _ = self.done.send(());
    }
}

fn terminal_width() -> usize {
    rustix::termios::tcgetwinsize(std::io::stderr())
        .ok()
        .map(|w| usize::from(w.ws_col))
        .filter(|&w| w > 0)
        .unwrap_or(80)
}

struct Painter {
    config: Config,
    shared: Arc<Shared>,
    signals: Flags,
    width: usize,
    started: Option<Instant>,
    paused: Duration,
    last_tick: Instant,
    last_amount: u64,
    last_update: Instant,
    previous_len: usize,
    bounce: i32,
    bounce_step: i32,
    rates: Vec<f64>,
    bars: Option<PerFile>,
}

impl Painter {
    fn new(config: Config, shared: Arc<Shared>, signals: Flags) -> Painter {
        let width = config.width.unwrap_or_else(terminal_width);
        let now = Instant::now();
        let bars = config.per_file.as_ref().map(|files| PerFile::new(files, config.size));
        Painter {
            started: (!config.wait_for_data).then_some(now),
            config,
            shared,
            signals,
            width,
            paused: Duration::ZERO,
            last_tick: now,
            last_amount: 0,
            last_update: now,
            previous_len: 0,
            bounce: 0,
            bounce_step: 2,
            rates: Vec::new(),
            bars,
        }
    }

    fn run(mut self, done: &mpsc::Receiver<()>) {
        let tick = self.config.interval.min(Duration::from_millis(100));
        let mut next = Instant::now() + self.config.interval;
        let show_after = Instant::now() + self.config.delay;
        loop {
            match done.recv_timeout(tick) {
                Ok(()) | Err(RecvTimeoutError::Disconnected) => {
                    self.account_pause();
                    self.draw(true);
                    return;
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            self.account_pause();
            if self.started.is_none() && self.shared.bytes.load(Ordering::Relaxed) > 0 {
                self.started = Some(Instant::now());
                self.last_update = Instant::now();
            }
            let now = Instant::now();
            if now >= next {
                next += self.config.interval;
                if next < now {
                    next = now + self.config.interval;
                }
                if now >= show_after && self.started.is_some() {
                    self.draw(false);
                }
            }
        }
    }

    /// Time between ticks far beyond the tick length after a SIGCONT was spent stopped.
    fn account_pause(&mut self) {
        let now = Instant::now();
        let gap = now - self.last_tick;
        self.last_tick = now;
        if self.signals.resumed.swap(false, Ordering::Relaxed) {
            let expected = self.config.interval.min(Duration::from_millis(100));
            self.paused += gap.saturating_sub(expected);
        }
        if self.config.width.is_none() && self.signals.resized.swap(false, Ordering::Relaxed) {
            self.width = terminal_width();
        }
    }

    fn snapshot(&mut self, last: bool) -> Snapshot {
        let now = Instant::now();
        let elapsed =
            self.started.map_or(0.0, |s| (now - s).saturating_sub(self.paused).as_secs_f64());
        let amount = self.shared.amount.load(Ordering::Relaxed);
        let dt = (now - self.last_update).as_secs_f64();
        let rate =
            if dt > 0.01 { (amount - self.last_amount.min(amount)) as f64 / dt } else { 0.0 };
        self.last_update = now;
        self.last_amount = amount;
        if !last {
            self.rates.push(rate);
        }
        let average = if elapsed > 0.0 { amount as f64 / elapsed } else { 0.0 };
        let last_written =
            self.shared.last.lock().map(|l| l.iter().copied().collect()).unwrap_or_default();
        let splicing = self.shared.splicing.load(Ordering::Relaxed);
        Snapshot {
            amount,
            elapsed,
            rate,
            average,
            size: self.config.size,
            last_written,
            buffer_percent: (!splicing).then_some(0),
            last,
            bounce: u32::try_from(self.bounce).unwrap_or(0),
        }
    }

    fn draw(&mut self, last: bool) {
        if self.started.is_none() {
            if !last {
                return;
            }
            self.started = Some(Instant::now());
        }
        let snap = self.snapshot(last);
        let mut out = String::new();
        if let Some(bars) = &self.bars {
            bars.update(&self.shared, last);
        } else if let Some(numeric) = self.config.numeric {
            out = self.numeric_line(&snap, numeric);
        } else {
            let line = if self.config.custom_format {
                format::render_format(&self.config.tokens, &snap, &self.config.style, self.width)
            } else {
                format::render_segments(&self.config.tokens, &snap, &self.config.style, self.width)
            };
            let len = line.chars().count();
            out.push_str(&line);
            if len < self.previous_len {
                out.push_str(&" ".repeat((self.previous_len - len).min(15)));
            }
            self.previous_len = len;
            // pv ends every update with CR, and the last one also with a newline.
            out.push('\r');
            if last {
                out.push('\n');
            }
        }
        // The bouncing indicator moves 2% per update.
        self.bounce += self.bounce_step;
        if !(0..=100).contains(&self.bounce) {
            self.bounce_step = -self.bounce_step;
            self.bounce = self.bounce.clamp(0, 100);
        }
        if last && self.config.stats {
            out.push_str(&stats_line(&self.rates));
        }
        let _ = std::io::stderr().lock().write_all(out.as_bytes());
    }

    fn numeric_line(&self, snap: &Snapshot, numeric: Numeric) -> String {
        let mut parts = Vec::new();
        if numeric.timer {
            parts.push(format!("{:.4}", snap.elapsed));
        }
        if numeric.bytes {
            parts.push(snap.amount.to_string());
        }
        if numeric.rate {
            parts.push(format!("{:.4}", if snap.last { snap.average } else { snap.rate }));
        }
        if !numeric.bytes && !numeric.rate {
            let pct = match snap.size.filter(|&s| s > 0) {
                Some(size) => (snap.amount as f64 / size as f64 * 100.0) as u64,
                None => u64::from(snap.bounce),
            };
            parts.push(pct.to_string());
        }
        format!("{}\n", parts.join(" "))
    }
}

fn stats_line(rates: &[f64]) -> String {
    if rates.is_empty() {
        return "rate not measured\n".to_owned();
    }
    let n = rates.len() as f64;
    let min = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let max = rates.iter().copied().fold(0.0, f64::max);
    let avg = rates.iter().sum::<f64>() / n;
    let mdev = (rates.iter().map(|r| (r - avg).powi(2)).sum::<f64>() / n).sqrt();
    format!("rate min/avg/max/mdev = {min:.3}/{avg:.3}/{max:.3}/{mdev:.3} B/s\n")
}

/// `--per-file`: one indicatif bar per input plus the total.
struct PerFile {
    _multi: indicatif::MultiProgress,
    files: Vec<indicatif::ProgressBar>,
    total: indicatif::ProgressBar,
}

impl PerFile {
    fn new(files: &[(String, Option<u64>)], size: Option<u64>) -> PerFile {
        let multi = indicatif::MultiProgress::with_draw_target(
            indicatif::ProgressDrawTarget::stderr_with_hz(10),
        );
        let style = indicatif::ProgressStyle::with_template(
            "{prefix:>24} [{bar:40}] {bytes:>10}/{total_bytes:<10} {binary_bytes_per_sec}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        let make = |name: &str, len: Option<u64>| {
            let bar = multi.add(indicatif::ProgressBar::new(len.unwrap_or(0)));
            bar.set_style(style.clone());
            bar.set_prefix(
                name.chars()
                    .rev()
                    .take(24)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<String>(),
            );
            bar
        };
        let bars = files.iter().map(|(name, len)| make(name, *len)).collect();
        let total = make("total", size);
        PerFile { _multi: multi, files: bars, total }
    }

    fn update(&self, shared: &Shared, last: bool) {
        for (bar, counter) in self.files.iter().zip(&shared.per_file) {
            bar.set_position(counter.load(Ordering::Relaxed));
            if last {
                bar.finish();
            }
        }
        self.total.set_position(shared.bytes.load(Ordering::Relaxed));
        if last {
            self.total.finish();
        }
    }
}
