#!/usr/bin/env bash
# Writes scripts/symbol-order.txt: the functions of `fun` that common runs execute, in the order
# the release link lays them out (build.rs hands the file to lld as --symbol-ordering-file), and
# scripts/data-order.ld: the constants those functions read, in the same order (a linker script;
# see scripts/data-order.py).
#
# Why: the kernel maps a binary's code 64 KiB around each page fault (fault-around), so a run
# keeps resident every 64 KiB window it touches once. Left to the compiler's order, the few
# hundred functions `fun saver matrix` runs are spread over the whole 6 MB of code, and the
# process keeps 3.4 MB of it resident; laid out together they fit in a few windows (issue 27).
#
# How: each run below is executed under valgrind's callgrind (which records every function a
# process executes, whatever the machine's speed), from an unstripped release build of the same
# source; the functions of the `fun` binary are listed run by run, each run adding only the
# functions the runs before it did not use. The runs are ordered by how often people start them:
# `--version` and start-up first, then the saver's path every screen takes (what matrix and
# clock both execute), matrix, clock (a screensaver runs all day), calendar (every login), pv,
# the other screens, the rest.
#
#   scripts/symbol-order.sh            regenerates both files (about 10 minutes)
#   SECONDS_PER_SCREEN=N               how long each screen runs under valgrind (default 12)
#
# Needs valgrind and tmux. Stale files are harmless: names that no longer exist are skipped by
# the linker, and new functions simply go after the listed ones (an anonymous constant's name
# is a number, which a later change of the source may give to another constant: that one is then
# placed early instead, which costs memory, never correctness). But Cargo folds the version,
# features and dependencies into our functions' names, so after any change to Cargo.toml or
# Cargo.lock most of our names no longer match: a release build then warns (build.rs compares
# the fingerprint on the file's first line). Regenerate it then, and before a release, and
# compare `benches/lean.sh` (ONLY='startup memory') before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=scripts/symbol-order.txt
SECS=${SECONDS_PER_SCREEN:-12}
export CARGO_TARGET_DIR=${SYMBOL_ORDER_TARGET:-$PWD/target/symbol-order}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fun-symbol-order.XXXXXX")
SOCKET=fun-symbol-order-$$
tmux() { command tmux -L "$SOCKET" "$@"; }
trap 'tmux kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The same source and profile as the shipped build (so its functions have the same names), with
# its symbol table kept and without an order (so the profile does not depend on the file it
# writes), and with its link map and relocations (for scripts/data-order.py).
FUN_KEEP_SYMBOLS=1 FUN_SYMBOL_ORDER=off FUN_LINK_MAP=$WORK/fun.map cargo build --release --quiet
FUN=$CARGO_TARGET_DIR/release/fun
HOME_DIR=$WORK/home
mkdir -p "$HOME_DIR"
RUNS=()
# Children are followed (a pipeline's `fun` runs under sh); each process writes its own profile.
VALGRIND=(valgrind --tool=callgrind --demangle=no --trace-children=yes
  "--trace-children-skip=*/head,*/sleep,*/cat")

# grind NAME CMD...: runs CMD under callgrind in the foreground (stdin from /dev/null).
grind() {
  local name=$1; shift
  HOME=$HOME_DIR "${VALGRIND[@]}" --callgrind-out-file="$WORK/$name.%p.out" \
    "$@" < /dev/null > /dev/null 2> "$WORK/$name.err" || true
  RUNS+=("$name")
}

# grind_in_tmux NAME SIZE SECONDS CMD: runs CMD under callgrind in a tmux pane of SIZE for
# SECONDS, then presses a key (which ends every screen) and waits for the profile.
grind_in_tmux() {
  local name=$1 size=$2 secs=$3; shift 3
  tmux new-session -d -s "$name" -x "${size%x*}" -y "${size#*x}" \
    "HOME=$HOME_DIR ${VALGRIND[*]} --callgrind-out-file=$WORK/$name.%p.out $* 2> $WORK/$name.err"
  sleep "$secs"
  tmux send-keys -t "$name" q 2>/dev/null || true
  local tries=0
  while tmux has-session -t "$name" 2>/dev/null && [ $tries -lt 100 ]; do sleep 0.2; tries=$((tries + 1)); done
  tmux kill-session -t "$name" 2>/dev/null || true
  RUNS+=("$name")
}

