//! The saver's product layer: `fun saver` itself. Its command line (`args.rs`), the config file
//! (`config/`), playlists and rotation plans (`playlist.rs`), the idle trigger (`install/`),
//! recordings (`record.rs`), the registry of screens (`registry.rs`) and the completion of their
//! names (`complete.rs`). This file resolves what to run and launches it: on the terminal,
//! headless or recorded. It uses the engine, the screens and the kit; nothing below imports it.

pub(crate) mod args;
pub(crate) mod complete;
pub(crate) mod config;
pub(crate) mod install;
pub(crate) mod lock;
pub(crate) mod lookup;
pub mod pipeline;
pub(crate) mod playlist;
pub(crate) mod record;
pub mod registry;
#[cfg(feature = "test-hooks")]
mod test_hooks;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};

pub use self::args::Args;
use self::args::engine_options_first;
use self::args::{Action, Line};
use crate::sanitize::{CleanLine, CleanText};
use crate::saver::engine::backend::{self, HeadlessBackend, TerminalBackend};
use crate::saver::engine::{Engine, Exit, Settings, power, render, rotate};
use crate::saver::kit::buffer::{self, Color};
use crate::saver::kit::screen::{self, ScreenInfo, Size};
use crate::saver::kit::values;

/// `fun saver`, as the top sees it.
pub const TOOL: crate::tool::Tool = crate::tool::Tool {
    name: "saver",
    command: args::saver_command,
    run: main,
    completers: complete::completers,
};

/// `fun saver ARGS...`: parses its words (the engine options given after the screen's name
/// first, [`engine_options_first`]), then [`run`].
fn main(words: &[OsString]) -> anyhow::Result<ExitCode> {
    let words = engine_options_first(words.to_vec());
    match crate::tool::parse::<Line>(args::saver_command(), &words) {
        Ok((line, matches)) => run(line.args, line.action, matches, words),
        Err(err) => Ok(crate::exit::exit_for_clap_error(&err, crate::exit::USAGE)),
    }
}

/// Runs `fun saver`. `words` are the saver's words `args` and `matches` were parsed from (the
/// config file's values are put in front of them and they are parsed again).
///
/// # Errors
/// Unknown screens, bad option values, a config file that cannot be used, no terminal,
/// terminal I/O errors.
fn run(
    args: Args,
    action: Option<Action>,
    matches: clap::ArgMatches,
    words: Vec<OsString>,
) -> anyhow::Result<ExitCode> {
    if let Some(Action::Config(command)) = &action
        && command.example
    {
        return crate::stdio::print_all(&CleanText::keep(config::example()));
    }
    if let Some(Action::New(new)) = &action {
        return write_new_screen(&new.name);
    }
    let screens = registry::all();
    match &action {
        Some(Action::Install(install)) => {
            return install::install(install, &screens).or_else(|e| usage_exit(&e).ok_or(e));
        }
        Some(Action::Uninstall(uninstall)) => return install::uninstall(uninstall),
        _ => {}
    }
    if args.list {
        return print_list(&screens);
    }
    let engine = args::command();
    let config = config::load(args.config.file.as_deref(), &screens, &engine)?;
    if let Some(Action::Config(_)) = &action {
        return print_config(&config, &matches, &engine);
    }
    let args = match with_config(&config, &matches, &words, &engine) {
        Ok(Some(merged)) => merged,
        Ok(None) => args,
        Err(code) => return Ok(code),
    };
    // The engine options' definitions (~40 KB of clap's structures), the parsed words and
    // their matches are not needed past here: freed now, their memory holds the screen and
    // the frame buffers instead of adding to them for as long as the saver runs (issue 27).
    drop((engine, matches, words));
    // `main` has moved the engine options given after the name in front of it
    // (`engine_options_first`): what follows the name is the screens'.
    let plan = match playlist::plan(&args.screen, &args.rotation, &config.playlists, &screens) {
        Ok(Some(plan)) => plan,
        Ok(None) => return print_list(&screens),
        Err(playlist::PlanError::Split(err)) => {
            let err = values::usage_error(&format!("the screens: {err}"));
            return Ok(usage_exit(&err).unwrap_or(ExitCode::FAILURE));
        }
        Err(err) => bail!(err),
    };
    for name in plan.names() {
        if lookup::find(&screens, name).is_none() {
            let err = unknown_screen(name, &screens);
            return usage_exit(&err).ok_or(err);
        }
    }
    let used = config::Used { playlist: plan.playlist.as_deref(), screens: plan.names() };
    if let Some(code) = report_problems(&config, &used) {
        return Ok(code);
    }
    let settings = args.settings();
    if args.duration.is_some() && args.record.is_none() {
        let err = clap::Error::raw(
            clap::error::ErrorKind::MissingRequiredArgument,
            "--duration needs --record FILE.cast\n",
        );
        return Ok(crate::exit::exit_for_clap_error(&err, crate::exit::USAGE));
    }
    let name = plan.names().join("+");
    let mut screen = match build(plan, &args, config, screens, &settings) {
        Ok(screen) => screen,
        Err(err) => return usage_exit(&err).ok_or(err),
    };
    if args.record.is_some() || args.headless || args.print {
        // Simulated time must not race a worker: what the screen loads (a picture being
        // decoded) is there before the first frame, and its failure is the run's error.
        screen.settle(true)?;
    }
    if let Some(target) = &args.record {
        return record::run(target, &args, &name, screen, settings);
    }
    if args.headless {
        return run_headless(&args, &name, screen, settings);
    }
    if args.print {
        return run_print(&args, &name, screen, settings);
    }
    run_on_terminal(&args, &name, screen, settings)
}

