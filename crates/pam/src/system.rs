//! The user database and the system log, through the C library.

use std::ffi::{CStr, CString, c_char};

/// The longest passwd entry's strings we make room for (glibc's sysconf answer is a hint that
/// is often -1; entries from NSS modules rarely pass a few hundred bytes).
const PASSWD_BUFFER: usize = 16 * 1024;

/// The login name of user `uid` from the user database (`getpwuid_r`), or `None` when the
/// user has no entry.
#[must_use]
pub fn user_name(uid: u32) -> Option<String> {
    let mut entry = std::mem::MaybeUninit::<libc::passwd>::uninit();
    let mut buffer = vec![0 as c_char; PASSWD_BUFFER];
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to storage of the stated size that outlives the call; on
    // success `found` points to `entry`, whose strings live in `buffer`.
    let status = unsafe {
        libc::getpwuid_r(uid, entry.as_mut_ptr(), buffer.as_mut_ptr(), buffer.len(), &mut found)
    };
    if status != 0 || found.is_null() {
        return None;
    }
    // SAFETY: `found` is `entry`, filled by getpwuid_r; pw_name is NUL-terminated in `buffer`.
    let name = unsafe { CStr::from_ptr((*found).pw_name) };
    name.to_str().ok().map(str::to_owned)
}

/// Writes `message` to the system log, facility `authpriv` (the auth log), level `notice`,
/// as `fun-saver[PID]`. The message is passed as an argument to `%s`, never as the format.
pub fn log_auth(message: &str) {
    let Ok(message) = CString::new(message.replace('\0', " ")) else { return };
    // SAFETY: the identity is a static NUL-terminated string (openlog keeps the pointer);
    // the format is a static "%s" and its one argument a NUL-terminated string.
    unsafe {
        libc::openlog(c"fun-saver".as_ptr(), libc::LOG_PID, libc::LOG_AUTHPRIV);
        libc::syslog(libc::LOG_AUTHPRIV | libc::LOG_NOTICE, c"%s".as_ptr(), message.as_ptr());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_named_root() {
        assert_eq!(user_name(0).as_deref(), Some("root"));
    }

    #[test]
    fn an_unknown_user_has_no_name() {
        assert_eq!(user_name(3_999_999_999), None);
    }
}
