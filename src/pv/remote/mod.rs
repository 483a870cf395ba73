//! `-R PID` (change a running `fun pv`'s settings) and `-Q PID` (show its progress), over a
//! Unix socket only this user can reach: `PID.sock` in the private directory
//! ([`crate::pv::runtime::private_dir`], mode 0700), and each side checks the other's user
//! with SO_PEERCRED. The protocol is a few text lines, read with size caps and timeouts, each
//! value checked with the same bounds as the command line; anything else is refused.
//!
//! ```text
//! request:  fun-pv 1 remote          response: ok
//!           switches pterb                     (or: error WHY)
//!           name my%20copy
//!           rate-limit 1048576
//!           (blank line)
//!
//! request:  fun-pv 1 query           response: ok
//!           (blank line)                       elapsed 12.345
//!                                              transferred 1048576
//!                                              size 4194304        (or: size -)
//!                                              lines 0
//! ```
//!
//! `-R` keys: `switches` (letters of `-p -t -e -I -r -a -b -T`), `last-written N`, `name`,
//! `format` and `extra` (percent-encoded text), `rate-limit`, `size`, `interval`, `width`,
//! `height`. As in pv, the switches, name and format are always replaced; the numbers only
//! when given (`rate-limit 0` lifts the limit).

mod client;
mod server;

use std::time::Duration;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

pub(crate) use self::client::{query, remote};
pub(crate) use self::server::Server;
use super::display::Extra;
use super::display::Settings;
use super::display::extra::extra_arg;
use super::format::{self, Switches};
use super::options::{self, MAX_COLUMNS, MAX_SIZE};

/// The first line of every request.
const MAGIC: &str = "fun-pv 1";
/// The most bytes a request or response may have.
pub(crate) const MAX_MESSAGE: usize = 16 * 1024;
/// How long either side waits for the other to send or take a message.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(2);

/// Characters escaped in text values: controls, space, `%` and non-ASCII.
const ESCAPED: &AsciiSet = &CONTROLS.add(b' ').add(b'%');

/// A message that does not follow the protocol.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum ProtocolError {
    #[error("not a fun pv request")]
    Magic,
    #[error("unknown request {}", crate::sanitize::quoted(.0))]
    Request(String),
    #[error("bad line {}", crate::sanitize::quoted(.0))]
    Line(String),
    #[error("{key}: {why}")]
    Value { key: String, why: String },
    #[error("message too long")]
    TooLong,
}

/// What a request asks.
#[derive(Debug, PartialEq)]
pub(crate) enum Request {
    Query,
    Remote(Box<Settings>),
}

/// The wire format of the settings (the settings themselves are the display's).
impl Settings {
    /// The request text.
    #[must_use]
    pub(crate) fn to_request(&self) -> String {
        let s = &self.switches;
        let letters: String = [
            (s.progress, 'p'),
            (s.timer, 't'),
            (s.eta, 'e'),
            (s.fineta, 'I'),
            (s.rate, 'r'),
            (s.average_rate, 'a'),
            (s.bytes, 'b'),
            (s.buffer_percent, 'T'),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, c)| *c)
        .collect();
        let mut out = format!("{MAGIC} remote\nswitches {letters}\n");
        let text =
            |key: &str, value: &str| format!("{key} {}\n", utf8_percent_encode(value, ESCAPED));
        if let Some(n) = s.last_written {
            out.push_str(&format!("last-written {n}\n"));
        }
        for (key, value) in [("name", &self.name), ("format", &self.format)] {
            if let Some(value) = value {
                out.push_str(&text(key, value));
            }
        }
        if let Some(extra) = &self.extra {
            out.push_str(&text("extra", &extra.spec().text));
        }
        let numbers = [("rate-limit", self.rate_limit), ("size", self.size)];
        for (key, value) in numbers {
            if let Some(value) = value {
                out.push_str(&format!("{key} {value}\n"));
            }
        }
        if let Some(interval) = self.interval {
            out.push_str(&format!("interval {}\n", interval.as_secs_f64()));
        }
        for (key, value) in [("width", self.width), ("height", self.height)] {
            if let Some(value) = value {
                out.push_str(&format!("{key} {value}\n"));
            }
        }
        out.push('\n');
        out
    }
}

/// The query request.
#[must_use]
pub(crate) fn query_request() -> String {
    format!("{MAGIC} query\n\n")
}

/// Parses a request (without its blank line), every value checked against its bound.
///
/// # Errors
/// [`ProtocolError`] naming what is wrong.
pub(crate) fn parse_request(text: &str) -> Result<Request, ProtocolError> {
    if text.len() > MAX_MESSAGE {
        return Err(ProtocolError::TooLong);
    }
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let kind =
        first.strip_prefix(MAGIC).and_then(|k| k.strip_prefix(' ')).ok_or(ProtocolError::Magic)?;
    match kind {
        "query" => return Ok(Request::Query),
        "remote" => {}
        other => return Err(ProtocolError::Request(other.chars().take(40).collect())),
    }
    let mut settings = Settings::default();
    for line in lines.filter(|l| !l.is_empty()) {
        let (key, value) = line.split_once(' ').unwrap_or((line, ""));
        set(&mut settings, key, value)?;
    }
    Ok(Request::Remote(Box::new(settings)))
}

