//! The receiving side of `-R` and `-Q`: `PID.sock`, whose peers the main thread accepts while
//! it waits (no thread sits in accept), each answered on a thread of its own, at most
//! [`MAX_PEERS`] at a time, each bounded by [`MAX_MESSAGE`] and [`TIMEOUT`] in all, and only
//! for this user. Whatever a peer sends, the worst it gets is an `error` line; the transfer
//! never waits for it.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::{MAX_MESSAGE, Request, State, TIMEOUT, parse_request};
use crate::pv::control::Control;
use crate::pv::display::Display;
use crate::pv::runtime::{alive, private_dir};
use crate::pv::shared::Shared;

/// The socket of a running `fun pv`, removed when this is dropped.
pub(crate) struct Server {
    path: PathBuf,
}

/// The socket path of process `pid`.
pub(crate) fn socket_path(pid: u32) -> std::io::Result<PathBuf> {
    Ok(private_dir()?.join(format!("{pid}.sock")))
}

impl Server {
    /// Starts answering for the transfer counted in `shared` (settings go to `display`).
    /// None when the socket cannot be made: `-R` and `-Q` then say that nothing answers.
    pub(crate) fn start(
        shared: Arc<Shared>,
        display: Option<Display>,
        control: &Control,
    ) -> Option<Server> {
        let path = socket_path(std::process::id()).ok()?;
        if let Some(dir) = path.parent() {
            remove_stale(dir);
        }
        // The socket is made under a temporary name and renamed into place once it listens
        // with its final mode, so a peer never finds the path before it can be answered (a
        // connect between bind and listen is refused) or with the umask's mode.
        let making = path.with_extension("sock.new");
        // Sockets left by an earlier process that had our process ID.
        let _ = std::fs::remove_file(&making);
        let listener = UnixListener::bind(&making).ok()?;
        let ready = std::fs::set_permissions(&making, std::fs::Permissions::from_mode(0o600))
            .and_then(|()| std::fs::rename(&making, &path));
        if ready.is_err() {
            let _ = std::fs::remove_file(&making);
            return None;
        }
        let busy = Arc::new(AtomicUsize::new(0));
        let answer = Box::new(move |stream| answer_later(stream, &busy, &shared, display.as_ref()));
        if control.events.serve(listener, answer).is_err() {
            let _ = std::fs::remove_file(&path);
            return None;
        }
        Some(Server { path })
    }
}

/// The most directory entries looked at for stale sockets at each start.
const MAX_SCANNED: usize = 1000;

/// Removes the sockets of processes that are gone (killed before they could remove their
/// own): the directory may be in the home (`~/.fun-pv`), which no reboot empties.
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.take(MAX_SCANNED).filter_map(Result::ok) {
        let name = entry.file_name();
        let pid = name.to_str().and_then(|n| n.strip_suffix(".sock")).and_then(|p| p.parse().ok());
        if pid.is_some_and(|pid| !alive(pid)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The most peers answered at once: a peer that sends nothing holds one for [`TIMEOUT`], and
/// more than this many are turned away at once rather than queued.
pub(crate) const MAX_PEERS: usize = 4;

/// Answers `stream` on a thread of its own, unless [`MAX_PEERS`] are being answered already.
fn answer_later(
    stream: UnixStream,
    busy: &Arc<AtomicUsize>,
    shared: &Arc<Shared>,
    display: Option<&Display>,
) {
    if busy.fetch_add(1, Ordering::Relaxed) >= MAX_PEERS {
        busy.fetch_sub(1, Ordering::Relaxed);
        return;
    }
    let (busy, shared, display) = (Arc::clone(busy), Arc::clone(shared), display.cloned());
    std::thread::spawn(move || {
        answer(stream, &shared, display.as_ref());
        busy.fetch_sub(1, Ordering::Relaxed);
    });
}

/// Whether the peer runs as this user.
pub(crate) fn same_user(stream: &UnixStream) -> bool {
    rustix::net::sockopt::socket_peercred(stream)
        .is_ok_and(|cred| cred.uid == rustix::process::getuid())
}

/// Reads one message (up to a blank line or the end), within [`MAX_MESSAGE`] and
/// [`TIMEOUT`] in all. None when the peer sends too much or too slowly.
pub(crate) fn read_message(stream: &mut UnixStream) -> Option<String> {
    let deadline = Instant::now() + TIMEOUT;
    let mut bytes = Vec::new();
    let mut chunk = [0_u8; 1024];
    while !bytes.ends_with(b"\n\n") {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return None;
        }
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
        if bytes.len() > MAX_MESSAGE {
            return None;
        }
    }
    String::from_utf8(bytes).ok()
}

fn answer(mut stream: UnixStream, shared: &Shared, display: Option<&Display>) {
    if !same_user(&stream) {
        return;
    }
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    let response = match read_message(&mut stream).map(|text| parse_request(&text)) {
        None => "error unreadable request\n\n".to_owned(),
        Some(Err(e)) => format!("error {e}\n\n"),
        Some(Ok(Request::Query)) => {
            if let Some(display) = display {
                display.publish_now();
            }
            let (elapsed, transferred, size) = shared.published();
            State { elapsed, transferred, size, lines: shared.line_mode }.to_response()
        }
        Some(Ok(Request::Remote(settings))) => {
            if let Some(rate) = settings.rate_limit {
                shared.rate_limit.store(rate, Ordering::Relaxed);
            }
            if let Some(display) = display {
                display.reconfigure(*settings);
            }
            "ok\n\n".to_owned()
        }
    };
    let _ = stream.write_all(response.as_bytes());
}
