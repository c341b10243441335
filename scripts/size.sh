#!/usr/bin/env bash
# Prints the size of each file of the release page in dist/, raw and gzip -9,
# and the totals per kind (wasm, JS, HTML). The stylesheet is compiled
# into the wasm module, so its source size is printed on its own line too.
# Build first with scripts/build.sh.
set -euo pipefail
cd "$(dirname "$0")/../dist"
printf '%-48s %10s %10s\n' file raw gzip
for kind in wasm js html; do
  raw_total=0
  gzip_total=0
  for file in *."$kind"; do
    [ -e "$file" ] || continue
    raw=$(wc -c <"$file")
    gz=$(gzip -9c "$file" | wc -c)
    raw_total=$((raw_total + raw))
    gzip_total=$((gzip_total + gz))
    printf '%-48s %10d %10d\n' "$file" "$raw" "$gz"
  done
  printf '%-48s %10d %10d\n' "total $kind" "$raw_total" "$gzip_total"
done
css=../style/wizard.css
printf '%-48s %10d %10d\n' "style/wizard.css (inside the wasm)" "$(wc -c <"$css")" "$(gzip -9c "$css" | wc -c)"
