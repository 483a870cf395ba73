//! `fun calendar`: shows the upcoming events of BSD calendar(1) files, compatible with Debian's
//! calendar (options, file search, preprocessing, date syntax and output bytes), plus
//! year-specific dates, astronomical specials, bundled calendars and colour.

pub(crate) mod astro;
mod complete;
pub(crate) mod cpp_expr;
pub(crate) mod dateline;
pub(crate) mod diag;
pub(crate) mod events;
pub(crate) mod feasts;
pub(crate) mod ics;
#[cfg(test)]
pub(crate) mod linear;
pub(crate) mod locale;
mod locale_table;
pub(crate) mod macros;
pub(crate) mod occur;
pub(crate) mod output;
pub(crate) mod preprocess;
pub(crate) mod source;
pub(crate) mod window;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::Offset;

use self::diag::Warnings;
use self::preprocess::Source;
use self::window::{Window, WindowOptions, parse_count, parse_today};
use crate::files::display_path;

/// `fun calendar`, as the top sees it.
pub const TOOL: crate::tool::Tool =
    crate::tool::Tool { name: "calendar", command, run: main, completers: complete::completers };

/// `fun calendar`'s command line.
fn command() -> clap::Command {
    let about = "Show upcoming events from calendar files (compatible with BSD calendar)";
    crate::tool::command_of::<Args>("calendar", about)
}

/// `fun calendar ARGS...`: parses its words, then [`run`].
fn main(words: &[std::ffi::OsString]) -> anyhow::Result<ExitCode> {
    crate::tool::parse_and_run(command(), words, run)
}

/// When to colour the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Options of `fun calendar` (the reference's `-abw -A -B -l -e -f -t`).
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Show today and the next NUM days (NUM from 0 to 36525, a century).
    #[arg(short = 'A', value_name = "NUM", allow_hyphen_values = true)]
    pub(crate) ahead: Option<String>,
    /// Also show the NUM days before today (0 to 36525).
    #[arg(short = 'B', value_name = "NUM", allow_hyphen_values = true)]
    pub(crate) behind: Option<String>,
    /// Same as -A.
    #[arg(short = 'l', value_name = "NUM", allow_hyphen_values = true)]
    pub(crate) lookahead: Option<String>,
    /// Days shown after a Friday when neither -A nor -B is given (default 2, at most 36525).
    #[arg(short = 'e', value_name = "NUM", allow_hyphen_values = true)]
    pub(crate) friday: Option<String>,
    /// Prefix each date with its weekday.
    #[arg(short = 'w')]
    pub(crate) weekday: bool,
    /// Read this calendar file: a regular file of at most 4 MiB (`-` for standard input, with
    /// the same cap; a bundled name like `lotr` works too).
    #[arg(short = 'f', value_name = "FILE")]
    pub(crate) file: Option<String>,
    /// Pretend today is this date (a day from 1970 to 9999).
    #[arg(short = 't', value_name = "[[[cc]yy]mm]dd")]
    pub(crate) today: Option<String>,
    /// Always show "bodun" entries (accepted for compatibility; they need a Russian locale).
    #[arg(short = 'b')]
    pub(crate) bodun: bool,
    /// Mail every user their calendar (not supported).
    #[arg(short = 'a')]
    pub(crate) all_users: bool,
    /// List the bundled calendars with a description each.
    #[arg(long)]
    pub(crate) list: bool,
    /// Colour the output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,
    /// Write the events of the window as an iCalendar (RFC 5545) file, for other calendar
    /// programs: one all-day event per day an entry falls on.
    #[arg(long, conflicts_with_all = ["weekday", "list"])]
    pub(crate) ics: bool,
    /// Print calendar lines for the events of an iCalendar file (a regular file of at most
    /// 16 MiB, or `-` for standard input); events no calendar date can express are named on
    /// standard error.
    #[arg(
        long,
        value_name = "FILE.ics",
        conflicts_with_all = ["ahead", "behind", "lookahead", "friday", "weekday", "file", "today", "list", "ics"]
    )]
    pub(crate) from_ics: Option<String>,
    /// Show no warnings at all (bad lines are still skipped).
    #[arg(short = 'q', long, conflicts_with = "warnings")]
    pub(crate) quiet: bool,
    /// Also warn about the system's calendars (/etc/calendar, /usr/share/calendar) and the
    /// bundled ones; by default only your own files' bad lines are named.
    #[arg(short = 'v', long)]
    pub(crate) warnings: bool,
    /// Reproduce the reference's known bugs (for differential testing).
    #[arg(long, hide = true)]
    pub(crate) strict: bool,
}

