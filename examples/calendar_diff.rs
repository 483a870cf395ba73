//! The project's differential harness for `fun calendar`: runs Debian's `calendar` and
//! `fun calendar --strict` over a matrix of dates, windows and file-lookup modes for each
//! calendar file given, and compares their standard output byte for byte (and the exit status).
//!
//! ```text
//! cargo run --example calendar_diff -- [--fun PATH] [--reference PATH] [--jobs N]
//!     [--allow-extra TEXT]... [--show N] FILE_OR_DIR...
//! ```
//!
//! A directory stands for its top-level `calendar*` files. Each file runs in a private HOME
//! that holds it as `calendar` and `.calendar/calendar`, next to links to its sibling files so
//! that `#include "x"` works from any mode, with `LC_ALL=C.UTF-8`, `TZ=UTC` and no other locale
//! variable. Locales the files switch to (`LANG=ru_RU.UTF-8`) must be available to the
//! reference: installed, or compiled into the folder named by `LOCPATH`
//! (`.ci/checks/calendar.sh` does either).
//!
//! `--allow-extra TEXT`: lines fun prints and the reference does not, when they contain TEXT, are a
//! documented extension (year-specific dates), not a failure.
//!
//! Prints one line per file (`calendar.russian: 341 passed, 0 failed`), the first differences
//! of each failing case, and a last line `N passed, N failed`; exits 1 on any failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;

use chrono::{Datelike, NaiveDate, Weekday};

/// "Today" for the cases: month and year ends, leap days, Fridays (the weekend rule), the
/// Easters of 2024-2026, and two short `-t` forms.
const DATES: [&str; 29] = [
    "20240101", "20240116", "20240131", "20240223", "20240228", "20240229", "20240301", "20240329",
    "20240502", "20240621", "20240731", "20240913", "20241031", "20241115", "20241224", "20241227",
    "20241231", "20250110", "20250228", "20250301", "20250418", "20250420", "20251128", "20251231",
    "20260402", "20260412", "20261231", "991231", "240229",
];

/// Windows tried with every date.
const WINDOWS: [&[&str]; 9] = [
    &[],
    &["-A", "0"],
    &["-A", "1"],
    &["-A", "7"],
    &["-A", "60"],
    &["-A", "365"],
    &["-B", "1"],
    &["-B", "7"],
    &["-B", "7", "-A", "7"],
];

/// Windows that only differ on a Friday.
const FRIDAY_WINDOWS: [&[&str]; 4] = [&["-e", "0"], &["-e", "5"], &["-B", "0"], &["-A", "2"]];

/// Rarer options, tried with every fourth date: `-l`, `-w`, a long look-back, and both sides of
/// the reference's 50-day switch between its two date algorithms.
const EXTRA_WINDOWS: [&[&str]; 7] = [
    &["-l", "7"],
    &["-l", "60"],
    &["-w"],
    &["-w", "-A", "7"],
    &["-B", "60"],
    &["-A", "49"],
    &["-A", "50"],
];

/// How the calendar file is found.
#[derive(Clone, Copy, Debug)]
enum Mode {
    /// `-f NAME`, run in HOME.
    Named,
    /// No `-f`: `./calendar` in HOME.
    Cwd,
    /// No `-f`, run in an empty folder: `~/.calendar/calendar`.
    Home,
    /// No `-f`: `$CALENDAR_DIR/calendar`.
    CalendarDir,
}

const USAGE: &str = "usage: calendar_diff [--fun PATH] [--reference PATH] [--jobs N] \
[--allow-extra TEXT]... [--show N] FILE_OR_DIR...";

/// One run of both programs.
struct Case {
    file: usize,
    mode: Mode,
    args: Vec<String>,
}

struct Options {
    fun: PathBuf,
    reference: PathBuf,
    jobs: usize,
    allow_extra: Vec<String>,
    show: usize,
    files: Vec<PathBuf>,
}