# grind_for NAME SECONDS CMD...: runs CMD under callgrind for SECONDS, then SIGTERM.
grind_for() {
  local name=$1 secs=$2; shift 2
  HOME=$HOME_DIR timeout -s TERM "$secs" "${VALGRIND[@]}" \
    --callgrind-out-file="$WORK/$name.%p.out" "$@" > /dev/null 2> "$WORK/$name.err" || true
  RUNS+=("$name")
}

grind version "$FUN" --version
grind_in_tmux matrix 120x40 "$SECS" "$FUN" saver matrix
grind_in_tmux clock 120x40 "$SECS" "$FUN" saver clock
grind calendar "$FUN" calendar -f calendars/calendar.all -t 20260101 -A 365
grind_for pv_quiet 4 "$FUN" pv -qL 8 /dev/zero
grind pv_copy "$FUN" pv -q -S -s 50M /dev/zero
grind_in_tmux pv_display 120x40 6 "sh -c 'head -c 200M /dev/zero | $FUN pv -L 50M > /dev/null; sleep 1'"
grind_in_tmux matrix_big 400x120 "$SECS" "$FUN" saver matrix
for screen in $("$FUN" saver --list | awk '{print $1}'); do
  case $screen in matrix | clock) continue ;; esac
  grind_in_tmux "screen_$screen" 120x40 "$SECS" "$FUN" saver "$screen"
done
grind_in_tmux rotation 120x40 "$SECS" "$FUN" saver --every 5s --overlay clock matrix clock fire
grind_in_tmux type 120x40 6 "sh -c 'echo hello, world | $FUN type; sleep 1'"
grind help "$FUN" --help
grind saver_help "$FUN" saver --help
grind calendar_today "$FUN" calendar
grind completions "$FUN" completions bash

python3 - "$FUN" "$WORK" "${RUNS[@]}" > "$WORK/order.txt" <<'EOF'
import glob, os, re, sys
fun, work, runs = os.path.realpath(sys.argv[1]), sys.argv[2], sys.argv[3:]
# The C start-up code (crt1.o's _start, crtbegin's helpers), which every run executes first
# and the profile does not name, goes in front of the profiled functions.
order = ["_start", "deregister_tm_clones", "register_tm_clones", "__do_global_dtors_aux",
         "frame_dummy"]
seen = set(order)

def executed(path, fun):
    """The functions of the binary fun that the profile at path executed, in its order."""
    objects, names, current, found = {}, {}, None, []  # ids are per file
    for line in open(path, errors="replace"):
        m = re.match(r"^(c?ob)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if m:
            if m.group(3):
                objects[m.group(2)] = os.path.realpath(m.group(3))
            if m.group(1) == "ob":
                current = objects.get(m.group(2))
            continue
        m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if not m:
            continue
        if m.group(3):
            names[m.group(2)] = m.group(3)
        name = names.get(m.group(2), "")
        if m.group(1) == "fn" and current == fun and name:
            found.append(name)
    return found

def add(names, label):
    for name in names:
        if name not in seen:
            seen.add(name)
            order.append(name)
    print(f"symbol-order: {label}: {len(order)} functions so far", file=sys.stderr)

runs_functions = {}
for run in runs:
    paths = sorted(glob.glob(os.path.join(work, run + ".*.out")), key=os.path.getmtime)
    if not paths:
        print(f"symbol-order: no profile for {run}", file=sys.stderr)
    runs_functions[run] = [name for path in paths for name in executed(path, fun)]
add(runs_functions.get("version", []), "version")
# The saver's path that every screen takes (what matrix and clock both execute) before what
# only matrix executes: a clock or any other screen then skips matrix's own code.
both = set(runs_functions.get("clock", []))
add([name for name in runs_functions.get("matrix", []) if name in both], "saver")
for run in runs:
    if run != "version":  # placed first, above
        add(runs_functions[run], run)
print("\n".join(order))
EOF
# The first line: a comment (for lld) with the fingerprint build.rs compares (FNV-1a 64 of
# Cargo.toml then Cargo.lock), so a release build says when the order needs making again.
python3 -c '
data = open("Cargo.toml", "rb").read() + open("Cargo.lock", "rb").read()
h = 0xcbf29ce484222325
for b in data:
    h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
print(f"# made for Cargo.toml and Cargo.lock {h:016x}")' > "$WORK/head.txt"
cat "$WORK/head.txt" "$WORK/order.txt" > "$OUT"
echo "$OUT: $(wc -l < "$OUT") functions"
# The constants those functions read, in the same order (a linker script for build.rs).
python3 scripts/data-order.py "$FUN" "$WORK/fun.map" "$OUT" > "$WORK/data-order.ld"
mv "$WORK/data-order.ld" scripts/data-order.ld
