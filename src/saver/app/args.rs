//! The engine's command line, defined once: the clap [`Args`] below. Everything else about the
//! engine options is derived from that definition: which long options are recognised after a
//! screen's name ([`engine_options_first`]), and the summary appended to every screen's
//! `--help` ([`engine_help`]). A test checks that the docs and both derivations agree with it.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use chrono::NaiveDateTime;

use crate::saver::app::install::snippets::Env;
use crate::saver::engine::Settings;
use crate::saver::engine::overlay::{self, MessageFrom, Overlay};
use crate::saver::kit::buffer::Color;
use crate::saver::kit::color::Depth;
use crate::saver::kit::screen::{Size, Theme};
use crate::saver::kit::theme;
use crate::saver::kit::values::{self, ValueError};

/// Engine options go before or after the screen name; everything else after the name belongs
/// to the screen (`fun saver NAME --help` shows those). Given twice, the later one wins
/// (`args_override_self`), so an option after the name overrides the same one before it.
#[derive(Debug, Default, clap::Args)]
#[command(
    args_override_self = true,
    after_help = "Examples:\n  fun saver                      list the screens\n  \
fun saver matrix               matrix rain until a key is pressed\n  \
fun saver matrix --help        the screen's own options\n  \
fun saver clock --theme amber  an amber clock\n  \
fun saver matrix --headless --size 80x24 --frames 40   print a frame as text\n  \
fun saver fire --record fire.cast --duration 20s       a recording for asciinema play\n  \
fun saver bonsai --print       a grown tree printed once (colours on a terminal)\n\n\
Keys while it runs: n or → the next screen (several screens), p or space pause, ? a help \
line;\nany other key ends it."
)]
pub struct Args {
    /// List the screens (`NAME  description`) and exit.
    #[arg(short, long)]
    pub(crate) list: bool,

    /// Frames per second, 0.1-240 (default: each screen's own rate).
    #[arg(long, value_name = "FPS", value_parser = values::within(0.1, 240.0))]
    pub(crate) fps: Option<f64>,

    /// Animation speed factor, 0.1-10 (2 = twice as fast).
    #[arg(long, value_name = "FACTOR", value_parser = values::within(0.1, 10.0))]
    pub(crate) speed: Option<f64>,

    /// Random seed, for reproducible runs.
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<u64>,

    /// Main colour: a name (green, amber, cyan, red, ...) or #rrggbb.
    #[arg(long, value_name = "NAME|#RRGGBB", value_parser = theme::parse_color)]
    pub(crate) color: Option<Color>,

    /// Colour theme: green, amber, ice, red, mono, solarized, terminal.
    #[arg(long, value_name = "NAME", value_parser = theme::theme)]
    pub(crate) theme: Option<Theme>,

    /// Colour depth: none, 16, 256 or truecolor (default: detected; NO_COLOR means none).
    #[arg(long, value_name = "DEPTH", value_parser = Depth::parse)]
    pub(crate) color_depth: Option<Depth>,

    /// Render without a terminal and print the last frame (for previews and tests).
    #[arg(long, help_heading = HEADLESS)]
    pub(crate) headless: bool,

