//! The network screens: `rssfeed`, `urlfetcher`, `rfc` and `wttr`. Each fetches on a worker
//! thread through [`crate::net`] (timeouts, size cap, cache, local files accepted), sanitises
//! everything before it is drawn, shows a calm message and retries with backoff when offline,
//! and marks text that came from the cache with its age.

pub(crate) mod feed;
pub(crate) mod html;

use std::sync::Arc;

use clap::Parser;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::net::{self, Limits};
use crate::sanitize::sanitize;
use crate::saver::kit::screen::{self, ScreenInfo};
use crate::saver::kit::values;
use crate::saver::screens::data::source::{Job, Source, SourceError, Text};
use crate::saver::screens::data::text::TextScreen;
use crate::saver::screens::data::typing::TypingScreen;

/// The registry entries.
#[must_use]
pub(crate) fn screens() -> Vec<ScreenInfo> {
    vec![
        screen::builtin_info("rssfeed", "types the items of RSS and Atom feeds", build_rss),
        screen::builtin_info("urlfetcher", "types the text of a web page", build_url),
        screen::builtin_info("rfc", "types a random RFC (or -n NUMBER), page by page", build_rfc),
        screen::builtin_info("wttr", "the weather for a place, from wttr.in", build_wttr),
    ]
}

fn job(work: impl Fn(u64) -> Result<Text, SourceError> + Send + Sync + 'static) -> Source {
    Source::Job(Job(Arc::new(work)))
}

fn note(age: Option<std::time::Duration>) -> Option<String> {
    age.map(net::describe_age)
}

/// The longest URL, place or format accepted on the command line.
const MAX_TEXT_OPTION: usize = 2000;
/// The most feeds one rssfeed screen reads.
const MAX_FEEDS: usize = 20;

const RSS_EXAMPLES: &str = "Examples:
  fun saver rssfeed -u https://www.debian.org/News/news
  fun saver rssfeed -u URL1 -u URL2          several feeds, newest items first
  fun saver rssfeed -u feed.xml              a local file works too (offline)
  fun saver rssfeed -u URL -f '{title}\\n{link}\\n'";

/// Types the items of RSS 2.0 and Atom 1.0 feeds.
#[derive(Debug, Parser)]
#[command(name = "fun saver rssfeed", after_help = RSS_EXAMPLES)]
pub(crate) struct RssArgs {
    /// A feed URL or a local file (repeat for several feeds, merged by date; default: Debian's
    /// news).
    /// (Up to 20 feeds; each URL up to 2000 characters.)
    #[arg(
        short,
        long = "url",
        value_name = "URL",
        default_value = "https://www.debian.org/News/news",
        value_parser = values::text_up_to(MAX_TEXT_OPTION)
    )]
    pub(crate) urls: Vec<String>,
    /// Item format with {title}, {date}, {link} and {description}; \n for a new line (up to
    /// 2000 characters).
    #[arg(short, long, default_value = "{title}\\n{date}  {link}\\n\\n{description}\\n\\n",
          value_parser = values::text_up_to(MAX_TEXT_OPTION))]
    pub(crate) format: String,
    /// Minutes between refreshes (0.1-1440).
    #[arg(short, long, default_value_t = 15.0, value_name = "MINUTES",
          value_parser = values::within(0.1, 1440.0))]
    pub(crate) refresh: f64,
    /// Typing speed in characters per second (0.1-10000).
    #[arg(long, default_value_t = 25.0, value_name = "N",
          value_parser = values::within(0.1, 10_000.0))]
    pub(crate) cps: f64,
}

/// The text of several feeds, newest items first.
///
/// # Errors
/// When no feed could be read: every reason, one per feed.
pub fn feeds_text(urls: &[String], format: &str, limits: &Limits) -> Result<Text, SourceError> {
    let mut items = Vec::new();
    let mut failures = Vec::new();
    let mut oldest_cache = None;
    for url in urls {
        match net::fetch(url, limits) {
            Ok(fetched) => match feed::parse(&fetched.body) {
                Ok(found) => {
                    items.extend(found);
                    oldest_cache = oldest_cache.max(fetched.cached_age);
                }
                Err(why) => failures.push(format!("{url}: {why}")),
            },
            Err(e) => failures.push(e.to_string()),
        }
    }
    if items.is_empty() {
        if failures.is_empty() {
            return Err(SourceError::fetch("the feeds have no items"));
        }
        return Err(SourceError::fetch(failures.join("; ")));
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.date));
    let body: String =
        items.iter().map(|i| feed::format_item(i, format)).collect::<Vec<_>>().join("");
    let mut notes: Vec<String> = note(oldest_cache).into_iter().collect();
    if !failures.is_empty() {
        notes.push(format!("{} of {} feeds failed", failures.len(), urls.len()));
    }
    Ok(Text {
        body: sanitize(body.as_bytes()),
        note: (!notes.is_empty()).then(|| notes.join(", ")),
    })
}

