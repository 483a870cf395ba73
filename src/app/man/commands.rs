//! The section-1 pages, rendered from the clap definitions with clap_mangen: title, NAME,
//! SYNOPSIS, DESCRIPTION, OPTIONS (and the subcommands for `fun`), then EXAMPLES taken from the
//! command's own `Examples:` help, the rest of that help (limits, notes) as NOTES, the screens
//! for `fun-saver`, and finally the hand-written sections of `NAME.1.roff`.

use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

/// Renders `fun` or `fun-TOOL` (section 1).
///
/// # Errors
/// Never in practice: everything is written into memory.
pub(super) fn render(name: &str) -> anyhow::Result<String> {
    let mut top = crate::app::command();
    top.build();
    let (path, by_hand): (&[&str], &str) = match name {
        "fun" => (&[], include_str!("fun.1.roff")),
        "fun-saver" => (&["saver"], include_str!("fun-saver.1.roff")),
        "fun-saver-install" => (&["saver", "install"], include_str!("fun-saver-install.1.roff")),
        "fun-saver-uninstall" => {
            (&["saver", "uninstall"], include_str!("fun-saver-uninstall.1.roff"))
        }
        "fun-saver-config" => (&["saver", "config"], include_str!("fun-saver-config.1.roff")),
        "fun-saver-new" => (&["saver", "new"], include_str!("fun-saver-new.1.roff")),
        "fun-pv" => (&["pv"], include_str!("fun-pv.1.roff")),
        "fun-type" => (&["type"], include_str!("fun-type.1.roff")),
        "fun-calendar" => (&["calendar"], include_str!("fun-calendar.1.roff")),
        "fun-completions" => (&["completions"], include_str!("fun-completions.1.roff")),
        "fun-man" => (&["man"], include_str!("fun-man.1.roff")),
        other => anyhow::bail!("no manual page {}", crate::sanitize::quoted(other)),
    };
    let cmd = if path.is_empty() { top } else { sub(&top, path, name) };
    let man = Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    let mut extra = Roff::new();
    if cmd.has_subcommands() {
        subcommands(&mut extra, &cmd);
    }
    if name == "fun-saver" {
        screens(&mut extra);
    }
    let after = cmd.get_after_long_help().or_else(|| cmd.get_after_help());
    let (examples, notes) = split_after_help(&after.map(ToString::to_string).unwrap_or_default());
    if !examples.is_empty() {
        extra.control("SH", ["EXAMPLES"]);
        for (command, what) in examples {
            extra.control("TP", []).text([bold(command)]);
            extra.text([roman(what)]);
        }
    }
    if !notes.is_empty() {
        extra.control("SH", ["NOTES"]);
        for paragraph in notes {
            extra.control("PP", []).text([roman(paragraph)]);
        }
    }
    let mut text = title(name);
    text.push_str(&without_preamble(&String::from_utf8(out)?));
    text.push_str(&extra.to_roff());
    text.push_str(by_hand);
    Ok(text)
}

/// SUBCOMMANDS: each as the user types it (`fun saver install`), with its page when it has
/// one of the pages `fun man --dir` writes (`fun-pv(1)`). clap_mangen's own section names a
/// page `fun-saver-install(1)` for every subcommand, pages that do not exist.
fn subcommands(roff: &mut Roff, cmd: &clap::Command) {
    roff.control("SH", ["SUBCOMMANDS"]);
    let parent = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name()).to_owned();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let typed = format!("{parent} {}", sub.get_name());
        let page = format!("{}-{}", parent.replace(' ', "-"), sub.get_name());
        roff.control("TP", []).text([bold(typed)]);
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        match super::PAGES.iter().find(|p| p.name == page) {
            Some(p) => roff.text([roman(format!("{about} (see {}({}))", p.name, p.section))]),
            None => roff.text([roman(about)]),
        };
    }
}

/// The preamble clap_mangen writes before each section (defines the `Aq` quote string that
/// its option texts use), once, and the title line with an empty date: clap_mangen would drop
/// the empty date argument and so shift the source and manual into the wrong fields.
fn title(name: &str) -> String {
    format!(
        "{PREAMBLE}.TH {} 1 \"\" \"fun {}\" \"User Commands\"\n",
        name.to_uppercase(),
        env!("CARGO_PKG_VERSION")
    )
}

const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// `roff` without the repeated preamble lines.
fn without_preamble(roff: &str) -> String {
    let mut kept = String::with_capacity(roff.len());
    for line in roff.split_inclusive('\n') {
        if !PREAMBLE.split_inclusive('\n').any(|p| p == line) {
            kept.push_str(line);
        }
    }
    kept
}

/// The subcommand at `path` of the built `fun` command (`["saver", "install"]`), named `page`
/// for its page.
fn sub(top: &clap::Command, path: &[&str], page: &str) -> clap::Command {
    let mut cmd = top.clone();
    for name in path {
        cmd = cmd
            .find_subcommand(name)
            .cloned()
            .unwrap_or_else(|| clap::Command::new((*name).to_owned()));
    }
    cmd.display_name(page.to_owned())
}

/// The SCREENS section of `fun-saver(1)`: the screens that ship with fun (not the reader's
/// own), each with its options from the clap definition `fun saver NAME --help` prints.
fn screens(roff: &mut Roff) {
    roff.control("SH", ["SCREENS"]);
    roff.text([roman(
        "The screens that come with fun, each with its own options (given after its name; \
         fun saver NAME --help shows them with examples). fun saver --list also shows the \
         screens of your own folder (see fun-screens(5)).",
    )]);
    let screens = crate::saver::app::registry::shipped();
    for (name, about) in crate::saver::app::lookup::list(&screens) {
        roff.control("SS", [name]);
        roff.text([roman(about)]);
        if let Some(info) = crate::saver::app::lookup::find(&screens, name) {
            screen_options(roff, &(info.options)());
        }
    }
}

