#!/usr/bin/env bash
# What keeps fun small (issue 27) that a change could undo without any test noticing:
#   - no libm.so: the C maths functions come from crates/maths (pure Rust, see its lib.rs),
#     so a new call to a maths function that crate does not define brings libm.so back, and
#     with it ~350 KB resident in every run; this names the function to add;
#   - no libgcc_s.so: build.rs links GCC's unwinder from libgcc_eh.a (one library fewer to
#     load at every start); a change of rustc's link line or of build.rs could bring it back
#     (the panic case of .ci/checks/saver.sh proves that the linked unwinder unwinds);
#   - crates/maths' own tests (its functions agree with the libm crate's), which the README's
#     `cargo test` (the main package only) does not run;
#   - scripts/data-order.ld, the release link's linker script, is well formed (the release
#     build is not part of CI; a broken script would only show in packaging/deb.sh).
# Uses the debug binary that `cargo test` has built. Run from the repository's root.
set -euo pipefail
cd "$(dirname "$0")/../.."
FUN=target/debug/fun
[ -x "$FUN" ] || cargo build --locked --quiet

if readelf -dW "$FUN" | grep -q 'NEEDED.*libm\.so'; then
  echo "footprint: $FUN needs libm.so again; define these in crates/maths/src/lib.rs:" >&2
  libm=$(ldconfig -p | awk '/libm\.so\.6 .*x86-64/ {print $NF; exit}')
  comm -12 <(nm -D --undefined-only "$FUN" | awk '{sub(/@.*/, "", $2); print $2}' | sort -u) \
    <(nm -D --defined-only "$libm" | awk '{sub(/@.*/, "", $3); print $3}' | sort -u) | sed 's/^/  /' >&2
  exit 1
fi
echo "footprint: $FUN does not load libm.so"

if [ -f "$(cc -print-file-name=libgcc_eh.a)" ] && readelf -dW "$FUN" | grep -q 'NEEDED.*libgcc_s'; then
  echo "footprint: $FUN loads libgcc_s.so though libgcc_eh.a is here (build.rs, link_unwinder_statically)" >&2
  exit 1
fi
echo "footprint: $FUN links its unwinder (no libgcc_s.so)"

cargo test --locked --quiet -p fun-maths

# The linker script: balanced braces, its INSERT line, and only `*(SECTION)` lines inside.
script=scripts/data-order.ld
if [ -f "$script" ]; then
  python3 - "$script" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
body = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
assert body.count("{") == body.count("}") == 2, "unbalanced braces"
assert body.rstrip().endswith("INSERT BEFORE .gcc_except_table;"), "no INSERT line"
inner = body[body.index(".rodata : {") + 11 : body.rindex("}", 0, body.rindex("}"))]
bad = [l for l in inner.split("\n") if l.strip() and not re.fullmatch(r"\s*\*\([^()\s]+( [^()\s]+)*\)", l)]
assert not bad, f"unexpected lines: {bad[:3]}"
print(f"footprint: {sys.argv[1]} is well formed ({inner.count('*(')} sections)")
PY
fi
