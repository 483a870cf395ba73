//! A small C preprocessor for calendar files, replacing the `cpp -traditional` that the
//! reference forks: `\` line joins, `/* */` comments, `#include <x>`/`"x"`, object-like
//! `#define`/`#undef` expanded in text, `#ifdef`/`#ifndef`/`#if`/`#elif`/`#else`/`#endif`,
//! `#warning`/`#error`.
//!
//! It yields the logical lines with the file and line they came from. Problems are reported as
//! warnings naming file and line, and the rest of the input goes on; `strict` mode stops at an
//! unreadable include like cpp's fatal error, so everything read before is still used.
//!
//! Every kind of work is bounded, so no file can make it run or grow without end: a line's
//! macro expansion ([`EXPANSION_CAP`], [`MAX_MACRO_NESTING`]), the number of includes
//! ([`MAX_INCLUDES`]) and their nesting ([`MAX_DEPTH`]), and the text read and produced in one
//! run ([`TOTAL_CAP`]).

use std::collections::HashMap;
use std::rc::Rc;

use super::diag::Warnings;
use super::source::SourceError;

/// Where a source came from, for messages and for resolving its includes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Origin {
    /// Name shown in messages (a path, `<stdin>` or `<bundled>/calendar.x`).
    pub(crate) name: String,
    /// Directory searched first for `#include "x"` (None for bundled files and stdin).
    pub(crate) dir: Option<std::path::PathBuf>,
    /// Bundled files include bundled files first.
    pub(crate) bundled: bool,
}

/// A source file's text.
pub(crate) struct Source {
    pub(crate) origin: Origin,
    pub(crate) text: String,
}

/// Finds included files.
pub(crate) trait Resolve {
    /// The file named by `#include` (`angled` for `<x>`) from `from`, or why it cannot be read.
    fn resolve(&self, name: &str, angled: bool, from: &Origin) -> Result<Source, SourceError>;
}

/// One line of preprocessed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) file: Rc<str>,
    pub(crate) line: usize,
}

/// Deepest include nesting accepted (cpp allows 200; calendar files nest 2-3 deep).
pub(crate) const MAX_DEPTH: usize = 64;
/// Most `#include`s followed in one run (Debian's `calendar.all` follows about 40): a file that
/// includes itself twice per level would otherwise be read 2^64 times.
pub(crate) const MAX_INCLUDES: usize = 1024;
/// Most text read from files, and most text produced, in one run.
pub(crate) const TOTAL_CAP: usize = 64 << 20;
/// Longest text one line may expand to (`#define M1 M0 M0`, `#define M2 M1 M1`, ... doubles
/// per level); a longer expansion drops the line with a warning.
pub(crate) const EXPANSION_CAP: usize = 64 << 10;
/// Deepest chain of macros expanding into macros (each level is a stack frame).
pub(crate) const MAX_MACRO_NESTING: usize = 256;

/// How the preprocessor treats unreadable includes.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Options {
    /// Stop at an unreadable include, like cpp (the reference), instead of going on.
    pub(crate) strict: bool,
}

#[derive(Clone, Copy)]
struct Cond {
    /// This branch is being emitted.
    active: bool,
    /// Some branch of this #if chain was taken already.
    taken: bool,
    /// The enclosing block is active.
    parent: bool,
}

/// Why a line's expansion was abandoned.
enum ExpandError {
    TooLong,
    TooDeep,
}

struct Pre<'r> {
    resolver: &'r dyn Resolve,
    options: Options,
    macros: HashMap<String, String>,
    /// First bytes of every macro name ever defined (plus `_` for `__LINE__`/`__FILE__`): a
    /// cheap filter so that ordinary words skip the hash lookup, which otherwise dominates the
    /// run time on large calendars.
    macro_starts: [bool; 128],
    lines: Vec<Line>,
    warnings: &'r mut Warnings,
    /// Includes followed so far.
    includes: usize,
    /// Bytes read from files and bytes produced so far.
    read: usize,
    produced: usize,
    /// Set when the rest of the input must be dropped (strict include error, a total cap).
    stop: bool,
}

