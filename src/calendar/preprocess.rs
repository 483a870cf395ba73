//! A small C preprocessor for calendar files, replacing the `cpp -traditional` that the
//! reference forks: a byte-order mark skipped, `\` line joins, `/* */` comments,
//! `#include <x>`/`"x"`, `#define`/`#undef` of object-like and function-like macros expanded
//! in text ([`super::macros`]), `#ifdef`/`#ifndef`/`#if`/`#elif`/`#else`/`#endif` with cpp's
//! expressions ([`super::cpp_expr`]), `#warning`/`#error`.
//!
//! It yields the logical lines with the file and line they came from. Problems are reported as
//! warnings naming file and line, and the rest of the input goes on; `strict` mode stops at an
//! unreadable include like cpp's fatal error, so everything read before is still used.
//!
//! Every kind of work is bounded, so no file can make it run or grow without end: a line's
//! macro expansion ([`super::macros::EXPANSION_CAP`], [`super::macros::MAX_MACRO_NESTING`]),
//! an `#if` expression ([`super::cpp_expr::MAX_EXPR_LEN`]), the number of includes
//! ([`MAX_INCLUDES`]) and their nesting ([`MAX_DEPTH`]), and the text read and produced in one
//! run ([`TOTAL_CAP`]).

use std::rc::Rc;

use super::cpp_expr;
use super::diag::Warnings;
use super::macros::{Macros, leading_ident};

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

/// Finds included files. The preprocessor only shows why a file cannot be read, so the error
/// is any type that displays: the reader keeps its own error type, and this I/O-free module
/// names none of it.
pub(crate) trait Resolve {
    /// Why a file cannot be read, shown in the warning that names the `#include` line.
    type Error: std::fmt::Display;

    /// The file named by `#include` (`angled` for `<x>`) from `from`, or why it cannot be read.
    fn resolve(&self, name: &str, angled: bool, from: &Origin) -> Result<Source, Self::Error>;

