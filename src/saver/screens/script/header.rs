//! The header of a script screen: the leading `//!` lines of a `.rhai` file, which declare the
//! screen's description and options. It is read line by line without the script engine (so
//! listing the screens never builds one), in linear time, and every option is checked by the
//! kit's value parsers, the same rules as a built-in screen's options:
//!
//! ```text
//! //! about: a logo bouncing off the edges
//! //! option speed: float = 1, 0.1..10, how fast the logo moves
//! //! option count: int = 200, 1..5000, how many particles
//! //! option word: text = fun, 20, the word that bounces (up to 20 characters)
//! //! option palette: choice = theme, theme|rainbow, how to colour it
//! //! option trail: flag, leave a trail
//! //! fps: 15
//! ```
//!
//! The header ends at the first line that does not start with `//!`.

use crate::saver::kit::values::{self, ValueError};

/// The most options a script declares.
pub const MAX_OPTIONS: usize = 32;
/// The longest option name, choice and description (characters).
pub const MAX_NAME: usize = 32;
pub const MAX_TEXT: usize = 200;
/// The most choices of a `choice` option, and the longest `text` option allowed.
pub const MAX_CHOICES: usize = 32;
pub const MAX_TEXT_OPTION: usize = 10_000;

/// Option names a script may not take: clap's own `--help`, the script screens' `--watch`.
const RESERVED: &[&str] = &["help", "watch"];

/// What an option holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A whole number within `min..=max`.
    Int { min: i64, max: i64 },
    /// A number within `min..=max`.
    Float { min: f64, max: f64 },
    /// A text of at most `max` characters.
    Text { max: usize },
    /// One of a few names.
    Choice(Vec<String>),
    /// Present or not (`--NAME`).
    Flag,
}

/// An option's value, as the script sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Text(String),
    Flag(bool),
}

/// One declared option.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionDef {
    pub name: String,
    pub kind: Kind,
    pub default: Value,
    pub help: String,
    /// The header line that declares it.
    pub line: usize,
}

/// What a header declares.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub about: String,
    pub options: Vec<OptionDef>,
    /// Frames per second at speed 1 (`//! fps: N`, 1-60; 20 by default).
    pub fps: f64,
}

/// The frame rate of a script that does not declare one, and the range of `//! fps:`.
pub const DEFAULT_FPS: f64 = 20.0;
pub const MAX_FPS: f64 = 60.0;

impl Default for Header {
    fn default() -> Header {
        Header { about: String::new(), options: Vec::new(), fps: DEFAULT_FPS }
    }
}

/// A problem in a header, with its line (1-based).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct HeaderError {
    pub line: usize,
    pub message: String,
}

/// Reads the header of `text`.
///
/// # Errors
/// The first line that is not understood, or an option that breaks a rule (a default outside
/// its range, a name used twice, too many options).
pub fn parse(text: &str) -> Result<Header, HeaderError> {
    let mut header = Header::default();
    for (index, line) in text.lines().enumerate() {
        let Some(rest) = line.strip_prefix("//!") else { break };
        let err = |message: String| HeaderError { line: index + 1, message };
        let rest = rest.trim();
        if let Some(about) = rest.strip_prefix("about:") {
            header.about = bounded(about.trim(), "the description").map_err(err)?;
        } else if let Some(fps) = rest.strip_prefix("fps:") {
            header.fps =
                values::within(1.0, MAX_FPS)(fps.trim()).map_err(|e| err(format!("fps: {e}")))?;
        } else if let Some(option) = rest.strip_prefix("option ") {
            if header.options.len() >= MAX_OPTIONS {
                return Err(err(format!("more than {MAX_OPTIONS} options")));
            }
            let mut def = parse_option(option).map_err(err)?;
            def.line = index + 1;
            if header.options.iter().any(|o| o.name == def.name) {
                return Err(err(format!("option \"{}\" declared twice", def.name)));
            }
            header.options.push(def);
        }
        // Other `//!` lines are the script's own comments.
    }
    if header.about.is_empty() {
        header.about = "a scripted screen".to_owned();
    }
    Ok(header)
}