/// The schemes `net::fetch` reads; anything else with a `scheme://` in front would be taken for
/// a local path and fail as "no such file".
const SCHEMES: [&str; 3] = ["http", "https", "file"];

/// Refuses a URL whose scheme cannot be fetched (`ftp://`, `gopher://`...), naming the option
/// and the schemes that can, in one line; a path without `scheme://` is a local file.
fn check_scheme(option: &str, target: &str) -> anyhow::Result<()> {
    let Some((scheme, _)) = target.split_once("://") else { return Ok(()) };
    let is_scheme = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !is_scheme || SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
        return Ok(());
    }
    let shown = crate::sanitize::sanitize_line(scheme.as_bytes());
    Err(values::usage_error(&format!(
        "{option}: {shown}:// is not supported; give an http://, https:// or file:// URL, or a \
         local file"
    )))
}

fn build_rss(args: RssArgs) -> anyhow::Result<TypingScreen> {
    for url in &args.urls {
        check_scheme("-u/--url", url)?;
    }
    if args.urls.len() > MAX_FEEDS {
        let given = args.urls.len();
        return Err(values::usage_error(&format!(
            "-u/--url: given {given} times, at most {MAX_FEEDS}"
        )));
    }
    let (pause, cps) = (args.refresh * 60.0, args.cps);
    let (urls, format) = (args.urls, args.format);
    let source = job(move |_| feeds_text(&urls, &format, &Limits::default()));
    Ok(TypingScreen::new(source, cps, pause, false))
}

const URL_EXAMPLES: &str = "Examples:
  fun saver urlfetcher -u https://example.org/
  fun saver urlfetcher -u notes.html          a local file
  fun saver urlfetcher -u URL --raw           the body as it is (still sanitised)";

/// Types the text of a web page.
#[derive(Debug, Parser)]
#[command(name = "fun saver urlfetcher", after_help = URL_EXAMPLES)]
pub(crate) struct UrlArgs {
    /// The page URL or a local file (default: what Debian is; up to 2000 characters).
    #[arg(short, long, value_name = "URL", default_value = "https://www.debian.org/intro/about",
          value_parser = values::text_up_to(MAX_TEXT_OPTION))]
    pub(crate) url: String,
    /// Type the body unchanged instead of the page's readable text (escapes still removed).
    #[arg(long)]
    pub(crate) raw: bool,
    /// Minutes between refreshes (0.1-1440).
    #[arg(short, long, default_value_t = 30.0, value_name = "MINUTES",
          value_parser = values::within(0.1, 1440.0))]
    pub(crate) refresh: f64,
    /// Typing speed in characters per second (0.1-10000).
    #[arg(long, default_value_t = 25.0, value_name = "N",
          value_parser = values::within(0.1, 10_000.0))]
    pub(crate) cps: f64,
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(2048)]).to_ascii_lowercase();
    head.contains("<html")
        || head.contains("<body")
        || head.contains("<!doctype html")
        || head.contains("<p>")
}

/// The readable text of a page (or the body with `raw`).
///
/// # Errors
/// The fetch's reason.
pub fn page_text(url: &str, raw: bool, limits: &Limits) -> Result<Text, SourceError> {
    let fetched = net::fetch(url, limits).map_err(SourceError::fetch)?;
    let body = if !raw && looks_like_html(&fetched.body) {
        html::to_text(&String::from_utf8_lossy(&fetched.body))
    } else {
        String::from_utf8_lossy(&fetched.body).into_owned()
    };
    Ok(Text { body: sanitize(body.as_bytes()), note: note(fetched.cached_age) })
}

fn build_url(args: UrlArgs) -> anyhow::Result<TypingScreen> {
    check_scheme("-u/--url", &args.url)?;
    let (pause, cps) = (args.refresh * 60.0, args.cps);
    let (url, raw) = (args.url, args.raw);
    let source = job(move |_| page_text(&url, raw, &Limits::default()));
    Ok(TypingScreen::new(source, cps, pause, false))
}

const RFC_EXAMPLES: &str = "Examples:
  fun saver rfc                     a random RFC
  fun saver rfc -n 2324             the Hyper Text Coffee Pot Control Protocol
  fun saver rfc --base ~/rfcs/ --index ~/rfcs/rfc-index.txt   offline, from a local mirror";

