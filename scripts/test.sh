#!/usr/bin/env bash
# README command 2: builds everything and runs every test suite, stopping at the first failure.
#
#   1. dependencies (scripts/setup-deps.sh)
#   2. Release build of the server and the unit tests (build/release), assets
#   3. unit tests, SQLite
#   4. unit tests again under AddressSanitizer + UBSan (Debug build in build/sanitize, no server)
#   5. unit tests against a throwaway PostgreSQL 15 (scripts/with-postgres.sh)
#   6. HTTP integration tests (node --test tests/http) against PostgreSQL, then SQLite
#   7. browser tests (node --test tests/e2e): login flow, axe-core, authorisation
#
# Logs of every step go to test-results/logs/. The last line is the total over all suites:
# "Summary: N passed, N failed, N skipped". Made for CI as well: no prompts, no stdin needed, runs
# as root from a fresh clone. IK_BUILD_JOBS sets the build parallelism (default 2).
set -euo pipefail
exec </dev/null

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="${IK_BUILD_JOBS:-2}"
# Debian's node-ajv (used by tests/http/openapi.test.mjs) finds its dependencies in
# /usr/share/nodejs only when Node.js searches there; a Node.js not built by Debian needs this.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
logs="$root/test-results/logs"
# Results of an earlier run would be mistaken for this one's.
rm -rf "$logs" "$root/test-results/server-logs" "$root/test-results/e2e"
mkdir -p "$logs"

total_steps=12
step_number=0
current_step=""
current_log=""
step_started=$SECONDS
passed=0
failed=0
skipped=0
timings=()
started_at=$SECONDS

summary() {
  echo
  echo "==> test.sh: steps"
  local line
  for line in "${timings[@]}"; do echo "    $line"; done
  echo "    total $((SECONDS - started_at)) s"
}

on_exit() {
  local status=$? log="$current_log"
  if ((status != 0)); then
    count_results "$log" || true
    [[ -n "$current_step" ]] &&
      timings+=("$(printf '%-46s %5d s  FAILED' "$current_step" $((SECONDS - step_started)))")
    summary
    echo
    echo "test.sh: FAILED in step '$current_step' (exit status $status)."
    [[ -n "$log" ]] && echo "test.sh: its output is above and in ${log#"$root"/}"
    echo "Summary: $passed passed, $failed failed, $skipped skipped"
  fi
  exit "$status"
}
trap on_exit EXIT

# Adds the results a ctest or `node --test` log reports to the totals. ctest counts a skipped
# test (GTEST_SKIP, e.g. a PostgreSQL case without IK_TEST_POSTGRES_URL) as passed; here it is
# skipped. node --test counts subtests and their parents alike.
count_results() {
  local log="$1" line
  [[ -f "$log" ]] || return 0
  line="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)"
  if [[ -n "$line" ]]; then
    local failures total not_run
    failures="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
    total="$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")"
    not_run="$(grep -cE '^[[:space:]]+[0-9]+ - .*\(Skipped\)$' "$log" || true)"
    passed=$((passed + total - failures - not_run))
    failed=$((failed + failures))
    skipped=$((skipped + not_run))
  fi
  local key value
  for key in pass fail skipped; do
    value="$(grep -E "^ℹ $key [0-9]+$" "$log" | tail -n 1 | awk '{ print $3 }' || true)"
    [[ -n "$value" ]] || continue
    case "$key" in
      pass) passed=$((passed + value)) ;;
      fail) failed=$((failed + value)) ;;
      skipped) skipped=$((skipped + value)) ;;
    esac
  done
  current_log=""
}

# step NAME COMMAND... — runs COMMAND with its output shown and logged; the script stops when it
# fails (set -e with pipefail).
step() {
  local name="$1"
  shift
  step_number=$((step_number + 1))
  current_step="$name"
  current_log="$logs/$(printf '%02d' "$step_number")-${name//[^A-Za-z0-9]/-}.log"
  echo
  echo "==> [$step_number/$total_steps] $name"
  step_started=$SECONDS
  "$@" 2>&1 | tee "$current_log"
  count_results "$current_log"
  timings+=("$(printf '%-46s %5d s' "$name" $((SECONDS - step_started)))")
}

configure() {
  local dir="$1"
  shift
  [[ -f "$dir/build.ninja" ]] || cmake -S "$root" -B "$dir" -G Ninja "$@"
}

require_node_20() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if ((major < 20)); then
    echo "test.sh: Node.js $(node --version) is too old: the HTTP and browser tests need Node.js >= 20" >&2
    return 1
  fi
}

node_tests() {
  local concurrency="$1"
  shift
  node --test --test-reporter=spec --test-concurrency="$concurrency" --test-timeout=360000 "$@"
}

# Unit tests that need PostgreSQL carry the ctest label "postgres"; without any such label every
# unit test runs again, now with IK_TEST_POSTGRES_URL set. One at a time: they share one server.
postgres_unit_tests() {
  local selection=()
  if ctest --test-dir build/release -N -L postgres | grep -Eq 'Total Tests: [1-9]'; then
    selection=(-L postgres)
  fi
  ctest --test-dir build/release --output-on-failure --no-tests=error -j1 "${selection[@]}"
}

# http_tests sqlite|postgres — each test file starts its own server on its own database.
http_tests() {
  IK_TEST_DATABASE="$1" node_tests 2 tests/http/*.test.mjs
}

browser_tests() {
  IK_TEST_DATABASE=sqlite node_tests 1 tests/e2e/*.test.mjs
}

# with-postgres.sh runs its command in a new bash, which needs these.
export -f node_tests postgres_unit_tests http_tests

step "dependencies" scripts/setup-deps.sh
step "check Node.js" require_node_20
step "configure build/release" configure build/release -DCMAKE_BUILD_TYPE=Release
step "build build/release" ninja -C build/release -j "$jobs"
step "assets" scripts/build-assets.sh
step "unit tests (SQLite)" env -u IK_TEST_POSTGRES_URL \
  ctest --test-dir build/release --output-on-failure --no-tests=error -j "$jobs"
step "configure build/sanitize" configure build/sanitize -DCMAKE_BUILD_TYPE=Debug \
  -DIK_SANITIZE=ON -DIK_BUILD_APP=OFF
step "build build/sanitize" ninja -C build/sanitize -j "$jobs"
step "unit tests (ASan+UBSan)" env -u IK_TEST_POSTGRES_URL \
  ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/sanitize --output-on-failure --no-tests=error -j "$jobs"
step "unit + HTTP tests (PostgreSQL)" scripts/with-postgres.sh \
  bash -c 'postgres_unit_tests && http_tests postgres'
step "HTTP tests (SQLite)" http_tests sqlite
step "browser tests" browser_tests

summary
echo
echo "Summary: $passed passed, $failed failed, $skipped skipped"
