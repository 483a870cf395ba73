//! The lock's password prompt as a state machine, with time given to it (never read): which
//! keys show it, type, erase, submit or hide it, how long it stays, and how long a refused
//! attempt waits. The frame loop feeds it keys and the time; the check itself is elsewhere
//! (`auth.rs`), so every rule here is tested with plain values.
//!
//! - Hidden: the first key shows the prompt (that key is not typed).
//! - Typing: text and UTF-8 bytes are added (up to [`super::auth::MAX_PASSWORD`]), Backspace erases a
//!   character, Ctrl+U everything, Enter submits, Esc (alone, not the start of an arrow key's
//!   sequence) or [`PROMPT_TIMEOUT`] without a key hides the prompt and wipes what was typed.
//!   Other control keys do nothing.
//! - Checking: every key is dropped until the verdict.
//! - Refused: every key is dropped for the delay: 1 s after the first failure, doubling after
//!   each, up to [`MAX_DELAY`]; then Typing again.

use std::time::Duration;

use chrono::NaiveDateTime;

#[cfg(test)]
use super::auth::MAX_PASSWORD;
use super::auth::Secret;

/// How long the prompt stays without a key.
pub(crate) const PROMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// The wait after the first refused password.
pub(crate) const FIRST_DELAY: Duration = Duration::from_secs(1);
/// The longest wait after a refused password.
pub(crate) const MAX_DELAY: Duration = Duration::from_secs(30);
/// How long after an Esc the next byte may come to make it an escape sequence (a terminal
/// sends a key's whole sequence at once).
const ESCAPE_WAIT: Duration = Duration::from_millis(100);
/// The longest escape sequence skipped; a longer one ends there.
const MAX_SEQUENCE: u8 = 32;

const ESC: u8 = 0x1b;
const BACKSPACE: [u8; 2] = [0x7f, 0x08];
const KILL_LINE: u8 = 0x15;

/// Where the prompt is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Hidden,
    Typing,
    Checking,
    /// Refused; keys are dropped until the time given.
    Refused(Duration),
    Unlocked,
}

/// Where an escape sequence is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Escape {
    None,
    /// An Esc at this time; the next byte tells whether it starts a sequence.
    Started(Duration),
    /// Inside `ESC [ ...` or `ESC O ...`, this many bytes in.
    Sequence(u8),
}

/// The prompt's state.
#[derive(Debug)]
pub(crate) struct Prompt {
    phase: Phase,
    password: Secret,
    last_key: Duration,
    escape: Escape,
    failures: u32,
    first_failure: Option<NaiveDateTime>,
    next_delay: Duration,
    /// A short line to show (a refusal's reason, "too long"), never typed text.
    note: Option<String>,
}

impl Prompt {
    pub(crate) fn new() -> Prompt {
        Prompt {
            phase: Phase::Hidden,
            password: Secret::new(),
            last_key: Duration::ZERO,
            escape: Escape::None,
            failures: 0,
            first_failure: None,
            next_delay: FIRST_DELAY,
            note: None,
        }
    }

    pub(crate) fn phase(&self) -> Phase {
        self.phase
    }

    /// Whether the prompt is on the screen.
    pub(crate) fn visible(&self) -> bool {
        !matches!(self.phase, Phase::Hidden | Phase::Unlocked)
    }

    /// Whether something has been typed (the mask shows only that, never the length).
    pub(crate) fn typed(&self) -> bool {
        !self.password.is_empty()
    }

    pub(crate) fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    #[cfg(test)]
    pub(crate) fn failures(&self) -> u32 {
        self.failures
    }

    /// One byte from the keyboard at `now`; the password to check when Enter submits it.
    pub(crate) fn key(&mut self, byte: u8, now: Duration) -> Option<Secret> {
        match self.escape {
            Escape::Sequence(n) => {
                let ends = (0x40..=0x7e).contains(&byte) || n >= MAX_SEQUENCE;
                self.escape = if ends { Escape::None } else { Escape::Sequence(n + 1) };
                self.last_key = now;
                return None;
            }
            Escape::Started(_) if byte == b'[' || byte == b'O' => {
                self.escape = Escape::Sequence(0);
                self.last_key = now;
                return None;
            }
            Escape::Started(_) => self.lone_escape(),
            Escape::None => {}
        }
        if byte == ESC {
            self.escape = Escape::Started(now);
            return None;
        }
        match self.phase {
            Phase::Hidden => self.show(now),
            Phase::Typing => return self.type_key(byte, now),
            Phase::Checking | Phase::Refused(_) | Phase::Unlocked => {}
        }
        None
    }

