#!/usr/bin/env bash
# Speed of `fun calendar --ics` and `--from-ics` on ten years of Debian's calendar.all (about
# 48,000 events, 11 MB of iCalendar). No other program converts calendar(1) files, so the anchors
# are fun's own plain output of the same window (the cost of writing iCalendar) and Python's
# icalendar package reading the same .ics (the cost of reading it elsewhere).
# Then the doubling check of issue 20: one event with N RDATEs and the same N EXDATEs, for N =
# 50,000, 100,000 and 200,000 (1x, 2x, 4x); linear work takes about 2x and 4x the time of the
# first size (it took 16.7 s at 200,000 when it was quadratic).
# Needs: apt-get install calendar hyperfine python3-venv. Builds the release binary first;
# BENCH_FUN=/path/to/fun times another build instead (an older one, to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${BENCH_FUN:-}" ]; then
  fun="$BENCH_FUN"
else
  cargo build --release --quiet
  fun="$PWD/target/release/fun"
fi
venv=target/ics-venv
if ! "$venv/bin/python" -c 'import icalendar' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet icalendar
fi
python="$PWD/$venv/bin/python"
export LC_ALL=C.UTF-8 TZ=UTC
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd /usr/share/calendar
window=(-f calendar.all -t 20260101 -A 3650)
"$fun" calendar "${window[@]}" --ics 2>/dev/null > "$work/ten.ics"
echo "$(grep -c BEGIN:VEVENT "$work/ten.ics") events, $(wc -c < "$work/ten.ics") bytes"
hyperfine -N --warmup 2 --runs 10 \
  -n plain "$fun calendar ${window[*]}" \
  -n export "$fun calendar ${window[*]} --ics" \
  -n import "$fun calendar --from-ics $work/ten.ics" \
  -n python-read "$python -c \"import icalendar; icalendar.Calendar.from_ical(open('$work/ten.ics','rb').read())\""

# The doubling check: N RDATEs all cancelled by N EXDATEs.
python3 - "$work" <<'PY'
import datetime, sys
for n in (50_000, 100_000, 200_000):
    first = datetime.date(1000, 1, 1)
    dates = ",".join((first + datetime.timedelta(days=i)).strftime("%Y%m%d") for i in range(n))
    with open(f"{sys.argv[1]}/dates-{n}.ics", "w") as f:
        f.write("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20000101\r\n"
                f"SUMMARY:many dates\r\nRDATE;VALUE=DATE:{dates}\r\n"
                f"EXDATE;VALUE=DATE:{dates}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
PY
json="$work/doubling.json"
hyperfine -N --warmup 1 --runs 5 --export-json "$json" \
  -n 1x "$fun calendar --from-ics $work/dates-50000.ics" \
  -n 2x "$fun calendar --from-ics $work/dates-100000.ics" \
  -n 4x "$fun calendar --from-ics $work/dates-200000.ics"
python3 - "$json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"RDATE x EXDATE: 1x {r['1x']*1000:.1f} ms, 2x {r['2x']*1000:.1f} ms "
      f"({r['2x']/r['1x']:.2f}x), 4x {r['4x']*1000:.1f} ms ({r['4x']/r['1x']:.2f}x)")
PY
