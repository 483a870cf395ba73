//! `-x SPEC`: the progress also in the terminal window's title (`window`) and in the process
//! title `ps` shows (`process`), with the line's format or a `:FORMAT` of its own. The text is
//! made harmless first: control characters and escape sequences never reach the title.
//!
//! The process title is the memory the kernel set up for our command line (what
//! `/proc/PID/cmdline` shows): its bounds come from `/proc/self/stat` and the new title is
//! written over it through `/proc/self/mem`, never past it (nothing is moved, the environment
//! is left alone), with the last byte kept a NUL. Nothing in the program reads the command line
//! after start-up, so only `ps` sees the change. Where the kernel refuses, it is skipped.

use std::fs::File;
use std::os::unix::fs::FileExt;

use super::terminal::Terminal;
use crate::pv::format::{self, Snapshot, Style, Token, parse_format};

/// Where `-x` shows the progress, and in which format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExtraSpec {
    pub(crate) window: bool,
    pub(crate) process: bool,
    /// Its own format (None: the line's).
    pub(crate) tokens: Option<Vec<Token>>,
    /// The spec as given (for `-R` to pass on).
    pub(crate) text: String,
}

/// A bad `-x` spec.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum ExtraError {
    #[error(
        "unknown destination {} (windowtitle, window, processtitle, proctitle, process, proc)",
        crate::sanitize::quoted(.0)
    )]
    Destination(String),
    #[error("no destination (windowtitle or processtitle)")]
    Nothing,
    #[error(transparent)]
    Format(#[from] format::FormatError),
}

/// `-x SPEC` for clap: `window,process:FORMAT`.
///
/// # Errors
/// An unknown destination, none at all, or a bad format.
pub(crate) fn extra_arg(text: &str) -> Result<ExtraSpec, ExtraError> {
    let (destinations, layout) = match text.split_once(':') {
        Some((d, f)) => (d, Some(f)),
        None => (text, None),
    };
    let mut spec = ExtraSpec { window: false, process: false, tokens: None, text: text.into() };
    for word in destinations.split(',').filter(|w| !w.is_empty()) {
        match word {
            "windowtitle" | "window" => spec.window = true,
            "processtitle" | "proctitle" | "process" | "proc" => spec.process = true,
            other => return Err(ExtraError::Destination(other.chars().take(64).collect())),
        }
    }
    if !spec.window && !spec.process {
        return Err(ExtraError::Nothing);
    }
    spec.tokens = layout.map(parse_format).transpose()?;
    Ok(spec)
}

/// A running `-x` (the process title is found the first time it is shown).
#[derive(Debug)]
pub(crate) struct Extra {
    spec: ExtraSpec,
    process: Option<Option<ProcessTitle>>,
}

impl Clone for Extra {
    fn clone(&self) -> Extra {
        Extra::new(self.spec.clone())
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Extra) -> bool {
        self.spec == other.spec
    }
}

impl Extra {
    #[must_use]
    pub(crate) fn new(spec: ExtraSpec) -> Extra {
        Extra { spec, process: None }
    }

    /// What was asked for.
    #[must_use]
    pub(crate) fn spec(&self) -> &ExtraSpec {
        &self.spec
    }

    /// Shows the snapshot in the title(s).
    pub(crate) fn show(
        &mut self,
        tokens: &[Token],
        snap: &Snapshot,
        style: &Style,
        width: usize,
        terminal: &Terminal,
    ) {
        let tokens = self.spec.tokens.as_deref().unwrap_or(tokens);
        let plain = Style { colour: false, ..style.clone() };
        let line = format::render(tokens, snap, &plain, width);
        let text = crate::sanitize::sanitize_line(line.text.as_bytes());
        if self.spec.window {
            terminal.title(&text);
        }
        if self.spec.process
            && let Some(title) = self.process.get_or_insert_with(ProcessTitle::open)
        {
            title.set(&format!("fun pv -- {text}"));
        }
    }
}

/// The command line's memory, to write the process title over.
#[derive(Debug)]
pub(crate) struct ProcessTitle {
    mem: File,
    start: u64,
    len: usize,
}

impl ProcessTitle {
    /// Finds the command line's memory; None where it cannot be written.
    #[must_use]
    pub(crate) fn open() -> Option<ProcessTitle> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let (start, end) = argument_bounds(&stat)?;
        let len = usize::try_from(end.checked_sub(start)?).ok().filter(|&l| l > 1)?;
        let mem = std::fs::OpenOptions::new().write(true).open("/proc/self/mem").ok()?;
        Some(ProcessTitle { mem, start, len })
    }

    /// Writes `title` (cut to fit, NUL-padded, ending in NUL).
    pub(crate) fn set(&self, title: &str) {
        let mut bytes = vec![0_u8; self.len];
        let text = title.as_bytes();
        let n = text.len().min(self.len - 1);
        bytes[..n].copy_from_slice(&text[..n]);
        let _ = self.mem.write_all_at(&bytes, self.start);
    }
}

/// The bounds of the command line (fields 48 and 49 of `/proc/self/stat`, counted after the
/// parenthesised command name, which may itself hold spaces and parentheses).
#[must_use]
pub(crate) fn argument_bounds(stat: &str) -> Option<(u64, u64)> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // The first field after the name is field 3.
    let start = fields.get(48 - 3)?.parse().ok()?;
    let end = fields.get(49 - 3)?.parse().ok()?;
    (end > start).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_like_pv() {
        let spec = extra_arg("window,process:%t %b").expect("spec");
        assert!(spec.window && spec.process);
        assert_eq!(spec.tokens.map(|t| t.len()), Some(3));
        assert!(
            extra_arg("windowtitle").is_ok_and(|s| s.window && !s.process && s.tokens.is_none())
        );
        assert!(extra_arg("proc").is_ok_and(|s| s.process));
        assert_eq!(extra_arg("bogus"), Err(ExtraError::Destination("bogus".into())));
        assert_eq!(extra_arg(":%b"), Err(ExtraError::Nothing));
        assert!(extra_arg("window:%99999999p").is_err());
    }

    proptest::proptest! {
        /// Any spec is destinations and a format, or a refusal naming what is wrong.
        #[test]
        fn any_spec_parses_or_is_refused(text in "[a-z,]{0,24}(:[%a-z{} ]{0,20})?") {
            if let Ok(spec) = extra_arg(&text) {
                proptest::prop_assert!(spec.window || spec.process);
                proptest::prop_assert_eq!(spec.tokens.is_some(), text.contains(':'));
            }
        }

        /// Any stat line gives bounds in order, or none.
        #[test]
        fn any_stat_line_gives_ordered_bounds_or_none(text in "[0-9]{1,5} \\([ -~]{0,20}\\)( [0-9a-zA-Z-]{1,12}){0,60}") {
            if let Some((start, end)) = argument_bounds(&text) {
                proptest::prop_assert!(start < end);
            }
        }
    }

    #[test]
    fn argument_bounds_of_a_stat_line() {
        let own = std::fs::read_to_string("/proc/self/stat").expect("stat");
        let (start, end) = argument_bounds(&own).expect("bounds");
        assert!(end > start);
        let mut tricky = String::from("1 (a) b) c) S");
        for field in 4..=52 {
            tricky.push_str(&format!(" {field}"));
        }
        assert_eq!(argument_bounds(&tricky), Some((48, 49)));
        assert_eq!(argument_bounds("1 (x) S 2 3"), None);
    }
}