/// Refuses an option whose name is `taken` (the engine's options, which the saver takes from
/// the command line before a screen sees it).
///
/// # Errors
/// The first such option, with its line.
pub fn check_taken(header: &Header, taken: &[String]) -> Result<(), HeaderError> {
    match header.options.iter().find(|o| taken.contains(&o.name)) {
        Some(o) => Err(HeaderError {
            line: o.line,
            message: format!("option \"{}\" is an engine option (`fun saver --help`)", o.name),
        }),
        None => Ok(()),
    }
}

fn bounded(text: &str, what: &str) -> Result<String, String> {
    if text.chars().count() > MAX_TEXT {
        return Err(format!("{what} is longer than {MAX_TEXT} characters"));
    }
    Ok(crate::sanitize::sanitize_line(text.as_bytes()))
}

/// Whether `name` may name a screen or an option: 1-32 lower-case letters, digits and dashes,
/// starting with a letter.
#[must_use]
pub fn valid_name(name: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    !name.is_empty()
        && name.len() <= MAX_NAME
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(ok)
}

/// `NAME: TYPE [= DEFAULT], [RANGE,] HELP`.
fn parse_option(text: &str) -> Result<OptionDef, String> {
    let (name, rest) = text.split_once(':').ok_or("expected \"option NAME: TYPE ...\"")?;
    let name = name.trim();
    if !valid_name(name) {
        return Err(format!(
            "option name {} is not 1-{MAX_NAME} lower-case letters, digits and dashes",
            crate::sanitize::quoted(name)
        ));
    }
    if RESERVED.contains(&name) {
        return Err(format!("option name \"{name}\" is taken"));
    }
    let mut parts = rest.splitn(3, ',').map(str::trim);
    let typed = parts.next().unwrap_or_default();
    let (kind_name, default) = match typed.split_once('=') {
        Some((k, d)) => (k.trim(), Some(d.trim())),
        None => (typed, None),
    };
    let (kind, default, help) = if kind_name == "flag" {
        if default.is_some() {
            return Err("a flag has no default (it is off unless given)".to_owned());
        }
        let help = [parts.next(), parts.next()].into_iter().flatten().collect::<Vec<_>>();
        (Kind::Flag, Value::Flag(false), help.join(", "))
    } else {
        let default = default.ok_or("expected \"= DEFAULT\" after the type")?;
        let range = parts.next().ok_or("expected a range after the default")?;
        let kind = parse_kind(kind_name, range)?;
        let value = check(&kind, default).map_err(|e| format!("the default: {e}"))?;
        (kind, value, parts.next().unwrap_or_default().to_owned())
    };
    let help = bounded(&help, "the help")?;
    Ok(OptionDef { name: name.to_owned(), kind, default, help, line: 0 })
}

fn range<T: std::str::FromStr + PartialOrd>(text: &str) -> Result<(T, T), String> {
    let shape = || format!("expected a range MIN..MAX, got {}", crate::sanitize::quoted(text));
    let (min, max) = text.split_once("..").ok_or_else(shape)?;
    let min: T = min.trim().parse().map_err(|_| shape())?;
    let max: T = max.trim().parse().map_err(|_| shape())?;
    if min > max {
        return Err(shape());
    }
    Ok((min, max))
}

