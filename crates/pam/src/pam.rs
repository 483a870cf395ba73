//! Linux-PAM through `dlopen`: `pam_start`, `pam_set_item(PAM_TTY)`, `pam_authenticate`,
//! `pam_acct_mgmt`, `pam_end`, and a conversation function that answers the password prompt
//! (`PAM_PROMPT_ECHO_OFF`) with the typed password and the name prompt with the user's name.
//!
//! The password is copied once, into the `malloc`ed answer PAM asks for (PAM owns and frees it;
//! `pam_unix` overwrites its copies before freeing them). Nothing here keeps, prints or logs
//! it.

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::fmt;

/// The library's name: the run-time soname, present wherever PAM is installed (the unversioned
/// `libpam.so` only comes with the development package).
const LIBRARY: &CStr = c"libpam.so.0";

const PAM_SUCCESS: c_int = 0;
const PAM_BUF_ERR: c_int = 5;
const PAM_CONV_ERR: c_int = 19;
const PAM_NEW_AUTHTOK_REQD: c_int = 12;
const PAM_PROMPT_ECHO_OFF: c_int = 1;
const PAM_PROMPT_ECHO_ON: c_int = 2;
const PAM_ERROR_MSG: c_int = 3;
const PAM_TEXT_INFO: c_int = 4;
const PAM_TTY: c_int = 3;
/// `PAM_MAX_NUM_MSG`: more messages in one call is a broken module.
const MAX_MESSAGES: c_int = 32;

#[repr(C)]
struct Message {
    style: c_int,
    text: *const c_char,
}

#[repr(C)]
struct Response {
    resp: *mut c_char,
    retcode: c_int,
}

type ConvFn =
    unsafe extern "C" fn(c_int, *mut *const Message, *mut *mut Response, *mut c_void) -> c_int;

#[repr(C)]
struct Conv {
    conv: ConvFn,
    appdata: *mut c_void,
}

type StartFn =
    unsafe extern "C" fn(*const c_char, *const c_char, *const Conv, *mut *mut c_void) -> c_int;
type SetItemFn = unsafe extern "C" fn(*mut c_void, c_int, *const c_void) -> c_int;
type FlagsFn = unsafe extern "C" fn(*mut c_void, c_int) -> c_int;
type StrErrorFn = unsafe extern "C" fn(*mut c_void, c_int) -> *const c_char;

/// libpam, loaded; never unloaded (the symbols stay valid for the life of the process).
pub struct Pam {
    start: StartFn,
    set_item: SetItemFn,
    authenticate: FlagsFn,
    acct_mgmt: FlagsFn,
    end: FlagsFn,
    strerror: StrErrorFn,
}

/// libpam could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PamError(pub String);

impl fmt::Display for PamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PamError {}

/// Why an authentication did not succeed: PAM's code and its own one-line description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: i32,
    pub reason: String,
}

/// What the conversation function answers with.
struct Answers<'a> {
    user: &'a CStr,
    password: &'a [u8],
}

