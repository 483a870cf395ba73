//! Hostile inputs for `fun saver`: sizes and counts far past their bounds, every number option
//! out of range, devices, FIFOs and huge files where a file is expected, a user screens folder
//! full of traps, and a reader that goes away. Every run is under `limited()` (1 GiB, 10 s), so
//! an unbounded allocation or a hang fails the test instead of the machine. The real-terminal
//! cases (hang-ups, stalled output, signals) are in .ci/checks/saver.sh.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::*;

/// `fun saver ARGS` under the limits, with an empty private config folder (or `config`).
fn saver(args: &[&str], config: Option<&Path>) -> Output {
    let empty = tempfile::tempdir().expect("tempdir");
    let mut full = vec!["saver"];
    full.extend_from_slice(args);
    limited(&full)
        .env("XDG_CONFIG_HOME", config.unwrap_or(empty.path()))
        .output()
        .expect("fun runs")
}

/// A usage error: exit 2, no crash, exactly one `error:` line, naming `names`.
fn assert_usage_error(out: &Output, names: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "exit status; stderr: {stderr}");
    assert_no_crash(out);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "one error line: {stderr}");
    assert!(errors[0].contains(names), "should name {names:?}: {stderr}");
}

fn mkfifo(path: &Path) {
    rustix::fs::mkfifoat(rustix::fs::CWD, path, rustix::fs::Mode::from_raw_mode(0o600))
        .expect("mkfifo");
}

#[test]
fn huge_sizes_and_counts_are_refused() {
    for (args, names) in [
        (&["--headless", "--size", "20000x20000", "matrix"][..], "--size"),
        (&["matrix", "--headless", "--size", "1001x10"], "--size"),
        (&["matrix", "--headless", "--size", "10x65535"], "--size"),
        (&["matrix", "--headless", "--size", "99999999999x1"], "--size"),
        (&["matrix", "--headless", "--frames", "100001"], "--frames"),
        (&["matrix", "--headless", "--frames", "18446744073709551616"], "--frames"),
        (&["matrix", "--headless", "--resize", "1:20000x20000"], "--resize"),
    ] {
        assert_usage_error(&saver(args, None), names);
    }
}

