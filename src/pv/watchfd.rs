//! `-d`: watch other processes read and write their files, from `/proc/PID/fdinfo` (Linux).
//! Each argument is `PID` (every regular file and block device the process has open, as it
//! opens them), `PID:FD` (that descriptor), `=NAME` (every process of that name) or
//! `@LISTFILE` (more arguments, one a line, from a regular file of at most 64 KiB and 1024
//! lines). Each watched descriptor gets a row named `FD:path` (`PID:FD:path` when several
//! processes are watched); the watch ends when every descriptor has closed and every process
//! has exited.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::time::Instant;

use super::args::Args;
use super::control::Control;
use super::display::outside::{Sample, Watcher};
use super::exit::{ExitStatus, PvError};
use super::options::{self, MAX_LIST_BYTES, MAX_LIST_ENTRIES, WatchArg, WatchTarget};
use super::setup;

/// Position of `fd` in process `pid`, or None once it is gone.
fn position(pid: u32, fd: u32) -> Option<u64> {
    let info = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}")).ok()?;
    info.lines().find_map(|l| l.strip_prefix("pos:")).and_then(|p| p.trim().parse().ok())
}

/// Whether `pid` is running (a zombie waiting to be reaped is not).
fn process_exists(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
    let state = stat.rfind(')').and_then(|i| stat[i + 1..].split_whitespace().next());
    !matches!(state, Some("Z" | "X") | None)
}

/// The processes named `name` (their `comm`, which the kernel cuts to 15 bytes), not us.
fn processes_named(name: &str) -> Vec<u32> {
    let wanted: String = name.chars().take(15).collect();
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let own = std::process::id();
    let mut pids: Vec<u32> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != own)
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|comm| comm.trim_end_matches('\n') == wanted)
        })
        .collect();
    pids.sort_unstable();
    pids
}

