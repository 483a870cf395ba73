//! `-U FILE` (store and forward): first all the input into FILE (shown as "(input)"), then
//! FILE into the output with its size known. `-U -` stores in a temporary file of our own
//! (created new, mode 0600, in `$TMPDIR`) and removes it afterwards. Any failure in the
//! first stage (a full disk, a read error, a signal) stops there: nothing half-stored is sent.

use std::fs::File;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use super::args::Args;
use super::control::Control;
use super::display::hooks::HookSpec;
use super::exit::{ExitStatus, PvError};
use super::session::{Transfer, open_output, total_size};

/// A temporary store file, removed when dropped.
struct Temporary(PathBuf);

impl Drop for Temporary {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Creates a new file under `$TMPDIR` that no one else can read.
fn temporary() -> Result<(File, Temporary), PvError> {
    let dir = std::env::temp_dir();
    let mut last = io::Error::other("no name left");
    for attempt in 0..100_u32 {
        let path = dir.join(format!("fun-pv.{}.{attempt}", std::process::id()));
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
        {
            Ok(file) => return Ok((file, Temporary(path))),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => {
                last = e;
                break;
            }
        }
    }
    Err(PvError::Store { path: crate::files::display_path(&dir), source: last })
}

/// Runs both stages.
pub(crate) fn run(
    path: &str,
    args: &Args,
    hooks: Option<HookSpec>,
    control: &Control,
) -> ExitStatus {
    match stages(path, args, hooks, control) {
        Ok(status) => status,
        Err(e) => e.report(),
    }
}

fn stages(
    path: &str,
    args: &Args,
    hooks: Option<HookSpec>,
    control: &Control,
) -> Result<ExitStatus, PvError> {
    let inputs = args.inputs();
    let size = total_size(args, &inputs)?;
    let (store, _temporary, store_path) = if path == "-" {
        let (file, temporary) = temporary()?;
        let store_path = temporary.0.clone();
        (file, Some(temporary), store_path)
    } else {
        (open_output(path, &inputs)?, None, PathBuf::from(path))
    };
    let first = Transfer::new(args, inputs, store, size, Some("(input)".into()), None);
    let status = first.run(control);
    if !status.is_empty() {
        return Ok(status);
    }
    let store_name = store_path.to_string_lossy().into_owned();
    let stored = std::fs::metadata(&store_path)
        .map_err(|source| PvError::Store { path: store_name.clone(), source })?
        .len();
    let out = match &args.output {
        Some(output) => open_output(output, std::slice::from_ref(&store_name))?,
        None => crate::stdio::stdout_file().map_err(|source| PvError::Write { source })?,
    };
    let second = Transfer::new(args, vec![store_name], out, Some(stored), args.name(), hooks);
    Ok(second.run(control))
}
