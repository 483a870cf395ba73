//! The terminal guard: puts the terminal into full-screen mode and always restores it.
//!
//! [`TerminalGuard::enter`] turns on raw mode (which also turns echo off), switches to the
//! alternate screen, hides the cursor and turns off auto-wrap. Everything is undone by
//! [`restore`], which is idempotent and is called from three places:
//! - `Drop` of the guard (normal exit, any key, an error unwinding through `?`),
//! - the panic hook, which restores *first* and then lets the previous hook print the report on
//!   a usable terminal (`panic = "unwind"` stays on in Cargo.toml, so `Drop` runs as well),
//! - after a termination signal: SIGTERM, SIGHUP, SIGQUIT and SIGINT are turned into a flag by
//!   signal-hook, so the normal exit path runs. The flag alone would only be seen when the
//!   frame loop wakes up, so a small thread (signal-hook's iterator, blocked until a signal
//!   arrives: no polling) also raises SIGWINCH, which crossterm's event poll already waits
//!   for; the loop wakes at once, sees the flag and exits.
//!
//! The user's scrollback is never touched: the alternate screen has none, and `ED 3` is never
//! sent.

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::SigId;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGWINCH};
use signal_hook::iterator::{Handle, Signals};

/// Enter: alternate screen, hide cursor, auto-wrap off (so the bottom-right cell never scrolls).
const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[?7l";
/// Leave: reset colours, auto-wrap on, show cursor, back to the main screen.
const LEAVE: &[u8] = b"\x1b[0m\x1b[?7h\x1b[?25h\x1b[?1049l";

/// The signals that end the program gracefully.
pub const TERMINATING_SIGNALS: [i32; 4] = [SIGTERM, SIGHUP, SIGQUIT, SIGINT];

/// Whether the terminal is currently in our full-screen state (and needs restoring).
static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// Owns the full-screen terminal state for its lifetime.
pub struct TerminalGuard {
    signal: Arc<AtomicUsize>,
    sig_ids: Vec<SigId>,
    waker: Option<(Handle, std::thread::JoinHandle<()>)>,
}

impl TerminalGuard {
    /// Checks that stdout is a terminal, then enters full-screen mode.
    ///
    /// # Errors
    /// When stdout is not a terminal, or raw mode cannot be enabled.
    pub fn enter() -> anyhow::Result<TerminalGuard> {
        if !io::stdout().is_terminal() {
            anyhow::bail!(
                "stdout is not a terminal; run it in a terminal \
                 (or preview with --headless --size 80x24 --frames 50)"
            );
        }
        install_panic_hook();
        let signal = Arc::new(AtomicUsize::new(0));
        let mut sig_ids = Vec::new();
        for sig in TERMINATING_SIGNALS {
            // The handler only stores the signal number; the frame loop notices it and exits
            // through the normal path, so Drop restores the terminal.
            let id = signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
            sig_ids.push(id);
        }
        let waker = spawn_waker()?;
        let guard = TerminalGuard { signal, sig_ids, waker: Some(waker) };
        crossterm::terminal::enable_raw_mode()
            .map_err(|e| anyhow::anyhow!("cannot switch the terminal to raw mode: {e}"))?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = io::stdout().lock();
        out.write_all(ENTER)?;
        out.flush()?;
        Ok(guard)
    }

    /// The termination signal received since `enter`, if any.
    #[must_use]
    pub fn pending_signal(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            sig => i32::try_from(sig).ok(),
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        for id in self.sig_ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
        if let Some((handle, thread)) = self.waker.take() {
            handle.close();
            let _ = thread.join();
        }
    }
}

/// A thread that sleeps until a terminating signal arrives, then raises SIGWINCH so that a
/// blocked crossterm `event::poll` returns and the frame loop sees the signal flag at once.
fn spawn_waker() -> io::Result<(Handle, std::thread::JoinHandle<()>)> {
    let mut signals = Signals::new(TERMINATING_SIGNALS)?;
    let handle = signals.handle();
    let thread = std::thread::Builder::new().name("fun-signals".into()).spawn(move || {
        for _ in signals.forever() {
            let _ = signal_hook::low_level::raise(SIGWINCH);
        }
    })?;
    Ok((handle, thread))
}

/// Restores the terminal if a guard left it in full-screen mode; safe to call any number of
/// times and from a panic hook. Errors are ignored: the terminal may already be gone (SIGHUP).
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = out.write_all(LEAVE);
    let _ = out.flush();
    let _ = crossterm::terminal::disable_raw_mode();
}

/// Installs (once) a panic hook that restores the terminal before the previous hook prints.
pub fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// The conventional exit status for a program ended by `signal` (128 + number).
#[must_use]
pub fn signal_exit_status(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_without_guard_does_nothing() {
        restore();
        restore();
        assert!(!ACTIVE.load(Ordering::SeqCst));
    }

    #[test]
    fn leave_undoes_enter() {
        let mut parser = crate::saver::render::vt_parser(5, 10);
        parser.process(ENTER);
        assert!(parser.screen().alternate_screen());
        assert!(parser.screen().hide_cursor());
        parser.process(LEAVE);
        assert!(!parser.screen().alternate_screen());
        assert!(!parser.screen().hide_cursor());
    }

    #[test]
    fn exit_status_for_signals() {
        assert_eq!(signal_exit_status(SIGTERM), 143);
        assert_eq!(signal_exit_status(SIGINT), 130);
    }
}
