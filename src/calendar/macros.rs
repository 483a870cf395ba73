//! The macros of calendar files, as `cpp -traditional` (the reference's preprocessor) expands
//! them: object-like (`#define NAME text`) and function-like (`#define WHO(x) x was born`, then
//! `WHO(Alice)`), `__LINE__` and `__FILE__`.
//!
//! The traditional rules kept here: nothing is expanded inside quotes in the text (a `'` or `"`
//! runs to its match or to the end of the line, so `Frodo's FOO` keeps `FOO`), while parameters
//! are replaced inside the quotes of a macro's body; a function-like macro's name not followed
//! by `(` is left alone; arguments are split at commas outside parentheses and quotes, keep
//! their spaces, and are expanded before they are put in the body, which is then expanded
//! again without the macro itself.
//!
//! Every expansion is bounded: [`EXPANSION_CAP`] bytes of work and of result per line, and
//! [`MAX_MACRO_NESTING`] macros inside each other (each level is a stack frame).

use std::collections::HashMap;

/// Longest text one line may expand to (`#define M1 M0 M0`, `#define M2 M1 M1`, ... doubles
/// per level); a longer expansion drops the line with a warning.
pub(crate) const EXPANSION_CAP: usize = 64 << 10;
/// Deepest chain of macros expanding into macros (each level is a stack frame).
pub(crate) const MAX_MACRO_NESTING: usize = 256;
/// Most parameters of a function-like macro (C requires 127 to work).
pub(crate) const MAX_PARAMS: usize = 256;

/// One macro: its parameters (None for an object-like macro) and its body.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Macro {
    params: Option<Vec<String>>,
    body: String,
}

/// Why a line's expansion was abandoned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ExpandError {
    #[error("macros expand past {}, line skipped", crate::files::human_size(EXPANSION_CAP as u64))]
    TooLong,
    #[error("macros nested more than {MAX_MACRO_NESTING} deep, line skipped")]
    TooDeep,
    #[error("macro {name} takes {expected} arguments, {given} given; line skipped")]
    Arguments { name: String, expected: usize, given: usize },
}

/// Why a `#define` defines nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DefineError {
    #[error("#define needs a macro name")]
    NoName,
    #[error("#define {0}: bad parameter list (names separated by commas, then `)`)")]
    BadParams(String),
}

/// The macros defined so far.
#[derive(Debug)]
pub(crate) struct Macros {
    table: HashMap<String, Macro>,
    /// First bytes of every macro name ever defined (plus `_` for `__LINE__`/`__FILE__`): a
    /// cheap filter so that ordinary words skip the hash lookup, which otherwise dominates the
    /// run time on large calendars.
    starts: [bool; 128],
}

impl Default for Macros {
    fn default() -> Self {
        let mut starts = [false; 128];
        starts[usize::from(b'_')] = true;
        Macros { table: HashMap::new(), starts }
    }
}

pub(crate) fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

pub(crate) fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifier at the start of `arg` (possibly empty).
pub(crate) fn leading_ident(arg: &str) -> &str {
    &arg[..arg.find(|c: char| !is_ident(c)).unwrap_or(arg.len())]
}

/// Length of the quoted text at the start of `text` (which starts with `'` or `"`): up to the
/// matching quote, a backslash escaping the next character, or to the end.
pub(crate) fn quoted_len(text: &str) -> usize {
    let quote = text.as_bytes()[0];
    let mut escaped = false;
    for (i, &b) in text.as_bytes().iter().enumerate().skip(1) {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            _ if b == quote => return i + 1,
            _ => {}
        }
    }
    text.len()
}

impl Macros {
    /// Whether `name` is defined.
    pub(crate) fn is_defined(&self, name: &str) -> bool {
        self.table.contains_key(name)
    }

    pub(crate) fn undef(&mut self, name: &str) {
        self.table.remove(name);
    }

    /// `#define` with `arg` the text after the directive.
    pub(crate) fn define(&mut self, arg: &str) -> Result<(), DefineError> {
        let name = leading_ident(arg);
        if !name.starts_with(is_ident_start) {
            return Err(DefineError::NoName);
        }
        let rest = &arg[name.len()..];
        let (params, body) = match rest.strip_prefix('(') {
            Some(list) => {
                let (params, body) =
                    parse_params(list).ok_or_else(|| DefineError::BadParams(name.to_owned()))?;
                (Some(params), body)
            }
            None => (None, rest),
        };
        if let Some(&b) = name.as_bytes().first() {
            self.starts[usize::from(b)] = true;
        }
        let body = body.trim().to_owned();
        self.table.insert(name.to_owned(), Macro { params, body });
        Ok(())
    }

