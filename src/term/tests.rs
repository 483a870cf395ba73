//! The terminal guard on real pseudo-terminals: keys, focus reports, hang-ups, output that is
//! not taken, signals while waiting for room, and the restore. Signals are SIGUSR1/SIGUSR2
//! standing in for the termination signals, so the test process is never asked to end.

use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::time::Duration;

use rustix::fs::OFlags;
use rustix::pty::OpenptFlags;
use signal_hook::consts::{SIGUSR1, SIGUSR2, SIGVTALRM, SIGXCPU};

use super::signals::SignalPipe;
use super::tty::{self, Restore, Tty};
use super::*;

/// A pseudo-terminal: the master (the "terminal emulator" side) and a guard on the slave.
fn pty_guard(terminating: &[i32]) -> (OwnedFd, TerminalGuard) {
    pty_guard_reading(terminating, true)
}

/// The same, with the slave also as the input when `readable` (else, as when the terminal
/// cannot be read, output only).
fn pty_guard_reading(terminating: &[i32], readable: bool) -> (OwnedFd, TerminalGuard) {
    let master =
        rustix::pty::openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)
            .expect("openpt");
    rustix::pty::grantpt(&master).expect("grantpt");
    rustix::pty::unlockpt(&master).expect("unlockpt");
    let name = rustix::pty::ptsname(&master, Vec::new()).expect("ptsname");
    let flags = OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC | OFlags::NONBLOCK;
    let slave = rustix::fs::open(name.as_c_str(), flags, rustix::fs::Mode::empty()).expect("open");
    // Raw, as the guard makes it: in the default line mode a key is readable only after Enter.
    tty::enable_raw(slave.as_fd()).expect("raw");
    let slave = Arc::new(slave);
    let input = readable.then(|| Arc::clone(&slave));
    let tty = Tty { output: slave, input, shared_flags: Vec::new() };
    let signals = SignalPipe::install_for(terminating).expect("signals");
    let epoll = watch(&tty, &signals).expect("epoll");
    let guard = TerminalGuard {
        tty,
        signals,
        epoll,
        suspend_key: None,
        signal_keys: Vec::new(),
        locked: false,
        pending: keys::PendingKeys::with_capacity(0),
    };
    (master, guard)
}

/// A locked guard on a pseudo-terminal: `ending` ends it, `ignored` stands for SIGINT/SIGQUIT.
/// The locked tests use signals no other test raises (SIGVTALRM ends, SIGXCPU is ignored).
fn locked_pty_guard(ending: &[i32], ignored: &[i32]) -> (OwnedFd, TerminalGuard) {
    let (master, mut guard) = pty_guard(&[]);
    guard.signals = SignalPipe::install_locked_for(ending, ignored).expect("signals");
    guard.epoll = watch(&guard.tty, &guard.signals).expect("epoll");
    guard.locked = true;
    guard.pending = keys::PendingKeys::with_capacity(MAX_PENDING_KEYS);
    (master, guard)
}

#[test]
fn raw_mode_turns_the_keyboard_signals_and_flow_control_off() {
    use rustix::termios::{InputModes, LocalModes};
    let (_master, guard) = pty_guard(&[]);
    let modes = rustix::termios::tcgetattr(&*guard.tty.output).expect("tcgetattr");
    // Ctrl+C, Ctrl+\ and Ctrl+Z send no signal; Ctrl+S and Ctrl+Q do not stop the output;
    // Ctrl+V quotes nothing: each is a plain byte for the lock.
    assert!(!modes.local_modes.intersects(LocalModes::ISIG | LocalModes::IEXTEN));
    assert!(!modes.input_modes.contains(InputModes::IXON));
}

#[test]
fn a_locked_guard_hands_out_every_byte_as_a_key() {
    let (master, mut guard) = locked_pty_guard(&[SIGVTALRM], &[SIGXCPU]);
    rustix::io::write(&master, b"a\x03\x1a\x1cb").expect("type");
    let keys: Vec<Wake> = (0..5).map(|_| next(&mut guard)).collect();
    let expected: Vec<Wake> = b"a\x03\x1a\x1cb".iter().map(|&b| Wake::Key(b)).collect();
    assert_eq!(keys, expected);
}

