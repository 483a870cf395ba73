//! `fun calendar`: shows the upcoming events of BSD calendar(1) files, compatible with Debian's
//! calendar (options, file search, preprocessing, date syntax and output bytes), plus
//! year-specific dates, astronomical specials, bundled calendars and colour.

pub mod astro;
pub mod dateline;
pub mod events;
pub mod feasts;
pub mod occur;
pub mod output;
pub mod preprocess;
pub mod source;
pub mod window;

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::Offset;

use self::preprocess::{Origin, Source};
use self::window::{Window, WindowOptions, parse_count, parse_today};

/// When to colour the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Options of `fun calendar` (the reference's `-abw -A -B -l -e -f -t`).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  fun calendar -A 60                 the next 60 days from your calendar (or ours)\n  fun calendar -f lotr -A 60         one bundled calendar\n  fun calendar -t 20261224 -w        pretend it is Christmas Eve, with weekdays\n  fun calendar --list                the bundled calendars"
)]
pub struct Args {
    /// Show today and the next NUM days.
    #[arg(short = 'A', value_name = "NUM", allow_hyphen_values = true)]
    pub ahead: Option<String>,
    /// Also show the NUM days before today.
    #[arg(short = 'B', value_name = "NUM", allow_hyphen_values = true)]
    pub behind: Option<String>,
    /// Same as -A.
    #[arg(short = 'l', value_name = "NUM", allow_hyphen_values = true)]
    pub lookahead: Option<String>,
    /// Days shown after a Friday when neither -A nor -B is given (default 2).
    #[arg(short = 'e', value_name = "NUM", allow_hyphen_values = true)]
    pub friday: Option<String>,
    /// Prefix each date with its weekday.
    #[arg(short = 'w')]
    pub weekday: bool,
    /// Read this calendar file (`-` for standard input; a bundled name like `lotr` works too).
    #[arg(short = 'f', value_name = "FILE")]
    pub file: Option<String>,
    /// Pretend today is this date.
    #[arg(short = 't', value_name = "[[[cc]yy]mm]dd")]
    pub today: Option<String>,
    /// Always show "bodun" entries (accepted for compatibility; they need a Russian locale).
    #[arg(short = 'b')]
    pub bodun: bool,
    /// Mail every user their calendar (not supported).
    #[arg(short = 'a')]
    pub all_users: bool,
    /// List the bundled calendars with a description each.
    #[arg(long)]
    pub list: bool,
    /// Colour the output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Reproduce the reference's known bugs (for differential testing).
    #[arg(long, hide = true)]
    pub strict: bool,
}

/// Runs `fun calendar`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.list {
        return output::list(source::bundled());
    }
    if args.all_users {
        anyhow::bail!("-a (mail every user's calendar) is not supported");
    }
    let now = chrono::Local::now();
    let today = match &args.today {
        Some(value) => parse_today(value, now.date_naive())?,
        None => now.date_naive(),
    };
    let count = |option, value: &Option<String>| {
        value.as_deref().map(|v| parse_count(option, v)).transpose()
    };
    let ahead = count("-A", &args.ahead)?.or(count("-l", &args.lookahead)?);
    let options = WindowOptions {
        ahead,
        behind: count("-B", &args.behind)?,
        friday_extra: count("-e", &args.friday)?,
    };
    let window = Window::new(today, options);

    let home = crate::xdg::home();
    let mut cwd = std::env::current_dir().context("cannot read the current directory")?;
    if let Some(dir) = std::env::var_os("CALENDAR_DIR") {
        let dir = cwd.join(dir);
        if !dir.is_dir() {
            // The reference prints nothing and succeeds; say why at least.
            eprintln!("fun calendar: CALENDAR_DIR {}: not a directory", dir.display());
            return Ok(ExitCode::SUCCESS);
        }
        cwd = dir;
    }
    let (main, cwd) = main_source(args.file.as_deref(), cwd, home.as_deref())?;
    let resolver = source::Resolver { cwd, home };
    let pre = preprocess::preprocess(&main, &resolver);
    let mut warnings = pre.diagnostics;
    let rules = occur::Rules {
        strict: args.strict,
        julian: false,
        utc_offset_secs: now.offset().fix().local_minus_utc(),
    };
    let events = events::collect(&pre.lines, &window, rules, &mut warnings);
    for warning in &warnings {
        eprintln!("fun calendar: {warning}");
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let style = output::Style { weekday: args.weekday, color, today };
    output::print(&events, style)
}

/// Finds the main calendar and the folder its run is based in (the reference's working folder).
fn main_source(
    file: Option<&str>,
    cwd: PathBuf,
    home: Option<&std::path::Path>,
) -> anyhow::Result<(Source, PathBuf)> {
    if file == Some("-") {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("cannot read standard input")?;
        let origin = Origin { name: "<stdin>".into(), dir: None, bundled: false };
        return Ok((Source { origin, text: source::decode(bytes) }, cwd));
    }
    if let Some(name) = file {
        let resolver =
            source::Resolver { cwd: cwd.clone(), home: home.map(std::path::Path::to_path_buf) };
        let found = resolver.find(name)?;
        let base = match (&found.origin.dir, found.origin.bundled) {
            (Some(dir), false) if !cwd.join(name).exists() => dir.clone(),
            _ => cwd,
        };
        return Ok((found, base));
    }
    let local = cwd.join("calendar");
    if local.is_file() {
        return Ok((source::read(&local)?, cwd));
    }
    let home = home.context("cannot get home directory")?;
    let private = home.join(".calendar");
    if private.join("calendar").is_file() {
        return Ok((source::read(&private.join("calendar"))?, private));
    }
    let system = std::path::Path::new("/etc/calendar/default");
    if system.is_file() {
        return Ok((source::read(system)?, cwd));
    }
    let bundled = source::bundled_source("calendar.all")
        .context("no calendar file: \"calendar\" or \"~/.calendar/calendar\"")?;
    Ok((bundled, cwd))
}
