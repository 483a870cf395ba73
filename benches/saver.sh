#!/usr/bin/env bash
# Measures `fun saver` against its anchors, side by side in tmux, with the method of
# shared/reference/screens.md section 3: each program runs in its own detached tmux session,
# every byte it writes to its tty is logged with `tmux pipe-pane`, and steady figures are the
# differences between two samples (at 2.0 s and at DUR-0.5 s of the program's age) of the log
# size and of the program's on-CPU time (/proc/PID/task/*/schedstat), so start-up is excluded.
# Every round measures each program once, in turn; the figures are medians over the rounds.
#
#   benches/saver.sh [DURATION_SECONDS] [RUNS] [SCREEN...]   (defaults: 10 s, 3 rounds)
#   ONLY='matrix big clock script screens startup' selects the parts; FUN=path picks the binary.
#
# matrix   `fun saver matrix` vs `cmatrix` and `rusty-rain` at 120x40 (targets, issue 10:
#          CPU <= 0.8x rusty-rain's, bytes/s <= 0.5x cmatrix's)
# big      the same three at 400x120, a full-screen 4K terminal (target: CPU <= both peers')
# clock    `fun saver clock` vs `tty-clock -s` at 120x40 (CPU and bytes/s <= 1.0x)
# screens  every screen (the SCREEN arguments, or else every name `fun saver --list` prints,
#          so the list stays in step with the code) against cmatrix at 120x40, one table, each
#          screen's median CPU and bytes/s with its ratio to cmatrix's (budget: both <= 1).
#          The table has a memory column: each program's peak RSS (VmHWM) in KB.
#          With UPDATE_DOCS=1 the table replaces the one in docs/maintainers/performance.md
#          (between its `screens-cost` markers; benches/doc-section.sh).
# script   the scripted rain (screens/rain.rhai, docs/scripting.md) vs cmatrix and the built-in
#          matrix at 120x40 (target, issue 25: CPU <= cmatrix's and <= 3x matrix's); the
#          examples (bounce, fountain, rain) are also rows of the screens table
# startup  hyperfine, `--headless --frames 1` (parse + build + first frame), and peak RSS.
# Needs tmux, cmatrix, tty-clock, bc; rusty-rain (`cargo install rusty-rain --locked`) for the
# matrix parts (left out, with a note, when it is not installed); hyperfine for startup.
# Not part of CI: it measures, it does not judge.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benches/doc-section.sh
. benches/doc-section.sh
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

