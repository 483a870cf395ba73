//! Job control: whether this process may touch its terminal without being stopped. A process
//! outside the terminal's foreground group that changes the terminal's modes, or writes to it
//! while `stty tostop` is set, is stopped by SIGTTOU (its whole group with it). So `fun pv`
//! asks before each such act, and a background `fun pv` leaves the terminal alone instead:
//! it never stops itself (`fun pv -c ... &` would otherwise stop holding the `-c` row lock,
//! and every other `fun pv -c` on that terminal would wait for it).

use std::os::fd::AsFd;

/// Whether our process group is the terminal's foreground group. Not a terminal (or any
/// other failing check) counts as foreground, as pv 1.7 does.
pub(crate) fn in_foreground(fd: impl AsFd) -> bool {
    match rustix::termios::tcgetpgrp(fd) {
        Ok(group) => group == rustix::process::getpgrp(),
        Err(_) => true,
    }
}

/// Whether writing to `fd` cannot stop this process: we are in the foreground, or the
/// terminal lets background processes write (no TOSTOP). tcgetattr(3) is allowed from the
/// background; when it fails, `fd` is not a terminal.
pub(crate) fn write_cannot_stop(fd: impl AsFd) -> bool {
    let fd = fd.as_fd();
    in_foreground(fd)
        || rustix::termios::tcgetattr(fd)
            .map_or(true, |modes| !modes.local_modes.contains(rustix::termios::LocalModes::TOSTOP))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_a_terminal_never_stops_us() {
        let file = tempfile::tempfile().expect("temp file");
        assert!(in_foreground(&file));
        assert!(write_cannot_stop(&file));
    }
}
