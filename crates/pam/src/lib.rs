//! What `fun saver --lock` needs from the system that Rust's standard library and rustix do
//! not give: PAM, loaded at run time; the name of the user who runs us; the auth log.
//!
//! PAM is opened with `dlopen("libpam.so.0")` when a lock starts, not linked: the default build
//! needs nothing but the Rust toolchain (no libpam-dev, no C compiler), and a machine without
//! libpam still runs every other part of `fun`; only `--lock` then refuses to start, with a
//! clear error, before the screen is taken. The C library's `dlopen` (through the `libc` crate,
//! already in the tree) is used rather than a loader crate: five symbols, loaded once and never
//! unloaded, need nothing more.
//!
//! This crate is separate so that the main crate keeps its `unsafe_code` lint: all of its
//! unsafe is foreign calls whose contracts are written next to each one.

mod pam;
mod system;

pub use pam::{Failure, Pam, PamError};
pub use system::{log_auth, user_name};
