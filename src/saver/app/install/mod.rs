//! `fun saver install ENV` and `fun saver uninstall ENV`: the idle trigger. `install` prints
//! the snippet that starts the saver after a while without a key (`snippets.rs`), or with
//! `--apply` puts it into the environment's rc file inside a marked block (`rcfile.rs`), which
//! `uninstall` removes again. docs/idle.md explains each environment.

mod existing;
mod rcfile;
pub(crate) mod snippets;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};

use self::rcfile::RcFile;
pub(crate) use self::snippets::Env;
use crate::saver::app::args::{Args, InstallArgs, UninstallArgs};
use crate::saver::kit::screen::ScreenInfo;

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
    // Only engine options (`install tmux --lock`): the default screen.
    let parsed = parse(&words)?;
    if parsed.screen.is_empty() && parsed.rotation.playlist.is_none() && !parsed.rotation.random {
        words.push("matrix".to_owned());
    }
    check(&words, screens)?;
    Ok(words)
}

/// A saver command line (the program first) parsed as `fun saver` would.
pub(crate) fn parse(words: &[String]) -> anyhow::Result<Args> {
    let words: Vec<OsString> = words[1..].iter().map(Into::into).collect();
    let words = crate::saver::app::args::engine_options_first(words);
    let (line, _) = crate::tool::parse::<crate::saver::app::args::Line>(
        crate::saver::app::args::saver_command(),
        &words,
    )?;
    Ok(line.args)
}

/// Parses a saver command line as `fun saver` would, and checks every screen's options.
fn check(words: &[String], screens: &[ScreenInfo]) -> anyhow::Result<()> {
    let args = parse(words)?;
    let engine = crate::saver::app::args::command();
    let config = crate::saver::app::config::load(args.config.file.as_deref(), screens, &engine)
        .unwrap_or_default();
    let plan = crate::saver::app::playlist::plan(
        &args.screen,
        &args.rotation,
        &config.playlists,
        screens,
    )?
    .context("nothing to play: name a screen or --playlist")?;
    for entry in &plan.entries {
        let info = crate::saver::app::lookup::find(screens, &entry[0])
            .ok_or_else(|| crate::saver::app::unknown_screen(&entry[0], screens))?;
        let argv =
            std::iter::once(format!("fun saver {}", entry[0])).chain(entry[1..].iter().cloned());
        (info.options)().try_get_matches_from(argv).map_err(|err| {
            crate::suggest::clap_error(err, &crate::saver::app::options_after(info))
        })?;
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
    let lock = snippets::locks(&saver);
    if lock && args.env == Env::Screen {
        bail!(
            "GNU screen ends its blanker program on any key, so it cannot run a lock; \
             use tmux (fun saver install tmux --lock) or the zsh or fish hook"
        );
    }
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
    let found = existing::find(args.env, &rc.text);
    if lock && let Some(found) = &found {
        return install_lock_over(args, &rc, &block, found, &shown);
    }
    if let Some(found) = found.filter(|_| !args.force) {
        bail!(
            "{shown}:{}: already has an idle action ({}); the saver would replace it, and any \
             key ends the saver (it locks nothing). Nothing was changed; add --force to replace it",
            found.line,
            found.text
        );
    }
    write_block(args.env, &rc, &block, &shown)
}

/// `install --lock` over the user's own idle action (often vlock): our block comes after it
/// and takes its place (the last setting wins), with a warning; the user's line stays as it
/// was, so `uninstall` gives it back. A line after our block would win: refused.
fn install_lock_over(
    args: &InstallArgs,
    rc: &RcFile,
    block: &str,
    found: &existing::Existing,
    shown: &str,
) -> anyhow::Result<ExitCode> {
    let text = rcfile::with_block(&rc.text, block).map_err(|e| rc.block_error(e))?;
    let block_line = text.lines().position(|l| l == rcfile::BEGIN).map_or(0, |i| i + 1);
    if found.line > block_line {
        bail!(
            "{shown}:{}: an idle action ({}) comes after the fun saver block and would win over \
             the lock; nothing was changed. Move or remove that line, then run this again",
            found.line,
            found.text
        );
    }
    eprintln!(
        "fun saver: warning: {shown}:{}: {} is replaced by the fun saver lock below it \
         (the line is kept; `fun saver uninstall {}` gives it back)",
        found.line,
        found.text,
        args.env.name()
    );
    write_block(args.env, rc, block, shown)
}

/// Puts `block` into the rc file (one writer: a temporary file, then rename; a backup kept).
fn write_block(env: Env, rc: &RcFile, block: &str, shown: &str) -> anyhow::Result<ExitCode> {
    let text = rcfile::with_block(&rc.text, block).map_err(|e| rc.block_error(e))?;
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
    println!("{}", reload_hint(env, shown));
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
            if let Some(hint) = forget_hint(args.env) {
                println!("{hint}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// How to make a running environment forget the trigger an rc file no longer has: reading
/// the file again does not unset what it set before.
fn forget_hint(env: Env) -> Option<&'static str> {
    match env {
        Env::Tmux => Some(
            "A running tmux server keeps it until: \
             tmux set -gu lock-command; tmux set -gu lock-after-time",
        ),
        Env::Zsh => Some("Running zsh sessions keep it until: unset TMOUT; unfunction TRAPALRM"),
        Env::Screen => Some("Running screen sessions keep it until: screen -X idle off"),
        Env::Fish => Some(
            "Running fish sessions keep it until: \
             __fun_saver_disarm; functions -e __fun_saver_arm __fun_saver_disarm __fun_saver_run",
        ),
        Env::Bash => None,
    }
}
