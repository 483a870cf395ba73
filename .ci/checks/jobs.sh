#!/usr/bin/env bash
# Job control of `fun saver` in a real shell (bash, in tmux on a private server): Ctrl+Z and
# `kill -TSTP` give the terminal back (main screen, cursor shown, the shell's line mode) and
# stop the saver; `fg` takes the terminal again and redraws everything, and a single key (not
# Enter) ends it with the terminal sane; `bg` does not let it draw over the prompt; a
# termination signal sent while it is stopped ends it within a second of `fg`, and `bg` then
# `kill %1` ends it at once; `kill -STOP` then `fg` still gives it raw mode back, and `kill
# -STOP` then `bg` stops it again; where nobody could continue it (the session
# leader's process group) SIGTSTP is ignored; and inside another process's group (tmux's
# lock-command) Ctrl+Z is an ordinary key.
#
#   .ci/checks/jobs.sh            builds and checks target/debug/fun
#   FUN=path .ci/checks/jobs.sh   another binary
# Needs tmux (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v tmux >/dev/null || { echo "jobs.sh: needs tmux" >&2; exit 1; }
if [ -z "${FUN:-}" ]; then
  cargo build --quiet
  FUN=$PWD/target/debug/fun
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fun-jobs-check.XXXXXX")
SOCKET=fun-jobs-check-$$
S=jobs
# Each session has a server of its own: a new server on the socket of one that is still
# shutting down after kill-server could fail to start.
SERVERS=0
tmux() { command tmux -L "$SOCKET-$SERVERS" "$@"; }
cleanup() {
  local n
  for n in $(seq 0 "$SERVERS"); do command tmux -L "$SOCKET-$n" kill-server 2>/dev/null || true; done
  [ -s "$WORK/pid" ] && kill -KILL "$(sed -n 's/^PID=//p' "$WORK/pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "jobs.sh: FAIL: $*" >&2; tmux capture-pane -p -t "$S" >&2 2>/dev/null || true; exit 1; }
modes() { tmux display -p -t "$S" '#{alternate_on} #{cursor_flag}'; }
pane() { tmux capture-pane -p -t "$S"; }
wait_for() {
  for _ in $(seq 200); do pane | grep -q -- "$1" && return 0; sleep 0.05; done
  fail "${2:-}: pane never showed '$1'"
}
wait_modes() {
  for _ in $(seq 200); do [ "$(modes)" = "$1" ] && return 0; sleep 0.05; done
  fail "${2:-}: terminal modes are '$(modes)', expected '$1' (alternate_on cursor_flag)"
}
# proc_state PID: R, S, T (stopped)...
proc_state() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $1}'; }
# An exited process not yet reaped by its parent (a zombie) runs no more: it counts as gone.
is_gone() { local st; st=$(proc_state "$1"); [ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ]; }
wait_state() {
  for _ in $(seq 200); do [ "$(proc_state "$1")" = "$2" ] && return 0; sleep 0.05; done
  fail "${3:-}: process $1 is in state '$(proc_state "$1")', expected '$2'"
}
# The line-mode flags the shell's terminal has now, as stty prints them ("isig icanon echo").
stty_flags() {
  local mark=$1
  tmux send-keys -t "$S" "clear; stty -a | tr ' ' '\n' | grep -xE -- '-?(echo|icanon|isig)' | tr '\n' ' ' | sed 's/^/$mark=/'; echo" Enter
  wait_for "^$mark=" "$mark"
  pane | sed -n "s/^$mark=//p" | tail -1
}
shell_session() {
  tmux kill-server 2>/dev/null || true
  SERVERS=$((SERVERS + 1))
  tmux new-session -d -s "$S" -x 100 -y 30 "env PS1='$ ' TERM=xterm-256color bash --norc --noprofile"
  wait_for '^\$' "shell"
}
# start: the clock in the foreground; PID is its process id.
start() {
  : > "$WORK/pid"
  tmux send-keys -t "$S" "clear; sh -c 'echo PID=\$\$ > $WORK/pid; exec $FUN saver clock -f d%%rawn'; echo STATUS=\$?" Enter
  wait_modes "1 0" "$1: start"
  wait_for "d%rawn" "$1: start"
  PID=$(sed -n 's/^PID=//p' "$WORK/pid")
}
# stopped NAME: the saver is stopped and the shell has the terminal back, sane.
stopped() {
  wait_state "$PID" T "$1"
  wait_modes "0 1" "$1: stopped"
  wait_for "Stopped" "$1: stopped"
  pane | grep -q "d%rawn" && fail "$1: the saver's screen is still visible while stopped"
  local flags; flags=$(stty_flags "$1-stopped")
  [ "$flags" = "isig icanon echo" ] || fail "$1: the shell's terminal while stopped: '$flags'"
}
# resumed NAME: after `fg`, the saver has the terminal again and has redrawn it.
resumed() {
  tmux send-keys -t "$S" "clear; fg; echo STATUS=\$?" Enter
  wait_modes "1 0" "$1: fg"
  wait_for "d%rawn" "$1: fg (nothing redrawn)"
  wait_state "$PID" S "$1: fg"
}
# ends_on_key NAME: one key (no Enter) ends it, status 0, the terminal sane.
ends_on_key() {
  tmux send-keys -t "$S" x
  wait_for "^STATUS=" "$1: a key did not end it"
  local got; got=$(pane | sed -n 's/^STATUS=//p' | tail -1)
  [ "$got" = 0 ] || fail "$1: exit status $got after a key"
  wait_modes "0 1" "$1: after the key"
  local flags; flags=$(stty_flags "$1-after")
  [ "$flags" = "isig icanon echo" ] || fail "$1: the terminal after the end: '$flags'"
}

