//! Fuzz target `units`: see `fun::fuzzing::units` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::units(data));
