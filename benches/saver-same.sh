#!/usr/bin/env bash
# Do two builds of fun draw every screen the same? The golden-frame check for work on the
# saver's render path (issue 10): a change there must not change what any screen looks like.
#
#   benches/saver-same.sh OLD_FUN NEW_FUN [SCREEN...]
#
# For every screen (the SCREEN arguments, or every name NEW_FUN's `fun saver --list` prints)
# and a few variants of matrix and clock (sizes, colour depths, options, resizes), both
# binaries render headlessly with a fixed seed, size and wall clock:
#   look    what the terminal shows after frames 1, 7, 60 and the last (`--headless --ansi`:
#           every glyph with its colour and attributes) must be identical;
#   stream  every byte written over the whole run (`--headless --stream`); reported, and a
#           difference is allowed only when the look is the same (an encoder that writes the
#           same picture with other bytes), unless STRICT=1.
# Screens whose content arrives from a thread (a command such as fortune, the network screens,
# even with local files) differ from run to run: they are listed in VARIES (default below) and
# reported as "varies", as is any case whose stream differs between two runs of OLD_FUN.
# Exit status 1 when a look (or, with STRICT=1, a stream) differs.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,17p' "$0" >&2; exit 2; }
OLD=$1 NEW=$2
shift 2
if [ $# -gt 0 ]; then screens=("$@"); else mapfile -t screens < <("$NEW" saver --list | awk '{print $1}'); fi
COMMON=(--headless --seed 1 --time 2026-01-02T03:04:05)
# Matrix picks its own frame rate since issue 10 (20 fps at the default fall speed, was a fixed
# 25): a deliberate change of pacing, not of picture. Its cases run at 25 fps in both builds so
# the pictures are compared at the same moments (MATRIX_FPS= compares the pacing too).
MATRIX_FPS=${MATRIX_FPS---fps 25}
VARIES=${VARIES-fortune rfc rssfeed urlfetcher wttr}
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR COLORTERM

# case NAME FRAMES ARGS... -> one line: NAME look=... stream=...
cases=()
for name in "${screens[@]}"; do
  extra=()
  [ "$name" = sysmon ] && extra=(--source demo)
  [ "$name" = matrix ] && extra=($MATRIX_FPS)
  cases+=("$name|250|$name ${extra[*]} --size 120x40 --color-depth 256")
done
if printf '%s\n' "${screens[@]}" | grep -qx matrix; then
  cases+=(
    "matrix 400x120|100|matrix --size 400x120 $MATRIX_FPS --color-depth 256"
    "matrix truecolor|120|matrix --size 120x40 $MATRIX_FPS --color-depth truecolor"
    "matrix 16|120|matrix --size 120x40 $MATRIX_FPS --color-depth 16"
    "matrix none|120|matrix --size 120x40 $MATRIX_FPS --color-depth none"
    "matrix -r -b|120|matrix -r -b --size 100x30 $MATRIX_FPS --color-depth truecolor"
    "matrix -m -B|120|matrix -m -B --size 100x30 $MATRIX_FPS --color-depth 256"
    "matrix -M|120|matrix -M back_in_5_ｶﾞ世界 --size 100x30 $MATRIX_FPS --color-depth 256"
    "matrix zenkaku|120|matrix -g zenkaku -M 世界 --size 101x30 $MATRIX_FPS --color-depth 256"
    "matrix -f 8 -d 4|120|matrix -f 8 -d 4 -t 5 --size 100x30 $MATRIX_FPS --color-depth 256"
    "matrix -f 0 -u 60|120|matrix -f 0 -u 60 --size 100x30 $MATRIX_FPS --color-depth 256"
    "matrix resize|120|matrix --size 100x30 --resize 30:60x20 --resize 31:3x2 --resize 60:120x40 $MATRIX_FPS --color-depth 256"
    "matrix --fps 60|120|matrix --fps 60 --speed 3 --size 100x30 --color-depth 256"
  )
fi
if printf '%s\n' "${screens[@]}" | grep -qx clock; then
  cases+=(
    "clock -b|100|clock -b --size 80x24 --color-depth 256"
    "clock -t -z 0|100|clock -t -z 0 --size 400x120 --color-depth truecolor"
    "clock resize|100|clock --size 80x24 --resize 40:30x8 --resize 60:80x24 --color-depth none"
  )
fi

# render BIN FRAMES MODE ARGS... -> sha of the output
render() {
  local bin=$1 frames=$2 mode=$3; shift 3
  # shellcheck disable=SC2068
  timeout 60 "$bin" saver $@ "${COMMON[@]}" --frames "$frames" "$mode" 2>&1 | sha256sum | cut -c1-16
}
looks() {
  local bin=$1 frames=$2; shift 2
  local f out=""
  for f in 1 7 60 "$frames"; do
    [ "$f" -le "$frames" ] || continue
    out+="$(render "$bin" "$f" --ansi "$@")"
  done
  echo "$out"
}

bad=0 restreamed=0
printf '%-22s %-6s %s\n' case look stream
for c in "${cases[@]}"; do
  IFS='|' read -r label frames args <<<"$c"
  old_stream=$(render "$OLD" "$frames" --stream "$args")
  if [[ " $VARIES " == *" ${label%% *} "* ]] \
    || [ "$old_stream" != "$(render "$OLD" "$frames" --stream "$args")" ]; then
    printf '%-22s %-6s %s\n' "$label" varies varies
    continue
  fi
  look=same stream=same
  [ "$(looks "$OLD" "$frames" "$args")" = "$(looks "$NEW" "$frames" "$args")" ] || { look=DIFF; bad=1; }
  if [ "$old_stream" != "$(render "$NEW" "$frames" --stream "$args")" ]; then
    stream=other-bytes; restreamed=1
    old_len=$(timeout 60 "$OLD" saver $args "${COMMON[@]}" --frames "$frames" --stream | wc -c)
    new_len=$(timeout 60 "$NEW" saver $args "${COMMON[@]}" --frames "$frames" --stream | wc -c)
    stream="other-bytes ($old_len -> $new_len)"
  fi
  printf '%-22s %-6s %s\n' "$label" "$look" "$stream"
done
if [ "$bad" = 1 ]; then echo "a look differs" >&2; exit 1; fi
if [ "${STRICT:-0}" = 1 ] && [ "$restreamed" = 1 ]; then echo "a stream differs (STRICT=1)" >&2; exit 1; fi
echo "every look is the same"
