#!/usr/bin/env bash
# Speed of `fun calendar` against Debian's calendar (which forks cpp) on Debian's own files:
#   fun calendar -f calendar.all -t 20260101 -A 365    (run in /usr/share/calendar)
# Needs: apt-get install calendar hyperfine. Builds the release binary first; BENCH_FUN=/path/to/fun
# times another build instead (an older one, to compare).
# Prints hyperfine's table and the ratio (reference time / fun time).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${BENCH_FUN:-}" ]; then
  fun="$BENCH_FUN"
else
  cargo build --release --quiet
  fun="$PWD/target/release/fun"
fi
export LC_ALL=C.UTF-8 TZ=UTC
cd /usr/share/calendar
# Same bytes first, or the timing means nothing (modulo documented deliberate differences).
diff <(calendar -f calendar.all -t 20260101 -A 365 2>/dev/null | sort) \
     <("$fun" calendar --strict -f calendar.all -t 20260101 -A 365 2>/dev/null | sort) \
  | head -5 || true
json=$(mktemp)
hyperfine -N --warmup 5 --runs 40 --export-json "$json" \
  -n debian "calendar -f calendar.all -t 20260101 -A 365" \
  -n fun "$fun calendar -f calendar.all -t 20260101 -A 365"
python3 - "$json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"debian {r['debian']*1000:.2f} ms, fun {r['fun']*1000:.2f} ms: "
      f"fun is {r['debian']/r['fun']:.1f}x faster")
PY
rm -f "$json"
