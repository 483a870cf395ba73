//! `fun`: a terminal fun-utilities suite.
//!
//! `app` is the top: the `fun` command, built from the [`tool::Tool`] each tool exports (`pv`,
//! `typist`, `calendar`, `saver`). The tools never import the top nor each other; they share
//! only the small utilities declared at the bottom of this file.

// The C maths functions under their C names, so the binary never loads libm.so (see the
// crate's docs); named here because a crate nobody names is not linked.
extern crate fun_maths as _;

pub mod app;
pub mod calendar;
pub mod pv;
pub mod saver;
pub mod typist;

// Shared utilities.
pub mod exit;
pub mod files;
pub mod net;
pub mod sanitize;
pub mod stdio;
pub mod suggest;
pub mod term;
pub mod tool;
pub mod typing;
pub mod units;
pub mod xdg;

// The fuzz targets' entry points (fuzz/ and the corpus replay); never used by the binary.
#[doc(hidden)]
pub mod fuzzing;
