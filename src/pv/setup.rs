//! From the options to the display's settings, one definition for every mode (a transfer,
//! `-M`, `-d`, `-Q`): which view stderr gets, the line's layout, the units, the bar style,
//! whether colour and UTF-8 may be used; and the settings a `-R` command line hands over.

use std::io::IsTerminal;
use std::time::Duration;

use super::args::Args;
use super::display::hooks::HookSpec;
use super::display::{Config, Extra, Hooks, Numeric, Settings, View};
use super::format::{self, Style, Token};
use super::options;
use crate::units::Unit;

/// `--on-progress`: the smallest and largest step.
pub(crate) const HOOK_STEPS: std::ops::RangeInclusive<u32> = 1..=100;

/// Whether anything goes to stderr, and how.
pub(crate) fn view(args: &Args) -> View {
    let terminal = std::io::stderr().is_terminal();
    if args.quiet {
        View::Hidden
    } else if args.json {
        View::Json
    } else if args.numeric {
        View::Numbers
    } else if !(args.force || terminal) {
        View::Hidden
    } else if args.log && !terminal {
        View::Log
    } else if args.cursor && terminal {
        View::Cursor { force: args.force }
    } else {
        View::Line { force: args.force }
    }
}

/// The units amounts are shown in.
pub(crate) fn unit(args: &Args) -> Unit {
    match (args.counts_lines(), args.bits, args.si) {
        (true, _, _) => Unit::Count,
        (false, true, true) => Unit::SiBits,
        (false, true, false) => Unit::Bits,
        (false, false, true) => Unit::SiBytes,
        (false, false, false) => Unit::Bytes,
    }
}

/// Whether the locale says the terminal takes UTF-8 (for the Unicode bar styles, as pv).
fn utf8_locale() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}

/// The line's style.
pub(crate) fn style(args: &Args, name: Option<String>) -> Style {
    let terminal = std::io::stderr().is_terminal();
    Style {
        unit: unit(args),
        name,
        bar: args.bar_style.unwrap_or_default(),
        utf8: utf8_locale(),
        // pv: -f always allows colour; otherwise a terminal that is not "dumb".
        colour: !anstyle_query::no_color()
            && (args.force
                || (terminal && std::env::var("TERM").is_ok_and(|t| !t.is_empty() && t != "dumb"))),
        numeric: args.numeric,
        gauge: args.gauge,
    }
}

/// The line's layout for `format` (a `-F`), else the switches (or `-n`'s numbers); as pv,
/// the switches lose `-e` and `-I` when the size is not known.
pub(crate) fn layout(
    args: &Args,
    format: Option<&format::Format>,
    size_known: bool,
    named: bool,
) -> Vec<Token> {
    match format {
        Some(format) => format.tokens.clone(),
        None if args.numeric => format::numeric_layout(args.timer, args.bytes, args.rate),
        None => {
            let mut switches = args.switches();
            switches.name = named;
            if !size_known {
                switches.eta = false;
                switches.fineta = false;
            }
            format::switches_layout(&switches)
        }
    }
}

/// Why `--on-progress` cannot be used as given.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HookError {
    #[error("--on-progress: expected PERCENT COMMAND")]
    Arguments,
    #[error("--on-progress: {0}")]
    Step(crate::units::OutOfRange),
    #[error("--on-progress: the command is empty")]
    EmptyCommand,
}

/// The `--on-progress` setup.
///
/// # Errors
/// [`HookError`] with a one-line reason.
pub(crate) fn hooks(args: &Args) -> Result<Option<HookSpec>, HookError> {
    let Some(values) = &args.on_progress else { return Ok(None) };
    let [step, command] = values.as_slice() else {
        return Err(HookError::Arguments);
    };
    let step =
        crate::units::parse_within(step, &HOOK_STEPS, "whole percent").map_err(HookError::Step)?;
    if command.split_whitespace().next().is_none() {
        return Err(HookError::EmptyCommand);
    }
    Ok(Some(HookSpec { step, command: command.clone(), shell: args.on_progress_shell }))
}

/// The display settings for `args`, with `tokens` as the layout and `name` for `%N`.
pub(crate) fn config(
    args: &Args,
    tokens: Vec<Token>,
    name: Option<String>,
    hooks: Option<HookSpec>,
) -> Config {
    let classic_numeric = (args.numeric && args.format().is_none()).then_some(Numeric {
        timer: args.timer,
        bytes: args.bytes || args.bits,
        rate: args.rate,
    });
    Config {
        view: view(args),
        tokens,
        style: style(args, name),
        interval: Duration::from_secs_f64(args.interval.unwrap_or(1.0)),
        width: args.width.filter(|&w| w > 0),
        height: args.height.filter(|&h| h > 0),
        wait_for_data: args.wait,
        delay: Duration::from_secs_f64(args.delay_start.unwrap_or(0.0)),
        stats: args.stats,
        window: args.average_rate_window.unwrap_or(30),
        extra: args.extra_display.clone().map(Extra::new),
        hooks: hooks.map(Hooks::new),
        classic_numeric,
    }
}

/// The display settings of a transfer of known or unknown size.
pub(crate) fn transfer_config(args: &Args, size_known: bool, hooks: Option<HookSpec>) -> Config {
    let name = args.name();
    config(args, layout(args, args.format(), size_known, name.is_some()), name, hooks)
}

/// The settings a `-R` command line hands to the other `fun pv`.
#[must_use]
pub(crate) fn remote_settings(args: &Args) -> Settings {
    Settings {
        switches: args.switches(),
        format: args.format().map(|f| f.text.clone()),
        name: args.name(),
        extra: args.extra_display.clone().map(Extra::new),
        // 0 is sent too: it lifts the limit, as on the command line.
        rate_limit: args.rate_limit.map(|r| r.resolve(args.si)),
        size: match &args.size {
            Some(options::SizeArg::Amount(a)) => Some(a.resolve(args.si)),
            _ => None,
        },
        interval: args.interval.map(Duration::from_secs_f64),
        width: args.width.filter(|&w| w > 0),
        height: args.height.filter(|&h| h > 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_of(words: &[&str]) -> Config {
        let command = <Args as clap::Args>::augment_args(clap::Command::new("pv").version("0"));
        let matches = command
            .try_get_matches_from(std::iter::once("pv").chain(words.iter().copied()))
            .expect("parses");
        let args = <Args as clap::FromArgMatches>::from_arg_matches(&matches).expect("args");
        transfer_config(&args, false, None)
    }

    /// A quiet, rate-limited pv has nothing to show between bytes: its display does not tick
    /// (it woke ten times a second before); anything shown or sampled keeps the ticks.
    #[test]
    fn only_a_display_with_work_ticks() {
        assert!(!config_of(&["-q", "-L", "8"]).ticks());
        assert!(config_of(&["-q", "-L", "8", "--stats"]).ticks());
        assert!(config_of(&["-q", "-x", "window"]).ticks());
        assert!(config_of(&["-f", "-L", "8"]).ticks());
        assert!(config_of(&["--json"]).ticks());
    }
}
