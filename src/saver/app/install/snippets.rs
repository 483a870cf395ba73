//! The idle-trigger snippets, one per environment (docs/idle.md explains each):
//!
//! - tmux: `lock-after-time` + `lock-command`. tmux runs the command on the client's own
//!   terminal after that many seconds without a key, and redraws everything afterwards.
//! - GNU screen: `idle` + `blanker` + `blankerprg`, the same idea in screen.
//! - zsh: `TMOUT` + `TRAPALRM`: zsh raises the alarm at the prompt after TMOUT seconds and runs
//!   the trap while the line editor waits; `--if-idle` skips the saver when keys were typed
//!   meanwhile, `zle reset-prompt` redraws the prompt.
//! - fish: no TMOUT (fish-shell issue 3635), but fish runs signal handlers while it waits at
//!   the prompt: a timer armed at each prompt and disarmed before each command sends SIGUSR1.
//!   The timer is a `sh` waiting for its own `sleep`; disarmed (SIGTERM or SIGHUP), it kills
//!   that `sleep` before it exits, so no `sleep` is ever left behind (orphaned to pid 1).
//!
//! With `--lock` among the saver's words (`fun saver install tmux --lock`) the snippet runs
//! the lock: tmux also gets `lock-server on` (the whole server locks once every session has
//! been idle, as a lock should); GNU screen is refused by `install` (its blanker program is
//! ended by any key, so it can hold no lock).
//!
//! Every word goes into the rc file quoted for that file's reader, and a word with a control
//! character (a newline above all: it would end the line, and could forge our end marker) is
//! refused, so `uninstall` always finds the whole block.
//! - bash: no safe hook. TMOUT logs the shell out, and bash runs a signal trap only after the
//!   line being edited is entered, so nothing can start the saver while bash waits at its
//!   prompt. The snippet says so and points to tmux or screen.

use std::time::Duration;

/// The environments an idle trigger can be installed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Env {
    Tmux,
    Screen,
    Zsh,
    Bash,
    Fish,
}

impl Env {
    /// The name used on the command line.
    #[must_use]
    pub(crate) fn name(self) -> &'static str {
        match self {
            Env::Tmux => "tmux",
            Env::Screen => "screen",
            Env::Zsh => "zsh",
            Env::Bash => "bash",
            Env::Fish => "fish",
        }
    }
}

/// A word as the shell reads it: as is when it is plain, else in single quotes.
#[must_use]
pub(crate) fn sh_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=+,%@".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A command line for `sh -c` (and zsh and fish, which read single quotes the same way for
/// these words).
#[must_use]
pub(crate) fn sh_command(words: &[String]) -> String {
    words.iter().map(|w| sh_quote(w)).collect::<Vec<_>>().join(" ")
}

/// A fish word: fish's single quotes take `\'` and `\\` escapes.
fn fish_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=+,%@".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

/// A tmux or screen config string in double quotes (`\`, `"` and `$` escaped).
fn config_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A saver word that cannot be written into an rc file.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: a control character (a newline, a tab, an escape) cannot go into an rc file; \
     nothing was changed",
    crate::sanitize::quoted(word)
)]
pub(crate) struct ControlCharacter {
    /// The word, escaped when shown (Debug), so the message itself is safe to print.
    pub(crate) word: String,
}

/// Refuses a word that no rc file can hold on one line.
fn check_words(saver: &[String]) -> Result<(), ControlCharacter> {
    let bad = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    match saver.iter().find(|w| w.chars().any(bad)) {
        Some(word) => Err(ControlCharacter { word: word.clone() }),
        None => Ok(()),
    }
}

/// Whole seconds, at least one.
fn seconds(after: Duration) -> u64 {
    after.as_secs().max(1) + u64::from(after.subsec_nanos() > 0)
}

