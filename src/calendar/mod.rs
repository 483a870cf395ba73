//! STUB (foundation commit): replaced by the tool's implementation branch.

use std::process::ExitCode;

/// Options (being implemented).
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the tool.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
