//! STUB (foundation commit): the saver engine is implemented on its branch.

pub mod buffer;
pub mod screen;

use std::process::ExitCode;

/// Options (being implemented).
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the saver.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
