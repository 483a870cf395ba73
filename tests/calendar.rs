//! `fun calendar` end to end: golden outputs captured from Debian's calendar 12.1.8
//! (`LC_ALL=C.UTF-8 TZ=UTC`, cases in tests/fixtures/calendar/golden/cases.txt), the deliberate
//! fixes, the extensions and bad input.

use std::path::PathBuf;

use predicates::prelude::*;

use crate::util::{fixture, fun};

fn calendar_dir() -> PathBuf {
    fixture("calendar")
}

/// `fun calendar ARGS` run from the fixture folder with a private empty HOME.
fn calendar(args: &[&str]) -> assert_cmd::Command {
    let home = std::env::temp_dir().join("fun-calendar-test-home");
    let _ = std::fs::create_dir_all(&home);
    let mut cmd = fun();
    cmd.arg("calendar")
        .args(args)
        .current_dir(calendar_dir())
        .env("HOME", home)
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8")
        .env_remove("CALENDAR_DIR")
        .env("NO_COLOR", "1");
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let out = calendar(args).output().expect("fun runs");
    assert!(
        out.status.success(),
        "fun calendar {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn golden_outputs_match_the_reference() {
    let cases = std::fs::read_to_string(calendar_dir().join("golden/cases.txt")).expect("cases");
    let mut checked = 0;
    for line in cases.lines().filter(|l| !l.trim().is_empty()) {
        let (name, args) = line.split_once('\t').expect("name TAB args");
        let args: Vec<&str> = args.split_whitespace().collect();
        let expected = std::fs::read_to_string(calendar_dir().join(format!("golden/{name}.out")))
            .expect("golden file");
        assert_eq!(stdout_of(&args), expected, "case {name}: fun calendar {args:?}");
        checked += 1;
    }
    assert!(checked >= 10);
}

#[test]
fn monthly_dates_do_not_stop_at_a_short_month() {
    // The reference shows only Jan 31 here; every month with a 31st is listed.
    let out = stdout_of(&["-f", "calendar.numeric", "-t", "20240101", "-A", "365"]);
    let thirty_firsts = out.lines().filter(|l| l.ends_with("the 31st of every month")).count();
    assert_eq!(thirty_firsts, 7, "{out}");
    let strict = stdout_of(&["--strict", "-f", "calendar.numeric", "-t", "20240101", "-A", "365"]);
    assert_eq!(strict.lines().filter(|l| l.ends_with("the 31st of every month")).count(), 1);
}

#[test]
fn year_specific_dates_match_only_their_year() {
    let in_2026 = stdout_of(&["-f", "calendar.numeric", "-t", "20260417", "-A", "0"]);
    assert!(in_2026.contains("Apr 17 \ta year-specific date"), "{in_2026}");
    let in_2025 = stdout_of(&["-f", "calendar.numeric", "-t", "20250417", "-A", "0"]);
    assert!(!in_2025.contains("year-specific"), "{in_2025}");
}

#[test]
fn astronomical_specials() {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(
        file.path(),
        "MarEquinox\tspring\nDecSolstice-1\teve of the solstice\nFullMoon\tfull moon\nChineseNewYear\tnew year\n",
    )
    .expect("write");
    let path = file.path().to_str().expect("utf-8 path");
    let out = stdout_of(&["-f", path, "-t", "20260101", "-A", "365"]);
    assert!(out.contains("Mar 20*\tspring"), "{out}");
    assert!(out.contains("Dec 20*\teve of the solstice"), "{out}");
    assert!(out.contains("Feb 17*\tnew year"), "{out}");
    // 2026 has a blue moon: two full moons in May.
    assert_eq!(out.lines().filter(|l| l.ends_with("full moon")).count(), 13, "{out}");
}

#[test]
fn bundled_calendars_work_from_any_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = fun()
        .args(["calendar", "-f", "lotr", "-t", "20260325", "-A", "0"])
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env("LC_ALL", "C.UTF-8")
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.starts_with("Mar 25 \tThe One Ring is destroyed"), "{text}");
}