shell_session

# 1. Ctrl+Z, fg, a key.
start ctrl-z
tmux send-keys -t "$S" C-z
stopped ctrl-z
resumed ctrl-z
# Twice: the second stop works like the first.
tmux send-keys -t "$S" C-z
stopped ctrl-z-again
resumed ctrl-z-again
ends_on_key ctrl-z
echo "jobs.sh: ok: Ctrl+Z, fg (twice), a key"

# 2. kill -TSTP from elsewhere.
start tstp
kill -TSTP "$PID"
stopped tstp
resumed tstp
ends_on_key tstp
echo "jobs.sh: ok: kill -TSTP, fg, a key"

# 3. bg: the saver may not draw over the prompt; it stops again at once (SIGTTOU) until fg.
start bg
tmux send-keys -t "$S" C-z
stopped bg
tmux send-keys -t "$S" "clear; bg; echo BG-DONE" Enter
wait_for "^BG-DONE" "bg"
sleep 0.5
wait_state "$PID" T "bg (stopped again)"
[ "$(modes)" = "0 1" ] || fail "bg: the saver took the terminal from the background"
pane | grep -q "d%rawn" && fail "bg: the saver drew over the shell"
resumed bg
ends_on_key bg
echo "jobs.sh: ok: bg stops it again, fg, a key"

# 3b. bg, then `kill %1` (bash sends SIGTERM, then SIGCONT to the stopped job): it ends at once,
# without taking the terminal from the shell.
start bg-kill
tmux send-keys -t "$S" C-z
stopped bg-kill
tmux send-keys -t "$S" "clear; bg; sleep 0.5; kill %1; echo KILLED" Enter
wait_for "^KILLED" "bg-kill"
t0=$(date +%s%N)
while ! is_gone "$PID"; do
  [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 3000 ] || fail "bg-kill: still running 3 s after kill %1"
  sleep 0.01
done
[ "$(modes)" = "0 1" ] || fail "bg-kill: the terminal was taken from the shell"
echo "jobs.sh: ok: bg, then kill %1 ends it at once"

# 4. A termination signal while stopped ends it within a second of being continued.
for sig in TERM INT HUP; do
  start "stopped-$sig"
  tmux send-keys -t "$S" C-z
  stopped "stopped-$sig"
  kill -s "$sig" "$PID"
  sleep 0.2
  [ "$(proc_state "$PID")" = T ] || fail "stopped-$sig: a stopped process ran"
  t0=$(date +%s%N)
  tmux send-keys -t "$S" "clear; fg; echo STATUS=\$?" Enter
  while ! is_gone "$PID"; do
    [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 3000 ] || fail "stopped-$sig: still running 3 s after fg"
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$ms" -lt 1000 ] || fail "stopped-$sig: took $ms ms to end after fg"
  wait_modes "0 1" "stopped-$sig: after the end"
  flags=$(stty_flags "stopped-$sig-after")
  [ "$flags" = "isig icanon echo" ] || fail "stopped-$sig: the terminal after the end: '$flags'"
  echo "jobs.sh: ok: SIG$sig while stopped ends it ${ms} ms after fg"
