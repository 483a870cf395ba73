#!/usr/bin/env bash
# Issue 27 (lean): every footprint target of `fun` against its peers, in one run, ROUNDS rounds
# (default 3), medians. Figures are CPU time, peak RSS (VmHWM) and page faults, which a loaded
# machine barely moves, and wall time only where the target is wall time (start-up).
#
#   benches/lean.sh            prints every part;  ONLY='size startup ...' picks parts
#   UPDATE_DOCS=1 benches/lean.sh   also writes each part's table into
#                              docs/maintainers/performance.md between <!-- NAME begin/end -->
#   FUN=path picks the binary (default target/release/fun, built if missing)
#
# size      binary sizes beside rusty-rain's and cmatrix's, with fun's big sections and its
#           start-up relocations (each large part's cost: see performance.md)
# startup   `fun --version` vs `cat /dev/null` (hyperfine -N): wall and CPU time, peak RSS,
#           page faults (targets: within 0.5 ms of cat, <= 2.5 MB)
# calendar  `fun calendar -f calendar.all -t 20260101 -A 365` vs Debian's calendar (target:
#           <= 0.1x its time; CPU time shown beside)
# memory    peak RSS of `fun saver matrix` / `clock` vs rusty-rain, cmatrix, tty-clock in tmux,
#           at 120x40 and 400x120 (targets: <= rusty-rain's at 120x40, <= 4 MB at 400x120)
# matrix    matrix CPU vs rusty-rain at 120x40 and 400x120: benches/saver.sh's matrix and big
#           parts (targets: <= 0.6x and <= 0.8x)
# pv        `fun pv -qL 8` vs `pv -qL 8` for 10 s, start-up included, CPU of all threads
#           (perf stat task-clock; target: <= 0.5x)
# Needs hyperfine, tmux, perf, pv, calendar, cmatrix, tty-clock, rusty-rain. Measures, never
# judges: not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
FUN=${FUN:-$PWD/target/release/fun}
[ -x "$FUN" ] || cargo build --release --quiet
ONLY=${ONLY:-size startup calendar memory matrix pv}
DOCS=docs/maintainers/performance.md
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fun-lean-bench.XXXXXX")
TMUX_SOCKET=fun-lean-bench-$$
tmux() { command tmux -L "$TMUX_SOCKET" "$@"; }
trap 'tmux kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
RAIN=$(command -v rusty-rain || echo rusty-rain)
median() { sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}'; }
rounds_of() { paste -sd' ' "$1"; }

# publish NAME FILE: prints the table, and with UPDATE_DOCS=1 puts it between NAME's markers
# of docs/maintainers/performance.md (benches/doc-section.sh, the one writer of that file).
# shellcheck source=benches/doc-section.sh
. benches/doc-section.sh
publish() {
  cat "$2"; echo
  [ "${UPDATE_DOCS:-0}" = 1 ] || return 0
  DOC=$DOCS doc_section "$1" "$2"
}

header() {
  echo "_$(date -u +%Y-%m-%d), benches/lean.sh, $ROUNDS rounds, medians (each round's figures in brackets); load $(cut -d' ' -f1-3 /proc/loadavg)_"
  echo
}

