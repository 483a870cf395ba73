//! Fuzz target `keys`: see `fun::fuzzing::keys` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::keys(data));
