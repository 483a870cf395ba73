//! `-R` and `-Q` between real processes, through the socket in a private runtime directory of
//! the test's own, and hostile peers on that socket: the transfer never loses a byte.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::{TIMEOUT, exit_code, pseudo_random, wait_until};

/// A private runtime directory (as systemd makes `$XDG_RUNTIME_DIR`).
fn runtime() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).expect("chmod");
    dir
}

fn fun_pv(runtime: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fun"));
    command.arg("pv").env("XDG_RUNTIME_DIR", runtime);
    command
}

/// A running transfer of `data` (from a pipe the test holds, its size given with `-s`) into
/// `out`, its stderr into `err`. It cannot end by itself: the last byte and the end of the
/// input come only from [`finish`], so how fast the machine is never decides whether it is
/// still running when the test talks to it.
struct Running {
    child: Child,
    pid: String,
    socket: PathBuf,
    held: Held,
}

/// The transfer's input: a thread writes all of the data but its last byte (as the pipe
/// drains); [`Held::release`] writes that byte and closes the pipe.
struct Held {
    writer: std::thread::JoinHandle<std::process::ChildStdin>,
    last: u8,
}

impl Held {
    fn new(mut input: std::process::ChildStdin, data: &[u8]) -> Held {
        let (&last, head) = data.split_last().expect("some data");
        let head = head.to_vec();
        let writer = std::thread::spawn(move || {
            input.write_all(&head).expect("write the input");
            input
        });
        Held { writer, last }
    }

    fn release(self) {
        let mut input = self.writer.join().expect("the writer");
        input.write_all(&[self.last]).expect("write the last byte");
    }
}

fn start(runtime: &Path, dir: &Path, data: &[u8], args: &[&str]) -> Running {
    let pidfile = dir.join("pid");
    let mut child = fun_pv(runtime)
        .args(args)
        .args(["-s", &data.len().to_string(), "-P"])
        .arg(&pidfile)
        .stdin(Stdio::piped())
        .stdout(std::fs::File::create(dir.join("out")).expect("out"))
        .stderr(std::fs::File::create(dir.join("err")).expect("err"))
        .spawn()
        .expect("spawn");
    let held = Held::new(child.stdin.take().expect("stdin"), data);
    wait_until("the pid file", || {
        std::fs::read_to_string(&pidfile).is_ok_and(|p| p.ends_with('\n'))
    });
    let pid = std::fs::read_to_string(&pidfile).expect("pid").trim().to_owned();
    let socket = runtime.join("fun-pv").join(format!("{pid}.sock"));
    wait_until("the socket", || socket.exists());
    Running { child, pid, socket, held }
}

/// Lets the transfer end (the rest of its input, then EOF) and checks it ended well.
fn finish(mut running: Running, dir: &Path, data: &[u8]) -> String {
    running.held.release();
    assert_eq!(exit_code(&mut running.child), Some(0));
    assert!(std::fs::read(dir.join("out")).expect("out") == data, "bytes lost or changed");
    assert!(!running.socket.exists(), "socket left behind");
    String::from_utf8_lossy(&std::fs::read(dir.join("err")).expect("err")).into_owned()
}

