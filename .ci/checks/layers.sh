#!/usr/bin/env bash
# The walls between the layers (issue 21), from the imports: a cheap grep, no build.
#   - a tool (saver, pv, calendar, typist, typing) never imports the top (`app`, and the old
#     cli/complete/man);
#   - the saver's kit (the screen API) imports nothing else of the saver;
#   - a screen imports only the kit and shared utilities, never the engine or the product;
#   - the engine imports the kit, never a screen or the product.
# Fails listing every forbidden import. Run from the repository's root.
set -euo pipefail
cd "$(dirname "$0")/../.."
status=0

# never DIR PATTERN WHY: no line of DIR's Rust files may match PATTERN (comments excepted).
never() {
  local dir=$1 pattern=$2 why=$3 found
  found=$(grep -rnE --include='*.rs' "$pattern" "$dir" | grep -vE '^[^:]+:[0-9]+:\s*//' || true)
  if [ -n "$found" ]; then
    echo "layers: $why:" >&2
    echo "$found" >&2
    status=1
  fi
}

for tool in src/saver src/pv src/calendar src/typist src/typing; do
  never "$tool" 'crate::(app|cli|complete|man)\b' "a tool imports the top ($tool)"
done
never src/saver/kit 'saver::(engine|screens|app)\b|crate::(term|net|files)\b' \
  "the kit (screen API) imports the engine, a screen, the product or I/O"
never src/saver/screens 'saver::(engine|app)\b' "a screen imports the engine or the product"
never src/saver/engine 'saver::(screens|app)\b' "the engine imports a screen or the product"
# Relative paths that climb out of a layer (`super::super::` from a layer's top files).
for layer in kit engine screens; do
  never "src/saver/$layer" '^use super::super::(app|engine|screens)\b' "$layer climbs to another layer"
done

[ "$status" = 0 ] && echo "layers: every wall holds"
exit "$status"