/// Reads `@LISTFILE`'s arguments (no nested lists).
fn list_file(path: &Path) -> Result<Vec<WatchArg>, PvError> {
    let name = crate::files::display_path(path);
    let failed = |why: String| PvError::ListFile { path: name.clone(), why };
    let bytes =
        crate::files::read_capped(path, MAX_LIST_BYTES).map_err(|e| failed(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| failed("not text".into()))?;
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if lines.len() > MAX_LIST_ENTRIES {
        return Err(failed(format!("more than {MAX_LIST_ENTRIES} lines")));
    }
    lines
        .iter()
        .map(|line| match options::watch_arg(line) {
            Ok(WatchArg::List(_)) => Err(failed("a list cannot name another list".into())),
            Ok(arg) => Ok(arg),
            Err(e) => {
                Err(failed(format!("{}: {e}", crate::sanitize::sanitize_line(line.as_bytes()))))
            }
        })
        .collect()
}

/// The targets all the arguments name, each checked to exist.
pub(crate) fn targets(args: &[WatchArg]) -> Result<Vec<WatchTarget>, PvError> {
    let mut out = Vec::new();
    for arg in args {
        match arg {
            WatchArg::Target(t) => out.push(*t),
            WatchArg::Name(name) => {
                let pids = processes_named(name);
                if pids.is_empty() {
                    return Err(PvError::NoProcessNamed { name: name.clone() });
                }
                out.extend(pids.into_iter().map(|pid| WatchTarget { pid, fd: None }));
            }
            WatchArg::List(path) => out.extend(targets(&list_file(path)?)?),
        }
    }
    for target in &out {
        let pid = target.pid;
        if !process_exists(pid) {
            return Err(PvError::NoProcess { pid });
        }
        // Whether its descriptors can be read at all (not another user's process), for `PID`
        // as for `PID:FD`: otherwise a whole-process watch would wait, silent, for its end.
        if let Err(source) = std::fs::read_dir(format!("/proc/{pid}/fd")) {
            return Err(PvError::Unwatchable { pid, source });
        }
        if let Some(fd) = target.fd
            && let Err(source) = std::fs::symlink_metadata(format!("/proc/{pid}/fd/{fd}"))
        {
            return Err(PvError::NoDescriptor { pid, fd, source });
        }
    }
    out.dedup();
    Ok(out)
}

/// One watched descriptor.
#[derive(Clone, Debug)]
struct Watched {
    pid: u32,
    fd: u32,
    /// What it pointed at when first seen (a change means a new file).
    path: String,
    size: Option<u64>,
    initial: u64,
    since: Instant,
    /// Named on the command line (`PID:FD`): watched once.
    explicit: bool,
}

impl Watched {
    /// Starts watching `pid`'s `fd` if it is a regular file or a block device (`any`: any
    /// kind, for an explicit `PID:FD`).
    fn start(pid: u32, fd: u32, any: bool) -> Option<Watched> {
        let link = format!("/proc/{pid}/fd/{fd}");
        let path = std::fs::read_link(&link).ok()?.to_string_lossy().into_owned();
        let meta = std::fs::metadata(&link).ok()?;
        let kind = meta.file_type();
        if !(any || kind.is_file() || kind.is_block_device()) {
            return None;
        }
        // The link's own mode tells how it was opened: a file open for writing grows, so its
        // size says nothing about the end (as pv).
        let writing =
            std::fs::symlink_metadata(&link).is_ok_and(|m| m.permissions().mode() & 0o200 != 0);
        let size = if kind.is_file() && !writing {
            Some(meta.len())
        } else if kind.is_block_device() {
            crate::pv::sizes::size_of(Path::new(&link)).ok()
        } else {
            None
        };
        let initial = position(pid, fd)?;
        Some(Watched { pid, fd, path, size, initial, since: Instant::now(), explicit: any })
    }

    /// Still the same open file.
    fn current(&self) -> bool {
        std::fs::read_link(format!("/proc/{}/fd/{}", self.pid, self.fd))
            .is_ok_and(|p| p.to_string_lossy() == self.path)
    }
}

/// The row name: `FD:path` or `PID:FD:path`, the path relative to the current directory and
/// cut in the middle to fit half the width.
fn row_name(watched: &Watched, several_processes: bool, width: usize, cwd: &str) -> String {
    let path = watched
        .path
        .strip_prefix(cwd)
        .and_then(|p| p.strip_prefix('/'))
        .filter(|_| !cwd.is_empty() && cwd != "/")
        .unwrap_or(&watched.path);
    let path = crate::sanitize::sanitize_line(path.as_bytes());
    let room = (width / 2).saturating_sub(if several_processes { 15 } else { 6 });
    let chars: Vec<char> = path.chars().collect();
    let shown = if chars.len() <= room {
        path
    } else {
        let head = room / 4;
        let tail = room.saturating_sub(head + 3);
        let start: String = chars[..head].iter().collect();
        let end: String = chars[chars.len() - tail.min(chars.len())..].iter().collect();
        format!("{start}...{end}")
    };
    if several_processes {
        format!("{:8}:{:4}:{shown}", watched.pid, watched.fd)
    } else {
        format!("{:4}:{shown}", watched.fd)
    }
}

/// The descriptors a process has open now.
fn descriptors(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { return Vec::new() };
    let mut fds: Vec<u32> =
        entries.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).collect();
    fds.sort_unstable();
    fds
}

/// Starts watching the targets' descriptors not watched yet. Returns whether a whole process
/// is still running (more descriptors may come).
fn scan(targets: &[WatchTarget], watched: &mut Vec<Watched>, ended: &[(u32, u32)]) -> bool {
    let mut alive = false;
    for target in targets {
        let fds = match target.fd {
            // A descriptor named on the command line is watched once: when it closes (or
            // moves to another file) it is done, as in pv.
            Some(fd) if ended.contains(&(target.pid, fd)) => Vec::new(),
            Some(fd) => vec![fd],
            None if process_exists(target.pid) => {
                alive = true;
                descriptors(target.pid)
            }
            None => Vec::new(),
        };
        for fd in fds {
            if !watched.iter().any(|w| w.pid == target.pid && w.fd == fd)
                && let Some(w) = Watched::start(target.pid, fd, target.fd.is_some())
            {
                watched.push(w);
            }
        }
    }
    alive
}

