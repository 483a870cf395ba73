//! `fun saver NAME --print`: the finished picture once on standard output. Its text is compared
//! with golden files (fixed seed, clock and size) for a few screens, every screen prints
//! something, a piped run writes no escape at all, and on a pseudo-terminal the picture comes
//! in colour without the full-screen mode (and without colour under NO_COLOR).
//!
//! The goldens are tests/fixtures/print/NAME.txt; after a deliberate change of a screen's look,
//! `BLESS=1 cargo test --test main saver_print` writes them again (then review the diff).

use std::io::Read;
use std::os::fd::AsFd;
use std::process::Stdio;

use crate::util::{fixture, fun};

const FIXED: [&str; 6] = ["--seed", "7", "--time", "2026-12-24T20:15:42", "--size", "60x16"];

fn print(args: &[&str]) -> String {
    let out = fun()
        .arg("saver")
        .args(args)
        .args(["--print"])
        .args(FIXED)
        .env_remove("NO_COLOR")
        .write_stdin("")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {stderr}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn printed_pictures_match_their_goldens() {
    let cases: [(&str, &[&str]); 5] = [
        ("clock", &["clock"]),
        ("donut", &["donut"]),
        ("life", &["life"]),
        ("rocket", &["rocket"]),
        ("fortune", &["fortune", "--bundled"]),
    ];
    for (name, args) in cases {
        let got = print(args);
        let path = fixture(&format!("print/{name}.txt"));
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&path, &got).expect("write the golden");
        }
        let want = std::fs::read_to_string(&path).expect("the golden file");
        assert_eq!(got, want, "{name}: the printed picture changed");
    }
}

#[test]
fn every_screen_prints_a_picture_without_escapes_when_piped() {
    let list = fun().args(["saver", "--list"]).output().expect("runs");
    let names = String::from_utf8(list.stdout).expect("UTF-8");
    // The network screens are printed against a local server in saver_content.rs.
    let offline = |n: &&str| !matches!(*n, "rfc" | "rssfeed" | "urlfetcher" | "wttr");
    for name in names.lines().filter_map(|l| l.split_whitespace().next()).filter(offline) {
        let text = print(&[name]);
        assert!(!text.contains('\x1b'), "{name}: an escape in piped output");
        assert_eq!(text.lines().count(), 16, "{name}: {text}");
        assert!(text.chars().any(|c| !c.is_whitespace()), "{name}: nothing printed");
    }
}

#[test]
fn a_grown_tree_is_printed_not_a_seedling() {
    let grown = print(&["bonsai", "--season", "summer"]);
    let marks = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count();
    let first = fun()
        .args(["saver", "bonsai", "--season", "summer", "--headless", "--color-depth", "none"])
        .args(FIXED)
        .output()
        .expect("runs");
    let first = String::from_utf8(first.stdout).expect("UTF-8");
    assert!(marks(&grown) > marks(&first) + 50, "grown:\n{grown}\nfirst frame:\n{first}");
}

/// Runs `fun saver ARGS --print` with a pseudo-terminal as standard output; returns its bytes.
fn print_on_a_pty(args: &[&str], no_color: bool) -> Vec<u8> {
    use rustix::fs::{Mode, OFlags};
    use rustix::pty::OpenptFlags;
    let master =
        rustix::pty::openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)
            .expect("openpt");
    rustix::pty::grantpt(&master).expect("grantpt");
    rustix::pty::unlockpt(&master).expect("unlockpt");
    let name = rustix::pty::ptsname(&master, Vec::new()).expect("ptsname");
    let slave = rustix::fs::open(name.as_c_str(), OFlags::RDWR | OFlags::NOCTTY, Mode::empty())
        .expect("open the slave");
    let mut reader = std::fs::File::from(master);
    let collector = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // Ends with EIO once the slave is closed everywhere.
        let _ = reader.read_to_end(&mut bytes);
        bytes
    });
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_fun"));
    command.arg("saver").args(args).arg("--print").args(FIXED);
    command.env("TERM", "xterm-256color").env_remove("COLORTERM").env_remove("NO_COLOR");
    if no_color {
        command.env("NO_COLOR", "1");
    }
    let stdout = std::fs::File::from(slave.as_fd().try_clone_to_owned().expect("dup"));
    let status = command.stdout(stdout).stdin(Stdio::null()).status().expect("runs");
    assert!(status.success());
    // The command holds its copy of the slave until dropped.
    drop(command);
    drop(slave);
    collector.join().expect("reader")
}

#[test]
fn on_a_terminal_the_picture_is_in_colour_without_the_full_screen_mode() {
    let bytes = print_on_a_pty(&["clock"], false);
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("\x1b[38;5;"), "no 256-colour escapes: {text:?}");
    assert!(!text.contains("\x1b[?1049h") && !text.contains("\x1b[?25l"), "{text:?}");
    let plain = print_on_a_pty(&["clock"], true);
    assert!(!plain.contains(&0x1b), "NO_COLOR: {:?}", String::from_utf8_lossy(&plain));
}
