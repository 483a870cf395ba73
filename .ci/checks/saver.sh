#!/usr/bin/env bash
# Real-terminal check of `fun saver`: in a tmux pane, start `fun saver matrix`, check that it
# took over the terminal (alternate screen on, cursor hidden), end it with a key, with Ctrl+C,
# with SIGTERM, SIGHUP and SIGQUIT, and check each time that the alternate screen was left, the
# cursor is visible again, echo works (the shell's next command is echoed) and the exit status
# is right. The bytes the program wrote are logged with `tmux pipe-pane` and must end with the
# restore sequence. Needs tmux (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v tmux >/dev/null || { echo "saver.sh: needs tmux" >&2; exit 1; }
cargo build --quiet
FUN=$PWD/target/debug/fun
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fun-saver-check.XXXXXX")
S=fun_saver_check_$$
cleanup() { tmux kill-session -t "$S" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

fail() { echo "saver.sh: FAIL: $*" >&2; tmux capture-pane -p -t "$S" >&2 || true; exit 1; }
modes() { tmux display -p -t "$S" '#{alternate_on} #{cursor_flag}'; }
# wait_for TEXT: until the pane shows TEXT (5 s at most).
wait_for() {
  for _ in $(seq 100); do
    tmux capture-pane -p -t "$S" | grep -q -- "$1" && return 0
    sleep 0.05
  done
  fail "pane never showed '$1'"
}
wait_modes() {
  for _ in $(seq 100); do [ "$(modes)" = "$1" ] && return 0; sleep 0.05; done
  fail "terminal modes are '$(modes)', expected '$1' (alternate_on cursor_flag)"
}

tmux new-session -d -s "$S" -x 100 -y 30 "env PS1='$ ' TERM=xterm-256color bash --norc --noprofile"
tmux pipe-pane -o -t "$S" "cat >> $WORK/tty.log"

# run_case NAME HOW EXPECTED_STATUS
run_case() {
  local name=$1 how=$2 want=$3
  # The shell's `clear` sends ED 3 itself: let it finish before the log starts.
  tmux send-keys -t "$S" "clear" Enter
  sleep 0.3
  tmux clear-history -t "$S"
  : > "$WORK/tty.log"
  local env=""
  [ "$how" = panic ] && env="FUN_SAVER_TEST_PANIC=1"
  tmux send-keys -t "$S" "sh -c 'echo PID=\$\$ > $WORK/pid; exec env $env $FUN saver matrix'; echo STATUS=\$?" Enter
  if [ "$how" = panic ]; then
    sleep 1 # the panic comes after 10 frames (0.4 s); modes are checked below
  else
    wait_modes "1 0"
    sleep 0.7 # let it draw some frames
  fi
  [ -s "$WORK/tty.log" ] || fail "$name: nothing was drawn"
  local pid; pid=$(sed -n 's/^PID=//p' "$WORK/pid")
  case $how in
    key) tmux send-keys -t "$S" x ;;
    ctrl-c) tmux send-keys -t "$S" C-c ;;
    panic) ;; # panics by itself after 10 frames
    *) kill -s "$how" "$pid" ;;
  esac
  wait_for "STATUS="
  wait_modes "0 1"
  local got; got=$(tmux capture-pane -p -t "$S" | sed -n 's/^STATUS=//p' | tail -1)
  [ "$got" = "$want" ] || fail "$name: exit status $got, expected $want"
  # The last bytes written restore colours, wrap, cursor and the main screen, in that order
  # (after a panic: before the panic report).
  local restore=$'\e\\[0m\e\\[?7h\e\\[?25h\e\\[?1049l'
  if [ "$how" = panic ]; then
    local restored_at panicked_at
    restored_at=$(grep -boa "$restore" "$WORK/tty.log" | tail -1 | cut -d: -f1)
    panicked_at=$(grep -boa "panicked" "$WORK/tty.log" | head -1 | cut -d: -f1)
    [ -n "$restored_at" ] && [ -n "$panicked_at" ] && [ "$restored_at" -lt "$panicked_at" ] \
      || fail "$name: terminal not restored before the panic report"
  else
    tail -c 200 "$WORK/tty.log" | grep -q "$restore" \
      || fail "$name: the restore sequence is missing from the tty output"
  fi
  grep -q $'\e\\[3J' "$WORK/tty.log" && fail "$name: the scrollback was erased"
  # Echo and line mode are back: a typed command shows up and runs.
  tmux send-keys -t "$S" "echo echo-is-$name" Enter
  wait_for "^echo-is-$name"
  ! kill -0 "$pid" 2>/dev/null || fail "$name: process $pid still running"
  echo "saver.sh: ok: $name (exit $got)"
}

run_case key key 0
run_case ctrl-c ctrl-c 0
run_case sigterm TERM 143
run_case sighup HUP 129
run_case sigquit QUIT 131
run_case panic panic 101
tmux capture-pane -p -t "$S" -S -50 | grep -q "deliberate panic" || fail "panic: no panic report"

# A signal is acted on at once even while the clock sleeps until the next second.
tmux send-keys -t "$S" "clear; sh -c 'echo PID=\$\$ > $WORK/pid; exec $FUN saver clock'; echo STATUS=\$?" Enter
wait_modes "1 0"
sleep 0.3
pid=$(sed -n 's/^PID=//p' "$WORK/pid")
start=$(date +%s%N)
kill -TERM "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.005; done
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 400 ] || fail "clock took $ms ms to exit after SIGTERM"
wait_modes "0 1"
echo "saver.sh: ok: clock exits ${ms} ms after SIGTERM"

# Resize while running: the pane shrinks, the saver re-lays out and keeps going.
tmux send-keys -t "$S" "clear; $FUN saver clock; echo STATUS=\$?" Enter
wait_modes "1 0"
tmux resize-window -t "$S" -x 30 -y 8
sleep 0.5
tmux capture-pane -p -t "$S" | grep -q "too small" || fail "resize: no too-small view at 30x8"
tmux resize-window -t "$S" -x 100 -y 30
sleep 1.2
tmux capture-pane -p -t "$S" | grep -q "too small" && fail "resize: too-small view stayed"
tmux send-keys -t "$S" q
wait_for "STATUS=0"
wait_modes "0 1"
echo "saver.sh: ok: resize"

# Without a terminal: exit 1 and a message.
if "$FUN" saver matrix > "$WORK/out" 2> "$WORK/err"; then fail "no tty: exited 0"; fi
grep -q "not a terminal" "$WORK/err" || fail "no tty: no message"
echo "saver.sh: ok: no terminal"
echo "saver.sh: all ok"