/// Preprocesses `source`, resolving includes through `resolver`; problems go to `warnings`.
pub(crate) fn preprocess(
    source: &Source,
    resolver: &dyn Resolve,
    options: Options,
    warnings: &mut Warnings,
) -> Vec<Line> {
    let mut macro_starts = [false; 128];
    macro_starts[usize::from(b'_')] = true;
    let mut pre = Pre {
        resolver,
        options,
        macros: HashMap::new(),
        macro_starts,
        lines: Vec::new(),
        warnings,
        includes: 0,
        read: 0,
        produced: 0,
        stop: false,
    };
    pre.file(source, 0);
    pre.lines
}

/// Joins `\`-continued lines and removes comments; returns (line number, text) pairs.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut joined: Vec<(usize, String)> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (pending.take(), raw.strip_suffix('\\')) {
            (None, None) => joined.push((i + 1, raw.to_owned())),
            (None, Some(head)) => pending = Some((i + 1, head.to_owned())),
            (Some((n, mut acc)), None) => {
                acc.push_str(raw);
                joined.push((n, acc));
            }
            (Some((n, mut acc)), Some(head)) => {
                acc.push_str(head);
                pending = Some((n, acc));
            }
        }
    }
    if let Some(rest) = pending {
        joined.push(rest);
    }
    strip_comments(&mut joined);
    joined
}

