//! The frame loop: owns time, randomness, input, resize, the frame buffer and the encoder.
//!
//! One turn of the loop: if the next frame is due, update the screen by the elapsed time (scaled
//! by `--speed`), draw it into a blank buffer, map its colours to the terminal's depth, diff it
//! against what the terminal shows and write the difference in one call. Otherwise wait for input
//! until the frame is due (`Backend::wait`, a poll with a timeout: no busy waiting). A resize
//! re-lays out the screen at once and repaints; below the screen's minimum size a friendly
//! "terminal too small" view is shown instead.
//!
//! This folder is the saver's engine: it runs any `Box<dyn Screen>` (this frame loop, the
//! terminal or headless `backend`, the diff encoder `render`, `power` saving, `overlay`s, and
//! `rotate` with its `dissolve`: a screen made of screens). It uses the kit, never a screen or
//! the product.

pub(crate) mod backend;
pub(crate) mod dissolve;
pub(crate) mod keys;
pub(crate) mod lock;
pub(crate) mod overlay;
pub(crate) mod power;
pub(crate) mod render;
pub(crate) mod rotate;

use std::time::Duration;

use chrono::NaiveDateTime;
use rand::SeedableRng;
use rand::rngs::StdRng;

use self::backend::{Backend, Input};
use self::keys::{Command, Press};
use self::lock::Lock;
use self::overlay::Overlay;
use self::power::Power;
use self::render::Encoder;
use crate::saver::kit::buffer::{Attrs, Buffer, Style};
use crate::saver::kit::color::Depth;
use crate::saver::kit::screen::{Ctx, KeyAction, Screen, Size, Theme};

/// The engine-wide settings from the command line.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// Frames per second; `None` lets the screen choose (`Screen::frame_interval`).
    pub(crate) fps: Option<f64>,
    /// Multiplies the time step every screen sees.
    pub(crate) speed: f64,
    pub(crate) seed: u64,
    pub(crate) theme: Theme,
    pub(crate) depth: Depth,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            fps: None,
            speed: 1.0,
            seed: 0,
            theme: Theme::default(),
            depth: Depth::Indexed256,
        }
    }
}

/// Why the loop ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// A key was pressed.
    Key,
    /// A termination signal arrived.
    Signal(i32),
    /// The terminal went away (hang-up, end of input, EIO).
    Hangup,
    /// The headless frame count was reached.
    Frames,
    /// The screen cannot be shown ([`Screen::settle`]); the reason is
    /// [`Engine::take_failure`].
    Failed,
}

/// One screen being shown: its state plus the frame buffers and the encoder.
pub(crate) struct Engine {
    name: String,
    screen: Box<dyn Screen>,
    settings: Settings,
    rng: StdRng,
    size: Size,
    too_small: bool,
    /// The frame being drawn (styles mapped to the colour depth as they are drawn), beside what
    /// the terminal shows. Kept from frame to frame: a screen that can repaints only what
    /// changed.
    frame: Buffer,
    /// Whether `frame` holds exactly what the screen's last paint left there.
    frame_kept: bool,
    encoder: Encoder,
    needs_clear: bool,
    elapsed: Duration,
    /// Bytes produced by the last `render`, kept to reuse the allocation.
    out: Vec<u8>,
    extras: Extras,
    /// Why the screen cannot be shown, when the run ended with [`Exit::Failed`].
    failure: Option<anyhow::Error>,
}

/// What the engine adds to every screen: overlays, focus and dimming (`overlay.rs`,
/// `power.rs`), and the bell a screen asks for.
struct Extras {
    overlay: Option<Overlay>,
    power: Power,
    /// Real time since the run started (the dimming counts from the start).
    running: Duration,
    /// The dimming step the frame's style map was made for.
    dim_step: u8,
    bell: bool,
    /// `--lock`: every key goes to the lock, and only its accepted password ends the run.
    lock: Option<Lock>,
    /// The last key changed nothing the lock shows: no frame for it (a pasted flood).
    lock_unchanged: bool,
    /// Paused by `p` or space: the screen is not updated (its frame stays).
    paused: bool,
    /// Just resumed: the time paused is not animated through.
    resumed: bool,
    /// Until when (real time, as `running`) the `?` help line shows.
    help_until: Option<Duration>,
}

