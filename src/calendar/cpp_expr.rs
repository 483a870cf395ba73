//! `#if` and `#elif` expressions, evaluated as `cpp -traditional` (the reference's
//! preprocessor) does: 64-bit integer arithmetic with C's operators and precedence (unary
//! `! ~ - +`, then `* / %`, `+ -`, `<< >>`, `< <= > >=`, `== !=`, `&`, `^`, `|`, `&&`, `||`,
//! `?:` and `,`), parentheses, decimal, octal, hex and binary numbers with `u`/`l` suffixes
//! (unsigned only with `u`: traditional cpp keeps large constants signed in directives),
//! character constants, and names left after macro expansion read as 0.
//!
//! [`replace_defined`] handles `defined X` and `defined(X)` before macros are expanded (their
//! name must not be); [`evaluate`] reads what expansion left. Both are one pass over the text;
//! [`MAX_EXPR_LEN`] and [`MAX_EXPR_DEPTH`] bound the work and the stack. Whatever cannot be
//! evaluated (a syntax error, a division by zero) is an [`ExprError`] that the caller reports
//! with the file and line, and the condition is false.

use super::macros::{is_ident, is_ident_start, quoted_len};

/// Longest expression evaluated, after macro expansion.
pub(crate) const MAX_EXPR_LEN: usize = 64 << 10;
/// Deepest nesting of parentheses and `?:` (each level is a stack frame).
pub(crate) const MAX_EXPR_DEPTH: usize = 256;

/// Why an expression has no value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ExprError {
    #[error("no expression")]
    Empty,
    #[error("expression longer than {}", crate::files::human_size(MAX_EXPR_LEN as u64))]
    TooLong,
    #[error("parentheses or ?: nested more than {MAX_EXPR_DEPTH} deep")]
    TooDeep,
    #[error("\"defined\" needs a macro name")]
    DefinedNeedsName,
    #[error("invalid number {}", crate::sanitize::quoted(.0))]
    BadNumber(String),
    #[error("invalid character constant {}", crate::sanitize::quoted(.0))]
    BadChar(String),
    #[error("{} is not valid in an expression", crate::sanitize::quoted(.0))]
    BadToken(String),
    #[error("{0} without an operand")]
    MissingOperand(String),
    #[error("missing binary operator before {}", crate::sanitize::quoted(.0))]
    MissingOperator(String),
    #[error("missing ')'")]
    MissingClose,
    #[error("'?' without ':'")]
    MissingColon,
    #[error("division by zero")]
    DivisionByZero,
}

/// Replaces `defined NAME` and `defined ( NAME )` by ` 1 ` or ` 0 `, as `is_defined` says.
pub(crate) fn replace_defined(
    text: &str,
    is_defined: impl Fn(&str) -> bool,
) -> Result<String, ExprError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = piece_len(rest, c);
        let (piece, tail) = rest.split_at(len);
        rest = tail;
        if piece != "defined" {
            out.push_str(piece);
            continue;
        }
        let after = rest.trim_start();
        let (name, after) = match after.strip_prefix('(') {
            Some(inner) => {
                let inner = inner.trim_start();
                let name = leading_name(inner);
                let close = inner[name.len()..].trim_start();
                (name, close.strip_prefix(')').ok_or(ExprError::DefinedNeedsName)?)
            }
            None => {
                let name = leading_name(after);
                (name, &after[name.len()..])
            }
        };
        if name.is_empty() {
            return Err(ExprError::DefinedNeedsName);
        }
        out.push_str(if is_defined(name) { " 1 " } else { " 0 " });
        rest = after;
    }
    Ok(out)
}

/// The identifier at the start of `text`, empty if none starts there.
fn leading_name(text: &str) -> &str {
    if !text.starts_with(is_ident_start) {
        return "";
    }
    &text[..text.find(|c: char| !is_ident(c)).unwrap_or(text.len())]
}

