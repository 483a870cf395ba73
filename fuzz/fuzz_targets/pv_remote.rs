//! Fuzz target `pv_remote`: see `fun::fuzzing::pv_remote` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::pv_remote(data));