impl Engine {
    #[must_use]
    pub(crate) fn new(
        name: &str,
        screen: Box<dyn Screen>,
        mut settings: Settings,
        size: Size,
    ) -> Engine {
        // The screens see the depth in the theme they draw with (and in `Ctx`).
        settings.theme.depth = settings.depth;
        let rng = StdRng::seed_from_u64(settings.seed);
        let mut frame = Buffer::new(0, 0);
        frame.map_styles_to(settings.depth, 0);
        let mut engine = Engine {
            name: name.to_string(),
            screen,
            settings,
            rng,
            size: Size { width: 0, height: 0 },
            too_small: true,
            frame,
            frame_kept: false,
            encoder: Encoder::new(),
            needs_clear: true,
            elapsed: Duration::ZERO,
            out: Vec::new(),
            extras: Extras {
                overlay: None,
                power: Power::new(None),
                running: Duration::ZERO,
                dim_step: 0,
                bell: false,
                lock: None,
                lock_unchanged: false,
                paused: false,
                resumed: false,
                help_until: None,
            },
            failure: None,
        };
        engine.resize(size);
        engine
    }

    /// Adds an overlay and the focus and dimming behaviour.
    #[must_use]
    pub(crate) fn with_extras(mut self, overlay: Option<Overlay>, power: Power) -> Engine {
        self.extras.overlay = overlay;
        self.extras.power = power;
        self
    }

    /// Locks the run (`--lock`).
    #[must_use]
    pub(crate) fn with_lock(mut self, lock: Lock) -> Engine {
        self.extras.lock = Some(lock);
        self
    }

    /// The lock's "N failed attempts since HH:MM", after a locked run.
    pub(crate) fn lock_report(&self) -> Option<String> {
        self.extras.lock.as_ref().and_then(Lock::failures_report)
    }

    /// Re-lays out for a new size and schedules a full repaint.
    pub(crate) fn resize(&mut self, size: Size) {
        let was_small = self.too_small;
        let changed = size != self.size;
        self.size = size;
        self.frame.resize(size.width, size.height);
        self.needs_clear = true;
        self.frame_kept = false;
        let min = self.screen.min_size();
        self.too_small = size.width < min.width || size.height < min.height;
        if !self.too_small && (changed || was_small) {
            self.screen.resize(size, &mut self.rng);
        }
    }

    /// Advances the screen by `dt` of real time.
    pub(crate) fn update(&mut self, dt: Duration, now: NaiveDateTime) {
        if let Some(lock) = &mut self.extras.lock {
            lock.tick(self.extras.running, now);
        }
        if self.too_small {
            return;
        }
        let dt = dt.mul_f64(self.settings.speed);
        self.elapsed += dt;
        let depth = self.settings.depth;
        let mut ctx = Ctx { rng: &mut self.rng, dt, elapsed: self.elapsed, now, depth };
        self.screen.update(&mut ctx);
        self.extras.bell |= self.screen.take_bell();
        if let Some(overlay) = &mut self.extras.overlay {
            overlay.update(now, self.elapsed);
        }
    }

    /// Draws the frame and returns the bytes that bring the terminal up to date (empty when
    /// nothing changed).
    pub(crate) fn render(&mut self) -> &[u8] {
        let behind_lock = self.extras.lock.as_ref().is_some_and(Lock::visible);
        let dim = self.extras.power.dim_step(self.extras.running);
        let dim = if behind_lock { dim.max(lock::DIM_BEHIND) } else { dim };
        if dim != self.extras.dim_step {
            // Every style drawn from now on is dimmed one step more: repaint everything.
            self.extras.dim_step = dim;
            self.frame.map_styles_to(self.settings.depth, dim);
            self.frame_kept = false;
        }
        self.out.clear();
        if self.needs_clear {
            self.encoder.clear(&mut self.out);
            self.frame.terminal_cleared();
            self.needs_clear = false;
            self.frame_kept = false;
        }
        self.paint();
        self.encoder.encode_dirty(&mut self.frame, &mut self.out);
        debug_assert!(self.frame.is_shown(), "the diff missed a change");
        if std::mem::take(&mut self.extras.bell) {
            self.out.push(0x07);
        }
        &self.out
    }

    /// Paints the next frame into `frame`: only what changed when the screen can and the
    /// frame still holds its last paint, else everything on a blanked buffer (which blanks
    /// only what the last frame drew).
    fn paint(&mut self) {
        let theme = &self.settings.theme;
        if self.too_small {
            self.frame.clear();
            draw_too_small(&mut self.frame, &self.name, self.screen.min_size(), &self.settings);
            self.frame_kept = false;
            self.draw_lock();
            return;
        }
        if !self.frame_kept {
            self.frame.clear();
        }
        if !self.screen.draw_changes(&mut self.frame.canvas(), theme, self.frame_kept) {
            if self.frame_kept {
                self.frame.clear();
            }
            self.screen.draw(&mut self.frame.canvas(), theme);
        }
        self.frame_kept = true;
        if let Some(overlay) = &mut self.extras.overlay {
            overlay.draw(&mut self.frame, theme);
            // The overlay covers what the screen painted: the next frame starts afresh.
            self.frame_kept = false;
        }
        self.paint_help();
        self.draw_lock();
    }