/// Length of the piece of text starting with `c`: a name, a number (with its suffix), a quoted
/// constant, or one character.
fn piece_len(text: &str, c: char) -> usize {
    if is_ident_start(c) || c.is_ascii_digit() {
        text.find(|d: char| !is_ident(d) && d != '.').unwrap_or(text.len())
    } else if c == '\'' || c == '"' {
        quoted_len(text)
    } else {
        c.len_utf8()
    }
}

/// Evaluates an expression whose macros are expanded and `defined` replaced: true when its
/// value is not 0.
pub(crate) fn evaluate(text: &str) -> Result<bool, ExprError> {
    if text.len() > MAX_EXPR_LEN {
        return Err(ExprError::TooLong);
    }
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(ExprError::Empty);
    }
    let mut parser = Parser { tokens, at: 0, depth: 0 };
    let value = parser.expression(COMMA, true)?;
    match parser.tokens.get(parser.at) {
        None => Ok(value.bits != 0),
        Some(Token::Close) => Err(ExprError::BadToken(")".into())),
        Some(Token::Colon) => Err(ExprError::BadToken(":".into())),
        Some(token) => Err(ExprError::MissingOperator(token.text())),
    }
}

/// A value: 64 bits, read as signed unless a `u` operand made it unsigned (C's usual
/// arithmetic conversions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Value {
    bits: u64,
    unsigned: bool,
}

impl Value {
    fn signed(n: i64) -> Value {
        Value { bits: n as u64, unsigned: false }
    }

    fn truth(b: bool) -> Value {
        Value::signed(i64::from(b))
    }

    fn negative(self) -> bool {
        !self.unsigned && (self.bits as i64) < 0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Shl,
    Shr,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    BitAnd,
    Xor,
    BitOr,
    And,
    Or,
    Not,
    Compl,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Num(Value),
    Op(Op),
    Open,
    Close,
    Question,
    Colon,
    Comma,
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Num(v) if v.unsigned => format!("{}u", v.bits),
            Token::Num(v) => (v.bits as i64).to_string(),
            Token::Op(op) => op_text(*op).to_owned(),
            Token::Open => "(".into(),
            Token::Close => ")".into(),
            Token::Question => "?".into(),
            Token::Colon => ":".into(),
            Token::Comma => ",".into(),
        }
    }
}

const OPERATORS: [(&str, Op); 20] = [
    ("<<", Op::Shl),
    (">>", Op::Shr),
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("==", Op::Eq),
    ("!=", Op::Ne),
    ("&&", Op::And),
    ("||", Op::Or),
    ("*", Op::Mul),
    ("/", Op::Div),
    ("%", Op::Rem),
    ("+", Op::Add),
    ("-", Op::Sub),
    ("<", Op::Lt),
    (">", Op::Gt),
    ("&", Op::BitAnd),
    ("^", Op::Xor),
    ("|", Op::BitOr),
    ("!", Op::Not),
    ("~", Op::Compl),
];

fn op_text(op: Op) -> &'static str {
    OPERATORS.iter().find(|(_, o)| *o == op).map_or("?", |(text, _)| text)
}

/// The tokens of `text`: names become the number 0.
fn tokenize(text: &str) -> Result<Vec<Token>, ExprError> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let len = piece_len(rest, c);
        let piece = &rest[..len];
        let token = if is_ident_start(c) {
            Token::Num(Value::signed(0))
        } else if c.is_ascii_digit() {
            Token::Num(number(piece)?)
        } else if c == '\'' {
            Token::Num(character(piece)?)
        } else if rest.starts_with("++") || rest.starts_with("--") {
            return Err(ExprError::BadToken(rest[..2].to_owned()));
        } else if let Some((text, op)) = OPERATORS.iter().find(|(t, _)| rest.starts_with(t)) {
            rest = &rest[text.len()..];
            tokens.push(Token::Op(*op));
            continue;
        } else {
            match c {
                '(' => Token::Open,
                ')' => Token::Close,
                '?' => Token::Question,
                ':' => Token::Colon,
                ',' => Token::Comma,
                _ => return Err(ExprError::BadToken(piece.to_owned())),
            }
        };
        tokens.push(token);
        rest = &rest[len..];
    }
    Ok(tokens)
}

