#!/usr/bin/env bash
# Measures `fun saver` against its anchors, side by side in tmux at 120x40, with the method of
# shared/reference/screens.md section 3: each program runs in its own detached tmux session,
# every byte it writes to its tty is logged with `tmux pipe-pane`, and steady figures are the
# differences between two samples (at 2.0 s and at DUR-0.5 s of the program's age) of the log
# size and of the program's on-CPU time (/proc/PID/task/*/schedstat), so start-up is excluded.
#
#   benches/saver.sh [DURATION_SECONDS] [RUNS] [SCREEN...]   (defaults: 10 s, 3 runs; medians)
#   ONLY='matrix clock screens startup' selects the parts; FUN=path picks the binary.
#
# Part `screens`: every screen (the SCREEN arguments, or else every name `fun saver --list`
# prints, so the list stays in step with the code) against cmatrix, in the same run: each
# round measures cmatrix and then every screen once, and the table gives each screen's median
# CPU and bytes/s with its ratio to cmatrix's median. Budget: both ratios at most 1.
#
# Pairs: `fun saver matrix` vs `cmatrix`, `fun saver clock` vs `tty-clock -s`.
# Then start-up time (hyperfine, `--headless --frames 1`, i.e. parse + build + first frame) and
# peak RSS (VmHWM while running in tmux). Needs tmux, cmatrix, tty-clock, hyperfine, bc.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
RUNS=${2:-3}
shift $(( $# < 2 ? $# : 2 ))
FUN=${FUN:-$PWD/target/release/fun}
[ -x "$FUN" ] || cargo build --release --quiet
for tool in tmux cmatrix tty-clock bc; do
  command -v "$tool" >/dev/null || { echo "benches/saver.sh: needs $tool" >&2; exit 1; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fun-saver-bench.XXXXXX")
# A private tmux server, so the runs never touch anyone else's sessions.
TMUX_SOCKET=fun-saver-bench-$$
tmux() { command tmux -L "$TMUX_SOCKET" "$@"; }
trap 'tmux kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
TK=$(getconf CLK_TCK)

# measure NAME CMD... -> prints "cpu_pct bytes_per_s hwm_kb fps" (steady window)
measure() {
  local name=$1; shift
  local out=$WORK/$name; mkdir -p "$out"
  local s=bench_$$_$name
  tmux kill-session -t "$s" 2>/dev/null || true
  tmux new-session -d -s "$s" -x 120 -y 40 \
    "sleep 1; exec timeout --foreground -s INT -k 3 $DUR $*"
  tmux pipe-pane -o -t "$s" "cat >> $out/tty.log"
  local pane pid="" tries=0
  pane=$(tmux display -p -t "$s" '#{pane_pid}')
  # The pane's shell sleeps 1 s, then execs timeout, whose child is the program.
  while [ -z "$pid" ]; do
    sleep 0.05
    if [ "$(cat /proc/"$pane"/comm 2>/dev/null)" = timeout ]; then
      pid=$(pgrep -P "$pane" | head -1 || true)
    fi
    tries=$((tries + 1)); [ $tries -gt 200 ] && { echo "no process for $name" >&2; return 1; }
  done
  local start; start=$(awk '{print $22}' "/proc/$pid/stat")
  age() { awk -v s="$start" -v tk="$TK" '{print $1 - s/tk}' /proc/uptime; }
  wait_age() { local d; d=$(echo "$1 - $(age)" | bc -l); [ "$(echo "$d > 0" | bc -l)" = 1 ] && sleep "$d"; return 0; }
  sample() {
    echo "$(age) $(cat /proc/"$pid"/task/*/schedstat | awk '{s+=$1} END{print s}') \
$(stat -c %s "$out/tty.log" 2>/dev/null || echo 0) $(awk '/VmHWM/{print $2}' /proc/"$pid"/status)"
  }
  wait_age 2.0; local a; a=$(sample)
  wait_age "$(echo "$DUR - 0.5" | bc -l)"; local b; b=$(sample)
  while tmux has-session -t "$s" 2>/dev/null; do sleep 0.2; done
  echo "$a $b" | awk '{dt=$5-$1; printf "%.3f %.0f %d\n", 100*($6-$2)/1e9/dt, ($7-$3)/dt, $8}'
}

median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

run_pair() {
  local label=$1 ours=$2 theirs=$3
  local i
  for i in $(seq "$RUNS"); do
    measure "ours_${label}_$i" "$ours" >> "$WORK/ours_$label"
    measure "anchor_${label}_$i" "$theirs" >> "$WORK/anchor_$label"
  done
  local oc ob om ac ab am
  oc=$(awk '{print $1}' "$WORK/ours_$label" | median); ob=$(awk '{print $2}' "$WORK/ours_$label" | median)
  om=$(awk '{print $3}' "$WORK/ours_$label" | median)
  ac=$(awk '{print $1}' "$WORK/anchor_$label" | median); ab=$(awk '{print $2}' "$WORK/anchor_$label" | median)
  am=$(awk '{print $3}' "$WORK/anchor_$label" | median)
  printf '%-28s %9s %%CPU %10s B/s %7s KB RSS\n' "$ours" "$oc" "$ob" "$om"
  printf '%-28s %9s %%CPU %10s B/s %7s KB RSS\n' "$theirs" "$ac" "$ab" "$am"
  printf '%-28s %9s      %10s\n' "ratio (ours/anchor)" \
    "$(echo "scale=3; $oc / ($ac + 0.0001)" | bc -l)" "$(echo "scale=3; $ob / ($ab + 0.0001)" | bc -l)"
  echo
}

echo "fun saver benchmark: tmux 120x40, ${DUR}s per run, median of $RUNS runs (steady window)"
echo "TERM inside tmux: $(tmux new-session -d -s probe_$$ -x 120 -y 40 'sleep 2'; tmux show-options -g default-terminal | awk '{print $2}'; tmux kill-session -t probe_$$)"
echo
# run_screens SCREEN... -> one table of every screen against cmatrix (same rounds).
run_screens() {
  local i name
  for i in $(seq "$RUNS"); do
    measure "cmatrix_$i" cmatrix >> "$WORK/screens_cmatrix"
    for name in "$@"; do
      measure "screen_${name}_$i" "$FUN saver $name" >> "$WORK/screens_$name"
    done
  done
  local cc cb
  cc=$(awk '{print $1}' "$WORK/screens_cmatrix" | median)
  cb=$(awk '{print $2}' "$WORK/screens_cmatrix" | median)
  printf '%-12s %9s %12s %9s %9s %s\n' screen "%CPU" "bytes/s" "CPU/cm" "B/s/cm" verdict
  printf '%-12s %9s %12s %9s %9s\n' cmatrix "$cc" "$cb" 1 1
  for name in "$@"; do
    local c b rc rb verdict
    c=$(awk '{print $1}' "$WORK/screens_$name" | median)
    b=$(awk '{print $2}' "$WORK/screens_$name" | median)
    rc=$(echo "scale=3; $c / ($cc + 0.0001)" | bc -l)
    rb=$(echo "scale=3; $b / ($cb + 0.0001)" | bc -l)
    verdict=ok
    if [ "$(echo "$rc > 1 || $rb > 1" | bc -l)" = 1 ]; then verdict=OVER; fi
    printf '%-12s %9s %12s %9s %9s %s\n' "$name" "$c" "$b" "$rc" "$rb" "$verdict"
  done
  echo
}

ONLY=${ONLY:-matrix clock screens startup}
case " $ONLY " in *" matrix "*) run_pair matrix "$FUN saver matrix" "cmatrix" ;; esac
case " $ONLY " in *" clock "*) run_pair clock "$FUN saver clock" "tty-clock -s" ;; esac
case " $ONLY " in *" screens "*)
  if [ $# -gt 0 ]; then screens=("$@"); else mapfile -t screens < <("$FUN" saver --list | awk '{print $1}'); fi
  echo "every screen against cmatrix (${#screens[@]} screens, $RUNS rounds):"
  run_screens "${screens[@]}" ;;
esac
case " $ONLY " in *" startup "*) ;; *) exit 0 ;; esac

if command -v hyperfine >/dev/null; then
  echo "start-up (parse options, build the screen, render one 120x40 frame headless):"
  for screen in matrix clock randtxt sysmon; do
    hyperfine -N --warmup 3 --runs 30 --style none --export-json "$WORK/h_$screen.json" \
      "$FUN saver $screen --headless --size 120x40 --frames 1" >/dev/null 2>&1 || true
    mean=$(sed -n 's/.*"mean": *\([0-9.eE+-]*\).*/\1/p' "$WORK/h_$screen.json" 2>/dev/null | head -1)
    mean=$(printf '%.6f' "${mean:-0}")
    rss=$( { /usr/bin/time -f '%M' "$FUN" saver "$screen" --headless --size 120x40 --frames 1 >/dev/null; } 2>&1 | tail -1)
    printf '  %-8s %7.2f ms  max RSS %s KB\n' "$screen" "$(echo "$mean * 1000" | bc -l)" "$rss"
  done
fi
