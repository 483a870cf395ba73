//! The second hardening round's pv cases (issue 20) and pv's feel in the hand (issue 24): a
//! background `-c` never stops itself, `-R -L 0` lifts the limit, the private directory
//! cannot be squatted and a bad one is named, `-d` of another user's process is refused the
//! same way with or without `:FD`; abbreviated long options as getopt_long takes them, the
//! `-a` average falling during a stall, and `-d`'s real ETA.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command};

use super::{TIMEOUT, exit_code, fun, pseudo_random, stalled, wait_until};

/// A directory only this user may enter (a runtime directory, or a home).
fn private_tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).expect("chmod");
    dir
}

fn is_root() -> bool {
    rustix::process::getuid().is_root()
}

/// `fun pv` without `XDG_RUNTIME_DIR`, with `home` as its home and `tmp` as `$TMPDIR`.
fn fun_pv_at_home(home: &Path, tmp: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fun"));
    command.arg("pv").env_remove("XDG_RUNTIME_DIR").env("HOME", home).env("TMPDIR", tmp);
    command
}

/// Starts `command` copying `data` from a file in `dir` to `dir/out`, and returns it with its
/// process ID once its `-P` file is there.
fn start(mut command: Command, dir: &Path, data: &[u8]) -> (Child, String) {
    let input = dir.join("in");
    std::fs::write(&input, data).expect("write");
    let pidfile = dir.join("pid");
    let child = command
        .arg("-P")
        .arg(&pidfile)
        .arg(&input)
        .stdout(std::fs::File::create(dir.join("out")).expect("out"))
        .stderr(std::fs::File::create(dir.join("err")).expect("err"))
        .spawn()
        .expect("spawn");
    wait_until("the pid file", || {
        std::fs::read_to_string(&pidfile).is_ok_and(|p| p.ends_with('\n'))
    });
    let pid = std::fs::read_to_string(&pidfile).expect("pid").trim().to_owned();
    (child, pid)
}

#[test]
fn remote_rate_limit_zero_lifts_the_limit() {
    let (rt, dir) = (private_tempdir(), tempfile::tempdir().expect("tempdir"));
    let data = pseudo_random(1 << 20);
    let mut command = Command::new(env!("CARGO_BIN_EXE_fun"));
    command.arg("pv").env("XDG_RUNTIME_DIR", rt.path());
    // 1 MiB at 10 KiB/s: about 100 s, far beyond the hang detector, unless the limit goes.
    command.args(["-q", "-L", "10k"]);
    let (mut child, pid) = start(command, dir.path(), &data);
    let socket = rt.path().join("fun-pv").join(format!("{pid}.sock"));
    wait_until("the socket", || socket.exists());
    let out = fun()
        .env("XDG_RUNTIME_DIR", rt.path())
        .args(["pv", "-R", &pid, "-L", "0"])
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(exit_code(&mut child), Some(0));
    assert!(std::fs::read(dir.path().join("out")).expect("out") == data, "bytes lost");
}

