//! `programmer`: types source code with simple syntax colours, like someone hard at work. By
//! default it types fun's own source, built into the binary; `--path` takes any file or folder
//! (binary files are skipped).

use std::path::PathBuf;

use clap::Parser;

use crate::saver::screens::data::source::Source;
use crate::saver::screens::data::typing::TypingScreen;
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, ScreenInfo};

const EXAMPLES: &str = "Examples:
  fun saver programmer                    fun's own source code
  fun saver programmer --path ~/src/app   your project (binary files are skipped)
  fun saver programmer --cps 40           a fast typist";

/// The source files typed by default: fun's own.
const OWN_SOURCE: &[&str] = &[
    include_str!("../engine/mod.rs"),
    include_str!("../engine/render.rs"),
    include_str!("../../typing/mod.rs"),
    include_str!("../../pv/transfer/mod.rs"),
    include_str!("../../calendar/astro.rs"),
    include_str!("../../calendar/preprocess.rs"),
];

/// Types source code with syntax colours.
#[derive(Debug, Parser)]
#[command(name = "fun saver programmer", after_help = EXAMPLES)]
pub(crate) struct ProgrammerArgs {
    /// A file or folder of code to type instead of fun's own source.
    #[arg(short, long, value_name = "PATH")]
    pub(crate) path: Option<PathBuf>,
    /// Typing speed in characters per second (0.1-10000).
    #[arg(long, default_value_t = 25.0, value_name = "N",
          value_parser = values::within(0.1, 10_000.0))]
    pub(crate) cps: f64,
}

/// Builds the screen.
///
/// # Errors
/// A path that is neither a folder nor a readable regular file (a FIFO or a device is refused
/// by name, without blocking).
pub(crate) fn build(args: ProgrammerArgs) -> anyhow::Result<TypingScreen> {
    let source = match args.path {
        None => Source::Embedded(OWN_SOURCE.to_vec()),
        Some(path) => Source::checked(path).map_err(|e| anyhow::anyhow!("--path {e}"))?,
    };
    Ok(TypingScreen::new(source, args.cps, 2.0, true))
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("programmer", "types source code with syntax colours", build)
}