/// An integer constant: `0x1F`, `0b101`, `017`, `42`, with `u`, `l`, `ll` suffixes in any
/// order and case.
fn number(piece: &str) -> Result<Value, ExprError> {
    let bad = || ExprError::BadNumber(piece.to_owned());
    let lower = piece.to_ascii_lowercase();
    let (radix, digits) = if let Some(hex) = lower.strip_prefix("0x") {
        (16, hex)
    } else if let Some(bin) = lower.strip_prefix("0b") {
        (2, bin)
    } else if lower.starts_with('0') {
        (8, &lower[..])
    } else {
        (10, &lower[..])
    };
    let end = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
    let (digits, suffix) = digits.split_at(end);
    if digits.is_empty() || !matches!(suffix, "" | "u" | "l" | "ul" | "lu" | "ll" | "ull" | "llu") {
        return Err(bad());
    }
    let bits = u64::from_str_radix(digits, radix).map_err(|_| bad())?;
    Ok(Value { bits, unsigned: suffix.contains('u') })
}

/// A character constant: `'a'`, `'\n'`, `'\377'` (a signed char: -1), `'\x41'`; several
/// characters make an int, 8 bits each (`'ab'` is 24930).
fn character(piece: &str) -> Result<Value, ExprError> {
    let bad = || ExprError::BadChar(piece.to_owned());
    let inner = piece.strip_prefix('\'').and_then(|p| p.strip_suffix('\'')).ok_or_else(bad)?;
    let mut chars: Vec<u32> = Vec::new();
    let mut rest = inner.chars().peekable();
    while let Some(c) = rest.next() {
        let value = if c == '\\' { escape(&mut rest).ok_or_else(bad)? } else { u32::from(c) };
        chars.push(value);
        if chars.len() > 8 {
            return Err(bad());
        }
    }
    match chars.as_slice() {
        [] => Err(bad()),
        // A plain char is signed on the machines Debian's calendar runs on.
        [one] => Ok(Value::signed(i64::from((*one & 0xff) as u8 as i8))),
        many => {
            let int = many.iter().fold(0u32, |acc, &c| (acc << 8) | (c & 0xff));
            Ok(Value::signed(i64::from(int as i32)))
        }
    }
}

