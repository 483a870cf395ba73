#!/usr/bin/env bash
# What a screensaver costs when nobody looks: `fun saver` and cmatrix in tmux with
# `focus-events on`, each measured while its pane has the focus and while it has not, in one run.
#
# Each program runs at 120x40 in window 0 of a private tmux server ("inner", status line off,
# focus-events on); window 1 holds an idle shell. A second private server ("outer") attaches a
# client to it, so tmux has a focused client and reports focus to the panes. Every byte the
# program writes is logged with `tmux pipe-pane`, its CPU time is read from
# /proc/PID/task/*/schedstat. Focused: from 2 s after the start, for DURATION seconds. Then
# `select-window -t :1` takes the focus away (tmux sends ESC [ O to the program's pane), and
# after a second of settling the same is measured again. Last, the focus comes back and the time
# until the program's next byte is reported (how fast it resumes).
#
#   benches/idle.sh [DURATION_SECONDS] [RUNS]      (defaults: 8 s, 3 runs; medians)
#   FUN=path picks the binary (default: target/release/fun, built if missing).
# Needs tmux, cmatrix, bc.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-8}
RUNS=${2:-3}
FUN=${FUN:-$PWD/target/release/fun}
[ -x "$FUN" ] || cargo build --release --quiet
for tool in tmux cmatrix bc; do
  command -v "$tool" >/dev/null || { echo "benches/idle.sh: needs $tool" >&2; exit 1; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fun-idle-bench.XXXXXX")
SOCK=fun-idle-bench-$$
inner() { command tmux -L "$SOCK-in" "$@"; }
outer() { command tmux -L "$SOCK-out" "$@"; }
stop() { inner kill-server 2>/dev/null || true; outer kill-server 2>/dev/null || true; }
trap 'stop; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/config"
export XDG_CONFIG_HOME=$WORK/config

now() { date +%s.%N; }
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s+=$1} END{print s+0}'; }
bytes() { stat -c %s "$1" 2>/dev/null || echo 0; }

# window PID LOG SECONDS -> "cpu_pct bytes_per_s" over the next SECONDS.
window() {
  local pid=$1 log=$2 secs=$3 t0 c0 b0 t1 c1 b1
  t0=$(now); c0=$(cpu_ns "$pid"); b0=$(bytes "$log")
  sleep "$secs"
  t1=$(now); c1=$(cpu_ns "$pid"); b1=$(bytes "$log")
  echo "$t0 $c0 $b0 $t1 $c1 $b1" | awk '{dt=$4-$1; printf "%.3f %.0f\n", 100*($5-$2)/1e9/dt, ($6-$3)/dt}'
}

# measure NAME CMD... -> "focused_cpu focused_bps unfocused_cpu unfocused_bps resume_ms"
measure() {
  local name=$1; shift
  local log=$WORK/$name.log
  stop
  inner -f /dev/null new-session -d -s s -x 120 -y 40 "exec $*"
  inner set -g status off
  inner set -g focus-events on
  inner new-window -d -t s:1 "sleep 100000"
  inner pipe-pane -t s:0 "cat >> $log"
  outer -f /dev/null new-session -d -s o -x 120 -y 40 "TERM=xterm-256color tmux -L $SOCK-in attach -t s"
  outer set -g status off
  local pid
  pid=$(inner display -p -t s:0 '#{pane_pid}')
  sleep 2
  local focused unfocused
  focused=$(window "$pid" "$log" "$DUR")
  inner select-window -t s:1
  sleep 1
  unfocused=$(window "$pid" "$log" "$DUR")
  # Back in focus: how long until the next byte.
  local before t0 ms=-1 i
  before=$(bytes "$log"); t0=$(now)
  inner select-window -t s:0
  for i in $(seq 400); do
    if [ "$(bytes "$log")" != "$before" ]; then
      ms=$(echo "($(now) - $t0) * 1000" | bc -l | cut -d. -f1); break
    fi
    sleep 0.005
  done
  stop
  echo "$focused $unfocused $ms"
}

median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

for i in $(seq "$RUNS"); do
  measure "fun_$i" "$FUN saver matrix" >> "$WORK/fun"
  measure "cmatrix_$i" cmatrix >> "$WORK/cmatrix"
done

row() {
  local label=$1 file=$2 col
  printf '| %-22s |' "$label"
  for col in 1 2 3 4 5; do printf ' %10s |' "$(awk -v c=$col '{print $c}' "$file" | median)"; done
  echo
}
echo
echo "benches/idle.sh: 120x40 in tmux $(command tmux -V | cut -d' ' -f2), focus-events on, $DUR s windows, median of $RUNS runs"
echo "| program                | focused CPU % | focused B/s | unfocused CPU % | unfocused B/s | resume ms |"
echo "|------------------------|------------|------------|------------|------------|------------|"
row "fun saver matrix" "$WORK/fun"
row "cmatrix" "$WORK/cmatrix"
echo "(raw runs: fun: $(tr '\n' ';' < "$WORK/fun") cmatrix: $(tr '\n' ';' < "$WORK/cmatrix"))"