impl Args {
    /// Which warnings `-q` and `-v` ask for.
    fn warning_level(&self) -> diag::Level {
        match (self.quiet, self.warnings) {
            (true, _) => diag::Level::Quiet,
            (false, true) => diag::Level::All,
            (false, false) => diag::Level::User,
        }
    }
}

/// Examples and limits, after the options in `--help` (the limits are checked against the
/// constants by a test).
const AFTER_HELP: &str = "Examples:
  fun calendar -A 60                 the next 60 days from your calendar (or ours)
  fun calendar -f lotr -A 60         one bundled calendar
  fun calendar -t 20261224 -w        pretend it is Christmas Eve, with weekdays
  fun calendar --list                the bundled calendars
  fun calendar -A 365 --ics > year.ics
                                     a year of events as iCalendar, for another program
  fun calendar --from-ics holidays.ics > ~/.calendar/holidays
                                     calendar lines from an iCalendar file

Limits: calendar files and includes must be regular files of at most 4 MiB each, 64 MiB in \
all; at most 1024 #includes, nested at most 64 deep; a line's macros expand to at most 64 KiB, \
nested at most 256 deep; an #if expression is at most 64 KiB, with parentheses nested at most \
256 deep; at most 4000000 events are listed; at most 100 warnings are shown. \
iCalendar files (--from-ics) must be regular files of at most 16 MiB; components nest at most \
64 deep; a repeating event that ends is listed date by date when it has at most 1000 dates \
within a century (at most 10000000 days examined in all); at most 1000000 lines are written, at most 64 MiB.
On a terminal, escape sequences and control characters in the calendar text are removed.";

/// The bundled calendars as `(short name, description)`: `lotr` for `calendar.lotr`, the name
/// `-f` accepts from any folder (for shell completion and the manual pages).
#[must_use]
pub fn bundled_names() -> Vec<(String, String)> {
    source::bundled()
        .iter()
        .map(|(file, text)| {
            let name = file.strip_prefix("calendar.").unwrap_or(file);
            (name.to_owned(), source::description(text))
        })
        .collect()
}

/// Runs `fun calendar`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.list {
        return output::list(source::bundled());
    }
    if let Some(file) = &args.from_ics {
        return ics::run_import(file, args.warning_level());
    }
    if args.all_users {
        anyhow::bail!("-a (mail every user's calendar) is not supported");
    }
    let now = chrono::Local::now();
    let today = match &args.today {
        Some(value) => parse_today(value, now.date_naive())?,
        None => now.date_naive(),
    };
    let window = Window::new(today, window_options(&args)?);
    let home = crate::xdg::home();
    let mut cwd = std::env::current_dir().context("cannot read the current directory")?;
    if let Some(dir) = std::env::var_os("CALENDAR_DIR") {
        let dir = cwd.join(dir);
        if !dir.is_dir() {
            // The reference prints nothing and succeeds; say why at least.
            let line = format!("CALENDAR_DIR {}: not a directory", display_path(&dir));
            crate::stdio::warn("calendar", &crate::sanitize::CleanLine::message(line));
            return Ok(ExitCode::SUCCESS);
        }
        cwd = dir;
    }
    let (main, cwd) = main_source(args.file.as_deref(), cwd, home.as_deref())?;
    let resolver = source::Resolver::new(cwd, home);
    let mut warnings = Warnings::new(args.warning_level());
    let options = preprocess::Options { strict: args.strict };
    let lines = preprocess::preprocess(&main, &resolver, options, &mut warnings);
    let rules = occur::Rules {
        strict: args.strict,
        julian: false,
        utc_offset_secs: now.offset().fix().local_minus_utc(),
    };
    let events = events::collect(&lines, &window, rules, environment_locale(), &mut warnings);
    for warning in warnings.lines() {
        crate::stdio::warn("calendar", &crate::sanitize::CleanLine::message(warning));
    }
    if args.ics {
        return ics::print(&events);
    }
    let terminal = std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !anstyle_query::no_color(),
    };
    let style = output::Style { weekday: args.weekday, color, sanitize: terminal, today };
    output::print(&events, style)
}

