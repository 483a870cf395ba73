//! Fuzz target `picture`: see `fun::fuzzing::picture` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::picture(data));
