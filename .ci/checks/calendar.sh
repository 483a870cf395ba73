#!/usr/bin/env bash
# Differential test of `fun calendar --strict` against Debian's calendar (apt-get install
# calendar) with the project's own harness, examples/calendar_diff.rs: our corpus and every
# top-level file of /usr/share/calendar (the locale folders through their wrappers), over the
# harness's whole matrix of dates, windows and lookup modes. `--strict` makes fun reproduce the
# reference's known bugs, so the outputs must be byte for byte the same; the one allowed
# difference is the documented extension of year-specific dates in our corpus
# (docs/calendar-compat.md). Prints one line per file and the total.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v calendar >/dev/null; then
  echo "calendar.sh: needs Debian's calendar (apt-get install calendar)" >&2
  exit 1
fi

# The locales the system calendars switch to (LANG=ru_RU.UTF-8 ...) must exist for the
# reference, or it refuses the file. .ci/run generates them system-wide; without them (no root),
# compile them into a private folder that glibc reads through LOCPATH.
missing=()
for locale in ru_RU uk_UA de_DE fr_FR; do
  locale -a | grep -qix "$locale.utf-\?8" || missing+=("$locale")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export LOCPATH="$PWD/target/calendar-locales"
  mkdir -p "$LOCPATH"
  for locale in "${missing[@]}"; do
    [ -d "$LOCPATH/$locale.UTF-8" ] || localedef -i "$locale" -f UTF-8 "$LOCPATH/$locale.UTF-8"
  done
fi

cargo build --quiet --locked --bin fun --example calendar_diff
diff=target/debug/examples/calendar_diff
"$diff" --allow-extra "a year-specific date" tests/fixtures/calendar
"$diff" /usr/share/calendar