/// `fun saver new NAME`: a starter script in the user's screens folder, and where it is.
fn write_new_screen(name: &str) -> anyhow::Result<ExitCode> {
    let path = crate::saver::screens::script::write_new(name)?;
    let shown = crate::files::display_path(&path);
    let line = format!("wrote {shown}; run `fun saver {name} --watch`, edit and save");
    crate::stdio::print_all(&CleanText::keep(format!("{}\n", CleanLine::new(line).as_str())))
}

/// Runs `screen` on the terminal (locked with `--lock`) until a key, a signal or a hang-up,
/// and gives the terminal back before any error is printed.
fn run_on_terminal(
    args: &Args,
    name: &str,
    screen: Box<dyn screen::Screen>,
    settings: Settings,
) -> anyhow::Result<ExitCode> {
    #[cfg(feature = "test-hooks")]
    let screen = match args.test_panic_after {
        Some(frames) => Box::new(test_hooks::PanicAfter { inner: screen, frames }),
        None => screen,
    };
    // Before anything else happens on the terminal: a lock that could not be unlocked (no
    // libpam, no user name) is never started.
    let lock = if args.lock.lock { Some(lock::prepare(&args.lock)?) } else { None };
    if let Some(wanted) = args.power.if_idle
        && !power::terminal_idle_for(wanted)
    {
        // A key came meanwhile: the idle hook fired too early; nothing to do.
        return Ok(ExitCode::SUCCESS);
    }
    if lock.is_some() {
        lock::no_core_dumps()?;
    }
    let mut backend =
        if lock.is_some() { TerminalBackend::new_locked()? } else { TerminalBackend::new()? };
    let size = match backend::Backend::size(&mut backend) {
        Ok(size) => size,
        // Hung up between taking the terminal and the first frame: as any other hang-up.
        Err(err) if err.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error()) => {
            return Ok(ExitCode::from(crate::exit::hangup_exit_status()));
        }
        Err(err) => return Err(anyhow::Error::new(err).context("cannot read the terminal size")),
    };
    let mut engine = Engine::new(name, screen, settings, size)
        .with_extras(args.overlay.overlay(), power::Power::new(args.power.dim_after));
    if let Some(lock) = lock {
        engine = engine.with_lock(lock);
    }
    let exit = engine.run(&mut backend);
    drop(backend); // Restores the terminal before any error is printed.
    Ok(match exit.context("the terminal")? {
        Exit::Key | Exit::Frames => {
            if let Some(report) = engine.lock_report() {
                eprintln!("fun saver: {report}");
            }
            ExitCode::SUCCESS
        }
        Exit::Signal(sig) => ExitCode::from(crate::exit::signal_exit_status(sig)),
        Exit::Hangup => ExitCode::from(crate::exit::hangup_exit_status()),
        Exit::Failed => return Err(engine.take_failure()),
    })
}

