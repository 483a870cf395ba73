//! Hostile inputs for `fun calendar`: devices, FIFOs and oversized files named by `-f` or
//! `#include`, macro and include bombs, escape sequences in event text, a closed stdout, floods
//! of bad lines and events, and out-of-range numbers. Each case runs under [`limited`]
//! (1 GiB, 10 s), so "memory grows until the allocator fails" and "never finishes" fail here.

use std::path::Path;
use std::process::Stdio;

use super::*;

/// A calendar folder with `cal` holding `text`, as the working folder and HOME of a run.
fn folder(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("cal"), text).expect("write cal");
    dir
}

/// `fun calendar ARGS` under the limits, in `dir`, with no colour and a fixed time zone.
fn calendar_in(dir: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut full = vec!["calendar", "--color", "never"];
    full.extend_from_slice(args);
    let mut cmd = limited(&full);
    cmd.current_dir(dir).env("HOME", dir).env("TZ", "UTC").env("LC_ALL", "C.UTF-8");
    cmd.env_remove("CALENDAR_DIR");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    calendar_in(dir, args).output().expect("fun runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A calendar run that succeeds: no crash, and what it printed.
fn calm_success(out: &Output) -> (String, String) {
    assert_no_crash(out);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    (text(&out.stdout), text(&out.stderr))
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success());
}

#[test]
fn a_device_named_by_f_is_refused_by_name() {
    let dir = folder("");
    let out = run(dir.path(), &["-f", "/dev/zero"]);
    assert_calm_failure(&out, 1, "/dev/zero: is a character device, not a regular file");
}

#[test]
fn a_fifo_named_by_f_is_refused_without_blocking() {
    let dir = folder("");
    mkfifo(&dir.path().join("fifo"));
    let out = run(dir.path(), &["-f", "fifo"]);
    assert_calm_failure(&out, 1, "fifo: is a FIFO, not a regular file");
}

#[test]
fn an_oversized_file_is_refused_with_the_cap() {
    let dir = folder("");
    let big = "04/17\tx\n".repeat((4 << 20) / 8 + 1);
    std::fs::write(dir.path().join("big"), big).expect("write");
    let out = run(dir.path(), &["-f", "big"]);
    assert_calm_failure(&out, 1, "big: larger than the 4 MiB limit");
}

#[test]
fn endless_standard_input_stops_at_the_cap() {
    let dir = folder("");
    // assert_cmd would buffer all of /dev/zero first: the same limits, by hand.
    let out = std::process::Command::new("timeout")
        .args(["10", "prlimit", MEMORY_LIMIT, "--", env!("CARGO_BIN_EXE_fun")])
        .args(["calendar", "-f", "-"])
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .stdin(std::fs::File::open("/dev/zero").expect("/dev/zero"))
        .output()
        .expect("fun runs");
    assert_calm_failure(&out, 1, "<stdin>: larger than the 4 MiB limit");
}

#[test]
fn unreadable_includes_say_why_and_the_file_goes_on() {
    let dir = folder(
        "04/17\tbefore\n#include \"/dev/zero\"\n#include \"fifo\"\n#include \"folder\"\n#include \"big\"\n#include \"nowhere\"\n04/17\tafter\n",
    );
    mkfifo(&dir.path().join("fifo"));
    std::fs::create_dir(dir.path().join("folder")).expect("mkdir");
    std::fs::write(dir.path().join("big"), vec![b'x'; (4 << 20) + 1]).expect("write");
    let out = run(dir.path(), &["-f", "cal", "-t", "20240417", "-A", "0"]);
    let (stdout, stderr) = calm_success(&out);
    assert_eq!(stdout, "Apr 17 \tbefore\nApr 17 \tafter\n");
    for reason in [
        "cal:2: #include \"/dev/zero\": /dev/zero: is a character device, not a regular file",
        "cal:3: #include \"fifo\": ",
        "fifo: is a FIFO, not a regular file",
        "cal:4: #include \"folder\": ",
        "folder: is a directory, not a regular file",
        "cal:5: #include \"big\": ",
        "big: larger than the 4 MiB limit",
        "cal:6: #include \"nowhere\": nowhere: no such calendar file",
    ] {
        assert!(stderr.contains(reason), "missing {reason:?} in:\n{stderr}");
    }
    assert_eq!(stderr.lines().count(), 5, "{stderr}");
}

#[test]
fn an_exponential_macro_chain_is_capped_and_the_file_goes_on() {
    let mut cal = String::from("#define M0 boom\n");
    for i in 1..=39 {
        cal.push_str(&format!("#define M{i} M{} M{}\n", i - 1, i - 1));
    }
    cal.push_str("04/17\tM39\n04/17\tM2 after\n");
    let dir = folder(&cal);
    let out = run(dir.path(), &["-f", "cal", "-t", "20240417", "-A", "0"]);
    let (stdout, stderr) = calm_success(&out);
    assert_eq!(stdout, "Apr 17 \tboom boom boom boom after\n");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cal:41: macros expand past 64 KiB, line skipped"), "{stderr}");
}

#[test]
fn deep_macro_chains_and_negations_do_not_overflow_the_stack() {
    let mut cal = String::from("#define M0 end\n");
    for i in 1..=50_000 {
        cal.push_str(&format!("#define M{i} M{}\n", i - 1));
    }
    // 60,001 negations are evaluated without a stack frame each; a million are over the
    // expression cap (64 KiB): reported, and false.
    cal.push_str(&format!(
        "04/17\tM50000\n#if {}0\n04/17\tshown\n#endif\n#if {}0\n04/17\thidden\n#endif\n",
        "!".repeat(60_001),
        "!".repeat((1 << 20) + 1)
    ));
    let dir = folder(&cal);
    let out = run(dir.path(), &["-f", "cal", "-t", "20240417", "-A", "0"]);
    let (stdout, stderr) = calm_success(&out);
    assert_eq!(stdout, "Apr 17 \tshown\n");
    assert!(stderr.contains("cal:50002: macros nested more than 256 deep"), "{stderr}");
    assert!(
        stderr.contains("cal:50006: #if: expression longer than 64 KiB; taken as false"),
        "{stderr}"
    );
}

#[test]
fn an_include_bomb_is_counted() {
    let dir = folder("#include \"twice\"\n04/17\tafter\n");
    std::fs::write(dir.path().join("twice"), "#include \"twice\"\n#include \"twice\"\n")
        .expect("write");
    let out = run(dir.path(), &["-f", "cal", "-t", "20240417", "-A", "0"]);
    let (_, stderr) = calm_success(&out);
    assert!(stderr.contains("more than 1024 #includes; the rest is left out"), "{stderr}");
    assert!(stderr.lines().count() <= 102, "{stderr}");
}

#[test]
fn a_flood_of_bad_lines_is_summed_up() {
    let cal = "#bogus\n".repeat(100_000) + "04/17\tstill read\n";
    let dir = folder(&cal);
    let out = run(dir.path(), &["-f", "cal", "-t", "20240417", "-A", "0"]);
    let (stdout, stderr) = calm_success(&out);
    assert_eq!(stdout, "Apr 17 \tstill read\n");
    assert_eq!(stderr.lines().count(), 101, "{}", &stderr[..200]);
    assert!(stderr.ends_with("fun calendar: 99900 more warnings not shown\n"));
}

#[test]
fn a_flood_of_events_is_capped() {
    // A weekly line over two centuries is 10,437 events; 400 of them pass the cap.
    let dir = folder(&"Thu\tweekly\n".repeat(400));
    let out = run(dir.path(), &["-f", "cal", "-t", "20240417", "-A", "36525", "-B", "36525"]);
    let (stdout, stderr) = calm_success(&out);
    assert_eq!(stdout.lines().count(), 4_000_000);
    assert!(stderr.contains("more than 4000000 events in the window"), "{stderr}");
}

#[test]
fn numbers_out_of_range_are_one_line_errors_naming_the_bound() {
    let dir = folder("04/17\tx\n");
    for (option, value) in [("-A", "36526"), ("-B", "2147483647"), ("-l", "99999"), ("-e", "40000")]
    {
        let out = run(dir.path(), &["-f", "cal", option, value]);
        assert_calm_failure(&out, 1, &format!("{option} {value}: too large (at most 36525)"));
    }
    let out = run(dir.path(), &["-f", "cal", "-t", "99991231", "-A", "36525", "-B", "36525"]);
    calm_success(&out);
}

#[test]
fn a_closed_stdout_is_an_error() {
    let dir = folder("04/17\tx\n");
    let fun = env!("CARGO_BIN_EXE_fun");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("exec '{fun}' calendar -f cal -t 20240417 -A 0 >&-"))
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .output()
        .expect("sh runs");
    assert_calm_failure(&out, 1, "cannot write to standard output: Bad file descriptor");
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    let dir = folder(&"Thu\tweekly event with some text\n".repeat(200));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fun"))
        .args(["calendar", "-f", "cal", "-t", "20240417", "-A", "36525"])
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("fun runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("fun ends");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
}

const HOSTILE: &str = "04/17\tclip\x1b]52;c;ZWNobyBvd25lZA==\x07board \x1b[2Jclear \u{202e}gnp.exe\u{202c} \u{9b}31m\n";

#[test]
fn escapes_in_event_text_never_reach_a_terminal() {
    let dir = folder(HOSTILE);
    let fun = env!("CARGO_BIN_EXE_fun");
    // `script` gives the run a real terminal as its stdout.
    let out = std::process::Command::new("script")
        .args(["-qec"])
        .arg(format!("'{fun}' calendar --color never -f cal -t 20240417 -A 0"))
        .arg("/dev/null")
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("script runs");
    let shown = text(&out.stdout);
    assert!(shown.contains("Apr 17 \tclipboard clear gnp.exe 31m"), "{shown:?}");
    assert!(!shown.contains('\x1b') && !shown.contains('\u{202e}'), "{shown:?}");
}

#[test]
fn piped_output_keeps_the_bytes() {
    let dir = folder(HOSTILE);
    let out = run(dir.path(), &["-f", "cal", "-t", "20240417", "-A", "0"]);
    let (stdout, _) = calm_success(&out);
    assert_eq!(stdout, format!("Apr 17 {}", &HOSTILE[5..]));
}

#[test]
fn messages_that_echo_names_and_values_are_sanitised() {
    let dir = folder("#warning \x1b]2;owned\x07 title\n#include \"\x1b[2Jgone\"\n");
    let out = run(dir.path(), &["-f", "cal", "-t", "20240417"]);
    let (_, stderr) = calm_success(&out);
    assert!(stderr.contains("cal:1: #warning  title"), "{stderr:?}");
    assert!(stderr.contains("gone: no such calendar file"), "{stderr:?}");
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
    for args in [["-f", "\x1b]52;c;eA==\x07name"], ["-t", "\x1b[2J2024"], ["-A", "\x1b[31m1"]] {
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1));
        assert!(!text(&out.stderr).contains('\x1b'), "{args:?}: {:?}", text(&out.stderr));
    }
    let out = calendar_in(dir.path(), &["-t", "20240417"])
        .env("CALENDAR_DIR", "\x1b]2;t\x07nowhere")
        .output()
        .expect("fun runs");
    assert!(text(&out.stderr).contains("CALENDAR_DIR"), "{:?}", text(&out.stderr));
    assert!(!text(&out.stderr).contains('\x1b'), "{:?}", text(&out.stderr));
}

