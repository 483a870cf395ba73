//! `fun saver`: an ASCII screensaver engine with pluggable screens.
//!
//! This file is the command line: engine options, the screen list, per-screen help, and the
//! choice between the real terminal and the headless renderer. The engine itself is in
//! `engine.rs` (frame loop), `render.rs` (diff encoder), `backend.rs` (terminal or simulated),
//! `color.rs` (themes and colour depth); the screens are in `screens/` and are found through
//! `registry.rs`.

pub mod backend;
pub mod buffer;
pub mod color;
pub mod data;
pub mod engine;
mod limits;
pub mod netscreens;
pub mod registry;
pub mod render;
pub mod screen;
pub mod screens;
#[cfg(feature = "test-hooks")]
mod test_hooks;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;

use self::backend::{HeadlessBackend, TerminalBackend};
use self::buffer::Color;
use self::color::Depth;
use self::engine::{Engine, Exit, Settings};
use self::screen::{ScreenInfo, Size, Theme};
use crate::stdio::WriteFailure;
use chrono::NaiveDateTime;

/// Engine options go before or after the screen name; everything else after the name belongs
/// to the screen (`fun saver NAME --help` shows those).
#[derive(Debug, Default, clap::Args)]
#[command(after_help = "Examples:\n  fun saver                      list the screens\n  \
fun saver matrix               matrix rain until a key is pressed\n  \
fun saver matrix --help        the screen's own options\n  \
fun saver clock --theme amber  an amber clock\n  \
fun saver matrix --headless --size 80x24 --frames 40   print a frame as text")]
pub struct Args {
    /// List the screens (`NAME  description`) and exit.
    #[arg(short, long)]
    pub list: bool,

    /// Frames per second, 0.1-240 (default: each screen's own rate).
    #[arg(long, value_name = "FPS", value_parser = limits::within(0.1, 240.0))]
    pub fps: Option<f64>,

    /// Animation speed factor, 0.1-10 (2 = twice as fast).
    #[arg(long, value_name = "FACTOR", value_parser = limits::within(0.1, 10.0))]
    pub speed: Option<f64>,

    /// Random seed, for reproducible runs.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Main colour: a name (green, amber, cyan, red, ...) or #rrggbb.
    #[arg(long, value_name = "NAME|#RRGGBB", value_parser = color::parse_color)]
    pub color: Option<Color>,

    /// Colour theme: green, amber, ice, red, mono, solarized, terminal.
    #[arg(long, value_name = "NAME", value_parser = color::theme)]
    pub theme: Option<Theme>,

    /// Colour depth: none, 16, 256 or truecolor (default: detected; NO_COLOR means none).
    #[arg(long, value_name = "DEPTH", value_parser = Depth::parse)]
    pub color_depth: Option<Depth>,

    /// Render without a terminal and print the last frame (for previews and tests).
    #[arg(long)]
    pub headless: bool,

    /// Headless: the simulated terminal size, up to 1000x1000 (default 80x24; a real terminal
    /// larger than that is drawn in its top-left 1000x1000 cells).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub size: Option<Size>,

    /// Headless: how many frames to render, 1-100000 (default 1).
    #[arg(long, value_name = "N", value_parser = limits::within(1u64, MAX_FRAMES))]
    pub frames: Option<u64>,

    /// Headless: print the last frame with colours (ANSI escapes).
    #[arg(long)]
    pub ansi: bool,

    /// Headless: print every byte the engine would have written to a terminal.
    #[arg(long, hide = true)]
    pub stream: bool,

    /// Headless: the wall-clock time at the first frame (YYYY-MM-DDTHH:MM:SS).
    #[arg(long, hide = true, value_name = "TIME", value_parser = parse_time)]
    pub time: Option<NaiveDateTime>,

    /// Headless: resize to WxH before frame N (repeatable), e.g. `--resize 10:40x12`.
    #[arg(long, hide = true, value_name = "N:WxH", value_parser = parse_resize)]
    pub resize: Vec<(u64, Size)>,

    /// Test builds only (`--features test-hooks`): panic after N frames, to prove in a real
    /// terminal that the panic hook restores it before the report (.ci/checks/saver.sh).
    #[cfg(feature = "test-hooks")]
    #[arg(long, hide = true, value_name = "FRAMES")]
    pub test_panic_after: Option<u32>,

    /// The screen to run (`fun saver --list` shows them), then its own options.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "SCREEN [OPTIONS]")]
    pub screen: Vec<String>,
}

/// A wrapper to parse the engine options found among the screen's arguments.
#[derive(Debug, Parser)]
#[command(name = "fun saver", no_binary_name = true)]
struct EngineArgs {
    #[command(flatten)]
    args: Args,
}

