#!/usr/bin/env bash
# Fuzzes every parser for a short budget (docs/maintainers/robustness.md, "Fuzzing"): builds the cargo-fuzz
# targets in fuzz/ with the nightly toolchain, replays each target's corpus and regressions, then
# lets libFuzzer search from there for FUZZ_SECONDS (default 6) per target. A crash, a hang
# (FUZZ_TIMEOUT seconds on one input) or an input that needs more than FUZZ_RSS_MB fails the
# script and prints the input and how to reproduce it. New inputs the fuzzer finds go to a
# temporary folder, never into the committed corpus.
# cargo test replays the same corpus on stable (src/fuzzing.rs); this adds the search.
set -euo pipefail
cd "$(dirname "$0")/../.."

budget=${FUZZ_SECONDS:-6}
timeout=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
# Overflow checks on (-a), no AddressSanitizer (-s none): the main crate denies unsafe code,
# and without ASan the memory limit measures what the parser itself takes. 16 codegen units
# build in about half the time of cargo-fuzz's default 1 on 2 cores, for a short run.
flags=(-O -a -s none --codegen-units 16)

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz.sh: the nightly toolchain is needed (rustup toolchain install nightly)" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  start=$SECONDS
  cargo install cargo-fuzz --locked --quiet
  echo "installed $(cargo fuzz --version) in $((SECONDS - start))s"
fi

start=$SECONDS
(cd fuzz && cargo +nightly fuzz build "${flags[@]}")
echo "built the fuzz targets in $((SECONDS - start))s"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
targets=$(cd fuzz/fuzz_targets && ls -- *.rs | sed 's/\.rs$//')
failed=""
for target in $targets; do
  mkdir -p "$work/corpus/$target" "$work/artifacts/$target"
  inputs=("fuzz/corpus/$target")
  [ -d "fuzz/regressions/$target" ] && inputs+=("fuzz/regressions/$target")
  log=$work/$target.log
  if (cd fuzz && cargo +nightly fuzz run "${flags[@]}" "$target" \
    "$work/corpus/$target" "${inputs[@]/#/../}" -- \
    -max_total_time="$budget" -timeout="$timeout" -rss_limit_mb="$rss_mb" \
    -malloc_limit_mb="$rss_mb" -artifact_prefix="$work/artifacts/$target/" \
    -print_final_stats=1) >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    echo "$target: ${runs:-?} runs, no crash"
  else
    failed="$failed $target"
    echo "=== $target FAILED; the fuzzer's report:" >&2
    grep -E -A 30 'panicked|ERROR: libFuzzer|==ERROR|SUMMARY' "$log" | head -n 60 >&2 || tail -n 40 "$log" >&2
    for input in "$work/artifacts/$target"/*; do
      [ -e "$input" ] || continue
      echo "--- input $(basename "$input") ($(wc -c <"$input") bytes), base64:" >&2
      base64 -w 76 "$input" | head -n 40 >&2
      echo "--- reproduce: save it as fuzz/regressions/$target/NAME, then" >&2
      echo "    cd fuzz && cargo +nightly fuzz run ${flags[*]} $target regressions/$target/NAME" >&2
    done
  fi
done
if [ -n "$failed" ]; then
  echo "fuzz.sh: failures in:$failed" >&2
  exit 1
fi
echo "fuzz.sh: every target ran ${budget}s without a crash ($SECONDS s in all)"