#[test]
fn a_locked_guard_ignores_the_interrupt_signals_but_ends_on_the_others() {
    let (_master, mut guard) = locked_pty_guard(&[SIGVTALRM], &[SIGXCPU]);
    signal_hook::low_level::raise(SIGXCPU).expect("raise");
    assert!(!matches!(guard.wait(Duration::from_millis(50)).expect("wait"), Some(Wake::Signal(_))));
    signal_hook::low_level::raise(SIGVTALRM).expect("raise");
    assert_eq!(next(&mut guard), Wake::Signal(SIGVTALRM));
}

#[test]
fn a_locked_guard_still_sees_a_hangup() {
    let (master, mut guard) = locked_pty_guard(&[SIGVTALRM], &[SIGXCPU]);
    drop(master);
    assert_eq!(next(&mut guard), Wake::Hangup);
}

/// Waits until something other than a resize (other tests raise SIGWINCH) happens.
fn next(guard: &mut TerminalGuard) -> Wake {
    loop {
        match guard.wait(Duration::from_secs(30)).expect("wait") {
            Some(Wake::Resized) => {}
            Some(wake) => return wake,
            None => panic!("nothing happened"),
        }
    }
}

/// Writes to the slave until its output queue is full (nobody reads the master).
fn fill(guard: &TerminalGuard) {
    let chunk = [b'x'; 4096];
    while rustix::io::write(&*guard.tty.output, &chunk).is_ok() {}
}

#[test]
fn a_key_wakes_the_wait() {
    let (master, mut guard) = pty_guard(&[SIGUSR1]);
    rustix::io::write(&master, b"q").expect("type");
    assert!(matches!(next(&mut guard), Wake::Key(_)));
}

#[test]
fn a_focus_report_is_not_a_key() {
    let (master, mut guard) = pty_guard(&[SIGUSR1]);
    rustix::io::write(&master, b"\x1b[O").expect("focus");
    assert_eq!(next(&mut guard), Wake::Focus(false));
    rustix::io::write(&master, b"\x1b[I").expect("focus");
    assert_eq!(next(&mut guard), Wake::Focus(true));
    rustix::io::write(&master, b"x").expect("type");
    assert_eq!(next(&mut guard), Wake::Key(b'x'));
}

#[test]
fn a_closed_terminal_is_a_hangup_for_waits_and_writes() {
    let (master, mut guard) = pty_guard(&[SIGUSR1]);
    drop(master);
    assert_eq!(next(&mut guard), Wake::Hangup);
    assert_eq!(guard.write(b"frame").expect("write"), Some(Wake::Hangup));
}

#[test]
fn a_closed_terminal_is_a_hangup_even_when_it_cannot_be_read() {
    let (master, mut guard) = pty_guard_reading(&[SIGUSR1], false);
    rustix::io::write(&master, b"x").expect("type");
    // Keys are not read: the wait times out (a resize from another test may come first).
    while let Some(wake) = guard.wait(Duration::from_millis(20)).expect("wait") {
        assert_eq!(wake, Wake::Resized);
    }
    drop(master);
    assert_eq!(next(&mut guard), Wake::Hangup);
}

#[test]
fn the_timeout_ends_a_quiet_wait() {
    let (_master, mut guard) = pty_guard(&[SIGUSR1]);
    for _ in 0..10 {
        match guard.wait(Duration::from_millis(1)).expect("wait") {
            None => return,
            Some(Wake::Resized) => {}
            Some(other) => panic!("{other:?}"),
        }
    }
    panic!("never timed out");
}

#[test]
fn a_key_ends_a_write_the_terminal_does_not_take() {
    let (master, mut guard) = pty_guard(&[SIGUSR1]);
    rustix::io::write(&master, b"k").expect("type");
    fill(&guard);
    assert_eq!(guard.write(&[b'y'; 1 << 20]).expect("write"), Some(Wake::Key(b'k')));
}

