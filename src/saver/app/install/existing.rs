//! An idle action the user already has, outside our block: tmux's `lock-command` or
//! `lock-after-time` (often `vlock`, a real lock some security baselines require), GNU screen's
//! `idle` or `blankerprg`, zsh's own `TMOUT` or `TRAPALRM` (or an ALRM trap), a fish USR1
//! handler. Installing the saver would silently replace a lock with a screensaver any key
//! dismisses, so `install` names the line and refuses unless `--force` is given.
//!
//! The check reads words, not a shell: it may see a lock in a line that only mentions one
//! (the user then reads the line it names and decides), but it does not miss the usual ways
//! of writing one.

use super::rcfile::{BEGIN, END};
use super::snippets::Env;

/// The user's own idle action: where it is and what the line says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Existing {
    pub(crate) line: usize,
    /// The line, cleaned for a terminal and cut short.
    pub(crate) text: String,
}

/// The words of a line, split at anything that is not part of a name or an option.
fn words(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| !w.is_empty())
}

/// Whether `line` (not a comment) sets an idle action for `env`.
fn is_idle_action(env: Env, line: &str) -> bool {
    let has = |names: &[&str]| words(line).any(|w| names.contains(&w));
    match env {
        Env::Tmux => has(&["lock-command", "lock-after-time"]),
        Env::Screen => matches!(words(line).next(), Some("idle" | "blankerprg")),
        Env::Zsh => has(&["TMOUT", "TRAPALRM"]) || (has(&["trap"]) && has(&["ALRM", "SIGALRM"])),
        Env::Fish => has(&["--on-signal", "-s"]) && has(&["USR1", "SIGUSR1"]),
        Env::Bash => false,
    }
}

/// The first idle action of the user's in `text`, outside our block.
#[must_use]
pub(crate) fn find(env: Env, text: &str) -> Option<Existing> {
    let mut inside = false;
    for (number, raw) in text.lines().enumerate() {
        let bare = raw.trim_end_matches('\r');
        if bare == BEGIN || bare == END {
            inside = bare == BEGIN;
            continue;
        }
        let code = bare.trim_start();
        if inside || code.starts_with('#') || !is_idle_action(env, code) {
            continue;
        }
        let mut shown = crate::sanitize::sanitize_line(code.as_bytes());
        if shown.chars().count() > 80 {
            shown = shown.chars().take(77).chain("...".chars()).collect();
        }
        return Some(Existing { line: number + 1, text: shown });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_users_lock_is_found_outside_our_block_only() {
        let tmux = "set -g mouse on\nset -g lock-command vlock\n";
        assert_eq!(
            find(Env::Tmux, tmux),
            Some(Existing { line: 2, text: "set -g lock-command vlock".into() })
        );
        let ours = format!("set -g mouse on\n{BEGIN}\nset -g lock-after-time 9\n{END}\n");
        assert_eq!(find(Env::Tmux, &ours), None);
        assert_eq!(find(Env::Tmux, "# set -g lock-command vlock\n"), None);
        assert_eq!(
            find(Env::Tmux, "set-option -g lock-after-time 600\r\n").map(|e| e.line),
            Some(1)
        );
    }

    #[test]
    fn each_environment_has_its_own_idle_actions() {
        assert!(find(Env::Zsh, "readonly TMOUT=900\n").is_some());
        assert!(find(Env::Zsh, "export TMOUT\n").is_some());
        assert!(find(Env::Zsh, "TRAPALRM() { lock }\n").is_some());
        assert!(find(Env::Zsh, "trap 'vlock' ALRM\n").is_some());
        assert!(find(Env::Zsh, "alias timeout=x\n").is_none());
        assert!(find(Env::Screen, "idle 600 lockscreen\n").is_some());
        assert!(find(Env::Screen, "blankerprg cmatrix\n").is_some());
        assert!(find(Env::Screen, "startup_message off\n").is_none());
        assert!(find(Env::Fish, "function lock --on-signal USR1\n").is_some());
        assert!(find(Env::Fish, "function f --on-event fish_prompt\n").is_none());
    }

    #[test]
    fn the_line_shown_is_clean_and_short() {
        let line = format!("set -g lock-command \"\x1b]0;x\x07{}\"\n", "v".repeat(200));
        let found = find(Env::Tmux, &line).expect("found");
        assert!(!found.text.contains('\x1b') && found.text.chars().count() <= 80, "{found:?}");
    }
}
