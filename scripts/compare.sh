#!/usr/bin/env bash
# Regenerates docs/img/compare/: our screens beside the single-purpose program a person would
# otherwise install, in the same 120x40 terminal with 256 colours (docs/compare.md says which
# one a person would keep and why). Ours are rendered headless with a fixed seed and clock
# (`--stream`, replayed by examples/screen_svg.rs like the gallery); the peers run in a private
# tmux server at 120x40 and their pane is captured with `capture-pane -e` and replayed the same
# way. Needs tmux, cbonsai and pipes.sh (Debian: apt-get install cbonsai pipes-sh; pipes.sh is
# /usr/games/pipes there); a missing peer is skipped with a note.
#   scripts/compare.sh            (FUN=path picks the binary; default target/debug/fun)
set -euo pipefail
cd "$(dirname "$0")/.."
FUN=${FUN:-$PWD/target/debug/fun}
[ -x "$FUN" ] || cargo build --quiet
cargo build --quiet --example screen_svg
SVG=$PWD/target/debug/examples/screen_svg
export LC_ALL=C.UTF-8 TERM=xterm-256color
unset NO_COLOR
OUT=docs/img/compare
mkdir -p "$OUT"
SOCKET=fun-compare-$$
tmux() { command tmux -L "$SOCKET" "$@"; }
trap 'tmux kill-server 2>/dev/null || true' EXIT

# ours NAME FILE ARGS...: one frame of `fun saver NAME ARGS` at 120x40 as docs/img/compare/FILE.svg
ours() {
  local name=$1 file=$2; shift 2
  "$FUN" saver "$name" "$@" --headless --stream --size 120x40 --seed 7 --color-depth 256 \
    --time 2026-07-14T20:15:42 < /dev/null | "$SVG" 120 40 > "$OUT/$file.svg"
  echo "wrote $OUT/$file.svg"
}

# peer FILE SECONDS CMD...: CMD in a 120x40 tmux pane, captured after SECONDS
peer() {
  local file=$1 secs=$2; shift 2
  if ! command -v "$1" > /dev/null; then
    echo "skipped $file: $1 is not installed" >&2
    return
  fi
  local session=${file//./-}
  tmux new-session -d -s "$session" -x 120 -y 40 "$*; sleep 600"
  sleep "$secs"
  # capture-pane ends lines with a bare newline; the replay needs a carriage return too.
  tmux capture-pane -p -e -t "$session" | sed 's/$/\r/' | "$SVG" 120 40 > "$OUT/$file.svg"
  tmux kill-session -t "$session"
  echo "wrote $OUT/$file.svg"
}

# bonsai: our default tree in summer and in winter, and cbonsai's finished tree (-p prints it,
# the same tree -l grows live).
ours bonsai bonsai-ours-summer --season summer --frames 300
ours bonsai bonsai-ours-winter --season winter --frames 300
peer bonsai-cbonsai 2 cbonsai -p -s 7
# plasma: the calm default (green theme), the ice theme, and the old default's rainbow.
ours plasma plasma-ours-default --frames 24
ours plasma plasma-ours-ice --theme ice --frames 24
ours plasma plasma-rainbow --palette rainbow --frames 24
# starfield: cruising, and at warp 5.
ours starfield starfield-ours-cruise --frames 60
ours starfield starfield-ours-warp --warp 5 --frames 60
# maze: carving, solving and the solved path.
ours maze maze-ours-solving -r 4 --fps 10 --frames 132
ours maze maze-ours-solved -r 10 -p 60 --fps 10 --frames 150
# pipes at 5 s: ours (starts with pipes grown) and pipes.sh with three pipes.
ours pipes pipes-ours --fps 10 --frames 50
peer pipes-pipes.sh 5 pipes -p 3
