//! Job control for the terminal guard: stopping (SIGTSTP, or the user's suspend key) gives the
//! terminal back to the shell and stops the process; running again (SIGCONT) takes it again.
//!
//! Stopping: the restore is taken out of [`ACTIVE`] (the terminal is the shell's while we are
//! stopped: a panic or an ending then has nothing to put back), the terminal is put back as
//! [`restore`](super::restore) does (main screen, cursor, the user's settings, the shared
//! flags), and the process raises SIGSTOP, which cannot be caught. When it runs again, a
//! termination signal that came meanwhile (the kernel delivers it with SIGCONT) ends the run
//! with the terminal still the shell's; otherwise the restore goes back into `ACTIVE` first and
//! then raw mode, the alternate screen and the hidden cursor are set again, and
//! [`Wake::Continued`] tells the caller to repaint everything.
//!
//! A SIGCONT without our own stop (`kill -STOP`, then `fg` or `kill -CONT`) also takes the
//! terminal again and asks for a repaint: the shell may have set its own modes meanwhile.
//!
//! Stopping is only done where someone will see it and can continue us: when we lead a process
//! group of our own that is not the session's, which is what a job-control shell makes for the
//! command it starts (`fun saver clock`, `sh -c 'exec fun saver clock'`). A process in its
//! session leader's group (`tmux new 'fun saver clock'`, a shell without job control) has no
//! job-control shell above it, and the kernel itself ignores the terminal's stop signals for
//! such an orphaned group; a child inside another process's group (tmux's `lock-command`, run
//! by the tmux client) would stop alone, unseen by the shell, which waits for the group's
//! leader: the screen would be gone and nothing could bring it back. There SIGTSTP is ignored
//! and Ctrl+Z is an ordinary key (it ends the saver, like any key).

use rustix::termios::Termios;
use signal_hook::consts::SIGSTOP;

use super::{ACTIVE, ENTER, LEAVE, TerminalGuard, Wake};

/// The user's suspend key (usually Ctrl+Z) from the settings saved before raw mode, when those
/// settings turn such keys into signals; raw mode turns it into a plain byte.
pub(super) fn suspend_key(termios: &Termios) -> Option<u8> {
    use rustix::termios::{LocalModes, SpecialCodeIndex};
    let key = termios.special_codes[SpecialCodeIndex::VSUSP];
    // 0 (_POSIX_VDISABLE) turns the key off.
    (termios.local_modes.contains(LocalModes::ISIG) && key != 0).then_some(key)
}

/// The user's interrupt and quit keys (usually Ctrl+C and Ctrl+\\) with the signal each
/// sends outside raw mode, when their settings turn such keys into signals: raw mode turns them
/// into plain bytes, and the run ends as if the signal had come (status 130 for Ctrl+C, as the
/// user expects of a terminal program), not as for any other key.
pub(super) fn signal_keys(termios: &Termios) -> Vec<(u8, i32)> {
    use rustix::termios::{LocalModes, SpecialCodeIndex};
    use signal_hook::consts::{SIGINT, SIGQUIT};
    if !termios.local_modes.contains(LocalModes::ISIG) {
        return Vec::new();
    }
    [(SpecialCodeIndex::VINTR, SIGINT), (SpecialCodeIndex::VQUIT, SIGQUIT)]
        .into_iter()
        .map(|(index, signal)| (termios.special_codes[index], signal))
        .filter(|(key, _)| *key != 0)
        .collect()
}

/// Whether a job-control shell sees our stop and can continue us: we lead our own process
/// group, and it is not the session leader's (see the module documentation).
pub(super) fn available() -> bool {
    let group = rustix::process::getpgrp();
    group == rustix::process::getpid()
        && rustix::process::getsid(None).is_ok_and(|session| session != group)
}

impl TerminalGuard {
    /// A pending stop (SIGTSTP) or continue (SIGCONT), handled: `Some` when the caller must
    /// act (repaint everything, or end on a termination signal that came meanwhile).
    pub(super) fn job_control(&mut self) -> Option<Wake> {
        // Locked, nothing suspends the run (the stop request is taken and dropped).
        if self.signals.take_stop() && !self.locked && available() {
            return Some(self.suspend());
        }
        if self.signals.take_continued() {
            // `kill -STOP`, then `bg`: nothing of ours may be drawn over the shell, and the
            // terminal's settings cannot be changed from the background (the kernel would stop
            // us inside `tcsetattr`): stop again until `fg`.
            if available()
                && let Some(ending) = self.stop_until_foreground()
            {
                return Some(ending);
            }
            return Some(self.take_again());
        }
        None
    }

    /// Stops (SIGSTOP) as long as we are continued in the background; `Some` when a
    /// termination signal came meanwhile.
    fn stop_until_foreground(&mut self) -> Option<Wake> {
        while !self.in_foreground() {
            let _ = signal_hook::low_level::raise(SIGSTOP);
            self.signals.drain();
            if let Some(sig) = self.signals.termination() {
                return Some(Wake::Signal(sig));
            }
        }
        None
    }

    /// Whether our process group has the terminal (false after `bg`). A terminal that cannot
    /// be asked is gone: taking it again then fails and ends the run.
    fn in_foreground(&self) -> bool {
        rustix::termios::tcgetpgrp(&*self.tty.output)
            .map_or(true, |group| group == rustix::process::getpgrp())
    }

    /// Reads the keys; the user's suspend key stops the process instead of ending the run, and
    /// the interrupt and quit keys end it as their signals do.
    pub(super) fn read_keys_or_suspend(&mut self) -> std::io::Result<Option<Wake>> {
        match self.read_keys()? {
            Some(Wake::Key(key)) if Some(key) == self.suspend_key && available() => {
                Ok(Some(self.suspend()))
            }
            Some(Wake::Key(key))
                if let Some(&(_, sig)) = self.signal_keys.iter().find(|(k, _)| *k == key) =>
            {
                Ok(Some(Wake::Signal(sig)))
            }
            other => Ok(other),
        }
    }

    /// Gives the terminal back, stops, and (once continued) takes it again.
    pub(super) fn suspend(&mut self) -> Wake {
        let taken = ACTIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        let Some(restore) = taken else { return Wake::Hangup };
        // (From the background it only puts back the file flags: see `give_back`.)
        restore.give_back(LEAVE);
        // Stops here until SIGCONT (SIGSTOP cannot be caught or ignored).
        let _ = signal_hook::low_level::raise(SIGSTOP);
        self.signals.drain();
        // Continued in the background (`bg`): the terminal is not ours to take (taking it
        // would stop us inside `tcsetattr`, where `kill %1` could not end us): stop again
        // until `fg`. Ending: the terminal is already the shell's, and stays so.
        let ending = self.signals.termination().map(Wake::Signal);
        if let Some(ending) = ending.or_else(|| self.stop_until_foreground()) {
            return ending;
        }
        *ACTIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(restore);
        self.take_again()
    }

    /// Raw mode, alternate screen, hidden cursor, again; [`Wake::Continued`] for a repaint, or
    /// how the run ends when that fails.
    fn take_again(&mut self) -> Wake {
        let result = {
            let active = ACTIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            active.as_ref().map(|restore| restore.take_again(ENTER))
        };
        // The SIGCONT that continued us has been seen.
        let _ = self.signals.take_continued();
        match result {
            Some(Ok(())) => Wake::Continued,
            // The terminal is gone, or the guard has already restored it.
            Some(Err(_)) | None => self.signals.termination().map_or(Wake::Hangup, Wake::Signal),
        }
    }
}