#[test]
fn a_signal_ends_a_write_the_terminal_does_not_take() {
    let (_master, mut guard) = pty_guard(&[SIGUSR2]);
    fill(&guard);
    // The signal arrives while the write waits for room (or before: both must end it).
    let raiser = std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(50));
        signal_hook::low_level::raise(SIGUSR2).expect("raise");
    });
    assert_eq!(guard.write(&[b'y'; 1 << 20]).expect("write"), Some(Wake::Signal(SIGUSR2)));
    raiser.join().expect("raiser");
    // And the next wait reports it at once.
    assert_eq!(next(&mut guard), Wake::Signal(SIGUSR2));
}

#[test]
fn restore_puts_back_the_exact_settings_even_when_output_is_stuck() {
    let (_master, guard) = pty_guard(&[SIGUSR1]);
    let fd = Arc::clone(&guard.tty.output);
    let original = rustix::termios::tcgetattr(&*fd).expect("tcgetattr");
    let mut cooked = original.clone();
    cooked.local_modes |= rustix::termios::LocalModes::ICANON | rustix::termios::LocalModes::ECHO;
    rustix::termios::tcsetattr(&*fd, rustix::termios::OptionalActions::Now, &cooked).expect("set");
    let original = rustix::termios::tcgetattr(&*fd).expect("tcgetattr");
    let saved = tty::enable_raw(fd.as_fd()).expect("raw");
    assert_ne!(
        rustix::termios::tcgetattr(&*fd).expect("tcgetattr").local_modes,
        original.local_modes
    );
    fill(&guard);
    // Nobody reads: the LEAVE sequence cannot be written, and the restore must not wait for it.
    Restore { fd: Arc::clone(&fd), termios: saved, shared_flags: Vec::new() }.run(LEAVE);
    let now = rustix::termios::tcgetattr(&*fd).expect("tcgetattr");
    assert_eq!(now.local_modes, original.local_modes);
    assert_eq!(now.input_modes, original.input_modes);
    assert_eq!(now.output_modes, original.output_modes);
}

#[test]
fn restore_writes_leave() {
    let (master, guard) = pty_guard(&[SIGUSR1]);
    let fd = Arc::clone(&guard.tty.output);
    let saved = tty::enable_raw(fd.as_fd()).expect("raw");
    Restore { fd, termios: saved, shared_flags: Vec::new() }.run(LEAVE);
    let mut buf = [0u8; 64];
    let n = rustix::io::read(&master, &mut buf).expect("read");
    assert_eq!(&buf[..n], LEAVE);
}

#[test]
fn restore_without_guard_does_nothing() {
    restore();
    restore();
    assert!(ACTIVE.lock().expect("lock").is_none());
}

#[test]
fn leave_undoes_enter() {
    let mut parser = crate::saver::engine::render::vt_parser(5, 10);
    parser.process(ENTER);
    assert!(parser.screen().alternate_screen());
    assert!(parser.screen().hide_cursor());
    parser.process(LEAVE);
    assert!(!parser.screen().alternate_screen());
    assert!(!parser.screen().hide_cursor());
}

