#!/usr/bin/env bash
# Checks every manual page `fun man --dir` writes with man-db and groff: `man --warnings -l`
# must render each one without a single warning (unknown macros, bad escapes, lines that
# cannot be broken ...). groff writes warnings on stderr and still exits 0, so any stderr
# output is a failure. Also checks that each page has the sections the project promises.
set -euo pipefail
cd "$(dirname "$0")/../.."
FUN=${FUN:-$PWD/target/debug/fun}
[ -x "$FUN" ] || cargo build --quiet

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$FUN" man --dir "$dir"

fail=0
count=0
for page in "$dir"/*; do
  count=$((count + 1))
  name=$(basename "$page")
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null || true)
  if [ -n "$warnings" ]; then
    printf 'FAIL %s: groff warnings:\n%s\n' "$name" "$warnings" >&2
    fail=1
  fi
  text=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -E UTF-8 -l "$page" 2>/dev/null)
  for section in NAME EXAMPLES "EXIT STATUS" ENVIRONMENT FILES "SEE ALSO"; do
    if ! grep -q "^$section\$" <<<"$text"; then
      printf 'FAIL %s: no %s section\n' "$name" "$section" >&2
      fail=1
    fi
  done
done
[ "$count" -eq 13 ] || { echo "FAIL: expected 13 pages, got $count" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "all $count manual pages render without warnings"
exit "$fail"