/// Removes `/* */` comments, which may span lines: each line keeps what is outside them. Most
/// lines have none, and are left alone without a copy.
fn strip_comments(lines: &mut [(usize, String)]) {
    let mut in_comment = false;
    for (_, line) in lines {
        if !in_comment && !line.contains("/*") {
            continue;
        }
        let mut kept = String::with_capacity(line.len());
        let mut rest = line.as_str();
        loop {
            let (marker, keep) = if in_comment { ("*/", false) } else { ("/*", true) };
            match rest.find(marker) {
                Some(at) => {
                    if keep {
                        kept.push_str(&rest[..at]);
                    }
                    rest = &rest[at + 2..];
                    in_comment = !in_comment;
                }
                None => {
                    if keep {
                        kept.push_str(rest);
                    }
                    break;
                }
            }
        }
        *line = kept;
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifier at the start of `arg` (possibly empty).
fn leading_ident(arg: &str) -> &str {
    &arg[..arg.find(|c: char| !is_ident(c)).unwrap_or(arg.len())]
}

impl Pre<'_> {
    fn file(&mut self, source: &Source, depth: usize) {
        let name: Rc<str> = source.origin.name.as_str().into();
        self.read = self.read.saturating_add(source.text.len());
        if self.read > TOTAL_CAP {
            self.over_total(&name, 0, "files read");
            return;
        }
        let mut conds: Vec<Cond> = Vec::new();
        for (n, text) in logical_lines(&source.text) {
            if self.stop {
                return;
            }
            let active = conds.last().is_none_or(|c| c.active);
            match text.trim_start().strip_prefix('#') {
                Some(directive) => {
                    let at = Here { name: &name, line: n, origin: &source.origin, depth };
                    self.directive(directive.trim_start(), &at, &mut conds);
                }
                None if active => self.text_line(text, &name, n),
                None => {}
            }
        }
        if !conds.is_empty() && !self.stop {
            self.warnings.at(&name, 0, "unterminated #if at end of file");
        }
    }

    /// The cap on the whole run's text was reached: say so once and stop.
    fn over_total(&mut self, file: &str, line: usize, what: &str) {
        let cap = crate::files::human_size(TOTAL_CAP as u64);
        self.warnings.stop(file, line, format_args!("{what} exceed {cap}; the rest is left out"));
        self.stop = true;
    }

    fn text_line(&mut self, text: String, name: &Rc<str>, n: usize) {
        let text = if self.has_candidate(&text) {
            match self.expand(&text, n, name) {
                Ok(expanded) => expanded,
                Err(ExpandError::TooLong) => {
                    let cap = crate::files::human_size(EXPANSION_CAP as u64);
                    self.warnings.at(
                        name,
                        n,
                        format_args!("macros expand past {cap}, line skipped"),
                    );
                    return;
                }
                Err(ExpandError::TooDeep) => {
                    let msg = format_args!(
                        "macros nested more than {MAX_MACRO_NESTING} deep, line skipped"
                    );
                    self.warnings.at(name, n, msg);
                    return;
                }
            }
        } else {
            text
        };
        self.produced = self.produced.saturating_add(text.len() + 1);
        if self.produced > TOTAL_CAP {
            self.over_total(name, n, "preprocessed lines");
            return;
        }
        self.lines.push(Line { text, file: name.clone(), line: n });
    }

    fn directive(&mut self, directive: &str, at: &Here<'_>, conds: &mut Vec<Cond>) {
        let word = leading_ident(directive);
        let arg = directive[word.len()..].trim();
        let on = conds.last().is_none_or(|c| c.active);
        match word {
            "ifdef" | "ifndef" => {
                let defined = self.macros.contains_key(leading_ident(arg));
                let take = on && (defined == (word == "ifdef"));
                conds.push(Cond { active: take, taken: take, parent: on });
            }
            "if" => {
                let take = on && self.eval(arg);
                conds.push(Cond { active: take, taken: take, parent: on });
            }
            "elif" | "else" => match conds.last_mut() {
                Some(c) => {
                    let take = c.parent && !c.taken && (word == "else" || self.eval(arg));
                    c.active = take;
                    c.taken |= take;
                }
                None => self.warnings.at(at.name, at.line, format_args!("#{word} without #if")),
            },
            "endif" => {
                if conds.pop().is_none() {
                    self.warnings.at(at.name, at.line, "#endif without #if");
                }
            }
            _ if !on => {}
            "" | "pragma" | "ident" | "line" => {}
            "define" => self.define(arg, at),
            "undef" => {
                self.macros.remove(leading_ident(arg));
            }
            "include" => self.include(arg, at),
            "warning" | "error" => {
                self.warnings.at(at.name, at.line, format_args!("#{word} {arg}"))
            }
            other => self.warnings.at(
                at.name,
                at.line,
                format_args!("invalid preprocessing directive #{other}"),
            ),
        }
    }

    fn define(&mut self, arg: &str, at: &Here<'_>) {
        let ident = leading_ident(arg);
        if ident.is_empty() || !ident.starts_with(is_ident_start) {
            self.warnings.at(at.name, at.line, "#define needs a macro name");
            return;
        }
        if let Some(&b) = ident.as_bytes().first() {
            self.macro_starts[usize::from(b)] = true;
        }
        // Function-like macros are not used by calendar files; keep the name defined so
        // #ifdef sees it, but expand nothing.
        let rest = &arg[ident.len()..];
        let value = if rest.starts_with('(') { String::new() } else { rest.trim().to_owned() };
        self.macros.insert(ident.to_owned(), value);
    }

    fn include(&mut self, arg: &str, at: &Here<'_>) {
        let arg = match self.expand(arg, at.line, at.name) {
            Ok(expanded) => expanded,
            Err(_) => arg.to_owned(),
        };
        let arg = arg.trim();
        let (target, angled) = if let Some(rest) = arg.strip_prefix('<') {
            (rest.split('>').next().unwrap_or(""), true)
        } else if let Some(rest) = arg.strip_prefix('"') {
            (rest.split('"').next().unwrap_or(""), false)
        } else {
            let msg = format_args!("#include expects \"FILENAME\" or <FILENAME>: {arg}");
            self.warnings.at(at.name, at.line, msg);
            return;
        };
        if at.depth + 1 >= MAX_DEPTH {
            let msg = format_args!("#include {arg} nested too deeply (an include cycle?)");
            self.warnings.at(at.name, at.line, msg);
            self.stop |= self.options.strict;
            return;
        }
        self.includes += 1;
        if self.includes > MAX_INCLUDES {
            let msg = format_args!("more than {MAX_INCLUDES} #includes; the rest is left out");
            self.warnings.stop(at.name, at.line, msg);
            self.stop = true;
            return;
        }
        match self.resolver.resolve(target, angled, at.origin) {
            Ok(source) => self.file(&source, at.depth + 1),
            Err(err) => {
                self.warnings.at(at.name, at.line, format_args!("#include {arg}: {err}"));
                self.stop |= self.options.strict;
            }
        }
    }

    /// Whether an identifier starting with `c` could be a macro.
    fn may_be_macro(&self, c: char) -> bool {
        c.is_ascii() && self.macro_starts[c as usize]
    }

    /// Whether `text` has an identifier that may be a macro.
    fn has_candidate(&self, text: &str) -> bool {
        text.split(|c: char| !is_ident(c)).any(|word| {
            word.starts_with(is_ident_start) && word.starts_with(|c| self.may_be_macro(c))
        })
    }

    /// Expands object-like macros in `text` (recursively, never a macro inside itself), within
    /// [`EXPANSION_CAP`] bytes and [`MAX_MACRO_NESTING`] levels.
    fn expand(&self, text: &str, line: usize, file: &str) -> Result<String, ExpandError> {
        let mut out = String::with_capacity(text.len());
        let mut expansion = Expansion { line, file, budget: EXPANSION_CAP, active: Vec::new() };
        self.expand_into(text, &mut expansion, &mut out)?;
        Ok(out)
    }

    fn expand_into<'m>(
        &'m self,
        text: &str,
        ex: &mut Expansion<'_, 'm>,
        out: &mut String,
    ) -> Result<(), ExpandError> {
        if ex.active.len() > MAX_MACRO_NESTING {
            return Err(ExpandError::TooDeep);
        }
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let len = if is_ident_start(c) {
                rest.find(|d: char| !is_ident(d)).unwrap_or(rest.len())
            } else {
                c.len_utf8()
            };
            let (piece, tail) = rest.split_at(len);
            rest = tail;
            let value = (is_ident_start(c) && self.may_be_macro(c))
                .then(|| self.macros.get_key_value(piece))
                .flatten()
                .filter(|(key, _)| !ex.active.contains(&key.as_str()));
            // Text copied costs its length, an expansion one unit: an empty macro repeated
            // cannot loop for free.
            let cost = if value.is_some() { 1 } else { piece.len() };
            ex.budget = ex.budget.checked_sub(cost).ok_or(ExpandError::TooLong)?;
            match value {
                Some((key, value)) => {
                    ex.active.push(key.as_str());
                    self.expand_into(value, ex, out)?;
                    ex.active.pop();
                }
                None if piece == "__LINE__" && !self.macros.contains_key(piece) => {
                    out.push_str(&ex.line.to_string());
                }
                None if piece == "__FILE__" && !self.macros.contains_key(piece) => {
                    out.push_str(&format!("\"{}\"", ex.file));
                }
                None => out.push_str(piece),
            }
            if out.len() > EXPANSION_CAP {
                return Err(ExpandError::TooLong);
            }
        }
        Ok(())
    }

    /// Evaluates a simple `#if` expression: integers, `defined X`, `!`, `&&`, `||`, macro names.
    fn eval(&self, expr: &str) -> bool {
        expr.split("||").any(|alt| alt.split("&&").all(|term| self.eval_term(term.trim())))
    }

    fn eval_term(&self, term: &str) -> bool {
        // Negations are counted, not recursed into: `#if !!!!...0` cannot exhaust the stack.
        let body = term.trim_start_matches(|c: char| c == '!' || c.is_whitespace());
        let negations = term[..term.len() - body.len()].matches('!').count();
        let term = body.trim_matches(|c| c == '(' || c == ')' || c == ' ');
        let value = if let Some(rest) = term.strip_prefix("defined") {
            let name = rest.trim().trim_matches(|c| c == '(' || c == ')' || c == ' ');
            self.macros.contains_key(name)
        } else if let Ok(n) = term.parse::<i64>() {
            n != 0
        } else {
            self.macros.get(term).and_then(|v| v.trim().parse::<i64>().ok()).is_some_and(|n| n != 0)
        };
        value != (negations % 2 == 1)
    }
}

