//! The shared typing scheduler: turns bytes into timed steps, with no I/O inside.
//!
//! Used by `fun pv -L` (evenly spaced units at a fixed rate), `fun type` (a human rhythm) and
//! the saver's typing screens. A step is "wait `delay`, then write `bytes`"; the caller owns the
//! clock and the output.
//!
//! CONTRACT (being implemented on the typing branch; other parts code against it):
//! ```ignore
//! pub struct Step { pub delay: std::time::Duration, pub bytes: Vec<u8> }
//! pub struct Rhythm { /* cps, jitter, pauses, typos, ... */ }   // Rhythm::human(cps), Rhythm::even(cps)
//! pub struct Typist { .. }
//! impl Typist {
//!     pub fn new(rhythm: Rhythm, seed: u64) -> Self;
//!     pub fn push(&mut self, input: &[u8]);      // append input (streaming)
//!     pub fn finish(&mut self);                  // no more input: flush partial units
//!     pub fn next_step(&mut self) -> Option<Step>; // None = needs more input (or done)
//! }
//! pub fn steps(text: &[u8], rhythm: Rhythm, seed: u64) -> impl Iterator<Item = Step>;
//! ```

pub mod unit;
