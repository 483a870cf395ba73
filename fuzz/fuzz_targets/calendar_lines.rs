//! Fuzz target `calendar_lines`: see `fun::fuzzing::calendar_lines` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::calendar_lines(data));
