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

/// Whole seconds, at least one.
fn seconds(after: Duration) -> u64 {
    after.as_secs().max(1) + u64::from(after.subsec_nanos() > 0)
}

/// The block for `env`: `saver` is the whole saver command line (the program first).
#[must_use]
pub(crate) fn snippet(env: Env, after: Duration, saver: &[String]) -> String {
    let secs = seconds(after);
    let mut with_check = saver.to_vec();
    // The shells start the saver on a timer; it checks for itself that no key came since.
    with_check.insert(2.min(with_check.len()), format!("--if-idle={secs}s"));
    match env {
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
                 # and fish runs the handler while it waits at the prompt.\n\
                 function __fun_saver_arm --on-event fish_prompt\n\
                 \x20   __fun_saver_disarm\n\
                 \x20   command sh -c \"sleep {secs} && kill -USR1 $fish_pid\" >/dev/null 2>&1 &\n\
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
    }
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
        );
        assert!(text.contains("set -g lock-after-time 300\n"), "{text}");
        assert!(text.contains("set -g lock-command \"/usr/bin/fun saver matrix\"\n"), "{text}");
    }

    #[test]
    fn screen_gets_idle_and_blankerprg() {
        let text =
            snippet(Env::Screen, Duration::from_secs(60), &words(&["/opt/fun", "saver", "clock"]));
        assert!(
            text.contains("idle 60 blanker\n")
                && text.contains("blankerprg \"/opt/fun\" \"saver\" \"clock\"\n"),
            "{text}"
        );
    }

    #[test]
    fn the_shells_check_for_idleness_themselves() {
        let saver = words(&["/usr/bin/fun", "saver", "randtxt", "-w", "it's me"]);
        let zsh = snippet(Env::Zsh, Duration::from_millis(1500), &saver);
        assert!(zsh.contains("TMOUT=2\n"), "{zsh}");
        assert!(zsh.contains("/usr/bin/fun saver --if-idle=2s randtxt -w 'it'\\''s me'"), "{zsh}");
        let fish = snippet(Env::Fish, Duration::from_secs(300), &saver);
        assert!(fish.contains("--on-signal USR1") && fish.contains("sleep 300"), "{fish}");
        assert!(fish.contains("'it\\'s me'"), "{fish}");
        assert!(snippet(Env::Bash, Duration::from_secs(1), &saver).contains("no safe idle hook"));
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