    /// Draw the screen's grown or finished picture (a tree grown, a maze solved, the clock now)
    /// once on standard output and exit: in colour on a terminal (NO_COLOR and --color-depth
    /// are followed), plain text otherwise; no full-screen mode. The size is the terminal's, or
    /// --size, else 80x24. For a shell greeting, a motd or a README.
    #[arg(long, help_heading = HEADLESS,
          conflicts_with_all = ["headless", "record", "frames", "ansi", "stream", "resize", "duration"])]
    pub(crate) print: bool,

    /// Headless, --record and --print: the simulated terminal size, up to 1000x1000 (default 80x24; a real terminal
    /// larger than that is drawn in its top-left 1000x1000 cells).
    #[arg(long, value_name = "WxH", value_parser = parse_size, help_heading = HEADLESS)]
    pub(crate) size: Option<Size>,

    /// Headless: how many frames to render, 1-100000 (default 1).
    #[arg(long, value_name = "N", value_parser = values::within(1u64, MAX_FRAMES),
          help_heading = HEADLESS)]
    pub(crate) frames: Option<u64>,

    /// Headless: print the last frame with colours (ANSI escapes).
    #[arg(long, help_heading = HEADLESS)]
    pub(crate) ansi: bool,

    /// Record the screen into FILE.cast, an asciicast v2 file (asciinema, agg), rendered
    /// without a terminal at the screen's own frame rate; --size and --duration set its size
    /// and length. The file is at most 64 MiB and replaced only when complete.
    #[arg(long, value_name = "FILE.cast", help_heading = HEADLESS,
          conflicts_with_all = ["headless", "frames", "ansi", "stream", "resize"])]
    pub(crate) record: Option<std::path::PathBuf>,

    /// --record: how much animation to record, 0.1s to 1h (default 10s); 90, 45s, 2m, 1h30m.
    #[arg(long, value_name = "TIME", help_heading = HEADLESS,
          value_parser = values::duration(std::time::Duration::from_millis(100), crate::saver::app::record::MAX_DURATION))]
    pub(crate) duration: Option<std::time::Duration>,

    /// Headless: print every byte the engine would have written to a terminal.
    #[arg(long, hide = true)]
    pub(crate) stream: bool,

    /// Headless: the wall-clock time at the first frame (YYYY-MM-DDTHH:MM:SS).
    #[arg(long, hide = true, value_name = "TIME", value_parser = parse_time)]
    pub(crate) time: Option<NaiveDateTime>,

    /// Headless: resize to WxH before frame N (repeatable), e.g. `--resize 10:40x12`.
    #[arg(long, hide = true, value_name = "N:WxH", value_parser = parse_resize)]
    pub(crate) resize: Vec<(u64, Size)>,

    /// Test builds only (`--features test-hooks`): panic after N frames, to prove in a real
    /// terminal that the panic hook restores it before the report (.ci/checks/saver.sh).
    #[cfg(feature = "test-hooks")]
    #[arg(long, hide = true, value_name = "FRAMES")]
    pub(crate) test_panic_after: Option<u32>,

    #[command(flatten)]
    pub(crate) rotation: crate::saver::app::playlist::RotationArgs,

    #[command(flatten)]
    pub(crate) overlay: OverlayArgs,

    #[command(flatten)]
    pub(crate) power: PowerArgs,

    #[command(flatten)]
    pub(crate) lock: crate::saver::app::lock::LockArgs,

    #[command(flatten)]
    pub(crate) config: crate::saver::app::config::ConfigArgs,

    /// The screen to run (`fun saver --list` shows them), then its own options.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "SCREEN [OPTIONS]")]
    pub(crate) screen: Vec<String>,
}

use crate::saver::app::config::HEADLESS;

/// `fun saver`'s whole command line: the engine options and the screen ([`Args`]), or an
/// action. The action sits beside the options rather than among them because clap's derived
/// builders take 9-23 KB of stack each: nested (the options' builder calling the actions',
/// calling install's) they were the saver's deepest stack, pages kept for the whole run; side
/// by side, and with the engine's own command ([`command`]) built without the actions at all,
/// the deepest is one builder (issue 27).
#[derive(Debug, clap::Args)]
pub(crate) struct Line {
    #[command(flatten)]
    pub(crate) args: Args,

    /// `fun saver config`, `fun saver install ...`: the actions that are not a screen.
    #[command(subcommand)]
    pub(crate) action: Option<Action>,
}

/// What `fun saver` does instead of running a screen.
#[derive(Debug, Clone, clap::Subcommand)]
pub(crate) enum Action {
    /// Print the effective configuration and where each value comes from
    /// (`--example`: a commented example config file).
    Config(crate::saver::app::config::ConfigCommand),
    /// Start the saver by itself after a while without a key: print the snippet for tmux,
    /// screen, zsh or fish, or add it to the rc file with --apply.
    Install(InstallArgs),
    /// Take the idle trigger out of the rc file again.
    Uninstall(UninstallArgs),
    /// Write a commented starter script for a new screen to your screens folder
    /// (~/.config/fun/screens/NAME.rhai; an existing file is never replaced).
    New(NewArgs),
}

/// `fun saver new NAME`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  fun saver new sparks            write ~/.config/fun/screens/sparks.rhai
  fun saver sparks --watch        run it; edit, save, and it reloads")]
pub(crate) struct NewArgs {
    /// The new screen's name: 1-32 lower-case letters, digits and dashes.
    #[arg(value_name = "NAME")]
    pub(crate) name: String,
}

impl Action {
    /// Whether the action `name` takes a whole saver command line after it (`install`).
    fn keeps_words(name: &OsString) -> bool {
        name == "install"
    }
}

/// `fun saver install`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  fun saver install tmux                      print the tmux snippet (5 minutes, matrix)
  fun saver install tmux --apply              add it to ~/.tmux.conf (a backup is kept)
  fun saver install zsh --after 10m clock -t  zsh, after 10 minutes, a 12-hour clock
  fun saver install screen --playlist night   GNU screen, a playlist from the config file
  fun saver uninstall tmux                    take it out again

