#!/usr/bin/env bash
# Load run: builds the release sandbox and the load generator, which is the
# `load` example of the sandbox crate, and runs it. The generator starts its
# own sandbox on 127.0.0.1 with a fresh temporary database and runs
# concurrent clients that read the lists and create connections. Then it
# stops the sandbox, checks the database file, and prints throughput,
# latency percentiles and the checks' results.
#
# Usage: scripts/load.sh [-c CLIENTS] [-d SECONDS]
#   -c, --clients N       concurrent clients, 1 to 500 [env DROPSTREAM_LOAD_CLIENTS, default 50]
#   -d, --duration SECS   seconds of load, 1 to 600 [env DROPSTREAM_LOAD_SECONDS, default 30]
# Exits non-zero when any request failed or any check did not pass.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --offline -p dropstream-sandbox --bin dropstream-sandbox --example load
target_dir="${CARGO_TARGET_DIR:-target}"
exec "$target_dir/release/examples/load" --sandbox "$target_dir/release/dropstream-sandbox" "$@"
