//! The contract between the saver engine and a screen.
//!
//! A screen updates its state from the time step and its seeded rng and draws into a
//! [`Canvas`] (its view of the frame buffer). It never writes to stdout, sleeps or reads the
//! clock: the engine owns all of that, which is what makes every screen testable headlessly
//! with a fixed seed.

use std::time::Duration;

use rand::rngs::StdRng;

use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::color::Depth;

/// A terminal size in cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Size {
    pub width: u16,
    pub height: u16,
}

impl Size {
    /// The largest drawing area the engine handles: 1000x1000 cells (a few tens of MB of
    /// buffers). `--size` refuses more; a real terminal that is larger is drawn in its top-left
    /// 1000x1000 cells. Far beyond any real screen: 4K at a 6-pixel font is 640 columns.
    pub const MAX: Size = Size { width: 1000, height: 1000 };

    /// This size, limited to [`Size::MAX`].
    #[must_use]
    pub fn bounded(self) -> Size {
        Size { width: self.width.min(Size::MAX.width), height: self.height.min(Size::MAX.height) }
    }
}

pub use crate::saver::kit::theme::Theme;

/// What a screen may look at during an update.
pub struct Ctx<'a> {
    /// The screen's only source of randomness, seeded by `--seed`.
    pub rng: &'a mut StdRng,
    /// Time since the previous update, already scaled by `--speed`.
    pub dt: Duration,
    /// Time since the screen started (scaled by `--speed`).
    pub elapsed: Duration,
    /// Wall-clock local time, read by the engine (the clock screen shows it).
    pub now: chrono::NaiveDateTime,
    /// The terminal's colour depth, the same as [`Theme::depth`] in `draw`: for a screen that
    /// lays out differently by depth while updating (half-block pictures).
    pub depth: Depth,
}

/// A screensaver screen.
pub trait Screen {
    /// The smallest area the screen can draw in; below it the engine shows a "too small" view.
    fn min_size(&self) -> Size {
        Size { width: 20, height: 5 }
    }

    /// The area changed (also called once before the first update). Re-layout, no drawing.
    fn resize(&mut self, size: Size, rng: &mut StdRng);

    /// Advances the state by `ctx.dt`.
    fn update(&mut self, ctx: &mut Ctx<'_>);

    /// Paints the whole frame into `buf` (already blanked and sized to the area).
    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme);

    /// Optional, for screens where little changes from frame to frame: paints the frame like
    /// [`Screen::draw`], but when `kept` is true `buf` still holds exactly what this screen's
    /// previous paint (`draw` or `draw_changes`) left there, so only what changed since then
    /// needs painting; when `kept` is false `buf` is blank and everything must be painted.
    /// Returns `false` (the default) when the screen has no such drawing, without touching
    /// `buf`; the engine then blanks `buf` and calls `draw`. The result must be the same cells
    /// `draw` would paint on a blank buffer: the engine diffs only the cells painted.
    fn draw_changes(&mut self, _buf: &mut Canvas<'_>, _theme: &Theme, _kept: bool) -> bool {
        false
    }

    /// How long until the next frame should be drawn, at speed 1 (`--fps` overrides).
    fn frame_interval(&self) -> Duration {
        Duration::from_millis(50)
    }

    /// A key was pressed (its first byte). By default any key ends the run, like `cmatrix -s`;
    /// a screen that uses keys (the clock's stopwatch) takes its own and lets the others end it.
    fn key(&mut self, _key: u8) -> KeyAction {
        KeyAction::Exit
    }

    /// How long `--print` runs the screen (in simulated time, from its start) before it prints
    /// the picture, unless the screen says sooner that its picture is finished
    /// ([`Screen::finished`]). The default, 5 s, is when most screens look like themselves; a
    /// clock says zero (the time now), a growing picture says how long it may take at most.
    fn print_after(&self) -> Duration {
        Duration::from_secs(5)
    }

    /// Whether the picture is complete (a tree grown, a maze solved, a text typed): `--print`
    /// prints it then. The default, `false`, leaves it to [`Screen::print_after`].
    fn finished(&self) -> bool {
        false
    }

