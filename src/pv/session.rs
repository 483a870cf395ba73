//! One transfer, from the options to the exit status: the size, the output opened (refusing an
//! input that is the output before truncating it), then the copy on a thread of its own and the
//! display on another (none when it has nothing to do between messages), while the main thread
//! waits for the end or a signal and answers `-R`/`-Q` peers meanwhile ([`Control`]). `-U` runs two of them: the input into the store file, then
//! the store file (its size known) into the output.

use std::fs::File;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::args::Args;
use super::control::{Control, Event};
use super::display::hooks::HookSpec;
use super::display::{Config, Display, Row};
use super::exit::{ExitStatus, PvError};
use super::options::SizeArg;
use super::remote::Server;
use super::shared::Shared;
use super::transfer::output::Writing;
use super::transfer::{self, Plan, Skip};
use super::{setup, sizes};

/// A transfer ready to run.
pub(super) struct Transfer {
    inputs: Vec<String>,
    out: File,
    plan: Plan,
    config: Config,
    size: Option<u64>,
    /// Count the inputs' lines for the size (`-l` without `-s`, all inputs regular files).
    count_lines: bool,
    per_file: bool,
    /// Show the keep-last tail (`%A`, `%L`).
    keep_last: usize,
    rate_limit: u64,
}

impl Transfer {
    /// Works out the settings and opens the output.
    pub(super) fn prepare(args: &Args, hooks: Option<HookSpec>) -> Result<Transfer, PvError> {
        let inputs = args.inputs();
        let size = total_size(args, &inputs)?;
        let out = match &args.output {
            Some(path) => open_output(path, &inputs)?,
            None => crate::stdio::stdout_file().map_err(|source| PvError::Write { source })?,
        };
        Ok(Transfer::new(args, inputs, out, size, args.name(), hooks))
    }

    /// A transfer of `inputs` into `out`, shown with `name`.
    pub(super) fn new(
        args: &Args,
        inputs: Vec<String>,
        out: File,
        size: Option<u64>,
        name: Option<String>,
        hooks: Option<HookSpec>,
    ) -> Transfer {
        let per_file = args.per_file && inputs.len() > 1;
        let size_known = size.is_some() || (args.counts_lines() && args.size.is_none());
        // With --per-file every row is named after its file.
        let layout = setup::layout(args, args.format(), size_known, name.is_some() || per_file);
        let config = setup::config(args, layout, name, hooks);
        Transfer {
            count_lines: args.counts_lines() && args.size.is_none(),
            per_file,
            keep_last: keep_last(&config),
            rate_limit: args.rate_limit.map_or(0, |r| r.resolve(args.si)),
            plan: plan(args, size),
            inputs,
            out,
            config,
            size,
        }
    }

    /// The display rows: the whole transfer, after one per input with `--per-file`.
    fn rows(&self, shared: &Arc<Shared>) -> Vec<Row> {
        let mut rows = Vec::new();
        if self.per_file {
            for (index, name) in self.inputs.iter().enumerate() {
                let size = sizes::inputs_size(std::slice::from_ref(name));
                rows.push(Row {
                    file: Some(index),
                    name: Some(name.clone()),
                    ..Row::whole(Arc::clone(shared), size)
                });
            }
            rows.push(Row {
                name: Some("total".into()),
                ..Row::whole(Arc::clone(shared), self.size)
            });
        } else {
            rows.push(Row::whole(Arc::clone(shared), self.size));
        }
        rows
    }

    /// Runs the copy and the display until both are done or a signal comes.
    pub(super) fn run(self, control: &Control) -> ExitStatus {
        let mut shared = Shared::new(self.inputs.len(), self.plan.line_mode);
        shared.rate_limit.store(self.rate_limit, Ordering::Relaxed);
        shared.keep_last.store(self.keep_last, Ordering::Relaxed);
        let visible = self.config.view != super::display::View::Hidden;
        if visible && is_pipe(&self.out) {
            shared.output_pipe = self.out.as_fd().try_clone_to_owned().ok();
        }
        let shared = Arc::new(shared);
        let rows = self.rows(&shared);
        let display =
            Display::spawn(self.config, rows, control.flags.clone(), control.sender.clone());
        let _server = Server::start(Arc::clone(&shared), Some(display.clone()), control);
        if self.count_lines {
            count_lines_later(&self.inputs, &display);
        }
        let Transfer { inputs, mut out, plan, .. } = self;
        let copier = Arc::clone(&shared);
        let report = control.sender.clone();
        std::thread::spawn(move || {
            copier.fail(transfer::run(&inputs, &mut out, &plan, &copier));
            let _ = report.send(Event::Finished);
        });
        let mut signalled = control.wait_for_copy();
        if !signalled && visible {
            signalled = wait_for_reader(&shared, control);
        }
        display.finish(shared.status());
        signalled |= control.wait_for_final_line(signalled);
        let status = shared.status();
        if signalled { status | ExitStatus::SIGNAL } else { status }
    }
}

