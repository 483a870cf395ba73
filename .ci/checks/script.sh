#!/usr/bin/env bash
# Scripted screens in a real terminal, in tmux on a private server (`tmux -L`):
#
# 1. watch: `fun saver live --watch` runs a script from a private screens folder; the file is
#    rewritten in place, then replaced by a rename (as editors save), then broken, then fixed:
#    the pane shows each new text within 5 s, the broken edit as one line naming
#    live.rhai:LINE:COLUMN, and the same process (the same window) runs throughout.
# 2. key: a script that spends most of its per-call budget in every update (and one that loops
#    forever) still ends on a key. The figures (key to exit, with the built-in matrix's as the
#    reference: the terminal's restore is part of it) are printed; the check fails past 5 s,
#    a hang detector that a loaded CI machine cannot trip (the budget is 40 ms a call,
#    docs/scripting.md).
#
#   .ci/checks/script.sh            builds the debug binary and runs both
#   FUN=path .ci/checks/script.sh   another binary
# Needs tmux (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v tmux >/dev/null || { echo "script.sh: needs tmux" >&2; exit 1; }
if [ -z "${FUN:-}" ]; then cargo build --quiet; FUN=$PWD/target/debug/fun; fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fun-script-check.XXXXXX")
SOCKET=fun-script-check-$$
S=check
tmux() { command tmux -L "$SOCKET" "$@"; }
trap 'tmux kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
DIR=$WORK/.config/fun/screens
mkdir -p "$DIR"

fail() { echo "script.sh: FAIL: $*" >&2; tmux capture-pane -p -t "$S" >&2 2>/dev/null || true; exit 1; }
# wait_for TEXT: until the pane shows TEXT (5 s at most).
wait_for() {
  for _ in $(seq 100); do
    tmux capture-pane -p -t "$S" | grep -qF -- "$1" && return 0
    sleep 0.05
  done
  fail "the pane never showed \"$1\""
}
shows() { printf 'fn draw(c) {\n  c.text(2, 2, "%s");\n}\n' "$1"; }
start() { # start NAME ARGS...: runs `fun saver` in a new session; prints its pid
  tmux new-session -d -s "$S" -x 80 -y 20 \
    "exec env HOME=$WORK XDG_CONFIG_HOME=$WORK/.config $FUN saver $*"
  tmux display -p -t "$S" '#{pane_pid}'
}
# gone PID: until the process has ended (7 s at most); prints the milliseconds it took.
gone() {
  local t0 t1; t0=$(date +%s%N)
  for _ in $(seq 700); do
    kill -0 "$1" 2>/dev/null || { t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); return 0; }
    sleep 0.01
  done
  fail "pid $1 still running 7 s after the key"
}

# 1. --watch
shows "first version" > "$DIR/live.rhai"
pid=$(start live --watch)
wait_for "first version"
shows "edited in place" > "$DIR/live.rhai"
wait_for "edited in place"
shows "saved by rename" > "$DIR/.live.tmp" && mv "$DIR/.live.tmp" "$DIR/live.rhai"
wait_for "saved by rename"
printf 'fn draw(c) {\n  c.text(2, 2, "x"\n}\n' > "$DIR/live.rhai"
wait_for "live.rhai:3:1:"
shows "recovered" > "$DIR/live.rhai"
wait_for "recovered"
[ "$(tmux display -p -t "$S" '#{pane_pid}')" = "$pid" ] || fail "the window was not kept"
kill -0 "$pid" || fail "the saver ended while watching"
tmux send-keys -t "$S" q
gone "$pid" >/dev/null
echo "script.sh: watch ok (in-place edit, rename, broken edit shown, recovery, one process)"

# 2. keys end busy and stopped scripts
printf 'fn update(dt) { let i = 0; while i < 200000 { i += 1; } }\nfn draw(c) { c.text(0, 0, "busy"); }\n' > "$DIR/busy.rhai"
printf 'fn update(dt) { loop {} }\nfn draw(c) {}\n' > "$DIR/endless.rhai"
for name in matrix busy endless; do
  tmux kill-server 2>/dev/null || true
  pid=$(start "$name")
  case $name in busy) wait_for busy ;; endless) wait_for stopped ;; *) sleep 1 ;; esac
  sleep 0.5
  tmux send-keys -t "$S" q
  ms=$(gone "$pid")
  [ "$ms" -le 5000 ] || fail "$name: the key took $ms ms"
  echo "script.sh: $name: a key ended it in $ms ms"
done
echo "script.sh: all ok"