/// `fun saver config`: the effective configuration on stdout, the file's problems on stderr
/// (exit 1 when there are any).
fn print_config(
    config: &config::Config,
    matches: &clap::ArgMatches,
    engine: &clap::Command,
) -> anyhow::Result<ExitCode> {
    let mut report = Vec::new();
    config::print_effective(config, matches, engine, &mut report)?;
    let printed = crate::stdio::print_all(&CleanText::keep(report))?;
    let (fatal, reported) = config.problems(&config::Used::default());
    let lines: Vec<String> = fatal.iter().chain(&reported).cloned().collect();
    print_problems(&config.warning_lines());
    print_problems(&lines);
    Ok(if fatal.is_empty() && reported.is_empty() { printed } else { ExitCode::FAILURE })
}

/// The saver's words with the config's engine values in front (`None` when the config adds
/// nothing), parsed again. `Err` carries the exit code of a usage error already printed.
fn with_config(
    config: &config::Config,
    matches: &clap::ArgMatches,
    words: &[OsString],
    engine: &clap::Command,
) -> Result<Option<Args>, ExitCode> {
    let given = config::given(matches, engine);
    let playlist = matches.try_get_one::<String>("playlist").ok().flatten().map(String::as_str);
    let from_config = config.engine_words(playlist, &given);
    if from_config.is_empty() || words.is_empty() {
        return Ok(None);
    }
    let mut merged: Vec<OsString> = words[..1].to_vec();
    merged.extend(from_config.into_iter().map(OsString::from));
    merged.extend(words[1..].iter().cloned());
    match crate::tool::parse::<Line>(args::saver_command(), &merged) {
        Ok((line, _)) => Ok(Some(line.args)),
        Err(err) => Err(crate::exit::exit_for_clap_error(&err, crate::exit::USAGE)),
    }
}

/// The most problems printed one by one: a file full of mistakes must not flood the terminal.
const MAX_PROBLEMS_SHOWN: usize = 20;

/// Prints the config's problems, each one clean line: a problem quotes the file's keys and
/// section names, which may hold escapes, bidi overrides or newlines.
fn print_problems(lines: &[String]) {
    for line in lines.iter().take(MAX_PROBLEMS_SHOWN) {
        crate::stdio::warn("saver", &CleanLine::message(line));
    }
    if lines.len() > MAX_PROBLEMS_SHOWN {
        eprintln!(
            "fun saver: ... and {} more problems in the config file",
            lines.len() - MAX_PROBLEMS_SHOWN
        );
    }
}

/// Prints the config's problems: those in sections this run uses end it (exit 2), the others
/// are only reported.
fn report_problems(config: &config::Config, used: &config::Used<'_>) -> Option<ExitCode> {
    let (fatal, reported) = config.problems(used);
    let notes = reported.iter().map(|l| format!("{l} (not used now; ignored)"));
    let lines: Vec<String> = notes.chain(fatal.iter().cloned()).collect();
    print_problems(&config.warning_lines());
    print_problems(&lines);
    (!fatal.is_empty()).then(|| ExitCode::from(crate::exit::USAGE))
}

/// A clap error (help included) inside `err`: printed, and the exit code it means.
fn usage_exit(err: &anyhow::Error) -> Option<ExitCode> {
    let clap_err = err.downcast_ref::<clap::Error>()?;
    let code = crate::exit::exit_for_clap_error(clap_err, crate::exit::USAGE);
    if clap_err.kind() == clap::error::ErrorKind::DisplayHelp {
        // A reader that went away (`| head`) is no error here.
        let _ = std::io::stdout().write_all(args::engine_help().as_bytes());
    }
    Some(code)
}

