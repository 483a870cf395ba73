//! Fuzz target `sanitize`: see `fun::fuzzing::sanitize` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::sanitize(data));