// --- iCalendar: `--from-ics` reads untrusted files, `--ics` writes untrusted text ---

/// A folder holding `name` with `bytes`.
fn ics_folder(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(name), bytes).expect("write");
    dir
}

#[test]
fn an_oversized_ics_file_is_refused_with_the_cap() {
    let mut big = b"BEGIN:VCALENDAR\r\n".to_vec();
    big.resize((16 << 20) + 1, b'x');
    let dir = ics_folder("big.ics", &big);
    let out = run(dir.path(), &["--from-ics", "big.ics"]);
    assert_calm_failure(&out, 1, "big.ics: larger than the 16 MiB limit");
}

#[test]
fn devices_fifos_and_binary_files_are_refused_by_name() {
    let dir = ics_folder("bin.ics", b"BEGIN:VCALENDAR\r\n\0\x01\x02\xff\xfe");
    mkfifo(&dir.path().join("fifo.ics"));
    for (file, says) in [
        ("/dev/zero", "/dev/zero: is a character device, not a regular file"),
        ("fifo.ics", "fifo.ics: is a FIFO, not a regular file"),
        ("bin.ics", "bin.ics: binary file, not an iCalendar file"),
        ("missing.ics", "missing.ics"),
    ] {
        let out = run(dir.path(), &["--from-ics", file]);
        assert_calm_failure(&out, 1, says);
    }
}

