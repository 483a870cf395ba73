//! `fun type`: retypes files (or standard input) with a human rhythm, using the shared typing
//! scheduler ([`crate::typing`]). This module owns the I/O: reading input on a thread, sleeping
//! to each step's deadline, the blinking cursor during pauses, and a quiet end on a closed pipe.

mod cursor;

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::stdio::WriteFailure;
use crate::typing::{Rhythm, Typist};
use crate::units::{OutOfRange, parse_within};

/// `fun type`, as the top sees it.
pub const TOOL: crate::tool::Tool =
    crate::tool::Tool { name: "type", command, run: main, completers: crate::tool::no_completers };

/// `fun type`'s command line.
fn command() -> clap::Command {
    crate::tool::command_of::<Args>("type", "Retype text with a human typing rhythm")
}

/// `fun type ARGS...`: parses its words, then [`run`].
fn main(words: &[std::ffi::OsString]) -> anyhow::Result<ExitCode> {
    crate::tool::parse_and_run(command(), words, run)
}

/// Options of `fun type`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  fun type notes.txt                 type a file at about 14 characters per second\n  fun calendar -A 7 | fun type --wpm 40   the week's events at 40 words per minute\n  fun type --typos 0.03 --cursor a.md   with corrected typos and a blinking cursor\n  fun type --even --cps 8 log.txt    machine-even, one character every 1/8 s"
)]
pub struct Args {
    /// Files to type, one after another ("-" or none: standard input).
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,
    /// Typing speed in characters per second (above 0, up to 1000000).
    #[arg(long, allow_hyphen_values = true, value_name = "N", default_value_t = 14.0, conflicts_with = "wpm", value_parser = positive)]
    pub(crate) cps: f64,
    /// Typing speed in words per minute, five characters a word (above 0, up to 1000000).
    #[arg(long, allow_hyphen_values = true, value_name = "N", value_parser = positive)]
    pub(crate) wpm: Option<f64>,
    /// Random spread of each delay, 0 to 0.9 (default 0.35; 0 with --even).
    #[arg(long, allow_hyphen_values = true, value_name = "F", value_parser = jitter)]
    pub(crate) jitter: Option<f64>,
    /// Probability that a letter is mistyped first, then corrected with backspaces (0 to 1).
    /// Corrections change the output bytes; leave at 0 to keep them identical to the input.
    #[arg(long, allow_hyphen_values = true, value_name = "P", default_value_t = 0.0, value_parser = fraction)]
    pub(crate) typos: f64,
    /// Machine rhythm: every character exactly 1/cps apart, no pauses.
    #[arg(long)]
    pub(crate) even: bool,
    /// Blink a block cursor during longer pauses (only on a terminal).
    #[arg(long)]
    pub(crate) cursor: bool,
    /// Seed for the rhythm and typos: the same seed gives byte-identical output.
    #[arg(long, allow_hyphen_values = true, value_name = "N")]
    pub(crate) seed: Option<u64>,
}

/// The fastest `--cps` and `--wpm`.
const MAX_SPEED: f64 = 1e6;
/// The most jitter: a delay may shrink to a tenth, never to nothing.
const MAX_JITTER: f64 = 0.9;

/// A speed that is not above 0 and at most [`MAX_SPEED`].
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a positive number up to {MAX_SPEED}")]
struct NotASpeed(String);

fn positive(s: &str) -> Result<f64, NotASpeed> {
    match parse_within(s, &(0.0..=MAX_SPEED), "number") {
        Ok(v) if v > 0.0 => Ok(v),
        _ => Err(NotASpeed(s.to_owned())),
    }
}

fn fraction(s: &str) -> Result<f64, OutOfRange> {
    parse_within(s, &(0.0..=1.0), "number")
}

fn jitter(s: &str) -> Result<f64, OutOfRange> {
    parse_within(s, &(0.0..=MAX_JITTER), "number")
}

/// What the reader thread sends.
enum Input {
    Bytes(Vec<u8>),
    /// A file could not be read: a one-line message naming it.
    Failed(String),
}

/// Reads every input in order on a thread, so typing can start before the input ends.
fn spawn_reader(files: Vec<PathBuf>) -> mpsc::Receiver<Input> {
    let (tx, rx) = mpsc::sync_channel(16);
    thread::spawn(move || {
        let files = if files.is_empty() { vec![PathBuf::from("-")] } else { files };
        for path in files {
            let mut reader = match crate::files::open_stream(&path) {
                Ok(r) => r,
                Err(e) => {
                    let _ = tx.send(Input::Failed(format!("{}: {e}", path.display())));
                    continue;
                }
            };
            let mut buf = vec![0; 16 * 1024];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if tx.send(Input::Bytes(buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        let _ = tx.send(Input::Failed(format!("{}: {e}", path.display())));
                        break;
                    }
                }
            }
        }
    });
    rx
}

/// Builds the rhythm the options ask for.
fn rhythm(args: &Args) -> Rhythm {
    let cps = args.wpm.map_or(args.cps, Rhythm::cps_from_wpm);
    let mut rhythm = if args.even { Rhythm::even(cps) } else { Rhythm::human(cps) };
    if let Some(jitter) = args.jitter {
        rhythm.jitter = jitter;
    }
    rhythm.typos = args.typos;
    rhythm
}

/// Runs `fun type`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let seed = args.seed.unwrap_or_else(rand::random);
    let mut typist = Typist::new(rhythm(&args), seed);
    let input = spawn_reader(args.files.clone());
    let stdout = io::stdout();
    let blink = args.cursor && stdout.is_terminal();
    // Not std's `Stdout`, which reports a write to a closed descriptor as a success.
    let mut out = crate::stdio::stdout_file()?;
    let mut failed = false;
    let mut deadline = Instant::now();
    loop {
        if let Some(step) = typist.next_step() {
            deadline += step.delay;
            let written = cursor::wait_until(&mut out, deadline, blink)
                .and_then(|()| out.write_all(&step.bytes))
                .and_then(|()| out.flush());
            match written {
                Ok(()) => continue,
                Err(e) => match WriteFailure::classify(&e) {
                    // The reader went away: a quiet end, like pv and cat.
                    WriteFailure::ReaderGone => return Ok(ExitCode::SUCCESS),
                    WriteFailure::Error => anyhow::bail!("standard output: {e}"),
                },
            }
        }
        if typist.is_done() {
            break;
        }
        match input.recv() {
            Ok(Input::Bytes(bytes)) => typist.push(&bytes),
            Ok(Input::Failed(message)) => {
                crate::stdio::warn("type", &crate::sanitize::CleanLine::message(message));
                failed = true;
            }
            Err(_) => typist.finish(),
        }
        // Time spent waiting for input is not made up for by typing in a burst.
        let now = Instant::now();
        if deadline < now {
            deadline = now;
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// A pause this long or longer shows the blinking cursor.
pub(crate) const BLINK_AFTER: Duration = Duration::from_millis(400);
