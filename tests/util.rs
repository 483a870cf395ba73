//! Helpers shared by the integration tests.

use assert_cmd::Command;

/// The `fun` binary under test.
pub fn fun() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fun"))
}

/// Path of a fixture file under `tests/fixtures/`.
#[allow(dead_code)]
pub fn fixture(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}
