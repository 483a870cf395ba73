#!/usr/bin/env bash
# Real-terminal checks of `fun saver`, in tmux on a private server (`tmux -L`), so nothing here
# can touch anyone else's sessions.
#
# 1. restore: `fun saver matrix` takes over the terminal (alternate screen on, cursor hidden)
#    and is ended by a key, Ctrl+C, SIGTERM, SIGHUP, SIGQUIT and a deliberate panic (a
#    test-hooks build); each time the alternate screen is left, the cursor is visible, echo
#    works, the exit status is right and the restore sequence is the last thing written.
# 2. latency: the clock acts on SIGTERM at once although it sleeps until the next second.
# 3. resize: below the minimum size and back.
# 4. no terminal: exit 1 and a message.
# 5. hangup: EVERY screen that `fun saver --list` names is run in a pane and ended by
#    `tmux kill-server`, `tmux kill-pane` and `kill -HUP`; the process must be gone within
#    1 s and use at most 50 ms of CPU after the hang-up (utime+stime from /proc/PID/stat, read
#    just before the hang-up and for the last time just before the process is seen gone).
# 6. stalled output: the saver writes to a pseudo-terminal nobody reads, so its writes stop
#    being taken; SIGTERM must still end it within 1 s.
# 7. keys: in a rotation `?` shows the help line naming the screen, `n` and the right arrow
#    move to the next screen, space pauses (the pane stops changing) and `p` resumes; another
#    key ends it and the terminal is restored.
#
#   .ci/checks/saver.sh                      builds with --features test-hooks and runs all
#   FUN=path ONLY='hangup stalled' .ci/checks/saver.sh   another binary, some parts only
# Needs tmux and python3 (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in tmux python3; do
  command -v "$tool" >/dev/null || { echo "saver.sh: needs $tool" >&2; exit 1; }
done
ONLY=${ONLY:-restore latency resize notty keys hangup stalled}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fun-saver-check.XXXXXX")
SOCKET=fun-saver-check-$$
S=check
LEFTOVERS=()
# Every part and every hang-up case has a server of its own (new_server): a new server on the
# socket of one that is still shutting down after kill-server could fail to start.
SERVERS=0
new_server() { SERVERS=$((SERVERS + 1)); }
tmux() { command tmux -L "$SOCKET-$SERVERS" "$@"; }
cleanup() {
  local n pid
  for n in $(seq 0 "$SERVERS"); do command tmux -L "$SOCKET-$n" kill-server 2>/dev/null || true; done
  for pid in "${LEFTOVERS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ -z "${FUN:-}" ]; then
  # The test hooks are built into a copy; the normal binary is built again afterwards, so
  # target/debug/fun never keeps them.
  cargo build --quiet --features test-hooks
  cp target/debug/fun "$WORK/fun"
  cargo build --quiet
  FUN=$WORK/fun
fi

fail() { echo "saver.sh: FAIL: $*" >&2; tmux capture-pane -p -t "$S" >&2 2>/dev/null || true; exit 1; }
part() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
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
  for _ in $(seq 200); do [ "$(modes)" = "$1" ] && return 0; sleep 0.05; done
  fail "terminal modes are '$(modes)', expected '$1' (alternate_on cursor_flag)"
}
shell_session() {
  new_server
  tmux new-session -d -s "$S" -x 100 -y 30 "env -u RUST_BACKTRACE PS1='$ ' TERM=xterm-256color bash --norc --noprofile"
  tmux pipe-pane -o -t "$S" "cat >> $WORK/tty.log"
}

# run_case NAME HOW EXPECTED_STATUS
run_case() {
  local name=$1 how=$2 want=$3
  # The shell's `clear` sends ED 3 itself: let it finish before the log starts.
  tmux send-keys -t "$S" "clear" Enter
  sleep 0.3
  tmux clear-history -t "$S"
  : > "$WORK/tty.log"
  local hook=""
  [ "$how" = panic ] && hook="--test-panic-after 10"
  tmux send-keys -t "$S" "sh -c 'echo PID=\$\$ > $WORK/pid; exec $FUN saver $hook matrix'; echo STATUS=\$?" Enter
  if [ "$how" = panic ]; then
    wait_for "^STATUS=" # panics by itself after 10 frames (0.4 s)
  else
    wait_modes "1 0"
    sleep 0.7 # let it draw some frames
  fi
  [ -s "$WORK/tty.log" ] || fail "$name: nothing was drawn"
  local pid; pid=$(sed -n 's/^PID=//p' "$WORK/pid")
  case $how in
    key) tmux send-keys -t "$S" x ;;
    ctrl-c) tmux send-keys -t "$S" C-c ;;
    panic) ;;
    *) kill -s "$how" "$pid" ;;
  esac
  wait_for "^STATUS="
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

