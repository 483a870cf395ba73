//! The `.screen` file format: a few `key = value` lines (TOML-like: strings in double quotes,
//! numbers, `true`/`false`), `#` comments and blank lines. Documented in docs/screens.md.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use thiserror::Error;

/// A problem in a screen file, with the line it is on (1-based; 0 = the whole file).
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{file}{}: {message}", at_line(*line))]
pub(crate) struct DefError {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) message: String,
}

/// `:N` for a problem on line N; nothing for one of the whole file (a key that is missing),
/// which has no line to point at.
fn at_line(line: usize) -> String {
    if line == 0 { String::new() } else { format!(":{line}") }
}

/// What a screen is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Frames of the classic asciimation format, played in a loop.
    Asciimation,
    /// A text typed out with the typing rhythm.
    Typing,
    /// A text shown centred, refreshed every N seconds.
    Text,
}

/// A parsed screen file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ScreenDef {
    pub(crate) name: String,
    pub(crate) about: String,
    pub(crate) kind: Kind,
    /// A file (relative to the screen file, or a bundled file for bundled screens).
    pub(crate) file: Option<String>,
    /// A directory of files (typing kind).
    pub(crate) dir: Option<String>,
    /// A command and its arguments, run without a shell.
    pub(crate) command: Option<Vec<String>>,
    /// Seconds between refreshes (text) or before starting over (typing).
    pub(crate) refresh: f64,
    /// Typing speed, characters per second.
    pub(crate) cps: f64,
}

#[derive(Clone, Debug, PartialEq)]
enum Value {
    Str(String),
    Num(f64),
}

fn parse_value(raw: &str) -> Option<Value> {
    let raw = raw.trim();
    if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match (c, c == '\\') {
                (_, true) => match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    other => out.push(other),
                },
                (c, false) => out.push(c),
            }
        }
        return Some(Value::Str(out));
    }
    raw.parse::<f64>().ok().filter(|v| v.is_finite()).map(Value::Num)
}

/// The keys a screen file may have.
const KNOWN: [&str; 8] = ["name", "about", "kind", "file", "dir", "command", "refresh", "cps"];

/// The `key = value` pairs of a file, each with its line, before their meaning is checked.
struct Values<'a> {
    file: &'a str,
    map: BTreeMap<String, (usize, Value)>,
}

impl<'a> Values<'a> {
    /// Reads the lines (one pass, so linear in the text): comments and blank lines skipped,
    /// every other line a `key = value` with a known key given once.
    fn read(file: &'a str, text: &str) -> Result<Values<'a>, DefError> {
        let mut values = Values { file, map: BTreeMap::new() };
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(values.err(
                    n,
                    format!("expected `key = value`, found {}", crate::sanitize::quoted(line)),
                ));
            };
            let key = key.trim().to_owned();
            let Some(value) = parse_value(value) else {
                return Err(values.err(n, format!("{key}: a value is a \"string\" or a number")));
            };
            if values.map.insert(key.clone(), (n, value)).is_some() {
                return Err(values.err(n, format!("{key} is given twice")));
            }
        }
        if let Some((key, (n, _))) = values.map.iter().find(|(k, _)| !KNOWN.contains(&k.as_str())) {
            return Err(values.err(*n, format!("unknown key {key} (known: {})", KNOWN.join(", "))));
        }
        Ok(values)
    }

    fn err(&self, line: usize, message: String) -> DefError {
        DefError { file: self.file.to_owned(), line, message }
    }

    /// The line `key` is on (0 when it is missing: the file as a whole).
    fn line(&self, key: &str) -> usize {
        self.map.get(key).map_or(0, |v| v.0)
    }

    fn string(&self, key: &str) -> Result<Option<String>, DefError> {
        match self.map.get(key) {
            None => Ok(None),
            Some((_, Value::Str(s))) => Ok(Some(s.clone())),
            Some((n, Value::Num(_))) => Err(self.err(*n, format!("{key} must be a \"string\""))),
        }
    }

    fn number(&self, key: &str, default: f64, range: RangeInclusive<f64>) -> Result<f64, DefError> {
        match self.map.get(key) {
            None => Ok(default),
            Some((_, Value::Num(v))) if range.contains(v) => Ok(*v),
            Some((n, _)) => Err(self.err(
                *n,
                format!("{key} must be a number from {} to {}", range.start(), range.end()),
            )),
        }
    }

    /// `name`: required; letters, digits, `-` and `_`.
    fn name(&self) -> Result<String, DefError> {
        let name = self.string("name")?.ok_or_else(|| self.err(0, "no name = \"...\"".into()))?;
        if name.is_empty()
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(self.err(
                self.line("name"),
                format!("name {}: use letters, digits, - and _", crate::sanitize::quoted(&name)),
            ));
        }
        Ok(name)
    }

    /// `kind`: required, one of the three kinds.
    fn kind(&self) -> Result<Kind, DefError> {
        match self.string("kind")?.as_deref() {
            Some("asciimation") => Ok(Kind::Asciimation),
            Some("typing") => Ok(Kind::Typing),
            Some("text") => Ok(Kind::Text),
            other => {
                let given = other.map_or_else(|| "missing".to_owned(), crate::sanitize::quoted);
                Err(self.err(
                    self.line("kind"),
                    format!("kind {given}: expected \"asciimation\", \"typing\" or \"text\""),
                ))
            }
        }
    }

    /// `command`: a program and its arguments, split at spaces (no shell).
    fn command(&self) -> Result<Option<Vec<String>>, DefError> {
        let command = self
            .string("command")?
            .map(|c| c.split_whitespace().map(str::to_owned).collect::<Vec<_>>());
        if command.as_ref().is_some_and(Vec::is_empty) {
            return Err(self.err(self.line("command"), "command is empty".into()));
        }
        Ok(command)
    }
}

