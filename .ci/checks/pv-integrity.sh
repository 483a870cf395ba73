#!/usr/bin/env bash
# pv's bytes: `fun pv` never invents or drops a byte, in any transfer mode, whatever the input
# and the output. Every mode (kernel copy: splice and sendfile, plain copy, -C, -O, -D, -U, -E,
# -S, -L, -l, -0) crossed with every kind of input (a file named, standard input redirected
# from a file, a pipe, a FIFO) and output (a file, a file opened for appending, a pipe, a FIFO,
# /dev/null, /dev/full, a reader that closes after 1000 bytes): the output's checksum must be
# the input's (cut as the mode and the output say) and the exit status pv's. Where Debian's pv
# (1.6.20) has the mode, it runs the same case and must agree byte for byte and in its status.
# Then inputs that change while read (a file that grows, shrinks or is replaced), each in every
# mode: the reader waits (reading nothing) until the pipe holds 24 KiB, changes the file (a
# shrink cuts it at byte 19001, inside those bytes and inside a page), then reads it all, so
# the change always happens mid-transfer and under bytes already in the pipe; the invariants that hold under any timing are checked: the output is a prefix of
# the bytes the file held, never shorter than what was there all along.
# FUN_BIN=/path/to/fun checks another build (an older one, to see a case fail).
set -eu
cd "$(dirname "$0")/../.."
cargo build --quiet --locked
bin=${FUN_BIN:-$PWD/target/debug/fun}
pv=/usr/bin/pv
[ -x "$pv" ] || { echo "pv-integrity: Debian's pv is missing (apt-get install pv)" >&2; exit 1; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
SECONDS=0

# 1.5 MB: random bytes (newlines and NULs among them), 512 KiB of zeros (whole blocks for -O),
# random again, ending in the middle of a line.
python3 - "$w/data" <<'PY'
import random, sys
r = random.Random(28)
data = r.randbytes(400_001) + bytes(512 << 10) + r.randbytes(577_777)
open(sys.argv[1], "wb").write(data.rstrip(b"\n\0") + b"no newline at the end")
PY
data=$w/data
size=$(stat -c %s "$data")
cut=1000003
mkfifo "$w/fin" "$w/fout"

# name | fun pv's options | pv's options ("-" where pv 1.6.20 lacks the mode) | bytes kept
# ("all", or N: the first N bytes).
modes=(
  "kernel|-q|-q|all"
  "copy-C|-q -C|-q -C|all"
  "buffer-B|-q -B 4097|-q -B 4097|all"
  "sparse-O|-q -O|-|all"
  "delay-D|-f -D 0.1 -i 0.1|-f -D 0.1 -i 0.1|all"
  "store-U|-q -U -|-|all"
  "skip-E|-q -E|-q -E|all"
  "stop-S|-q -S -s $cut|-q -S -s $cut|$cut"
  "stop-S0|-q -S -s 0|-q -S -s 0|all"
  "limit-L|-q -L 100M|-q -L 100M|all"
  "lines-l|-q -l|-q -l|all"
  "lines-lL|-q -l -L 1000000|-q -l -L 1000000|all"
  "null-0|-q -0|-q -0|all"
)
inputs=(file stdin pipe fifo)
outputs=(file append pipe fifo null full closed)

# Runs "$@" (the tool and its options) reading $data the way input kind $1 says, to stdout.
feed() {
  local kind=$1
  shift
  set -- timeout 60 "$@" # a hang is a failure, not a stuck CI
  case $kind in
    file) "$@" "$data" ;;
    stdin) "$@" < "$data" ;;
    pipe) cat "$data" | "$@" ;;
    fifo)
      cat "$data" > "$w/fin" &
      local rc=0 writer=$!
      "$@" "$w/fin" || rc=$?
      # A tool that never opened the FIFO (a refused option) leaves the writer waiting.
      kill "$writer" 2> /dev/null || true
      wait "$writer" || true
      return $rc
      ;;
  esac
}

# Runs feed with output kind $1 into $w/out; prints the exit status.
run() {
  local out=$1
  shift
  local rc=0
  rm -f "$w/out"
  case $out in
    file) feed "$@" > "$w/out" 2> "$w/err" || rc=$? ;;
    append) printf HEAD > "$w/out"; feed "$@" >> "$w/out" 2> "$w/err" || rc=$? ;;
    pipe) feed "$@" 2> "$w/err" | cat > "$w/out"; rc=${PIPESTATUS[0]} ;;
    fifo)
      cat "$w/fout" > "$w/out" &
      local reader=$!
      feed "$@" > "$w/fout" 2> "$w/err" || rc=$?
      wait "$reader"
      ;;
    null) feed "$@" > /dev/null 2> "$w/err" || rc=$? ;;
    full) feed "$@" > /dev/full 2> "$w/err" || rc=$? ;;
    closed) feed "$@" 2> "$w/err" | head -c 1000 > "$w/out"; rc=${PIPESTATUS[0]} ;;
  esac
  echo "$rc"
}