    /// Whether a file is not the user's own (a system or bundled calendar): its warnings are
    /// shown only when asked for.
    fn is_system(&self, origin: &Origin) -> bool {
        origin.bundled
    }
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

struct Pre<'r, R: Resolve> {
    resolver: &'r R,
    options: Options,
    macros: Macros,
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
pub(crate) fn preprocess<R: Resolve>(
    source: &Source,
    resolver: &R,
    options: Options,
    warnings: &mut Warnings,
) -> Vec<Line> {
    let mut pre = Pre {
        resolver,
        options,
        macros: Macros::default(),
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

impl<R: Resolve> Pre<'_, R> {
    fn file(&mut self, source: &Source, depth: usize) {
        let name: Rc<str> = source.origin.name.as_str().into();
        if self.resolver.is_system(&source.origin) {
            self.warnings.system_file(&name);
        }
        self.read = self.read.saturating_add(source.text.len());
        if self.read > TOTAL_CAP {
            self.over_total(&name, 0, "files read");
            return;
        }
        let mut conds: Vec<Cond> = Vec::new();
        // cpp skips a UTF-8 byte-order mark at the start of each file; left in, it hid the
        // directive on the first line.
        let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
        for (n, text) in logical_lines(text) {
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
        let text = if self.macros.has_candidate(&text) {
            match self.macros.expand(&text, n, name) {
                Ok(expanded) => expanded,
                Err(error) => return self.warnings.at(name, n, error),
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
                let defined = self.macros.is_defined(leading_ident(arg));
                let take = on && (defined == (word == "ifdef"));
                conds.push(Cond { active: take, taken: take, parent: on });
            }
            "if" => {
                let take = on && self.condition(word, arg, at);
                conds.push(Cond { active: take, taken: take, parent: on });
            }
            "elif" | "else" => match conds.last_mut() {
                Some(c) => {
                    let take =
                        c.parent && !c.taken && (word == "else" || self.condition(word, arg, at));
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
            "undef" => self.macros.undef(leading_ident(arg)),
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
        if let Err(error) = self.macros.define(arg) {
            self.warnings.at(at.name, at.line, error);
        }
    }

    /// The value of an `#if` or `#elif` (`word`) expression, as cpp computes it; what cannot be
    /// evaluated is reported with the line, and is false.
    fn condition(&mut self, word: &str, arg: &str, at: &Here<'_>) -> bool {
        self.evaluate(arg, at).unwrap_or_else(|why| {
            self.warnings.at(at.name, at.line, format_args!("#{word}: {why}; taken as false"));
            false
        })
    }

    /// `defined` first (its name is not expanded), then the macros, then the arithmetic.
    fn evaluate(&self, arg: &str, at: &Here<'_>) -> Result<bool, String> {
        let text = cpp_expr::replace_defined(arg, |name| self.macros.is_defined(name))
            .map_err(|e| e.to_string())?;
        let text = if self.macros.has_candidate(&text) {
            self.macros.expand(&text, at.line, at.name).map_err(|e| e.to_string())?
        } else {
            text
        };
        cpp_expr::evaluate(&text).map_err(|e| e.to_string())
    }

    fn include(&mut self, arg: &str, at: &Here<'_>) {
        let arg = match self.macros.expand(arg, at.line, at.name) {
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
}

/// Where a directive is: its file and line, the file's origin and its include depth.
struct Here<'a> {
    name: &'a Rc<str>,
    line: usize,
    origin: &'a Origin,
    depth: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::macros::EXPANSION_CAP;
    use proptest::prelude::*;

    struct Files(Vec<(&'static str, &'static str)>);

    impl Resolve for Files {
        type Error = String;

        fn resolve(&self, name: &str, _angled: bool, _from: &Origin) -> Result<Source, String> {
            self.0
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(n, t)| Source {
                    origin: Origin { name: (*n).to_owned(), dir: None, bundled: false },
                    text: (*t).to_owned(),
                })
                .ok_or_else(|| format!("{name}: no such calendar file (looked in the test)"))
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
        let text = format!("#if {}0\nshown\n#endif\n#if !!1\nalso\n#endif\n", "!".repeat(60_001));
        let (out, warnings) = run(&text, Files(vec![]));
        assert_eq!(texts(&out), vec!["shown", "also"]);
        assert!(warnings.is_empty(), "{warnings:?}");
        // Past the cap: reported, and false.
        let text = format!("#if {}0\nhidden\n#endif\n", "!".repeat(1_000_001));
        let (out, warnings) = run(&text, Files(vec![]));
        assert!(texts(&out).is_empty());
        assert_eq!(
            warnings.as_slice(),
            ["main:1: #if: expression longer than 64 KiB; taken as false"]
        );
    }

    /// Issue 28: the expressions that gave another answer than cpp, as whole files.
    #[test]
    fn if_expressions_are_cpp_s() {
        let text = "#define TWO 2\n#define EMPTY\n#if !(1 && 0)\na\n#endif\n#if (1 || 0) && 0\nno\n#endif\n\
                    #if TWO > 1 && TWO * 3 == 6\nb\n#endif\n#if 0x10 == 16\nc\n#endif\n\
                    #if defined(TWO) && !defined UNSET && UNSET == 0\nd\n#endif\n\
                    #if 0\nno\n#elif TWO - 2\nno\n#elif 'A' == 65\ne\n#else\nno\n#endif\n";
        let (out, warnings) = run(text, Files(vec![]));
        assert_eq!(texts(&out), vec!["a", "b", "c", "d", "e"]);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn bad_if_expressions_are_reported_with_their_line_and_false() {
        let text = "#if 1 / 0\nno\n#else\nelse\n#endif\n#if (1\nno\n#endif\n#if\nno\n#endif\n\
                    #if 0\n#if 1/0\n#endif\n#elif 1\nyes\n#elif 1/0\n#endif\n";
        let (out, warnings) = run(text, Files(vec![]));
        assert_eq!(texts(&out), vec!["else", "yes"]);
        // Skipped groups and #elif after a taken branch are not evaluated, as in cpp.
        assert_eq!(
            warnings.as_slice(),
            [
                "main:1: #if: division by zero; taken as false",
                "main:6: #if: missing ')'; taken as false",
                "main:9: #if: no expression; taken as false",
            ]
        );
    }

    #[test]
    fn function_like_macros_expand_in_text() {
        let text = "#define WHO(x) x was born\n#define P(a, b) a and b\n04/17\tWHO(Alice)\n\
                    04/18\tP((1, 2), WHO(Bob))\n04/19\tWHO alone\n04/20\tP(1)\n#ifdef WHO\ndefined\n#endif\n";
        let (out, warnings) = run(text, Files(vec![]));
        assert_eq!(
            texts(&out),
            vec![
                "04/17\tAlice was born",
                "04/18\t(1, 2) and  Bob was born",
                "04/19\tWHO alone",
                "defined"
            ]
        );
        assert_eq!(
            warnings.as_slice(),
            ["main:6: macro P takes 2 arguments, 1 given; line skipped"]
        );
        let (_, warnings) = run("#define F(x\n#define (y) z\n", Files(vec![]));
        assert_eq!(
            warnings.as_slice(),
            [
                "main:1: #define F: bad parameter list (names separated by commas, then `)`)",
                "main:2: #define needs a macro name"
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_a_directive() {
        let inc = "\u{feff}#define FROM_INC yes\n";
        let text = "\u{feff}#include \"inc\"\nFROM_INC\n";
        let (out, warnings) = run(text, Files(vec![("inc", inc)]));
        assert_eq!(texts(&out), vec!["yes"]);
        assert!(warnings.is_empty(), "{warnings:?}");
        let (out, _) = run("\u{feff}#if 0\nhidden\n#endif\n", Files(vec![]));
        assert!(texts(&out).is_empty());
        // Only at the start of a file, as in cpp.
        let (out, _) = run("\u{feff}04/17\tx\n\u{feff}y\n", Files(vec![]));
        assert_eq!(texts(&out), vec!["04/17\tx", "\u{feff}y"]);
    }

    /// Issue 20: the preprocessor is linear in its input, whatever its shape.
    #[test]
    fn preprocessing_is_linear() {
        use crate::calendar::linear::assert_linear;
        let work = |text: &String| {
            let _ = run(text, Files(vec![]));
        };
        type Shape = (&'static str, fn(usize) -> String);
        let shapes: [Shape; 7] = [
            ("plain lines", |n| "04/17\tan event FOO\n".repeat(n)),
            ("macros", |n| (0..n).map(|i| format!("#define M{i} v\nM{i} M{i}\n")).collect()),
            ("one long joined line", |n| "word \\\n".repeat(n)),
            ("a long comment", |n| format!("/*{}*/\n", "x\n".repeat(n))),
            ("nested ifs", |n| "#if 1\n".repeat(n) + "#endif\n".repeat(n).as_str()),
            ("if expressions", |n| {
                "#if (1 + 2) * 3 == 9 && defined X || 'a'\nx\n#endif\n".repeat(n)
            }),
            ("calls", |n| {
                format!("#define F(a, b) b a\n{}", "F((x, y), z) F(1, F(2, 3))\n".repeat(n))
            }),
        ];
        for (what, make) in shapes {
            assert_linear(what, 2_000, make, work);
        }
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
