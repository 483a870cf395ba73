//! `--on-progress PERCENT COMMAND`: runs COMMAND each time the transfer passes another PERCENT
//! (and once at the end), with the state in `FUN_PV_*` environment variables. COMMAND is
//! split on whitespace and run directly, through `sh -c` only with `--on-progress-shell`.
//! Bounded: one command at a time (a step passed while the last one still runs is folded
//! into the next), so at most 100 runs plus the final one, however small the interval; its
//! output goes to stderr, never into the data.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::pv::format::Snapshot;

/// How long the end of the transfer waits for the last command before leaving it running.
pub(crate) const FINAL_WAIT: Duration = Duration::from_secs(5);

/// What every variable the command gets starts with (they are set for the command, never read
/// by fun itself).
const PREFIX: &str = "FUN_PV_";

/// The environment variables the command gets, after [`PREFIX`], in the order [`state_values`]
/// fills them (fun-pv(1) lists them under ENVIRONMENT).
const VARIABLES: [&str; 9] =
    ["PERCENT", "TRANSFERRED", "SIZE", "ELAPSED", "RATE", "ETA", "NAME", "DONE", "PID"];

/// The full names of [`VARIABLES`].
fn variable_names() -> impl Iterator<Item = String> {
    VARIABLES.into_iter().map(|name| format!("{PREFIX}{name}"))
}

/// The transfer's state as the values of [`VARIABLES`]: the percentage reached (or computed
/// from the size; empty when it is unknown), bytes so far, size, seconds elapsed, rate, seconds
/// left (empty at the end or without a rate), the `-N` name, `1` on the last run, our PID.
fn state_values(
    snap: &Snapshot,
    name: Option<&str>,
    percent: Option<u32>,
    done: bool,
) -> [String; 9] {
    let percent = percent
        .map(|p| p.to_string())
        .or_else(|| snap.size.map(|s| (snap.amount.saturating_mul(100) / s.max(1)).to_string()));
    let eta = snap
        .size
        .filter(|_| snap.eta_rate >= 0.001 && !done)
        .map(|s| ((s.saturating_sub(snap.amount)) as f64 / snap.eta_rate) as u64);
    [
        percent.unwrap_or_default(),
        snap.amount.to_string(),
        snap.size.map(|s| s.to_string()).unwrap_or_default(),
        format!("{:.3}", snap.elapsed),
        format!("{:.3}", snap.rate),
        eta.map(|e| e.to_string()).unwrap_or_default(),
        name.unwrap_or_default().to_owned(),
        if done { "1" } else { "0" }.to_owned(),
        std::process::id().to_string(),
    ]
}

/// The `--on-progress` setup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HookSpec {
    /// Whole percent between runs (1 to 100).
    pub(crate) step: u32,
    pub(crate) command: String,
    pub(crate) shell: bool,
}

/// The running hooks.
#[derive(Debug)]
pub(crate) struct Hooks {
    spec: HookSpec,
    /// The next percentage that runs the command.
    next: u32,
    running: Option<Child>,
    /// Spawning failed once: no more tries.
    broken: bool,
    /// When the end stops waiting for commands (set by the first wait).
    deadline: Option<Instant>,
}

impl Clone for Hooks {
    fn clone(&self) -> Hooks {
        Hooks::new(self.spec.clone())
    }
}

impl Hooks {
    #[must_use]
    pub(crate) fn new(spec: HookSpec) -> Hooks {
        let next = spec.step;
        Hooks { spec, next, running: None, broken: false, deadline: None }
    }

    /// Runs the command when `snap` passed the next step, or at the end.
    pub(crate) fn progress(&mut self, snap: &Snapshot, name: Option<&str>, last: bool) {
        if let Some(child) = &mut self.running
            && !matches!(child.try_wait(), Ok(None))
        {
            self.running = None;
        }
        if last {
            self.wait();
            self.run(snap, name, None, true);
            return;
        }
        let Some(size) = snap.size.filter(|&s| s > 0) else { return };
        let percent = (snap.amount.saturating_mul(100) / size).min(100) as u32;
        if percent < self.next || self.running.is_some() {
            return;
        }
        let reached = percent - percent % self.spec.step;
        self.next = reached + self.spec.step;
        self.run(snap, name, Some(reached), false);
    }

    fn run(&mut self, snap: &Snapshot, name: Option<&str>, percent: Option<u32>, done: bool) {
        if self.broken {
            return;
        }
        let mut command = if self.spec.shell {
            let mut c = Command::new("/bin/sh");
            c.arg("-c").arg(&self.spec.command);
            c
        } else {
            let mut words = self.spec.command.split_whitespace();
            let Some(program) = words.next() else { return };
            let mut c = Command::new(program);
            c.args(words);
            c
        };
        command
            .envs(variable_names().zip(state_values(snap, name, percent, done)))
            .stdin(Stdio::null())
            .stdout(stderr_handle());
        match command.spawn() {
            Ok(child) => self.running = Some(child),
            Err(e) => {
                self.broken = true;
                let line = format!(
                    "--on-progress: {}: {}",
                    self.spec.command,
                    crate::pv::exit::describe(&e)
                );
                crate::stdio::warn("pv", &crate::sanitize::CleanLine::message(line));
            }
        }
    }

    /// Waits for the running command; all waits together last at most [`FINAL_WAIT`].
    pub(crate) fn wait(&mut self) {
        let Some(mut child) = self.running.take() else { return };
        let until = *self.deadline.get_or_insert_with(|| Instant::now() + FINAL_WAIT);
        while Instant::now() < until {
            if !matches!(child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The hook's standard output: our stderr, so nothing it prints enters the data.
fn stderr_handle() -> Stdio {
    use std::os::fd::AsFd;
    std::io::stderr().as_fd().try_clone_to_owned().map_or_else(|_| Stdio::null(), Stdio::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(amount: u64) -> Snapshot {
        Snapshot { amount, size: Some(100), ..Snapshot::default() }
    }

    #[test]
    fn the_manual_page_lists_every_variable_the_command_gets() {
        let page = include_str!("../../app/man/fun-pv.1.roff");
        for name in variable_names() {
            assert!(page.contains(&name), "fun-pv(1) does not list {name}");
        }
    }

    #[test]
    fn one_run_per_step_and_one_at_the_end() {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("log");
        let spec = HookSpec {
            step: 25,
            command: format!("echo $FUN_PV_PERCENT $FUN_PV_DONE >> {}", log.display()),
            shell: true,
        };
        let mut hooks = Hooks::new(spec);
        for amount in [10, 30, 31, 60, 99] {
            hooks.progress(&snap(amount), None, false);
            hooks.wait();
            hooks.deadline = None;
        }
        hooks.progress(&snap(100), Some("n"), true);
        hooks.wait();
        let text = std::fs::read_to_string(&log).expect("log");
        assert_eq!(text, "25 0\n50 0\n75 0\n100 1\n");
    }

    #[test]
    fn a_missing_program_is_reported_once() {
        let mut hooks =
            Hooks::new(HookSpec { step: 1, command: "/nonexistent/x".into(), shell: false });
        hooks.progress(&snap(50), None, false);
        assert!(hooks.broken);
        hooks.progress(&snap(60), None, false);
        assert!(hooks.running.is_none());
    }
}