/// The screen to run: the plan's only screen, or a rotation. Every screen's options are
/// checked now (the first is built), so a mistake is reported before the terminal is taken.
fn build(
    plan: playlist::Plan,
    args: &Args,
    config: config::Config,
    screens: Vec<ScreenInfo>,
    settings: &Settings,
) -> anyhow::Result<Box<dyn screen::Screen>> {
    if plan.entries.is_empty() {
        bail!("nothing to play: the playlist has no screens");
    }
    if plan.entries.len() == 1 && !plan.random {
        return make_entry(&screens, &config, &plan.entries[0]);
    }
    if !plan.random {
        for entry in &plan.entries {
            let info = lookup::find(&screens, &entry[0]).context("a screen of the plan")?;
            let argv = std::iter::once(format!("fun saver {}", entry[0]))
                .chain(config.screen_args(info, &entry[1..]));
            (info.options)()
                .try_get_matches_from(argv)
                .map_err(|err| crate::suggest::clap_error(err, &options_after(info)))?;
        }
    }
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(settings.seed);
    let order = playlist::order(plan.entries.len(), args.rotation.shuffle || plan.random, &mut rng);
    let first = make_entry(&screens, &config, &plan.entries[order[0]])?;
    let pace = rotate::Pace {
        every: args.rotation.every,
        shuffle: args.rotation.shuffle,
        random: plan.random,
        transition: args.rotation.transition,
        speed: settings.speed,
    };
    let maker: rotate::Maker = Box::new(move |entry| make_entry(&screens, &config, entry));
    Ok(Box::new(rotate::Rotation::new(plan.entries, order, first, maker, pace)))
}

/// Builds the screen of one entry (its name, then its options) with the config's defaults.
fn make_entry(
    screens: &[ScreenInfo],
    config: &config::Config,
    entry: &playlist::Entry,
) -> anyhow::Result<Box<dyn screen::Screen>> {
    let info = lookup::find(screens, &entry[0]).context("a screen of the plan")?;
    let words = config.screen_args(info, &entry[1..]);
    (info.make)(&words).map_err(|e| match e.downcast::<clap::Error>() {
        Ok(clap_err) => crate::suggest::clap_error(clap_err, &options_after(info)).into(),
        Err(e) => e.context(format!("screen {}", entry[0])),
    })
}

/// What may follow a screen's name: its own options and the engine's (for "did you mean").
pub(crate) fn options_after(info: &ScreenInfo) -> clap::Command {
    (info.options)().args(args::command().get_arguments().cloned())
}

/// The one-line error for a word where a screen's name was expected: an unknown option
/// (`--fsp`), a misspelt subcommand (`instal`) or screen (`matrx`), each with the nearest
/// name through [`crate::suggest`]; the list of screens when none is near.
pub(crate) fn unknown_screen(word: &str, screens: &[ScreenInfo]) -> anyhow::Error {
    let message = if word.starts_with('-') {
        let name = word.split_once('=').map_or(word, |(name, _)| name);
        let engine = args::command();
        let longs: Vec<String> = engine
            .get_arguments()
            .filter(|arg| !arg.is_hide_set())
            .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
            .collect();
        let longs: Vec<&str> = longs.iter().map(String::as_str).collect();
        let message = match crate::suggest::nearest(name, longs.iter().copied()) {
            Some(_) => crate::suggest::unknown("option", name, &longs),
            None => format!("unknown option \"{name}\" (`fun saver --help` lists them)"),
        };
        // An option is a command-line error (status 2, as clap's own).
        return values::usage_error(&CleanLine::new(&message).into_string());
    } else {
        let saver = args::saver_command();
        let actions: Vec<&str> = saver.get_subcommands().map(clap::Command::get_name).collect();
        let names: Vec<&str> = lookup::list(screens).into_iter().map(|(n, _)| n).collect();
        match crate::suggest::nearest(word, actions.iter().chain(&names).copied()) {
            Some(near) if actions.contains(&near) => {
                format!("unknown screen \"{word}\" (did you mean the subcommand \"{near}\"?)")
            }
            Some(near) => format!("unknown screen \"{word}\" (did you mean \"{near}\"?)"),
            None => format!("unknown screen \"{word}\"; the screens are: {}", names.join(", ")),
        }
    };
    anyhow::anyhow!(CleanLine::new(&message).into_string())
}

/// `fun saver --list`: `NAME  description` lines, each one clean line (a user's screen file
/// gives both); through [`crate::stdio::print_all`], so a closed stdout is an error and a
/// closed pipe a quiet end.
fn print_list(screens: &[ScreenInfo]) -> anyhow::Result<ExitCode> {
    #[cfg_attr(not(feature = "script"), allow(unused_mut))]
    let mut listed = lookup::list(screens);
    // Scripted screens are checked here only: a script that does not compile says so.
    #[cfg(feature = "script")]
    let broken = crate::saver::screens::script::broken();
    #[cfg(feature = "script")]
    {
        for (name, about) in &mut listed {
            if let Some((_, why)) = broken.iter().find(|(n, _)| n == name) {
                *about = why.as_str();
            }
        }
    }
    let width = listed.iter().map(|(n, _)| n.chars().count()).max().unwrap_or(0);
    let mut text = CleanText::default();
    for (name, about) in listed {
        text.push_line(&CleanLine::new(format!("{name:width$}  {about}")));
    }
    let code = crate::stdio::print_all(&text)?;
    if std::io::stdout().is_terminal() {
        eprintln!(
            "\nRun `fun saver NAME` (any key exits); `fun saver NAME --help` for its options."
        );
    }
    Ok(code)
}