/// The block for `env`: `saver` is the whole saver command line (the program first).
///
/// # Errors
/// A word with a control character.
pub(crate) fn snippet(
    env: Env,
    after: Duration,
    saver: &[String],
) -> Result<String, ControlCharacter> {
    check_words(saver)?;
    let secs = seconds(after);
    let mut with_check = saver.to_vec();
    // The shells start the saver on a timer; it checks for itself that no key came since.
    with_check.insert(2.min(with_check.len()), format!("--if-idle={secs}s"));
    Ok(match env {
        Env::Tmux if locks(saver) => format!(
            "# tmux locks the client's terminal after {secs} s without a key: the saver runs\n\
             # on it and only your password ends it (docs/lock.md: what this protects).\n\
             set -g lock-after-time {secs}\n\
             set -g lock-command {}\n\
             set -g lock-server on\n",
            config_string(&sh_command(saver))
        ),
        Env::Tmux => format!(
            "# tmux runs the saver on the client's terminal after {secs} s without a key.\n\
             set -g lock-after-time {secs}\n\
             set -g lock-command {}\n",
            config_string(&sh_command(saver))
        ),
        Env::Screen => format!(
            "# GNU screen starts the blanker program after {secs} s without a key.\n\
             idle {secs} blanker\n\
             blankerprg {}\n",
            saver.iter().map(|w| config_string(w)).collect::<Vec<_>>().join(" ")
        ),
        Env::Zsh => format!(
            "# zsh raises ALRM after {secs} s at the prompt; the saver checks that no key came.\n\
             TMOUT={secs}\n\
             TRAPALRM() {{\n  {}\n  zle && zle reset-prompt\n}}\n",
            sh_command(&with_check)
        ),
        Env::Fish => {
            let command: Vec<String> = with_check.iter().map(|w| fish_quote(w)).collect();
            format!(
                "# fish has no TMOUT: a timer armed at each prompt sends SIGUSR1 after {secs} s,\n\
                 # and fish runs the handler while it waits at the prompt. Disarmed, the timer\n\
                 # kills its own sleep: none is left behind.\n\
                 function __fun_saver_arm --on-event fish_prompt\n\
                 \x20   __fun_saver_disarm\n\
                 \x20   command sh -c 'trap \"kill \\$! 2>/dev/null; exit 0\" TERM HUP; sleep {secs} & wait $! && kill -USR1 \"$1\"' fun-saver-timer $fish_pid >/dev/null 2>&1 &\n\
                 \x20   set -g __fun_saver_timer $last_pid\n\
                 \x20   disown $last_pid 2>/dev/null\n\
                 end\n\
                 function __fun_saver_disarm --on-event fish_preexec --on-event fish_exit\n\
                 \x20   set -q __fun_saver_timer; and command kill -- -$__fun_saver_timer $__fun_saver_timer 2>/dev/null\n\
                 \x20   set -e __fun_saver_timer\n\
                 end\n\
                 function __fun_saver_run --on-signal USR1\n\
                 \x20   {}\n\
                 \x20   commandline -f repaint\n\
                 \x20   __fun_saver_arm\n\
                 end\n",
                command.join(" ")
            )
        }
        Env::Bash => BASH.to_owned(),
    })
}

/// Whether the saver command line (the program first) locks the terminal: `--lock` as
/// `fun saver` itself parses it (an engine option before or after the screen's name; a word
/// after `--`, or an option's value, is not one).
#[must_use]
pub(crate) fn locks(saver: &[String]) -> bool {
    saver.len() > 1 && super::parse(saver).is_ok_and(|args| args.lock.lock)
}