    /// For a screen made of screens (a rotation or playlist): moves on to the next one now
    /// (the `n` key) and returns `true`. Other screens have no next one: `false`, the default.
    fn next_screen(&mut self, _rng: &mut StdRng) -> bool {
        false
    }

    /// For a screen made of screens: the name of the one shown now (the `?` key's help line).
    /// `None`, the default, for a single screen: the engine names it.
    fn showing(&self) -> Option<&str> {
        None
    }

    /// Why the screen cannot be shown at all, found by a worker thread after it started (a
    /// single picture that does not decode): the engine, which asks after every update, then
    /// ends the run with it, and it is printed once the terminal is restored. With `wait`
    /// (headless runs, so that their output does not depend on the machine's speed), first
    /// waits for what the screen loads on its worker; a terminal run never waits: the screen
    /// shows its "loading" state, and a key still ends it at once.
    ///
    /// # Errors
    /// Why what the screen was given cannot be shown.
    fn settle(&mut self, _wait: bool) -> anyhow::Result<()> {
        Ok(())
    }

    /// Whether the screen has its first content. A screen whose content comes from a worker
    /// (a command's output, a page, a feed) answers `false` until the worker has answered (a
    /// text or a reason to show); the default is `true`. Terminal runs never ask: the screen
    /// shows its "loading" state. Recordings, `--headless` and `--print` wait (in real time,
    /// up to a deadline) for it before their simulated clock starts, so that they do not
    /// record "connecting..." because simulated time outran the worker.
    fn ready(&mut self) -> bool {
        true
    }

    /// Whether the screen can no longer run (a script stopped by an error or a limit): it
    /// shows why, keys still end the saver, and a rotation moves on to the next screen.
    fn stopped(&self) -> bool {
        false
    }

    /// Whether the terminal's bell should ring now (asked after every update; the countdown's
    /// end). The engine writes it with the next frame.
    fn take_bell(&mut self) -> bool {
        false
    }
}

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAction {
    /// It ends the run.
    Exit,
    /// The screen took it; the run goes on (and the next frame is drawn at once).
    Taken,
}

/// Builds a screen from its own command-line arguments (those after its name). `--help` and bad
/// options come back as a `clap::Error` inside the `anyhow::Error`.
pub type MakeScreen = Box<dyn Fn(&[String]) -> anyhow::Result<Box<dyn Screen>>>;

/// A screen's options as a clap command (the config file's keys for the screen come from it).
pub type ScreenOptions = Box<dyn Fn() -> clap::Command>;

/// A screen in the registry: built-in ones are static, data-defined ones are loaded at start.
pub struct ScreenInfo {
    pub name: String,
    pub about: String,
    pub make: MakeScreen,
    pub options: ScreenOptions,
}

/// Parses a screen's arguments into a clap derive struct, with `fun saver NAME` as the usage
/// name. Errors (including `--help`) come back as a `clap::Error` inside the `anyhow::Error`.
///
/// # Errors
/// A `clap::Error` for `--help`, `--version`-like displays and bad options.
pub fn parse_args<T: clap::Parser>(name: &str, args: &[String]) -> anyhow::Result<T> {
    let argv = std::iter::once(format!("fun saver {name}")).chain(args.iter().cloned());
    Ok(T::try_parse_from(argv)?)
}

/// A [`ScreenInfo`] for a built-in screen: `make` parses `T` and builds the screen from it.
pub fn builtin_info<T, S>(name: &str, about: &str, build: fn(T) -> anyhow::Result<S>) -> ScreenInfo
where
    T: clap::Parser + 'static,
    S: Screen + 'static,
{
    let owned = name.to_string();
    let make: MakeScreen = Box::new(move |args: &[String]| {
        let parsed = parse_args::<T>(&owned, args)?;
        Ok(Box::new(build(parsed)?) as Box<dyn Screen>)
    });
    let usage = format!("fun saver {name}");
    let options: ScreenOptions = Box::new(move || T::command().name(usage.clone()));
    ScreenInfo { name: name.to_string(), about: about.to_string(), make, options }
}
