//! Fuzz target `saver_config`: see `fun::fuzzing::saver_config` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::saver_config(data));