fn main() -> ExitCode {
    match parse_options(std::env::args().skip(1).collect()).and_then(run) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("calendar_diff: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse_options(args: Vec<String>) -> Result<Options, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut options = Options {
        fun: root.join("target/debug/fun"),
        reference: PathBuf::from("/usr/bin/calendar"),
        jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
        allow_extra: Vec::new(),
        show: 6,
        files: Vec::new(),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--fun" => options.fun = value()?.into(),
            "--reference" => options.reference = value()?.into(),
            "--jobs" => options.jobs = value()?.parse().map_err(|e| format!("--jobs: {e}"))?,
            "--allow-extra" => options.allow_extra.push(value()?),
            "--show" => options.show = value()?.parse().map_err(|e| format!("--show: {e}"))?,
            "-h" | "--help" => return Err(USAGE.into()),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            path => options.files.extend(calendar_files(Path::new(path))?),
        }
    }
    if options.files.is_empty() {
        return Err("no calendar files given".into());
    }
    Ok(options)
}

/// `path` itself, or the top-level `calendar*` files of a folder.
fn calendar_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    // Absolute, so the links made in each HOME point at the real files.
    let path = &std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("calendar"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The cases of one file.
fn cases_for(file: usize) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut add = |mode, date: &str, window: &[&str]| {
        let mut args = vec!["-t".to_owned(), date.to_owned()];
        args.extend(window.iter().map(|s| (*s).to_owned()));
        cases.push(Case { file, mode, args });
    };
    for (i, date) in DATES.iter().enumerate() {
        WINDOWS.iter().for_each(|w| add(Mode::Named, date, w));
        if is_friday(date) {
            FRIDAY_WINDOWS.iter().for_each(|w| add(Mode::Named, date, w));
        }
        if i % 4 == 0 {
            EXTRA_WINDOWS.iter().for_each(|w| add(Mode::Named, date, w));
        }
    }
    for mode in [Mode::Cwd, Mode::Home, Mode::CalendarDir] {
        add(mode, "20240229", &["-A", "7"]);
        add(mode, "20241227", &[]);
    }
    cases
}

fn is_friday(date: &str) -> bool {
    NaiveDate::parse_from_str(date, "%Y%m%d").is_ok_and(|d| d.weekday() == Weekday::Fri)
}

/// The private HOME of one file (see the module docs).
fn prepare_home(file: &Path, base: &Path) -> Result<PathBuf, String> {
    let name = file.file_name().ok_or("a file has no name")?;
    let home = base.join(name);
    let private = home.join(".calendar");
    let empty = home.join("empty");
    for dir in [&private, &empty] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let text = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    for copy in [home.join("calendar"), private.join("calendar")] {
        std::fs::write(&copy, &text).map_err(|e| format!("{}: {e}", copy.display()))?;
    }
    let siblings = file.parent().map(std::fs::read_dir).transpose().map_err(|e| e.to_string())?;
    for sibling in siblings.into_iter().flatten().filter_map(Result::ok) {
        let sibling_name = sibling.file_name();
        if sibling_name == "calendar" {
            continue;
        }
        for dir in [&home, &private] {
            let link = dir.join(&sibling_name);
            if !link.exists() {
                std::os::unix::fs::symlink(sibling.path(), &link)
                    .map_err(|e| format!("{}: {e}", link.display()))?;
            }
        }
    }
    Ok(home)
}

/// Stdout and exit status of `program ARGS` for `case`.
fn run_one(program: &[&str], case: &Case, file: &Path, home: &Path) -> (Vec<u8>, Option<i32>) {
    let mut cmd = Command::new(program[0]);
    cmd.args(&program[1..]);
    let name = file.file_name().unwrap_or_default();
    let cwd = match case.mode {
        Mode::Named => {
            cmd.arg("-f").arg(name);
            home.to_path_buf()
        }
        Mode::Cwd => home.to_path_buf(),
        Mode::Home => home.join("empty"),
        Mode::CalendarDir => {
            cmd.env("CALENDAR_DIR", home.join(".calendar"));
            home.join("empty")
        }
    };
    cmd.args(&case.args).current_dir(cwd).env("HOME", home);
    for (key, _) in std::env::vars_os() {
        let key_text = key.to_string_lossy();
        if key_text.starts_with("LC_") || key_text == "LANG" || key_text == "LANGUAGE" {
            cmd.env_remove(&key);
        }
    }
    if !matches!(case.mode, Mode::CalendarDir) {
        cmd.env_remove("CALENDAR_DIR");
    }
    cmd.env("LC_ALL", "C.UTF-8").env("TZ", "UTC").stdin(Stdio::null()).stderr(Stdio::null());
    match cmd.output() {
        Ok(out) => (out.stdout, out.status.code()),
        Err(e) => (format!("cannot run {}: {e}\n", program[0]).into_bytes(), None),
    }
}

