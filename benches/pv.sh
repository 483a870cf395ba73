#!/usr/bin/env bash
# fun pv against Debian's pv and cat, side by side in one run (apt-get install pv hyperfine):
#   throughput: dd if=/dev/zero bs=1M count=4096 | X -q > /dev/null, a file input, and a file
#   into a pipe (X -q FILE | cat: read and written, never spliced, see pv's bytes); the same
#   with the extra displays on (a -f line, --json, -x window,process every 0.1 s) to show they
#   cost nothing measurable;
#   rate limit: -L 1M for 5 s (bytes received vs 5 MiB);
#   CPU at -L 8 for 10 s; typing spacing at -qL 8 (benches/typing.py).
# FUN_BEFORE=/path/to/an/older/fun adds its -q pipe and file rows, for a before/after ratio.
# Prints each figure and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
fun="$PWD/target/release/fun"
before="${FUN_BEFORE:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 2G /dev/zero > "$tmp/file"
feed="dd if=/dev/zero bs=1M count=4096 status=none"

echo "== throughput (hyperfine, 5 runs each)"
rows=(
  -n "fun pv" "$feed | $fun pv -q > /dev/null"
  -n "fun pv -f" "$feed | $fun pv -f -i 0.1 > /dev/null 2>/dev/null"
  -n "fun pv --json" "$feed | $fun pv --json -i 0.1 > /dev/null 2>/dev/null"
  -n "fun pv -x" "$feed | $fun pv -f -x window,process -i 0.1 > /dev/null 2>/dev/null"
  -n "pv" "$feed | pv -q > /dev/null"
  -n "cat" "$feed | cat > /dev/null"
  -n "fun pv file" "$fun pv -q $tmp/file > /dev/null"
  -n "pv file" "pv -q $tmp/file > /dev/null"
  -n "cat file" "cat $tmp/file > /dev/null"
  -n "fun pv file|cat" "$fun pv -q $tmp/file | cat > /dev/null"
  -n "pv file|cat" "pv -q $tmp/file | cat > /dev/null"
  -n "cat file|cat" "cat $tmp/file | cat > /dev/null"
)
if [ -n "$before" ]; then
  rows+=(-n "before" "$feed | $before pv -q > /dev/null" -n "before file" "$before pv -q $tmp/file > /dev/null")
  rows+=(-n "before file|cat" "$before pv -q $tmp/file | cat > /dev/null")
fi
hyperfine --warmup 1 --runs 5 --export-json "$tmp/tp.json" "${rows[@]}" >/dev/null
python3 - "$tmp/tp.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
for kind in ("", " file", " file|cat"):
    f, p, c = r["fun pv" + kind], r["pv" + kind], r["cat" + kind]
    line = (f"pipe{kind}: fun {f:.3f}s  pv {p:.3f}s  cat {c:.3f}s  "
            f"pv/fun {p/f:.2f}x  fun/cat {f/c:.3f}")
    if "before" + kind in r:
        line += f"  before/after {r['before' + kind]/f:.3f}"
    print(line)
for extra in ("-f", "--json", "-x"):
    t = r["fun pv " + extra]
    print(f"pipe with {extra:7}: {t:.3f}s  vs -q {t / r['fun pv']:.3f}")
PY

echo "== rate limit -L 1M for 5 s"
for tool in "$fun pv" pv; do
  n=$(timeout 5 $tool -qL 1M /dev/zero | wc -c || true)
  python3 -c "import sys; n=int(sys.argv[2]); print(f'{sys.argv[1]:8} {n} bytes, {100*(n-5*1048576)/(5*1048576):+.2f}% vs 5 MiB')" "$tool" "$n"
done

echo "== CPU at -L 8 for 10 s"
for tool in "$fun pv" pv; do
  $tool -qL 8 /dev/zero > /dev/null &
  pid=$!
  sleep 10
  ns=$(awk '{print $1}' /proc/$pid/schedstat)
  kill $pid; wait $pid 2>/dev/null || true
  python3 -c "import sys; print(f'{sys.argv[1]:8} {int(sys.argv[2])/1e6:.1f} ms CPU in 10 s')" "$tool" "$ns"
done

echo "== typing spacing at 8 characters a second"
python3 benches/typing.py "$fun"