/// The names of the locale the environment sets for dates (`LC_ALL`, else `LC_TIME`, else
/// `LANG`), like the reference's `setlocale(LC_ALL, "")`; English when unset or unknown.
fn environment_locale() -> locale::Names {
    ["LC_ALL", "LC_TIME", "LANG"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .and_then(|name| locale::Names::of(&name))
        .unwrap_or_else(locale::Names::english)
}

/// The window options from `-A`/`-l`, `-B` and `-e`.
fn window_options(args: &Args) -> anyhow::Result<WindowOptions> {
    let count = |option, value: &Option<String>| {
        value.as_deref().map(|v| parse_count(option, v)).transpose()
    };
    let ahead = count("-A", &args.ahead)?.or(count("-l", &args.lookahead)?);
    Ok(WindowOptions {
        ahead,
        behind: count("-B", &args.behind)?,
        friday_extra: count("-e", &args.friday)?,
    })
}

/// Finds the main calendar and the folder its run is based in (the reference's working folder).
fn main_source(
    file: Option<&str>,
    cwd: PathBuf,
    home: Option<&Path>,
) -> anyhow::Result<(Source, PathBuf)> {
    if file == Some("-") {
        return Ok((source::read_stdin()?, cwd));
    }
    if let Some(name) = file {
        let resolver = source::Resolver::new(cwd.clone(), home.map(Path::to_path_buf));
        let found = resolver.find(name)?;
        let base = match (&found.origin.dir, found.origin.bundled) {
            (Some(dir), false) if !cwd.join(name).exists() => dir.clone(),
            _ => cwd,
        };
        return Ok((found, base));
    }
    // A folder named calendar is passed over, as the reference does; any other file that is not
    // a regular one is refused by name rather than silently skipped.
    let local = cwd.join("calendar");
    if local.exists() && !local.is_dir() {
        return Ok((source::read(&local)?, cwd));
    }
    let home = home.context("cannot get home directory")?;
    let private = home.join(".calendar");
    if private.join("calendar").exists() && !private.join("calendar").is_dir() {
        return Ok((source::read(&private.join("calendar"))?, private));
    }
    let system = Path::new("/etc/calendar/default");
    if system.is_file() {
        return Ok((source::read(system)?, cwd));
    }
    let bundled = source::bundled_source("calendar.all")
        .context("no calendar file: \"calendar\" or \"~/.calendar/calendar\"")?;
    Ok((bundled, cwd))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    #[test]
    fn help_states_the_limits_the_code_uses() {
        let help = Cli::command().render_long_help().to_string();
        // Wrapping may break a phrase over lines.
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        let size = |n: usize| crate::files::human_size(n as u64);
        for needle in [
            format!("at most {} each", size(source::FILE_CAP as usize)),
            format!("{} in all", size(preprocess::TOTAL_CAP)),
            format!("at most {} #includes", preprocess::MAX_INCLUDES),
            format!("nested at most {} deep", preprocess::MAX_DEPTH),
            format!("at most {}", size(macros::EXPANSION_CAP)),
            format!("nested at most {} deep", macros::MAX_MACRO_NESTING),
            format!("#if expression is at most {}", size(cpp_expr::MAX_EXPR_LEN)),
            format!("parentheses nested at most {} deep", cpp_expr::MAX_EXPR_DEPTH),
            format!("at most {} events", events::MAX_EVENTS),
            format!("at most {} warnings", diag::MAX_SHOWN),
            format!("0 to {}", window::MAX_COUNT),
            format!("at most {} each", size(source::FILE_CAP as usize)),
            format!(
                "(--from-ics) must be regular files of at most {}",
                size(ics::import::ICS_CAP as usize)
            ),
            format!("nest at most {} deep", ics::vevent::MAX_DEPTH),
            format!("at most {} dates", ics::import::MAX_OCCURRENCES),
            format!("at most {} lines are written", ics::import::MAX_LINES),
            format!("written, at most {}", size(ics::import::MAX_OUTPUT)),
            format!("at most {} days examined", ics::import::SCAN_BUDGET),
        ] {
            assert!(help.contains(&needle), "--help should say {needle:?}:\n{help}");
        }
    }
}
