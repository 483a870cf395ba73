#!/usr/bin/env bash
# Checks the bundled calendar files in calendars/ against Debian's calendar(1):
#  - each file starts with a one-line "/* name: description */" comment (used by
#    `fun calendar --list`), has an include guard, is plain ASCII (Debian drops non-ASCII
#    lines under LC_ALL=C, the differential tool's default) and has no overlong line;
#  - every entry parses: the number of entries after cpp equals the number of lines
#    Debian's calendar prints for a whole year, for three different years (all our
#    entries are yearly, so each must appear exactly once);
#  - each file has at least the number of entries it promises;
#  - calendar.all includes every other file and yields their sum;
#  - rule-based dates (nth weekday, Easter, Paskha, Advent) land on known days.
set -euo pipefail
cd "$(dirname "$0")/../../calendars"

fail=0
bad() {
  printf 'FAIL %s\n' "$*" >&2
  fail=1
}

command -v calendar >/dev/null || {
  echo "calendars-data: Debian's calendar is not installed" >&2
  exit 1
}
command -v cpp >/dev/null || {
  echo "calendars-data: cpp is not installed" >&2
  exit 1
}

export LC_ALL=C.UTF-8 TZ=UTC

# Minimum number of entries per file.
declare -A min=(
  [computer]=60 [history]=80 [holiday]=60 [usholiday]=25 [christian]=40
  [music]=60 [lotr]=20 [birthday]=80 [discordian]=10
)

# Entries as Debian's calendar sees them: after cpp, lines with a TAB that are not
# continuation lines.
entries() {
  cpp -traditional -undef -U__GNUC__ -P -I. <"$1" 2>/dev/null | grep -c $'^[^\t#][^\t]*\t' || true
}

# Lines Debian's calendar prints for the year starting on Jan 1 of year $2 (through Dec 31).
printed() {
  local days=364
  if [ $(($2 % 4)) -eq 0 ]; then days=365; fi
  calendar -f "$1" -t "${2}0101" -A "$days" | wc -l
}

total=0
for f in calendar.*; do
  name=${f#calendar.}
  first=$(head -n 1 "$f")
  [[ $first =~ ^/\*\ ${name}:\ [^*]+\ \*/$ ]] || bad "$f: first line must be '/* $name: description */', got: $first"
  grep -qx "#ifndef _calendar_${name}_" "$f" || bad "$f: missing '#ifndef _calendar_${name}_'"
  grep -qx "#define _calendar_${name}_" "$f" || bad "$f: missing '#define _calendar_${name}_'"
  grep -q '^#endif' "$f" || bad "$f: missing '#endif'"
  if LC_ALL=C grep -n '[^[:print:][:space:]]' "$f" >&2; then bad "$f: non-ASCII or control characters"; fi
  if awk 'length($0) > 1000 { exit 1 }' "$f"; then :; else bad "$f: a line is longer than 1000 bytes"; fi
  err=$(calendar -f "$f" -t 20260101 -A 364 2>&1 >/dev/null)
  [ -z "$err" ] || bad "$f: calendar wrote to stderr: $err"

  [ "$name" = all ] && continue
  n=$(entries "$f")
  total=$((total + n))
  for year in 2026 2027 2028; do
    p=$(printed "$f" "$year")
    [ "$p" -eq "$n" ] || bad "$f: $n entries but calendar prints $p for $year"
  done
  dups=$(cpp -traditional -undef -U__GNUC__ -P -I. <"$f" 2>/dev/null | grep $'\t' | sort | uniq -d)
  [ -z "$dups" ] || bad "$f: duplicate entries: $dups"
  want=${min[$name]:-1}
  [ "$n" -ge "$want" ] || bad "$f: $n entries, expected at least $want"
  grep -qx "#include <$f>" calendar.all || bad "calendar.all does not include $f"
  printf '%-22s %4d entries\n' "$f" "$n"
done

p=$(printed calendar.all 2026)
[ "$p" -eq "$total" ] || bad "calendar.all prints $p lines, the files hold $total entries"
printf '%-22s %4d entries\n' calendar.all "$p"

# expect FILE START DAYS 'Mon DD' TEXT: a rule-based line containing TEXT must be printed
# on that day (marked '*', as Debian marks weekday and Easter dates).
expect() {
  calendar -f "$1" -t "$2" -A "$3" | grep -F "$4"$'*\t' | grep -qF "$5" ||
    bad "$1: expected '$5' on $4 in the window from $2"
}
expect calendar.usholiday 20260101 30 'Jan 19' 'Martin Luther King'
expect calendar.usholiday 20270101 30 'Jan 18' 'Martin Luther King'
expect calendar.usholiday 20260201 28 'Feb 16' "Washington's Birthday"
expect calendar.usholiday 20260301 30 'Mar 08' 'Daylight saving time begins'
expect calendar.usholiday 20260501 30 'May 25' 'Memorial Day'
expect calendar.usholiday 20270501 30 'May 31' 'Memorial Day'
expect calendar.usholiday 20260901 30 'Sep 07' 'Labor Day'
expect calendar.usholiday 20261001 30 'Oct 12' 'Columbus Day'
expect calendar.usholiday 20261101 60 'Nov 26' 'Thanksgiving'
expect calendar.usholiday 20271101 60 'Nov 25' 'Thanksgiving'
expect calendar.usholiday 20260401 30 'Apr 05' 'Easter Sunday'
expect calendar.usholiday 20260401 30 'Apr 03' 'Good Friday'
expect calendar.christian 20260201 30 'Feb 18' 'Ash Wednesday'
expect calendar.christian 20270201 30 'Feb 10' 'Ash Wednesday'
expect calendar.christian 20260301 40 'Apr 05' 'Easter Sunday'
expect calendar.christian 20270301 40 'Mar 28' 'Easter Sunday'
expect calendar.christian 20260401 30 'Apr 12' 'Orthodox Easter'
expect calendar.christian 20270401 40 'May 02' 'Orthodox Easter'
expect calendar.christian 20260501 30 'May 14' 'Ascension Day'
expect calendar.christian 20260501 30 'May 24' 'Pentecost'
expect calendar.christian 20260601 10 'Jun 04' 'Corpus Christi'
expect calendar.christian 20221201 30 'Dec 18' 'Fourth Sunday of Advent'
expect calendar.christian 20261201 30 'Dec 20' 'Fourth Sunday of Advent'
expect calendar.christian 20231201 30 'Dec 24' 'Fourth Sunday of Advent'
expect calendar.holiday 20260501 30 'May 18' 'Victoria Day'
expect calendar.holiday 20270501 30 'May 24' 'Victoria Day'
expect calendar.holiday 20260301 30 'Mar 15' 'Mothering Sunday'
expect calendar.holiday 20260301 30 'Mar 29' 'summer time begins'
expect calendar.holiday 20260901 30 'Sep 12' 'Rosh Hashanah'
expect calendar.computer 20260701 31 'Jul 31' 'System Administrator'

if [ "$fail" -ne 0 ]; then
  echo "calendars-data: FAILED" >&2
  exit 1
fi
echo "calendars-data: all checks passed"
