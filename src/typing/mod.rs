//! The shared typing scheduler: turns bytes into timed steps, with no I/O inside.
//!
//! Used by `fun type` (a human rhythm), the saver's typing screens and anything else that wants
//! text to appear as if typed. A `Step` is "wait `delay`, then write `bytes`"; the caller owns
//! the clock and the output, which keeps this module pure and testable.
//!
//! Text is scheduled in whole units (`unit::unit_len`): a UTF-8 character or a complete
//! escape sequence is never split, and escape sequences pass through with no delay (they are not
//! "typed"). With typos off, the steps' bytes concatenate to exactly the input.

pub(crate) mod unit;

use std::collections::VecDeque;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Wait `delay`, then write `bytes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Step {
    pub(crate) delay: Duration,
    pub(crate) bytes: Vec<u8>,
}

/// How to type: the base speed and the human touches on top of it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rhythm {
    /// Characters per second between ordinary letters.
    pub(crate) cps: f64,
    /// Random spread of each delay, as a fraction (0.3 = ±30%).
    pub(crate) jitter: f64,
    /// Extra pause after a space, in character times.
    pub(crate) word_pause: f64,
    /// Extra pause after `,` `;` `:`, in character times.
    pub(crate) punct_pause: f64,
    /// Extra pause after `.` `!` `?`, in character times.
    pub(crate) sentence_pause: f64,
    /// Extra pause after a newline, in character times.
    pub(crate) newline_pause: f64,
    /// Probability that a letter is first mistyped (a neighbouring key), then corrected.
    pub(crate) typos: f64,
}

impl Rhythm {
    /// A machine: every unit exactly `1/cps` apart.
    #[must_use]
    pub(crate) fn even(cps: f64) -> Rhythm {
        Rhythm {
            cps: sane_cps(cps),
            jitter: 0.0,
            word_pause: 0.0,
            punct_pause: 0.0,
            sentence_pause: 0.0,
            newline_pause: 0.0,
            typos: 0.0,
        }
    }

    /// A person typing at about `cps` characters per second.
    #[must_use]
    pub(crate) fn human(cps: f64) -> Rhythm {
        Rhythm {
            cps: sane_cps(cps),
            jitter: 0.35,
            word_pause: 0.8,
            punct_pause: 2.5,
            sentence_pause: 5.0,
            newline_pause: 4.0,
            typos: 0.0,
        }
    }

    /// Words per minute (a word is five characters) to characters per second.
    #[must_use]
    pub(crate) fn cps_from_wpm(wpm: f64) -> f64 {
        wpm * 5.0 / 60.0
    }

    fn char_time(&self) -> f64 {
        1.0 / self.cps
    }
}

/// Keeps the speed finite and positive whatever the caller passes.
fn sane_cps(cps: f64) -> f64 {
    if cps.is_finite() && cps > 0.0 { cps.clamp(0.001, 1e9) } else { 10.0 }
}

/// QWERTY neighbours of each lower-case letter, for believable typos.
const NEIGHBOURS: [&str; 26] = [
    "qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn",
    "jiolm", "kop", "njk", "bhjm", "iklp", "ol", "wa", "edft", "awedxz", "rfgy", "yhji", "cfgb",
    "qase", "zsdc", "tghu", "asx",
];

fn neighbour(c: u8, rng: &mut StdRng) -> u8 {
    let lower = c.to_ascii_lowercase();
    let keys = NEIGHBOURS[usize::from(lower - b'a')].as_bytes();
    let wrong = keys[rng.random_range(0..keys.len())];
    if c.is_ascii_uppercase() { wrong.to_ascii_uppercase() } else { wrong }
}

/// A streaming scheduler: push input, take steps.
pub(crate) struct Typist {
    rhythm: Rhythm,
    rng: StdRng,
    input: VecDeque<u8>,
    eof: bool,
    queued: VecDeque<Step>,
    /// The last typed (non-escape) unit's first byte, which sets the next pause.
    previous: Option<u8>,
    started: bool,
}

impl Typist {
    /// A typist with this rhythm; the same seed gives the same steps.
    #[must_use]
    pub(crate) fn new(rhythm: Rhythm, seed: u64) -> Typist {
        Typist {
            rhythm,
            rng: StdRng::seed_from_u64(seed),
            input: VecDeque::new(),
            eof: false,
            queued: VecDeque::new(),
            previous: None,
            started: false,
        }
    }

    /// Appends input.
    pub(crate) fn push(&mut self, input: &[u8]) {
        self.input.extend(input);
    }

    /// No more input will come: partial units at the end are released as they are.
    pub(crate) fn finish(&mut self) {
        self.eof = true;
    }

    /// Bytes pushed but not yet turned into steps: less than one unit
    /// ([`unit::MAX_UNIT`]) once `next_step` has returned `None`.
    #[must_use]
    #[cfg(test)]
    pub(crate) fn buffered(&self) -> usize {
        self.input.len()
    }

    /// Whether everything pushed has been turned into steps and input is finished.
    #[must_use]
    pub(crate) fn is_done(&self) -> bool {
        self.eof && self.input.is_empty() && self.queued.is_empty()
    }

    /// The next step, or `None` when more input is needed (or all is done).
    pub(crate) fn next_step(&mut self) -> Option<Step> {
        if let Some(step) = self.queued.pop_front() {
            return Some(step);
        }
        self.input.make_contiguous();
        let (buf, _) = self.input.as_slices();
        let len = unit::unit_len(buf, self.eof)?;
        let bytes: Vec<u8> = self.input.drain(..len).collect();
        if bytes[0] == 0x1b {
            return Some(Step { delay: Duration::ZERO, bytes });
        }
        let delay = self.delay_before();
        self.previous = Some(bytes[0]);
        let letter = bytes.len() == 1 && bytes[0].is_ascii_alphabetic();
        if letter && self.rhythm.typos > 0.0 && self.rng.random_bool(self.rhythm.typos.min(1.0)) {
            let wrong = neighbour(bytes[0], &mut self.rng);
            let notice = self.jittered(self.rhythm.char_time() * 3.0);
            let retype = self.jittered(self.rhythm.char_time() * 1.5);
            // Backspace, space, backspace: erases the wrong letter on a terminal.
            self.queued.push_back(Step { delay: notice, bytes: b"\x08 \x08".to_vec() });
            self.queued.push_back(Step { delay: retype, bytes });
            return Some(Step { delay, bytes: vec![wrong] });
        }
        Some(Step { delay, bytes })
    }

    fn jittered(&mut self, seconds: f64) -> Duration {
        let spread = self.rhythm.jitter.clamp(0.0, 0.95);
        let factor = if spread > 0.0 { 1.0 + self.rng.random_range(-spread..=spread) } else { 1.0 };
        Duration::from_secs_f64((seconds * factor).clamp(0.0, 3600.0))
    }

    fn delay_before(&mut self) -> Duration {
        if !self.started {
            self.started = true;
            return Duration::ZERO;
        }
        let r = &self.rhythm;
        let extra = match self.previous {
            Some(b' ') => r.word_pause,
            Some(b',' | b';' | b':') => r.punct_pause,
            Some(b'.' | b'!' | b'?') => r.sentence_pause,
            Some(b'\n') => r.newline_pause,
            _ => 0.0,
        };
        let seconds = r.char_time() * (1.0 + extra);
        self.jittered(seconds)
    }
}

impl Iterator for Typist {
    type Item = Step;

    fn next(&mut self) -> Option<Step> {
        self.next_step()
    }
}

/// All the steps of a complete text.
#[cfg(test)]
pub(crate) fn steps(text: &[u8], rhythm: Rhythm, seed: u64) -> impl Iterator<Item = Step> {
    let mut typist = Typist::new(rhythm, seed);
    typist.push(text);
    typist.finish();
    typist
}

/// Applies steps' bytes as a terminal would for plain text: a backspace removes the previous
/// character. Used to check that typos are always corrected.
#[must_use]
pub fn apply_backspaces(bytes: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    for &b in bytes {
        if b == 0x08 {
            out.pop();
        } else {
            out.push(b);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn joined(steps: impl Iterator<Item = Step>) -> Vec<u8> {
        steps.flat_map(|s| s.bytes).collect()
    }

    #[test]
    fn even_rhythm_spaces_every_unit_the_same() {
        let all: Vec<Step> = steps("ab€\x1b[1mc".as_bytes(), Rhythm::even(8.0), 1).collect();
        let delays: Vec<u128> = all.iter().map(|s| s.delay.as_millis()).collect();
        assert_eq!(delays, vec![0, 125, 125, 0, 125]);
        assert_eq!(all[2].bytes, "€".as_bytes());
        assert_eq!(all[3].bytes, b"\x1b[1m");
    }

    #[test]
    fn human_rhythm_pauses_longer_after_punctuation_and_newlines() {
        let mut rhythm = Rhythm::human(10.0);
        rhythm.jitter = 0.0;
        let all: Vec<Step> = steps(b"ab. c,d\ne", rhythm, 1).collect();
        let ms: Vec<u128> = all.iter().map(|s| s.delay.as_millis()).collect();
        // a b . ' ' c , d \n e
        assert_eq!(ms, vec![0, 100, 100, 600, 180, 100, 350, 100, 500]);
    }

    #[test]
    fn same_seed_same_steps() {
        let mut rhythm = Rhythm::human(20.0);
        rhythm.typos = 0.2;
        let a: Vec<Step> = steps(b"hello world, typing away", rhythm.clone(), 7).collect();
        let b: Vec<Step> = steps(b"hello world, typing away", rhythm, 7).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn streaming_waits_for_whole_characters() {
        let mut typist = Typist::new(Rhythm::even(10.0), 0);
        typist.push(&"€".as_bytes()[..2]);
        assert_eq!(typist.next_step(), None);
        typist.push(&"€".as_bytes()[2..]);
        assert_eq!(typist.next_step().map(|s| s.bytes), Some("€".as_bytes().to_vec()));
        assert_eq!(typist.next_step(), None);
        assert!(!typist.is_done());
        typist.finish();
        assert!(typist.is_done());
    }

    #[test]
    fn typos_are_corrected() {
        let mut rhythm = Rhythm::human(50.0);
        rhythm.typos = 1.0;
        let out = joined(steps(b"Hi there", rhythm, 3));
        assert_ne!(out, b"Hi there");
        assert_eq!(apply_backspaces(&out), b"Hi there");
    }

    #[test]
    fn an_unterminated_escape_is_not_held_until_the_end() {
        // 4 MB of `ESC [` and digits pushed 16 KiB at a time, taking steps as they come: the
        // typist never holds more than one unit's worth, so each push costs the same (it used
        // to keep and rescan the whole sequence: quadratic).
        let mut typist = Typist::new(Rhythm::even(1e6), 0);
        let mut input = b"\x1b[".to_vec();
        input.resize(4 << 20, b'1');
        let mut out = 0;
        for chunk in input.chunks(16 << 10) {
            typist.push(chunk);
            while let Some(step) = typist.next_step() {
                out += step.bytes.len();
            }
            assert!(typist.buffered() < unit::MAX_UNIT, "holds {}", typist.buffered());
        }
        typist.finish();
        out += joined(typist.by_ref()).len();
        assert_eq!(out, input.len());
    }

    proptest! {
        #[test]
        fn without_typos_bytes_are_unchanged(input in proptest::collection::vec(any::<u8>(), 0..300), seed: u64) {
            prop_assert_eq!(joined(steps(&input, Rhythm::human(30.0), seed)), input);
        }

        #[test]
        fn typos_always_corrected(input in "[ -~\n]{0,200}", seed: u64) {
            let mut rhythm = Rhythm::human(30.0);
            rhythm.typos = 0.3;
            let out = joined(steps(input.as_bytes(), rhythm, seed));
            prop_assert_eq!(apply_backspaces(&out), input.as_bytes());
        }

        #[test]
        fn odd_speeds_never_panic(cps in any::<f64>(), jitter in any::<f64>()) {
            let mut rhythm = Rhythm::human(cps);
            rhythm.jitter = jitter;
            let _ = joined(steps(b"a b. c\n", rhythm, 1));
        }
    }
}
