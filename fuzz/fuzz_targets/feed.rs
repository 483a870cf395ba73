//! Fuzz target `feed`: see `fun::fuzzing::feed` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::feed(data));
