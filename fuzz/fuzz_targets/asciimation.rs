//! Fuzz target `asciimation`: see `fun::fuzzing::asciimation` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::asciimation(data));
