//! `fun saver install ENV` and `fun saver uninstall ENV`: the idle trigger. `install` prints
//! the snippet that starts the saver after a while without a key (`snippets.rs`), or with
//! `--apply` puts it into the environment's rc file inside a marked block (`rcfile.rs`), which
//! `uninstall` removes again. docs/idle.md explains each environment.

mod existing;
mod rcfile;
mod snippets;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};

use self::rcfile::RcFile;
pub(crate) use self::snippets::Env;
use super::limits;
use super::screen::ScreenInfo;

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
          value_parser = limits::duration(Duration::from_secs(1), Duration::from_secs(86_400)))]
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
    #[arg(long, value_name = "NAME", value_parser = limits::text_up_to(100), conflicts_with = "saver")]
    pub(crate) playlist: Option<String>,

    /// What to play, as after `fun saver`: `SCREEN [OPTIONS] [+ SCREEN ...]` and engine options
    /// (default: matrix).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "SCREEN [OPTIONS]")]
    pub(crate) saver: Vec<String>,
}

/// `fun saver uninstall`.
#[derive(Debug, Clone, clap::Args)]
pub struct UninstallArgs {
    /// The environment to take the idle trigger out of.
    #[arg(value_enum, value_name = "ENV")]
    pub(crate) env: Env,

    /// The rc file to change (default: the usual one for ENV).
    #[arg(long, value_name = "FILE")]
    pub(crate) rc: Option<PathBuf>,
}

/// The usual rc file of `env` (`None` for bash, and without a home folder).
fn default_rc(env: Env) -> Option<PathBuf> {
    let home = crate::xdg::home()?;
    Some(match env {
        Env::Tmux => {
            let xdg = crate::xdg::base_dir("XDG_CONFIG_HOME", ".config")?.join("tmux/tmux.conf");
            let classic = home.join(".tmux.conf");
            if xdg.is_file() && !classic.exists() { xdg } else { classic }
        }
        Env::Screen => home.join(".screenrc"),
        Env::Zsh => std::env::var_os("ZDOTDIR")
            .filter(|d| !d.is_empty())
            .map_or_else(|| home.join(".zshrc"), |d| PathBuf::from(d).join(".zshrc")),
        Env::Fish => crate::xdg::base_dir("XDG_CONFIG_HOME", ".config")?.join("fish/config.fish"),
        Env::Bash => return None,
    })
}

/// The saver command line the snippet runs: this program, `saver`, then what was asked for,
/// checked now so that a typo is not installed.
fn saver_command(args: &InstallArgs, screens: &[ScreenInfo]) -> anyhow::Result<Vec<String>> {
    let program = std::env::current_exe().context("cannot tell where this program is")?;
    let mut words = vec![program.to_string_lossy().into_owned(), "saver".to_owned()];
    match (&args.playlist, args.saver.is_empty()) {
        (Some(name), _) => words.extend(["--playlist".to_owned(), name.clone()]),
        (None, true) => words.push("matrix".to_owned()),
        (None, false) => words.extend(args.saver.iter().cloned()),
    }
    check(&words, screens)?;
    Ok(words)
}

/// Parses a saver command line as `fun saver` would, and checks every screen's options.
fn check(words: &[String], screens: &[ScreenInfo]) -> anyhow::Result<()> {
    let argv: Vec<std::ffi::OsString> =
        std::iter::once("fun".into()).chain(words[1..].iter().map(Into::into)).collect();
    let argv = super::engine_options_first(argv);
    let parsed = <crate::cli::Cli as clap::Parser>::try_parse_from(&argv)?;
    let crate::cli::Command::Saver(args) = parsed.command else { bail!("not a saver command") };
    let config = super::config::load(args.config.file.as_deref(), screens).unwrap_or_default();
    let plan = super::rotation::plan(&args.screen, &args.rotation, &config.playlists, screens)?
        .context("nothing to play: name a screen or --playlist")?;
    for entry in &plan.entries {
        let info = super::registry::find(screens, &entry[0])
            .with_context(|| format!("unknown screen {:?}", entry[0]))?;
        let argv =
            std::iter::once(format!("fun saver {}", entry[0])).chain(entry[1..].iter().cloned());
        (info.options)().try_get_matches_from(argv)?;
    }
    Ok(())
}

