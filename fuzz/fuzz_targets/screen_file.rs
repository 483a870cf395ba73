//! Fuzz target `screen_file`: see `fun::fuzzing::screen_file` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::screen_file(data));