/// Parses a screen file's text; `file` names it in errors.
///
/// # Errors
/// The first problem, with its line (0 when it concerns the file as a whole).
pub(crate) fn parse(file: &str, text: &str) -> Result<ScreenDef, DefError> {
    let values = Values::read(file, text)?;
    // In the order the checks have always been made, so the first problem reported is the same.
    let (name, kind, command) = (values.name()?, values.kind()?, values.command()?);
    let def = ScreenDef {
        about: values.string("about")?.unwrap_or_else(|| format!("{name} (a data-defined screen)")),
        name,
        kind,
        file: values.string("file")?,
        dir: values.string("dir")?,
        command,
        refresh: values.number("refresh", 30.0, 0.5..=86_400.0)?,
        cps: values.number("cps", 14.0, 0.1..=10_000.0)?,
    };
    let sources = usize::from(def.file.is_some())
        + usize::from(def.dir.is_some())
        + usize::from(def.command.is_some());
    if sources != 1 {
        return Err(values.err(0, "give exactly one of file, dir or command".into()));
    }
    if def.kind == Kind::Asciimation && def.file.is_none() {
        return Err(values.err(0, "an asciimation needs file = \"...\"".into()));
    }
    Ok(def)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_fortune_screen_is_one_line_of_config_plus_its_name() {
        let def =
            parse("f", "name = \"fortune\"\nkind = \"text\"\ncommand = \"fortune -s\"\n").unwrap();
        assert_eq!(def.command, Some(vec!["fortune".to_owned(), "-s".to_owned()]));
        assert_eq!(def.kind, Kind::Text);
        assert!((def.refresh - 30.0).abs() < 1e-9);
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse("x.screen", "name = \"a\"\nkind = \"text\"\nfile = 3\n").unwrap_err();
        assert_eq!(e.to_string(), "x.screen:3: file must be a \"string\"");
        let e = parse("x.screen", "name = \"a\"\nkind = \"video\"\nfile = \"f\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("x.screen", "# c\nnonsense\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("x.screen", "name = \"a\"\ncolour = \"red\"\n").unwrap_err();
        assert!(e.message.contains("unknown key colour"), "{e}");
        assert!(parse("x", "name = \"a\"\nkind = \"text\"\n").is_err());
        assert!(parse("x", "name = \"a b\"\nkind = \"text\"\nfile = \"f\"\n").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(text in "(\\PC|\n|=|\"){0,200}") {
            let _ = parse("p", &text);
        }
    }

    /// One line of a screen file, valid or not.
    fn any_line() -> impl Strategy<Value = String> {
        prop_oneof![
            "(name|about|kind|file|dir|command|refresh|cps|[a-z]{1,8}) = \"(\\PC|\\\\){0,120}\"",
            "(refresh|cps|[a-z]{1,8}) = [0-9.e+-]{1,24}",
            "#\\PC{0,120}",
            "\\PC{0,120}",
            Just(String::new()),
        ]
    }

    proptest! {
        // Long files (the loader reads at most 64 KiB): the parser makes one pass over the
        // lines, so each case costs time and memory in proportion to its length; an error
        // always points at a line of the file (or 0, the file as a whole).
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn long_files_parse_or_name_a_line(lines in prop::collection::vec(any_line(), 0..400)) {
            let text = lines.join("\n");
            if let Err(e) = parse("p.screen", &text) {
                prop_assert!(e.line <= lines.len(), "{e} past the end");
                prop_assert!(e.to_string().starts_with("p.screen:"));
            }
        }
    }

    #[test]
    fn worst_case_files_of_the_largest_size_are_handled() {
        let cap = 64 * 1024;
        let escapes = format!("name = \"{}\"\n", "\\\\".repeat(cap / 2));
        let comments = "#\n".repeat(cap / 2);
        let keys: String = (0..cap / 16).map(|i| format!("k{i} = 1\n")).collect();
        let unterminated = format!("about = \"{}", "x".repeat(cap));
        for text in [escapes, comments, keys, unterminated] {
            assert!(parse("w", &text).is_err());
        }
    }
}