#[test]
fn remote_changes_the_line_and_the_rate_of_a_running_transfer() {
    let (rt, dir) = (runtime(), tempfile::tempdir().expect("tempdir"));
    let data = pseudo_random(1 << 20);
    let running = start(rt.path(), dir.path(), &data, &["-L", "100k", "-f", "-i", "0.1"]);
    let meta = std::fs::metadata(rt.path().join("fun-pv")).expect("dir");
    assert_eq!(meta.permissions().mode() & 0o777, 0o700);
    let meta = std::fs::metadata(&running.socket).expect("socket");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let remote = |args: &[&str]| {
        let out = fun_pv(rt.path()).arg("-R").arg(&running.pid).args(args).output().expect("runs");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    remote(&["-a", "-N", "remote"]);
    wait_until("the new line", || {
        std::fs::read_to_string(dir.path().join("err")).is_ok_and(|e| e.contains("   remote: ("))
    });
    remote(&["-x", "window:%b", "-F", "%b %e"]);
    remote(&["-L", "100M"]);
    let err = finish(running, dir.path(), &data);
    assert!(err.contains("[") && err.contains("remote:"), "{err}");
}

#[test]
fn query_shows_another_transfer_until_it_ends() {
    let (rt, dir) = (runtime(), tempfile::tempdir().expect("tempdir"));
    let data = pseudo_random(600_000);
    let running = start(rt.path(), dir.path(), &data, &["-q", "-L", "300k"]);
    let shown_at = dir.path().join("query");
    let mut query = fun_pv(rt.path())
        .args(["-Q", &running.pid, "-f", "-i", "0.2", "-w", "60"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&shown_at).expect("query"))
        .spawn()
        .expect("spawn");
    let read_shown =
        || String::from_utf8_lossy(&std::fs::read(&shown_at).expect("query")).into_owned();
    wait_until("the other transfer's line", || {
        let shown = read_shown();
        shown.contains('%') && shown.contains("KiB")
    });
    // -Q follows the transfer until it ends, then ends well itself.
    finish(running, dir.path(), &data);
    let code = exit_code(&mut query);
    let shown = read_shown();
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains('%') && shown.contains("KiB"), "{shown}");
    let out = fun_pv(rt.path()).args(["-Q", "1"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("-Q 1: no fun pv"), "{err}");
}

/// Sends `request` on the socket and returns what comes back (empty if the peer hung up).
fn exchange(socket: &Path, request: &[u8]) -> String {
    let mut stream = UnixStream::connect(socket).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    let _ = stream.write_all(request);
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

#[test]
fn hostile_peers_get_errors_and_the_transfer_goes_on() {
    let (rt, dir) = (runtime(), tempfile::tempdir().expect("tempdir"));
    // Held open until the end (and about 10 s at 100 KiB/s): it outlasts the peers however
    // slow the machine is; sped up at the end.
    let data = pseudo_random(1 << 20);
    let running = start(rt.path(), dir.path(), &data, &["-q", "-L", "100k"]);
    // Four peers that send nothing hold every answering slot for a while...
    let idle: Vec<UnixStream> =
        (0..4).map(|_| UnixStream::connect(&running.socket).expect("connect")).collect();
    // ...a fifth is turned away at once instead of queued.
    assert_eq!(exchange(&running.socket, b"fun-pv 1 query\n\n"), "");
    drop(idle);
    for (request, expected) in [
        (&b"GET / HTTP/1.0\n\n"[..], "error not a fun pv request"),
        (b"fun-pv 1 remote\nrate-limit 99999999999999999999999\n\n", "error rate-limit"),
        (b"fun-pv 1 remote\nformat %99999999p\n\n", "error format"),
        (b"fun-pv 1 remote\nexec /bin/sh\n\n", "error bad line"),
        (b"\xff\xfe\n\n", "error unreadable request"),
    ] {
        wait_until("an answer", || exchange(&running.socket, request).starts_with(expected));
    }
    let flood = vec![b'x'; 1 << 20];
    assert!(exchange(&running.socket, &flood).starts_with("error unreadable"));
    let state = exchange(&running.socket, b"fun-pv 1 query\n\n");
    assert!(state.starts_with("ok\nelapsed "), "{state}");
    let mut speed_up = UnixStream::connect(&running.socket).expect("connect");
    speed_up.write_all(b"fun-pv 1 remote\nswitches \nrate-limit 104857600\n\n").expect("write");
    finish(running, dir.path(), &data);
}

#[test]
fn remote_to_nobody_is_exit_1() {
    let rt = runtime();
    let out = fun_pv(rt.path()).args(["-R", "4194304", "-L", "1"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-R 4194304: no fun pv"));
    // A runtime directory others can enter is not used: the fallback one is.
    let open = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(open.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let out = fun_pv(open.path()).args(["-q"]).write_stdin_bytes(b"x").expect("runs");
    assert!(out.status.success());
    assert!(!open.path().join("fun-pv").exists(), "used a directory others can enter");
}

/// `Command` with bytes on stdin.
trait WriteStdin {
    fn write_stdin_bytes(&mut self, bytes: &[u8]) -> std::io::Result<std::process::Output>;
}

impl WriteStdin for Command {
    fn write_stdin_bytes(&mut self, bytes: &[u8]) -> std::io::Result<std::process::Output> {
        let mut child =
            self.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
        child.stdin.take().expect("stdin").write_all(bytes)?;
        child.wait_with_output()
    }
}