/// The differences between the two outputs worth showing, or None when they agree (lines that
/// only fun prints and that contain an allowed extension's text do not count).
fn differences(reference: &[u8], fun: &[u8], allow_extra: &[String]) -> Option<Vec<String>> {
    if reference == fun {
        return None;
    }
    let ours = String::from_utf8_lossy(fun);
    let kept: String = ours
        .split_inclusive('\n')
        .filter(|l| !allow_extra.iter().any(|a| l.contains(a.as_str())))
        .collect();
    let theirs = String::from_utf8_lossy(reference);
    if kept == theirs {
        return None;
    }
    let (theirs, kept): (Vec<&str>, Vec<&str>) = (theirs.lines().collect(), kept.lines().collect());
    let mut shown = Vec::new();
    for i in 0..theirs.len().max(kept.len()) {
        let (a, b) = (theirs.get(i), kept.get(i));
        if a != b {
            shown.extend(a.map(|a| format!("-{a:?}")));
            shown.extend(b.map(|b| format!("+{b:?}")));
        }
    }
    if shown.is_empty() {
        shown.push("(only the final newline differs)".into());
    }
    Some(shown)
}

/// Results of one file's cases.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    reports: Vec<String>,
}

/// What the workers share.
struct Shared<'a> {
    options: &'a Options,
    homes: &'a [PathBuf],
    cases: &'a [Case],
    next: Mutex<usize>,
    tallies: Mutex<BTreeMap<usize, Tally>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Takes cases until none is left; runs both programs on each and records the outcome.
fn worker(shared: &Shared<'_>) {
    let options = shared.options;
    let fun = options.fun.to_string_lossy();
    let reference = options.reference.to_string_lossy();
    loop {
        let i = {
            let mut next = lock(&shared.next);
            *next += 1;
            *next - 1
        };
        let Some(case) = shared.cases.get(i) else { break };
        let (file, home) = (&options.files[case.file], &shared.homes[case.file]);
        let theirs = run_one(&[&reference], case, file, home);
        let ours = run_one(&[&fun, "calendar", "--strict"], case, file, home);
        let mut diff = differences(&theirs.0, &ours.0, &options.allow_extra);
        if diff.is_none() && theirs.1 != ours.1 {
            diff = Some(vec![format!("exit status {:?}, fun {:?}", theirs.1, ours.1)]);
        }
        let mut tallies = lock(&shared.tallies);
        let tally = tallies.entry(case.file).or_default();
        let Some(lines) = diff else {
            tally.passed += 1;
            continue;
        };
        tally.failed += 1;
        let args = case.args.join(" ");
        let mut report = format!("FAIL {}: calendar {args} ({:?})", file.display(), case.mode);
        for line in lines.iter().take(options.show) {
            report.push_str("\n    ");
            report.push_str(line);
        }
        tally.reports.push(report);
    }
}

fn run(options: Options) -> Result<bool, String> {
    let base = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let homes = options
        .files
        .iter()
        .map(|f| prepare_home(f, base.path()))
        .collect::<Result<Vec<_>, _>>()?;
    let cases: Vec<Case> = (0..options.files.len()).flat_map(cases_for).collect();
    let shared = Shared {
        options: &options,
        homes: &homes,
        cases: &cases,
        next: Mutex::new(0),
        tallies: Mutex::new(BTreeMap::new()),
    };
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| worker(&shared));
        }
    });
    let tallies = shared.tallies.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    // The first failures of each file, then one line per file, then the total.
    for tally in tallies.values() {
        tally.reports.iter().take(3).for_each(|r| println!("{r}"));
    }
    let (mut passed, mut failed) = (0, 0);
    for (file, tally) in &tallies {
        let name = options.files[*file].file_name().unwrap_or_default().to_string_lossy();
        println!("{name}: {} passed, {} failed", tally.passed, tally.failed);
        passed += tally.passed;
        failed += tally.failed;
    }
    println!("{passed} passed, {failed} failed");
    Ok(failed == 0)
}