/// Runs `fun saver`.
///
/// # Errors
/// Unknown screens, bad option values, no terminal, terminal I/O errors.
pub fn run(mut args: Args) -> anyhow::Result<ExitCode> {
    let screens = registry::all();
    let Some((name, rest)) = args.screen.split_first() else {
        print_list(&screens)?;
        return Ok(ExitCode::SUCCESS);
    };
    let name = name.clone();
    let (engine_args, screen_args) = registry::split_engine_args(rest);
    if !engine_args.is_empty() {
        match EngineArgs::try_parse_from(&engine_args) {
            Ok(found) => args.merge(found.args),
            Err(err) => return Ok(print_clap_error(&err, "")),
        }
    }
    if args.list {
        print_list(&screens)?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(info) = registry::find(&screens, &name) else {
        let names: Vec<&str> = registry::list(&screens).into_iter().map(|(n, _)| n).collect();
        bail!("unknown screen {name:?}; the screens are: {}", names.join(", "));
    };
    let screen = match (info.make)(&screen_args) {
        Ok(screen) => screen,
        Err(err) => match err.downcast_ref::<clap::Error>() {
            Some(clap_err) => return Ok(print_clap_error(clap_err, ENGINE_HELP)),
            None => return Err(err.context(format!("screen {name}"))),
        },
    };
    let settings = args.settings()?;
    if args.headless {
        return run_headless(&args, info, screen, settings);
    }
    #[cfg(feature = "test-hooks")]
    let screen = match args.test_panic_after {
        Some(frames) => Box::new(test_hooks::PanicAfter { inner: screen, frames }),
        None => screen,
    };
    let mut backend = TerminalBackend::new()?;
    let size = backend::Backend::size(&mut backend).context("cannot read the terminal size")?;
    let mut engine = Engine::new(&info.name, screen, settings, size);
    let exit = engine.run(&mut backend);
    drop(backend); // Restores the terminal before any error is printed.
    Ok(match exit.context("the terminal")? {
        Exit::Key | Exit::Frames => ExitCode::SUCCESS,
        Exit::Signal(sig) => ExitCode::from(crate::term::signal_exit_status(sig)),
        Exit::Hangup => ExitCode::from(crate::term::hangup_exit_status()),
    })
}

/// Appended to a screen's `--help`.
const ENGINE_HELP: &str = "\nEngine options (any screen, before or after its name):\n  \
--fps FPS  --speed FACTOR  --seed N  --color NAME|#RRGGBB  --theme NAME  --color-depth DEPTH\n  \
--headless --size WxH --frames N [--ansi]   (see `fun saver --help`)\n\
Any key ends the saver.\n";

fn print_clap_error(err: &clap::Error, extra_help: &str) -> ExitCode {
    // Printing can only fail if stdout/stderr are gone; nothing more to tell anyone then.
    let _ = err.print();
    if err.use_stderr() {
        ExitCode::from(2)
    } else {
        if err.kind() == clap::error::ErrorKind::DisplayHelp {
            print!("{extra_help}");
        }
        ExitCode::SUCCESS
    }
}

fn print_list(screens: &[ScreenInfo]) -> anyhow::Result<()> {
    let listed = registry::list(screens);
    let width = listed.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for (name, about) in listed {
        writeln!(out, "{name:width$}  {about}")?;
    }
    out.flush()?;
    if std::io::stdout().is_terminal() {
        eprintln!(
            "\nRun `fun saver NAME` (any key exits); `fun saver NAME --help` for its options."
        );
    }
    Ok(())
}

impl Args {
    /// Takes every option set in `other` (found after the screen name), keeping ours otherwise.
    fn merge(&mut self, other: Args) {
        self.list |= other.list;
        self.headless |= other.headless;
        self.ansi |= other.ansi;
        self.stream |= other.stream;
        self.fps = other.fps.or(self.fps);
        self.speed = other.speed.or(self.speed);
        self.seed = other.seed.or(self.seed);
        self.color = other.color.or(self.color);
        self.theme = other.theme.or(self.theme);
        self.color_depth = other.color_depth.or(self.color_depth);
        self.size = other.size.or(self.size);
        self.frames = other.frames.or(self.frames);
        self.time = other.time.or(self.time);
        self.resize.extend(other.resize);
        #[cfg(feature = "test-hooks")]
        {
            self.test_panic_after = other.test_panic_after.or(self.test_panic_after);
        }
    }

    fn settings(&self) -> anyhow::Result<Settings> {
        let mut theme = match self.theme {
            Some(theme) => theme,
            None => color::theme("green").map_err(anyhow::Error::msg)?,
        };
        if let Some(primary) = self.color {
            theme = color::theme_from(primary);
        }
        let depth = match self.color_depth {
            Some(depth) => depth,
            None if self.headless && !self.ansi && !self.stream => Depth::Indexed256,
            None => Depth::detect(|k| std::env::var(k).ok()),
        };
        let seed = self.seed.unwrap_or_else(rand::random);
        Ok(Settings { fps: self.fps, speed: self.speed.unwrap_or(1.0), seed, theme, depth })
    }
}

/// The most frames a headless run renders: over an hour of animation at 25 fps.
const MAX_FRAMES: u64 = 100_000;

fn parse_size(text: &str) -> Result<Size, String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("expected WIDTHxHEIGHT such as 80x24, got {text:?}"))?;
    let (max_w, max_h) = (Size::MAX.width, Size::MAX.height);
    let width = limits::within(1, max_w)(w).map_err(|e| format!("width: {e}"))?;
    let height = limits::within(1, max_h)(h).map_err(|e| format!("height: {e}"))?;
    Ok(Size { width, height })
}

