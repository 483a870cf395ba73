//! `-M SIDE -- COMMAND...` (pv 1.11): runs COMMAND and shows the progress of what it reads
//! (`in`: our standard input goes to it through a pipe), writes (`out`: its output comes
//! through a pipe to ours), or both, each side a row (the output side adds `%{ratio}`, e.g.
//! `10:1` for a compressor). The data passes through us, so it is counted exactly and never
//! altered. `files` (ours) is for a command that opens its files itself, like
//! `gzip -9 big.tar`: it is watched as `-d PID` watches, until it exits.
//!
//! Only the main thread ends pv: it waits for the copies and the command; a signal makes it
//! send SIGTERM to the command and leave (within a second). The command failing (not found,
//! a non-zero exit, killed) sets exit bit 1, with a message.

use std::fs::File;
use std::os::fd::OwnedFd;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::args::Args;
use super::control::{Control, Event};
use super::display::hooks::HookSpec;
use super::display::{Display, Row, View};
use super::exit::{ExitStatus, PvError};
use super::format::Token;
use super::options::{Side, SizeArg, WatchTarget};
use super::remote::Server;
use super::session::{plan, wait_for_reader};
use super::shared::Shared;
use super::transfer::Plan;
use super::{setup, sizes, transfer};

/// Runs `-M`.
pub(crate) fn run(
    side: Side,
    args: &Args,
    hooks: Option<HookSpec>,
    control: &Control,
) -> ExitStatus {
    match monitor(side, args, hooks, control) {
        Ok(status) => status,
        Err(e) => e.report(),
    }
}

/// The command line as one string (for messages).
fn command_text(args: &Args) -> String {
    args.files.join(" ")
}

fn spawn(side: Side, args: &Args) -> Result<Child, PvError> {
    let (program, rest) = args.files.split_first().ok_or(PvError::MonitorNothing)?;
    let mut command = Command::new(program);
    command.args(rest);
    if matches!(side, Side::In | Side::Both) {
        command.stdin(Stdio::piped());
    }
    if matches!(side, Side::Out | Side::Both) {
        command.stdout(Stdio::piped());
    }
    command.spawn().map_err(|source| PvError::MonitorStart { command: command_text(args), source })
}

fn monitor(
    side: Side,
    args: &Args,
    hooks: Option<HookSpec>,
    control: &Control,
) -> Result<ExitStatus, PvError> {
    if args.files.is_empty() {
        return Err(PvError::MonitorNothing);
    }
    let mut child = spawn(side, args)?;
    let mut status = if side == Side::Files {
        let pid = child.id();
        super::watchfd::watch(&[WatchTarget { pid, fd: None }], args, control)
    } else {
        relay(side, args, hooks, &mut child, control)?
    };
    if status.contains(ExitStatus::SIGNAL) {
        stop(&mut child);
        return Ok(status);
    }
    status |= wait(&mut child, args, control);
    Ok(status)
}

/// Ends the command after a signal (SIGTERM, without waiting for it).
fn stop(child: &mut Child) {
    if let Some(pid) = i32::try_from(child.id()).ok().and_then(rustix::process::Pid::from_raw) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    }
    let _ = child.try_wait();
}

/// Waits for the command (a signal still ends pv), reporting a failure.
fn wait(child: &mut Child, args: &Args, control: &Control) -> ExitStatus {
    loop {
        match child.try_wait() {
            Ok(Some(exit)) => {
                if exit.success() {
                    return ExitStatus::empty();
                }
                let how = match (exit.code(), exit.signal()) {
                    (Some(code), _) => format!("exited with status {code}"),
                    (None, Some(signal)) => format!("killed by signal {signal}"),
                    _ => "failed".to_owned(),
                };
                return PvError::MonitorFailed { command: command_text(args), how }.report();
            }
            Ok(None) => {
                if control.sleep(std::time::Duration::from_millis(50)) {
                    stop(child);
                    return ExitStatus::SIGNAL;
                }
            }
            Err(_) => return ExitStatus::empty(),
        }
    }
}

/// Sends [`Event::Exited`] when the command exits (without reaping it: [`wait`] does).
fn notify_exit(pid: u32, control: &Control) {
    use rustix::process::{Pid, WaitId, WaitIdOptions, waitid};
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else { return };
    let report = control.sender.clone();
    std::thread::spawn(move || {
        let options = WaitIdOptions::EXITED | WaitIdOptions::NOWAIT;
        while let Err(rustix::io::Errno::INTR) = waitid(WaitId::Pid(pid), options) {}
        let _ = report.send(Event::Exited);
    });
}

/// Waits until the copies are done, or the command exited and its output side (if any) is
/// done: an input side still reading an idle standard input is then left behind. Returns
/// whether a signal came.
fn wait_for_sides(control: &Control, copies: usize, has_input: bool) -> bool {
    let outputs = copies - usize::from(has_input);
    let (mut inputs_done, mut outputs_done, mut exited) = (0, 0, false);
    loop {
        match control.events.recv() {
            Ok(Event::Stop) => return true,
            Ok(Event::InputDone) => inputs_done += 1,
            Ok(Event::Finished) => outputs_done += 1,
            Ok(Event::Exited) => exited = true,
            Ok(Event::Drawn) => {}
            Err(_) => return false,
        }
        if outputs_done == outputs && (exited || inputs_done == usize::from(has_input)) {
            return false;
        }
    }
}

