//! A small C preprocessor for calendar files, replacing the `cpp -traditional` that the
//! reference forks: `\` line joins, `/* */` comments, `#include <x>`/`"x"`, object-like
//! `#define`/`#undef` expanded in text, `#ifdef`/`#ifndef`/`#if`/`#elif`/`#else`/`#endif`,
//! `#warning`/`#error`.
//!
//! It yields the logical lines with the file and line they came from. Problems are collected as
//! diagnostics naming file and line; a missing include or an include nesting too deep ends the
//! input there (like cpp's fatal errors), so everything read before is still used.

use std::collections::HashMap;

/// Where a source came from, for messages and for resolving its includes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Name shown in messages (a path, `<stdin>` or `<bundled>/calendar.x`).
    pub name: String,
    /// Directory searched first for `#include "x"` (None for bundled files and stdin).
    pub dir: Option<std::path::PathBuf>,
    /// Bundled files include bundled files first.
    pub bundled: bool,
}

/// A source file's text.
pub struct Source {
    pub origin: Origin,
    pub text: String,
}

/// Finds included files.
pub trait Resolve {
    /// The file named by `#include` (`angled` for `<x>`) from `from`, or None if missing.
    fn resolve(&self, name: &str, angled: bool, from: &Origin) -> Option<Source>;
}

/// One line of preprocessed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub file: std::rc::Rc<str>,
    pub line: usize,
}

/// Result of preprocessing: the lines, and the warnings/errors met on the way.
#[derive(Debug, Default)]
pub struct Output {
    pub lines: Vec<Line>,
    pub diagnostics: Vec<String>,
}

/// Deepest include nesting accepted (cpp allows 200; calendar files nest 2-3 deep).
const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy)]
struct Cond {
    /// This branch is being emitted.
    active: bool,
    /// Some branch of this #if chain was taken already.
    taken: bool,
    /// The enclosing block is active.
    parent: bool,
}

struct Pre<'r> {
    resolver: &'r dyn Resolve,
    macros: HashMap<String, String>,
    /// First bytes of every macro name ever defined (plus `_` for `__LINE__`/`__FILE__`): a
    /// cheap filter so that ordinary words skip the hash lookup, which otherwise dominates the
    /// run time on large calendars.
    macro_starts: [bool; 128],
    out: Output,
    fatal: bool,
}