/// The character a backslash escape stands for (after the backslash).
fn escape(rest: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<u32> {
    let c = rest.next()?;
    Some(match c {
        'n' => 10,
        't' => 9,
        'r' => 13,
        'a' => 7,
        'b' => 8,
        'f' => 12,
        'v' => 11,
        'e' | 'E' => 27,
        '0'..='7' => {
            let mut n = c.to_digit(8)?;
            for _ in 0..2 {
                match rest.peek().and_then(|d| d.to_digit(8)) {
                    Some(d) => {
                        n = n * 8 + d;
                        rest.next();
                    }
                    None => break,
                }
            }
            n
        }
        'x' => {
            let mut n: u32 = 0;
            let mut any = false;
            while let Some(d) = rest.peek().and_then(|d| d.to_digit(16)) {
                n = n.wrapping_mul(16).wrapping_add(d);
                any = true;
                rest.next();
            }
            if !any {
                return None;
            }
            n
        }
        other => u32::from(other),
    })
}

/// Binding strength of the binary operators (higher binds tighter); `,` is the weakest.
const COMMA: u8 = 1;
const CONDITIONAL: u8 = 2;

fn precedence(token: &Token) -> Option<u8> {
    Some(match token {
        Token::Comma => COMMA,
        Token::Question => CONDITIONAL,
        Token::Op(op) => match op {
            Op::Or => 3,
            Op::And => 4,
            Op::BitOr => 5,
            Op::Xor => 6,
            Op::BitAnd => 7,
            Op::Eq | Op::Ne => 8,
            Op::Lt | Op::Le | Op::Gt | Op::Ge => 9,
            Op::Shl | Op::Shr => 10,
            Op::Add | Op::Sub => 11,
            Op::Mul | Op::Div | Op::Rem => 12,
            Op::Not | Op::Compl => return None,
        },
        _ => return None,
    })
}

/// A precedence-climbing parser that computes as it reads. `live` is false in the operand
/// that `&&`, `||` or `?:` does not evaluate, where a division by zero is no error.
struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn expression(&mut self, min: u8, live: bool) -> Result<Value, ExprError> {
        self.depth += 1;
        if self.depth > MAX_EXPR_DEPTH {
            return Err(ExprError::TooDeep);
        }
        let mut lhs = self.unary(live)?;
        while let Some(prec) = self.peek().and_then(precedence).filter(|p| *p >= min) {
            let token = self.tokens[self.at].clone();
            self.at += 1;
            lhs = match token {
                Token::Question => self.conditional(lhs, live)?,
                Token::Comma => self.expression(COMMA + 1, live)?,
                Token::Op(Op::And) => {
                    let rhs = self.operand(prec, live && lhs.bits != 0, "&&")?;
                    Value::truth(lhs.bits != 0 && rhs.bits != 0)
                }
                Token::Op(Op::Or) => {
                    let rhs = self.operand(prec, live && lhs.bits == 0, "||")?;
                    Value::truth(lhs.bits != 0 || rhs.bits != 0)
                }
                Token::Op(op) => {
                    let rhs = self.operand(prec, live, op_text(op))?;
                    binary(op, lhs, rhs, live)?
                }
                _ => unreachable!("precedence() only accepts operators"),
            };
        }
        self.depth -= 1;
        Ok(lhs)
    }

    /// The right operand of a binary operator of precedence `prec` (left-associative).
    fn operand(&mut self, prec: u8, live: bool, op: &str) -> Result<Value, ExprError> {
        if self.peek().is_none() {
            return Err(ExprError::MissingOperand(format!("'{op}'")));
        }
        self.expression(prec + 1, live)
    }

    /// `cond ? a : b` after the `?`; right-associative.
    fn conditional(&mut self, cond: Value, live: bool) -> Result<Value, ExprError> {
        let yes = self.expression(COMMA, live && cond.bits != 0)?;
        if self.peek() != Some(&Token::Colon) {
            return Err(ExprError::MissingColon);
        }
        self.at += 1;
        let no = self.operand(CONDITIONAL - 1, live && cond.bits == 0, ":")?;
        let chosen = if cond.bits != 0 { yes } else { no };
        Ok(Value { bits: chosen.bits, unsigned: yes.unsigned || no.unsigned })
    }

    /// Prefix operators (gathered in a loop, so a million `!` need no stack), then a number
    /// or a parenthesised expression.
    fn unary(&mut self, live: bool) -> Result<Value, ExprError> {
        let start = self.at;
        while let Some(Token::Op(Op::Not | Op::Compl | Op::Add | Op::Sub)) = self.peek() {
            self.at += 1;
        }
        let prefixes = start..self.at;
        let mut value = match self.tokens.get(self.at).cloned() {
            Some(Token::Num(v)) => {
                self.at += 1;
                v
            }
            Some(Token::Open) => {
                self.at += 1;
                let v = self.expression(COMMA, live)?;
                if self.peek() != Some(&Token::Close) {
                    return Err(ExprError::MissingClose);
                }
                self.at += 1;
                v
            }
            Some(token) => return Err(ExprError::MissingOperand(format!("'{}'", token.text()))),
            None if prefixes.is_empty() => return Err(ExprError::Empty),
            None => {
                let op = self.tokens[self.at - 1].text();
                return Err(ExprError::MissingOperand(format!("'{op}'")));
            }
        };
        for index in prefixes.rev() {
            value = match self.tokens[index] {
                Token::Op(Op::Not) => Value::truth(value.bits == 0),
                Token::Op(Op::Compl) => Value { bits: !value.bits, ..value },
                Token::Op(Op::Sub) => Value { bits: value.bits.wrapping_neg(), ..value },
                _ => value,
            };
        }
        Ok(value)
    }
}

