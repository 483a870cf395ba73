//! Fuzz target `pv_format`: see `fun::fuzzing::pv_format` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::pv_format(data));
