#!/usr/bin/env bash
# `fun saver --lock` in a real terminal with real PAM, as root like CI (it creates a test user
# and PAM services, and removes them at the end). The lock runs as the test user, from an
# interactive bash in tmux (so it leads a process group of its own: a Ctrl+Z that got through
# would stop it), and:
#
# 1. no escape: Ctrl+C, Ctrl+Z, Ctrl+\, Ctrl+S, Ctrl+Q, Ctrl+D, Esc, arrow and function keys,
#    Alt+x, a 200 KiB paste and resizes (down to 20x8): after each the process runs (not
#    stopped), the pane still shows the lock on the alternate screen, and not the shell;
# 2. secrets: while locked PR_SET_DUMPABLE is 0 (its /proc files are root's, the user cannot
#    read its environ), and the password is in neither /proc/PID/cmdline nor environ;
# 3. wrong passwords are refused, with the growing delay (1 s, then 2 s), keys typed during
#    the delay are dropped (the right password typed then does not unlock), and each failure
#    is logged to the auth facility with the user and the terminal, never the typed text (a
#    datagram socket on /dev/log stands in for syslogd when there is none);
# 4. the right password ends it: the shell's prompt is back with nothing typed on its line,
#    the scrollback from before is there, "2 failed attempts since HH:MM" is said, and the
#    password is nowhere in the pane's history;
# 5. pam_deny and pam_permit services: refused and accepted whatever is typed (the latter
#    with NO_COLOR and TERM=linux at 20x8: the prompt fits and no colour is drawn);
# 6. SIGTERM from another process, and a hang-up (`tmux kill-server`), end it within 1 s,
#    with at most 50 ms of CPU after the hang-up;
# 7. without libpam (bind-mounted away in a mount namespace): one line, "locking needs PAM
#    (libpam.so.0)...", a non-zero exit, and the screen is never taken.
#
# 8. the snippet of `fun saver install tmux --lock --apply`: tmux starts the lock after a
#    second without a key, and the password ends it.
#
#   .ci/checks/lock.sh            builds the debug binary and runs everything (needs root)
# Needs tmux, python3, useradd, chpasswd, runuser, unshare (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(id -u)" -ne 0 ]; then
  echo "lock.sh: needs root (it creates a test user and PAM services); skipped" >&2
  exit 0
fi
for tool in tmux python3 useradd chpasswd userdel runuser unshare; do
  command -v "$tool" >/dev/null || { echo "lock.sh: needs $tool" >&2; exit 1; }
done

U=funlocktest
PASS='Corr3ct-Horse-lock'
WRONG='wr0ng-guess-xyz'
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fun-lock-check.XXXXXX")
chmod 755 "$WORK"
SOCK=fun-lock-check-$$
LOG=$WORK/auth.log
LOGGER_PID=
OWN_DEVLOG=
S=lock

cleanup() {
  set +e
  runuser -u "$U" -- tmux -L "$SOCK" kill-server 2>/dev/null
  runuser -u "$U" -- tmux -L "$SOCK-2" kill-server 2>/dev/null
  runuser -u "$U" -- tmux -L "$SOCK-3" kill-server 2>/dev/null
  [ -n "$LOGGER_PID" ] && kill "$LOGGER_PID" 2>/dev/null
  [ -n "$OWN_DEVLOG" ] && rm -f /dev/log
  rm -f /etc/pam.d/fun-test /etc/pam.d/fun-test-deny /etc/pam.d/fun-test-permit
  pkill -KILL -u "$U" 2>/dev/null
  userdel -r "$U" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

cargo test --quiet --locked -p fun-pam >/dev/null
cargo build --quiet --locked
cp target/debug/fun "$WORK/fun"
chmod 755 "$WORK/fun"
FUN=$WORK/fun

# The test user, with a known password, and the PAM services made for the test.
id "$U" >/dev/null 2>&1 || useradd -m -s /bin/bash "$U"
echo "$U:$PASS" | chpasswd
printf 'auth required pam_unix.so\naccount required pam_unix.so\n' >/etc/pam.d/fun-test
printf 'auth required pam_deny.so\naccount required pam_permit.so\n' >/etc/pam.d/fun-test-deny
printf 'auth required pam_permit.so\naccount required pam_permit.so\n' >/etc/pam.d/fun-test-permit

# The auth log: our own datagram socket on /dev/log when no syslog daemon has one.
if [ ! -e /dev/log ]; then
  python3 - "$LOG" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
import os; os.chmod("/dev/log", 0o666)
with open(sys.argv[1], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536) + b"\n")
EOF
  LOGGER_PID=$!
  OWN_DEVLOG=1
  for _ in $(seq 50); do [ -S /dev/log ] && break; sleep 0.1; done