    /// The time is `now`: a lone Esc, the prompt's timeout and the end of a delay take effect.
    pub(crate) fn tick(&mut self, now: Duration) {
        if let Escape::Started(at) = self.escape
            && now >= at + ESCAPE_WAIT
        {
            self.lone_escape();
        }
        match self.phase {
            Phase::Typing if now >= self.last_key + PROMPT_TIMEOUT => self.hide(),
            Phase::Refused(until) if now >= until => {
                self.phase = Phase::Typing;
                self.last_key = now;
            }
            _ => {}
        }
    }

    /// When `tick` next has something to do.
    pub(crate) fn next_deadline(&self) -> Option<Duration> {
        let escape = match self.escape {
            Escape::Started(at) => Some(at + ESCAPE_WAIT),
            _ => None,
        };
        let phase = match self.phase {
            Phase::Typing => Some(self.last_key + PROMPT_TIMEOUT),
            Phase::Refused(until) => Some(until),
            _ => None,
        };
        escape.into_iter().chain(phase).min()
    }

    /// The check said yes.
    pub(crate) fn accepted(&mut self) {
        self.phase = Phase::Unlocked;
        self.note = None;
    }

    /// The check said no at `now` (`wall` on the clock), for `reason`: count it and wait.
    pub(crate) fn refused(&mut self, now: Duration, wall: NaiveDateTime, reason: &str) {
        self.failures = self.failures.saturating_add(1);
        self.first_failure.get_or_insert(wall);
        self.phase = Phase::Refused(now + self.next_delay);
        self.next_delay = (self.next_delay * 2).min(MAX_DELAY);
        self.note = Some(reason.to_string());
    }

    /// "3 failed attempts since 14:02", when any failed.
    pub(crate) fn failures_report(&self) -> Option<String> {
        let since = self.first_failure?;
        let plural = if self.failures == 1 { "" } else { "s" };
        Some(format!("{} failed attempt{plural} since {}", self.failures, since.format("%H:%M")))
    }

    fn show(&mut self, now: Duration) {
        self.phase = Phase::Typing;
        self.last_key = now;
        if self.failures == 0 {
            self.note = None;
        }
    }

    fn hide(&mut self) {
        self.phase = Phase::Hidden;
        self.password = Secret::new();
    }

    /// An Esc that started no sequence: hides a prompt being typed in.
    fn lone_escape(&mut self) {
        self.escape = Escape::None;
        if self.phase == Phase::Typing {
            self.hide();
        }
    }