#[test]
fn a_line_folded_200000_times_is_read_in_one_pass() {
    let mut ics =
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:".to_vec();
    for _ in 0..200_000 {
        ics.extend_from_slice(b"\r\n x");
    }
    ics.extend_from_slice(b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    let dir = ics_folder("folded.ics", &ics);
    let (stdout, stderr) = calm_success(&run(dir.path(), &["--from-ics", "folded.ics"]));
    assert_eq!(stderr, "");
    let line = stdout.lines().find(|l| l.starts_with("2026/01/01\t")).expect("the event");
    assert_eq!(line.len(), "2026/01/01\t".len() + 200_000);
}

#[test]
fn nested_components_cost_no_stack_and_no_memory() {
    let mut ics = b"BEGIN:VCALENDAR\r\n".to_vec();
    ics.extend(b"BEGIN:X\r\n".repeat(200_000));
    ics.extend_from_slice(b"BEGIN:VEVENT\r\nDTSTART:20260101\r\nSUMMARY:deep\r\nEND:VEVENT\r\n");
    ics.extend(b"END:X\r\n".repeat(200_000));
    ics.extend_from_slice(
        b"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260102\r\nSUMMARY:shallow\r\nEND:VEVENT\r\n",
    );
    let dir = ics_folder("deep.ics", &ics);
    let (stdout, _) = calm_success(&run(dir.path(), &["--from-ics", "deep.ics"]));
    assert!(stdout.contains("2026/01/02\tshallow"), "{stdout}");
    assert!(!stdout.contains("deep"), "an event nested past the limit is not read");
}

#[test]
fn rules_that_never_end_their_expansion_are_stopped_by_the_budget() {
    // 2000 events whose rules end only after a century of mostly empty days (73 million).
    let mut ics = b"BEGIN:VCALENDAR\r\n".to_vec();
    for i in 0..2_000 {
        let event = format!(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY;BYMONTH=2;\
             BYMONTHDAY=30;COUNT=5\r\nSUMMARY:never {i}\r\nEND:VEVENT\r\n"
        );
        ics.extend_from_slice(event.as_bytes());
    }
    let dir = ics_folder("budget.ics", &ics);
    let (stdout, stderr) = calm_success(&run(dir.path(), &["--from-ics", "budget.ics"]));
    assert!(stderr.contains("more than 10000000 days examined"), "{stderr}");
    assert!(stderr.lines().count() <= 102, "warnings are capped: {stderr}");
    assert!(stdout.lines().count() < 2_010);
}

#[test]
fn a_flood_of_garbage_lines_is_summed_up() {
    let mut ics = b"BEGIN:VCALENDAR\r\n".to_vec();
    ics.extend(b"\x01\x1b[2J garbage\r\n".repeat(50_000));
    let dir = ics_folder("junk.ics", &ics);
    let (stdout, stderr) = calm_success(&run(dir.path(), &["--from-ics", "junk.ics"]));
    assert_eq!(stdout.lines().count(), 2, "only the header: {stdout}");
    assert_eq!(stderr.lines().count(), 101);
    assert!(stderr.ends_with("49900 more warnings not shown\n"), "{stderr}");
    assert!(!stderr.contains('\x1b'));
}

#[test]
fn hostile_text_never_reaches_the_output_or_the_preprocessor() {
    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\n\
               SUMMARY:a\x1b]52;c;b3duZWQ=\x07b\x1b[2J \u{202e}c /* d\\\\\r\n\
               DESCRIPTION:#include \"/etc/passwd\"\\n\x07#define x y\r\nEND:VEVENT\r\n\
               END:VCALENDAR\r\n";
    let dir = ics_folder("hostile.ics", ics.as_bytes());
    let (stdout, _) = calm_success(&run(dir.path(), &["--from-ics", "hostile.ics"]));
    assert!(stdout.contains("2026/01/01\tab c / * d\n"), "{stdout:?}");
    assert!(stdout.contains("\t\u{ff03}include \"/etc/passwd\"\n\t\u{ff03}define x y\n"));
    assert!(!stdout.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
}

#[test]
fn the_export_of_hostile_text_has_no_control_characters() {
    let dir = folder(HOSTILE);
    let out = run(dir.path(), &["-f", "cal", "-t", "20240417", "-A", "0", "--ics"]);
    let (stdout, _) = calm_success(&out);
    let body = stdout.replace("\r\n", "");
    assert!(!body.chars().any(char::is_control), "{stdout:?}");
    assert!(body.contains("SUMMARY:"), "{stdout:?}");
}

#[test]
fn an_endless_ics_on_standard_input_stops_at_the_cap() {
    let dir = folder("");
    // As for `-f -`: assert_cmd would buffer all of /dev/zero first.
    let out = std::process::Command::new("timeout")
        .args(["10", "prlimit", MEMORY_LIMIT, "--", env!("CARGO_BIN_EXE_fun")])
        .args(["calendar", "--from-ics", "-"])
        .current_dir(dir.path())
        .stdin(std::fs::File::open("/dev/zero").expect("/dev/zero"))
        .output()
        .expect("fun runs");
    assert_calm_failure(&out, 1, "<stdin>: larger than the 16 MiB limit");
}

#[test]
fn a_bad_line_of_megabytes_is_quoted_in_a_bounded_warning() {
    let cal = format!("#{}\n04/17\tafter\n", "a".repeat(3_000_000));
    let dir = folder(&cal);
    let out = run(dir.path(), &["-f", "cal", "-t", "20240417", "-A", "0"]);
    let (stdout, stderr) = calm_success(&out);
    assert_eq!(stdout, "Apr 17 \tafter\n");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cal:1: invalid preprocessing directive #aaa"), "{stderr}");
    assert!(stderr.chars().count() < 1100, "{} characters", stderr.chars().count());
}