fi

fail() {
  echo "lock.sh: FAIL: $*" >&2
  T capture-pane -p -t "$S" >&2 2>/dev/null || true
  exit 1
}
T() { runuser -u "$U" -- env HOME="/home/$U" TERM=xterm-256color tmux -L "$SOCK" "$@"; }
pane() { T capture-pane -p -t "$S"; }
# wait_for TEXT [TENTHS]: until the pane shows TEXT (10 s by default).
wait_for() {
  for _ in $(seq "${2:-100}"); do
    pane | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  fail "the pane never showed: $1"
}
lock_pid() { pgrep -u "$U" -f "^$FUN saver --lock" | head -n 1; }
# still_locked WHAT: the lock runs (not stopped) and is what the pane shows.
still_locked() {
  local pid=$1 what=$2 state
  state=$(ps -o stat= -p "$pid" 2>/dev/null) || fail "$what ended the lock"
  case $state in T*) fail "$what stopped the lock ($state)" ;; esac
  [ "$(T display -p -t "$S" '#{alternate_on}')" = 1 ] || fail "$what: the shell's screen shows"
  [ "$(T display -p -t "$S" '#{pane_current_command}')" = fun ] || fail "$what: the shell has the pane"
  if pane | grep -qF 'lockcheck$'; then fail "$what: the shell's prompt shows"; fi
}

# --- the lock, from an interactive shell ----------------------------------------------------
T new -d -s "$S" -x 80 -y 24 "bash --norc --noprofile -i"
T send-keys -t "$S" "PS1='lockcheck\$ '; clear; echo before-the-lock" Enter
wait_for before-the-lock
T send-keys -t "$S" "$FUN saver --lock --pam-service fun-test matrix; echo EXIT=\$?" Enter
for _ in $(seq 100); do [ -n "$(lock_pid)" ] && break; sleep 0.1; done
PID=$(lock_pid)
[ -n "$PID" ] || fail "the lock did not start"
for _ in $(seq 50); do [ "$(T display -p -t "$S" '#{alternate_on}')" = 1 ] && break; sleep 0.1; done
echo "lock.sh: locked as $U, pid $PID"

# 2. Secrets and core dumps.
[ "$(stat -c %U "/proc/$PID/environ")" = root ] || fail "the lock is dumpable (its /proc files are not root's)"
if runuser -u "$U" -- cat "/proc/$PID/environ" >/dev/null 2>&1; then fail "the user can read the lock's environ"; fi

# 1. Every escape key (one at a time, each checked).
for key in C-c C-z 'C-\' C-s C-q C-d Escape Up F1 M-x C-v C-o; do
  T send-keys -t "$S" "$key"
  sleep 0.15
  still_locked "$PID" "key $key"
  echo "lock.sh: key $key: still locked"
done
python3 -c 'print("z" * 200 * 1024, end="")' >"$WORK/flood"
T load-buffer -b flood "$WORK/flood" 2>/dev/null || runuser -u "$U" -- env HOME="/home/$U" tmux -L "$SOCK" load-buffer -b flood - <"$WORK/flood"
T paste-buffer -b flood -t "$S"
sleep 0.5
still_locked "$PID" "a 200 KiB paste"
echo "lock.sh: a 200 KiB paste: still locked"
for size in "20 8" "120 40" "80 24"; do
  set -- $size
  T resize-window -t "$S" -x "$1" -y "$2"
  sleep 0.3
  still_locked "$PID" "a resize to $1x$2"
