#!/usr/bin/env bash
# Builds the release page into dist/ (wasm-opt included) and the sandbox,
# after installing whatever tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Trunk finds wasm-opt (npm's binaryen) here instead of downloading it.
export PATH="$PWD/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release --offline
cargo build --release --offline -p dropstream-sandbox