/// Where a directive is: its file and line, the file's origin and its include depth.
struct Here<'a> {
    name: &'a Rc<str>,
    line: usize,
    origin: &'a Origin,
    depth: usize,
}

/// The state of one line's expansion.
struct Expansion<'f, 'm> {
    line: usize,
    file: &'f str,
    /// Bytes (and identifiers) still allowed.
    budget: usize,
    /// Macros being expanded, innermost last (none is expanded inside itself).
    active: Vec<&'m str>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    struct Files(Vec<(&'static str, &'static str)>);

    impl Resolve for Files {
        fn resolve(
            &self,
            name: &str,
            _angled: bool,
            _from: &Origin,
        ) -> Result<Source, SourceError> {
            self.0
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(n, t)| Source {
                    origin: Origin { name: (*n).to_owned(), dir: None, bundled: false },
                    text: (*t).to_owned(),
                })
                .ok_or_else(|| SourceError::NotFound {
                    name: name.to_owned(),
                    searched: "the test".to_owned(),
                })
        }
    }

    fn run_with(text: &str, files: Files, options: Options) -> (Vec<Line>, Warnings) {
        let source = Source {
            origin: Origin { name: "main".into(), dir: None, bundled: false },
            text: text.to_owned(),
        };
        let mut warnings = Warnings::default();
        let lines = preprocess(&source, &files, options, &mut warnings);
        (lines, warnings)
    }

    fn run(text: &str, files: Files) -> (Vec<Line>, Warnings) {
        run_with(text, files, Options::default())
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).filter(|t| !t.is_empty()).collect()
    }

    #[test]
    fn comments_and_joins() {
        let (out, _) = run("a /* x */ b\nc /* multi\nline */ d\ne \\\nf\n// kept\n", Files(vec![]));
        assert_eq!(texts(&out), vec!["a  b", "c ", " d", "e f", "// kept"]);
    }

    #[test]
    fn conditionals_and_macros() {
        let text = "#define FOO bar\n#ifdef FOO\nyes FOO\n#else\nno\n#endif\n#if 0\nhidden\n#endif\n#ifndef FOO\nno2\n#elif 1\nelif\n#endif\n#undef FOO\nFOO\n";
        let (out, _) = run(text, Files(vec![]));
        assert_eq!(texts(&out), vec!["yes bar", "elif", "FOO"]);
    }

    #[test]
    fn includes_and_guards() {
        let inc = "#ifndef _g_\n#define _g_\ninner\n#endif\n";
        let (out, _) = run("#include <inc>\n#include \"inc\"\nafter\n", Files(vec![("inc", inc)]));
        assert_eq!(texts(&out), vec!["inner", "after"]);
        assert_eq!(out[0].file.as_ref(), "inc");
    }

    #[test]
    fn missing_include_is_reported_and_the_file_goes_on() {
        let (out, warnings) = run("before\n#include <nope>\nafter\n", Files(vec![]));
        assert_eq!(texts(&out), vec!["before", "after"]);
        assert_eq!(
            warnings.as_slice(),
            ["main:2: #include <nope>: nope: no such calendar file (looked in the test)"]
        );
    }

    #[test]
    fn strict_mode_stops_at_a_missing_include_like_cpp() {
        let options = Options { strict: true };
        let (out, _) = run_with("before\n#include <nope>\nafter\n", Files(vec![]), options);
        assert_eq!(texts(&out), vec!["before"]);
    }

    #[test]
    fn include_cycle_is_reported() {
        let (out, warnings) =
            run("#include <loop>\n", Files(vec![("loop", "x\n#include <loop>\n")]));
        assert!(
            warnings.as_slice().iter().any(|d| d.contains("nested too deeply")),
            "{warnings:?}"
        );
        assert!(texts(&out).len() > 10);
    }

    #[test]
    fn includes_that_branch_are_counted() {
        // Each level includes the next twice: 2^40 reads without a cap.
        let twice = "x\n#include <twice>\n#include <twice>\n";
        let (out, warnings) = run("#include <twice>\n", Files(vec![("twice", twice)]));
        assert!(texts(&out).len() <= MAX_INCLUDES, "{}", out.len());
        assert!(
            warnings.as_slice().iter().any(|w| w.contains("more than 1024 #includes")),
            "{warnings:?}"
        );
    }

    #[test]
    fn bad_directives_are_dropped_with_a_message() {
        let (out, warnings) = run("# hash comment\nkept\n", Files(vec![]));
        assert_eq!(texts(&out), vec!["kept"]);
        assert_eq!(warnings.as_slice().len(), 1);
    }

    /// `#define M1 M0 M0`, `#define M2 M1 M1`, ...: the text `Mn` doubles per level.
    fn doubling_chain(levels: usize) -> String {
        let mut text = String::from("#define M0 ab\n");
        for i in 1..=levels {
            text.push_str(&format!("#define M{i} M{} M{}\n", i - 1, i - 1));
        }
        text
    }

    #[test]
    fn exponential_macros_are_capped_and_the_file_goes_on() {
        let text = format!("{}04/17\tM39\n04/18\tM3\n", doubling_chain(39));
        let (out, warnings) = run(&text, Files(vec![]));
        assert_eq!(texts(&out), vec!["04/18\tab ab ab ab ab ab ab ab"]);
        assert_eq!(
            warnings.as_slice(),
            [format!("main:{}: macros expand past 64 KiB, line skipped", 41)]
        );
    }

    #[test]
    fn long_macro_chains_are_capped_not_a_stack_overflow() {
        let mut text = String::from("#define M0 end\n");
        for i in 1..=100_000 {
            text.push_str(&format!("#define M{i} M{}\n", i - 1));
        }
        text.push_str("M100000\nM10\n");
        let (out, warnings) = run(&text, Files(vec![]));
        assert_eq!(texts(&out), vec!["end"]);
        assert!(warnings.as_slice()[0].contains("nested more than 256 deep"), "{warnings:?}");
    }

    #[test]
    fn deep_negations_do_not_recurse() {
        let text =
            format!("#if {}0\nshown\n#endif\n#if !!1\nalso\n#endif\n", "!".repeat(1_000_001));
        let (out, _) = run(&text, Files(vec![]));
        assert_eq!(texts(&out), vec!["shown", "also"]);
    }

    proptest! {
        #[test]
        fn never_panics(text in "(\\PC|\n|#|/\\*|\\*/|\\\\){0,200}") {
            let _ = run(&text, Files(vec![("a", "#include <a>\n")]));
        }

        /// Macros anywhere: the output of every line stays within the cap, whatever the input.
        #[test]
        fn expansion_is_bounded(
            defs in proptest::collection::vec(("[A-C]", "([A-C] ?){0,6}"), 0..12),
            body in "([A-C] |x){0,20}",
        ) {
            let mut text: String =
                defs.iter().map(|(n, v)| format!("#define {n} {v}\n")).collect();
            text.push_str(&body);
            text.push('\n');
            let (out, _) = run(&text, Files(vec![]));
            for line in &out {
                prop_assert!(line.text.len() <= EXPANSION_CAP);
            }
        }

        /// The output is never bigger than the input plus what macros add, and the work of a
        /// doubling chain is bounded by the cap however deep it goes.
        #[test]
        fn doubling_chains_are_linear(levels in 1usize..60) {
            let text = format!("{}M{levels}\n", doubling_chain(levels));
            let (out, warnings) = run(&text, Files(vec![]));
            let produced: usize = out.iter().map(|l| l.text.len()).sum();
            prop_assert!(produced <= EXPANSION_CAP);
            // 2^levels copies of "ab" plus spaces: over the cap from level 14 on.
            let expected_len = 3 * (1usize << levels) - 1;
            if expected_len <= EXPANSION_CAP / 2 {
                prop_assert!(warnings.is_empty());
            }
            if expected_len > EXPANSION_CAP {
                prop_assert!(!warnings.is_empty());
            }
        }
    }
}