An idle action the rc file already has (tmux's lock-command, zsh's TMOUT or TRAPALRM, screen's
idle) is named and left alone unless --force is given: the saver locks nothing.")]
pub struct InstallArgs {
    /// Where the saver should start by itself: tmux, screen, zsh, fish, or bash (which has no
    /// safe hook: it says so and points to tmux and screen).
    #[arg(value_enum, value_name = "ENV")]
    pub(crate) env: Env,

    /// How long without a key before the saver starts, 1s-24h (e.g. 90s, 5m).
    #[arg(long, value_name = "DURATION", default_value = "5m",
          value_parser = values::duration(Duration::from_secs(1), Duration::from_secs(86_400)))]
    pub(crate) after: Duration,

    /// Add the snippet to the rc file, in a marked block (a backup is kept), instead of
    /// printing it.
    #[arg(long)]
    pub(crate) apply: bool,

    /// The rc file to change (default: ~/.tmux.conf, ~/.screenrc, ~/.zshrc or
    /// ~/.config/fish/config.fish; a regular file up to 1 MiB).
    #[arg(long, value_name = "FILE")]
    pub(crate) rc: Option<PathBuf>,

    /// Replace an idle action the rc file already has (a terminal lock such as vlock): by
    /// default it is named and nothing is changed.
    #[arg(long)]
    pub(crate) force: bool,

    /// Play this playlist of the config file.
    #[arg(long, value_name = "NAME", value_parser = values::text_up_to(100), conflicts_with = "saver")]
    pub(crate) playlist: Option<String>,

    /// What to play, as after `fun saver`: `SCREEN [OPTIONS] [+ SCREEN ...]` and engine options
    /// (default: matrix).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "SCREEN [OPTIONS]")]
    pub(crate) saver: Vec<String>,
}

/// `fun saver uninstall`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  fun saver uninstall tmux                    take the block out of ~/.tmux.conf
  fun saver uninstall zsh --rc ~/dotfiles/zshrc   out of another file

Only the block between the fun saver marker lines is removed; the file is otherwise left as it
was before install, and the old one is kept as FILE.fun-saver.bak. A running tmux, zsh, screen
or fish keeps what it read: the message says how to make it forget.")]
pub struct UninstallArgs {
    /// The environment to take the idle trigger out of.
    #[arg(value_enum, value_name = "ENV")]
    pub(crate) env: Env,

    /// The rc file to change (default: the usual one for ENV).
    #[arg(long, value_name = "FILE")]
    pub(crate) rc: Option<PathBuf>,
}

/// `fun saver`'s command line, as a subcommand of `fun` and as it parses its own words.
#[must_use]
pub(crate) fn saver_command() -> clap::Command {
    let about = "Run an ASCII screensaver (`fun saver` lists the screens)";
    crate::tool::command_of::<Line>("saver", about)
}

/// The engine's command, from the definition.
#[must_use]
pub(crate) fn command() -> clap::Command {
    <Args as clap::Args>::augment_args(clap::Command::new("fun saver"))
}

impl Args {
    /// The engine settings these options ask for.
    pub(crate) fn settings(&self) -> Settings {
        let mut theme = self.theme.unwrap_or_else(theme::default_theme);
        if let Some(primary) = self.color {
            theme = theme::theme_from(primary);
        }
        let depth = match self.color_depth {
            Some(depth) => depth,
            // Previews and recordings look the same wherever they are made.
            None if self.record.is_some() => Depth::Indexed256,
            None if self.headless && !self.ansi && !self.stream => Depth::Indexed256,
            // Printed into a file or a pipe: plain text, the screens' character fallbacks.
            None if self.print && !std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
                Depth::Mono
            }
            None => Depth::from_env(),
        };
        let seed = self.seed.unwrap_or_else(rand::random);
        Settings { fps: self.fps, speed: self.speed.unwrap_or(1.0), seed, theme, depth }
    }
}

/// The most frames a headless run renders: over an hour of animation at 25 fps.
const MAX_FRAMES: u64 = 100_000;

fn parse_size(text: &str) -> Result<Size, ValueError> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| ValueError::format("WIDTHxHEIGHT such as 80x24", text))?;
    let width = values::within(1, Size::MAX.width)(w).map_err(|e| e.of("width"))?;
    let height = values::within(1, Size::MAX.height)(h).map_err(|e| e.of("height"))?;
    Ok(Size { width, height })
}

fn parse_time(text: &str) -> Result<NaiveDateTime, ValueError> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .map_err(|_| ValueError::format("YYYY-MM-DDTHH:MM:SS", text))
}