    fn type_key(&mut self, byte: u8, now: Duration) -> Option<Secret> {
        self.last_key = now;
        match byte {
            b'\r' | b'\n' if !self.password.is_empty() => {
                self.phase = Phase::Checking;
                self.note = None;
                return Some(std::mem::replace(&mut self.password, Secret::new()));
            }
            b if BACKSPACE.contains(&b) => self.password.pop_char(),
            KILL_LINE => self.password = Secret::new(),
            b if b < 0x20 => {}
            b => {
                if !self.password.push(b) {
                    self.note = Some("too long".into());
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn wall() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 4)
            .and_then(|d| d.and_hms_opt(14, 2, 0))
            .expect("valid date")
    }

    /// Types `text` at `now`; the password submitted, if any.
    fn typed(p: &mut Prompt, text: &[u8], now: Duration) -> Option<Vec<u8>> {
        let mut submitted = None;
        for &b in text {
            if let Some(secret) = p.key(b, now) {
                submitted = Some(secret.bytes().to_vec());
            }
        }
        submitted
    }

    #[test]
    fn the_first_key_shows_the_prompt_and_is_not_typed() {
        let mut p = Prompt::new();
        assert!(!p.visible());
        assert_eq!(typed(&mut p, b"x", secs(1)), None);
        assert!(p.visible());
        assert!(!p.typed());
        assert_eq!(typed(&mut p, b"pw\r", secs(2)), Some(b"pw".to_vec()));
        assert_eq!(p.phase(), Phase::Checking);
    }

    #[test]
    fn enter_on_nothing_submits_nothing() {
        let mut p = Prompt::new();
        assert_eq!(typed(&mut p, b"\r\r\n", secs(1)), None);
        assert_eq!(p.phase(), Phase::Typing);
    }

    #[test]
    fn control_keys_are_not_typed_and_backspace_and_ctrl_u_erase() {
        let mut p = Prompt::new();
        // Ctrl+C, Ctrl+Z, Ctrl+\, Ctrl+S, Ctrl+Q, Ctrl+D: none is typed, none ends anything.
        let got = typed(&mut p, b"\r\x03\x1a\x1c\x13\x11\x04ab\x7fc\r", secs(1));
        assert_eq!(got, Some(b"ac".to_vec()));
        let mut p = Prompt::new();
        assert_eq!(typed(&mut p, b" abc\x15d\x08e\r", secs(1)), Some(b"e".to_vec()));
    }

    #[test]
    fn arrow_keys_are_skipped_and_a_lone_esc_hides_and_wipes() {
        let mut p = Prompt::new();
        let got = typed(&mut p, b" a\x1b[A\x1bOBb\x1b[1;5Cc\r", secs(1));
        assert_eq!(got, Some(b"abc".to_vec()));
        let mut p = Prompt::new();
        typed(&mut p, b" secret\x1b", secs(1));
        assert!(p.visible(), "an Esc waits for what follows");
        p.tick(secs(1) + ESCAPE_WAIT);
        assert!(!p.visible());
        assert!(!p.typed(), "hiding wipes what was typed");
        // An Esc followed by a plain key is a lone Esc too (and the key shows the prompt
        // again, empty).
        typed(&mut p, b" pw\x1bx", secs(2));
        assert!(p.visible() && !p.typed());
    }

    #[test]
    fn the_prompt_hides_after_the_timeout_without_a_key() {
        let mut p = Prompt::new();
        typed(&mut p, b" abc", secs(10));
        assert_eq!(p.next_deadline(), Some(secs(10) + PROMPT_TIMEOUT));
        p.tick(secs(39));
        assert!(p.visible());
        typed(&mut p, b"d", secs(39));
        p.tick(secs(68));
        assert!(p.visible(), "a key restarts the timeout");
        p.tick(secs(69));
        assert!(!p.visible());
        assert!(!p.typed());
    }

    #[test]
    fn refusals_wait_longer_each_time_up_to_the_cap_and_drop_keys_meanwhile() {
        let mut p = Prompt::new();
        let mut now = secs(100);
        let mut delays = Vec::new();
        for _ in 0..8 {
            assert!(typed(&mut p, b" bad\r", now).is_some());
            p.refused(now, wall(), "wrong password");
            let Phase::Refused(until) = p.phase() else { panic!("not refused") };
            delays.push((until - now).as_secs());
            // Keys during the delay are dropped, even Enter.
            assert_eq!(typed(&mut p, b"bad\r", now + secs(1) / 2), None);
            p.tick(until - Duration::from_millis(1));
            assert!(matches!(p.phase(), Phase::Refused(_)));
            p.tick(until);
            assert_eq!(p.phase(), Phase::Typing);
            assert!(!p.typed(), "nothing typed during the delay was kept");
            now = until;
        }
        assert_eq!(delays, [1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(p.failures(), 8);
        assert_eq!(p.note(), Some("wrong password"));
    }

    #[test]
    fn keys_while_checking_are_dropped_and_success_unlocks_with_the_count() {
        let mut p = Prompt::new();
        typed(&mut p, b" bad\r", secs(1));
        p.refused(secs(1), wall(), "wrong password");
        p.tick(secs(2));
        typed(&mut p, b"good\r", secs(3));
        assert_eq!(typed(&mut p, b"more\r", secs(3)), None);
        assert_eq!(p.phase(), Phase::Checking);
        p.accepted();
        assert_eq!(p.phase(), Phase::Unlocked);
        assert_eq!(p.failures_report().as_deref(), Some("1 failed attempt since 14:02"));
        assert_eq!(Prompt::new().failures_report(), None);
    }

    #[test]
    fn a_flood_is_capped() {
        let mut p = Prompt::new();
        typed(&mut p, b" ", secs(1));
        let flood = vec![b'z'; MAX_PASSWORD * 4];
        assert_eq!(typed(&mut p, &flood, secs(1)), None);
        assert_eq!(p.note(), Some("too long"));
        assert_eq!(typed(&mut p, b"\r", secs(1)).map(|pw| pw.len()), Some(MAX_PASSWORD));
    }

    #[test]
    fn a_runaway_escape_sequence_ends() {
        let mut p = Prompt::new();
        typed(&mut p, b" \x1b[", secs(1));
        typed(&mut p, &[b'1'; 40], secs(1));
        // The bytes after the cap are typed again: the prompt is not stuck in the sequence.
        assert_eq!(typed(&mut p, b"ok\r", secs(1)).map(|pw| pw.len()), Some(7 + 2));
    }
}