/// What `install bash` says instead of a snippet.
pub(crate) const BASH: &str = "\
# fun saver: bash has no safe idle hook.
# TMOUT logs the shell out instead of running a command, and bash runs a signal trap only
# after the line being edited is entered, so nothing can start a screensaver while bash
# waits at its prompt. Start it from the terminal multiplexer instead:
#   fun saver install tmux --apply      tmux: lock-after-time + lock-command
#   fun saver install screen --apply    GNU screen: idle + blankerprg
# (or use zsh or fish, which have a hook: fun saver install zsh|fish).
";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn tmux_gets_lock_after_time_and_lock_command() {
        let text = snippet(
            Env::Tmux,
            Duration::from_secs(300),
            &words(&["/usr/bin/fun", "saver", "matrix"]),
        )
        .expect("snippet");
        assert!(text.contains("set -g lock-after-time 300\n"), "{text}");
        assert!(text.contains("set -g lock-command \"/usr/bin/fun saver matrix\"\n"), "{text}");
    }

    #[test]
    fn a_tmux_lock_also_locks_the_server() {
        let saver = words(&["/usr/bin/fun", "saver", "--lock", "matrix"]);
        let text = snippet(Env::Tmux, Duration::from_secs(600), &saver).expect("snippet");
        assert!(text.contains("set -g lock-after-time 600\n"), "{text}");
        assert!(text.contains("set -g lock-command \"/usr/bin/fun saver --lock matrix\"\n"));
        assert!(text.contains("set -g lock-server on\n"), "{text}");
        let plain = snippet(Env::Tmux, Duration::from_secs(600), &saver[..2]).expect("snippet");
        assert!(!plain.contains("lock-server"), "{plain}");
        assert!(!locks(&words(&["/f", "saver", "randtxt", "--", "--lock"])));
        assert!(!locks(&words(&["/f", "saver", "clock", "--message", "--lock"])));
        assert!(locks(&words(&["/f", "saver", "clock", "--lock"])));
    }

    #[test]
    fn the_shells_run_the_lock_with_their_idle_check() {
        let saver = words(&["/usr/bin/fun", "saver", "--lock", "matrix"]);
        let zsh = snippet(Env::Zsh, Duration::from_secs(60), &saver).expect("zsh");
        assert!(zsh.contains("  /usr/bin/fun saver --if-idle=60s --lock matrix\n"), "{zsh}");
        let fish = snippet(Env::Fish, Duration::from_secs(60), &saver).expect("fish");
        assert!(fish.contains("/usr/bin/fun saver --if-idle=60s --lock matrix\n"), "{fish}");
    }

    #[test]
    fn screen_gets_idle_and_blankerprg() {
        let text =
            snippet(Env::Screen, Duration::from_secs(60), &words(&["/opt/fun", "saver", "clock"]))
                .expect("snippet");
        assert!(
            text.contains("idle 60 blanker\n")
                && text.contains("blankerprg \"/opt/fun\" \"saver\" \"clock\"\n"),
            "{text}"
        );
    }

    #[test]
    fn the_shells_check_for_idleness_themselves() {
        let saver = words(&["/usr/bin/fun", "saver", "randtxt", "-w", "it's me"]);
        let zsh = snippet(Env::Zsh, Duration::from_millis(1500), &saver).expect("zsh");
        assert!(zsh.contains("TMOUT=2\n"), "{zsh}");
        assert!(zsh.contains("/usr/bin/fun saver --if-idle=2s randtxt -w 'it'\\''s me'"), "{zsh}");
        let fish = snippet(Env::Fish, Duration::from_secs(300), &saver).expect("fish");
        assert!(fish.contains("--on-signal USR1") && fish.contains("sleep 300"), "{fish}");
        assert!(fish.contains("'it\\'s me'"), "{fish}");
        let bash = snippet(Env::Bash, Duration::from_secs(1), &saver).expect("bash");
        assert!(bash.contains("no safe idle hook"));
    }

    #[test]
    fn a_control_character_in_any_word_is_refused_for_every_environment() {
        for word in ["x\n# <<< fun saver <<<\ny", "a\rb", "tab\there", "\u{1b}[2J", "a\u{2028}b"] {
            let saver = words(&["/usr/bin/fun", "saver", "clock", "--message", word]);
            for env in [Env::Tmux, Env::Screen, Env::Zsh, Env::Fish] {
                let err = snippet(env, Duration::from_secs(60), &saver).expect_err("refused");
                let shown = err.to_string();
                assert!(shown.contains("control character") && !shown.contains('\n'), "{shown}");
                assert!(!shown.contains('\u{1b}'), "{shown}");
            }
        }
    }

    /// The fish timer, run by `sh` as fish runs it and disarmed as fish disarms it: its
    /// `sleep` goes with it (the old timer left one behind, orphaned to pid 1, per command).
    #[test]
    fn the_fish_timer_leaves_no_sleep_behind_when_disarmed() {
        let fish =
            snippet(Env::Fish, Duration::from_secs(4321), &words(&["/f", "saver"])).expect("fish");
        let line = fish.lines().find(|l| l.contains("command sh -c")).expect("the timer");
        let script = line.split('\'').nth(1).expect("quoted script");
        let Ok(mut timer) = std::process::Command::new("sh")
            .args(["-c", script, "fun-saver-timer", "999999999"])
            .spawn()
        else {
            return;
        };
        let sleeps = || {
            let out = std::process::Command::new("pgrep").args(["-f", "^sleep 4321$"]).output();
            out.map(|o| String::from_utf8_lossy(&o.stdout).lines().count()).unwrap_or(0)
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while sleeps() == 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(sleeps() >= 1, "the timer's sleep never started");
        let pid = rustix::process::Pid::from_raw(timer.id().cast_signed()).expect("pid");
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("kill");
        let _ = timer.wait();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while sleeps() > 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(sleeps(), 0, "a sleep was left behind");
    }

    #[test]
    fn config_strings_escape_what_tmux_expands() {
        assert_eq!(config_string("a \"b\" $HOME \\"), "\"a \\\"b\\\" \\$HOME \\\\\"");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn quoted_words_read_back_through_sh(word in "[ -~]{0,12}") {
            let out = std::process::Command::new("sh").arg("-c").arg(format!("printf %s {}", sh_quote(&word))).output();
            if let Ok(out) = out {
                prop_assert_eq!(String::from_utf8_lossy(&out.stdout).into_owned(), word);
            }
        }
    }
}
