//! The bounds of a script: what one call of `init`, `update`, `draw` or `resize` may do before
//! it is stopped, and how a stop reads on the screen.
//!
//! Two budgets apply to every call: a count of operations (deterministic, the same on every
//! machine) and a wall-clock deadline checked every few thousand operations (so a slow machine
//! cannot turn an allowed count into a frozen saver; a key is read between calls, so it always
//! ends the saver within 100 ms); headless runs and recordings, whose output must not depend
//! on the machine's speed, have a 2 s deadline instead, a hang detector. Nesting, strings, arrays and maps are capped by the engine as
//! they grow. The deadline is the one place a screen reads the clock: a watchdog, which does not
//! change what a script draws unless the script is stopped.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use rhai::{Engine, EvalAltResult, ParseError, Position};

/// Operations one call may run.
pub const MAX_OPERATIONS: u64 = 2_000_000;
/// Wall-clock time one call may take.
pub const CALL_BUDGET: Duration = Duration::from_millis(40);
/// The same in headless runs and recordings: a hang detector only (a call of a script that
/// is not pathological takes milliseconds), so that their output never depends on the
/// machine's speed, while a script whose operations grow costly (copying a huge value at each
/// step) still ends.
pub const HEADLESS_CALL_BUDGET: Duration = Duration::from_secs(2);
/// How deep calls may nest, and expressions.
pub const MAX_CALL_LEVELS: usize = 48;
pub const MAX_EXPR_DEPTH: usize = 64;
/// The longest string (bytes), the largest array and map (elements, nested ones counted).
pub const MAX_STRING: usize = 256 * 1024;
pub const MAX_ARRAY: usize = 20_000;
pub const MAX_MAP: usize = 20_000;
/// The most values (array and map elements, nested ones counted) and string bytes the state
/// (`this`) keeps between calls: the engine checks sizes as values grow, but not every path
/// into a nested map, so the state is measured after every call.
pub const MAX_STATE_VALUES: usize = 500_000;
pub const MAX_STATE_BYTES: usize = 32 * 1024 * 1024;
/// The most functions and variables a script defines.
pub const MAX_FUNCTIONS: usize = 500;
pub const MAX_VARIABLES: usize = 1_000;
/// How many operations pass between two looks at the clock (a look costs about as much as
/// one operation; one operation can copy a large value, so looks are frequent).
const CLOCK_EVERY: u64 = 32;

/// When the running call must stop (`None`: no call is running, or no wall-clock budget).
pub type Deadline = Rc<Cell<Option<Instant>>>;

/// Sets every limit on `engine`; with `deadline`, also the wall-clock budget it carries.
pub fn apply(engine: &mut Engine, deadline: Option<Deadline>) {
    engine
        .set_max_operations(MAX_OPERATIONS)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_expr_depths(MAX_EXPR_DEPTH, MAX_EXPR_DEPTH)
        .set_max_string_size(MAX_STRING)
        .set_max_array_size(MAX_ARRAY)
        .set_max_map_size(MAX_MAP)
        .set_max_functions(MAX_FUNCTIONS)
        .set_max_variables(MAX_VARIABLES);
    if let Some(deadline) = deadline {
        engine.on_progress(move |ops| {
            let late = ops % CLOCK_EVERY == 0 && deadline.get().is_some_and(|d| Instant::now() > d);
            late.then(|| rhai::Dynamic::from("late"))
        });
    }
}

/// Checks the state kept between calls against [`MAX_STATE_VALUES`] and [`MAX_STATE_BYTES`]
/// (a walk that stops as soon as either is passed).
///
/// # Errors
/// Which bound was passed.
pub fn check_state(state: &rhai::Dynamic) -> Result<(), String> {
    let mut sizes = (0usize, 0usize);
    walk(state, 0, &mut sizes)
}

/// How deep [`check_state`] looks into nested values (the engine's own size checks keep
/// nesting far below what the stack can hold; this bounds the walk whatever happens).
const MAX_STATE_DEPTH: usize = 10_000;

/// Adds the values and text bytes of `value` to `sizes`, by reference (nothing is copied).
fn walk(value: &rhai::Dynamic, depth: usize, sizes: &mut (usize, usize)) -> Result<(), String> {
    sizes.0 += 1;
    if let Ok(array) = value.as_array_ref() {
        if depth >= MAX_STATE_DEPTH {
            return Err(format!("stopped: the state (this) nests deeper than {MAX_STATE_DEPTH}"));
        }
        for item in array.iter() {
            walk(item, depth + 1, sizes)?;
        }
    } else if let Ok(map) = value.as_map_ref() {
        if depth >= MAX_STATE_DEPTH {
            return Err(format!("stopped: the state (this) nests deeper than {MAX_STATE_DEPTH}"));
        }
        for (key, item) in map.iter() {
            sizes.1 += key.len();
            walk(item, depth + 1, sizes)?;
        }
    } else if let Ok(text) = value.as_immutable_string_ref() {
        sizes.1 += text.len();
    } else if let Some(blob) = value.read_lock::<rhai::Blob>() {
        sizes.1 += blob.len();
    }
    if sizes.0 > MAX_STATE_VALUES {
        return Err(format!("stopped: the state (this) holds more than {MAX_STATE_VALUES} values"));
    }
    if sizes.1 > MAX_STATE_BYTES {
        return Err(format!(
            "stopped: the state (this) holds more than {} MiB of text",
            MAX_STATE_BYTES >> 20
        ));
    }
    Ok(())
}

/// Where a script went wrong, as `FILE:LINE:COLUMN: message` (one clean line).
#[must_use]
pub fn describe(file: &str, err: &EvalAltResult) -> String {
    let inner = err.unwrap_inner();
    let message = match inner {
        EvalAltResult::ErrorTerminated(..) => {
            "stopped: one call ran longer than its time budget (an endless loop?)".to_owned()
        }
        EvalAltResult::ErrorTooManyOperations(..) => {
            format!("stopped: more than {MAX_OPERATIONS} operations in one call (an endless loop?)")
        }
        EvalAltResult::ErrorStackOverflow(..) => {
            format!("stopped: calls nested deeper than {MAX_CALL_LEVELS}")
        }
        EvalAltResult::ErrorDataTooLarge(what, ..) => format!("stopped: {what} over the limit"),
        other => without_position(&other.to_string()).to_owned(),
    };
    let at = located(file, inner.position()).or_else(|| located(file, err.position()));
    line(&format!("{}: {message}", at.unwrap_or_else(|| file.to_owned())))
}

/// Where a script does not compile, as `FILE:LINE:COLUMN: message`.
#[must_use]
pub fn describe_parse(file: &str, err: &ParseError) -> String {
    let at = located(file, err.1).unwrap_or_else(|| file.to_owned());
    line(&format!("{at}: {}", err.0))
}

/// An engine message without the ` (line N, position M)` it ends with (shown in front instead).
fn without_position(message: &str) -> &str {
    match message.rfind(" (line ") {
        Some(at) if message.ends_with(')') => &message[..at],
        _ => message,
    }
}

fn located(file: &str, at: Position) -> Option<String> {
    let line = at.line()?;
    Some(format!("{file}:{line}:{}", at.position().unwrap_or(1)))
}

/// A message as one clean line of at most 300 characters (a script's own error text is shown).
#[must_use]
pub fn line(text: &str) -> String {
    let clean = crate::sanitize::CleanLine::message(text).into_string();
    clean.chars().take(300).collect()
}