done

# 5. Stopped by SIGSTOP (no chance to give the terminal back): the shell takes its own modes;
# after fg the saver takes raw mode again, so one key still ends it.
start sigstop
kill -STOP "$PID"
wait_state "$PID" T sigstop
wait_for "Stopped" sigstop
resumed sigstop
ends_on_key sigstop
echo "jobs.sh: ok: kill -STOP, fg, a key"

# 5b. kill -STOP, then bg: the saver stops again at once instead of running (and drawing) in
# the background; fg brings it back.
start sigstop-bg
kill -STOP "$PID"
wait_state "$PID" T sigstop-bg
wait_for "Stopped" sigstop-bg
tmux send-keys -t "$S" "clear; bg; echo BG-DONE" Enter
wait_for "^BG-DONE" "sigstop-bg"
sleep 0.5
wait_state "$PID" T "sigstop-bg (stopped again)"
resumed sigstop-bg
ends_on_key sigstop-bg
echo "jobs.sh: ok: kill -STOP, bg (stops again), fg, a key"

# 5c. kill -STOP, bg, then kill %1: it ends at once, without touching the shell's terminal
# from the background (the kernel would stop it there).
start sigstop-bg-kill
kill -STOP "$PID"
wait_state "$PID" T sigstop-bg-kill
wait_for "Stopped" sigstop-bg-kill
tmux send-keys -t "$S" "clear; bg; sleep 0.5; kill %1; echo KILLED" Enter
wait_for "^KILLED" "sigstop-bg-kill"
t0=$(date +%s%N)
while ! is_gone "$PID"; do
  [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 3000 ] || fail "sigstop-bg-kill: still there 3 s after kill %1 ($(proc_state "$PID"))"
  sleep 0.01
done
tmux send-keys -t "$S" "reset" Enter
echo "jobs.sh: ok: kill -STOP, bg, kill %1 ends it at once"

# 6. Nobody could continue it (the session leader's process group, no job-control shell):
# SIGTSTP is ignored, as the kernel ignores the terminal's stop signals for such a group.
tmux kill-server 2>/dev/null || true
SERVERS=$((SERVERS + 1))
tmux new-session -d -s "$S" -x 100 -y 30 "exec env TERM=xterm-256color $FUN saver clock -f d%%rawn"
wait_modes "1 0" leader
PID=$(tmux display -p -t "$S" '#{pane_pid}')
kill -TSTP "$PID"
sleep 0.5
[ "$(proc_state "$PID")" != T ] || { kill -KILL "$PID"; fail "leader: stopped with nobody to continue it"; }
[ "$(modes)" = "1 0" ] || fail "leader: gave the terminal away"
kill -TERM "$PID"
for _ in $(seq 100); do is_gone "$PID" && break; sleep 0.01; done
is_gone "$PID" || fail "leader: SIGTERM did not end it within a second"
echo "jobs.sh: ok: SIGTSTP ignored where nobody could continue it"

# 7. Inside another process's group (as tmux's lock-command runs it: a child of the job's
# leader), a stop would be seen by no shell: Ctrl+Z is an ordinary key and ends it.
shell_session
tmux send-keys -t "$S" "clear; sh -c '$FUN saver clock -f d%%rawn; echo INNER=\$?'; echo STATUS=\$?" Enter
wait_modes "1 0" "not-leader: start"
wait_for "d%rawn" "not-leader: start"
tmux send-keys -t "$S" C-z
wait_for "^STATUS=" "not-leader: Ctrl+Z did not end it"
pane | grep -q "^INNER=0" || fail "not-leader: the saver did not end on Ctrl+Z with exit 0"
pane | grep -q "Stopped" && fail "not-leader: something was stopped"
wait_modes "0 1" "not-leader: after Ctrl+Z"
echo "jobs.sh: ok: Ctrl+Z is a key where a stop would be seen by no shell"
echo "jobs.sh: all ok"