/// Types RFCs.
#[derive(Debug, Parser)]
#[command(name = "fun saver rfc", after_help = RFC_EXAMPLES)]
pub(crate) struct RfcArgs {
    /// The RFC to type (default: a random one from the index).
    #[arg(short, long, value_name = "NUMBER")]
    pub(crate) number: Option<u32>,
    /// Where RFC texts are: `rfcNNNN.txt` is appended (a URL or a local folder ending in /;
    /// up to 2000 characters).
    #[arg(long, default_value = "https://www.rfc-editor.org/rfc/", value_name = "URL",
          value_parser = values::text_up_to(MAX_TEXT_OPTION))]
    pub(crate) base: String,
    /// The RFC index, listing the numbers to pick from (URL or file; cached; up to 2000
    /// characters).
    #[arg(long, default_value = "https://www.rfc-editor.org/rfc-index.txt", value_name = "URL",
          value_parser = values::text_up_to(MAX_TEXT_OPTION))]
    pub(crate) index: String,
    /// Typing speed in characters per second (0.1-10000).
    #[arg(long, default_value_t = 40.0, value_name = "N",
          value_parser = values::within(0.1, 10_000.0))]
    pub(crate) cps: f64,
}

/// RFC numbers listed in an index (lines starting with a 4-digit number, skipping unissued).
#[must_use]
pub(crate) fn index_numbers(index: &str) -> Vec<u32> {
    index
        .lines()
        .filter(|l| !l.contains("Not Issued"))
        .filter_map(|l| {
            let digits: String = l.chars().take_while(char::is_ascii_digit).collect();
            (digits.len() == 4 && l[4..].starts_with(' ')).then(|| digits.parse().ok()).flatten()
        })
        .filter(|&n| n > 0)
        .collect()
}

/// The text of one RFC, with page breaks kept as blank lines.
///
/// # Errors
/// The fetch's reason.
pub(crate) fn rfc_text(args: &RfcSource, seed: u64, limits: &Limits) -> Result<Text, SourceError> {
    let number = match args.number {
        Some(n) => n,
        None => {
            let index = net::fetch(&args.index, limits).map_err(SourceError::fetch)?;
            let numbers = index_numbers(&String::from_utf8_lossy(&index.body));
            if numbers.is_empty() {
                return Err(SourceError::fetch(format!(
                    "{}: no RFC numbers in the index",
                    args.index
                )));
            }
            numbers[StdRng::seed_from_u64(seed).random_range(0..numbers.len())]
        }
    };
    let url = format!("{}rfc{number}.txt", args.base);
    let fetched = net::fetch(&url, limits).map_err(SourceError::fetch)?;
    let paged: Vec<u8> = fetched
        .body
        .iter()
        .flat_map(|&b| if b == 0x0c { vec![b'\n'; 2] } else { vec![b] })
        .collect();
    Ok(Text { body: sanitize(&paged), note: note(fetched.cached_age) })
}

/// What the rfc screen fetches.
#[derive(Clone, Debug)]
pub(crate) struct RfcSource {
    pub(crate) number: Option<u32>,
    pub(crate) base: String,
    pub(crate) index: String,
}

fn build_rfc(args: RfcArgs) -> anyhow::Result<TypingScreen> {
    check_scheme("--base", &args.base)?;
    check_scheme("--index", &args.index)?;
    let cps = args.cps;
    let source = RfcSource { number: args.number, base: args.base, index: args.index };
    Ok(TypingScreen::new(
        job(move |seed| rfc_text(&source, seed, &Limits::default())),
        cps,
        5.0,
        false,
    ))
}

const WTTR_EXAMPLES: &str = "Examples:
  fun saver wttr -l Paris
  fun saver wttr -l 'New York' --imperial
  fun saver wttr --url weather.txt           a saved report (offline)";

/// The weather from wttr.in.
#[derive(Debug, Parser)]
#[command(name = "fun saver wttr", after_help = WTTR_EXAMPLES)]
pub(crate) struct WttrArgs {
    /// The place (a city, an airport code, ...; default: wttr.in guesses from your address;
    /// up to 2000 characters).
    #[arg(short, long, value_name = "PLACE", default_value = "",
          value_parser = values::text_up_to(MAX_TEXT_OPTION))]
    pub(crate) location: String,
    /// Miles and Fahrenheit instead of metric units.
    #[arg(long)]
    pub(crate) imperial: bool,
    /// Minutes between refreshes (0.1-1440).
    #[arg(short, long, default_value_t = 30.0, value_name = "MINUTES",
          value_parser = values::within(0.1, 1440.0))]
    pub(crate) refresh: f64,
    /// Fetch this URL or file instead of wttr.in (up to 2000 characters).
    #[arg(long, value_name = "URL", value_parser = values::text_up_to(MAX_TEXT_OPTION))]
    pub(crate) url: Option<String>,
}

/// Everything but RFC 3986's unreserved characters is encoded (a space becomes `+` after).
const PLACE: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a place name for a URL path (wttr.in reads `+` as a space).
#[must_use]
pub(crate) fn encode_place(place: &str) -> String {
    place
        .split(' ')
        .map(|word| percent_encoding::utf8_percent_encode(word, PLACE).to_string())
        .collect::<Vec<_>>()
        .join("+")
}