fn parse_kind(name: &str, spec: &str) -> Result<Kind, String> {
    Ok(match name {
        "int" => {
            let (min, max) = range::<i64>(spec)?;
            Kind::Int { min, max }
        }
        "float" => {
            let (min, max) = range::<f64>(spec)?;
            if !min.is_finite() || !max.is_finite() {
                return Err("the range must be finite".to_owned());
            }
            Kind::Float { min, max }
        }
        "text" => match spec.trim().parse::<usize>() {
            Ok(max @ 1..=MAX_TEXT_OPTION) => Kind::Text { max },
            _ => return Err(format!("a text's length is 1-{MAX_TEXT_OPTION} characters")),
        },
        "choice" => {
            let choices: Vec<String> = spec.split('|').map(|c| c.trim().to_owned()).collect();
            if choices.len() > MAX_CHOICES || !choices.iter().all(|c| valid_name(c)) {
                return Err(format!(
                    "expected 1-{MAX_CHOICES} names (lower-case letters, digits, dashes) \
                     separated by |"
                ));
            }
            Kind::Choice(choices)
        }
        other => {
            return Err(format!(
                "unknown type {} (int, float, text, choice or flag)",
                crate::sanitize::quoted(other)
            ));
        }
    })
}

/// Checks `text` as a value of `kind`, with the kit's value parsers: the rule for the default
/// in the header and for the value given on the command line.
///
/// # Errors
/// Why the value is refused.
pub fn check(kind: &Kind, text: &str) -> Result<Value, ValueError> {
    Ok(match kind {
        Kind::Int { min, max } => Value::Int(values::within(*min, *max)(text)?),
        Kind::Float { min, max } => Value::Float(values::within(*min, *max)(text)?),
        Kind::Text { max } => Value::Text(values::text_up_to(*max)(text)?),
        Kind::Choice(choices) => {
            if !choices.iter().any(|c| c == text) {
                return Err(ValueError::Unknown {
                    what: "choice",
                    text: text.to_owned(),
                    choices: choices.join(", "),
                });
            }
            Value::Text(text.to_owned())
        }
        Kind::Flag => Value::Flag(text == "true"),
    })
}

impl OptionDef {
    /// The option as a clap argument: its help states the range and the default, and its value
    /// is checked by [`check`] while parsing.
    #[must_use]
    pub fn arg(&self) -> clap::Arg {
        let arg = clap::Arg::new(self.name.clone()).long(self.name.clone());
        let (value_name, bound) = match &self.kind {
            Kind::Flag => return arg.help(self.help.clone()).action(clap::ArgAction::SetTrue),
            Kind::Int { min, max } => ("N", format!("{min}-{max}")),
            Kind::Float { min, max } => ("X", format!("{min}-{max}")),
            Kind::Text { max } => ("TEXT", format!("up to {max} characters")),
            Kind::Choice(choices) => {
                let help = format!("{} [default: {}]", self.help, self.default_text());
                return arg
                    .help(help)
                    .value_parser(clap::builder::PossibleValuesParser::new(choices.clone()));
            }
        };
        let kind = self.kind.clone();
        let help = format!("{} ({bound}) [default: {}]", self.help, self.default_text());
        arg.help(help).value_name(value_name).value_parser(clap::builder::ValueParser::new(
            move |t: &str| check(&kind, t).map(|_| t.to_owned()),
        ))
    }

    fn default_text(&self) -> String {
        match &self.default {
            Value::Int(n) => n.to_string(),
            Value::Float(x) => x.to_string(),
            Value::Text(t) => t.clone(),
            Value::Flag(b) => b.to_string(),
        }
    }
}