fn decode(key: &str, value: &str) -> Result<String, ProtocolError> {
    percent_decode_str(value)
        .decode_utf8()
        .map(|v| v.into_owned())
        .map_err(|_| bad(key, "not UTF-8"))
}

fn bad(key: &str, why: impl ToString) -> ProtocolError {
    ProtocolError::Value { key: key.chars().take(40).collect(), why: why.to_string() }
}

fn set(settings: &mut Settings, key: &str, value: &str) -> Result<(), ProtocolError> {
    let whole = |max: u64| -> Result<u64, ProtocolError> {
        crate::units::parse_within(value, &(0..=max), "whole number").map_err(|e| bad(key, e))
    };
    let columns = || whole(MAX_COLUMNS as u64).map(|n| usize::try_from(n).unwrap_or(0));
    match key {
        "switches" => {
            settings.switches = switches(value).ok_or_else(|| bad(key, "unknown switch"))?
        }
        "last-written" => settings.switches.last_written = Some(columns()?),
        "name" => settings.name = Some(decode(key, value)?),
        "format" => {
            let text = decode(key, value)?;
            format::parse_format(&text).map_err(|e| bad(key, e))?;
            settings.format = Some(text);
        }
        "extra" => {
            let spec = extra_arg(&decode(key, value)?).map_err(|e| bad(key, e))?;
            settings.extra = Some(Extra::new(spec));
        }
        "rate-limit" => settings.rate_limit = Some(whole(MAX_SIZE)?),
        "size" => settings.size = Some(whole(MAX_SIZE)?).filter(|&s| s > 0),
        "interval" => {
            let seconds = options::interval(value).map_err(|e| bad(key, e))?;
            settings.interval = Some(Duration::from_secs_f64(seconds));
        }
        "width" => settings.width = Some(columns()?).filter(|&w| w > 0),
        "height" => settings.height = Some(columns()?).filter(|&h| h > 0),
        _ => return Err(ProtocolError::Line(key.chars().take(40).collect())),
    }
    Ok(())
}

/// The switches from their letters.
fn switches(letters: &str) -> Option<Switches> {
    let mut s = Switches::default();
    for c in letters.chars() {
        match c {
            'p' => s.progress = true,
            't' => s.timer = true,
            'e' => s.eta = true,
            'I' => s.fineta = true,
            'r' => s.rate = true,
            'a' => s.average_rate = true,
            'b' => s.bytes = true,
            'T' => s.buffer_percent = true,
            _ => return None,
        }
    }
    Some(s)
}

/// What `-Q` learns of the other `fun pv`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct State {
    pub(crate) elapsed: f64,
    pub(crate) transferred: u64,
    pub(crate) size: Option<u64>,
    pub(crate) lines: bool,
}

impl State {
    #[must_use]
    pub(crate) fn to_response(self) -> String {
        let size = self.size.map_or_else(|| "-".to_owned(), |s| s.to_string());
        format!(
            "ok\nelapsed {:.6}\ntransferred {}\nsize {size}\nlines {}\n\n",
            self.elapsed,
            self.transferred,
            u8::from(self.lines)
        )
    }

    /// Parses a query response.
    ///
    /// # Errors
    /// [`ProtocolError`] for anything but a well-formed `ok` response.
    pub(crate) fn parse(text: &str) -> Result<State, ProtocolError> {
        let mut lines = text.lines();
        match lines.next() {
            Some("ok") => {}
            Some(other) => return Err(ProtocolError::Line(other.chars().take(80).collect())),
            None => return Err(ProtocolError::Magic),
        }
        let mut state = State::default();
        for line in lines.filter(|l| !l.is_empty()) {
            let (key, value) = line.split_once(' ').unwrap_or((line, ""));
            let number = || {
                value
                    .parse::<u64>()
                    .ok()
                    .filter(|&n| n <= MAX_SIZE)
                    .ok_or_else(|| bad(key, "not a number"))
            };
            match key {
                "elapsed" => {
                    state.elapsed = value
                        .parse::<f64>()
                        .ok()
                        .filter(|e| e.is_finite() && (0.0..=1e9).contains(e))
                        .ok_or_else(|| bad(key, "not a time"))?;
                }
                "transferred" => state.transferred = number()?,
                "size" if value == "-" => state.size = None,
                "size" => state.size = Some(number()?),
                "lines" => state.lines = value == "1",
                _ => return Err(ProtocolError::Line(key.chars().take(40).collect())),
            }
        }
        Ok(state)
    }
}

#[cfg(test)]
mod tests;