/// Everything the master has to read now (the slave's output so far).
fn drain_master(master: &OwnedFd) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let mut fds = [rustix::event::PollFd::new(master, rustix::event::PollFlags::IN)];
    let zero = rustix::event::Timespec { tv_sec: 0, tv_nsec: 50_000_000 };
    while rustix::event::poll(&mut fds, Some(&zero)).unwrap_or(0) > 0 {
        match rustix::io::read(master, &mut buf) {
            Ok(n) if n > 0 => out.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    out
}

#[test]
fn a_stop_gives_the_terminal_back_and_a_continue_takes_it_again() {
    let (master, guard) = pty_guard(&[SIGUSR1]);
    let fd = Arc::clone(&guard.tty.output);
    let mut cooked = rustix::termios::tcgetattr(&*fd).expect("tcgetattr");
    cooked.local_modes |= rustix::termios::LocalModes::ICANON
        | rustix::termios::LocalModes::ECHO
        | rustix::termios::LocalModes::ISIG;
    rustix::termios::tcsetattr(&*fd, rustix::termios::OptionalActions::Now, &cooked).expect("set");
    let saved = tty::enable_raw(fd.as_fd()).expect("raw");
    let restore = Restore { fd: Arc::clone(&fd), termios: saved, shared_flags: Vec::new() };
    drain_master(&master);
    // Stopping: the shell gets its line mode and the main screen back...
    restore.give_back(LEAVE);
    let modes = rustix::termios::tcgetattr(&*fd).expect("tcgetattr").local_modes;
    assert!(
        modes.contains(rustix::termios::LocalModes::ICANON | rustix::termios::LocalModes::ECHO)
    );
    assert_eq!(drain_master(&master), LEAVE);
    // ...and running again takes both once more: raw mode, then the alternate screen.
    restore.take_again(ENTER).expect("take again");
    let modes = rustix::termios::tcgetattr(&*fd).expect("tcgetattr").local_modes;
    assert!(
        !modes.intersects(rustix::termios::LocalModes::ICANON | rustix::termios::LocalModes::ECHO)
    );
    assert_eq!(drain_master(&master), ENTER);
    // The restore still holds the user's settings for the final exit.
    restore.run(LEAVE);
    let modes = rustix::termios::tcgetattr(&*fd).expect("tcgetattr").local_modes;
    assert!(modes.contains(rustix::termios::LocalModes::ICANON));
}

#[test]
fn the_suspend_key_is_the_users_and_only_when_keys_send_signals() {
    use rustix::termios::{LocalModes, SpecialCodeIndex};
    let (_master, guard) = pty_guard(&[SIGUSR1]);
    let mut termios = rustix::termios::tcgetattr(&*guard.tty.output).expect("tcgetattr");
    termios.local_modes |= LocalModes::ISIG;
    termios.special_codes[SpecialCodeIndex::VSUSP] = 0x1a;
    assert_eq!(job::suspend_key(&termios), Some(0x1a));
    // `stty susp ^Y`: that key, not Ctrl+Z.
    termios.special_codes[SpecialCodeIndex::VSUSP] = 0x19;
    assert_eq!(job::suspend_key(&termios), Some(0x19));
    // `stty susp undef`, or `stty -isig`: no key suspends, Ctrl+Z is a key like any other.
    termios.special_codes[SpecialCodeIndex::VSUSP] = 0;
    assert_eq!(job::suspend_key(&termios), None);
    termios.special_codes[SpecialCodeIndex::VSUSP] = 0x1a;
    termios.local_modes -= LocalModes::ISIG;
    assert_eq!(job::suspend_key(&termios), None);
}

#[test]
fn the_interrupt_and_quit_keys_are_the_users_and_only_when_keys_send_signals() {
    use rustix::termios::{LocalModes, SpecialCodeIndex};
    use signal_hook::consts::{SIGINT, SIGQUIT};
    let (_master, guard) = pty_guard(&[SIGUSR1]);
    let mut termios = rustix::termios::tcgetattr(&*guard.tty.output).expect("tcgetattr");
    termios.local_modes |= LocalModes::ISIG;
    termios.special_codes[SpecialCodeIndex::VINTR] = 0x03;
    termios.special_codes[SpecialCodeIndex::VQUIT] = 0x1c;
    assert_eq!(job::signal_keys(&termios), [(0x03, SIGINT), (0x1c, SIGQUIT)]);
    // `stty intr undef`: only the quit key; `stty -isig`: none.
    termios.special_codes[SpecialCodeIndex::VINTR] = 0;
    assert_eq!(job::signal_keys(&termios), [(0x1c, SIGQUIT)]);
    termios.local_modes -= LocalModes::ISIG;
    assert!(job::signal_keys(&termios).is_empty());
}

#[test]
fn a_thread_can_keep_the_terminal_when_it_panics() {
    assert!(restores_on_panic());
    let kept = std::thread::spawn(|| {
        keep_terminal_on_panic();
        restores_on_panic()
    });
    assert!(!kept.join().expect("thread"));
    assert!(restores_on_panic(), "only the thread that asked");
}