/// A screen's options as `.TP` items: the flags and value name, then the help with its
/// default and possible values, as `--help` shows them.
fn screen_options(roff: &mut Roff, cmd: &clap::Command) {
    let shown = |arg: &&clap::Arg| {
        !arg.is_hide_set() && !matches!(arg.get_id().as_str(), "help" | "version")
    };
    for arg in cmd.get_arguments().filter(shown) {
        let mut flags = Vec::new();
        if let Some(short) = arg.get_short() {
            flags.push(format!("-{short}"));
        }
        if let Some(long) = arg.get_long() {
            flags.push(format!("--{long}"));
        }
        let value = arg.get_value_names().map(|names| names.join(" ")).unwrap_or_default();
        let value = if arg.get_action().takes_values() && !value.is_empty() {
            format!(" <{value}>")
        } else {
            String::new()
        };
        roff.control("TP", []).text([bold(flags.join(", ")), roman(value)]);
        let mut help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        if !arg.get_action().takes_values() {
            // A flag: clap's `true`/`false` values are not what a user types.
            roff.text([roman(help)]);
            continue;
        }
        let defaults: Vec<String> =
            arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        if !defaults.is_empty() && !arg.is_hide_default_value_set() {
            help.push_str(&format!(" [default: {}]", defaults.join(", ")));
        }
        let possible: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect();
        if !possible.is_empty() && !arg.is_hide_possible_values_set() {
            help.push_str(&format!(" [possible values: {}]", possible.join(", ")));
        }
        roff.text([roman(help)]);
    }
}

/// Splits a command's after-help into its examples, as `(command, what it does)`, and the
/// remaining paragraphs (lines joined). The examples are the indented lines after a line
/// `Examples:` up to a blank line; a command and its explanation are separated by two or more
/// spaces, and a line indented deeper than the commands continues the previous explanation.
fn split_after_help(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut examples: Vec<(String, String)> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut in_examples = false;
    let mut paragraph = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            in_examples = false;
            flush(&mut paragraph, &mut notes);
        } else if line.trim_end() == "Examples:" {
            in_examples = true;
        } else if in_examples {
            let indent = line.len() - line.trim_start().len();
            let trimmed = line.trim();
            match (indent > 4, examples.last_mut()) {
                (true, Some((_, what))) => {
                    what.push(' ');
                    what.push_str(trimmed);
                }
                _ => {
                    let (command, what) = trimmed.split_once("  ").unwrap_or((trimmed, ""));
                    examples.push((command.trim().to_owned(), what.trim().to_owned()));
                }
            }
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(line.trim());
        }
    }
    flush(&mut paragraph, &mut notes);
    for (_, what) in &mut examples {
        *what = what.trim().to_owned();
    }
    (examples, notes)
}

fn flush(paragraph: &mut String, notes: &mut Vec<String>) {
    if !paragraph.is_empty() {
        notes.push(std::mem::take(paragraph));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_help_splits_into_examples_and_notes() {
        let text = "Examples:\n  fun x a      does a\n  fun x -b c\n  fun x --long thing\n      \
                    continues here\n\nLimits: at most\n3 things.\nOn a terminal, fine.";
        let (examples, notes) = split_after_help(text);
        assert_eq!(
            examples,
            [
                ("fun x a".to_owned(), "does a".to_owned()),
                ("fun x -b c".to_owned(), String::new()),
                ("fun x --long thing".to_owned(), "continues here".to_owned()),
            ]
        );
        assert_eq!(notes, ["Limits: at most 3 things. On a terminal, fine."]);
    }

    #[test]
    fn saver_page_lists_every_shipped_screen_and_the_options() {
        let page = render("fun-saver").expect("renders");
        for name in ["matrix", "clock", "rocket", "asciimation", "fortune"] {
            assert!(page.contains(&format!(".SS {name}\n")), "{name} missing");
        }
        assert!(page.contains("\\-\\-fps"), "options missing");
        assert!(page.contains(".SH EXAMPLES"), "examples missing");
    }

    #[test]
    fn the_saver_page_has_every_option_of_every_shipped_screen() {
        let page = render("fun-saver").expect("renders");
        let screens = crate::saver::app::registry::shipped();
        for info in &screens {
            assert!(page.contains(&format!(".SS {}\n", info.name)), "{} missing", info.name);
            for arg in (info.options)().get_arguments().filter(|a| !a.is_hide_set()) {
                if let Some(long) = arg.get_long().filter(|l| !matches!(*l, "help" | "version")) {
                    let roff = format!("\\-\\-{}", long.replace('-', "\\-"));
                    assert!(page.contains(&roff), "{}: --{long} missing", info.name);
                }
            }
        }
    }

    #[test]
    fn every_tool_page_has_its_options_and_examples() {
        for (page, option) in [
            ("fun-pv", "\\-\\-rate\\-limit"),
            ("fun-type", "\\-\\-wpm"),
            ("fun-calendar", "\\-\\-ics"),
        ] {
            let text = render(page).expect("renders");
            assert!(text.contains(option), "{page} lacks {option}");
            assert!(text.contains(".SH EXAMPLES"), "{page} lacks examples");
        }
    }
}