    /// Whether an identifier starting with `c` could be a macro.
    fn may_be_macro(&self, c: char) -> bool {
        c.is_ascii() && self.starts[c as usize]
    }

    /// Whether `text` has an identifier that may be a macro. Identifiers start at a letter or
    /// `_` that does not continue one; digits do not start one, so in `0U` (traditional cpp
    /// reads a number as its digits) `U` is a name, as in [`Macros::expand`].
    pub(crate) fn has_candidate(&self, text: &str) -> bool {
        let mut in_name = false;
        for c in text.chars() {
            if in_name {
                in_name = is_ident(c);
            } else if is_ident_start(c) {
                if self.may_be_macro(c) {
                    return true;
                }
                in_name = true;
            }
        }
        false
    }

    /// Expands the macros in `text`, the line `line` of `file`, within [`EXPANSION_CAP`] and
    /// [`MAX_MACRO_NESTING`].
    pub(crate) fn expand(
        &self,
        text: &str,
        line: usize,
        file: &str,
    ) -> Result<String, ExpandError> {
        let mut out = String::with_capacity(text.len());
        let mut ex = Expansion { line, file, budget: EXPANSION_CAP, active: Vec::new() };
        self.expand_into(text, &mut ex, &mut out)?;
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
            let len = match c {
                '\'' | '"' => quoted_len(rest),
                _ if is_ident_start(c) => rest.find(|d: char| !is_ident(d)).unwrap_or(rest.len()),
                _ => c.len_utf8(),
            };
            let (piece, tail) = rest.split_at(len);
            rest = tail;
            let found = (is_ident_start(c) && self.may_be_macro(c))
                .then(|| self.table.get_key_value(piece))
                .flatten()
                .filter(|(name, _)| !ex.active.contains(&name.as_str()));
            match found {
                Some((name, Macro { params: None, body })) => {
                    ex.spend(1)?;
                    ex.active.push(name);
                    self.expand_into(body, ex, out)?;
                    ex.active.pop();
                }
                Some((name, Macro { params: Some(params), body })) => {
                    match call_arguments(rest) {
                        Some((args, after)) => {
                            rest = after;
                            self.call(name, params, body, &args, ex, out)?;
                        }
                        // The name alone, or a call not closed on this line: left as written.
                        None => copy(piece, ex, out)?,
                    }
                }
                None => self.plain(piece, ex, out)?,
            }
            if out.len() > EXPANSION_CAP {
                return Err(ExpandError::TooLong);
            }
        }
        Ok(())
    }

    /// Text that is no macro, or one of the two built-in names.
    fn plain(
        &self,
        piece: &str,
        ex: &mut Expansion<'_, '_>,
        out: &mut String,
    ) -> Result<(), ExpandError> {
        match piece {
            "__LINE__" if !self.is_defined(piece) => copy(&ex.line.to_string(), ex, out),
            "__FILE__" if !self.is_defined(piece) => copy(&format!("\"{}\"", ex.file), ex, out),
            _ => copy(piece, ex, out),
        }
    }

    /// Expands the call `name(args)`: each argument expanded first, put in the body in place of
    /// its parameter, and the result expanded again without `name`.
    fn call<'m>(
        &'m self,
        name: &'m str,
        params: &[String],
        body: &str,
        args: &[&str],
        ex: &mut Expansion<'_, 'm>,
        out: &mut String,
    ) -> Result<(), ExpandError> {
        // `E()` passes one empty argument, which a macro without parameters accepts.
        let given = if params.is_empty() && args.len() == 1 && args[0].trim().is_empty() {
            0
        } else {
            args.len()
        };
        if given != params.len() {
            let name = name.to_owned();
            return Err(ExpandError::Arguments { name, expected: params.len(), given });
        }
        let mut expanded = Vec::with_capacity(args.len());
        for arg in args.iter().take(given) {
            let mut text = String::new();
            self.expand_into(arg, ex, &mut text)?;
            expanded.push(text);
        }
        let substituted = substitute(body, params, &expanded);
        ex.spend(substituted.len().max(1))?;
        ex.active.push(name);
        self.expand_into(&substituted, ex, out)?;
        ex.active.pop();
        Ok(())
    }
}