/// The options' values from clap's matches (a value was checked while parsing; the default
/// when none was given).
#[must_use]
#[cfg_attr(not(feature = "script"), allow(dead_code))]
pub fn values(header: &Header, matches: &clap::ArgMatches) -> Vec<(String, Value)> {
    header
        .options
        .iter()
        .map(|def| {
            let value = match &def.kind {
                Kind::Flag => Value::Flag(matches.get_flag(&def.name)),
                kind => matches
                    .get_one::<String>(&def.name)
                    .and_then(|t| check(kind, t).ok())
                    .unwrap_or_else(|| def.default.clone()),
            };
            (def.name.clone(), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_declares_the_description_and_typed_options() {
        let text = "//! about: bouncing\n//! a comment\n//! option speed: float = 1, 0.1..10, how fast\n\
                    //! option n: int = 3, 1..5, how many, really\n//! option word: text = fun, 20, the word\n\
                    //! option look: choice = a, a|b, the look\n//! option trail: flag, leave a trail\nfn draw(c) {}\n//! about: ignored";
        let header = parse(text).expect("parses");
        assert_eq!(header.about, "bouncing");
        let names: Vec<&str> = header.options.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["speed", "n", "word", "look", "trail"]);
        assert_eq!(header.options[0].kind, Kind::Float { min: 0.1, max: 10.0 });
        assert_eq!(header.options[1].default, Value::Int(3));
        assert_eq!(header.options[1].help, "how many, really");
        assert_eq!(header.options[2].default, Value::Text("fun".into()));
        assert_eq!(header.options[3].kind, Kind::Choice(vec!["a".into(), "b".into()]));
        assert_eq!(header.options[4].default, Value::Flag(false));
    }

    #[test]
    fn bad_options_are_refused_with_their_line() {
        let bad = [
            ("//! option speed: float = 20, 0.1..10, x", "not within"),
            ("//! option Speed: int = 1, 1..2, x", "lower-case"),
            ("//! option help: flag, x", "taken"),
            ("//! option watch: flag, x", "taken"),
            ("//! option n: int = 1, 5..2, x", "range"),
            ("//! option n: number = 1, 1..2, x", "unknown type"),
            ("//! option n: int, x", "DEFAULT"),
            ("//! option n: float = 1, 0..inf, x", "finite"),
            ("//! option n: text = toolong, 3, x", "more than the 3"),
            ("//! option n: choice = c, a|b, x", "unknown choice"),
            ("//! option n: flag = true, x", "no default"),
            ("//! fps: 100", "fps: 100 is not within 1 to 60"),
        ];
        for (line, why) in bad {
            let err = parse(&format!("//! about: x\n{line}\n")).expect_err(line);
            assert_eq!(err.line, 2, "{line}");
            assert!(err.message.contains(why), "{line}: {err}");
        }
        let twice = "//! option a: flag, x\n//! option a: flag, y\n";
        assert!(parse(twice).expect_err("twice").message.contains("twice"));
        let many: String =
            (0..=MAX_OPTIONS).map(|i| format!("//! option o{i}: flag, x\n")).collect();
        assert!(parse(&many).expect_err("many").message.contains("more than 32"));
    }

    #[test]
    fn option_values_follow_the_kit_rules_on_the_command_line() {
        let header =
            parse("//! option n: int = 3, 1..5, count\n//! option t: flag, x\n").expect("parses");
        let command =
            clap::Command::new("fun saver x").args(header.options.iter().map(OptionDef::arg));
        let matches = command.clone().try_get_matches_from(["x", "--n", "5", "--t"]).expect("ok");
        let got = values(&header, &matches);
        assert_eq!(got, [("n".into(), Value::Int(5)), ("t".into(), Value::Flag(true))]);
        let err = command.clone().try_get_matches_from(["x", "--n", "6"]).expect_err("range");
        assert!(err.to_string().contains("6 is not within 1 to 5"), "{err}");
        let help = command.clone().render_help().to_string();
        assert!(help.contains("count (1-5) [default: 3]"), "{help}");
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_names_a_line(text in "(//! (about: |option )?[ -~]{0,40}\n){0,6}") {
            match parse(&text) {
                Ok(header) => proptest::prop_assert!(header.options.len() <= MAX_OPTIONS),
                Err(e) => proptest::prop_assert!(e.line >= 1 && e.line <= text.lines().count()),
            }
        }

        #[test]
        fn a_declared_int_option_takes_exactly_its_range(min in -1000i64..1000, span in 0i64..1000, given in -3000i64..3000) {
            let max = min + span;
            let line = format!("//! option n: int = {min}, {min}..{max}, count\n");
            let header = parse(&line).expect("a valid declaration");
            let ok = check(&header.options[0].kind, &given.to_string()).is_ok();
            proptest::prop_assert_eq!(ok, (min..=max).contains(&given));
        }
    }
}
