//! `fun calendar --ics` and `--from-ics` end to end: the export checked by a second parser
//! (the `icalendar` crate) against the plain output of the same window, the round trip
//! export -> import -> `fun calendar`, and the import of a sample with every kind of event.

use std::collections::BTreeSet;
use std::path::Path;

use crate::util::{fixture, fun};

/// `fun calendar ARGS` in `dir` (an empty HOME too, so the bundled calendars are found),
/// UTC, no colour; returns stdout, stderr and the exit code.
fn calendar_in(dir: &Path, args: &[&str]) -> (String, String, Option<i32>) {
    let out = fun()
        .arg("calendar")
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8")
        .env_remove("CALENDAR_DIR")
        .env("NO_COLOR", "1")
        .output()
        .expect("fun runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (text(&out.stdout), text(&out.stderr), out.status.code())
}

fn ok_stdout(dir: &Path, args: &[&str]) -> String {
    let (stdout, stderr, code) = calendar_in(dir, args);
    assert_eq!(code, Some(0), "fun calendar {args:?}: {stderr}");
    stdout
}

/// Entries of plain `fun calendar` output: (`Mon DD`, first line of text, continuation lines),
/// whitespace in the text normalised as the export does.
fn plain_entries(output: &str) -> Vec<(String, String, Vec<String>)> {
    let mut entries: Vec<(String, String, Vec<String>)> = Vec::new();
    for line in output.lines() {
        if let Some(more) = line.strip_prefix('\t') {
            if let Some(last) = entries.last_mut() {
                last.2.push(normalise(more));
            }
            continue;
        }
        let (date, text) = line.split_once('\t').expect("a date, a TAB, the text");
        entries.push((date[..6].to_owned(), normalise(text), Vec::new()));
    }
    entries
}

fn normalise(text: &str) -> String {
    text.trim().replace('\t', " ")
}

/// What the `icalendar` crate reads from an export: every VEVENT's (`Mon DD`, SUMMARY,
/// DESCRIPTION lines), checking the properties every event must have on the way.
fn parsed_events(ics: &str) -> Vec<(String, String, Vec<String>)> {
    use icalendar::parser::{read_calendar, unfold};
    let unfolded = unfold(ics);
    let calendar = read_calendar(&unfolded).expect("the icalendar crate parses the export");
    let prop =
        |name: &str| calendar.properties.iter().find(|p| p.name == name).map(|p| p.val.to_string());
    assert_eq!(prop("VERSION").as_deref(), Some("2.0"));
    assert!(prop("PRODID").is_some_and(|p| p.contains("fun calendar")));
    let mut uids = BTreeSet::new();
    let mut events = Vec::new();
    for event in calendar.components.iter().filter(|c| c.name == "VEVENT") {
        let get = |name: &str| event.find_prop(name).map(|p| p.val.to_string());
        let date_of = |name: &str| {
            let property = event.find_prop(name).unwrap_or_else(|| panic!("{name} missing"));
            assert!(property.params.iter().any(|p| p.key == "VALUE"), "{name} is a DATE");
            chrono::NaiveDate::parse_from_str(property.val.as_str(), "%Y%m%d").expect("a date")
        };
        let (start, end) = (date_of("DTSTART"), date_of("DTEND"));
        assert_eq!(end, start.succ_opt().expect("next day"), "all-day: DTEND is the next day");
        assert!(get("DTSTAMP").is_some_and(|s| s.ends_with('Z')));
        let uid = get("UID").expect("UID");
        assert!(uid.ends_with("@fun-calendar.invalid"), "{uid}");
        assert!(uids.insert(uid.clone()), "UID {uid} twice");
        let description = get("DESCRIPTION")
            .map(|d| d.split('\n').map(str::to_owned).collect())
            .unwrap_or_default();
        let summary = get("SUMMARY").expect("SUMMARY");
        events.push((start.format("%b %d").to_string(), summary, description));
    }
    events
}

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items
}

#[test]
fn the_export_has_every_event_of_the_window_once_as_a_real_parser_reads_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let window = ["-f", "calendar.all", "-t", "20260101", "-A", "365"];
    let plain = ok_stdout(dir.path(), &window);
    let ics = ok_stdout(dir.path(), &[&window[..], &["--ics"]].concat());
    let expected = plain_entries(&plain);
    assert!(expected.len() > 300, "calendar.all has hundreds of events a year");
    assert_eq!(sorted(parsed_events(&ics)), sorted(expected));
    for line in ics.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(!line.chars().any(char::is_control), "control character in {line:?}");
    }
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "every line ends in CRLF");
}

#[test]
fn uids_are_the_same_in_every_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let args = ["-f", "lotr", "-t", "20260301", "-A", "60", "--ics"];
    let uids = |ics: String| -> Vec<String> {
        ics.lines().filter(|l| l.starts_with("UID:")).map(str::to_owned).collect()
    };
    let first = uids(ok_stdout(dir.path(), &args));
    assert!(first.len() > 10);
    assert_eq!(first, uids(ok_stdout(dir.path(), &args)));
}

#[test]
fn continuation_lines_become_the_description_and_escapes_survive() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cal = "04/17\tTea; cake, and a \\ backslash\n\tsecond line\n\t\tthird\tline\n\
               Thursday\tevery week\n";
    std::fs::write(dir.path().join("cal"), cal).expect("write");
    let ics = ok_stdout(dir.path(), &["-f", "cal", "-t", "20260415", "-A", "7", "--ics"]);
    let events = sorted(parsed_events(&ics));
    let lines = vec!["second line".to_owned(), "third line".to_owned()];
    assert_eq!(
        events,
        vec![
            ("Apr 16".to_owned(), "every week".to_owned(), vec![]),
            ("Apr 17".to_owned(), "Tea; cake, and a \\ backslash".to_owned(), lines),
        ]
    );
}

