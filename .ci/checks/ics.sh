#!/usr/bin/env bash
# Checks `fun calendar --ics` with Python's icalendar package (the most used iCalendar library,
# independent of the Rust crate the tests use): for every bundled calendar over a year, the
# file must parse, every VEVENT must have a unique UID, a DATE start, DTEND the next day, and the
# (date, summary) pairs must be exactly those of the plain output of the same window. Then the
# export of a year of everything is imported again and must give the same entries.
# The package goes into a private venv under target/, never into the system's Python.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/ics-venv
if ! "$venv/bin/python" -c 'import icalendar' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet icalendar
fi
cargo build --quiet --locked
fun=$PWD/target/debug/fun
python=$PWD/$venv/bin/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1
unset CALENDAR_DIR
cd "$work"

cat > check.py <<'PY'
import sys
from collections import Counter
from datetime import timedelta
import icalendar

ics_path, plain_path = sys.argv[1], sys.argv[2]
cal = icalendar.Calendar.from_ical(open(ics_path, "rb").read())
assert str(cal["VERSION"]) == "2.0", cal.get("VERSION")
assert "fun calendar" in str(cal["PRODID"])
uids, got = set(), Counter()
for event in cal.walk("VEVENT"):
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert not hasattr(start, "hour"), f"DTSTART {start} is not a DATE"
    assert end - start == timedelta(days=1), (start, end)
    uid = str(event["UID"])
    assert uid.endswith("@fun-calendar.invalid") and uid not in uids, uid
    uids.add(uid)
    got[(start.strftime("%b %d"), str(event["SUMMARY"]))] += 1
want = Counter()
for line in open(plain_path, encoding="utf-8"):
    if line.startswith("\t") or not line.strip():
        continue
    date, text = line.rstrip("\n").split("\t", 1)
    want[(date[:6], text.strip().replace("\t", " "))] += 1
assert got == want, f"differ: {list((got - want).items())[:3]} / {list((want - got).items())[:3]}"
print(f"{ics_path}: {sum(got.values())} events, as in the plain output")
PY

names=$("$fun" calendar --list | awk '{print $1}')
for name in $names; do
  "$fun" calendar -f "$name" -t 20260101 -A 365 > "$name.txt"
  "$fun" calendar -f "$name" -t 20260101 -A 365 --ics > "$name.ics"
  "$python" check.py "$name.ics" "$name.txt"
done

# Round trip through Python's reading too: export, import, show the same window.
"$fun" calendar --from-ics calendar.all.ics > imported
# The export drops the `*` marker and indentation, and turns TABs in the text into spaces.
normalise() {
  "$python" -c 'import sys
for line in sys.stdin:
    date, _, text = line.rstrip("\n").partition("\t")
    print((date[:6] if date else "") + "\t" + text.strip().replace("\t", " "))'
}
"$fun" calendar -f imported -t 20260101 -A 365 | normalise > again.txt
normalise < calendar.all.txt > plain.txt
diff plain.txt again.txt
echo "ics.sh: round trip of calendar.all over a year gives the same $(wc -l < plain.txt) lines"
