#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (native and wasm32), native
# unit and sandbox tests, browser component tests in headless Chromium, and
# end-to-end tests of the release page served by the sandbox. Installs what
# is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "clippy, native"
cargo clippy --offline --workspace --all-targets -- -D warnings

step "clippy, wasm32"
cargo clippy --offline -p dropstream-connect -p dropstream-model --all-targets --target wasm32-unknown-unknown -- -D warnings

step "native tests (model and sandbox)"
cargo test --offline -p dropstream-model -p dropstream-sandbox

step "browser component tests (wasm-bindgen-test in headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --offline --target wasm32-unknown-unknown -p dropstream-connect

step "release build of the page and the sandbox"
scripts/build.sh

step "end-to-end tests (Playwright driving Debian's Chromium)"
(cd e2e && npm test)

step "release page sizes"
scripts/size.sh
