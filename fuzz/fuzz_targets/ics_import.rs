//! Fuzz target `ics_import`: see `fun::fuzzing::ics_import` for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fun::fuzzing::ics_import(data));