done
echo "lock.sh: resizes: still locked"
# Still drawing: the rain moves between two looks.
one=$(pane); sleep 0.5; two=$(pane)
[ "$one" != "$two" ] || fail "the lock stopped drawing"
T send-keys -t "$S" Escape
sleep 0.3
T send-keys -t "$S" Enter
wait_for "password: ["
wait_for "locked: $U on pts/"

# 3. A wrong password, twice; the right one during the delay is dropped.
T send-keys -t "$S" -l "$WRONG"
T send-keys -t "$S" Enter
wait_for "wait 1 s" 100
T send-keys -t "$S" -l "$PASS"
T send-keys -t "$S" Enter
sleep 0.2
still_locked "$PID" "the right password typed during the delay"
for _ in $(seq 100); do pane | grep -qF "wait " || break; sleep 0.1; done
sleep 0.3
still_locked "$PID" "the end of the delay"
echo "lock.sh: a wrong password is refused; keys during the delay are dropped"
T send-keys -t "$S" -l "$WRONG"
T send-keys -t "$S" Enter
wait_for "wait 2 s" 100
echo "lock.sh: the second refusal waits 2 s"
for _ in $(seq 100); do pane | grep -qF "wait " || break; sleep 0.1; done
grep -q "authentication failure for $U on /dev/pts/" "$LOG" 2>/dev/null ||
  { [ -z "$OWN_DEVLOG" ] && echo "lock.sh: a syslog daemon owns /dev/log: log not checked"; } ||
  fail "no failure in the auth log: $(cat "$LOG" 2>/dev/null)"
if [ -n "$OWN_DEVLOG" ]; then
  grep -q "authentication failure for $U" "$LOG" || fail "the failure was not logged"
  # <85> is authpriv (10) * 8 + notice (5).
  grep -q '^<85>' "$LOG" || fail "not logged as authpriv.notice: $(cat "$LOG")"
  if grep -qF -e "$WRONG" -e "$PASS" "$LOG"; then fail "a password is in the log"; fi
  echo "lock.sh: the failures are in the auth log, without the password"
fi
if grep -qaF -e "$PASS" -e "$WRONG" "/proc/$PID/cmdline" "/proc/$PID/environ"; then
  fail "a password is in /proc/$PID/cmdline or environ"
fi

# 4. The right password.
T send-keys -t "$S" -l "$PASS"
T send-keys -t "$S" Enter
wait_for "EXIT=0" 100
wait_for "2 failed attempts since "
last=$(pane | grep -v '^$' | tail -n 1)
[ "$last" = 'lockcheck$' ] || fail "the command line is not empty after the unlock: '$last'"
T capture-pane -p -S - -t "$S" | grep -qF before-the-lock || fail "the scrollback is gone"
if T capture-pane -p -S - -t "$S" | grep -qF -e "$PASS" -e "$WRONG"; then
  fail "a password shows in the pane"
fi
echo "lock.sh: the right password gives the shell back, its line empty"

# 5. pam_deny and pam_permit.
T send-keys -t "$S" "clear; $FUN saver --lock --pam-service fun-test-deny clock; echo EXIT=\$?" Enter
sleep 0.5
T send-keys -t "$S" Enter
T send-keys -t "$S" -l "$PASS"
T send-keys -t "$S" Enter
wait_for "wait 1 s" 100
PID=$(lock_pid)
kill -TERM "$PID"
wait_for "EXIT=143"
# (With NO_COLOR, as on the Linux console, at 20x8: the prompt fits, no colour is drawn.)
T resize-window -t "$S" -x 20 -y 8
T send-keys -t "$S" "clear; NO_COLOR=1 TERM=linux $FUN saver --lock --pam-service fun-test-permit clock; echo EXIT=\$?" Enter
sleep 0.5
T send-keys -t "$S" Enter
wait_for "password: [        ]"
if T capture-pane -p -e -t "$S" | grep -qE $'\e\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]'; then
  T capture-pane -p -e -t "$S" | grep -oE $'\e\[[0-9;]*m' | sort | uniq -c >&2
  fail "colours drawn with NO_COLOR"