/// `lhs op rhs` for the operators that always evaluate both sides.
fn binary(op: Op, lhs: Value, rhs: Value, live: bool) -> Result<Value, ExprError> {
    let unsigned = lhs.unsigned || rhs.unsigned;
    let (a, b) = (lhs.bits, rhs.bits);
    let arith = |bits: u64| Value { bits, unsigned };
    let compare = |ord: std::cmp::Ordering| {
        if unsigned { a.cmp(&b) == ord } else { (a as i64).cmp(&(b as i64)) == ord }
    };
    Ok(match op {
        Op::Mul => arith(a.wrapping_mul(b)),
        Op::Div | Op::Rem if b == 0 => {
            return if live { Err(ExprError::DivisionByZero) } else { Ok(lhs) };
        }
        Op::Div if unsigned => arith(a / b),
        Op::Div => arith((a as i64).wrapping_div(b as i64) as u64),
        Op::Rem if unsigned => arith(a % b),
        Op::Rem => arith((a as i64).wrapping_rem(b as i64) as u64),
        Op::Add => arith(a.wrapping_add(b)),
        Op::Sub => arith(a.wrapping_sub(b)),
        Op::Shl | Op::Shr => shift(op == Op::Shl, lhs, rhs),
        Op::Lt => Value::truth(compare(std::cmp::Ordering::Less)),
        Op::Gt => Value::truth(compare(std::cmp::Ordering::Greater)),
        Op::Le => Value::truth(!compare(std::cmp::Ordering::Greater)),
        Op::Ge => Value::truth(!compare(std::cmp::Ordering::Less)),
        Op::Eq => Value::truth(a == b),
        Op::Ne => Value::truth(a != b),
        Op::BitAnd => arith(a & b),
        Op::Xor => arith(a ^ b),
        Op::BitOr => arith(a | b),
        Op::And | Op::Or | Op::Not | Op::Compl => unreachable!("handled by the parser"),
    })
}

