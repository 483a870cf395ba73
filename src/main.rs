//! The `fun` binary: parse the command line, dispatch to a tool, map its result to an exit code.
//!
//! Everything lives in the library (`src/lib.rs`) so the integration tests can drive it too.

use std::process::ExitCode;

fn main() -> ExitCode {
    fun::app::main()
}