fi
T resize-window -t "$S" -x 80 -y 24
T send-keys -t "$S" -l anything
T send-keys -t "$S" Enter
wait_for "EXIT=0" 100
echo "lock.sh: pam_deny refuses, pam_permit accepts; SIGTERM ends a lock (143)"
# The default service (no /etc/pam.d/fun here: login's rules) takes the user's password.
if [ ! -e /etc/pam.d/fun ]; then
  T send-keys -t "$S" "clear; $FUN saver --lock clock; echo EXIT=\$?" Enter
  sleep 0.5
  T send-keys -t "$S" Enter
  T send-keys -t "$S" -l "$PASS"
  T send-keys -t "$S" Enter
  wait_for "EXIT=0" 100
  echo "lock.sh: without --pam-service (the login service) the user's password unlocks"
fi

# 6. A hang-up ends it within 1 s, without spinning.
T2() { runuser -u "$U" -- env HOME="/home/$U" TERM=xterm-256color tmux -L "$SOCK-2" "$@"; }
T2 new -d -s h -x 80 -y 24 "$FUN saver --lock --pam-service fun-test matrix"
for _ in $(seq 100); do PID=$(lock_pid) && [ -n "$PID" ] && break; sleep 0.1; done
[ -n "$PID" ] || fail "the second lock did not start"
sleep 0.5
# CPU ticks used; nothing once the process has ended (a zombie nobody reaps counts as gone:
# its parent, the tmux server, is gone too).
ticks() { awk '$3 != "Z" {print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }
before=$(ticks "$PID")
last=$before
T2 kill-server
gone=
for _ in $(seq 20); do
  now=$(ticks "$PID") || true
  if [ -z "$now" ]; then gone=1; break; fi
  last=$now
  sleep 0.05
done
[ -n "$gone" ] || fail "a hang-up did not end the lock within 1 s"
[ $((last - before)) -le 5 ] || fail "the lock spun after the hang-up ($((last - before)) ticks)"
echo "lock.sh: tmux kill-server ends the lock within 1 s ($((last - before)) ticks of CPU after it)"

# 8. After idleness, from the snippet `fun saver install tmux --lock --apply` wrote: a client
#    of the user's tmux (attached from a pane of ours) is locked by tmux after 1 s without a
#    key, and comes back when the lock ends (pam_permit here: the PAM round trip is above).
T send-keys -t "$S" "clear; $FUN saver install tmux --lock --apply --after 1s --pam-service fun-test-permit --rc \$HOME/idle.conf clock" Enter
wait_for "Reload it with"
grep -q 'lock-server on' "/home/$U/idle.conf" || fail "no lock-server in the snippet"
T send-keys -t "$S" "clear; tmux -L $SOCK-3 -f \$HOME/idle.conf new -s inner" Enter
for _ in $(seq 100); do PID=$(lock_pid) && [ -n "$PID" ] && break; sleep 0.1; done
[ -n "$PID" ] || fail "tmux did not start the lock after 1 s without a key"
T send-keys -t "$S" Enter
T send-keys -t "$S" -l anything
T send-keys -t "$S" Enter
for _ in $(seq 100); do [ -z "$(lock_pid)" ] && break; sleep 0.1; done
[ -z "$(lock_pid)" ] || fail "the idle lock did not end on the password"
runuser -u "$U" -- tmux -L "$SOCK-3" kill-server 2>/dev/null || true
echo "lock.sh: tmux locks after idleness with the installed snippet, and unlocks"

# 7. Without libpam.
libpam=$(ldconfig -p | awk '/libpam\.so\.0 /{print $NF; exit}')
if [ -n "$libpam" ] && unshare -m true 2>/dev/null; then
  set +e
  out=$(unshare -m sh -c "mount --bind /dev/null '$libpam' && exec '$FUN' saver --lock matrix" 2>&1 </dev/null)
  code=$?
  set -e
  [ "$code" -ne 0 ] || fail "without libpam the lock exited 0"
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "without libpam: more than one line: $out"
  case $out in *"locking needs PAM (libpam.so.0)"*) ;; *) fail "without libpam: $out" ;; esac
  case $out in *$'\e[?1049h'*) fail "without libpam the screen was taken" ;; esac
  echo "lock.sh: without libpam: $out"
else
  echo "lock.sh: no mount namespace here: the missing-libpam case is not checked"
fi
echo "lock.sh: all passed"