    /// The lock's prompt over everything, undimmed (the screen behind it is dimmed).
    fn draw_lock(&mut self) {
        let Some(lock) = self.extras.lock.as_ref().filter(|lock| lock.visible()) else { return };
        self.frame.map_styles_to(self.settings.depth, 0);
        lock.draw(&mut self.frame, &self.settings.theme);
        self.frame.map_styles_to(self.settings.depth, self.extras.dim_step);
        self.frame_kept = false;
    }

    /// The `?` help line over the frame, while it shows.
    fn paint_help(&mut self) {
        let Some(until) = self.extras.help_until else { return };
        if self.extras.running >= until {
            self.extras.help_until = None;
            return;
        }
        let rotation = self.screen.showing().is_some();
        let name = self.screen.showing().unwrap_or(&self.name);
        let text = keys::help_text(name, rotation, self.extras.paused);
        keys::draw_help(&mut self.frame, &text, &self.settings.theme);
        self.frame_kept = false;
    }

    /// Waits in real time, up to `deadline`, for the screen's first content
    /// ([`Screen::ready`]), looking at `stop` (a signal arrived) between looks; for the runs
    /// whose clock is simulated, before it starts. Returns whether the content came.
    pub(crate) fn wait_for_content(&mut self, deadline: Duration, stop: &dyn Fn() -> bool) -> bool {
        let start = std::time::Instant::now();
        loop {
            if self.screen.ready() {
                return true;
            }
            if stop() || start.elapsed() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// For `--print`: runs the screen without drawing, in simulated time from `wall`, until its
    /// picture is finished ([`Screen::finished`]) or [`Screen::print_after`] has passed (at most
    /// [`PRINT_LIMIT`] of animation and [`PRINT_UPDATES`] updates), then draws it once.
    ///
    /// # Errors
    /// Why the screen cannot be shown ([`Screen::settle`]).
    pub(crate) fn run_to_picture(&mut self, wall: NaiveDateTime) -> anyhow::Result<&Buffer> {
        let limit = self.screen.print_after().min(PRINT_LIMIT);
        let mut time = Duration::ZERO;
        // The first update starts the screen, as the first frame of a run does.
        self.update(Duration::ZERO, wall);
        for _ in 0..PRINT_UPDATES {
            self.screen.settle(false)?;
            if time >= limit || self.too_small || self.screen.finished() {
                break;
            }
            let step = self.interval().min(limit - time).max(Duration::from_millis(1));
            time += step;
            let now = wall + chrono::Duration::from_std(time).unwrap_or_default();
            self.update(step, now);
        }
        self.render();
        Ok(self.shown())
    }

    /// Why the screen could not be shown, after [`Exit::Failed`].
    pub(crate) fn take_failure(&mut self) -> anyhow::Error {
        self.failure.take().unwrap_or_else(|| anyhow::anyhow!("the screen failed"))
    }

    /// What the terminal shows after the last `render`.
    #[must_use]
    pub(crate) fn shown(&self) -> &Buffer {
        // After `render` the frame is what the terminal shows.
        &self.frame
    }

    /// Time until the next frame.
    #[must_use]
    pub(crate) fn interval(&self) -> Duration {
        let lock = self.extras.lock.as_ref().and_then(Lock::wake_in);
        if self.too_small {
            return lock.map_or(Duration::from_secs(1), |lock| lock.min(Duration::from_secs(1)));
        }
        let own = match self.settings.fps {
            Some(fps) => Duration::from_secs_f64(1.0 / fps.clamp(0.1, 240.0)),
            None => self.screen.frame_interval().max(Duration::from_millis(1)),
        };
        // Paused, nothing moves: the next frame is for the help line going away, or a key.
        let own = if self.extras.paused { PAUSED } else { own };
        let overlay = self.extras.overlay.as_ref().map(Overlay::interval);
        let dimming = self.extras.power.next_change(self.extras.running);
        let help = self.extras.help_until.map(|until| until.saturating_sub(self.extras.running));
        [Some(own), overlay, dimming, lock, help].into_iter().flatten().min().unwrap_or(own)
    }

    /// Runs until a key, a signal or (headless) the frame count.
    ///
    /// # Errors
    /// When reading input or writing to the terminal fails.
    pub(crate) fn run(&mut self, backend: &mut dyn Backend) -> std::io::Result<Exit> {
        let mut last = backend.now();
        let mut due = last;
        loop {
            let now = backend.now();
            self.extras.running = now;
            // A lock keeps its timers and its check going without the focus.
            if now >= due && !self.extras.power.focused() && self.extras.lock.is_none() {
                // Nobody looks: draw nothing until an input (the focus coming back) arrives.
                due = now + PAUSED;
                continue;
            }
            if now >= due {
                if std::mem::take(&mut self.extras.resumed) {
                    last = now;
                }
                if !self.extras.paused {
                    self.update(now - last, backend.wall());
                }
                last = now;
                if self.extras.lock.as_ref().is_some_and(Lock::unlocked) {
                    return Ok(Exit::Key);
                }
                if let Err(why) = self.screen.settle(false) {
                    self.failure = Some(why);
                    return Ok(Exit::Failed);
                }
                let bytes = self.render();
                if !bytes.is_empty()
                    && let Some(input) = backend.write_frame(bytes)?
                {
                    if let Some(exit) = self.react(input, backend) {
                        return Ok(exit);
                    }
                    if input == Input::Continued {
                        // Stopped in the middle of the frame: the time stopped is not animated.
                        last = backend.now();
                    }
                }
                if backend.frame_done() {
                    return Ok(Exit::Frames);
                }
                due = backend.now() + self.interval();
                continue;
            }
            if let Some(input) = backend.wait(due - now)? {
                if let Some(exit) = self.react(input, backend) {
                    return Ok(exit);
                }
                // A resize, a key the screen took, the focus: draw at once. Time spent
                // without the focus, or stopped, is not animated through.
                if !std::mem::take(&mut self.extras.lock_unchanged) {
                    due = backend.now();
                }
                if matches!(input, Input::Focus(true) | Input::Continued) {
                    last = due;
                }
            }
        }
    }

    /// A key press: the screen's own keys first, then the engine's ([`keys::command`]):
    /// the next screen, pause, the help line, or the end of the run. Any key hides the help.
    fn key(&mut self, press: Press) -> Option<Exit> {
        let help_shown = self.extras.help_until.take().is_some();
        if let Press::Byte(byte) = press
            && self.screen.key(byte) == KeyAction::Taken
        {
            return None;
        }
        match keys::command(press) {
            Command::Next => {
                if self.screen.next_screen(&mut self.rng) {
                    self.pause(false);
                }
            }
            Command::Pause => self.pause(!self.extras.paused),
            Command::Help if !help_shown => {
                self.extras.help_until = Some(self.extras.running + keys::HELP_FOR);
            }
            Command::Help => {}
            Command::Exit => return Some(Exit::Key),
        }
        // Whatever changed (a help line gone) is repainted.
        self.frame_kept = false;
        None
    }

    fn pause(&mut self, paused: bool) {
        self.extras.resumed |= self.extras.paused && !paused;
        self.extras.paused = paused;
    }

    /// What `input` means: the end of the run, or a resize (re-laid out here).
    fn react(&mut self, input: Input, backend: &mut dyn Backend) -> Option<Exit> {
        match input {
            // Locked: every key is the lock's (nothing else may see or act on one).
            Input::Key(key) if let Some(lock) = &mut self.extras.lock => {
                self.extras.lock_unchanged = !lock.key(key, backend.now());
                None
            }
            Input::Arrow(arrow) if let Some(lock) = &mut self.extras.lock => {
                let now = backend.now();
                let changed =
                    arrow.sequence().into_iter().fold(false, |any, b| lock.key(b, now) | any);
                self.extras.lock_unchanged = !changed;
                None
            }
            Input::Key(key) => self.key(Press::Byte(key)),
            Input::Arrow(arrow) => self.key(Press::Arrow(arrow)),
            Input::Focus(focused) => {
                self.extras.power.set_focus(focused);
                None
            }
            Input::Signal(sig) => Some(Exit::Signal(sig)),
            Input::Hangup => Some(Exit::Hangup),
            Input::Resize(size) => {
                // Terminals report the size that is current now; asking again collapses a
                // burst of resize events into one re-layout.
                let size = backend.size().unwrap_or(size);
                self.resize(size);
                None
            }
            Input::Continued => {
                // Back from a stop: the window may have another size, and the terminal shows
                // the shell's screen: a full repaint either way (`resize` schedules it).
                let size = backend.size().unwrap_or(self.size);
                self.resize(size);
                None
            }
        }
    }
}

/// How long recordings, `--headless` and `--print` wait for a screen's first content
/// ([`Engine::wait_for_content`]) before they go on with what there is.
pub(crate) const CONTENT_DEADLINE: Duration = Duration::from_secs(10);

/// The most animation `--print` runs before printing: ten minutes.
pub(crate) const PRINT_LIMIT: Duration = Duration::from_secs(600);
/// The most updates `--print` makes (a screen asking for 1 ms frames stops here).
const PRINT_UPDATES: u32 = 200_000;

/// How long to sleep at a time while the terminal has no focus (any input wakes it at once).
const PAUSED: Duration = Duration::from_secs(3600);

/// The "terminal too small" view: centred, clipped lines.
fn draw_too_small(buf: &mut Buffer, name: &str, min: Size, settings: &Settings) {
    let (w, h) = (buf.width(), buf.height());
    let title = if w >= 18 { "terminal too small" } else { "too small" };
    let lines = [
        title.to_string(),
        format!("{name} needs {}x{}", min.width, min.height),
        format!("this is {w}x{h}"),
        "enlarge it, or press a key".to_string(),
    ];
    let style = Style::fg(settings.theme.accent).with_attrs(Attrs::BOLD);
    let top = h.saturating_sub(lines.len() as u16) / 2;
    for (i, line) in lines.iter().enumerate() {
        let len = unicode_width::UnicodeWidthStr::width(line.as_str()) as u16;
        let x = w.saturating_sub(len) / 2;
        buf.put_str(x, top + i as u16, line, if i == 0 { style } else { Style::default() });
    }
}

#[cfg(test)]
mod tests {
    use self::backend::{HeadlessBackend, Scripted};
    use super::*;
    use crate::saver::kit::canvas::Canvas;

    /// A screen that draws its frame count and the width, so tests can see updates and resizes.
    struct Counter {
        frames: u32,
        size: Size,
    }

    impl Screen for Counter {
        fn min_size(&self) -> Size {
            Size { width: 10, height: 3 }
        }
        fn resize(&mut self, size: Size, _rng: &mut StdRng) {
            self.size = size;
        }
        fn update(&mut self, _ctx: &mut Ctx<'_>) {
            self.frames += 1;
        }
        fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
            let text = format!("f{} w{}", self.frames, self.size.width);
            buf.put_str(0, 0, &text, Style::fg(theme.primary));
        }
        fn frame_interval(&self) -> Duration {
            Duration::from_millis(100)
        }
    }

    /// A byte sink the test can read after handing it to the backend.
    #[derive(Clone, Default)]
    struct SharedBytes(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl std::io::Write for SharedBytes {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A backend whose writes are cut short by a hang-up, as a vanished terminal's are.
    struct HungUp(HeadlessBackend);

    impl Backend for HungUp {
        fn size(&mut self) -> std::io::Result<Size> {
            self.0.size()
        }
        fn now(&self) -> Duration {
            self.0.now()
        }
        fn wall(&self) -> NaiveDateTime {
            self.0.wall()
        }
        fn wait(&mut self, timeout: Duration) -> std::io::Result<Option<Input>> {
            self.0.wait(timeout)
        }
        fn write_frame(&mut self, _: &[u8]) -> std::io::Result<Option<Input>> {
            Ok(Some(Input::Hangup))
        }
    }

    #[test]
    fn a_hangup_while_writing_ends_the_run() {
        let size = Size { width: 20, height: 4 };
        let mut e = engine(size);
        let mut backend = HungUp(HeadlessBackend::new(size, 100, wall()));
        assert_eq!(e.run(&mut backend).unwrap(), Exit::Hangup);
    }

    fn engine(size: Size) -> Engine {
        let screen = Box::new(Counter { frames: 0, size: Size { width: 0, height: 0 } });
        Engine::new("counter", screen, Settings::default(), size)
    }

    fn wall() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
            .and_then(|d| d.and_hms_opt(3, 4, 5))
            .expect("valid date")
    }

    #[test]
    fn runs_the_requested_number_of_frames_with_simulated_time() {
        let size = Size { width: 20, height: 4 };
        let mut e = engine(size);
        let mut backend = HeadlessBackend::new(size, 5, wall());
        assert_eq!(e.run(&mut backend).unwrap(), Exit::Frames);
        assert_eq!(e.shown().to_text().lines().next(), Some("f5 w20"));
        assert_eq!(backend.now(), Duration::from_millis(400));
    }

    #[test]
    fn resize_relayouts_and_repaints() {
        let size = Size { width: 20, height: 4 };
        let mut e = engine(size);
        let mut backend = HeadlessBackend::new(size, 3, wall());
        let stream = SharedBytes::default();
        backend.stream_to(Box::new(stream.clone()));
        backend.resize_before(2, Size { width: 30, height: 5 });
        e.run(&mut backend).unwrap();
        assert_eq!(e.shown().width(), 30);
        assert_eq!(e.shown().to_text().lines().next(), Some("f3 w30"));
        let mut parser = crate::saver::engine::render::vt_parser(5, 30);
        parser.process(&stream.0.borrow());
        assert_eq!(parser.screen().contents().trim_end(), "f3 w30");
    }

    #[test]
    fn too_small_view_and_recovery() {
        let mut e = engine(Size { width: 9, height: 2 });
        e.update(Duration::from_millis(10), wall());
        e.render();
        assert!(e.shown().to_text().contains("small"), "{}", e.shown().to_text());
        // The screen is frozen while too small, then resumes after a resize.
        e.resize(Size { width: 40, height: 6 });
        e.update(Duration::from_millis(10), wall());
        e.render();
        assert!(e.shown().to_text().starts_with("f1 w40"));
    }

    #[test]
    fn too_small_view_names_the_minimum() {
        let mut e = engine(Size { width: 9, height: 3 });
        e.resize(Size { width: 40, height: 2 });
        e.render();
        let text = e.shown().to_text();
        assert!(text.contains("counter needs 10x3"), "{text}");
    }

    #[test]
    fn fps_overrides_the_screen_interval() {
        let size = Size { width: 20, height: 4 };
        let settings = Settings { fps: Some(50.0), ..Settings::default() };
        let screen = Box::new(Counter { frames: 0, size });
        let e = Engine::new("counter", screen, settings, size);
        assert_eq!(e.interval(), Duration::from_millis(20));
    }

    #[test]
    fn nothing_is_drawn_without_the_focus_and_it_resumes_at_once() {
        let size = Size { width: 20, height: 4 };
        let mut e = engine(size);
        let inputs = vec![Input::Focus(false), Input::Focus(true)];
        let mut backend =
            Scripted::new(HeadlessBackend::new(size, 2, wall()), inputs, Duration::from_secs(5));
        assert_eq!(e.run(&mut backend).unwrap(), Exit::Frames);
        // Frame 1 at once; the focus goes after 0.1 s and comes back 5 s later (the script):
        // no frame in between (else frame 2 would have ended the run at 0.2 s), and frame 2
        // follows at once.
        assert_eq!(e.shown().to_text().lines().next(), Some("f2 w20"));
        assert_eq!(backend.now(), Duration::from_millis(5100));
    }

    /// A headless backend stopped for a minute (Ctrl+Z, then `fg` a minute later) during
    /// its first wait.
    struct StoppedOnce {
        inner: HeadlessBackend,
        stopped: bool,
    }

    impl Backend for StoppedOnce {
        fn size(&mut self) -> std::io::Result<Size> {
            self.inner.size()
        }
        fn now(&self) -> Duration {
            self.inner.now()
        }
        fn wall(&self) -> NaiveDateTime {
            self.inner.wall()
        }
        fn wait(&mut self, timeout: Duration) -> std::io::Result<Option<Input>> {
            if std::mem::replace(&mut self.stopped, true) {
                return self.inner.wait(timeout);
            }
            self.inner.wait(Duration::from_secs(60))?;
            Ok(Some(Input::Continued))
        }
        fn write_frame(&mut self, bytes: &[u8]) -> std::io::Result<Option<Input>> {
            self.inner.write_frame(bytes)
        }
        fn frame_done(&mut self) -> bool {
            self.inner.frame_done()
        }
    }

    #[test]
    fn running_again_after_a_stop_repaints_everything_and_skips_the_stopped_time() {
        let size = Size { width: 20, height: 4 };
        let mut e = engine(size);
        let mut backend =
            StoppedOnce { inner: HeadlessBackend::new(size, 2, wall()), stopped: false };
        let stream = SharedBytes::default();
        backend.inner.stream_to(Box::new(stream.clone()));
        assert_eq!(e.run(&mut backend).unwrap(), Exit::Frames);
        let bytes = stream.0.borrow();
        let clears = bytes.windows(4).filter(|w| w == b"\x1b[2J").count();
        assert_eq!(clears, 2, "a clear at the start and one after the stop");
        // Only "f1" became "f2", yet the whole frame is written again.
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches("w20").count(), 2, "{text:?}");
        // Frame 2 follows at once, and the minute stopped is not animated through.
        assert_eq!(backend.now(), Duration::from_secs(60));
        assert!(e.elapsed < Duration::from_secs(1), "{:?}", e.elapsed);
    }

    #[test]
    fn a_screen_that_cannot_be_shown_ends_the_run_with_its_reason() {
        /// Its worker finds, after the second frame, that the picture is broken.
        struct Broken(u32);
        impl Screen for Broken {
            fn resize(&mut self, _: Size, _: &mut StdRng) {}
            fn update(&mut self, _: &mut Ctx<'_>) {
                self.0 += 1;
            }
            fn draw(&self, _: &mut Canvas<'_>, _: &Theme) {}
            fn settle(&mut self, _wait: bool) -> anyhow::Result<()> {
                if self.0 >= 2 { anyhow::bail!("x.png: cannot decode it") } else { Ok(()) }
            }
        }
        let size = Size { width: 20, height: 5 };
        let mut e = Engine::new("broken", Box::new(Broken(0)), Settings::default(), size);
        let mut backend = HeadlessBackend::new(size, 50, wall());
        assert_eq!(e.run(&mut backend).unwrap(), Exit::Failed);
        assert_eq!(e.take_failure().to_string(), "x.png: cannot decode it");
    }

    #[test]
    fn any_key_ends_the_run_unless_the_screen_takes_it() {
        let size = Size { width: 20, height: 4 };
        let mut e = engine(size);
        let inputs = vec![Input::Key(b'q')];
        let mut backend =
            Scripted::new(HeadlessBackend::new(size, 5, wall()), inputs, Duration::from_secs(5));
        assert_eq!(e.run(&mut backend).unwrap(), Exit::Key);
    }

    #[test]
    fn space_pauses_the_frames_and_the_time_paused_is_not_animated() {
        let size = Size { width: 20, height: 4 };
        let mut e = engine(size);
        let inputs = vec![Input::Key(b' '), Input::Key(b'p')];
        let mut backend =
            Scripted::new(HeadlessBackend::new(size, 3, wall()), inputs, Duration::from_secs(5));
        assert_eq!(e.run(&mut backend).unwrap(), Exit::Frames);
        // Frame 1 at 0; paused at 0.1 s (frame 2 repeats frame 1, and then the engine sleeps
        // until a key); resumed 5 s later (the script's longest wait): frame 3 is the second
        // update, and the 5 s paused are not animated through.
        assert_eq!(e.shown().to_text().lines().next(), Some("f2 w20"));
        assert_eq!(backend.now(), Duration::from_millis(5100));
        assert!(e.elapsed < Duration::from_secs(1), "{:?}", e.elapsed);
    }

    #[test]
    fn paused_the_next_frame_waits_for_a_key() {
        let mut e = engine(Size { width: 20, height: 4 });
        assert_eq!(e.key(Press::Byte(b'p')), None);
        assert_eq!(e.interval(), PAUSED);
        assert_eq!(e.key(Press::Byte(b'p')), None);
        assert_eq!(e.interval(), Duration::from_millis(100));
    }

    #[test]
    fn question_mark_shows_the_keys_and_the_screen_until_a_key_or_a_few_seconds() {
        let mut e = engine(Size { width: 60, height: 4 });
        let bottom = |e: &Engine| e.shown().to_text().lines().nth(3).unwrap_or("").to_owned();
        assert_eq!(e.key(Press::Byte(b'?')), None);
        e.render();
        assert!(bottom(&e).contains("counter · p/space pause · ? help"), "{}", bottom(&e));
        // The next key hides it (and `?` does not show it again at once).
        assert_eq!(e.key(Press::Byte(b'?')), None);
        e.render();
        assert_eq!(bottom(&e), "");
        // Shown again, it goes by itself after a few seconds.
        e.key(Press::Byte(b'?'));
        assert!(e.interval() <= keys::HELP_FOR);
        e.extras.running = keys::HELP_FOR;
        e.render();
        assert_eq!(bottom(&e), "");
    }

    #[test]
    fn n_on_a_single_screen_does_nothing_and_other_keys_end_the_run() {
        let mut e = engine(Size { width: 20, height: 4 });
        assert_eq!(e.key(Press::Byte(b'n')), None);
        assert_eq!(e.key(Press::Arrow(crate::term::keys::Arrow::Right)), None);
        assert_eq!(e.key(Press::Arrow(crate::term::keys::Arrow::Up)), Some(Exit::Key));
        assert_eq!(e.key(Press::Byte(b'x')), Some(Exit::Key));
    }

    #[test]
    fn a_screens_own_keys_come_first() {
        /// Takes space, like the clock's stopwatch.
        struct Stopwatch(bool);
        impl Screen for Stopwatch {
            fn resize(&mut self, _: Size, _: &mut StdRng) {}
            fn update(&mut self, _: &mut Ctx<'_>) {}
            fn draw(&self, _: &mut Canvas<'_>, _: &Theme) {}
            fn key(&mut self, key: u8) -> KeyAction {
                if key == b' ' {
                    self.0 = !self.0;
                    return KeyAction::Taken;
                }
                KeyAction::Exit
            }
        }
        let size = Size { width: 20, height: 5 };
        let mut e = Engine::new("stopwatch", Box::new(Stopwatch(false)), Settings::default(), size);
        assert_eq!(e.key(Press::Byte(b' ')), None);
        assert!(!e.extras.paused, "space went to the stopwatch");
        assert_eq!(e.key(Press::Byte(b'p')), None);
        assert!(e.extras.paused, "p still pauses");
    }

    #[test]
    fn a_bell_goes_out_with_the_next_frame() {
        struct Ring(bool);
        impl Screen for Ring {
            fn resize(&mut self, _: Size, _: &mut StdRng) {}
            fn update(&mut self, _: &mut Ctx<'_>) {}
            fn draw(&self, _: &mut Canvas<'_>, _: &Theme) {}
            fn take_bell(&mut self) -> bool {
                std::mem::take(&mut self.0)
            }
        }
        let size = Size { width: 20, height: 5 };
        let mut e = Engine::new("ring", Box::new(Ring(true)), Settings::default(), size);
        e.update(Duration::from_millis(10), wall());
        assert!(e.render().ends_with(&[0x07]));
        e.update(Duration::from_millis(10), wall());
        assert!(!e.render().contains(&0x07));
    }

    /// Its worker answers on the third look.
    struct Slow(u32);
    impl Screen for Slow {
        fn resize(&mut self, _: Size, _: &mut StdRng) {}
        fn update(&mut self, _: &mut Ctx<'_>) {}
        fn draw(&self, buf: &mut Canvas<'_>, _: &Theme) {
            let text = if self.0 >= 3 { "content" } else { "..." };
            buf.put_str(0, 0, text, Style::default());
        }
        fn ready(&mut self) -> bool {
            self.0 += 1;
            self.0 >= 3
        }
    }

    #[test]
    fn simulated_runs_wait_for_the_first_content() {
        let size = Size { width: 20, height: 5 };
        let mut e = Engine::new("slow", Box::new(Slow(0)), Settings::default(), size);
        assert!(e.wait_for_content(Duration::from_secs(3600), &|| false));
        e.render();
        assert_eq!(e.shown().to_text().lines().next(), Some("content"));
    }

    #[test]
    fn the_wait_for_content_ends_on_a_signal() {
        let size = Size { width: 20, height: 5 };
        let mut e = Engine::new("slow", Box::new(Slow(0)), Settings::default(), size);
        assert!(!e.wait_for_content(Duration::from_secs(3600), &|| true));
    }

    /// Finished after its tenth update.
    struct Grows(u32);
    impl Screen for Grows {
        fn resize(&mut self, _: Size, _: &mut StdRng) {}
        fn update(&mut self, _: &mut Ctx<'_>) {
            self.0 += 1;
        }
        fn draw(&self, buf: &mut Canvas<'_>, _: &Theme) {
            buf.put_str(0, 0, &format!("u{}", self.0), Style::default());
        }
        fn print_after(&self) -> Duration {
            Duration::from_secs(3600)
        }
        fn finished(&self) -> bool {
            self.0 >= 10
        }
    }

    #[test]
    fn print_runs_until_the_picture_is_finished() {
        let size = Size { width: 20, height: 5 };
        let mut e = Engine::new("grows", Box::new(Grows(0)), Settings::default(), size);
        let text = e.run_to_picture(wall()).unwrap().to_text();
        assert_eq!(text.lines().next(), Some("u10"));
    }

    #[test]
    fn print_runs_for_the_screens_time_when_it_never_finishes() {
        // Counter: 100 ms frames and the default 5 s: the first update, then 50.
        let mut e = engine(Size { width: 20, height: 4 });
        let text = e.run_to_picture(wall()).unwrap().to_text();
        assert_eq!(text.lines().next(), Some("f51 w20"));
        assert_eq!(e.elapsed, Duration::from_secs(5));
    }

    #[test]
    fn unchanged_frames_write_nothing() {
        struct Still;
        impl Screen for Still {
            fn resize(&mut self, _: Size, _: &mut StdRng) {}
            fn update(&mut self, _: &mut Ctx<'_>) {}
            fn draw(&self, buf: &mut Canvas<'_>, _: &Theme) {
                buf.put_str(0, 0, "still", Style::default());
            }
        }
        let size = Size { width: 20, height: 5 };
        let mut e = Engine::new("still", Box::new(Still), Settings::default(), size);
        assert!(!e.render().is_empty());
        assert!(e.render().is_empty());
    }
}