/// `lhs << rhs` or `lhs >> rhs` as cpp does it: a negative count shifts the other way, a count
/// of 64 or more gives 0 (or -1 for a negative value shifted right); the type is the left's.
fn shift(left: bool, lhs: Value, rhs: Value) -> Value {
    let (left, count) =
        if rhs.negative() { (!left, (rhs.bits as i64).unsigned_abs()) } else { (left, rhs.bits) };
    let bits = match (left, count) {
        (true, n) if n >= 64 => 0,
        (true, n) => lhs.bits << n,
        (false, n) if lhs.negative() => ((lhs.bits as i64) >> n.min(63)) as u64,
        (false, n) if n >= 64 => 0,
        (false, n) => lhs.bits >> n,
    };
    Value { bits, unsigned: lhs.unsigned }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eval(text: &str) -> Result<bool, ExprError> {
        evaluate(&replace_defined(text, |name| name == "DEF")?)
    }

    /// The expressions of issue 28, and the answers `cpp -traditional` gives.
    #[test]
    fn c_precedence_and_arithmetic() {
        for (text, want) in [
            ("!(1 && 0)", true),
            ("(1 || 0) && 0", false),
            ("2 > 1", true),
            ("1 + 1 == 2", true),
            ("2 + 3 * 4 == 14", true),
            ("(2 + 3) * 4 == 20", true),
            ("0x10 == 16 && 020 == 16 && 0b10000 == 16", true),
            ("1 | 2 ^ 3 & 4", true),
            ("1 << 2 + 1 == 8", true),
            ("-7 / 2 == -3 && -7 % 2 == -1", true),
            ("3 > 2 > 1", false),
            ("1 == 1 == 1", true),
            ("2 ? 3 ? 4 : 5 : 6", true),
            ("1 ? 0 : 1", false),
            ("0, 1", true),
            ("1, 0", false),
            ("+ - ~ ! 0", true),
            ("-1 < 0", true),
            ("-1 < 0u", false),
            ("(1 ? 2u : -1) > 0", true),
            ("0xffffffffffffffff > 0", false),
            ("18446744073709551615 == -1", true),
            ("-1 >> 1 == -1 && (-1 >> 70) == -1", true),
            ("(1 << 64) == 0 && (1 << -1) == 0 && (8 >> -1) == 16", true),
            ("'a' == 97 && '\\n' == 10 && '\\377' < 0 && '\\xff' == -1", true),
            ("'ab' == 24930 && '\\e' == 27 && '\\0' == 0", true),
            ("UNDEFINED_NAME == 0 && true == 0", true),
            ("defined DEF && defined(DEF) && defined ( DEF ) && !defined OTHER", true),
            ("1LL == 1 && 1uL == 1 && 10Ul == 10", true),
            ("0 && 1 / 0", false),
            ("1 || 1 % 0", true),
            ("0 ? 1 / 0 : 2", true),
        ] {
            assert_eq!(eval(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn what_cannot_be_evaluated_is_an_error() {
        for (text, error) in [
            ("", ExprError::Empty),
            ("1 / 0", ExprError::DivisionByZero),
            ("5 % (2 - 2)", ExprError::DivisionByZero),
            ("(1", ExprError::MissingClose),
            ("1)", ExprError::BadToken(")".into())),
            ("1 +", ExprError::MissingOperand("'+'".into())),
            ("1 ? 2", ExprError::MissingColon),
            ("1 : 2", ExprError::BadToken(":".into())),
            ("1 2", ExprError::MissingOperator("2".into())),
            ("08", ExprError::BadNumber("08".into())),
            ("1.0", ExprError::BadNumber("1.0".into())),
            ("0x", ExprError::BadNumber("0x".into())),
            ("1lul", ExprError::BadNumber("1lul".into())),
            ("100000000000000000000", ExprError::BadNumber("100000000000000000000".into())),
            ("''", ExprError::BadChar("''".into())),
            ("\"s\"", ExprError::BadToken("\"s\"".into())),
            ("1 = 1", ExprError::BadToken("=".into())),
            ("--1", ExprError::BadToken("--".into())),
            ("1 ++ 1", ExprError::BadToken("++".into())),
            ("defined", ExprError::DefinedNeedsName),
            ("defined(", ExprError::DefinedNeedsName),
            ("defined(X", ExprError::DefinedNeedsName),
        ] {
            assert_eq!(eval(text), Err(error), "{text}");
        }
    }

    #[test]
    fn long_and_deep_expressions_are_bounded() {
        assert_eq!(evaluate(&format!("{}0", "!".repeat(60_001))), Ok(true));
        assert_eq!(evaluate(&"!".repeat(MAX_EXPR_LEN + 1)), Err(ExprError::TooLong));
        let deep = format!("{}1{}", "(".repeat(MAX_EXPR_DEPTH + 1), ")".repeat(MAX_EXPR_DEPTH + 1));
        assert_eq!(evaluate(&deep), Err(ExprError::TooDeep));
        let fine = format!("{}1{}", "(".repeat(200), ")".repeat(200));
        assert_eq!(evaluate(&fine), Ok(true));
        let chain =
            "1 ? ".repeat(MAX_EXPR_DEPTH + 1) + "1" + " : 0".repeat(MAX_EXPR_DEPTH + 1).as_str();
        assert_eq!(evaluate(&chain), Err(ExprError::TooDeep));
        assert_eq!(evaluate(&format!("{}1", "1 + ".repeat(10_000))), Ok(true));
    }

    proptest! {
        /// Any text: a value or an error, never a panic (shifts, overflow, division by -1,
        /// escapes, unbalanced quotes and parentheses).
        #[test]
        fn never_panics(text in "([0-9xXuUlLbB'\\\\\"()?:,!~+*/%<>=&|^ -]|defined|[a-z]|\\PC){0,80}") {
            let _ = replace_defined(&text, |name| name.len() % 2 == 0).map(|t| evaluate(&t));
            let _ = evaluate(&text);
        }

        /// Arithmetic on any two 64-bit values never panics, whatever the operator.
        #[test]
        fn binary_operators_never_panic(a in any::<i64>(), b in any::<i64>(), op in 0usize..20, u in any::<bool>()) {
            let (text, _) = OPERATORS[op];
            let suffix = if u { "u" } else { "" };
            let _ = evaluate(&format!("({a}){suffix} {text} ({b})"));
        }
    }
}