#[test]
fn nobody_can_squat_the_private_directory_without_xdg_runtime_dir() {
    let (home, tmp, dir) = (private_tempdir(), private_tempdir(), tempfile::tempdir().expect("d"));
    // Another user got there first with the name pv used to take in $TMPDIR.
    let uid = rustix::process::getuid().as_raw();
    let squat = tmp.path().join(format!("fun-pv-{uid}"));
    std::fs::create_dir(&squat).expect("mkdir");
    std::fs::set_permissions(&squat, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    if is_root() {
        std::os::unix::fs::chown(&squat, Some(65534), Some(65534)).expect("chown");
    }
    let data = pseudo_random(1 << 20);
    let mut command = fun_pv_at_home(home.path(), tmp.path());
    command.args(["-q", "-L", "10k"]);
    let (mut child, pid) = start(command, dir.path(), &data);
    let socket = home.path().join(".fun-pv").join(format!("{pid}.sock"));
    wait_until("the socket in the home", || socket.exists());
    let out = fun_pv_at_home(home.path(), tmp.path())
        .args(["-R", &pid, "-L", "0"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(exit_code(&mut child), Some(0));
    let meta = std::fs::metadata(home.path().join(".fun-pv")).expect("made");
    assert_eq!(meta.permissions().mode() & 0o777, 0o700);
}

#[test]
fn sockets_of_processes_that_are_gone_are_removed() {
    let (rt, dir) = (private_tempdir(), tempfile::tempdir().expect("tempdir"));
    let private = rt.path().join("fun-pv");
    std::fs::create_dir(&private).expect("mkdir");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    // Past the kernel's largest process ID: never running.
    let stale = private.join("4194305.sock");
    std::fs::write(&stale, "").expect("stale");
    // Its input is a pipe we hold open: it runs until we close it, however slow the machine.
    let pidfile = dir.path().join("pid");
    let mut child = Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-q", "-P"])
        .arg(&pidfile)
        .env("XDG_RUNTIME_DIR", rt.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let input = child.stdin.take().expect("stdin");
    wait_until("the pid file", || {
        std::fs::read_to_string(&pidfile).is_ok_and(|p| p.ends_with('\n'))
    });
    let pid = std::fs::read_to_string(&pidfile).expect("pid").trim().to_owned();
    wait_until("its own socket", || private.join(format!("{pid}.sock")).exists());
    assert!(!stale.exists(), "a dead process's socket stays");
    drop(input);
    assert_eq!(exit_code(&mut child), Some(0));
}

#[test]
fn an_unusable_private_directory_is_named_not_taken_for_no_process() {
    let (home, tmp) = (private_tempdir(), private_tempdir());
    let dir = home.path().join(".fun-pv");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let own = std::process::id().to_string();
    for option in ["-R", "-Q"] {
        let out = fun_pv_at_home(home.path(), tmp.path())
            .args([option, &own, "-L", "1k"])
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(".fun-pv: not a private directory of this user: mode 0755"),
            "{option}: {err}"
        );
        assert!(!err.contains("no fun pv"), "{option}: {err}");
    }
}

#[test]
fn watching_another_users_process_is_refused_alike_with_or_without_fd() {
    if !is_root() || !Path::new("/usr/bin/setpriv").exists() {
        eprintln!("skipped: needs root and setpriv to act as another user");
        return;
    }
    let mut sleeper = Command::new("sleep").arg("30").spawn().expect("sleep");
    let pid = sleeper.id().to_string();
    let as_nobody = |target: &str| {
        assert_cmd::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_fun"))
            .args(["pv", "-d", target])
            .timeout(TIMEOUT)
            .output()
            .expect("runs")
    };
    let whole = as_nobody(&pid);
    let one = as_nobody(&format!("{pid}:1"));
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    let expected = format!("fun pv: -d: pid {pid}: Permission denied\n");
    for out in [whole, one] {
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(String::from_utf8_lossy(&out.stderr), expected);
    }
}

/// tmux on a server of this test's own.
fn tmux(server: &str, args: &[&str]) -> String {
    let out = Command::new("tmux").arg("-L").arg(server).args(args).output().expect("tmux");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The state letter of process `pid` (None once it is gone or a zombie).
fn process_state(pid: &str) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let state = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
    (state != 'Z').then_some(state)
}

#[test]
#[ignore = "needs tmux"]
fn a_background_cursor_pv_never_stops_itself() {
    let server = format!("funpv-bg-{}", std::process::id());
    let (rt, dir) = (private_tempdir(), tempfile::tempdir().expect("tempdir"));
    let (pidfile, done) = (dir.path().join("pid"), dir.path().join("done"));
    tmux(&server, &["new-session", "-d", "-x", "100", "-y", "30", "bash --norc --noprofile -i"]);
    // An interactive shell with job control, `stty tostop` as some users set it: the first
    // `fun pv -c` starts in the background, a second one in the foreground meanwhile.
    let line = format!(
        "export XDG_RUNTIME_DIR={rt}; stty tostop; (sleep 2; echo hi) | {fun} pv -c -N bg > /dev/null & echo $! > {pidfile}; (sleep 1; echo x) | {fun} pv -c -N fg > /dev/null; wait $!; echo bg=$? > {done}",
        rt = rt.path().display(),
        fun = env!("CARGO_BIN_EXE_fun"),
        pidfile = pidfile.display(),
        done = done.display(),
    );
    tmux(&server, &["send-keys", &line, "Enter"]);
    wait_until("the background pv", || {
        std::fs::read_to_string(&pidfile).is_ok_and(|p| p.ends_with('\n'))
    });
    let pid = std::fs::read_to_string(&pidfile).expect("pid").trim().to_owned();
    let mut stopped = false;
    wait_until("the background pv to end", || {
        stopped |= process_state(&pid) == Some('T');
        stopped || process_state(&pid).is_none()
    });
    if stopped {
        let screen = tmux(&server, &["capture-pane", "-p"]);
        tmux(&server, &["kill-server"]);
        panic!("the background fun pv -c stopped itself: {screen}");
    }
    wait_until("the shell's line", || done.exists());
    let screen = tmux(&server, &["capture-pane", "-p"]);
    tmux(&server, &["kill-server"]);
    assert_eq!(std::fs::read_to_string(&done).expect("done"), "bg=0\n", "{screen}");
    assert!(screen.contains("fg:"), "the foreground pv drew its row: {screen}");
}

/// `fun pv ARGS` (or the real pv, as `program`) on `input`: exit code, stdout, stderr.
fn run_pv(program: &[&str], args: &[&str], input: &[u8]) -> (Option<i32>, Vec<u8>, String) {
    let out = assert_cmd::Command::new(program[0])
        .args(&program[1..])
        .args(args)
        .write_stdin(input.to_vec())
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    (out.status.code(), out.stdout, String::from_utf8_lossy(&out.stderr).into_owned())
}

const FUN_PV: [&str; 2] = [env!("CARGO_BIN_EXE_fun"), "pv"];

/// Unique starts of pv's long options (and one exact name that is also a start of another).
const UNIQUE_STARTS: [&[&str]; 6] = [
    &["-q", "--rate-lim", "1M"],
    &["-q", "--rate-lim=1M"],
    &["--progres", "-q"],
    &["-q", "--numer"],
    &["--quie", "--time"],
    &["-q", "--rate"],
];

#[test]
fn unique_starts_of_long_options_are_taken_and_shared_ones_named() {
    let data = pseudo_random(3000);
    for args in UNIQUE_STARTS {
        let (code, out, err) = run_pv(&FUN_PV, args, &data);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(out == data, "{args:?}: bytes changed");
    }
    for (args, line) in [
        (
            &["--rat"][..],
            "fun pv: option '--rat' is ambiguous; possibilities: '--rate' '--rate-limit'\n",
        ),
        (
            &["-q", "--rat=5"],
            "fun pv: option '--rat=5' is ambiguous; possibilities: '--rate' '--rate-limit'\n",
        ),
    ] {
        let (code, out, err) = run_pv(&FUN_PV, args, &data);
        assert_eq!((code, out.is_empty(), err.as_str()), (Some(64), true, line), "{args:?}");
    }
}

#[test]
#[ignore = "needs pv"]
fn abbreviated_long_options_as_the_real_pv_takes_them() {
    let data = pseudo_random(3000);
    let others: [&[&str]; 3] = [&["--rat"], &["-q", "--rat=5"], &["-q", "--bogus"]];
    for args in UNIQUE_STARTS.into_iter().chain(others) {
        let (code, out, err) = run_pv(&["pv"], args, &data);
        let (fun_code, fun_out, fun_err) = run_pv(&FUN_PV, args, &data);
        assert_eq!(fun_code, code, "{args:?}: pv said {err}, fun {fun_err}");
        assert!(fun_out == out, "{args:?}: not the same bytes out");
        if code != Some(0) && err.contains("ambiguous") {
            // getopt's message, ours on one line without pv's "Try `pv --help'".
            let first = err.lines().next().unwrap_or_default();
            assert_eq!(fun_err.trim_end(), format!("fun {first}"), "{args:?}");
        }
    }
}

/// The rates of a `-f` display (`[...]` or `(...)`), in bytes per second, one per update
/// whose byte count is `bytes`.
fn rates_at(stderr: &[u8], bytes: &str) -> Vec<f64> {
    let text = String::from_utf8_lossy(stderr);
    text.split(['\r', '\n'])
        .filter(|line| line.trim_start().starts_with(bytes))
        .filter_map(|line| {
            let inner = line.rsplit_once(['[', '('])?.1;
            let inner = inner.split_once([']', ')'])?.0.trim().strip_suffix("/s")?;
            let split = inner.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
            let (number, unit) = inner.split_at(split);
            let scale = match unit.trim() {
                "B" => 1.0,
                "KiB" => 1024.0,
                "MiB" => 1024.0 * 1024.0,
                "GiB" => 1024.0 * 1024.0 * 1024.0,
                _ => return None,
            };
            Some(number.parse::<f64>().ok()? * scale)
        })
        .collect()
}

/// The `-a` rates shown while no data moves: 100000 bytes, a 2 s stall, 1000 more.
fn stalled_averages(program: &str) -> Vec<f64> {
    let out = stalled(
        program,
        ("head -c 100000 /dev/zero", "head -c 1000 /dev/zero"),
        &["-f", "-b", "-a", "-i", "0.25"],
        |err| rates_at(err.as_bytes(), "97.7KiB").len() >= 4,
    );
    rates_at(&out.stderr, "97.7KiB")
}

fn falls_at_every_update(averages: &[f64]) {
    assert!(averages.len() >= 3, "updates during the stall: {averages:?}");
    assert!(averages.windows(2).all(|w| w[1] < w[0]), "the average must fall: {averages:?}");
}

#[test]
fn the_average_rate_falls_during_a_stall() {
    let fun = format!("{} pv", env!("CARGO_BIN_EXE_fun"));
    falls_at_every_update(&stalled_averages(&fun));
}

#[test]
#[ignore = "needs pv"]
fn the_average_rate_falls_during_a_stall_as_the_real_pv_s() {
    falls_at_every_update(&stalled_averages("pv"));
    let fun = format!("{} pv", env!("CARGO_BIN_EXE_fun"));
    falls_at_every_update(&stalled_averages(&fun));
}

/// `-d PID:FD` (with `program`) of a process reading 16 MiB at 100 KiB/s (80 s to half way,
/// far beyond the hang detector): the ETA of every update short of half way once a rate is
/// measured (with the whole output, for messages). The reader is ended by the test once an
/// ETA other than 0:00:00 is shown, so how fast the machine is cannot make the watcher miss
/// the first half.
fn watched_etas(program: &[&str]) -> (Vec<String>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::write(&input, pseudo_random(16 << 20)).expect("write");
    let mut reader = Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["pv", "-q", "-L", "100k"])
        .arg(&input)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = reader.id();
    let mut fd = None;
    wait_until("the reader to open its file", || {
        fd = std::fs::read_dir(format!("/proc/{pid}/fd")).ok().and_then(|entries| {
            entries.filter_map(Result::ok).find_map(|e| {
                let target = std::fs::read_link(e.path()).ok()?;
                (target == input).then(|| e.file_name().to_string_lossy().into_owned())
            })
        });
        fd.is_some()
    });
    let target = format!("{pid}:{}", fd.unwrap_or_default());
    let shown_at = dir.path().join("shown");
    let mut watcher = Command::new(program[0])
        .args(&program[1..])
        .args(["-f", "-i", "0.2", "-w", "100", "-d", &target])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&shown_at).expect("shown"))
        .spawn()
        .expect("runs");
    let shown = || String::from_utf8_lossy(&std::fs::read(&shown_at).expect("shown")).into_owned();
    wait_until("an ETA", || first_half_etas(&shown()).iter().any(|eta| eta != "0:00:00"));
    let _ = reader.kill();
    let _ = reader.wait();
    let _ = exit_code(&mut watcher);
    let shown = shown();
    (first_half_etas(&shown), shown)
}