impl Pam {
    /// Opens libpam.so.0 and finds its functions.
    ///
    /// # Errors
    /// When the library or one of its functions cannot be found.
    pub fn load() -> Result<Pam, PamError> {
        // SAFETY: a NUL-terminated name and standard flags; dlopen runs libpam's initialisers,
        // which only set up its own state.
        let handle = unsafe { libc::dlopen(LIBRARY.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        if handle.is_null() {
            return Err(PamError(format!("cannot load {}", LIBRARY.to_string_lossy())));
        }
        let symbol = |name: &CStr| {
            // SAFETY: `handle` is a live library handle (never closed) and `name` is
            // NUL-terminated.
            let found = unsafe { libc::dlsym(handle, name.as_ptr()) };
            if found.is_null() {
                Err(PamError(format!("libpam.so.0 has no {}", name.to_string_lossy())))
            } else {
                Ok(found)
            }
        };
        // SAFETY: each symbol is the Linux-PAM function of that name, whose C prototype is the
        // one its type spells (from <security/pam_appl.h>); data and function pointers have
        // the same size and representation on every platform Linux-PAM runs on.
        unsafe {
            Ok(Pam {
                start: std::mem::transmute::<*mut c_void, StartFn>(symbol(c"pam_start")?),
                set_item: std::mem::transmute::<*mut c_void, SetItemFn>(symbol(c"pam_set_item")?),
                authenticate: std::mem::transmute::<*mut c_void, FlagsFn>(symbol(
                    c"pam_authenticate",
                )?),
                acct_mgmt: std::mem::transmute::<*mut c_void, FlagsFn>(symbol(c"pam_acct_mgmt")?),
                end: std::mem::transmute::<*mut c_void, FlagsFn>(symbol(c"pam_end")?),
                strerror: std::mem::transmute::<*mut c_void, StrErrorFn>(symbol(c"pam_strerror")?),
            })
        }
    }

    /// Checks `password` for `user` with the rules of `service` (`/etc/pam.d/SERVICE`), on
    /// terminal `tty`: authentication, then the account's own checks (expired, locked). A
    /// password that must be changed still unlocks (the user proved who they are; the change
    /// is for the next login).
    ///
    /// # Errors
    /// PAM's refusal, or a name or password that holds a NUL byte.
    pub fn authenticate(
        &self,
        service: &str,
        user: &str,
        tty: Option<&str>,
        password: &[u8],
    ) -> Result<(), Failure> {
        let bad = |what: &str| Failure { code: -1, reason: format!("{what} holds a NUL byte") };
        let service = CString::new(service).map_err(|_| bad("the service"))?;
        let user_c = CString::new(user).map_err(|_| bad("the user name"))?;
        let tty = tty.map(CString::new).transpose().map_err(|_| bad("the terminal name"))?;
        if password.contains(&0) {
            return Err(bad("the password"));
        }
        let mut answers = Answers { user: &user_c, password };
        let conv = Conv { conv: converse, appdata: (&raw mut answers).cast() };
        let mut handle: *mut c_void = std::ptr::null_mut();
        // SAFETY: NUL-terminated strings and a conversation that outlive the handle (pam_end
        // below, before they go out of scope); `handle` receives the new handle.
        let started =
            unsafe { (self.start)(service.as_ptr(), user_c.as_ptr(), &conv, &mut handle) };
        if started != PAM_SUCCESS || handle.is_null() {
            return Err(Failure { code: started, reason: "pam_start failed".into() });
        }
        // SAFETY: a live handle from pam_start; PAM copies the item.
        if let Some(tty) = &tty {
            unsafe { (self.set_item)(handle, PAM_TTY, tty.as_ptr().cast()) };
        }
        // SAFETY: a live handle; flags 0. The conversation's data lives on this frame.
        let mut status = unsafe { (self.authenticate)(handle, 0) };
        if status == PAM_SUCCESS {
            // SAFETY: as above.
            status = match unsafe { (self.acct_mgmt)(handle, 0) } {
                PAM_NEW_AUTHTOK_REQD => PAM_SUCCESS,
                other => other,
            };
        }
        let reason = self.describe(handle, status);
        // SAFETY: the handle is ended exactly once and not used after.
        unsafe { (self.end)(handle, status) };
        if status == PAM_SUCCESS { Ok(()) } else { Err(Failure { code: status, reason }) }
    }

    /// PAM's own words for `status`.
    fn describe(&self, handle: *mut c_void, status: c_int) -> String {
        // SAFETY: a live handle; pam_strerror returns a static string (or NULL).
        let text = unsafe { (self.strerror)(handle, status) };
        if text.is_null() {
            return format!("PAM error {status}");
        }
        // SAFETY: a NUL-terminated static string from libpam.
        unsafe { CStr::from_ptr(text) }.to_string_lossy().into_owned()
    }
}

/// A `malloc`ed NUL-terminated copy of `bytes` (which hold no NUL), for PAM to own and free.
fn c_copy(bytes: &[u8]) -> *mut c_char {
    // SAFETY: malloc of len + 1 bytes; on success exactly that many are written.
    unsafe {
        let copy = libc::malloc(bytes.len() + 1).cast::<u8>();
        if !copy.is_null() {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), copy, bytes.len());
            *copy.add(bytes.len()) = 0;
        }
        copy.cast()
    }
}