/// How often the end of a transfer looks whether its reader took the last bytes.
const DRAIN_POLL: Duration = Duration::from_millis(20);

/// pv 1.10 shows progress as its reader takes the data: at the end, wait until the output
/// pipe is empty (or its reader gone). Returns whether a signal came meanwhile.
pub(super) fn wait_for_reader(shared: &Shared, control: &Control) -> bool {
    let Some(pipe) = &shared.output_pipe else { return false };
    while shared.unconsumed() > 0 {
        let mut fds = [rustix::event::PollFd::new(pipe, rustix::event::PollFlags::OUT)];
        let zero = rustix::event::Timespec { tv_sec: 0, tv_nsec: 0 };
        let gone = rustix::event::poll(&mut fds, Some(&zero)).is_ok()
            && fds[0]
                .revents()
                .intersects(rustix::event::PollFlags::ERR | rustix::event::PollFlags::HUP);
        if gone {
            break;
        }
        if control.sleep(DRAIN_POLL) {
            return true;
        }
    }
    false
}

fn is_pipe(file: &File) -> bool {
    use std::os::unix::fs::FileTypeExt;
    file.metadata().is_ok_and(|m| m.file_type().is_fifo())
}

/// How many trailing bytes the layout needs kept (`%A` and `%L`).
fn keep_last(config: &Config) -> usize {
    super::display::kept_bytes(&config.tokens, config.extra.as_ref())
}

/// With `-l` and no `-s`: counts the lines of the inputs (all regular files, as pv 1.8) on a
/// thread of its own, and gives the display the total when done.
fn count_lines_later(inputs: &[String], display: &Display) {
    let inputs = inputs.to_vec();
    let display = display.clone();
    std::thread::spawn(move || {
        if sizes::inputs_size(&inputs).is_none() {
            return;
        }
        let mut lines = 0_u64;
        for name in &inputs {
            let Ok(file) = crate::files::open_stream(name) else { return };
            match count_newlines(file) {
                Ok(n) => lines += n,
                Err(_) => return,
            }
        }
        display.set_size(lines);
    });
}

/// Counts the newlines from `file`'s position on, with positional reads: standard input
/// shares its offset with the copy (a duplicate descriptor), and moving it would make the copy
/// skip what the count read.
fn count_newlines(file: File) -> std::io::Result<u64> {
    use std::io::Seek;
    use std::os::unix::fs::FileExt;
    let mut at = (&file).stream_position()?;
    let mut buf = vec![0_u8; 256 << 10];
    let mut lines = 0;
    loop {
        match file.read_at(&mut buf, at) {
            Ok(0) => return Ok(lines),
            Ok(n) => {
                lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
                at += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// What the copy loop needs from the options.
pub(super) fn plan(args: &Args, size: Option<u64>) -> Plan {
    Plan {
        line_mode: args.counts_lines(),
        separator: if args.null { 0 } else { b'\n' },
        buffer_size: args
            .buffer_size
            .map(|b| b.resolve(args.si))
            .filter(|&b| b > 0)
            .map(|b| usize::try_from(b).unwrap_or(usize::MAX)),
        no_splice: args.no_splice || args.buffer_percent,
        skip: Skip {
            times: args.skip_errors.max(u8::from(args.error_skip_block.is_some())),
            block: args.error_skip_block.map(|b| b.resolve(args.si)).filter(|&b| b > 0),
        },
        // A size of 0 (`-s 0`, `-s @EMPTY`) means unknown, as in pv: -S then copies it all.
        stop_at: if args.stop_at_size { size.filter(|&s| s > 0) } else { None },
        grow_pipes: args.buffer_size.is_none() && !args.buffer_percent,
        writing: Writing {
            discard: args.discard,
            sparse: args.sparse,
            sync: args.sync,
            direct: args.direct_io,
        },
    }
}

/// The total size: `-s`, or the sum of the regular files' sizes (none in line mode: the lines
/// are counted while the copy starts).
pub(super) fn total_size(args: &Args, inputs: &[String]) -> Result<Option<u64>, PvError> {
    match &args.size {
        Some(SizeArg::FileSize(path)) => return sizes::size_of(path).map(Some),
        Some(SizeArg::Amount(amount)) => return Ok(Some(amount.resolve(args.si))),
        None => {}
    }
    if args.counts_lines() {
        return Ok(None);
    }
    Ok(sizes::inputs_size(inputs))
}

/// Opens `-o PATH`, truncating it only once no input turns out to be that same file (which
/// would otherwise be emptied before it is read): refused with pv's exit 4, file untouched.
pub(super) fn open_output(path: &str, inputs: &[String]) -> Result<File, PvError> {
    let failed = |source| PvError::Output { path: path.to_owned(), source };
    let out = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(failed)?;
    let meta = out.metadata().map_err(failed)?;
    if meta.is_file() {
        if let Some(name) = inputs.iter().find(|name| transfer::same_file(name, &meta)) {
            return Err(PvError::SameFile { name: name.clone() });
        }
        out.set_len(0).map_err(failed)?;
    }
    Ok(out)
}
