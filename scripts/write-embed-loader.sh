#!/usr/bin/env bash
# Trunk post-build hook: writes dropstream-embed.js into the staging folder
# with the names of this build's hashed module and wasm files.
set -euo pipefail
staging=${TRUNK_STAGING_DIR:?run by Trunk as a post_build hook}
module=$(cd "$staging" && ls dropstream-connect-*.js | head -n 1)
wasm=$(cd "$staging" && ls dropstream-connect-*_bg.wasm | head -n 1)
sed -e "s|__MODULE__|$module|" -e "s|__WASM__|$wasm|" \
  "${TRUNK_SOURCE_DIR:-.}/embed/dropstream-embed.js" >"$staging/dropstream-embed.js"