#[test]
fn export_then_import_gives_the_same_events_in_the_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, today, ahead) in [
        ("calendar.all", "20260101", "365"),
        ("lotr", "20250901", "200"),
        ("christian", "20270101", "400"),
    ] {
        let window = ["-f", name, "-t", today, "-A", ahead];
        let plain = ok_stdout(dir.path(), &window);
        let ics = ok_stdout(dir.path(), &[&window[..], &["--ics"]].concat());
        std::fs::write(dir.path().join("out.ics"), ics).expect("write");
        let (imported, stderr, code) = calendar_in(dir.path(), &["--from-ics", "out.ics"]);
        assert_eq!((code, stderr.as_str()), (Some(0), ""), "{name}: every exported event imports");
        std::fs::write(dir.path().join("imported"), imported).expect("write");
        let again = ok_stdout(dir.path(), &["-f", "imported", "-t", today, "-A", ahead]);
        // Exported dates are concrete, so the `*` of variable dates does not come back.
        let plain = plain.replace("*\t", " \t");
        assert_eq!(plain_entries(&again), plain_entries(&plain), "{name}");
        assert!(plain.lines().count() > 10, "{name}");
    }
}

fn sample() -> std::path::PathBuf {
    fixture("ics/sample.ics")
}

#[test]
fn import_writes_every_kind_it_can_express_and_names_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = sample();
    let (stdout, stderr, code) =
        calendar_in(dir.path(), &["--from-ics", path.to_str().expect("UTF-8 path")]);
    assert_eq!(code, Some(0), "{stderr}");
    let expected =
        std::fs::read_to_string(fixture("ics/sample.calendar")).expect("expected output");
    assert_eq!(stdout, expected);
    let shown = path.display().to_string();
    let expected_stderr = [
        r#":94: "Bins out" (2026-01-05): repeats every 2 weeks; calendar(1) cannot skip weeks, left out"#,
        r#":100: "Close the books" (2026-01-31): falls on a day counted from the end of the month, which calendar(1) cannot express, left out"#,
        r#":106: "Drink water" (2026-01-01): repeats several times a day, left out"#,
        r#":112: "Called-off party" (2026-02-12): is cancelled, left out"#,
        r#":125: "Team lunch" (2026-01-05): changed or excluded occurrences (RECURRENCE-ID, EXDATE) that still show on their old dates, since calendar(1) cannot skip one occurrence: 1"#,
        ":0: VTODO components left out (only VEVENTs have dates): 1",
    ];
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), expected_stderr.len(), "{stderr}");
    for (line, tail) in lines.iter().zip(expected_stderr) {
        assert_eq!(*line, format!("fun calendar: {shown}{tail}"));
    }
}

#[test]
fn imported_lines_are_read_back_by_fun_calendar() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(fixture("ics/sample.calendar"), dir.path().join("imported")).expect("copy");
    let out = ok_stdout(dir.path(), &["-f", "imported", "-t", "20260101", "-A", "40", "-w"]);
    for line in [
        "Thu Jan 01 \tPay the rent",
        "Thu Jan 01*\t18:00-19:30 Choir practice",
        "Sun Jan 04 \tWinter break",
        "Mon Jan 05*\tTeam lunch",
        "Tue Jan 13*\tBook club",
        "Tue Jan 13 \tTeam lunch (moved)",
    ] {
        assert!(out.lines().any(|l| l == line), "{line:?} in:\n{out}");
    }
    assert!(!out.contains("Jan 03 \tWinter break"), "the EXDATE is left out");
    let year = ok_stdout(dir.path(), &["-f", "imported", "-t", "20270101", "-A", "365"]);
    for line in ["May 31*\tMemorial Day", "Jul 04 \tAda's birthday", "Nov 25*\tThanksgiving"] {
        assert!(year.lines().any(|l| l == line), "{line:?} in 2027");
    }
    assert!(!year.contains("Pottery"), "one-off dates stay in their year");
}

#[test]
fn import_reads_standard_input() {
    let bytes = std::fs::read(sample()).expect("sample");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = fun()
        .args(["calendar", "--from-ics", "-"])
        .current_dir(dir.path())
        .env("TZ", "UTC")
        .write_stdin(bytes)
        .output()
        .expect("fun runs");
    assert_eq!(out.status.code(), Some(0));
    let expected = std::fs::read(fixture("ics/sample.calendar")).expect("expected output");
    assert_eq!(out.stdout, expected);
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>:94: \"Bins out\""));
}

#[test]
fn window_options_do_not_mix_with_import() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        &["--from-ics", "x.ics", "-A", "7"][..],
        &["--from-ics", "x.ics", "--ics"],
        &["--ics", "-w"],
    ] {
        let (_, stderr, code) = calendar_in(dir.path(), args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(stderr.contains("cannot be used with"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_file_that_is_not_icalendar_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("notes.ics"), "just some notes\n").expect("write");
    let (stdout, stderr, code) = calendar_in(dir.path(), &["--from-ics", "notes.ics"]);
    assert_eq!(code, Some(1));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr.trim_end(),
        "fun calendar: notes.ics: not an iCalendar file (no BEGIN:VCALENDAR)"
    );
}
