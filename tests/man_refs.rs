//! The manual pages point only at pages that exist (issue 24): every `fun-*` page any page
//! names (SEE ALSO above all) is one `fun man --dir` writes; and `fun man PAGE` piped gives the
//! roff, on a terminal the formatted page.

use std::process::Command;

use crate::util::fun;

/// The pages `fun man --dir` writes, as `NAME(SECTION)`.
fn written_pages() -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    fun().args(["man", "--dir"]).arg(dir.path()).assert().success();
    let mut pages: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read_dir")
        .map(|e| {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            let (page, section) = name.rsplit_once('.').expect("NAME.SECTION");
            format!("{page}({section})")
        })
        .collect();
    pages.sort();
    pages
}

/// Every `fun` or `fun-...` page reference in `roff` (`.BR fun-pv (1)`, `fun\-pv(1)`).
fn references(roff: &str) -> Vec<String> {
    let text = roff.replace("\\-", "-").replace("\\fR", "").replace("\\fB", "").replace(" (", "(");
    let mut found = Vec::new();
    for (at, _) in text.match_indices("fun") {
        let rest = &text[at..];
        let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(0);
        let before = text[..at].chars().last();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-') {
            continue;
        }
        let after = &rest[name_len..];
        if after.len() >= 3 && after.starts_with('(') && after.as_bytes()[2] == b')' {
            found.push(format!("{}{}", &rest[..name_len], &after[..3]));
        }
    }
    found
}

#[test]
fn every_fun_page_a_page_names_is_one_that_is_written() {
    let written = written_pages();
    assert_eq!(written.len(), 13, "{written:?}");
    for page in &written {
        let name = page.replace('(', ".").replace(')', "");
        let roff = String::from_utf8(fun().args(["man", &name]).output().unwrap().stdout).unwrap();
        let see_also = roff.split(".SH \"SEE ALSO\"").nth(1).expect("a SEE ALSO section");
        assert!(!references(see_also).is_empty(), "{page}: SEE ALSO names no fun page");
        for reference in references(&roff) {
            assert!(written.contains(&reference), "{page} names {reference}, not a written page");
        }
    }
}

#[test]
fn the_reference_finder_finds_both_spellings() {
    let roff = ".BR fun-pv (1),\nsee \\fBfun\\-screens\\fR(5) and fun\\-saver\\-install(1)";
    assert_eq!(references(roff), ["fun-pv(1)", "fun-screens(5)", "fun-saver-install(1)"]);
}

#[test]
fn piped_fun_man_keeps_the_roff() {
    let out = fun().args(["man", "pv"]).output().expect("runs");
    assert!(out.status.success());
    let roff = String::from_utf8_lossy(&out.stdout);
    assert!(roff.contains("\n.TH FUN-PV 1 ") && roff.contains("\n.SH \"EXIT STATUS\""), "{roff}");
}

/// On a terminal, `fun man pv` shows the formatted page (through `man -l -`), not roff.
#[test]
#[ignore = "needs tmux and man"]
fn fun_man_on_a_terminal_shows_the_formatted_page() {
    let socket = format!("fun-man-{}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux").arg("-L").arg(&socket).args(args).output().expect("tmux")
    };
    let script = format!(
        "MANPAGER=cat PAGER=cat {} man pv; echo RC=$?; sleep 10",
        env!("CARGO_BIN_EXE_fun")
    );
    tmux(&["new-session", "-d", "-x", "100", "-y", "30", &script]);
    let mut screen = String::new();
    for _ in 0..100 {
        screen = String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-S", "-400"]).stdout)
            .into_owned();
        if screen.contains("RC=") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    tmux(&["kill-server"]);
    assert!(screen.contains("RC=0"), "{screen}");
    assert!(!screen.contains(".TH ") && !screen.contains(".SH "), "raw roff: {screen}");
    assert!(screen.contains("EXIT STATUS"), "{screen}");
}

#[test]
fn every_document_a_page_names_is_installed_by_the_package() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    assert!(cargo.contains(r#"["docs/*.md", "usr/share/doc/fun/", "644"]"#), "no docs in the .deb");
    let mut named = 0;
    for page in written_pages() {
        let name = page.replace('(', ".").replace(')', "");
        let roff = String::from_utf8(fun().args(["man", &name]).output().unwrap().stdout).unwrap();
        for (at, _) in roff.match_indices("/usr/share/doc/fun/") {
            let rest = &roff[at + "/usr/share/doc/fun/".len()..];
            let file: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
                .collect();
            let file = file.trim_end_matches('.');
            if file.is_empty() {
                continue; // the folder itself
            }
            named += 1;
            assert!(
                root.join("docs").join(file).is_file(),
                "{page} names /usr/share/doc/fun/{file}, which docs/ does not have"
            );
        }
    }
    assert!(named >= 2, "the pages name no document");
}
