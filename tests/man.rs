//! `fun man`: one page on stdout, every page into a folder, and the pages following the clap
//! definitions (groff's own check is `.ci/checks/man.sh`).

use predicates::prelude::*;

use crate::util::fun;

#[test]
fn prints_one_page_by_any_of_its_names() {
    for (name, title) in [
        ("pv", ".TH FUN-PV 1"),
        ("fun-pv", ".TH FUN-PV 1"),
        ("calendar.5", ".TH FUN-CALENDAR 5"),
        ("fun-calendar", ".TH FUN-CALENDAR 1"),
        ("screens", ".TH FUN-SCREENS 5"),
    ] {
        fun().args(["man", name]).assert().success().stdout(predicate::str::contains(title));
    }
    fun().arg("man").assert().success().stdout(predicate::str::contains(".TH FUN 1"));
}

#[test]
fn an_unknown_page_is_a_usage_error() {
    fun()
        .args(["man", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'nope'"));
}

#[test]
fn writes_every_page_into_a_new_folder() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("deep/man");
    fun().args(["man", "--dir"]).arg(&dir).assert().success().stdout("");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "fun-calendar.1",
            "fun-calendar.5",
            "fun-completions.1",
            "fun-man.1",
            "fun-pv.1",
            "fun-saver-config.1",
            "fun-saver-install.1",
            "fun-saver-new.1",
            "fun-saver-uninstall.1",
            "fun-saver.1",
            "fun-screens.5",
            "fun-type.1",
            "fun.1"
        ]
    );
}

#[test]
fn an_unwritable_folder_is_named() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").expect("write");
    fun()
        .args(["man", "--dir"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("file: cannot create the folder"));
}

#[test]
fn the_saver_page_lists_shipped_screens_not_the_readers_own() {
    let config = tempfile::tempdir().expect("temp dir");
    let dir = config.path().join("fun/screens");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("t.txt"), "x").expect("write");
    std::fs::write(dir.join("mine.screen"), "name = \"mine\"\nkind = \"text\"\nfile = \"t.txt\"\n")
        .expect("write");
    let out =
        fun().args(["man", "saver"]).env("XDG_CONFIG_HOME", config.path()).output().expect("runs");
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".SS matrix\n") && page.contains(".SS rocket\n"), "{page}");
    assert!(!page.contains("mine"), "the reader's screen is in the page");
}