if part restore; then
  shell_session
  run_case key key 0
  run_case ctrl-c ctrl-c 130
  run_case sigterm TERM 143
  run_case sighup HUP 129
  run_case sigquit QUIT 131
  run_case panic panic 101
  tmux capture-pane -p -t "$S" -S -50 | grep -q "deliberate panic" || fail "panic: no panic report"
  tmux kill-server
fi

if part latency; then
  # A signal is acted on at once even while the clock sleeps until the next second.
  shell_session
  tmux send-keys -t "$S" "clear; sh -c 'echo PID=\$\$ > $WORK/pid; exec $FUN saver clock'; echo STATUS=\$?" Enter
  wait_modes "1 0"
  sleep 0.3
  pid=$(sed -n 's/^PID=//p' "$WORK/pid")
  start=$(date +%s%N)
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.005; done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$ms" -lt 1000 ] || fail "clock took $ms ms to exit after SIGTERM"
  wait_modes "0 1"
  echo "saver.sh: ok: clock exits ${ms} ms after SIGTERM"
  tmux kill-server
fi

if part resize; then
  # Resize while running: the pane shrinks, the saver re-lays out and keeps going.
  shell_session
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
  tmux kill-server
fi

if part notty; then
  if "$FUN" saver matrix > "$WORK/out" 2> "$WORK/err"; then fail "no tty: exited 0"; fi
  grep -q "not a terminal" "$WORK/err" || fail "no tty: no message"
  echo "saver.sh: ok: no terminal"
fi

if part keys; then
  shell_session
  tmux send-keys -t "$S" "clear; $FUN saver matrix + clock --every 1h --transition none; echo STATUS=\$?" Enter
  wait_modes "1 0"
  : > "$WORK/tty.log"
  tmux send-keys -t "$S" '?'
  wait_for "matrix · n/→ next · p/space pause"
  tmux send-keys -t "$S" n
  tmux send-keys -t "$S" '?'
  wait_for "clock · n/→ next"
  tmux send-keys -t "$S" Right # hides the help and moves on
  tmux send-keys -t "$S" '?'
  wait_for "matrix · n/→ next"
  # Paused, matrix's rain stands still; resumed, it falls again.
  tmux send-keys -t "$S" Space
  sleep 0.5
  before=$(tmux capture-pane -p -t "$S")
  sleep 1
  [ "$before" = "$(tmux capture-pane -p -t "$S")" ] || fail "keys: the frames moved while paused"
  tmux send-keys -t "$S" '?'
  wait_for "matrix (paused) ·"
  tmux send-keys -t "$S" p
  sleep 1
  [ "$before" != "$(tmux capture-pane -p -t "$S")" ] || fail "keys: the frames stood still after p"
  tmux send-keys -t "$S" x
  wait_for "^STATUS=0"
  wait_modes "0 1"
  tail -c 200 "$WORK/tty.log" | grep -q $'\e\\[0m\e\\[?7h\e\\[?25h\e\\[?1049l' \
    || fail "keys: the restore sequence is missing from the tty output"
  tmux send-keys -t "$S" "echo echo-is-back" Enter
  wait_for "^echo-is-back"
  echo "saver.sh: ok: keys (?, n, right arrow, space, p, another key)"
  tmux kill-server
fi

# --- Hang-ups ------------------------------------------------------------------------------
TICK_MS=$(( 1000 / $(getconf CLK_TCK) ))
# proc_stat PID -> "STATE CPU_TICKS" (utime+stime; fields counted after the ")" that ends the
# command name), or nothing once the process is gone.
proc_stat() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $1, $12 + $13}'; }
# A process that has exited but not been reaped yet (its parent, the tmux server, may be gone
# too) is a zombie: it runs no more, so it counts as gone.
is_gone() { local st; st=$(proc_stat "$1"); [ -z "$st" ] || [ "${st%% *}" = Z ] || [ "${st%% *}" = X ]; }