# The checksum output kind $1 must show for bytes kept $2 ("-": nothing to check).
declare -A sums
expected() {
  local key="$1 $2"
  [ -n "${sums[$key]:-}" ] || sums[$key]=$(checksum "$@")
  echo "${sums[$key]}"
}
checksum() {
  local out=$1 keep=$2
  local take=$size
  [ "$keep" = all ] || take=$keep
  case $out in
    null | full) echo - ;;
    append) { printf HEAD; head -c "$take" "$data"; } | cksum ;;
    closed) head -c "$take" "$data" | head -c 1000 | cksum ;;
    *) head -c "$take" "$data" | cksum ;;
  esac
}

# The exit status pv gives for output kind $1.
expected_status() {
  case $1 in
    full) echo 16 ;;
    *) echo 0 ;;
  esac
}

fails=0
cases=0
fail() {
  echo "FAIL $*" >&2
  sed 's/^/    stderr: /' "$w/err" | head -n 3 >&2
  fails=$((fails + 1))
}

for mode in "${modes[@]}"; do
  IFS='|' read -r name ours theirs keep <<< "$mode"
  for in in "${inputs[@]}"; do
    for out in "${outputs[@]}"; do
      cases=$((cases + 1))
      expected "$out" "$keep" > /dev/null # fills the cache outside the subshell below
      want=$(expected "$out" "$keep")
      want_rc=$(expected_status "$out")
      # shellcheck disable=SC2086 # the options are words
      rc=$(run "$out" "$in" "$bin" pv $ours)
      got=-
      [ "$want" = - ] || got=$(cksum < "$w/out")
      [ "$rc" = "$want_rc" ] || fail "$name $in→$out: fun pv exit $rc, pv's is $want_rc"
      [ "$got" = "$want" ] || fail "$name $in→$out: fun pv's bytes differ ($got, want $want)"
      [ "$theirs" != - ] || continue
      # shellcheck disable=SC2086
      rc_pv=$(run "$out" "$in" "$pv" $theirs)
      pv_got=-
      [ "$want" = - ] || pv_got=$(cksum < "$w/out")
      [ "$rc_pv" = "$rc" ] || fail "$name $in→$out: exit $rc, pv's $rc_pv"
      [ "$pv_got" = "$got" ] || fail "$name $in→$out: bytes differ from pv's"
    done
  done
done
echo "static inputs: $cases cases, $fails failures (${SECONDS}s)"

# Changing inputs. The reader waits until the pipe holds 24 KiB (or its writer is gone),
# reading nothing, then the change is made and the rest read.
cat > "$w/full.py" <<'PY'
import fcntl, select, struct, sys, termios, time
poll = select.poll()
poll.register(0, select.POLLIN)
deadline = time.monotonic() + 30  # a hang detector only
while time.monotonic() < deadline:
    if any(ev & select.POLLHUP for _, ev in poll.poll(0)):
        break
    held = struct.unpack("i", fcntl.ioctl(0, termios.FIONREAD, b"\0" * 4))[0]
    if held >= 24576:
        break
    time.sleep(0.005)
else:
    sys.exit(1)
PY
change() {
  case $1 in
    grow) head -c 300000 "$data" >> "$w/in" ;;
    shrink) truncate -s 19001 "$w/in" ;; # in the middle of a page, under bytes in the pipe
    replace) printf 'another file\n' > "$w/new" && mv "$w/new" "$w/in" ;;
  esac
}

# The bytes the output must be a prefix of, and the fewest it may hold.
truth() {
  case $1 in
    grow) cat "$data"; head -c 300000 "$data" ;;
    *) cat "$data" ;;
  esac
}
least() {
  local kind=$1 keep=$2 n=$size
  [ "$kind" != shrink ] || n=19001
  [ "$keep" = all ] || [ "$keep" -ge "$n" ] || n=$keep
  echo "$n"
}

changing=0
for kind in grow shrink replace; do
  for mode in "${modes[@]}"; do
    IFS='|' read -r name ours theirs keep <<< "$mode"
    for tool in fun pv; do
      if [ $tool = fun ]; then cmd=("$bin" pv); opts=$ours; else cmd=("$pv"); opts=$theirs; fi
      [ "$opts" != - ] || continue
      changing=$((changing + 1))
      cp "$data" "$w/in"
      # shellcheck disable=SC2086
      timeout 60 "${cmd[@]}" $opts "$w/in" 2> "$w/err" | {
        python3 "$w/full.py" || echo "$kind $name ($tool): the pipe never held 24 KiB" >&2
        change "$kind"
        cat
      } > "$w/out"
      rc=${PIPESTATUS[0]}
      n=$(stat -c %s "$w/out")
      problem=
      [ "$rc" = 0 ] || problem="exit $rc"
      [ "$n" -ge "$(least "$kind" "$keep")" ] || problem="only $n bytes"
      if ! truth "$kind" | head -c "$n" | cmp -s - "$w/out"; then
        problem="bytes that were never in the file: $(truth "$kind" | cmp - "$w/out" 2>&1 | head -n 1)"
      fi
      [ -n "$problem" ] || continue
      if [ $tool = fun ]; then
        fail "$kind $name: $problem"
      else
        # Not ours to fix: pv 1.6.20 splices a file's pages into the pipe too.
        echo "note: pv 1.6.20 breaks this too: $kind $name: $problem"
      fi
    done
  done
done
echo "changing inputs: $changing cases, $fails failures in all (${SECONDS}s)"
[ "$fails" = 0 ]