/// The tokens and name of one side: `-F`/`-N` given twice are input side, output side.
fn side_layout(
    args: &Args,
    index: usize,
    ratio: bool,
    size_known: bool,
) -> (Vec<Token>, Option<String>) {
    let format = args.format.get(index).or(args.format.first());
    let name = args.name.get(index).or(args.name.first()).cloned();
    let mut tokens = setup::layout(args, format, size_known, name.is_some());
    if ratio && format.is_none() && !args.numeric {
        tokens.push(Token::Literal(" ".into()));
        tokens.push(Token::Ratio);
    }
    (tokens, name)
}

/// What both sides need to start.
struct Sides<'a> {
    args: &'a Args,
    plan: Plan,
    size: Option<u64>,
    control: &'a Control,
    rows: Vec<Row>,
    counters: Vec<Arc<Shared>>,
}

impl Sides<'_> {
    fn counter(&self) -> Shared {
        let shared = Shared::new(1, self.plan.line_mode);
        let rate = self.args.rate_limit.map_or(0, |r| r.resolve(self.args.si));
        shared.rate_limit.store(rate, Ordering::Relaxed);
        shared
    }

    /// Copies our standard input into the command's.
    fn input(&mut self, stdin: std::process::ChildStdin) {
        let shared = Arc::new(self.counter());
        let size = self.size.or_else(|| sizes::inputs_size(&["-".to_owned()]));
        let (tokens, name) = side_layout(self.args, 0, false, size.is_some());
        self.rows.push(Row { name, tokens: Some(tokens), ..Row::whole(Arc::clone(&shared), size) });
        let mut pipe = File::from(OwnedFd::from(stdin));
        let (plan, copier, report) =
            (self.plan.clone(), Arc::clone(&shared), self.control.sender.clone());
        std::thread::spawn(move || {
            copier.fail(transfer::run(&["-".to_owned()], &mut pipe, &plan, &copier));
            // Closed: the command sees the end of its input.
            drop(pipe);
            let _ = report.send(Event::InputDone);
        });
        self.counters.push(shared);
    }

    /// Copies the command's output into ours (with the ratio against the input side).
    fn output(
        &mut self,
        stdout: std::process::ChildStdout,
        visible: bool,
        both: bool,
    ) -> Result<(), PvError> {
        let mut shared = self.counter();
        let mut out = crate::stdio::stdout_file().map_err(|source| PvError::Write { source })?;
        let fifo =
            out.metadata().is_ok_and(|m| std::os::unix::fs::FileTypeExt::is_fifo(&m.file_type()));
        if visible && fifo {
            shared.output_pipe = std::os::fd::AsFd::as_fd(&out).try_clone_to_owned().ok();
        }
        let shared = Arc::new(shared);
        let (tokens, name) = side_layout(self.args, usize::from(both), both, self.size.is_some());
        let other = self.counters.first().cloned();
        let row = Row::whole(Arc::clone(&shared), self.size);
        self.rows.push(Row { name, other, tokens: Some(tokens), ..row });
        let input = File::from(OwnedFd::from(stdout));
        let (plan, copier, report) =
            (self.plan.clone(), Arc::clone(&shared), self.control.sender.clone());
        let name = self.args.files[0].clone();
        std::thread::spawn(move || {
            copier.fail(transfer::run_open(&name, input, &mut out, &plan, &copier));
            let _ = report.send(Event::Finished);
        });
        self.counters.push(shared);
        Ok(())
    }
}

/// The counter standing for the whole (the output side with both).
fn primary_counter(counters: &[Arc<Shared>]) -> Arc<Shared> {
    Arc::clone(&counters[counters.len() - 1])
}

/// Moves the data through the command's pipes and shows it.
fn relay(
    side: Side,
    args: &Args,
    hooks: Option<HookSpec>,
    child: &mut Child,
    control: &Control,
) -> Result<ExitStatus, PvError> {
    let size = match &args.size {
        Some(SizeArg::Amount(a)) => Some(a.resolve(args.si)),
        Some(SizeArg::FileSize(path)) => Some(sizes::size_of(path)?),
        None => None,
    };
    let mut config = setup::transfer_config(args, size.is_some(), hooks);
    let visible = config.view != View::Hidden;
    let plan = plan(args, size);
    let mut sides = Sides { args, plan, size, control, rows: Vec::new(), counters: Vec::new() };
    let has_input = child.stdin.is_some();
    if let Some(stdin) = child.stdin.take() {
        sides.input(stdin);
    }
    if let Some(stdout) = child.stdout.take() {
        sides.output(stdout, visible, side == Side::Both)?;
    }
    let Sides { rows, counters, .. } = sides;
    // The titles of -x show the last row (the output side with both).
    config.tokens = rows.last().and_then(|r| r.tokens.clone()).unwrap_or_default();
    let display = Display::spawn(config, rows, control.flags.clone(), control.sender.clone());
    let _server = Server::start(primary_counter(&counters), Some(display.clone()), control);
    notify_exit(child.id(), control);
    let mut signalled = wait_for_sides(control, counters.len(), has_input);
    if !signalled && visible {
        signalled = wait_for_reader(&primary_counter(&counters), control);
    }
    let status = counters.iter().fold(ExitStatus::empty(), |s, shared| s | shared.status());
    display.finish(status);
    signalled |= control.wait_for_final_line(signalled);
    Ok(if signalled { status | ExitStatus::SIGNAL } else { status })
}