fn run_headless(
    args: &Args,
    name: &str,
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
    // Through a plain file on fd 1: std's `Stdout` reports success for writes that fail with
    // `EBADF`, so a closed stdout would end with exit 0 and nothing written.
    let stdout = crate::stdio::stdout_file().context("standard output")?;
    if args.stream {
        backend.stream_to(Box::new(std::io::BufWriter::new(stdout.try_clone()?)));
    }
    let mut engine = Engine::new(name, screen, settings, size)
        .with_extras(args.overlay.overlay(), power::Power::new(args.power.dim_after));
    wait_for_content(&mut engine, name, &|| false);
    let written = engine.run(&mut backend).and_then(|_| backend.flush()).and_then(|()| {
        let mut out = &stdout;
        if args.ansi && !args.stream {
            out.write_all(&render::to_ansi_lines(engine.shown()))?;
        } else if !args.stream {
            out.write_all(text_view(engine.shown()).as_bytes())?;
        }
        out.flush()
    });
    crate::stdio::exit_after_write(written)
}

/// `fun saver NAME --print`: the screen's finished picture once on stdout (the engine's
/// [`Engine::run_to_picture`]), with colours when the depth has any (a terminal, or
/// `--color-depth`), else as plain text.
fn run_print(
    args: &Args,
    name: &str,
    screen: Box<dyn screen::Screen>,
    settings: Settings,
) -> anyhow::Result<ExitCode> {
    let size = args.size.unwrap_or_else(print_size);
    let start = args.time.unwrap_or_else(|| chrono::Local::now().naive_local());
    let colour = settings.depth != crate::saver::kit::color::Depth::Mono;
    let stdout = crate::stdio::stdout_file().context("standard output")?;
    let mut engine = Engine::new(name, screen, settings, size);
    wait_for_content(&mut engine, name, &|| false);
    let picture = engine.run_to_picture(start)?;
    let bytes =
        if colour { render::to_ansi_lines(picture) } else { text_view(picture).into_bytes() };
    let mut out = &stdout;
    crate::stdio::exit_after_write(out.write_all(&bytes).and_then(|()| out.flush()))
}

/// The size `--print` draws at without `--size`: the terminal's (standard output's, else
/// standard error's), bounded, else 80x24.
fn print_size() -> Size {
    let of = |fd: std::os::fd::BorrowedFd<'_>| {
        rustix::termios::tcgetwinsize(fd)
            .ok()
            .filter(|ws| ws.ws_col > 0 && ws.ws_row > 0)
            .map(|ws| Size { width: ws.ws_col, height: ws.ws_row }.bounded())
    };
    use std::os::fd::AsFd;
    of(std::io::stdout().as_fd())
        .or_else(|| of(std::io::stderr().as_fd()))
        .unwrap_or(Size { width: 80, height: 24 })
}

/// Waits for the screen's first content before a simulated clock starts
/// ([`Engine::wait_for_content`]); when it does not come in time, says so on stderr and goes
/// on with what there is.
pub(crate) fn wait_for_content(engine: &mut Engine, name: &str, stop: &dyn Fn() -> bool) {
    let deadline = crate::saver::engine::CONTENT_DEADLINE;
    if !engine.wait_for_content(deadline, stop) && !stop() {
        eprintln!(
            "fun saver: {}: no content after {} s; going on with what there is",
            CleanLine::new(name).into_string(),
            deadline.as_secs()
        );
    }
}

/// The buffer as plain text for `--headless`: like `Buffer::to_text`, but blocks drawn as
/// coloured (or reverse-video) spaces, such as the clock's digits, show as `█`.
#[must_use]
pub(crate) fn text_view(buf: &buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.height() {
        let line: String = buf
            .row(y)
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