/// The conversation function PAM calls: answers the password and name prompts, takes the
/// informational messages without an answer, refuses anything else.
///
/// # Safety
/// Called by libpam with `count` messages in `messages` (Linux-PAM's array of pointers),
/// `responses` to fill, and `data` the `Answers` given to pam_start.
unsafe extern "C" fn converse(
    count: c_int,
    messages: *mut *const Message,
    responses: *mut *mut Response,
    data: *mut c_void,
) -> c_int {
    if !(1..=MAX_MESSAGES).contains(&count) || messages.is_null() || responses.is_null() {
        return PAM_CONV_ERR;
    }
    let count = count as usize;
    // SAFETY: `data` is the `Answers` that `authenticate` passed and keeps alive.
    let answers = unsafe { &*data.cast::<Answers<'_>>() };
    // SAFETY: calloc of `count` responses, zeroed (null answers, code 0); PAM frees them.
    let out = unsafe { libc::calloc(count, std::mem::size_of::<Response>()) }.cast::<Response>();
    if out.is_null() {
        return PAM_BUF_ERR;
    }
    for i in 0..count {
        // SAFETY: libpam passes `count` valid message pointers.
        let style = unsafe { (**messages.add(i)).style };
        let answer = match style {
            PAM_PROMPT_ECHO_OFF => c_copy(answers.password),
            PAM_PROMPT_ECHO_ON => c_copy(answers.user.to_bytes()),
            PAM_ERROR_MSG | PAM_TEXT_INFO => continue,
            _ => {
                // SAFETY: frees what was filled so far and the array, once each.
                unsafe { free_responses(out, i) };
                return PAM_CONV_ERR;
            }
        };
        if answer.is_null() {
            // SAFETY: as above.
            unsafe { free_responses(out, i) };
            return PAM_BUF_ERR;
        }
        // SAFETY: `i < count`, inside the array.
        unsafe { (*out.add(i)).resp = answer };
    }
    // SAFETY: `responses` is where PAM wants the array.
    unsafe { *responses = out };
    PAM_SUCCESS
}

/// Frees the first `filled` answers (wiping them: one may be the password) and the array.
///
/// # Safety
/// `out` is a calloc'ed array of at least `filled` responses whose answers are malloc'ed or
/// null.
unsafe fn free_responses(out: *mut Response, filled: usize) {
    for i in 0..filled {
        // SAFETY: inside the array; each answer is NUL-terminated or null.
        unsafe {
            let resp = (*out.add(i)).resp;
            if !resp.is_null() {
                let len = libc::strlen(resp);
                for j in 0..len {
                    std::ptr::write_volatile(resp.add(j), 0);
                }
                libc::free(resp.cast());
            }
        }
    }
    // SAFETY: the array itself, from calloc.
    unsafe { libc::free(out.cast()) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conversation_answers_the_password_prompt_and_skips_information() {
        let user = c"alice";
        let mut answers = Answers { user, password: b"s3cret" };
        let info = Message { style: PAM_TEXT_INFO, text: c"hello".as_ptr() };
        let prompt = Message { style: PAM_PROMPT_ECHO_OFF, text: c"Password: ".as_ptr() };
        let name = Message { style: PAM_PROMPT_ECHO_ON, text: c"login: ".as_ptr() };
        let mut messages = [&raw const info, &raw const prompt, &raw const name];
        let mut out: *mut Response = std::ptr::null_mut();
        // SAFETY: three valid messages, a place for the answers, and live answers.
        let status =
            unsafe { converse(3, messages.as_mut_ptr(), &mut out, (&raw mut answers).cast()) };
        assert_eq!(status, PAM_SUCCESS);
        // SAFETY: the array of three answers converse made; freed once below.
        unsafe {
            assert!((*out).resp.is_null());
            assert_eq!(CStr::from_ptr((*out.add(1)).resp).to_bytes(), b"s3cret");
            assert_eq!(CStr::from_ptr((*out.add(2)).resp).to_bytes(), b"alice");
            free_responses(out, 3);
        }
    }

    #[test]
    fn an_unknown_message_style_is_refused() {
        let mut answers = Answers { user: c"alice", password: b"x" };
        let odd = Message { style: 99, text: std::ptr::null() };
        let mut messages = [&raw const odd];
        let mut out: *mut Response = std::ptr::null_mut();
        // SAFETY: as above.
        let status =
            unsafe { converse(1, messages.as_mut_ptr(), &mut out, (&raw mut answers).cast()) };
        assert_eq!(status, PAM_CONV_ERR);
        assert!(out.is_null());
    }
}
