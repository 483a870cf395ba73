//! Fuzz target `fortune`: see `fun::fuzzing::fortune` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::fortune(data));
