#!/usr/bin/env bash
# Installs what is missing, builds the release page and the sandbox, and
# serves both on http://127.0.0.1:8080/ (set DROPSTREAM_SANDBOX_PORT to change
# the port and DROPSTREAM_SANDBOX_DB to change the database file).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec target/release/dropstream-sandbox --dist dist "$@"
