//! `fun type` end to end (fast speeds; timing is measured in benches/typing.sh, not here).

use predicates::prelude::*;

use crate::util::fun;

fn typed(stdin: &[u8], args: &[&str]) -> Vec<u8> {
    let out = fun().arg("type").args(args).write_stdin(stdin.to_vec()).assert().success();
    out.get_output().stdout.clone()
}

#[test]
fn without_typos_the_output_equals_the_input() {
    let input =
        "plain ASCII, then UTF-8: é € 😀 アイ\n\x1b[1;31mred\x1b[0m and an OSC \x1b]2;t\x07 end\n";
    assert_eq!(typed(input.as_bytes(), &["--cps", "100000"]), input.as_bytes());
    assert_eq!(typed(input.as_bytes(), &["--even", "--cps", "100000"]), input.as_bytes());
}

#[test]
fn invalid_utf8_passes_through() {
    let input = b"bytes \xff\xfe and \xc3 alone\n";
    assert_eq!(typed(input, &["--cps", "100000"]), input);
}

#[test]
fn same_seed_gives_identical_output_with_typos() {
    let input = b"The quick brown fox jumps over the lazy dog.\n";
    let args = ["--cps", "100000", "--typos", "0.3", "--seed", "42"];
    let a = typed(input, &args);
    let b = typed(input, &args);
    assert_eq!(a, b);
    assert_ne!(a, input.to_vec(), "typos should show");
    assert_eq!(fun::typing::apply_backspaces(&a), input.to_vec());
}

#[test]
fn files_are_typed_in_order_and_missing_ones_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a"), "first\n").expect("write");
    std::fs::write(dir.path().join("b"), "second\n").expect("write");
    fun()
        .current_dir(dir.path())
        .args(["type", "--cps", "100000", "a", "missing", "b"])
        .assert()
        .code(1)
        .stdout("first\nsecond\n")
        .stderr(predicate::str::contains("missing").and(predicate::str::contains("fun type:")));
}

#[test]
fn bad_options_are_one_line_errors() {
    fun().args(["type", "--cps=-3"]).assert().code(2).stderr(predicate::str::contains("--cps"));
    fun()
        .args(["type", "--typos", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--typos"));
    fun().args(["type", "--cps", "5", "--wpm", "40"]).assert().code(2);
}
