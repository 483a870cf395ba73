//! Fuzz target `script_header`: see `fun::fuzzing::script_header` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::script_header(data));
