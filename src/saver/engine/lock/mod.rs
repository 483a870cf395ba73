//! `fun saver --lock`: the engine's lock. While a run is locked every key goes here, never to
//! the screen: the first shows a password prompt over the running (dimmed) screen, Enter has
//! the password checked on a worker thread, and only an accepted password ends the run.
//!
//! `prompt.rs` is the state machine (keys, Esc, timeout, delays); `auth.rs` the wiped
//! password buffer and the worker; this file joins them to the frame loop and draws the box.
//! What checks the password (PAM) is the product's business: the engine only knows
//! [`Authenticator`].

pub(crate) mod auth;
pub(crate) mod prompt;

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;

use self::auth::Checker;
pub(crate) use self::auth::{Authenticator, Verdict};
use self::prompt::{Phase, Prompt};
use crate::saver::kit::buffer::{Attrs, Buffer, Style};
use crate::saver::kit::paint::text_width;
use crate::saver::kit::screen::Theme;

/// How often the frame loop looks for the worker's verdict while a check runs.
const CHECK_POLL: Duration = Duration::from_millis(50);
/// The dimming step of the screen behind the prompt (of `kit::color::DIM_STEPS`).
pub(crate) const DIM_BEHIND: u8 = 3;
/// The mask shown once something is typed: the same whatever the length.
const MASK: &str = "********";
const NO_MASK: &str = "        ";

/// A locked run's lock.
pub(crate) struct Lock {
    prompt: Prompt,
    checker: Checker,
    /// Who locked where, e.g. "alice on pts/3".
    title: String,
    now: Duration,
}

impl Lock {
    pub(crate) fn new(auth: Arc<dyn Authenticator>, title: &str) -> Lock {
        Lock {
            prompt: Prompt::new(),
            checker: Checker::new(auth),
            title: title.to_string(),
            now: Duration::ZERO,
        }
    }

    /// A key at `now` (monotonic time of the run). Returns whether what the prompt shows
    /// changed: most keys of a password, and every key of a pasted flood, change nothing on
    /// the screen and need no frame of their own.
    pub(crate) fn key(&mut self, byte: u8, now: Duration) -> bool {
        let before = self.shown();
        if let Some(secret) = self.prompt.key(byte, now) {
            self.checker.start(secret);
        }
        self.shown() != before
    }

    /// What the box shows, in short (never the typed text).
    fn shown(&self) -> (Phase, bool, Option<String>) {
        (self.prompt.phase(), self.prompt.typed(), self.prompt.note().map(str::to_owned))
    }

    /// The time is `now` (`wall` on the clock): takes the worker's verdict, and lets the
    /// prompt's timers act.
    pub(crate) fn tick(&mut self, now: Duration, wall: NaiveDateTime) {
        self.now = now;
        match self.checker.poll() {
            Some(Verdict::Accepted) => self.prompt.accepted(),
            Some(Verdict::Refused(reason)) => self.prompt.refused(now, wall, &reason),
            None => {}
        }
        self.prompt.tick(now);
    }

    /// Whether the password was accepted: the run ends.
    pub(crate) fn unlocked(&self) -> bool {
        self.prompt.phase() == Phase::Unlocked
    }

    /// Whether the prompt is shown (the screen behind is dimmed).
    pub(crate) fn visible(&self) -> bool {
        self.prompt.visible()
    }

    /// How long the frame loop may sleep before [`Lock::tick`] has something to do.
    pub(crate) fn wake_in(&self) -> Option<Duration> {
        let deadline = self.prompt.next_deadline().map(|at| at.saturating_sub(self.now));
        let checking = self.checker.busy().then_some(CHECK_POLL);
        deadline.into_iter().chain(checking).min().map(|d| d.max(Duration::from_millis(1)))
    }

    /// "3 failed attempts since 14:02", when any failed (said after the terminal is back).
    pub(crate) fn failures_report(&self) -> Option<String> {
        self.prompt.failures_report()
    }

    /// The lines of the box: who, the masked field, and what is going on.
    fn lines(&self) -> [String; 3] {
        let mask = if self.prompt.typed() { MASK } else { NO_MASK };
        let status = match self.prompt.phase() {
            Phase::Checking => "checking...".to_string(),
            Phase::Refused(until) => {
                let wait = until.saturating_sub(self.now).as_secs_f64().ceil();
                let reason = self.prompt.note().unwrap_or("refused");
                format!("{reason}; wait {wait:.0} s")
            }
            _ => self.prompt.note().map_or_else(|| "Enter unlocks".to_string(), str::to_string),
        };
        [format!("locked: {}", self.title), format!("password: [{mask}]"), status]
    }

    /// Draws the prompt's box in the middle of `buf`: a blank box (no border needed, so it
    /// works without colour and on the Linux console), text clipped to the width.
    pub(crate) fn draw(&self, buf: &mut Buffer, theme: &Theme) {
        if !self.visible() {
            return;
        }
        let lines = self.lines();
        let widest = lines.iter().map(|l| text_width(l)).max().unwrap_or(0);
        let (bw, bh) = (buf.width(), buf.height());
        // A column of margin each side when it fits, else the text uses the whole width.
        let w = widest.saturating_add(2).min(bw);
        let pad = u16::from(w >= widest.saturating_add(2));
        let inner = w - 2 * pad;
        let h = (lines.len() as u16 + 2).min(bh);
        let (x, y) = ((bw - w) / 2, (bh - h) / 2);
        buf.fill(x, y, w, h, ' ', Style::default().with_attrs(Attrs::REVERSE));
        let first = y + u16::from(h > lines.len() as u16);
        for (i, line) in lines.iter().enumerate().take(usize::from(h)) {
            let attrs = if i == 1 { Attrs::REVERSE | Attrs::BOLD } else { Attrs::REVERSE };
            let style = Style::fg(theme.accent).with_attrs(attrs);
            let clipped = clip(line, inner);
            buf.put_str(x + pad, first + i as u16, &clipped, style);
        }
    }
}

