//! A TOML document as a tree in which every key and every value keeps its place in the file
//! (byte spans, turned into line and column for messages). The `toml` crate parses; our
//! visitor keeps the spans that `toml::Spanned` carries through serde, so a problem found later
//! (an unknown key, a value out of range) can still be reported where it is.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

/// A table: its keys in the order of the file.
pub(crate) type Table = Vec<(Spanned<String>, Spanned<Node>)>;

/// One TOML value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Spanned<Node>>),
    Table(Table),
}

impl Node {
    /// What kind of value this is, for messages.
    #[must_use]
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Node::Bool(_) => "a boolean",
            Node::Int(_) => "an integer",
            Node::Float(_) => "a number",
            Node::Str(_) => "a string",
            Node::Array(_) => "an array",
            Node::Table(_) => "a table",
        }
    }

    /// The value as a command-line word (`None` for arrays and tables).
    #[must_use]
    pub(crate) fn word(&self) -> Option<String> {
        Some(match self {
            Node::Bool(b) => b.to_string(),
            Node::Int(i) => i.to_string(),
            Node::Float(f) => f.to_string(),
            Node::Str(s) => s.clone(),
            Node::Array(_) | Node::Table(_) => return None,
        })
    }

    /// The value as TOML source (for `fun saver config`).
    #[must_use]
    pub(crate) fn to_toml(&self) -> String {
        match self {
            Node::Str(s) => toml_string(s),
            Node::Array(items) => {
                let items: Vec<String> = items.iter().map(|i| i.get_ref().to_toml()).collect();
                format!("[{}]", items.join(", "))
            }
            Node::Table(_) => "{ ... }".to_owned(),
            other => other.word().unwrap_or_default(),
        }
    }
}

/// `text` as a TOML basic string.
#[must_use]
pub(crate) fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A whole document: the root table.
#[derive(Debug)]
pub(crate) struct Document(pub(crate) Table);

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Document, D::Error> {
        match Node::deserialize(deserializer)? {
            Node::Table(table) => Ok(Document(table)),
            other => Err(de::Error::custom(format!("expected a table, found {}", other.kind()))),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a TOML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        i64::try_from(v).map(Node::Int).map_err(|_| E::custom("integer too large"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut table = Vec::new();
        // A date or time arrives as a map with a private key that is not a spanned string;
        // reading it as one fails with the value's place, which is what the user needs.
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            table.push((key, value));
        }
        Ok(Node::Table(table))
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
#[must_use]
pub(crate) fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Table {
        toml::from_str::<Document>(text).expect("parses").0
    }

    #[test]
    fn keys_and_values_keep_their_places() {
        let text = "[saver]\nfps = 30\ntheme = \"amber\"\n";
        let root = parse(text);
        let (key, value) = &root[0];
        assert_eq!(key.get_ref(), "saver");
        let Node::Table(saver) = value.get_ref() else { panic!("a table") };
        let (fps, thirty) = &saver[0];
        assert_eq!(position(text, fps.span().start), (2, 1));
        assert_eq!(position(text, thirty.span().start), (2, 7));
        assert_eq!(thirty.get_ref(), &Node::Int(30));
        assert_eq!(saver[1].1.get_ref(), &Node::Str("amber".into()));
    }

    #[test]
    fn nested_tables_arrays_and_order() {
        let root = parse("[saver.screen.clock]\ntwelve = true\n[saver]\nz = [1, 2.5]\na = 1\n");
        let Node::Table(saver) = root[0].1.get_ref() else { panic!() };
        let keys: Vec<&str> = saver.iter().map(|(k, _)| k.get_ref().as_str()).collect();
        assert_eq!(keys, ["screen", "z", "a"]);
        let Node::Array(items) = saver[1].1.get_ref() else { panic!() };
        assert_eq!(items[1].get_ref(), &Node::Float(2.5));
    }

    #[test]
    fn a_date_is_an_error_with_a_place() {
        let err = toml::from_str::<Document>("[saver]\nwhen = 1979-05-27\n").expect_err("error");
        assert!(err.span().is_some(), "{err}");
    }

    #[test]
    fn positions_count_characters() {
        assert_eq!(position("ä = 1\nb", 7), (2, 1));
        assert_eq!(position("äb", 2), (1, 2));
        assert_eq!(position("x", 99), (1, 2));
    }

    #[test]
    fn strings_are_quoted_for_toml() {
        assert_eq!(toml_string("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(Node::Array(vec![]).to_toml(), "[]");
    }
}
