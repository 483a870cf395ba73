//! The line, byte for byte, against lines captured from pv 1.10.5 (tests/fixtures/pv/cases.txt
//! says how they were captured).

use super::{ONE_UPDATE, fixture, fun, zeros};

fn cases() -> Vec<(String, usize, Vec<String>)> {
    let text = std::fs::read_to_string(fixture("pv/cases.txt")).expect("cases");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.split('\t');
            let name = parts.next().unwrap_or_default().to_owned();
            let n = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let args =
                parts.next().unwrap_or_default().split_whitespace().map(str::to_owned).collect();
            (name, n, args)
        })
        .collect()
}

#[test]
fn display_matches_pv_byte_for_byte() {
    let mut checked = 0;
    for (name, n, args) in cases() {
        let expected = std::fs::read(fixture(&format!("pv/{name}.err"))).expect("golden");
        let out = fun()
            .arg("pv")
            .args(&args)
            .args(ONE_UPDATE)
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .write_stdin(zeros(n))
            .output()
            .expect("runs");
        assert!(out.status.success(), "{name}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&expected),
            "case {name}: pv {args:?}"
        );
        assert_eq!(out.stdout.len(), n, "{name}: data passed through");
        checked += 1;
    }
    assert!(checked >= 33);
}
