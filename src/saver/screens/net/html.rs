//! HTML reduced to readable text: tags dropped (block tags become line breaks, list items get a
//! bullet), `<script>`/`<style>`/`<head>` content skipped, character references decoded, runs of
//! blank space squeezed. Small on purpose: feeds and plain pages need no layout engine.

/// Decodes `&amp;`-style references (named ones feeds use, and numeric ones).
#[must_use]
pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end =
            rest[1..].find(|c: char| c == ';' || c == '&' || c.is_whitespace()).map(|e| e + 1);
        let decoded = end.filter(|&e| rest.as_bytes().get(e) == Some(&b';')).and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "hellip" => Some('…'),
                "copy" => Some('©'),
                "rsquo" | "lsquo" => Some('\''),
                "rdquo" | "ldquo" => Some('"'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "hr",
    "dt",
    "dd",
];
const SKIPPED: &[&str] = &["script", "style", "head", "noscript", "template", "svg"];

/// The readable text of an HTML document or fragment.
#[must_use]
pub(crate) fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skipping: Option<String> = None;
    while let Some(open) = rest.find('<') {
        if skipping.is_none() {
            out.push_str(&rest[..open]);
        }
        rest = &rest[open..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let Some(close) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(skip) = &skipping {
            if closing && *skip == name {
                skipping = None;
            }
            continue;
        }
        if !closing && SKIPPED.contains(&name.as_str()) && !tag.ends_with('/') {
            skipping = Some(name);
            continue;
        }
        // A list item starts a line; its end does not add another.
        if BLOCK_TAGS.contains(&name.as_str()) && !(closing && name == "li") {
            out.push('\n');
            if name == "li" && !closing {
                out.push_str("  * ");
            }
        }
    }
    if skipping.is_none() {
        out.push_str(rest);
    }
    squeeze(&decode_entities(&out))
}

/// Collapses spaces within lines and more than one blank line.
fn squeeze(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let bullet = line.trim_start().starts_with('*') && line.starts_with("  ");
        if words.is_empty() {
            blank += 1;
            if blank == 1 && !out.is_empty() {
                out.push('\n');
            }
            continue;
        }
        blank = 0;
        if bullet {
            out.push_str("  ");
        }
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    out.trim_end().to_owned() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &#65;&#x42; &bogus; & x"),
            "a & b <c> AB &bogus; & x"
        );
    }

    #[test]
    fn html_to_text() {
        let html = "<html><head><title>t</title><style>p{}</style></head><body><h1>Title</h1><p>One &amp; two</p><script>alert(1)</script><ul><li>a</li><li>b</li></ul><!-- hidden --></body></html>";
        assert_eq!(to_text(html), "Title\n\nOne & two\n\n  * a\n  * b\n");
    }

    proptest! {
        #[test]
        fn never_panics(s in "(\\PC|<|>|&|;|#){0,200}") {
            let _ = to_text(&s);
        }
    }
}