#[test]
fn the_largest_size_fits_in_memory() {
    // The bound is what the engine can actually draw within the limits, for every screen.
    let list = saver(&["--list"], None);
    let names: Vec<String> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    for screen in &names {
        let args = ["saver", screen, "--headless", "--size", "1000x1000", "--frames", "2"];
        let empty = tempfile::tempdir().expect("tempdir");
        // The memory limit is the point here; a million cells take a debug build on busy
        // cores several seconds for some screens, so the time limit is only a hang detector.
        let out = limited(&args)
            .env("XDG_CONFIG_HOME", empty.path())
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .expect("fun runs");
        assert_no_crash(&out);
        assert!(out.status.success(), "{screen}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn every_number_option_has_a_range() {
    let cases: &[(&[&str], &str)] = &[
        (&["matrix", "--fps", "0"], "--fps"),
        (&["matrix", "--fps", "241"], "--fps"),
        (&["matrix", "--fps", "nan"], "--fps"),
        (&["matrix", "--speed", "0.01"], "--speed"),
        (&["matrix", "--speed", "inf"], "--speed"),
        (&["matrix", "--seed=-1"], "--seed"),
        (&["matrix", "-d", "1e308"], "--density"),
        (&["matrix", "--fall=-3"], "--fall"),
        (&["matrix", "-t", "65536"], "--tail"),
        (&["matrix", "-f", "300"], "--fade"),
        (&["clock", "-z", "5"], "--scale"),
        (&["sysmon", "-i", "0.001"], "--interval"),
        (&["randtxt", "--delay=-1"], "--delay"),
        (&["randtxt", "--fade", "1e9"], "--fade"),
        (&["randtxt", "--gap", "3601"], "--gap"),
        (&["programmer", "--cps", "0"], "--cps"),
        (&["fortune", "--refresh", "0.1"], "--refresh"),
        (&["rssfeed", "--refresh", "0"], "--refresh"),
        (&["rssfeed", "--cps", "10001"], "--cps"),
        (&["urlfetcher", "--refresh", "1441"], "--refresh"),
        (&["rfc", "--cps=-5"], "--cps"),
        (&["rfc", "-n", "4294967296"], "--number"),
        (&["wttr", "--refresh", "nan"], "--refresh"),
        (&["aquarium", "-n", "61"], "--creatures"),
        (&["bonsai", "-M", "21"], "--multiplier"),
        (&["bonsai", "-p", "3"], "--pot"),
        (&["donut", "-s", "6"], "--spin"),
        (&["fire", "--wind=-2"], "--wind"),
        (&["img2ascii", "--cps", "1e12"], "--cps"),
        (&["life", "-g", "61"], "--gps"),
        (&["maze", "-r", "0"], "--rate"),
        (&["pipes", "-p", "65"], "--pipes"),
        (&["plasma", "-l", "65"], "--levels"),
        (&["snow", "-d", "6"], "--density"),
        (&["starfield", "-n", "5001"], "--stars"),
    ];
    for (args, names) in cases {
        assert_usage_error(&saver(args, None), names);
    }
}

#[test]
fn long_texts_and_repeats_are_refused() {
    let long = "x".repeat(201);
    let huge_format = "%Y".repeat(51);
    let url = format!("https://example.org/{}", "a".repeat(2000));
    for (args, names) in [
        (vec!["matrix", "-M", long.as_str()], "--message"),
        (vec!["randtxt", "-w", long.as_str()], "--word"),
        (vec!["clock", "-f", huge_format.as_str()], "--format"),
        (vec!["urlfetcher", "-u", url.as_str()], "--url"),
        (vec!["wttr", "-l", url.as_str()], "--location"),
    ] {
        assert_usage_error(&saver(&args, None), names);
    }
    let words: Vec<String> = (0..101).flat_map(|i| ["-w".to_owned(), format!("w{i}")]).collect();
    let mut args = vec!["randtxt"];
    args.extend(words.iter().map(String::as_str));
    assert_usage_error(&saver(&args, None), "--word");
    let feeds: Vec<&str> = (0..21).flat_map(|_| ["-u", "feed.xml"]).collect();
    let mut args = vec!["rssfeed"];
    args.extend(feeds);
    assert_usage_error(&saver(&args, None), "--url");
}

#[test]
fn devices_fifos_and_huge_files_are_refused_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("frames.fifo");
    mkfifo(&fifo);
    let fifo = fifo.to_str().expect("utf-8");
    let big = dir.path().join("big.frames");
    std::fs::File::create(&big).and_then(|f| f.set_len(17 << 20)).expect("sparse file");
    let big = big.to_str().expect("utf-8");
    let big_text = dir.path().join("big.txt");
    std::fs::File::create(&big_text).and_then(|f| f.set_len(1 << 20)).expect("sparse file");
    let big_text = big_text.to_str().expect("utf-8");
    for (args, names) in [
        (&["rocket", "--file", "/dev/zero"][..], "/dev/zero: is a character device"),
        (&["starwars", "--file", fifo], "frames.fifo: is a FIFO"),
        (&["rocket", "--file", big], "big.frames: larger than the 16 MiB limit"),
        (&["fortune", "--file", "/dev/urandom"], "/dev/urandom: is a character device"),
        (&["osrelease", "--file", big_text], "big.txt: larger than the 256 KiB limit"),
        (&["programmer", "--path", fifo], "frames.fifo: is a FIFO"),
        (&["programmer", "--path", "/dev/zero"], "/dev/zero: is a character device"),
        (&["programmer", "--path", "/nonexistent/code"], "/nonexistent/code: no such file"),
    ] {
        let mut full = args.to_vec();
        full.push("--headless");
        assert_calm_failure(&saver(&full, None), 1, names);
    }
}

#[test]
fn a_hostile_user_screens_folder_cannot_stop_the_list() {
    let config = tempfile::tempdir().expect("tempdir");
    let screens = config.path().join("fun").join("screens");
    std::fs::create_dir_all(&screens).expect("mkdir");
    mkfifo(&screens.join("blocked.screen"));
    std::os::unix::fs::symlink("/dev/zero", screens.join("zero.screen")).expect("symlink");
    std::fs::File::create(screens.join("huge.screen"))
        .and_then(|f| f.set_len(1 << 30))
        .expect("sparse file");
    std::fs::write(
        screens.join("zeros.screen"),
        "name = \"zeros\"\nkind = \"text\"\nfile = \"/dev/zero\"\n",
    )
    .expect("write");
    std::fs::write(
        screens.join("flood.screen"),
        "name = \"flood\"\nkind = \"asciimation\"\nfile = \"/dev/zero\"\n",
    )
    .expect("write");
    let out = saver(&["--list"], Some(config.path()));
    assert_no_crash(&out);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for warning in [
        "blocked.screen: is a FIFO",
        "zero.screen: is a character device",
        "huge.screen: larger than the 64 KiB limit",
    ] {
        assert!(stderr.contains(warning), "{warning}: {stderr}");
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("zeros") && stdout.contains("flood"), "{stdout}");
    // The screens that name a device fail with one line naming it.
    for screen in ["zeros", "flood"] {
        let out = saver(&[screen, "--headless"], Some(config.path()));
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().last().unwrap_or_default();
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_no_crash(&out);
        assert!(last.contains("/dev/zero: is a character device"), "{stderr}");
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_stream_quietly() {
    // Stream frames (far more than the reader wants) into a pipe that is closed early.
    let mut child = Command::new("prlimit")
        .arg(MEMORY_LIMIT)
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_fun"))
        .args(["saver", "matrix", "--headless", "--stream", "--frames", "100000", "--seed", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 1000];
    child.stdout.take().expect("stdout").read_exact(&mut first).expect("some output");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_no_crash(&out);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `fun saver --config FILE clock --headless` must refuse `file` calmly, naming it.
fn assert_config_refused(file: &Path, names: &str) {
    let path = file.to_str().expect("utf-8");
    let out = saver(&["--config", path, "clock", "--headless"], None);
    assert_calm_failure(&out, 1, names);
}

#[test]
fn hostile_config_files_are_refused_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zero = dir.path().join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
    assert_config_refused(&zero, "zero.toml: is a character device");
    let fifo = dir.path().join("fifo.toml");
    mkfifo(&fifo);
    assert_config_refused(&fifo, "fifo.toml: is a FIFO");
    let big = dir.path().join("big.toml");
    std::fs::write(&big, format!("[saver]\n#{}\n", "x".repeat(300 * 1024))).expect("write");
    assert_config_refused(&big, "big.toml: larger than the 256 KiB limit");
    let binary = dir.path().join("binary.toml");
    std::fs::write(&binary, b"[saver]\n\xff\xfe\x00\x01").expect("write");
    assert_config_refused(&binary, "binary.toml:2:");
    let deep = dir.path().join("deep.toml");
    let nested = format!("[saver]\nfps = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(&deep, nested).expect("write");
    assert_config_refused(&deep, "deep.toml:");
    let wide = dir.path().join("wide.toml");
    let keys: String = (0..10_000).map(|i| format!("k{i} = {i}\n")).collect();
    std::fs::write(&wide, format!("[saver.screen.clock]\n{keys}")).expect("write");
    let out = saver(&["--config", wide.to_str().expect("utf-8"), "clock", "--headless"], None);
    assert_eq!(out.status.code(), Some(2), "a used section with 10000 bad keys stops the run");
    assert_no_crash(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.lines().count() <= 21 && stderr.contains("more problems"), "{stderr}");
}

#[test]
fn hostile_message_files_are_refused_in_the_overlay() {
    let dir = tempfile::tempdir().expect("tempdir");
    let huge = dir.path().join("huge");
    std::fs::write(&huge, vec![b'x'; 10 << 20]).expect("write");
    let zero = dir.path().join("zero");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    for (file, names) in [
        (&huge, "larger than the 64 KiB limit"),
        (&zero, "is a character device"),
        (&fifo, "is a FIFO"),
    ] {
        let path = file.to_str().expect("utf-8");
        let out = saver(&["clock", "--headless", "--size", "80x12", "--message-file", path], None);
        assert_no_crash(&out);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains(names), "{names}");
    }
    let long = "m".repeat(201);
    assert_usage_error(&saver(&["clock", "--message", &long], None), "--message");
    for (option, value) in [
        ("--every", "4s"),
        ("--every", "1e9"),
        ("--dim-after", "9s"),
        ("--dim-after", "25h"),
        ("--overlay-pos", "middle"),
    ] {
        assert_usage_error(&saver(&["clock", "+", "matrix", option, value], None), option);
    }
}

#[test]
fn hostile_fortune_files_are_refused_or_tamed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let out = saver(&["fortune", "--headless", "--file", fifo.to_str().expect("utf-8")], None);
    assert_calm_failure(&out, 1, "is a FIFO");
    let huge = dir.path().join("huge");
    std::fs::write(&huge, vec![b'%'; 5 << 20]).expect("write");
    let out = saver(&["fortune", "--headless", "--file", huge.to_str().expect("utf-8")], None);
    assert_calm_failure(&out, 1, "larger than the 4 MiB limit");
    // Escapes in a fortune never reach the terminal, and a giant entry is cut.
    let nasty = dir.path().join("nasty");
    std::fs::write(&nasty, format!("\x1b]52;c;aGk=\x07ok\x1b[2J{}\n", "x".repeat(100_000)))
        .expect("write");
    let out = saver(
        &["fortune", "--headless", "--stream", "--file", nasty.to_str().expect("utf-8")],
        None,
    );
    assert!(out.status.success());
    let stream = String::from_utf8_lossy(&out.stdout);
    assert!(!stream.contains("\x1b]52") && !stream.contains("\x1b[2J\x1b[2J"), "escape leaked");
}

#[test]
fn hostile_rc_files_are_never_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zero = dir.path().join("zero.conf");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
    let fifo = dir.path().join("fifo.conf");
    mkfifo(&fifo);
    let huge = dir.path().join("huge.conf");
    std::fs::write(&huge, vec![b'#'; 2 << 20]).expect("write");
    let binary = dir.path().join("binary.conf");
    std::fs::write(&binary, b"\xff\xfe\x00").expect("write");
    let broken = dir.path().join("broken.conf");
    std::fs::write(&broken, "# >>> fun saver >>>\nset -g mouse on\n").expect("write");
    for (rc, names) in [
        (&zero, "is a character device"),
        (&fifo, "is a FIFO"),
        (&huge, "larger than the 1 MiB limit"),
        (&binary, "not UTF-8"),
        (&broken, "broken.conf:1:"),
        (&dir.path().to_path_buf(), "is a directory"),
    ] {
        let path = rc.to_str().expect("utf-8");
        for args in [
            &["install", "tmux", "--apply", "--rc", path][..],
            &["uninstall", "tmux", "--rc", path],
        ] {
            assert_calm_failure(&saver(args, None), 1, names);
        }
    }
    assert_eq!(std::fs::read(&binary).expect("read"), b"\xff\xfe\x00");
    assert!(std::fs::read_to_string(&broken).expect("read").ends_with("mouse on\n"));
}

#[test]
fn a_bad_line_of_megabytes_is_quoted_in_a_bounded_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let frames = dir.path().join("long.frames");
    std::fs::write(&frames, "x".repeat(5_000_000)).expect("write");
    let frames = frames.to_str().expect("utf-8");
    let out = saver(&["rocket", "--file", frames, "--headless"], None);
    assert_calm_failure(&out, 1, "long.frames:1: expected a frame duration");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.chars().count() < 1100, "{} characters", stderr.chars().count());
}

#[test]
fn unsupported_url_schemes_are_named_not_read_as_files() {
    // `ftp://` and `gopher://` were taken for local paths ("no such file").
    for (args, names) in [
        (&["urlfetcher", "-u", "ftp://example.org/notes.txt"][..], "-u/--url: ftp://"),
        (&["urlfetcher", "-u", "gopher://example.org/"], "-u/--url: gopher://"),
        (&["rssfeed", "-u", "feed.xml", "-u", "ftp://example.org/f.xml"], "-u/--url: ftp://"),
        (&["rfc", "--base", "ftp://example.org/rfc/"], "--base: ftp://"),
        (&["wttr", "--url", "gopher://example.org/w"], "--url: gopher://"),
    ] {
        let mut full = args.to_vec();
        full.extend(["--headless", "--size", "40x12", "--frames", "1"]);
        let out = saver(&full, None);
        assert_usage_error(&out, names);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("http://, https:// or file://"), "{stderr}");
        assert!(!stderr.contains("no such file"), "{stderr}");
    }
}
