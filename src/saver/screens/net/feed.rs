//! RSS 2.0 (the `rss` crate) and Atom 1.0 (`atom_syndication`, by the same authors) feeds,
//! read into one simple model. Descriptions are HTML turned into text.

use chrono::{DateTime, FixedOffset};

use super::html;

/// One feed entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) title: String,
    pub(crate) link: String,
    pub(crate) date: Option<DateTime<FixedOffset>>,
    pub(crate) description: String,
}

/// The bytes are neither an RSS 2.0 nor an Atom 1.0 document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not an RSS 2.0 or Atom 1.0 feed (malformed XML?)")]
pub(crate) struct NotAFeed;

/// Parses an RSS 2.0 or Atom 1.0 document.
///
/// # Errors
/// [`NotAFeed`] when the bytes are neither.
pub(crate) fn parse(bytes: &[u8]) -> Result<Vec<Item>, NotAFeed> {
    if let Ok(channel) = rss::Channel::read_from(bytes) {
        return Ok(channel
            .items()
            .iter()
            .map(|item| Item {
                title: html::to_text(item.title().unwrap_or("(untitled)")).trim().to_owned(),
                link: item.link().unwrap_or("").trim().to_owned(),
                date: item.pub_date().and_then(|d| DateTime::parse_from_rfc2822(d).ok()),
                description: html::to_text(item.description().unwrap_or("")),
            })
            .collect());
    }
    match atom_syndication::Feed::read_from(bytes) {
        Ok(feed) => Ok(feed
            .entries()
            .iter()
            .map(|entry| Item {
                title: html::to_text(entry.title().as_str()).trim().to_owned(),
                link: entry.links().first().map(|l| l.href().to_owned()).unwrap_or_default(),
                date: Some(entry.published().copied().unwrap_or(*entry.updated())),
                description: html::to_text(
                    entry
                        .summary()
                        .map(|s| s.as_str())
                        .or_else(|| entry.content().and_then(|c| c.value()))
                        .unwrap_or(""),
                ),
            })
            .collect()),
        Err(_) => Err(NotAFeed),
    }
}

/// Formats an item with `format`, whose fields are `{title}`, `{date}`, `{link}` and
/// `{description}` (`\n` for a new line).
#[must_use]
pub(crate) fn format_item(item: &Item, format: &str) -> String {
    let date = item.date.map(|d| d.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
    format
        .replace("\\n", "\n")
        .replace("{title}", &item.title)
        .replace("{date}", &date)
        .replace("{link}", &item.link)
        .replace("{description}", item.description.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>c</title><link>http://x</link><description>d</description>
<item><title>First &amp; best</title><link>http://x/1</link><pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate><description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</description></item>
</channel></rss>"#;
    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>f</title><id>urn:f</id><updated>2026-11-01T00:00:00Z</updated>
<entry><title>Atom entry</title><id>urn:1</id><updated>2026-11-03T12:00:00Z</updated><link href="http://a/1"/><summary>Short &amp; sweet</summary></entry></feed>"#;

    #[test]
    fn rss_and_atom() {
        let items = parse(RSS.as_bytes()).unwrap();
        assert_eq!(items[0].title, "First & best");
        assert_eq!(items[0].description, "Hello world\n");
        assert!(items[0].date.is_some());
        let items = parse(ATOM.as_bytes()).unwrap();
        assert_eq!(items[0].title, "Atom entry");
        assert_eq!(items[0].link, "http://a/1");
        assert_eq!(items[0].description, "Short & sweet\n");
        assert!(parse(b"<rss><channel>").is_err());
    }

    #[test]
    fn formats() {
        let item =
            Item { title: "T".into(), link: "L".into(), date: None, description: "D\n".into() };
        assert_eq!(format_item(&item, "{title} <{link}>\\n{description}"), "T <L>\nD");
    }
}