#[test]
fn list_shows_every_bundled_calendar_with_a_description() {
    let out = stdout_of(&["--list"]);
    for name in ["calendar.all", "calendar.computer", "calendar.lotr", "calendar.usholiday"] {
        let line = out
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing:\n{out}"));
        assert!(line.len() > name.len() + 5, "{line}");
    }
}

#[test]
fn stdin_is_read_with_dash() {
    calendar(&["-f", "-", "-t", "20240417", "-A", "0"])
        .write_stdin("04/17\tfrom stdin\n")
        .assert()
        .success()
        .stdout("Apr 17 \tfrom stdin\n");
}

#[test]
fn bad_dates_and_counts_are_one_line_errors() {
    for (args, needle) in [
        (vec!["-t", "2026banana"], "-t 2026banana"),
        (vec!["-t", "1"], "-t 1"),
        (vec!["-t", "690417"], "outside allowed range"),
        (vec!["-A", "-1"], "-A -1: too small"),
        (vec!["-A", "abc"], "-A abc: invalid"),
        (vec!["-B", "99999999999"], "too large"),
    ] {
        let out = calendar(&args).assert().code(1).get_output().clone();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn missing_file_is_an_error_not_a_silent_fallback() {
    calendar(&["-f", "no-such-calendar"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no-such-calendar: no such calendar file"));
}

#[test]
fn windows_up_to_a_century_each_way_work_and_larger_ones_are_refused() {
    calendar(&["-f", "calendar.basics", "-t", "20240417", "-A", "36525", "-B", "36525"])
        .assert()
        .success();
    calendar(&["-f", "calendar.basics", "-t", "20240417", "-A", "2147483647"])
        .assert()
        .code(1)
        .stderr("fun calendar: -A 2147483647: too large (at most 36525)\n");
}

#[test]
fn hostile_files_warn_and_go_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let long = format!("04/17\t{}\n", "x".repeat(1 << 20));
    let mut bytes = b"04/17\tbefore\n04/17\tbad \xff byte\n".to_vec();
    bytes.extend_from_slice(long.as_bytes());
    bytes.extend_from_slice(b"#include \"loop\"\n04/17\tafter the loop\n");
    std::fs::write(dir.path().join("cal"), &bytes).expect("write");
    std::fs::write(dir.path().join("loop"), "#include \"loop\"\n").expect("write");
    std::fs::write(dir.path().join("binary"), b"\x00\x01\x02ELF").expect("write");
    let out = fun()
        .args(["calendar", "-f", "cal", "-t", "20240417", "-A", "0"])
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env("LC_ALL", "C.UTF-8")
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stdout.starts_with("Apr 17 \tbefore\nApr 17 \txxxx"),
        "{}",
        &stdout[..40.min(stdout.len())]
    );
    assert_eq!(stdout.lines().count(), 3, "the long line is kept whole");
    assert!(stdout.ends_with("Apr 17 \tafter the loop\n"), "the file goes on after the cycle");
    assert!(stderr.contains("cal:2: invalid UTF-8"), "{stderr}");
    assert!(stderr.contains("nested too deeply"), "{stderr}");
    fun()
        .args(["calendar", "-f", "binary"])
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env("LC_ALL", "C.UTF-8")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("binary file"));
}

/// `fun calendar ARGS` on a file holding `text`, in a private folder; (stdout, stderr).
fn run_text(text: &str, args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("cal"), text).expect("write");
    let mut cmd = fun();
    cmd.args(["calendar", "-f", "cal"])
        .args(args)
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd.assert().success().get_output().clone();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_unknown_month_name_is_reported_and_skipped_never_read_as_january() {
    let text = "1 Smarch\tnot a month\n1 марта\tRussian without LANG=\n01/01\tNew Year\n";
    let (stdout, stderr) = run_text(text, &["-t", "20260101", "-A", "0"], &[]);
    assert_eq!(stdout, "Jan 01 \tNew Year\n");
    assert!(
        stderr.contains("cal:1: unknown month or weekday name \"smarch\", line skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cal:2: unknown month or weekday name \"марта\", line skipped"),
        "{stderr}"
    );
    // --strict keeps the reference's reading (both on January 1st), for the differential tests.
    let (strict, _) = run_text(text, &["--strict", "-t", "20260101", "-A", "0"], &[]);
    assert_eq!(strict.lines().count(), 3, "{strict}");
}

#[test]
fn lang_lines_read_and_print_that_locales_names() {
    let text = "LANG=ru_RU.UTF-8\n1 марта\tгенитив\n2 Март\tименительный\n3 май\tmay, nominative\n";
    let (stdout, stderr) = run_text(text, &["-t", "20260301", "-A", "70"], &[]);
    assert_eq!(stdout, "мар 01 \tгенитив\nмар 02 \tименительный\nмая 03 \tmay, nominative\n");
    assert_eq!(stderr, "");
    // The reference knows only %B and %b: "май" is no month there, and the lone 3 is March.
    let (strict, _) = run_text(text, &["--strict", "-t", "20260301", "-A", "70"], &[]);
    assert!(strict.contains("мар 01 \tmay, nominative"), "{strict}");
    let (french, _) =
        run_text("LANG=fr_FR.UTF-8\n1 févr.\tfévrier\n", &["-t", "20260201", "-A", "0"], &[]);
    assert_eq!(french, "févr. 01 \tfévrier\n");
}

#[test]
fn the_environment_locale_names_dates_like_the_reference() {
    let (stdout, _) = run_text(
        "17 Mai\tMaifest\n",
        &["-t", "20260517", "-A", "0", "-w"],
        &[("LC_ALL", "de_DE.UTF-8")],
    );
    assert_eq!(stdout, "So Mai 17 \tMaifest\n");
    let (stdout, _) = run_text("LANG=xx_YY.UTF-8\n05/17\tx\n", &["-t", "20260517", "-A", "0"], &[]);
    assert_eq!(stdout, "May 17 \tx\n");
}

#[test]
fn the_users_own_bad_lines_warn_and_quiet_silences_them() {
    let text = "1 Smarch\tnot a month\n01/01\tNew Year\n";
    let (stdout, stderr) = run_text(text, &["-t", "20260101", "-A", "0"], &[]);
    assert_eq!(stdout, "Jan 01 \tNew Year\n");
    assert!(stderr.contains("cal:1: unknown month"), "{stderr}");
    for quiet in ["-q", "--quiet"] {
        let (quiet_out, quiet_err) = run_text(text, &[quiet, "-t", "20260101", "-A", "0"], &[]);
        assert_eq!((quiet_out.as_str(), quiet_err.as_str()), (stdout.as_str(), ""), "{quiet}");
    }
    let (_, verbose) = run_text(text, &["--warnings", "-t", "20260101", "-A", "0"], &[]);
    assert_eq!(verbose.lines().count(), 1, "{verbose}");
    assert!(verbose.contains("cal:1: unknown month"), "{verbose}");
}

/// `fun calendar ARGS` as a new user on stock Debian runs it: a HOME and a working folder with
/// no calendar, so the system's /etc/calendar/default and /usr/share/calendar are read.
fn stock_run(args: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = fun()
        .arg("calendar")
        .args(args)
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env_remove("CALENDAR_DIR")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .expect("fun runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (text(&out.stdout), text(&out.stderr))
}

#[test]
#[ignore = "needs Debian's calendar package (/usr/share/calendar; .ci/run installs it)"]
fn a_stock_system_run_is_quiet_unless_warnings_are_asked_for() {
    assert!(std::path::Path::new("/etc/calendar/default").is_file(), "calendar not installed");
    // A whole year, so that every dated line of the system's files is read.
    let (stdout, stderr) = stock_run(&["-t", "20260101", "-A", "365"]);
    assert!(!stdout.is_empty());
    assert_eq!(stderr, "", "the system's own files are not the user's to fix");
    // Its files have lines we skip (calendar.dutch's "mei", hr_HR's "nedjeljalast"): -v names
    // them, -q says nothing even then.
    let (_, verbose) = stock_run(&["--warnings", "-t", "20260101", "-A", "365"]);
    assert!(verbose.contains("/usr/share/calendar/"), "{verbose}");
    let (_, quiet) = stock_run(&["-q", "-t", "20260101", "-A", "365"]);
    assert_eq!(quiet, "");
}