/// Runs `-d` with its arguments (the option's and the rest of the command line).
pub(crate) fn run(first: &WatchArg, args: &Args, control: &Control) -> ExitStatus {
    let mut all = vec![first.clone()];
    for extra in &args.files {
        match options::watch_arg(extra) {
            Ok(arg) => all.push(arg),
            Err(e) => {
                eprintln!("fun pv: -d {}: {e}", crate::sanitize::sanitize_line(extra.as_bytes()));
                return ExitStatus::USAGE;
            }
        }
    }
    match targets(&all) {
        Ok(targets) => watch(&targets, args, control),
        Err(e) => e.report(),
    }
}

/// Watches `targets` until they are all gone or a signal comes.
pub(crate) fn watch(targets: &[WatchTarget], args: &Args, control: &Control) -> ExitStatus {
    let single = targets.len() == 1 && targets[0].fd.is_some();
    let several = {
        let mut pids: Vec<u32> = targets.iter().map(|t| t.pid).collect();
        pids.dedup();
        pids.len() > 1
    };
    let mut config = setup::transfer_config(args, true, None);
    if !single && args.format().is_none() && !args.numeric {
        // Every row is named after its file.
        config.tokens = super::format::switches_layout(&super::format::Switches {
            name: true,
            ..args.switches()
        });
    }
    let width = config.width.unwrap_or_else(super::display::terminal_width);
    let cwd = std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
    let interval = config.interval;
    let mut watcher = Watcher::new(config);
    let mut watched: Vec<Watched> = Vec::new();
    let mut ended: Vec<(u32, u32)> = Vec::new();
    let mut status = ExitStatus::empty();
    loop {
        let alive = scan(targets, &mut watched, &ended);
        let mut samples = Vec::with_capacity(watched.len());
        watched.retain(|w| {
            let Some(pos) = position(w.pid, w.fd).filter(|_| w.current()) else {
                if w.explicit {
                    ended.push((w.pid, w.fd));
                }
                return false;
            };
            let name = (!single).then(|| row_name(w, several, width, &cwd));
            let sample =
                Sample { key: (w.pid, w.fd), name, amount: pos, size: w.size, initial: w.initial };
            samples.push((sample, w.since.elapsed().as_secs_f64()));
            true
        });
        if samples.is_empty() && !alive {
            break;
        }
        watcher.draw(&samples, false);
        if control.sleep(interval) {
            status |= ExitStatus::SIGNAL;
            break;
        }
    }
    watcher.close();
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watched(path: &str) -> Watched {
        Watched {
            pid: 42,
            fd: 3,
            path: path.into(),
            size: None,
            initial: 0,
            since: Instant::now(),
            explicit: false,
        }
    }

    #[test]
    fn row_names_like_pv() {
        assert_eq!(row_name(&watched("/tmp/w1"), false, 80, "/tmp"), "   3:w1");
        assert_eq!(row_name(&watched("/tmp/w1"), true, 80, "/home"), "      42:   3:/tmp/w1");
        let long = format!("/data/{}", "x".repeat(100));
        let name = row_name(&watched(&long), false, 80, "/");
        assert_eq!(name.chars().count(), 5 + 34);
        assert!(name.contains("..."));
    }

    #[test]
    fn list_files_are_bounded_and_flat() {
        let dir = tempfile::tempdir().expect("tempdir");
        let list = dir.path().join("list");
        std::fs::write(&list, format!("{}\n=init\n\n", std::process::id())).expect("write");
        assert_eq!(list_file(&list).expect("list").len(), 2);
        std::fs::write(&list, "@other\n").expect("write");
        assert!(list_file(&list).is_err());
        std::fs::write(&list, "1\n".repeat(MAX_LIST_ENTRIES + 1)).expect("write");
        assert!(list_file(&list).is_err());
        assert!(list_file(Path::new("/dev/zero")).is_err(), "not a regular file");
    }
}
