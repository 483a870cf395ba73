//! `fun man`: the manual pages. The section-1 pages (`fun`, each tool, and each subcommand with
//! options of its own: `fun-saver-install`, `fun-saver-uninstall`, `fun-saver-config`,
//! `fun-saver-new`, `fun-completions`, `fun-man`) are rendered from the clap definitions at run time
//! (`commands`), so any option a tool adds is in its page at once; their EXAMPLES come from
//! each command's `Examples:` help text, and `fun-saver(1)` lists the screens from the registry
//! with each screen's options, from the definitions `fun saver NAME --help` prints. Only what clap
//! cannot know (EXIT STATUS, ENVIRONMENT, FILES, SEE ALSO) is written by hand, in the roff
//! files beside this one, as are the two file-format pages, `fun-calendar(5)` and
//! `fun-screens(5)`.

mod commands;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::builder::PossibleValue;

use crate::tool::Tool;

/// `fun man`, a subcommand of the top.
pub const TOOL: Tool = Tool {
    name: "man",
    command: tool_command,
    run: tool_run,
    completers: crate::tool::no_completers,
};

fn tool_command() -> clap::Command {
    let about = "Show a manual page (on a terminal through `man -l -`; piped, the roff), or write them all with --dir";
    crate::tool::command_of::<Args>("man", about)
}

fn tool_run(words: &[std::ffi::OsString]) -> anyhow::Result<ExitCode> {
    crate::tool::parse_and_run(tool_command(), words, |args: Args| run(&args))
}

/// `fun man [PAGE] [--dir DIR]`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
fun man pv                     read fun-pv(1) (through man -l - on a terminal)\n  \
fun man pv | man -l -          the same from the roff\n  \
fun man calendar.5 | man -l -  read fun-calendar(5), the calendar file format\n  \
fun man --dir target/man       write every page (for packagers)\n\n\
Pages: fun(1), fun-saver(1), fun-saver-install(1), fun-saver-uninstall(1), \
fun-saver-config(1), fun-saver-new(1), fun-pv(1), fun-type(1), fun-calendar(1), fun-completions(1), fun-man(1), \
fun-calendar(5), fun-screens(5).")]
pub struct Args {
    /// The page to print (default: fun); `fun-` may be left out.
    #[arg(value_name = "PAGE", value_parser = page_names(), conflicts_with = "dir")]
    page: Option<String>,

    /// Write every page into DIR as NAME.SECTION (DIR is created if needed) instead.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// One manual page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Page {
    /// `fun-pv`.
    pub(crate) name: &'static str,
    /// `1` for commands, `5` for file formats.
    pub(crate) section: u8,
}

impl Page {
    /// The installed file name: `fun-pv.1`.
    #[must_use]
    pub(crate) fn file_name(self) -> String {
        format!("{}.{}", self.name, self.section)
    }

    /// The page's roff source.
    ///
    /// # Errors
    /// Never in practice: rendering writes into memory.
    pub(crate) fn render(self) -> anyhow::Result<String> {
        match (self.name, self.section) {
            ("fun-calendar", 5) => Ok(by_hand(include_str!("fun-calendar.5"))),
            ("fun-screens", 5) => Ok(by_hand(include_str!("fun-screens.5"))),
            (name, _) => commands::render(name),
        }
    }
}

/// Every page, in the order `fun(1)`'s SEE ALSO names them: each tool, each subcommand that
/// has options of its own, and the two file formats.
pub(crate) const PAGES: [Page; 13] = [
    Page { name: "fun", section: 1 },
    Page { name: "fun-saver", section: 1 },
    Page { name: "fun-saver-install", section: 1 },
    Page { name: "fun-saver-uninstall", section: 1 },
    Page { name: "fun-saver-config", section: 1 },
    Page { name: "fun-saver-new", section: 1 },
    Page { name: "fun-pv", section: 1 },
    Page { name: "fun-type", section: 1 },
    Page { name: "fun-calendar", section: 1 },
    Page { name: "fun-completions", section: 1 },
    Page { name: "fun-man", section: 1 },
    Page { name: "fun-calendar", section: 5 },
    Page { name: "fun-screens", section: 5 },
];

/// The names `PAGE` accepts: the file name without the section where it is unique
/// (`fun-pv`, `pv`), and `fun-calendar.5` / `calendar.5` for the format page.
fn page_names() -> Vec<PossibleValue> {
    PAGES
        .iter()
        .map(|page| {
            let unique = PAGES.iter().filter(|p| p.name == page.name).count() == 1;
            let name =
                if unique || page.section == 1 { page.name.to_string() } else { page.file_name() };
            let short = name.strip_prefix("fun-").map(str::to_owned);
            let value = PossibleValue::new(name.clone()).alias(page.file_name());
            match short {
                Some(short) => value.alias(format!("{short}.{}", page.section)).alias(short),
                None => value,
            }
        })
        .collect()
}

/// The page a `PAGE` value names (clap has already accepted it, aliases resolved to the name).
fn find(value: &str) -> Option<Page> {
    let (name, section) = match value.rsplit_once('.') {
        Some((name, section)) => (name, Some(section.parse::<u8>().ok()?)),
        None => (value, None),
    };
    let name = if name.starts_with("fun") { name.to_string() } else { format!("fun-{name}") };
    // Without a section, the first page of that name: section 1 before section 5.
    PAGES.iter().copied().find(|p| p.name == name && section.is_none_or(|s| s == p.section))
}

