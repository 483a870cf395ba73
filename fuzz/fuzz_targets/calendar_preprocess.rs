//! Fuzz target `calendar_preprocess`: see `fun::fuzzing::calendar_preprocess` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::calendar_preprocess(data));
