//! `-c` in a real terminal: three `fun pv -c` in one pipeline, in tmux on a private server,
//! each keep their own row.

use std::process::Command;

use super::wait_until;

/// tmux on a server of this test's own.
fn tmux(server: &str, args: &[&str]) -> String {
    let out = Command::new("tmux").arg("-L").arg(server).args(args).output().expect("tmux");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
#[ignore = "needs tmux"]
fn three_cursors_in_one_pipeline_keep_their_rows() {
    let server = format!("funpv-cursor-{}", std::process::id());
    let runtime = tempfile::tempdir().expect("tempdir");
    let done = runtime.path().join("done");
    let fun = env!("CARGO_BIN_EXE_fun");
    let script = format!(
        "export XDG_RUNTIME_DIR={rt}; chmod 700 {rt}; clear; head -c 4000000 /dev/zero | {fun} pv -c -N one -L 2M -i 0.2 | {fun} pv -c -N two -i 0.2 | {fun} pv -c -N three -i 0.2 > /dev/null; echo finished; touch {done}; sleep 30",
        rt = runtime.path().display(),
        done = done.display(),
    );
    tmux(&server, &["new-session", "-d", "-x", "100", "-y", "30", &script]);
    let rows = || tmux(&server, &["capture-pane", "-p"]);
    let mut seen = String::new();
    wait_until("three rows", || {
        seen = rows();
        ["one:", "two:", "three:"].iter().all(|n| seen.contains(n))
    });
    wait_until("the end", || done.exists());
    let screen = rows();
    tmux(&server, &["kill-server"]);
    let lines: Vec<&str> = screen.lines().collect();
    let row = |name: &str| lines.iter().position(|l| l.trim_start().starts_with(name));
    let (one, two, three) = (row("one:"), row("two:"), row("three:"));
    assert!(one.is_some() && two.is_some() && three.is_some(), "{screen}");
    let mut found = [one, two, three].map(|r| r.unwrap_or_default());
    found.sort_unstable();
    assert!(found[0] + 1 == found[1] && found[1] + 1 == found[2], "three rows together: {screen}");
    for name in ["one:", "two:", "three:"] {
        assert_eq!(screen.matches(name).count(), 1, "{name} drawn once: {screen}");
    }
    let finished = row("finished").expect("the shell's line");
    assert!(finished > found[2], "the cursor ends below the rows: {screen}");
    assert!(lines[found[0]].contains("100%") || lines[found[0]].contains("3.81MiB"), "{screen}");
    let _ = seen;
}
