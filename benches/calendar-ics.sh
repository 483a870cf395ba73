#!/usr/bin/env bash
# Speed of `fun calendar --ics` and `--from-ics` on ten years of Debian's calendar.all (about
# 48,000 events, 11 MB of iCalendar). No other program converts calendar(1) files, so the anchors
# are fun's own plain output of the same window (the cost of writing iCalendar) and Python's
# icalendar package reading the same .ics (the cost of reading it elsewhere).
# Needs: apt-get install calendar hyperfine python3-venv. Builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
fun="$PWD/target/release/fun"
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
