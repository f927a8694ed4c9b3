#!/usr/bin/env bash
# README command 1: builds Interkommunal and runs it on http://127.0.0.1:8080/ until Ctrl-C.
# Installs what is missing, configures build/release once, rebuilds only what changed, publishes
# the assets, then replaces itself with the server (so Ctrl-C and SIGTERM reach it directly).
# The database and uploads in var/ are kept between runs. Arguments go to `interkommunal serve`
# (e.g. --config interkommunal.toml).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build/release"
cd "$root"

scripts/setup-deps.sh
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
# The server is all that is needed here; its path is the target, whatever CMake calls it.
ninja -C "$build" -j "${IK_BUILD_JOBS:-$(nproc)}" src/app/interkommunal
scripts/build-assets.sh
exec "$build/src/app/interkommunal" serve "$@"