fn build_wttr(args: WttrArgs) -> anyhow::Result<TextScreen> {
    if let Some(url) = &args.url {
        check_scheme("--url", url)?;
    }
    let refresh = args.refresh * 60.0;
    let units = if args.imperial { "u" } else { "m" };
    let url = args
        .url
        .unwrap_or_else(|| format!("https://wttr.in/{}?T&{units}", encode_place(&args.location)));
    let source = job(move |_| {
        let fetched = net::fetch(&url, &Limits::default()).map_err(SourceError::fetch)?;
        Ok(Text { body: sanitize(&fetched.body), note: note(fetched.cached_age) })
    });
    Ok(TextScreen::new(source, refresh))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saver::kit::screen::{Screen, Size};
    use rand::rngs::StdRng;

    #[test]
    fn rfc_index_numbers() {
        let index = "0001 Host Software. S. Crocker. April 1969.\n0002 Not Issued.\n   continued\n2324 Hyper Text Coffee Pot Control Protocol.\n";
        assert_eq!(index_numbers(index), vec![1, 2324]);
    }

    #[test]
    fn unsupported_schemes_are_named_not_taken_for_files() {
        for url in ["ftp://example.org/a.txt", "gopher://example.org/", "FTP://x", "ssh+git://h/r"]
        {
            let err = check_scheme("-u/--url", url).expect_err(url).to_string();
            assert!(err.contains("-u/--url") && err.contains("is not supported"), "{err}");
            assert!(err.contains("http://, https:// or file://"), "{err}");
            assert!(!err.contains("no such file") && !err.trim_end().contains('\n'), "{err}");
        }
        for fine in ["https://x/", "HTTP://x/", "file:///tmp/a", "notes.html", "./a://b", "a b://c"]
        {
            assert!(check_scheme("-u/--url", fine).is_ok(), "{fine}");
        }
    }

    /// A server on 127.0.0.1 that answers every request with a 404 and counts them.
    fn failing_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = server.server_addr().to_ip().map(|a| a.port()).expect("ip address");
        let count = std::sync::Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        std::thread::spawn(move || {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
            while std::time::Instant::now() < deadline {
                let Ok(Some(request)) = server.recv_timeout(std::time::Duration::from_millis(200))
                else {
                    continue;
                };
                seen.fetch_add(1, Ordering::SeqCst);
                let _ = request
                    .respond(tiny_http::Response::from_data(b"no".to_vec()).with_status_code(404));
            }
        });
        (format!("http://127.0.0.1:{port}/weather"), count)
    }

    /// Updates the screen by `dt`, then (without moving time) until the failure count reaches
    /// `failures` (the fetch runs on a worker thread; a deadline, not a timing).
    fn settle_failure(screen: &mut TextScreen, rng: &mut StdRng, dt: f64, failures: u32) -> f64 {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let mut step = std::time::Duration::from_secs_f64(dt);
        loop {
            let mut ctx = crate::saver::kit::screen::Ctx {
                rng: &mut *rng,
                dt: step,
                elapsed: std::time::Duration::ZERO,
                now: chrono::NaiveDateTime::default(),
                depth: crate::saver::kit::color::Depth::TrueColor,
            };
            screen.update(&mut ctx);
            step = std::time::Duration::ZERO;
            if let Some((n, wait)) = screen.backoff().filter(|(n, _)| *n == failures) {
                assert_eq!(n, failures);
                return wait;
            }
            assert!(std::time::Instant::now() < deadline, "no answer from the local server");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    #[test]
    fn offline_wttr_retries_within_seconds_doubling_not_after_the_refresh() {
        use rand::SeedableRng;
        let (url, requests) = failing_server();
        let args = crate::saver::kit::testing::args::<WttrArgs>("wttr", &["--url", &url]);
        assert_eq!(args.refresh, 30.0, "a refresh of 30 minutes");
        let mut screen = build_wttr(args).expect("valid");
        let mut rng = StdRng::seed_from_u64(1);
        screen.resize(Size { width: 80, height: 24 }, &mut rng);
        assert_eq!(settle_failure(&mut screen, &mut rng, 0.0, 1), 5.0);
        assert_eq!(settle_failure(&mut screen, &mut rng, 5.0, 2), 10.0);
        assert_eq!(settle_failure(&mut screen, &mut rng, 10.0, 3), 20.0);
        assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 3);
    }

    #[test]
    fn places_are_encoded() {
        assert_eq!(encode_place("New York"), "New+York");
        assert_eq!(encode_place("São/x"), "S%C3%A3o%2Fx");
    }
}