fn parse_resize(text: &str) -> Result<(u64, Size), ValueError> {
    let (frame, size) = text
        .split_once(':')
        .ok_or_else(|| ValueError::format("FRAME:WxH such as 10:40x12", text))?;
    let frame = values::within(0, u64::MAX)(frame).map_err(|e| e.of("frame"))?;
    Ok((frame, parse_size(size)?))
}

/// One engine option as the command line sees it: its long name and whether a value follows.
struct EngineOption {
    long: String,
    takes_value: bool,
}

/// The engine's options, from the definition (positionals and clap's own `--help` excluded).
/// Derived once per process: a saver start asks three times (the words' order, the scripted
/// screens' reserved names, install's words), and each derivation builds the whole definition,
/// about 50 KB of clap's structures whose freed pages stayed in the heap for the run (issue 27).
fn engine_options() -> &'static [EngineOption] {
    static OPTIONS: OnceLock<Vec<EngineOption>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        command()
            .get_arguments()
            .filter_map(|arg| {
                let long = arg.get_long()?;
                let takes_value = arg.get_action().takes_values();
                Some(EngineOption { long: format!("--{long}"), takes_value })
            })
            .collect()
    })
}

/// The engine's long option names (without `--`): a scripted screen may not declare them,
/// since [`engine_options_first`] would take them from it.
pub(crate) fn engine_long_names() -> Vec<String> {
    engine_options().iter().map(|o| o.long.trim_start_matches('-').to_owned()).collect()
}

/// `fun saver NAME --fps 30` means `fun saver --fps 30 NAME`: in the saver's words (`saver
/// ARGS...`), moves the engine's long options found after the screen's name in front of it, so
/// that clap parses every engine option once, wherever it was given. Everything after a literal
/// `--` belongs to the screen untouched (the `--` itself is dropped); a value option at the very
/// end, without its value, stays where it is (the screen reports it).
#[must_use]
pub(crate) fn engine_options_first(argv: Vec<OsString>) -> Vec<OsString> {
    let options = engine_options();
    let find = |arg: &OsString| {
        let text = arg.to_str()?;
        let name = text.split_once('=').map_or(text, |(n, _)| n);
        let option = options.iter().find(|o| o.long == name)?;
        // The value is in the same argument (`--fps=30`) or in the next one.
        Some(usize::from(option.takes_value && !text.contains('=')))
    };
    let Some(name_at) = screen_name_at(&argv, &find) else { return argv };
    // `fun saver install tmux matrix --fps 30`: the words after an action that takes a saver
    // command line are that command line's, kept as they are.
    if Action::keeps_words(&argv[name_at]) {
        return install_options_first(argv, name_at);
    }
    let mut hoisted = Vec::new();
    let mut screen = Vec::new();
    let mut rest = argv[name_at + 1..].iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            screen.extend(rest.by_ref().cloned());
            break;
        }
        match find(arg) {
            Some(1) if rest.len() == 0 => screen.push(arg.clone()),
            Some(values) => {
                hoisted.push(arg.clone());
                hoisted.extend(rest.by_ref().take(values).cloned());
            }
            None => screen.push(arg.clone()),
        }
    }
    let mut out = argv[..name_at].to_vec();
    out.extend(hoisted);
    out.push(argv[name_at].clone());
    out.extend(screen);
    out
}

/// `fun saver install zsh --after 5s matrix --apply` means `fun saver install --apply zsh
/// --after 5s matrix`: moves install's own options (from [`InstallArgs`], those the engine does
/// not also have, such as `--playlist`) found among the saver words right after `install`
/// (at `at`), so they are install's wherever they are on its line. After a literal `--` every
/// word is the saver's.
fn install_options_first(argv: Vec<OsString>, at: usize) -> Vec<OsString> {
    let engine: Vec<&str> = engine_options().iter().map(|o| o.long.as_str()).collect();
    let own: Vec<EngineOption> = <InstallArgs as clap::Args>::augment_args(clap::Command::new("i"))
        .get_arguments()
        .filter_map(|arg| {
            let long = format!("--{}", arg.get_long()?);
            let takes_value = arg.get_action().takes_values();
            (!engine.contains(&long.as_str())).then_some(EngineOption { long, takes_value })
        })
        .collect();
    let find = |arg: &OsString| {
        let text = arg.to_str()?;
        let name = text.split_once('=').map_or(text, |(n, _)| n);
        let option = own.iter().find(|o| o.long == name)?;
        Some(usize::from(option.takes_value && !text.contains('=')))
    };
    let mut hoisted = Vec::new();
    let mut kept = Vec::new();
    let mut rest = argv[at + 1..].iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            kept.push(arg.clone());
            kept.extend(rest.by_ref().cloned());
            break;
        }
        match find(arg) {
            Some(values) => {
                hoisted.push(arg.clone());
                hoisted.extend(rest.by_ref().take(values).cloned());
            }
            None => kept.push(arg.clone()),
        }
    }
    let mut out = argv[..=at].to_vec();
    out.extend(hoisted);
    out.extend(kept);
    out
}

