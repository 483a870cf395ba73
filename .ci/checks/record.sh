#!/usr/bin/env bash
# Has asciinema itself read what `fun saver NAME --record FILE.cast` writes: `asciinema cat`
# must accept each recording and print exactly the bytes a terminal would have got (the terminal
# guard's opening sequence, then the stream of a headless run of the same frames). asciinema
# (PyPI) goes into a private venv under target/, never into the system's Python.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/record-venv
if ! "$venv/bin/asciinema" --version >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet asciinema
fi
cargo build --quiet --locked
fun=$PWD/target/debug/fun
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config

same=(--seed 7 --fps 10 --color-depth 256 --time 2026-12-24T20:15:42 --size 80x24)
for screen in matrix clock rocket fire; do
  "$fun" saver "$screen" --record "$work/$screen.cast" --duration 3s "${same[@]}"
  "$venv/bin/asciinema" cat "$work/$screen.cast" > "$work/$screen.out"
  { printf '\033[?1049h\033[?25l\033[?7l\033[?1004h'
    "$fun" saver "$screen" --headless --stream --frames 31 "${same[@]}"; } > "$work/$screen.expected"
  cmp "$work/$screen.out" "$work/$screen.expected"
  echo "$screen: asciinema cat accepts $(($(wc -l < "$work/$screen.cast") - 1)) events, bytes identical"
done
