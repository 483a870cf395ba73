//! The asking side: `-R PID` sends this command line's settings, `-Q PID` shows the other
//! `fun pv`'s progress with this command line's display options until it ends. Both only
//! talk to a socket in this user's private directory whose peer runs as this user.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

use super::server::{same_user, socket_path};
use super::{MAX_MESSAGE, State, TIMEOUT, query_request};
use crate::pv::args::Args;
use crate::pv::control::Control;
use crate::pv::display::Config;
use crate::pv::display::outside::{Sample, Watcher};
use crate::pv::exit::ExitStatus;
use crate::pv::setup;

/// Why the other `fun pv` could not be reached or refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RemoteError {
    #[error("{pid}: no fun pv with that process ID is running as this user")]
    NotRunning { pid: u32 },
    /// The private directory cannot be used: no `fun pv` of ours can be reached there.
    #[error("{pid}: cannot reach it: {why}")]
    PrivateDir { pid: u32, why: String },
    #[error("{pid}: no answer: {why}")]
    NoAnswer { pid: u32, why: String },
    #[error("{pid}: refused: {why}")]
    Refused { pid: u32, why: String },
}

/// Sends `request` to `pid` and returns its answer.
fn exchange(pid: u32, request: &str) -> Result<String, RemoteError> {
    let not_running = || RemoteError::NotRunning { pid };
    let path = socket_path(pid).map_err(|e| RemoteError::PrivateDir { pid, why: e.to_string() })?;
    let mut stream = UnixStream::connect(&path).map_err(|_| not_running())?;
    if !same_user(&stream) {
        return Err(not_running());
    }
    let no_answer = |why: &str| RemoteError::NoAnswer { pid, why: why.to_owned() };
    stream.set_write_timeout(Some(TIMEOUT)).map_err(|e| no_answer(&e.to_string()))?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(|e| no_answer(&e.to_string()))?;
    stream.write_all(request.as_bytes()).map_err(|e| no_answer(&e.to_string()))?;
    let mut answer = Vec::new();
    (&mut stream)
        .take(MAX_MESSAGE as u64 + 1)
        .read_to_end(&mut answer)
        .map_err(|e| no_answer(&e.to_string()))?;
    if answer.len() > MAX_MESSAGE {
        return Err(no_answer("answer too long"));
    }
    let text = String::from_utf8(answer).map_err(|_| no_answer("not text"))?;
    if let Some(why) = text.strip_prefix("error ") {
        let why = crate::sanitize::sanitize_line(why.trim_end().as_bytes());
        return Err(RemoteError::Refused { pid, why });
    }
    Ok(text)
}

fn report(option: &str, e: &RemoteError) -> ExitStatus {
    eprintln!("fun pv: {option} {}", crate::sanitize::sanitize_line(e.to_string().as_bytes()));
    ExitStatus::PIDFILE
}

/// `-R PID`: hands this command line's settings to `pid`.
pub(crate) fn remote(pid: u32, args: &Args) -> ExitStatus {
    let request = setup::remote_settings(args).to_request();
    match exchange(pid, &request) {
        Ok(_) => ExitStatus::empty(),
        Err(e) => report("-R", &e),
    }
}

/// `-Q PID`: shows `pid`'s progress every interval until it ends (exit 0) or a signal comes.
pub(crate) fn query(
    pid: u32,
    config: Config,
    name: Option<String>,
    control: &Control,
) -> ExitStatus {
    let ask = || {
        exchange(pid, &query_request()).and_then(|text| {
            State::parse(&text).map_err(|e| RemoteError::NoAnswer { pid, why: e.to_string() })
        })
    };
    let mut state = match ask() {
        Ok(state) => state,
        Err(e) => return report("-Q", &e),
    };
    let interval = config.interval;
    let mut watcher = Watcher::new(config);
    let mut status = ExitStatus::empty();
    loop {
        let sample = Sample {
            key: (pid, 0),
            name: name.clone(),
            amount: state.transferred,
            size: state.size,
            initial: 0,
        };
        watcher.draw(&[(sample, state.elapsed)], false);
        if control.sleep(interval) {
            status |= ExitStatus::SIGNAL;
            break;
        }
        match ask() {
            Ok(next) => state = next,
            // It ended (or went away): so does the query.
            Err(_) => break,
        }
    }
    watcher.close();
    status
}