# measure NAME SIZE CMD... -> prints "cpu_pct bytes_per_s hwm_kb" (steady window)
measure() {
  local name=$1 size=$2; shift 2
  local out=$WORK/$name; mkdir -p "$out"
  local s=bench_$$_$name
  tmux kill-session -t "$s" 2>/dev/null || true
  tmux new-session -d -s "$s" -x "${size%x*}" -y "${size#*x}" \
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
# column FILE N -> the median of column N of FILE
column() { awk -v n="$2" '{print $n}' "$1" | median; }
ratio() { printf '%.3f' "$(echo "$1 / ($2 + 0.0001)" | bc -l)"; }

# run_group LABEL SIZE CMD... -> the first command against each of the others, same rounds:
# every round measures each once, in turn (rounds interleave, so a busy moment hits all).
run_group() {
  local label=$1 size=$2; shift 2
  local cmds=("$@") i j
  for i in $(seq "$RUNS"); do
    for j in "${!cmds[@]}"; do
      measure "${label}_${j}_$i" "$size" "${cmds[$j]}" >> "$WORK/${label}_$j"
    done
  done
  echo "$label ($size, $RUNS rounds, medians; each round: $(paste -sd' ' "$WORK/${label}_0" | awk '{for (i=1;i<=NF;i+=3) printf "%s%% ", $i}')for ours)"
  printf '  %-28s %8s %12s %9s\n' program "%CPU" "bytes/s" "RSS KB"
  for j in "${!cmds[@]}"; do
    printf '  %-28s %8s %12s %9s\n' "${cmds[$j]/#$FUN/fun}" "$(column "$WORK/${label}_$j" 1)" \
      "$(column "$WORK/${label}_$j" 2)" "$(column "$WORK/${label}_$j" 3)"
  done
  local oc ob; oc=$(column "$WORK/${label}_0" 1); ob=$(column "$WORK/${label}_0" 2)
  for j in "${!cmds[@]}"; do
    [ "$j" = 0 ] && continue
    printf '  ratio to %-19s %8s %12s\n' "${cmds[$j]}" \
      "$(ratio "$oc" "$(column "$WORK/${label}_$j" 1)")" "$(ratio "$ob" "$(column "$WORK/${label}_$j" 2)")"
  done
  echo
}

# run_screens SCREEN... -> one table of every screen against cmatrix (same rounds).
run_screens() {
  local i name
  for i in $(seq "$RUNS"); do
    measure "cmatrix_$i" 120x40 cmatrix >> "$WORK/screens_cmatrix"
    for name in "$@"; do
      measure "screen_${name//[^A-Za-z0-9]/_}_$i" "${SIZE:-120x40}" "$FUN saver $name" >> "$WORK/screens_${name//[^A-Za-z0-9]/_}"
    done
  done
  local cc cb cm
  cc=$(column "$WORK/screens_cmatrix" 1); cb=$(column "$WORK/screens_cmatrix" 2)
  cm=$(column "$WORK/screens_cmatrix" 3)
  {
    echo "_$(date -u +%Y-%m-%d), benches/saver.sh, ${DUR}s per run, $RUNS rounds, medians; load $(cut -d' ' -f1-3 /proc/loadavg)_"
    echo
    echo "| screen | CPU % of a core | bytes/s | peak RSS KB | CPU / cmatrix | bytes / cmatrix |"
    echo "|---|---|---|---|---|---|"
    echo "| cmatrix (the anchor) | $cc | $cb | $cm | 1 | 1 |"
    for name in "$@"; do
      local c b m rc rb
      c=$(column "$WORK/screens_${name//[^A-Za-z0-9]/_}" 1); b=$(column "$WORK/screens_${name//[^A-Za-z0-9]/_}" 2)
      m=$(column "$WORK/screens_${name//[^A-Za-z0-9]/_}" 3)
      rc=$(ratio "$c" "$cc"); rb=$(ratio "$b" "$cb")
      if [ "$(echo "$rc > 1 || $rb > 1" | bc -l)" = 1 ]; then rc="**$rc** (over)"; fi
      echo "| \`$name\` | $c | $b | $m | $rc | $rb |"
    done
  } > "$WORK/screens.md"
  cat "$WORK/screens.md"
  echo
  if [ "${UPDATE_DOCS:-0}" = 1 ]; then
    doc_section screens-cost "$WORK/screens.md"
  fi
}

echo "fun saver benchmark: ${DUR}s per run, $RUNS rounds (steady window), $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "TERM inside tmux: $(tmux new-session -d -s probe_$$ -x 120 -y 40 'sleep 2'; tmux show-options -g default-terminal | awk '{print $2}'; tmux kill-session -t probe_$$)"
echo
RAIN=$(command -v rusty-rain || true)
[ -n "$RAIN" ] || echo "(rusty-rain is not installed: cargo install rusty-rain --locked; measuring without it)"
ONLY=${ONLY:-matrix big clock script screens startup}
case " $ONLY " in *" matrix "*) run_group matrix 120x40 "$FUN saver matrix" cmatrix ${RAIN:+"$RAIN"} ;; esac
case " $ONLY " in *" big "*) run_group matrix_big 400x120 "$FUN saver matrix" cmatrix ${RAIN:+"$RAIN"} ;; esac
case " $ONLY " in *" clock "*) run_group clock 120x40 "$FUN saver clock" "tty-clock -s" ;; esac
case " $ONLY " in *" script "*) run_group script_rain 120x40 "$FUN saver rain" cmatrix "$FUN saver matrix" ;; esac
case " $ONLY " in *" screens "*)
  if [ $# -gt 0 ]; then screens=("$@"); else mapfile -t screens < <("$FUN" saver --list | awk '{print $1}'); fi
  echo "every screen against cmatrix at 120x40 (${#screens[@]} screens, $RUNS rounds, medians):"
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
