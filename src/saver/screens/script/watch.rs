//! `--watch`: a small thread looks at the script's file every 250 ms (modification time, size,
//! inode: an editor that saves by renaming changes the inode) and reports a change to the screen,
//! which reloads the script in its next update. The thread reads only metadata, and ends by
//! itself within 250 ms once the screen is gone.

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// How often the file is looked at.
pub const POLL: Duration = Duration::from_millis(250);

/// A watched file.
pub struct Watch {
    changes: Receiver<()>,
    stop: Arc<AtomicBool>,
}

/// What identifies a version of the file (`None`: missing for now).
fn stamp(path: &std::path::Path) -> Option<(i64, i64, u64, u64, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.mtime(), meta.mtime_nsec(), meta.size(), meta.ino(), meta.dev()))
}

impl Watch {
    /// Starts watching `path`.
    #[must_use]
    pub fn start(path: PathBuf) -> Watch {
        let (tx, changes) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let mut last = stamp(&path);
        std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(POLL);
                let now = stamp(&path);
                // A missing file (in the middle of an editor's save) is not a version.
                if now.is_some() && now != last {
                    last = now;
                    if tx.send(()).is_err() {
                        break;
                    }
                }
            }
        });
        Watch { changes, stop }
    }

    /// Whether the file changed since the last call (several changes count as one).
    #[must_use]
    pub fn changed(&self) -> bool {
        let mut any = false;
        while self.changes.try_recv().is_ok() {
            any = true;
        }
        any
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
