//! `fun`: a terminal fun-utilities suite.
//!
//! Each tool has its own module tree (`pv`, `typist`, `calendar`, `saver`); they share only the
//! small utilities declared at the bottom of this file.

pub mod calendar;
pub mod cli;
pub mod complete;
pub mod man;
pub mod pv;
pub mod saver;
pub mod typist;

// Shared utilities.
pub mod files;
pub mod net;
pub mod sanitize;
pub mod stdio;
pub mod term;
pub mod typing;
pub mod units;
pub mod xdg;

// The fuzz targets' entry points (fuzz/ and the corpus replay); never used by the binary.
#[doc(hidden)]
pub mod fuzzing;
