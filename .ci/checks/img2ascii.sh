#!/usr/bin/env bash
# `fun saver img2ascii` on a picture whose decoding is slow (a GIF exactly at the work bound:
# 10 frames of a 5000x6000 canvas, 170 bytes), in tmux on a private server: the saver takes
# the terminal at once and shows "loading", the decoding runs on a worker thread, and a key,
# SIGTERM or Ctrl+C sent while that worker is still decoding ends the saver at once (the
# check asserts the order: the worker thread was alive and "loading" shown when the key went;
# the time is printed, and must be under a second). A picture that fails on the worker (a PNG
# cut in half) ends the run with its one line, exit 1. The refused work bomb (300 frames) is
# covered by tests/abuse/screens.rs.
#
#   .ci/checks/img2ascii.sh            builds and checks target/debug/fun
#   FUN=path .ci/checks/img2ascii.sh   another binary
# Needs tmux and python3 (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in tmux python3; do
  command -v "$tool" >/dev/null || { echo "img2ascii.sh: needs $tool" >&2; exit 1; }
done
if [ -z "${FUN:-}" ]; then
  cargo build --quiet
  FUN=$PWD/target/debug/fun
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fun-img2ascii-check.XXXXXX")
SOCKET=fun-img2ascii-check-$$
S=img
tmux() { command tmux -L "$SOCKET" "$@"; }
cleanup() {
  command tmux -L "$SOCKET" kill-server 2>/dev/null || true
  [ -s "$WORK/pid" ] && kill -KILL "$(sed -n 's/^PID=//p' "$WORK/pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "img2ascii.sh: FAIL: $*" >&2; tmux capture-pane -p -t "$S" >&2 2>/dev/null || true; exit 1; }
pane() { tmux capture-pane -p -t "$S"; }
modes() { tmux display -p -t "$S" '#{alternate_on} #{cursor_flag}'; }
# An exited process not yet reaped by its parent (a zombie) runs no more: it counts as gone.
is_gone() {
  local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $1}')
  [ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ]
}
wait_for() {
  for _ in $(seq 200); do pane | grep -q -- "$1" && return 0; sleep 0.05; done
  fail "${2:-}: pane never showed '$1'"
}

# One-pixel frames on a huge canvas, written by hand: each frame is drawn on the whole canvas.
python3 - "$WORK/slow.gif" <<'EOF'
import struct, sys
w, h, frames = 5000, 6000, 10
out = b"GIF89a" + struct.pack("<HH", w, h) + bytes([0x80, 0, 0, 0, 0, 0, 255, 255, 255])
for i in range(frames):
    out += b"\x2c" + struct.pack("<HHHH", i, 0, 1, 1) + bytes([0, 2, 2, 0x44, 0x01, 0])
open(sys.argv[1], "wb").write(out + b"\x3b")
EOF

tmux new-session -d -s "$S" -x 100 -y 30 "env PS1='$ ' TERM=xterm-256color bash --norc --noprofile"
wait_for '^\$' shell
# end_while_loading NAME HOW WANT_STATUS
end_while_loading() {
  local name=$1 how=$2 want=$3 pid threads t0 ms got
  : > "$WORK/pid"
  tmux send-keys -t "$S" "clear; sh -c 'echo PID=\$\$ > $WORK/pid; exec $FUN saver img2ascii -p $WORK/slow.gif'; echo STATUS=\$?" Enter
  wait_for "loading" "$name"
  pid=$(sed -n 's/^PID=//p' "$WORK/pid")
  [ "$(modes)" = "1 0" ] || fail "$name: the terminal was not taken while loading"
  # The order that matters: the worker is still decoding when the key goes.
  threads=$(ls "/proc/$pid/task" | wc -l)
  [ "$threads" -ge 2 ] || fail "$name: no worker thread is decoding (threads: $threads)"
  t0=$(date +%s%N)
  case $how in
    key) tmux send-keys -t "$S" x ;;
    ctrl-c) tmux send-keys -t "$S" C-c ;;
    *) kill -s "$how" "$pid" ;;
  esac
  while ! is_gone "$pid"; do
    [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 5000 ] || fail "$name: still running 5 s later"
    sleep 0.005
  done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$ms" -lt 1000 ] || fail "$name: took $ms ms to end while decoding"
  wait_for "^STATUS=" "$name"
  got=$(pane | sed -n 's/^STATUS=//p' | tail -1)
  [ "$got" = "$want" ] || fail "$name: exit status $got, expected $want"
  [ "$(modes)" = "0 1" ] || fail "$name: the terminal was not restored"
  echo "img2ascii.sh: ok: $name while decoding ends it in $ms ms (exit $got)"
}
# A picture whose header is fine but whose data is cut short: found by the worker after the
# saver took the terminal; the run ends with the one line naming the file, exit 1, the
# terminal restored.
python3 - "$WORK/cut.png" <<'EOF'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
w, h = 64, 48
raw = b"".join(b"\0" + bytes((x * 4 + y) % 256 for x in range(w * 3)) for y in range(h))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(raw))
open(sys.argv[1], "wb").write(png[: len(png) // 2])
EOF
tmux send-keys -t "$S" "clear; $FUN saver img2ascii -p $WORK/cut.png; echo STATUS=\$?" Enter
wait_for "^STATUS=" cut
got=$(pane | sed -n 's/^STATUS=//p' | tail -1)
[ "$got" = 1 ] || fail "cut: exit status $got, expected 1"
pane | grep -q "^fun saver: .*cut.png: cannot decode it" || fail "cut: no line naming the file"
[ "$(modes)" = "0 1" ] || fail "cut: the terminal was not restored"
echo "img2ascii.sh: ok: a picture that fails on the worker is the run's one-line error (exit 1)"

end_while_loading key key 0
end_while_loading ctrl-c ctrl-c 130
end_while_loading sigterm TERM 143
echo "img2ascii.sh: all ok"
