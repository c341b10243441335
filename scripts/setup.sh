#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already
# present at the right version, then downloads the crates so that every later
# cargo and trunk call can run with --offline.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly, or
# Trunk and the test runner reject the module.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

say() { printf '[setup] %s\n' "$*"; }

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "building trunk $TRUNK_VERSION (about 8 minutes on 2 cores)"
  cargo install "trunk@$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # --locked fails for this version because one locked dependency was yanked.
  cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION" --force
fi

if [ ! -x e2e/node_modules/.bin/wasm-opt ] || [ ! -d e2e/node_modules/playwright-core ]; then
  say "installing the end-to-end test packages and wasm-opt from npm"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

say "fetching crates"
cargo fetch --locked >/dev/null 2>&1 || cargo fetch --locked
say "ready"
