#!/usr/bin/env bash
# Differential test of `fun calendar` against Debian's calendar (apt-get install calendar) with
# ../shared/tools/calendar-diff: our corpus in full, and a seeded sample of Debian's
# /usr/share/calendar files. `--strict` makes fun reproduce the reference's known bugs, so every
# remaining difference must be one of the documented deliberate ones (docs/calendar-compat.md):
#   - calendar.numeric: year-specific dates (`2026/04/17`), an extension;
#   - calendar.russian: the reference exits on the missing ru_RU locale, we warn and go on.
set -euo pipefail
cd "$(dirname "$0")/../.."
tool=../shared/tools/calendar-diff
if [ ! -x "$tool" ] || ! command -v calendar >/dev/null; then
  echo "calendar.sh: needs $tool and Debian's calendar" >&2
  exit 1
fi
cargo build --quiet --locked
fun="$PWD/target/debug/fun calendar --strict"

check() { # check NAME ALLOWED_FAILURE_REGEX ARGS...
  local name=$1 allowed=$2 out
  shift 2
  out=$("$tool" --candidate "$fun" -j 2 --max-failures-shown 100000 "$@" 2>&1 || true)
  local summary unexpected
  summary=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1 || true)
  unexpected=$(printf '%s\n' "$out" | grep '^FAIL' | grep -Ev "$allowed" || true)
  echo "calendar-diff $name: ${summary:-no summary}"
  if [ -z "$summary" ] || [ -n "$unexpected" ]; then
    printf '%s\n' "$out" | grep -Ev "$allowed" | grep -A8 '^FAIL' | head -60
    exit 1
  fi
}

check corpus '^FAIL calendar\.numeric: .* -A 365' --files tests/fixtures/calendar
check usr-share-calendar '^FAIL calendar\.russian:' --max-cases 2500 --seed 1