fn parse_time(text: &str) -> Result<NaiveDateTime, String> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .map_err(|_| format!("expected YYYY-MM-DDTHH:MM:SS, got {text:?}"))
}

fn parse_resize(text: &str) -> Result<(u64, Size), String> {
    let (frame, size) = text
        .split_once(':')
        .ok_or_else(|| format!("expected FRAME:WxH such as 10:40x12, got {text:?}"))?;
    let frame = frame.parse().map_err(|_| format!("bad frame number in {text:?}"))?;
    Ok((frame, parse_size(size)?))
}

fn run_headless(
    args: &Args,
    info: &ScreenInfo,
    screen: Box<dyn screen::Screen>,
    settings: Settings,
) -> anyhow::Result<ExitCode> {
    let size = args.size.unwrap_or(Size { width: 80, height: 24 });
    let frames = args.frames.unwrap_or(1);
    let start = args.time.unwrap_or_else(|| chrono::Local::now().naive_local());
    let mut backend = HeadlessBackend::new(size, frames, start);
    for &(frame, size) in &args.resize {
        backend.resize_before(frame, size);
    }
    if args.stream {
        backend.stream_to(Box::new(std::io::BufWriter::new(std::io::stdout())));
    }
    let mut engine = Engine::new(&info.name, screen, settings, size);
    let written = engine.run(&mut backend).and_then(|_| backend.flush()).and_then(|()| {
        let mut out = std::io::stdout().lock();
        if args.ansi && !args.stream {
            out.write_all(&render::to_ansi_lines(engine.shown()))?;
        } else if !args.stream {
            out.write_all(text_view(engine.shown()).as_bytes())?;
        }
        out.flush()
    });
    match written {
        Err(err) if WriteFailure::classify(&err) == WriteFailure::ReaderGone => {
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => Err(anyhow::Error::new(err).context("writing to standard output")),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

/// The buffer as plain text for `--headless`: like `Buffer::to_text`, but blocks drawn as
/// coloured (or reverse-video) spaces, such as the clock's digits, show as `█`.
#[must_use]
pub fn text_view(buf: &buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.height() {
        let line: String = buf
            .row(y)
            .iter()
            .filter(|c| !c.is_continuation())
            .map(|c| {
                let block =
                    c.style.bg != Color::Reset || c.style.attrs.contains(buffer::Attrs::REVERSE);
                if c.ch == ' ' && block { '█' } else { c.ch }
            })
            .collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::FromArgMatches;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("80x24").unwrap(), Size { width: 80, height: 24 });
        assert_eq!(parse_size("1000X1000").unwrap(), Size::MAX);
        assert!(parse_size("80").is_err());
        assert!(parse_size("0x5").is_err());
        assert!(parse_size("1001x5").unwrap_err().contains("width"));
        assert!(parse_size("20000x20000").is_err());
        assert!(parse_size("5x70000").unwrap_err().contains("height"));
    }

    #[test]
    fn engine_args_parse_and_merge() {
        let mut args = Args { fps: Some(10.0), ..Args::default() };
        let found = EngineArgs::try_parse_from(["--seed", "3", "--headless"]).unwrap();
        args.merge(found.args);
        assert_eq!((args.fps, args.seed, args.headless), (Some(10.0), Some(3), true));
    }

    #[test]
    fn out_of_range_values_are_usage_errors_naming_the_option() {
        for (args, option) in [
            (&["--fps", "0"][..], "--fps"),
            (&["--speed", "11"], "--speed"),
            (&["--frames", "0"], "--frames"),
            (&["--frames", "100001"], "--frames"),
            (&["--size", "20000x20000"], "--size"),
        ] {
            let err = EngineArgs::try_parse_from(args).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation, "{args:?}");
            assert!(err.to_string().contains(option), "{err}");
        }
    }

    #[test]
    fn args_from_matches_roundtrip() {
        // Guards the FromArgMatches derive used by the engine-args wrapper.
        let cmd = <EngineArgs as clap::CommandFactory>::command();
        let matches = cmd.try_get_matches_from(["--fps", "5"]).unwrap();
        let parsed = EngineArgs::from_arg_matches(&matches).unwrap();
        assert_eq!(parsed.args.fps, Some(5.0));
    }
}