/// `text` cut to `width` columns.
fn clip(text: &str, width: u16) -> String {
    let mut out = String::new();
    let mut used = 0u16;
    for ch in text.chars() {
        let w = text_width(ch.encode_utf8(&mut [0; 4]));
        if used + w > width {
            break;
        }
        used += w;
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Only(&'static [u8]);
    impl Authenticator for Only {
        fn check(&self, password: &[u8]) -> Verdict {
            if password == self.0 {
                Verdict::Accepted
            } else {
                Verdict::Refused("wrong password".into())
            }
        }
    }

    fn wall() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 4)
            .and_then(|d| d.and_hms_opt(14, 2, 0))
            .expect("valid date")
    }

    fn settle(lock: &mut Lock, now: Duration) {
        while lock.checker.busy() {
            lock.tick(now, wall());
            std::thread::yield_now();
        }
    }

    fn drawn(lock: &Lock, w: u16, h: u16) -> String {
        let mut buf = Buffer::new(w, h);
        lock.draw(&mut buf, &Theme::default());
        buf.to_text()
    }

    #[test]
    fn a_wrong_then_the_right_password_unlocks_and_counts() {
        let mut lock = Lock::new(Arc::new(Only(b"hunter2")), "alice on pts/3");
        let t = Duration::from_secs(5);
        for &b in b" nope\r" {
            lock.key(b, t);
        }
        settle(&mut lock, t);
        assert!(!lock.unlocked());
        let text = drawn(&lock, 40, 10);
        assert!(text.contains("wrong password; wait 1 s"), "{text}");
        lock.tick(t + Duration::from_secs(1), wall());
        for &b in b"hunter2\r" {
            lock.key(b, t + Duration::from_secs(1));
        }
        settle(&mut lock, t + Duration::from_secs(1));
        assert!(lock.unlocked());
        assert_eq!(lock.failures_report().as_deref(), Some("1 failed attempt since 14:02"));
    }

    #[test]
    fn the_box_never_shows_the_password_or_its_length() {
        let mut lock = Lock::new(Arc::new(Only(b"x")), "alice on pts/3");
        lock.key(b' ', Duration::ZERO);
        let empty = drawn(&lock, 40, 10);
        assert!(empty.contains("password: [        ]"), "{empty}");
        lock.key(b's', Duration::ZERO);
        let one = drawn(&lock, 40, 10);
        for &b in b"ecretpassword" {
            lock.key(b, Duration::ZERO);
        }
        let many = drawn(&lock, 40, 10);
        assert_eq!(one, many);
        assert!(!many.contains("secret"), "{many}");
        assert!(many.contains("password: [********]"), "{many}");
    }

    use crate::saver::engine::backend::{Input, Scripted};
    use crate::saver::engine::{Engine, Exit, Settings};
    use crate::saver::kit::screen::{Ctx, Screen, Size};

    /// A screen that draws nothing (the engine's layer uses no real screen).
    struct Blank;
    impl Screen for Blank {
        fn resize(&mut self, _: Size, _: &mut rand::rngs::StdRng) {}
        fn update(&mut self, _: &mut Ctx<'_>) {}
        fn draw(&self, _: &mut crate::saver::kit::canvas::Canvas<'_>, _: &Theme) {}
    }

    fn locked_run(keys: &[u8], frames: u64) -> (Exit, String) {
        let size = Size { width: 40, height: 10 };
        let screen = Box::new(Blank);
        let lock = Lock::new(Arc::new(Only(b"hunter2")), "alice on pts/3");
        let mut engine = Engine::new("blank", screen, Settings::default(), size).with_lock(lock);
        let inner = crate::saver::engine::backend::HeadlessBackend::new(size, frames, wall());
        let inputs = keys.iter().copied().map(Input::Key).collect();
        let mut backend = Scripted::new(inner, inputs, Duration::from_millis(10));
        let exit = engine.run(&mut backend).expect("run");
        (exit, engine.shown().to_text())
    }

    #[test]
    fn a_locked_run_gives_every_key_to_the_lock() {
        // q, Ctrl+C, Ctrl+Z, Ctrl+\, Ctrl+D, Enter: the run goes on, the prompt is shown.
        let (exit, text) = locked_run(b"q\x03\x1a\x1c\x04\r", 50);
        assert_eq!(exit, Exit::Frames);
        assert!(text.contains("password: [        ]"), "{text}");
    }

    #[test]
    fn a_locked_run_ends_on_the_right_password_only() {
        let (exit, _) = locked_run(b" hunter2\r", 100_000);
        assert_eq!(exit, Exit::Key);
        let (exit, text) = locked_run(b" hunter3\r", 200);
        assert_eq!(exit, Exit::Frames);
        assert!(!text.contains("hunter"), "{text}");
    }

    #[test]
    fn the_box_fits_a_tiny_terminal() {
        let mut lock = Lock::new(Arc::new(Only(b"x")), "alice on pts/3");
        lock.key(b' ', Duration::ZERO);
        let text = drawn(&lock, 20, 8);
        assert!(text.contains("password: [        ]"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 20));
        // Smaller still: clipped, never a panic.
        for (w, h) in [(1, 1), (5, 2), (12, 3)] {
            drawn(&lock, w, h);
        }
    }
}