/// The ETAs of the updates in `shown` short of half way, once a rate is measured.
fn first_half_etas(shown: &str) -> Vec<String> {
    shown
        .split(['\r', '\n'])
        .filter(|line| !line.contains("[0.00  B/s]"))
        .filter(|line| {
            let percent =
                line.split_whitespace().find_map(|w| w.strip_suffix('%')?.parse::<u32>().ok());
            percent.is_some_and(|p| p < 50)
        })
        .filter_map(|line| line.split_once("ETA ").map(|(_, eta)| eta.trim().to_owned()))
        .collect()
}

#[test]
fn watchfd_shows_the_real_eta() {
    let (etas, shown) = watched_etas(&FUN_PV);
    assert!(!etas.is_empty(), "no update short of half way: {shown:?}");
    // More than 8 MiB left at about 100 KiB/s (slower on a busy machine: longer still).
    assert!(etas.iter().all(|eta| eta != "0:00:00"), "{etas:?}");
}

#[test]
#[ignore = "needs pv"]
fn watchfd_shows_the_real_eta_as_the_real_pv_does() {
    // pv 1.6.20 shows 0:00:00 for its first updates, then the real ETA; fun from the first
    // measured rate.
    let (etas, shown) = watched_etas(&["pv"]);
    assert!(etas.iter().any(|eta| eta != "0:00:00"), "pv: {etas:?} {shown:?}");
    let (etas, shown) = watched_etas(&FUN_PV);
    assert!(!etas.is_empty(), "no update short of half way: {shown:?}");
    assert!(etas.iter().all(|eta| eta != "0:00:00"), "{etas:?}");
}