/// Copies `piece` to `out`, paying its length.
fn copy(piece: &str, ex: &mut Expansion<'_, '_>, out: &mut String) -> Result<(), ExpandError> {
    ex.spend(piece.len())?;
    out.push_str(piece);
    Ok(())
}

/// The parameter list after `NAME(` in a `#define`, and the body after its `)`.
fn parse_params(list: &str) -> Option<(Vec<String>, &str)> {
    let close = list.find(')')?;
    let inside = list[..close].trim();
    let mut params = Vec::new();
    if !inside.is_empty() {
        for param in inside.split(',') {
            let param = param.trim();
            let valid = param.starts_with(is_ident_start) && leading_ident(param) == param;
            if !valid || params.iter().any(|p| p == param) || params.len() == MAX_PARAMS {
                return None;
            }
            params.push(param.to_owned());
        }
    }
    Some((params, &list[close + 1..]))
}

/// The arguments of a call whose name was just read: `rest` must start (after spaces) with
/// `(`; returns each argument's text and what follows the closing `)`, or None when there is
/// no `(` or no `)` on this line.
fn call_arguments(rest: &str) -> Option<(Vec<&str>, &str)> {
    let open = rest.trim_start_matches([' ', '\t']);
    let inner = open.strip_prefix('(')?;
    let mut args = Vec::new();
    let (mut depth, mut start, mut i) = (0usize, 0usize, 0usize);
    let bytes = inner.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' => {
                i += quoted_len(&inner[i..]);
                continue;
            }
            b'(' => depth += 1,
            b')' if depth > 0 => depth -= 1,
            b')' => {
                args.push(&inner[start..i]);
                return Some((args, &inner[i + 1..]));
            }
            b',' if depth == 0 => {
                args.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `body` with each parameter name replaced by its argument, inside quotes too (traditional
/// cpp does that).
fn substitute(body: &str, params: &[String], args: &[String]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        let len = if is_ident_start(c) {
            rest.find(|d: char| !is_ident(d)).unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        let (piece, tail) = rest.split_at(len);
        rest = tail;
        match params.iter().position(|p| p == piece) {
            Some(index) => out.push_str(&args[index]),
            None => out.push_str(piece),
        }
    }
    out
}

/// The state of one line's expansion.
struct Expansion<'f, 'm> {
    line: usize,
    file: &'f str,
    /// Bytes (and expansions) still allowed.
    budget: usize,
    /// Macros being expanded, innermost last (none is expanded inside itself).
    active: Vec<&'m str>,
}

impl Expansion<'_, '_> {
    /// Pays for `cost` units of work: text copied costs its length, an expansion one unit, so
    /// an empty macro repeated cannot loop for free.
    fn spend(&mut self, cost: usize) -> Result<(), ExpandError> {
        self.budget = self.budget.checked_sub(cost).ok_or(ExpandError::TooLong)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn macros(defs: &[&str]) -> Macros {
        let mut m = Macros::default();
        for def in defs {
            m.define(def).expect("a definition");
        }
        m
    }

    fn expand(defs: &[&str], text: &str) -> Result<String, ExpandError> {
        macros(defs).expand(text, 7, "f")
    }

    #[test]
    fn function_like_macros_take_arguments() {
        let who = ["WHO(x) x was born"];
        assert_eq!(expand(&who, "04/17\tWHO(Alice)").as_deref(), Ok("04/17\tAlice was born"));
        assert_eq!(expand(&who, "WHO (Bob)!").as_deref(), Ok("Bob was born!"));
        // The name alone is not a call (cpp's rule), nor is a call left open.
        assert_eq!(expand(&who, "WHO is WHO").as_deref(), Ok("WHO is WHO"));
        assert_eq!(expand(&who, "WHO(open").as_deref(), Ok("WHO(open"));
        // Nested parentheses and commas; quotes hide commas; spaces are kept.
        let pair = ["P(a, b) [a|b]"];
        assert_eq!(expand(&pair, "P((1,2),3)").as_deref(), Ok("[(1,2)|3]"));
        assert_eq!(expand(&pair, "P(\"a,b\", c)").as_deref(), Ok("[\"a,b\"| c]"));
        assert_eq!(expand(&pair, "P(,)").as_deref(), Ok("[|]"));
        // Arguments are expanded first, then the body again without the macro.
        assert_eq!(expand(&who, "WHO(WHO(x))").as_deref(), Ok("x was born was born"));
        let nested = ["WHO(x) x was born", "ME Ann", "TWICE(y) WHO(y) and WHO(y)"];
        assert_eq!(expand(&nested, "TWICE(ME)").as_deref(), Ok("Ann was born and Ann was born"));
        // Parameters are replaced inside the body's quotes (traditional cpp).
        assert_eq!(expand(&["Q(x) \"x\" 'x'"], "Q(a)").as_deref(), Ok("\"a\" 'a'"));
        assert_eq!(expand(&["E() empty"], "E() E( )").as_deref(), Ok("empty empty"));
    }

    #[test]
    fn wrong_argument_counts_are_errors() {
        assert_eq!(
            expand(&["P(a, b) a"], "P(1)"),
            Err(ExpandError::Arguments { name: "P".into(), expected: 2, given: 1 })
        );
        assert!(expand(&["E() e"], "E(1)").is_err());
    }

    #[test]
    fn nothing_is_expanded_inside_quotes_in_text() {
        let foo = ["FOO bar"];
        assert_eq!(expand(&foo, "Frodo's FOO").as_deref(), Ok("Frodo's FOO"));
        assert_eq!(expand(&foo, "\"FOO\" FOO").as_deref(), Ok("\"FOO\" bar"));
        assert_eq!(expand(&foo, "a \"b\\\" FOO\" FOO").as_deref(), Ok("a \"b\\\" FOO\" bar"));
        assert_eq!(expand(&foo, "__LINE__ __FILE__").as_deref(), Ok("7 \"f\""));
        // A number is its digits: the name after them is expanded, as in cpp -traditional.
        let m = macros(&["U 7u"]);
        assert!(m.has_candidate("0U") && !m.has_candidate("xU 0x1"));
        assert_eq!(m.expand("0U 12U xU", 1, "f").as_deref(), Ok("07u 127u xU"));
    }

    #[test]
    fn bad_definitions_are_refused() {
        let mut m = Macros::default();
        assert_eq!(m.define("(x) y"), Err(DefineError::NoName));
        for bad in ["F(x", "F(x,)", "F(1) y", "F(x, x) y", "F(x y) z"] {
            assert_eq!(m.define(bad), Err(DefineError::BadParams("F".into())), "{bad}");
        }
        assert!(!m.is_defined("F"));
    }

    #[test]
    fn calls_are_bounded() {
        // Each level passes its argument twice to the next: 2^40 copies without the cap.
        let mut defs = vec!["D0(x) x".to_owned()];
        for i in 1..=40 {
            defs.push(format!("D{i}(x) D{}(x x)", i - 1));
        }
        let refs: Vec<&str> = defs.iter().map(String::as_str).collect();
        assert_eq!(expand(&refs, "D40(ab)"), Err(ExpandError::TooLong));
        assert_eq!(expand(&refs, "D3(ab)").as_deref(), Ok("ab ab ab ab ab ab ab ab"));
        // A macro calling itself is not expanded again inside itself.
        assert_eq!(expand(&["R(x) R(x) x"], "R(1)").as_deref(), Ok("R(1) 1"));
    }

    proptest! {
        /// Any definitions and any text: an expansion within the cap or an error, never a
        /// panic (unbalanced parentheses and quotes, multi-byte characters, recursion).
        #[test]
        fn expansion_never_panics_and_stays_bounded(
            defs in proptest::collection::vec("[A-C](\\([a-c]?(, ?[a-c])?\\))? [A-Ca-c(),'\" é]{0,12}", 0..6),
            text in "[A-Ca-c(),'\"\\\\ é]{0,40}",
        ) {
            let mut m = Macros::default();
            for def in &defs {
                let _ = m.define(def);
            }
            if let Ok(out) = m.expand(&text, 1, "f") {
                prop_assert!(out.len() <= EXPANSION_CAP);
            }
        }
    }
}
