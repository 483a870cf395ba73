#!/usr/bin/env bash
# The gallery is what scripts/gallery.sh makes now: docs/gallery.md and the animated pictures
# docs/img/*.svg are generated again into a temporary folder (fixed seeds and clock, so the
# output is the same on every machine) and compared with what is committed. A difference means
# a screen's look changed without `scripts/gallery.sh` being run (run it and commit the result).
# Takes a few seconds with the debug build.
set -euo pipefail
cd "$(dirname "$0")/../.."
FUN=${FUN:-$PWD/target/debug/fun}
[ -x "$FUN" ] || cargo build --quiet
export FUN
dir=$(mktemp -d "${TMPDIR:-/tmp}/fun-gallery-check.XXXXXX")
trap 'rm -rf "$dir"' EXIT
GALLERY_DIR=$dir scripts/gallery.sh > /dev/null
fail=0
diff -q "$dir/gallery.md" docs/gallery.md > /dev/null || { echo "gallery.sh: docs/gallery.md differs"; fail=1; }
for picture in "$dir"/img/*.svg; do
  name=$(basename "$picture")
  cmp -s "$picture" "docs/img/$name" || { echo "gallery.sh: docs/img/$name differs"; fail=1; }
  size=$(stat -c %s "$picture")
  [ "$size" -le 204800 ] || { echo "gallery.sh: docs/img/$name is $size bytes (over 200 KiB)"; fail=1; }
done
if [ "$fail" -ne 0 ]; then
  echo "gallery.sh: FAIL: the gallery is out of date; run scripts/gallery.sh and commit docs/" >&2
  exit 1
fi
echo "gallery.sh: ok: docs/gallery.md and $(ls "$dir"/img/*.svg | wc -l) pictures are up to date"