/// Where the screen's name is in `saver [ENGINE OPTIONS] NAME ...`: the first argument that is
/// neither an option nor an option's value. `None` without a name (or after `--`).
fn screen_name_at(argv: &[OsString], find: &impl Fn(&OsString) -> Option<usize>) -> Option<usize> {
    let mut at = 1;
    while let Some(arg) = argv.get(at) {
        let text = arg.to_string_lossy();
        if text == "--" {
            return None;
        }
        if !text.starts_with('-') || text == "-" {
            return Some(at);
        }
        // Before the name, an unknown option is clap's to report; assume it takes no value.
        at += 1 + find(arg).unwrap_or(0);
    }
    None
}

/// The summary of the engine options appended to every screen's `--help`: the visible long
/// options with their value names, from the definition.
#[must_use]
pub(crate) fn engine_help() -> String {
    let options: Vec<String> = command()
        .get_arguments()
        .filter(|arg| !arg.is_hide_set() && arg.get_id() != "list")
        .filter_map(|arg| {
            let long = arg.get_long()?;
            Some(match arg.get_value_names() {
                Some(names) if arg.get_action().takes_values() => {
                    let names: Vec<String> = names.iter().map(ToString::to_string).collect();
                    format!("--{long} {}", names.join(" "))
                }
                _ => format!("--{long}"),
            })
        })
        .collect();
    let mut help = String::from("\nEngine options (any screen, before or after its name):\n");
    let mut line = String::new();
    for option in options {
        if !line.is_empty() && line.len() + option.len() > 90 {
            help.push_str(&format!("  {}\n", line.trim_end()));
            line.clear();
        }
        line.push_str(&option);
        line.push_str("  ");
    }
    help.push_str(&format!("  {}\n", line.trim_end()));
    help.push_str("(`fun saver --help` explains them.) Any key ends the saver.\n");
    help
}

/// The overlay options (part of the engine's options; the engine gets a built [`Overlay`]).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OverlayArgs {
    /// Show on top of any screen, in a cleared box: clock, date or message (repeatable, each
    /// kind once; shown in the order given).
    #[arg(long, value_enum, value_name = "KIND")]
    pub(crate) overlay: Vec<overlay::Kind>,

    /// Where the overlay goes: top-left, top, top-right, left, centre, right, bottom-left,
    /// bottom, bottom-right.
    #[arg(long, value_enum, value_name = "WHERE", default_value = "bottom-right")]
    pub(crate) overlay_pos: overlay::Position,

    /// A message to show in the overlay, up to 200 characters (implies --overlay message).
    #[arg(long, value_name = "TEXT", value_parser = values::text_up_to(overlay::MAX_CHARS))]
    pub(crate) message: Option<String>,

    /// Show this file's text in the overlay, re-read when it changes (a regular file up to
    /// 64 KiB; the first 5 lines, 200 characters each; implies --overlay message).
    #[arg(long, value_name = "FILE")]
    pub(crate) message_file: Option<PathBuf>,
}

impl OverlayArgs {
    /// The overlay these options ask for (`None`: none).
    #[must_use]
    pub(crate) fn overlay(&self) -> Option<Overlay> {
        let message = match (&self.message_file, &self.message) {
            (Some(path), _) => MessageFrom::File(path.clone()),
            (None, Some(text)) => MessageFrom::Text(text.clone()),
            (None, None) => MessageFrom::Nothing,
        };
        Overlay::new(&self.overlay, self.overlay_pos, message)
    }
}

/// The power options (part of the engine's options; the engine gets `dim_after` alone).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PowerArgs {
    /// Fade every screen to a dark palette after this long, 10s-24h (e.g. 10m).
    #[arg(long, value_name = "DURATION",
          value_parser = values::duration(Duration::from_secs(10), Duration::from_secs(86_400)))]
    pub(crate) dim_after: Option<Duration>,

    /// Start only if the terminal has had no key for DURATION, else exit at once (the shell
    /// idle hooks of `fun saver install` use it; 1s-24h; the kernel keeps the time of the last
    /// key to about 8 s).
    #[arg(long, value_name = "DURATION",
          value_parser = values::duration(Duration::from_secs(1), Duration::from_secs(86_400)))]
    pub(crate) if_idle: Option<Duration>,
}

#[cfg(test)]
mod tests;
