//! `fun saver --lock`: the product's side of the lock. Its options, and what the engine's lock
//! ([`crate::saver::engine::lock`]) is given: an authenticator that asks PAM, through
//! `fun-pam` (libpam loaded at run time), for the password of the user who started the saver
//! (the user database's name for our real user id, never `$USER`), with the rules of a PAM
//! service, and logs every refusal to the auth log with the user and the terminal (never what
//! was typed).
//!
//! Everything that can fail does so before the terminal is taken: no libpam, no user name.
//! A lock that cannot be unlocked is never started.

use std::path::Path;
use std::sync::Arc;

use anyhow::anyhow;

use crate::saver::engine::lock::{Authenticator, Lock, Verdict};
use crate::saver::kit::values::ValueError;

/// The longest PAM service name accepted.
const MAX_SERVICE: usize = 64;
/// PAM's code for a wrong password (`PAM_AUTH_ERR`).
const PAM_AUTH_ERR: i32 = 7;

/// The lock's options (part of the engine's options).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LockArgs {
    /// Lock the terminal: a key shows a password prompt over the running screen, and only the
    /// password of the user who started the saver (checked by PAM) ends it. Ctrl+C, Ctrl+Z,
    /// Ctrl+\ and pasting do nothing; SIGTERM, SIGHUP or closing the terminal still end it.
    /// Needs libpam.so.0 (docs/lock.md says what it protects and what it cannot).
    #[arg(long, conflicts_with_all = ["headless", "record"])]
    pub(crate) lock: bool,

    /// --lock: the PAM service (/etc/pam.d/NAME) whose rules check the password, up to 64
    /// letters, digits, '.', '_' or '-' (default: fun when /etc/pam.d/fun exists, else login,
    /// else other).
    #[arg(long, value_name = "NAME", value_parser = parse_service)]
    pub(crate) pam_service: Option<String>,
}

fn parse_service(text: &str) -> Result<String, ValueError> {
    let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if text.is_empty()
        || text.len() > MAX_SERVICE
        || !text.chars().all(fine)
        || text.starts_with('.')
    {
        return Err(ValueError::format(
            "a PAM service name such as login (up to 64 letters, digits, '.', '_', '-')",
            text,
        ));
    }
    Ok(text.to_string())
}

/// The service used without `--pam-service`: ours when the system has a file for it, else the
/// login rules, else PAM's fallback for unknown services.
fn default_service() -> String {
    let has = |name: &str| {
        ["/etc/pam.d", "/usr/lib/pam.d"].iter().any(|dir| Path::new(dir).join(name).is_file())
    };
    ["fun", "login"].into_iter().find(|s| has(s)).unwrap_or("other").to_string()
}

/// Asks PAM.
struct PamAuth {
    pam: fun_pam::Pam,
    service: String,
    user: String,
    /// The terminal's device (`/dev/pts/3`), for PAM_TTY and the log.
    tty: Option<String>,
}

impl Authenticator for PamAuth {
    fn check(&self, password: &[u8]) -> Verdict {
        match self.pam.authenticate(&self.service, &self.user, self.tty.as_deref(), password) {
            Ok(()) => Verdict::Accepted,
            Err(failure) => {
                let tty = self.tty.as_deref().unwrap_or("no terminal");
                fun_pam::log_auth(&format!(
                    "authentication failure for {} on {tty} (service {}): {}",
                    self.user, self.service, failure.reason
                ));
                let shown = if failure.code == PAM_AUTH_ERR {
                    "wrong password".to_string()
                } else {
                    failure.reason
                };
                Verdict::Refused(shown)
            }
        }
    }
}

/// The terminal standard output (else input) is on, e.g. `/dev/pts/3`.
fn terminal_name() -> Option<String> {
    let fds = [rustix::stdio::stdout(), rustix::stdio::stdin()];
    let fd = fds.into_iter().find(|fd| rustix::termios::isatty(fd))?;
    let name = rustix::termios::ttyname(fd, Vec::new()).ok()?;
    name.to_str().ok().map(str::to_owned)
}

/// The lock for this run: libpam loaded, the user and terminal known.
///
/// # Errors
/// When libpam cannot be loaded or our user has no name: one clear line, before the screen.
pub(crate) fn prepare(args: &LockArgs) -> anyhow::Result<Lock> {
    let pam = fun_pam::Pam::load()
        .map_err(|e| anyhow!("locking needs PAM (libpam.so.0), which cannot be used here: {e}"))?;
    let uid = rustix::process::getuid().as_raw();
    let user = fun_pam::user_name(uid)
        .ok_or_else(|| anyhow!("locking needs a user name, and user id {uid} has none"))?;
    let service = args.pam_service.clone().unwrap_or_else(default_service);
    let tty = terminal_name();
    let short = tty.as_deref().map_or("this terminal", |t| t.strip_prefix("/dev/").unwrap_or(t));
    let title = crate::sanitize::CleanLine::new(format!("{user} on {short}")).into_string();
    let auth = PamAuth { pam, service, user, tty };
    Ok(Lock::new(Arc::new(auth), &title))
}

/// While locked, no core dump (which could hold the password) and no ptrace or
/// /proc/PID/mem or environ reading by other processes of the user: `PR_SET_DUMPABLE` 0.
///
/// # Errors
/// When the kernel refuses (the lock does not start).
pub(crate) fn no_core_dumps() -> anyhow::Result<()> {
    use rustix::process::{DumpableBehavior, set_dumpable_behavior};
    set_dumpable_behavior(DumpableBehavior::NotDumpable)
        .map_err(|e| anyhow!("cannot turn core dumps off for the lock: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_are_bounded_plain_words() {
        assert_eq!(parse_service("fun-test").as_deref(), Ok("fun-test"));
        for bad in ["", "../shadow", "a/b", ".hidden", "x y", &"a".repeat(65)] {
            assert!(parse_service(bad).is_err(), "{bad:?}");
        }
        assert!(parse_service(&"a".repeat(64)).is_ok());
    }

    #[test]
    fn the_default_service_is_one_pam_knows() {
        let service = default_service();
        assert!(["fun", "login", "other"].contains(&service.as_str()), "{service}");
    }
}