/// `fun saver install`.
///
/// # Errors
/// A saver command line that does not parse, an rc file that cannot be changed.
pub(crate) fn install(args: &InstallArgs, screens: &[ScreenInfo]) -> anyhow::Result<ExitCode> {
    if args.env == Env::Bash {
        print!("{}", snippets::BASH);
        if args.apply {
            bail!("bash has no safe idle hook; nothing was changed (see the text above)");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let saver = saver_command(args, screens)?;
    let block = snippets::snippet(args.env, args.after, &saver)?;
    let Some(path) = args.rc.clone().or_else(|| default_rc(args.env)) else {
        bail!("no home folder to find the rc file in; name it with --rc FILE");
    };
    let shown = crate::files::display_path(&path);
    if !args.apply {
        println!("# Add this to {shown} (or run the same command with --apply):");
        print!("{}\n{block}{}\n", rcfile::BEGIN, rcfile::END);
        return Ok(ExitCode::SUCCESS);
    }
    let rc = RcFile::read(&path)?;
    if let Some(found) = existing::find(args.env, &rc.text).filter(|_| !args.force) {
        bail!(
            "{shown}:{}: already has an idle action ({}); the saver would replace it, and any \
             key ends the saver (it locks nothing). Nothing was changed; add --force to replace it",
            found.line,
            found.text
        );
    }
    let text = rcfile::with_block(&rc.text, &block).map_err(|e| rc.block_error(e))?;
    if text == rc.text {
        println!("fun saver: already in {shown}; nothing changed");
        return Ok(ExitCode::SUCCESS);
    }
    rcfile::check_undo(&rc.text, &text).map_err(|e| rc.block_error(e))?;
    let backup = rc.replace(&text)?;
    match backup {
        Some(backup) => println!(
            "fun saver: added to {shown} (the old file is in {})",
            crate::files::display_path(&backup)
        ),
        None => println!("fun saver: created {shown}"),
    }
    println!("{}", reload_hint(args.env, &shown));
    Ok(ExitCode::SUCCESS)
}

/// How to make a running environment read its rc file again.
fn reload_hint(env: Env, shown: &str) -> String {
    match env {
        Env::Tmux => format!("Reload it with: tmux source-file {shown}"),
        Env::Screen => format!("Reload it with: screen -X source {shown}"),
        Env::Zsh | Env::Fish => {
            format!("New {} sessions have it; this one after: source {shown}", env.name())
        }
        Env::Bash => String::new(),
    }
}

/// `fun saver uninstall`.
///
/// # Errors
/// An rc file that cannot be read or changed, a broken block.
pub(crate) fn uninstall(args: &UninstallArgs) -> anyhow::Result<ExitCode> {
    let Some(path) = args.rc.clone().or_else(|| default_rc(args.env)) else {
        if args.env == Env::Bash {
            println!("fun saver: nothing to remove for bash (it has no idle hook)");
            return Ok(ExitCode::SUCCESS);
        }
        bail!("no home folder to find the rc file in; name it with --rc FILE");
    };
    let shown = crate::files::display_path(&path);
    let rc = RcFile::read(&path)?;
    match rcfile::without_block(&rc.text).map_err(|e| rc.block_error(e))? {
        None => println!("fun saver: no fun saver block in {shown}; nothing changed"),
        Some(text) => {
            let backup = rc.replace(&text)?;
            let kept =
                backup.map(|b| format!(" (the old file is in {})", crate::files::display_path(&b)));
            println!("fun saver: removed from {shown}{}", kept.unwrap_or_default());
        }
    }
    Ok(ExitCode::SUCCESS)
}