part_size() {
  local out=$WORK/size.md
  {
    header
    echo "| program | file bytes | .text | .rodata | .data.rel.ro | relocations at start |"
    echo "|---|---|---|---|---|---|"
    local prog path
    for prog in "$FUN" "$RAIN" cmatrix tty-clock; do
      path=$(command -v "$prog" || true)
      [ -n "$path" ] || continue
      local sec rel relr
      sec() { size -A "$path" | awk -v s="$1" '$1 == s {print $2}'; }
      rel=$(readelf -rW "$path" | grep -c 'R_X86_64' || true)
      relr=$(readelf -dW "$path" | awk '/\(RELRSZ\)/ {print $3 / 8}')
      local label=${prog##*/}; [ "$prog" = "$FUN" ] && label=fun
      echo "| $label | $(stat -c %s "$path") | $(sec .text) | $(sec .rodata) | $(sec .data.rel.ro || true) | $rel${relr:+ + $relr RELR words} |"
    done
  } > "$out"
  publish size "$out"
}

part_startup() {
  local i
  for i in $(seq "$ROUNDS"); do
    hyperfine -N --warmup 20 --runs 300 --style none --export-json "$WORK/st.json" \
      "$FUN --version" "cat /dev/null" >/dev/null 2>&1
    python3 - "$WORK/st.json" >> "$WORK/startup" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
f, c = r[0], r[1]
print(f"{f['median']*1e3:.3f} {c['median']*1e3:.3f} {(f['median']-c['median'])*1e3:.3f} "
      f"{(f['user']+f['system'])*1e3:.3f} {(c['user']+c['system'])*1e3:.3f}")
PY
    { /usr/bin/time -f '%M' "$FUN" --version >/dev/null; } 2>&1 | tail -1 >> "$WORK/rss_fun"
    { /usr/bin/time -f '%M' cat /dev/null; } 2>&1 | tail -1 >> "$WORK/rss_cat"
    perf stat -x, -e page-faults "$FUN" --version 2>&1 >/dev/null | awk -F, '/page-faults/ {print $1}' >> "$WORK/pf_fun"
    perf stat -x, -e page-faults cat /dev/null 2>&1 >/dev/null | awk -F, '/page-faults/ {print $1}' >> "$WORK/pf_cat"
  done
  local out=$WORK/startup.md col
  col() { awk -v n="$1" '{print $n}' "$WORK/startup" | median; }
  rounds() { awk -v n="$1" '{printf "%s%s", sep, $n; sep=" "}' "$WORK/startup"; }
  {
    header
    echo "| figure | fun --version | cat /dev/null | target |"
    echo "|---|---|---|---|"
    echo "| wall ms (hyperfine -N, median of 300) | $(col 1) [$(rounds 1)] | $(col 2) [$(rounds 2)] | fun - cat = $(col 3) ms [$(rounds 3)], <= 0.5 |"
    echo "| CPU ms (user + system, mean) | $(col 4) [$(rounds 4)] | $(col 5) [$(rounds 5)] | |"
    echo "| peak RSS KB | $(median < "$WORK/rss_fun") [$(rounds_of "$WORK/rss_fun")] | $(median < "$WORK/rss_cat") [$(rounds_of "$WORK/rss_cat")] | <= 2560 |"
    echo "| page faults | $(median < "$WORK/pf_fun") [$(rounds_of "$WORK/pf_fun")] | $(median < "$WORK/pf_cat") [$(rounds_of "$WORK/pf_cat")] | |"
  } > "$out"
  publish startup "$out"
}

part_calendar() {
  local i args="-f calendar.all -t 20260101 -A 365"
  for i in $(seq "$ROUNDS"); do
    hyperfine -N --warmup 3 --runs 30 --style none --export-json "$WORK/cal.json" \
      "$FUN calendar $args" "calendar $args" >/dev/null 2>&1
    python3 - "$WORK/cal.json" >> "$WORK/calendar" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
f, d = r[0], r[1]
cpu = lambda x: (x["user"] + x["system"]) * 1e3
print(f"{f['median']*1e3:.2f} {d['median']*1e3:.2f} {f['median']/d['median']:.3f} "
      f"{cpu(f):.2f} {cpu(d):.2f} {cpu(f)/cpu(d):.3f}")
PY
  done
  local out=$WORK/calendar.md col rounds
  col() { awk -v n="$1" '{print $n}' "$WORK/calendar" | median; }
  rounds() { awk -v n="$1" '{printf "%s%s", sep, $n; sep=" "}' "$WORK/calendar"; }
  {
    header
    echo "\`calendar $args\`, hyperfine -N, median of 30 runs a round:"
    echo
    echo "| figure | fun calendar | Debian calendar | fun / Debian (target <= 0.1) |"
    echo "|---|---|---|---|"
    echo "| wall ms | $(col 1) [$(rounds 1)] | $(col 2) [$(rounds 2)] | $(col 3) [$(rounds 3)] |"
    echo "| CPU ms (user + system) | $(col 4) [$(rounds 4)] | $(col 5) [$(rounds 5)] | $(col 6) [$(rounds 6)] |"
  } > "$out"
  publish calendar "$out"
}

# hwm NAME SIZE CMD...: the command's peak RSS (VmHWM, KB) after 4 s in a tmux pane of SIZE.
hwm() {
  local name=$1 size=$2; shift 2
  local s=lean_$$_$name pane pid="" tries=0
  tmux new-session -d -s "$s" -x "${size%x*}" -y "${size#*x}" "sleep 0.5; exec timeout --foreground -s INT -k 2 6 $*"
  pane=$(tmux display -p -t "$s" '#{pane_pid}')
  while [ -z "$pid" ]; do
    sleep 0.05
    if [ "$(cat /proc/"$pane"/comm 2>/dev/null)" = timeout ]; then pid=$(pgrep -P "$pane" | head -1 || true); fi
    tries=$((tries + 1)); [ $tries -gt 200 ] && { echo "no process for $name" >&2; return 1; }
  done
  sleep 4
  awk '/VmHWM/ {print $2}' "/proc/$pid/status"
  tmux kill-session -t "$s" 2>/dev/null || true
  sleep 0.3
}

part_memory() {
  local progs=("$FUN saver matrix" "$FUN saver clock" "$RAIN" cmatrix "tty-clock -s")
  local size i j
  for i in $(seq "$ROUNDS"); do
    for size in 120x40 400x120; do
      for j in "${!progs[@]}"; do
        hwm "m_$j" "$size" "${progs[$j]}" >> "$WORK/mem_${size}_$j"
      done
    done
  done
  local out=$WORK/memory.md
  {
    header
    echo "Peak RSS (VmHWM, KB) after 4 s in a tmux pane:"
    echo
    echo "| program | 120x40 | 400x120 |"
    echo "|---|---|---|"
    for j in "${!progs[@]}"; do
      local name=${progs[$j]/#$FUN/fun}
      echo "| ${name##*/} | $(median < "$WORK/mem_120x40_$j") [$(rounds_of "$WORK/mem_120x40_$j")] | $(median < "$WORK/mem_400x120_$j") [$(rounds_of "$WORK/mem_400x120_$j")] |"
    done
    echo
    echo "Targets: fun's matrix and clock <= rusty-rain's at 120x40, <= 4096 KB at 400x120."
  } > "$out"
  publish memory "$out"
}

part_matrix() {
  local out=$WORK/matrix.md
  {
    header
    echo '```'
    ONLY='matrix big' FUN=$FUN bash benches/saver.sh 10 "$ROUNDS" | grep -v '^TERM\|^fun saver benchmark'
    echo '```'
    echo
    echo "Targets: fun's %CPU <= 0.6x rusty-rain's at 120x40, <= 0.8x at 400x120."
  } > "$out"
  publish matrix-cpu "$out"
}

# pv_cpu CMD...: the CPU of every thread of CMD over 10 s from its start (perf stat), in ms.
pv_cpu() {
  perf stat -x, -o "$WORK/perf.txt" -e task-clock "$@" /dev/zero > /dev/null &
  local perf=$! child="" tries=0
  while [ -z "$child" ] && [ $tries -lt 100 ]; do child=$(pgrep -P "$perf" || true); sleep 0.01; tries=$((tries + 1)); done
  sleep 10
  kill -TERM "$child"; wait "$perf" 2>/dev/null || true
  awk -F, '/task-clock/ {printf "%.2f\n", $1}' "$WORK/perf.txt"
}

part_pv() {
  local i
  for i in $(seq "$ROUNDS"); do
    pv_cpu "$FUN" pv -qL 8 >> "$WORK/pv_fun"
    pv_cpu pv -qL 8 >> "$WORK/pv_pv"
  done
  local out=$WORK/pv.md f p
  f=$(median < "$WORK/pv_fun"); p=$(median < "$WORK/pv_pv")
  {
    header
    echo "CPU of all threads over 10 s, start-up included (perf stat -e task-clock):"
    echo
    echo "| command | CPU ms | ratio to pv (target <= 0.5) |"
    echo "|---|---|---|"
    echo "| fun pv -qL 8 /dev/zero | $f [$(rounds_of "$WORK/pv_fun")] | $(ratio "$f" "$p") |"
    echo "| pv -qL 8 /dev/zero | $p [$(rounds_of "$WORK/pv_pv")] | 1 |"
  } > "$out"
  publish pv-cpu "$out"
}

# needs PART: the programs PART runs, so that a missing one is named before any measuring
# (a peer failing under hyperfine's or tmux's redirections ended the run without a word).
needs() {
  case $1 in
    size) echo size readelf ;;
    startup) echo hyperfine ;;
    calendar) echo hyperfine calendar ;;
    memory) echo tmux "$RAIN" cmatrix tty-clock ;;
    matrix) echo tmux "$RAIN" cmatrix bc ;;
    pv) echo perf pv ;;
  esac
}
missing=""
for part in $ONLY; do
  for prog in $(needs "$part"); do
    command -v "$prog" >/dev/null || missing="$missing $prog ($part)"
  done
done
if [ -n "$missing" ]; then
  echo "benches/lean.sh: not installed:$missing" >&2
  exit 1
fi

echo "benches/lean.sh: $FUN, $ROUNDS rounds"
echo
for part in $ONLY; do
  echo "== $part"
  "part_$part"
done
