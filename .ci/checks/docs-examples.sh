#!/usr/bin/env bash
# Runs every shell example of README.md and docs/ in a temporary home and checks its exit
# status and, where the doc shows it, its output; every block must be marked <!-- run --> or
# <!-- no-run: REASON -->, and every relative link must resolve (.ci/checks/docs_examples.py
# says how). Python 3's standard library only; about 10 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
FUN=${FUN:-$PWD/target/debug/fun}
[ -x "$FUN" ] || cargo build --quiet
python3 .ci/checks/docs_examples.py "$FUN" "$@"
