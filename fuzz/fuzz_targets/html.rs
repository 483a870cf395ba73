//! Fuzz target `html`: see `fun::fuzzing::html` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::html(data));