/// Preprocesses `source`, resolving includes through `resolver`.
pub fn preprocess(source: &Source, resolver: &dyn Resolve) -> Output {
    let mut macro_starts = [false; 128];
    macro_starts[usize::from(b'_')] = true;
    let mut pre = Pre {
        resolver,
        macros: HashMap::new(),
        macro_starts,
        out: Output::default(),
        fatal: false,
    };
    pre.file(source, 0);
    pre.out
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
    // Comments may span lines: each line keeps what is outside them. Most lines have none, and
    // are left alone without a copy.
    let mut in_comment = false;
    for (_, line) in &mut joined {
        if !in_comment && !line.contains("/*") {
            continue;
        }
        let mut kept = String::with_capacity(line.len());
        let mut rest = line.as_str();
        loop {
            if in_comment {
                match rest.find("*/") {
                    Some(end) => {
                        rest = &rest[end + 2..];
                        in_comment = false;
                    }
                    None => break,
                }
            } else {
                match rest.find("/*") {
                    Some(start) => {
                        kept.push_str(&rest[..start]);
                        rest = &rest[start + 2..];
                        in_comment = true;
                    }
                    None => {
                        kept.push_str(rest);
                        break;
                    }
                }
            }
        }
        *line = kept;
    }
    joined
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Pre<'_> {
    fn diag(&mut self, file: &str, line: usize, msg: impl std::fmt::Display) {
        self.out.diagnostics.push(format!("{file}:{line}: {msg}"));
    }

    fn file(&mut self, source: &Source, depth: usize) {
        let name: std::rc::Rc<str> = source.origin.name.as_str().into();
        let mut conds: Vec<Cond> = Vec::new();
        let active = |conds: &[Cond]| conds.last().is_none_or(|c| c.active);
        for (n, text) in logical_lines(&source.text) {
            if self.fatal {
                return;
            }
            let trimmed = text.trim_start();
            let Some(directive) = trimmed.strip_prefix('#') else {
                if active(&conds) {
                    let text = self.expand_owned(text, n, &name);
                    self.out.lines.push(Line { text, file: name.clone(), line: n });
                }
                continue;
            };
            let directive = directive.trim_start();
            let word_len = directive.find(|c: char| !is_ident(c)).unwrap_or(directive.len());
            let (word, arg) = directive.split_at(word_len);
            let arg = arg.trim();
            let on = active(&conds);
            match word {
                "ifdef" | "ifndef" => {
                    let name_arg: String = arg.chars().take_while(|&c| is_ident(c)).collect();
                    let defined = self.macros.contains_key(&name_arg);
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
                    None => self.diag(&name, n, format_args!("#{word} without #if")),
                },
                "endif" => {
                    if conds.pop().is_none() {
                        self.diag(&name, n, "#endif without #if");
                    }
                }
                _ if !on => {}
                "" => {}
                "define" => {
                    let ident: String = arg.chars().take_while(|&c| is_ident(c)).collect();
                    if ident.is_empty() || !ident.starts_with(is_ident_start) {
                        self.diag(&name, n, "#define needs a macro name");
                    } else if arg[ident.len()..].starts_with('(') {
                        self.note_macro_start(&ident);
                        // Function-like macros are not used by calendar files; keep the name
                        // defined so #ifdef sees it, but expand nothing.
                        self.macros.insert(ident, String::new());
                    } else {
                        let value = arg[ident.len()..].trim().to_owned();
                        self.note_macro_start(&ident);
                        self.macros.insert(ident, value);
                    }
                }
                "undef" => {
                    let ident: String = arg.chars().take_while(|&c| is_ident(c)).collect();
                    self.macros.remove(&ident);
                }
                "include" => self.include(arg, &source.origin, &name, n, depth),
                "warning" => self.diag(&name, n, format_args!("#warning {arg}")),
                "error" => self.diag(&name, n, format_args!("#error {arg}")),
                "pragma" | "ident" | "line" => {}
                other => {
                    self.diag(&name, n, format_args!("invalid preprocessing directive #{other}"))
                }
            }
        }
        if !conds.is_empty() && !self.fatal {
            self.diag(&name, 0, "unterminated #if at end of file");
        }
    }

    fn include(&mut self, arg: &str, from: &Origin, name: &str, n: usize, depth: usize) {
        let arg = self.expand(arg, n, name);
        let arg = arg.trim();
        let (target, angled) = if let Some(rest) = arg.strip_prefix('<') {
            (rest.split('>').next().unwrap_or(""), true)
        } else if let Some(rest) = arg.strip_prefix('"') {
            (rest.split('"').next().unwrap_or(""), false)
        } else {
            self.diag(name, n, format_args!("#include expects \"FILENAME\" or <FILENAME>: {arg}"));
            return;
        };
        if depth + 1 >= MAX_DEPTH {
            self.diag(
                name,
                n,
                format_args!("#include {arg} nested too deeply (an include cycle?)"),
            );
            self.fatal = true;
            return;
        }
        match self.resolver.resolve(target, angled, from) {
            Some(source) => self.file(&source, depth + 1),
            None => {
                self.diag(name, n, format_args!("#include {arg}: no such calendar file"));
                self.fatal = true;
            }
        }
    }

    fn note_macro_start(&mut self, ident: &str) {
        if let Some(&b) = ident.as_bytes().first().filter(|b| b.is_ascii()) {
            self.macro_starts[usize::from(b)] = true;
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

    /// Like [`Pre::expand`], without copying a line that has nothing to expand.
    fn expand_owned(&self, text: String, line: usize, file: &str) -> String {
        if self.has_candidate(&text) { self.expand(&text, line, file) } else { text }
    }

    /// Expands object-like macros in `text` (recursively, never a macro inside itself).
    fn expand(&self, text: &str, line: usize, file: &str) -> String {
        if !self.has_candidate(text) {
            return text.to_owned();
        }
        let mut active = Vec::new();
        self.expand_inner(text, line, file, &mut active)
    }

    fn expand_inner(
        &self,
        text: &str,
        line: usize,
        file: &str,
        active: &mut Vec<String>,
    ) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !is_ident_start(c) {
                out.push(c);
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !is_ident(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            let ident = &text[i..end];
            if !self.may_be_macro(c) {
                out.push_str(ident);
                continue;
            }
            match (ident, self.macros.get(ident)) {
                (_, Some(value)) if !active.iter().any(|a| a == ident) => {
                    active.push(ident.to_owned());
                    out.push_str(&self.expand_inner(value, line, file, active));
                    active.pop();
                }
                ("__LINE__", None) => out.push_str(&line.to_string()),
                ("__FILE__", None) => out.push_str(&format!("\"{file}\"")),
                _ => out.push_str(ident),
            }
        }
        out
    }

    /// Evaluates a simple `#if` expression: integers, `defined X`, `!`, `&&`, `||`, macro names.
    fn eval(&self, expr: &str) -> bool {
        expr.split("||").any(|alt| alt.split("&&").all(|term| self.eval_term(term.trim())))
    }

    fn eval_term(&self, term: &str) -> bool {
        if let Some(rest) = term.strip_prefix('!') {
            return !self.eval_term(rest.trim());
        }
        let term = term.trim_matches(|c| c == '(' || c == ')' || c == ' ');
        if let Some(rest) = term.strip_prefix("defined") {
            let name = rest.trim().trim_matches(|c| c == '(' || c == ')' || c == ' ');
            return self.macros.contains_key(name);
        }
        if let Ok(n) = term.parse::<i64>() {
            return n != 0;
        }
        self.macros.get(term).and_then(|v| v.trim().parse::<i64>().ok()).is_some_and(|n| n != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    struct Files(Vec<(&'static str, &'static str)>);

    impl Resolve for Files {
        fn resolve(&self, name: &str, _angled: bool, _from: &Origin) -> Option<Source> {
            self.0.iter().find(|(n, _)| *n == name).map(|(n, t)| Source {
                origin: Origin { name: (*n).to_owned(), dir: None, bundled: false },
                text: (*t).to_owned(),
            })
        }
    }

    fn run(text: &str, files: Files) -> Output {
        let source = Source {
            origin: Origin { name: "main".into(), dir: None, bundled: false },
            text: text.to_owned(),
        };
        preprocess(&source, &files)
    }

    fn texts(out: &Output) -> Vec<&str> {
        out.lines.iter().map(|l| l.text.as_str()).filter(|t| !t.is_empty()).collect()
    }

    #[test]
    fn comments_and_joins() {
        let out = run("a /* x */ b\nc /* multi\nline */ d\ne \\\nf\n// kept\n", Files(vec![]));
        assert_eq!(texts(&out), vec!["a  b", "c ", " d", "e f", "// kept"]);
    }

    #[test]
    fn conditionals_and_macros() {
        let text = "#define FOO bar\n#ifdef FOO\nyes FOO\n#else\nno\n#endif\n#if 0\nhidden\n#endif\n#ifndef FOO\nno2\n#elif 1\nelif\n#endif\n#undef FOO\nFOO\n";
        let out = run(text, Files(vec![]));
        assert_eq!(texts(&out), vec!["yes bar", "elif", "FOO"]);
    }

    #[test]
    fn includes_and_guards() {
        let inc = "#ifndef _g_\n#define _g_\ninner\n#endif\n";
        let out = run("#include <inc>\n#include \"inc\"\nafter\n", Files(vec![("inc", inc)]));
        assert_eq!(texts(&out), vec!["inner", "after"]);
        assert_eq!(out.lines[0].file.as_ref(), "inc");
    }

    #[test]
    fn missing_include_stops_but_keeps_what_came_before() {
        let out = run("before\n#include <nope>\nafter\n", Files(vec![]));
        assert_eq!(texts(&out), vec!["before"]);
        assert_eq!(out.diagnostics, vec!["main:2: #include <nope>: no such calendar file"]);
    }

    #[test]
    fn include_cycle_is_reported() {
        let out = run("#include <loop>\n", Files(vec![("loop", "x\n#include <loop>\n")]));
        assert!(
            out.diagnostics.iter().any(|d| d.contains("nested too deeply")),
            "{:?}",
            out.diagnostics
        );
        assert!(texts(&out).len() > 10);
    }

    #[test]
    fn bad_directives_are_dropped_with_a_message() {
        let out = run("# hash comment\nkept\n", Files(vec![]));
        assert_eq!(texts(&out), vec!["kept"]);
        assert_eq!(out.diagnostics.len(), 1);
    }

    proptest! {
        #[test]
        fn never_panics(text in "(\\PC|\n|#|/\\*|\\*/|\\\\){0,200}") {
            let _ = run(&text, Files(vec![("a", "#include <a>\n")]));
        }
    }
}