# hangup_case SCREEN HOW [SETTLE] -> one line of results; returns 1 when the case failed.
# SETTLE: seconds to wait after the take-over before the hang-up (0.3).
hangup_case() {
  local screen=$1 how=$2 settle=${3:-0.3} pid="" t0 ms before last st verdict=ok
  new_server
  tmux new-session -d -s h -x 120 -y 40 "exec $FUN saver $screen"
  pid=$(tmux display -p -t h '#{pane_pid}')
  # Until it has taken over the terminal (a debug build on busy cores: be patient), then a
  # few frames.
  for _ in $(seq 200); do
    [ "$(tmux display -p -t h '#{alternate_on}' 2>/dev/null)" = 1 ] && break
    sleep 0.05
  done
  [ "$(tmux display -p -t h '#{alternate_on}' 2>/dev/null)" = 1 ] \
    || { echo "$screen $how: never took over the terminal"; LEFTOVERS+=("$pid"); tmux kill-server; return 1; }
  sleep "$settle"
  st=$(proc_stat "$pid"); before=${st#* }
  t0=$(date +%s%N)
  case $how in
    kill-server) tmux kill-server ;;
    kill-pane) tmux kill-pane -t h ;;
    HUP) kill -HUP "$pid" ;;
  esac
  last=$before
  while ! is_gone "$pid"; do
    st=$(proc_stat "$pid"); [ -n "$st" ] && last=${st#* }
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ "$ms" -gt 3000 ] && break
    sleep 0.01
  done
  # A zombie still shows its final CPU time.
  st=$(proc_stat "$pid"); [ -n "$st" ] && last=${st#* }
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  local cpu=$(( (last - before) * TICK_MS ))
  if ! is_gone "$pid"; then
    verdict="FAIL (still running)"; LEFTOVERS+=("$pid"); kill -KILL "$pid" 2>/dev/null || true
  elif [ "$ms" -gt 1000 ]; then verdict="FAIL (slow)"
  elif [ "$cpu" -gt 50 ]; then verdict="FAIL (cpu)"
  fi
  printf '%-12s %-12s gone after %5d ms, %4d ms CPU after the hang-up: %s\n' \
    "$screen" "$how" "$ms" "$cpu" "$verdict"
  tmux kill-server 2>/dev/null || true
  [ "$verdict" = ok ]
}

if part hangup; then
  screens=$("$FUN" saver --list 2>/dev/null | awk '{print $1}')
  [ -n "$screens" ] || fail "hangup: fun saver --list named no screens"
  failed=0
  for screen in $screens; do
    for how in kill-server kill-pane HUP; do
      hangup_case "$screen" "$how" || failed=$((failed + 1))
    done
  done
  # A rotation, ended while it shows its first screen and in the middle of a dissolve (the
  # first change comes after 5 s and takes a second).
  for how in kill-server kill-pane HUP; do
    hangup_case "matrix + clock + rocket --every 5s" "$how" 0.3 || failed=$((failed + 1))
    hangup_case "matrix + clock + rocket --every 5s" "$how" 5.4 || failed=$((failed + 1))
  done
  [ "$failed" -eq 0 ] || fail "hangup: $failed case(s) failed"
  echo "saver.sh: ok: hangup ($(echo "$screens" | wc -w) screens and a rotation x 3 endings)"
fi

# --- Stalled output ------------------------------------------------------------------------
if part stalled; then
  cat > "$WORK/stalled.py" <<'EOF'
# Runs `fun saver matrix` on a pseudo-terminal and stops reading its output, so its writes are
# no longer taken; then SIGTERM must end it within 1 s. Prints one line; exit 1 on failure.
import fcntl, os, pty, signal, struct, subprocess, sys, termios, time

fun = sys.argv[1]
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
env = dict(os.environ, TERM="xterm-256color")
proc = subprocess.Popen([fun, "saver", "matrix", "--fps", "240", "-d", "4"],
                        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
os.close(slave)
# Read until it has entered the alternate screen, then read no more.
seen, deadline = b"", time.monotonic() + 20
while b"\x1b[?1049h" not in seen and time.monotonic() < deadline:
    seen += os.read(master, 65536)
# Until its output backs up: the process then waits for room (the bytes queued for the master
# stop growing).
def queued():
    return struct.unpack("i", fcntl.ioctl(master, termios.FIONREAD, b"\0\0\0\0"))[0]
before, stalled_since = -1, None
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    now = queued()
    if now == before:
        stalled_since = stalled_since or time.monotonic()
        if time.monotonic() - stalled_since > 0.5:
            break
    else:
        before, stalled_since = now, None
    time.sleep(0.05)
else:
    print("stalled: the output never backed up"); proc.kill(); sys.exit(1)
start = time.monotonic()
proc.send_signal(signal.SIGTERM)
try:
    status = proc.wait(timeout=3)
except subprocess.TimeoutExpired:
    proc.kill(); proc.wait()
    print("stalled: still running 3 s after SIGTERM"); sys.exit(1)
ms = (time.monotonic() - start) * 1000
print(f"stalled: exit {status} {ms:.0f} ms after SIGTERM ({before} bytes waiting)")
sys.exit(0 if ms < 1000 and status == 143 else 1)
EOF
  python3 "$WORK/stalled.py" "$FUN" || fail "stalled output"
  echo "saver.sh: ok: stalled output"
fi
echo "saver.sh: all ok"