/// A hand-written page with this build's version in its title line.
fn by_hand(roff: &str) -> String {
    roff.replace("@VERSION@", env!("CARGO_PKG_VERSION"))
}

/// Runs `fun man`.
///
/// # Errors
/// An unwritable `--dir` or standard output.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.dir {
        write_all(dir)?;
        return Ok(ExitCode::SUCCESS);
    }
    let page = match args.page.as_deref() {
        Some(value) => find(value)
            .with_context(|| format!("no manual page {}", crate::sanitize::quoted(value)))?,
        None => PAGES[0],
    };
    let roff = crate::sanitize::CleanText::keep(page.render()?);
    if std::io::IsTerminal::is_terminal(&std::io::stdout())
        && let Some(code) = show_with_man(roff.as_str())
    {
        return Ok(code);
    }
    crate::stdio::print_all(&roff)
}

/// On a terminal, the page as a user reads one: formatted by `man -l -`, in their pager. `None`
/// when `man` cannot be started (not installed): the roff is printed instead. Piped, the roff
/// itself goes out (`fun man pv | man -l -`, packaging).
fn show_with_man(roff: &str) -> Option<ExitCode> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("man").args(["-l", "-"]).stdin(Stdio::piped()).spawn().ok()?;
    if let Some(mut stdin) = child.stdin.take() {
        // A pager quit before the end closes the pipe: no error to report then.
        let _ = stdin.write_all(roff.as_bytes());
    }
    let status = child.wait().ok()?;
    Some(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Writes every page into `dir`, each as a new file renamed into place (the one writer): an
/// existing path is never opened for writing, so a link someone planted as `DIR/fun.1` is
/// replaced, and what it points to is never touched.
fn write_all(dir: &Path) -> anyhow::Result<()> {
    let shown = crate::files::display_path(dir);
    std::fs::create_dir_all(dir).with_context(|| format!("{shown}: cannot create the folder"))?;
    for page in PAGES {
        let path = dir.join(page.file_name());
        let options = crate::files::write::Options::REPLACE;
        crate::files::write::write_file(&path, page.render()?.as_bytes(), options)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_renders_with_the_required_sections() {
        for page in PAGES {
            let roff = page.render().expect("renders");
            let title = format!(".TH {} {}", page.name.to_uppercase(), page.section);
            assert!(roff.contains(&title), "{}: {}", page.file_name(), &roff[..80]);
            for section in ["NAME", "EXAMPLES", "EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO"] {
                assert!(
                    roff.contains(&format!(".SH \"{section}\""))
                        || roff.contains(&format!(".SH {section}\n")),
                    "{} lacks {section}",
                    page.file_name()
                );
            }
            assert!(!roff.contains("@VERSION@"));
        }
    }

    #[test]
    fn every_subcommand_with_options_of_its_own_has_a_page() {
        fn walk(cmd: &clap::Command, page: &str, missing: &mut Vec<String>) {
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help" && !s.is_hide_set())
            {
                let page = format!("{page}-{}", sub.get_name());
                let own = sub.get_arguments().any(|a| {
                    !matches!(a.get_id().as_str(), "help" | "version") && !a.is_hide_set()
                });
                if own && !PAGES.iter().any(|p| p.name == page) {
                    missing.push(page.clone());
                }
                walk(sub, &page, missing);
            }
        }
        let mut top = crate::app::command();
        top.build();
        let mut missing = Vec::new();
        walk(&top, "fun", &mut missing);
        assert!(missing.is_empty(), "subcommands with options but no page: {missing:?}");
    }

    #[test]
    fn the_pages_name_the_config_file_the_folders_and_the_variables() {
        let page = |name| PAGES.iter().find(|p| p.name == name).expect("page").render().unwrap();
        let (fun, saver) = (page("fun"), page("fun-saver"));
        for needed in [
            "FUN_CONFIG",
            "config.toml",
            "XDG_CONFIG_HOME",
            "XDG_CACHE_HOME",
            "XDG_RUNTIME_DIR",
            "NO_COLOR",
            "~/.config/fun/screens",
            "~/.cache/fun",
        ] {
            assert!(fun.contains(needed), "fun(1) lacks {needed}");
        }
        for needed in ["FUN_CONFIG", "config.toml", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "NO_COLOR"]
        {
            assert!(saver.contains(needed), "fun-saver(1) lacks {needed}");
        }
    }

    #[test]
    fn page_names_resolve() {
        assert_eq!(find("fun-pv"), Some(Page { name: "fun-pv", section: 1 }));
        assert_eq!(find("fun-calendar.5"), Some(Page { name: "fun-calendar", section: 5 }));
        assert_eq!(find("fun-screens"), Some(Page { name: "fun-screens", section: 5 }));
        assert_eq!(find("fun"), Some(PAGES[0]));
        let names = page_names();
        for alias in ["pv", "calendar.5", "screens", "fun-pv.1", "saver"] {
            assert!(names.iter().any(|v| v.matches(alias, false)), "{alias}");
        }
    }
}
