//! The `.screen` file format: a few `key = value` lines (TOML-like: strings in double quotes,
//! numbers, `true`/`false`), `#` comments and blank lines. Documented in docs/screens.md.

use std::collections::BTreeMap;

use thiserror::Error;

/// A problem in a screen file, with the line it is on (1-based; 0 = the whole file).
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{file}:{line}: {message}")]
pub struct DefError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// What a screen is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Frames of the classic asciimation format, played in a loop.
    Asciimation,
    /// A text typed out with the typing rhythm.
    Typing,
    /// A text shown centred, refreshed every N seconds.
    Text,
}

/// A parsed screen file.
#[derive(Clone, Debug, PartialEq)]
pub struct ScreenDef {
    pub name: String,
    pub about: String,
    pub kind: Kind,
    /// A file (relative to the screen file, or a bundled file for bundled screens).
    pub file: Option<String>,
    /// A directory of files (typing kind).
    pub dir: Option<String>,
    /// A command and its arguments, run without a shell.
    pub command: Option<Vec<String>>,
    /// Seconds between refreshes (text) or before starting over (typing).
    pub refresh: f64,
    /// Typing speed, characters per second.
    pub cps: f64,
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

/// Parses a screen file's text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<ScreenDef, DefError> {
    let err = |line: usize, message: String| DefError { file: file.to_owned(), line, message };
    let mut values: BTreeMap<String, (usize, Value)> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(err(n, format!("expected `key = value`, found {line:?}")));
        };
        let key = key.trim().to_owned();
        let Some(value) = parse_value(value) else {
            return Err(err(n, format!("{key}: a value is a \"string\" or a number")));
        };
        if values.insert(key.clone(), (n, value)).is_some() {
            return Err(err(n, format!("{key} is given twice")));
        }
    }
    let string = |key: &str| -> Result<Option<String>, DefError> {
        match values.get(key) {
            None => Ok(None),
            Some((_, Value::Str(s))) => Ok(Some(s.clone())),
            Some((n, Value::Num(_))) => Err(err(*n, format!("{key} must be a \"string\""))),
        }
    };
    let number =
        |key: &str, default: f64, range: std::ops::RangeInclusive<f64>| -> Result<f64, DefError> {
            match values.get(key) {
                None => Ok(default),
                Some((n, Value::Num(v))) if range.contains(v) => Ok(*v),
                Some((n, _)) => Err(err(
                    *n,
                    format!("{key} must be a number from {} to {}", range.start(), range.end()),
                )),
            }
        };
    let known = ["name", "about", "kind", "file", "dir", "command", "refresh", "cps"];
    if let Some((key, (n, _))) = values.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        return Err(err(*n, format!("unknown key {key} (known: {})", known.join(", "))));
    }
    let name = string("name")?.ok_or_else(|| err(0, "no name = \"...\"".into()))?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        let n = values.get("name").map_or(0, |v| v.0);
        return Err(err(n, format!("name {name:?}: use letters, digits, - and _")));
    }
    let kind = match string("kind")?.as_deref() {
        Some("asciimation") => Kind::Asciimation,
        Some("typing") => Kind::Typing,
        Some("text") => Kind::Text,
        other => {
            let n = values.get("kind").map_or(0, |v| v.0);
            return Err(err(
                n,
                format!("kind {other:?}: expected \"asciimation\", \"typing\" or \"text\""),
            ));
        }
    };
    let command =
        string("command")?.map(|c| c.split_whitespace().map(str::to_owned).collect::<Vec<_>>());
    if command.as_ref().is_some_and(Vec::is_empty) {
        return Err(err(values.get("command").map_or(0, |v| v.0), "command is empty".into()));
    }
    let def = ScreenDef {
        about: string("about")?.unwrap_or_else(|| format!("{name} (a data-defined screen)")),
        name,
        kind,
        file: string("file")?,
        dir: string("dir")?,
        command,
        refresh: number("refresh", 30.0, 0.5..=86_400.0)?,
        cps: number("cps", 14.0, 0.1..=10_000.0)?,
    };
    let sources = usize::from(def.file.is_some())
        + usize::from(def.dir.is_some())
        + usize::from(def.command.is_some());
    if sources != 1 {
        return Err(err(0, "give exactly one of file, dir or command".into()));
    }
    if def.kind == Kind::Asciimation && def.file.is_none() {
        return Err(err(0, "an asciimation needs file = \"...\"".into()));
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
