//! `-d PID[:FD]`: watch another process read a file, from /proc/PID/fdinfo (Linux), drawing
//! the same line as a transfer with the file's size as the total.

use std::time::Instant;

use super::args::Args;
use super::control::Control;
use super::exit::{ExitStatus, PvError};
use super::format::{self, Snapshot, Style};
use super::options::WatchTarget;
use crate::units::Unit;

/// Position of `fd` in process `pid`, or None once it is gone.
fn position(pid: u32, fd: u32) -> Option<u64> {
    let info = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}")).ok()?;
    info.lines().find_map(|l| l.strip_prefix("pos:")).and_then(|p| p.trim().parse().ok())
}

/// The first regular file the process has open, past stdin/stdout/stderr.
fn first_file(pid: u32) -> Option<u32> {
    let mut fds: Vec<u32> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .ok()?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|&fd| fd > 2)
        .collect();
    fds.sort_unstable();
    fds.into_iter()
        .find(|fd| std::fs::metadata(format!("/proc/{pid}/fd/{fd}")).is_ok_and(|m| m.is_file()))
}

/// The descriptor to watch.
fn resolve(target: WatchTarget) -> Result<u32, PvError> {
    let pid = target.pid;
    if std::fs::metadata(format!("/proc/{pid}")).is_err() {
        return Err(PvError::NoProcess { pid });
    }
    match target.fd {
        Some(fd) => match std::fs::symlink_metadata(format!("/proc/{pid}/fd/{fd}")) {
            Ok(_) => Ok(fd),
            Err(source) => Err(PvError::NoDescriptor { pid, fd, source }),
        },
        None => first_file(pid).ok_or(PvError::NothingToWatch { pid }),
    }
}

/// Runs the watch until the descriptor closes or a signal comes.
pub(crate) fn run(target: WatchTarget, args: &Args, control: &Control) -> ExitStatus {
    let pid = target.pid;
    let fd = match resolve(target) {
        Ok(fd) => fd,
        Err(e) => return e.report(),
    };
    let path = format!("/proc/{pid}/fd/{fd}");
    let size = std::fs::metadata(&path).ok().filter(|m| m.is_file()).map(|m| m.len());
    let name = std::fs::read_link(&path).map(|p| crate::files::display_path(&p)).unwrap_or(path);
    let style = Style {
        unit: Unit::Bytes,
        name: Some(format!("{fd}")),
        bar: args.bar_style.unwrap_or_default(),
    };
    let tokens = format::switches_layout(&format::Switches {
        name: true,
        bytes: true,
        timer: true,
        rate: true,
        progress: true,
        eta: true,
        ..format::Switches::default()
    });
    let width = args.width.filter(|&w| w > 0).unwrap_or(80);
    let interval = std::time::Duration::from_secs_f64(args.interval.unwrap_or(1.0));
    eprintln!("fun pv: watching {name}");
    let start = Instant::now();
    let (mut last_pos, mut last_time) = (position(pid, fd).unwrap_or(0), Instant::now());
    let mut status = ExitStatus::empty();
    while let Some(pos) = position(pid, fd) {
        if control.sleep(interval) {
            status |= ExitStatus::SIGNAL;
            break;
        }
        let now = Instant::now();
        let elapsed = (now - start).as_secs_f64();
        let rate = pos.saturating_sub(last_pos) as f64 / (now - last_time).as_secs_f64().max(0.001);
        let snap =
            Snapshot { amount: pos, elapsed, rate, average: rate, size, ..Snapshot::default() };
        eprint!("{}\r", format::render_segments(&tokens, &snap, &style, width));
        (last_pos, last_time) = (pos, now);
    }
    eprintln!();
    status
}
