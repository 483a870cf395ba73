#!/usr/bin/env bash
# Sourced by the benches: `doc_section NAME FILE` replaces what lies between the lines
# `<!-- NAME begin -->` and `<!-- NAME end -->` of docs/maintainers/performance.md (every
# figure's one home) with the contents of FILE, through a temporary file and a rename. A
# missing marker is an error, so a renamed section cannot be skipped in silence.
# Sections and the bench that writes each: screens-cost (benches/saver.sh, ONLY=screens);
# size, startup, calendar, memory, matrix-cpu and pv-cpu (benches/lean.sh).
doc_section() {
  local name=$1 table=$2 doc=${DOC:-docs/maintainers/performance.md}
  grep -q "^<!-- $name begin -->\$" "$doc" && grep -q "^<!-- $name end -->\$" "$doc" || {
    echo "$doc: no <!-- $name begin/end --> markers" >&2
    return 1
  }
  awk -v table="$table" -v begin="<!-- $name begin -->" -v end="<!-- $name end -->" '
    $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip' "$doc" > "$doc.tmp.$$" && mv "$doc.tmp.$$" "$doc"
  echo "$doc: section $name updated"
}
