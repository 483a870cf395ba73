//! The top-level command line: help, version, unknown subcommands.

use predicates::prelude::*;

use crate::util::fun;

#[test]
fn version_names_the_package() {
    fun().arg("--version").assert().success().stdout(predicate::str::starts_with("fun "));
}

#[test]
fn help_lists_every_tool() {
    let assert = fun().arg("--help").assert().success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for tool in ["saver", "pv", "type", "calendar"] {
        assert!(out.contains(tool), "--help does not mention {tool}:\n{out}");
    }
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    fun().arg("frobnicate").assert().code(2).stderr(predicate::str::contains("frobnicate"));
}
