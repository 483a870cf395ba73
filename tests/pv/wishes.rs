//! What pv's users asked for, behind long options: `--json`, `--log`, `--on-progress`,
//! `--per-file` on a non-terminal, and `-v` statistics.

use super::{TIMEOUT, fun, piped, pseudo_random, stalled, zeros};

/// The value of `"key":` in a JSON object line (numbers, null, true/false or a string).
fn field<'a>(object: &'a str, key: &str) -> Option<&'a str> {
    let start = object.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = &object[start..];
    let end = if let Some(inside) = rest.strip_prefix('"') {
        let mut escaped = false;
        let close = inside.char_indices().find(|&(_, c)| {
            let closing = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            closing
        })?;
        close.0 + 2
    } else {
        rest.find([',', '}', ']'])?
    };
    Some(&rest[..end])
}

#[test]
fn json_lines_and_a_summary() {
    let out = stalled(
        &format!("{} pv", env!("CARGO_BIN_EXE_fun")),
        ("head -c 300000 /dev/zero", "head -c 300000 /dev/zero"),
        &["--json", "-s", "600000", "-i", "0.2", "-N", "a \"b\""],
        |err| err.lines().count() >= 1,
    );
    assert_eq!(out.stdout.len(), 600_000);
    let err = String::from_utf8_lossy(&out.stderr);
    let objects: Vec<&str> = err.lines().collect();
    assert!(objects.len() >= 2, "{err}");
    for object in &objects {
        assert!(
            object.starts_with("{\"version\":1,\"type\":\"") && object.ends_with('}'),
            "{object}"
        );
        assert_eq!(field(object, "name"), Some("\"a \\\"b\\\"\""), "{object}");
        assert_eq!(field(object, "size"), Some("600000"));
    }
    let summary = objects[objects.len() - 1];
    assert_eq!(field(summary, "type"), Some("\"summary\""));
    assert_eq!(field(summary, "transferred"), Some("600000"));
    assert_eq!(field(summary, "percent"), Some("100.000"));
    assert_eq!(field(summary, "status"), Some("0"));
    assert!(field(summary, "rate_stddev").is_some());
    assert!(objects[..objects.len() - 1].iter().all(|o| field(o, "type") == Some("\"progress\"")));
}

#[test]
fn log_lines_instead_of_carriage_returns() {
    let out = stalled(
        &format!("{} pv", env!("CARGO_BIN_EXE_fun")),
        ("head -c 100000 /dev/zero", ":"),
        &["-f", "--log", "-i", "0.2", "-w", "60"],
        |err| err.lines().count() >= 2,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\r'), "{err:?}");
    assert!(err.lines().count() >= 2, "{err:?}");
    assert!(err.lines().all(|l| l.starts_with("97.7KiB") && l == l.trim_end()), "{err:?}");
    // Without -f (or on a terminal), --log changes nothing.
    fun().args(["pv", "--log"]).write_stdin("abc").assert().success().stderr("");
}

#[test]
fn on_progress_runs_a_command_per_step_with_the_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("log");
    let script = format!(
        "echo \"$FUN_PV_PERCENT $FUN_PV_TRANSFERRED $FUN_PV_SIZE $FUN_PV_DONE\" >> '{}'",
        log.display()
    );
    let out = fun()
        .args([
            "pv",
            "-q",
            "-s",
            "200000",
            "-L",
            "200k",
            "-i",
            "0.1",
            "--on-progress",
            "25",
            &script,
            "--on-progress-shell",
        ])
        .write_stdin(zeros(200_000))
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout.len(), 200_000, "the hook's output never enters the data");
    let text = std::fs::read_to_string(&log).expect("log");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last(), Some(&"100 200000 200000 1"), "{text}");
    let steps: Vec<u32> = lines.iter().filter_map(|l| l.split(' ').next()?.parse().ok()).collect();
    assert!(steps.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(steps.iter().all(|s| s % 25 == 0), "{text}");
    // Without a shell the words are the command and its arguments.
    let marker = dir.path().join("touched");
    fun()
        .args(["pv", "-q", "--on-progress", "100"])
        .arg(format!("touch {}", marker.display()))
        .write_stdin("x")
        .assert()
        .success()
        .stdout("x");
    assert!(marker.exists());
    for (step, code) in [("0", 64), ("101", 64), ("x", 64)] {
        fun().args(["pv", "--on-progress", step, "true"]).write_stdin("").assert().code(code);
    }
}

#[test]
fn per_file_rows_without_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("first"), dir.path().join("second"));
    std::fs::write(&a, pseudo_random(1000)).expect("a");
    std::fs::write(&b, pseudo_random(3000)).expect("b");
    let out = fun()
        .args(["pv", "-f", "-i", "600", "-w", "100", "--per-file"])
        .arg(&a)
        .arg(&b)
        .timeout(TIMEOUT)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let mut expected = pseudo_random(1000);
    expected.extend(pseudo_random(3000));
    assert!(out.stdout == expected);
    let err = String::from_utf8_lossy(&out.stderr);
    let rows: Vec<&str> = err.split(['\r', '\n']).filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows[0].contains("first:") && rows[0].contains("1000  B") && rows[0].contains("100%"),
        "{rows:?}"
    );
    assert!(rows[1].contains("second:") && rows[1].contains("2.93KiB"), "{rows:?}");
    assert!(rows[2].contains("total:") && rows[2].contains("3.91KiB"), "{rows:?}");
}

#[test]
fn statistics_at_the_end() {
    let out = piped(
        "(head -c 1000 /dev/zero; sleep 0.6; head -c 1000 /dev/zero)",
        &["-q", "-v", "-i", "0.2"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    let numbers: Vec<f64> = err
        .trim_end()
        .strip_prefix("rate min/avg/max/mdev = ")
        .and_then(|r| r.strip_suffix(" B/s"))
        .expect("the statistics line")
        .split('/')
        .map(|n| n.parse().expect("number"))
        .collect();
    let [min, mean, max, deviation] = numbers[..] else { panic!("{err}") };
    assert!(min <= mean && mean <= max && deviation >= 0.0 && max > 0.0, "{err}");
    let out = fun().args(["pv", "-q", "-v"]).write_stdin("").output().expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    // Too quick to measure, or one measurement of nothing.
    assert!(
        err == "rate not measured\n" || err.starts_with("rate min/avg/max/mdev = 0.000/"),
        "{err}"
    );
}
